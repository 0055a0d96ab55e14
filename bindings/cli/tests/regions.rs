//! Regions that nest: a decision for a region takes the implementation of the nearest region
//! that encloses it, and the listing for a region holds the regions within it.
//!
//! `tests/fixtures/regions/` holds one base item (`000000000001`) implemented by 咸阳市
//! (610400), by 咸阳市秦都区 (610402) and twice by 西安市 (610100, two agencies). Each folder
//! under `tests/regions/` is one command on it (`command`: a first line `# what it shows`, then the
//! arguments); `NAME.snap` beside it is what `banshi` printed (exit code, standard output and
//! standard error), each read by hand against the codes of GB/T 2260: 610402 and 610404 lie
//! within 610400, 610113 within 610100, 620100 (甘肃省兰州市) within none of them.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};
use std::process::Command;

mod support;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/regions")
}

fn banshi(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_banshi"))
        .args(args)
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")))
        .stdin(std::process::Stdio::null())
        .output()
        .expect("banshi runs")
}

fn region_fixture(name: &str) {
    let (description, args) = support::command(&fixtures().join(name));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let printed = support::printed(&args, &banshi(&args));
    support::snapshot(&fixtures(), name, description, &printed);
}

// One test per fixture, written by build.rs from the folder's listing.
include!(concat!(env!("OUT_DIR"), "/regions_tests.rs"));

const QINDU: &str = "11610402MB1234567A4000000000001";
const XIANYANG: &str = "11610400MB1234567A3000000000001";

/// The 实施编码 a decision for `region` is made with.
fn decided_with(region: &str) -> String {
    let facts = std::env::temp_dir().join(format!("banshi-regions-{}.json", std::process::id()));
    std::fs::write(&facts, "{}").unwrap();
    let output = banshi(&[
        "decide",
        "--rules",
        "tests/fixtures/regions",
        "--matter",
        "000000000001",
        "--region",
        region,
        "--facts",
        facts.to_str().unwrap(),
        "--on",
        "2026-03-02",
        "--compact",
    ]);
    assert!(
        output.status.success(),
        "{region}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let d: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    d["matter"]["code"].as_str().unwrap().to_string()
}

#[test]
fn a_district_s_own_implementation_wins_over_its_city_s() {
    // 秦都区 has its own list: by name, by code, by a village code within it.
    assert_eq!(decided_with("咸阳市秦都区"), QINDU);
    assert_eq!(decided_with("610402"), QINDU);
    assert_eq!(decided_with("610402001001"), QINDU);
    // 渭城区 (610404) has none: 咸阳市's applies there; the city itself, by name or code.
    assert_eq!(decided_with("610404"), XIANYANG);
    assert_eq!(decided_with("咸阳市"), XIANYANG);
    assert_eq!(decided_with("610400"), XIANYANG);
}
