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
use std::time::{Duration, Instant};

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

/// The CPU time this thread has run, from /proc (Linux): the machine is shared, so wall time
/// includes waiting for a core.
fn cpu() -> Duration {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").unwrap_or_default();
    let ns = stat.split_whitespace().next().and_then(|n| n.parse().ok());
    Duration::from_nanos(ns.unwrap_or(0))
}

/// A span measured both ways: wall time and CPU time, in ms.
struct Span(Instant, Duration);

impl Span {
    fn start() -> Span {
        Span(Instant::now(), cpu())
    }

    fn ms(&self) -> (f64, f64) {
        let wall = self.0.elapsed().as_secs_f64() * 1e3;
        let cpu = cpu().saturating_sub(self.1).as_secs_f64() * 1e3;
        (wall, cpu)
    }
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
    let span = Span::start();
    let rules = if file.extension().is_some_and(|e| e == "json") {
        legacy_load(file)
    } else {
        banshi_loader::load_bundle(file, &trust).unwrap()
    };
    let (open_wall, open_cpu) = span.ms();
    let matters = rules.matters();
    // 20 matters spread over the catalogue, the last one first: each decided once, compiled then
    // if the format compiles on demand.
    let step = (matters.len() / 20).max(1);
    let picked: Vec<_> = matters.iter().rev().step_by(step).take(20).collect();
    let first = picked.first().unwrap();
    let span = Span::start();
    rules
        .decide_json(&first.code, "{}", first.effective)
        .unwrap();
    let (first_wall, first_cpu) = span.ms();
    let span = Span::start();
    for _ in 0..100 {
        rules
            .decide_json(&first.code, "{}", first.effective)
            .unwrap();
    }
    let (_, again_cpu) = span.ms();
    for m in &picked {
        rules.decide_json(&m.code, "{}", m.effective).unwrap();
    }
    let (peak, now) = memory();
    println!(
        "{}: {:.1} MB, {} versions; open {open_cpu:.2} ms CPU ({open_wall:.2} wall); \
         first decision {first_cpu:.2} ms CPU ({first_wall:.2} wall), again {:.1} µs; \
         after 20 decisions RSS {now:.1} MiB in use, {peak:.1} MiB peak; open + first decision {:.2} ms CPU",
        file.file_name().unwrap().to_string_lossy(),
        size as f64 / 1e6,
        matters.len(),
        again_cpu * 10.0,
        open_cpu + first_cpu,
    );
}
