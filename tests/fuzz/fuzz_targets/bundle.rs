//! Catalogue text → `banshi_core::bundle::load` and `ffi::Engine::load`, then decisions, each
//! of which compiles its matter from the catalogue's text.
//!
//! The hash check refuses nearly every mutated catalogue, so the first byte chooses how the
//! rest is read: 0, a whole catalogue as is; 1, an index line and the lines after it (the
//! index's pages, then the matters), the index wrapped in a header with its own hash (reaching
//! the canonical-form check, each page's hash and position checks when it is read, and each
//! matter's hash check and compile when it is decided); 2, rule sources as JSON in any form, written as a
//! catalogue (reaching the compiler every time they parse). Rules that load must decide for a
//! first interview. Loaded in development mode, so that unsigned inputs reach the parser and
//! the compiler; any signatures an input carries are still verified (a wrong one is refused in
//! every mode).

#![no_main]

use banshi_core::RuleSetSource;
use banshi_core::Trust;
use banshi_core::bundle::{self, FORMAT};
use banshi_core::ffi::{Engine, LoadOptions};
use libfuzzer_sys::fuzz_target;

fn wrap(text: &str) -> String {
    let (index, matters) = text.split_once('\n').unwrap_or((text, ""));
    format!(
        "{{\"format\":\"{FORMAT}\",\"hash\":\"{}\",\"signatures\":[],\"index\":{index}}}\n{matters}",
        bundle::sha256(index.as_bytes())
    )
}

fuzz_target!(|data: &[u8]| {
    let Some((mode, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let text = match mode % 3 {
        0 => text.to_string(),
        1 => wrap(text),
        _ => {
            let Ok(src) = serde_json::from_str::<RuleSetSource>(text) else {
                return;
            };
            let Ok(written) = bundle::write(&src) else {
                return;
            };
            written
        }
    };
    let development = LoadOptions {
        trust: Trust::development(),
        receipt_key: None,
    };
    let loaded = bundle::load(&text, &development.trust);
    let engine = Engine::load(&text, &development);
    assert_eq!(loaded.is_ok(), engine.is_ok());
    let Ok(rules) = loaded else {
        return;
    };
    let engine = engine.expect("loaded");
    // A page of the index that does not match its hash is an error, as on every channel.
    let listed = rules.matters();
    assert_eq!(
        listed.is_ok(),
        engine.matters().starts_with(r#"{"ok":true"#)
    );
    let Ok(listed) = listed else {
        return;
    };
    for m in listed {
        for on in [m.effective, m.effective + chrono::Days::new(40)] {
            let _ = rules.decide_json(&m.code, "{}", on);
            let _ = engine.eligibility(&m.code, "{}", &on.to_string());
            let _ = engine.matter(&m.code, &on.to_string());
        }
    }
});
