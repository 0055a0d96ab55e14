//! Due dates on the shipped 2025–2026 calendar, each counted by hand from the State Council's
//! notices (2026: 春节 02-15..02-23 off, 02-14 and 02-28 worked; 清明 04-04..04-06; 中秋 09-25..09-27;
//! 国庆 10-01..10-07 off, 09-20 and 10-10 worked).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use banshi_core::facts::parse_date;
use banshi_core::{DecideError, Decision, RuleSet};
use banshi_loader::TextFile;
use serde_json::{Value, json};

/// A matter with the given limits; everything else minimal.
fn rules(limits: &str) -> RuleSet {
    let matter = format!(
        r#"
[matter]
basic_code = "000000000001"
implementation_code = "DEADLINE-TEST"
name = "时限测试事项"
type = "行政许可"
agency = "测试局"
levels = ["市级"]
basis = ["law-42"]
service_objects = ["自然人"]
visits = 1
modes = ["窗口办理"]
{limits}

[version]
id = "t"
effective = "2025-01-01"

[[basis]]
id = "law-42"
document = "中华人民共和国行政许可法"
article = "第四十二条"

[[basis]]
id = "law-45"
document = "中华人民共和国行政许可法"
article = "第四十五条"

[[special_procedures]]
procedure = "现场勘验"
basis = ["law-45"]
limit = {{ working_days = 2 }}

[[special_procedures]]
procedure = "专家评审"
basis = ["law-45"]
"#
    );
    let mut files = vec![TextFile {
        name: "deadline-test/matter.toml".into(),
        key: "deadline-test/matter.toml".into(),
        text: matter,
    }];
    files.extend(
        common::rule_files()
            .into_iter()
            .filter(|f| f.name.ends_with("licences.toml") || f.name.contains("calendar/")),
    );
    banshi_loader::compile(&files).unwrap_or_else(|p| panic!("{p:?}"))
}

const PROMISE_20_10: &str = r#"
statutory_limit = { working_days = 20 }
promised_limit = { working_days = 10 }
handling = "承诺件"
[extension]
limit = { working_days = 10 }
approval = "经本行政机关负责人批准"
basis = ["law-42"]
"#;

fn decide(rules: &RuleSet, on: &str, facts: Value) -> Decision {
    rules
        .decide(
            "DEADLINE-TEST",
            facts.as_object().unwrap(),
            parse_date(on).unwrap(),
        )
        .unwrap_or_else(|e| panic!("{e}"))
}

fn due(d: &Decision) -> (String, String) {
    let s = |x: Option<chrono::NaiveDate>| x.map(|d| d.to_string()).unwrap_or_default();
    (
        s(d.deadline.as_ref().expect("a deadline").promised.due),
        s(d.deadline.as_ref().expect("a deadline").statutory.due),
    )
}

#[test]
fn across_spring_festival() {
    let rules = rules(PROMISE_20_10);
    let d = decide(&rules, "2026-02-13", json!({}));
    // 10 working days after Fri 02-13: Sat 02-14 (调休, 1), 02-24..02-27 (2–5), Sat 02-28 (调休, 6),
    // 03-02..03-05 (7–10). 20: 03-06 (11), 03-09..03-13 (16), 03-16..03-19 (20).
    // Extension +10: 03-20 (21), 03-23..03-27 (26), 03-30..04-02 (30).
    assert_eq!(due(&d), ("2026-03-05".into(), "2026-03-19".into()));
    assert_eq!(
        d.deadline
            .as_ref()
            .unwrap()
            .extension
            .as_ref()
            .unwrap()
            .due
            .unwrap()
            .to_string(),
        "2026-04-02"
    );
    assert_eq!(
        d.deadline
            .as_ref()
            .expect("a deadline")
            .accepted_on_working_day,
        Some(true)
    );
    assert_eq!(
        d.deadline
            .as_ref()
            .expect("a deadline")
            .counting_from
            .unwrap()
            .to_string(),
        "2026-02-14"
    );
    assert_eq!(
        d.deadline.as_ref().expect("a deadline").calendar,
        ["国办发明电〔2025〕7号"]
    );
}

#[test]
fn across_national_day_and_into_the_makeup_saturday() {
    let rules = rules(PROMISE_20_10);
    let d = decide(&rules, "2026-09-28", json!({}));
    // 09-29 (1), 09-30 (2), 10-08 (3), 10-09 (4), Sat 10-10 (5), 10-12..10-16 (6–10).
    // 20: 10-19..10-23 (15), 10-26..10-30 (20).
    assert_eq!(due(&d), ("2026-10-16".into(), "2026-10-30".into()));
}

#[test]
fn accepted_on_a_rest_day_counts_from_the_next_working_day() {
    let rules = rules(PROMISE_20_10);
    let d = decide(&rules, "2026-03-07", json!({}));
    assert_eq!(
        d.deadline
            .as_ref()
            .expect("a deadline")
            .accepted_on_working_day,
        Some(false)
    );
    assert_eq!(
        d.deadline
            .as_ref()
            .expect("a deadline")
            .counting_from
            .unwrap()
            .to_string(),
        "2026-03-09"
    );
    // Mon 03-09 is day 1: 03-09..03-13 (5), 03-16..03-20 (10).
    assert_eq!(due(&d).0, "2026-03-20");
    // During Spring Festival: Tue 02-17 is a holiday; 02-24 is day 1, and Sat 02-28 (调休) counts.
    let d = decide(&rules, "2026-02-17", json!({}));
    assert_eq!(
        d.deadline
            .as_ref()
            .expect("a deadline")
            .counting_from
            .unwrap()
            .to_string(),
        "2026-02-24"
    );
    // 02-24..02-27 (4), 02-28 (5), 03-02..03-06 (10).
    assert_eq!(due(&d).0, "2026-03-06");
}

#[test]
fn immediate_matters_are_due_the_day_they_are_accepted() {
    let rules = rules(
        r#"statutory_limit = { working_days = 1 }
promised_limit = { working_days = 0 }
handling = "即办件""#,
    );
    assert_eq!(
        due(&decide(&rules, "2026-03-09", json!({}))),
        ("2026-03-09".into(), "2026-03-10".into())
    );
    // Submitted online on Sunday 03-08: handled the next working day.
    assert_eq!(
        due(&decide(&rules, "2026-03-08", json!({}))),
        ("2026-03-09".into(), "2026-03-09".into())
    );
}

#[test]
fn natural_days_end_on_a_working_day() {
    let rules = rules(
        r#"statutory_limit = { days = 60 }
promised_limit = { days = 30 }
handling = "承诺件""#,
    );
    // 02-11 + 30 days = 03-13 (Fri); + 60 days = 04-12, a Sunday: the limit ends Mon 04-13
    // (民法典第二百零三条).
    assert_eq!(
        due(&decide(&rules, "2026-02-11", json!({}))),
        ("2026-03-13".into(), "2026-04-13".into())
    );
    // 2026-09-05 + 30 = 10-05, inside National Day: the limit ends Thu 10-08.
    assert_eq!(
        due(&decide(&rules, "2026-09-05", json!({}))).0,
        "2026-10-08"
    );
}

#[test]
fn pauses_add_back_the_working_days_they_took() {
    let rules = rules(PROMISE_20_10);
    // Without pauses, accepted Mon 03-02: 10 working days end Mon 03-16.
    assert_eq!(
        due(&decide(&rules, "2026-03-02", json!({}))).0,
        "2026-03-16"
    );
    // 现场勘验 Wed 03-04..Thu 03-05 (2 working days): due Wed 03-18.
    let d = decide(
        &rules,
        "2026-03-02",
        json!({"特别程序": [{"procedure": "现场勘验", "from": "2026-03-04", "to": "2026-03-05"}]}),
    );
    assert_eq!(due(&d).0, "2026-03-18");
    assert_eq!(
        d.deadline.as_ref().expect("a deadline").pauses[0].working_days,
        Some(2)
    );
    assert_eq!(d.deadline.as_ref().expect("a deadline").pauses[0].days, 2);
    assert!(!d.deadline.as_ref().expect("a deadline").pauses[0].over_limit);
    // Fri 03-06..Mon 03-09 spans a weekend: 2 working days, 4 days; due 03-18 again.
    let d = decide(
        &rules,
        "2026-03-02",
        json!({"特别程序": [{"procedure": "专家评审", "from": "2026-03-06", "to": "2026-03-09"}]}),
    );
    assert_eq!(due(&d).0, "2026-03-18");
    assert_eq!(
        (
            d.deadline.as_ref().expect("a deadline").pauses[0].working_days,
            d.deadline.as_ref().expect("a deadline").pauses[0].days
        ),
        (Some(2), 4)
    );
    // Overlapping 03-04..03-05 and 03-05..03-06: three working days in all, 03-05 counted once.
    let d = decide(
        &rules,
        "2026-03-02",
        json!({"特别程序": [
            {"procedure": "现场勘验", "from": "2026-03-04", "to": "2026-03-05"},
            {"procedure": "专家评审", "from": "2026-03-05", "to": "2026-03-06"}
        ]}),
    );
    assert_eq!(due(&d).0, "2026-03-19");
    let added: Vec<_> = d
        .deadline
        .as_ref()
        .expect("a deadline")
        .pauses
        .iter()
        .map(|p| p.working_days)
        .collect();
    assert_eq!(added, [Some(2), Some(1)]);
    // A 现场勘验 of three working days runs over its own two-day box.
    let d = decide(
        &rules,
        "2026-03-02",
        json!({"特别程序": [{"procedure": "现场勘验", "from": "2026-03-03", "to": "2026-03-05"}]}),
    );
    assert!(d.deadline.as_ref().expect("a deadline").pauses[0].over_limit);
    assert_eq!(due(&d).0, "2026-03-19");
    // A pause across Spring Festival consumes only its working days (02-13, 02-14 and 02-24).
    let d = decide(
        &rules,
        "2026-02-12",
        json!({"特别程序": [{"procedure": "专家评审", "from": "2026-02-13", "to": "2026-02-24"}]}),
    );
    assert_eq!(
        d.deadline.as_ref().expect("a deadline").pauses[0].working_days,
        Some(3)
    );
    // Counting resumes 02-25 (1): 02-25..02-27 (3), Sat 02-28 (调休, 4), 03-02..03-06 (9), 03-09 (10).
    assert_eq!(due(&d).0, "2026-03-09");
}

#[test]
fn bad_pauses_are_fact_errors() {
    let rules = rules(PROMISE_20_10);
    let on = parse_date("2026-03-02").unwrap();
    let cases = [
        (
            json!([{"procedure": "听证", "from": "2026-03-04", "to": "2026-03-05"}]),
            "特别程序[0].procedure",
        ),
        (
            json!([{"procedure": "现场勘验", "from": "2026-03-04", "to": "2026-03-03"}]),
            "特别程序[0].to",
        ),
        (
            json!([{"procedure": "现场勘验", "from": "2026-02-30", "to": "2026-03-03"}]),
            "特别程序[0].from",
        ),
        (
            json!([{"procedure": "现场勘验", "from": "2026-03-04"}]),
            "特别程序[0].to",
        ),
        (
            json!([{"procedure": "现场勘验", "from": "2026-03-01", "to": "2026-03-03"}]),
            "特别程序[0].from",
        ),
        (
            json!([{"procedure": "现场勘验", "from": "2026-03-04", "to": "2026-03-05", "by": "x"}]),
            "特别程序[0].by",
        ),
        (json!("现场勘验"), "特别程序"),
    ];
    for (pauses, path) in cases {
        let facts = json!({"特别程序": pauses});
        match rules.decide("DEADLINE-TEST", facts.as_object().unwrap(), on) {
            Err(DecideError::Facts { errors }) => assert_eq!(errors[0].path, path, "{pauses}"),
            other => panic!("{pauses}: accepted: {other:?}"),
        }
    }
}

#[test]
fn outside_the_calendar_is_an_error_naming_the_date_and_range() {
    let rules = rules(PROMISE_20_10);
    // 10 working days from 12-21 stay in 2026 (12-22..12-31 has 8 working days, so no: 2027).
    let d = decide(&rules, "2026-12-21", json!({}));
    let error = d
        .deadline
        .as_ref()
        .unwrap()
        .promised
        .error
        .as_ref()
        .expect("2027 is not covered");
    let text = serde_json::to_string(error).unwrap();
    assert_eq!(
        text,
        r#"{"kind":"out_of_range","date":"2027-01-01","first":"2025-01-01","last":"2026-12-31"}"#
    );
    assert!(
        d.deadline
            .as_ref()
            .expect("a deadline")
            .promised
            .due
            .is_none()
    );
    // The rest of the decision stands.
    assert_eq!(d.status, banshi_core::Status::Eligible);
    // Near the start of 2025 the due date is known.
    let d = decide(&rules, "2025-01-02", json!({}));
    assert!(
        d.deadline
            .as_ref()
            .expect("a deadline")
            .promised
            .error
            .is_none()
    );
}
