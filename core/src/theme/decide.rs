//! The theme decision: each matter decided on its own, then one interview, one materials list,
//! one acceptance and one 一次性告知, the chained deadlines and the summed fees.

use alloc::collections::BTreeMap;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{Theme, ThemeMatter, theme_name};
use crate::calendar::CalendarError;
use crate::common::{Citation, Citations, Text};
use crate::decision::{Decision, Receipt};
use crate::deferral::{AcceptanceStatus, MISSING_FACT};
use crate::eligibility::{Question, Status};
use crate::error::{DecideError, FactError, FactErrorKind};
use crate::facts::{FactDef, FactKind, FactValue};
use crate::json::{self, SerializeError};
use crate::materials::{MaterialStatus, Route};
use crate::matter::Matter;
use crate::region::{Known, lies_in};
use crate::{Decimal, RuleSet};

/// A theme decision, exactly as every channel receives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThemeDecision {
    /// Which theme.
    pub theme: ThemeRef,
    /// The decision date, also the day of the one acceptance.
    pub on: NaiveDate,
    /// `ineligible` when a matter is, else `needs_facts` when a matter needs facts, else
    /// `eligible`.
    pub status: Status,
    /// The facts still to ask, each once, under the theme's names, in the matters' order;
    /// empty unless `status` is `needs_facts`.
    pub questions: Vec<Question>,
    /// Each matter's own decision, in the theme's order (prerequisites first).
    pub matters: Vec<ThemeMatterDecision>,
    /// The one materials list.
    pub materials: Vec<ThemeMaterial>,
    /// The one acceptance; present when the facts say which materials are missing
    /// (`缺少材料`, by theme material id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acceptance: Option<ThemeAcceptance>,
    /// The matters' fees and their sum.
    pub fees: ThemeFees,
    /// When each matter and the whole theme are due.
    pub deadline: ThemeDeadline,
    /// Fingerprints to confirm this decision by deciding again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipt: Option<Receipt>,
}

/// The theme a decision is for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThemeRef {
    /// Its code.
    pub code: Text,
    /// Its name.
    pub name: Text,
    /// The plans that make it one 一件事.
    pub basis: Citations,
    /// The region it was decided for (its matters are that region's implementations); absent
    /// when its matters name no region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<Text>,
}

/// One matter's own decision inside a theme decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThemeMatterDecision {
    /// The theme's key for the matter.
    pub key: Text,
    /// The keys of the matters it waits for.
    pub after: Vec<Text>,
    /// Its decision, as if decided alone with the theme's facts (without a receipt: the theme
    /// decision has one).
    pub decision: Decision,
}

/// What the applicant does about a material of the combined list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ThemeMaterialStatus {
    /// Bring it (some matter needs it brought).
    Submit,
    /// Not needed by any matter that asks for it (免证办).
    Exempt,
    /// No matter's situation calls for it.
    NotApplicable,
    /// Depends on a fact not yet answered.
    Undetermined,
    /// Accepted under 容缺受理 by every matter needing it: due later, see `due`.
    Deferred,
    /// Replaced by the applicant's commitment where needed (告知承诺制).
    Committed,
    /// Granted by an earlier matter of the theme: see `produced_by`.
    Produced,
}

/// One material of the combined list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThemeMaterial {
    /// The theme's id: the theme file's, or `<matter key>.<material id>`.
    pub id: Text,
    /// Its name.
    pub name: Text,
    /// The most demanding form asked: 原件, 复印件 or 原件和复印件.
    pub form: Text,
    /// The most demanding medium: 纸质, 电子, 纸质或电子 (or 纸质和电子 when one matter asks paper
    /// and another an electronic copy).
    pub medium: Text,
    /// The most copies a matter asks.
    pub copies: u32,
    /// 关键材料 for some matter.
    pub key: bool,
    /// What the applicant does.
    pub status: ThemeMaterialStatus,
    /// For `produced`: the key of the matter that grants it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub produced_by: Option<Text>,
    /// For `deferred`: the latest day a matter wants it by.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<NaiveDate>,
    /// Each matter's material it stands for, with that matter's status and basis.
    pub serves: Vec<ThemeServe>,
}

/// A matter's material in the combined list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThemeServe {
    /// The matter's key.
    pub matter: Text,
    /// The material's id in that matter.
    pub material: Text,
    /// Its status in that matter's own decision.
    pub status: MaterialStatus,
    /// For `exempt`: how.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub route: Option<Route>,
    /// Its basis in that matter.
    pub basis: Citations,
}

/// The one acceptance of a theme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThemeAcceptance {
    /// `not_accepted` when a matter's is, else `pending` when a matter's is, else
    /// `accepted_with_deferral` when a matter defers, else `accepted`.
    pub status: AcceptanceStatus,
    /// Why not accepted: `ineligible` or `missing_materials`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Theme material ids deferred (容缺).
    pub deferred: Vec<Text>,
    /// 一次性告知: every material missing, once, with the matters that need it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notice: Vec<ThemeNoticeItem>,
}

/// One line of the theme's one-time notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThemeNoticeItem {
    /// The theme material id.
    pub id: Text,
    /// Its name.
    pub name: Text,
    /// Form, medium and copies, as in the materials list.
    pub form: Text,
    /// Medium.
    pub medium: Text,
    /// Copies.
    pub copies: u32,
    /// 关键材料 for some matter.
    pub key: bool,
    /// The matters that need it.
    pub matters: Vec<Text>,
}

/// The fees of a theme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThemeFees {
    /// The sum of the matters' totals; absent while one is undetermined.
    #[serde(
        default,
        with = "crate::decimal_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub total: Option<Decimal>,
    /// Each matter's total (its items are in its decision's `fees`).
    pub matters: Vec<ThemeMatterFee>,
}

/// One matter's fees in a theme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThemeMatterFee {
    /// The matter's key.
    pub matter: Text,
    /// Its total; absent while undetermined.
    #[serde(
        default,
        with = "crate::decimal_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub total: Option<Decimal>,
}

/// The deadlines of a theme accepted on its decision date: matters without a prerequisite
/// counted from that acceptance in parallel (并联审批), each other matter from the day its
/// last prerequisite is due (end to end), on the working-day calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThemeDeadline {
    /// The day of the one acceptance.
    pub accepted_on: NaiveDate,
    /// The latest promised due date of the matters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub promised_due: Option<NaiveDate>,
    /// The latest statutory due date of the matters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statutory_due: Option<NaiveDate>,
    /// Why a due date cannot be given (outside the calendar).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<CalendarError>,
    /// Each matter's start and due dates.
    pub matters: Vec<ThemeMatterDue>,
}

/// One matter's place in the theme's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThemeMatterDue {
    /// The matter's key.
    pub matter: Text,
    /// The day its promised limit counts from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub promised_from: Option<NaiveDate>,
    /// Its promised due date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub promised_due: Option<NaiveDate>,
    /// The day its statutory limit counts from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statutory_from: Option<NaiveDate>,
    /// Its statutory due date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statutory_due: Option<NaiveDate>,
}

impl ThemeDecision {
    /// The canonical JSON text: the bytes every channel must produce for this decision.
    pub fn to_json(&self) -> Result<String, SerializeError> {
        json::to_json(self, "the theme decision")
    }
}

/// The theme's facts on one date: each theme fact's definition and, per matter, which theme
/// fact each of its facts is.
struct Schema<'a> {
    defs: Vec<FactDef>,
    /// Theme fact name to its number in `defs`.
    index: BTreeMap<&'a str, usize>,
    /// Per matter, per matter fact (in the matter's order): the theme fact's number.
    of: Vec<Vec<Option<usize>>>,
}

/// A material slot of the combined list: its id and name, and the matters' materials in it.
struct Slot {
    id: Text,
    name: Text,
    produced_by: Option<usize>,
    /// (matter number, material number in that matter).
    parts: Vec<(usize, usize)>,
}

impl Theme {
    /// The theme's facts for the matter versions in force.
    fn schema<'a>(&'a self, versions: &[&'a Matter]) -> Schema<'a> {
        let mut defs: Vec<FactDef> = Vec::new();
        let mut index: BTreeMap<&str, usize> = BTreeMap::new();
        let mut of = Vec::with_capacity(versions.len());
        for (tm, matter) in self.matters.iter().zip(versions) {
            let mut mine = Vec::with_capacity(matter.facts().len());
            for def in matter.facts() {
                let Some(name) = theme_name(tm, &def.name) else {
                    mine.push(None);
                    continue;
                };
                let n = match index.get(name) {
                    Some(&n) => {
                        if let Some(shared) = defs.get_mut(n) {
                            narrow(shared, def);
                        }
                        n
                    }
                    None => {
                        let mut shared = def.clone();
                        shared.name = name.to_string();
                        if let Some((_, q)) = self.questions.iter().find(|(f, _)| f == name) {
                            shared.question.clone_from(q);
                        }
                        defs.push(shared);
                        let n = defs.len().saturating_sub(1);
                        index.insert(name, n);
                        n
                    }
                };
                mine.push(Some(n));
            }
            of.push(mine);
        }
        Schema { defs, index, of }
    }

    /// The combined materials list's slots: every matter's materials in the theme's order, a
    /// material the theme file names at its first matter's place.
    fn slots(&self, versions: &[&Matter]) -> Vec<Slot> {
        let mut slots: Vec<Slot> = Vec::new();
        // The slot of each material the theme file names, once it has one.
        let mut named: Vec<Option<usize>> = alloc::vec![None; self.materials.len()];
        for (m, (tm, matter)) in self.matters.iter().zip(versions).enumerate() {
            for (i, material) in matter.materials.iter().enumerate() {
                let mapped = self
                    .material_of
                    .iter()
                    .find(|(mm, id, _)| *mm == m && **id == *material.id)
                    .map(|&(_, _, t)| t);
                match mapped {
                    Some(t) => match named
                        .get(t)
                        .copied()
                        .flatten()
                        .and_then(|s| slots.get_mut(s))
                    {
                        Some(slot) => slot.parts.push((m, i)),
                        None => {
                            let Some(n) = self.materials.get(t) else {
                                continue;
                            };
                            if let Some(at) = named.get_mut(t) {
                                *at = Some(slots.len());
                            }
                            slots.push(Slot {
                                id: n.id.clone(),
                                name: n.name.clone(),
                                produced_by: n.produced_by,
                                parts: alloc::vec![(m, i)],
                            });
                        }
                    },
                    None => slots.push(Slot {
                        id: alloc::format!("{}.{}", tm.key, material.id).into(),
                        name: material.name.clone(),
                        produced_by: None,
                        parts: alloc::vec![(m, i)],
                    }),
                }
            }
        }
        slots
    }
}

/// Narrows a theme fact's options to those every matter accepts.
fn narrow(shared: &mut FactDef, other: &FactDef) {
    if matches!(shared.kind, FactKind::Enum | FactKind::EnumList)
        && !shared.options.is_empty()
        && !other.options.is_empty()
    {
        shared.options.retain(|o| other.options.contains(o));
    }
}

/// The theme fact name of a matter's fact path (`经营场所类型` or `电子证照[1]`).
fn theme_path(path: &str, matter_fact: &str, theme_fact: &str) -> String {
    match path.strip_prefix(matter_fact) {
        Some(rest) if rest.is_empty() || rest.starts_with(['[', '.']) => {
            alloc::format!("{theme_fact}{rest}")
        }
        _ => path.to_string(),
    }
}

/// The application of a theme: each matter in force, its checked facts.
struct Application<'r> {
    /// The region decided for.
    region: Option<Text>,
    versions: Vec<&'r Matter>,
    values: Vec<Vec<Option<FactValue>>>,
    schema: Schema<'r>,
    slots: Vec<Slot>,
    /// Slot numbers the applicant lacks, when `缺少材料` is given.
    lacking: Option<Vec<usize>>,
}

impl RuleSet {
    /// Every theme, in file order; in an opened catalogue each is compiled now if it is not
    /// yet, with its matters.
    pub fn themes(&self) -> Result<Vec<super::ThemeInfo>, DecideError> {
        self.themes
            .iter()
            .map(|slot| self.compiled_theme(slot).map(|t| t.info.clone()))
            .collect()
    }

    /// The theme with `code`, compiled now if it is not yet.
    pub fn theme(&self, code: &str) -> Result<&Theme, DecideError> {
        let slot = self
            .themes
            .iter()
            .find(|t| t.code() == code)
            .ok_or_else(|| DecideError::UnknownTheme {
                code: code.to_string(),
            })?;
        self.compiled_theme(slot)
    }

    /// The numbers of every version of every matter a theme names, ascending (so by code,
    /// then date): what its check needs compiled.
    pub(crate) fn theme_versions(
        &self,
        slot: &super::ThemeSlot,
    ) -> Result<Vec<usize>, DecideError> {
        let store = self.store.as_ref().map(|s| &*s.0);
        let failed = |e| DecideError::Matter(alloc::boxed::Box::new(e));
        let named = &slot.file.source.matters;
        let mut out = Vec::new();
        if named.iter().all(|n| n.code.is_some()) {
            // By 实施编码: only their pages of the index.
            for code in named.iter().filter_map(|n| n.code.as_deref()) {
                out.extend(self.matters.versions(code, store).map_err(failed)?);
            }
            out.sort_unstable();
            out.dedup();
            return Ok(out);
        }
        // Every implementation of a base (one a region): looked for in every page.
        let entries = self.matters.all(store).map_err(failed)?;
        for (i, e) in entries.iter().enumerate() {
            let wanted = named.iter().any(|n| match (&n.code, &n.base) {
                (Some(code), _) => **code == *e.code,
                (None, Some(base)) => **base == *e.basic_code && e.region.is_some(),
                (None, None) => false,
            });
            if wanted {
                out.push(i);
            }
        }
        Ok(out)
    }

    fn compiled_theme<'r>(&'r self, slot: &'r super::ThemeSlot) -> Result<&'r Theme, DecideError> {
        slot.compiled.get_or_try_init(|| {
            let matters = self
                .theme_versions(slot)?
                .into_iter()
                .map(|i| self.matter_at(i))
                .collect::<Result<Vec<_>, _>>()?;
            super::compile(&slot.file.file, &slot.file.source, &matters)
                .map(alloc::boxed::Box::new)
                .map_err(|errors| {
                    DecideError::Matter(alloc::boxed::Box::new(crate::error::MatterError {
                        code: slot.code().to_string(),
                        file: slot.file.file.clone(),
                        hash: String::new(),
                        kind: crate::error::MatterErrorKind::Rules { errors },
                    }))
                })
        })
    }

    /// The facts a theme asks on `on`, under its names: each matter's facts once (a theme fact
    /// that matters define with different options takes only the options all accept), without
    /// those a prerequisite settles; `缺少材料` (a list of the ids of [`ThemeDecision::materials`])
    /// is not among them.
    pub fn theme_facts(
        &self,
        code: &str,
        region: Option<&str>,
        on: NaiveDate,
    ) -> Result<Vec<FactDef>, DecideError> {
        let theme = self.theme(code)?;
        let (versions, _) = self.theme_matters_in(theme, region, on)?;
        Ok(theme.schema(&versions).defs)
    }

    /// The themes offered in `region` (a name or a 行政区划代码): those whose file declares it,
    /// or a region that encloses it (a theme offered in 西安市 is offered in 西安市雁塔区, 610113),
    /// names becoming codes through the catalogue (see [`crate::region`]).
    pub fn themes_in(&self, region: &str) -> Result<Vec<super::ThemeInfo>, DecideError> {
        let mut out = self.themes()?;
        let places = self
            .matters
            .places(self.store.as_ref().map(|s| &*s.0))
            .map_err(|e| DecideError::Matter(alloc::boxed::Box::new(e)))?;
        let inner = places.known(region);
        out.retain(|t| {
            t.regions.iter().any(|r| {
                **r == *region
                    || match (inner, places.known(r)) {
                        (Known::Code(inner), Known::Code(outer)) => lies_in(inner, outer),
                        _ => false,
                    }
            })
        });
        Ok(out)
    }

    /// The version in force on `on` of each matter of `theme` in `region` (without one: the
    /// theme's only region, if it has exactly one), and the region used.
    fn theme_matters_in<'r>(
        &'r self,
        theme: &Theme,
        region: Option<&str>,
        on: NaiveDate,
    ) -> Result<(Vec<&'r Matter>, Option<Text>), DecideError> {
        let region: Option<Text> = match (region, theme.info.regions.as_slice()) {
            (Some(r), _) => Some(r.into()),
            (None, [only]) => Some(only.clone()),
            (None, regions) if theme.matters.iter().any(|m| m.by_base) => {
                let mut named = Vec::with_capacity(regions.len());
                for r in regions {
                    named.push(r.to_string());
                }
                return Err(DecideError::RegionNeeded {
                    theme: theme.info.code.to_string(),
                    regions: named,
                });
            }
            (None, _) => None,
        };
        let mut versions = Vec::with_capacity(theme.matters.len());
        for m in &theme.matters {
            let code = match region.as_deref() {
                None => m.code.clone(),
                // A 实施编码 names one region's implementation: deciding it for another region
                // would silently apply that region's rules, so it must be the region's own.
                Some(r) => match self.code_in_region(&m.code, r) {
                    Ok(code) if m.by_base || code == m.code => code,
                    // Two implementations equally near (never guessed between), a region the
                    // catalogue cannot place: named as such.
                    Err(
                        e @ (DecideError::ImplementationsTie { .. }
                        | DecideError::UnknownRegion { .. }
                        | DecideError::Matter(_)),
                    ) => return Err(e),
                    _ => {
                        return Err(DecideError::NotInRegion {
                            theme: theme.info.code.to_string(),
                            region: r.to_string(),
                            matter: m.key.to_string(),
                        });
                    }
                },
            };
            versions.push(self.matter(&code, on)?);
        }
        Ok((versions, region))
    }

    /// Decides a theme for facts given as JSON text (theme fact names; `缺少材料` lists theme
    /// material ids), with its receipt.
    pub fn decide_theme_json(
        &self,
        code: &str,
        region: Option<&str>,
        facts: &str,
        on: NaiveDate,
    ) -> Result<ThemeDecision, DecideError> {
        let facts = crate::parse_facts(facts).map_err(|e| DecideError::Facts {
            errors: alloc::vec![e],
        })?;
        self.decide_theme(code, region, &facts, on)
    }

    /// Decides a theme for facts given as a JSON object, with its receipt, with the
    /// implementations of `region` of the matters it names by 基本编码 (without a region: the
    /// theme's only region, if it has exactly one).
    pub fn decide_theme(
        &self,
        code: &str,
        region: Option<&str>,
        facts: &Map<String, Value>,
        on: NaiveDate,
    ) -> Result<ThemeDecision, DecideError> {
        let theme = self.theme(code)?;
        let application = self.theme_application(theme, region, facts, on)?;
        let mut decision = self.theme_decision(theme, &application, on)?;
        let bare = decision.to_json()?;
        let mut canonical = String::from("[");
        for (i, (tm, (matter, values))) in theme
            .matters
            .iter()
            .zip(application.versions.iter().zip(&application.values))
            .enumerate()
        {
            if i > 0 {
                canonical.push(',');
            }
            canonical.push('[');
            canonical.push_str(&json::to_json(&*tm.key, "a matter key")?);
            canonical.push(',');
            canonical.push_str(&matter.canonical_facts(values)?);
            canonical.push(']');
        }
        canonical.push(']');
        decision.receipt = Some(Receipt::of_json(
            &self.hash,
            &self.receipt_key,
            &canonical,
            &bare,
        ));
        Ok(decision)
    }

    /// [`RuleSet::decide_theme`] without the receipt, for bulk work.
    pub fn evaluate_theme(
        &self,
        code: &str,
        region: Option<&str>,
        facts: &Map<String, Value>,
        on: NaiveDate,
    ) -> Result<ThemeDecision, DecideError> {
        let theme = self.theme(code)?;
        let application = self.theme_application(theme, region, facts, on)?;
        self.theme_decision(theme, &application, on)
    }

    /// Looks up the matters in force and splits the theme's facts into each matter's, every
    /// problem reported under the theme's fact names.
    fn theme_application<'r>(
        &'r self,
        theme: &'r Theme,
        region: Option<&str>,
        facts: &Map<String, Value>,
        on: NaiveDate,
    ) -> Result<Application<'r>, DecideError> {
        let (versions, region) = self.theme_matters_in(theme, region, on)?;
        let schema = theme.schema(&versions);
        let slots = theme.slots(&versions);
        let mut errors = Vec::new();
        let mut lacking = None;
        let mut given: Vec<Option<&Value>> = alloc::vec![None; schema.defs.len()];
        for (name, value) in facts {
            if name == MISSING_FACT {
                lacking = read_lacking(value, &slots, &mut errors);
            } else if let Some(&n) = schema.index.get(name.as_str()) {
                if let Some(slot) = given.get_mut(n) {
                    *slot = Some(value);
                }
            } else {
                let asked_as = theme
                    .matters
                    .iter()
                    .find_map(|m| m.renamed.iter().find(|(f, _)| f == name).map(|(_, t)| t));
                insert_sorted(
                    &mut errors,
                    FactError {
                        path: name.clone(),
                        kind: match asked_as {
                            Some(as_name) => FactErrorKind::AskedAs {
                                name: as_name.clone(),
                            },
                            None => FactErrorKind::NotInTheme,
                        },
                    },
                );
            }
        }
        let mut values = Vec::with_capacity(versions.len());
        for (m, (tm, matter)) in theme.matters.iter().zip(&versions).enumerate() {
            let map = matter_facts(m, tm, matter, &schema, &given, &slots, lacking.as_deref());
            match matter.check_facts(&map) {
                Ok(v) => values.push(v),
                Err(found) => {
                    for e in found {
                        insert_sorted(&mut errors, rename_error(e, matter, tm));
                    }
                }
            }
        }
        if !errors.is_empty() {
            return Err(DecideError::Facts { errors });
        }
        Ok(Application {
            region,
            versions,
            values,
            schema,
            slots,
            lacking,
        })
    }

    /// Decides each matter, then combines.
    fn theme_decision(
        &self,
        theme: &Theme,
        application: &Application<'_>,
        on: NaiveDate,
    ) -> Result<ThemeDecision, DecideError> {
        let mut decisions = Vec::with_capacity(application.versions.len());
        for (matter, values) in application.versions.iter().zip(&application.values) {
            decisions.push(matter.decide_checked(values, on, &self.calendar)?);
        }
        let status = if decisions.iter().any(|d| d.status == Status::Ineligible) {
            Status::Ineligible
        } else if decisions.iter().any(|d| d.status == Status::NeedsFacts) {
            Status::NeedsFacts
        } else {
            Status::Eligible
        };
        let questions = if status == Status::NeedsFacts {
            questions(theme, application, &decisions)
        } else {
            Vec::new()
        };
        let materials = materials(theme, application, &decisions);
        let acceptance = application
            .lacking
            .as_ref()
            .map(|lacking| acceptance(theme, application, lacking, &decisions, &materials));
        let fees = fees(theme, &decisions)?;
        let deadline = deadline(theme, &application.versions, &decisions, &self.calendar, on);
        let matters = theme
            .matters
            .iter()
            .zip(decisions)
            .map(|(tm, decision)| ThemeMatterDecision {
                key: tm.key.clone(),
                after: keys(theme, &tm.after),
                decision,
            })
            .collect();
        Ok(ThemeDecision {
            theme: ThemeRef {
                code: theme.info.code.clone(),
                name: theme.info.name.clone(),
                basis: theme
                    .info
                    .basis
                    .iter()
                    .map(|c| Citation {
                        document: c.document.clone(),
                        article: c.article.clone(),
                        excerpt: None,
                        unverified: c.unverified,
                    })
                    .collect(),
                region: application.region.clone(),
            },
            on,
            status,
            questions,
            matters,
            materials,
            acceptance,
            fees,
            deadline,
            receipt: None,
        })
    }
}

/// The keys of the matters numbered `numbers`.
fn keys(theme: &Theme, numbers: &[usize]) -> Vec<Text> {
    numbers
        .iter()
        .filter_map(|&a| theme.matters.get(a).map(|m| m.key.clone()))
        .collect()
}

/// Adds `e` to `errors` kept in path order (stable), unless the same error is there: one theme
/// fact wrong for two matters is one error. Insertion rather than a sort: there are few errors,
/// and a sort's code is large in the WebAssembly module.
fn insert_sorted(errors: &mut Vec<FactError>, e: FactError) {
    let at = errors.partition_point(|x| x.path <= e.path);
    let same_path = errors.get(..at).unwrap_or_default();
    if !same_path
        .iter()
        .rev()
        .take_while(|x| x.path == e.path)
        .any(|x| *x == e)
    {
        errors.insert(at, e);
    }
}

/// Reads `缺少材料`: a list of theme material ids.
fn read_lacking(value: &Value, slots: &[Slot], errors: &mut Vec<FactError>) -> Option<Vec<usize>> {
    let options = || {
        let ids: Vec<&str> = slots.iter().map(|s| &*s.id).collect();
        ids.join(", ")
    };
    match value {
        Value::Null => None,
        Value::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                let path = alloc::format!("{MISSING_FACT}[{i}]");
                let found = item
                    .as_str()
                    .and_then(|id| slots.iter().position(|s| *s.id == *id));
                match found {
                    Some(n) if out.contains(&n) => insert_sorted(
                        errors,
                        FactError {
                            path,
                            kind: FactErrorKind::Repeated {
                                option: item.as_str().unwrap_or_default().to_string(),
                            },
                        },
                    ),
                    Some(n) => {
                        let at = out.partition_point(|&x| x < n);
                        out.insert(at, n);
                    }
                    None => insert_sorted(
                        errors,
                        FactError {
                            path,
                            kind: FactErrorKind::NotAnOption { options: options() },
                        },
                    ),
                }
            }
            Some(out)
        }
        _ => {
            insert_sorted(
                errors,
                FactError {
                    path: MISSING_FACT.to_string(),
                    kind: FactErrorKind::WrongType {
                        expected: "a list of theme material ids",
                        found: "another JSON value",
                    },
                },
            );
            None
        }
    }
}

/// One matter's facts: the theme's answers under the matter's names, what its prerequisites
/// settle, and its own `缺少材料` (the names of its materials in lacking slots that no earlier
/// matter produces).
fn matter_facts(
    m: usize,
    tm: &ThemeMatter,
    matter: &Matter,
    schema: &Schema,
    given: &[Option<&Value>],
    slots: &[Slot],
    lacking: Option<&[usize]>,
) -> Map<String, Value> {
    let mut map = Map::new();
    let of = schema.of.get(m).map(Vec::as_slice).unwrap_or_default();
    for (def, n) in matter.facts().iter().zip(of) {
        if let Some(value) = n.and_then(|n| given.get(n).copied().flatten()) {
            map.insert(def.name.clone(), value.clone());
        }
    }
    for (fact, value) in &tm.supplies {
        map.insert(fact.clone(), value.clone());
    }
    if let Some(lacking) = lacking {
        let mut names = Vec::new();
        for slot in lacking.iter().filter_map(|&s| slots.get(s)) {
            if slot.produced_by.is_some() {
                continue;
            }
            for &(pm, pi) in &slot.parts {
                if pm == m
                    && let Some(material) = matter.materials.get(pi)
                {
                    names.push(Value::String(material.name.to_string()));
                }
            }
        }
        map.insert(MISSING_FACT.to_string(), Value::Array(names));
    }
    map
}

/// A matter's fact error, under the theme's name for the fact.
fn rename_error(e: FactError, matter: &Matter, tm: &ThemeMatter) -> FactError {
    for def in matter.facts() {
        if let Some(name) = theme_name(tm, &def.name)
            && name != def.name
            && e.path
                .strip_prefix(def.name.as_str())
                .is_some_and(|r| r.is_empty() || r.starts_with(['[', '.']))
        {
            return FactError {
                path: theme_path(&e.path, &def.name, name),
                kind: e.kind,
            };
        }
    }
    e
}

/// The questions of every matter, each theme fact once, in the theme's matter order.
fn questions(
    theme: &Theme,
    application: &Application<'_>,
    decisions: &[Decision],
) -> Vec<Question> {
    let mut asked = alloc::vec![false; application.schema.defs.len()];
    let mut order: Vec<usize> = Vec::new();
    for (tm, decision) in theme.matters.iter().zip(decisions) {
        for q in &decision.questions {
            let n = theme_name(tm, &q.fact)
                .and_then(|name| application.schema.index.get(name).copied());
            if let Some(n) = n
                && let Some(flag) = asked.get_mut(n)
                && !*flag
            {
                *flag = true;
                order.push(n);
            }
        }
    }
    let mut out = Vec::with_capacity(order.len());
    for n in order {
        if let Some(def) = application.schema.defs.get(n) {
            out.push(Question::of(def));
        }
    }
    out
}

/// The combined materials list.
fn materials(
    theme: &Theme,
    application: &Application<'_>,
    decisions: &[Decision],
) -> Vec<ThemeMaterial> {
    let mut out = Vec::with_capacity(application.slots.len());
    for slot in &application.slots {
        let mut serves = Vec::with_capacity(slot.parts.len());
        let mut lines = Vec::with_capacity(slot.parts.len());
        for &(m, i) in &slot.parts {
            let (Some(tm), Some(line)) = (
                theme.matters.get(m),
                decisions.get(m).and_then(|d| d.materials.get(i)),
            ) else {
                continue;
            };
            serves.push(ThemeServe {
                matter: tm.key.clone(),
                material: line.id.clone(),
                status: line.status,
                route: line.route,
                basis: line.basis.clone(),
            });
            lines.push(line);
        }
        let applicable: Vec<_> = lines
            .iter()
            .filter(|l| l.status != MaterialStatus::NotApplicable)
            .copied()
            .collect();
        let shown = if applicable.is_empty() {
            &lines
        } else {
            &applicable
        };
        let original = shown.iter().any(|l| l.form.contains("原件"));
        let copy = shown.iter().any(|l| l.form.contains("复印件"));
        let form = match (original, copy) {
            (true, true) => "原件和复印件",
            (true, false) => "原件",
            _ => "复印件",
        };
        let paper = shown.iter().any(|l| &*l.medium == "纸质");
        let electronic = shown.iter().any(|l| &*l.medium == "电子");
        let medium = match (paper, electronic) {
            (true, true) => "纸质和电子",
            (true, false) => "纸质",
            (false, true) => "电子",
            (false, false) => "纸质或电子",
        };
        let produced = slot.produced_by.filter(|&p| {
            !applicable.is_empty()
                && decisions
                    .get(p)
                    .is_some_and(|d| d.status != Status::Ineligible)
        });
        let status = match produced {
            Some(_) => ThemeMaterialStatus::Produced,
            None => combined(&applicable),
        };
        out.push(ThemeMaterial {
            id: slot.id.clone(),
            name: slot.name.clone(),
            form: form.into(),
            medium: medium.into(),
            copies: shown.iter().map(|l| l.copies).max().unwrap_or(1),
            key: shown.iter().any(|l| l.key),
            status,
            produced_by: produced.and_then(|p| theme.matters.get(p).map(|m| m.key.clone())),
            due: if status == ThemeMaterialStatus::Deferred {
                applicable.iter().filter_map(|l| l.due).max()
            } else {
                None
            },
            serves,
        });
    }
    out
}

/// The combined status of the applicable lines of one material: the most demanding.
fn combined(lines: &[&crate::materials::MaterialDecision]) -> ThemeMaterialStatus {
    let any = |s: MaterialStatus| lines.iter().any(|l| l.status == s);
    if lines.is_empty() {
        ThemeMaterialStatus::NotApplicable
    } else if any(MaterialStatus::Undetermined) {
        ThemeMaterialStatus::Undetermined
    } else if any(MaterialStatus::Submit) {
        ThemeMaterialStatus::Submit
    } else if any(MaterialStatus::Deferred) {
        ThemeMaterialStatus::Deferred
    } else if any(MaterialStatus::Committed) {
        ThemeMaterialStatus::Committed
    } else {
        ThemeMaterialStatus::Exempt
    }
}

/// The one acceptance, from the matters' own.
fn acceptance(
    theme: &Theme,
    application: &Application<'_>,
    lacking: &[usize],
    decisions: &[Decision],
    materials: &[ThemeMaterial],
) -> ThemeAcceptance {
    let statuses: Vec<Option<&crate::deferral::Acceptance>> =
        decisions.iter().map(|d| d.acceptance.as_ref()).collect();
    let any = |s: AcceptanceStatus| statuses.iter().flatten().any(|a| a.status == s);
    let status = if any(AcceptanceStatus::NotAccepted) {
        AcceptanceStatus::NotAccepted
    } else if any(AcceptanceStatus::Pending) {
        AcceptanceStatus::Pending
    } else if any(AcceptanceStatus::AcceptedWithDeferral) {
        AcceptanceStatus::AcceptedWithDeferral
    } else {
        AcceptanceStatus::Accepted
    };
    let reason = (status == AcceptanceStatus::NotAccepted).then(|| {
        if decisions.iter().any(|d| d.status == Status::Ineligible) {
            "ineligible".to_string()
        } else {
            "missing_materials".to_string()
        }
    });
    let notice = if reason.as_deref() == Some("missing_materials") {
        lacking
            .iter()
            .filter_map(|&s| Some((application.slots.get(s)?, materials.get(s)?)))
            .filter(|(_, m)| {
                !matches!(
                    m.status,
                    ThemeMaterialStatus::NotApplicable
                        | ThemeMaterialStatus::Produced
                        | ThemeMaterialStatus::Exempt
                )
            })
            .map(|(slot, m)| ThemeNoticeItem {
                id: m.id.clone(),
                name: m.name.clone(),
                form: m.form.clone(),
                medium: m.medium.clone(),
                copies: m.copies,
                key: m.key,
                matters: needing(theme, slot, decisions),
            })
            .collect()
    } else {
        Vec::new()
    };
    let deferred = materials
        .iter()
        .filter(|m| m.status == ThemeMaterialStatus::Deferred)
        .map(|m| m.id.clone())
        .collect();
    ThemeAcceptance {
        status,
        reason,
        deferred,
        notice,
    }
}

/// The keys of the matters for which a slot's material applies.
fn needing(theme: &Theme, slot: &Slot, decisions: &[Decision]) -> Vec<Text> {
    let mut out: Vec<Text> = Vec::new();
    for &(m, i) in &slot.parts {
        let applies = decisions
            .get(m)
            .and_then(|d| d.materials.get(i))
            .is_some_and(|l| l.status != MaterialStatus::NotApplicable);
        if let Some(tm) = theme.matters.get(m).filter(|_| applies)
            && !out.contains(&tm.key)
        {
            out.push(tm.key.clone());
        }
    }
    out
}

/// The fees of each matter and their sum.
fn fees(theme: &Theme, decisions: &[Decision]) -> Result<ThemeFees, DecideError> {
    let mut total = Some(Decimal::ZERO);
    let mut matters = Vec::with_capacity(decisions.len());
    for (tm, d) in theme.matters.iter().zip(decisions) {
        // A matter whose rules state no fees adds nothing it could be asked to pay.
        let own = match &d.fees {
            Some(f) => f.total,
            None => Some(Decimal::ZERO),
        };
        total = match (total, own) {
            (Some(t), Some(o)) => Some(t.checked_add(o).ok_or_else(|| DecideError::Overflow {
                place: "fees".into(),
            })?),
            _ => None,
        };
        matters.push(ThemeMatterFee {
            matter: tm.key.clone(),
            total: own,
        });
    }
    Ok(ThemeFees { total, matters })
}

/// The chained deadlines: a matter starts on the day its last prerequisite is due.
fn deadline(
    theme: &Theme,
    versions: &[&Matter],
    decisions: &[Decision],
    calendar: &crate::calendar::Calendar,
    on: NaiveDate,
) -> ThemeDeadline {
    let mut dues: Vec<ThemeMatterDue> = Vec::with_capacity(versions.len());
    let mut error = None;
    for ((tm, matter), decided) in theme.matters.iter().zip(versions).zip(decisions) {
        let from = |pick: fn(&ThemeMatterDue) -> Option<NaiveDate>| {
            tm.after.iter().try_fold(on, |latest, &a| {
                let due = dues.get(a).and_then(pick)?;
                Some(latest.max(due))
            })
        };
        let promised_from = from(|d| d.promised_due);
        let statutory_from = from(|d| d.statutory_due);
        // The limits of the route each matter's own decision applied; none for a matter not
        // accepted (its limit runs from an acceptance that has not happened).
        let counted = |from: Option<NaiveDate>| {
            from.and_then(|f| matter.deadline_as_decided(calendar, f, decided))
        };
        let promised = counted(promised_from).map(|d| d.promised);
        let statutory = counted(statutory_from).map(|d| d.statutory);
        for due in [&promised, &statutory].into_iter().flatten() {
            if error.is_none() {
                error.clone_from(&due.error);
            }
        }
        dues.push(ThemeMatterDue {
            matter: tm.key.clone(),
            promised_from,
            promised_due: promised.and_then(|d| d.due),
            statutory_from,
            statutory_due: statutory.and_then(|d| d.due),
        });
    }
    let latest = |pick: fn(&ThemeMatterDue) -> Option<NaiveDate>| {
        dues.iter()
            .try_fold(None, |l: Option<NaiveDate>, d| Some(l.max(pick(d))))
            .flatten()
            .filter(|_| dues.iter().all(|d| pick(d).is_some()))
    };
    ThemeDeadline {
        accepted_on: on,
        promised_due: latest(|d| d.promised_due),
        statutory_due: latest(|d| d.statutory_due),
        error,
        matters: dues,
    }
}
