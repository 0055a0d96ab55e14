//! `banshi check`'s look at history: the versions that decisions already made stand on,
//! changed instead of a new version being added.
//!
//! A decision made under a version stands on that version's rules; editing them changes every
//! decision already made, where the law asks for a new version from the day the change takes
//! effect. The checked files are compared with the same files at a git revision (`HEAD` unless
//! `--since` names another) by `banshi diff`'s comparison ([`crate::diff::in_force_edits`]), on
//! the date asked about (today in China unless `--on` names one). A warning for each version:
//!
//! - in force and edited (its rules or its dates), at the first changed field;
//! - new, but taking effect before that date (decisions made since under its predecessor
//!   change), at its `effective` date;
//! - in force and removed.
//!
//! The 办事指南 and the verification marks are not decided content ([`crate::diff::decided`]).
//! Outside a git work tree there is nothing to compare with, and a note says so.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use banshi_core::source::ImplementationSource;
use banshi_core::{RuleSetSource, SourceFile};
use banshi_loader::{Located, Step, TextFile};
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::Value;

use crate::diff::{self, EditKind, InForceEdit, Side};

/// What the comparison found for one checked path.
#[derive(Debug, Default)]
pub struct Outcome {
    /// One per edited version in force, at its first changed field.
    pub warnings: Vec<Located>,
    /// One per new version in force that declares it takes effect retroactively (`[version]
    /// retroactive`), at its effective date: what changes, without a warning.
    pub retroactive: Vec<Located>,
    /// Why nothing was compared, when nothing was.
    pub notes: Vec<String>,
}

/// Compares the rule `files` read from `path` with `path` at revision `since` (`HEAD` when
/// `None`, if `path` is in a git work tree). An error only when `since` was given and cannot be
/// read; without it, a note says why nothing was compared.
pub fn check(
    path: &Path,
    files: &[TextFile],
    since: Option<&str>,
    on: NaiveDate,
) -> Result<Outcome, String> {
    let mut outcome = Outcome::default();
    let rev = since.unwrap_or("HEAD");
    if !diff::in_work_tree(path) {
        if since.is_some() {
            return Err(format!(
                "--since {rev}: {} is not in a git work tree",
                path.display()
            ));
        }
        outcome.notes.push(format!(
            "note: {} is not in a git work tree: edits to versions in force were not looked for",
            path.display()
        ));
        return Ok(outcome);
    }
    if since.is_some() && !diff::is_revision(path, rev) {
        return Err(format!(
            "--since {rev}: no such revision in the git repository of {}",
            path.display()
        ));
    }
    let old = match diff::git_side(rev, path) {
        Ok(Some(old)) => old,
        // The path is new since `rev`: every version in it is a new one.
        Ok(None) => return Ok(outcome),
        Err(e) if since.is_some() => return Err(format!("--since {rev}: {e}")),
        Err(e) => {
            outcome.notes.push(format!(
                "note: {e}: edits to versions in force were not looked for"
            ));
            return Ok(outcome);
        }
    };
    let (source, _) = banshi_loader::sources(files);
    let new = Side::new(path.display().to_string(), source);
    let edits = diff::in_force_edits(&old, &new, on);
    if edits.is_empty() {
        return Ok(outcome);
    }
    let index = Index::new(&old.source, &new.source, files);
    for edit in edits {
        let warning = match &edit.kind {
            EditKind::Edited => edited(&edit, &index, rev),
            EditKind::Backdated {
                replaces,
                retroactive,
            } => {
                let (key, line, column) = effective_date(&edit, &index);
                let (version, name, code, effective) =
                    (&edit.version, &edit.name, &edit.code, &edit.effective);
                let changes = summary(&edit.changes, rev)
                    .map(|s| format!(" ({s})"))
                    .unwrap_or_default();
                let message = match retroactive {
                    Some(declared) => format!(
                        "note: version {version} of {name} ({code}) is new since {rev} and takes effect on {effective}, before {on}, as its `retroactive` declares ({declared}): decisions made since then under version {replaces} change{changes}"
                    ),
                    None => format!(
                        "warning: version {version} of {name} ({code}) is new since {rev} but takes effect on {effective}, before {on}: decisions made since then under version {replaces} change{changes}; a new version takes effect from the day the change does (today or later, unless the law itself took effect earlier)"
                    ),
                };
                let located = Located {
                    file: name_of(&key, path, files),
                    line,
                    column,
                    message,
                };
                // Declared retroactive: what changes is shown, but it is not a warning.
                if retroactive.is_some() {
                    outcome.retroactive.push(located);
                    continue;
                }
                located
            }
            EditKind::Removed => Located {
                file: name_of(&edit.file, path, files),
                line: 1,
                column: 1,
                message: format!(
                    "warning: version {} of {} ({}), in force since {}, was removed since {rev}: decisions already made under it change; a version ends with `end = {{ last_day, reason }}` or gives way to a new version, and stays in the rules",
                    edit.version, edit.name, edit.code, edit.effective
                ),
            },
        };
        outcome.warnings.push(warning);
    }
    Ok(outcome)
}

/// The name to show for a file key of the rules read from `path`: the file's own, or for a file
/// no longer there, where it was.
fn name_of(key: &str, path: &Path, files: &[TextFile]) -> String {
    match files.iter().find(|f| f.key == key) {
        Some(file) => file.name.clone(),
        None if path.is_dir() => path.join(key).display().to_string(),
        None => path.display().to_string(),
    }
}

/// The first change with its details (the indented lines under it, but its citations), and
/// how many others there are; `None` without changes.
fn summary(changes: &[String], rev: &str) -> Option<String> {
    let mut first = String::new();
    let mut more = 0usize;
    for (i, line) in changes.iter().enumerate() {
        let detail = line.starts_with(' ');
        if i == 0 {
            first.push_str(line.trim());
        } else if !detail {
            more = more.saturating_add(1);
        } else if more == 0 && !line.trim().starts_with("依据 basis") {
            first.push_str(if first.ends_with("changed") {
                ": "
            } else {
                ", "
            });
            let detail = line.trim();
            first.push_str(detail.strip_prefix("~ ").unwrap_or(detail));
        }
    }
    if first.is_empty() {
        return None;
    }
    if more > 0 {
        first.push_str(&format!(
            " (and {more} more change(s): `banshi diff --git {rev}` lists them)"
        ));
    }
    Some(first)
}

/// Both sides' rule files by key, each file's decided content as JSON, and the
/// implementations by code: looked up once per warning, built once.
struct Index<'a> {
    files: BTreeMap<&'a str, &'a TextFile>,
    old: BTreeMap<&'a str, Value>,
    new: BTreeMap<&'a str, Value>,
    matters: BTreeSet<&'a str>,
    implementations: BTreeMap<&'a str, &'a SourceFile<ImplementationSource>>,
    by_code: BTreeMap<&'a str, &'a SourceFile<ImplementationSource>>,
    /// Base files by 基本编码 and version id.
    bases: BTreeMap<(&'a str, &'a str), &'a str>,
}

impl<'a> Index<'a> {
    fn new(old: &'a RuleSetSource, new: &'a RuleSetSource, files: &'a [TextFile]) -> Index<'a> {
        Index {
            files: files.iter().map(|f| (f.key.as_str(), f)).collect(),
            old: values(old),
            new: values(new),
            matters: new.matters.iter().map(|m| m.file.as_str()).collect(),
            implementations: new
                .implementations
                .iter()
                .map(|i| (i.file.as_str(), i))
                .collect(),
            by_code: new
                .implementations
                .iter()
                .map(|i| (i.source.implementation.code.as_str(), i))
                .collect(),
            bases: new
                .bases
                .iter()
                .map(|b| {
                    let key = (
                        b.source.base.basic_code.as_str(),
                        b.source.version.id.as_str(),
                    );
                    (key, b.file.as_str())
                })
                .collect(),
        }
    }
}

/// Every matter, base and implementation file's decided content as JSON, by key.
fn values(source: &RuleSetSource) -> BTreeMap<&str, Value> {
    fn add<'s, T: Serialize>(list: &'s [SourceFile<T>], out: &mut BTreeMap<&'s str, Value>) {
        for file in list {
            if let Ok(value) = serde_json::to_value(&file.source) {
                out.insert(file.file.as_str(), diff::decided(&value));
            }
        }
    }
    let mut out = BTreeMap::new();
    add(&source.matters, &mut out);
    add(&source.bases, &mut out);
    add(&source.implementations, &mut out);
    out
}

fn edited(edit: &InForceEdit, index: &Index<'_>, rev: &str) -> Located {
    let (key, line, column) = locate(edit, index);
    Located {
        file: index
            .files
            .get(key.as_str())
            .map_or(key.clone(), |f| f.name.clone()),
        line,
        column,
        message: format!(
            "warning: version {} of {} ({}) has been in force since {} and was edited since {rev}: {}; this changes decisions already made under it: add a new version from the day the change takes effect",
            edit.version,
            edit.name,
            edit.code,
            edit.effective,
            summary(&edit.changes, rev).unwrap_or_default()
        ),
    }
}

/// The file, line and column to point at: the first changed field of the first file that
/// makes up the version and changed (the implementation, those it inherits from, the base), or
/// else the version's `effective` date.
fn locate(edit: &InForceEdit, index: &Index<'_>) -> (String, usize, usize) {
    let (candidates, _) = parts(edit, index);
    for key in &candidates {
        let key = key.as_str();
        let (Some(a), Some(b), Some(file)) =
            (index.old.get(key), index.new.get(key), index.files.get(key))
        else {
            continue;
        };
        let mut paths = Vec::new();
        differences(a, b, &mut Vec::new(), &mut paths);
        let steps: Vec<Vec<Step<'_>>> = paths
            .iter()
            .map(|path| path.iter().map(Segment::step).collect())
            .collect();
        let steps: Vec<&[Step<'_>]> = steps.iter().map(Vec::as_slice).collect();
        if let Some((line, column)) = banshi_loader::earliest(file, &steps) {
            return (key.to_string(), line, column);
        }
    }
    effective_date(edit, index)
}

/// Where the version's `[version] effective` is written (its base's, for an implementation).
fn effective_date(edit: &InForceEdit, index: &Index<'_>) -> (String, usize, usize) {
    let (_, version_file) = parts(edit, index);
    let (line, column) = index.files.get(version_file.as_str()).map_or((1, 1), |f| {
        banshi_loader::position(f, &[Step::Key("version"), Step::Key("effective")])
    });
    (version_file, line, column)
}

/// The files a flattened version is made of, most specific first, and the one holding its
/// `[version]`: a complete matter file alone, or an implementation, the implementations it
/// inherits from, and its base's file for this version.
fn parts(edit: &InForceEdit, index: &Index<'_>) -> (Vec<String>, String) {
    if index.matters.contains(edit.file.as_str()) {
        return (vec![edit.file.clone()], edit.file.clone());
    }
    let mut chain = Vec::new();
    let mut current = index.implementations.get(edit.file.as_str());
    let mut basic = None;
    // An inheritance loop is a problem `check` reports first; the bound only keeps this finite.
    while let Some(implementation) = current {
        if chain.len() > index.implementations.len() {
            break;
        }
        chain.push(implementation.file.clone());
        let inherits = implementation.source.implementation.inherits.as_str();
        current = index.by_code.get(inherits);
        basic = Some(inherits);
    }
    let base = basic.and_then(|basic| index.bases.get(&(basic, edit.version.as_str())));
    let version_file = base.map_or_else(|| edit.file.clone(), |b| (*b).to_string());
    if base.is_some() {
        chain.push(version_file.clone());
    }
    (chain, version_file)
}

/// One step of a path into a JSON value.
#[derive(Debug, Clone)]
enum Segment {
    Key(String),
    Index(usize),
}

impl Segment {
    fn step(&self) -> Step<'_> {
        match self {
            Segment::Key(key) => Step::Key(key),
            Segment::Index(i) => Step::Index(*i),
        }
    }
}

/// The paths at which `a` and `b` differ, as deep as both go.
fn differences(a: &Value, b: &Value, path: &mut Vec<Segment>, out: &mut Vec<Vec<Segment>>) {
    if a == b {
        return;
    }
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for key in x.keys().chain(y.keys().filter(|k| !x.contains_key(*k))) {
                let null = Value::Null;
                path.push(Segment::Key(key.clone()));
                differences(
                    x.get(key).unwrap_or(&null),
                    y.get(key).unwrap_or(&null),
                    path,
                    out,
                );
                path.pop();
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            for i in 0..x.len().max(y.len()) {
                let null = Value::Null;
                path.push(Segment::Index(i));
                differences(
                    x.get(i).unwrap_or(&null),
                    y.get(i).unwrap_or(&null),
                    path,
                    out,
                );
                path.pop();
            }
        }
        _ => out.push(path.clone()),
    }
}
