//! Reads banshi rule folders, rule TOML text and bundle files into
//! [`banshi_core::RuleSet`]s, and locates every problem as `file:line:col`.
//!
//! `banshi-core` never reads a file: it compiles [`RuleSetSource`]s and loads bundle text. This
//! crate is the step before, for servers and tools that keep rules as files:
//!
//! ```
//! use std::path::Path;
//!
//! use banshi_core::facts::parse_date;
//!
//! fn decide() -> Result<(), Box<dyn std::error::Error>> {
//! #   std::env::set_current_dir("../..")?; // the repository's root, where `rules/` is
//!     // The folder's matters, licence catalogue and calendar; nothing built in to fall back on.
//!     let rules = banshi_loader::load_rules(Path::new("rules"), &[])?;
//!     let on = parse_date("2026-03-10").ok_or("not a date")?;
//!     let decision = rules.decide_json(
//!         "11610100000000000X4000131128000",
//!         r#"{"经营者身份类型": "内地居民", "由委托代理人办理": false}"#,
//!         on,
//!     )?;
//!     println!("{:?}: {} question(s) left", decision.status, decision.questions.len());
//!
//!     // A phone sent this decision's receipt: decide again and compare (`valid`, or what differs).
//!     let receipt = serde_json::to_string(&decision.receipt)?;
//!     let engine = banshi_core::ffi::Engine::from_rules(rules);
//!     let facts = r#"{"经营者身份类型": "内地居民", "由委托代理人办理": false}"#;
//!     let answer = engine.verify("11610100000000000X4000131128000", facts, "2026-03-10", &receipt);
//!     assert!(answer.starts_with(r#"{"ok":true,"valid":true"#));
//!     Ok(())
//! }
//! # decide().unwrap();
//! ```
//!
//! A rule set that does not compile fails with [`LoadError::Rules`], whose problems each print as
//! `file:line:col: message`; [`compile`] gives them without the folder reading, for rule files
//! held elsewhere (a database, the text of a request: see [`TextFile`]). A bundle made by
//! `banshi bundle` loads with [`load_bundle`].
//!
//! File names: a [`TextFile`]'s `key` is its path relative to the rules folder, the name the
//! core's canonical sources and so the bundle's hash carry. The same rules therefore hash alike
//! wherever the folder sits, and alike to the bundle the command line writes.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use banshi_core::bundle::{self, BundleError};
use banshi_core::calendar::CalendarSource;
use banshi_core::error::PathSegment;
use banshi_core::index;
use banshi_core::source::{
    BaseSource, ImplementationSource, LicencesSource, MatterSource, RetainedProofsSource,
    ThemeSource,
};
use banshi_core::{RuleError, RuleSet, RuleSetSource, SourceFile, Trust};
use std::borrow::Cow;
use std::sync::{Arc, Mutex};
use toml_edit::{Document, Item, Value};

/// A rule file's name (as shown in messages), its key, and its text.
///
/// The name also tells what the file holds: `licences.toml` is the licence catalogue, a `.toml`
/// file in a `calendar/` folder a year of the calendar, `base.toml` a base item (基本目录), a
/// `.toml` file in an `implementations/` folder an implementation (实施清单), any other `.toml`
/// file a matter, `theme.toml` a theme (一件事一次办); other files are left out. Rules kept elsewhere than in a folder are given as the folder would
/// give them:
///
/// ```
/// use banshi_loader::TextFile;
///
/// let files = [TextFile {
///     name: "db/permit/matter.toml".into(), // a matter, by its name
///     key: "permit/matter.toml".into(),     // as if in `rules/permit/`
///     text: "[matter\n".into(),
/// }];
/// let (_, problems) = banshi_loader::sources(&files);
/// assert!(problems[0].to_string().starts_with("db/permit/matter.toml:1:"));
/// ```
#[derive(Debug, Clone)]
pub struct TextFile {
    /// The name shown in messages.
    pub name: String,
    /// Its path relative to the rules folder (`calendar/2026.toml`): the name the canonical
    /// sources carry, so that the same rules hash alike wherever the folder is.
    pub key: String,
    /// The file's contents.
    pub text: String,
}

/// A problem located in a file; it prints as `file:line:col: message`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}:{column}: {message}")]
pub struct Located {
    /// The file's name.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

/// Rule files that could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// A file, or the folder or file asked for, that could not be read.
    #[error("{}: {source}", path.display())]
    Path {
        /// The file or folder.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
    /// A folder whose entries could not be listed. The message is the system's alone, as it
    /// has always printed; the folder is in `path`.
    #[error("{source}")]
    Listing {
        /// The folder being listed.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
}

/// Rules that could not be loaded: [`load_rules`] and [`load_bundle`].
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The rule files could not be read.
    #[error(transparent)]
    Read(#[from] ReadError),
    /// The rule files were read but have problems (at least one).
    #[error("{}", Problems(.0))]
    Rules(Vec<Located>),
    /// A bundle file that is not a bundle of this version, whose content does not match its
    /// hash, or that is not signed as the trust given asks.
    #[error("{}: {source}", path.display())]
    Bundle {
        /// The bundle file.
        path: PathBuf,
        /// Why.
        source: BundleError,
    },
}

/// One line for [`LoadError::Rules`]: how many problems, and the first.
struct Problems<'a>(&'a [Located]);

impl fmt::Display for Problems<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the rules have {} problem(s)", self.0.len())?;
        match self.0.first() {
            Some(first) => write!(f, "; the first: {first}"),
            None => Ok(()),
        }
    }
}

/// What a rule file holds, by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Licences,
    Matter,
    Base,
    Implementation,
    Calendar,
    Theme,
    RetainedProofs,
    Other,
}

fn kind_of(name: &str) -> Kind {
    let file = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let normal = name.replace('\\', "/");
    let in_calendar = normal.contains("calendar/");
    let in_implementations = normal
        .rsplit_once('/')
        .is_some_and(|(dir, _)| dir == "implementations" || dir.ends_with("/implementations"));
    match file {
        "licences.toml" => Kind::Licences,
        "theme.toml" => Kind::Theme,
        "retained-proofs.toml" => Kind::RetainedProofs,
        "base.toml" => Kind::Base,
        _ if in_implementations && file.ends_with(".toml") => Kind::Implementation,
        _ if in_calendar && file.ends_with(".toml") => Kind::Calendar,
        _ if in_calendar => Kind::Other,
        _ if file.ends_with(".toml") => Kind::Matter,
        _ => Kind::Other,
    }
}

/// Whether a file found while walking a rules folder is a rule file, by its path: what
/// [`read_tree`] keeps. Other programs that walk a folder themselves (the npm package's `npx
/// banshi bundle`) ask this instead of keeping their own copy of the rule.
#[must_use]
pub fn is_rule_file(path: &str) -> bool {
    wanted_in_tree(Path::new(path))
}

/// Whether a file found while walking a folder is a rule file. Named files are always read.
fn wanted_in_tree(path: &Path) -> bool {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let in_calendar = path
        .parent()
        .and_then(Path::file_name)
        .is_some_and(|d| d == "calendar");
    let in_implementations = path
        .parent()
        .and_then(Path::file_name)
        .is_some_and(|d| d == "implementations");
    name == "matter.toml"
        || name == "base.toml"
        || name == "licences.toml"
        || name == "theme.toml"
        || name == "retained-proofs.toml"
        || ((in_calendar || in_implementations) && name.ends_with(".toml"))
}

/// Rule files compiled into a program (`include_str!`) as `(path, text)` pairs, with paths
/// such as `rules/calendar/2026.toml`: each file keeps its path as its name, and its key is the
/// path relative to `folder` (`calendar/2026.toml` for `folder` `"rules"`), so that the rules
/// hash alike to the same folder read from disk.
pub fn embedded(files: &[(&str, &str)], folder: &str) -> Vec<TextFile> {
    let prefix = format!("{}/", folder.trim_end_matches('/'));
    files
        .iter()
        .map(|(name, text)| TextFile {
            name: (*name).to_string(),
            key: name.strip_prefix(&prefix).unwrap_or(name).to_string(),
            text: (*text).to_string(),
        })
        .collect()
}

/// Every rule file below the folder `path` (or the file itself), sorted by name so that loading
/// does not depend on the file system's order. Below a folder, the rule files are the
/// `matter.toml`, `base.toml`, `theme.toml` and `licences.toml` files and the `.toml` files of
/// `calendar` and `implementations` folders.
pub fn read_tree(path: &Path) -> Result<Vec<TextFile>, ReadError> {
    let mut paths = Vec::new();
    collect(path, &mut paths)?;
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let key = if p == path {
                p.file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default()
            } else {
                p.strip_prefix(path)
                    .unwrap_or(&p)
                    .to_string_lossy()
                    .replace('\\', "/")
            };
            Ok(TextFile {
                name: p.display().to_string(),
                key,
                text: std::fs::read_to_string(&p)
                    .map_err(|source| ReadError::Path { path: p, source })?,
            })
        })
        .collect()
}

fn collect(path: &Path, out: &mut Vec<PathBuf>) -> Result<(), ReadError> {
    let meta = std::fs::metadata(path).map_err(|source| ReadError::Path {
        path: path.to_path_buf(),
        source,
    })?;
    if meta.is_file() {
        out.push(path.to_path_buf());
        return Ok(());
    }
    let listing = |source| ReadError::Listing {
        path: path.to_path_buf(),
        source,
    };
    for entry in std::fs::read_dir(path).map_err(listing)? {
        let entry = entry.map_err(listing)?;
        let p = entry.path();
        if entry.file_type().map_err(listing)?.is_dir() {
            collect(&p, out)?;
        } else if wanted_in_tree(&p) {
            out.push(p);
        }
    }
    Ok(())
}

/// The rule files at `path` (a folder or a file) together with the licence catalogue and the
/// calendar that govern them: their own, the nearest `licences.toml` or `calendar/` above them,
/// or else those among `builtin` (a program's own rules, such as [`embedded`] files; `&[]` for
/// none).
pub fn read_rules(path: &Path, builtin: &[TextFile]) -> Result<Vec<TextFile>, ReadError> {
    let mut files = read_tree(path)?;
    for (kind, name) in [
        (Kind::Licences, "licences.toml"),
        (Kind::Calendar, "calendar"),
    ] {
        if files.iter().any(|f| kind_of(&f.name) == kind) {
            continue;
        }
        match nearest(path, name) {
            Some(found) => files.extend(read_tree(&found)?.into_iter().map(|mut f| {
                if kind == Kind::Calendar {
                    f.key = format!("calendar/{}", f.key);
                }
                f
            })),
            None => files.extend(builtin.iter().filter(|f| kind_of(&f.name) == kind).cloned()),
        }
    }
    Ok(files)
}

/// Finds `name` (the licence catalogue or the calendar folder) that governs a path: beside it
/// or in the nearest parent folder.
pub fn nearest(path: &Path, name: &str) -> Option<PathBuf> {
    let start = if path.is_dir() {
        Some(path)
    } else {
        path.parent()
    };
    start?
        .ancestors()
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.exists())
}

/// Parses rule files into the core's sources (without checking their meaning), with every
/// syntax problem located; files that do not parse are left out of the sources.
pub fn sources(files: &[TextFile]) -> (RuleSetSource, Vec<Located>) {
    let mut problems = Vec::new();
    let mut licences = None;
    let mut matters = Vec::new();
    let mut calendar = Vec::new();
    let mut bases = Vec::new();
    let mut implementations = Vec::new();
    let mut themes = Vec::new();
    let mut proofs = None;
    for file in files {
        match kind_of(&file.name) {
            Kind::Licences => match toml::from_str::<LicencesSource>(&file.text) {
                Ok(source) => {
                    if licences.is_some() {
                        problems.push(Located {
                            file: file.name.clone(),
                            line: 1,
                            column: 1,
                            message: "a second licences.toml in one rule set".into(),
                        });
                    }
                    licences = Some(SourceFile::new(file.key.clone(), source));
                }
                Err(e) => problems.push(syntax(file, &e)),
            },
            Kind::Matter => match toml::from_str::<MatterSource>(&file.text) {
                Ok(source) => matters.push(SourceFile::new(file.key.clone(), source)),
                Err(e) => problems.push(syntax(file, &e)),
            },
            Kind::Base => match toml::from_str::<BaseSource>(&file.text) {
                Ok(source) => bases.push(SourceFile::new(file.key.clone(), source)),
                Err(e) => problems.push(syntax(file, &e)),
            },
            Kind::Implementation => match toml::from_str::<ImplementationSource>(&file.text) {
                Ok(source) => implementations.push(SourceFile::new(file.key.clone(), source)),
                Err(e) => problems.push(syntax(file, &e)),
            },
            Kind::Calendar => match toml::from_str::<CalendarSource>(&file.text) {
                Ok(source) => calendar.push(SourceFile::new(file.key.clone(), source)),
                Err(e) => problems.push(syntax(file, &e)),
            },
            Kind::Theme => match toml::from_str::<ThemeSource>(&file.text) {
                Ok(source) => themes.push(SourceFile::new(file.key.clone(), source)),
                Err(e) => problems.push(syntax(file, &e)),
            },
            Kind::RetainedProofs => match retained_proofs(file) {
                Ok(source) => proofs = Some(SourceFile::new(file.key.clone(), source)),
                Err(located) => problems.push(located),
            },
            Kind::Other => {}
        }
    }
    let licences =
        licences.unwrap_or_else(|| SourceFile::new("licences.toml", LicencesSource::default()));
    // Canonical order, whatever order the files were found in.
    matters.sort_by(|a, b| a.file.cmp(&b.file));
    calendar.sort_by(|a, b| a.file.cmp(&b.file));
    bases.sort_by(|a, b| a.file.cmp(&b.file));
    implementations.sort_by(|a, b| a.file.cmp(&b.file));
    themes.sort_by(|a, b| a.file.cmp(&b.file));
    let source = RuleSetSource {
        licences,
        matters,
        calendar,
        bases,
        implementations,
        themes,
        retained_proofs: proofs,
    };
    (source, problems)
}

/// The 实施编码 a rule folder's cases decide with when they name none: the folder's complete
/// matter (`<folder>/matter.toml`), else its one implementation (`<folder>/implementations/`),
/// else the one implementation anywhere that inherits the folder's base (`<folder>/base.toml`,
/// as an older version's folder does). `None` when there is no single one: a case there names
/// its matter. `folder` is a key prefix such as `food-business-licence`.
pub fn folder_matter(source: &RuleSetSource, folder: &str) -> Option<String> {
    let prefix = format!("{}/", folder.trim_end_matches('/'));
    if let Some(m) = source
        .matters
        .iter()
        .find(|m| m.file == format!("{prefix}matter.toml"))
    {
        return Some(m.source.matter.implementation_code.clone());
    }
    let single = |mut codes: Vec<&String>| (codes.len() == 1).then(|| codes.remove(0).clone());
    let own = source
        .implementations
        .iter()
        .filter(|i| i.file.starts_with(&format!("{prefix}implementations/")))
        .map(|i| &i.source.implementation.code)
        .collect::<Vec<_>>();
    if !own.is_empty() {
        return single(own);
    }
    let base = source
        .bases
        .iter()
        .find(|b| b.file == format!("{prefix}base.toml"))?;
    single(
        source
            .implementations
            .iter()
            .filter(|i| i.source.implementation.inherits == base.source.base.basic_code)
            .map(|i| &i.source.implementation.code)
            .collect(),
    )
}

/// Parses and compiles rule files; every problem located (in the order found: syntax problems,
/// then the core's).
///
/// ```
/// use banshi_loader::TextFile;
///
/// # let rules = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rules");
/// let mut files = banshi_loader::read_rules(&rules, &[]).unwrap();
/// files.push(TextFile {
///     name: "db/broken/matter.toml".into(),
///     key: "broken/matter.toml".into(),
///     text: "[matter]\nname = 1\n".into(),
/// });
/// let problems = banshi_loader::compile(&files).unwrap_err();
/// assert!(problems[0].to_string().starts_with("db/broken/matter.toml:"));
/// ```
pub fn compile(files: &[TextFile]) -> Result<RuleSet, Vec<Located>> {
    let (source, mut problems) = sources(files);
    match RuleSet::compile(&source) {
        Ok(rules) if problems.is_empty() => Ok(rules),
        Ok(_) => Err(problems),
        Err(errors) => {
            problems.extend(locate_all(files, &errors));
            Err(problems)
        }
    }
}

/// Reads and compiles the rules at `path` ([`read_rules`], then [`compile`]).
pub fn load_rules(path: &Path, builtin: &[TextFile]) -> Result<RuleSet, LoadError> {
    let files = read_rules(path, builtin)?;
    compile(&files).map_err(LoadError::Rules)
}

/// Loads a bundle file written by `banshi bundle`, checked against its hash and signed as
/// `trust` asks (see [`banshi_core::bundle::load`]). Only a catalogue's header line is read:
/// each matter is read from the file when it is first decided (a one-file catalogue), or from
/// `matters/<hash>.json` beside the index (`banshi bundle --split`), and checked against its
/// hash then.
///
/// ```no_run
/// use std::path::Path;
/// use banshi_core::{PublicKey, ReceiptKey, Trust};
///
/// fn rules() -> Result<banshi_core::RuleSet, Box<dyn std::error::Error>> {
///     // The publishing agency's public key, as `banshi keygen` printed it.
///     let agency = PublicKey::from_hex("1cca221c8ec6073393a7ba59cd3a508cbb46bd964484cbc22a81364c6e08b780")?;
///     let rules = banshi_loader::load_bundle(Path::new("rules.bundle.json"), &Trust::keys([agency]))?;
///     // The deployment's receipt key (`banshi keygen --receipt`), shared with its channels.
///     Ok(rules.with_receipt_key(ReceiptKey::from_hex(&std::fs::read_to_string("receipt.hex")?)?))
/// }
/// ```
pub fn load_bundle(path: &Path, trust: &Trust) -> Result<RuleSet, LoadError> {
    let read = |source: io::Error| ReadError::Path {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(read)?;
    let size = file.metadata().map_err(read)?.len();
    let mut reader = io::BufReader::new(file);
    let mut header = String::new();
    io::BufRead::read_line(&mut reader, &mut header).map_err(read)?;
    let base = header.len() as u64;
    let header = header.strip_suffix('\n').unwrap_or(&header);
    let folder = path.parent().unwrap_or(Path::new(".")).join("matters");
    let store: Arc<dyn index::MatterStore> = if size > base {
        Arc::new(FileStore {
            file: Mutex::new(reader.into_inner()),
            base,
        })
    } else {
        Arc::new(FolderStore { folder })
    };
    let opened = if header.starts_with(bundle::CATALOGUE_START) {
        bundle::open(header, Some(store), trust)
    } else {
        // Not a catalogue (a bundle from before catalogues, or not a bundle): read whole, for
        // the same error every channel gives.
        let text = std::fs::read_to_string(path).map_err(read)?;
        bundle::load(&text, trust)
    };
    opened.map_err(|source| LoadError::Bundle {
        path: path.to_path_buf(),
        source,
    })
}

/// A one-file catalogue's pages and matters, read from the file when first needed.
struct FileStore {
    file: Mutex<std::fs::File>,
    /// Where the lines after the header line start.
    base: u64,
}

impl index::MatterStore for FileStore {
    fn fetch(&self, start: usize, bytes: usize, _: &str) -> Result<Option<Cow<'_, [u8]>>, String> {
        use io::{Read, Seek};
        let mut file = self.file.lock().map_err(|e| e.to_string())?;
        file.seek(io::SeekFrom::Start(self.base.saturating_add(start as u64)))
            .map_err(|e| e.to_string())?;
        // No line of a catalogue is longer than a matter may be: a larger length is read only
        // that far, and refused against its hash.
        let limit = bytes.min(banshi_core::limits::MAX_MATTER_BYTES) as u64;
        let mut text = Vec::with_capacity(limit as usize);
        (&mut *file)
            .take(limit)
            .read_to_end(&mut text)
            .map_err(|e| e.to_string())?;
        Ok(Some(Cow::Owned(text)))
    }
}

/// A split catalogue's pages and matters: `matters/<hash>.json` beside the index.
struct FolderStore {
    folder: PathBuf,
}

impl index::MatterStore for FolderStore {
    fn fetch(&self, _: usize, _: usize, hash: &str) -> Result<Option<Cow<'_, [u8]>>, String> {
        let path = self.folder.join(bundle::matter_file(hash));
        std::fs::read(&path)
            .map(|text| Some(Cow::Owned(text)))
            .map_err(|e| format!("{}: {e}", path.display()))
    }
}

/// Parses a retained-proof catalogue (`retained-proofs.toml`), its syntax problems located.
pub fn retained_proofs(file: &TextFile) -> Result<RetainedProofsSource, Located> {
    toml::from_str(&file.text).map_err(|e| syntax(file, &e))
}

fn syntax(file: &TextFile, error: &toml::de::Error) -> Located {
    let offset = error.span().map_or(0, |s| s.start);
    let (line, column) = line_column(&file.text, offset);
    Located {
        file: file.name.clone(),
        line,
        column,
        message: error.message().trim().to_string(),
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
    (line, column)
}

/// Turns a core error (a key path, maybe a span inside a condition) into a file position.
/// For many errors use [`locate_all`], which reads each file once.
pub fn locate(files: &[TextFile], error: &RuleError) -> Located {
    locate_all(files, core::slice::from_ref(error))
        .pop()
        .unwrap_or_else(|| Located {
            file: error.file.clone(),
            line: 1,
            column: 1,
            message: error.kind.to_string(),
        })
}

/// [`locate`] for every error, in order: each file is parsed once and its lines indexed once,
/// so that a file with thousands of problems is located in time linear in its size.
pub fn locate_all(files: &[TextFile], errors: &[RuleError]) -> Vec<Located> {
    let mut parsed: std::collections::BTreeMap<&str, (Option<Document<&str>>, Vec<usize>)> =
        std::collections::BTreeMap::new();
    let mut out = Vec::with_capacity(errors.len());
    for error in errors {
        let message = error.kind.to_string();
        let Some(file) = files.iter().find(|f| f.key == error.file) else {
            out.push(Located {
                file: error.file.clone(),
                line: 1,
                column: 1,
                message,
            });
            continue;
        };
        let (doc, lines) = parsed.entry(file.key.as_str()).or_insert_with(|| {
            let starts = std::iter::once(0)
                .chain(file.text.match_indices('\n').map(|(i, _)| i + 1))
                .collect();
            (Document::parse(file.text.as_str()).ok(), starts)
        });
        let offset = doc
            .as_ref()
            .and_then(|doc| offset_of(doc, &file.text, error))
            .unwrap_or(0);
        let (line, column) = line_column_indexed(&file.text, lines, offset);
        out.push(Located {
            file: file.name.clone(),
            line,
            column,
            message,
        });
    }
    out
}

/// [`line_column`] with the text's line starts found beforehand.
fn line_column_indexed(text: &str, line_starts: &[usize], offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let line = line_starts.partition_point(|&start| start <= offset).max(1);
    let start = line_starts.get(line - 1).copied().unwrap_or(0);
    let column = text.get(start..offset).map_or(0, |s| s.chars().count()) + 1;
    (line, column)
}

/// One step of a key path into a rule file, for [`position`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step<'a> {
    /// A table key.
    Key(&'a str),
    /// An index into an array (of tables, or of values).
    Index(usize),
}

/// The 1-based line and column of the value at `path` in `file` (as deep as the file goes: a
/// key that is not there points at its table; a file that does not parse, at its start).
pub fn position(file: &TextFile, path: &[Step<'_>]) -> (usize, usize) {
    earliest(file, core::slice::from_ref(&path)).unwrap_or((1, 1))
}

/// The first in the file of the values at `paths` ([`position`] of each), the file parsed once;
/// `None` for no paths.
pub fn earliest(file: &TextFile, paths: &[&[Step<'_>]]) -> Option<(usize, usize)> {
    let doc = Document::parse(file.text.as_str()).ok();
    let offset = paths
        .iter()
        .map(|path| {
            doc.as_ref()
                .and_then(|doc| walk(doc, path.iter().copied()).0)
                .map_or(0, |span| span.start)
        })
        .min()?;
    Some(line_column(&file.text, offset))
}

/// Walks a document as deep as `path` goes: the span of the deepest value reached, and that
/// value.
fn walk<'d, 'a>(
    doc: &'d Document<&str>,
    path: impl Iterator<Item = Step<'a>>,
) -> (Option<std::ops::Range<usize>>, &'d Item) {
    let mut item: &Item = doc.as_item();
    let mut best = None;
    for step in path {
        let next = match step {
            Step::Key(key) => item.get(key),
            Step::Index(i) => match item {
                Item::ArrayOfTables(tables) => tables.get(i).map(|_| &item[i]),
                Item::Value(Value::Array(array)) => array.get(i).map(|_| &item[i]),
                _ => None,
            },
        };
        let Some(next) = next else { break };
        item = next;
        if let Some(span) = item.span() {
            best = Some(span);
        }
    }
    (best, item)
}

fn offset_of(doc: &Document<&str>, text: &str, error: &RuleError) -> Option<usize> {
    // Walk as deep as the document goes; a missing key points at its table.
    let steps = error.path.segments().iter().map(|segment| match segment {
        PathSegment::Key(key) => Step::Key(key),
        PathSegment::Index(i) => Step::Index(*i),
    });
    let (best, item) = walk(doc, steps);
    let span = best?;
    let Some(inner) = error.span else {
        return Some(span.start);
    };
    let Item::Value(Value::String(_)) = item else {
        return Some(span.start);
    };
    let raw = text.get(span.clone())?;
    Some(span.start + raw_offset(raw, inner.start).unwrap_or(0))
}

/// Where byte `offset` of a string's value stands in its TOML source `raw` (quotes included),
/// walking escapes so that a column inside `"a == \"b\""` is exact.
fn raw_offset(raw: &str, offset: usize) -> Option<usize> {
    let triple = raw.starts_with(r#"""""#) || raw.starts_with("'''");
    let literal = raw.starts_with('\'');
    let mut pos = if triple { 3 } else { 1 };
    // A newline right after an opening triple quote is not part of the value.
    if triple {
        let rest = raw.get(pos..)?;
        if rest.starts_with("\r\n") {
            pos += 2;
        } else if rest.starts_with('\n') {
            pos += 1;
        }
    }
    if literal {
        return Some(pos + offset);
    }
    let body = raw.get(pos..)?;
    let mut decoded = 0;
    let mut chars = body.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if decoded >= offset {
            return Some(pos + i);
        }
        if c != '\\' {
            decoded += c.len_utf8();
            continue;
        }
        let (_, kind) = chars.next()?;
        let digits = match kind {
            'u' => 4,
            'U' => 8,
            'x' => 2,
            '\n' | '\r' | ' ' | '\t' => {
                // A line-ending backslash swallows the white space that follows.
                while chars.next_if(|(_, c)| c.is_whitespace()).is_some() {}
                continue;
            }
            _ => 0,
        };
        let ch = if digits == 0 {
            // Every one-character escape decodes to one ASCII character.
            'x'
        } else {
            let mut code = String::new();
            for _ in 0..digits {
                code.push(chars.next()?.1);
            }
            char::from_u32(u32::from_str_radix(&code, 16).ok()?)?
        };
        decoded += ch.len_utf8();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_walk_escapes() {
        assert_eq!(raw_offset(r#""a == \"b\"""#, 5), Some(6));
        assert_eq!(raw_offset(r#"'a == "b"'"#, 5), Some(6));
        assert_eq!(raw_offset("\"\"\"\nx \\u4e00 y\"\"\"", 6), Some(13));
    }

    #[test]
    fn columns_count_characters() {
        let text = "a = 1\n事项 = \"x\"\n";
        assert_eq!(line_column(text, 0), (1, 1));
        let x = text.find('x').unwrap();
        assert_eq!(line_column(text, x), (2, 7));
    }
}
