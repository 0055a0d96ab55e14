//! `banshi impact`: re-decide past applications under two rule sets and report what changes.
//!
//! Before a new rule version is published, every application on record is decided under the old
//! and the new rules. The report counts, per matter, the decisions that change and how: status
//! (eligible, ineligible, needs_facts, or an error such as facts the new schema refuses), failed
//! conditions, materials added, dropped or with another status, due dates moved, fee totals
//! changed, questions asked; with the first few applications (by line) of each kind of change.
//!
//! Work is spread over every core (rayon); the input is read in batches while the previous
//! batch is decided, so memory stays bounded however long the file is. The report does not
//! depend on the number of threads: partial reports merge by sums, and examples are the lowest
//! line numbers.

use std::collections::BTreeMap;
use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use banshi_core::facts::parse_date;
use banshi_core::{DecideError, Decision, MaterialStatus, RuleSet, Status};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

/// The outcome of one application under one rule set, as a short label: a status
/// (`eligible`, `ineligible`, `needs_facts`) or `error:<code>`.
fn status_label(status: Status) -> &'static str {
    match status {
        Status::Eligible => "eligible",
        Status::Ineligible => "ineligible",
        Status::NeedsFacts => "needs_facts",
    }
}

fn error_label(e: &DecideError) -> &'static str {
    match e {
        DecideError::Facts { .. } => "error:invalid_facts",
        DecideError::UnknownMatter { .. } => "error:unknown_matter",
        DecideError::UnknownTheme { .. } => "error:unknown_theme",
        DecideError::NotInRegion { .. } => "error:not_in_region",
        DecideError::RegionNeeded { .. } => "error:region_needed",
        DecideError::NoImplementation { .. } => "error:no_implementation",
        DecideError::ImplementationsTie { .. } => "error:implementations_tie",
        DecideError::UnknownRegion { .. } => "error:unknown_region",
        DecideError::NotInForce { .. } => "error:not_in_force",
        DecideError::Ended { .. } => "error:ended",
        DecideError::Overflow { .. } => "error:overflow",
        DecideError::Serialize(_) => "error:serialize",
        DecideError::Matter(_) => "error:invalid_rules",
    }
}

fn material_label(status: MaterialStatus, route: Option<banshi_core::Route>) -> String {
    let status = match status {
        MaterialStatus::Submit => "submit",
        MaterialStatus::Exempt => "exempt",
        MaterialStatus::NotApplicable => "not_applicable",
        MaterialStatus::Undetermined => "undetermined",
        MaterialStatus::Deferred => "deferred",
        MaterialStatus::Committed => "committed",
    };
    match route {
        Some(banshi_core::Route::Cancelled) => format!("{status}:cancelled"),
        Some(banshi_core::Route::DataSharing) => format!("{status}:data_sharing"),
        Some(banshi_core::Route::ELicence) => format!("{status}:e_licence"),
        None => status.to_string(),
    }
}

/// How often something was added and removed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddedRemoved {
    /// Applications where it is new.
    pub added: u64,
    /// Applications where it is gone.
    pub removed: u64,
}

/// How one material changes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MaterialChanges {
    /// Applications where the material appears (a new material, or a new id).
    pub added: u64,
    /// Applications where it disappears.
    pub dropped: u64,
    /// Status changes, `old→new` (with the exemption route, `exempt:e_licence`), and their
    /// counts.
    pub status: BTreeMap<String, u64>,
}

/// How one due date moves.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueMoves {
    /// Applications whose due date is later.
    pub later: u64,
    /// Applications whose due date is earlier.
    pub earlier: u64,
    /// Applications that gain or lose a due date (for example one now beyond the calendar).
    pub appeared_or_vanished: u64,
    /// The smallest move, in natural days (negative: earlier).
    pub min_days: Option<i64>,
    /// The largest move, in natural days.
    pub max_days: Option<i64>,
}

impl DueMoves {
    fn record(&mut self, old: Option<chrono::NaiveDate>, new: Option<chrono::NaiveDate>) {
        match (old, new) {
            (Some(a), Some(b)) if a != b => {
                let days = b.signed_duration_since(a).num_days();
                if days > 0 {
                    self.later += 1;
                } else {
                    self.earlier += 1;
                }
                self.min_days = Some(self.min_days.map_or(days, |m| m.min(days)));
                self.max_days = Some(self.max_days.map_or(days, |m| m.max(days)));
            }
            (Some(_), None) | (None, Some(_)) => self.appeared_or_vanished += 1,
            _ => {}
        }
    }

    fn merge(&mut self, other: &DueMoves) {
        self.later += other.later;
        self.earlier += other.earlier;
        self.appeared_or_vanished += other.appeared_or_vanished;
        self.min_days = match (self.min_days, other.min_days) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        self.max_days = match (self.max_days, other.max_days) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
    }

    fn any(&self) -> bool {
        self.later + self.earlier + self.appeared_or_vanished > 0
    }
}

/// How fee totals change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeChanges {
    /// Applications whose total changes (including a total that appears or disappears).
    pub changed: u64,
    /// Of those, totals that go up.
    pub up: u64,
    /// Totals that go down.
    pub down: u64,
    /// The sum of all changes in yuan (new minus old, where both are known).
    pub net: String,
}

/// One application that changes, as an example.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Example {
    /// Its line in the cases file (from 1).
    pub line: u64,
    /// The decision date.
    pub on: String,
    /// What changes, one line each.
    pub changes: Vec<String>,
    /// The facts.
    pub facts: Value,
}

/// What changes for one matter.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MatterImpact {
    /// The matter's name under the new rules (else the old).
    pub name: String,
    /// Applications for it.
    pub applications: u64,
    /// Of those, decisions that change in any way.
    pub changed: u64,
    /// Outcomes under the old rules (`eligible`, `ineligible`, `needs_facts`, `error:…`).
    pub before: BTreeMap<String, u64>,
    /// Outcomes under the new rules.
    pub after: BTreeMap<String, u64>,
    /// Outcomes before and after, `old→new`, only where they differ.
    pub status: BTreeMap<String, u64>,
    /// Failed conditions: `added` counts applications that newly fail the condition, `removed`
    /// those that no longer do.
    pub failed_conditions: BTreeMap<String, AddedRemoved>,
    /// Materials by id.
    pub materials: BTreeMap<String, MaterialChanges>,
    /// Applications whose questions differ (asked facts added or removed).
    pub questions: u64,
    /// The promised due date (承诺时限).
    pub promised_due: DueMoves,
    /// The statutory due date (法定时限).
    pub statutory_due: DueMoves,
    /// Fee totals.
    pub fees: FeeChanges,
    /// Applications whose acceptance block (容缺受理, 一次性告知) changes.
    pub acceptance: u64,
    /// Changes in nothing above: situations, citations, wording, the extension, commitments.
    pub other: u64,
    /// Examples by kind of change (`status eligible→ineligible`, `materials`, `due dates`,
    /// `fees`, `questions`, `acceptance`, `other`), the first few by line.
    pub examples: BTreeMap<String, Vec<Example>>,
    /// Net fee change so far, exact.
    #[serde(skip)]
    net: rust_decimal::Decimal,
}

/// A line that is not an application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Malformed {
    /// Its line (from 1).
    pub line: u64,
    /// What is wrong.
    pub message: String,
}

/// The whole report.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// The old rules' bundle hash.
    pub old: String,
    /// The new rules' bundle hash.
    pub new: String,
    /// Applications read (malformed lines included).
    pub applications: u64,
    /// Decisions that change.
    pub changed: u64,
    /// Lines that are not applications: their count.
    pub malformed: u64,
    /// The first few of them.
    pub malformed_examples: Vec<Malformed>,
    /// By matter code.
    pub matters: BTreeMap<String, MatterImpact>,
}

/// How to run.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Examples kept per kind of change and matter.
    pub examples: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options { examples: 3 }
    }
}

/// An application as `banshi generate cases` writes it. The facts stay text: both rule sets
/// read them straight from it (`RuleSet::evaluate_json`), without a JSON tree in between, and
/// a tree is made only for the few kept as examples.
#[derive(Deserialize)]
struct Case<'a> {
    #[serde(borrow)]
    matter: std::borrow::Cow<'a, str>,
    #[serde(borrow)]
    on: std::borrow::Cow<'a, str>,
    #[serde(default, borrow)]
    facts: Option<&'a RawValue>,
}

/// The same with its facts parsed, read only when they are not an object (absent, `null`,
/// anything else): it accepts the first, and for the others says what is wrong.
#[derive(Deserialize)]
struct ParsedCase {
    #[serde(default, rename = "facts")]
    _facts: Map<String, Value>,
}

/// A decision, or why there is none.
type Outcome = Result<Decision, &'static str>;

/// Decides without a receipt: the receipt's hashing is not needed to compare decisions.
fn decide(rules: &RuleSet, code: &str, facts: &str, on: chrono::NaiveDate) -> Outcome {
    rules
        .evaluate_json(code, facts, on)
        .map_err(|e| error_label(&e))
}

fn label(outcome: &Outcome) -> &'static str {
    match outcome {
        Ok(d) => status_label(d.status),
        Err(e) => e,
    }
}

fn keep_example(list: &mut Vec<Example>, example: Example, limit: usize) {
    let at = list.partition_point(|e| e.line < example.line);
    list.insert(at, example);
    list.truncate(limit);
}

fn wants_example(
    examples: &BTreeMap<String, Vec<Example>>,
    kind: &str,
    line: u64,
    limit: usize,
) -> bool {
    examples
        .get(kind)
        .is_none_or(|list| list.len() < limit || list.last().is_some_and(|e| e.line > line))
}

/// The differences between two decisions, counted into `impact`; the kinds of change found,
/// and (when `describe`) one line for each change.
fn compare(
    impact: &mut MatterImpact,
    old: &Decision,
    new: &Decision,
    describe: bool,
    lines: &mut Vec<String>,
) -> Vec<&'static str> {
    let mut kinds = Vec::new();
    if old.status != new.status {
        let key = format!("{}→{}", status_label(old.status), status_label(new.status));
        if describe {
            lines.push(format!("status {key}"));
        }
        *impact.status.entry(key).or_default() += 1;
        kinds.push("status");
    }
    let mut conditions = false;
    for f in &new.failed {
        if !old.failed.iter().any(|o| o.id == f.id) {
            impact
                .failed_conditions
                .entry(f.id.to_string())
                .or_default()
                .added += 1;
            if describe {
                lines.push(format!("fails {}: {}", f.id, f.message));
            }
            conditions = true;
        }
    }
    for f in &old.failed {
        if !new.failed.iter().any(|n| n.id == f.id) {
            impact
                .failed_conditions
                .entry(f.id.to_string())
                .or_default()
                .removed += 1;
            if describe {
                lines.push(format!("no longer fails {}", f.id));
            }
            conditions = true;
        }
    }
    if conditions && !kinds.contains(&"status") {
        kinds.push("conditions");
    }

    let mut materials = false;
    for m in &new.materials {
        match old.materials.iter().find(|o| o.id == m.id) {
            None => {
                impact.materials.entry(m.id.to_string()).or_default().added += 1;
                if describe {
                    lines.push(format!(
                        "material {} added ({})",
                        m.id,
                        material_label(m.status, m.route)
                    ));
                }
                materials = true;
            }
            Some(o) if (o.status, o.route) != (m.status, m.route) => {
                let key = format!(
                    "{}→{}",
                    material_label(o.status, o.route),
                    material_label(m.status, m.route)
                );
                if describe {
                    lines.push(format!("material {} {key}", m.id));
                }
                *impact
                    .materials
                    .entry(m.id.to_string())
                    .or_default()
                    .status
                    .entry(key)
                    .or_default() += 1;
                materials = true;
            }
            Some(_) => {}
        }
    }
    for o in &old.materials {
        if !new.materials.iter().any(|m| m.id == o.id) {
            impact
                .materials
                .entry(o.id.to_string())
                .or_default()
                .dropped += 1;
            if describe {
                lines.push(format!("material {} dropped", o.id));
            }
            materials = true;
        }
    }
    if materials {
        kinds.push("materials");
    }

    let promised = |d: &Decision| d.deadline.as_ref().and_then(|x| x.promised.due);
    let statutory = |d: &Decision| d.deadline.as_ref().and_then(|x| x.statutory.due);
    let (op, np) = (promised(old), promised(new));
    let (os, ns) = (statutory(old), statutory(new));
    if op != np || os != ns {
        impact.promised_due.record(op, np);
        impact.statutory_due.record(os, ns);
        if describe {
            let show =
                |d: Option<chrono::NaiveDate>| d.map_or("none".to_string(), |d| d.to_string());
            if op != np {
                lines.push(format!("promised due {} → {}", show(op), show(np)));
            }
            if os != ns {
                lines.push(format!("statutory due {} → {}", show(os), show(ns)));
            }
        }
        kinds.push("due dates");
    }

    let total = |d: &Decision| d.fees.as_ref().and_then(|f| f.total);
    let (ot, nt) = (total(old), total(new));
    if ot != nt {
        impact.fees.changed += 1;
        if let (Some(a), Some(b)) = (ot, nt) {
            if b > a {
                impact.fees.up += 1;
            } else if b < a {
                impact.fees.down += 1;
            }
            impact.net += b - a;
        }
        if describe {
            let show = |t: &Option<rust_decimal::Decimal>| {
                t.map_or_else(|| "none".into(), |t| t.to_string())
            };
            lines.push(format!("fee total {} → {}", show(&ot), show(&nt)));
        }
        kinds.push("fees");
    }

    fn asked(d: &Decision) -> Vec<&str> {
        d.questions
            .iter()
            .map(|q| q.fact.as_str())
            .collect::<Vec<_>>()
    }
    if asked(old) != asked(new) {
        impact.questions += 1;
        if describe {
            lines.push(format!("asks {:?} instead of {:?}", asked(new), asked(old)));
        }
        kinds.push("questions");
    }

    let acceptance = |d: &Decision| d.acceptance.as_ref().map(|a| a.status);
    if old.acceptance != new.acceptance {
        impact.acceptance += 1;
        if describe {
            lines.push(format!(
                "acceptance {:?} → {:?}",
                acceptance(old),
                acceptance(new)
            ));
        }
        kinds.push("acceptance");
    }

    if kinds.is_empty() && substance_differs(old, new) {
        impact.other += 1;
        if describe {
            lines.push("situations, citations, wording or the extension change".into());
        }
        kinds.push("other");
    }
    kinds
}

/// Whether anything an applicant is told differs (the matter and version references aside).
fn substance_differs(old: &Decision, new: &Decision) -> bool {
    old.status != new.status
        || old.failed != new.failed
        || old.questions != new.questions
        || old.situations != new.situations
        || old.materials != new.materials
        || old.acceptance != new.acceptance
        || old.commitment != new.commitment
        || old.fees != new.fees
        || old.deadline != new.deadline
}

/// Re-decides one line and counts it into `report`.
fn one(old: &RuleSet, new: &RuleSet, line: u64, text: &str, options: Options, report: &mut Report) {
    report.applications += 1;
    let parsed = serde_json::from_str::<Case>(text).and_then(|case| match case.facts {
        Some(facts) if facts.get().starts_with('{') => Ok(case),
        _ => serde_json::from_str::<ParsedCase>(text).map(|_| case),
    });
    let case = match parsed {
        Ok(case) => case,
        Err(e) => {
            report.malformed += 1;
            if report.malformed_examples.len() < options.examples {
                report.malformed_examples.push(Malformed {
                    line,
                    message: e.to_string(),
                });
            }
            return;
        }
    };
    let Some(on) = parse_date(&case.on) else {
        report.malformed += 1;
        if report.malformed_examples.len() < options.examples {
            report.malformed_examples.push(Malformed {
                line,
                message: format!("`on` is not a date: {}", case.on),
            });
        }
        return;
    };
    let facts = case.facts.map_or("{}", RawValue::get);
    let before = decide(old, &case.matter, facts, on);
    let after = decide(new, &case.matter, facts, on);

    let impact = match report.matters.get_mut(case.matter.as_ref()) {
        Some(impact) => impact,
        None => report.matters.entry(case.matter.to_string()).or_default(),
    };
    if impact.name.is_empty()
        && let Some(d) = after.as_ref().ok().or(before.as_ref().ok())
    {
        impact.name = d.matter.name.to_string();
    }
    impact.applications += 1;
    *impact.before.entry(label(&before).to_string()).or_default() += 1;
    *impact.after.entry(label(&after).to_string()).or_default() += 1;

    let limit = options.examples;
    let mut lines = Vec::new();
    let kinds: Vec<String> = match (&before, &after) {
        (Ok(a), Ok(b)) => compare(impact, a, b, false, &mut lines)
            .iter()
            .map(|k| {
                if *k == "status" {
                    format!(
                        "status {}→{}",
                        status_label(a.status),
                        status_label(b.status)
                    )
                } else {
                    (*k).to_string()
                }
            })
            .collect(),
        (x, y) if label(x) != label(y) => {
            let key = format!("{}→{}", label(x), label(y));
            *impact.status.entry(key.clone()).or_default() += 1;
            vec![format!("status {key}")]
        }
        _ => Vec::new(),
    };
    if kinds.is_empty() {
        return;
    }
    impact.changed += 1;
    report.changed += 1;
    let wanted = kinds
        .iter()
        .any(|k| wants_example(&impact.examples, k, line, limit));
    if !wanted {
        return;
    }
    // Described only for examples: counted above, worded here into a scratch tally.
    match (&before, &after) {
        (Ok(a), Ok(b)) => {
            compare(&mut MatterImpact::default(), a, b, true, &mut lines);
        }
        (x, y) => lines.push(format!("status {}→{}", label(x), label(y))),
    }
    for kind in kinds {
        if wants_example(&impact.examples, &kind, line, limit) {
            let example = Example {
                line,
                on: case.on.to_string(),
                changes: lines.clone(),
                facts: serde_json::from_str(facts).unwrap_or_default(),
            };
            keep_example(impact.examples.entry(kind).or_default(), example, limit);
        }
    }
}

impl MatterImpact {
    fn merge(&mut self, other: MatterImpact, limit: usize) {
        if self.name.is_empty() {
            self.name = other.name;
        }
        self.applications += other.applications;
        self.changed += other.changed;
        for (k, v) in other.before {
            *self.before.entry(k).or_default() += v;
        }
        for (k, v) in other.after {
            *self.after.entry(k).or_default() += v;
        }
        for (k, v) in other.status {
            *self.status.entry(k).or_default() += v;
        }
        for (k, v) in other.failed_conditions {
            let e = self.failed_conditions.entry(k).or_default();
            e.added += v.added;
            e.removed += v.removed;
        }
        for (k, v) in other.materials {
            let e = self.materials.entry(k).or_default();
            e.added += v.added;
            e.dropped += v.dropped;
            for (s, n) in v.status {
                *e.status.entry(s).or_default() += n;
            }
        }
        self.questions += other.questions;
        self.promised_due.merge(&other.promised_due);
        self.statutory_due.merge(&other.statutory_due);
        self.fees.changed += other.fees.changed;
        self.fees.up += other.fees.up;
        self.fees.down += other.fees.down;
        self.net += other.net;
        self.acceptance += other.acceptance;
        self.other += other.other;
        for (kind, list) in other.examples {
            let mine = self.examples.entry(kind).or_default();
            for example in list {
                keep_example(mine, example, limit);
            }
        }
    }
}

impl Report {
    /// Adds a partial report (of other lines) into this one.
    pub fn merge(&mut self, other: Report, options: Options) {
        self.applications += other.applications;
        self.changed += other.changed;
        self.malformed += other.malformed;
        self.malformed_examples.extend(other.malformed_examples);
        self.malformed_examples.sort_by_key(|m| m.line);
        self.malformed_examples.truncate(options.examples);
        for (code, impact) in other.matters {
            match self.matters.get_mut(&code) {
                Some(mine) => mine.merge(impact, options.examples),
                None => {
                    self.matters.insert(code, impact);
                }
            }
        }
    }

    fn finish(&mut self) {
        for impact in self.matters.values_mut() {
            impact.fees.net = impact.net.normalize().to_string();
        }
    }
}

/// Lines with their numbers, as read.
type Batch = Vec<(u64, String)>;

fn decide_batch(
    old: &RuleSet,
    new: &RuleSet,
    batch: &Batch,
    options: Options,
    progress: &indicatif::ProgressBar,
) -> Report {
    batch
        .par_chunks(512)
        .map(|chunk| {
            let mut report = Report::default();
            let mut bytes = 0;
            for (line, text) in chunk {
                bytes += text.len() as u64 + 1;
                if !text.trim().is_empty() {
                    one(old, new, *line, text, options, &mut report);
                }
            }
            progress.inc(bytes);
            report
        })
        .reduce(Report::default, |mut a, b| {
            a.merge(b, options);
            a
        })
}

/// Re-decides every application of `text` (JSON lines) under both rule sets.
pub fn analyse(old: &RuleSet, new: &RuleSet, text: &str, options: Options) -> Report {
    let batch: Batch = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i as u64 + 1, l.to_string()))
        .collect();
    let mut report = decide_batch(old, new, &batch, options, &indicatif::ProgressBar::hidden());
    report.old = old.hash().to_string();
    report.new = new.hash().to_string();
    report.finish();
    report
}

/// Lines per batch: enough to keep every core busy, few enough to bound memory.
const BATCH: usize = 1 << 16;

fn read_batch(reader: &mut impl std::io::BufRead, next_line: &mut u64) -> std::io::Result<Batch> {
    let mut batch = Vec::with_capacity(BATCH);
    while batch.len() < BATCH {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            break;
        }
        *next_line += 1;
        while line.ends_with('\n') || line.ends_with('\r') {
            line.pop();
        }
        batch.push((*next_line, line));
    }
    Ok(batch)
}

/// Re-decides every application of the file at `path` (JSON lines), reading it in batches while
/// the previous batch is decided; shows a progress bar when standard error is a terminal.
pub fn analyse_file(
    old: &RuleSet,
    new: &RuleSet,
    path: &Path,
    options: Options,
) -> Result<Report, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let mut reader = std::io::BufReader::with_capacity(1 << 20, file);
    let progress = if std::io::stderr().is_terminal() {
        let bar = indicatif::ProgressBar::new(size);
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{elapsed_precise} [{bar:40}] {percent}% {binary_bytes_per_sec} eta {eta}",
        ) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };
    let mut next_line = 0;
    let mut report = Report::default();
    let mut batch =
        read_batch(&mut reader, &mut next_line).map_err(|e| format!("{}: {e}", path.display()))?;
    while !batch.is_empty() {
        let (next, partial) = rayon::join(
            || read_batch(&mut reader, &mut next_line),
            || decide_batch(old, new, &batch, options, &progress),
        );
        report.merge(partial, options);
        batch = next.map_err(|e| format!("{}: {e}", path.display()))?;
    }
    progress.finish_and_clear();
    report.old = old.hash().to_string();
    report.new = new.hash().to_string();
    report.finish();
    Ok(report)
}

/// The report as text for people.
pub fn render(report: &Report) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let percent = |n: u64, of: u64| {
        if of == 0 {
            0.0
        } else {
            n as f64 * 100.0 / of as f64
        }
    };
    let _ = writeln!(
        s,
        "{} applications, {} decisions change ({:.2}%)",
        report.applications,
        report.changed,
        percent(report.changed, report.applications)
    );
    let _ = writeln!(s, "old rules {}\nnew rules {}", report.old, report.new);
    if report.malformed > 0 {
        let _ = writeln!(s, "{} malformed line(s):", report.malformed);
        for m in &report.malformed_examples {
            let _ = writeln!(s, "  line {}: {}", m.line, m.message);
        }
    }
    for (code, m) in &report.matters {
        let _ = writeln!(
            s,
            "\n{code} {}: {} applications, {} change ({:.2}%)",
            m.name,
            m.applications,
            m.changed,
            percent(m.changed, m.applications)
        );
        let outcomes = |map: &BTreeMap<String, u64>| {
            map.iter()
                .map(|(k, n)| format!("{k} {n}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let _ = writeln!(s, "  before      {}", outcomes(&m.before));
        let _ = writeln!(s, "  after       {}", outcomes(&m.after));
        for (k, n) in &m.status {
            let _ = writeln!(s, "  status      {k}: {n}");
        }
        for (id, c) in &m.failed_conditions {
            let _ = writeln!(
                s,
                "  condition   {id}: newly failing {}, no longer failing {}",
                c.added, c.removed
            );
        }
        for (id, c) in &m.materials {
            let mut parts = Vec::new();
            if c.added > 0 {
                parts.push(format!("added {}", c.added));
            }
            if c.dropped > 0 {
                parts.push(format!("dropped {}", c.dropped));
            }
            parts.extend(c.status.iter().map(|(k, n)| format!("{k} {n}")));
            let _ = writeln!(s, "  material    {id}: {}", parts.join(", "));
        }
        for (what, d) in [
            ("promised", &m.promised_due),
            ("statutory", &m.statutory_due),
        ] {
            if d.any() {
                let _ = writeln!(
                    s,
                    "  due date    {what}: {} later, {} earlier, {} appear or vanish (moves {:+}..{:+} days)",
                    d.later,
                    d.earlier,
                    d.appeared_or_vanished,
                    d.min_days.unwrap_or(0),
                    d.max_days.unwrap_or(0)
                );
            }
        }
        if m.fees.changed > 0 {
            let _ = writeln!(
                s,
                "  fees        total changes for {} (up {}, down {}, net {} yuan)",
                m.fees.changed, m.fees.up, m.fees.down, m.fees.net
            );
        }
        if m.questions > 0 {
            let _ = writeln!(s, "  questions   change for {}", m.questions);
        }
        if m.acceptance > 0 {
            let _ = writeln!(s, "  acceptance  changes for {}", m.acceptance);
        }
        if m.other > 0 {
            let _ = writeln!(s, "  other       {}", m.other);
        }
        for (kind, list) in &m.examples {
            let _ = writeln!(s, "  examples of {kind}:");
            for e in list {
                let _ = writeln!(
                    s,
                    "    line {} ({}): {}",
                    e.line,
                    e.on,
                    e.changes.join("; ")
                );
                let _ = writeln!(s, "      facts {}", e.facts);
            }
        }
    }
    s
}

/// `banshi impact`.
#[derive(Debug, clap::Args)]
pub struct ImpactArgs {
    /// The rules in force: a bundle file (`banshi bundle`) or a rules folder.
    #[arg(long)]
    pub old: PathBuf,
    /// The proposed rules: a bundle file or a rules folder.
    #[arg(long)]
    pub new: PathBuf,
    /// Applications as JSON lines `{"matter","on","facts"}` (`banshi generate cases`).
    #[arg(long)]
    pub cases: PathBuf,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
    /// Examples to keep per matter and kind of change.
    #[arg(long, default_value_t = 3)]
    pub examples: usize,
    /// Worker threads (default: one per core).
    #[arg(long)]
    pub threads: Option<usize>,
    /// The keys bundles must be signed by (rules folders need none).
    #[command(flatten)]
    pub trust: crate::keys::TrustArgs,
}

/// Runs `banshi impact`: the report on standard output, timing on standard error.
pub fn run(args: &ImpactArgs) -> Result<String, String> {
    let started = Instant::now();
    let trust = args.trust.trust()?;
    let old = crate::generate::read_rules(Some(&args.old), &trust)?.rules;
    let new = crate::generate::read_rules(Some(&args.new), &trust)?.rules;
    let options = Options {
        examples: args.examples,
    };
    let mut pool = rayon::ThreadPoolBuilder::new();
    if let Some(n) = args.threads {
        pool = pool.num_threads(n);
    }
    let pool = pool.build().map_err(|e| format!("starting threads: {e}"))?;
    let loaded = started.elapsed();
    let report = pool.install(|| analyse_file(&old, &new, &args.cases, options))?;
    let elapsed = started.elapsed();
    let decided = elapsed.saturating_sub(loaded).as_secs_f64();
    eprintln!(
        "impact: {} applications in {:.2} s ({:.2} s loading rules, {:.0} applications/s on {} thread(s))",
        report.applications,
        elapsed.as_secs_f64(),
        loaded.as_secs_f64(),
        report.applications as f64 / decided.max(1e-9),
        pool.current_num_threads()
    );
    if args.json {
        serde_json::to_string_pretty(&report).map_err(|e| e.to_string())
    } else {
        Ok(render(&report))
    }
}
