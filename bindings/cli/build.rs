//! Embeds the repository's `rules/` so that `banshi` decides without `--rules`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
}

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let root = manifest.join("../..");
    let rules = root.join("rules");
    println!("cargo:rerun-if-changed={}", rules.display());
    let mut files = Vec::new();
    collect(&rules, &mut files);
    files.sort();
    let mut code = String::from("[\n");
    for file in files {
        let name = file
            .strip_prefix(&root)
            .unwrap_or(&file)
            .to_string_lossy()
            .replace('\\', "/");
        let absolute = file.canonicalize().unwrap_or(file);
        let _ = writeln!(
            code,
            "    ({name:?}, include_str!({:?})),",
            absolute.display().to_string()
        );
    }
    code.push(']');
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default()).join("embedded.rs");
    if let Err(e) = std::fs::write(&out, code) {
        println!("cargo:warning=cannot write {}: {e}", out.display());
    }
    fixture_tests(
        &manifest.join("tests/check"),
        "check_tests.rs",
        "check_fixture",
    );
    fixture_tests(
        &manifest.join("tests/lint"),
        "lint_tests.rs",
        "lint_fixture",
    );
    fixture_tests(
        &manifest.join("tests/in-force"),
        "in_force_tests.rs",
        "in_force_fixture",
    );
    fixture_tests(
        &manifest.join("tests/regions"),
        "regions_tests.rs",
        "region_fixture",
    );
}

/// One `#[test]` per fixture of `dir` (`tests/check/`, `tests/lint/`, `tests/in-force/`, `tests/regions/`: a `.toml` file or a
/// folder), calling `runner` with its name, written to `OUT_DIR/file` for the test to include: a
/// failing message shows up as its own test, by name.
fn fixture_tests(dir: &Path, file: &str, runner: &str) {
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut names = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            let Some(file) = path.file_name().and_then(|n| n.to_str()) else {
                continue;
            };
            if path.is_dir() {
                names.push(file.to_string());
            } else if let Some(stem) = file.strip_suffix(".toml") {
                names.push(stem.to_string());
            }
        }
    }
    names.sort();
    let mut code = String::new();
    for name in names {
        let mut function: String = name
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        if !function.starts_with(|c: char| c.is_ascii_alphabetic()) {
            function.insert_str(0, "fixture_");
        }
        let _ = writeln!(
            code,
            "#[test]\nfn {function}() {{\n    {runner}({name:?});\n}}\n"
        );
    }
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default()).join(file);
    if let Err(e) = std::fs::write(&out, code) {
        println!("cargo:warning=cannot write {}: {e}", out.display());
    }
}
