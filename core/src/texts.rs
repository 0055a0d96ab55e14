//! The JSON of each condition's entry in an eligibility answer's `failed` and of each fact's in
//! its `questions`, written once when the rules are compiled, so that an eligibility envelope is
//! copied rather than serialized.

use alloc::string::String;
use alloc::vec::Vec;
use chrono::NaiveDate;

use crate::Text;
use crate::eligibility::Question;
use crate::error::DecideError;
use crate::facts::FactValue;
use crate::json::{self, SerializeError, push_list};
use crate::matter::Matter;

/// A matter version's answers as JSON: each condition's entry in a decision's `failed` and each
/// fact's in its `questions`, which eligibility envelopes copy.
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
    /// [`Matter::eligibility`] as the channels' envelope, `{"ok":true,"status",…}`, written
    /// from the JSON each condition and question has had since the rules were compiled: the
    /// answer is copied, not serialized. `fast_paths_give_the_same_bytes` (bindings/cli/tests)
    /// holds it to serde's bytes for the same [`Eligibility`](crate::eligibility::Eligibility).
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
}
