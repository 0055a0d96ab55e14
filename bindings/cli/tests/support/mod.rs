//! What the fixture tests share (`check`, `lint`, `in_force`, `regions`): a command's output as
//! its snapshot records it, a fixture's `command` file and description, and the snapshot kept
//! beside the fixture. Each test crate uses the part it needs.
#![allow(dead_code)]

use std::path::Path;
use std::process::Output;

/// `$ banshi ARGS`, then the exit code, standard output and standard error: what a snapshot
/// holds.
pub fn printed(args: &[&str], output: &Output) -> String {
    let code = output
        .status
        .code()
        .map_or_else(|| "none".to_string(), |c| c.to_string());
    format!(
        "$ banshi {}\nexit code: {code}\n--- stdout\n{}--- stderr\n{}",
        args.join(" "),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// A fixture folder's `command` file: its first line `# what the fixture shows`, then the
/// arguments given to `banshi`.
pub fn command(fixture: &Path) -> (String, Vec<String>) {
    let text = std::fs::read_to_string(fixture.join("command")).expect("the fixture's command");
    let mut lines = text.lines();
    let description = lines
        .next()
        .unwrap_or_default()
        .trim_start_matches('#')
        .trim()
        .to_string();
    let args = lines
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .map(str::to_string)
        .collect();
    (description, args)
}

/// The first line of a fixture file (of its first file, for a folder), which says what the
/// fixture shows.
pub fn description(path: &Path) -> String {
    let mut file = path.to_path_buf();
    while file.is_dir() {
        let mut entries: Vec<_> = std::fs::read_dir(&file)
            .expect("fixture folder is readable")
            .map(|e| e.expect("entry").path())
            .collect();
        entries.sort();
        file = entries.into_iter().next().expect("fixture folder is empty");
    }
    let bytes = std::fs::read(&file).expect("fixture is readable");
    let text = String::from_utf8_lossy(&bytes);
    let first = text.lines().next().unwrap_or_default();
    first.strip_prefix('#').unwrap_or(first).trim().to_string()
}

/// Compares `printed` with the snapshot `NAME.snap` in `folder`, which carries `description`.
pub fn snapshot(folder: &Path, name: &str, description: String, printed: &str) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(folder);
    settings.set_prepend_module_to_snapshot(false);
    settings.set_snapshot_suffix("");
    settings.set_omit_expression(true);
    settings.set_description(description);
    settings.bind(|| insta::assert_snapshot!(name.to_string(), printed));
}
