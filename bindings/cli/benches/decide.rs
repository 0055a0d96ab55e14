//! Benchmarks of the rules core: decisions for every shipped matter, their parts and their
//! peers, the JSON ffi path the WebAssembly package runs, bundle loading (shipped and 1,000
//! matters) and the deadline computation.
//!
//! `cargo bench -p banshi-cli --bench decide` measures and then prints ratios against peers
//! measured in the same run (from criterion's estimates); `cargo test` runs each benchmark once.
//! See tests/bench/README.md for the figures and how they were made.

#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use banshi_cli::generate::{Generator, large_rule_set, read_rules};
use banshi_core::deadline::PROCEDURES_FACT;
use banshi_core::decision::Receipt;
use banshi_core::facts::{FactValue, parse_date};
use banshi_core::ffi::Engine;
use banshi_core::{RuleSet, Status, bundle, parse_facts};
use chrono::NaiveDate;
use criterion::{BatchSize, Criterion};
use serde_json::{Map, Value};

/// A typical applicant of one matter: taken from its `cases/`.
struct Typical {
    /// The matter's folder, used as the benchmark's name.
    name: String,
    code: String,
    on: NaiveDate,
    facts_text: String,
    facts: Map<String, Value>,
}

fn rules_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rules")
}

/// For each matter folder, the eligible case that answers the most facts (the applicant a
/// counter sees most: everything answered, everything in order), else the case with the most
/// facts.
fn typical_cases(rules: &RuleSet) -> Vec<Typical> {
    let mut out = Vec::new();
    let mut folders: Vec<PathBuf> = std::fs::read_dir(rules_dir())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("cases").is_dir())
        .collect();
    folders.sort();
    let (source, _) = banshi_loader::sources(&banshi_loader::read_tree(&rules_dir()).unwrap());
    for folder in folders {
        let name = folder.file_name().unwrap().to_string_lossy().into_owned();
        // A folder with several implementations has no one matter; its cases name theirs.
        let folder_code = banshi_loader::folder_matter(&source, &name);
        let mut best: Option<(bool, usize, Typical)> = None;
        let Ok(entries) = std::fs::read_dir(folder.join("cases")) else {
            continue;
        };
        let mut cases: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        cases.sort();
        for case in cases {
            let value: Value =
                serde_json::from_str(&std::fs::read_to_string(&case).unwrap()).unwrap();
            let on = parse_date(value["on"].as_str().unwrap()).unwrap();
            let facts = value["facts"].as_object().unwrap().clone();
            let Some(code) = value["matter"]
                .as_str()
                .map(str::to_owned)
                .or_else(|| folder_code.clone())
            else {
                continue;
            };
            let Ok(decision) = rules.decide(&code, &facts, on) else {
                continue;
            };
            let eligible = decision.status == Status::Eligible;
            let key = (eligible, facts.len());
            if best.as_ref().is_none_or(|(e, n, _)| key > (*e, *n)) {
                best = Some((
                    eligible,
                    facts.len(),
                    Typical {
                        name: folder.file_name().unwrap().to_string_lossy().into_owned(),
                        code: code.clone(),
                        on,
                        facts_text: Value::Object(facts.clone()).to_string(),
                        facts,
                    },
                ));
            }
        }
        if let Some((_, _, typical)) = best {
            out.push(typical);
        }
    }
    out
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    let loaded = read_rules(None, &banshi_core::Trust::default()).unwrap();
    let rules = &loaded.rules;
    let typical = typical_cases(rules);
    assert!(
        typical.len() >= 6,
        "a typical case for every shipped matter"
    );
    let bundle_text = bundle::write(&loaded.source).unwrap();
    // Unsigned, in development mode: the load benchmark measures reading and compiling rules.
    let development = banshi_core::ffi::LoadOptions {
        trust: banshi_core::Trust::development(),
        receipt_key: None,
    };
    let engine = Engine::load(&bundle_text, &development).unwrap();

    // 1. Deciding each real matter for a typical applicant, with its parts and peers.
    for t in &typical {
        let matter = rules.matter(&t.code, t.on).unwrap();
        let values = matter.check_facts(&t.facts).unwrap();
        let decision = matter
            .decide_checked(&values, t.on, rules.calendar())
            .unwrap();
        let on_text = t.on.to_string();
        let mut group = c.benchmark_group(format!("decide/{}", t.name));
        group
            .warm_up_time(Duration::from_millis(500))
            .measurement_time(Duration::from_secs(2));
        // What a server calls: facts already parsed, receipt included.
        group.bench_function("RuleSet::decide", |b| {
            b.iter(|| {
                rules
                    .decide(black_box(&t.code), black_box(&t.facts), t.on)
                    .unwrap()
            })
        });
        // The decision alone, without the receipt (batch work such as impact analysis).
        group.bench_function("RuleSet::evaluate", |b| {
            b.iter(|| {
                rules
                    .evaluate(black_box(&t.code), black_box(&t.facts), t.on)
                    .unwrap()
            })
        });
        // The parts of RuleSet::decide.
        group.bench_function("check_facts", |b| {
            b.iter(|| matter.check_facts(black_box(&t.facts)).unwrap())
        });
        group.bench_function("decide_checked", |b| {
            b.iter(|| {
                matter
                    .decide_checked(black_box(&values), t.on, rules.calendar())
                    .unwrap()
            })
        });
        group.bench_function("receipt", |b| {
            b.iter(|| {
                Receipt::new(
                    rules.hash(),
                    rules.receipt_key(),
                    &matter.canonical_facts(black_box(&values)).unwrap(),
                    black_box(&decision),
                )
            })
        });
        group.bench_function("Decision::to_json", |b| {
            b.iter(|| black_box(&decision).to_json())
        });
        // Peers: serde_json parsing the same facts, and cloning the decision.
        group.bench_function("serde_json parse facts", |b| {
            b.iter(|| parse_facts(black_box(&t.facts_text)).unwrap())
        });
        group.bench_function("Decision::clone", |b| {
            b.iter_batched(
                || (),
                |()| black_box(&decision).clone(),
                BatchSize::SmallInput,
            )
        });
        // What the wasm package runs: facts JSON in, envelope JSON out.
        group.bench_function("ffi Engine::decide", |b| {
            b.iter(|| engine.decide(black_box(&t.code), black_box(&t.facts_text), &on_text))
        });
        group.finish();
    }

    // 2. Synthetic applications: 4,096 per matter, all outcomes, decided in turn.
    {
        let generator = Generator::new(&loaded.source, rules);
        let mut group = c.benchmark_group("generated");
        group
            .warm_up_time(Duration::from_millis(500))
            .measurement_time(Duration::from_secs(2));
        for t in &typical {
            let apps: Vec<_> = (0..4096)
                .filter_map(|i| generator.application_for(&t.code, 11, i))
                .collect();
            let mut i = 0;
            group.bench_function(&t.name, |b| {
                b.iter(|| {
                    let a = &apps[i % apps.len()];
                    i += 1;
                    black_box(rules.decide(&a.matter, &a.facts, a.on))
                })
            });
        }
        group.finish();
    }

    // 3. The deadline computation alone, and with a clock stop (听证).
    {
        let mut group = c.benchmark_group("deadline");
        group
            .warm_up_time(Duration::from_millis(500))
            .measurement_time(Duration::from_secs(2));
        for t in &typical {
            let matter = rules.matter(&t.code, t.on).unwrap();
            group.bench_function(&t.name, |b| {
                b.iter(|| matter.deadline(rules.calendar(), black_box(t.on), &[]))
            });
        }
        let hearing = rules_dir().join("food-business-licence/cases/hearing-neighbours-pause.json");
        let value: Value =
            serde_json::from_str(&std::fs::read_to_string(hearing).unwrap()).unwrap();
        let on = parse_date(value["on"].as_str().unwrap()).unwrap();
        let code = typical
            .iter()
            .find(|t| t.name == "food-business-licence")
            .unwrap()
            .code
            .clone();
        let matter = rules.matter(&code, on).unwrap();
        let values = matter
            .check_facts(value["facts"].as_object().unwrap())
            .unwrap();
        let index = matter
            .facts()
            .iter()
            .position(|f| f.name == PROCEDURES_FACT)
            .unwrap();
        let Some(FactValue::Procedures(pauses)) = &values[index] else {
            panic!("the hearing case records a pause");
        };
        group.bench_function("food-business-licence with a hearing", |b| {
            b.iter(|| matter.deadline(rules.calendar(), black_box(on), pauses))
        });
        group.bench_function("Calendar::add_working_days(20)", |b| {
            b.iter(|| {
                rules
                    .calendar()
                    .add_working_days(black_box(on), 20)
                    .unwrap()
            })
        });
        group.finish();
    }

    // 4. Themes (一件事一次办): the book café (three matters, two in parallel), all materials at
    // hand, with and without its receipt, and as the channels call it.
    {
        let case = rules_dir().join("themes/book-cafe/cases/leased-all-materials-labour-day.json");
        let value: Value = serde_json::from_str(&std::fs::read_to_string(case).unwrap()).unwrap();
        let facts = value["facts"].as_object().unwrap().clone();
        let facts_text = value["facts"].to_string();
        let on = banshi_core::facts::parse_date(value["on"].as_str().unwrap()).unwrap();
        let code = "610100-QYZY-SHUKA";
        let mut group = c.benchmark_group("theme/book-cafe");
        group
            .warm_up_time(Duration::from_millis(500))
            .measurement_time(Duration::from_secs(2));
        group.bench_function("RuleSet::decide_theme", |b| {
            b.iter(|| {
                rules
                    .decide_theme(black_box(code), None, black_box(&facts), on)
                    .unwrap()
            })
        });
        group.bench_function("RuleSet::evaluate_theme", |b| {
            b.iter(|| {
                rules
                    .evaluate_theme(black_box(code), None, black_box(&facts), on)
                    .unwrap()
            })
        });
        group.bench_function("ffi Engine::theme decide", |b| {
            b.iter(|| {
                engine.theme(
                    "decide",
                    black_box(code),
                    "",
                    black_box(&facts_text),
                    "2026-04-29",
                )
            })
        });
        group.finish();
    }

    // 5. Opening catalogues: the shipped rules, and 1,000 generated matters, alone and with the
    // first decision of a matter (which compiles it).
    {
        let large = bundle::write(&large_rule_set(&loaded.source, 1000, 1)).unwrap();
        let last = bundle::load(&large, &development.trust)
            .unwrap()
            .matters()
            .unwrap()
            .pop()
            .unwrap();
        let header = large.split('\n').next().unwrap().to_string();
        let mut group = c.benchmark_group("bundle::load");
        group
            .sample_size(10)
            .warm_up_time(Duration::from_millis(500))
            .measurement_time(Duration::from_secs(5));
        group.bench_function("shipped (7 matters)", |b| {
            b.iter(|| bundle::load(black_box(&bundle_text), &development.trust).unwrap())
        });
        group.bench_function("generated (1000 matters)", |b| {
            b.iter(|| bundle::load(black_box(&large), &development.trust).unwrap())
        });
        group.bench_function("generated (1000 matters), and a first decision", |b| {
            b.iter(|| {
                let rules = bundle::load(black_box(&large), &development.trust).unwrap();
                rules.decide_json(&last.code, "{}", last.effective).unwrap()
            })
        });
        // Peer: serde_json parsing the same index to a generic value.
        group.bench_function("serde_json parse (1000 matters)", |b| {
            b.iter(|| serde_json::from_str::<Value>(black_box(&header)).unwrap())
        });
        group.finish();
        eprintln!(
            "bundle sizes: shipped {} bytes, generated 1000 matters {} bytes (index {} bytes)",
            bundle_text.len(),
            large.len(),
            header.len()
        );
    }

    c.final_summary();
    if std::env::args().any(|a| a == "--bench") {
        print_ratios(&typical);
    }
}

/// criterion's output folder, found as criterion finds it.
fn criterion_dir() -> PathBuf {
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        return PathBuf::from(home);
    }
    if let Some(target) = std::env::var_os("CARGO_TARGET_DIR") {
        return PathBuf::from(target).join("criterion");
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/criterion")
}

/// The median of one benchmark in this run, in nanoseconds.
fn median(group: &str, bench: &str) -> Option<f64> {
    let clean = |s: &str| {
        s.chars()
            .map(|c| if "/\\?\"<>|*:".contains(c) { '_' } else { c })
            .collect::<String>()
    };
    let path = criterion_dir()
        .join(clean(group))
        .join(clean(bench))
        .join("new/estimates.json");
    let value: Value = serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
    value["median"]["point_estimate"].as_f64()
}

fn print_ratios(typical: &[Typical]) {
    let fmt = |ns: f64| {
        if ns >= 1e6 {
            format!("{:.2} ms", ns / 1e6)
        } else if ns >= 1e3 {
            format!("{:.2} µs", ns / 1e3)
        } else {
            format!("{ns:.0} ns")
        }
    };
    println!("\n== medians and ratios (this run) ==");
    println!(
        "{:<36} {:>11} {:>11} {:>9} {:>9} {:>11} {:>9} {:>9}",
        "matter", "decide", "no receipt", "receipt", "ffi", "ffi/decide", "/parse", "generated"
    );
    for t in typical {
        let group = format!("decide/{}", t.name);
        let get = |b: &str| median(&group, b);
        let (Some(decide), Some(checked), Some(check), Some(receipt), Some(ffi), Some(parse)) = (
            get("RuleSet::decide"),
            get("decide_checked"),
            get("check_facts"),
            get("receipt"),
            get("ffi Engine::decide"),
            get("serde_json parse facts"),
        ) else {
            println!(
                "{:<36} (no estimates found under {})",
                t.name,
                criterion_dir().display()
            );
            continue;
        };
        let generated = median("generated", &t.name).map_or("-".into(), fmt);
        println!(
            "{:<36} {:>11} {:>11} {:>8.0}% {:>9} {:>10.2}x {:>8.1}x {:>9}",
            t.name,
            fmt(decide),
            fmt(check + checked),
            receipt * 100.0 / decide,
            fmt(ffi),
            ffi / decide,
            decide / parse,
            generated,
        );
    }
    println!(
        "decide = RuleSet::decide (parsed facts in, receipt included); no receipt = check_facts + decide_checked;\n\
         receipt = Receipt::new as a share of decide; ffi = Engine::decide (facts JSON in, envelope out);\n\
         /parse = decide over serde_json parsing the same facts; generated = mean over 4,096 synthetic applications."
    );
    if let (Some(shipped), Some(large), Some(parse)) = (
        median("bundle::load", "shipped (7 matters)"),
        median("bundle::load", "generated (1000 matters)"),
        median("bundle::load", "serde_json parse (1000 matters)"),
    ) {
        println!(
            "bundle::load: shipped {}, 1000 matters {} ({:.1}x serde_json parsing the same index to a Value)",
            fmt(shipped),
            fmt(large),
            large / parse
        );
    }
}
