//! What the fuzz targets share: the shipped rules loaded once, and how the first bytes of an
//! input choose a matter and a decision date.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

pub mod js;

use std::path::PathBuf;
use std::sync::OnceLock;

use banshi_core::ffi::{Engine, ErrorData};
use banshi_core::{RuleSet, RuleSetSource};
use banshi_loader::TextFile;
use chrono::NaiveDate;

/// The repository's `rules/` folder.
pub fn rules_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../rules")
}

/// The shipped rule files, read once.
pub fn files() -> &'static [TextFile] {
    static FILES: OnceLock<Vec<TextFile>> = OnceLock::new();
    FILES.get_or_init(|| banshi_loader::read_rules(&rules_dir(), &[]).expect("rules/ reads"))
}

/// The shipped licence catalogue and calendar files: what a single matter file is checked with.
pub fn governing_files() -> Vec<TextFile> {
    files()
        .iter()
        .filter(|f| f.name.ends_with("licences.toml") || f.name.contains("calendar/"))
        .cloned()
        .collect()
}

/// The shipped sources, every implementation written out as one complete matter file
/// (`banshi_core::catalogue::flatten`), so that each matter is one entry of `matters`.
pub fn sources() -> &'static RuleSetSource {
    static SOURCES: OnceLock<RuleSetSource> = OnceLock::new();
    SOURCES.get_or_init(|| {
        let (source, problems) = banshi_loader::sources(files());
        assert!(problems.is_empty(), "{problems:?}");
        RuleSetSource {
            matters: banshi_core::catalogue::flatten(&source),
            bases: Vec::new(),
            implementations: Vec::new(),
            ..source
        }
    })
}

/// The shipped rules, compiled once.
pub fn rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| RuleSet::compile(sources()).expect("the shipped rules compile"))
}

/// An engine over the shipped rules, as the wasm module has it.
pub fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::from_rules(rules().clone()))
}

/// The shipped bundle's text (what `banshi bundle rules` writes).
pub fn bundle_text() -> &'static str {
    static BUNDLE: OnceLock<String> = OnceLock::new();
    BUNDLE.get_or_init(|| banshi_core::bundle::write(sources()).expect("the bundle writes"))
}

/// Every matter code the shipped rules have (implementation codes, one basic code, and one
/// that is no matter's), and every date at which some version takes effect.
fn choices() -> &'static (Vec<String>, Vec<NaiveDate>) {
    static CHOICES: OnceLock<(Vec<String>, Vec<NaiveDate>)> = OnceLock::new();
    CHOICES.get_or_init(|| {
        let mut codes: Vec<String> = Vec::new();
        let mut dates = Vec::new();
        for m in rules().matters().unwrap() {
            if !codes.iter().any(|c| **c == *m.code) {
                codes.push(m.code.to_string());
            }
            dates.push(m.effective);
            dates.extend(m.effective.pred_opt());
        }
        if let Some(m) = rules().matters().unwrap().first() {
            codes.push(m.basic_code.to_string());
        }
        codes.push("NO-SUCH-MATTER".into());
        // The calendar's ends and a day beyond each.
        for d in [
            "2024-12-31",
            "2025-01-01",
            "2026-12-31",
            "2027-01-01",
            "2026-03-02",
        ] {
            dates.extend(banshi_core::facts::parse_date(d));
        }
        (codes, dates)
    })
}

/// The number of matters [`pick`] chooses among.
pub fn matter_count() -> usize {
    choices().0.len()
}

/// A matter code, a date and the rest of the input, chosen by its first three bytes: the
/// first picks the matter; the next two a day from 2024-06-01 on (about three and a half
/// years, past both ends of the calendar), or with the top bit set a version's effective date.
pub fn pick(data: &[u8]) -> Option<(&'static str, NaiveDate, &[u8])> {
    let (head, rest) = data.split_at_checked(3)?;
    let [m, d0, d1] = head else { return None };
    let (codes, dates) = choices();
    let code = codes.get(usize::from(*m) % codes.len())?;
    let n = u16::from_le_bytes([*d0, *d1]);
    let on = if n & 0x8000 != 0 {
        *dates.get(usize::from(n & 0x7fff) % dates.len())?
    } else {
        NaiveDate::from_ymd_opt(2024, 6, 1)?
            .checked_add_days(chrono::Days::new(u64::from(n % 1300)))?
    };
    Some((code.as_str(), on, rest))
}

/// The three bytes [`pick`] reads for matter number `matter` (in [`matter_count`]) on `on`.
pub fn head(matter: usize, on: NaiveDate) -> [u8; 3] {
    let start = NaiveDate::from_ymd_opt(2024, 6, 1).expect("a date");
    let days = u16::try_from((on - start).num_days().clamp(0, 1299)).expect("in range");
    let [d0, d1] = days.to_le_bytes();
    [u8::try_from(matter).expect("few matters"), d0, d1]
}

/// The index in [`pick`]'s list of a matter code.
pub fn matter_number(code: &str) -> Option<usize> {
    choices().0.iter().position(|c| c == code)
}

/// The codes (and paths) of an envelope's errors, or `None` for a success envelope; panics
/// on an envelope that is not JSON of either shape, which no channel could read.
pub fn envelope_errors(envelope: &str) -> Option<Vec<(String, String)>> {
    let value: serde_json::Value = serde_json::from_str(envelope)
        .unwrap_or_else(|e| panic!("the envelope is not JSON ({e}): {envelope}"));
    match value.get("ok") {
        Some(serde_json::Value::Bool(true)) => None,
        Some(serde_json::Value::Bool(false)) => {
            let errors: Vec<ErrorData> = serde_json::from_value(
                value
                    .get("errors")
                    .cloned()
                    .expect("a failure lists errors"),
            )
            .expect("errors of the ErrorData shape");
            assert!(!errors.is_empty(), "a failure with no errors: {envelope}");
            Some(errors.into_iter().map(|e| (e.code, e.path)).collect())
        }
        _ => panic!("an envelope without `ok`: {envelope}"),
    }
}

/// Facts JSON text answering every fact of `facts` (with `every_other`, every other one): the
/// first option, the greatest number allowed (or a large one), so that fees and deadlines are
/// computed rather than left open.
pub fn full_facts(facts: &[banshi_core::facts::FactDef], every_other: bool) -> String {
    use banshi_core::facts::FactKind;
    use serde_json::json;
    let mut map = serde_json::Map::new();
    for (i, f) in facts.iter().enumerate() {
        if every_other && i % 2 == 1 {
            continue;
        }
        let first = f.options.first().cloned().unwrap_or_default();
        let value = match f.kind {
            FactKind::Bool => json!(true),
            FactKind::Integer | FactKind::Decimal => {
                let n = f
                    .max
                    .map_or_else(|| "99999999999999".to_string(), |m| m.to_string());
                serde_json::from_str(&n).unwrap_or(json!(1))
            }
            FactKind::Text => json!("x"),
            FactKind::Enum => json!(first),
            FactKind::Date => json!("2026-03-02"),
            FactKind::EnumList => json!([first]),
            FactKind::Procedures => json!([]),
        };
        map.insert(f.name.clone(), value);
    }
    serde_json::Value::Object(map).to_string()
}
