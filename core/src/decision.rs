//! Deciding one matter for one applicant on one date.
//!
//! The output's shape is the contract with every channel: keys in declaration order, lists in
//! rule-file order, decimals as strings, nothing from a hash map or a clock.

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::Text;
use crate::calendar::Calendar;
use crate::deadline::{Deadline, Limits, deadline};
use crate::error::{DecideError, FactError, FactErrorKind};
use crate::expr::{Env, Overflow};
use crate::facts::{FactKind, FactSourceKind, FactValue};
use crate::matter::{Citation, Citations, Matter};

/// The outcome of a decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Every condition holds and the materials list is final.
    Eligible,
    /// At least one condition fails; see `failed`.
    Ineligible,
    /// Unanswered facts could still change the outcome; see `questions`.
    NeedsFacts,
}

impl Status {
    /// The name every channel sees, as serde writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Eligible => "eligible",
            Self::Ineligible => "ineligible",
            Self::NeedsFacts => "needs_facts",
        }
    }
}

/// A decision, exactly as every channel receives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    /// Which matter.
    pub matter: MatterRef,
    /// Which rules.
    pub version: VersionRef,
    /// The decision date.
    pub on: NaiveDate,
    /// The outcome.
    pub status: Status,
    /// Conditions that fail, in rule-file order.
    pub failed: Vec<FailedCondition>,
    /// Facts still to ask, in interview order; empty unless `status` is `needs_facts`.
    pub questions: Vec<Question>,
    /// Situations (情形) that apply, in rule-file order.
    pub situations: Vec<String>,
    /// Materials, in rule-file order.
    pub materials: Vec<MaterialDecision>,
    /// Whether the application can be accepted with the materials at hand; present when the
    /// facts say which are missing (`缺少材料`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acceptance: Option<Acceptance>,
    /// 告知承诺制, for matters that offer it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commitment: Option<CommitmentDecision>,
    /// Fees and waivers, for matters whose rules state them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fees: Option<crate::fees::FeesDecision>,
    /// When the result is due, for an application accepted on the decision date.
    pub deadline: Deadline,
    /// What a counter or server needs to confirm this decision by deciding again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipt: Option<Receipt>,
}

/// Fingerprints that tie a decision to the rules and facts it came from.
///
/// A phone sends the matter, date, facts and receipt; the server decides again with the same
/// bundle and compares: equal fingerprints mean the same rules, the same facts (after checking,
/// so `30` and `30.0` are one fact) and a byte-identical decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    /// The rules' bundle hash.
    pub bundle: String,
    /// SHA-256 of the canonical facts.
    pub facts: String,
    /// SHA-256 of the decision's canonical JSON without its receipt.
    pub decision: String,
}

impl Receipt {
    /// The receipt of `decision` (whose own `receipt` is ignored).
    pub fn new(bundle: &str, canonical_facts: &str, decision: &Decision) -> Receipt {
        let bare = if decision.receipt.is_none() {
            decision.to_json()
        } else {
            let mut bare = decision.clone();
            bare.receipt = None;
            bare.to_json()
        };
        Receipt::of_json(bundle, canonical_facts, &bare)
    }

    /// The receipt of a decision whose canonical JSON without a receipt is `bare_json`.
    pub(crate) fn of_json(bundle: &str, canonical_facts: &str, bare_json: &str) -> Receipt {
        Receipt {
            bundle: bundle.to_string(),
            facts: crate::bundle::sha256(canonical_facts.as_bytes()),
            decision: crate::bundle::sha256(bare_json.as_bytes()),
        }
    }
}

/// The matter a decision is for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatterRef {
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
    /// 办件类型.
    pub handling: Text,
}

/// The rule version a decision used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionRef {
    /// Its name.
    pub id: Text,
    /// The first day in force.
    pub effective: NaiveDate,
}

/// Whether the 受理条件 hold: [`Matter::eligibility`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Eligibility {
    /// `eligible`, `ineligible` or `needs_facts`, from the conditions alone.
    pub status: Status,
    /// The conditions that fail, with what the applicant is told and their basis.
    pub failed: Vec<FailedCondition>,
    /// While `needs_facts`: the unanswered facts that can still change the outcome, in schema
    /// order.
    pub questions: Vec<Question>,
}

/// A condition that fails.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailedCondition {
    /// The condition's id.
    pub id: Text,
    /// What the applicant is told.
    pub message: Text,
    /// Its legal basis.
    pub basis: Citations,
}

/// A fact to ask.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    /// The fact's name, the key to answer with.
    pub fact: String,
    /// The question in Chinese.
    pub question: String,
    /// The answer's type.
    #[serde(rename = "type")]
    pub kind: FactKind,
    /// The options of an enum or list.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
    /// Who supplies the answer.
    pub source: FactSourceKind,
}

impl Question {
    /// The question that asks for `fact`.
    pub(crate) fn of(fact: &crate::facts::FactDef) -> Question {
        Question {
            fact: fact.name.clone(),
            question: fact.question.clone(),
            kind: fact.kind,
            options: fact.options.clone(),
            source: fact.source,
        }
    }
}

/// What the applicant does about a material.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MaterialStatus {
    /// Bring it.
    Submit,
    /// Not needed: see `route`.
    Exempt,
    /// The applicant's situation does not call for it.
    NotApplicable,
    /// Depends on a fact not yet answered.
    Undetermined,
    /// Missing at acceptance and accepted under 容缺受理: due later, see `due`.
    Deferred,
    /// Replaced by the applicant's signed commitment (告知承诺制), see `commitment`.
    Committed,
}

/// Whether the application can be accepted with the materials at hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AcceptanceStatus {
    /// Everything needed is there.
    Accepted,
    /// Accepted with non-key materials to follow (容缺受理).
    AcceptedWithDeferral,
    /// Cannot be accepted; see `reason` and the one-time notice.
    NotAccepted,
    /// Depends on facts not yet answered.
    Pending,
}

/// The acceptance block: present when the facts say which materials are missing (`缺少材料`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Acceptance {
    /// The outcome.
    pub status: AcceptanceStatus,
    /// Why not accepted: `ineligible` or `missing_materials`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Materials missing that prevent acceptance.
    pub missing: Vec<Text>,
    /// Materials deferred under 容缺受理.
    pub deferred: Vec<Text>,
    /// The commitment the applicant signs for deferred materials.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deferral: Option<crate::matter::Deferral>,
    /// Why 容缺 was withheld although the missing materials are deferrable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deferral_refused: Option<String>,
    /// Why the deferred materials' due date cannot be given (outside the calendar).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due_error: Option<crate::calendar::CalendarError>,
    /// 一次性告知: everything missing, key and non-key, when not accepted for want of materials.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notice: Vec<NoticeItem>,
}

/// One line of the one-time notice (一次性告知单).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeItem {
    /// The material's id.
    pub id: Text,
    /// Its name.
    pub name: Text,
    /// 原件, 复印件 or 原件和复印件.
    pub form: Text,
    /// 纸质, 电子 or 纸质或电子.
    pub medium: Text,
    /// Copies.
    pub copies: u32,
    /// Whether it is a key material.
    pub key: bool,
    /// Its basis.
    pub basis: Citations,
}

/// Whether 告知承诺制 is offered to this applicant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitmentDecision {
    /// Offered (`false` for a serious dishonesty record); absent until that is known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offered: Option<bool>,
    /// The applicant's choice; absent until answered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chosen: Option<bool>,
    /// Why it is not offered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The policy's basis.
    pub basis: Vec<Citation>,
}

/// Why a material is exempt (免证办).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Route {
    /// 直接取消: the material was abolished.
    Cancelled,
    /// 数据共享: the department fetches it from the issuing department.
    DataSharing,
    /// 电子证照: the applicant holds the electronic licence.
    ELicence,
}

/// One material in a decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MaterialDecision {
    /// The material's id.
    pub id: Text,
    /// Its name.
    pub name: Text,
    /// 原件, 复印件 or 原件和复印件.
    pub form: Text,
    /// 纸质, 电子 or 纸质或电子.
    pub medium: Text,
    /// Copies.
    pub copies: u32,
    /// Its legal basis.
    pub basis: Citations,
    /// What the applicant does.
    pub status: MaterialStatus,
    /// For `exempt`: how.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub route: Option<Route>,
    /// For `exempt`: the sharing route, the licence, or the cancelling basis.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub via: Option<Text>,
    /// The issuing department, for government-issued materials.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuer: Option<Text>,
    /// A note for the applicant.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<Text>,
    /// 关键材料: the application cannot be accepted without it.
    pub key: bool,
    /// For `deferred`: the day it must be supplied by.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due: Option<NaiveDate>,
    /// For `committed`: the commitment signed instead.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commitment: Option<crate::matter::Commitment>,
}

impl Decision {
    /// The canonical JSON text: the bytes every channel must produce for this decision.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

fn fact_bool(facts: &[Option<FactValue>], index: u16) -> Option<bool> {
    match facts.get(usize::from(index)) {
        Some(Some(FactValue::Bool(b))) => Some(*b),
        _ => None,
    }
}

impl Matter {
    /// The acceptance block, when the facts say which materials are missing; marks deferred
    /// materials with their due dates.
    ///
    /// Returns `None` without `缺少材料`; the block is `pending` when an unanswered fact (the
    /// credit record that decides 容缺) is marked in `missing`.
    fn acceptance(
        &self,
        facts: &[Option<FactValue>],
        on: NaiveDate,
        status: Status,
        calendar: &Calendar,
        materials: &mut [MaterialDecision],
        missing: &mut [bool],
    ) -> Option<Acceptance> {
        let Some(Some(FactValue::List(lacking))) = facts.get(usize::from(self.missing_fact)) else {
            return None;
        };
        // `缺少材料` lists materials by name, in rule-file order: option i is material i.
        let lacks = |i: usize| u16::try_from(i).is_ok_and(|i| lacking.binary_search(&i).is_ok());
        let mut acceptance = Acceptance {
            status: AcceptanceStatus::Accepted,
            reason: None,
            missing: Vec::new(),
            deferred: Vec::new(),
            deferral: None,
            deferral_refused: None,
            due_error: None,
            notice: Vec::new(),
        };
        let listed = |m: &MaterialDecision| {
            self.deferral
                .as_ref()
                .is_some_and(|d| d.materials.iter().any(|id| **id == *m.id))
        };
        // While acceptance is pending, a material the applicant lacks that 容缺 could defer is
        // neither to submit nor deferred yet: which one depends on what is still unanswered.
        let pending = |materials: &mut [MaterialDecision], mut acceptance: Acceptance| {
            for (i, m) in materials.iter_mut().enumerate() {
                if m.status == MaterialStatus::Submit && lacks(i) && listed(m) {
                    m.status = MaterialStatus::Undetermined;
                }
            }
            acceptance.status = AcceptanceStatus::Pending;
            Some(acceptance)
        };
        match status {
            Status::Ineligible => {
                acceptance.status = AcceptanceStatus::NotAccepted;
                acceptance.reason = Some("ineligible".into());
                return Some(acceptance);
            }
            Status::NeedsFacts => return pending(materials, acceptance),
            Status::Eligible => {}
        }
        let needed: Vec<usize> = materials
            .iter()
            .enumerate()
            .filter(|(i, m)| m.status == MaterialStatus::Submit && lacks(*i))
            .map(|(i, _)| i)
            .collect();
        // 容缺 is withheld from serious dishonesty where the rules say so; until the record is
        // known, whether a deferrable material can wait is open.
        let credit_checked = self.deferral.as_ref().is_some_and(|d| d.dishonest_excluded);
        let dishonest = self.dishonesty_fact.and_then(|i| fact_bool(facts, i));
        let wants_deferral = needed.iter().any(|&i| materials.get(i).is_some_and(listed));
        // A missing key material stops acceptance whatever the credit record says.
        let key_missing = needed
            .iter()
            .any(|&i| materials.get(i).is_some_and(|m| !listed(m)));
        if credit_checked && wants_deferral && dishonest.is_none() && !key_missing {
            if let Some(slot) = self
                .dishonesty_fact
                .and_then(|i| missing.get_mut(usize::from(i)))
            {
                *slot = true;
            }
            return pending(materials, acceptance);
        }
        let refused = credit_checked && dishonest == Some(true);
        if refused && wants_deferral {
            acceptance.deferral_refused =
                Some("申请人有严重失信记录或曾作出虚假承诺，不适用容缺受理".to_string());
        }
        let deferrable = |m: &MaterialDecision| listed(m) && !refused;
        let blocking: Vec<usize> = needed
            .iter()
            .copied()
            .filter(|&i| materials.get(i).is_some_and(|m| !deferrable(m)))
            .collect();
        if !blocking.is_empty() {
            acceptance.status = AcceptanceStatus::NotAccepted;
            acceptance.reason = Some("missing_materials".into());
            acceptance.missing = blocking
                .iter()
                .filter_map(|&i| materials.get(i))
                .map(|m| m.id.clone())
                .collect();
            acceptance.notice = needed
                .iter()
                .filter_map(|&i| materials.get(i))
                .map(|m| NoticeItem {
                    id: m.id.clone(),
                    name: m.name.clone(),
                    form: m.form.clone(),
                    medium: m.medium.clone(),
                    copies: m.copies,
                    key: m.key,
                    basis: m.basis.clone(),
                })
                .collect();
            return Some(acceptance);
        }
        if let (Some(deferral), false) = (&self.deferral, needed.is_empty()) {
            let due = match crate::deadline::due_date(calendar, on, deferral.period, &[]) {
                Ok(date) => Some(date),
                Err(error) => {
                    acceptance.due_error = Some(error);
                    None
                }
            };
            for &i in &needed {
                if let Some(m) = materials.get_mut(i) {
                    m.status = MaterialStatus::Deferred;
                    m.due = due;
                    acceptance.deferred.push(m.id.clone());
                }
            }
            acceptance.status = AcceptanceStatus::AcceptedWithDeferral;
            acceptance.deferral = Some(deferral.clone());
        }
        Some(acceptance)
    }

    /// The canonical text of checked facts: `[[name, value], …]` in schema order, decimals
    /// normalized and as strings, lists in option order, unanswered facts left out.
    pub fn canonical_facts(&self, values: &[Option<FactValue>]) -> String {
        /// One fact's value in canonical form, serialized as serde_json would a `Value` of it.
        #[derive(Serialize)]
        #[serde(untagged)]
        enum Canonical<'a> {
            Bool(bool),
            Text(&'a str),
            Owned(String),
            List(Vec<&'a str>),
            Pauses(Vec<(&'a str, String, String)>),
        }
        let mut pairs: Vec<(&str, Canonical<'_>)> = Vec::with_capacity(values.len());
        for (def, value) in self.facts.iter().zip(values) {
            let Some(value) = value else { continue };
            let option = |i: &u16| def.options.get(usize::from(*i)).map_or("", String::as_str);
            let json = match value {
                FactValue::Bool(b) => Canonical::Bool(*b),
                FactValue::Number(n) => Canonical::Owned(n.normalize().to_string()),
                FactValue::Text(t) => Canonical::Text(t),
                FactValue::Date(d) => Canonical::Owned(d.to_string()),
                FactValue::Enum(i) => Canonical::Text(option(i)),
                FactValue::List(items) => Canonical::List(items.iter().map(option).collect()),
                FactValue::Procedures(pauses) => Canonical::Pauses(
                    pauses
                        .iter()
                        .map(|p| (option(&p.procedure), p.from.to_string(), p.to.to_string()))
                        .collect(),
                ),
            };
            pairs.push((def.name.as_str(), json));
        }
        serde_json::to_string(&pairs).unwrap_or_default()
    }

    /// Checks facts given as a JSON object against this matter's schema.
    ///
    /// Returns one slot per fact (`None` when not given); on failure every problem, ordered by
    /// the fact's path so that every channel lists them alike.
    pub fn check_facts(
        &self,
        facts: &Map<String, Value>,
    ) -> Result<Vec<Option<FactValue>>, Vec<FactError>> {
        let mut values: Vec<Option<FactValue>> = alloc::vec![None; self.facts.len()];
        let mut errors = Vec::new();
        // A map's keys come in byte order, which the index follows: the next fact is found by
        // one of two guesses, not by hashing its name.
        let mut previous = None;
        for (name, value) in facts {
            let Some(index) = self.fact_index.find(&self.facts, name.as_bytes(), previous) else {
                errors.push(FactError {
                    path: name.clone(),
                    kind: FactErrorKind::Unknown,
                });
                continue;
            };
            previous = Some(index);
            if value.is_null() {
                continue;
            }
            let (Some(def), Some(slot)) = (
                self.facts.get(usize::from(index)),
                values.get_mut(usize::from(index)),
            ) else {
                continue;
            };
            *slot = def.check(value, name, &mut errors);
        }
        if errors.is_empty() {
            Ok(values)
        } else {
            errors.sort_by(|a, b| a.path.cmp(&b.path));
            Err(errors)
        }
    }

    /// Reads and checks facts given as JSON text, as the channels send them: the same values as
    /// [`crate::parse_facts`] followed by [`Matter::check_facts`], and on any problem exactly
    /// their errors.
    ///
    /// Well-formed facts are read straight from the text into their slots, without building a
    /// JSON tree first (a tree costs an allocation per key and per value, which was most of
    /// the time of an interview step in WebAssembly); anything else takes the checking path.
    pub fn read_facts(&self, text: &str) -> Result<Vec<Option<FactValue>>, Vec<FactError>> {
        self.read_facts_bytes(text.as_bytes())
    }

    /// [`Matter::read_facts`] for bytes that should be UTF-8 JSON text, as a channel writes them
    /// into WebAssembly memory: checking that they are UTF-8 first would cost as much as
    /// reading them, so only text that is not matched against known names and options is
    /// checked (see `facts/scan.rs`); bytes that are not UTF-8 are an `invalid_json`
    /// error.
    pub fn read_facts_bytes(&self, bytes: &[u8]) -> Result<Vec<Option<FactValue>>, Vec<FactError>> {
        if bytes.len() <= crate::MAX_FACTS_BYTES
            && let Some(values) = self.read_facts_directly(bytes)
        {
            return Ok(values);
        }
        let text = core::str::from_utf8(bytes).map_err(|e| {
            alloc::vec![FactError {
                path: String::new(),
                kind: FactErrorKind::Json {
                    message: alloc::format!("the facts are not UTF-8 text: {e}"),
                },
            }]
        })?;
        let facts = crate::parse_facts(text).map_err(|e| alloc::vec![e])?;
        self.check_facts(&facts)
    }

    /// Reads facts in the package's binary encoding (see [`crate::facts::encoded`]), which a
    /// front end writes from its facts object without making JSON text; `None` for anything
    /// that is not a valid value of its fact, so that the caller sends the facts again as
    /// JSON text and gets exactly the errors that text gives.
    pub fn read_facts_encoded(&self, bytes: &[u8]) -> Option<Vec<Option<FactValue>>> {
        self.read_encoded(bytes, false)
    }

    /// [`Matter::read_facts_encoded`]; with `conditions_only` (for an eligibility answer) the
    /// option lists no condition reads are checked alike but left out (`None`), so they are
    /// never built.
    pub(crate) fn read_encoded(
        &self,
        bytes: &[u8],
        conditions_only: bool,
    ) -> Option<Vec<Option<FactValue>>> {
        use crate::facts::encoded::{self, Value as Encoded};
        let mut values: Vec<Option<FactValue>> = alloc::vec![None; self.facts.len()];
        encoded::read(bytes, |index, value| {
            let index = usize::from(index);
            let fact = self.facts.get(index)?;
            let value = match value {
                Encoded::Options(options)
                    if conditions_only
                        && !self.condition_facts.get(index).copied().unwrap_or(true) =>
                {
                    fact.takes_options(options).then_some(None)?
                }
                _ => fact.read_given(value.into())?,
            };
            *values.get_mut(index)? = value;
            Some(())
        })?;
        Some(values)
    }

    /// The fast path of [`Matter::read_facts`]: `None` for anything it does not read itself.
    fn read_facts_directly(&self, bytes: &[u8]) -> Option<Vec<Option<FactValue>>> {
        let mut values: Vec<Option<FactValue>> = alloc::vec![None; self.facts.len()];
        let mut previous = None;
        crate::facts::scan::members(bytes, |name, token| {
            // A name that matches a fact's is UTF-8, like the fact's.
            let number = self.fact_index.find(&self.facts, name, previous)?;
            previous = Some(number);
            let index = usize::from(number);
            let value = self.facts.get(index)?.read_given(token)?;
            // A repeated name: the last value stands, as in a parsed JSON object.
            *values.get_mut(index)? = value;
            Some(())
        })?;
        Some(values)
    }

    /// Decides for facts given as a JSON object.
    pub fn decide(
        &self,
        facts: &Map<String, Value>,
        on: NaiveDate,
        calendar: &Calendar,
    ) -> Result<Decision, DecideError> {
        let values = self
            .check_facts(facts)
            .map_err(|errors| DecideError::Facts { errors })?;
        self.decide_checked(&values, on, calendar)
    }

    /// Whether the 受理条件 hold, and nothing else: the `status`, `failed` and `questions` a
    /// full decision would give if the matter had no materials, fees or acceptance rules.
    ///
    /// For a front end's pre-check ("may I apply?") and for the conditions-only benchmarks: it
    /// evaluates the situations and the conditions, and writes no materials, deadline or fees.
    /// Facts are checked as for a decision, so a channel gets the same errors from both.
    pub fn eligibility(
        &self,
        facts: &[Option<FactValue>],
        on: NaiveDate,
    ) -> Result<Eligibility, DecideError> {
        let outcome = self.eligibility_outcome(facts, on)?;
        Ok(Eligibility {
            status: outcome.status,
            failed: self.failed_conditions(&outcome.failed),
            questions: self.questions(&outcome.asked),
        })
    }

    /// [`Matter::eligibility`] as the channels' envelope, `{"ok":true,"status",…}`, written
    /// from the JSON each condition and question has had since the rules were compiled: the
    /// answer is copied, not serialized. `fast_paths_give_the_same_bytes` (bindings/cli/tests)
    /// holds it to serde's bytes for the same [`Eligibility`].
    pub(crate) fn eligibility_envelope(
        &self,
        facts: &[Option<FactValue>],
        on: NaiveDate,
    ) -> Result<String, DecideError> {
        let outcome = self.eligibility_outcome(facts, on)?;
        let mut out = String::with_capacity(64);
        out.push_str("{\"ok\":true,\"status\":\"");
        out.push_str(outcome.status.as_str());
        out.push_str("\",\"failed\":");
        push_list(
            &mut out,
            outcome
                .failed
                .iter()
                .filter_map(|&n| self.conditions.get(n))
                .map(|c| &c.failed_json),
        );
        out.push_str(",\"questions\":");
        push_list(
            &mut out,
            self.question_json
                .iter()
                .zip(&outcome.asked)
                .filter(|(_, asked)| **asked)
                .map(|(json, _)| json),
        );
        out.push('}');
        Ok(out)
    }

    /// [`Matter::eligibility`] as numbers, for the npm package to build its answer from the
    /// texts [`Matter::eligibility_texts`] gave it once: the status (`0` eligible, `1`
    /// ineligible, `2` needs facts), then the failed conditions' numbers and the asked facts'
    /// numbers, each list a count and its items, all little-endian `u16`. `None` when a number
    /// does not fit in 16 bits (the channel then asks for the envelope).
    pub(crate) fn eligibility_numbers(
        &self,
        facts: &[Option<FactValue>],
        on: NaiveDate,
    ) -> Result<Option<Vec<u8>>, DecideError> {
        let outcome = self.eligibility_outcome(facts, on)?;
        Ok(numbers(outcome.status, &outcome.failed, &outcome.asked))
    }

    /// `{"failed":[…],"questions":[…]}`: each condition's entry in an eligibility answer's
    /// `failed` and each fact's in its `questions`, in rule-file order, for reading
    /// the numbers an eligibility call answers with (`Matter::eligibility_numbers`).
    pub fn eligibility_texts(&self) -> String {
        let mut out = String::from("{\"failed\":");
        push_list(&mut out, self.conditions.iter().map(|c| &c.failed_json));
        out.push_str(",\"questions\":");
        push_list(&mut out, self.question_json.iter());
        out.push('}');
        out
    }

    fn eligibility_outcome(
        &self,
        facts: &[Option<FactValue>],
        on: NaiveDate,
    ) -> Result<EligibilityOutcome, DecideError> {
        self.pauses(facts, on)?;
        let situations = self.situation_values(facts, on, Some(&self.condition_situations))?;
        let env = Env {
            facts,
            situations: &situations,
            situation_nodes: self.situations.as_slice(),
            today: on,
        };
        // Made only when a condition is open: most answers ask nothing, and in WebAssembly
        // each allocation is a round trip through the allocator.
        let mut missing = Vec::new();
        let (failed, undecided) = self.conditions_outcome(&env, &mut missing)?;
        let status = if !failed.is_empty() {
            Status::Ineligible
        } else if undecided {
            Status::NeedsFacts
        } else {
            Status::Eligible
        };
        if status != Status::NeedsFacts {
            missing.clear();
        }
        Ok(EligibilityOutcome {
            status,
            failed,
            asked: missing,
        })
    }

    /// The `特别程序` clock stops, refused when one starts before the application was accepted.
    fn pauses<'f>(
        &self,
        facts: &'f [Option<FactValue>],
        on: NaiveDate,
    ) -> Result<&'f [crate::facts::Pause], DecideError> {
        let pauses: &[crate::facts::Pause] =
            match self.procedures_fact.and_then(|i| facts.get(usize::from(i))) {
                Some(Some(FactValue::Procedures(pauses))) => pauses,
                _ => &[],
            };
        // A procedure cannot stop a clock that has not started.
        let early: Vec<FactError> = pauses
            .iter()
            .enumerate()
            .filter(|(_, p)| p.from < on)
            .map(|(i, p)| FactError {
                path: alloc::format!("{}[{i}].from", crate::matter::PROCEDURES_FACT),
                kind: FactErrorKind::InvalidDate {
                    value: alloc::format!("{} (before the application was accepted, {on})", p.from),
                },
            })
            .collect();
        if early.is_empty() {
            Ok(pauses)
        } else {
            Err(DecideError::Facts { errors: early })
        }
    }

    /// Each situation's truth, in order (a situation may read the ones before it); with
    /// `only`, just the situations it marks (the others are left unknown).
    fn situation_values(
        &self,
        facts: &[Option<FactValue>],
        on: NaiveDate,
        only: Option<&[bool]>,
    ) -> Result<Vec<Option<bool>>, DecideError> {
        let situation_nodes = self.situations.as_slice();
        let mut situations: Vec<Option<bool>> = Vec::with_capacity(self.situations.len());
        for (i, (name, node)) in self.situations.iter().enumerate() {
            if only.is_some_and(|only| !only.get(i).copied().unwrap_or(true)) {
                situations.push(None);
                continue;
            }
            let env = Env {
                facts,
                situations: &situations,
                situation_nodes,
                today: on,
            };
            let value = node.truth(&env).map_err(|Overflow| overflow(name))?;
            situations.push(value);
        }
        Ok(situations)
    }

    /// The numbers of the conditions that fail, and whether any is still open (its facts
    /// marked in `missing`, which is made one flag per fact if it is empty).
    fn conditions_outcome(
        &self,
        env: &Env<'_>,
        missing: &mut Vec<bool>,
    ) -> Result<(Vec<usize>, bool), DecideError> {
        let mut failed = Vec::new();
        let mut undecided = false;
        for (number, condition) in self.conditions.iter().enumerate() {
            let fail = |_: Overflow| overflow(&condition.id);
            let applies = match &condition.when {
                None => Some(true),
                Some(when) => when.truth(env).map_err(fail)?,
            };
            let holds = match applies {
                Some(false) => continue,
                _ => condition.require.truth(env).map_err(fail)?,
            };
            match (applies, holds) {
                (_, Some(true)) => {}
                (Some(true), Some(false)) => failed.push(number),
                // Whether the condition applies is open: establish the situation first, so an
                // interview does not ask about requirements of a situation that may not arise.
                (None, _) => {
                    undecided = true;
                    missing.resize(self.facts.len(), false);
                    if let Some(when) = &condition.when {
                        when.missing(env, missing).map_err(fail)?;
                    }
                }
                (Some(true), None) => {
                    undecided = true;
                    missing.resize(self.facts.len(), false);
                    condition.require.missing(env, missing).map_err(fail)?;
                }
                (Some(false), _) => {}
            }
        }
        Ok((failed, undecided))
    }

    /// The failed conditions numbered `numbers`, as a decision lists them.
    fn failed_conditions(&self, numbers: &[usize]) -> Vec<FailedCondition> {
        numbers
            .iter()
            .filter_map(|&n| self.conditions.get(n))
            .map(|c| FailedCondition {
                id: c.id.clone(),
                message: c.message.clone(),
                basis: c.basis.clone(),
            })
            .collect()
    }

    /// The questions for the facts marked in `missing`, in schema order.
    fn questions(&self, missing: &[bool]) -> Vec<Question> {
        self.facts
            .iter()
            .zip(missing)
            .filter(|(_, wanted)| **wanted)
            .map(|(f, _)| Question::of(f))
            .collect()
    }

    /// Decides for facts already checked by [`Matter::check_facts`], for an application accepted
    /// on `on`.
    pub fn decide_checked(
        &self,
        facts: &[Option<FactValue>],
        on: NaiveDate,
        calendar: &Calendar,
    ) -> Result<Decision, DecideError> {
        self.decide_asking(facts, on, calendar, Asking::Questions)
            .map(|(decision, _)| decision)
    }

    /// A decision's status and questions as numbers, laid out as
    /// [`Matter::eligibility_numbers`] lays out its own (with no failed conditions), for the
    /// npm package to build `{status, questions}` from the texts
    /// [`Matter::eligibility_texts`] gave it: a decision asks for exactly the facts whose
    /// question texts those are, in schema order. `None` when a number does not fit in 16 bits.
    pub(crate) fn questions_numbers(
        &self,
        facts: &[Option<FactValue>],
        on: NaiveDate,
        calendar: &Calendar,
    ) -> Result<Option<Vec<u8>>, DecideError> {
        let (decision, asked) = self.decide_asking(facts, on, calendar, Asking::Numbers)?;
        Ok(numbers(decision.status, &[], &asked))
    }

    /// [`Matter::decide_checked`], with the questions written into the decision or, without
    /// building them, returned as one flag per fact.
    fn decide_asking(
        &self,
        facts: &[Option<FactValue>],
        on: NaiveDate,
        calendar: &Calendar,
        asking: Asking,
    ) -> Result<(Decision, Vec<bool>), DecideError> {
        let pauses = self.pauses(facts, on)?;
        let situations = self.situation_values(facts, on, None)?;
        let situation_nodes = self.situations.as_slice();
        let env = Env {
            facts,
            situations: &situations,
            situation_nodes,
            today: on,
        };
        let mut missing = alloc::vec![false; self.facts.len()];
        let (failed, undecided) = self.conditions_outcome(&env, &mut missing)?;
        let failed = self.failed_conditions(&failed);
        let mut materials = Vec::with_capacity(self.materials.len());
        for material in &self.materials {
            let applies = match &material.when {
                None => Some(true),
                Some(node) => node
                    .truth(&env)
                    .map_err(|Overflow| overflow(&material.id))?,
            };
            let mut route = None;
            let mut via = None;
            let status = if let Some(by) = &material.cancelled {
                route = Some(crate::decision::Route::Cancelled);
                via = Some(by.clone());
                MaterialStatus::Exempt
            } else {
                match applies {
                    Some(false) => MaterialStatus::NotApplicable,
                    None => {
                        if let Some(node) = &material.when {
                            node.missing(&env, &mut missing)
                                .map_err(|Overflow| overflow(&material.id))?;
                        }
                        MaterialStatus::Undetermined
                    }
                    Some(true) => {
                        if material.issuer.is_some() && material.sharing.is_some() {
                            route = Some(Route::DataSharing);
                            via.clone_from(&material.sharing);
                            MaterialStatus::Exempt
                        } else if !material.licence.is_empty() {
                            let holder = usize::from(material.licence_holder);
                            match facts.get(holder).and_then(Option::as_ref) {
                                Some(FactValue::List(held)) => {
                                    let found = material
                                        .licence
                                        .iter()
                                        .find(|(option, _)| held.binary_search(option).is_ok());
                                    match found {
                                        Some((_, name)) => {
                                            route = Some(Route::ELicence);
                                            via = Some(name.clone());
                                            MaterialStatus::Exempt
                                        }
                                        None => MaterialStatus::Submit,
                                    }
                                }
                                Some(_) => MaterialStatus::Submit,
                                None => {
                                    if let Some(slot) = missing.get_mut(holder) {
                                        *slot = true;
                                    }
                                    MaterialStatus::Undetermined
                                }
                            }
                        } else {
                            MaterialStatus::Submit
                        }
                    }
                }
            };
            // A proof the applicant would bring may be replaced by a signed commitment.
            let mut commitment = None;
            let status = match (status, &material.commitment, &self.commitment) {
                (MaterialStatus::Submit, Some(text), Some((_, choice, dishonesty))) => {
                    match (fact_bool(facts, *choice), fact_bool(facts, *dishonesty)) {
                        (Some(false), _) | (Some(true), Some(true)) => MaterialStatus::Submit,
                        (Some(true), Some(false)) => {
                            commitment = Some(text.clone());
                            MaterialStatus::Committed
                        }
                        (None, _) | (Some(true), None) => {
                            let open = if fact_bool(facts, *choice).is_none() {
                                *choice
                            } else {
                                *dishonesty
                            };
                            if let Some(slot) = missing.get_mut(usize::from(open)) {
                                *slot = true;
                            }
                            MaterialStatus::Undetermined
                        }
                    }
                }
                (other, _, _) => other,
            };
            materials.push(MaterialDecision {
                id: material.id.clone(),
                name: material.name.clone(),
                form: material.form.clone(),
                medium: material.medium.clone(),
                copies: material.copies,
                basis: material.basis.clone(),
                status,
                route,
                via,
                issuer: material.issuer.clone(),
                note: material.note.clone(),
                key: material.key,
                due: None,
                commitment,
            });
        }

        let env = Env {
            facts,
            situations: &situations,
            situation_nodes,
            today: on,
        };
        let fees = match &self.fees {
            Some(fees) => Some(
                fees.evaluate(&env, &mut missing)
                    .map_err(|Overflow| overflow("fees"))?,
            ),
            None => None,
        };
        let fees_pending = fees.as_ref().is_some_and(|f| f.pending);

        let material_pending = materials
            .iter()
            .any(|m| m.status == MaterialStatus::Undetermined);
        let mut status = if !failed.is_empty() {
            Status::Ineligible
        } else if undecided || material_pending || fees_pending {
            Status::NeedsFacts
        } else {
            Status::Eligible
        };
        let acceptance = self.acceptance(facts, on, status, calendar, &mut materials, &mut missing);
        if status == Status::Eligible
            && acceptance
                .as_ref()
                .is_some_and(|a| a.status == AcceptanceStatus::Pending)
        {
            status = Status::NeedsFacts;
        }
        if status != Status::NeedsFacts {
            missing.clear();
        }
        let questions = match asking {
            Asking::Questions => self.questions(&missing),
            Asking::Numbers => Vec::new(),
        };

        let commitment = self.commitment.as_ref().map(|(basis, choice, dishonesty)| {
            let offered = fact_bool(facts, *dishonesty).map(|dishonest| !dishonest);
            CommitmentDecision {
                offered,
                chosen: fact_bool(facts, *choice),
                reason: (offered == Some(false)).then(|| {
                    "申请人有严重失信记录或曾作出虚假承诺，在信用修复前不适用告知承诺制".to_string()
                }),
                basis: basis.clone(),
            }
        });
        let applying = self
            .situations
            .iter()
            .zip(&situations)
            .filter(|(_, value)| **value == Some(true))
            .map(|((name, _), _)| name.clone())
            .collect();

        let decision = Decision {
            matter: MatterRef {
                code: self.info.code.clone(),
                basic_code: self.info.basic_code.clone(),
                name: self.info.name.clone(),
                kind: self.info.kind.clone(),
                agency: self.info.agency.clone(),
                handling: self.info.handling.clone(),
            },
            version: VersionRef {
                id: self.version.id.clone(),
                effective: self.version.effective,
            },
            on,
            status,
            failed,
            questions,
            situations: applying,
            materials,
            acceptance,
            commitment,
            fees: fees.map(|f| f.block),
            deadline: self.deadline(calendar, on, pauses),
            receipt: None,
        };
        Ok((decision, missing))
    }

    /// The deadline block for an application accepted on `on`, with the clock stops `pauses`
    /// (the checked `特别程序` fact): what every decision carries as `deadline`.
    pub fn deadline(
        &self,
        calendar: &Calendar,
        on: NaiveDate,
        pauses: &[crate::facts::Pause],
    ) -> Deadline {
        deadline(
            calendar,
            on,
            &Limits {
                promised: self.info.promised_limit,
                statutory: self.info.statutory_limit,
                extension: self.extension.as_ref(),
                procedures: &self.special_procedures,
            },
            pauses,
        )
    }
}

/// A status, failed conditions' numbers and asked facts' flags as
/// [`Matter::eligibility_numbers`] lays them out; `None` when a number does not fit in 16 bits.
fn numbers(status: Status, failed: &[usize], asked: &[bool]) -> Option<Vec<u8>> {
    fn push(out: &mut Vec<u8>, n: usize) -> Option<()> {
        out.extend_from_slice(&u16::try_from(n).ok()?.to_le_bytes());
        Some(())
    }
    let asked = || {
        asked
            .iter()
            .enumerate()
            .filter_map(|(n, asked)| asked.then_some(n))
    };
    let mut out = Vec::with_capacity(16);
    out.push(match status {
        Status::Eligible => 0,
        Status::Ineligible => 1,
        Status::NeedsFacts => 2,
    });
    push(&mut out, failed.len())?;
    failed.iter().try_for_each(|&n| push(&mut out, n))?;
    push(&mut out, asked().count())?;
    asked().try_for_each(|n| push(&mut out, n))?;
    Some(out)
}

/// How a decision gives its questions.
#[derive(Clone, Copy)]
enum Asking {
    /// As [`Question`]s in the decision.
    Questions,
    /// As one flag per fact beside it, the decision's own list left empty.
    Numbers,
}

/// Appends a JSON list of items that are JSON text already.
fn push_list<'t>(out: &mut String, items: impl Iterator<Item = &'t Text>) {
    out.push('[');
    for (i, item) in items.enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(item);
    }
    out.push(']');
}

/// [`Matter::eligibility`] before it is written out.
struct EligibilityOutcome {
    status: Status,
    /// The numbers of the failed conditions.
    failed: Vec<usize>,
    /// Per fact, whether it is asked.
    asked: Vec<bool>,
}

/// A computation that overflowed at `place` (a condition, material or `fees`).
fn overflow(place: &str) -> DecideError {
    DecideError::Overflow {
        place: place.to_string(),
    }
}
