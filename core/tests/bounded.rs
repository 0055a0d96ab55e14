//! Hostile rule files and facts: every step is bounded and every overflow is a typed error, never
//! a panic, a trap or a hang. Each test here was a panic or a hang before its fix.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use banshi_core::{DecideError, RuleSet, Status};
use serde_json::{Value, json};

fn compile(extra: Value) -> Result<RuleSet, Vec<banshi_core::RuleError>> {
    common::compile(extra)
}

fn on() -> chrono::NaiveDate {
    banshi_core::facts::parse_date("2026-03-02").unwrap()
}

/// Fee items, each a valid amount, whose sum is beyond the decimal range: the decision
/// reports an overflow in `fees` (the sum panicked in `Fees::evaluate`, natively and as a trap
/// in WebAssembly).
#[test]
fn fee_total_beyond_the_decimal_range_is_an_overflow() {
    let fees = |count: usize, price: &str| {
        let items: Vec<Value> = (0..count)
            .map(|i| {
                json!({"id": format!("f{i}"), "name": format!("费{i}"), "basis": ["b1"],
                "price": price})
            })
            .collect();
        compile(json!({"fees": {"basis": ["b1"], "items": items}})).unwrap()
    };
    let overflow = Err(DecideError::Overflow {
        place: "fees".into(),
    });
    // As many items as a matter may have, of 6 × 10^26 yuan each: 6 × 10^28, within
    // Decimal::MAX (about 7.9 × 10^28) but too large to carry cents. (Past the limit, 150 such
    // items summed beyond Decimal::MAX and panicked.)
    let rules = fees(
        banshi_core::limits::MAX_FEE_ENTRIES,
        "600000000000000000000000000",
    );
    assert_eq!(rules.decide_json("A1", r#"{"年龄": 30}"#, on()), overflow);
    // Two items of 5 × 10^26: a sum in range that cannot carry its cents.
    let rules = fees(2, "500000000000000000000000000");
    assert_eq!(rules.decide_json("A1", r#"{"年龄": 30}"#, on()), overflow);
    // One item so large that it cannot carry its cents.
    let rules = fees(1, "79228162514264337593543950335");
    assert_eq!(rules.decide_json("A1", r#"{"年龄": 30}"#, on()), overflow);
    // One item of 5 × 10^26 alone is charged, to the cent.
    let decision = fees(1, "500000000000000000000000000")
        .decide_json("A1", r#"{"年龄": 30}"#, on())
        .unwrap();
    let total = decision.fees.unwrap().total.unwrap();
    assert_eq!(total.to_string(), "500000000000000000000000000.00");
}

/// 41 situations, each reading the one before it twice: asking what is missing followed every
/// reading, 2^40 steps for an empty interview.
#[test]
fn situations_read_many_times_over_are_followed_once() {
    let mut situations = vec![json!({"name": "情形0", "when": "年龄 >= 18"})];
    for i in 1..=40 {
        situations.push(json!({"name": format!("情形{i}"),
            "when": format!("情形{0} or 情形{0}", i - 1)}));
    }
    let rules = compile(json!({
        "situations": situations,
        "conditions": [{"id": "deep", "require": "情形40", "message": "须满足", "basis": ["b1"]}]
    }))
    .unwrap();
    let decision = rules.decide_json("A1", "{}", on()).unwrap();
    assert_eq!(decision.status, Status::NeedsFacts);
    assert_eq!(decision.questions.len(), 1);
    assert_eq!(decision.questions[0].fact, "年龄");
    let decision = rules.decide_json("A1", r#"{"年龄": 17}"#, on()).unwrap();
    assert_eq!(decision.status, Status::Ineligible);
}

/// Materials with distinct names up to the limit: each name was compared with every earlier one
/// (13.5 s for 30,000; 100,000 never finished), now they are indexed. The last one repeats the
/// first one's name and is still found.
#[test]
fn duplicate_names_are_found_without_comparing_every_pair() {
    let limit = banshi_core::limits::MAX_ENTRIES;
    let mut materials: Vec<Value> = (0..limit - 1)
        .map(|i| {
            json!({"id": format!("m{i}"), "name": format!("材料{i}"), "form": "原件",
                "medium": "纸质", "copies": 1, "basis": ["b1"]})
        })
        .collect();
    materials.push(
        json!({"id": "last", "name": "材料0", "form": "原件", "medium": "纸质",
        "copies": 1, "basis": ["b1"]}),
    );
    let errors = compile(json!({ "materials": materials })).unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(
        errors[0].path.to_string(),
        format!("materials[{}].name", limit - 1)
    );
    assert_eq!(
        errors[0].kind.to_string(),
        "duplicate material name `材料0`"
    );
}

/// Past a limit a file is refused with a typed error at the list or text, before anything in
/// it is compiled.
#[test]
fn lists_and_texts_past_the_limits_are_refused() {
    let limit = banshi_core::limits::MAX_ENTRIES;
    let conditions: Vec<Value> = (0..=limit)
        .map(|i| {
            json!({"id": format!("c{i}"), "require": "年龄 >= 18", "message": "须年满18周岁",
            "basis": ["b1"]})
        })
        .collect();
    let errors = compile(json!({ "conditions": conditions })).unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].path.to_string(), "conditions");
    assert_eq!(
        errors[0].kind.to_string(),
        format!(
            "too many entries: {}, more than the {limit} accepted",
            limit + 1
        )
    );

    let long = "长".repeat(banshi_core::limits::MAX_TEXT_BYTES);
    let errors = compile(
        json!({"conditions": [{"id": "adult", "require": "年龄 >= 18",
        "message": long, "basis": ["b1"]}]}),
    )
    .unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].path.to_string(), "conditions[0].message");
    assert_eq!(
        errors[0].kind.to_string(),
        format!(
            "too long: {} bytes, more than the {} accepted",
            3 * banshi_core::limits::MAX_TEXT_BYTES,
            banshi_core::limits::MAX_TEXT_BYTES
        )
    );

    let options: Vec<String> = (0..=limit).map(|i| format!("选项{i}")).collect();
    let errors = compile(json!({"facts": [
        {"name": "年龄", "type": "integer", "question": "年龄？"},
        {"name": "类型", "type": "enum", "question": "类型？", "options": options}
    ]}))
    .unwrap_err();
    assert_eq!(errors[0].path.to_string(), "facts[1].options");
}
