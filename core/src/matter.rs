//! A matter's rules, compiled: references resolved, conditions parsed and type-checked.

use alloc::collections::BTreeMap;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::Text;
use crate::error::{RuleError, RuleErrorKind, SourcePath, Span};
use crate::expr::{self, AstKind, Node, Scope};
use crate::facts::{FactDef, FactKind, FactSourceKind, TextFormat, parse_date, parse_decimal};
use crate::source::{LimitSource, MatterSource, Names, NumberSource};

/// The name of the channel fact listing the applicant's electronic licences.
pub const LICENCE_FACT: &str = "电子证照";

/// The name of the fact listing the materials an applicant lacks at acceptance (by name).
pub const MISSING_FACT: &str = "缺少材料";

/// The name of the applicant's choice of 告知承诺制, for matters that offer it.
pub const COMMITMENT_FACT: &str = "告知承诺";

/// The name of the data-sharing fact on serious dishonesty (严重失信), for matters that offer
/// 告知承诺制.
pub const DISHONESTY_FACT: &str = "严重失信";

/// Domains where a signed commitment may not replace proofs (告知承诺制的除外领域).
pub const RESTRICTED_DOMAINS: [&str; 8] = [
    "国家安全",
    "国家秘密",
    "公共安全",
    "金融审慎监管",
    "生态环境保护",
    "人身健康",
    "生命财产安全",
    "重要涉外",
];

/// The name of the agency fact recording clock stops, defined for matters with special
/// procedures.
pub const PROCEDURES_FACT: &str = "特别程序";

/// Procedures whose time does not count toward a limit: 行政许可法第四十五条 names hearings,
/// bidding, auctions, inspection, testing, quarantine, appraisal and expert review; the
/// Shaanxi plans add on-site survey and technical review; 补正 and 公告 stop the clock where a
/// matter's own law says so.
pub const SPECIAL_PROCEDURES: [&str; 12] = [
    "现场勘验",
    "技术审查",
    "听证",
    "招标",
    "拍卖",
    "检验",
    "检测",
    "检疫",
    "鉴定",
    "专家评审",
    "补正",
    "公告",
];

/// Fact names the core defines itself, and what each is for: a rule file may read them in its
/// conditions but not declare them.
const RESERVED_FACTS: [(&str, &str); 5] = [
    (
        LICENCE_FACT,
        "the channel's list of electronic licences, defined for every matter",
    ),
    (
        MISSING_FACT,
        "the materials lacking at acceptance, defined for every matter",
    ),
    (
        COMMITMENT_FACT,
        "the applicant's choice of 告知承诺制, defined when a material offers a commitment",
    ),
    (
        DISHONESTY_FACT,
        "the shared credit record, defined when 告知承诺 or 容缺 checks it",
    ),
    (
        PROCEDURES_FACT,
        "the agency's clock stops, defined when the matter has special procedures",
    ),
];

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
const LEVELS: [&str; 6] = ["国家级", "省级", "市级", "县级", "乡级", "村级"];
const HANDLING: [&str; 2] = ["即办件", "承诺件"];
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
const FORMS: [&str; 3] = ["原件", "复印件", "原件和复印件"];
const MEDIA: [&str; 3] = ["纸质", "电子", "纸质或电子"];
/// Names that say nothing about what to bring (第十三条: no catch-all materials).
const VAGUE: [&str; 6] = [
    "其他",
    "其它",
    "有关材料",
    "相关材料",
    "其他材料",
    "其他相关材料",
];

/// A time limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Limit {
    /// Working days on the official calendar.
    WorkingDays(u32),
    /// Natural days.
    Days(u32),
}

/// A legal-basis citation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Citation {
    /// The document.
    pub document: Text,
    /// The article.
    pub article: Text,
    /// The text cited.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub excerpt: Option<Text>,
}

/// Citations shared by the compiled rules and the decisions made from them.
pub type Citations = alloc::sync::Arc<[Citation]>;

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
}

/// A procedure whose time does not count toward the limits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpecialProcedure {
    /// Its name.
    pub procedure: String,
    /// The law that excludes its time.
    pub basis: Vec<Citation>,
    /// Its own time box.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<Limit>,
}

/// A statutory extension of the limit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extension {
    /// How much longer the statutory limit may become.
    pub limit: Limit,
    /// Who must approve it.
    pub approval: String,
    /// Its basis.
    pub basis: Vec<Citation>,
}

/// 容缺受理 as the rules allow it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deferral {
    /// How long after acceptance deferred materials are due.
    pub period: Limit,
    /// What the applicant signs.
    pub commitment: String,
    /// Its basis.
    pub basis: Vec<Citation>,
    /// The ids of the materials that may be deferred.
    pub materials: Vec<String>,
    /// Whether a serious dishonesty record (严重失信) rules 容缺 out.
    pub dishonest_excluded: bool,
}

/// A commitment that replaces a proof (告知承诺制).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Commitment {
    /// What the applicant commits to.
    pub text: Text,
    /// What follows a false commitment.
    pub consequence: Text,
}

/// A rule version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Version {
    /// Its name.
    pub id: Text,
    /// The first day in force.
    pub effective: NaiveDate,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Condition {
    pub id: Text,
    /// The situation in which the condition applies; always when `None`.
    pub when: Option<Node>,
    /// What must hold there.
    pub require: Node,
    pub message: Text,
    /// Its basis as decisions cite it (document and article).
    pub basis: Citations,
    /// Its entry in a decision's `failed`, as JSON: written once here, copied into every
    /// eligibility answer that fails it.
    pub failed_json: Text,
}

impl Condition {
    /// Its expressions: `require`, and `when` if it has one.
    fn nodes(&self) -> impl Iterator<Item = &Node> {
        core::iter::once(&self.require).chain(&self.when)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Material {
    pub id: Text,
    pub name: Text,
    pub form: Text,
    pub medium: Text,
    pub copies: u32,
    /// Its basis as decisions cite it (document and article).
    pub basis: Citations,
    pub when: Option<Node>,
    pub issuer: Option<Text>,
    pub sharing: Option<Text>,
    /// The licence types that replace it (option numbers in the catalogue, and names).
    pub licence: Vec<(u16, Text)>,
    /// The list fact that holds the licences to look in.
    pub licence_holder: u16,
    /// For a cancelled material (直接取消), the cancelling basis as `《document》article`.
    pub cancelled: Option<Text>,
    pub note: Option<Text>,
    /// 关键材料: without it the application cannot be accepted.
    pub key: bool,
    pub commitment: Option<Commitment>,
}

/// One matter's compiled rules.
#[derive(Debug, Clone, PartialEq)]
pub struct Matter {
    /// The national elements.
    pub info: MatterInfo,
    /// The rule version.
    pub version: Version,
    /// The file the rules came from.
    pub file: String,
    pub(crate) basis: Vec<Citation>,
    pub(crate) facts: Vec<FactDef>,
    pub(crate) fact_index: crate::facts::NameIndex,
    /// Each fact's entry in a decision's `questions`, as JSON (see `Condition::failed_json`).
    pub(crate) question_json: Vec<Text>,
    /// Per situation, whether a condition reads it (directly or through another situation):
    /// an eligibility answer evaluates only those.
    pub(crate) condition_situations: Vec<bool>,
    /// Per fact, whether a condition reads it (directly or through a situation): an
    /// eligibility answer needs only their values, though it checks every fact given.
    pub(crate) condition_facts: Vec<bool>,
    pub(crate) licence_fact: u16,
    pub(crate) situations: Vec<(String, Node)>,
    pub(crate) conditions: Vec<Condition>,
    pub(crate) materials: Vec<Material>,
    pub(crate) special_procedures: Vec<SpecialProcedure>,
    pub(crate) procedures_fact: Option<u16>,
    pub(crate) extension: Option<Extension>,
    pub(crate) missing_fact: u16,
    pub(crate) dishonesty_fact: Option<u16>,
    pub(crate) deferral: Option<Deferral>,
    /// The 告知承诺制 policy's basis and the indexes of the choice and dishonesty facts.
    pub(crate) commitment: Option<(Vec<Citation>, u16, u16)>,
    pub(crate) fees: Option<crate::fees::Fees>,
}

impl Matter {
    /// The facts schema in interview order, the channel fact `电子证照` last.
    pub fn facts(&self) -> &[FactDef] {
        &self.facts
    }

    /// Looks up a fact by name.
    pub fn fact(&self, name: &str) -> Option<&FactDef> {
        let index = self.fact_index.get(&self.facts, name.as_bytes())?;
        self.facts.get(usize::from(index))
    }
}

/// Citations as decisions give them: document and article, without the excerpt.
pub(crate) fn short_citations(basis: &[Citation], ids: &[usize]) -> Citations {
    ids.iter()
        .filter_map(|&i| basis.get(i))
        .map(|c| Citation {
            document: c.document.clone(),
            article: c.article.clone(),
            excerpt: None,
        })
        .collect()
}

/// Collects problems while compiling one file.
pub(crate) struct Checker<'a> {
    pub file: &'a str,
    pub errors: Vec<RuleError>,
}

impl Checker<'_> {
    /// A decimal in text, for money and bounds; `None` (and an error) when it is not one.
    pub fn decimal(&mut self, path: SourcePath, text: &str) -> Option<rust_decimal::Decimal> {
        let value = parse_decimal(text.trim());
        if value.is_none() {
            self.invalid(path, alloc::format!("`{text}` is not a decimal number"));
        }
        value
    }

    /// An expression that must be a number.
    pub fn number(&mut self, path: SourcePath, text: &str, scope: &Scope<'_>) -> Option<Node> {
        let result = expr::parse(text)
            .map_err(|e| (e.span, RuleErrorKind::Condition { message: e.message }))
            .and_then(|ast| scope.number(&ast));
        match result {
            Ok(node) => Some(node),
            Err((span, kind)) => {
                self.push(path, Some(span), kind);
                None
            }
        }
    }

    pub fn push(&mut self, path: SourcePath, span: Option<Span>, kind: RuleErrorKind) {
        self.errors.push(RuleError {
            file: self.file.to_string(),
            path,
            span,
            kind,
        });
    }

    pub fn invalid(&mut self, path: SourcePath, message: impl Into<String>) {
        self.push(
            path,
            None,
            RuleErrorKind::Invalid {
                message: message.into(),
            },
        );
    }

    pub fn one_of(&mut self, path: SourcePath, value: &str, allowed: &[&str]) {
        if !allowed.contains(&value) {
            self.push(
                path,
                None,
                RuleErrorKind::NotAllowed {
                    value: value.to_string(),
                    allowed: allowed.join("、"),
                },
            );
        }
    }

    pub fn all_of(&mut self, path: &SourcePath, values: &[String], allowed: &[&str]) {
        if values.is_empty() {
            self.invalid(path.clone(), "must list at least one value");
        }
        for (i, value) in values.iter().enumerate() {
            self.one_of(path.index(i), value, allowed);
        }
    }

    pub fn text(&mut self, path: SourcePath, value: &str) {
        if value.trim().is_empty() {
            self.invalid(path, "must not be empty");
        }
    }

    pub fn basis_refs(
        &mut self,
        path: &SourcePath,
        ids: &[String],
        index: &BTreeMap<&str, usize>,
        required: bool,
    ) -> Vec<usize> {
        if required && ids.is_empty() {
            self.invalid(path.clone(), "must cite at least one `[[basis]]` id");
        }
        let mut out = Vec::with_capacity(ids.len());
        for (i, id) in ids.iter().enumerate() {
            match index.get(id.as_str()) {
                Some(&b) => out.push(b),
                None => self.push(
                    path.index(i),
                    None,
                    RuleErrorKind::UnknownBasis { id: id.clone() },
                ),
            }
        }
        out
    }

    pub fn limit(&mut self, path: SourcePath, limit: &LimitSource) -> Limit {
        match (limit.working_days, limit.days) {
            (Some(n), None) => Limit::WorkingDays(n),
            (None, Some(n)) => Limit::Days(n),
            _ => {
                self.invalid(path, "give exactly one of `working_days` or `days`");
                Limit::WorkingDays(0)
            }
        }
    }

    pub fn condition(&mut self, path: SourcePath, text: &str, scope: &Scope<'_>) -> Option<Node> {
        let result = expr::parse(text)
            .map_err(|e| (e.span, RuleErrorKind::Condition { message: e.message }))
            .and_then(|ast| scope.condition(&ast));
        match result {
            Ok(node) => Some(node),
            Err((span, kind)) => {
                self.push(path, Some(span), kind);
                None
            }
        }
    }

    /// A name usable in conditions: exactly one identifier token, not a keyword.
    pub fn identifier(&mut self, path: SourcePath, name: &str) {
        let ok =
            matches!(expr::parse(name), Ok(ast) if ast.kind == AstKind::Name(name.to_string()));
        if !ok {
            self.invalid(
                path,
                alloc::format!("`{name}` cannot be used in conditions; use letters, digits and `_` only, not starting with a digit, and no keyword"),
            );
        }
    }
}

fn bound(
    checker: &mut Checker<'_>,
    path: SourcePath,
    value: &Option<NumberSource>,
) -> Option<rust_decimal::Decimal> {
    match value.as_ref()? {
        NumberSource::Integer(i) => Some(rust_decimal::Decimal::from(*i)),
        NumberSource::Text(text) => {
            let parsed = parse_decimal(text);
            if parsed.is_none() {
                checker.invalid(path, alloc::format!("`{text}` is not a decimal number"));
            }
            parsed
        }
    }
}

/// Compiles one matter file against the licence catalogue.
pub(crate) fn compile(
    file: &str,
    src: &MatterSource,
    licences: &[String],
) -> Result<Matter, Vec<RuleError>> {
    let mut c = Checker {
        file,
        errors: Vec::new(),
    };
    let root = SourcePath::root();

    // [[basis]]
    let mut basis_index = BTreeMap::new();
    let mut cited: Vec<Citation> = Vec::with_capacity(src.basis.len());
    for (i, b) in src.basis.iter().enumerate() {
        let path = root.key("basis").index(i);
        if basis_index.insert(b.id.as_str(), i).is_some() {
            c.push(
                path.key("id"),
                None,
                RuleErrorKind::Duplicate {
                    what: "basis id",
                    id: b.id.clone(),
                },
            );
        }
        c.text(path.key("document"), &b.document);
        c.text(path.key("article"), &b.article);
        cited.push(Citation {
            document: b.document.as_str().into(),
            article: b.article.as_str().into(),
            excerpt: b.excerpt.as_deref().map(Into::into),
        });
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
    c.one_of(mp.key("handling"), &m.handling, &HANDLING);
    let setting_basis = c.basis_refs(&mp.key("basis"), &m.basis, &basis_index, true);
    let statutory = c.limit(mp.key("statutory_limit"), &m.statutory_limit);
    let promised = c.limit(mp.key("promised_limit"), &m.promised_limit);
    match (statutory, promised) {
        (Limit::WorkingDays(s), Limit::WorkingDays(p)) | (Limit::Days(s), Limit::Days(p))
            if p > s =>
        {
            c.invalid(
                mp.key("promised_limit"),
                alloc::format!("the promised limit ({p}) is longer than the statutory limit ({s})"),
            );
        }
        _ => {}
    }
    let immediate = m.handling == "即办件";
    let zero = matches!(promised, Limit::WorkingDays(0) | Limit::Days(0));
    if immediate && !zero {
        c.invalid(
            mp.key("promised_limit"),
            "a 即办件 is decided on the spot: its promised limit is `{ working_days = 0 }`",
        );
    }
    if !immediate && zero {
        c.invalid(
            mp.key("handling"),
            "a promised limit of 0 days makes the matter a 即办件",
        );
    }
    if m.visits > 2 {
        c.invalid(mp.key("visits"), "到办事现场次数 is 0, 1 or 2");
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

    // [[facts]], then the channel fact for electronic licences.
    let mut facts = Vec::with_capacity(src.facts.len() + 1);
    let mut fact_index = BTreeMap::new();
    for (i, f) in src.facts.iter().enumerate() {
        let path = root.key("facts").index(i);
        c.identifier(path.key("name"), &f.name);
        if let Some(reserved) = RESERVED_FACTS
            .iter()
            .find(|(name, _)| *name == f.name.as_str())
        {
            c.invalid(
                path.key("name"),
                alloc::format!("`{}` is reserved: {}", reserved.0, reserved.1),
            );
        }
        let index = u16::try_from(i).unwrap_or(u16::MAX);
        if fact_index.insert(f.name.clone(), index).is_some() {
            c.push(
                path.key("name"),
                None,
                RuleErrorKind::Duplicate {
                    what: "fact",
                    id: f.name.clone(),
                },
            );
        }
        c.text(path.key("question"), &f.question);
        let kind = FactKind::from_name(&f.kind).unwrap_or_else(|| {
            c.push(
                path.key("type"),
                None,
                RuleErrorKind::NotAllowed {
                    value: f.kind.clone(),
                    allowed: FactKind::NAMES.into(),
                },
            );
            FactKind::Text
        });
        // A list of electronic licences declared without options ranges over the catalogue.
        let catalogue = kind == FactKind::EnumList
            && f.source.as_deref() == Some("e_licence")
            && f.options.is_empty();
        let options = if catalogue {
            licences.to_vec()
        } else {
            f.options.clone()
        };
        let takes_options = matches!(kind, FactKind::Enum | FactKind::EnumList);
        if takes_options && options.is_empty() {
            c.invalid(path.key("options"), "an enum needs its options");
        }
        if !takes_options && !f.options.is_empty() {
            c.invalid(
                path.key("options"),
                "only enum and enum_list facts have options",
            );
        }
        for (j, option) in options.iter().enumerate() {
            c.text(path.key("options").index(j), option);
            if options
                .get(..j)
                .is_some_and(|before| before.contains(option))
            {
                c.push(
                    path.key("options").index(j),
                    None,
                    RuleErrorKind::Duplicate {
                        what: "option",
                        id: option.clone(),
                    },
                );
            }
        }
        let source = match &f.source {
            None => FactSourceKind::Applicant,
            Some(s) => FactSourceKind::from_name(s).unwrap_or_else(|| {
                c.push(
                    path.key("source"),
                    None,
                    RuleErrorKind::NotAllowed {
                        value: s.clone(),
                        allowed: "applicant、data_sharing、e_licence".into(),
                    },
                );
                FactSourceKind::Applicant
            }),
        };
        let format = f.format.as_ref().and_then(|name| {
            let format = TextFormat::from_name(name);
            if format.is_none() {
                c.push(
                    path.key("format"),
                    None,
                    RuleErrorKind::NotAllowed {
                        value: name.clone(),
                        allowed: "居民身份证号、统一社会信用代码".into(),
                    },
                );
            } else if kind != FactKind::Text {
                c.invalid(path.key("format"), "only text facts have a format");
            }
            format
        });
        let min = bound(&mut c, path.key("min"), &f.min);
        let max = bound(&mut c, path.key("max"), &f.max);
        if (min.is_some() || max.is_some())
            && !matches!(kind, FactKind::Integer | FactKind::Decimal)
        {
            c.invalid(
                path.key("min"),
                "only integer and decimal facts have bounds",
            );
        }
        if let (Some(lo), Some(hi)) = (min, max)
            && lo > hi
        {
            c.invalid(path.key("max"), "`max` is less than `min`");
        }
        facts.push(FactDef {
            name: f.name.clone(),
            kind,
            question: f.question.clone(),
            options,
            source,
            format,
            min,
            max,
        });
    }
    let licence_fact = u16::try_from(facts.len()).unwrap_or(u16::MAX);
    fact_index.insert(LICENCE_FACT.to_string(), licence_fact);
    facts.push(FactDef {
        name: LICENCE_FACT.to_string(),
        kind: FactKind::EnumList,
        question: "渠道为申请人查到的电子证照".to_string(),
        options: licences.to_vec(),
        source: FactSourceKind::ELicence,
        format: None,
        min: None,
        max: None,
    });
    let builtin =
        |facts: &mut Vec<FactDef>, fact_index: &mut BTreeMap<String, u16>, def: FactDef| {
            let index = u16::try_from(facts.len()).unwrap_or(u16::MAX);
            fact_index.insert(def.name.clone(), index);
            facts.push(def);
            index
        };
    let missing_fact = builtin(
        &mut facts,
        &mut fact_index,
        FactDef {
            name: MISSING_FACT.to_string(),
            kind: FactKind::EnumList,
            question: "受理时申请人暂缺哪些材料？".to_string(),
            options: src.materials.iter().map(|m| m.name.clone()).collect(),
            source: FactSourceKind::Applicant,
            format: None,
            min: None,
            max: None,
        },
    );
    for (i, m) in src.materials.iter().enumerate() {
        if src
            .materials
            .get(..i)
            .is_some_and(|before| before.iter().any(|b| b.name == m.name))
        {
            c.push(
                root.key("materials").index(i).key("name"),
                None,
                RuleErrorKind::Duplicate {
                    what: "material name",
                    id: m.name.clone(),
                },
            );
        }
    }
    let offers_commitment = src.materials.iter().any(|m| m.commitment.is_some());
    let choice_fact = offers_commitment.then(|| {
        builtin(
            &mut facts,
            &mut fact_index,
            FactDef {
                name: COMMITMENT_FACT.to_string(),
                kind: FactKind::Bool,
                question: "是否选择以告知承诺方式办理（签署承诺书代替相关证明）？".to_string(),
                options: Vec::new(),
                source: FactSourceKind::Applicant,
                format: None,
                min: None,
                max: None,
            },
        )
    });
    let deferral_checks_credit = src.deferral.as_ref().is_some_and(|d| d.dishonest_excluded);
    let dishonesty_fact = (offers_commitment || deferral_checks_credit).then(|| {
        builtin(
            &mut facts,
            &mut fact_index,
            FactDef {
                name: DISHONESTY_FACT.to_string(),
                kind: FactKind::Bool,
                question: "申请人是否被列入严重失信主体名单或曾作出虚假承诺？".to_string(),
                options: Vec::new(),
                source: FactSourceKind::DataSharing,
                format: None,
                min: None,
                max: None,
            },
        )
    });
    let commitment_facts = choice_fact.zip(dishonesty_fact);

    for (i, domain) in m.restricted_domains.iter().enumerate() {
        c.one_of(
            mp.key("restricted_domains").index(i),
            domain,
            &RESTRICTED_DOMAINS,
        );
    }
    let mut special_procedures = Vec::with_capacity(src.special_procedures.len());
    for (i, p) in src.special_procedures.iter().enumerate() {
        let path = root.key("special_procedures").index(i);
        c.one_of(path.key("procedure"), &p.procedure, &SPECIAL_PROCEDURES);
        if src
            .special_procedures
            .get(..i)
            .is_some_and(|before| before.iter().any(|b| b.procedure == p.procedure))
        {
            c.push(
                path.key("procedure"),
                None,
                RuleErrorKind::Duplicate {
                    what: "special procedure",
                    id: p.procedure.clone(),
                },
            );
        }
        let basis = c.basis_refs(&path.key("basis"), &p.basis, &basis_index, true);
        let limit = p.limit.as_ref().map(|l| c.limit(path.key("limit"), l));
        special_procedures.push((p.procedure.clone(), basis, limit));
    }
    let procedures_fact = (!special_procedures.is_empty()).then(|| {
        let index = u16::try_from(facts.len()).unwrap_or(u16::MAX);
        fact_index.insert(PROCEDURES_FACT.to_string(), index);
        facts.push(FactDef {
            name: PROCEDURES_FACT.to_string(),
            kind: FactKind::Procedures,
            question: "已启动的不计入办理时限的特别程序及其起止日期".to_string(),
            options: special_procedures
                .iter()
                .map(|(name, _, _)| name.clone())
                .collect(),
            source: FactSourceKind::Agency,
            format: None,
            min: None,
            max: None,
        });
        index
    });
    let extension = src.extension.as_ref().map(|e| {
        let path = root.key("extension");
        c.text(path.key("approval"), &e.approval);
        let basis = c.basis_refs(&path.key("basis"), &e.basis, &basis_index, true);
        let limit = c.limit(path.key("limit"), &e.limit);
        if core::mem::discriminant(&limit) != core::mem::discriminant(&statutory) {
            c.invalid(
                path.key("limit"),
                "an extension counts in the same unit as the statutory limit",
            );
        }
        (limit, e.approval.clone(), basis)
    });
    if facts.len() > usize::from(u16::MAX) {
        c.invalid(root.key("facts"), "too many facts");
    }

    // [[situations]]: each sees only those above it, so definitions cannot loop.
    let mut situation_index = BTreeMap::new();
    let mut situations = Vec::with_capacity(src.situations.len());
    for (i, s) in src.situations.iter().enumerate() {
        let path = root.key("situations").index(i);
        c.identifier(path.key("name"), &s.name);
        if fact_index.contains_key(&s.name) || situation_index.contains_key(&s.name) {
            c.push(
                path.key("name"),
                None,
                RuleErrorKind::Duplicate {
                    what: "fact or situation name",
                    id: s.name.clone(),
                },
            );
        }
        let scope = Scope {
            facts: &facts,
            fact_index: &fact_index,
            situations: &situation_index,
        };
        let node = c
            .condition(path.key("when"), &s.when, &scope)
            .unwrap_or(Node::Bool(false));
        situation_index.insert(s.name.clone(), u16::try_from(i).unwrap_or(u16::MAX));
        situations.push((s.name.clone(), node));
    }
    let scope = Scope {
        facts: &facts,
        fact_index: &fact_index,
        situations: &situation_index,
    };

    // [[conditions]]
    let mut ids = BTreeMap::new();
    let mut conditions = Vec::with_capacity(src.conditions.len());
    for (i, k) in src.conditions.iter().enumerate() {
        let path = root.key("conditions").index(i);
        if ids.insert(k.id.as_str(), ()).is_some() {
            c.push(
                path.key("id"),
                None,
                RuleErrorKind::Duplicate {
                    what: "condition id",
                    id: k.id.clone(),
                },
            );
        }
        c.text(path.key("message"), &k.message);
        let basis = c.basis_refs(&path.key("basis"), &k.basis, &basis_index, true);
        let require = c.condition(path.key("require"), &k.require, &scope);
        let when = k
            .when
            .as_ref()
            .map(|w| c.condition(path.key("when"), w, &scope));
        let failed = crate::decision::FailedCondition {
            id: k.id.as_str().into(),
            message: k.message.as_str().into(),
            basis: short_citations(&cited, &basis),
        };
        conditions.push(Condition {
            failed_json: serde_json::to_string(&failed).unwrap_or_default().into(),
            id: failed.id,
            when: when.flatten(),
            require: require.unwrap_or(Node::Bool(true)),
            message: failed.message,
            basis: failed.basis,
        });
    }

    // [[materials]]
    let mut ids = BTreeMap::new();
    let mut materials = Vec::with_capacity(src.materials.len());
    for (i, m) in src.materials.iter().enumerate() {
        let path = root.key("materials").index(i);
        if ids.insert(m.id.as_str(), ()).is_some() {
            c.push(
                path.key("id"),
                None,
                RuleErrorKind::Duplicate {
                    what: "material id",
                    id: m.id.clone(),
                },
            );
        }
        c.text(path.key("name"), &m.name);
        if VAGUE
            .iter()
            .any(|v| m.name.trim() == *v || m.name.trim().ends_with(&alloc::format!("{v}等")))
        {
            c.invalid(path.key("name"), alloc::format!("`{}` does not say what to bring; name the material (no catch-all 其他/有关材料)", m.name));
        }
        c.one_of(path.key("form"), &m.form, &FORMS);
        c.one_of(path.key("medium"), &m.medium, &MEDIA);
        if m.copies == 0 {
            c.invalid(path.key("copies"), "at least one copy");
        }
        let basis = c.basis_refs(&path.key("basis"), &m.basis, &basis_index, true);
        let when = m
            .when
            .as_ref()
            .and_then(|w| c.condition(path.key("when"), w, &scope));
        if m.sharing.is_some() && m.issuer.is_none() {
            c.invalid(
                path.key("sharing"),
                "data sharing supplies materials issued by a government department: give `issuer`",
            );
        }
        let names = m.licence.as_ref().map(Names::as_slice).unwrap_or_default();
        let mut licence = Vec::with_capacity(names.len());
        for (j, name) in names.iter().enumerate() {
            let at = if matches!(m.licence, Some(Names::Many(_))) {
                path.key("licence").index(j)
            } else {
                path.key("licence")
            };
            match licences
                .iter()
                .position(|l| l == name)
                .and_then(|p| u16::try_from(p).ok())
            {
                Some(p) => licence.push((p, Text::from(name.as_str()))),
                None => c.push(
                    at,
                    None,
                    RuleErrorKind::UnknownLicence { name: name.clone() },
                ),
            }
        }
        let licence_holder = match &m.licence_holder {
            None => licence_fact,
            Some(holder) => {
                let found = fact_index.get(holder).copied().filter(|&i| {
                    facts.get(usize::from(i)).is_some_and(|f| {
                        f.kind == FactKind::EnumList
                            && f.source == FactSourceKind::ELicence
                            && f.options.as_slice() == licences
                    })
                });
                if found.is_none() {
                    c.invalid(
                        path.key("licence_holder"),
                        alloc::format!("`{holder}` is not a list of electronic licences (an enum_list fact with source = \"e_licence\" and no options)"),
                    );
                }
                if m.licence.is_none() {
                    c.invalid(
                        path.key("licence_holder"),
                        "give the `licence` types to look for",
                    );
                }
                found.unwrap_or(licence_fact)
            }
        };
        let cancelled = c.basis_refs(&path.key("cancelled"), &m.cancelled, &basis_index, false);
        materials.push(Material {
            id: m.id.as_str().into(),
            name: m.name.as_str().into(),
            form: m.form.as_str().into(),
            medium: m.medium.as_str().into(),
            copies: m.copies,
            basis: short_citations(&cited, &basis),
            when,
            issuer: m.issuer.as_deref().map(Into::into),
            sharing: m.sharing.as_deref().map(Into::into),
            licence,
            licence_holder,
            cancelled: cancelled
                .first()
                .and_then(|&i| cited.get(i))
                .map(|c| alloc::format!("《{}》{}", c.document, c.article).into()),
            note: m.note.as_deref().map(Into::into),
            key: m.key.unwrap_or(true),
            commitment: m.commitment.as_ref().map(|k| {
                c.text(path.key("commitment").key("text"), &k.text);
                c.text(path.key("commitment").key("consequence"), &k.consequence);
                if let Some(domain) = src.matter.restricted_domains.first() {
                    c.invalid(
                        path.key("commitment"),
                        alloc::format!("告知承诺制 cannot replace proofs in a matter touching {domain} (restricted_domains)"),
                    );
                }
                Commitment {
                    text: k.text.as_str().into(),
                    consequence: k.consequence.as_str().into(),
                }
            }),
        });
    }

    let deferral = src.deferral.as_ref().map(|d| {
        let path = root.key("deferral");
        c.text(path.key("commitment"), &d.commitment);
        let basis = c.basis_refs(&path.key("basis"), &d.basis, &basis_index, true);
        let period = c.limit(path.key("period"), &d.period);
        if src.materials.iter().all(|m| m.key != Some(false)) {
            c.invalid(path.clone(), "容缺 defers non-key materials: mark some material `key = false`");
        }
        for (j, id) in d.materials.iter().enumerate() {
            match src.materials.iter().find(|m| &m.id == id) {
                None => c.invalid(path.key("materials").index(j), alloc::format!("unknown material `{id}`")),
                Some(m) if m.key != Some(false) => c.invalid(
                    path.key("materials").index(j),
                    alloc::format!("`{id}` is a key material (关键材料) and cannot be deferred; mark it `key = false` if the law allows"),
                ),
                Some(_) => {}
            }
        }
        let materials = if d.materials.is_empty() {
            src.materials.iter().filter(|m| m.key == Some(false)).map(|m| m.id.clone()).collect()
        } else {
            d.materials.clone()
        };
        (period, d.commitment.clone(), basis, materials, d.dishonest_excluded)
    });
    let commitment_policy = match (&src.commitment, commitment_facts) {
        (Some(policy), Some(facts)) => Some((
            c.basis_refs(
                &root.key("commitment").key("basis"),
                &policy.basis,
                &basis_index,
                true,
            ),
            facts,
        )),
        (Some(_), None) => {
            c.invalid(
                root.key("commitment"),
                "no material has a `commitment` to offer",
            );
            None
        }
        (None, Some(_)) => {
            let at = src
                .materials
                .iter()
                .position(|m| m.commitment.is_some())
                .unwrap_or(0);
            c.invalid(
                root.key("materials").index(at).key("commitment"),
                "a commitment needs the matter's `[commitment]` section with the policy's basis",
            );
            None
        }
        (None, None) => None,
    };
    let fees = src
        .fees
        .as_ref()
        .map(|f| crate::fees::compile(&mut c, f, &basis_index, &cited, &scope));

    if !c.errors.is_empty() {
        return Err(c.errors);
    }
    let info_basis = setting_basis
        .iter()
        .filter_map(|&i| cited.get(i).cloned())
        .collect();
    let cite = |ids: &[usize]| -> Vec<Citation> {
        ids.iter().filter_map(|&i| cited.get(i).cloned()).collect()
    };
    let special_procedures = special_procedures
        .iter()
        .map(|(procedure, ids, limit)| SpecialProcedure {
            procedure: procedure.clone(),
            basis: cite(ids),
            limit: *limit,
        })
        .collect();
    let extension = extension.map(|(limit, approval, ids)| Extension {
        limit,
        approval,
        basis: cite(&ids),
    });
    let deferral =
        deferral.map(
            |(period, commitment, ids, materials, dishonest_excluded)| Deferral {
                period,
                commitment,
                basis: cite(&ids),
                materials,
                dishonest_excluded,
            },
        );
    let commitment =
        commitment_policy.map(|(ids, (choice, dishonesty))| (cite(&ids), choice, dishonesty));
    let condition_situations = read_situations(&conditions, &situations);
    Ok(Matter {
        info: MatterInfo {
            code: m.implementation_code.as_str().into(),
            basic_code: m.basic_code.as_str().into(),
            name: m.name.as_str().into(),
            kind: m.kind.as_str().into(),
            agency: m.agency.as_str().into(),
            levels: m.levels.clone(),
            basis: info_basis,
            statutory_limit: statutory,
            promised_limit: promised,
            handling: m.handling.as_str().into(),
            service_objects: m.service_objects.clone(),
            visits: m.visits,
            modes: m.modes.clone(),
        },
        version: crate::matter::Version {
            id: src.version.id.as_str().into(),
            effective,
        },
        file: file.to_string(),
        basis: cited,
        fact_index: crate::facts::NameIndex::new(&facts),
        condition_facts: read_facts(&conditions, &situations, &condition_situations, facts.len()),
        condition_situations,
        question_json: facts
            .iter()
            .map(|f| {
                serde_json::to_string(&crate::decision::Question::of(f))
                    .unwrap_or_default()
                    .into()
            })
            .collect(),
        facts,
        licence_fact,
        situations,
        conditions,
        materials,
        special_procedures,
        procedures_fact,
        extension,
        missing_fact,
        dishonesty_fact,
        deferral,
        commitment,
        fees,
    })
}

/// Per fact, whether the conditions read it, directly or through the situations they read.
fn read_facts(
    conditions: &[Condition],
    situations: &[(String, Node)],
    read_situations: &[bool],
    facts: usize,
) -> Vec<bool> {
    let mut read = alloc::vec![false; facts];
    let situation_nodes = situations
        .iter()
        .zip(read_situations)
        .filter(|(_, read)| **read)
        .map(|((_, node), _)| node);
    for node in conditions
        .iter()
        .flat_map(Condition::nodes)
        .chain(situation_nodes)
    {
        node.mark_facts(&mut read);
    }
    read
}

/// Per situation, whether `conditions` read it, directly or through other situations.
fn read_situations(conditions: &[Condition], situations: &[(String, Node)]) -> Vec<bool> {
    let mut read = alloc::vec![false; situations.len()];
    for node in conditions.iter().flat_map(Condition::nodes) {
        node.mark_situations(&mut read);
    }
    // A situation reads only those defined before it, so one pass from the last closes the set.
    for (i, (_, node)) in situations.iter().enumerate().rev() {
        if read.get(i).copied().unwrap_or(false) {
            node.mark_situations(&mut read);
        }
    }
    read
}
