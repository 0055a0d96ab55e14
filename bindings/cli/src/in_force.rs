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

use std::path::Path;

use banshi_core::RuleSetSource;
use banshi_core::source::MatterSource;
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
    for edit in diff::in_force_edits(&old, &new, on) {
        let warning = match &edit.kind {
            EditKind::Edited => edited(&edit, &old.source, &new.source, files, rev),
            EditKind::Backdated { replaces } => {
                let (key, line, column) = effective_date(&edit, &new.source, files);
                Located {
                    file: name_of(&key, path, files),
                    line,
                    column,
                    message: format!(
                        "warning: version {} of {} ({}) is new since {rev} but takes effect on {}, before {on}: decisions made since then under version {replaces} change{}; a new version takes effect from the day the change does (today or later, unless the law itself took effect earlier)",
                        edit.version,
                        edit.name,
                        edit.code,
                        edit.effective,
                        summary(&edit.changes, rev)
                            .map(|s| format!(" ({s})"))
                            .unwrap_or_default(),
                    ),
                }
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

fn edited(
    edit: &InForceEdit,
    old: &RuleSetSource,
    new: &RuleSetSource,
    files: &[TextFile],
    rev: &str,
) -> Located {
    let (key, line, column) = locate(edit, old, new, files);
    Located {
        file: files
            .iter()
            .find(|f| f.key == key)
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
fn locate(
    edit: &InForceEdit,
    old: &RuleSetSource,
    new: &RuleSetSource,
    files: &[TextFile],
) -> (String, usize, usize) {
    let (candidates, _) = parts(edit, new);
    for key in &candidates {
        let (Some(a), Some(b)) = (value(old, key), value(new, key)) else {
            continue;
        };
        let Some(file) = files.iter().find(|f| &f.key == key) else {
            continue;
        };
        let mut paths = Vec::new();
        differences(&a, &b, &mut Vec::new(), &mut paths);
        let first = paths
            .iter()
            .map(|path| {
                let steps: Vec<Step<'_>> = path.iter().map(Segment::step).collect();
                banshi_loader::position(file, &steps)
            })
            .min();
        if let Some((line, column)) = first {
            return (key.clone(), line, column);
        }
    }
    effective_date(edit, new, files)
}

/// Where the version's `[version] effective` is written (its base's, for an implementation).
fn effective_date(
    edit: &InForceEdit,
    new: &RuleSetSource,
    files: &[TextFile],
) -> (String, usize, usize) {
    let (_, version_file) = parts(edit, new);
    let (line, column) = files
        .iter()
        .find(|f| f.key == version_file)
        .map_or((1, 1), |f| {
            banshi_loader::position(f, &[Step::Key("version"), Step::Key("effective")])
        });
    (version_file, line, column)
}

/// The files a flattened version is made of, most specific first, and the one holding its
/// `[version]`: a complete matter file alone, or an implementation, the implementations it
/// inherits from, and its base's file for this version.
fn parts(edit: &InForceEdit, new: &RuleSetSource) -> (Vec<String>, String) {
    if new.matters.iter().any(|m| m.file == edit.file) {
        return (vec![edit.file.clone()], edit.file.clone());
    }
    let mut chain = Vec::new();
    let mut current = new.implementations.iter().find(|i| i.file == edit.file);
    let mut basic = None;
    // An inheritance loop is a problem `check` reports first; the bound only keeps this finite.
    while let Some(implementation) = current {
        if chain.len() > new.implementations.len() {
            break;
        }
        chain.push(implementation.file.clone());
        let inherits = &implementation.source.implementation.inherits;
        current = new
            .implementations
            .iter()
            .find(|i| i.source.implementation.code == *inherits);
        basic = Some(inherits.clone());
    }
    let base = new.bases.iter().find(|b| {
        Some(&b.source.base.basic_code) == basic.as_ref() && b.source.version.id == edit.version
    });
    let version_file = base.map_or_else(|| edit.file.clone(), |b| b.file.clone());
    if base.is_some() {
        chain.push(version_file.clone());
    }
    (chain, version_file)
}

/// A rule file's decided content as JSON, by its key.
fn value(source: &RuleSetSource, key: &str) -> Option<Value> {
    fn find<T: Serialize>(list: &[banshi_core::SourceFile<T>], key: &str) -> Option<Value> {
        let file = list.iter().find(|f| f.file == key)?;
        serde_json::to_value(&file.source)
            .ok()
            .map(|v| diff::decided(&v))
    }
    find::<MatterSource>(&source.matters, key)
        .or_else(|| find(&source.bases, key))
        .or_else(|| find(&source.implementations, key))
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
