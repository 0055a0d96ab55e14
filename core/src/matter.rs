//! A matter's rules, compiled: the published elements (编码, 名称, 类型, 依据, 时限 …) and one
//! compiled part per rule family, each checked against the others' names.
//!
//! Compiling a matter file is one pass per section, in an order that lets each section see
//! the names it may use: `[[basis]]` and `[matter]`, the facts (declared, then those the core
//! defines), `[[situations]]`, `[[conditions]]`, `[[materials]]`, `[deferral]`,
//! `[commitment]`, `[fees]`, `[guide]`.

use alloc::collections::BTreeMap;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::checker::Checker;
use crate::commitment::{self, Policy};
use crate::common::{Citation, Limit, Text, citations};
use crate::deadline::{self, Clock};
use crate::deferral;
use crate::eligibility::{self, Conditions};
use crate::error::{RuleError, SourcePath};
use crate::expr::Scope;
use crate::facts::{FactDef, parse_date};
use crate::fees::Fees;
use crate::guide::{self, Guide};
use crate::materials::{self, LICENCE_FACT, Material};
use crate::schema::{self, Schema};
use crate::source::MatterSource;
use crate::verification::{self, Marks};

const MATTER_TYPES: [&str; 8] = [
    "行政许可",
    "行政征收",
    "行政给付",
    "行政确认",
    "行政奖励",
    "行政裁决",
    "其他行政权力",
    "公共服务",
];
pub(crate) const LEVELS: [&str; 6] = ["国家级", "省级", "市级", "县级", "乡级", "村级"];
const SERVICE_OBJECTS: [&str; 7] = [
    "自然人",
    "企业法人",
    "事业法人",
    "社会组织法人",
    "非法人企业",
    "行政机关",
    "其他组织",
];
const MODES: [&str; 3] = ["窗口办理", "网上办理", "快递申请"];
/// The national elements of a matter, as published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatterInfo {
    /// 实施编码.
    pub code: Text,
    /// 基本编码.
    pub basic_code: Text,
    /// 事项名称.
    pub name: Text,
    /// 事项类型.
    #[serde(rename = "type")]
    pub kind: Text,
    /// 实施机构.
    pub agency: Text,
    /// 行使层级.
    pub levels: Vec<String>,
    /// 设定依据.
    pub basis: Vec<Citation>,
    /// 法定办结时限.
    pub statutory_limit: Limit,
    /// 承诺办结时限.
    pub promised_limit: Limit,
    /// 办件类型.
    pub handling: Text,
    /// 服务对象.
    pub service_objects: Vec<String>,
    /// 到办事现场次数.
    pub visits: u8,
    /// 办理形式.
    pub modes: Vec<String>,
    /// Whether it is a 高频 matter (高频政务服务事项).
    #[serde(default, skip_serializing_if = "core::ops::Not::not")]
    pub high_frequency: bool,
    /// The published list that makes it 高频; a 高频 mark without one is an example.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub high_frequency_list: Option<Text>,
}

/// Which implementation a matter is: present on matters compiled from an implementation file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Implementation {
    /// The region, for example 西安市雁塔区.
    pub region: Text,
    /// 行使层级.
    pub level: Text,
    /// Whether the 实施编码 is a made-up example.
    pub illustrative: bool,
    /// What it inherits: a 基本编码 or another 实施编码.
    pub inherits: Text,
    /// 业务办理项编码, where one is published.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub business_item: Option<Text>,
    /// What it reduced against what it inherits, one line each, in file order.
    pub reduced: Vec<Text>,
    /// The region's 行政区划代码, where the implementation gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region_code: Option<Text>,
    /// What the base item asks (materials, 办理环节), which its reductions are measured against.
    #[serde(skip)]
    pub(crate) base: Option<(u32, u32)>,
}

/// A rule version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Version {
    /// Its name.
    pub id: Text,
    /// The first day in force.
    pub effective: NaiveDate,
    /// Its end without a successor (取消, 下放), if it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<VersionEnd>,
}

/// Why and from when a version is no longer in force (市政办发〔2021〕36号第八条).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionEnd {
    /// The last day in force.
    pub last_day: NaiveDate,
    /// 取消 or 下放.
    pub reason: Text,
    /// Where the matter went or what replaces it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Text>,
    /// Its basis.
    pub basis: Vec<Citation>,
}

/// Why a version may end without a successor.
const END_REASONS: [&str; 2] = ["取消", "下放"];

/// One matter's compiled rules.
#[derive(Debug, Clone, PartialEq)]
pub struct Matter {
    /// The national elements.
    pub info: MatterInfo,
    /// The rule version.
    pub version: Version,
    /// The file the rules came from.
    pub file: String,
    pub(crate) schema: Schema,
    pub(crate) eligibility: Conditions,
    pub(crate) materials: Vec<Material>,
    pub(crate) acceptance: deferral::Rules,
    pub(crate) commitment: Option<Policy>,
    pub(crate) clock: Clock,
    pub(crate) fees: Option<Fees>,
    pub(crate) tongban: Option<crate::tongban::Tongban>,
    /// Every citation, code and limit with its verification mark, in file order.
    pub(crate) marks: Marks,
    pub(crate) guide: Guide,
    pub(crate) implementation: Option<Implementation>,
}

impl Matter {
    /// The facts schema in interview order, the channel fact `电子证照` last.
    pub fn facts(&self) -> &[FactDef] {
        &self.schema.facts
    }

    /// The 办事指南: the 办理流程 and the service information a front end shows.
    pub fn guide(&self) -> &Guide {
        &self.guide
    }

    /// Which implementation (实施清单) this is, for a matter compiled from an implementation file:
    /// its region, level and what it reduced against what it inherits.
    pub fn implementation(&self) -> Option<&Implementation> {
        self.implementation.as_ref()
    }

    /// Looks up a fact by name.
    pub fn fact(&self, name: &str) -> Option<&FactDef> {
        let index = self.schema.index.get(&self.schema.facts, name.as_bytes())?;
        self.schema.facts.get(usize::from(index))
    }
}

/// `[[basis]]`, `[matter]` and `[version]`, checked.
struct Head<'s> {
    /// Every `[[basis]]` entry, in file order.
    cited: Vec<Citation>,
    /// Basis ids to their numbers.
    basis_index: BTreeMap<&'s str, usize>,
    info: MatterInfo,
    version: Version,
    marks: Marks,
}

/// Checks `[[basis]]`, `[matter]` and `[version]`.
fn compile_head<'s>(c: &mut Checker<'_>, src: &'s MatterSource) -> Head<'s> {
    let root = SourcePath::root();
    // [[basis]]
    let mut basis_index = BTreeMap::new();
    let mut cited: Vec<Citation> = Vec::with_capacity(src.basis.len());
    let mut marks = Marks::default();
    let verified = src.matter.verified.clone().unwrap_or_default();
    let mv = root.key("matter").key("verified");
    marks.add(
        "codes",
        verification::parse(c, mv.key("codes"), verified.codes.as_deref()),
    );
    marks.add(
        "statutory_limit",
        verification::parse(
            c,
            mv.key("statutory_limit"),
            verified.statutory_limit.as_deref(),
        ),
    );
    marks.add(
        "promised_limit",
        verification::parse(
            c,
            mv.key("promised_limit"),
            verified.promised_limit.as_deref(),
        ),
    );
    for (i, b) in src.basis.iter().enumerate() {
        let path = root.key("basis").index(i);
        if basis_index.insert(b.id.as_str(), i).is_some() {
            c.duplicate(path.key("id"), "basis id", &b.id);
        }
        c.text(path.key("document"), &b.document);
        c.text(path.key("article"), &b.article);
        let mark = verification::parse(c, path.key("verified"), b.verified.as_deref());
        if let Some(rank) = &b.rank {
            c.one_of(path.key("rank"), rank, &crate::lint::RANKS);
        }
        cited.push(Citation {
            document: b.document.as_str().into(),
            article: b.article.as_str().into(),
            excerpt: b.excerpt.as_deref().map(Into::into),
            unverified: mark.is_none(),
        });
        marks.add(
            alloc::format!("basis.{}: 《{}》{}", b.id, b.document, b.article),
            mark,
        );
    }

    // [matter]
    let m = &src.matter;
    let mp = root.key("matter");
    c.text(mp.key("basic_code"), &m.basic_code);
    c.text(mp.key("implementation_code"), &m.implementation_code);
    c.text(mp.key("name"), &m.name);
    c.text(mp.key("agency"), &m.agency);
    c.one_of(mp.key("type"), &m.kind, &MATTER_TYPES);
    c.all_of(&mp.key("levels"), &m.levels, &LEVELS);
    c.all_of(
        &mp.key("service_objects"),
        &m.service_objects,
        &SERVICE_OBJECTS,
    );
    c.all_of(&mp.key("modes"), &m.modes, &MODES);
    c.one_of(mp.key("handling"), &m.handling, &["即办件", "承诺件"]);
    let setting_basis = c.basis_refs(&mp.key("basis"), &m.basis, &basis_index, true);
    let statutory = c.limit(mp.key("statutory_limit"), &m.statutory_limit);
    let promised = c.limit(mp.key("promised_limit"), &m.promised_limit);
    deadline::check_limits(
        c,
        &mp.key("promised_limit"),
        mp.key("handling"),
        &m.handling,
        statutory,
        promised,
    );
    if m.visits > 2 {
        c.invalid(mp.key("visits"), "到办事现场次数 is 0, 1 or 2");
    }
    if let Some(list) = &m.high_frequency_list {
        if m.high_frequency {
            c.text(mp.key("high_frequency_list"), list);
        } else {
            c.invalid(
                mp.key("high_frequency_list"),
                "a list that makes the matter 高频 goes with `high_frequency = true`",
            );
        }
    }

    // [version]
    let effective = parse_date(&src.version.effective).unwrap_or_else(|| {
        c.invalid(
            root.key("version").key("effective"),
            alloc::format!(
                "`{}` is not a real date in YYYY-MM-DD form",
                src.version.effective
            ),
        );
        NaiveDate::MIN
    });
    c.text(root.key("version").key("id"), &src.version.id);
    let end = compile_end(c, src, effective, &basis_index, &cited);
    // Read by `banshi check` and `banshi diff` alone: checked here, not carried into decisions.
    if let Some(retroactive) = &src.version.retroactive {
        let path = root.key("version").key("retroactive");
        c.basis_refs(&path.key("basis"), &retroactive.basis, &basis_index, true);
        c.text(path.key("note"), &retroactive.note);
    }

    Head {
        info: MatterInfo {
            code: m.implementation_code.as_str().into(),
            basic_code: m.basic_code.as_str().into(),
            name: m.name.as_str().into(),
            kind: m.kind.as_str().into(),
            agency: m.agency.as_str().into(),
            levels: m.levels.clone(),
            basis: citations(&cited, &setting_basis),
            statutory_limit: statutory,
            promised_limit: promised,
            handling: m.handling.as_str().into(),
            service_objects: m.service_objects.clone(),
            visits: m.visits,
            modes: m.modes.clone(),
            high_frequency: m.high_frequency,
            high_frequency_list: m.high_frequency_list.as_deref().map(Into::into),
        },
        version: Version {
            id: src.version.id.as_str().into(),
            effective,
            end,
        },
        cited,
        basis_index,
        marks,
    }
}

/// `[version] end`: a last day on or after the first, a reason of 市政办发〔2021〕36号第八条.
fn compile_end(
    c: &mut Checker<'_>,
    src: &MatterSource,
    effective: NaiveDate,
    basis_index: &BTreeMap<&str, usize>,
    cited: &[Citation],
) -> Option<VersionEnd> {
    let end = src.version.end.as_ref()?;
    let path = SourcePath::root().key("version").key("end");
    c.one_of(path.key("reason"), &end.reason, &END_REASONS);
    let basis = c.basis_refs(&path.key("basis"), &end.basis, basis_index, true);
    if let Some(note) = &end.note {
        c.text(path.key("note"), note);
    }
    let last_day = match parse_date(&end.last_day) {
        Some(day) if day >= effective => day,
        Some(_) => {
            c.invalid(
                path.key("last_day"),
                "the last day in force is before the first",
            );
            effective
        }
        None => {
            c.invalid(
                path.key("last_day"),
                alloc::format!("`{}` is not a real date in YYYY-MM-DD form", end.last_day),
            );
            effective
        }
    };
    Some(VersionEnd {
        last_day,
        reason: end.reason.as_str().into(),
        note: end.note.as_deref().map(Into::into),
        basis: citations(cited, &basis),
    })
}

/// Appends a fact the core defines and indexes it; its number.
fn define(facts: &mut Vec<FactDef>, index: &mut BTreeMap<String, u16>, def: FactDef) -> u16 {
    let number = u16::try_from(facts.len()).unwrap_or(u16::MAX);
    index.insert(def.name.clone(), number);
    facts.push(def);
    number
}

/// The facts the core defines for a matter, after its declared ones, and their numbers.
struct Defined {
    licence: u16,
    missing: u16,
    /// `告知承诺` and `严重失信`, where a material offers a commitment.
    commitment: Option<(u16, u16)>,
    dishonesty: Option<u16>,
    procedures: Option<u16>,
}

/// Defines the channel's licence fact, `缺少材料`, and where the rules call for them the
/// commitment facts and `特别程序`.
fn define_facts(
    src: &MatterSource,
    licences: &[String],
    procedures: &[deadline::SpecialProcedure],
    facts: &mut Vec<FactDef>,
    index: &mut BTreeMap<String, u16>,
) -> Defined {
    let licence = define(
        facts,
        index,
        materials::licence_fact(LICENCE_FACT, licences),
    );
    let missing = define(facts, index, deferral::missing_fact(src));
    let offers_commitment = src.materials.iter().any(|m| m.commitment.is_some());
    let choice = offers_commitment.then(|| define(facts, index, commitment::choice_fact()));
    let dishonesty = (offers_commitment || deferral::checks_credit(src))
        .then(|| define(facts, index, commitment::dishonesty_fact()));
    let procedures = (!procedures.is_empty())
        .then(|| define(facts, index, deadline::procedures_fact(procedures)));
    Defined {
        licence,
        missing,
        commitment: choice.zip(dishonesty),
        dishonesty,
        procedures,
    }
}

/// Compiles one matter file against the licence catalogue.
pub(crate) fn compile(
    file: &str,
    src: &MatterSource,
    licences: &[String],
) -> Result<Matter, Vec<RuleError>> {
    let mut c = Checker::new(file);
    crate::limits::check_matter(&mut c, src);
    // Past a limit nothing else is compiled: the limits keep the work below bounded.
    if !c.errors.is_empty() {
        return Err(c.errors);
    }
    let head = compile_head(&mut c, src);
    let (basis_index, cited) = (&head.basis_index, head.cited.as_slice());
    let (mut facts, mut fact_index) = schema::compile_declared(&mut c, src, licences);
    let procedures = deadline::compile_procedures(&mut c, src, basis_index, cited);
    let defined = define_facts(src, licences, &procedures, &mut facts, &mut fact_index);
    let extension =
        deadline::compile_extension(&mut c, src, head.info.statutory_limit, basis_index, cited);
    if facts.len() > usize::from(u16::MAX) {
        c.invalid(SourcePath::root().key("facts"), "too many facts");
    }
    let (situations, situation_index) =
        eligibility::compile_situations(&mut c, src, &facts, &fact_index);
    let scope = Scope {
        facts: &facts,
        fact_index: &fact_index,
        situations: &situation_index,
    };
    let conditions = eligibility::compile(&mut c, src, situations, &scope, basis_index, cited);
    let materials = materials::compile(
        &mut c,
        src,
        &materials::Context {
            scope: &scope,
            basis_index,
            cited,
            licences,
            licence_fact: defined.licence,
        },
    );
    let mut marks = head.marks.clone();
    let routes = deadline::compile_routes(
        &mut c,
        src,
        &deadline::RouteContext {
            scope: &scope,
            basis_index,
            cited,
            statutory: head.info.statutory_limit,
        },
        &mut marks,
    );
    let tongban = crate::tongban::compile(&mut c, src, &scope, basis_index, cited);
    let deferral = deferral::compile(&mut c, src, basis_index, cited);
    let commitment =
        commitment::compile_policy(&mut c, src, defined.commitment, basis_index, cited);
    let fees = src
        .fees
        .as_ref()
        .map(|f| crate::fees::compile(&mut c, f, basis_index, cited, &scope));
    let guide = guide::compile(&mut c, src);
    if !c.errors.is_empty() {
        return Err(c.errors);
    }
    Ok(Matter {
        version: head.version,
        file: file.to_string(),
        schema: Schema::new(facts),
        eligibility: conditions,
        materials,
        acceptance: deferral::Rules {
            deferral,
            missing_fact: defined.missing,
            dishonesty_fact: defined.dishonesty,
        },
        commitment,
        clock: Clock {
            procedures,
            fact: defined.procedures,
            extension,
            routes,
        },
        fees,
        tongban,
        marks,
        guide,
        implementation: src.catalogue.as_ref().map(|c| Implementation {
            region: c.region.as_str().into(),
            level: c.level.as_str().into(),
            illustrative: c.illustrative,
            inherits: c.inherits.as_str().into(),
            business_item: c.business_item.as_deref().map(Into::into),
            reduced: c.reduced.iter().map(|r| r.as_str().into()).collect(),
            region_code: c.region_code.as_deref().map(Into::into),
            base: c.base_materials.zip(c.base_steps),
        }),
        info: head.info,
    })
}
