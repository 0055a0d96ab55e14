//! The ffi envelopes give the bytes of the plain paths: a decision's envelope holds the decision's
//! own JSON with its receipt, the receipt is hashed without cloning the decision, the canonical
//! facts are written without building JSON values, and the eligibility envelope copies texts
//! written once per matter. Applications come from the seeded generator of `banshi generate`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::Path;

use banshi_cli::generate::{Generator, read_rules};
use banshi_core::decision::Receipt;
use banshi_core::facts::{FactValue, parse_date};
use banshi_core::ffi::Engine;
use banshi_core::matter::Matter;
use serde_json::{Map, Value};

/// The canonical facts as first written: through `serde_json::Value`.
fn canonical_by_values(matter: &Matter, values: &[Option<FactValue>]) -> String {
    let mut pairs = Vec::new();
    for (def, value) in matter.facts().iter().zip(values) {
        let Some(value) = value else { continue };
        let option = |i: &u16| Value::String(def.options[usize::from(*i)].clone());
        let json = match value {
            FactValue::Bool(b) => Value::Bool(*b),
            FactValue::Number(n) => Value::String(n.normalize().to_string()),
            FactValue::Text(t) => Value::String(t.clone()),
            FactValue::Date(d) => Value::String(d.to_string()),
            FactValue::Enum(i) => option(i),
            FactValue::List(items) => Value::Array(items.iter().map(option).collect()),
            FactValue::Procedures(pauses) => Value::Array(
                pauses
                    .iter()
                    .map(|p| {
                        Value::Array(vec![
                            option(&p.procedure),
                            Value::String(p.from.to_string()),
                            Value::String(p.to.to_string()),
                        ])
                    })
                    .collect(),
            ),
        };
        pairs.push(Value::Array(vec![Value::String(def.name.clone()), json]));
    }
    Value::Array(pairs).to_string()
}

#[test]
fn envelopes_give_the_bytes_of_the_plain_paths() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../rules");
    let loaded = read_rules(Some(&dir), &banshi_core::Trust::default()).unwrap();
    let rules = &loaded.rules;
    let engine = Engine::from_rules(rules.clone());
    let generator = Generator::new(&loaded.source, rules);
    let mut checked = 0;
    for i in 0..1500 {
        let app = generator.application(21, i).unwrap();
        let facts: Map<String, Value> = app.facts.clone();
        let Ok(decision) = rules.decide(&app.matter, &facts, app.on) else {
            continue;
        };
        let envelope = engine.decide(
            &app.matter,
            &Value::Object(facts.clone()).to_string(),
            &app.on.to_string(),
        );
        assert_eq!(
            envelope,
            format!(
                "{{\"ok\":true,\"decision\":{}}}",
                decision.to_json().unwrap()
            )
        );

        // The eligibility envelope, written by hand, against serde's form of it.
        let text = Value::Object(facts.clone()).to_string();
        let eligibility = rules.eligibility_json(&app.matter, &text, app.on).unwrap();
        let mut expected = serde_json::to_value(&eligibility).unwrap();
        expected
            .as_object_mut()
            .unwrap()
            .insert("ok".into(), Value::Bool(true));
        let written = engine.eligibility(&app.matter, &text, &app.on.to_string());
        assert!(written.starts_with(r#"{"ok":true,"status":"#), "{written}");
        assert_eq!(serde_json::from_str::<Value>(&written).unwrap(), expected);
        let serde_order = serde_json::to_string(&eligibility).unwrap();
        assert_eq!(written, format!("{{\"ok\":true,{}", &serde_order[1..]));

        let matter = rules.matter(&app.matter, app.on).unwrap();
        let values = matter.check_facts(&facts).unwrap();
        let canonical = matter.canonical_facts(&values).unwrap();
        assert_eq!(canonical, canonical_by_values(matter, &values));
        let receipt = decision.receipt.clone().unwrap();
        assert_eq!(
            Receipt::new(rules.hash(), rules.receipt_key(), &canonical, &decision).unwrap(),
            receipt
        );
        let mut bare = decision.clone();
        bare.receipt = None;
        assert_eq!(
            Receipt::new(rules.hash(), rules.receipt_key(), &canonical, &bare).unwrap(),
            receipt
        );
        checked += 1;
    }
    assert!(checked > 1000);
    // A clock stop and odd text survive the canonical form too.
    let on = parse_date("2026-03-02").unwrap();
    let food = "11610100000000000X4000131024000";
    let matter = rules.matter(food, on).unwrap();
    let mut facts = Map::new();
    facts.insert(
        "特别程序".into(),
        serde_json::json!([{"procedure": "听证", "from": "2026-03-05", "to": "2026-03-20"}]),
    );
    let values = matter.check_facts(&facts).unwrap();
    assert_eq!(
        matter.canonical_facts(&values).unwrap(),
        canonical_by_values(matter, &values)
    );
}
