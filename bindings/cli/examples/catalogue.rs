//! Catalogue scale, natively: what opening a catalogue of many matters and deciding with it
//! costs, in the format before catalogues (every matter parsed and compiled at load) and in the
//! catalogue format (the index read at open, each matter compiled on its first decision). The
//! former is loaded here as that format's `bundle::load` did (the core reads only catalogues).
//!
//! ```sh
//! cargo run --release -p banshi-cli --example catalogue -- write N DIR  # DIR/legacy-N.json, DIR/catalogue-N.bundle
//! cargo run --release -p banshi-cli --example catalogue -- open FILE    # one line of figures
//! ```
//!
//! `open` runs in a process of its own per file (tests/bench/catalogue.sh), so that its peak
//! memory is the file's alone. The matters are `banshi generate bundle`'s, varied from the
//! shipped ones.

#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::time::Instant;

use banshi_cli::generate::{large_rule_set, read_rules};
use banshi_core::{RuleSet, RuleSetSource, Trust, bundle};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["write", n, dir] => write(n.parse().expect("a number of matters"), Path::new(dir)),
        ["open", file] => open(Path::new(file)),
        _ => {
            eprintln!("usage: catalogue write N DIR | catalogue open FILE");
            std::process::exit(2);
        }
    }
}

fn write(n: usize, dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    let loaded = read_rules(None, &Trust::development()).unwrap();
    let src = large_rule_set(&loaded.source, n, 1);
    let catalogue = bundle::write(&src).unwrap();
    std::fs::write(dir.join(format!("catalogue-{n}.bundle")), &catalogue).unwrap();
    // The format before catalogues, as its `banshi bundle` wrote it: one document.
    let rules = serde_json::to_string(&src).unwrap();
    let legacy = format!(
        "{{\"format\":\"banshi-bundle/1\",\"hash\":\"{}\",\"signatures\":[],\"rules\":{rules}}}\n",
        bundle::sha256(rules.as_bytes())
    );
    std::fs::write(dir.join(format!("legacy-{n}.json")), &legacy).unwrap();
    println!(
        "{n} matters: catalogue {} bytes, legacy {} bytes",
        catalogue.len(),
        legacy.len()
    );
}

/// Peak and current resident memory, from /proc (Linux), in MiB.
fn memory() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next()?.parse::<f64>().ok())
            .map_or(f64::NAN, |kib| kib / 1024.0)
    };
    (field("VmHWM:"), field("VmRSS:"))
}

/// A bundle of the format before catalogues, loaded as that format's `bundle::load` did: the
/// file read, the rules' hash checked, the rules parsed, checked canonical, and every matter
/// compiled.
fn legacy_load(file: &Path) -> RuleSet {
    #[derive(serde::Deserialize)]
    struct Legacy<'a> {
        hash: String,
        #[serde(borrow)]
        rules: &'a serde_json::value::RawValue,
    }
    let text = std::fs::read_to_string(file).unwrap();
    let legacy: Legacy<'_> = serde_json::from_str(&text).unwrap();
    assert_eq!(bundle::sha256(legacy.rules.get().as_bytes()), legacy.hash);
    let src: RuleSetSource = serde_json::from_str(legacy.rules.get()).unwrap();
    assert_eq!(serde_json::to_string(&src).unwrap(), legacy.rules.get());
    RuleSet::compile(&src).unwrap()
}

fn open(file: &Path) {
    let size = std::fs::metadata(file).unwrap().len();
    let trust = Trust::development();
    let load = || {
        if file.extension().is_some_and(|e| e == "json") {
            legacy_load(file)
        } else {
            banshi_loader::load_bundle(file, &trust).unwrap()
        }
    };
    // The machine is shared: each figure is the least of a few runs (a fresh open each), the one
    // least disturbed by other work.
    let rounds = if size > 50_000_000 { 3 } else { 5 };
    let (mut open, mut first, mut again) = (f64::MAX, f64::MAX, f64::MAX);
    let mut rules = None;
    let mut picked = Vec::new();
    for _ in 0..rounds {
        drop(rules.take());
        let started = Instant::now();
        let opened = load();
        open = open.min(started.elapsed().as_secs_f64() * 1e3);
        let matters = opened.matters().unwrap();
        // 20 matters spread over the catalogue, the last one first: each decided once,
        // compiled then if the format compiles on demand.
        let step = (matters.len() / 20).max(1);
        picked = matters.into_iter().rev().step_by(step).take(20).collect();
        let m = picked.first().unwrap();
        let started = Instant::now();
        opened.decide_json(&m.code, "{}", m.effective).unwrap();
        first = first.min(started.elapsed().as_secs_f64() * 1e3);
        let started = Instant::now();
        for _ in 0..100 {
            opened.decide_json(&m.code, "{}", m.effective).unwrap();
        }
        again = again.min(started.elapsed().as_secs_f64() * 1e4);
        rules = Some(opened);
    }
    let rules = rules.unwrap();
    for m in &picked {
        rules.decide_json(&m.code, "{}", m.effective).unwrap();
    }
    let (peak, now) = memory();
    println!(
        "{}: {:.1} MB, {} versions; open {open:.2} ms; first decision {first:.2} ms, again {again:.1} µs \
         (least of {rounds}); after 20 decisions RSS {now:.1} MiB in use, {peak:.1} MiB peak; \
         open + first decision {:.2} ms",
        file.file_name().unwrap().to_string_lossy(),
        size as f64 / 1e6,
        rules.matters().unwrap().len(),
        open + first,
    );
}
