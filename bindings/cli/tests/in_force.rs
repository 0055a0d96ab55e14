//! The warnings about versions that decisions already stand on, changed since a git revision
//! (`banshi check`, and `banshi diff --git` under each version), each from its own fixture under
//! `tests/in-force/`, a folder holding:
//!
//! - `command`: a first line `# what the fixture shows`, then the arguments given to `banshi`;
//! - `committed/`: the files committed in a fresh git repository (absent: no repository at all);
//! - `working/`: the work tree as the author left it, which replaces the committed files.
//!
//! The command runs in the temporary repository, so the paths it prints are the fixture's own.
//! Beside each fixture, `NAME.snap` is what `banshi` printed: its exit code, standard output and
//! standard error, exactly. Each was read by hand: a warning points at the first changed field
//! of the file that changed (columns count characters, the first is 1) and names the version,
//! its effective date and the change.

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
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/in-force")
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Runs git in `dir` with no configuration but the command line's.
fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args([
            "-c",
            "user.name=author",
            "-c",
            "user.email=author@example.invalid",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?} in {}", dir.display());
}

/// The fixture's repository (or plain folder) in a fresh temporary folder.
fn set_up(name: &str) -> PathBuf {
    let fixture = fixtures().join(name);
    let outer = std::env::temp_dir().join(format!("banshi-in-force-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&outer);
    let dir = outer.join("work");
    std::fs::create_dir_all(&dir).unwrap();
    let committed = fixture.join("committed");
    if committed.is_dir() {
        copy_tree(&committed, &dir);
        git(&dir, &["init", "-q"]);
        git(&dir, &["add", "-A"]);
        git(&dir, &["commit", "-qm", "rules as published"]);
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.file_name().is_some_and(|n| n != ".git") {
                std::fs::remove_dir_all(&path)
                    .or_else(|_| std::fs::remove_file(&path))
                    .unwrap();
            }
        }
    }
    copy_tree(&fixture.join("working"), &dir);
    dir
}

fn in_force_fixture(name: &str) {
    let (description, args) = support::command(&fixtures().join(name));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let dir = set_up(name);
    let output = Command::new(env!("CARGO_BIN_EXE_banshi"))
        .args(&args)
        .current_dir(&dir)
        // The temporary folder's parents are no repository of the fixture's.
        .env("GIT_CEILING_DIRECTORIES", dir.parent().unwrap())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .expect("banshi runs");
    let _ = std::fs::remove_dir_all(dir.parent().unwrap());
    let printed = support::printed(&args, &output);
    support::snapshot(&fixtures(), name, description, &printed);
}

// One test per fixture, written by build.rs from the folder's listing.
include!(concat!(env!("OUT_DIR"), "/in_force_tests.rs"));
