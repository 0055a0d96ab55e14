//! Every message `banshi check` prints, each from its own fixture under `tests/check/`:
//!
//! - `NAME.toml`: a matter file, checked alone (`banshi check tests/check/NAME.toml`, with the
//!   built-in licence catalogue and calendar); most are `tests/fixtures/valid.toml` broken in one
//!   place, the first line saying where;
//! - `NAME/`: a rule folder (`banshi check tests/check/NAME`), for calendar and licence-catalogue
//!   problems and problems across files.
//!
//! Beside each fixture, `NAME.snap` is what `banshi check` printed for it: its exit code, standard
//! output and standard error, exactly. Each was read by hand: the line and column must point at
//! the broken thing (columns count characters, the first is 1). A new fixture fails the test and
//! writes `NAME.snap.new` beside it; `cargo insta review` accepts it (not under `CI=true`, where a
//! missing snapshot only fails).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::Path;
use std::process::Command;

mod support;

/// What `banshi check ARG` prints, run from the package folder so that paths stay relative.
fn check(arg: &str) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_banshi"))
        .args(["check", arg])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("banshi runs");
    support::printed(&["check", arg], &output)
}

fn fixtures() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/check")
}

/// A fixture's name if `path` is one: a `.toml` file or a folder directly in `tests/check/`.
fn fixture_name(path: &Path) -> Option<String> {
    if path.parent() != Some(fixtures().as_path()) {
        return None;
    }
    let name = path.file_name()?.to_str()?;
    if path.is_dir() {
        Some(name.to_string())
    } else {
        name.strip_suffix(".toml").map(str::to_string)
    }
}

fn snapshot(name: &str, description: String, printed: &str) {
    support::snapshot(&fixtures(), name, description, printed);
}

/// Checks the fixture `name` (`tests/check/NAME.toml` or the folder `tests/check/NAME`) against
/// its snapshot.
fn check_fixture(name: &str) {
    let folder = fixtures().join(name);
    let path = if folder.is_dir() {
        folder
    } else {
        fixtures().join(format!("{name}.toml"))
    };
    assert_eq!(fixture_name(&path).as_deref(), Some(name));
    let printed = check(&format!(
        "tests/check/{}",
        path.file_name().unwrap().display()
    ));
    snapshot(name, support::description(&path), &printed);
}

// One test per fixture, written by build.rs from the folder's listing.
include!(concat!(env!("OUT_DIR"), "/check_tests.rs"));

/// A path that does not exist has no fixture; its snapshot stands beside the others.
#[test]
fn check_missing_path() {
    let printed = check("tests/check/no-such-file.toml");
    snapshot(
        "missing-path",
        "a path that does not exist".to_string(),
        &printed,
    );
}

/// Every snapshot belongs to a fixture (or to `check_missing_path`): a fixture removed or renamed
/// takes its snapshot with it.
#[test]
fn no_orphan_snapshots() {
    let mut orphans = Vec::new();
    for entry in std::fs::read_dir(fixtures()).expect("tests/check is readable") {
        let path = entry.expect("entry").path();
        let Some(stem) = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_suffix(".snap"))
        else {
            continue;
        };
        let fixture = fixtures().join(stem);
        let toml = fixtures().join(format!("{stem}.toml"));
        if stem != "missing-path" && !fixture.is_dir() && !toml.is_file() {
            orphans.push(path.display().to_string());
        }
    }
    assert!(
        orphans.is_empty(),
        "snapshots without a fixture: {orphans:?}"
    );
}
