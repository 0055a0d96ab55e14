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
use crate::region::Places;
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
    /// Its line among a one-file catalogue's matter lines, the first numbered 0: they are in
    /// the order the rules were read (an implementation next to the others of its base, which
    /// share most of its text), not in the entries' code order.
    pub line: usize,
    /// Where that line starts, in bytes from the start of the first matter line.
    pub offset: usize,
    /// How the version ends, for one that ends without a successor (取消, 下放).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<EntryEnd>,
    /// How many of its citations, codes and limits carry no verification mark.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub unverified: usize,
    /// The region an implementation serves; absent for a matter written in one file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<Text>,
    /// The region's 行政区划代码, where the implementation gives one: what decisions for a
    /// region within it resolve by ([`crate::region`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region_code: Option<Text>,
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
    /// The entry of a compiled matter whose canonical text is `text`, on matter line `line`
    /// starting `offset` bytes after the first.
    pub(crate) fn of(m: &Matter, text: &str, line: usize, offset: usize) -> Entry {
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
            line,
            offset,
            end: m.version.end.as_ref().map(|e| EntryEnd {
                last_day: e.last_day,
                reason: e.reason.clone(),
                note: e.note.clone(),
            }),
            unverified: m.marks.unverified(),
            region: implementation.map(|i| i.region.clone()),
            region_code: implementation.and_then(|i| i.region_code.clone()),
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

/// A catalogue's index: the shared files (licence catalogue, holiday calendar), the pages of
/// matter entries and the themes. Its canonical JSON is what the catalogue's hash covers; each
/// page's text is covered through its hash, each matter's through its entry's.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Index {
    /// The electronic licence catalogue.
    pub licences: SourceFile<LicencesSource>,
    /// The official holiday calendar, one file a year.
    pub calendar: Vec<SourceFile<CalendarSource>>,
    /// The pages of matter entries, by code.
    pub pages: Vec<Page>,
    /// Themes (一件事一次办), carried whole; absent when there are none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub themes: Vec<SourceFile<ThemeSource>>,
    /// The retained-proof catalogue, for `banshi lint`: carried as written, read natively only
    /// (a decision never reads it, so the WebAssembly module keeps it as text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retained_proofs: Option<RetainedProofs>,
}

/// The retained-proof catalogue as an index carries it: read natively, kept as text in the
/// WebAssembly module (which has no reader for it).
#[cfg(feature = "catalogue")]
pub type RetainedProofs = SourceFile<crate::source::RetainedProofsSource>;
/// The retained-proof catalogue as an index carries it: kept as text in the WebAssembly module.
#[cfg(not(feature = "catalogue"))]
pub type RetainedProofs = Box<serde_json::value::RawValue>;

impl Index {
    /// The index borrowed, as it is written.
    pub(crate) fn as_ref(&self) -> IndexRef<'_> {
        IndexRef {
            licences: &self.licences,
            calendar: &self.calendar,
            pages: &self.pages,
            themes: &self.themes,
            retained_proofs: self.retained_proofs.as_ref(),
        }
    }
}

/// [`Index`] borrowed, for writing: the same JSON.
#[derive(Serialize)]
pub(crate) struct IndexRef<'a> {
    pub licences: &'a SourceFile<LicencesSource>,
    pub calendar: &'a [SourceFile<CalendarSource>],
    pub pages: &'a [Page],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub themes: &'a [SourceFile<ThemeSource>],
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retained_proofs: Option<&'a RetainedProofs>,
}

/// How many entries a page holds at most, unless one matter's versions need more: every
/// version of a code is on one page. Opening a catalogue reads the page list only (its hash,
/// its signatures); a matter's first decision reads its page (about 35 KB) and its own text.
pub const PAGE_ENTRIES: usize = 64;

/// A page of a catalogue's index: a run of entries sorted by code, then effective date; its
/// text is the canonical JSON array of its entries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Page {
    /// The code of its first entry.
    pub first: Text,
    /// The code of its last entry; the next page's first code is greater.
    pub last: Text,
    /// How many entries it holds.
    pub count: usize,
    /// `sha256:` and the digest of its text.
    pub hash: String,
    /// The length of its text in bytes.
    pub bytes: usize,
}

/// Entries (sorted by code, then effective date) cut into pages, each with its text, every
/// version of a code on one page.
pub(crate) fn paginate(entries: &[Entry]) -> Result<Vec<(Page, String)>, SerializeError> {
    let mut pages = Vec::new();
    let mut from = 0usize;
    while let Some(first) = entries.get(from) {
        let mut to = from.saturating_add(PAGE_ENTRIES).min(entries.len());
        // A code's versions stay together.
        while let (Some(a), Some(b)) = (entries.get(to.saturating_sub(1)), entries.get(to)) {
            if a.code != b.code {
                break;
            }
            to = to.saturating_add(1);
        }
        let run = entries.get(from..to).unwrap_or_default();
        let text = json::to_json(&run, "a page of the catalogue's index")?;
        let last = run
            .last()
            .map_or_else(|| first.code.clone(), |e| e.code.clone());
        pages.push((
            Page {
                first: first.code.clone(),
                last,
                count: run.len(),
                hash: sha256(text.as_bytes()),
                bytes: text.len(),
            },
            text,
        ));
        from = to;
    }
    Ok(pages)
}

/// The canonical text of one matter file: what its entry's hash covers.
pub fn matter_text(src: &MatterSource) -> Result<String, SerializeError> {
    json::to_json(src, "a matter file")
}

/// Where the texts of a catalogue's pages and matters come from.
pub trait MatterStore: Send + Sync {
    /// The text of `bytes` bytes whose hash is `hash`, starting `start` bytes after a one-file
    /// catalogue's header line (a page or a matter: each is a line); `None` when it is not at
    /// hand, for the channel to fetch and supply ([`crate::RuleSet::supply`]); an error when
    /// reading it failed.
    fn fetch(
        &self,
        start: usize,
        bytes: usize,
        hash: &str,
    ) -> Result<Option<Cow<'_, [u8]>>, String>;
}

/// A one-file catalogue's text after its header line: pages and matters found where the index
/// puts them, without reading the others.
#[derive(Debug)]
pub struct TextStore {
    text: Vec<u8>,
}

impl TextStore {
    /// The text after a one-file catalogue's header line.
    pub fn new(text: Vec<u8>) -> TextStore {
        TextStore { text }
    }
}

impl MatterStore for TextStore {
    fn fetch(&self, start: usize, bytes: usize, _: &str) -> Result<Option<Cow<'_, [u8]>>, String> {
        match self.text.get(start..start.saturating_add(bytes)) {
            Some(text) => Ok(Some(Cow::Borrowed(text))),
            None => Err("the catalogue ends before this line".into()),
        }
    }
}

/// A matter compiled, with its answers' texts.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Compiled {
    pub matter: Matter,
    pub texts: Texts,
}

/// One page of a rule set: the index's page, where it is, and its entries once read.
#[derive(Debug)]
struct PageSlot {
    page: Page,
    /// The number of its first entry among all.
    first: usize,
    /// Where its line starts after the header line.
    start: usize,
    entries: OnceBox<Vec<Entry>>,
}

/// The matters of a rule set: the pages of entries, read when first needed, and each matter
/// compiled when first asked for. Numbers: page `p` is blob `p`, matter `i` (in code order)
/// blob `pages + i`; a page's line in a one-file catalogue is its number, a matter's
/// `pages + line` (its entry's).
#[derive(Debug)]
pub(crate) struct Matters {
    pages: Vec<PageSlot>,
    /// Where the first matter line starts after the header line: after every page's.
    matters_start: usize,
    compiled: Vec<OnceBox<Compiled>>,
    /// Where each base is implemented, built from every page when first needed: region
    /// look-ups then search it rather than read every entry.
    places: OnceBox<Places>,
}

/// Something a channel fetches: a page or a matter, where it is and the hash it must have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blob {
    /// Its number for [`crate::RuleSet::supply`].
    pub number: usize,
    /// Its line after a one-file catalogue's header: a page's number, or the number of pages
    /// and the matter's line among the matter lines.
    pub line: usize,
    /// `sha256:` and the digest its text must have.
    pub hash: String,
    /// Where it starts after the header line.
    pub start: usize,
    /// Its length in bytes.
    pub bytes: usize,
}

impl Matters {
    /// The matters of an index's pages, none read: the pages checked for order (each code on
    /// one page) and their positions worked out.
    pub fn open(pages: Vec<Page>) -> Result<Matters, String> {
        let (mut first, mut start) = (0usize, 0usize);
        let mut slots = Vec::with_capacity(pages.len());
        let mut previous: Option<&Text> = None;
        for page in &pages {
            if page.count == 0
                || page.first > page.last
                || previous.is_some_and(|p| *p >= page.first)
            {
                return Err(alloc::format!(
                    "the index's pages are not in code order at `{}`",
                    page.first
                ));
            }
            previous = Some(&page.last);
            slots.push(PageSlot {
                page: page.clone(),
                first,
                start,
                entries: OnceBox::new(),
            });
            first = first.saturating_add(page.count);
            start = start.saturating_add(page.bytes).saturating_add(1);
        }
        let compiled = (0..first).map(|_| OnceBox::new()).collect();
        Ok(Matters {
            pages: slots,
            matters_start: start,
            compiled,
            places: OnceBox::new(),
        })
    }

    /// Matters compiled from their sources: entries (sorted by code, then date) and the
    /// compiled matters in the same order.
    pub fn compiled(
        pages: &[(Page, String)],
        entries: Vec<Entry>,
        matters: Vec<Compiled>,
    ) -> Result<Matters, String> {
        let mut all = Matters::open(pages.iter().map(|(p, _)| p.clone()).collect())?;
        let mut entries = entries.into_iter();
        for slot in &mut all.pages {
            let run: Vec<Entry> = entries.by_ref().take(slot.page.count).collect();
            let _ = slot.entries.set(Box::new(run));
        }
        for (cell, m) in all.compiled.iter().zip(matters) {
            let _ = cell.set(Box::new(m));
        }
        Ok(all)
    }

    /// How many matter versions there are.
    pub fn len(&self) -> usize {
        self.compiled.len()
    }

    /// How many pages there are.
    pub fn pages(&self) -> usize {
        self.pages.len()
    }

    fn page_of(&self, index: usize) -> Option<usize> {
        let after = self.pages.partition_point(|p| p.first <= index);
        after.checked_sub(1)
    }

    fn page_error(&self, p: usize, kind: MatterErrorKind) -> MatterError {
        MatterError {
            code: String::new(),
            file: alloc::format!("page {p} of the index"),
            hash: self
                .pages
                .get(p)
                .map_or_else(String::new, |s| s.page.hash.clone()),
            kind,
        }
    }

    /// The entries of page `p`, read from `store` if they are not yet.
    fn entries(&self, p: usize, store: Option<&dyn MatterStore>) -> Result<&[Entry], MatterError> {
        let slot = self
            .pages
            .get(p)
            .ok_or_else(|| self.page_error(p, MatterErrorKind::NotLoaded))?;
        slot.entries
            .get_or_try_init(|| {
                let page = &slot.page;
                let fetched = match store.map(|s| s.fetch(slot.start, page.bytes, &page.hash)) {
                    Some(Ok(Some(bytes))) => bytes,
                    Some(Err(message)) => {
                        return Err(self.page_error(p, MatterErrorKind::Unavailable { message }));
                    }
                    Some(Ok(None)) | None => {
                        return Err(self.page_error(p, MatterErrorKind::NotLoaded));
                    }
                };
                self.read_page(p, &fetched).map(Box::new)
            })
            .map(Vec::as_slice)
    }

    /// Checks a page's text against its hash and reads its entries: in order, within its codes,
    /// as many as it says, every version of a code told apart.
    fn read_page(&self, p: usize, text: &[u8]) -> Result<Vec<Entry>, MatterError> {
        let Some(slot) = self.pages.get(p) else {
            return Err(self.page_error(p, MatterErrorKind::NotLoaded));
        };
        let page = &slot.page;
        let actual = sha256(text);
        if text.len() != page.bytes || actual != page.hash {
            return Err(self.page_error(
                p,
                MatterErrorKind::HashMismatch {
                    actual,
                    bytes: text.len(),
                },
            ));
        }
        let malformed =
            |message: String| self.page_error(p, MatterErrorKind::Malformed { message });
        let text = core::str::from_utf8(text).map_err(|e| malformed(alloc::format!("{e}")))?;
        let entries: Vec<Entry> =
            crate::read::from_str(text).map_err(|e| malformed(alloc::format!("{e}")))?;
        if json::to_json(&entries, "a page").ok().as_deref() != Some(text) {
            return Err(malformed(
                "not in canonical form; rebuild the catalogue with `banshi bundle`".into(),
            ));
        }
        let bounds = entries.first().map(|e| &e.code) == Some(&page.first)
            && entries.last().map(|e| &e.code) == Some(&page.last)
            && entries.len() == page.count;
        if !bounds {
            return Err(malformed(
                "its entries are not the ones the index names".into(),
            ));
        }
        if let Some(entry) = misplaced(&entries, self.len()) {
            return Err(error(
                entry,
                MatterErrorKind::Malformed {
                    message: alloc::format!(
                        "its line ({}, at byte {}) is not among the catalogue's matter lines, or overlaps another's",
                        entry.line,
                        entry.offset
                    ),
                },
            ));
        }
        let mut problems = Vec::new();
        check_versions(&entries, &mut problems);
        if let Some(first) = problems.first() {
            return Err(malformed(alloc::format!("{}", first.kind)));
        }
        Ok(entries)
    }

    /// The entry of matter `index` and where its line starts after the header line, its page
    /// read if it is not yet.
    pub fn entry(
        &self,
        index: usize,
        store: Option<&dyn MatterStore>,
    ) -> Result<(&Entry, usize), MatterError> {
        let p = self
            .page_of(index)
            .filter(|_| index < self.len())
            .ok_or_else(|| self.page_error(usize::MAX, MatterErrorKind::NotLoaded))?;
        let slot = self
            .pages
            .get(p)
            .ok_or_else(|| self.page_error(p, MatterErrorKind::NotLoaded))?;
        let entries = self.entries(p, store)?;
        let entry = entries
            .get(index.saturating_sub(slot.first))
            .ok_or_else(|| self.page_error(p, MatterErrorKind::NotLoaded))?;
        // Beyond any text: the store refuses it, naming the matter.
        let start = self.matters_start.saturating_add(entry.offset);
        Ok((entry, start))
    }

    /// The numbers of every version of the matter with `code`, by date: its page read if it is
    /// not yet. Empty when no page holds the code.
    pub fn versions(
        &self,
        code: &str,
        store: Option<&dyn MatterStore>,
    ) -> Result<core::ops::Range<usize>, MatterError> {
        let p = self.pages.partition_point(|s| *s.page.last < *code);
        let Some(slot) = self.pages.get(p).filter(|s| *s.page.first <= *code) else {
            return Ok(0..0);
        };
        let entries = self.entries(p, store)?;
        let from = entries.partition_point(|e| *e.code < *code);
        let count = entries
            .get(from..)
            .unwrap_or_default()
            .partition_point(|e| *e.code == *code);
        let from = slot.first.saturating_add(from);
        Ok(from..from.saturating_add(count))
    }

    /// The page that would hold `code`, if any.
    pub fn page_for(&self, code: &str) -> Option<usize> {
        let p = self.pages.partition_point(|s| *s.page.last < *code);
        self.pages
            .get(p)
            .filter(|s| *s.page.first <= *code)
            .map(|_| p)
    }

    /// Every entry, every page read.
    pub fn all(&self, store: Option<&dyn MatterStore>) -> Result<Vec<&Entry>, MatterError> {
        let mut out = Vec::with_capacity(self.len());
        for p in 0..self.pages.len() {
            out.extend(self.entries(p, store)?);
        }
        Ok(out)
    }

    /// Where each base is implemented and the code of each region name, built from every page
    /// (each read if it is not yet) on the first call.
    pub fn places(&self, store: Option<&dyn MatterStore>) -> Result<&Places, MatterError> {
        self.places.get_or_try_init(|| {
            let entries = self.all(store)?;
            Ok(Box::new(Places::new(entries.iter().enumerate().map(
                |(n, e)| (n, &e.basic_code, e.region.as_ref(), e.region_code.as_ref()),
            ))))
        })
    }

    /// Whether matter `index` is compiled.
    pub fn is_compiled(&self, index: usize) -> bool {
        self.compiled.get(index).is_some_and(|c| c.get().is_some())
    }

    /// Whether page `p` is read.
    pub fn is_read(&self, p: usize) -> bool {
        self.pages.get(p).is_some_and(|s| s.entries.get().is_some())
    }

    /// Matter `index` compiled, read from `store` (its page too) if it is not yet.
    pub fn matter(
        &self,
        index: usize,
        store: Option<&dyn MatterStore>,
        licences: &[String],
    ) -> Result<&Compiled, MatterError> {
        if let Some(done) = self.compiled.get(index).and_then(OnceBox::get) {
            return Ok(done);
        }
        let (entry, start) = self.entry(index, store)?;
        let cell = self
            .compiled
            .get(index)
            .ok_or_else(|| self.page_error(usize::MAX, MatterErrorKind::NotLoaded))?;
        cell.get_or_try_init(|| {
            let fetched = match store.map(|s| s.fetch(start, entry.bytes, &entry.hash)) {
                Some(Ok(Some(bytes))) => bytes,
                Some(Err(message)) => {
                    return Err(error(entry, MatterErrorKind::Unavailable { message }));
                }
                Some(Ok(None)) | None => return Err(error(entry, MatterErrorKind::NotLoaded)),
            };
            verify_and_compile(entry, &fetched, licences).map(Box::new)
        })
    }

    /// What to fetch for `blob` (a page's number, or the number of pages plus a matter's):
    /// `None` when it is read or compiled already, or its page is not read yet (fetch that
    /// first).
    pub fn blob(&self, blob: usize) -> Option<Blob> {
        if let Some(slot) = self.pages.get(blob) {
            return (!self.is_read(blob)).then(|| Blob {
                number: blob,
                line: blob,
                hash: slot.page.hash.clone(),
                start: slot.start,
                bytes: slot.page.bytes,
            });
        }
        let index = blob.checked_sub(self.pages.len())?;
        if self.is_compiled(index) {
            return None;
        }
        let (entry, start) = self.entry(index, None).ok()?;
        Some(Blob {
            number: blob,
            line: self.pages.len().saturating_add(entry.line),
            hash: entry.hash.clone(),
            start,
            bytes: entry.bytes,
        })
    }

    /// Hands in the text of `blob`, fetched by the channel: checked against its hash and read
    /// (a page) or compiled (a matter), and kept.
    pub fn supply(&self, blob: usize, text: &[u8], licences: &[String]) -> Result<(), MatterError> {
        if let Some(slot) = self.pages.get(blob) {
            return slot
                .entries
                .get_or_try_init(|| self.read_page(blob, text).map(Box::new))
                .map(|_| ());
        }
        let index = blob.saturating_sub(self.pages.len());
        let (entry, _) = self.entry(index, None)?;
        let cell = self
            .compiled
            .get(index)
            .ok_or_else(|| self.page_error(usize::MAX, MatterErrorKind::NotLoaded))?;
        cell.get_or_try_init(|| verify_and_compile(entry, text, licences).map(Box::new))
            .map(|_| ())
    }
}

/// The first of a page's entries whose line is not where it can be among `total` matter lines:
/// past the last, on another's, or at an offset the lines before it cannot lead to (each line
/// holds at least its newline; the next line starts right after it). Each line is checked
/// against its hash when read, so a position that passes but is wrong reads a text that is
/// refused, naming the matter.
fn misplaced(entries: &[Entry], total: usize) -> Option<&Entry> {
    let order = crate::common::sorted_order(entries.len(), &|a, b| match (
        entries.get(a),
        entries.get(b),
    ) {
        (Some(x), Some(y)) => x.line.cmp(&y.line),
        _ => core::cmp::Ordering::Equal,
    });
    let mut before: Option<&Entry> = None;
    for entry in order.iter().filter_map(|&i| entries.get(i)) {
        let end = entry
            .offset
            .checked_add(entry.bytes)
            .and_then(|n| n.checked_add(1));
        // Where this line may start at the earliest, and whether exactly there.
        let (earliest, exact) = match before {
            None => (entry.line, entry.line == 0),
            Some(b) => {
                let after = b.offset.saturating_add(b.bytes).saturating_add(1);
                let gap = entry
                    .line
                    .checked_sub(b.line)
                    .and_then(|n| n.checked_sub(1));
                match gap {
                    Some(gap) => (after.saturating_add(gap), gap == 0),
                    None => return Some(entry),
                }
            }
        };
        let placed = if exact {
            entry.offset == earliest
        } else {
            entry.offset >= earliest
        };
        if entry.line >= total || end.is_none() || !placed {
            return Some(entry);
        }
        before = Some(entry);
    }
    None
}

fn error(entry: &Entry, kind: MatterErrorKind) -> MatterError {
    MatterError {
        code: entry.code.to_string(),
        file: entry.file.clone(),
        hash: entry.hash.clone(),
        kind,
    }
}

/// Checks `text` against the entry's hash, reads it and compiles it.
fn verify_and_compile(
    entry: &Entry,
    text: &[u8],
    licences: &[String],
) -> Result<Compiled, MatterError> {
    let src = read(entry, text)?;
    let m = matter::compile(&entry.file, &src, licences)
        .map_err(|errors| error(entry, MatterErrorKind::Rules { errors }))?;
    if let Some(field) = differs(entry, &m) {
        return Err(error(entry, MatterErrorKind::Differs { field }));
    }
    let texts = Texts::new(&m).map_err(|e| {
        error(
            entry,
            MatterErrorKind::Rules {
                errors: alloc::vec![RuleError::from(e)],
            },
        )
    })?;
    Ok(Compiled { matter: m, texts })
}

/// Checks `text` against the entry's hash and reads it as a matter file in canonical form.
pub fn read(entry: &Entry, text: &[u8]) -> Result<MatterSource, MatterError> {
    // The length first: a text of another length is refused before it is read, and none
    // larger than a matter may be is read.
    if text.len() != entry.bytes || text.len() > MAX_MATTER_BYTES {
        return Err(error(
            entry,
            MatterErrorKind::HashMismatch {
                actual: sha256(text),
                bytes: text.len(),
            },
        ));
    }
    let actual = sha256(text);
    if actual != entry.hash {
        return Err(error(
            entry,
            MatterErrorKind::HashMismatch {
                actual,
                bytes: text.len(),
            },
        ));
    }
    let malformed = |message: String| error(entry, MatterErrorKind::Malformed { message });
    // As text, like every other JSON the core reads: `from_slice` would be a second copy of
    // serde's reading code for every rule type in the WebAssembly module.
    let text = core::str::from_utf8(text).map_err(|e| malformed(alloc::format!("{e}")))?;
    let src: MatterSource =
        crate::read::from_str(text).map_err(|e| malformed(alloc::format!("{e}")))?;
    // A text in another form than the canonical would be a second reading of one hash.
    if matter_text(&src).ok().as_deref() != Some(text) {
        return Err(malformed(
            "not in canonical form; rebuild the catalogue with `banshi bundle`".into(),
        ));
    }
    Ok(src)
}

/// The first element of the entry that the compiled matter gives otherwise.
fn differs(entry: &Entry, m: &Matter) -> Option<&'static str> {
    let end = m.version.end.as_ref();
    let implementation = m.implementation();
    let pairs: [(&'static str, bool); 13] = [
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
            "region_code",
            entry.region_code.as_ref() == implementation.and_then(|i| i.region_code.as_ref()),
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

/// Checks that the versions of each matter (entries sorted by code, then effective date) are
/// told apart: another day, not before the end of the one before, another version id, the same
/// 基本编码.
pub(crate) fn check_versions(entries: &[Entry], errors: &mut Vec<RuleError>) {
    for pair in entries.windows(2) {
        let [a, b] = pair else { continue };
        if a.code != b.code {
            if a.code > b.code {
                errors.push(RuleError {
                    file: b.file.clone(),
                    path: SourcePath::root(),
                    span: None,
                    kind: RuleErrorKind::Invalid {
                        message: alloc::format!("matter `{}` is out of code order", b.code),
                    },
                });
            }
            continue;
        }
        let problem = if a.effective == b.effective {
            Some("takes effect on the same day as")
        } else if a.effective > b.effective {
            Some("is out of date order with")
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
