//! 受理条件: the situations (情形) an application may be in, the conditions it must meet, and
//! the questions still worth asking while facts are missing.
//!
//! Conditions are evaluated in Kleene's three-valued logic (core/DESIGN.md): an unanswered fact
//! makes a condition unknown rather than false, so an interview is never told "ineligible"
//! before it is asked anything.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::checker::Checker;
use crate::common::{Citation, Citations, Text, short_citations};
use crate::error::{DecideError, SourcePath};
use crate::expr::{Env, Node, Overflow, Scope};
use crate::facts::{FactDef, FactKind, FactSourceKind, FactValue};
use crate::source::MatterSource;

/// The outcome of a decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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

/// Whether the 受理条件 hold: [`crate::Matter::eligibility`].
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
    pub(crate) fn of(fact: &FactDef) -> Question {
        Question {
            fact: fact.name.clone(),
            question: fact.question.clone(),
            kind: fact.kind,
            options: fact.options.clone(),
            source: fact.source,
        }
    }
}

/// The questions for the facts marked in `missing`, in schema order.
pub(crate) fn questions(facts: &[FactDef], missing: &[bool]) -> Vec<Question> {
    facts
        .iter()
        .zip(missing)
        .filter(|(_, wanted)| **wanted)
        .map(|(f, _)| Question::of(f))
        .collect()
}

/// A compiled condition.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Condition {
    /// What it is failed as.
    pub failed: FailedCondition,
    /// The situation in which the condition applies; always when `None`.
    pub when: Option<Node>,
    /// What must hold there.
    pub require: Node,
}

impl Condition {
    /// Its expressions: `require`, and `when` if it has one.
    fn nodes(&self) -> impl Iterator<Item = &Node> {
        core::iter::once(&self.require).chain(&self.when)
    }
}

/// A matter's situations and conditions, compiled.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Conditions {
    /// Named situations, each reading only the ones before it.
    pub situations: Vec<(String, Node)>,
    /// The 受理条件, in rule-file order.
    pub conditions: Vec<Condition>,
    /// Per situation, whether a condition reads it (directly or through another situation):
    /// an eligibility answer evaluates only those.
    pub condition_situations: Vec<bool>,
    /// Per fact, whether a condition reads it (directly or through a situation): an
    /// eligibility answer needs only their values, though it checks every fact given.
    pub condition_facts: Vec<bool>,
}

/// Situation names to their numbers, for the scope of later expressions.
pub(crate) type SituationIndex = BTreeMap<String, u16>;

/// Compiles `[[situations]]`: each sees only those above it, so definitions cannot loop.
pub(crate) fn compile_situations(
    c: &mut Checker<'_>,
    src: &MatterSource,
    facts: &[FactDef],
    fact_index: &BTreeMap<String, u16>,
) -> (Vec<(String, Node)>, SituationIndex) {
    let mut index = SituationIndex::new();
    let mut situations = Vec::with_capacity(src.situations.len());
    for (i, s) in src.situations.iter().enumerate() {
        let path = SourcePath::root().key("situations").index(i);
        c.identifier(path.key("name"), &s.name);
        if fact_index.contains_key(&s.name) || index.contains_key(&s.name) {
            c.duplicate(path.key("name"), "fact or situation name", &s.name);
        }
        let scope = Scope {
            facts,
            fact_index,
            situations: &index,
        };
        let node = c
            .condition(path.key("when"), &s.when, &scope)
            .unwrap_or(Node::Bool(false));
        index.insert(s.name.clone(), u16::try_from(i).unwrap_or(u16::MAX));
        situations.push((s.name.clone(), node));
    }
    (situations, index)
}

/// Compiles `[[conditions]]` over the situations compiled before them.
pub(crate) fn compile(
    c: &mut Checker<'_>,
    src: &MatterSource,
    situations: Vec<(String, Node)>,
    scope: &Scope<'_>,
    basis_index: &BTreeMap<&str, usize>,
    cited: &[Citation],
) -> Conditions {
    let mut ids = BTreeMap::new();
    let mut conditions = Vec::with_capacity(src.conditions.len());
    for (i, k) in src.conditions.iter().enumerate() {
        let path = SourcePath::root().key("conditions").index(i);
        if ids.insert(k.id.as_str(), ()).is_some() {
            c.duplicate(path.key("id"), "condition id", &k.id);
        }
        c.text(path.key("message"), &k.message);
        let basis = c.basis_refs(&path.key("basis"), &k.basis, basis_index, true);
        let require = c.condition(path.key("require"), &k.require, scope);
        let when = k
            .when
            .as_ref()
            .map(|w| c.condition(path.key("when"), w, scope));
        conditions.push(Condition {
            failed: FailedCondition {
                id: k.id.as_str().into(),
                message: k.message.as_str().into(),
                basis: short_citations(cited, &basis),
            },
            when: when.flatten(),
            require: require.unwrap_or(Node::Bool(true)),
        });
    }
    let condition_situations = read_situations(&conditions, &situations);
    let condition_facts = read_facts(
        &conditions,
        &situations,
        &condition_situations,
        scope.facts.len(),
    );
    Conditions {
        situations,
        conditions,
        condition_situations,
        condition_facts,
    }
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

/// The conditions' verdict before it is written out.
pub(crate) struct Outcome {
    /// The numbers of the failed conditions.
    pub failed: Vec<usize>,
    /// Whether a condition is still open (its facts marked as missing).
    pub undecided: bool,
}

impl Conditions {
    /// Each situation's truth, in order (a situation may read the ones before it); with
    /// `only`, just the situations it marks (the others are left unknown).
    pub(crate) fn situation_values(
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
            let value = node
                .truth(&env)
                .map_err(|Overflow| DecideError::overflow(name))?;
            situations.push(value);
        }
        Ok(situations)
    }

    /// The names of the situations that apply, in rule-file order.
    pub(crate) fn applying(&self, values: &[Option<bool>]) -> Vec<String> {
        self.situations
            .iter()
            .zip(values)
            .filter(|(_, value)| **value == Some(true))
            .map(|((name, _), _)| name.clone())
            .collect()
    }

    /// The numbers of the conditions that fail, and whether any is still open (its facts
    /// marked in `missing`, which is made one flag per fact if it is empty).
    pub(crate) fn outcome(
        &self,
        env: &Env<'_>,
        facts: usize,
        missing: &mut Vec<bool>,
    ) -> Result<Outcome, DecideError> {
        let mut failed = Vec::new();
        let mut undecided = false;
        for (number, condition) in self.conditions.iter().enumerate() {
            let fail = |_: Overflow| DecideError::overflow(&condition.failed.id);
            let applies = match &condition.when {
                None => Some(true),
                Some(when) => when.truth(env).map_err(fail)?,
            };
            let holds = match applies {
                Some(false) => continue,
                _ => condition.require.truth(env).map_err(fail)?,
            };
            // Whether the condition applies is open: establish the situation first, so an
            // interview does not ask about requirements of a situation that may not arise.
            let open = match (applies, holds) {
                (_, Some(true)) | (Some(false), _) => None,
                (Some(true), Some(false)) => {
                    failed.push(number);
                    None
                }
                (None, _) => condition.when.as_ref(),
                (Some(true), None) => Some(&condition.require),
            };
            if let Some(node) = open {
                undecided = true;
                missing.resize(facts, false);
                node.missing(env, missing).map_err(fail)?;
            }
        }
        Ok(Outcome { failed, undecided })
    }

    /// The failed conditions numbered `numbers`, as a decision lists them.
    pub(crate) fn failed(&self, numbers: &[usize]) -> Vec<FailedCondition> {
        numbers
            .iter()
            .filter_map(|&n| self.conditions.get(n))
            .map(|c| c.failed.clone())
            .collect()
    }
}
