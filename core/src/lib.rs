//! banshi's rules core: from published rules and an applicant's facts, a decision on a
//! government service matter (政务服务事项) that is the same on every channel.
//!
//! The core reads nothing and knows no clock: rules arrive as a bundle's text or as
//! [`RuleSetSource`] (the `banshi-loader` crate reads TOML rule folders), facts as JSON, the
//! date as an argument.
//!
//! # Start here: a server deciding and checking decisions
//!
//! ```
//! use banshi_core::{PublicKey, ReceiptKey, Status, Trust, bundle, facts::parse_date, ffi::Engine};
//! use banshi_core::deadline::NoDeadlineReason;
//!
//! fn serve(
//!     bundle_text: &str,
//!     agency: PublicKey,
//!     receipt_key: ReceiptKey,
//! ) -> Result<(), Box<dyn core::error::Error>> {
//!     // Once, at start-up: checks the bundle's hash and its signature by the publishing agency's
//!     // key, and compiles every matter; receipts are keyed with the deployment's receipt key.
//!     let rules = bundle::load(bundle_text, &Trust::keys([agency]))?.with_receipt_key(receipt_key);
//!     let on = parse_date("2026-03-02").ok_or("not a date")?;
//!
//!     // An interview: no facts yet, so the decision asks.
//!     let decision = rules.decide_json("A1", "{}", on)?;
//!     assert_eq!(decision.status, Status::NeedsFacts);
//!     assert_eq!(decision.questions[0].fact, "年龄");
//!
//!     // The applicant answers; the decision says why not, citing the basis.
//!     let decision = rules.decide_json("A1", r#"{"年龄": 17}"#, on)?;
//!     assert_eq!(decision.status, Status::Ineligible);
//!     assert_eq!(&*decision.failed[0].message, "须年满18周岁");
//!     // Not accepted, so no deadline runs: the decision says why.
//!     assert!(decision.deadline.is_none());
//!     assert_eq!(decision.no_deadline.ok_or("no reason")?.reason, NoDeadlineReason::Ineligible);
//!
//!     // A phone sent a decision with its receipt: decide again and compare.
//!     let receipt = decision.receipt.as_ref().ok_or("no receipt")?;
//!     let engine = Engine::from_rules(rules.clone());
//!     let answer = engine.verify("A1", r#"{"年龄": 17}"#, "2026-03-02", &serde_json::to_string(receipt)?);
//!     assert!(answer.starts_with(r#"{"ok":true,"valid":true"#));
//!
//!     // Bulk re-decisions skip the receipt, most of a decision's time.
//!     let decision = rules.evaluate_json("A1", r#"{"年龄": 30}"#, on)?;
//!     assert_eq!(decision.status, Status::Eligible);
//!     let deadline = decision.deadline.ok_or("no deadline")?;
//!     assert_eq!(deadline.promised.due.ok_or("no due date")?.to_string(), "2026-03-09");
//!     Ok(())
//! }
//! # fn main() -> Result<(), Box<dyn core::error::Error>> {
//! #   let matter: banshi_core::source::MatterSource = serde_json::from_str(r#"{
//! #     "matter": {"basic_code": "1", "implementation_code": "A1", "name": "示例事项", "type": "公共服务",
//! #       "agency": "示例局", "levels": ["市级"], "basis": ["b1"], "statutory_limit": {"working_days": 20},
//! #       "promised_limit": {"working_days": 5}, "handling": "承诺件", "service_objects": ["自然人"],
//! #       "visits": 0, "modes": ["网上办理"]},
//! #     "version": {"id": "1", "effective": "2026-01-01"},
//! #     "basis": [{"id": "b1", "document": "示例条例", "article": "第一条"}],
//! #     "facts": [{"name": "年龄", "type": "integer", "question": "年龄？"}],
//! #     "conditions": [{"id": "adult", "require": "年龄 >= 18", "message": "须年满18周岁", "basis": ["b1"]}]
//! #   }"#)?;
//! #   let calendar = serde_json::from_str(r#"{"year": 2026, "notice": {"title": "国务院办公厅关于2026年部分节假日安排的通知",
//! #     "number": "国办发明电〔2025〕7号", "published": "2025-11-04"}, "holidays": []}"#)?;
//! #   let agency = ed25519_compact::KeyPair::from_seed(ed25519_compact::Seed::new([1; 32]));
//! #   let hex = |b: &[u8]| b.iter().map(|b| format!("{b:02x}")).collect::<String>();
//! #   let bundle_text = banshi_core::bundle::write_signed(&banshi_core::RuleSetSource {
//! #       matters: vec![banshi_core::SourceFile::new("a1/matter.toml", matter)],
//! #       ..banshi_core::RuleSetSource::new(
//! #           banshi_core::SourceFile::new("licences.toml", Default::default()),
//! #           vec![banshi_core::SourceFile::new("calendar/2026.toml", calendar)],
//! #       )
//! #   }, |message| vec![banshi_core::bundle::BundleSignature {
//! #       key: hex(&*agency.pk), signature: hex(&*agency.sk.sign(message, None)) }])
//! #   .map_err(|e| format!("{e:?}"))?;
//! #   serve(&bundle_text, banshi_core::PublicKey::from_bytes(*agency.pk), ReceiptKey::new(&[7; 32]))
//! # }
//! ```
//!
//! # Where things are
//!
//! | to | use |
//! | --- | --- |
//! | load rules | [`bundle::load`] (a bundle's text, signed by a key of a [`Trust`]), [`RuleSet::compile`] (sources) |
//! | key receipts | [`RuleSet::with_receipt_key`] with the deployment's [`ReceiptKey`] (see [`keys`]) |
//! | decide | [`RuleSet::decide_json`] (with a receipt), [`RuleSet::evaluate_json`] (without), [`RuleSet::eligibility_json`] (受理条件 only) |
//! | list matters, read a schema and the guide | [`RuleSet::matters`], [`RuleSet::matter`], [`Matter::facts`], [`Matter::guide`] |
//! | answer channels in JSON text | [`ffi::Engine`]: the calls every channel makes, as envelopes |
//! | read a decision | [`Decision`]: [`eligibility`], [`materials`], [`deferral`], [`commitment`], [`fees`], [`deadline`] hold each part's types |
//! | errors | [`DecideError`] (per decision), [`bundle::BundleError`], [`RuleError`] (per rule file) |
//! | bounds on input | [`limits`] |
//!
//! Dates are [`chrono::NaiveDate`] (re-exported as [`NaiveDate`]), amounts
//! [`rust_decimal::Decimal`] (re-exported as [`Decimal`]), facts JSON objects
//! [`serde_json::Map`].

#![no_std]
// Money, dates and counts: an overflow is a typed error or a bound, never a wrap or a panic.
#![cfg_attr(not(test), deny(clippy::arithmetic_side_effects))]

extern crate alloc;

pub mod bundle;
pub mod calendar;
#[cfg(feature = "catalogue")]
pub mod catalogue;
mod checker;
pub mod commitment;
pub mod common;
pub mod deadline;
pub mod decision;
pub mod deferral;
pub mod eligibility;
pub mod error;
pub mod expr;
pub mod facts;
pub mod fees;
pub mod ffi;
pub mod guide;
pub mod index;
pub mod indicators;
pub mod json;
pub mod keys;
pub mod limits;
pub mod lint;
pub mod lists;
pub mod materials;
pub mod matter;
mod read;
pub mod region;
mod schema;
pub mod source;
mod texts;
pub mod theme;
pub mod tongban;
pub mod verification;

use alloc::collections::BTreeMap;
use alloc::string::{String, ToString};
use alloc::sync::Arc;
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

pub use chrono::NaiveDate;
pub(crate) use common::decimal_text;
pub use common::{Citation, Citations, Limit, Text};
pub use decision::{Decision, Receipt};
pub use eligibility::{Eligibility, Status};
pub use error::{
    DecideError, FactError, FactErrorKind, RuleError, RuleErrorKind, SourcePath, Span,
};
pub use json::SerializeError;
pub use keys::{PublicKey, ReceiptKey, Trust};
pub use materials::{MaterialStatus, Route};
pub use matter::{Matter, MatterInfo};
pub use rust_decimal::Decimal;
pub use serde_json::{Map, Value};

use source::{LicencesSource, MatterSource, ThemeSource};

pub use limits::MAX_FACTS_BYTES;

/// A source document with the name of the file it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceFile<T> {
    /// The file's name, used in errors.
    pub file: String,
    /// Its parsed contents.
    pub source: T,
}

impl<T> SourceFile<T> {
    /// Pairs a file name with its contents.
    pub fn new(file: impl Into<String>, source: T) -> Self {
        Self {
            file: file.into(),
            source,
        }
    }
}

/// Everything a rule set is compiled from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleSetSource {
    /// The electronic licence catalogue.
    pub licences: SourceFile<LicencesSource>,
    /// Every matter file; several may be versions of one matter.
    pub matters: Vec<SourceFile<MatterSource>>,
    /// The official holiday calendar, one file a year.
    pub calendar: Vec<SourceFile<calendar::CalendarSource>>,
    /// Base items (基本目录), each inherited by implementations.
    #[cfg(feature = "catalogue")]
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bases: Vec<SourceFile<source::BaseSource>>,
    /// Implementations (实施清单) per region and level.
    #[cfg(feature = "catalogue")]
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub implementations: Vec<SourceFile<source::ImplementationSource>>,
    /// Themes (一件事一次办), one file each; left out of a bundle that has none, so that the
    /// hash of rules without themes is what it was before themes existed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub themes: Vec<SourceFile<ThemeSource>>,
    /// The retained-proof catalogue (保留证明事项目录) beside the rules, if there is one: read
    /// by `banshi lint`, never by a decision; carried by a catalogue so that its lint holds too.
    #[cfg(feature = "catalogue")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retained_proofs: Option<SourceFile<source::RetainedProofsSource>>,
}

impl RuleSetSource {
    /// Sources with a licence catalogue and a calendar, and nothing else yet.
    pub fn new(
        licences: SourceFile<LicencesSource>,
        calendar: Vec<SourceFile<calendar::CalendarSource>>,
    ) -> RuleSetSource {
        RuleSetSource {
            licences,
            matters: Vec::new(),
            calendar,
            #[cfg(feature = "catalogue")]
            bases: Vec::new(),
            #[cfg(feature = "catalogue")]
            implementations: Vec::new(),
            themes: Vec::new(),
            #[cfg(feature = "catalogue")]
            retained_proofs: None,
        }
    }
}

/// A matter in a listing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatterSummary {
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
    pub effective: NaiveDate,
    /// Its last day in force, for a version that ends without a successor (取消, 下放).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_day: Option<NaiveDate>,
    /// How many of its citations, codes and limits carry no verification mark.
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

/// Compiled rules: opened once, then used for any number of decisions. The matters of a
/// catalogue are compiled when first asked for (see [`index`]) and kept; clones share them.
#[derive(Debug, Clone)]
pub struct RuleSet {
    hash: String,
    licences: Vec<String>,
    calendar: calendar::Calendar,
    /// Sorted by code, then by effective date, in pages.
    matters: Arc<index::Matters>,
    /// Where matters not yet compiled are read from.
    store: Option<index::Store>,
    /// The key of receipts' facts fingerprints.
    receipt_key: keys::ReceiptKey,
    /// Themes (一件事一次办), in file order; a catalogue's compiled when first asked for.
    themes: Vec<theme::ThemeSlot>,
}

/// The licence catalogue checked: its licence names, in file order.
fn compile_licences(file: &SourceFile<LicencesSource>, errors: &mut Vec<RuleError>) -> Vec<String> {
    let licence_file = &file.file;
    let listed = file.source.licences.len();
    let mut licences: Vec<String> = Vec::with_capacity(listed);
    let mut seen = BTreeMap::new();
    if listed > limits::MAX_LICENCES {
        errors.push(RuleError {
            file: licence_file.clone(),
            path: SourcePath::root().key("licences"),
            span: None,
            kind: RuleErrorKind::TooMany {
                count: listed,
                limit: limits::MAX_LICENCES,
            },
        });
    }
    for (i, licence) in file.source.licences.iter().enumerate() {
        let path = SourcePath::root().key("licences").index(i);
        if seen.insert(licence.name.as_str(), ()).is_some() {
            errors.push(RuleError {
                file: licence_file.clone(),
                path: path.key("name"),
                span: None,
                kind: RuleErrorKind::Duplicate {
                    what: "licence",
                    id: licence.name.clone(),
                },
            });
        }
        if licence.name.trim().is_empty() || licence.issuer.trim().is_empty() {
            errors.push(RuleError {
                file: licence_file.clone(),
                path,
                span: None,
                kind: RuleErrorKind::Invalid {
                    message: "a licence needs a name and an issuer".into(),
                },
            });
        }
        licences.push(licence.name.clone());
    }
    licences
}

/// The bases and implementations (the tiers) checked: each implementation may only reduce its
/// base; whether they are sound. The matters they make are compiled from their published form
/// ([`bundle::published`]).
#[cfg_attr(not(feature = "catalogue"), allow(unused_variables, clippy::ptr_arg))]
fn check_tiers(src: &RuleSetSource, licences: &[String], errors: &mut Vec<RuleError>) -> bool {
    #[cfg(feature = "catalogue")]
    if !src.bases.is_empty() || !src.implementations.is_empty() {
        let codes: BTreeMap<&str, &str> = src
            .matters
            .iter()
            .map(|f| {
                (
                    f.source.matter.implementation_code.as_str(),
                    f.file.as_str(),
                )
            })
            .collect();
        let (_, mut tier_errors) =
            catalogue::compile(&src.bases, &src.implementations, licences, &codes);
        let ok = tier_errors.is_empty();
        errors.append(&mut tier_errors);
        return ok;
    }
    true
}

/// Compiles complete matter files, each with its index entry (the hash and length of its
/// canonical text, and where its line is among a one-file catalogue's matter lines, which are
/// in the order of `files`) and its text, in that order.
fn compile_matters(
    files: &[SourceFile<MatterSource>],
    licences: &[String],
    errors: &mut Vec<RuleError>,
) -> Vec<(index::Entry, index::Compiled, String)> {
    let mut out = Vec::with_capacity(files.len());
    let mut offset = 0usize;
    for file in files {
        let compiled = matter::compile(&file.file, &file.source, licences).and_then(|m| {
            let text = index::matter_text(&file.source);
            let texts = texts::Texts::new(&m);
            match (text, texts) {
                (Ok(text), Ok(texts)) => Ok((m, text, texts)),
                (Err(e), _) | (_, Err(e)) => Err(alloc::vec![RuleError::from(e)]),
            }
        });
        match compiled {
            Ok((matter, text, texts)) => {
                if text.len() > limits::MAX_MATTER_BYTES {
                    errors.push(RuleError {
                        file: file.file.clone(),
                        path: SourcePath::root(),
                        span: None,
                        kind: RuleErrorKind::TooLong {
                            bytes: text.len(),
                            limit: limits::MAX_MATTER_BYTES,
                        },
                    });
                }
                let entry = index::Entry::of(&matter, &text, out.len(), offset);
                offset = offset.saturating_add(text.len()).saturating_add(1);
                out.push((entry, index::Compiled { matter, texts }, text));
            }
            Err(mut e) => errors.append(&mut e),
        }
    }
    out
}

/// Rules compiled from their sources, with the texts of their catalogue: each page's and each
/// matter's, in the order of their lines (pages by code, matters in the order they were read).
pub(crate) struct Written {
    pub rules: RuleSet,
    /// The canonical index: what the hash covers.
    pub index: String,
    pub pages: Vec<(index::Page, String)>,
    pub matters: Vec<(String, String)>,
}

/// The calendar checked, or its problems added to `errors`.
fn compile_calendar(
    files: &[SourceFile<calendar::CalendarSource>],
    errors: &mut Vec<RuleError>,
) -> Option<calendar::Calendar> {
    let years: Vec<(String, calendar::CalendarSource)> = files
        .iter()
        .map(|f| (f.file.clone(), f.source.clone()))
        .collect();
    calendar::Calendar::compile(&years)
        .map_err(|mut e| errors.append(&mut e))
        .ok()
}

impl RuleSet {
    /// Checks and compiles the sources, every matter at once; on failure, every problem found.
    /// The hash is the one of the catalogue `banshi bundle` writes from them.
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let files = banshi_loader::read_rules(std::path::Path::new("../rules"), &[])?;
    /// // Sources as banshi-loader reads them from a rules folder (or built any other way).
    /// let (source, _) = banshi_loader::sources(&files);
    /// let rules = banshi_core::RuleSet::compile(&source)
    ///     .map_err(|errors| format!("{} problem(s), the first: {:?}", errors.len(), errors.first()))?;
    /// assert!(rules.hash().starts_with("sha256:"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn compile(src: &RuleSetSource) -> Result<RuleSet, Vec<RuleError>> {
        RuleSet::written(src).map(|w| w.rules)
    }

    /// [`RuleSet::compile`], with the texts of the catalogue the rules make.
    pub(crate) fn written(src: &RuleSetSource) -> Result<Written, Vec<RuleError>> {
        let mut errors = Vec::new();
        let licences = compile_licences(&src.licences, &mut errors);
        let calendar = compile_calendar(&src.calendar, &mut errors);
        let tiers_ok = check_tiers(src, &licences, &mut errors);
        // What a catalogue carries: every implementation written out as one complete matter
        // (`bundle::published`), so that rules compiled from a folder and from their catalogue
        // are one and the same. With problems in the tiers, only the complete matter files are
        // compiled, for their own problems.
        let published = if tiers_ok {
            bundle::published(src)
        } else {
            alloc::borrow::Cow::Owned(RuleSetSource {
                matters: src.matters.clone(),
                ..RuleSetSource::new(src.licences.clone(), src.calendar.clone())
            })
        };
        let compiled = compile_matters(&published.matters, &licences, &mut errors);
        let mut texts = Vec::with_capacity(compiled.len());
        let mut by_code = Vec::with_capacity(compiled.len());
        for (entry, matter, text) in compiled {
            texts.push((entry.hash.clone(), text));
            by_code.push((entry, matter));
        }
        // The index by code, then effective date; the matter lines stay in the order read.
        by_code.sort_by(|(a, _), (b, _)| (&a.code, a.effective).cmp(&(&b.code, b.effective)));
        let (entries, matters): (Vec<_>, Vec<_>) = by_code.into_iter().unzip();
        index::check_versions(&entries, &mut errors);
        let all: Vec<&Matter> = matters.iter().map(|c| &c.matter).collect();
        let themes = theme::compile_all(&published.themes, &all, &mut errors);
        drop(all);
        let pages = index::paginate(&entries).map_err(|e| alloc::vec![RuleError::from(e)])?;
        let index = index::IndexRef {
            licences: &published.licences,
            calendar: &published.calendar,
            pages: &pages.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>(),
            themes: &published.themes,
            #[cfg(feature = "catalogue")]
            retained_proofs: published.retained_proofs.as_ref(),
            #[cfg(not(feature = "catalogue"))]
            retained_proofs: None,
        };
        let canonical = json::to_json(&index, "the catalogue's index");
        let held = index::Matters::compiled(&pages, entries, matters);
        match (calendar, canonical, held) {
            (Some(calendar), Ok(canonical), Ok(held)) if errors.is_empty() => Ok(Written {
                rules: RuleSet {
                    hash: bundle::sha256(canonical.as_bytes()),
                    licences,
                    calendar,
                    matters: Arc::new(held),
                    store: None,
                    receipt_key: keys::ReceiptKey::development(),
                    themes,
                },
                index: canonical,
                pages,
                matters: texts,
            }),
            (_, Err(e), _) => {
                errors.push(RuleError::from(e));
                Err(errors)
            }
            _ => Err(errors),
        }
    }

    /// Opens a catalogue from its index, compiling no matter: each is read from `store` and
    /// compiled on its first decision, or, without a store, handed in with
    /// [`RuleSet::supply`]. `hash` is the index's, checked by the caller ([`bundle::open`]).
    pub(crate) fn open(
        index: index::Index,
        hash: String,
        store: Option<Arc<dyn index::MatterStore>>,
    ) -> Result<RuleSet, Vec<RuleError>> {
        let mut errors = Vec::new();
        let licences = compile_licences(&index.licences, &mut errors);
        let calendar = compile_calendar(&index.calendar, &mut errors);
        let matters = index::Matters::open(index.pages).map_err(|message| {
            alloc::vec![RuleError {
                file: String::from("index"),
                path: SourcePath::root().key("pages"),
                span: None,
                kind: RuleErrorKind::Invalid { message },
            }]
        });
        let themes = index
            .themes
            .into_iter()
            .map(theme::ThemeSlot::lazy)
            .collect();
        match (calendar, matters) {
            (Some(calendar), Ok(matters)) if errors.is_empty() => Ok(RuleSet {
                hash,
                licences,
                calendar,
                matters: Arc::new(matters),
                store: store.map(index::Store),
                receipt_key: keys::ReceiptKey::development(),
                themes,
            }),
            (_, Err(mut e)) => {
                errors.append(&mut e);
                Err(errors)
            }
            _ => Err(errors),
        }
    }

    /// These rules with receipts keyed by `key`: the deployment's receipt key, which its
    /// servers and channels share. Until one is given, receipts are made with the public
    /// development key and say so (`"key":"development"`).
    pub fn with_receipt_key(mut self, key: keys::ReceiptKey) -> RuleSet {
        self.receipt_key = key;
        self
    }

    /// The key receipts are made with.
    pub fn receipt_key(&self) -> &keys::ReceiptKey {
        &self.receipt_key
    }

    /// Every version of every matter, by code and date, from the index: nothing is compiled
    /// (a catalogue's pages are read).
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let rules = banshi_loader::load_rules(std::path::Path::new("../rules"), &[])?;
    /// let listed = rules.matters()?;
    /// let first = listed.first().ok_or("no matter")?;
    /// println!("{} {} ({}, from {})", first.code, first.name, first.version, first.effective);
    /// # Ok(())
    /// # }
    /// ```
    pub fn matters(&self) -> Result<Vec<MatterSummary>, DecideError> {
        Ok(self
            .matters
            .all(self.store())
            .map_err(matter_error)?
            .into_iter()
            .map(index::Entry::summary)
            .collect())
    }

    fn store(&self) -> Option<&dyn index::MatterStore> {
        self.store.as_ref().map(|s| &*s.0)
    }

    /// How many matter versions the rules hold.
    pub fn len(&self) -> usize {
        self.matters.len()
    }

    /// Whether the rules hold no matter.
    pub fn is_empty(&self) -> bool {
        self.matters.len() == 0
    }

    /// Whether the matter version numbered `index` is compiled.
    pub fn is_compiled(&self, index: usize) -> bool {
        self.matters.is_compiled(index)
    }

    /// Compiles every matter not compiled yet (a server that prefers to pay at start-up);
    /// every matter that fails, with why.
    pub fn compile_all(&self) -> Result<(), Vec<index::MatterError>> {
        let errors: Vec<index::MatterError> = (0..self.matters.len())
            .filter_map(|i| self.compiled(i).err())
            .collect();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// What a channel without a store must fetch next before `code` (a matter's, in force on
    /// `on`; a theme's, every version of its matters; `""`, every page of the index and every
    /// theme's, for the themes listed by region; `*`, every matter;
    /// `#`, every page of the index, for the listing)
    /// can be decided: a page of the index, then the matter's own text. `None` when nothing is
    /// missing (or the code names nothing: the call then says why).
    pub fn pending(&self, code: &str, on: Option<NaiveDate>) -> Option<index::Blob> {
        let pages = self.matters.pages();
        let unread = |p: usize| self.matters.blob(p);
        let uncompiled = |i: usize| self.matters.blob(pages.saturating_add(i));
        if code == "#" {
            return (0..pages).find_map(unread);
        }
        if code == "*" {
            return (0..pages)
                .find_map(unread)
                .or_else(|| (0..self.matters.len()).find_map(uncompiled));
        }
        let themes: Vec<&theme::ThemeSlot> = self
            .themes
            .iter()
            .filter(|t| code.is_empty() || t.code() == code)
            .collect();
        // The themes listed by region, and a theme offered in regions (decided in one, which
        // places its matters' implementations): the places, built from every page.
        let regional = themes
            .iter()
            .any(|t| !t.file.source.theme.regions.is_empty());
        if (code.is_empty() || regional)
            && let Some(blob) = (0..pages).find_map(unread)
        {
            return Some(blob);
        }
        if !themes.is_empty() || code.is_empty() {
            for t in themes.into_iter().filter(|t| t.compiled.get().is_none()) {
                match self.theme_versions(t) {
                    Ok(versions) => {
                        if let Some(blob) = versions.into_iter().find_map(uncompiled) {
                            return Some(blob);
                        }
                    }
                    // A page it needs is not read: the page of a matter named by 实施编码, else
                    // (a base's implementations are looked for in every page) the first unread.
                    Err(_) => {
                        let by_code = t
                            .file
                            .source
                            .matters
                            .iter()
                            .filter_map(|n| n.code.as_deref());
                        return by_code
                            .filter_map(|c| self.matters.page_for(c))
                            .chain(0..pages)
                            .find_map(unread);
                    }
                }
            }
            return None;
        }
        if let Some(p) = self
            .matters
            .page_for(code)
            .filter(|&p| !self.matters.is_read(p))
        {
            return unread(p);
        }
        match self.version_index(code, on?) {
            Ok(i) => uncompiled(i),
            // A 基本编码 is looked up in every page.
            Err(DecideError::Matter(_)) => (0..pages).find_map(unread),
            Err(_) => None,
        }
    }

    /// Hands in the text of `blob` ([`RuleSet::pending`]), fetched by the channel (split
    /// delivery): checked against its hash in the index, read (a page) or compiled (a matter)
    /// and kept. What is kept already stays as it is.
    pub fn supply(&self, blob: usize, text: &[u8]) -> Result<(), index::MatterError> {
        self.matters.supply(blob, text, &self.licences)
    }

    /// The matter version numbered `index`, compiled now if it is not yet.
    fn compiled(&self, index: usize) -> Result<&index::Compiled, index::MatterError> {
        self.matters.matter(index, self.store(), &self.licences)
    }

    /// Every matter version, by code and date, compiled now where it is not yet: for reports
    /// over the whole catalogue. The first matter that does not compile is the error.
    pub fn all_matters(&self) -> Result<Vec<&Matter>, DecideError> {
        (0..self.matters.len()).map(|i| self.matter_at(i)).collect()
    }

    /// Every citation, code and limit of every matter version with its verification mark, by
    /// matter and version, each version's in the order it is compiled: codes, the two limits,
    /// `[[basis]]`, `[[time_limits]]` (`banshi sources`).
    pub fn sources(&self) -> Result<Vec<verification::SourceMark>, DecideError> {
        Ok(self
            .all_matters()?
            .into_iter()
            .flat_map(|m| {
                m.marks
                    .0
                    .iter()
                    .map(|(item, mark)| verification::SourceMark {
                        code: m.info.code.clone(),
                        version: m.version.id.clone(),
                        file: m.file.clone(),
                        item: item.clone(),
                        verified: mark.clone(),
                    })
            })
            .collect())
    }

    /// The plans' indicators for the matters in force on `on` (see [`indicators`]), the
    /// figures `filter` asks for.
    pub fn indicators(
        &self,
        on: NaiveDate,
        filter: &indicators::Filter,
    ) -> Result<indicators::Report, DecideError> {
        Ok(indicators::measure(&self.all_matters()?, on, filter))
    }

    /// The “两个免于提交” list of the matters in force on `on` (see [`lists`]).
    pub fn exemptions(&self, on: NaiveDate) -> Result<Vec<lists::Exemption>, DecideError> {
        Ok(lists::exemptions(&self.all_matters()?, on))
    }

    /// The “一证通办” list of the matters in force on `on` (see [`lists`]).
    pub fn one_card(&self, on: NaiveDate) -> Result<Vec<lists::OneCard>, DecideError> {
        Ok(lists::one_card(&self.all_matters()?, on))
    }

    /// The 数据供需对接清单 of the matters in force on `on` (see [`lists`]).
    pub fn supply_list(&self, on: NaiveDate) -> Result<Vec<lists::Supply>, DecideError> {
        Ok(lists::supply(&self.all_matters()?, on))
    }

    /// The matters a region offers: those whose implementation's region is `region` or lies
    /// within it, by code and date. `region` is a name or a 行政区划代码; a name becomes its
    /// code through the catalogue (see [`region`]). An implementation lies within it by its
    /// code where both codes are known (`西安市` and `610100` list `西安市雁塔区`'s, 610113),
    /// else by its name beginning with `region`'s (`西咸新区` lists `西咸新区沣东新城`'s, neither of
    /// which is a division of GB/T 2260). Matters written in one file name no region and are not
    /// listed.
    pub fn matters_in(&self, region: &str) -> Result<Vec<MatterSummary>, DecideError> {
        let store = self.store();
        let known = self
            .matters
            .places(store)
            .map_err(matter_error)?
            .known(region);
        Ok(self
            .matters
            .all(store)
            .map_err(matter_error)?
            .into_iter()
            .filter(|e| match (known, &e.region, &e.region_code) {
                (_, None, _) => false,
                (region::Known::Code(outer), _, Some(inner)) => region::lies_in(inner, outer),
                (_, Some(name), _) => name.starts_with(region),
            })
            .map(index::Entry::summary)
            .collect())
    }

    /// The 实施编码 with which `region` implements `code` (a 基本编码, or a 实施编码 whose 基本编码
    /// is meant): the implementation of the region itself, else of the nearest region that
    /// encloses it (its county, city, province). `region` is a name or a 行政区划代码 (see
    /// [`region`] for how a name becomes a code). Errs, naming the base and region, where none
    /// encloses it ([`DecideError::NoImplementation`]) or two are equally near
    /// ([`DecideError::ImplementationsTie`]); a name the catalogue does not know that is not a
    /// code is [`DecideError::UnknownRegion`].
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let rules = banshi_loader::load_rules(std::path::Path::new("../rules"), &[])?;
    /// // 个体工商户登记 in 西安市雁塔区 (610113): 西安市's implementation (610100) applies there.
    /// let base = "000131128000";
    /// let city = rules.code_in_region(base, "西安市")?;
    /// assert_eq!(rules.code_in_region(base, "610113")?, city);
    /// assert!(rules.code_in_region(base, "620100").is_err());
    /// # Ok(())
    /// # }
    /// ```
    pub fn code_in_region(&self, code: &str, region: &str) -> Result<Text, DecideError> {
        let store = self.store();
        let places = self.matters.places(store).map_err(matter_error)?;
        let versions = self.matters.versions(code, store).map_err(matter_error)?;
        let basic: Text = match self.matters.entry(versions.start, store) {
            Ok((e, _)) if !versions.is_empty() => e.basic_code.clone(),
            _ => code.into(),
        };
        let mut candidates = Vec::new();
        for n in places.implementations(&basic) {
            candidates.push(self.matters.entry(n, store).map_err(matter_error)?.0);
        }
        let known = places.known(region);
        if candidates.is_empty() {
            return Err(DecideError::UnknownMatter {
                code: code.to_string(),
            });
        }
        if known == region::Known::Unknown {
            return Err(DecideError::UnknownRegion {
                region: region.to_string(),
            });
        }
        let all = candidates
            .iter()
            .map(|e| (&e.code, e.region.as_ref(), e.region_code.as_ref()));
        match region::nearest(region, known, all) {
            Ok(found) => Ok(found.clone()),
            Err(region::Miss::Tie(a, b)) => Err(DecideError::ImplementationsTie {
                base: basic.to_string(),
                region: region.to_string(),
                codes: alloc::vec![a.to_string(), b.to_string()],
            }),
            Err(region::Miss::None) => Err(DecideError::NoImplementation {
                base: basic.to_string(),
                region: region.to_string(),
            }),
        }
    }

    /// The SHA-256 of the canonical index: the hash of the catalogue these rules make.
    pub fn hash(&self) -> &str {
        &self.hash
    }

    /// The official working-day calendar.
    pub fn calendar(&self) -> &calendar::Calendar {
        &self.calendar
    }

    /// The electronic licence types channels may report.
    pub fn licences(&self) -> &[String] {
        &self.licences
    }

    /// The number of the matter version in force on `on` among every version of every matter
    /// (see [`RuleSet::matter_at`]). Errs where [`RuleSet::matter`] errs; compiles nothing.
    pub fn version_index(&self, code: &str, on: NaiveDate) -> Result<usize, DecideError> {
        // By code: every decision looks its matter up, in catalogues of thousands of matters
        // too; only its page of the index is read.
        let store = self.store();
        let versions = self.matters.versions(code, store).map_err(matter_error)?;
        if !versions.is_empty() {
            let from = versions.start;
            let entry = |i: usize| {
                let n = from.checked_add(i).filter(|n| versions.contains(n))?;
                self.matters.entry(n, store).ok().map(|(e, _)| e)
            };
            return in_force(versions.len(), entry, code, on).map(|i| from.saturating_add(i));
        }
        // A 基本编码 that one matter has: looked up in the places built once from every page.
        let unknown = || DecideError::UnknownMatter {
            code: code.to_string(),
        };
        let places = self.matters.places(store).map_err(matter_error)?;
        let by_basic: Vec<usize> = places.implementations(code).collect();
        let mut only: Option<&Text> = None;
        for &n in &by_basic {
            let (e, _) = self.matters.entry(n, store).map_err(matter_error)?;
            match only {
                Some(c) if *c != e.code => return Err(unknown()),
                _ => only = Some(&e.code),
            }
        }
        // One matter's versions: numbered by date.
        let entry = |i: usize| {
            let n = *by_basic.get(i)?;
            self.matters.entry(n, store).ok().map(|(e, _)| e)
        };
        let found = in_force(by_basic.len(), entry, code, on)?;
        by_basic.get(found).copied().ok_or_else(unknown)
    }

    /// The matter version numbered `index` (see [`RuleSet::version_index`]), compiled now if
    /// it is not yet.
    pub fn matter_at(&self, index: usize) -> Result<&Matter, DecideError> {
        self.version_at(index).map(|(m, _)| m)
    }

    /// The matter version numbered `index` and its answers' texts.
    pub(crate) fn version_at(&self, index: usize) -> Result<(&Matter, &texts::Texts), DecideError> {
        if index >= self.matters.len() {
            return Err(DecideError::UnknownMatter {
                code: alloc::format!("#{index}"),
            });
        }
        self.compiled(index)
            .map(|c| (&c.matter, &c.texts))
            .map_err(matter_error)
    }

    /// The version of a matter in force on a date. `code` is the 实施编码, or a 基本编码 that
    /// only one matter in the set has.
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let rules = banshi_loader::load_rules(std::path::Path::new("../rules"), &[])?;
    /// let on = banshi_core::facts::parse_date("2026-03-02").ok_or("not a date")?;
    /// let matter = rules.matter("11610100000000000X4000131128000", on)?;
    /// // The facts schema: what a form asks, with types, options and who supplies each.
    /// assert!(matter.facts().iter().any(|f| f.name == "经营者身份类型"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn matter(&self, code: &str, on: NaiveDate) -> Result<&Matter, DecideError> {
        let index = self.version_index(code, on)?;
        self.matter_at(index)
    }

    /// Decides with facts given as a JSON object.
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let rules = banshi_loader::load_rules(std::path::Path::new("../rules"), &[])?;
    /// use banshi_core::{Map, Status, Value};
    /// let on = banshi_core::facts::parse_date("2026-03-02").ok_or("not a date")?;
    /// let mut facts = Map::new();
    /// facts.insert("经营者身份类型".into(), Value::from("内地居民"));
    /// let decision = rules.decide("11610100000000000X4000131128000", &facts, on)?;
    /// assert_eq!(decision.status, Status::NeedsFacts);
    /// assert!(decision.receipt.is_some());
    /// # Ok(())
    /// # }
    /// ```
    pub fn decide(
        &self,
        code: &str,
        facts: &Map<String, Value>,
        on: NaiveDate,
    ) -> Result<Decision, DecideError> {
        let (matter, values) = self.application(code, on, |m| m.check_facts(facts))?;
        self.decide_values(matter, &values, on)
    }

    /// Decides without a receipt: the same decision as [`RuleSet::decide`] less its `receipt`,
    /// for work that does not hand the decision to another channel (impact analysis, batch
    /// re-decisions), where fingerprinting every decision would be most of the cost.
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let rules = banshi_loader::load_rules(std::path::Path::new("../rules"), &[])?;
    /// let on = banshi_core::facts::parse_date("2026-03-02").ok_or("not a date")?;
    /// let decision = rules.evaluate("11610100000000000X4000131128000", &banshi_core::Map::new(), on)?;
    /// assert!(decision.receipt.is_none());
    /// # Ok(())
    /// # }
    /// ```
    pub fn evaluate(
        &self,
        code: &str,
        facts: &Map<String, Value>,
        on: NaiveDate,
    ) -> Result<Decision, DecideError> {
        let (matter, values) = self.application(code, on, |m| m.check_facts(facts))?;
        matter.decide_checked(&values, on, &self.calendar)
    }

    /// The matter in force on `on` and the facts `read` from it. The matter is looked up
    /// first, so that an unknown code is reported as such whatever the facts.
    fn application(
        &self,
        code: &str,
        on: NaiveDate,
        read: impl FnOnce(&Matter) -> Result<Vec<Option<facts::FactValue>>, Vec<FactError>>,
    ) -> Result<(&Matter, Vec<Option<facts::FactValue>>), DecideError> {
        let matter = self.matter(code, on)?;
        let values = read(matter).map_err(|errors| DecideError::Facts { errors })?;
        Ok((matter, values))
    }

    /// Whether the 受理条件 of a matter hold for facts given as JSON text: see
    /// [`Matter::eligibility`].
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let rules = banshi_loader::load_rules(std::path::Path::new("../rules"), &[])?;
    /// let on = banshi_core::facts::parse_date("2026-03-02").ok_or("not a date")?;
    /// let answer = rules.eligibility_json("11610100000000000X4000131128000", "{}", on)?;
    /// // Nothing answered: the conditions ask their first question.
    /// assert_eq!(answer.status, banshi_core::Status::NeedsFacts);
    /// assert!(!answer.questions.is_empty());
    /// # Ok(())
    /// # }
    /// ```
    pub fn eligibility_json(
        &self,
        code: &str,
        facts: &str,
        on: NaiveDate,
    ) -> Result<Eligibility, DecideError> {
        let (matter, values) = self.application(code, on, |m| m.read_facts(facts))?;
        matter.eligibility(&values, on)
    }

    /// The decision with its receipt for facts already checked against `matter`. The receipt
    /// fingerprints the decision's JSON without it, so a channel that wants the JSON with the
    /// receipt serialises the decision again: typed, rather than spliced into that text.
    pub(crate) fn decide_values(
        &self,
        matter: &Matter,
        values: &[Option<facts::FactValue>],
        on: NaiveDate,
    ) -> Result<Decision, DecideError> {
        let mut decision = matter.decide_checked(values, on, &self.calendar)?;
        let bare = decision.to_json()?;
        decision.receipt = Some(decision::Receipt::of_json(
            &self.hash,
            &self.receipt_key,
            &matter.canonical_facts(values)?,
            &bare,
        ));
        Ok(decision)
    }

    /// [`RuleSet::evaluate`] for facts given as JSON text: the decision without its receipt,
    /// the facts read straight from the text ([`Matter::read_facts`]) with the same values and
    /// errors as parsing them first.
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let rules = banshi_loader::load_rules(std::path::Path::new("../rules"), &[])?;
    /// let on = banshi_core::facts::parse_date("2026-03-02").ok_or("not a date")?;
    /// let facts = r#"{"经营者身份类型": "内地居民"}"#;
    /// let decision = rules.evaluate_json("11610100000000000X4000131128000", facts, on)?;
    /// assert!(decision.receipt.is_none());
    /// # Ok(())
    /// # }
    /// ```
    pub fn evaluate_json(
        &self,
        code: &str,
        facts: &str,
        on: NaiveDate,
    ) -> Result<Decision, DecideError> {
        let (matter, values) = self.application(code, on, |m| m.read_facts(facts))?;
        matter.decide_checked(&values, on, &self.calendar)
    }

    /// Decides with facts given as JSON text, as the channels send them.
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let rules = banshi_loader::load_rules(std::path::Path::new("../rules"), &[])?;
    /// use banshi_core::DecideError;
    /// let on = banshi_core::facts::parse_date("2026-03-02").ok_or("not a date")?;
    /// let decision = rules.decide_json("11610100000000000X4000131128000", r#"{"经营者身份类型": "内地居民"}"#, on)?;
    /// // The bytes every channel produces: `banshi decide --compact`, `POST /v1/decide`.
    /// let canonical = serde_json::to_string(&decision)?;
    /// assert!(canonical.starts_with(r#"{"matter":{"code":"11610100000000000X4000131128000""#));
    /// // A wrong answer names the fact, never the value.
    /// let refused = rules.decide_json("11610100000000000X4000131128000", r#"{"经营者身份类型": 7}"#, on);
    /// let Err(DecideError::Facts { errors }) = refused else { panic!("accepted") };
    /// assert_eq!(errors[0].path, "经营者身份类型");
    /// # Ok(())
    /// # }
    /// ```
    pub fn decide_json(
        &self,
        code: &str,
        facts: &str,
        on: NaiveDate,
    ) -> Result<Decision, DecideError> {
        let (matter, values) = self.application(code, on, |m| m.read_facts(facts))?;
        self.decide_values(matter, &values, on)
    }
}

fn matter_error(e: index::MatterError) -> DecideError {
    DecideError::Matter(alloc::boxed::Box::new(e))
}

/// The number, below `count`, of the version in force on `on` among one matter's versions
/// (`entry(i)`, by effective date).
fn in_force<'e>(
    count: usize,
    entry: impl Fn(usize) -> Option<&'e index::Entry>,
    code: &str,
    on: NaiveDate,
) -> Result<usize, DecideError> {
    let Some(first) = entry(0) else {
        return Err(DecideError::UnknownMatter {
            code: code.to_string(),
        });
    };
    let found = (0..count)
        .rev()
        .find(|&i| entry(i).is_some_and(|e| e.effective <= on))
        .ok_or_else(|| DecideError::NotInForce {
            code: code.to_string(),
            on: on.to_string(),
            earliest: first.effective.to_string(),
        })?;
    // A version that ended without a successor decides nothing after its last day.
    match entry(found).and_then(|e| e.end.as_ref()) {
        Some(end) if on > end.last_day => Err(DecideError::Ended {
            code: code.to_string(),
            on: on.to_string(),
            last_day: end.last_day.to_string(),
            reason: end.reason.to_string(),
            note: end.note.as_deref().unwrap_or_default().to_string(),
        }),
        _ => Ok(found),
    }
}

/// Parses facts JSON text into an object, refusing oversized or malformed input with a
/// typed error (serde_json also refuses nesting deeper than 128 levels).
pub fn parse_facts(text: &str) -> Result<Map<String, Value>, FactError> {
    let whole = |kind| FactError {
        path: String::new(),
        kind,
    };
    if text.len() > MAX_FACTS_BYTES {
        return Err(whole(FactErrorKind::TooLarge {
            size: text.len(),
            limit: MAX_FACTS_BYTES,
        }));
    }
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(whole(FactErrorKind::NotAnObject)),
        Err(e) => Err(whole(FactErrorKind::Json {
            message: alloc::format!("{e}"),
        })),
    }
}
