//! Rules as one canonical file: what every channel loads, byte for byte.
//!
//! A bundle is JSON: `{"format":"banshi-bundle/1","hash":"sha256:…","rules":{…}}`, where `rules`
//! is the [`RuleSetSource`] in canonical form (keys in declaration order, files in name order)
//! and `hash` is the SHA-256 of exactly that text. Loading recomputes the hash, so a bundle that
//! was edited or corrupted on the way to a kiosk is refused instead of deciding differently.

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::RuleError;
use crate::json::{self, SerializeError};
use crate::{RuleSet, RuleSetSource};

/// The format tag of bundles this core reads and writes.
pub const FORMAT: &str = "banshi-bundle/1";

/// Bundles larger than this are refused before parsing.
pub const MAX_BUNDLE_BYTES: usize = 64 * 1024 * 1024;

/// A problem with a bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BundleError {
    /// Not JSON of the bundle's shape.
    #[error("not a banshi bundle: {message}")]
    Malformed {
        /// The parser's message, with line and column.
        message: String,
    },
    /// Another format or version.
    #[error(
        "bundle format `{found}` is not `{FORMAT}`; rebuild it with this version's `banshi bundle`"
    )]
    Format {
        /// The format the bundle declares.
        found: String,
    },
    /// The content does not match its hash.
    #[error("bundle content does not match its hash: declared {declared}, content {actual}")]
    HashMismatch {
        /// The hash in the bundle.
        declared: String,
        /// The hash of its content.
        actual: String,
    },
    /// Larger than [`MAX_BUNDLE_BYTES`].
    #[error("bundle is {size} bytes; at most {limit} are accepted")]
    TooLarge {
        /// Its size.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// The rules inside do not compile.
    #[error("the bundle's rules have {} problem(s); the first: {}", errors.len(), errors.first().map(ToString::to_string).unwrap_or_default())]
    Rules {
        /// Every problem.
        errors: Vec<RuleError>,
    },
}

#[derive(Serialize)]
struct BundleOut<'a> {
    format: &'a str,
    hash: &'a str,
    rules: &'a serde_json::value::RawValue,
}

#[derive(Deserialize)]
struct BundleIn<'a> {
    format: String,
    hash: String,
    #[serde(borrow)]
    rules: &'a serde_json::value::RawValue,
}

/// `sha256:` and the lowercase hex digest of `bytes`.
pub fn sha256(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(7 + 64);
    out.push_str("sha256:");
    for byte in digest {
        for nibble in [byte >> 4, byte & 15] {
            out.push(char::from_digit(u32::from(nibble), 16).unwrap_or('0'));
        }
    }
    out
}

/// The canonical text of rule sources: what a bundle's hash covers.
pub fn canonical(src: &RuleSetSource) -> Result<String, SerializeError> {
    json::to_json(src, "the rule sources")
}

/// Checks and compiles the sources, then writes them as a bundle.
pub fn write(src: &RuleSetSource) -> Result<String, Vec<RuleError>> {
    let rules = RuleSet::compile(src)?;
    let body = canonical(src).map_err(|e| alloc::vec![RuleError::from(e)])?;
    let raw = serde_json::value::RawValue::from_string(body).map_err(|e| {
        alloc::vec![RuleError::from(SerializeError {
            what: "the rule sources",
            message: e.to_string(),
        })]
    })?;
    json::to_json(
        &BundleOut {
            format: FORMAT,
            hash: rules.hash(),
            rules: &raw,
        },
        "the bundle",
    )
    .map_err(|e| alloc::vec![RuleError::from(e)])
}

/// Reads a bundle, verifies its hash and compiles its rules.
pub fn load(text: &str) -> Result<RuleSet, BundleError> {
    if text.len() > MAX_BUNDLE_BYTES {
        return Err(BundleError::TooLarge {
            size: text.len(),
            limit: MAX_BUNDLE_BYTES,
        });
    }
    let malformed = |e: serde_json::Error| BundleError::Malformed {
        message: alloc::format!("{e}"),
    };
    let bundle: BundleIn<'_> = serde_json::from_str(text).map_err(malformed)?;
    if bundle.format != FORMAT {
        return Err(BundleError::Format {
            found: bundle.format,
        });
    }
    // The hash covers the text as written; it is also the canonical text of what it parses to,
    // which is checked below so that a hand-made bundle cannot carry two readings.
    let actual = sha256(bundle.rules.get().as_bytes());
    if actual != bundle.hash {
        return Err(BundleError::HashMismatch {
            declared: bundle.hash,
            actual,
        });
    }
    let src: RuleSetSource = serde_json::from_str(bundle.rules.get()).map_err(malformed)?;
    if canonical(&src).ok().as_deref() != Some(bundle.rules.get()) {
        return Err(BundleError::Malformed {
            message: "the rules are not in canonical form; rebuild the bundle with `banshi bundle`"
                .into(),
        });
    }
    RuleSet::compile(&src).map_err(|errors| BundleError::Rules { errors })
}
