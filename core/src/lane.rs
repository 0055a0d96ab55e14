//! The Rust side of the npm package's binary lane: facts read from the package's binary
//! encoding, and eligibility and questions answered as numbers read against texts the package
//! was given once per matter (core/DESIGN.md, "Why does the binary lane name matters by
//! number").

use alloc::string::String;
use alloc::vec::Vec;
use chrono::NaiveDate;

use crate::Text;
use crate::calendar::Calendar;
use crate::decision::Asking;
use crate::eligibility::{Question, Status};
use crate::error::DecideError;
use crate::facts::FactValue;
use crate::json::{self, SerializeError, push_list};
use crate::matter::Matter;

/// A matter version's answers as JSON, written once when the rules are compiled: each
/// condition's entry in a decision's `failed` and each fact's in its `questions`. The JSON
/// text path copies them into eligibility envelopes; the binary lane sends them to the package
/// once, and answers with their numbers.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Texts {
    pub failed: Vec<Text>,
    pub questions: Vec<Text>,
}

impl Texts {
    /// The texts of `matter`.
    pub(crate) fn new(matter: &Matter) -> Result<Texts, SerializeError> {
        let failed = matter
            .eligibility
            .conditions
            .iter()
            .map(|c| json::to_json(&c.failed, "a failed condition").map(Text::from))
            .collect::<Result<_, _>>()?;
        let questions = matter
            .facts()
            .iter()
            .map(|f| json::to_json(&Question::of(f), "a question").map(Text::from))
            .collect::<Result<_, _>>()?;
        Ok(Texts { failed, questions })
    }
}

impl Matter {
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
        let mut values: Vec<Option<FactValue>> = alloc::vec![None; self.facts().len()];
        encoded::read(bytes, |index, value| {
            let index = usize::from(index);
            let fact = self.facts().get(index)?;
            let value = match value {
                Encoded::Options(options)
                    if conditions_only
                        && !self
                            .eligibility
                            .condition_facts
                            .get(index)
                            .copied()
                            .unwrap_or(true) =>
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

    /// [`Matter::eligibility`] as the channels' envelope, `{"ok":true,"status",…}`, written
    /// from the JSON each condition and question has had since the rules were compiled: the
    /// answer is copied, not serialized. `fast_paths_give_the_same_bytes` (bindings/cli/tests)
    /// holds it to serde's bytes for the same [`Eligibility`].
    pub(crate) fn eligibility_envelope(
        &self,
        texts: &Texts,
        facts: &[Option<FactValue>],
        on: NaiveDate,
    ) -> Result<String, DecideError> {
        let outcome = self.verdict(facts, on)?;
        let mut out = String::with_capacity(64);
        out.push_str("{\"ok\":true,\"status\":\"");
        out.push_str(outcome.status.as_str());
        out.push_str("\",\"failed\":");
        push_list(
            &mut out,
            outcome.failed.iter().filter_map(|&n| texts.failed.get(n)),
        );
        out.push_str(",\"questions\":");
        push_list(
            &mut out,
            texts
                .questions
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
        let outcome = self.verdict(facts, on)?;
        Ok(numbers(outcome.status, &outcome.failed, &outcome.asked))
    }
}

impl Texts {
    /// `{"failed":[…],"questions":[…]}`: each condition's entry in an eligibility answer's
    /// `failed` and each fact's in its `questions`, in rule-file order, for reading
    /// the numbers an eligibility call answers with (`Matter::eligibility_numbers`).
    pub(crate) fn to_json(&self) -> String {
        let mut out = String::from("{\"failed\":");
        push_list(&mut out, self.failed.iter());
        out.push_str(",\"questions\":");
        push_list(&mut out, self.questions.iter());
        out.push('}');
        out
    }
}

impl Matter {
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
        let (decision, asked) = self.decide_asking(facts, on, calendar, Asking::Flags)?;
        Ok(numbers(decision.status, &[], &asked))
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
