//! `banshi test`: a rules folder's cases, decided with the rules beside them.
//!
//! Each case (`<matter>/cases/<name>.json`, or a theme's: `themes/<theme>/cases/<name>.json`,
//! decided as the theme beside it) is checked twice: against its hand-written `expect`
//! (taken from the law and the guide), then against the reviewed snapshot beside it
//! (`<name>.snap`), the whole decision as a front end receives it. `cargo test`'s case test runs
//! this same code, so the command and the test suite cannot disagree.
//!
//! Snapshots keep insta's file format (a `---` header of `key: value` lines, then the decision),
//! so `cargo insta` still reads them. The header also records what the snapshot was reviewed
//! with: `info.expect` and `info.why`, short SHA-256 fingerprints of the case's `expect` (in
//! canonical JSON) and of its `why`. A case whose `expect` has changed since its snapshot was
//! accepted while its `why` has not is reported: the explanation may no longer say what the
//! expectation was checked against.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use banshi_core::facts::parse_date;
use banshi_core::theme::{ThemeDecision, ThemeMaterialStatus};
use banshi_core::{Decision, MaterialStatus, RuleSet, RuleSetSource, Status};
use serde::Deserialize;
use serde_json::{Map, Value};

/// A case file.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// What the case is, in a line.
    pub title: String,
    /// The 实施编码 decided with; when absent, the folder's one matter (its `matter.toml`, or
    /// its one implementation).
    #[serde(default)]
    pub matter: Option<String>,
    /// The decision date, `YYYY-MM-DD`.
    pub on: String,
    /// The applicant's facts.
    pub facts: Map<String, Value>,
    /// The hand-written expectation.
    pub expect: Expect,
    /// What the expectation was checked against.
    pub why: String,
}

/// A case's hand-written expectation: a `status` (or an `error`), and only what else is given is
/// checked.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// eligible, ineligible or needs_facts; absent only when `error` is given.
    #[serde(default)]
    pub status: Option<Status>,
    /// The error code every channel answers with instead of a decision (`ended`).
    #[serde(default)]
    pub error: Option<String>,
    /// Why there is no deadline: `ineligible` or `missing_materials`.
    #[serde(default)]
    pub no_deadline: Option<String>,
    /// The `[[time_limits]]` route whose limits apply.
    #[serde(default)]
    pub applied_limits: Option<String>,
    /// The 通办 routing status: local, routed, outside_scope, pending.
    #[serde(default)]
    pub routing: Option<String>,
    /// Due dates of materials (deferred, or committed to follow), by material id.
    #[serde(default)]
    pub due: Option<BTreeMap<String, String>>,
    /// What spares an exempt material (the sharing route, licence or cancelling basis), by id.
    #[serde(default)]
    pub via: Option<BTreeMap<String, String>>,
    /// The ids of the failed conditions, in order.
    #[serde(default)]
    pub failed: Option<Vec<String>>,
    /// Materials to submit.
    #[serde(default)]
    pub submit: Option<Vec<String>>,
    /// Materials exempted (免证办).
    #[serde(default)]
    pub exempt: Option<Vec<String>>,
    /// Materials that do not apply.
    #[serde(default)]
    pub not_applicable: Option<Vec<String>>,
    /// Materials an unanswered fact could still change.
    #[serde(default)]
    pub undetermined: Option<Vec<String>>,
    /// Exemption routes by material id.
    #[serde(default)]
    pub routes: Option<BTreeMap<String, String>>,
    /// Facts the decision must ask for, in order.
    #[serde(default)]
    pub questions: Option<Vec<String>>,
    /// Situations that must apply, in order.
    #[serde(default)]
    pub situations: Option<Vec<String>>,
    /// Materials deferred (容缺受理).
    #[serde(default)]
    pub deferred: Option<Vec<String>>,
    /// Materials replaced by a commitment (告知承诺制).
    #[serde(default)]
    pub committed: Option<Vec<String>>,
    /// The acceptance status: accepted, accepted_with_deferral, not_accepted, pending.
    #[serde(default)]
    pub acceptance: Option<String>,
    /// Material ids in the one-time notice, in order.
    #[serde(default)]
    pub notice: Option<Vec<String>>,
    /// The fee total, e.g. "80.00".
    #[serde(default)]
    pub fee_total: Option<String>,
    /// The promised due date, counted by hand on the official calendar.
    #[serde(default)]
    pub promised_due: Option<String>,
    /// The statutory due date, counted by hand.
    #[serde(default)]
    pub statutory_due: Option<String>,
    /// The statutory due date if the extension is granted, counted by hand.
    #[serde(default)]
    pub extension_due: Option<String>,
}

/// A theme's case file (`themes/<theme>/cases/<name>.json`): decided as the theme
/// (一件事一次办) whose `theme.toml` is beside `cases/`.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ThemeCase {
    /// What the case is, in a line.
    pub title: String,
    /// The decision date, `YYYY-MM-DD`.
    pub on: String,
    /// The region whose implementations decide (default: the theme's only region).
    #[serde(default)]
    pub region: Option<String>,
    /// The applicant's facts, under the theme's names.
    pub facts: Map<String, Value>,
    /// The hand-written expectation.
    pub expect: ThemeExpect,
    /// What the expectation was checked against.
    pub why: String,
}

/// A theme case's hand-written expectation: the theme's `status` and each matter's, and only
/// what else is given is checked.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ThemeExpect {
    /// eligible, ineligible or needs_facts: the theme's status.
    pub status: Status,
    /// Each matter's expectation, by its key in the theme.
    pub matters: BTreeMap<String, ThemeMatterExpect>,
    /// The theme's facts asked, in order.
    #[serde(default)]
    pub questions: Option<Vec<String>>,
    /// Combined materials to submit.
    #[serde(default)]
    pub submit: Option<Vec<String>>,
    /// Combined materials exempted.
    #[serde(default)]
    pub exempt: Option<Vec<String>>,
    /// Combined materials one matter of the theme produces for another.
    #[serde(default)]
    pub produced: Option<Vec<String>>,
    /// Combined materials that do not apply.
    #[serde(default)]
    pub not_applicable: Option<Vec<String>>,
    /// Combined materials an unanswered fact could still change.
    #[serde(default)]
    pub undetermined: Option<Vec<String>>,
    /// Combined materials deferred (容缺受理).
    #[serde(default)]
    pub deferred: Option<Vec<String>>,
    /// Combined materials replaced by a commitment (告知承诺制).
    #[serde(default)]
    pub committed: Option<Vec<String>>,
    /// The one acceptance: accepted, accepted_with_deferral, not_accepted, pending.
    #[serde(default)]
    pub acceptance: Option<String>,
    /// Combined material ids in the one-time notice, in order.
    #[serde(default)]
    pub notice: Option<Vec<String>>,
    /// The fee total of every matter, e.g. "0.00".
    #[serde(default)]
    pub fee_total: Option<String>,
    /// The theme's promised due date (its last matter's), counted by hand.
    #[serde(default)]
    pub promised_due: Option<String>,
    /// The theme's statutory due date, counted by hand.
    #[serde(default)]
    pub statutory_due: Option<String>,
}

/// One matter's expected place in a theme.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ThemeMatterExpect {
    /// The matter's status.
    pub status: Status,
    /// The 实施编码 decided with (the region's implementation of a matter named by 基本编码).
    #[serde(default)]
    pub code: Option<String>,
    /// The ids of its failed conditions, in order.
    #[serde(default)]
    pub failed: Option<Vec<String>>,
    /// Its promised due date, counted by hand from its prerequisites'.
    #[serde(default)]
    pub promised_due: Option<String>,
    /// Its statutory due date, counted by hand.
    #[serde(default)]
    pub statutory_due: Option<String>,
}

/// What `banshi test` is asked to do.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Write the snapshots of the selected cases that fail only on their snapshot.
    pub accept: bool,
    /// Only these cases: file names without `.json`, or paths ending so.
    pub names: Vec<String>,
}

/// How one case went.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseResult {
    /// The case file.
    pub path: PathBuf,
    /// A case that could not be decided at all (unreadable, unknown matter, invalid facts).
    pub error: Option<String>,
    /// Where the decision contradicts `expect`.
    pub contradictions: Vec<String>,
    /// The decision differs from the snapshot, as a line diff (`-` snapshot, `+` decision); or
    /// the whole decision when there is no snapshot yet.
    pub snapshot_diff: Option<String>,
    /// There is no snapshot yet.
    pub new: bool,
    /// The snapshot was reviewed with another `expect`.
    pub expect_changed: bool,
    /// `expect` changed since the snapshot was accepted and `why` did not.
    pub stale_why: bool,
    /// The snapshot has no record of the `expect` and `why` it was reviewed with (written before
    /// snapshots recorded them); `--accept` adds it.
    pub unrecorded: bool,
    /// The snapshot was written by `--accept`.
    pub accepted: bool,
}

impl CaseResult {
    /// Whether the case passes (after any `--accept`).
    pub fn passed(&self) -> bool {
        self.error.is_none()
            && self.contradictions.is_empty()
            && !self.stale_why
            && (self.accepted || (self.snapshot_diff.is_none() && !self.expect_changed))
    }
}

/// Every case run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// In path order.
    pub cases: Vec<CaseResult>,
}

impl Report {
    /// Whether every case passed.
    pub fn passed(&self) -> bool {
        self.cases.iter().all(CaseResult::passed)
    }
}

/// Runs the cases below each of `paths` (a rules folder, a matter folder, or a case file) with
/// the rules read from there ([`crate::builtin::read_rules`]). An error is a folder that cannot
/// be read or rules that do not check; a failing case is in the report.
pub fn run(paths: &[PathBuf], options: &Options) -> Result<Report, String> {
    let mut report = Report::default();
    for path in paths {
        // The rules are always read from the rules folder, so that an implementation in one
        // matter folder may inherit a base in another; the cases from `path` only.
        let (root, scope, only) = if path.is_file() {
            let matter = parent(&parent(path));
            if name(&parent(path)).is_none_or(|n| n != "cases") {
                return Err(format!(
                    "{}: a case file sits in <matter>/cases/",
                    path.display()
                ));
            }
            (rules_folder(&matter), matter, Some(path.clone()))
        } else if is_matter_folder(path) {
            (rules_folder(path), path.clone(), None)
        } else if name(path).is_some_and(|n| n == "cases") {
            (rules_folder(&parent(path)), path.clone(), None)
        } else if name(path).is_some_and(|n| n == "themes") {
            (parent(path), path.clone(), None)
        } else {
            (path.clone(), path.clone(), None)
        };
        let files = crate::builtin::read_rules(&root).map_err(|e| e.to_string())?;
        let compiled = banshi_loader::compile(&files).map_err(|problems| {
            let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
            format!(
                "{}\nthe rules have {} problem(s); run `banshi check`",
                lines.join("\n"),
                problems.len()
            )
        })?;
        let (source, _) = banshi_loader::sources(&files);
        let rules = Rules {
            root: &root,
            source: &source,
            compiled: &compiled,
        };
        let mut found = Vec::new();
        find_cases(&scope, &mut found).map_err(|e| format!("{}: {e}", scope.display()))?;
        found.sort();
        for case in found {
            if only.as_ref().is_some_and(|o| !same_file(o, &case))
                || !selected(&case, &options.names)
            {
                continue;
            }
            report.cases.push(run_case(&rules, &case, options));
        }
    }
    Ok(report)
}

/// A matter folder: one with its cases, its rules (`matter.toml`, `base.toml`) or
/// implementations directly inside.
fn is_matter_folder(path: &Path) -> bool {
    ["cases", "matter.toml", "base.toml", "implementations"]
        .iter()
        .any(|name| path.join(name).exists())
}

/// The rules folder of a matter or theme folder: the one it is in (above `themes/` for a
/// theme).
fn rules_folder(folder: &Path) -> PathBuf {
    let up = parent(folder);
    if folder.join("theme.toml").exists() && name(&up).is_some_and(|n| n == "themes") {
        parent(&up)
    } else {
        up
    }
}

/// A folder's own name, also for `.` and `..` (`banshi test bookshop` run inside `themes/`):
/// from the folder as the file system resolves it.
fn name(folder: &Path) -> Option<std::ffi::OsString> {
    match folder.components().next_back() {
        Some(std::path::Component::Normal(n)) => Some(n.to_os_string()),
        _ => folder.canonicalize().ok()?.file_name().map(Into::into),
    }
}

/// Whether two paths name one file (`needs-facts.json` and `../cases/needs-facts.json`).
fn same_file(a: &Path, b: &Path) -> bool {
    a == b || matches!((a.canonicalize(), b.canonicalize()), (Ok(a), Ok(b)) if a == b)
}

/// A theme's case: in the `cases/` folder beside a `theme.toml`.
fn is_theme_case(case: &Path) -> bool {
    parent(&parent(case)).join("theme.toml").exists()
}

/// The folder a path is in: `.` for a bare name, `..` for `.`, `../..` for `..`.
fn parent(path: &Path) -> PathBuf {
    match path.components().next_back() {
        // Only `.` itself ends so: a `.` after a name is not a component.
        Some(std::path::Component::CurDir) => PathBuf::from(".."),
        Some(std::path::Component::ParentDir) => path.join(".."),
        _ => match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        },
    }
}

fn selected(case: &Path, names: &[String]) -> bool {
    names.is_empty()
        || names.iter().any(|name| {
            let name = name.trim_end_matches(".json");
            case.file_stem().and_then(|s| s.to_str()) == Some(name)
                || case.with_extension("").ends_with(name)
        })
}

/// Case files: `*.json` directly inside a folder named `cases` (a matter's, or a theme's beside
/// its `theme.toml`).
fn find_cases(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let cases = name(dir).is_some_and(|n| n == "cases");
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            find_cases(&path, out)?;
        } else if cases && path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
    Ok(())
}

/// The rules a case is decided with, and where they were read from.
struct Rules<'a> {
    root: &'a Path,
    source: &'a RuleSetSource,
    compiled: &'a RuleSet,
}

fn run_case(rules: &Rules<'_>, path: &Path, options: &Options) -> CaseResult {
    let mut result = CaseResult {
        path: path.to_path_buf(),
        ..CaseResult::default()
    };
    let decided = if is_theme_case(path) {
        decide_theme_case(rules, path)
    } else {
        read_case(path, rules.root, rules.source).and_then(|(case, expect, code)| {
            let (pretty, contradictions) = shown(rules.compiled, &case, &code)?;
            Ok(Decided {
                title: case.title,
                why: case.why,
                expect,
                pretty,
                contradictions,
            })
        })
    };
    let Decided {
        title,
        why,
        expect: expect_value,
        pretty,
        contradictions,
    } = match decided {
        Ok(x) => x,
        Err(e) => {
            result.error = Some(e);
            return result;
        }
    };
    result.contradictions = contradictions;
    let record = Record {
        expect: fingerprint(&canonical(&expect_value)),
        why: fingerprint(&why),
    };
    let snap_path = path.with_extension("snap");
    let snapshot = std::fs::read_to_string(&snap_path)
        .ok()
        .map(|text| Snapshot::parse(&text));
    match &snapshot {
        None => {
            result.new = true;
            result.snapshot_diff = Some(line_diff("", &pretty));
        }
        Some(snap) => {
            if snap.content.trim_end() != pretty.trim_end() {
                result.snapshot_diff = Some(line_diff(&snap.content, &pretty));
            }
            match &snap.record {
                Some(old) => {
                    result.expect_changed = old.expect != record.expect;
                    result.stale_why = result.expect_changed && old.why == record.why;
                }
                None => result.unrecorded = true,
            }
        }
    }
    let wanted = options.accept
        && (!options.names.is_empty()
            || result.snapshot_diff.is_some()
            || result.expect_changed
            || result.unrecorded);
    if wanted && result.contradictions.is_empty() && !result.stale_why {
        let text = Snapshot::render(&title, &input_file(path), &record, &pretty);
        match std::fs::write(&snap_path, text) {
            Ok(()) => result.accepted = true,
            Err(e) => result.error = Some(format!("{}: {e}", snap_path.display())),
        }
    }
    result
}

/// Reads a case, its `expect` as written, and the code of the matter it decides: its own
/// `matter`, or its folder's one matter ([`banshi_loader::folder_matter`]; `root` is the rules
/// folder `source` was read from).
fn read_case(
    path: &Path,
    root: &Path,
    source: &RuleSetSource,
) -> Result<(Case, Value, String), String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let value: Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    let case: Case = serde_json::from_value(value.clone()).map_err(|e| e.to_string())?;
    if case.title.trim().is_empty() || case.why.trim().is_empty() {
        return Err("a case needs a `title` and a `why`".into());
    }
    let expect = value.get("expect").cloned().unwrap_or(Value::Null);
    if let Some(code) = &case.matter {
        let code = code.clone();
        return Ok((case, expect, code));
    }
    let folder = case_folder(path, root)?;
    let code = banshi_loader::folder_matter(source, &folder).ok_or_else(|| {
        format!("`{folder}` has no single matter: name the case's `matter` (its 实施编码)")
    })?;
    Ok((case, expect, code))
}

/// The folder of a case's matter or theme, as a key of the rules folder `root`
/// (`food-business-licence`, `themes/bookshop`).
fn case_folder(path: &Path, root: &Path) -> Result<String, String> {
    Some(parent(&parent(path)))
        .as_deref()
        .and_then(|m| {
            m.strip_prefix(root)
                .ok()
                .map(Path::to_path_buf)
                .or_else(|| (root == Path::new(".")).then(|| m.to_path_buf()))
                // `..` and the like (run inside a theme's folder): as the file system has them.
                .or_else(|| {
                    let (m, root) = (m.canonicalize().ok()?, root.canonicalize().ok()?);
                    m.strip_prefix(root).ok().map(Path::to_path_buf)
                })
        })
        .map(|m| m.to_string_lossy().replace('\\', "/"))
        .ok_or_else(|| "a case sits in <matter>/cases/ inside the rules folder".to_string())
}

/// A case decided: what its snapshot records and shows, and where it contradicts `expect`.
struct Decided {
    title: String,
    why: String,
    /// `expect` as written.
    expect: Value,
    /// The snapshot's contents.
    pretty: String,
    contradictions: Vec<String>,
}

/// Decides a theme's case with the theme beside its `cases/`, checks its receipt, and compares
/// it with its `expect`.
fn decide_theme_case(rules: &Rules<'_>, path: &Path) -> Result<Decided, String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let value: Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    let case: ThemeCase = serde_json::from_value(value.clone()).map_err(|e| e.to_string())?;
    if case.title.trim().is_empty() || case.why.trim().is_empty() {
        return Err("a case needs a `title` and a `why`".into());
    }
    let folder = case_folder(path, rules.root)?;
    let theme = rules
        .source
        .themes
        .iter()
        .find(|t| t.file == format!("{folder}/theme.toml"))
        .ok_or_else(|| format!("`{folder}/theme.toml` is not among the rules read"))?;
    let code = &theme.source.theme.code;
    let on = parse_date(&case.on).ok_or("`on` is not a date in YYYY-MM-DD form")?;
    let region = case.region.as_deref();
    let mut decision = rules
        .compiled
        .decide_theme(code, region, &case.facts, on)
        .map_err(|e| e.to_string())?;
    let receipt = decision
        .receipt
        .as_ref()
        .ok_or("the decision carries no receipt")?;
    if receipt.bundle != rules.compiled.hash() {
        return Err("the receipt names other rules than those decided with".into());
    }
    // The same facts as JSON text, as a channel sends them, decide alike, receipt included.
    let again = rules
        .compiled
        .decide_theme_json(
            code,
            region,
            &Value::Object(case.facts.clone()).to_string(),
            on,
        )
        .map_err(|e| e.to_string())?;
    if again != decision {
        return Err("the facts as JSON text decide otherwise".into());
    }
    let contradictions = theme_expectations(&case.expect, &decision);
    decision.receipt = None;
    Ok(Decided {
        title: case.title,
        why: case.why,
        expect: value.get("expect").cloned().unwrap_or(Value::Null),
        pretty: pretty(&decision)?,
        contradictions,
    })
}

/// What a case's snapshot shows, and where it contradicts `expect`: the decision without its
/// receipt or, for a case that expects an error, the errors every channel answers with.
fn shown(rules: &RuleSet, case: &Case, code: &str) -> Result<(String, Vec<String>), String> {
    if let Some(expected) = &case.expect.error {
        let on = parse_date(&case.on).ok_or("`on` is not a date in YYYY-MM-DD form")?;
        let error = match rules.decide(code, &case.facts, on) {
            Ok(_) => return Err(format!("expected the error `{expected}`, decided instead")),
            Err(error) => error,
        };
        let errors = banshi_core::ffi::decide_errors(&error);
        let codes: Vec<&str> = errors.iter().map(|e| e.code.as_str()).collect();
        let mut problems = Vec::new();
        if codes != [expected.as_str()] {
            problems.push(format!("error: expected {expected}, answered {codes:?}"));
        }
        if case.expect.status.is_some() {
            problems.push("status: an error has no status".into());
        }
        return Ok((pretty(&errors)?, problems));
    }
    let mut decision = decide(rules, case, code)?;
    let problems = check_expectations(&case.expect, &decision);
    decision.receipt = None;
    Ok((pretty(&decision)?, problems))
}

fn pretty<T: serde::Serialize>(value: &T) -> Result<String, String> {
    serde_json::to_string_pretty(value).map_err(|e| format!("the answer does not serialize: {e}"))
}

/// Decides a case and checks that its receipt verifies.
fn decide(rules: &RuleSet, case: &Case, code: &str) -> Result<Decision, String> {
    let on = parse_date(&case.on).ok_or("`on` is not a date in YYYY-MM-DD form")?;
    let decision = rules
        .decide(code, &case.facts, on)
        .map_err(|e| e.to_string())?;
    let receipt = decision
        .receipt
        .as_ref()
        .ok_or("the decision carries no receipt")?;
    // The receipt hashes the whole rule set, so it changes with any rule file; it is checked
    // here and left out of the snapshot.
    let engine = banshi_core::ffi::Engine::from_rules(rules.clone());
    let receipt_text = serde_json::to_string(receipt).map_err(|e| e.to_string())?;
    let facts_text = Value::Object(case.facts.clone()).to_string();
    let check = engine.verify(code, &facts_text, &case.on, &receipt_text);
    if receipt.bundle != rules.hash() || !check.contains("\"valid\":true") {
        return Err(format!("the receipt does not verify: {check}"));
    }
    Ok(decision)
}

/// The case's path as the snapshot names it: from the rules folder on
/// (`rules/<matter>/cases/<name>.json`, `rules/themes/<theme>/cases/<name>.json`).
fn input_file(path: &Path) -> String {
    // As the file system has it, so that a run inside `cases/` names the case alike.
    let full = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    let parts: Vec<String> = full
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let start = parts
        .len()
        .saturating_sub(if is_theme_case(path) { 5 } else { 4 });
    parts.get(start..).unwrap_or_default().join("/")
}

fn ids_with(decision: &Decision, status: MaterialStatus) -> Vec<String> {
    decision
        .materials
        .iter()
        .filter(|m| m.status == status)
        .map(|m| m.id.to_string())
        .collect()
}

fn text_of<T: serde::Serialize>(value: T) -> Option<String> {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
}

/// An expected list, by its name in `expect`, beside the decision's.
type ListCheck<'a> = (&'a str, &'a Option<Vec<String>>, Vec<String>);

/// Where `decision` contradicts `e`, one line each.
pub fn check_expectations(e: &Expect, decision: &Decision) -> Vec<String> {
    let mut problems = Vec::new();
    if e.status != Some(decision.status) {
        problems.push(format!(
            "status: expected {}, decided {}",
            e.status.and_then(text_of).unwrap_or_else(|| "none".into()),
            text_of(decision.status).unwrap_or_default()
        ));
    }
    let mut lists: Vec<ListCheck<'_>> = vec![(
        "failed",
        &e.failed,
        decision.failed.iter().map(|f| f.id.to_string()).collect(),
    )];
    for (field, expected, status) in [
        ("submit", &e.submit, MaterialStatus::Submit),
        ("exempt", &e.exempt, MaterialStatus::Exempt),
        (
            "not_applicable",
            &e.not_applicable,
            MaterialStatus::NotApplicable,
        ),
        (
            "undetermined",
            &e.undetermined,
            MaterialStatus::Undetermined,
        ),
        ("deferred", &e.deferred, MaterialStatus::Deferred),
        ("committed", &e.committed, MaterialStatus::Committed),
    ] {
        lists.push((field, expected, ids_with(decision, status)));
    }
    lists.push((
        "notice",
        &e.notice,
        decision
            .acceptance
            .iter()
            .flat_map(|a| a.notice.iter().map(|n| n.id.to_string()))
            .collect(),
    ));
    lists.push((
        "questions",
        &e.questions,
        decision.questions.iter().map(|q| q.fact.clone()).collect(),
    ));
    lists.push(("situations", &e.situations, decision.situations.clone()));
    for (what, expected, actual) in lists {
        if let Some(expected) = expected
            && *expected != actual
        {
            problems.push(format!("{what}: expected {expected:?}, decided {actual:?}"));
        }
    }
    let mut texts: Vec<(&str, &Option<String>, Option<String>)> = vec![
        (
            "acceptance",
            &e.acceptance,
            decision.acceptance.as_ref().and_then(|a| text_of(a.status)),
        ),
        // Compared as text, so that the two decimals the law shows are checked too.
        (
            "fee_total",
            &e.fee_total,
            decision
                .fees
                .as_ref()
                .and_then(|f| f.total.map(|t| t.to_string())),
        ),
    ];
    texts.extend([
        (
            "no_deadline",
            &e.no_deadline,
            decision
                .no_deadline
                .as_ref()
                .and_then(|n| text_of(n.reason)),
        ),
        (
            "applied_limits",
            &e.applied_limits,
            decision
                .deadline
                .as_ref()
                .and_then(|d| d.applied.as_ref())
                .map(|a| a.id.to_string()),
        ),
        (
            "routing",
            &e.routing,
            decision.routing.as_ref().and_then(|r| text_of(r.status)),
        ),
    ]);
    let deadline = decision.deadline.as_ref();
    for (what, expected, actual) in [
        (
            "promised_due",
            &e.promised_due,
            deadline.and_then(|d| d.promised.due),
        ),
        (
            "statutory_due",
            &e.statutory_due,
            deadline.and_then(|d| d.statutory.due),
        ),
        (
            "extension_due",
            &e.extension_due,
            deadline
                .and_then(|d| d.extension.as_ref())
                .and_then(|x| x.due),
        ),
    ] {
        texts.push((what, expected, actual.map(|d| d.to_string())));
    }
    for (what, expected, actual) in texts {
        if let Some(expected) = expected
            && actual.as_deref() != Some(expected.as_str())
        {
            let actual = actual.unwrap_or_else(|| "nothing".into());
            problems.push(format!("{what}: expected {expected}, decided {actual}"));
        }
    }
    for (id, route) in e.routes.iter().flatten() {
        let actual = decision
            .materials
            .iter()
            .find(|m| *m.id == **id)
            .and_then(|m| m.route)
            .and_then(text_of);
        if actual.as_deref() != Some(route.as_str()) {
            let actual = actual.unwrap_or_else(|| "no route".into());
            problems.push(format!(
                "route of `{id}`: expected {route}, decided {actual}"
            ));
        }
    }
    let by_id = |field: fn(&banshi_core::materials::MaterialDecision) -> Option<String>| {
        decision
            .materials
            .iter()
            .filter_map(|m| field(m).map(|v| (m.id.to_string(), v)))
            .collect::<BTreeMap<String, String>>()
    };
    for (what, expected, actual) in [
        ("due", &e.due, by_id(|m| m.due.map(|d| d.to_string()))),
        (
            "via",
            &e.via,
            by_id(|m| m.via.as_ref().map(ToString::to_string)),
        ),
    ] {
        if let Some(expected) = expected
            && *expected != actual
        {
            problems.push(format!("{what}: expected {expected:?}, decided {actual:?}"));
        }
    }
    problems
}

fn date_text(d: Option<chrono::NaiveDate>) -> Option<String> {
    d.map(|d| d.to_string())
}

/// Where a theme decision contradicts `e`, one line each.
pub fn theme_expectations(e: &ThemeExpect, d: &ThemeDecision) -> Vec<String> {
    let mut problems = Vec::new();
    if e.status != d.status {
        problems.push(format!(
            "status: expected {}, decided {}",
            text_of(e.status).unwrap_or_default(),
            text_of(d.status).unwrap_or_default()
        ));
    }
    let with = |status: ThemeMaterialStatus| {
        d.materials
            .iter()
            .filter(|m| m.status == status)
            .map(|m| m.id.to_string())
            .collect::<Vec<_>>()
    };
    let lists: [ListCheck<'_>; 9] = [
        (
            "questions",
            &e.questions,
            d.questions.iter().map(|q| q.fact.clone()).collect(),
        ),
        ("submit", &e.submit, with(ThemeMaterialStatus::Submit)),
        ("exempt", &e.exempt, with(ThemeMaterialStatus::Exempt)),
        ("produced", &e.produced, with(ThemeMaterialStatus::Produced)),
        (
            "not_applicable",
            &e.not_applicable,
            with(ThemeMaterialStatus::NotApplicable),
        ),
        (
            "undetermined",
            &e.undetermined,
            with(ThemeMaterialStatus::Undetermined),
        ),
        ("deferred", &e.deferred, with(ThemeMaterialStatus::Deferred)),
        (
            "committed",
            &e.committed,
            with(ThemeMaterialStatus::Committed),
        ),
        (
            "notice",
            &e.notice,
            d.acceptance
                .iter()
                .flat_map(|a| a.notice.iter().map(|n| n.id.to_string()))
                .collect(),
        ),
    ];
    for (what, expected, actual) in lists {
        if let Some(expected) = expected
            && *expected != actual
        {
            problems.push(format!("{what}: expected {expected:?}, decided {actual:?}"));
        }
    }
    let scalars = [
        (
            "acceptance",
            &e.acceptance,
            d.acceptance.as_ref().and_then(|a| text_of(a.status)),
        ),
        (
            "fee_total",
            &e.fee_total,
            d.fees.total.map(|t| t.to_string()),
        ),
        (
            "promised_due",
            &e.promised_due,
            date_text(d.deadline.promised_due),
        ),
        (
            "statutory_due",
            &e.statutory_due,
            date_text(d.deadline.statutory_due),
        ),
    ];
    for (what, expected, actual) in scalars {
        if let Some(expected) = expected
            && actual.as_deref() != Some(expected.as_str())
        {
            problems.push(format!(
                "{what}: expected {expected}, decided {}",
                actual.as_deref().unwrap_or("none")
            ));
        }
    }
    let mut keys: Vec<&str> = d.matters.iter().map(|m| &*m.key).collect();
    keys.sort_unstable();
    let expected_keys: Vec<&str> = e.matters.keys().map(String::as_str).collect();
    if keys != expected_keys {
        problems.push(format!(
            "matters: expected {expected_keys:?}, decided {keys:?}"
        ));
    }
    for (m, due) in d.matters.iter().zip(&d.deadline.matters) {
        let Some(x) = e.matters.get(&*m.key) else {
            continue;
        };
        if let Some(code) = &x.code
            && **code != *m.decision.matter.code
        {
            problems.push(format!(
                "{}: code expected {code}, decided {}",
                m.key, m.decision.matter.code
            ));
        }
        if x.status != m.decision.status {
            problems.push(format!(
                "{}: status expected {}, decided {}",
                m.key,
                text_of(x.status).unwrap_or_default(),
                text_of(m.decision.status).unwrap_or_default()
            ));
        }
        let failed: Vec<String> = m.decision.failed.iter().map(|f| f.id.to_string()).collect();
        if let Some(expected) = &x.failed
            && *expected != failed
        {
            problems.push(format!(
                "{}: failed expected {expected:?}, decided {failed:?}",
                m.key
            ));
        }
        for (what, expected, actual) in [
            ("promised_due", &x.promised_due, date_text(due.promised_due)),
            (
                "statutory_due",
                &x.statutory_due,
                date_text(due.statutory_due),
            ),
        ] {
            if let Some(expected) = expected
                && actual.as_deref() != Some(expected.as_str())
            {
                problems.push(format!(
                    "{}: {what} expected {expected}, decided {}",
                    m.key,
                    actual.as_deref().unwrap_or("none")
                ));
            }
        }
    }
    problems
}

/// What a snapshot was reviewed with.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Record {
    expect: String,
    why: String,
}

/// JSON text with object keys in order and no spaces: the same `expect` however it is laid out.
fn canonical(value: &Value) -> String {
    // serde_json's map keeps keys sorted (no `preserve_order`), so this is canonical.
    value.to_string()
}

/// The first 16 hex digits of the SHA-256 of `text`: enough to notice an edit.
fn fingerprint(text: &str) -> String {
    let hash = banshi_core::bundle::sha256(text.as_bytes());
    let hex = hash.strip_prefix("sha256:").unwrap_or(&hash);
    hex.chars().take(16).collect()
}

/// A snapshot file as insta writes it.
struct Snapshot {
    record: Option<Record>,
    content: String,
}

impl Snapshot {
    fn parse(text: &str) -> Snapshot {
        let text = text.replace("\r\n", "\n");
        let Some(rest) = text.strip_prefix("---\n") else {
            return Snapshot {
                record: None,
                content: text,
            };
        };
        let Some((header, content)) = rest.split_once("\n---\n") else {
            return Snapshot {
                record: None,
                content: text.clone(),
            };
        };
        let mut expect = None;
        let mut why = None;
        let mut in_info = false;
        for line in header.lines() {
            if let Some(nested) = line.strip_prefix("  ") {
                if in_info && let Some((key, value)) = nested.split_once(": ") {
                    match key {
                        "expect" => expect = Some(value.trim().to_string()),
                        "why" => why = Some(value.trim().to_string()),
                        _ => {}
                    }
                }
            } else {
                in_info = line.trim_end() == "info:";
            }
        }
        let record = match (expect, why) {
            (Some(expect), Some(why)) => Some(Record { expect, why }),
            _ => None,
        };
        Snapshot {
            record,
            content: content.to_string(),
        }
    }

    fn render(title: &str, input_file: &str, record: &Record, content: &str) -> String {
        format!(
            "---\nsource: banshi test\ndescription: {}\ninput_file: {}\ninfo:\n  expect: {}\n  why: {}\n---\n{}\n",
            yaml_scalar(title),
            yaml_scalar(input_file),
            record.expect,
            record.why,
            content.trim_end()
        )
    }
}

/// A YAML scalar insta reads back as the same text: plain when nothing in it means something to
/// YAML, else double-quoted (a JSON string is a valid YAML double-quoted scalar).
fn yaml_scalar(text: &str) -> String {
    let plain = !text.is_empty()
        && !text.contains(": ")
        && !text.contains(" #")
        && !text.ends_with(':')
        && !text.starts_with(|c: char| "-?:,[]{}#&*!|>'\"%@` ".contains(c))
        && !text.ends_with(' ')
        && !text.contains('\n');
    if plain {
        text.to_string()
    } else {
        Value::String(text.to_string()).to_string()
    }
}

/// A unified line diff of two texts, three lines of context.
pub fn line_diff(old: &str, new: &str) -> String {
    let old = format!("{}\n", old.trim_end());
    let new = format!("{}\n", new.trim_end());
    let diff = similar::TextDiff::configure()
        .timeout(std::time::Duration::from_secs(2))
        .diff_lines(old.as_str(), new.as_str());
    // For each line of the new text, the top-level field of the decision it lies in, so that
    // each hunk can say where it is (`@@ deadline`), as a unified diff names its function.
    let mut section = Vec::new();
    let mut current = "";
    for line in new.lines() {
        if let Some(rest) = line.strip_prefix("  \"")
            && let Some((key, _)) = rest.split_once("\":")
        {
            current = key;
        }
        section.push(current);
    }
    let mut out = String::new();
    for group in diff.grouped_ops(3) {
        let at = group.first().map_or(0, |op| op.new_range().start);
        match section.get(at).filter(|s| !s.is_empty()) {
            Some(key) => {
                let _ = writeln!(out, "@@ {key}");
            }
            None => out.push_str("@@\n"),
        }
        for op in &group {
            for change in diff.iter_changes(op) {
                let sign = match change.tag() {
                    similar::ChangeTag::Delete => '-',
                    similar::ChangeTag::Insert => '+',
                    similar::ChangeTag::Equal => ' ',
                };
                let _ = write!(out, "{sign} {}", change.value());
                if !change.value().ends_with('\n') {
                    out.push('\n');
                }
            }
        }
    }
    out
}

/// The report for people: one block per case that needs attention, then a summary line.
pub fn render(report: &Report, options: &Options) -> String {
    let mut s = String::new();
    let mut accepted = Vec::new();
    for case in &report.cases {
        let path = case.path.display();
        if case.accepted {
            accepted.push(path.to_string());
        }
        if let Some(e) = &case.error {
            let _ = writeln!(s, "{path}: {e}\n");
            continue;
        }
        if !case.contradictions.is_empty() {
            let _ = writeln!(s, "{path}: the decision contradicts `expect`:");
            for c in &case.contradictions {
                let _ = writeln!(s, "  {c}");
            }
        }
        if case.stale_why {
            let _ = writeln!(
                s,
                "{path}: `expect` changed since the snapshot was accepted and `why` did not: the `why` may be stale; say what the new expectation was checked against"
            );
        }
        if let Some(diff) = &case.snapshot_diff
            && !case.accepted
        {
            if case.new {
                let _ = writeln!(
                    s,
                    "{path}: no snapshot yet; read the decision against the law, then `banshi test --accept --case {}`:",
                    case.path.file_stem().unwrap_or_default().to_string_lossy()
                );
            } else {
                let _ = writeln!(
                    s,
                    "{path}: the decision differs from the snapshot (- snapshot, + now):"
                );
            }
            s.push_str(diff);
        } else if case.expect_changed && !case.accepted && !case.stale_why {
            let _ = writeln!(
                s,
                "{path}: `expect` changed since the snapshot was accepted; accept it again with `banshi test --accept --case {}`",
                case.path.file_stem().unwrap_or_default().to_string_lossy()
            );
        }
        if !case.passed() {
            s.push('\n');
        }
    }
    if options.accept {
        if accepted.is_empty() {
            s.push_str("accepted no snapshot\n");
        } else {
            let _ = writeln!(s, "accepted {} snapshot(s):", accepted.len());
            for path in &accepted {
                let _ = writeln!(s, "  {path}");
            }
        }
    }
    let failed: Vec<&CaseResult> = report.cases.iter().filter(|c| !c.passed()).collect();
    let _ = write!(
        s,
        "{} passed, {} failed",
        report.cases.len().saturating_sub(failed.len()),
        failed.len()
    );
    if !failed.is_empty() {
        s.push_str("\nfailing:");
        for case in failed {
            let _ = write!(s, "\n  {}", case.path.display());
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snapshot_header_reads_back() {
        let record = Record {
            expect: "0123456789abcdef".into(),
            why: "fedcba9876543210".into(),
        };
        let text = Snapshot::render("a: b", "rules/m/cases/c.json", &record, "{\n  \"x\": 1\n}");
        assert!(text.contains("description: \"a: b\"\n"));
        let snap = Snapshot::parse(&text);
        assert_eq!(snap.record, Some(record));
        assert_eq!(snap.content, "{\n  \"x\": 1\n}\n");
    }

    #[test]
    fn insta_reads_a_title_that_needs_quoting() {
        let record = Record {
            expect: "0123456789abcdef".into(),
            why: "fedcba9876543210".into(),
        };
        let title = "代理人: \"委托书\" # 未带";
        let text = Snapshot::render(title, "rules/m/cases/c.json", &record, "{}");
        let path = std::env::temp_dir().join(format!("banshi-quote-{}.snap", std::process::id()));
        std::fs::write(&path, text).unwrap();
        let read = insta::Snapshot::from_file(&path).unwrap();
        let _ = std::fs::remove_file(&path);
        assert_eq!(read.metadata().description(), Some(title));
        assert_eq!(read.metadata().input_file(), Some("rules/m/cases/c.json"));
    }

    #[test]
    fn a_diff_shows_only_the_change_with_context() {
        let old = "a\nb\nc\nd\ne\nf\ng\nh\n";
        let new = "a\nb\nc\nd\nE\nf\ng\nh\n";
        assert_eq!(
            line_diff(old, new),
            "@@\n  b\n  c\n  d\n- e\n+ E\n  f\n  g\n  h\n"
        );
        let old = "{\n  \"on\": 1,\n  \"deadline\": {\n    \"a\": 1,\n    \"b\": 2,\n    \"c\": 3,\n    \"d\": 4\n  }\n}";
        let new = old.replace("\"d\": 4", "\"d\": 5");
        assert_eq!(
            line_diff(old, &new),
            "@@ deadline\n      \"a\": 1,\n      \"b\": 2,\n      \"c\": 3,\n-     \"d\": 4\n+     \"d\": 5\n    }\n  }\n"
        );
    }
}
