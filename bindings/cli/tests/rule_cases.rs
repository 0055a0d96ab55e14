//! Every case under `rules/*/cases/` is decided with the shipped rules. The decision must first
//! match the case's hand-written `expect` (taken from the law and the guide), then the reviewed
//! snapshot beside the case (`cargo insta review` after a change).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use banshi_core::facts::parse_date;
use banshi_core::{Decision, MaterialStatus, RuleSet, Status};
use serde::Deserialize;
use serde_json::{Map, Value};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    title: String,
    /// The 实施编码 decided with; the folder's one matter when absent
    /// (`banshi_loader::folder_matter`).
    #[serde(default)]
    matter: Option<String>,
    on: String,
    facts: Map<String, Value>,
    expect: Expect,
    why: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    status: Status,
    #[serde(default)]
    failed: Option<Vec<String>>,
    #[serde(default)]
    submit: Option<Vec<String>>,
    #[serde(default)]
    exempt: Option<Vec<String>>,
    #[serde(default)]
    not_applicable: Option<Vec<String>>,
    #[serde(default)]
    undetermined: Option<Vec<String>>,
    /// Exemption routes by material id.
    #[serde(default)]
    routes: Option<BTreeMap<String, String>>,
    /// Facts the decision must ask for, in order.
    #[serde(default)]
    questions: Option<Vec<String>>,
    /// Situations that must apply, in order.
    #[serde(default)]
    situations: Option<Vec<String>>,
    #[serde(default)]
    deferred: Option<Vec<String>>,
    #[serde(default)]
    committed: Option<Vec<String>>,
    /// The acceptance status: accepted, accepted_with_deferral, not_accepted, pending.
    #[serde(default)]
    acceptance: Option<String>,
    /// Material ids in the one-time notice, in order.
    #[serde(default)]
    notice: Option<Vec<String>>,
    /// The fee total, e.g. "80.00".
    #[serde(default)]
    fee_total: Option<String>,
    /// The promised due date, counted by hand on the official calendar.
    #[serde(default)]
    promised_due: Option<String>,
    /// The statutory due date, counted by hand.
    #[serde(default)]
    statutory_due: Option<String>,
    /// The statutory due date if the extension is granted, counted by hand.
    #[serde(default)]
    extension_due: Option<String>,
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn rules() -> RuleSet {
    let files = banshi_loader::read_tree(&repo().join("rules")).expect("rules/ is readable");
    match banshi_loader::compile(&files) {
        Ok(rules) => rules,
        Err(problems) => {
            let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
            panic!("the shipped rules do not check:\n{}", lines.join("\n"))
        }
    }
}

/// The matter a case belongs to: its own `matter`, or its folder's one matter.
fn matter_code(case: &Path, named: Option<&String>) -> String {
    if let Some(code) = named {
        return code.clone();
    }
    let folder = case
        .parent()
        .and_then(Path::parent)
        .and_then(Path::file_name)
        .and_then(|n| n.to_str())
        .expect("cases/ sits in a matter folder");
    let files = banshi_loader::read_tree(&repo().join("rules")).expect("rules/ is readable");
    let (source, _) = banshi_loader::sources(&files);
    banshi_loader::folder_matter(&source, folder).unwrap_or_else(|| {
        panic!(
            "{}: name the case's `matter`: its folder has several",
            case.display()
        )
    })
}

fn ids_with(decision: &Decision, status: MaterialStatus) -> Vec<String> {
    decision
        .materials
        .iter()
        .filter(|m| m.status == status)
        .map(|m| m.id.to_string())
        .collect()
}

fn check_expectations(case: &Case, decision: &Decision) -> Vec<String> {
    let mut problems = Vec::new();
    let mut compare = |what: &str, expected: &Option<Vec<String>>, actual: Vec<String>| {
        if let Some(expected) = expected
            && *expected != actual
        {
            problems.push(format!("{what}: expected {expected:?}, decided {actual:?}"));
        }
    };
    let e = &case.expect;
    compare(
        "failed",
        &e.failed,
        decision.failed.iter().map(|f| f.id.to_string()).collect(),
    );
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
        compare(field, expected, ids_with(decision, status));
    }
    compare(
        "notice",
        &e.notice,
        decision
            .acceptance
            .iter()
            .flat_map(|a| a.notice.iter().map(|n| n.id.to_string()))
            .collect(),
    );
    compare(
        "questions",
        &e.questions,
        decision.questions.iter().map(|q| q.fact.clone()).collect(),
    );
    compare("situations", &e.situations, decision.situations.clone());
    if let Some(expected) = &e.acceptance {
        let actual = decision
            .acceptance
            .as_ref()
            .and_then(|a| serde_json::to_value(a.status).ok())
            .and_then(|v| v.as_str().map(str::to_string));
        if actual.as_deref() != Some(expected.as_str()) {
            problems.push(format!(
                "acceptance: expected {expected}, decided {actual:?}"
            ));
        }
    }
    if let Some(expected) = &e.fee_total {
        // Compared as text, so that the two decimals the law shows are checked too.
        let actual = decision
            .fees
            .as_ref()
            .and_then(|f| f.total.map(|t| t.to_string()));
        if actual.as_deref() != Some(expected.as_str()) {
            problems.push(format!(
                "fee_total: expected {expected}, decided {actual:?}"
            ));
        }
    }
    if e.status != decision.status {
        problems.push(format!(
            "status: expected {:?}, decided {:?}",
            e.status, decision.status
        ));
    }
    let dates = [
        (
            "promised_due",
            &e.promised_due,
            decision.deadline.promised.due,
        ),
        (
            "statutory_due",
            &e.statutory_due,
            decision.deadline.statutory.due,
        ),
        (
            "extension_due",
            &e.extension_due,
            decision.deadline.extension.as_ref().and_then(|x| x.due),
        ),
    ];
    for (what, expected, actual) in dates {
        if let Some(expected) = expected {
            let actual = actual.map(|d| d.to_string());
            if actual.as_deref() != Some(expected.as_str()) {
                problems.push(format!("{what}: expected {expected}, decided {actual:?}"));
            }
        }
    }
    if let Some(routes) = &e.routes {
        for (id, route) in routes {
            let actual = decision
                .materials
                .iter()
                .find(|m| *m.id == **id)
                .and_then(|m| m.route)
                .map(|r| {
                    serde_json::to_value(r)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default()
                });
            if actual.as_deref() != Some(route.as_str()) {
                problems.push(format!(
                    "route of `{id}`: expected {route}, decided {actual:?}"
                ));
            }
        }
    }
    problems
}

#[test]
fn rule_cases() {
    let rules = rules();
    let mut seen = 0;
    // Every case is decided and snapshotted even when an earlier one contradicts its `expect`;
    // the contradictions are reported together at the end.
    let mut contradictions: Vec<String> = Vec::new();
    insta::glob!("../../../rules", "*/cases/*.json", |path| {
        seen += 1;
        let text = std::fs::read_to_string(path).expect("case is readable");
        let case: Case =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(
            !case.title.trim().is_empty() && !case.why.trim().is_empty(),
            "{}: a case needs a title and a why",
            path.display()
        );
        let on = parse_date(&case.on)
            .unwrap_or_else(|| panic!("{}: `on` is not a date", path.display()));
        let decision = rules
            .decide(&matter_code(path, case.matter.as_ref()), &case.facts, on)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let problems = check_expectations(&case, &decision);
        if !problems.is_empty() {
            // Printed now as well: insta stops the run at the end on a pending snapshot, before
            // the summary below.
            eprintln!(
                "{}: the decision contradicts `expect`:\n  {}",
                path.display(),
                problems.join("\n  ")
            );
            contradictions.push(format!(
                "{}: the decision contradicts `expect`:\n  {}",
                path.display(),
                problems.join("\n  ")
            ));
        }

        // The receipt hashes the whole rule set, so it changes with any rule file; it is checked
        // here and left out of the snapshot, which shows everything else a front end receives.
        let receipt = decision
            .receipt
            .clone()
            .expect("decisions from a rule set carry a receipt");
        assert_eq!(receipt.bundle, rules.hash());
        let engine = banshi_core::ffi::Engine::from_rules(rules.clone());
        let facts_text = serde_json::Value::Object(case.facts.clone()).to_string();
        let check = engine.verify(
            &matter_code(path, case.matter.as_ref()),
            &facts_text,
            &case.on,
            &serde_json::to_string(&receipt).unwrap(),
        );
        assert!(
            check.contains("\"valid\":true"),
            "{}: receipt does not verify: {check}",
            path.display()
        );
        let mut shown = decision.clone();
        shown.receipt = None;
        let pretty = serde_json::to_string_pretty(&shown).expect("decisions serialize");
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path(path.parent().expect("case has a folder"));
        settings.set_prepend_module_to_snapshot(false);
        settings.set_snapshot_suffix("");
        settings.set_omit_expression(true);
        settings.set_description(case.title.clone());
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("case file name")
            .to_string();
        settings.bind(|| insta::assert_snapshot!(name, pretty));
    });
    assert!(seen > 0, "no cases found under rules/*/cases/");
    assert!(contradictions.is_empty(), "{}", contradictions.join("\n"));
}
