//! A catalogue: every matter a province or city publishes, opened from its index without
//! compiling any matter, each matter compiled when it is first asked for and then kept.
//!
//! The index lists, for each matter file, what a listing and the choice of a version need (codes,
//! name, type, agency, version, effective date) and the SHA-256 and length of the matter's
//! canonical text. The catalogue's hash is the SHA-256 of the index, so it covers every matter
//! through their hashes; a matter's text is checked against its hash before it is read, and one
//! that does not match is refused with a [`MatterError`] naming it. Nothing decides on rules
//! that were not checked.
//!
//! Where a matter's text comes from is a [`MatterStore`]: the one-file catalogue's own text, a
//! file read on demand, or nothing, for channels that fetch matters themselves and hand them in
//! with [`crate::RuleSet::supply`] (the npm package, the mini-program).

use alloc::borrow::Cow;
use alloc::boxed::Box;
use alloc::string::{String, ToString};
use alloc::sync::Arc;
use alloc::vec::Vec;
use chrono::NaiveDate;
use once_cell::race::OnceBox;
use serde::{Deserialize, Serialize};

use crate::calendar::CalendarSource;
use crate::common::Text;
pub use crate::error::{MatterError, MatterErrorKind};
use crate::error::{RuleError, RuleErrorKind, SourcePath};
use crate::json::{self, SerializeError};
use crate::keys::sha256;
use crate::limits::MAX_MATTER_BYTES;
use crate::matter::{self, Matter};
use crate::source::{LicencesSource, MatterSource, ThemeSource};
use crate::texts::Texts;
use crate::{MatterSummary, SourceFile};

/// One matter file in a catalogue's index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// The matter file's name, relative to the rules folder.
    pub file: String,
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
    /// The rule version.
    pub version: Text,
    /// The version's first day in force.
    #[serde(deserialize_with = "date")]
    pub effective: NaiveDate,
    /// `sha256:` and the digest of the matter's canonical text.
    pub hash: String,
    /// The length of that text in bytes.
    pub bytes: usize,
    /// How the version ends, for one that ends without a successor (取消, 下放).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<EntryEnd>,
    /// How many of its citations, codes and limits carry no verification mark.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub unverified: usize,
    /// The region an implementation serves; absent for a matter written in one file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<Text>,
    /// 行使层级 of an implementation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<Text>,
    /// Whether the 实施编码 is a made-up example.
    #[serde(default, skip_serializing_if = "core::ops::Not::not")]
    pub illustrative: bool,
}

/// How a version that ends without a successor ends, as a decision after its last day says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntryEnd {
    /// The last day in force.
    #[serde(deserialize_with = "date")]
    pub last_day: NaiveDate,
    /// 取消 or 下放.
    pub reason: Text,
    /// Where the matter went or what replaces it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Text>,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl Entry {
    /// The entry of a compiled matter whose canonical text is `text`.
    pub(crate) fn of(m: &Matter, text: &str) -> Entry {
        let implementation = m.implementation();
        Entry {
            file: m.file.clone(),
            code: m.info.code.clone(),
            basic_code: m.info.basic_code.clone(),
            name: m.info.name.clone(),
            kind: m.info.kind.clone(),
            agency: m.info.agency.clone(),
            version: m.version.id.clone(),
            effective: m.version.effective,
            hash: sha256(text.as_bytes()),
            bytes: text.len(),
            end: m.version.end.as_ref().map(|e| EntryEnd {
                last_day: e.last_day,
                reason: e.reason.clone(),
                note: e.note.clone(),
            }),
            unverified: m.marks.unverified(),
            region: implementation.map(|i| i.region.clone()),
            level: implementation.map(|i| i.level.clone()),
            illustrative: implementation.is_some_and(|i| i.illustrative),
        }
    }

    /// The matter in a listing.
    pub fn summary(&self) -> MatterSummary {
        MatterSummary {
            code: self.code.clone(),
            basic_code: self.basic_code.clone(),
            name: self.name.clone(),
            kind: self.kind.clone(),
            agency: self.agency.clone(),
            version: self.version.clone(),
            effective: self.effective,
            last_day: self.end.as_ref().map(|e| e.last_day),
            unverified: self.unverified,
            region: self.region.clone(),
            level: self.level.clone(),
            illustrative: self.illustrative,
        }
    }
}

/// A `YYYY-MM-DD` date, read with the core's own date reader: chrono's general parser, which
/// its `Deserialize` uses, would be 10 KB more of the WebAssembly module.
fn date<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<NaiveDate, D::Error> {
    let text = <&str>::deserialize(deserializer)?;
    crate::facts::parse_date(text)
        .ok_or_else(|| serde::de::Error::custom("not a date in YYYY-MM-DD form"))
}

/// A catalogue's index: the shared files (licence catalogue, holiday calendar) and one
/// [`Entry`] per matter file, in file-name order. Its canonical JSON is what the catalogue's
/// hash covers.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Index {
    /// The electronic licence catalogue.
    pub licences: SourceFile<LicencesSource>,
    /// The official holiday calendar, one file a year.
    pub calendar: Vec<SourceFile<CalendarSource>>,
    /// Every matter file (an implementation written out as one complete matter).
    pub matters: Vec<Entry>,
    /// Themes (一件事一次办), carried whole; absent when there are none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub themes: Vec<SourceFile<ThemeSource>>,
}

impl Index {
    /// The index borrowed, as it is written.
    pub(crate) fn as_ref(&self) -> IndexRef<'_> {
        IndexRef {
            licences: &self.licences,
            calendar: &self.calendar,
            matters: &self.matters,
            themes: &self.themes,
        }
    }
}

/// [`Index`] borrowed, for writing: the same JSON.
#[derive(Serialize)]
pub(crate) struct IndexRef<'a> {
    pub licences: &'a SourceFile<LicencesSource>,
    pub calendar: &'a [SourceFile<CalendarSource>],
    pub matters: &'a [Entry],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub themes: &'a [SourceFile<ThemeSource>],
}

/// The canonical text of one matter file: what its entry's hash covers.
pub fn matter_text(src: &MatterSource) -> Result<String, SerializeError> {
    json::to_json(src, "a matter file")
}

/// Where the texts of a catalogue's matters come from.
pub trait MatterStore: Send + Sync {
    /// The text of the matter numbered `position` in the index, whose entry is `entry`; `None`
    /// when it is not at hand, for the channel to fetch and supply
    /// ([`crate::RuleSet::supply`]); an error when reading it failed.
    fn fetch(&self, position: usize, entry: &Entry) -> Result<Option<Cow<'_, [u8]>>, String>;
}

/// A one-file catalogue's text, holding its matters: each is found by the lengths the index
/// gives, without reading the others.
#[derive(Debug)]
pub struct TextStore {
    text: Vec<u8>,
    /// Where each matter's text starts, in index order.
    starts: Vec<usize>,
}

impl TextStore {
    /// The matters of a one-file catalogue, `matters` being the text after the index's line,
    /// each matter's text followed by a newline, in index order.
    pub fn new(matters: Vec<u8>, entries: &[Entry]) -> TextStore {
        TextStore {
            starts: starts(entries),
            text: matters,
        }
    }
}

/// Where each matter's text starts in the text after a one-file catalogue's index line.
pub fn starts(entries: &[Entry]) -> Vec<usize> {
    let mut at = 0usize;
    entries
        .iter()
        .map(|e| {
            let start = at;
            at = at.saturating_add(e.bytes).saturating_add(1);
            start
        })
        .collect()
}

impl MatterStore for TextStore {
    fn fetch(&self, position: usize, entry: &Entry) -> Result<Option<Cow<'_, [u8]>>, String> {
        let start = self.starts.get(position).copied().unwrap_or(usize::MAX);
        let end = start.saturating_add(entry.bytes);
        match self.text.get(start..end) {
            Some(bytes) => Ok(Some(Cow::Borrowed(bytes))),
            None => Err("the catalogue ends before this matter".into()),
        }
    }
}

/// A matter compiled, with its answers' texts.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Compiled {
    pub matter: Matter,
    pub texts: Texts,
}

/// One matter of a rule set: its entry, its number in the index, and, once compiled, its rules.
#[derive(Debug, Clone)]
pub(crate) struct Slot {
    pub entry: Entry,
    pub position: usize,
    pub compiled: OnceBox<Compiled>,
}

impl Slot {
    /// A slot whose matter is compiled when first asked for.
    pub fn lazy(entry: Entry, position: usize) -> Slot {
        Slot {
            entry,
            position,
            compiled: OnceBox::new(),
        }
    }

    /// A slot whose matter is compiled already.
    pub fn compiled(entry: Entry, position: usize, compiled: Compiled) -> Slot {
        let slot = Slot::lazy(entry, position);
        // Fresh, so it takes the value.
        let _ = slot.compiled.set(Box::new(compiled));
        slot
    }

    fn error(&self, kind: MatterErrorKind) -> MatterError {
        MatterError {
            code: self.entry.code.to_string(),
            file: self.entry.file.clone(),
            hash: self.entry.hash.clone(),
            kind,
        }
    }

    /// The matter compiled, from `store` if it is not yet.
    pub fn get(
        &self,
        store: Option<&dyn MatterStore>,
        licences: &[String],
    ) -> Result<&Compiled, MatterError> {
        self.compiled.get_or_try_init(|| {
            let fetched = match store.map(|s| s.fetch(self.position, &self.entry)) {
                Some(Ok(Some(bytes))) => bytes,
                Some(Err(message)) => {
                    return Err(self.error(MatterErrorKind::Unavailable { message }));
                }
                Some(Ok(None)) | None => return Err(self.error(MatterErrorKind::NotLoaded)),
            };
            self.verify_and_compile(&fetched, licences).map(Box::new)
        })
    }

    /// Compiles `text` as this slot's matter and keeps it, unless it is compiled already.
    pub fn supply(&self, text: &[u8], licences: &[String]) -> Result<&Compiled, MatterError> {
        self.compiled
            .get_or_try_init(|| self.verify_and_compile(text, licences).map(Box::new))
    }

    /// Checks `text` against the entry's hash, reads it and compiles it.
    fn verify_and_compile(
        &self,
        text: &[u8],
        licences: &[String],
    ) -> Result<Compiled, MatterError> {
        let src = self.read(text)?;
        let m = matter::compile(&self.entry.file, &src, licences)
            .map_err(|errors| self.error(MatterErrorKind::Rules { errors }))?;
        if let Some(field) = differs(&self.entry, &m) {
            return Err(self.error(MatterErrorKind::Differs { field }));
        }
        let texts = Texts::new(&m).map_err(|e| {
            self.error(MatterErrorKind::Rules {
                errors: alloc::vec![RuleError::from(e)],
            })
        })?;
        Ok(Compiled { matter: m, texts })
    }

    /// Checks `text` against the entry's hash and reads it as a matter file in canonical form.
    pub fn read(&self, text: &[u8]) -> Result<MatterSource, MatterError> {
        // The length first: a text of another length is refused before it is read, and none
        // larger than a matter may be is read.
        if text.len() != self.entry.bytes || text.len() > MAX_MATTER_BYTES {
            return Err(self.error(MatterErrorKind::HashMismatch {
                actual: sha256(text),
                bytes: text.len(),
            }));
        }
        let actual = sha256(text);
        if actual != self.entry.hash {
            return Err(self.error(MatterErrorKind::HashMismatch {
                actual,
                bytes: text.len(),
            }));
        }
        let malformed = |message: String| self.error(MatterErrorKind::Malformed { message });
        // As text, like every other JSON the core reads: `from_slice` would be a second copy of
        // serde's reading code for every rule type in the WebAssembly module.
        let text = core::str::from_utf8(text).map_err(|e| malformed(alloc::format!("{e}")))?;
        let src: MatterSource =
            serde_json::from_str(text).map_err(|e| malformed(alloc::format!("{e}")))?;
        // A text in another form than the canonical would be a second reading of one hash.
        if matter_text(&src).ok().as_deref() != Some(text) {
            return Err(malformed(
                "not in canonical form; rebuild the catalogue with `banshi bundle`".into(),
            ));
        }
        Ok(src)
    }
}

/// The first element of the entry that the compiled matter gives otherwise.
fn differs(entry: &Entry, m: &Matter) -> Option<&'static str> {
    let end = m.version.end.as_ref();
    let implementation = m.implementation();
    let pairs: [(&'static str, bool); 12] = [
        ("code", entry.code == m.info.code),
        ("basic_code", entry.basic_code == m.info.basic_code),
        ("name", entry.name == m.info.name),
        ("type", entry.kind == m.info.kind),
        ("agency", entry.agency == m.info.agency),
        ("version", entry.version == m.version.id),
        ("effective", entry.effective == m.version.effective),
        (
            "end",
            entry.end.as_ref().map(|e| (e.last_day, &e.reason, &e.note))
                == end.map(|e| (e.last_day, &e.reason, &e.note)),
        ),
        ("unverified", entry.unverified == m.marks.unverified()),
        (
            "region",
            entry.region.as_ref() == implementation.map(|i| &i.region),
        ),
        (
            "level",
            entry.level.as_ref() == implementation.map(|i| &i.level),
        ),
        (
            "illustrative",
            entry.illustrative == implementation.is_some_and(|i| i.illustrative),
        ),
    ];
    pairs
        .iter()
        .find(|(_, same)| !same)
        .map(|(field, _)| *field)
}

/// Sorts slots by code, then effective date, and checks that the versions of each matter are
/// told apart: another day, another version id, the same 基本编码.
pub(crate) fn sort_and_check(slots: &mut [Slot], errors: &mut Vec<RuleError>) {
    slots.sort_by(|a, b| {
        (&a.entry.code, a.entry.effective).cmp(&(&b.entry.code, b.entry.effective))
    });
    for pair in slots.windows(2) {
        let [a, b] = pair else { continue };
        let (a, b) = (&a.entry, &b.entry);
        if a.code != b.code {
            continue;
        }
        let problem = if a.effective == b.effective {
            Some("takes effect on the same day as")
        } else if a.end.as_ref().is_some_and(|e| e.last_day >= b.effective) {
            Some("takes effect before the end of")
        } else if a.version == b.version {
            Some("has the same version id as")
        } else if a.basic_code != b.basic_code {
            Some("has another 基本编码 than")
        } else {
            None
        };
        if let Some(problem) = problem {
            errors.push(RuleError {
                file: b.file.clone(),
                path: SourcePath::root().key("version"),
                span: None,
                kind: RuleErrorKind::Invalid {
                    message: alloc::format!(
                        "matter `{}` {problem} the version in {}",
                        b.code,
                        a.file
                    ),
                },
            });
        }
    }
}

/// A store shared by the clones of a rule set.
#[derive(Clone)]
pub(crate) struct Store(pub Arc<dyn MatterStore>);

impl core::fmt::Debug for Store {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("MatterStore")
    }
}
