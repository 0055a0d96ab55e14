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
use banshi_core::source::MatterSource;
use banshi_core::{RuleSet, RuleSetSource, SourceFile};
use criterion::Criterion;
use serde_json::{Value, json};

/// A matter with one fact, `年龄`, `extra` merged in.
fn source(extra: Value) -> RuleSetSource {
    let mut base = json!({
        "matter": {"basic_code": "1", "implementation_code": "A1", "name": "示例事项",
            "type": "公共服务", "agency": "示例局", "levels": ["市级"], "basis": ["b1"],
            "statutory_limit": {"working_days": 20}, "promised_limit": {"working_days": 5},
            "handling": "承诺件", "service_objects": ["自然人"], "visits": 0,
            "modes": ["网上办理"]},
        "version": {"id": "1", "effective": "2026-01-01"},
        "basis": [{"id": "b1", "document": "示例条例", "article": "第一条"}],
        "facts": [{"name": "年龄", "type": "integer", "question": "年龄？"},
                  {"name": "收入", "type": "decimal", "question": "收入？"}],
        "conditions": [{"id": "adult", "require": "年龄 >= 18", "message": "须年满18周岁",
            "basis": ["b1"]}]
    });
    let (Value::Object(map), Value::Object(extra)) = (&mut base, extra) else {
        panic!("objects")
    };
    map.extend(extra);
    let matter: MatterSource = serde_json::from_value(base).unwrap();
    let calendar = serde_json::from_value(json!({"year": 2026,
        "notice": {"title": "国务院办公厅关于2026年部分节假日安排的通知",
            "number": "国办发明电〔2025〕7号", "published": "2025-11-04"},
        "holidays": []}))
    .unwrap();
    RuleSetSource {
        licences: SourceFile::new("licences.toml", Default::default()),
        matters: vec![SourceFile::new("a1/matter.toml", matter)],
        calendar: vec![SourceFile::new("calendar/2026.toml", calendar)],
    }
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
