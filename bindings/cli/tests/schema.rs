//! The committed JSON Schemas (`rules/schema/`) are what `banshi schema` writes from the types the
//! loader reads today: a field added to a rule file's type without regenerating them fails here.
//! (tests/schema/validate.mjs then checks every shipped file against them with ajv.)

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

#[test]
fn committed_schemas_are_current() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rules/schema");
    let files = banshi_cli::schema::files().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(files.len(), 6);
    for (name, text) in files {
        let committed = std::fs::read_to_string(dir.join(name)).unwrap_or_default();
        assert!(
            committed == text,
            "rules/schema/{name} is not what `banshi schema` writes now: run `cargo run -p banshi-cli -- schema`"
        );
    }
}

#[test]
fn descriptions_are_in_chinese_and_english() {
    let files = banshi_cli::schema::schemas().unwrap();
    let (_, matter) = files
        .iter()
        .find(|(n, _)| *n == "matter.schema.json")
        .unwrap();
    let promised = &matter["$defs"]["MatterInfoSource"]["properties"]["promised_limit"];
    assert_eq!(
        promised["description"].as_str(),
        Some(
            "承诺办结时限 — The promised time limit (承诺办结时限), not longer than the statutory one."
        )
    );
    let why = &files
        .iter()
        .find(|(n, _)| *n == "case.schema.json")
        .unwrap()
        .1["properties"]["why"];
    assert!(
        why["description"]
            .as_str()
            .unwrap()
            .starts_with("预期是对照什么核对的（预期改动时须一并修改） — What the expectation"),
        "{why}"
    );
}
