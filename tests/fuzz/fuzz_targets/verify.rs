//! A decision record `{"matter","on","facts","receipt"}`, as `banshi verify` reads it →
//! `ffi::Engine::verify` over the shipped rules. The answer must be an envelope; when it
//! verifies at all, the receipt it computed must verify again (deciding is deterministic).

#![no_main]

use banshi_fuzz::{engine, envelope_errors};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fn text(value: Option<&Value>) -> String {
    match value {
        Some(Value::String(s)) => s.clone(),
        Some(v) => v.to_string(),
        None => String::new(),
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(record) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    let matter = text(record.get("matter"));
    let on = text(record.get("on"));
    // Facts and receipts as a channel sends them: JSON text (a string is taken as the text).
    let facts = text(record.get("facts"));
    let receipt = match record.get("receipt") {
        Some(Value::String(s)) => s.clone(),
        Some(v) => v.to_string(),
        None => "null".into(),
    };
    let engine = engine();
    let answer = engine.verify(&matter, &facts, &on, &receipt);
    if envelope_errors(&answer).is_some() {
        return;
    }
    let value: Value = serde_json::from_str(&answer).expect("JSON");
    let ours = value.get("receipt").expect("a receipt").to_string();
    let again = engine.verify(&matter, &facts, &on, &ours);
    assert!(
        again.contains("\"valid\":true"),
        "a receipt does not verify against itself: {again}"
    );
});
