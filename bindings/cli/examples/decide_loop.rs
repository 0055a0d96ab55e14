//! Decides one case file many times, for profiling (see tests/bench/README.md):
//!
//! ```sh
//! CARGO_PROFILE_RELEASE_DEBUG=line-tables-only cargo build --release -p banshi-cli --example decide_loop
//! valgrind --tool=callgrind target/release/examples/decide_loop rules/<matter>/cases/<case>.json 2000 decide
//! ```
//!
//! The last argument picks the path: `decide` (RuleSet::decide, receipt included), `checked`
//! (check_facts and decide_checked, no receipt), `ffi` (Engine::decide, JSON in and out) or
//! `eligibility` (Engine::eligibility, JSON in and out).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use std::hint::black_box;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let case = args.get(1).expect("a case file");
    let n: u64 = args.get(2).map_or(1000, |n| n.parse().unwrap());
    let mode = args.get(3).map_or("decide", String::as_str);
    let loaded = banshi_cli::generate::read_rules(None, &banshi_core::Trust::default()).unwrap();
    let rules = &loaded.rules;
    let value: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(case).unwrap()).unwrap();
    let on_text = value["on"].as_str().unwrap().to_string();
    let on = banshi_core::facts::parse_date(&on_text).unwrap();
    let facts = value["facts"].as_object().unwrap().clone();
    let facts_text = value["facts"].to_string();
    let folder = std::path::Path::new(case).ancestors().nth(2).unwrap();
    let rules_dir = folder.parent().unwrap();
    let (source, _) = banshi_loader::sources(&banshi_loader::read_tree(rules_dir).unwrap());
    let name = folder.file_name().unwrap().to_string_lossy();
    let code = value["matter"]
        .as_str()
        .map(str::to_string)
        .or_else(|| banshi_loader::folder_matter(&source, &name))
        .unwrap();
    let engine = banshi_core::ffi::Engine::from_rules(rules.clone());
    let matter = rules.matter(&code, on).unwrap();
    for _ in 0..n {
        match mode {
            "checked" => {
                let values = matter.check_facts(black_box(&facts)).unwrap();
                black_box(
                    matter
                        .decide_checked(&values, on, rules.calendar())
                        .unwrap(),
                );
            }
            "eligibility" => {
                black_box(engine.eligibility(&code, black_box(&facts_text), &on_text));
            }
            "ffi" => {
                black_box(engine.decide(&code, black_box(&facts_text), &on_text));
            }
            _ => {
                black_box(rules.decide(&code, black_box(&facts), on).unwrap());
            }
        }
    }
}
