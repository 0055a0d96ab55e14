//! The rules built into the `banshi` binary from the repository's `rules/` folder (embedded by
//! `build.rs`), so that it decides without `--rules`.

use std::path::Path;

use banshi_loader::{ReadError, TextFile};

/// The built-in rule files, named `rules/…` and keyed relative to `rules/` as if read from it.
pub fn files() -> Vec<TextFile> {
    let files: &[(&str, &str)] = &include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
    banshi_loader::embedded(files, "rules")
}

/// [`banshi_loader::read_rules`] with the built-in licence catalogue and calendar for rules
/// that have none of their own.
pub fn read_rules(path: &Path) -> Result<Vec<TextFile>, ReadError> {
    banshi_loader::read_rules(path, &files())
}
