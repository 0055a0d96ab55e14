//! A matter.toml text → `banshi_loader::compile` with the shipped licence catalogue and
//! calendar, as `banshi check` checks a matter folder. Every problem must be located without a
//! panic; rules that compile must decide for a first interview (no facts) and with every fact
//! answered, on two dates, and
//! write a bundle that loads again.

#![no_main]

use banshi_fuzz::{full_facts, governing_files};
use banshi_loader::TextFile;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn governing() -> &'static [TextFile] {
    static FILES: OnceLock<Vec<TextFile>> = OnceLock::new();
    FILES.get_or_init(governing_files)
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut files = governing().to_vec();
    files.push(TextFile {
        name: "rules/fuzz/matter.toml".into(),
        key: "fuzz/matter.toml".into(),
        text: text.into(),
    });
    let rules = match banshi_loader::compile(&files) {
        Ok(rules) => rules,
        Err(problems) => {
            assert!(!problems.is_empty());
            for p in &problems {
                let _ = p.to_string();
            }
            return;
        }
    };
    for m in rules.matters().unwrap() {
        let Ok(matter) = rules.matter(&m.code, m.effective) else {
            continue;
        };
        let full = full_facts(matter.facts(), false);
        for on in [m.effective, m.effective + chrono::Days::new(40)] {
            let _ = rules.decide_json(&m.code, "{}", on);
            let _ = rules.decide_json(&m.code, &full, on);
        }
    }
    let (source, problems) = banshi_loader::sources(&files);
    assert!(problems.is_empty());
    let bundle = banshi_core::bundle::write(&source).expect("compiled rules write a bundle");
    let loaded = banshi_core::bundle::load(&bundle, &banshi_core::Trust::development())
        .expect("a written (unsigned) bundle loads in development mode");
    assert_eq!(loaded.hash(), rules.hash());
});
