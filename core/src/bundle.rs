//! Rules as canonical files: what every channel loads, byte for byte.
//!
//! A bundle is a catalogue (see [`crate::index`]): its first line is the header,
//! `{"format":"banshi-catalogue/1","hash":"sha256:…","signatures":[{"key":"…","signature":"…"}],"index":{…}}`,
//! where `index` is the catalogue's [`Index`] in canonical form (keys in declaration order,
//! files in name order), `hash` is the SHA-256 of exactly that text, and each signature is an
//! Ed25519 signature by the publishing agency's key (hex) over [`signed_message`]: the format
//! tag and the hash. Each matter file's canonical text follows on a line of its own, in the
//! index's order; the index gives each one's SHA-256 and length, so the hash covers every
//! matter, and a matter is found without reading the others. Split delivery is the same bytes
//! in several files: the header line alone, and each matter's text in a file named by its hash
//! ([`matter_file`]), fetched when a session first needs it.
//!
//! Opening checks the header's hash and the signatures against the keys the channel trusts
//! ([`Trust`]) and compiles no matter; each matter is checked against its hash when it is first
//! compiled, and refused if it does not match. Unsigned catalogues open only in development
//! mode; a signature that does not verify is refused in every mode. Bundles of the format
//! before catalogues (`banshi-bundle/1`, one JSON document holding every rule) are refused as
//! another format: rebuild them with `banshi bundle`.

use alloc::string::{String, ToString};
use alloc::sync::Arc;
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

use crate::SourceFile;
use crate::error::RuleError;
use crate::index::{Index, MatterError, MatterStore, Matters, TextStore};
use crate::json::{self, SerializeError};
use crate::keys::{self, PublicKey, Trust};
use crate::{RuleSet, RuleSetSource};

/// The format tag of catalogues this core reads and writes.
pub const FORMAT: &str = "banshi-catalogue/1";

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
    /// A matter of a catalogue whose text is not the one its index names.
    #[error(transparent)]
    Matter(alloc::boxed::Box<MatterError>),
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
struct HeaderOut<'a> {
    format: &'a str,
    hash: &'a str,
    signatures: &'a [BundleSignature],
    index: &'a serde_json::value::RawValue,
}

/// A header line. The index is optional here so that another format (a bundle from before
/// catalogues has `rules`) is reported as such.
#[derive(Deserialize)]
struct HeaderIn<'a> {
    format: String,
    hash: String,
    #[serde(default)]
    signatures: Vec<BundleSignature>,
    #[serde(borrow, default)]
    index: Option<&'a serde_json::value::RawValue>,
}

/// What a catalogue's signatures sign: the format tag, a space and the hash
/// (`banshi-catalogue/1 sha256:…`), as ASCII. The tag keeps a signature made with the same key
/// for anything else from passing for a catalogue's.
pub fn signed_message(hash: &str) -> String {
    let mut out = String::with_capacity(FORMAT.len().saturating_add(1).saturating_add(hash.len()));
    out.push_str(FORMAT);
    out.push(' ');
    out.push_str(hash);
    out
}

pub use crate::keys::sha256;

/// The name of a matter's file in split delivery: the hex digits of its hash and `.json`.
pub fn matter_file(hash: &str) -> String {
    let digits = hash.strip_prefix("sha256:").unwrap_or(hash);
    let mut out = String::with_capacity(digits.len().saturating_add(5));
    out.push_str(digits);
    out.push_str(".json");
    out
}

/// A catalogue written: its header line, then each line's text with its hash: the index's
/// pages, then the matters, both by code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Catalogue {
    /// The header line (without its newline): format, hash, signatures and index.
    pub header: String,
    /// Each page's and each matter's hash and canonical text, in the order of their lines.
    pub lines: Vec<(String, String)>,
}

impl Catalogue {
    /// The one-file form: the header, then each page and each matter, each on its own line.
    pub fn one_file(&self) -> String {
        let size = self.lines.iter().fold(self.header.len(), |n, (_, t)| {
            n.saturating_add(t.len()).saturating_add(1)
        });
        let mut out = String::with_capacity(size.saturating_add(1));
        out.push_str(&self.header);
        out.push('\n');
        for (_, text) in &self.lines {
            out.push_str(text);
            out.push('\n');
        }
        out
    }
}

/// The sources as a bundle carries them: with the catalogue, each implementation written out as
/// one complete matter (`catalogue::published`); without it, the sources as they are.
pub fn published(src: &RuleSetSource) -> alloc::borrow::Cow<'_, RuleSetSource> {
    #[cfg(feature = "catalogue")]
    return crate::catalogue::published(src);
    #[cfg(not(feature = "catalogue"))]
    alloc::borrow::Cow::Borrowed(src)
}

/// Checks and compiles the sources, then writes them as an unsigned one-file catalogue.
pub fn write(src: &RuleSetSource) -> Result<String, Vec<RuleError>> {
    write_signed(src, |_| Vec::new())
}

/// Checks and compiles the sources, then writes them as a one-file catalogue with the
/// signatures `sign` makes over the message it is given ([`signed_message`] of the hash). The
/// core only verifies; the signing key stays with the caller (`banshi bundle --sign`).
pub fn write_signed(
    src: &RuleSetSource,
    sign: impl FnOnce(&[u8]) -> Vec<BundleSignature>,
) -> Result<String, Vec<RuleError>> {
    write_catalogue(src, sign).map(|c| c.one_file())
}

/// Checks and compiles the sources, then writes them as a catalogue: the header and the
/// matters apart, for split delivery or [`Catalogue::one_file`].
pub fn write_catalogue(
    src: &RuleSetSource,
    sign: impl FnOnce(&[u8]) -> Vec<BundleSignature>,
) -> Result<Catalogue, Vec<RuleError>> {
    let written = RuleSet::written(src)?;
    let rules = &written.rules;
    let one = |e: SerializeError| alloc::vec![RuleError::from(e)];
    let body = written.index.clone();
    let raw = serde_json::value::RawValue::from_string(body).map_err(|e| {
        one(SerializeError {
            what: "the catalogue's index",
            message: e.to_string(),
        })
    })?;
    let header = json::to_json(
        &HeaderOut {
            format: FORMAT,
            hash: rules.hash(),
            signatures: &sign(signed_message(rules.hash()).as_bytes()),
            index: &raw,
        },
        "the catalogue's header",
    )
    .map_err(one)?;
    let lines = written
        .pages
        .iter()
        .map(|(p, text)| (p.hash.clone(), text.clone()))
        .chain(written.matters.iter().cloned())
        .collect();
    Ok(Catalogue { header, lines })
}

/// Reads a bundle: a one-file catalogue, or a catalogue's header line alone (its matters then
/// come through [`RuleSet::supply`]). Checks the hash and the signatures
/// against `trust`; a catalogue's matters are compiled when first used, each checked against its
/// hash. The rule set's receipts are made with the development receipt key until one is given
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
/// println!("{} matters, {}", rules.matters()?.len(), rules.hash());
/// # Ok(())
/// # }
/// ```
pub fn load(text: &str, trust: &Trust) -> Result<RuleSet, BundleError> {
    // Only a catalogue's canonical header starts so; anything else is read whole, for the error
    // it is (another format, or not a bundle). The npm package splits a bundle by the same test.
    let Some((header, rest)) = text
        .starts_with(CATALOGUE_START)
        .then(|| text.split_once('\n').unwrap_or((text, "")))
    else {
        // Another format's first line says which; anything else is read whole, for its error.
        let first = text.split('\n').next().unwrap_or(text);
        if let Ok(head) = read_header(first)
            && head.format != FORMAT
        {
            return Err(BundleError::Format { found: head.format });
        }
        return open(text, None, trust);
    };
    let store = (!rest.is_empty())
        .then(|| -> Arc<dyn MatterStore> { Arc::new(TextStore::new(rest.as_bytes().to_vec())) });
    open(header, store, trust)
}

/// How a catalogue's header line starts.
pub const CATALOGUE_START: &str = "{\"format\":\"banshi-catalogue/1\",";

/// The sources of a one-file catalogue as it carries them (every implementation written out as
/// one complete matter), checked as [`load`] checks them (format, hash, signatures, canonical
/// form, each matter against its hash) but not compiled: for tools that look at rules as
/// written or vary them (`banshi lint`, `banshi generate`, `banshi impact`).
pub fn sources(text: &str, trust: &Trust) -> Result<RuleSetSource, BundleError> {
    let (header, rest) = text.split_once('\n').unwrap_or((text, ""));
    let (index, _) = checked_index(read_header(header)?, trust)?;
    let store = TextStore::new(rest.as_bytes().to_vec());
    let all = Matters::open(index.pages).map_err(|message| BundleError::Malformed { message })?;
    let matter = |e| BundleError::Matter(alloc::boxed::Box::new(e));
    let entries = all.all(Some(&store)).map_err(matter)?;
    let mut matters = Vec::with_capacity(entries.len());
    for (n, entry) in entries.iter().enumerate() {
        let (_, start) = all.entry(n, Some(&store)).map_err(matter)?;
        let text = rest
            .as_bytes()
            .get(start..start.saturating_add(entry.bytes))
            .unwrap_or_default();
        let source = crate::index::read(entry, text).map_err(matter)?;
        matters.push(SourceFile::new(entry.file.clone(), source));
    }
    Ok(RuleSetSource {
        matters,
        themes: index.themes,
        #[cfg(feature = "catalogue")]
        retained_proofs: index.retained_proofs,
        ..RuleSetSource::new(index.licences, index.calendar)
    })
}

fn malformed(e: serde_json::Error) -> BundleError {
    BundleError::Malformed {
        message: alloc::format!("{e}"),
    }
}

fn read_header(text: &str) -> Result<HeaderIn<'_>, BundleError> {
    crate::read::from_str(text).map_err(malformed)
}

/// Opens a catalogue from its header line, reading its pages and matters from `store` (or,
/// without one, from [`RuleSet::supply`]): checks the hash and the signatures, reads no page and
/// compiles no matter.
pub fn open(
    header: &str,
    store: Option<Arc<dyn MatterStore>>,
    trust: &Trust,
) -> Result<RuleSet, BundleError> {
    let (index, hash) = checked_index(read_header(header)?, trust)?;
    RuleSet::open(index, hash, store).map_err(|errors| BundleError::Rules { errors })
}

/// The index of a catalogue's header, once its hash, signatures and canonical form are checked.
fn checked_index(head: HeaderIn<'_>, trust: &Trust) -> Result<(Index, String), BundleError> {
    let body = index_of(head)?;
    // The hash covers the text as written; it is also the canonical text of what it parses to,
    // which is checked below so that a hand-made bundle cannot carry two readings.
    let actual = sha256(body.index.get().as_bytes());
    if actual != body.hash {
        return Err(BundleError::HashMismatch {
            declared: body.hash,
            actual,
        });
    }
    check_signatures(&signed_message(&body.hash), &body.signatures, trust)?;
    let not_canonical = || BundleError::Malformed {
        message: "the index is not in canonical form; rebuild the bundle with `banshi bundle`"
            .into(),
    };
    let body_text = body.index.get();
    let index: Index = crate::read::from_str(body_text).map_err(malformed)?;
    let written = json::to_json(&index.as_ref(), "the catalogue's index").ok();
    if written.as_deref() != Some(body_text) {
        return Err(not_canonical());
    }
    Ok((index, body.hash))
}

/// A header of this format, with its index.
struct Header<'a> {
    hash: String,
    signatures: Vec<BundleSignature>,
    index: &'a serde_json::value::RawValue,
}

/// The header's parts, once it is known to be a catalogue's of this format.
fn index_of(head: HeaderIn<'_>) -> Result<Header<'_>, BundleError> {
    if head.format != FORMAT {
        return Err(BundleError::Format { found: head.format });
    }
    let Some(index) = head.index else {
        return Err(BundleError::Malformed {
            message: "the header has no index".into(),
        });
    };
    Ok(Header {
        hash: head.hash,
        signatures: head.signatures,
        index,
    })
}

/// Whether `signatures` over `message` (the format tag and the hash) satisfy `trust`: every signature
/// must verify against the key it names, and, outside development mode, one of those keys must
/// be trusted.
fn check_signatures(
    message: &str,
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
