//! Every case under `rules/themes/*/cases/` is decided with the shipped rules as the theme
//! (一件事一次办) beside it: the decision must first match the case's hand-written `expect`, then
//! the reviewed snapshot beside the case. This is `banshi test rules/themes` (the same code,
//! `banshi_cli::cases`, which `banshi test rules` runs with the matters' cases); after a change,
//! review and accept with `banshi test --accept`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::Path;

use banshi_cli::cases::{self, Options};

#[test]
fn theme_cases() {
    let themes = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rules/themes");
    let options = Options::default();
    let report = cases::run(&[themes], &options).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        report.cases.len() >= 10,
        "only {} theme cases found under rules/themes/*/cases/",
        report.cases.len()
    );
    assert!(report.passed(), "{}", cases::render(&report, &options));
}
