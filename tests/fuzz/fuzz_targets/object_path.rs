//! Differential: the npm package's object path against the JSON text path.
//!
//! The input (after the three bytes that choose the matter and the date) is JSON text. A web
//! team may pass it to `decideJson(text)` as is, or `JSON.parse` it and pass the object to
//! `decide(object)`; the package then sends `JSON.stringify(object)`, or writes the object in
//! the binary lane's encoding (`encodeFacts` in bindings/npm/src/engine.js). Emulated here
//! (`banshi_fuzz::js`), and held to one answer:
//!
//! 1. the raw text and `JSON.stringify(JSON.parse(text))` give the same envelope bytes, or
//!    errors with the same codes and paths, for every call (where every number survives the
//!    trip through a double exactly);
//! 2. the binary lane (`Engine::answer_lane`) gives the envelope the JSON text of the object
//!    gives, and its numbers the same status, failed conditions and questions; and
//!    `Matter::read_facts_encoded` reads the values `Matter::read_facts` reads, refusing
//!    exactly what that refuses.

#![no_main]

use banshi_core::ffi::{Answer, Call};
use banshi_fuzz::js::{self, Js};
use banshi_fuzz::{engine, envelope_errors, pick, rules};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

const CALLS: [u32; 3] = [0, 1, 2];

/// An envelope's errors' codes and paths, or the whole envelope for a success.
fn outcome(envelope: &str) -> Result<String, Vec<(String, String)>> {
    match envelope_errors(envelope) {
        None => Ok(envelope.to_string()),
        Some(errors) => Err(errors),
    }
}

/// The package's object for an eligibility or questions answer given as numbers.
fn from_numbers(bytes: &[u8], texts: &Value) -> Option<Value> {
    let status = ["eligible", "ineligible", "needs_facts"].get(usize::from(*bytes.first()?))?;
    let mut at = 1;
    let mut list = |texts: &Value| -> Option<Value> {
        let count = u16::from_le_bytes([*bytes.get(at)?, *bytes.get(at + 1)?]);
        at += 2;
        let mut out = Vec::new();
        for _ in 0..count {
            let n = u16::from_le_bytes([*bytes.get(at)?, *bytes.get(at + 1)?]);
            at += 2;
            out.push(texts.get(usize::from(n))?.clone());
        }
        Some(Value::Array(out))
    };
    let failed = list(texts.get("failed")?)?;
    let questions = list(texts.get("questions")?)?;
    Some(serde_json::json!({"status": status, "failed": failed, "questions": questions}))
}

fuzz_target!(|data: &[u8]| {
    let Some((code, on, rest)) = pick(data) else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let Some((object, parsed)) = js::parse(text) else {
        return;
    };
    let engine = engine();
    let date = on.to_string();
    // `facts` null or undefined is "no facts yet"; a string would be taken as JSON text.
    let sent = match &object {
        Js::Null => "{}".to_string(),
        Js::Str(_) => return,
        other => js::stringify(other),
    };

    // 1. Text as given against the text the object makes.
    if matches!(object, Js::Object(_)) && !parsed.inexact {
        for call in CALLS {
            let raw = outcome(&engine.answer_json(call, code, text, &date));
            let from_object = outcome(&engine.answer_json(call, code, &sent, &date));
            assert_eq!(
                raw, from_object,
                "call {call}: the text and JSON.stringify(JSON.parse(text)) = {sent} differ"
            );
        }
    }

    // 2. The binary lane against JSON text.
    let Some(lane) = engine.lane(code, &date) else {
        return;
    };
    let lane_schema = engine.lane_schema(lane);
    let schema = js::schema(&lane_schema);
    let Some(facts) = js::encode_facts(&schema, &object) else {
        return;
    };
    let matter = rules()
        .matter_at(usize::try_from(lane).expect("a lane"))
        .expect("the lane's matter");
    let encoded = matter.read_facts_encoded(&facts);
    let read = matter.read_facts(&sent);
    match (&encoded, &read) {
        (Some(a), Ok(b)) => assert_eq!(a, b, "the lane reads other values than {sent}"),
        (None, Err(_)) => {}
        _ => panic!("lane {encoded:?}\nJSON text {sent}: {read:?}"),
    }
    let texts: Value = serde_json::from_str::<Value>(&lane_schema)
        .ok()
        .and_then(|v| v.get("texts").cloned())
        .expect("lane texts");
    let mut input = date.clone().into_bytes();
    input.extend_from_slice(&facts);
    for n in 0..5 {
        let call = Call::from_number(n).expect("a call");
        let json_call = n % 3;
        let by_text = engine.answer_json(json_call, code, &sent, &date);
        match engine.answer_lane(call, lane, &input) {
            // Sent again as JSON text: the package's answer is the JSON text's.
            None => assert!(
                envelope_errors(&by_text).is_some(),
                "call {n}: the lane refused facts that JSON text {sent} accepts"
            ),
            Some(Answer::Envelope(envelope)) => {
                assert_eq!(outcome(&envelope), outcome(&by_text), "call {n}: {sent}")
            }
            Some(Answer::Numbers(bytes)) => {
                let ours = from_numbers(&bytes, &texts).expect("numbers that read");
                let theirs: Value = serde_json::from_str(&by_text).expect("JSON");
                for key in ["status", "questions"] {
                    assert_eq!(ours.get(key), theirs.get(key), "call {n}: {key} of {sent}");
                }
                if json_call == 0 {
                    assert_eq!(ours.get("failed"), theirs.get("failed"), "call {n}: {sent}");
                }
            }
        }
    }
});
