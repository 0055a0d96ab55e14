//! Catalogue scale, natively: what opening a catalogue of many matters and deciding with it
//! costs, in the format before catalogues (every matter parsed and compiled at load) and in the
//! catalogue format (the index read at open, each matter compiled on its first decision).
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
use banshi_core::{Trust, bundle};

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
    let rules = bundle::canonical(&src).unwrap();
    let legacy = format!(
        "{{\"format\":\"{}\",\"hash\":\"{}\",\"signatures\":[],\"rules\":{rules}}}\n",
        bundle::LEGACY_FORMAT,
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

fn open(file: &Path) {
    let size = std::fs::metadata(file).unwrap().len();
    let trust = Trust::development();
    let started = Instant::now();
    let rules = banshi_loader::load_bundle(file, &trust).unwrap();
    let opened = started.elapsed();
    let matters = rules.matters();
    // 20 matters spread over the catalogue, the last one first: each decided once, compiled then
    // if the format compiles on demand.
    let step = (matters.len() / 20).max(1);
    let picked: Vec<_> = matters.iter().rev().step_by(step).take(20).collect();
    let first = picked.first().unwrap();
    let started = Instant::now();
    rules
        .decide_json(&first.code, "{}", first.effective)
        .unwrap();
    let first_decision = started.elapsed();
    let started = Instant::now();
    rules
        .decide_json(&first.code, "{}", first.effective)
        .unwrap();
    let again = started.elapsed();
    for m in &picked {
        rules.decide_json(&m.code, "{}", m.effective).unwrap();
    }
    let (peak, now) = memory();
    println!(
        "{}: {:.1} MB, {} versions; open {:.2} ms; first decision {:.2} ms (again {:.3} ms); \
         after 20 decisions RSS {now:.1} MiB in use, {peak:.1} MiB peak; open + first decision {:.2} ms",
        file.file_name().unwrap().to_string_lossy(),
        size as f64 / 1e6,
        matters.len(),
        opened.as_secs_f64() * 1e3,
        first_decision.as_secs_f64() * 1e3,
        again.as_secs_f64() * 1e3,
        (opened + first_decision).as_secs_f64() * 1e3,
    );
}
