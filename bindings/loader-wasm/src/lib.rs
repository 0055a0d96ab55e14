//! `banshi-loader` as a WebAssembly module for Node (`npx banshi bundle`, in the npm package's
//! `bin/banshi.mjs`): rule files in, the bundle `banshi bundle` writes out, byte for byte.
//!
//! A module apart from the engine's (`wasm/`): the loader reads TOML, which front ends never do,
//! and the engine's module is downloaded by every phone and kiosk, within a size budget. Node
//! walks the folder and passes every `.toml` file's name, key and text; which of them are rule
//! files ([`banshi_loader::is_rule_file`]) and everything after that is the loader's and the
//! core's own code.

use banshi_core::bundle;
use banshi_loader::{Located, TextFile};
use serde_json::{Value, json};
use wasm_bindgen::prelude::wasm_bindgen;

/// The bundle of rule files given as JSON text `[{"name","key","text"},…]`: answers
/// `{"ok":true,"bundle":"<text>"}`, or `{"ok":false,"problems":["file:line:col: message",…]}`
/// with every problem located as `banshi check` prints it.
#[wasm_bindgen]
pub fn bundle(files: &str) -> String {
    let files = match read_files(files) {
        Ok(mut files) => {
            files.retain(|file| banshi_loader::is_rule_file(&file.name));
            files
        }
        Err(message) => return json!({"ok": false, "problems": [message]}).to_string(),
    };
    match write(&files) {
        Ok(text) => json!({"ok": true, "bundle": text}).to_string(),
        Err(problems) => {
            let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
            json!({"ok": false, "problems": lines}).to_string()
        }
    }
}

/// What `banshi bundle` does with the files it read, unsigned.
fn write(files: &[TextFile]) -> Result<String, Vec<Located>> {
    let (source, problems) = banshi_loader::sources(files);
    if !problems.is_empty() {
        return Err(problems);
    }
    bundle::write(&source).map_err(|errors| banshi_loader::locate_all(files, &errors))
}

fn read_files(text: &str) -> Result<Vec<TextFile>, String> {
    let value: Value = serde_json::from_str(text).map_err(|e| format!("the file list: {e}"))?;
    let list = value.as_array().ok_or("the file list is not an array")?;
    list.iter()
        .map(|file| {
            let field = |key: &str| {
                file.get(key)
                    .and_then(Value::as_str)
                    .map(str::to_string)
                    .ok_or_else(|| format!("a file has no `{key}` text"))
            };
            Ok(TextFile {
                name: field("name")?,
                key: field("key")?,
                text: field("text")?,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn problems_are_located() {
        let files = json!([{"name": "x/matter.toml", "key": "matter.toml", "text": "[matter\n"}]);
        let answer: Value = serde_json::from_str(&bundle(&files.to_string())).unwrap();
        assert_eq!(answer["ok"], false);
        assert!(
            answer["problems"][0]
                .as_str()
                .unwrap()
                .starts_with("x/matter.toml:1:")
        );
    }
}
