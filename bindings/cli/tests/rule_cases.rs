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

/// The made-up matters of the conformance fixtures have cases too: elements no shipped matter
/// has yet (a version that ends, forwarding days) are shown there. They are decided with the
/// shipped licences and calendar, as the corpus decides them: from a copy of the fixtures in a
/// folder with no `calendar/` above it (the repository's `tests/calendar` is a test tool's).
#[test]
fn fixture_cases() {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/conformance/fixtures");
    let fixtures = std::env::temp_dir()
        .join(format!("banshi-fixture-cases-{}", std::process::id()))
        .join("fixtures");
    copy_dir(&source, &fixtures);
    let options = Options::default();
    let report =
        cases::run(std::slice::from_ref(&fixtures), &options).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        report.cases.len() >= 6,
        "only {} cases found under tests/conformance/fixtures/*/cases/",
        report.cases.len()
    );
    assert!(report.passed(), "{}", cases::render(&report, &options));
    let _ = std::fs::remove_dir_all(fixtures.parent().unwrap());
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
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
