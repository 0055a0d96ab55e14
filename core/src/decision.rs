//! Deciding one matter for one applicant on one date: the decide step, which runs the rule
//! families in order (eligibility, materials with 免证办 and 告知承诺, acceptance with 容缺,
//! fees, deadline), and the decision every channel receives.
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
use crate::commitment::CommitmentDecision;
use crate::deadline::{Chosen, Deadline, NoDeadline, NoDeadlineReason};
use crate::deferral::{Acceptance, AcceptanceStatus};
use crate::eligibility::{self, Eligibility, FailedCondition, Outcome, Question, Status};
use crate::error::{DecideError, FactError};
use crate::expr::{Env, Overflow};
use crate::facts::FactValue;
use crate::fees::FeesDecision;
use crate::json::{self, SerializeError};
use crate::keys::ReceiptKey;
use crate::materials::{MaterialDecision, MaterialStatus};
use crate::matter::Matter;
use crate::tongban::{Routing, RoutingStatus};

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
    pub fees: Option<FeesDecision>,
    /// 通办: where the application is handed in and who decides it, for matters with 通办.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub routing: Option<Routing>,
    /// When the result is due, for an application accepted on the decision date (or, handed in
    /// elsewhere, on the day it reaches the deciding agency); absent when it is not accepted,
    /// and `no_deadline` says why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<Deadline>,
    /// Why there is no deadline: the application is not accepted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_deadline: Option<NoDeadline>,
    /// What a counter or server needs to confirm this decision by deciding again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipt: Option<Receipt>,
}

/// Fingerprints that tie a decision to the rules and facts it came from.
///
/// A phone sends the matter, date, facts and receipt; the server decides again with the same
/// bundle and receipt key and compares: equal fingerprints mean the same rules, the same facts
/// (after checking, so `30` and `30.0` are one fact) and a byte-identical decision.
///
/// The facts fingerprint is keyed (HMAC-SHA256 with the deployment's receipt key), so that
/// facts cannot be guessed and confirmed from a receipt by anyone without the key; `key` names
/// the key, and is `development` when the receipt was made with the public development key,
/// which keys nothing (see `core/DESIGN.md`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    /// The rules' bundle hash.
    pub bundle: String,
    /// HMAC-SHA256 of the canonical facts with the receipt key, `hmac-sha256:…`.
    pub facts: String,
    /// The id of the receipt key `facts` was made with: `development` for the public
    /// development key, else 16 hex digits derived from the key.
    pub key: String,
    /// SHA-256 of the decision's canonical JSON without its receipt (not keyed: it fingerprints
    /// what the decision that travels with the receipt says).
    pub decision: String,
}

impl Receipt {
    /// The receipt of `decision` (whose own `receipt` is ignored), its facts fingerprint keyed
    /// with `key`.
    pub fn new(
        bundle: &str,
        key: &ReceiptKey,
        canonical_facts: &str,
        decision: &Decision,
    ) -> Result<Receipt, SerializeError> {
        let bare = if decision.receipt.is_none() {
            decision.to_json()?
        } else {
            let mut bare = decision.clone();
            bare.receipt = None;
            bare.to_json()?
        };
        Ok(Receipt::of_json(bundle, key, canonical_facts, &bare))
    }

    /// The receipt of a decision whose canonical JSON without a receipt is `bare_json`.
    pub(crate) fn of_json(
        bundle: &str,
        key: &ReceiptKey,
        canonical_facts: &str,
        bare_json: &str,
    ) -> Receipt {
        Receipt {
            bundle: bundle.to_string(),
            facts: key.fingerprint(canonical_facts.as_bytes()),
            key: key.id().to_string(),
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
    /// Whether the codes were never checked against the published implementation list.
    #[serde(default, skip_serializing_if = "core::ops::Not::not")]
    pub codes_unverified: bool,
    /// The region of the implementation used; absent for a matter written in one file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<Text>,
    /// 行使层级 of the implementation used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<Text>,
    /// Whether the 实施编码 is a made-up example.
    #[serde(default, skip_serializing_if = "core::ops::Not::not")]
    pub illustrative: bool,
}

/// The rule version a decision used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionRef {
    /// Its name.
    pub id: Text,
    /// The first day in force.
    pub effective: NaiveDate,
    /// Its last day in force, for a version that ends without a successor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_day: Option<NaiveDate>,
}

impl Decision {
    /// The canonical JSON text: the bytes every channel must produce for this decision.
    pub fn to_json(&self) -> Result<String, SerializeError> {
        json::to_json(self, "the decision")
    }
}

/// The conditions' verdict on an application, before it is written out.
pub(crate) struct Verdict {
    pub status: Status,
    /// The numbers of the failed conditions.
    pub failed: Vec<usize>,
    /// Per fact, whether it is asked (empty when nothing is).
    pub asked: Vec<bool>,
}

impl Matter {
    /// Checks facts given as a JSON object against this matter's schema.
    ///
    /// Returns one slot per fact (`None` when not given); on failure every problem, ordered by
    /// the fact's path so that every channel lists them alike.
    pub fn check_facts(
        &self,
        facts: &Map<String, Value>,
    ) -> Result<Vec<Option<FactValue>>, Vec<FactError>> {
        self.schema.check(facts)
    }

    /// Reads and checks facts given as JSON text, as the channels send them: the same values as
    /// [`crate::parse_facts`] followed by [`Matter::check_facts`], and on any problem exactly
    /// their errors.
    ///
    /// Well-formed facts are read straight from the text into their slots, without building a
    /// JSON tree first; anything else takes the checking path.
    pub fn read_facts(&self, text: &str) -> Result<Vec<Option<FactValue>>, Vec<FactError>> {
        self.schema.read(text)
    }

    /// [`Matter::read_facts`] for bytes that should be UTF-8 JSON text, as a channel writes them
    /// into WebAssembly memory; bytes that are not UTF-8 are an `invalid_json` error.
    pub fn read_facts_bytes(&self, bytes: &[u8]) -> Result<Vec<Option<FactValue>>, Vec<FactError>> {
        self.schema.read_bytes(bytes)
    }

    /// The canonical text of checked facts, which a receipt fingerprints: `[[name, value], …]`
    /// in schema order, decimals normalized and as strings, lists in option order, unanswered
    /// facts left out.
    pub fn canonical_facts(&self, values: &[Option<FactValue>]) -> Result<String, SerializeError> {
        self.schema.canonical(values)
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
    /// For a front end's pre-check ("may I apply?"): it evaluates the situations and the
    /// conditions, and writes no materials, deadline or fees. Facts are checked as for a
    /// decision, so a channel gets the same errors from both.
    pub fn eligibility(
        &self,
        facts: &[Option<FactValue>],
        on: NaiveDate,
    ) -> Result<Eligibility, DecideError> {
        let verdict = self.verdict(facts, on)?;
        Ok(Eligibility {
            status: verdict.status,
            failed: self.eligibility.failed(&verdict.failed),
            questions: eligibility::questions(self.facts(), &verdict.asked),
        })
    }

    /// The conditions' verdict alone, evaluating only the situations they read.
    pub(crate) fn verdict(
        &self,
        facts: &[Option<FactValue>],
        on: NaiveDate,
    ) -> Result<Verdict, DecideError> {
        self.clock.pauses(facts, on)?;
        let rules = &self.eligibility;
        let situations = rules.situation_values(facts, on, Some(&rules.condition_situations))?;
        let env = Env {
            facts,
            situations: &situations,
            situation_nodes: rules.situations.as_slice(),
            today: on,
        };
        // Made only when a condition is open: most answers ask nothing, and in WebAssembly
        // each allocation is a round trip through the allocator.
        let mut asked = Vec::new();
        let Outcome { failed, undecided } = rules.outcome(&env, self.facts().len(), &mut asked)?;
        let status = if !failed.is_empty() {
            Status::Ineligible
        } else if undecided {
            Status::NeedsFacts
        } else {
            Status::Eligible
        };
        if status != Status::NeedsFacts {
            asked.clear();
        }
        Ok(Verdict {
            status,
            failed,
            asked,
        })
    }

    /// Decides for facts already checked by [`Matter::check_facts`], for an application accepted
    /// on `on`.
    pub fn decide_checked(
        &self,
        facts: &[Option<FactValue>],
        on: NaiveDate,
        calendar: &Calendar,
    ) -> Result<Decision, DecideError> {
        let pauses = self.clock.pauses(facts, on)?;
        let rules = &self.eligibility;
        let situations = rules.situation_values(facts, on, None)?;
        let env = Env {
            facts,
            situations: &situations,
            situation_nodes: rules.situations.as_slice(),
            today: on,
        };
        let mut missing = alloc::vec![false; self.facts().len()];
        let outcome = rules.outcome(&env, self.facts().len(), &mut missing)?;
        let mut materials = Vec::with_capacity(self.materials.len());
        for material in &self.materials {
            materials.push(material.decide(&env, self.commitment.as_ref(), &mut missing)?);
        }
        let fees = match &self.fees {
            Some(fees) => Some(
                fees.evaluate(&env, &mut missing)
                    .map_err(|Overflow| DecideError::overflow("fees"))?,
            ),
            None => None,
        };
        let (routing, received) = match &self.tongban {
            Some(t) => {
                let (routing, received) =
                    t.route(facts, on, &self.info.agency, calendar, &mut missing);
                (Some(routing), received)
            }
            None => (None, on),
        };
        let route = self.clock.route(&env, &mut missing)?;
        let pending = outcome.undecided
            || route.is_err()
            || routing
                .as_ref()
                .is_some_and(|r| r.status == RoutingStatus::Pending)
            || fees.as_ref().is_some_and(|f| f.pending)
            || materials
                .iter()
                .any(|m| m.status == MaterialStatus::Undetermined);
        let mut status = match (outcome.failed.is_empty(), pending) {
            (false, _) => Status::Ineligible,
            (true, true) => Status::NeedsFacts,
            (true, false) => Status::Eligible,
        };
        let acceptance =
            self.acceptance
                .acceptance(facts, on, status, calendar, &mut materials, &mut missing);
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
        let not_accepted = match (status, &acceptance) {
            (Status::Ineligible, _) => Some(NoDeadlineReason::Ineligible),
            (_, Some(a)) if a.status == AcceptanceStatus::NotAccepted => {
                Some(NoDeadlineReason::MissingMaterials)
            }
            _ => None,
        };
        let (deadline, no_deadline) = match not_accepted {
            Some(reason) => (
                None,
                Some(NoDeadline::new(reason, &*self.info.kind == "行政许可")),
            ),
            None => {
                let rule = route.ok().flatten();
                let mut deadline = self.deadline_with(calendar, received, rule, pauses);
                if let Some(error) = routing.as_ref().and_then(|r| r.error) {
                    for due in [&mut deadline.promised, &mut deadline.statutory] {
                        due.due = None;
                        due.error = Some(error);
                    }
                }
                for m in materials.iter_mut() {
                    let due = m
                        .commitment
                        .as_ref()
                        .and_then(|k| k.due(calendar, received));
                    match (m.status, due) {
                        (MaterialStatus::Committed, Some(Ok(date))) => m.due = Some(date),
                        (MaterialStatus::Committed, Some(Err(error))) => m.due_error = Some(error),
                        _ => {}
                    }
                }
                (Some(deadline), None)
            }
        };
        let decision = Decision {
            matter: MatterRef::of(self),
            version: VersionRef {
                id: self.version.id.clone(),
                effective: self.version.effective,
                last_day: self.version.end.as_ref().map(|e| e.last_day),
            },
            on,
            status,
            failed: rules.failed(&outcome.failed),
            questions: eligibility::questions(self.facts(), &missing),
            situations: rules.applying(&situations),
            materials,
            acceptance,
            commitment: self.commitment.as_ref().map(|policy| policy.decide(facts)),
            fees: fees.map(|f| f.block),
            routing,
            deadline,
            no_deadline,
            receipt: None,
        };
        Ok(decision)
    }

    /// The deadline block for an application accepted on `on` with the matter's own limits and
    /// the clock stops `pauses` (the checked `特别程序` fact).
    pub fn deadline(
        &self,
        calendar: &Calendar,
        on: NaiveDate,
        pauses: &[crate::facts::Pause],
    ) -> Deadline {
        self.deadline_with(calendar, on, None, pauses)
    }

    /// The deadline block `decided` would have had, had the application been accepted on `on`:
    /// the limits of the route it applied (or the matter's own); none when it was not accepted.
    /// A theme counts a matter that waits for another from the other's due date with this.
    pub(crate) fn deadline_as_decided(
        &self,
        calendar: &Calendar,
        on: NaiveDate,
        decided: &Decision,
    ) -> Option<Deadline> {
        let applied = decided.deadline.as_ref()?.applied.as_ref();
        let rule = applied.and_then(|a| self.clock.routes.iter().find(|r| r.applied.id == a.id));
        Some(self.deadline_with(calendar, on, rule, &[]))
    }

    /// The deadline block with the limits of the `[[time_limits]]` route `rule`, or the
    /// matter's own.
    fn deadline_with(
        &self,
        calendar: &Calendar,
        on: NaiveDate,
        rule: Option<&crate::deadline::TimeLimitRule>,
        pauses: &[crate::facts::Pause],
    ) -> Deadline {
        let chosen = match rule {
            Some(rule) => Chosen {
                promised: rule.promised,
                statutory: rule.statutory,
                promised_unverified: rule.unverified,
                statutory_unverified: rule.unverified,
                applied: Some(&rule.applied),
            },
            None => Chosen {
                promised: self.info.promised_limit,
                statutory: self.info.statutory_limit,
                promised_unverified: self.marks.is_unverified("promised_limit"),
                statutory_unverified: self.marks.is_unverified("statutory_limit"),
                applied: None,
            },
        };
        self.clock.deadline(calendar, on, chosen, pauses)
    }
}

impl MatterRef {
    /// The reference a decision on `matter` carries.
    fn of(matter: &Matter) -> MatterRef {
        let info = &matter.info;
        MatterRef {
            code: info.code.clone(),
            basic_code: info.basic_code.clone(),
            name: info.name.clone(),
            kind: info.kind.clone(),
            agency: info.agency.clone(),
            handling: info.handling.clone(),
            codes_unverified: matter.marks.is_unverified("codes"),
            region: matter.implementation.as_ref().map(|i| i.region.clone()),
            level: matter.implementation.as_ref().map(|i| i.level.clone()),
            illustrative: matter
                .implementation
                .as_ref()
                .is_some_and(|i| i.illustrative),
        }
    }
}
