//! Every case under `rules/*/cases/` is decided with the shipped rules: the decision must first
//! match the case's hand-written `expect` (taken from the law and the guide), then the reviewed
//! snapshot beside the case. This is `banshi test rules` (the same code, `banshi_cli::cases`);
//! after a change, review and accept with `banshi test --accept`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

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
