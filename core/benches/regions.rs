//! A theme decision with a region, and the look-ups by 基本编码 it makes, in a catalogue of
//! 5,000 generated matters beside the shipped rules and their themes (tests/bench/README.md,
//! "Decisions by region").
//!
//! The matters are those `banshi generate bundle --matters 5000` makes, each given a 基本编码 of
//! its own (the generator copies the shipped implementations, region and base included, so
//! 西安市 would otherwise have hundreds of implementations of one base: a tie a decision
//! refuses). The catalogue is written and opened as a channel opens it (`bundle::load`), its pages
//! read on first use.
//!
//! `cargo bench -p banshi-core --bench regions`; `cargo test` runs each once on 50 matters.

#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::hint::black_box;

use banshi_core::{Map, RuleSet, Trust, bundle};
use criterion::Criterion;

#[path = "../tests/common/mod.rs"]
mod common;

const RESTAURANT: &str = "610000-QYZY-CANGUAN";
/// 个体工商户设立登记, implemented in 西安市, 咸阳市秦都区 and 西咸新区沣东新城.
const REGISTRATION: &str = "000131128000";

/// The shipped rules and `count` generated matters, each of a base of its own, as a catalogue
/// opened from its text; and the 基本编码 of the last generated matter.
fn catalogue(count: usize) -> (RuleSet, String) {
    let files = common::rule_files();
    let (mut src, _) = banshi_loader::sources(&files);
    let large = banshi_cli::generate::large_rule_set(&src, count, 7);
    let mut last = String::new();
    for mut file in large.matters {
        // One base per generated matter (its versions share it).
        let n = file
            .file
            .get("generated/".len().."generated/0000".len())
            .unwrap_or_default()
            .to_string();
        last = format!("9{n:0>11}");
        file.source.matter.basic_code = last.clone();
        src.matters.push(file);
    }
    let text = bundle::write(&src).unwrap();
    (bundle::load(&text, &Trust::development()).unwrap(), last)
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test` runs the smoke test on a small catalogue.
    let benching = std::env::args().any(|a| a == "--bench");
    let count = if benching { 5000 } else { 50 };
    let mut c = Criterion::default().configure_from_args();
    let on = banshi_core::facts::parse_date("2026-03-02").unwrap();
    let facts = Map::new();
    for (name, (rules, base)) in [
        ("shipped".to_string(), catalogue(0)),
        (format!("{count} generated"), catalogue(count)),
    ] {
        let mut group = c.benchmark_group(name);
        group.sample_size(20);
        group.bench_function("theme in 西安市", |b| {
            b.iter(|| {
                rules
                    .evaluate_theme(RESTAURANT, Some(black_box("西安市")), &facts, on)
                    .unwrap()
            })
        });
        group.bench_function("code_in_region 西安市", |b| {
            b.iter(|| {
                rules
                    .code_in_region(REGISTRATION, black_box("西安市"))
                    .unwrap()
            })
        });
        if !base.is_empty() {
            group.bench_function("matter by 基本编码", |b| {
                b.iter(|| rules.version_index(black_box(&base), on).unwrap())
            });
        }
        // Regions that nest: 西安市雁塔区 by its code (not before regions nested).
        if rules
            .evaluate_theme(RESTAURANT, Some("610113"), &facts, on)
            .is_ok()
        {
            group.bench_function("theme in 610113", |b| {
                b.iter(|| {
                    rules
                        .evaluate_theme(RESTAURANT, Some(black_box("610113")), &facts, on)
                        .unwrap()
                })
            });
        }
        group.finish();
    }
    c.final_summary();
}
