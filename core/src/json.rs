//! Writing JSON: the one place where the core's values become text.
//!
//! Every output is serde_json's compact form of a serde type: keys in declaration order, lists
//! in rule-file order, decimals as strings. A value that cannot be written is a
//! [`SerializeError`], never an empty or partial text that could be hashed into a valid-looking
//! bundle or receipt.

use alloc::string::{String, ToString};
use serde::Serialize;

use crate::common::Text;

/// A value that could not be written as JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{what} could not be written as JSON: {message}")]
pub struct SerializeError {
    /// What was being written.
    pub what: &'static str,
    /// serde_json's message.
    pub message: String,
}

/// The canonical JSON text of `value`; `what` names it in the error.
pub(crate) fn to_json<T: Serialize + ?Sized>(
    value: &T,
    what: &'static str,
) -> Result<String, SerializeError> {
    serde_json::to_string(value).map_err(|e| SerializeError {
        what,
        message: e.to_string(),
    })
}

/// Appends a JSON list of items that are JSON text already (written by [`to_json`]).
pub(crate) fn push_list<'t>(out: &mut String, items: impl Iterator<Item = &'t Text>) {
    out.push('[');
    for (i, item) in items.enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(item);
    }
    out.push(']');
}
