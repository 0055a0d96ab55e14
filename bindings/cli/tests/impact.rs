//! `banshi generate` and `banshi impact`: generated applications are valid and reproducible, a
//! hand-made rule change moves exactly the applicants it should, and the command runs end to end.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use banshi_cli::builtin;
use banshi_cli::generate::{Application, Generator, large_rule_set, read_rules};
use banshi_cli::impact::{Options, Report, analyse};
use banshi_core::facts::FactKind;
use banshi_core::{RuleSet, Status};
use serde_json::Value;

fn rules_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rules")
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("banshi-impact-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

const BUSINESS: &str = "11610100000000000X4000131128000";

#[test]
fn generated_applications_are_valid_varied_and_reproducible() {
    let loaded = read_rules(Some(&rules_dir()), &banshi_core::Trust::default()).unwrap();
    let generator = Generator::new(&loaded.source, &loaded.rules);
    let apps: Vec<Application> = (0..3000)
        .map(|i| generator.application(42, i).unwrap())
        .collect();
    let again: Vec<String> = (0..3000)
        .map(|i| generator.application(42, i).unwrap().to_json_line())
        .collect();
    assert_eq!(
        apps.iter()
            .map(Application::to_json_line)
            .collect::<Vec<_>>(),
        again
    );
    assert_ne!(
        generator.application(43, 0).unwrap().to_json_line(),
        again[0]
    );

    let mut kinds_seen = BTreeSet::new();
    let mut kinds_declared = BTreeSet::new();
    let mut statuses = BTreeMap::new();
    let mut with_gaps = 0;
    let mut years = BTreeSet::new();
    for app in &apps {
        use chrono::Datelike as _;
        years.insert(app.on.year());
        let matter = loaded.rules.matter(&app.matter, app.on).unwrap();
        for def in matter.facts() {
            kinds_declared.insert(format!("{:?}", def.kind));
            if app.facts.contains_key(&def.name) {
                kinds_seen.insert(format!("{:?}", def.kind));
            }
        }
        if matter
            .facts()
            .iter()
            .any(|d| d.kind != FactKind::Procedures && !app.facts.contains_key(&d.name))
        {
            with_gaps += 1;
        }
        // Every generated application is valid for its matter's schema.
        let decision = loaded
            .rules
            .decide(&app.matter, &app.facts, app.on)
            .unwrap_or_else(|e| panic!("{e}: {}", app.to_json_line()));
        *statuses
            .entry(format!("{:?}", decision.status))
            .or_insert(0) += 1;
    }
    assert_eq!(kinds_seen, kinds_declared, "every fact type is drawn");
    assert_eq!(years, BTreeSet::from([2025, 2026]));
    assert!(with_gaps > 300 && with_gaps < 2700, "{with_gaps} with gaps");
    // Mostly eligible, with every outcome represented.
    let eligible = statuses["Eligible"];
    assert!(eligible > 1200, "{statuses:?}");
    assert!(statuses["Ineligible"] > 150, "{statuses:?}");
    assert!(statuses["NeedsFacts"] > 150, "{statuses:?}");
}

/// The shipped rules with one text replaced in one matter file.
fn changed_rules(folder: &str, from: &str, to: &str) -> RuleSet {
    let mut files = builtin::read_rules(&rules_dir()).unwrap();
    let file = files
        .iter_mut()
        .find(|f| f.key == format!("{folder}/base.toml"))
        .unwrap();
    assert!(file.text.contains(from));
    file.text = file.text.replacen(from, to, 1);
    banshi_loader::compile(&files).unwrap_or_else(|p| panic!("{p:?}"))
}

fn lines(apps: &[Application]) -> String {
    apps.iter()
        .map(|a| a.to_json_line() + "\n")
        .collect::<String>()
}

#[test]
fn tightening_the_age_condition_moves_exactly_the_band() {
    let loaded = read_rules(Some(&rules_dir()), &banshi_core::Trust::default()).unwrap();
    let old = &loaded.rules;
    let new = changed_rules(
        "individual-business-registration",
        "age(经营者出生日期) >= 18 or",
        "age(经营者出生日期) >= 20 or",
    );
    let generator = Generator::new(&loaded.source, old);
    let apps: Vec<Application> = (0..6000)
        .map(|i| generator.application_for(BUSINESS, 7, i).unwrap())
        .collect();
    let report = analyse(old, &new, &lines(&apps), Options::default());

    // Who the change should touch, worked out from the facts alone.
    let mut to_ineligible: BTreeMap<String, u64> = BTreeMap::new();
    let mut newly_failing = 0;
    let mut changed = 0;
    let mut in_band = 0;
    for app in &apps {
        let Some(birth) = app.facts.get("经营者出生日期").and_then(Value::as_str) else {
            continue;
        };
        let birth = banshi_core::facts::parse_date(birth).unwrap();
        let age = banshi_core::expr::months_between(birth, app.on) / 12;
        if !(18..20).contains(&age) {
            continue;
        }
        in_band += 1;
        let income = app.facts.get("经营者以自己的劳动收入为主要生活来源");
        let incapable = app.facts.get("经营者被认定为无或限制民事行为能力人");
        if income == Some(&Value::Bool(true)) || incapable == Some(&Value::Bool(true)) {
            continue;
        }
        let before = old.decide(BUSINESS, &app.facts, app.on).unwrap().status;
        if income.is_none() && before == Status::Ineligible {
            // Own income unanswered: `capacity` turns unknown, which an application already
            // ineligible for another reason does not show (it asks nothing).
            continue;
        }
        changed += 1;
        if income == Some(&Value::Bool(false)) {
            newly_failing += 1;
            if before != Status::Ineligible {
                let key = format!(
                    "{}→ineligible",
                    serde_json::to_value(before).unwrap().as_str().unwrap()
                );
                *to_ineligible.entry(key).or_default() += 1;
            }
        }
    }
    assert!(
        in_band >= 100 && newly_failing >= 8,
        "{in_band} in the band, {newly_failing} failing"
    );

    let impact = &report.matters[BUSINESS];
    assert_eq!(report.applications, 6000);
    assert_eq!(
        report.changed, changed,
        "only applicants aged 18 or 19 change"
    );
    assert_eq!(impact.changed, changed);
    assert_eq!(
        impact.failed_conditions["capacity"].added, newly_failing,
        "exactly the band without own income newly fails `capacity`"
    );
    assert_eq!(impact.failed_conditions["capacity"].removed, 0);
    assert_eq!(impact.failed_conditions.len(), 1);
    let into_ineligible: BTreeMap<String, u64> = impact
        .status
        .iter()
        .filter(|(k, _)| k.ends_with("→ineligible"))
        .map(|(k, v)| (k.clone(), *v))
        .collect();
    assert_eq!(into_ineligible, to_ineligible);
    // Nothing becomes eligible, and the only other moves are to needs_facts (own income not
    // yet answered, now asked).
    assert!(
        impact
            .status
            .keys()
            .all(|k| k.ends_with("→ineligible") || k.ends_with("→needs_facts")),
        "{:?}",
        impact.status
    );
    // Every example is an applicant in the band.
    for list in impact.examples.values() {
        assert!(!list.is_empty() && list.len() <= 3);
        for example in list {
            let app = &apps[usize::try_from(example.line).unwrap() - 1];
            assert_eq!(Value::Object(app.facts.clone()), example.facts);
        }
    }
}

/// Facts are read as text and parsed only for examples; lines whose facts are not an object are
/// still malformed, with the parser's words, and absent facts are no facts.
#[test]
fn facts_that_are_not_an_object_make_a_malformed_line() {
    let loaded = read_rules(Some(&rules_dir()), &banshi_core::Trust::default()).unwrap();
    let code = "11610100000000000X4000131024000";
    let line = |facts: &str| format!("{{\"matter\":\"{code}\",\"on\":\"2026-03-02\"{facts}}}\n");
    let text = [
        line(",\"facts\":null"),
        line(",\"facts\":[]"),
        line(""),
        line(",\"facts\":  {}"),
        line(",\"facts\":{\"申请人主体资格\":\"已取得营业执照\"}"),
    ]
    .concat();
    let report = analyse(&loaded.rules, &loaded.rules, &text, Options::default());
    assert_eq!(report.applications, 5);
    assert_eq!(report.malformed, 2);
    let malformed: Vec<(u64, &str)> = report
        .malformed_examples
        .iter()
        .map(|m| (m.line, m.message.as_str()))
        .collect();
    assert_eq!(malformed.len(), 2);
    for (at, (line, message)) in malformed.into_iter().enumerate() {
        assert_eq!(line, at as u64 + 1);
        assert!(message.contains("expected a map"), "{message}");
    }
    let food = &report.matters[code];
    assert_eq!(food.applications, 3);
    assert_eq!(food.before["needs_facts"], 3);
}

#[test]
fn identical_rules_change_nothing_and_threads_do_not_matter() {
    let loaded = read_rules(Some(&rules_dir()), &banshi_core::Trust::default()).unwrap();
    let generator = Generator::new(&loaded.source, &loaded.rules);
    let apps: Vec<Application> = (0..2000)
        .map(|i| generator.application(9, i).unwrap())
        .collect();
    let mut text = lines(&apps);
    text.push_str("not json\n{\"matter\":\"X\",\"on\":\"2026-13-01\",\"facts\":{}}\n");
    let same = analyse(&loaded.rules, &loaded.rules, &text, Options::default());
    assert_eq!(same.applications, 2002);
    assert_eq!(same.changed, 0);
    assert_eq!(same.malformed, 2);
    assert_eq!(same.malformed_examples[0].line, 2001);

    // A promised limit two working days shorter moves due dates earlier, and nothing else.
    let new = changed_rules(
        "food-business-licence",
        "promised_limit = { working_days = 10 }",
        "promised_limit = { working_days = 8 }",
    );
    let one_thread = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap()
        .install(|| analyse(&loaded.rules, &new, &text, Options::default()));
    let two_threads = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap()
        .install(|| analyse(&loaded.rules, &new, &text, Options::default()));
    assert_eq!(
        serde_json::to_string(&one_thread).unwrap(),
        serde_json::to_string(&two_threads).unwrap()
    );
    let food = &one_thread.matters["11610100000000000X4000131024000"];
    assert!(food.changed > 0);
    // Due dates move earlier, or (late in 2026) come back inside the calendar's years; the
    // deadline's error text is all that changes where both fall outside it.
    assert_eq!(
        food.promised_due.earlier + food.promised_due.appeared_or_vanished + food.other,
        food.changed
    );
    assert!(food.promised_due.earlier > food.changed * 9 / 10);
    assert_eq!(food.promised_due.later, 0);
    assert!(food.promised_due.max_days.unwrap() <= -2);
    assert!(food.status.is_empty() && food.materials.is_empty());
    assert_eq!(one_thread.changed, food.changed);
}

#[test]
fn large_rule_sets_compile() {
    let loaded = read_rules(Some(&rules_dir()), &banshi_core::Trust::default()).unwrap();
    let large = large_rule_set(&loaded.source, 60, 1);
    let rules = RuleSet::compile(&large).unwrap_or_else(|e| panic!("{:?}", &e[..1]));
    let mut codes: Vec<String> = rules
        .matters()
        .unwrap()
        .into_iter()
        .map(|m| m.code.to_string())
        .collect();
    codes.dedup();
    assert_eq!(codes.len(), 60);
    // Generated matters decide like the others.
    let generator = Generator::new(&large, &rules);
    for i in 0..300 {
        let app = generator.application(3, i).unwrap();
        rules.decide(&app.matter, &app.facts, app.on).unwrap();
    }
}

fn banshi(args: &[&str]) -> std::process::Output {
    let output = Command::new(env!("CARGO_BIN_EXE_banshi"))
        .args(args)
        .current_dir(rules_dir().join(".."))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "banshi {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

#[test]
fn the_commands_run_end_to_end() {
    let cases = temp("cases.jsonl");
    let old = temp("old.json");
    let large = temp("large.json");
    let cases_s = cases.to_str().unwrap();
    banshi(&[
        "generate", "cases", "--rules", "rules", "--count", "500", "--seed", "5", "-o", cases_s,
    ]);
    let text = std::fs::read_to_string(&cases).unwrap();
    assert_eq!(text.lines().count(), 500);
    let first: Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    assert!(first["matter"].is_string() && first["on"].is_string() && first["facts"].is_object());

    banshi(&[
        "bundle",
        "rules",
        "-o",
        old.to_str().unwrap(),
        "--sign",
        "tests/keys/test-signing.key",
    ]);
    let output = banshi(&[
        "impact",
        "--trust",
        "tests/keys/test-signing.pub",
        "--old",
        old.to_str().unwrap(),
        "--new",
        "rules",
        "--cases",
        cases_s,
        "--json",
    ]);
    let report: Report = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report.applications, 500);
    assert_eq!(report.changed, 0);
    assert_eq!(report.old, report.new);
    assert_eq!(
        report.matters.values().map(|m| m.applications).sum::<u64>(),
        500
    );
    // Not a terminal: no progress bar, only the timing line.
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.starts_with("impact: 500 applications"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1);
    let text = banshi(&[
        "impact", "--old", "rules", "--new", "rules", "--cases", cases_s,
    ]);
    assert!(
        String::from_utf8_lossy(&text.stdout).starts_with("500 applications, 0 decisions change")
    );

    banshi(&[
        "generate",
        "bundle",
        "--rules",
        "rules",
        "--matters",
        "40",
        "-o",
        large.to_str().unwrap(),
    ]);
    // One line per version: a matter copied with its two versions lists twice, under one code.
    // Unsigned: it loads in development mode.
    let listing = banshi(&["matters", "--dev", "--bundle", large.to_str().unwrap()]);
    let codes: std::collections::BTreeSet<String> = String::from_utf8_lossy(&listing.stdout)
        .lines()
        .map(|line| line.split('\t').next().unwrap_or_default().to_string())
        .collect();
    assert_eq!(codes.len(), 40);
    let _ = std::fs::remove_dir_all(cases.parent().unwrap());
}
