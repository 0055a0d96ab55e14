//! The worst inputs of each kind the limits allow (core/src/limits.rs), compiled and decided:
//! each must finish within 100 ms per matter (tests/bench/README.md, "Worst inputs").
//!
//! `cargo bench -p banshi-core --bench worst`; `cargo test` runs each once.

#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::hint::black_box;

use banshi_core::limits::{
    MAX_CONDITION_BYTES, MAX_ENTRIES, MAX_FEE_ENTRIES, MAX_MATTER_CONDITION_BYTES,
};
use banshi_core::{RuleSet, RuleSetSource};
use criterion::Criterion;
use serde_json::{Value, json};

#[path = "../tests/common/mod.rs"]
mod common;

/// The tests' small matter with a second fact, `收入`, and the sections in `extra`.
fn source(extra: Value) -> RuleSetSource {
    let mut extra = extra;
    if let Value::Object(map) = &mut extra {
        map.entry("facts").or_insert(json!([
            {"name": "年龄", "type": "integer", "question": "年龄？"},
            {"name": "收入", "type": "decimal", "question": "收入？"}
        ]));
    }
    common::source(extra)
}

/// A condition as deep and as long as the limits allow, open while `年龄` is unanswered.
fn deepest(seed: usize) -> String {
    let mut text = format!("年龄 >= {}", seed % 90);
    for level in 0.. {
        let deeper = format!("({text} and 收入 > {level})");
        if banshi_core::expr::parse(&deeper).is_err() {
            break;
        }
        text = deeper;
    }
    loop {
        let longer = format!("{text} or 收入 < -{}", text.len());
        if longer.len() > MAX_CONDITION_BYTES || banshi_core::expr::parse(&longer).is_err() {
            return text;
        }
        text = longer;
    }
}

/// Each kind of worst input: its name, its sources, and facts that leave it open.
fn worst() -> Vec<(&'static str, RuleSetSource)> {
    let situations: Vec<Value> = (0..MAX_ENTRIES)
        .map(|i| match i {
            0 => json!({"name": "情形0", "when": "年龄 >= 18"}),
            _ => json!({"name": format!("情形{i}"), "when": format!("情形{0} or 情形{0}", i - 1)}),
        })
        .collect();
    // As many of the deepest, longest conditions as a matter's conditions may hold together.
    let fitting = MAX_MATTER_CONDITION_BYTES / deepest(0).len() - 1;
    let conditions: Vec<Value> = (0..fitting)
        .map(|i| {
            json!({"id": format!("c{i}"), "require": deepest(i), "message": "须满足",
            "basis": ["b1"]})
        })
        .collect();
    let short: Vec<Value> = (0..MAX_ENTRIES)
        .map(|i| {
            json!({"id": format!("c{i}"), "require": format!("年龄 >= {} and 收入 > {i}", i % 90),
            "message": "须满足", "basis": ["b1"]})
        })
        .collect();
    let materials: Vec<Value> = (0..MAX_ENTRIES)
        .map(|i| {
            json!({"id": format!("m{i}"), "name": format!("材料{i}"), "form": "原件",
            "medium": "纸质", "copies": 1, "basis": ["b1"],
            "when": format!("年龄 >= {} and 收入 > {i}", i % 90)})
        })
        .collect();
    let items: Vec<Value> = (0..MAX_FEE_ENTRIES)
        .map(|i| {
            json!({"id": format!("f{i}"), "name": format!("费{i}"), "basis": ["b1"],
            "price": "12.345", "quantity": "收入"})
        })
        .collect();
    let waivers: Vec<Value> = (0..MAX_FEE_ENTRIES)
        .map(|i| {
            json!({"id": format!("w{i}"), "name": format!("减{i}"), "basis": ["b1"],
            "when": format!("年龄 >= {} and 收入 > {i}", i % 90), "reduction": "50%",
            "items": (0..MAX_FEE_ENTRIES).map(|j| format!("f{j}")).collect::<Vec<_>>()})
        })
        .collect();
    vec![
        (
            "situations read many times over",
            source(
                json!({"situations": situations, "conditions": [{"id": "deep",
                "require": format!("情形{}", MAX_ENTRIES - 1), "message": "须满足",
                "basis": ["b1"]}]}),
            ),
        ),
        (
            "deepest conditions",
            source(json!({ "conditions": conditions })),
        ),
        ("most conditions", source(json!({ "conditions": short }))),
        ("materials", source(json!({ "materials": materials }))),
        (
            "fee items and waivers",
            source(json!({"fees": {"basis": ["b1"], "items": items, "waivers": waivers}})),
        ),
    ]
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    let on = banshi_core::facts::parse_date("2026-03-02").unwrap();
    for (name, src) in worst() {
        let mut group = c.benchmark_group(name);
        group.sample_size(10);
        group.bench_function("compile", |b| {
            b.iter(|| RuleSet::compile(black_box(&src)).unwrap())
        });
        let rules = RuleSet::compile(&src).unwrap();
        for facts in ["{}", r#"{"收入": 7}"#, r#"{"年龄": 30, "收入": 7}"#] {
            group.bench_function(format!("decide {facts}"), |b| {
                b.iter(|| rules.decide_json("A1", black_box(facts), on).unwrap())
            });
        }
        group.finish();
    }
    c.final_summary();
}
