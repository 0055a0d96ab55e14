//! Rules as one canonical file: what every channel loads, byte for byte.
//!
//! A bundle is JSON:
//! `{"format":"banshi-bundle/1","hash":"sha256:…","signatures":[{"key":"…","signature":"…"}],"rules":{…}}`,
//! where `rules` is the [`RuleSetSource`] in canonical form (keys in declaration order, files in
//! name order), `hash` is the SHA-256 of exactly that text, and each signature is an Ed25519
//! signature by the publishing agency's key (hex) over [`signed_message`]: the format tag and
//! the hash. Loading recomputes the hash, so a bundle that was corrupted on the way to a kiosk
//! is refused instead of deciding differently; and it checks the signatures against the keys
//! the channel trusts ([`Trust`]), so that a bundle whose rules were edited and re-hashed is
//! refused too. Unsigned bundles load only in development mode; a signature that does not
//! verify is refused in every mode.

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::RuleError;
use crate::json::{self, SerializeError};
use crate::keys::{self, PublicKey, Trust};
use crate::{RuleSet, RuleSetSource};

/// The format tag of bundles this core reads and writes.
pub const FORMAT: &str = "banshi-bundle/1";

/// Bundles larger than this are refused before parsing.
pub const MAX_BUNDLE_BYTES: usize = 64 * 1024 * 1024;

/// Bundles with more signatures than this are refused before any is verified: each costs a
/// verification (about a millisecond in WebAssembly), and a bundle needs one per signing key.
pub const MAX_SIGNATURES: usize = 8;

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
    /// No signature, outside development mode.
    #[error(
        "the bundle is not signed; sign it with `banshi bundle --sign KEYFILE` (unsigned bundles load only in development mode)"
    )]
    Unsigned,
    /// Signed, but by none of the trusted keys (outside development mode).
    #[error("the bundle is signed by {} but by no trusted key", keys.join(", "))]
    UntrustedKey {
        /// The keys it is signed by, hex.
        keys: Vec<String>,
    },
    /// A signature that does not verify (refused in development mode too).
    #[error("the bundle's signature by {key} does not verify: {reason}")]
    BadSignature {
        /// The key it claims, as written.
        key: String,
        /// Why.
        reason: &'static str,
    },
    /// The rules inside do not compile.
    #[error("the bundle's rules have {} problem(s); the first: {}", errors.len(), errors.first().map(ToString::to_string).unwrap_or_default())]
    Rules {
        /// Every problem.
        errors: Vec<RuleError>,
    },
}

/// One signature of a bundle: the signer's public key and the Ed25519 signature over
/// [`signed_message`], both hex.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BundleSignature {
    /// The signer's Ed25519 public key, 64 hex digits.
    pub key: String,
    /// The signature, 128 hex digits.
    pub signature: String,
}

#[derive(Serialize)]
struct BundleOut<'a> {
    format: &'a str,
    hash: &'a str,
    signatures: &'a [BundleSignature],
    rules: &'a serde_json::value::RawValue,
}

#[derive(Deserialize)]
struct BundleIn<'a> {
    format: String,
    hash: String,
    #[serde(default)]
    signatures: Vec<BundleSignature>,
    #[serde(borrow)]
    rules: &'a serde_json::value::RawValue,
}

/// What a bundle's signatures sign: the format tag, a space and the hash
/// (`banshi-bundle/1 sha256:…`), as ASCII. The tag keeps a signature made with the same key
/// for anything else from passing for a bundle's.
pub fn signed_message(hash: &str) -> String {
    let mut out = String::with_capacity(FORMAT.len().saturating_add(1).saturating_add(hash.len()));
    out.push_str(FORMAT);
    out.push(' ');
    out.push_str(hash);
    out
}

/// `sha256:` and the lowercase hex digest of `bytes`.
pub fn sha256(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(7 + 64);
    out.push_str("sha256:");
    out.push_str(&keys::to_hex(&Sha256::digest(bytes)));
    out
}

/// The canonical text of rule sources: what a bundle's hash covers.
pub fn canonical(src: &RuleSetSource) -> Result<String, SerializeError> {
    json::to_json(src, "the rule sources")
}

/// The sources as a bundle carries them: with the catalogue, each implementation written out as
/// one complete matter (`catalogue::published`); without it, the sources as they are.
pub fn published(src: &RuleSetSource) -> alloc::borrow::Cow<'_, RuleSetSource> {
    #[cfg(feature = "catalogue")]
    return crate::catalogue::published(src);
    #[cfg(not(feature = "catalogue"))]
    alloc::borrow::Cow::Borrowed(src)
}

/// Checks and compiles the sources, then writes them as an unsigned bundle.
pub fn write(src: &RuleSetSource) -> Result<String, Vec<RuleError>> {
    write_signed(src, |_| Vec::new())
}

/// Checks and compiles the sources, then writes them as a bundle with the signatures `sign`
/// makes over the message it is given ([`signed_message`] of the rules' hash). The core only
/// verifies; the signing key stays with the caller (`banshi bundle --sign`).
pub fn write_signed(
    src: &RuleSetSource,
    sign: impl FnOnce(&[u8]) -> Vec<BundleSignature>,
) -> Result<String, Vec<RuleError>> {
    let rules = RuleSet::compile(src)?;
    let body = canonical(&published(src)).map_err(|e| alloc::vec![RuleError::from(e)])?;
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
            signatures: &sign(signed_message(rules.hash()).as_bytes()),
            rules: &raw,
        },
        "the bundle",
    )
    .map_err(|e| alloc::vec![RuleError::from(e)])
}

/// Reads a bundle, verifies its hash and its signatures against `trust`, and compiles its
/// rules. The rule set's receipts are made with the development receipt key until one is given
/// ([`RuleSet::with_receipt_key`]).
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use banshi_core::{ReceiptKey, Trust, bundle};
/// # let files = banshi_loader::read_rules(std::path::Path::new("../rules"), &[])?;
/// # let text = bundle::write(&banshi_loader::sources(&files).0).map_err(|e| format!("{e:?}"))?;
/// // `text`: a bundle written by `banshi bundle`. Unsigned, it loads in development mode
/// // only; a server trusts its agencies' keys: `Trust::keys([PublicKey::from_hex(…)?])`.
/// let rules = bundle::load(&text, &Trust::development())?.with_receipt_key(ReceiptKey::new(&[7; 32]));
/// assert!(matches!(bundle::load(&text, &Trust::keys([])), Err(bundle::BundleError::Unsigned)));
/// println!("{} matters, {}", rules.matters().len(), rules.hash());
/// # Ok(())
/// # }
/// ```
pub fn load(text: &str, trust: &Trust) -> Result<RuleSet, BundleError> {
    let src = sources(text, trust)?;
    RuleSet::compile(&src).map_err(|errors| BundleError::Rules { errors })
}

/// The sources of a bundle, read and checked as [`load`] checks them (size, format, hash,
/// signatures, canonical form) but not compiled: for tools that look at rules as written, such
/// as `banshi lint`.
pub fn sources(text: &str, trust: &Trust) -> Result<RuleSetSource, BundleError> {
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
    check_signatures(&bundle.hash, &bundle.signatures, trust)?;
    let src: RuleSetSource = serde_json::from_str(bundle.rules.get()).map_err(malformed)?;
    if canonical(&src).ok().as_deref() != Some(bundle.rules.get()) {
        return Err(BundleError::Malformed {
            message: "the rules are not in canonical form; rebuild the bundle with `banshi bundle`"
                .into(),
        });
    }
    Ok(src)
}

/// Whether `signatures` of the bundle whose hash is `hash` satisfy `trust`: every signature
/// must verify against the key it names, and, outside development mode, one of those keys must
/// be trusted.
fn check_signatures(
    hash: &str,
    signatures: &[BundleSignature],
    trust: &Trust,
) -> Result<(), BundleError> {
    if signatures.len() > MAX_SIGNATURES {
        return Err(BundleError::Malformed {
            message: alloc::format!(
                "{} signatures; at most {MAX_SIGNATURES} are accepted",
                signatures.len()
            ),
        });
    }
    let message = signed_message(hash);
    let mut trusted = false;
    for signature in signatures {
        let bad = |reason| BundleError::BadSignature {
            // As written, at most a key's length: the bundle may be anyone's.
            key: signature.key.chars().take(64).collect(),
            reason,
        };
        let key =
            PublicKey::from_hex(&signature.key).map_err(|_| bad("the key is not 64 hex digits"))?;
        let bytes: [u8; 64] = keys::from_hex(&signature.signature)
            .ok_or_else(|| bad("the signature is not 128 hex digits"))?;
        let verified = ed25519_compact::PublicKey::new(*key.as_bytes())
            .verify(message.as_bytes(), &ed25519_compact::Signature::new(bytes));
        if verified.is_err() {
            return Err(bad("it was not made over this bundle's hash with this key"));
        }
        trusted |= trust.keys.contains(&key);
    }
    match signatures {
        _ if trusted || trust.development => Ok(()),
        [] => Err(BundleError::Unsigned),
        _ => Err(BundleError::UntrustedKey {
            keys: signatures
                .iter()
                .map(|s| s.key.to_ascii_lowercase())
                .collect(),
        }),
    }
}
