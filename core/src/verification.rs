//! How sure each rule is: verification marks on citations, codes and limits, and the list of
//! what to check again.
//!
//! An author writes a mark as `verified = "YYYY-MM-DD source"`: the day the element was checked
//! and the text it was checked against. An element without a mark is unverified, and decisions
//! resting on it say so. Which marks are old is a question about a reference date, which the
//! caller gives: the core knows no clock.

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::checker::Checker;
use crate::common::Text;
use crate::error::SourcePath;
use crate::facts::parse_date;

/// When an element was checked, and against what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mark {
    /// The day it was checked.
    pub checked: NaiveDate,
    /// The text it was checked against (a database, a gazette, an official page).
    pub source: Text,
}

/// One element of a matter version and its mark, as `banshi sources` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceMark {
    /// 实施编码.
    pub code: Text,
    /// The rule version.
    pub version: Text,
    /// The rule file.
    pub file: String,
    /// The element: `codes`, `statutory_limit`, `promised_limit`, `time_limits.ID` or
    /// `basis.ID` (with the document and article).
    pub item: String,
    /// The mark; absent when unverified.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verified: Option<Mark>,
}

impl SourceMark {
    /// Whether to check it again on `on`: unverified, or checked more than `older_than` days
    /// before `on` (every verified mark when `older_than` is `None` is kept as it is).
    pub fn due_on(&self, on: NaiveDate, older_than: Option<u32>) -> bool {
        match (&self.verified, older_than) {
            (None, _) => true,
            (Some(_), None) => false,
            (Some(mark), Some(days)) => {
                on.signed_duration_since(mark.checked).num_days() > i64::from(days)
            }
        }
    }
}

/// A mark as written, checked: a real date, a space, and a source.
pub(crate) fn parse(c: &mut Checker<'_>, path: SourcePath, text: Option<&str>) -> Option<Mark> {
    let text = text?;
    let (date, source) = text.trim().split_once(' ').unwrap_or((text.trim(), ""));
    match (parse_date(date), source.trim()) {
        (Some(checked), source) if !source.is_empty() => Some(Mark {
            checked,
            source: source.into(),
        }),
        _ => {
            c.invalid(
                path,
                "a verification mark is `\"YYYY-MM-DD source\"`: the day it was checked and the text it was checked against",
            );
            None
        }
    }
}

/// Collects a matter version's marks in file order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Marks(pub Vec<(String, Option<Mark>)>);

impl Marks {
    /// Adds the element `item` with its mark.
    pub(crate) fn add(&mut self, item: impl ToString, mark: Option<Mark>) {
        self.0.push((item.to_string(), mark));
    }

    /// How many elements are unverified.
    pub(crate) fn unverified(&self) -> usize {
        self.0.iter().filter(|(_, m)| m.is_none()).count()
    }

    /// Whether the element `item` is unverified.
    pub(crate) fn is_unverified(&self, item: &str) -> bool {
        self.0.iter().any(|(i, m)| i == item && m.is_none())
    }
}
