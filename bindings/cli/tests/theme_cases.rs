//! Every case under `rules/themes/*/cases/` is decided with the shipped rules as a theme
//! (一件事一次办). The decision must first match the case's hand-written `expect`, then the
//! reviewed snapshot beside the case (`cargo insta review` after a change).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use banshi_core::facts::parse_date;
use banshi_core::theme::{ThemeDecision, ThemeMaterialStatus};
use banshi_core::{RuleSet, Status};
use serde::Deserialize;
use serde_json::{Map, Value};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    title: String,
    on: String,
    /// The region whose implementations decide (default: the theme's only region).
    #[serde(default)]
    region: Option<String>,
    facts: Map<String, Value>,
    expect: Expect,
    why: String,
}

/// One matter's expected place in the theme.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MatterExpect {
    status: Status,
    /// The 实施编码 decided with (the region's implementation of a matter named by 基本编码).
    #[serde(default)]
    code: Option<String>,
    /// Failed condition ids.
    #[serde(default)]
    failed: Option<Vec<String>>,
    #[serde(default)]
    promised_due: Option<String>,
    #[serde(default)]
    statutory_due: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    status: Status,
    /// By matter key.
    matters: BTreeMap<String, MatterExpect>,
    /// Theme facts asked, in order.
    #[serde(default)]
    questions: Option<Vec<String>>,
    /// Theme material ids by combined status.
    #[serde(default)]
    submit: Option<Vec<String>>,
    #[serde(default)]
    exempt: Option<Vec<String>>,
    #[serde(default)]
    produced: Option<Vec<String>>,
    #[serde(default)]
    not_applicable: Option<Vec<String>>,
    #[serde(default)]
    undetermined: Option<Vec<String>>,
    #[serde(default)]
    deferred: Option<Vec<String>>,
    #[serde(default)]
    committed: Option<Vec<String>>,
    /// The one acceptance: accepted, accepted_with_deferral, not_accepted, pending.
    #[serde(default)]
    acceptance: Option<String>,
    /// Theme material ids in the one-time notice, in order.
    #[serde(default)]
    notice: Option<Vec<String>>,
    #[serde(default)]
    fee_total: Option<String>,
    /// The theme's promised and statutory due dates, counted by hand.
    #[serde(default)]
    promised_due: Option<String>,
    #[serde(default)]
    statutory_due: Option<String>,
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

/// The theme a case belongs to: the code of the `theme.toml` beside `cases/`.
fn theme_code(case: &Path) -> String {
    let file = case
        .parent()
        .and_then(Path::parent)
        .expect("cases/ sits in a theme folder")
        .join("theme.toml");
    let text = std::fs::read_to_string(&file).expect("theme.toml beside cases/");
    let source: banshi_core::source::ThemeSource =
        toml::from_str(&text).expect("theme.toml parses");
    source.theme.code
}

fn date(d: Option<chrono::NaiveDate>) -> Option<String> {
    d.map(|d| d.to_string())
}

fn check_expectations(case: &Case, d: &ThemeDecision) -> Vec<String> {
    let mut problems = Vec::new();
    let e = &case.expect;
    let mut compare = |what: &str, expected: &Option<Vec<String>>, actual: Vec<String>| {
        if let Some(expected) = expected
            && *expected != actual
        {
            problems.push(format!("{what}: expected {expected:?}, decided {actual:?}"));
        }
    };
    let with = |status: ThemeMaterialStatus| {
        d.materials
            .iter()
            .filter(|m| m.status == status)
            .map(|m| m.id.to_string())
            .collect::<Vec<_>>()
    };
    for (field, expected, status) in [
        ("submit", &e.submit, ThemeMaterialStatus::Submit),
        ("exempt", &e.exempt, ThemeMaterialStatus::Exempt),
        ("produced", &e.produced, ThemeMaterialStatus::Produced),
        (
            "not_applicable",
            &e.not_applicable,
            ThemeMaterialStatus::NotApplicable,
        ),
        (
            "undetermined",
            &e.undetermined,
            ThemeMaterialStatus::Undetermined,
        ),
        ("deferred", &e.deferred, ThemeMaterialStatus::Deferred),
        ("committed", &e.committed, ThemeMaterialStatus::Committed),
    ] {
        compare(field, expected, with(status));
    }
    compare(
        "questions",
        &e.questions,
        d.questions.iter().map(|q| q.fact.clone()).collect(),
    );
    compare(
        "notice",
        &e.notice,
        d.acceptance
            .iter()
            .flat_map(|a| a.notice.iter().map(|n| n.id.to_string()))
            .collect(),
    );
    if e.status != d.status {
        problems.push(format!(
            "status: expected {:?}, decided {:?}",
            e.status, d.status
        ));
    }
    if let Some(expected) = &e.acceptance {
        let actual = d
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
    let checks = [
        (
            "fee_total",
            &e.fee_total,
            d.fees.total.map(|t| t.to_string()),
        ),
        (
            "promised_due",
            &e.promised_due,
            date(d.deadline.promised_due),
        ),
        (
            "statutory_due",
            &e.statutory_due,
            date(d.deadline.statutory_due),
        ),
    ];
    for (what, expected, actual) in checks {
        if let Some(expected) = expected
            && actual.as_deref() != Some(expected.as_str())
        {
            problems.push(format!("{what}: expected {expected}, decided {actual:?}"));
        }
    }
    let keys: Vec<&str> = d.matters.iter().map(|m| &*m.key).collect();
    let expected_keys: Vec<&str> = e.matters.keys().map(String::as_str).collect();
    let mut sorted = keys.clone();
    sorted.sort_unstable();
    if sorted != expected_keys {
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
                "{}: status expected {:?}, decided {:?}",
                m.key, x.status, m.decision.status
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
            ("promised_due", &x.promised_due, date(due.promised_due)),
            ("statutory_due", &x.statutory_due, date(due.statutory_due)),
        ] {
            if let Some(expected) = expected
                && actual.as_deref() != Some(expected.as_str())
            {
                problems.push(format!(
                    "{}: {what} expected {expected}, decided {actual:?}",
                    m.key
                ));
            }
        }
    }
    problems
}

#[test]
fn theme_cases() {
    let rules = rules();
    let mut seen = 0;
    let mut contradictions: Vec<String> = Vec::new();
    insta::glob!("../../../rules/themes", "*/cases/*.json", |path| {
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
        let code = theme_code(path);
        let decision = rules
            .decide_theme(&code, case.region.as_deref(), &case.facts, on)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let problems = check_expectations(&case, &decision);
        if !problems.is_empty() {
            let report = format!(
                "{}: the decision contradicts `expect`:\n  {}",
                path.display(),
                problems.join("\n  ")
            );
            eprintln!("{report}");
            contradictions.push(report);
        }
        let receipt = decision
            .receipt
            .clone()
            .expect("theme decisions carry a receipt");
        assert_eq!(receipt.bundle, rules.hash());
        // The same facts as JSON text give the same decision, receipt included.
        let again = rules
            .decide_theme_json(
                &code,
                case.region.as_deref(),
                &Value::Object(case.facts.clone()).to_string(),
                on,
            )
            .expect("decides from text");
        assert_eq!(again, decision, "{}", path.display());

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
    assert!(
        seen >= 10,
        "theme cases missing under rules/themes/*/cases/"
    );
    assert!(contradictions.is_empty(), "{}", contradictions.join("\n"));
}
