//! Condition text → `banshi_core::expr::parse`, then compiled and decided inside a matter: the
//! first byte chooses the matter (0, a fixed one with a fact of every type and two
//! situations; then each shipped matter) and, with its top bit, whether the text is a
//! condition's `require` or the definition of a new situation that a condition requires.
//! The matter is compiled (`RuleSet::compile`, which type-checks the condition against the
//! matter's facts and situations) and, when it compiles, decides with no facts, every fact
//! and every other fact (evaluation, and the interview's missing facts). Syntax errors' spans
//! must lie inside the text.

#![no_main]

use std::sync::OnceLock;

use banshi_core::source::{ConditionSource, MatterSource, SituationSource};
use banshi_core::{RuleSet, RuleSetSource, SourceFile};
use banshi_fuzz::{full_facts, sources};
use libfuzzer_sys::fuzz_target;

/// A matter with a fact of every type that conditions read, and two situations.
const FIXED: &str = r#"
[matter]
basic_code = "1"
implementation_code = "F1"
name = "示例事项"
type = "公共服务"
agency = "示例局"
levels = ["市级"]
basis = ["b1"]
statutory_limit = { working_days = 20 }
promised_limit = { working_days = 5 }
handling = "承诺件"
service_objects = ["自然人"]
visits = 0
modes = ["网上办理"]

[version]
id = "1"
effective = "2026-01-01"

[[basis]]
id = "b1"
document = "示例条例"
article = "第一条"

[[facts]]
name = "年龄"
type = "integer"
question = "年龄？"

[[facts]]
name = "金额"
type = "decimal"
question = "金额？"

[[facts]]
name = "姓名"
type = "text"
question = "姓名？"

[[facts]]
name = "申请人类型"
type = "enum"
options = ["个体经营者", "企业", "其他"]
question = "申请人类型？"

[[facts]]
name = "出生日期"
type = "date"
question = "出生日期？"

[[facts]]
name = "准驾车型"
type = "enum_list"
options = ["C1", "C2", "D"]
question = "准驾车型？"

[[facts]]
name = "同意"
type = "bool"
question = "同意？"

[[situations]]
name = "成年同意"
when = "同意 and 年龄 >= 18"

[[situations]]
name = "企业或成年同意"
when = "成年同意 or 申请人类型 == \"企业\""
"#;

/// The matters a condition goes into: the fixed one, then the shipped ones.
fn matters() -> &'static [SourceFile<MatterSource>] {
    static MATTERS: OnceLock<Vec<SourceFile<MatterSource>>> = OnceLock::new();
    MATTERS.get_or_init(|| {
        let fixed: MatterSource = parse_fixed(FIXED);
        let mut all = vec![SourceFile::new("fixed/matter.toml", fixed)];
        all.extend(sources().matters.iter().cloned());
        all
    })
}

/// The fixed matter, parsed by the loader (the only TOML reader at hand).
fn parse_fixed(text: &str) -> MatterSource {
    let mut files = banshi_fuzz::governing_files();
    files.push(banshi_loader::TextFile {
        name: "fixed/matter.toml".into(),
        key: "fixed/matter.toml".into(),
        text: text.into(),
    });
    let (source, problems) = banshi_loader::sources(&files);
    assert!(problems.is_empty(), "{problems:?}");
    source
        .matters
        .into_iter()
        .next()
        .expect("the fixed matter")
        .source
}

fuzz_target!(|data: &[u8]| {
    let Some((which, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    if let Err(e) = banshi_core::expr::parse(text) {
        assert!(
            e.span.start <= e.span.end && e.span.end <= text.len(),
            "{e:?}"
        );
        return;
    }
    let matters = matters();
    let Some(file) = matters.get(usize::from(which & 0x7f) % matters.len()) else {
        return;
    };
    let mut matter = file.clone();
    let basis = vec![
        matter
            .source
            .basis
            .first()
            .map(|b| b.id.clone())
            .unwrap_or_default(),
    ];
    let require = if which & 0x80 != 0 {
        matter.source.situations.push(SituationSource {
            name: "模糊情形".into(),
            when: text.into(),
        });
        "模糊情形".to_string()
    } else {
        text.to_string()
    };
    matter.source.conditions.push(ConditionSource {
        id: "fuzz".into(),
        require,
        when: None,
        message: "须".into(),
        basis,
    });
    let shipped = sources();
    let src = RuleSetSource {
        matters: vec![matter],
        ..RuleSetSource::new(shipped.licences.clone(), shipped.calendar.clone())
    };
    let Ok(rules) = RuleSet::compile(&src) else {
        return;
    };
    for m in rules.matters().unwrap() {
        let Ok(compiled) = rules.matter(&m.code, m.effective) else {
            continue;
        };
        for facts in [
            "{}".to_string(),
            full_facts(compiled.facts(), false),
            full_facts(compiled.facts(), true),
        ] {
            let _ = rules.evaluate_json(&m.code, &facts, m.effective);
        }
    }
});
