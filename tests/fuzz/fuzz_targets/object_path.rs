//! Differential: the npm package's object path against the JSON text path.
//!
//! The input (after the three bytes that choose the matter and the date) is JSON text. A web
//! team may pass it to `decideJson(text)` as is, or `JSON.parse` it and pass the object to
//! `decide(object)`, which sends `JSON.stringify(object)` (`banshi_fuzz::js` emulates both,
//! with JavaScript's doubles, UTF-16 strings, property order and `String(number)`). For
//! `eligibility`, `questions` and `decide`, the raw text and `JSON.stringify(JSON.parse(text))`
//! must give the same envelope bytes, or errors with the same codes and paths, wherever every
//! number survives the trip through a double exactly. (The binary lane the package once had
//! was compared here too; it was removed from the core.)

#![no_main]

use banshi_core::ffi::Engine;
use banshi_fuzz::js::{self, Js};
use banshi_fuzz::{engine, envelope_errors, pick};
use libfuzzer_sys::fuzz_target;

type Call = fn(&Engine, &str, &str, &str) -> String;

/// The calls whose envelopes are compared: `eligibility`, `questions`, `decide`.
const CALLS: [Call; 3] = [Engine::eligibility, Engine::questions, Engine::decide];

/// An envelope's errors' codes and paths, or the whole envelope for a success.
fn outcome(envelope: &str) -> Result<String, Vec<(String, String)>> {
    match envelope_errors(envelope) {
        None => Ok(envelope.to_string()),
        Some(errors) => Err(errors),
    }
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
        for (n, call) in CALLS.iter().enumerate() {
            let raw = outcome(&call(engine, code, text, &date));
            let from_object = outcome(&call(engine, code, &sent, &date));
            assert_eq!(
                raw, from_object,
                "call {n}: the text and JSON.stringify(JSON.parse(text)) = {sent} differ"
            );
        }
    }
});
