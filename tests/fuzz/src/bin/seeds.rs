//! Writes the seed corpora under `corpus/<target>/` from the shipped rules and cases:
//! `cargo run --bin seeds` in tests/fuzz (tests/fuzz.sh runs it when a corpus is missing).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fs;
use std::path::{Path, PathBuf};

use banshi_core::RuleSetSource;
use banshi_fuzz::{bundle_text, head, matter_number, rules, rules_dir, sources};
use serde_json::Value;

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    fs::create_dir_all(dir).unwrap();
    fs::write(dir.join(name), bytes).unwrap();
}

fn with_head(head: [u8; 3], text: &str) -> Vec<u8> {
    let mut out = head.to_vec();
    out.extend_from_slice(text.as_bytes());
    out
}

/// The expressions of a matter file: `require`, `when` and `quantity` texts.
fn expressions(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                match (k.as_str(), v) {
                    ("require" | "when" | "quantity", Value::String(s)) => out.push(s.clone()),
                    _ => expressions(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| expressions(v, out)),
        _ => {}
    }
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let src = sources();
    let rules = rules();

    // rule_file: every shipped matter.toml.
    for entry in fs::read_dir(rules_dir()).unwrap() {
        let dir = entry.unwrap().path();
        let file = ["matter.toml", "base.toml"]
            .into_iter()
            .map(|name| dir.join(name))
            .find(|f| f.exists())
            .unwrap_or_else(|| dir.join("matter.toml"));
        if file.exists() {
            let name = dir.file_name().unwrap().to_string_lossy().to_string();
            write(
                &root.join("rule_file"),
                &format!("{name}.toml"),
                &fs::read(&file).unwrap(),
            );
        }
    }

    // facts, object_path, verify: every case.
    for file in &src.matters {
        let mut folder = Path::new(&file.file).parent().unwrap();
        if folder.ends_with("implementations") {
            folder = folder.parent().unwrap();
        }
        let folder = rules_dir().join(folder);
        let code = &file.source.matter.implementation_code;
        let Some(number) = matter_number(code) else {
            continue;
        };
        let Ok(cases) = fs::read_dir(folder.join("cases")) else {
            continue;
        };
        for case in cases {
            let path = case.unwrap().path();
            if path.extension().and_then(|e| e.to_str()) != Some("json") {
                continue;
            }
            let case: Value = serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
            let on = case["on"].as_str().unwrap();
            let date = banshi_core::facts::parse_date(on).unwrap();
            let facts = case["facts"].to_string();
            let name = format!(
                "{}-{}",
                path.parent()
                    .unwrap()
                    .parent()
                    .unwrap()
                    .file_name()
                    .unwrap()
                    .to_string_lossy(),
                path.file_stem().unwrap().to_string_lossy()
            );
            let head = head(number, date);
            write(&root.join("facts"), &name, &with_head(head, &facts));
            write(&root.join("object_path"), &name, &with_head(head, &facts));
            if let Ok(decision) = rules.decide_json(code, &facts, date) {
                let record = serde_json::json!({
                    "matter": code,
                    "on": on,
                    "facts": case["facts"],
                    "receipt": decision.receipt,
                });
                write(&root.join("verify"), &name, record.to_string().as_bytes());
            }
        }
        // The first interview.
        let head = head(
            number,
            banshi_core::facts::parse_date("2026-03-02").unwrap(),
        );
        let name = format!("{}-empty", file.file.replace('/', "-"));
        write(&root.join("facts"), &name, &with_head(head, "{}"));
        write(&root.join("object_path"), &name, &with_head(head, "null"));
    }

    // condition: every expression, with the byte choosing its matter's scope (1 + file order).
    for (i, file) in src.matters.iter().enumerate() {
        let mut found = Vec::new();
        expressions(&serde_json::to_value(&file.source).unwrap(), &mut found);
        found.sort();
        found.dedup();
        let scope = u8::try_from(i + 1).unwrap();
        for (j, text) in found.iter().enumerate() {
            let mut bytes = vec![scope];
            bytes.extend_from_slice(text.as_bytes());
            write(&root.join("condition"), &format!("m{i}-{j}"), &bytes);
        }
    }
    for (j, text) in [
        "年龄 >= 18 and 申请人类型 == \"个体经营者\"",
        "not 同意 or 成年同意",
        "years_between(出生日期, today) < 70 and \"C1\" in 准驾车型",
        "count(准驾车型) * 金额 + -1.5 / 3 > 0",
        "申请人类型 in [\"企业\", \"其他\"] and 姓名 != \"\"",
        "企业或成年同意 and days_between(today, 2026-03-02) == 0",
    ]
    .iter()
    .enumerate()
    {
        let mut bytes = vec![0u8];
        bytes.extend_from_slice(text.as_bytes());
        write(&root.join("condition"), &format!("fixed-{j}"), &bytes);
    }

    // bundle: the shipped catalogue, its index and matter lines, and one catalogue per matter
    // (smaller inputs).
    let whole = bundle_text();
    let bundle_dir = root.join("bundle");
    let rules_text = |bundle: &str| -> String {
        // The index as written (a parsed `Value` would reorder its keys: not canonical).
        let (header, matters) = bundle.split_once('\n').unwrap();
        let (_, index) = header.split_once(",\"index\":").unwrap();
        format!("{}\n{matters}", index.strip_suffix('}').unwrap())
    };
    write(&bundle_dir, "shipped-0", &with_mode(0, whole));
    write(&bundle_dir, "shipped-1", &with_mode(1, &rules_text(whole)));
    for file in &src.matters {
        let single = RuleSetSource {
            matters: vec![file.clone()],
            ..RuleSetSource::new(
                src.licences.clone(),
                src.calendar.iter().take(1).cloned().collect(),
            )
        };
        let Ok(text) = banshi_core::bundle::write(&single) else {
            continue;
        };
        let name = file.file.replace('/', "-");
        write(&bundle_dir, &format!("{name}-0"), &with_mode(0, &text));
        write(
            &bundle_dir,
            &format!("{name}-1"),
            &with_mode(1, &rules_text(&text)),
        );
        write(
            &bundle_dir,
            &format!("{name}-2"),
            &with_mode(2, &rules_text(&text)),
        );
    }
    eprintln!("seeds written under {}", root.display());
}

fn with_mode(mode: u8, text: &str) -> Vec<u8> {
    let mut out = vec![mode];
    out.extend_from_slice(text.as_bytes());
    out
}
