//! Errors name the fact and the rule broken, never the applicant's value: a kiosk shows them,
//! servers log them (陕政办发〔2023〕1号 任务30: "做好信息脱敏处理").

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use banshi_core::ffi::Engine;
use banshi_core::{DecideError, RuleSet};
use serde_json::json;

fn rules() -> RuleSet {
    common::compile(json!({
        "facts": [
            {"name": "身份证号", "type": "text", "format": "居民身份证号", "question": "身份证号？"},
            {"name": "信用代码", "type": "text", "format": "统一社会信用代码", "question": "代码？"},
            {"name": "申请人类型", "type": "enum", "options": ["个人", "企业"], "question": "类型？"},
            {"name": "年龄", "type": "integer", "min": 0, "max": 150, "question": "年龄？"},
            {"name": "出生日期", "type": "date", "question": "出生日期？"},
            {"name": "收入", "type": "decimal", "question": "收入？"},
            {"name": "类别", "type": "enum_list", "options": ["甲", "乙"], "question": "类别？"}
        ],
        "special_procedures": [{"procedure": "听证", "basis": ["b1"]}]
    }))
    .unwrap()
}

/// Each invalid value, the fact it is given for, and the secret text it must not leak.
const INVALID: [(&str, &str, &str); 9] = [
    ("身份证号", r#""110105194912310029""#, "110105194912310029"),
    ("信用代码", r#""91350100M000100Y44""#, "91350100M000100Y44"),
    ("申请人类型", r#""张三丰""#, "张三丰"),
    ("年龄", "987654", "987654"),
    ("年龄", "17.25", "17.25"),
    ("出生日期", r#""1949-02-30""#, "1949-02-30"),
    ("收入", r#""12345.678.9""#, "12345.678.9"),
    ("类别", r#"["李四光"]"#, "李四光"),
    (
        "特别程序",
        r#"[{"procedure": "听证", "from": "2026-04-09", "to": "2026-04-08"}]"#,
        "2026-04-0",
    ),
];

#[test]
fn errors_do_not_echo_the_applicants_values() {
    let rules = rules();
    let on = banshi_core::facts::parse_date("2026-03-02").unwrap();
    let engine = Engine::from_rules(rules.clone());
    for (fact, value, secret) in INVALID {
        let facts = format!("{{\"{fact}\": {value}}}");
        let Err(DecideError::Facts { errors }) = rules.decide_json("A1", &facts, on) else {
            panic!("{fact} = {value} was accepted");
        };
        for error in &errors {
            assert!(error.path.starts_with(fact), "{error:?}");
            let shown = format!("{error} {:?}", error);
            assert!(!shown.contains(secret), "{fact}: {shown}");
        }
        let envelope = engine.decide("A1", &facts, "2026-03-02");
        assert!(envelope.starts_with(r#"{"ok":false"#), "{envelope}");
        assert!(!envelope.contains(secret), "{fact}: {envelope}");
    }
}

/// What the errors say instead: the fact, and the rule its value breaks.
#[test]
fn errors_say_which_rule_the_value_breaks() {
    let rules = rules();
    let on = banshi_core::facts::parse_date("2026-03-02").unwrap();
    let messages: Vec<String> = INVALID
        .iter()
        .map(|(fact, value, _)| {
            let facts = format!("{{\"{fact}\": {value}}}");
            rules.decide_json("A1", &facts, on).unwrap_err().to_string()
        })
        .collect();
    assert_eq!(
        messages,
        [
            "1 invalid fact(s): fact `身份证号`: not a valid 居民身份证号",
            "1 invalid fact(s): fact `信用代码`: not a valid 统一社会信用代码",
            "1 invalid fact(s): fact `申请人类型`: not one of the options: 个人、企业",
            "1 invalid fact(s): fact `年龄`: outside 0..=150",
            "1 invalid fact(s): fact `年龄`: not a whole number",
            "1 invalid fact(s): fact `出生日期`: not a real date in YYYY-MM-DD form",
            "1 invalid fact(s): fact `收入`: not a number the engine can hold exactly",
            "1 invalid fact(s): fact `类别[0]`: not one of the options: 甲、乙",
            "1 invalid fact(s): fact `特别程序[0].to`: the procedure ends before it starts",
        ]
    );
}
