//! `banshi diff`: what changed between two rule sets, per matter, in words a reviewer approves.
//!
//! The two sides are rule sources (folders, bundles, or a git revision of a folder), compared
//! as the core reads them, not as text: a comment or a reordered key is no change, a changed
//! limit, condition, material, exemption route (issuer, data sharing, 电子证照, 直接取消), fee,
//! waiver, 容缺 or 承诺 is, each with the citations it rests on. Items are matched by their
//! stable id (`id`, or `name` for facts and situations, `procedure` for special procedures), so
//! the comparison is linear in the files' size apart from sorting.
//!
//! Versions pair by their `[version] id`; a version only in the new rules is compared with the
//! old version it follows. Editing a version already in force on the given date (today by
//! default) changes decisions already made, and is flagged: the law asks for a new version from
//! the day the change takes effect.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use banshi_core::source::MatterSource;
use banshi_core::{RuleSetSource, SourceFile};
use chrono::NaiveDate;
use serde_json::Value;

/// `banshi diff`.
#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    /// The old rules: a rules folder or a bundle file; with `--git`, the folder to compare
    /// (default: `rules`).
    pub old: Option<PathBuf>,
    /// The new rules: a rules folder or a bundle file.
    pub new: Option<PathBuf>,
    /// Compare this git revision of the folder (e.g. `HEAD`, `main`) with the working tree.
    #[arg(long, value_name = "REV")]
    pub git: Option<String>,
    /// Applications as JSON lines `{"matter","on","facts"}`: append the `banshi impact` summary
    /// of the change over them.
    #[arg(long, value_name = "FILE")]
    pub cases: Option<PathBuf>,
    /// The date for "already in force", YYYY-MM-DD (default: today in China, UTC+8).
    #[arg(long)]
    pub on: Option<String>,
}

/// Rule sources and where they came from.
pub struct Side {
    /// For the report: a folder, a bundle, or `REV:folder`.
    pub label: String,
    /// The sources.
    pub source: RuleSetSource,
    /// Every matter written out whole: complete matter files, and each implementation applied
    /// to its base ([`banshi_core::catalogue::flatten`]), so that a change to a base shows in
    /// every matter that inherits it.
    matters: Vec<SourceFile<MatterSource>>,
}

impl Side {
    /// Rule sources to compare, named `label` in the report.
    pub fn new(label: impl Into<String>, source: RuleSetSource) -> Side {
        let matters = banshi_core::catalogue::flatten(&source);
        Side {
            label: label.into(),
            source,
            matters,
        }
    }
}

/// Runs `banshi diff`: the report, and whether any matter changed.
pub fn run(args: &DiffArgs) -> Result<(String, bool), String> {
    let on = match &args.on {
        Some(text) => banshi_core::facts::parse_date(text)
            .ok_or_else(|| format!("--on `{text}` is not a real date in YYYY-MM-DD form"))?,
        None => (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive(),
    };
    let (old, new) = match &args.git {
        Some(rev) => {
            if args.new.is_some() {
                return Err(
                    "with --git, give one folder: its revision is compared with the working tree"
                        .into(),
                );
            }
            let dir = args.old.clone().unwrap_or_else(|| PathBuf::from("rules"));
            (read_git(rev, &dir)?, read_side(&dir)?)
        }
        None => match (&args.old, &args.new) {
            (Some(old), Some(new)) => (read_side(old)?, read_side(new)?),
            _ => return Err("give OLD and NEW (folders or bundles), or --git REV [FOLDER]".into()),
        },
    };
    let (mut text, changed) = report(&old, &new, on);
    if let Some(cases) = &args.cases {
        let compile = |side: &Side| {
            banshi_core::RuleSet::compile(&side.source).map_err(|errors| {
                format!(
                    "{}: the rules do not check ({} problem(s)); run `banshi check`",
                    side.label,
                    errors.len()
                )
            })
        };
        let report = crate::impact::analyse_file(
            &compile(&old)?,
            &compile(&new)?,
            cases,
            crate::impact::Options::default(),
        )?;
        let _ = write!(
            text,
            "\nimpact on the applications in {}:\n{}",
            cases.display(),
            crate::impact::render(&report)
        );
    }
    Ok((text, changed))
}

/// Reads a rules folder, or the sources inside a bundle (not verified: a diff is read by a
/// person, never decided with).
pub fn read_side(path: &Path) -> Result<Side, String> {
    let label = path.display().to_string();
    if path.is_file() {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{label}: {e}"))?;
        // Read as written, every matter checked against its hash; a reviewer compares what was
        // published, signed by whichever agency (development trust checks each signature).
        let source = banshi_core::bundle::sources(&text, &banshi_core::Trust::development())
            .map_err(|e| format!("{label}: {e}"))?;
        return Ok(Side::new(label, source));
    }
    read_folder(path, label)
}

/// Reads the rule files at `path` (a folder, or one rule file) into a side named `label`.
fn read_folder(path: &Path, label: String) -> Result<Side, String> {
    let files = crate::builtin::read_rules(path).map_err(|e| e.to_string())?;
    let (source, problems) = banshi_loader::sources(&files);
    if let Some(first) = problems.first() {
        return Err(format!(
            "{first}\n{label}: {} file(s) do not parse; run `banshi check`",
            problems.len()
        ));
    }
    Ok(Side::new(label, source))
}

/// The folder `path` is, or the one it is in.
fn folder_of(path: &Path) -> &Path {
    if path.is_dir() {
        path
    } else {
        path.parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
    }
}

/// Whether `path` (a folder or a file) is inside a git work tree (false too when git cannot be
/// run).
pub fn in_work_tree(path: &Path) -> bool {
    let dir = folder_of(path);
    git(dir, &["rev-parse", "--is-inside-work-tree"])
        .is_ok_and(|out| String::from_utf8_lossy(&out).trim() == "true")
}

fn git(dir: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
    let output = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| format!("running git: {e}"))?;
    if output.status.success() {
        Ok(output.stdout)
    } else {
        Err(format!(
            "git {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        ))
    }
}

/// The contents of the files `names` at revision `rev`, read by one `git cat-file --batch`.
fn blobs(top: &Path, rev: &str, names: &[&str]) -> Result<Vec<Vec<u8>>, String> {
    use std::io::{Read as _, Write as _};
    let mut child = std::process::Command::new("git")
        .arg("-C")
        .arg(top)
        .args(["cat-file", "--batch"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("running git: {e}"))?;
    let request: String = names.iter().map(|n| format!("{rev}:{n}\n")).collect();
    let mut stdin = child.stdin.take().ok_or("git cat-file: no input")?;
    // Written from a thread so that neither side waits on a full pipe.
    let writer = std::thread::spawn(move || stdin.write_all(request.as_bytes()));
    let mut out = Vec::new();
    child
        .stdout
        .take()
        .ok_or("git cat-file: no output")?
        .read_to_end(&mut out)
        .map_err(|e| format!("git cat-file: {e}"))?;
    let _ = writer.join();
    let _ = child.wait();
    let mut blobs = Vec::with_capacity(names.len());
    let mut rest = out.as_slice();
    for name in names {
        let end = rest
            .iter()
            .position(|&b| b == b'\n')
            .ok_or_else(|| format!("git cat-file: no answer for {rev}:{name}"))?;
        let header = String::from_utf8_lossy(rest.get(..end).unwrap_or_default()).to_string();
        let size: usize = header
            .rsplit(' ')
            .next()
            .and_then(|n| n.parse().ok())
            .filter(|_| header.contains(" blob "))
            .ok_or_else(|| format!("git cat-file: {rev}:{name}: {header}"))?;
        let start = end.saturating_add(1);
        let stop = start.saturating_add(size);
        let blob = rest
            .get(start..stop)
            .ok_or_else(|| format!("git cat-file: {rev}:{name} cut short"))?;
        blobs.push(blob.to_vec());
        // The blob is followed by a newline.
        rest = rest.get(stop.saturating_add(1)..).unwrap_or_default();
    }
    Ok(blobs)
}

/// Whether `rev` names a commit of the repository `path` is in.
pub fn is_revision(path: &Path, rev: &str) -> bool {
    let dir = folder_of(path);
    git(
        dir,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{rev}^{{commit}}"),
        ],
    )
    .is_ok()
}

/// The folder `dir` as it was at revision `rev`: its files copied out with `git show` into a
/// temporary folder (removed again), then read like any folder.
fn read_git(rev: &str, dir: &Path) -> Result<Side, String> {
    git_side(rev, dir)?.ok_or_else(|| format!("{rev} has no {}", dir.display()))
}

/// The rule files at `path` (a folder or a file in a git work tree) as they were at revision
/// `rev`, read like the working ones; `None` when `rev` has no such path.
pub fn git_side(rev: &str, path: &Path) -> Result<Option<Side>, String> {
    let abs = std::fs::canonicalize(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let in_dir = if abs.is_dir() {
        abs.clone()
    } else {
        abs.parent().map(Path::to_path_buf).unwrap_or_default()
    };
    let top = String::from_utf8_lossy(&git(&in_dir, &["rev-parse", "--show-toplevel"])?)
        .trim()
        .to_string();
    let rel = abs
        .strip_prefix(&top)
        .map_err(|_| format!("{} is not inside {top}", path.display()))?
        .to_string_lossy()
        .replace('\\', "/");
    let listing = git(
        Path::new(&top),
        &[
            "ls-tree",
            "-r",
            "--name-only",
            rev,
            "--",
            if rel.is_empty() { "." } else { &rel },
        ],
    )?;
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let tmp = std::env::temp_dir().join(format!("banshi-diff-{}-{nanos}", std::process::id()));
    let listing = String::from_utf8_lossy(&listing);
    let names: Vec<&str> = listing.lines().filter(|n| n.ends_with(".toml")).collect();
    let result = (|| {
        for (name, text) in names.iter().zip(blobs(Path::new(&top), rev, &names)?) {
            let target = tmp.join(name);
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent)
                    .map_err(|e| format!("{}: {e}", parent.display()))?;
            }
            std::fs::write(&target, text).map_err(|e| format!("{}: {e}", target.display()))?;
        }
        let folder = tmp.join(&rel);
        if !folder.exists() {
            return Ok(None);
        }
        read_folder(&folder, String::new()).map(Some)
    })();
    let _ = std::fs::remove_dir_all(&tmp);
    Ok(result?.map(|mut side| {
        side.label = format!("{rev}:{}", if rel.is_empty() { "." } else { &rel });
        side
    }))
}

/// One version of one matter.
struct Version<'a> {
    file: &'a str,
    source: &'a MatterSource,
}

fn versions(side: &Side) -> BTreeMap<&str, Vec<Version<'_>>> {
    let mut by_code: BTreeMap<&str, Vec<Version<'_>>> = BTreeMap::new();
    for file in &side.matters {
        by_code
            .entry(file.source.matter.implementation_code.as_str())
            .or_default()
            .push(Version {
                file: &file.file,
                source: &file.source,
            });
    }
    for list in by_code.values_mut() {
        list.sort_by(|a, b| a.source.version.effective.cmp(&b.source.version.effective));
    }
    by_code
}

/// The whole report, and whether anything changed.
pub fn report(old: &Side, new: &Side, on: NaiveDate) -> (String, bool) {
    let mut s = String::new();
    let _ = writeln!(s, "rules: {} → {}", old.label, new.label);
    let old_versions = versions(old);
    let new_versions = versions(new);
    let mut codes: Vec<&str> = old_versions
        .keys()
        .chain(new_versions.keys())
        .copied()
        .collect();
    codes.sort_unstable();
    codes.dedup();
    let edits = in_force_edits(old, new, on);
    let edits: BTreeMap<(&str, &str), &InForceEdit> = edits
        .iter()
        .map(|e| ((e.code.as_str(), e.version.as_str()), e))
        .collect();
    let warn = |block: &mut String, code: &str, id: &str| {
        if let Some(edit) = edits.get(&(code, id)) {
            let _ = writeln!(block, "  {}", warning(edit, on));
        }
    };
    let (mut changed, mut same) = (0usize, 0usize);
    for code in codes {
        let olds = old_versions
            .get(code)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let news = new_versions
            .get(code)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let mut block = String::new();
        for version in news {
            let id = &version.source.version.id;
            let paired = olds.iter().find(|o| o.source.version.id == *id);
            let lines = match paired {
                Some(old) => {
                    let mut lines = version_changes(old.source, version.source);
                    lines.extend(matter_changes(Some(old.source), version.source));
                    if !lines.is_empty() {
                        let _ = writeln!(
                            block,
                            "\n{} {} — version {} ({})",
                            version.source.matter.name, code, id, version.file
                        );
                        warn(&mut block, code, id);
                    }
                    lines
                }
                None => {
                    let effective = &version.source.version.effective;
                    let before = predecessor(olds, effective);
                    let _ = match before {
                        Some(b) => writeln!(
                            block,
                            "\n{} {} — new version {} from {} ({}), compared with version {} from {}",
                            version.source.matter.name,
                            code,
                            id,
                            effective,
                            version.file,
                            b.source.version.id,
                            b.source.version.effective
                        ),
                        None => writeln!(
                            block,
                            "\n{} {} — new matter, version {} from {} ({})",
                            version.source.matter.name, code, id, effective, version.file
                        ),
                    };
                    warn(&mut block, code, id);
                    matter_changes(before.map(|b| b.source), version.source)
                }
            };
            for line in lines {
                let _ = writeln!(block, "  {line}");
            }
        }
        for version in olds {
            if !news
                .iter()
                .any(|n| n.source.version.id == version.source.version.id)
            {
                let _ = writeln!(
                    block,
                    "\n{} {} — version {} from {} removed ({})",
                    version.source.matter.name,
                    code,
                    version.source.version.id,
                    version.source.version.effective,
                    version.file
                );
                warn(&mut block, code, &version.source.version.id);
            }
        }
        if block.is_empty() {
            same = same.saturating_add(1);
        } else {
            changed = changed.saturating_add(1);
            s.push_str(&block);
        }
    }
    let shared = shared_changes(old, new);
    if !shared.is_empty() {
        s.push_str("\nlicences.toml and calendar/ (every matter)\n");
        for line in &shared {
            let _ = writeln!(s, "  {line}");
        }
    }
    let _ = write!(s, "\n{changed} matter(s) changed, {same} unchanged");
    if !shared.is_empty() {
        s.push_str("; the licence catalogue or the calendar changed");
    }
    (s, changed > 0 || !shared.is_empty())
}

/// Changes to the files every matter shares: the 电子证照 catalogue and the holiday calendar.
fn shared_changes(old: &Side, new: &Side) -> Vec<String> {
    let context = Context {
        old_basis: BTreeMap::new(),
        new_basis: BTreeMap::new(),
    };
    let mut lines = Vec::new();
    let licences = |side: &Side| serde_json::to_value(&side.source.licences.source).ok();
    let (a, b) = (licences(old), licences(new));
    context.value(
        "电子证照类型 licence type",
        "licences",
        a.as_ref().and_then(|v| v.get("licences")),
        b.as_ref().and_then(|v| v.get("licences")),
        &mut lines,
        "",
    );
    let years = |side: &Side| -> BTreeMap<i32, Value> {
        side.source
            .calendar
            .iter()
            .filter_map(|f| Some((f.source.year, serde_json::to_value(&f.source).ok()?)))
            .collect()
    };
    let (a, b) = (years(old), years(new));
    let mut all: Vec<i32> = a.keys().chain(b.keys()).copied().collect();
    all.sort_unstable();
    all.dedup();
    for year in all {
        let notice = |v: &Value| {
            let field = |k: &str| v["notice"].get(k).and_then(Value::as_str).unwrap_or("");
            format!("{}（{}）", field("title"), field("number"))
        };
        match (a.get(&year), b.get(&year)) {
            (None, Some(v)) => {
                lines.push(format!("+ 节假日安排 calendar {year} added: {}", notice(v)))
            }
            (Some(v), None) => lines.push(format!(
                "- 节假日安排 calendar {year} removed: {}",
                notice(v)
            )),
            (Some(x), Some(y)) => {
                context.value(
                    &format!("节假日安排 calendar {year}"),
                    "calendar",
                    Some(x),
                    Some(y),
                    &mut lines,
                    "",
                );
            }
            (None, None) => {}
        }
    }
    lines
}

/// Whether a version has taken effect by `on`: its decisions from then on stand on it.
fn in_force(matter: &MatterSource, on: NaiveDate) -> bool {
    banshi_core::facts::parse_date(&matter.version.effective).is_some_and(|e| e <= on)
}

/// How a version that decisions already stand on was changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditKind {
    /// Its rules (or its dates) were edited.
    Edited,
    /// It is new but takes effect before the date asked about, so decisions already made under
    /// the version named (its predecessor) change.
    Backdated {
        /// The version in force before it.
        replaces: String,
        /// What its `[version] retroactive` says, when it declares that the law it carries took
        /// effect on its `effective` date: the law cited and the note.
        retroactive: Option<String>,
    },
    /// It was removed.
    Removed,
}

/// A version that decisions made by the date asked about stand on, changed between the two
/// sides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InForceEdit {
    /// How.
    pub kind: EditKind,
    /// The 实施编码.
    pub code: String,
    /// The matter's name.
    pub name: String,
    /// The version's id.
    pub version: String,
    /// Since when the version has been in force: the earlier `effective` date of the two sides
    /// that is on or before the date asked about (a backdated version's own).
    pub effective: String,
    /// The flattened matter's file key: the matter file, or the implementation applied to its
    /// base.
    pub file: String,
    /// The changes, one line each, as `banshi diff` words them (from the version it replaces,
    /// for a backdated one; none for a removed one).
    pub changes: Vec<String>,
}

/// Every version that decisions made by `on` stand on and that differs between the two sides
/// (versions pair by 实施编码 and version id): one in force on `on` on either side whose rules
/// or dates were edited, one added that takes effect before `on` (decisions made since under
/// its predecessor change), one in force removed. What `banshi check` warns about, found by the
/// comparison `banshi diff` reports; the 办事指南 and verification marks left out ([`decided`]).
pub fn in_force_edits(old: &Side, new: &Side, on: NaiveDate) -> Vec<InForceEdit> {
    let old_versions = versions(old);
    let new_versions = versions(new);
    let mut edits = Vec::new();
    for (code, news) in &new_versions {
        let olds = old_versions
            .get(code)
            .map(Vec::as_slice)
            .unwrap_or_default();
        for version in news {
            let edit = |kind, effective: &str, changes| InForceEdit {
                kind,
                code: code.to_string(),
                name: version.source.matter.name.clone(),
                version: version.source.version.id.clone(),
                effective: effective.to_string(),
                file: version.file.to_string(),
                changes,
            };
            let id = &version.source.version.id;
            match olds.iter().find(|o| o.source.version.id == *id) {
                Some(before) => {
                    let since = [before, version]
                        .iter()
                        .filter(|v| in_force(v.source, on))
                        .map(|v| v.source.version.effective.as_str())
                        .min();
                    let changes = decided_changes(before.source, version.source);
                    if let Some(since) = since
                        && !changes.is_empty()
                    {
                        edits.push(edit(EditKind::Edited, since, changes));
                    }
                }
                None => {
                    // Taking effect today is the way to change the rules; before today, it
                    // rewrites days already decided under its predecessor.
                    let effective = &version.source.version.effective;
                    let backdated =
                        banshi_core::facts::parse_date(effective).is_some_and(|e| e < on);
                    let before = predecessor(olds, effective).filter(|o| {
                        banshi_core::facts::parse_date(&o.source.version.effective)
                            .is_some_and(|e| e < on)
                    });
                    if let Some(before) = before.filter(|_| backdated) {
                        let kind = EditKind::Backdated {
                            replaces: before.source.version.id.clone(),
                            retroactive: retroactive(version.source),
                        };
                        let changes = decided_changes(before.source, version.source);
                        edits.push(edit(kind, effective, changes));
                    }
                }
            }
        }
    }
    for (code, olds) in &old_versions {
        let news = new_versions
            .get(code)
            .map(Vec::as_slice)
            .unwrap_or_default();
        for version in olds {
            let id = &version.source.version.id;
            if in_force(version.source, on) && !news.iter().any(|n| n.source.version.id == *id) {
                edits.push(InForceEdit {
                    kind: EditKind::Removed,
                    code: code.to_string(),
                    name: version.source.matter.name.clone(),
                    version: id.clone(),
                    effective: version.source.version.effective.clone(),
                    file: version.file.to_string(),
                    changes: Vec::new(),
                });
            }
        }
    }
    edits
}

/// The changes of what is decided from `old` to `new`, the version's own dates first: moving
/// `effective` or `end` rewrites decisions as much as a changed rule does.
fn decided_changes(old: &MatterSource, new: &MatterSource) -> Vec<String> {
    let value = |m: &MatterSource| serde_json::to_value(m).map(|v| decided(&v)).ok();
    // A new version's own id and date are no change of what it decides.
    let mut changes = if old.version.id == new.version.id {
        version_changes(old, new)
    } else {
        Vec::new()
    };
    if let (Some(a), Some(b)) = (value(old), value(new)) {
        changes.extend(value_changes(&a, &b));
    }
    changes
}

/// The changes of one version's `[version]` (its dates, its end) between two sides.
fn version_changes(old: &MatterSource, new: &MatterSource) -> Vec<String> {
    let mut changes = Vec::new();
    let context = Context {
        old_basis: BTreeMap::new(),
        new_basis: BTreeMap::new(),
    };
    let value = |m: &MatterSource| serde_json::to_value(&m.version).ok();
    context.value(
        label("version"),
        "version",
        value(old).as_ref(),
        value(new).as_ref(),
        &mut changes,
        "",
    );
    changes
}

/// The old version a new one is compared with: the latest taking effect on or before it (else
/// the last).
fn predecessor<'v, 'a>(olds: &'v [Version<'a>], effective: &str) -> Option<&'v Version<'a>> {
    olds.iter()
        .rev()
        .find(|o| o.source.version.effective.as_str() <= effective)
        .or_else(|| olds.last())
}

/// A version's `[version] retroactive`, for the note that replaces the warning: the law it
/// cites (document and article) and its note.
pub fn retroactive(matter: &MatterSource) -> Option<String> {
    let declared = matter.version.retroactive.as_ref()?;
    let cited: Vec<String> = declared
        .basis
        .iter()
        .map(|id| {
            matter
                .basis
                .iter()
                .find(|b| b.id == *id)
                .map_or_else(|| id.clone(), |b| format!("{}{}", b.document, b.article))
        })
        .collect();
    Some(format!("{}: {}", cited.join("、"), declared.note))
}

/// The warning for a version that decisions made by `on` stand on, as `banshi diff` words it
/// under the version; a note for a version that declares it takes effect retroactively.
fn warning(edit: &InForceEdit, on: NaiveDate) -> String {
    match &edit.kind {
        EditKind::Backdated {
            replaces,
            retroactive: Some(declared),
        } => format!(
            "note: version {} takes effect on {}, before {on}, as its `retroactive` declares ({declared}): decisions made since then under version {replaces} change",
            edit.version, edit.effective
        ),
        EditKind::Edited => format!(
            "warning: version {} has been in force since {}: editing it changes decisions already made under it; add a new version with the date the change takes effect instead",
            edit.version, edit.effective
        ),
        EditKind::Backdated {
            replaces,
            retroactive: None,
        } => format!(
            "warning: version {} takes effect on {}, before {on}: decisions made since then under version {replaces} change; a new version takes effect from the day the change does (today or later, unless the law itself took effect earlier)",
            edit.version, edit.effective
        ),
        EditKind::Removed => format!(
            "warning: version {} has been in force since {}: removing it changes decisions already made under it; a version ends with `end = {{ last_day, reason }}` or gives way to a new version",
            edit.version, edit.effective
        ),
    }
}

/// A section or field name for reviewers, in Chinese and English.
fn label(key: &str) -> &str {
    match key {
        "matter" => "事项要素 matter",
        "version" => "版本 version",
        "basis" => "依据 basis",
        "facts" => "事实 fact",
        "situations" => "情形 situation",
        "conditions" => "受理条件 condition",
        "materials" => "申请材料 material",
        "special_procedures" => "特别程序 special procedure",
        "extension" => "延长 extension",
        "deferral" => "容缺受理 deferral",
        "commitment" => "告知承诺 commitment",
        "fees" => "收费 fees",
        "items" => "收费项目 fee item",
        "waivers" => "减免 waiver",
        "statutory_limit" => "法定办结时限 statutory limit",
        "promised_limit" => "承诺办结时限 promised limit",
        "limit" => "时限 limit",
        "period" => "期限 period",
        "handling" => "办件类型 handling",
        "visits" => "到现场次数 visits",
        "agency" => "实施机构 agency",
        "name" => "名称 name",
        "require" => "要求 require",
        "when" => "适用情形 when",
        "message" => "告知 message",
        "issuer" => "核发部门 issuer",
        "sharing" => "免提交: 数据共享 exempt by data sharing",
        "licence" => "免提交: 电子证照 exempt by e-licence",
        "licence_holder" => "电子证照持有人 licence holder",
        "cancelled" => "直接取消 cancelled by",
        "key" => "关键材料 key material",
        "form" => "形式 form",
        "medium" => "载体 medium",
        "copies" => "份数 copies",
        "options" => "选项 options",
        "question" => "问题 question",
        "type" => "类型 type",
        "holidays" => "节日 holiday",
        "guide" => "办事指南 guide",
        "steps" => "办理流程 step",
        "description" => "说明 description",
        "faq" => "常见问题 FAQ",
        "places" => "办理地点 places",
        "hours" => "办理时间 hours",
        "result" => "办理结果 result",
        "spec" => "材料规格 spec",
        "off" => "放假 days off",
        "work" => "调休上班 make-up working days",
        "days" => "天数 days",
        "notice" => "通知 notice",
        "title" => "标题 title",
        "number" => "文号 number",
        "published" => "发布日期 published",
        "url" => "地址 url",
        "source" => "来源 source",
        "price" => "单价 price",
        "quantity" => "数量 quantity",
        "tiers" => "分档 tiers",
        "reduction" => "减免 reduction",
        "free" => "免费 free",
        "dishonest_excluded" => "严重失信不适用 dishonest excluded",
        "restricted_domains" => "不适用承诺的领域 restricted domains",
        "document" => "文件 document",
        "article" => "条款 article",
        "excerpt" => "原文 excerpt",
        "effective" => "施行日期 effective",
        "note" => "说明 note",
        "unit" => "单位 unit",
        "amount" => "金额 amount",
        "up_to" => "上限 up to",
        "approval" => "批准 approval",
        "text" => "承诺内容 text",
        "consequence" => "不实后果 consequence",
        "procedure" => "程序 procedure",
        "levels" => "行使层级 levels",
        "modes" => "办理形式 modes",
        "service_objects" => "服务对象 service objects",
        "basic_code" => "基本编码 basic code",
        "implementation_code" => "实施编码 implementation code",
        "min" => "下限 min",
        "max" => "上限 max",
        "format" => "格式 format",
        other => other,
    }
}

/// The key that identifies an item of a list of tables.
fn item_key(item: &Value) -> Option<String> {
    ["id", "name", "procedure"]
        .iter()
        .find_map(|k| item.get(*k).and_then(Value::as_str).map(str::to_string))
}

/// A value as a reviewer reads it.
fn show(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => "(not set)".into(),
        Some(Value::String(s)) => format!("「{s}」"),
        Some(Value::Array(items)) => {
            let parts: Vec<String> = items.iter().map(|v| show(Some(v))).collect();
            format!("[{}]", parts.join(", "))
        }
        Some(Value::Object(map)) => {
            if map.len() == 1
                && let Some(n) = map.get("working_days")
            {
                return format!("{n} 个工作日 working days");
            }
            if map.len() == 1
                && let Some(n) = map.get("days")
            {
                return format!("{n} 日 natural days");
            }
            let parts: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{} = {}", k, show(Some(v))))
                .collect();
            format!("{{{}}}", parts.join(", "))
        }
        Some(other) => other.to_string(),
    }
}

/// The citations an item rests on, from the matter's `[[basis]]`.
fn citations(item: &Value, basis: &BTreeMap<String, String>) -> Option<String> {
    let mut ids: Vec<&str> = Vec::new();
    for key in ["basis", "cancelled"] {
        if let Some(Value::Array(list)) = item.get(key) {
            ids.extend(list.iter().filter_map(Value::as_str));
        }
    }
    if ids.is_empty() {
        return None;
    }
    let cited: Vec<String> = ids
        .iter()
        .map(|id| basis.get(*id).cloned().unwrap_or_else(|| format!("`{id}`")))
        .collect();
    Some(format!("依据 basis: {}", cited.join("; ")))
}

fn basis_map(matter: &Value) -> BTreeMap<String, String> {
    let mut map = BTreeMap::new();
    if let Some(Value::Array(list)) = matter.get("basis") {
        for b in list {
            if let (Some(id), Some(doc), Some(article)) = (
                b.get("id").and_then(Value::as_str),
                b.get("document").and_then(Value::as_str),
                b.get("article").and_then(Value::as_str),
            ) {
                map.insert(id.to_string(), format!("《{doc}》{article}"));
            }
        }
    }
    map
}

/// The changes from `old` (none: a new matter) to `new`, one line each.
fn matter_changes(old: Option<&MatterSource>, new: &MatterSource) -> Vec<String> {
    let old = old
        .and_then(|m| serde_json::to_value(m).ok())
        .unwrap_or(Value::Object(serde_json::Map::new()));
    let new = serde_json::to_value(new).unwrap_or(Value::Null);
    value_changes(&old, &new)
}

/// Keys that say nothing about what is decided: the 办事指南's information for applicants and
/// the verification marks on citations and limits. A version in force may be corrected there
/// without a new version.
const UNDECIDED: [&str; 2] = ["guide", "verified"];

/// `value` without the [`UNDECIDED`] keys, at any depth.
pub fn decided(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(k, _)| !UNDECIDED.contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), decided(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(decided).collect()),
        other => other.clone(),
    }
}

/// [`matter_changes`] of two matters as JSON values.
fn value_changes(old: &Value, new: &Value) -> Vec<String> {
    let context = Context {
        old_basis: basis_map(old),
        new_basis: basis_map(new),
    };
    let mut lines = Vec::new();
    // The file's own order first; keys added by later formats after, alphabetically.
    let order = [
        "matter",
        "version",
        "facts",
        "situations",
        "conditions",
        "materials",
        "special_procedures",
        "extension",
        "deferral",
        "commitment",
        "fees",
        "guide",
        "basis",
    ];
    let mut keys: Vec<&str> = order.to_vec();
    for map in [old.as_object(), new.as_object()].into_iter().flatten() {
        for key in map.keys() {
            if !keys.contains(&key.as_str()) {
                keys.push(key);
            }
        }
    }
    for key in keys {
        if key == "version" {
            continue;
        }
        context.value(label(key), key, old.get(key), new.get(key), &mut lines, "");
    }
    lines
}

struct Context {
    old_basis: BTreeMap<String, String>,
    new_basis: BTreeMap<String, String>,
}

impl Context {
    /// Appends the changes of one value (`what` names it for people; `key` is its field).
    fn value(
        &self,
        what: &str,
        key: &str,
        old: Option<&Value>,
        new: Option<&Value>,
        out: &mut Vec<String>,
        indent: &str,
    ) {
        let old = old.filter(|v| !v.is_null());
        let new = new.filter(|v| !v.is_null());
        if old == new {
            return;
        }
        match (old, new) {
            (Some(Value::Array(a)), Some(Value::Array(b)))
                if is_table_list(a) || is_table_list(b) =>
            {
                self.table_list(what, a, b, out, indent);
            }
            (None, Some(Value::Array(b))) if is_table_list(b) => {
                self.table_list(what, &[], b, out, indent);
            }
            (Some(Value::Array(a)), None) if is_table_list(a) => {
                self.table_list(what, a, &[], out, indent);
            }
            (Some(Value::Object(a)), Some(Value::Object(b))) if !is_limit(key) => {
                let mut fields: Vec<&String> = a.keys().chain(b.keys()).collect();
                fields.sort();
                fields.dedup();
                let before = out.len();
                for field in fields {
                    let label = format!("{what} · {}", label(field));
                    self.value(&label, field, a.get(field), b.get(field), out, indent);
                }
                // A changed section (`[deferral]`, `[extension]` …) with what it rests on.
                if out.len() > before
                    && !matches!(key, "matter" | "fees")
                    && let Some(c) = citations(&Value::Object(b.clone()), &self.new_basis)
                {
                    out.push(format!("{indent}    {c}"));
                }
            }
            // A whole section (`[deferral]`, `[fees]` …) comes or goes; a field is changed.
            (None, Some(v)) if v.is_object() => {
                out.push(format!("{indent}+ {what} added: {}", show(Some(v))));
            }
            (Some(v), None) if v.is_object() => {
                out.push(format!("{indent}- {what} removed (was {})", show(Some(v))));
            }
            (a, b) => out.push(format!("{indent}~ {what}: {} → {}", show(a), show(b))),
        }
    }

    fn table_list(
        &self,
        what: &str,
        old: &[Value],
        new: &[Value],
        out: &mut Vec<String>,
        indent: &str,
    ) {
        let index = |list: &[Value]| -> BTreeMap<String, usize> {
            list.iter()
                .enumerate()
                .filter_map(|(i, v)| item_key(v).map(|k| (k, i)))
                .collect()
        };
        let (old_index, new_index) = (index(old), index(new));
        for item in new {
            let Some(key) = item_key(item) else { continue };
            let title = format!("{what} `{key}`{}", display_name(item, &key));
            match old_index.get(&key).and_then(|i| old.get(*i)) {
                None => {
                    out.push(format!("{indent}+ {title} added"));
                    self.fields(None, item, out, indent);
                    if let Some(c) = citations(item, &self.new_basis) {
                        out.push(format!("{indent}    {c}"));
                    }
                }
                Some(before) if before != item => {
                    out.push(format!("{indent}~ {title} changed"));
                    self.fields(Some(before), item, out, indent);
                    if let Some(c) = citations(item, &self.new_basis) {
                        out.push(format!("{indent}    {c}"));
                    }
                }
                Some(_) => {}
            }
        }
        for item in old {
            let Some(key) = item_key(item) else { continue };
            if !new_index.contains_key(&key) {
                out.push(format!(
                    "{indent}- {what} `{key}`{} removed",
                    display_name(item, &key)
                ));
                self.fields(None, item, out, indent);
                if let Some(c) = citations(item, &self.old_basis) {
                    out.push(format!("{indent}    {c}"));
                }
            }
        }
        let kept_old: Vec<String> = old
            .iter()
            .filter_map(item_key)
            .filter(|k| new_index.contains_key(k))
            .collect();
        let kept_new: Vec<String> = new
            .iter()
            .filter_map(item_key)
            .filter(|k| old_index.contains_key(k))
            .collect();
        if kept_old != kept_new {
            out.push(format!(
                "{indent}~ {what}: order changed (now {})",
                kept_new.join(", ")
            ));
        }
    }

    /// The fields of an item that are new or changed (all of them for a new item).
    fn fields(&self, old: Option<&Value>, new: &Value, out: &mut Vec<String>, indent: &str) {
        let empty = serde_json::Map::new();
        let before = old.and_then(Value::as_object).unwrap_or(&empty);
        let after = new.as_object().unwrap_or(&empty);
        let mut fields: Vec<&String> = before.keys().chain(after.keys()).collect();
        fields.sort();
        fields.dedup();
        let inner = format!("{indent}    ");
        for field in fields {
            if old.is_none() && matches!(field.as_str(), "id" | "name" | "basis") {
                continue;
            }
            let (a, b) = (before.get(field), after.get(field));
            if a == b {
                continue;
            }
            if old.is_none() {
                out.push(format!("{inner}{}: {}", label(field), show(b)));
            } else {
                self.value(label(field), field, a, b, out, &inner);
            }
        }
    }
}

fn display_name(item: &Value, key: &str) -> String {
    match item.get("name").and_then(Value::as_str) {
        Some(name) if name != key => format!(" {name}"),
        _ => String::new(),
    }
}

fn is_table_list(list: &[Value]) -> bool {
    list.first().is_some_and(|v| item_key(v).is_some())
}

fn is_limit(key: &str) -> bool {
    key.ends_with("limit") || key == "period"
}
