//! Every case under `rules/*/cases/` is decided with the shipped rules: the decision must first
//! match the case's hand-written `expect` (taken from the law and the guide), then the reviewed
//! snapshot beside the case. This is `banshi test rules` (the same code, `banshi_cli::cases`);
//! after a change, review and accept with `banshi test --accept`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::Path;

use banshi_cli::cases::{self, Options};

#[test]
fn rule_cases() {
    let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rules");
    let options = Options::default();
    let report = cases::run(&[rules], &options).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        report.cases.len() >= 70,
        "only {} cases found under rules/*/cases/",
        report.cases.len()
    );
    assert!(report.passed(), "{}", cases::render(&report, &options));
}

/// The snapshots `banshi test --accept` writes stay insta's: insta reads every one, with the
/// case's title as its description and the decision as its contents.
#[test]
fn snapshots_read_with_insta() {
    let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rules");
    let report = cases::run(&[rules], &Options::default()).unwrap_or_else(|e| panic!("{e}"));
    for case in &report.cases {
        let snap = case.path.with_extension("snap");
        let read = insta::Snapshot::from_file(&snap)
            .unwrap_or_else(|e| panic!("{}: insta cannot read it: {e}", snap.display()));
        let text: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&case.path).unwrap()).unwrap();
        assert_eq!(
            read.metadata().description(),
            text["title"].as_str(),
            "{}",
            snap.display()
        );
        let contents = read.contents().as_text().unwrap().to_string();
        let decision: serde_json::Value = serde_json::from_str(&contents)
            .unwrap_or_else(|e| panic!("{}: contents are not the decision: {e}", snap.display()));
        assert_eq!(decision["on"], text["on"], "{}", snap.display());
    }
}
