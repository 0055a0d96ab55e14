//! Decisions per second natively: the reference point of the Node benchmark
//! (`tests/bench/node/bench.mjs`, which runs this once per round).
//!
//! ```sh
//! cargo build --release -p banshi-cli --example decide_rate
//! target/release/examples/decide_rate BUNDLE.json APPLICATIONS.jsonl [SECONDS] [WARMUP_SECONDS]
//! ```
//!
//! Loads the bundle with `ffi::Engine::load`, reads applications as `banshi generate cases`
//! writes them (`{"matter","on","facts"}` a line), then decides them round-robin for SECONDS
//! (default 2) after WARMUP_SECONDS (default 0.5) on each path:
//!
//! - `ffi_decide`: `ffi::Engine::decide`, facts JSON text in, the envelope text out: the very
//!   function the WebAssembly package's `decide`/`decideJson` call, so the wasm figure over this
//!   one is the cost of WebAssembly and of the JS/wasm boundary;
//! - `ffi_questions`: `ffi::Engine::questions`, the same for `questions`;
//! - `ffi_eligibility`: `ffi::Engine::eligibility`, the same for `eligibility` (the conditions
//!   alone: what the peers of the Node benchmark evaluate);
//! - `rule_set_decide`: `RuleSet::decide` on facts already parsed (what `cargo bench` measures);
//! - `evaluate`: the facts read from their JSON text, then `Matter::decide_checked`: the whole
//!   decision without its receipt (no canonical JSON, no SHA-256) and without writing it out.
//!
//! Prints one JSON line: decisions per second of each path, the number of applications, and
//! FNV-1a hashes of every `ffi_decide` and `ffi_eligibility` envelope in file order, which the
//! benchmark compares with the package's `decideJson` and `eligibilityJson` output to show both
//! decided the same thing.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use std::hint::black_box;
use std::time::{Duration, Instant};

struct Application {
    code: String,
    on: String,
    on_date: chrono::NaiveDate,
    facts_text: String,
    facts: serde_json::Map<String, serde_json::Value>,
}

/// Runs `decide` over the applications round-robin for `time`; returns decisions per second.
fn rate(apps: &[Application], time: Duration, mut decide: impl FnMut(&Application)) -> f64 {
    let start = Instant::now();
    let mut done: u64 = 0;
    loop {
        // Read the clock once per 64 decisions, as the JS side does.
        for _ in 0..64 {
            decide(&apps[(done % apps.len() as u64) as usize]);
            done += 1;
        }
        let elapsed = start.elapsed();
        if elapsed >= time {
            return done as f64 / elapsed.as_secs_f64();
        }
    }
}

fn fnv1a(hash: &mut u32, bytes: &[u8]) {
    for b in bytes {
        *hash ^= u32::from(*b);
        *hash = hash.wrapping_mul(0x0100_0193);
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let bundle = std::fs::read_to_string(args.get(1).expect("a bundle file")).unwrap();
    let lines = std::fs::read_to_string(args.get(2).expect("an applications file")).unwrap();
    let seconds: f64 = args.get(3).map_or(2.0, |s| s.parse().unwrap());
    let warmup: f64 = args.get(4).map_or(0.5, |s| s.parse().unwrap());
    // Development mode: unsigned bundles load, receipts use the development key.
    let options = banshi_core::ffi::LoadOptions {
        trust: banshi_core::Trust::development(),
        receipt_key: None,
    };
    let engine = banshi_core::ffi::Engine::load(&bundle, &options)
        .unwrap_or_else(|errors| panic!("bundle: {errors:?}"));
    let apps: Vec<Application> = lines
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let value: serde_json::Value = serde_json::from_str(line).unwrap();
            let on = value["on"].as_str().unwrap().to_string();
            Application {
                code: value["matter"].as_str().unwrap().to_string(),
                on_date: banshi_core::facts::parse_date(&on).unwrap(),
                on,
                facts_text: value["facts"].to_string(),
                facts: value["facts"].as_object().unwrap().clone(),
            }
        })
        .collect();
    assert!(!apps.is_empty(), "no applications");

    let mut hash: u32 = 0x811c_9dc5;
    let mut eligibility_hash: u32 = 0x811c_9dc5;
    for app in &apps {
        fnv1a(
            &mut hash,
            engine
                .decide(&app.code, &app.facts_text, &app.on)
                .as_bytes(),
        );
        fnv1a(
            &mut eligibility_hash,
            engine
                .eligibility(&app.code, &app.facts_text, &app.on)
                .as_bytes(),
        );
    }

    let rules = engine.rules();
    let time = Duration::from_secs_f64(seconds);
    let warm = Duration::from_secs_f64(warmup);
    let ffi_decide = |app: &Application| {
        black_box(engine.decide(&app.code, black_box(&app.facts_text), &app.on));
    };
    let ffi_questions = |app: &Application| {
        black_box(engine.questions(&app.code, black_box(&app.facts_text), &app.on));
    };
    let ffi_eligibility = |app: &Application| {
        black_box(engine.eligibility(&app.code, black_box(&app.facts_text), &app.on));
    };
    let rule_set_decide = |app: &Application| {
        let _ = black_box(rules.decide(&app.code, black_box(&app.facts), app.on_date));
    };
    let evaluate = |app: &Application| {
        let matter = rules.matter(&app.code, app.on_date).unwrap();
        let facts = matter.read_facts(black_box(&app.facts_text)).unwrap();
        let _ = black_box(matter.decide_checked(&facts, app.on_date, rules.calendar()));
    };
    rate(&apps, warm, ffi_decide);
    let decide = rate(&apps, time, ffi_decide);
    rate(&apps, warm, ffi_questions);
    let questions = rate(&apps, time, ffi_questions);
    rate(&apps, warm, ffi_eligibility);
    let eligibility = rate(&apps, time, ffi_eligibility);
    rate(&apps, warm, rule_set_decide);
    let parsed = rate(&apps, time, rule_set_decide);
    rate(&apps, warm, evaluate);
    let unreceipted = rate(&apps, time, evaluate);
    println!(
        "{{\"applications\":{},\"envelopes_fnv1a\":{hash},\"eligibility_fnv1a\":{eligibility_hash},\"ffi_decide\":{decide:.1},\"ffi_questions\":{questions:.1},\"ffi_eligibility\":{eligibility:.1},\"rule_set_decide\":{parsed:.1},\"evaluate\":{unreceipted:.1}}}",
        apps.len()
    );
}
