//! Facts JSON text → a decision for a shipped matter on a date (both chosen by the first three
//! bytes): every way in gives the same answer, and nothing panics.
//!
//! Checked: `RuleSet::decide_json` (facts read straight from the text) against `parse_facts` +
//! `RuleSet::decide` (the checking path), `evaluate_json` against `decide_json` less its
//! receipt, and the ffi envelopes (`Engine::decide`, `eligibility`, `questions`) against the
//! Rust values.

#![no_main]

use banshi_core::ffi::decide_errors;
use banshi_fuzz::{engine, envelope_errors, pick, rules};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((code, on, rest)) = pick(data) else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let rules = rules();
    let engine = engine();
    let date = on.to_string();

    let decided = rules.decide_json(code, text, on);
    let evaluated = rules.evaluate_json(code, text, on);
    // The matter is looked up before the facts are read, on both paths.
    let by_map = rules
        .matter(code, on)
        .and_then(|_| {
            banshi_core::parse_facts(text)
                .map_err(|e| banshi_core::DecideError::Facts { errors: vec![e] })
        })
        .and_then(|facts| rules.decide(code, &facts, on));
    match (&decided, &by_map) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "read_facts and check_facts decide alike"),
        (Err(a), Err(b)) => assert_eq!(
            decide_errors(a),
            decide_errors(b),
            "read_facts and check_facts fail alike"
        ),
        _ => panic!("read_facts {decided:?}\ncheck_facts {by_map:?}"),
    }
    match (&decided, &evaluated) {
        (Ok(a), Ok(b)) => {
            let mut a = a.clone();
            a.receipt = None;
            assert_eq!(&a, b, "evaluate is decide less the receipt");
        }
        (Err(a), Err(b)) => assert_eq!(decide_errors(a), decide_errors(b)),
        _ => panic!("decide {decided:?}\nevaluate {evaluated:?}"),
    }

    let envelope = engine.decide(code, text, &date);
    match &decided {
        Ok(decision) => {
            let json = decision.to_json().expect("a decision writes");
            assert_eq!(envelope, format!("{{\"ok\":true,\"decision\":{json}}}"));
        }
        Err(e) => {
            let errors = envelope_errors(&envelope).expect("a failure envelope");
            let want: Vec<_> = decide_errors(e)
                .into_iter()
                .map(|e| (e.code, e.path))
                .collect();
            assert_eq!(errors, want);
        }
    }

    let eligibility = engine.eligibility(code, text, &date);
    let questions = engine.questions(code, text, &date);
    match rules.eligibility_json(code, text, on) {
        Ok(e) => {
            assert!(envelope_errors(&eligibility).is_none(), "{eligibility}");
            let value: serde_json::Value = serde_json::from_str(&eligibility).expect("JSON");
            assert_eq!(
                value.get("status").and_then(|s| s.as_str()),
                Some(e.status.as_str()),
                "{eligibility}"
            );
        }
        Err(e) => {
            // Eligibility reads only the facts, so it fails exactly where the facts do.
            let errors = envelope_errors(&eligibility).expect("a failure envelope");
            assert_eq!(
                errors,
                decide_errors(&e)
                    .into_iter()
                    .map(|e| (e.code, e.path))
                    .collect::<Vec<_>>()
            );
        }
    }
    match &decided {
        Ok(decision) => {
            assert!(envelope_errors(&questions).is_none(), "{questions}");
            let value: serde_json::Value = serde_json::from_str(&questions).expect("JSON");
            assert_eq!(
                value.get("status").and_then(|s| s.as_str()),
                Some(decision.status.as_str())
            );
        }
        Err(_) => assert!(envelope_errors(&questions).is_some(), "{questions}"),
    }
});
