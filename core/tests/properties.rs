//! Properties of decisions over generated facts for every shipped matter.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::sync::OnceLock;

mod common;

use banshi_core::facts::codes::{credit_code, id_number};
use banshi_core::facts::{FactDef, FactKind, TextFormat};
use banshi_core::{DecideError, Decision, FactErrorKind, MaterialStatus, RuleSet, Status};
use chrono::{Duration, NaiveDate};
use proptest::prelude::*;
use serde_json::{Map, Value, json};

fn rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| {
        banshi_loader::compile(&common::rule_files()).unwrap_or_else(|p| panic!("{p:?}"))
    })
}

fn codes() -> Vec<String> {
    let mut codes: Vec<String> = rules()
        .matters()
        .unwrap()
        .into_iter()
        .map(|m| m.code.to_string())
        .collect();
    codes.dedup();
    codes
}

fn day(offset: i64) -> NaiveDate {
    NaiveDate::from_ymd_opt(1940, 1, 1).unwrap() + Duration::days(offset)
}

/// A valid value for one fact.
fn valid_value(fact: &FactDef) -> BoxedStrategy<Value> {
    let number_range = |fact: &FactDef| {
        let lo = fact.min.map_or(-1000, |m| {
            i64::try_from(m.trunc().mantissa()).unwrap_or(0).max(-1000)
        });
        let hi = fact.max.map_or(100_000, |m| {
            i64::try_from(m.trunc().mantissa())
                .unwrap_or(0)
                .min(100_000)
        });
        (lo, hi.max(lo))
    };
    match fact.kind {
        FactKind::Bool => any::<bool>().prop_map(Value::Bool).boxed(),
        FactKind::Integer => {
            let (lo, hi) = number_range(fact);
            (lo..=hi).prop_map(|n| json!(n)).boxed()
        }
        FactKind::Decimal => {
            let (lo, hi) = number_range(fact);
            // Whole numbers plus cents, kept inside the bounds; sent as JSON numbers.
            (lo..=hi, 0u32..100)
                .prop_map(move |(n, c)| {
                    let text = if n < hi {
                        format!("{n}.{c:02}")
                    } else {
                        format!("{n}")
                    };
                    serde_json::from_str::<Value>(&text).unwrap()
                })
                .boxed()
        }
        FactKind::Text => match fact.format {
            Some(TextFormat::IdNumber) => (110_000u32..660_000, 0i64..30_000, 0u32..1000)
                .prop_map(|(r, d, s)| Value::String(id_number(r, day(d), s)))
                .boxed(),
            Some(TextFormat::CreditCode) => proptest::collection::vec(0usize..31, 17)
                .prop_map(|s| Value::String(credit_code(&s)))
                .boxed(),
            None => "[a-z0-9一-龥]{0,12}".prop_map(Value::String).boxed(),
        },
        FactKind::Date => (0i64..40_000)
            .prop_map(|d| Value::String(day(d).to_string()))
            .boxed(),
        FactKind::Enum => proptest::sample::select(fact.options.clone())
            .prop_map(Value::String)
            .boxed(),
        FactKind::Procedures => proptest::collection::vec(
            (
                proptest::sample::select(fact.options.clone()),
                0i64..60,
                0i64..30,
            ),
            0..3,
        )
        .prop_map(|items| {
            // Clock stops start after every generated decision date.
            let base = NaiveDate::from_ymd_opt(2029, 1, 1).unwrap();
            let stops = items.into_iter().map(|(procedure, start, length)| {
                let from = base + Duration::days(start);
                let to = from + Duration::days(length);
                json!({"procedure": procedure, "from": from.to_string(), "to": to.to_string()})
            });
            Value::Array(stops.collect())
        })
        .boxed(),
        FactKind::EnumList => {
            proptest::sample::subsequence(fact.options.clone(), 0..=fact.options.len())
                .prop_map(|items| Value::Array(items.into_iter().map(Value::String).collect()))
                .boxed()
        }
    }
}

/// A matter code, a full valid assignment of its facts, a mask of which to keep, and a date.
fn scenario() -> impl Strategy<Value = (String, Map<String, Value>, Vec<bool>, NaiveDate)> {
    proptest::sample::select(codes()).prop_flat_map(|code| {
        // Every shipped matter has a version in force from 2026 on, the years generated below.
        let matter = rules()
            .matter(&code, NaiveDate::from_ymd_opt(2026, 1, 1).unwrap())
            .unwrap();
        let facts: Vec<FactDef> = matter.facts().to_vec();
        let values: Vec<BoxedStrategy<(String, Value)>> = facts
            .iter()
            .map(|f| {
                let name = f.name.clone();
                valid_value(f).prop_map(move |v| (name.clone(), v)).boxed()
            })
            .collect();
        let n = facts.len();
        (
            Just(code),
            values.prop_map(|pairs| pairs.into_iter().collect::<Map<String, Value>>()),
            proptest::collection::vec(any::<bool>(), n),
            (0i64..1096)
                .prop_map(|d| NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + Duration::days(d)),
        )
    })
}

fn subset(full: &Map<String, Value>, keep: &[bool]) -> Map<String, Value> {
    full.iter()
        .zip(keep)
        .filter(|(_, k)| **k)
        .map(|((name, value), _)| (name.clone(), value.clone()))
        .collect()
}

/// `facts` with the values of some of `full`'s facts replaced by junk (`(replace, value)`
/// per fact, in `full`'s order).
fn with_junk(
    mut facts: Map<String, Value>,
    full: &Map<String, Value>,
    junk: Vec<(bool, Value)>,
) -> Map<String, Value> {
    for (name, (replace, value)) in full.keys().zip(junk) {
        if replace {
            facts.insert(name.clone(), value);
        }
    }
    facts
}

fn decide(code: &str, facts: &Map<String, Value>, on: NaiveDate) -> Decision {
    rules().decide(code, facts, on).unwrap_or_else(|e| {
        panic!(
            "valid facts refused for {code}: {e}\n{}",
            Value::Object(facts.clone())
        )
    })
}

fn arbitrary_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        "-?[0-9]{1,40}(\\.[0-9]{1,40})?([eE][-+]?[0-9]{1,3})?"
            .prop_map(|t| serde_json::from_str(&t).unwrap_or(Value::Null)),
        ".{0,20}".prop_map(Value::String),
        "[0-9]{4}-[0-9]{2}-[0-9]{2}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::btree_map(".{0,8}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// Anything at all as facts: a decision or a typed error, never a panic.
    #[test]
    fn arbitrary_json_never_panics(code in proptest::sample::select(codes()), value in arbitrary_json(), on in 0i64..40_000) {
        let text = value.to_string();
        match rules().decide_json(&code, &text, day(on)) {
            Ok(_) | Err(DecideError::Facts { .. } | DecideError::NotInForce { .. }) => {}
            Err(other) => prop_assert!(false, "unexpected error {other}"),
        }
    }

    /// Known fact names with values of any type: a decision or errors naming those facts.
    #[test]
    fn wrong_types_are_named(
        (code, full, _, on) in scenario(),
        junk in proptest::collection::vec(arbitrary_json(), 1..8),
    ) {
        let mut facts = full.clone();
        let names: Vec<String> = facts.keys().cloned().collect();
        for (name, value) in names.iter().zip(junk) {
            facts.insert(name.clone(), value);
        }
        if let Err(DecideError::Facts { errors }) = rules().decide(&code, &facts, on) {
            for e in &errors {
                let root = e.path.split('[').next().unwrap_or_default();
                prop_assert!(names.iter().any(|n| n == root), "error names `{}`", e.path);
            }
        }
    }

    /// A fact the matter does not define is refused, by name, whatever else is given.
    #[test]
    fn unknown_facts_are_rejected((code, full, keep, on) in scenario(), name in "[a-z一-龥]{1,6}") {
        let matter = rules().matter(&code, on).unwrap();
        prop_assume!(matter.fact(&name).is_none());
        let mut facts = subset(&full, &keep);
        facts.insert(name.clone(), Value::Bool(true));
        match rules().decide(&code, &facts, on) {
            Err(DecideError::Facts { errors }) => prop_assert!(
                errors.iter().any(|e| e.path == name && e.kind == FactErrorKind::Unknown)
            ),
            other => prop_assert!(false, "accepted unknown fact `{name}`: {other:?}"),
        }
    }

    /// Answering more questions never turns a decided outcome back into `needs_facts`, never
    /// un-fails a failed condition, and never changes a material already decided, except as
    /// 容缺受理 does: a material to submit is deferred once the applicant says it is missing
    /// (`缺少材料`), which the fewer facts had not said.
    #[test]
    fn more_facts_never_undecide((code, full, keep, on) in scenario()) {
        let partial = decide(&code, &subset(&full, &keep), on);
        let complete = decide(&code, &full, on);
        for d in [&partial, &complete] {
            if let Err(problem) = common::check_invariants(d, rules().calendar()) {
                prop_assert!(false, "{problem}");
            }
        }
        prop_assert_ne!(complete.status, Status::NeedsFacts, "every fact given, still asking");
        if partial.status != Status::NeedsFacts {
            prop_assert_eq!(partial.status, complete.status);
        }
        for failed in &partial.failed {
            prop_assert!(complete.failed.iter().any(|f| f.id == failed.id), "`{}` no longer fails", failed.id);
        }
        for (before, after) in partial.materials.iter().zip(&complete.materials) {
            let deferred_now = partial.acceptance.is_none()
                && before.status == MaterialStatus::Submit
                && after.status == MaterialStatus::Deferred
                && complete.acceptance.as_ref().is_some_and(|a| a.deferred.contains(&after.id));
            if deferred_now {
                let mut undeferred = after.clone();
                undeferred.status = MaterialStatus::Submit;
                undeferred.due = None;
                prop_assert_eq!(before, &undeferred);
            } else if before.status != MaterialStatus::Undetermined {
                prop_assert_eq!(before, after);
            }
        }
    }

    /// Questions are asked only about unanswered facts, in schema order, and only while the
    /// outcome is open; answering one of them is always accepted.
    #[test]
    fn questions_are_unanswered_facts_in_order((code, full, keep, on) in scenario()) {
        let given = subset(&full, &keep);
        let decision = decide(&code, &given, on);
        let matter = rules().matter(&code, on).unwrap();
        let order: Vec<&str> = matter.facts().iter().map(|f| f.name.as_str()).collect();
        let mut last = None;
        for q in &decision.questions {
            prop_assert!(!given.contains_key(&q.fact), "asks `{}` which was answered", q.fact);
            let position = order.iter().position(|n| *n == q.fact);
            prop_assert!(position > last, "questions out of schema order");
            last = position;
        }
        prop_assert_eq!(decision.status == Status::NeedsFacts, !decision.questions.is_empty());
        if let Some(q) = decision.questions.first() {
            let mut more = given.clone();
            more.insert(q.fact.clone(), full[&q.fact].clone());
            decide(&code, &more, on);
        }
    }

    /// Reading facts straight from JSON text (the channels' path) gives exactly what parsing
    /// them into a JSON object and checking that gives: the same values, or the same errors.
    /// The texts mix valid and junk values, repeated names, whitespace and escapes.
    #[test]
    fn reading_facts_text_agrees_with_checking_parsed_facts(
        (code, full, keep, on) in scenario(),
        junk in proptest::collection::vec((any::<bool>(), arbitrary_json()), 0..6),
        repeat in proptest::option::of((any::<prop::sample::Index>(), arbitrary_json())),
        layout in 0u8..4,
        bad_byte in proptest::option::of(any::<prop::sample::Index>()),
        edit in proptest::option::of((any::<prop::sample::Index>(), any::<bool>(), "[0-9eE.+-]|[\"\\\\,:{}\\[\\] ]|[\\x00-\\x1f]|[a-z一-龥]")),
    ) {
        let matter = rules().matter(&code, on).unwrap();
        let facts = with_junk(subset(&full, &keep), &full, junk);
        let mut text = match layout {
            0 => Value::Object(facts.clone()).to_string(),
            1 => serde_json::to_string_pretty(&facts).unwrap(),
            // Every character outside ASCII escaped, keys included.
            2 => Value::Object(facts.clone())
                .to_string()
                .chars()
                .map(|c| if c.is_ascii() { c.to_string() } else { format!("\\u{:04x}", c as u32) })
                .collect(),
            _ => format!(" {} ", Value::Object(facts.clone())),
        };
        if let Some((index, value)) = repeat {
            // The same name twice: JSON objects keep the last.
            let names: Vec<&String> = full.keys().collect();
            let name = *index.get(&names);
            let head = text.trim_end().strip_suffix('}').unwrap().to_string();
            let comma = if head.trim_end().ends_with('{') { "" } else { "," };
            text = format!("{head}{comma}{}:{value}}}", Value::String(name.clone()));
        }
        if let Some((at, cut, piece)) = edit {
            // One character cut out or pasted in anywhere: mostly invalid JSON, sometimes a
            // different valid text; either way both readers must agree.
            let boundaries: Vec<usize> = (0..=text.len()).filter(|i| text.is_char_boundary(*i)).collect();
            let i = *at.get(&boundaries);
            if cut {
                if let Some(c) = text[i..].chars().next() {
                    text.replace_range(i..i + c.len_utf8(), "");
                }
            } else {
                text.insert_str(i, &piece);
            }
        }
        let read = matter.read_facts(&text);
        let checked = banshi_core::parse_facts(&text)
            .map_err(|e| vec![e])
            .and_then(|parsed| matter.check_facts(&parsed));
        prop_assert_eq!(&read, &checked, "{}", text);
        // As bytes (the WebAssembly fast lane): the same, and with one byte made invalid
        // UTF-8 anywhere, a JSON error for the whole text, never a value.
        prop_assert_eq!(&matter.read_facts_bytes(text.as_bytes()), &checked);
        if let Some(at) = bad_byte {
            let mut bytes = text.clone().into_bytes();
            if !bytes.is_empty() {
                let i = at.index(bytes.len());
                bytes[i] = 0xff;
                match matter.read_facts_bytes(&bytes) {
                    Err(errors) => prop_assert!(
                        matches!(errors.as_slice(), [e] if matches!(e.kind, FactErrorKind::Json { .. })),
                        "{errors:?}"
                    ),
                    Ok(values) => prop_assert!(false, "read {values:?} from bytes that are not UTF-8"),
                }
            }
        }
    }

    /// `eligibility` is the decision's conditions part: the same failed conditions, ineligible
    /// exactly when the decision is, its questions among the decision's; and it refuses
    /// exactly the facts a decision refuses, with the same errors.
    #[test]
    fn eligibility_is_the_conditions_part_of_the_decision(
        (code, full, keep, on) in scenario(),
        junk in proptest::option::of((any::<prop::sample::Index>(), arbitrary_json())),
    ) {
        let mut facts = subset(&full, &keep);
        if let Some((index, value)) = junk {
            let names: Vec<String> = full.keys().cloned().collect();
            facts.insert(index.get(&names).clone(), value);
        }
        let text = Value::Object(facts).to_string();
        let decision = rules().decide_json(&code, &text, on);
        let eligibility = rules().eligibility_json(&code, &text, on);
        match (decision, eligibility) {
            (Ok(d), Ok(e)) => {
                prop_assert_eq!(&e.failed, &d.failed);
                prop_assert_eq!(e.status == Status::Ineligible, d.status == Status::Ineligible);
                match e.status {
                    Status::NeedsFacts => {
                        prop_assert_eq!(d.status, Status::NeedsFacts);
                        prop_assert!(!e.questions.is_empty());
                        for q in &e.questions {
                            prop_assert!(d.questions.contains(q), "asks `{}`, the decision does not", q.fact);
                        }
                    }
                    Status::Eligible => {
                        prop_assert!(e.questions.is_empty());
                        prop_assert_ne!(d.status, Status::Ineligible);
                    }
                    Status::Ineligible => prop_assert!(e.questions.is_empty()),
                }
                if d.status == Status::Eligible {
                    prop_assert_eq!(e.status, Status::Eligible);
                }
            }
            (Err(d), Err(e)) => prop_assert_eq!(d, e),
            (d, e) => prop_assert!(false, "decision {:?} but eligibility {:?}", d.map(|d| d.status), e.map(|e| e.status)),
        }
    }

    /// The same input gives the same bytes, whether facts arrive as a map or as JSON text.
    #[test]
    fn deciding_is_deterministic((code, full, keep, on) in scenario()) {
        let facts = subset(&full, &keep);
        let a = decide(&code, &facts, on).to_json().unwrap();
        let b = rules().decide_json(&code, &Value::Object(facts).to_string(), on).unwrap().to_json().unwrap();
        prop_assert_eq!(a, b);
    }

    /// A decision read back from its JSON (as a server reads what a phone sent) is the same
    /// decision and writes the same bytes: fee amounts keep their two decimals, dates and
    /// shared texts survive, nothing is dropped or added.
    #[test]
    fn decisions_read_back_from_their_json((code, full, keep, on) in scenario()) {
        let decision = decide(&code, &subset(&full, &keep), on);
        let json = decision.to_json().unwrap();
        let read: Decision = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(&read, &decision);
        prop_assert_eq!(read.to_json().unwrap(), json);
    }
}

/// Every matter's facts schema (what `matter` sends a form) reads back from its
/// JSON as the same schema: facts without options leave `options` out, and must still read.
#[test]
fn facts_schemas_read_back_from_their_json() {
    for code in codes() {
        let matter = rules()
            .matter(&code, NaiveDate::from_ymd_opt(2026, 1, 1).unwrap())
            .unwrap();
        let json = serde_json::to_string(matter.facts()).unwrap();
        let read: Vec<FactDef> =
            serde_json::from_str(&json).unwrap_or_else(|e| panic!("{code}: {e}"));
        assert_eq!(read, matter.facts(), "{code}");
    }
}

/// The shipped rule files, for mutation.
fn matter_files() -> Vec<banshi_loader::TextFile> {
    common::rule_files()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// A rule file damaged anywhere (text cut out, junk pasted in) is refused with located
    /// problems or still compiles; it never panics, and every problem points inside the file.
    #[test]
    fn damaged_rule_files_never_panic(
        which in 0usize..64,
        edits in proptest::collection::vec((any::<prop::sample::Index>(), 0usize..40, "(.|\n){0,12}"), 1..4),
    ) {
        let mut files = matter_files();
        let matters: Vec<usize> = (0..files.len()).filter(|&i| files[i].name.ends_with("matter.toml") || files[i].name.ends_with("base.toml") || files[i].name.ends_with("theme.toml")).collect();
        let target = matters[which % matters.len()];
        let mut text = files[target].text.clone();
        for (at, cut, insert) in edits {
            let mut start = at.index(text.len().max(1));
            while !text.is_char_boundary(start) {
                start -= 1;
            }
            let mut end = (start + cut).min(text.len());
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            text.replace_range(start..end, &insert);
        }
        let lines = text.lines().count().max(1);
        files[target].text = text;
        if let Err(problems) = banshi_loader::compile(&files) {
            prop_assert!(!problems.is_empty());
            for p in &problems {
                prop_assert!(p.line >= 1 && p.column >= 1 && !p.message.is_empty(), "{p}");
                if p.file == files[target].name {
                    prop_assert!(p.line <= lines + 1, "{p} is past the end of a {lines}-line file");
                }
            }
        }
    }
}
