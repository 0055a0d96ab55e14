//! Every warning `banshi lint` prints, each from its own fixture under `tests/lint/`:
//!
//! - `NAME.toml`: a matter file, linted alone (`banshi lint tests/lint/NAME.toml`, with the
//!   built-in licence catalogue and calendar), the first line saying what it warns about and
//!   where;
//! - `NAME/`: a rule folder, for warnings that need a retained-proof catalogue
//!   (`retained-proofs.toml`).
//!
//! Beside each fixture, `NAME.snap` is what `banshi lint` printed for it: its exit code, standard
//! output and standard error, exactly, read by hand: each line and column points at the value
//! warned about (columns count characters, the first is 1). As for `tests/check/`, a new fixture
//! fails the test and writes `NAME.snap.new`; `cargo insta review` accepts it.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::Path;
use std::process::Command;

mod support;

/// What `banshi lint ARGS…` prints, run from the package folder so that paths stay relative.
fn lint(args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_banshi"))
        .arg("lint")
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("banshi runs");
    support::printed(&[&["lint"], args].concat(), &output)
}

fn fixtures() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lint")
}

fn snapshot(name: &str, description: String, printed: &str) {
    support::snapshot(&fixtures(), name, description, printed);
}

/// Lints the fixture `name` (`tests/lint/NAME.toml` or the folder `tests/lint/NAME`) against its
/// snapshot.
fn lint_fixture(name: &str) {
    let folder = fixtures().join(name);
    let path = if folder.is_dir() {
        folder
    } else {
        fixtures().join(format!("{name}.toml"))
    };
    let arg = format!("tests/lint/{}", path.file_name().unwrap().display());
    snapshot(name, support::description(&path), &lint(&[&arg]));
}

// One test per fixture, written by build.rs from the folder's listing.
include!(concat!(env!("OUT_DIR"), "/lint_tests.rs"));

/// `--deny` makes warnings fail; without warnings it succeeds.
#[test]
fn deny_fails_on_warnings_only() {
    let printed = lint(&["--deny", "tests/lint/promised-is-statutory.toml"]);
    snapshot("deny", "--deny with one warning: exit 1".into(), &printed);
    let clean = lint(&["--deny", "tests/lint/clean.toml"]);
    assert!(clean.contains("exit code: 0\n"), "{clean}");
}

/// A bundle keeps no line numbers: its warnings name the key path.
#[test]
fn a_bundle_is_linted_by_key_path() {
    let dir = std::env::temp_dir().join(format!("banshi-lint-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("matter")).unwrap();
    std::fs::copy(
        fixtures().join("issued-not-spared.toml"),
        dir.join("matter/matter.toml"),
    )
    .unwrap();
    let (bundle, stdout) = lint_bundle_of(&dir);
    assert_eq!(
        stdout,
        "matter/matter.toml: materials[2].issuer: warning[issued-not-spared]: material \
         `marriage-certificate` is issued by 民政部门 but has neither a `sharing` route nor a \
         `licence` (陕政办发〔2023〕1号 任务17: “推动实现政府部门核发的材料一律免于提交,能够提供电子证照的一律免于提交实体证照”)\n"
    );
    // Unsigned and not in development mode: refused, as every command refuses it.
    let refused = Command::new(env!("CARGO_BIN_EXE_banshi"))
        .args(["lint", "--bundle", bundle.to_str().unwrap()])
        .output()
        .expect("banshi runs");
    assert_eq!(refused.status.code(), Some(1));
    std::fs::remove_dir_all(&dir).ok();
}

/// A bundle carries the retained-proof catalogue that was beside its rules, so a proof outside
/// it is told from the bundle as from the folder.
#[test]
fn a_bundle_carries_its_retained_proof_catalogue() {
    let dir = std::env::temp_dir().join(format!("banshi-lint-proofs-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("matter")).unwrap();
    let fixture = fixtures().join("proof-not-retained");
    std::fs::copy(
        fixture.join("matter/matter.toml"),
        dir.join("matter/matter.toml"),
    )
    .unwrap();
    std::fs::copy(
        fixture.join("retained-proofs.toml"),
        dir.join("retained-proofs.toml"),
    )
    .unwrap();
    let (_, stdout) = lint_bundle_of(&dir);
    // The folder's three warnings (tests/lint/proof-not-retained.snap), by key path.
    assert!(
        stdout.contains(
            "matter/matter.toml: materials[2].proof: warning[proof-not-retained]: the proof \
             `居住证明` is not in the retained-proof catalogue"
        ),
        "{stdout}"
    );
    assert_eq!(
        stdout.matches("warning[basis-below-rule]").count(),
        2,
        "{stdout}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// Writes the rules folder `dir` as an unsigned bundle and lints it in development mode: the
/// bundle's path and what `banshi lint` printed.
fn lint_bundle_of(dir: &std::path::Path) -> (std::path::PathBuf, String) {
    let bundle = dir.join("rules.bundle.json");
    let made = Command::new(env!("CARGO_BIN_EXE_banshi"))
        .args([
            "bundle",
            dir.to_str().unwrap(),
            "-o",
            bundle.to_str().unwrap(),
        ])
        .output()
        .expect("banshi runs");
    assert!(made.status.success(), "{made:?}");
    let output = Command::new(env!("CARGO_BIN_EXE_banshi"))
        .args(["lint", "--dev", "--bundle", bundle.to_str().unwrap()])
        .output()
        .expect("banshi runs");
    (bundle, String::from_utf8_lossy(&output.stdout).into_owned())
}

/// Every snapshot belongs to a fixture (or to a test above).
#[test]
fn no_orphan_snapshots() {
    let mut orphans = Vec::new();
    for entry in std::fs::read_dir(fixtures()).expect("tests/lint is readable") {
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
        if stem != "deny" && !fixture.is_dir() && !toml.is_file() {
            orphans.push(path.display().to_string());
        }
    }
    assert!(
        orphans.is_empty(),
        "snapshots without a fixture: {orphans:?}"
    );
}
