//! Every saved input of the fuzz targets (tests/fuzz/regressions/<target>/, issue 16), run through
//! the target's path in the public API: each was a panic, an exponential walk or a quadratic step
//! when it was found, and must now give an answer or typed errors. A hang fails the test run by
//! its time-out; speed itself is measured in core/benches/worst.rs, not here.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::Path;

use banshi_core::facts::parse_date;
use banshi_loader::TextFile;

/// The saved inputs of `target`, by name.
fn inputs(target: &str) -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fuzz/regressions")
        .join(target);
    let mut found: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect();
    found.sort();
    found
}

/// `rule_file`: a matter file beside the shipped licence catalogue and calendar, compiled as
/// `banshi check` does; a matter that compiles decides with no facts (an interview's start).
#[test]
fn saved_rule_files_compile_or_fail_with_located_problems() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rules");
    let shipped: Vec<TextFile> = banshi_loader::read_rules(&dir, &[])
        .unwrap()
        .into_iter()
        .filter(|f| f.name.ends_with("licences.toml") || f.name.contains("calendar/"))
        .collect();
    let on = parse_date("2026-03-02").unwrap();
    let saved = inputs("rule_file");
    assert!(saved.len() >= 3, "{saved:?}");
    for (name, text) in saved {
        let mut files = shipped.clone();
        files.push(TextFile {
            name: format!("fuzz/{name}"),
            key: format!("fuzz/{name}"),
            text,
        });
        match banshi_loader::compile(&files) {
            Ok(rules) => {
                for matter in rules.matters().unwrap() {
                    // An answer or typed errors, never a panic.
                    let _ = rules.decide_json(&matter.code, "{}", on);
                    let _ = rules.decide_json(&matter.code, r#"{"年龄": 30}"#, on);
                }
            }
            Err(problems) => {
                assert!(!problems.is_empty(), "{name}");
                assert!(
                    problems.iter().all(|p| p.line >= 1 && p.column >= 1),
                    "{name}"
                );
            }
        }
    }
}
