//! The corpus's cases: rule cases as written, and seeded generated cases over each matter's
//! facts schema.
//!
//! Facts are JSON text. A case sent `via: object` is what a front end builds as a JS object: its
//! text is exactly what `JSON.stringify` writes for the parsed object (keys in order, numbers in
//! the shortest form that reads back as the same double), and the Node and browser runs check
//! that before deciding, so such a case proves that a JS number like `0.1` or
//! `0.30000000000000004` reaches the core as that very text. A case sent `via: text` is passed
//! to the package as the string itself: malformed JSON, non-objects, and numbers a double cannot
//! hold.

use std::collections::BTreeMap;

use banshi_core::RuleSetSource;
use banshi_core::bundle::{self, BundleSignature};
use banshi_core::facts::{FactDef, FactKind, TextFormat};
use banshi_core::ffi::{Engine, LoadOptions};
use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::Serialize;
use serde_json::{Map, Value, json};

use banshi_cli::generate::{Generator, Rng};

/// What a case calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    /// `engine.decide(code, facts, {on})`.
    Decide,
    /// `engine.questions(code, facts, {on})`.
    Questions,
    /// `engine.eligibility(code, facts, {on})`.
    Eligibility,
    /// `engine.verify(code, facts, receipt, {on})`.
    Verify,
    /// `engine.matter(code, {on})`.
    Matter,
    /// `engine.matters({region?})`.
    Matters,
    /// `engine.indicators({on, region?, level?})`, the filter in `facts`.
    Indicators,
    /// `Engine.load(bundle, options)`: the answer is `{"ok":true,"hash":…}` or the failure
    /// envelope.
    Load,
    /// `engine.decideTheme(code, facts, {on, region?})`: a theme (一件事一次办).
    DecideTheme,
    /// `engine.themeQuestions(code, facts, {on, region?})`.
    ThemeQuestions,
    /// `engine.themes({region?})`.
    Themes,
}

/// How the facts (and a receipt) reach the package.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Via {
    /// Parsed to a JS object first; the package writes the JSON text.
    Object,
    /// Passed as the JSON text itself.
    Text,
}

/// One case of the corpus.
#[derive(Debug, Clone, Serialize)]
pub struct Case {
    /// Unique, stable: its number and its kind.
    pub id: String,
    /// The group it belongs to, for the summary.
    pub kind: &'static str,
    /// What it exercises.
    pub title: String,
    /// The bundle it is decided against (a name in the corpus's `bundles`).
    pub bundle: String,
    /// The call.
    pub op: Op,
    /// The matter code.
    pub code: String,
    /// For theme calls: the region whose implementations decide, or whose themes to list.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// The decision date, as given (possibly not a date).
    pub on: String,
    /// The facts as JSON text.
    pub facts: String,
    /// How the facts reach the package.
    pub via: Via,
    /// For `verify`: the receipt as JSON text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub receipt: Option<String>,
    /// For `load`: the bundle text to load.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bundle_text: Option<String>,
    /// For `load`: the load options as JSON text (`{"trustedKeys","development","receiptKey"}`),
    /// when not the corpus's own `options`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub options: Option<String>,
    /// The native answer: the envelope every channel must produce byte for byte.
    pub expect: String,
}

impl Case {
    fn new(kind: &'static str, title: impl Into<String>, code: &str, on: &str) -> Case {
        Case {
            id: kind.to_string(),
            kind,
            title: title.into(),
            bundle: String::new(),
            op: Op::Decide,
            code: code.to_string(),
            region: None,
            on: on.to_string(),
            facts: "{}".to_string(),
            via: Via::Object,
            receipt: None,
            bundle_text: None,
            options: None,
            expect: String::new(),
        }
    }

    fn with_facts(mut self, facts: &Map<String, Value>) -> Case {
        self.facts = Value::Object(facts.clone()).to_string();
        // A number JSON.stringify would write otherwise (`55.60` for `55.6`, as the generator
        // draws decimals with their cents) cannot come from a JS object: such facts go as text.
        if !facts.values().all(written_as_js) {
            self.via = Via::Text;
        }
        self
    }

    fn with_text(mut self, text: impl Into<String>) -> Case {
        self.facts = text.into();
        self.via = Via::Text;
        self
    }

    fn op(mut self, op: Op) -> Case {
        self.op = op;
        self
    }

    fn in_region(mut self, region: Option<&str>) -> Case {
        self.region = region.map(str::to_string);
        self
    }

    fn region(&self) -> &str {
        self.region.as_deref().unwrap_or_default()
    }

    /// What `engine` answers for this case; a `load` case loads with its own options, else
    /// with `options` (the corpus's).
    pub fn answer(&self, engine: &Engine, options: &str) -> String {
        match self.op {
            Op::Decide => engine.decide(&self.code, &self.facts, &self.on),
            Op::Questions => engine.questions(&self.code, &self.facts, &self.on),
            Op::Eligibility => engine.eligibility(&self.code, &self.facts, &self.on),
            Op::Verify => engine.verify(
                &self.code,
                &self.facts,
                &self.on,
                self.receipt.as_deref().unwrap_or_default(),
            ),
            Op::Matter => engine.matter(&self.code, &self.on),
            Op::Matters => engine.matters_in(self.region()),
            Op::DecideTheme => {
                engine.theme("decide", &self.code, self.region(), &self.facts, &self.on)
            }
            Op::ThemeQuestions => engine.theme(
                "questions",
                &self.code,
                self.region(),
                &self.facts,
                &self.on,
            ),
            Op::Themes => engine.theme("themes", "", self.region(), "{}", ""),
            Op::Indicators => engine.indicators(&self.on, &self.facts),
            Op::Load => match LoadOptions::from_json(self.options.as_deref().unwrap_or(options))
                .and_then(|o| Engine::load(self.bundle_text.as_deref().unwrap_or_default(), &o))
            {
                Ok(loaded) => format!(
                    "{{\"ok\":true,\"hash\":{}}}",
                    Value::String(loaded.hash().to_string())
                ),
                Err(errors) => banshi_core::ffi::failure(&errors),
            },
        }
    }
}

/// A rule case (`{title, on, facts, …}`) as a corpus case.
pub fn rule_case(code: &str, file: &str, case: &Value) -> Case {
    let title = case.get("title").and_then(Value::as_str).unwrap_or(file);
    let on = case.get("on").and_then(Value::as_str).unwrap_or_default();
    let facts = case
        .get("facts")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    Case::new("rule-case", format!("{file}: {title}"), code, on).with_facts(&facts)
}

/// A theme's rule case as corpus cases: its decision, and the questions of the same facts.
pub fn theme_case(code: &str, file: &str, case: &Value) -> Vec<Case> {
    let region = case.get("region").and_then(Value::as_str);
    let mut decide = rule_case(code, file, case)
        .op(Op::DecideTheme)
        .in_region(region);
    decide.kind = "theme-case";
    let mut questions = decide.clone().op(Op::ThemeQuestions);
    questions.title = format!("{} (questions)", questions.title);
    vec![decide, questions]
}

/// Theme cases beyond the rule cases: the list, an interview's start in
/// each region that implements the theme, and what a theme refuses (a matter's name for a theme
/// fact, an unknown theme, a wrong date, a region lacking one of its matters, no region where
/// several implement it), for each theme.
pub fn theme_cases(engine: &Engine) -> Vec<Case> {
    let mut out = vec![Case::new("themes", "every theme in the bundle", "", "").op(Op::Themes)];
    let mut regions: Vec<String> = engine
        .rules()
        .matters()
        .unwrap_or_default()
        .into_iter()
        .filter_map(|m| m.region.map(|r| r.to_string()))
        .collect();
    regions.sort();
    regions.dedup();
    for theme in engine.rules().themes().unwrap_or_default() {
        let code = &*theme.code;
        let mut each: Vec<Option<&str>> = theme.regions.iter().map(|r| Some(&**r)).collect();
        if each.len() != 1 {
            // Without a region: the theme's matters as named, or `region_needed`.
            each.push(None);
        }
        for region in each {
            let start =
                Case::new("theme", "a theme with no facts", code, "2026-03-02").in_region(region);
            out.push(start.clone().op(Op::ThemeQuestions));
            out.push(start.op(Op::DecideTheme));
        }
        if let Some(lacking) = regions
            .iter()
            .find(|r| !theme.regions.iter().any(|t| **t == ***r))
        {
            out.push(
                Case::new(
                    "theme",
                    "a theme in a region lacking one of its matters",
                    code,
                    "2026-03-02",
                )
                .in_region(Some(lacking))
                .op(Op::DecideTheme),
            );
        }
        let first = theme.regions.first().map(|r| &**r);
        out.push(
            Case::new(
                "theme",
                "a theme with unknown and misnamed facts",
                code,
                "2026-03-02",
            )
            .in_region(first)
            .with_text(
                r#"{"无此事实":true,"缺少材料":["无此材料"],"经营场所在本登记机关辖区":"是"}"#,
            )
            .op(Op::DecideTheme),
        );
        out.push(
            Case::new(
                "theme",
                "a theme on a date that is no date",
                code,
                "2026-02-30",
            )
            .in_region(first)
            .op(Op::DecideTheme),
        );
    }
    out.push(
        Case::new("theme", "an unknown theme", "NO-SUCH-THEME", "2026-03-02").op(Op::DecideTheme),
    );
    out.extend(nested_region_cases(engine));
    out
}

/// Regions within the ones that implement (西安市雁塔区 610113 within 西安市 610100, a township
/// of 咸阳市秦都区 within 610402), one outside every implementation (兰州市 620100), a name no
/// implementation gives, and 西安市 by its code.
const NESTED_REGIONS: [&str; 5] = ["610113", "610402001", "620100", "雁塔区", "610100"];

/// Decisions and listings for regions nested in the ones the catalogue names: every theme
/// started in each, the themes and the matters listed for each.
fn nested_region_cases(engine: &Engine) -> Vec<Case> {
    let mut out = Vec::new();
    for region in NESTED_REGIONS {
        let listed = |what: &str, op: Op| {
            Case::new("theme", format!("the {what} of a nested region"), "", "")
                .in_region(Some(region))
                .op(op)
        };
        out.push(listed("themes", Op::Themes));
        out.push(listed("matters", Op::Matters));
        for theme in engine.rules().themes().unwrap_or_default() {
            let start = Case::new(
                "theme",
                "a theme started in a nested region",
                &theme.code,
                "2026-03-02",
            )
            .in_region(Some(region));
            out.push(start.clone().op(Op::ThemeQuestions));
            out.push(start.op(Op::DecideTheme));
        }
    }
    out
}

/// The keys the load cases sign and trust with.
pub struct Keys<'a> {
    /// Signs with a key no channel trusts.
    pub other: &'a dyn Fn(&[u8]) -> Vec<BundleSignature>,
    /// The trusted public key, hex.
    pub trusted_public: &'a str,
    /// The receipt key, hex.
    pub receipt: &'a str,
}

/// The load options a channel of the corpus uses: the trusted key and the receipt key.
pub fn options(keys: &Keys<'_>) -> String {
    json!({"trustedKeys": [keys.trusted_public], "development": false, "receiptKey": keys.receipt})
        .to_string()
}

/// Loading the bundle as written, bundles damaged on the way to a kiosk, and bundles that are
/// not signed as the channel's options ask: unsigned, with rules edited and re-hashed (every
/// 受理条件 made `true`: anyone would be eligible), signed by another key; in development mode
/// and not.
pub fn load_cases(text: &str, source: &RuleSetSource, keys: &Keys<'_>) -> Vec<Case> {
    let mut out = Vec::new();
    let mut load_with = |title: &str, bundle: String, options: Option<String>| {
        let mut case = Case::new("load", title, "", "").op(Op::Load);
        case.bundle_text = Some(bundle);
        case.options = options;
        out.push(case);
    };
    let development = Some(json!({"development": true}).to_string());
    let unsigned = bundle::write(source).unwrap_or_default();
    let mut edited = source.clone();
    for matter in &mut edited.matters {
        for condition in &mut matter.source.conditions {
            condition.require = "true".into();
        }
    }
    let edited_unsigned = bundle::write(&edited).unwrap_or_default();
    // The attack: the edited rules, re-hashed, with the genuine bundle's signatures.
    let signatures = |t: &str| {
        let at = t.find(",\"signatures\":").unwrap_or(0);
        let end = t.find(",\"index\":").unwrap_or(0);
        t.get(at..end).unwrap_or_default().to_string()
    };
    let edited_kept = edited_unsigned.replacen(&signatures(&edited_unsigned), &signatures(text), 1);
    let edited_other = bundle::write_signed(&edited, keys.other).unwrap_or_default();
    let other = bundle::write_signed(source, keys.other).unwrap_or_default();
    load_with("unsigned, outside development mode", unsigned.clone(), None);
    load_with(
        "unsigned, in development mode",
        unsigned.clone(),
        development.clone(),
    );
    load_with(
        "every condition made `true` and re-hashed, the genuine signature kept",
        edited_kept.clone(),
        None,
    );
    load_with(
        "every condition made `true` and re-hashed, the genuine signature kept, in development mode",
        edited_kept,
        development.clone(),
    );
    load_with(
        "every condition made `true` and re-hashed, unsigned",
        edited_unsigned,
        None,
    );
    load_with(
        "every condition made `true`, re-hashed and signed by another key",
        edited_other,
        None,
    );
    load_with("signed by another key", other.clone(), None);
    load_with(
        "signed by another key, in development mode",
        other,
        development.clone(),
    );
    load_with(
        "signed, with no receipt key outside development mode",
        text.to_string(),
        Some(json!({"trustedKeys": [keys.trusted_public]}).to_string()),
    );
    load_with(
        "a trusted key that is not a key",
        text.to_string(),
        Some(json!({"trustedKeys": ["00ff"], "receiptKey": keys.receipt}).to_string()),
    );
    load_with("the bundle as written", text.to_string(), None);
    // The index starts after `"index":`; change one character of it (a licence's name).
    let (header, matters) = text.split_once('\n').unwrap_or((text, ""));
    load_with(
        "one character of the index changed",
        format!(
            "{}\n{matters}",
            header.replacen("居民身份证", "居民身份正", 1)
        ),
        None,
    );
    // The format before (its matter lines in code order): refused, to be rebuilt.
    load_with(
        "another format version",
        text.replacen(banshi_core::bundle::FORMAT, "banshi-catalogue/1", 1),
        None,
    );
    // A re-spaced index with a matching hash: the same index, but not the canonical text.
    let index_at = header.find("\"index\":").map_or(0, |i| i + 8);
    let index = header.get(index_at..).unwrap_or_default();
    let body = index.strip_suffix('}').unwrap_or(index);
    let spaced = body.replacen(",", ", ", 1);
    // In development mode, so that it is the canonical form that refuses it.
    load_with(
        "index not in canonical form, hash matching, in development mode",
        format!(
            "{{\"format\":\"{}\",\"hash\":\"{}\",\"index\":{spaced}}}\n{matters}",
            banshi_core::bundle::FORMAT,
            banshi_core::bundle::sha256(spaced.as_bytes())
        ),
        development,
    );
    load_with("not JSON", "banshi".to_string(), None);
    load_with("empty text", String::new(), None);
    load_with("JSON but no bundle", "{\"rules\":{}}".to_string(), None);
    out
}

/// The name of the corpus's bundle with one matter file tampered.
pub const TAMPERED: &str = "rules-tampered";

/// The catalogue with one matter file changed after signing (one character of the first line
/// that names 窗口办理, the length kept), and a decision of every matter under it: that
/// matter refused with `hash_mismatch` on every channel, whichever way the catalogue arrived,
/// the others decided as usual. Each case's answer is `engine`'s for the tampered text.
pub fn tampered(
    catalogue: &bundle::Catalogue,
    engine: &Engine,
    options: &str,
) -> (bundle::Catalogue, Vec<Case>) {
    let mut changed = catalogue.clone();
    // One character of one matter's text, the hash its index names unchanged.
    if let Some((_, text)) = changed
        .lines
        .iter_mut()
        .find(|(_, t)| t.contains("窗口办理"))
    {
        *text = text.replacen("窗口办理", "窗口办里", 1);
    }
    let mut cases = Vec::new();
    let Ok(loaded) =
        LoadOptions::from_json(options).and_then(|o| Engine::load(&changed.one_file(), &o))
    else {
        return (changed, cases);
    };
    // The corpus's rules are compiled from sources or a one-file bundle: every page at hand.
    for summary in engine.rules().matters().unwrap_or_default() {
        let on = date_text(summary.effective);
        let mut case = Case::new(
            "tampered",
            "a matter file changed after signing",
            &summary.code,
            &on,
        );
        case.bundle = TAMPERED.to_string();
        case.expect = loaded.decide(&summary.code, "{}", &on);
        cases.push(case);
    }
    (changed, cases)
}

/// How many cases of each op and of each kind.
pub fn summary(cases: &[Case]) -> String {
    let mut ops: BTreeMap<String, usize> = BTreeMap::new();
    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    for case in cases {
        let op = serde_json::to_value(case.op)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        *ops.entry(op).or_default() += 1;
        *kinds.entry(case.kind).or_default() += 1;
    }
    let ops: Vec<String> = ops.iter().map(|(k, v)| format!("{k} {v}")).collect();
    let kinds: Vec<String> = kinds.iter().map(|(k, v)| format!("{k} {v}")).collect();
    format!("{}; {}", ops.join(", "), kinds.join(", "))
}

/// A JSON number from its text, kept as written (serde_json's `arbitrary_precision`).
fn num(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or(Value::Null)
}

fn date_text(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

fn add_days(date: NaiveDate, days: i64) -> NaiveDate {
    let magnitude = Days::new(days.unsigned_abs());
    let moved = if days >= 0 {
        date.checked_add_days(magnitude)
    } else {
        date.checked_sub_days(magnitude)
    };
    moved.unwrap_or(date)
}

/// The days a generated decision date is drawn from.
struct Dates {
    /// Days off on a weekday and make-up working days at weekends, with the days around them.
    holidays: Vec<NaiveDate>,
    /// The first and last day the official calendar covers.
    first: NaiveDate,
    last: NaiveDate,
}

impl Dates {
    fn new(engine: &Engine) -> Dates {
        let calendar = engine.rules().calendar();
        let (first, last) = calendar.covered();
        let mut holidays = Vec::new();
        let mut day = first;
        while day <= last {
            let weekend = matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
            let working = calendar.is_working_day(day).unwrap_or(!weekend);
            if working == weekend {
                for offset in -3..=3 {
                    let near = add_days(day, offset);
                    if holidays.last() != Some(&near) && !holidays.contains(&near) {
                        holidays.push(near);
                    }
                }
            }
            day = add_days(day, 1);
        }
        holidays.sort();
        Dates {
            holidays,
            first,
            last,
        }
    }

    /// A decision date on or after `effective`: mostly around holidays or anywhere in the
    /// calendar, sometimes at its end (deadlines run past it) or after it.
    fn on(&self, rng: &mut Rng, effective: NaiveDate) -> (NaiveDate, &'static str) {
        let start = effective.max(self.first);
        let span = |a: NaiveDate, b: NaiveDate| (b - a).num_days().max(0);
        match rng.below(10) {
            0..=3 => {
                let near: Vec<NaiveDate> = self
                    .holidays
                    .iter()
                    .copied()
                    .filter(|d| *d >= start)
                    .collect();
                match rng.pick(&near) {
                    Some(d) => (*d, "around a holiday"),
                    None => (start, "first day in force"),
                }
            }
            4..=7 => (
                add_days(start, rng.between(0, span(start, self.last))),
                "in the calendar",
            ),
            8 => (
                add_days(self.last, -rng.between(0, 20)),
                "at the end of the calendar",
            ),
            _ => (
                add_days(self.last, rng.between(1, 800)),
                "after the calendar",
            ),
        }
    }
}

/// Every matter code in the rules (the latest version's effective date), in order.
fn matters(engine: &Engine) -> Vec<(String, String, NaiveDate)> {
    let mut out: Vec<(String, String, NaiveDate)> = Vec::new();
    for m in engine.rules().matters().unwrap_or_default() {
        match out.iter_mut().find(|(code, _, _)| **code == *m.code) {
            Some(entry) => entry.2 = entry.2.min(m.effective),
            None => out.push((m.code.to_string(), m.basic_code.to_string(), m.effective)),
        }
    }
    out
}

/// The same text with its last character changed: fails the check character.
fn corrupt_check(text: &str) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    if let Some(last) = chars.last_mut() {
        *last = if *last == '1' { '2' } else { '1' };
    }
    chars.into_iter().collect()
}

/// A decimal in `[lo, hi]` (hundredths) written as `JSON.stringify` writes the double.
fn decimal_text(rng: &mut Rng, lo: i64, hi: i64) -> String {
    let cents = rng.between(lo * 100, hi * 100);
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    let (int, frac) = (abs / 100, abs % 100);
    match frac {
        0 => format!("{sign}{int}"),
        f if f % 10 == 0 => format!("{sign}{int}.{}", f / 10),
        f => format!("{sign}{int}.{f:02}"),
    }
}

fn bounds(fact: &FactDef, lo: i64, hi: i64) -> (i64, i64) {
    let min = fact
        .min
        .and_then(|m| m.to_string().parse::<i64>().ok())
        .unwrap_or(lo);
    let max = fact
        .max
        .and_then(|m| m.to_string().parse::<i64>().ok())
        .unwrap_or(hi);
    (min, max.max(min))
}

/// A valid value of `fact` of matter `code` on decision date `on`: mostly one drawn as
/// `banshi generate` draws an application's ([`Generator::value`]), one time in five a value at
/// the edges of what the fact takes ([`edge`]); `None` when the draw leaves the fact unanswered.
fn valid(
    rng: &mut Rng,
    values: &Generator,
    code: &str,
    fact: &FactDef,
    on: NaiveDate,
) -> Option<Value> {
    if rng.chance(20)
        && let Some(value) = edge(rng, fact)
    {
        return Some(value);
    }
    values.value(rng, code, on, &fact.name)
}

/// A valid value at the edges of what `fact` takes, for the kinds that have edges records
/// rarely reach: a number's bounds, a decimal typed into a form as a string, and texts that
/// JSON must escape, that lie outside the Basic Multilingual Plane, or that are empty.
fn edge(rng: &mut Rng, fact: &FactDef) -> Option<Value> {
    match fact.kind {
        FactKind::Integer => {
            let (lo, hi) = bounds(fact, 0, 100);
            Some(num(&(if rng.chance(50) { lo } else { hi }).to_string()))
        }
        FactKind::Decimal => {
            let (lo, hi) = bounds(fact, 0, 1000);
            Some(match rng.below(3) {
                0 => num(&lo.to_string()),
                1 => num(&hi.to_string()),
                _ => Value::String(decimal_text(rng, lo, hi)),
            })
        }
        FactKind::Text if fact.format.is_none() => rng
            .pick(&[
                "张三",
                "西安市雁塔区小寨东路1号",
                "",
                "O'Brien \"Junior\" \\ 回车\n制表\t",
                "𠀀𪚥 emoji 🙂",
                "<script>alert(1)</script>",
            ])
            .map(|text| Value::String((*text).to_string())),
        _ => None,
    }
}

/// An invalid value of `fact`, and whether it can only travel as text (a double cannot hold it).
fn invalid(
    rng: &mut Rng,
    values: &Generator,
    code: &str,
    fact: &FactDef,
    on: NaiveDate,
) -> (Value, bool) {
    // A valid identifier to spoil.
    let good = |rng: &mut Rng| -> String {
        values
            .value(rng, code, on, &fact.name)
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    };
    let wrong_type = |rng: &mut Rng| -> Value {
        match rng.below(5) {
            0 => Value::String("是".into()),
            1 => num("1"),
            2 => json!(["x"]),
            3 => json!({"value": true}),
            _ => Value::Bool(true),
        }
    };
    let option = rng.pick(&fact.options).cloned().unwrap_or_default();
    match fact.kind {
        FactKind::Bool => (
            match rng.below(3) {
                0 => Value::String("true".into()),
                1 => num("0"),
                _ => wrong_type(rng),
            },
            false,
        ),
        FactKind::Integer | FactKind::Decimal => {
            let (lo, hi) = bounds(fact, 0, 100);
            let integer = fact.kind == FactKind::Integer;
            match rng.below(9) {
                0 => (num(&(hi + 1).to_string()), false),
                1 => (num(&(lo - 1).to_string()), false),
                2 if integer => (num("30.5"), false),
                2 => (num(&format!("{hi}.01")), false),
                3 if integer => (Value::String("30".into()), false),
                3 => (Value::String("十二点五".into()), false),
                4 => (Value::String("1,5".into()), false),
                // Beyond a double, or beyond the core's decimals: only text carries these.
                5 => (num("1e400"), true),
                6 => (
                    num("0.1000000000000000055511151231257827021181583404541015625"),
                    true,
                ),
                7 => (num("123456789012345678901234567890"), true),
                _ => (wrong_type(rng), false),
            }
        }
        FactKind::Text => match fact.format {
            Some(TextFormat::IdNumber) => {
                let good = good(rng);
                (
                    Value::String(match rng.below(3) {
                        0 => corrupt_check(&good),
                        1 => good
                            .replace(&good.get(6..14).unwrap_or_default().to_string(), "19990231"),
                        _ => format!("{good}0"),
                    }),
                    false,
                )
            }
            Some(TextFormat::CreditCode) => (
                Value::String(match rng.below(2) {
                    0 => corrupt_check(&good(rng)),
                    _ => good(rng).to_lowercase(),
                }),
                false,
            ),
            None => (wrong_type(rng), false),
        },
        FactKind::Enum => (
            match rng.below(4) {
                0 => Value::String("不存在的选项".into()),
                1 => Value::String(format!("{option} ")),
                2 => json!([option]),
                _ => num("1"),
            },
            false,
        ),
        FactKind::Date => (
            match rng.below(10) {
                0 => Value::String("2025-02-29".into()),
                1 => Value::String("2026-02-30".into()),
                2 => Value::String("2026-04-31".into()),
                3 => Value::String("2026-4-1".into()),
                4 => Value::String("20260401".into()),
                5 => Value::String("2026/04/01".into()),
                6 => Value::String("2026-04-01T00:00:00+08:00".into()),
                7 => num("20260401"),
                8 => Value::String(String::new()),
                _ => Value::String("２０２６-０４-０１".into()),
            },
            false,
        ),
        FactKind::EnumList => (
            match rng.below(5) {
                0 => json!([option, option]),
                1 => json!([option, "不存在的选项"]),
                2 => json!([1, null]),
                3 => Value::String(option),
                _ => json!({"0": option}),
            },
            false,
        ),
        FactKind::Procedures => {
            let from = date_text(on);
            let before = date_text(add_days(on, -1));
            (
                match rng.below(6) {
                    0 => json!([{"procedure": option, "from": from, "to": before}]),
                    1 => json!([{"procedure": "不存在的程序", "from": from, "to": from}]),
                    2 => json!([{"procedure": option, "from": from, "to": from, "days": 3}]),
                    3 => json!([{"procedure": option, "from": "2026-02-30", "to": from}]),
                    4 => json!([{"procedure": option}, "听证"]),
                    _ => json!({"procedure": option, "from": from, "to": from}),
                },
                false,
            )
        }
    }
}

const UNKNOWN_FACTS: [&str; 6] = ["不存在的事实", "age", "电子证照 ", "__proto__", "1", ""];

/// Generated cases for every matter of `engine`'s rules, about `per_matter` each. `examples`
/// are facts known to make sense together (the rule cases' facts, by matter code): mutating
/// them reaches eligible decisions, materials and fees that random facts rarely do. Matters
/// whose code is in `skip` (covered by another bundle already) get no cases.
pub fn generated(
    engine: &Engine,
    source: &RuleSetSource,
    seed: u64,
    per_matter: usize,
    examples: &[(String, Map<String, Value>)],
    skip: &[String],
) -> Vec<Case> {
    let mut rng = Rng::new(seed);
    let dates = Dates::new(engine);
    let values = Generator::new(source, engine.rules());
    let mut out = Vec::new();
    out.push(Case::new("matters", "every matter in the bundle", "", "").op(Op::Matters));
    for (on, filter) in [
        ("2026-03-02", "{}"),
        ("2026-03-02", r#"{"level":"县级"}"#),
        ("2026-03-02", r#"{"region":"610400"}"#),
        ("2024-06-01", "{}"),
        ("2026-02-30", "{}"),
    ] {
        out.push(
            Case::new(
                "indicators",
                format!("indicators on {on}, filter {filter}"),
                "",
                on,
            )
            .with_text(filter)
            .op(Op::Indicators),
        );
    }
    let all = matters(engine);
    for (code, basic_code, effective) in all.iter().filter(|(code, _, _)| !skip.contains(code)) {
        let start = out.len();
        matter_cases(&mut out, engine, &mut rng, &dates, code, *effective);
        // 基本编码 lookups work only where one matter has the 基本编码.
        let on = date_text(dates.on(&mut rng, *effective).0);
        out.push(Case::new(
            "matter-code",
            "decided by its 基本编码",
            basic_code,
            &on,
        ));
        out.push(
            Case::new("matter-code", "matter by its 基本编码", basic_code, &on).op(Op::Matter),
        );
        let before = date_text(add_days(*effective, -1));
        out.push(Case::new(
            "not-in-force",
            "the day before the first version",
            code,
            &before,
        ));
        out.push(
            Case::new(
                "not-in-force",
                "matter the day before the first version",
                code,
                &before,
            )
            .op(Op::Matter),
        );
        out.push(
            Case::new(
                "matter",
                "the form on the first day",
                code,
                &date_text(*effective),
            )
            .op(Op::Matter),
        );
        let on_pool = [
            "2026-02-29",
            "2026-13-01",
            "2026-1-5",
            "",
            "2026/03/02",
            "2026-03-02 ",
            "26-03-02",
        ];
        let bad_on = rng.pick(&on_pool).copied().unwrap_or_default();
        out.push(Case::new(
            "invalid-on",
            format!("decision date `{bad_on}`"),
            code,
            bad_on,
        ));
        out.push(
            Case::new("invalid-on", format!("matter on `{bad_on}`"), code, bad_on).op(Op::Matter),
        );
        let mine: Vec<&Map<String, Value>> = examples
            .iter()
            .filter(|(c, _)| c == code)
            .map(|(_, facts)| facts)
            .collect();
        while out.len() - start < per_matter {
            let example = rng.pick(&mine).copied();
            generated_case(
                &mut out, engine, &values, &mut rng, &dates, code, *effective, example,
            );
        }
    }
    for (code, title) in [
        ("", "an empty matter code"),
        ("NO-SUCH-MATTER", "an unknown matter code"),
        (
            "11610100000000000x4000131128000",
            "a code in the wrong case",
        ),
        (
            " 11610100000000000X4000131128000",
            "a code with a leading space",
        ),
    ] {
        out.push(Case::new("matter-code", title, code, "2026-03-02"));
    }
    out
}

/// The cases every matter gets once: no facts, every fact null, every fact valid.
fn matter_cases(
    out: &mut Vec<Case>,
    engine: &Engine,
    rng: &mut Rng,
    dates: &Dates,
    code: &str,
    effective: NaiveDate,
) {
    let (on, _) = dates.on(rng, effective);
    let on_text = date_text(on);
    out.push(Case::new("empty", "no facts at all", code, &on_text));
    out.push(Case::new("empty", "questions with no facts", code, &on_text).op(Op::Questions));
    out.push(Case::new("empty", "eligibility with no facts", code, &on_text).op(Op::Eligibility));
    let Ok(matter) = engine.rules().matter(code, on) else {
        return;
    };
    let nulls: Map<String, Value> = matter
        .facts()
        .iter()
        .map(|f| (f.name.clone(), Value::Null))
        .collect();
    out.push(
        Case::new("empty", "every fact null (not answered)", code, &on_text).with_facts(&nulls),
    );
}

/// One generated case (sometimes with a questions or verify case on the same facts).
#[allow(clippy::too_many_arguments)]
fn generated_case(
    out: &mut Vec<Case>,
    engine: &Engine,
    values: &Generator,
    rng: &mut Rng,
    dates: &Dates,
    code: &str,
    effective: NaiveDate,
    example: Option<&Map<String, Value>>,
) {
    let (on, when) = dates.on(rng, effective);
    let on_text = date_text(on);
    let Ok(matter) = engine.rules().matter(code, on) else {
        return;
    };
    let facts = matter.facts();
    let mut map = Map::new();
    let roll = rng.below(100);
    let kind = match (roll, example) {
        (0..=29, Some(_)) => "mutated-case",
        (0..=44, _) => "complete",
        (45..=64, _) => "partial",
        (65..=84, _) => "invalid",
        (85..=88, _) => "unknown-fact",
        (89..=95, _) if facts.iter().any(|f| f.kind == FactKind::Decimal) => "decimal-js",
        (89..=95, _) => "complete",
        _ => "text-json",
    };
    let mut title = format!("{kind}, {when} ({on_text})");
    if let (Some(example), "mutated-case") = (example, kind) {
        // A rule case's facts with one to three facts changed, dropped or answered anew.
        map = example.clone();
        let mut changed = Vec::new();
        for _ in 0..1 + rng.below(3) {
            let Some(fact) = rng.pick(facts) else { break };
            changed.push(fact.name.as_str());
            let value = if rng.chance(25) {
                None
            } else {
                valid(rng, values, code, fact, on)
            };
            match value {
                Some(value) => map.insert(fact.name.clone(), value),
                None => map.remove(&fact.name),
            };
        }
        title = format!("{title}: a rule case with {} changed", changed.join("、"));
    } else {
        let everything = kind == "complete" || kind == "decimal-js";
        for fact in facts {
            let keep = everything || rng.chance(45);
            if keep {
                if let Some(value) = valid(rng, values, code, fact, on) {
                    map.insert(fact.name.clone(), value);
                }
            } else if rng.chance(10) {
                map.insert(fact.name.clone(), Value::Null);
            }
        }
    }
    let mut text_only = false;
    match kind {
        "invalid" => {
            let wrong = 1 + rng.below(3);
            let mut names = Vec::new();
            for _ in 0..wrong {
                let Some(fact) = rng.pick(facts) else { break };
                let (value, only_text) = invalid(rng, values, code, fact, on);
                text_only |= only_text;
                names.push(fact.name.as_str());
                map.insert(fact.name.clone(), value);
            }
            title = format!("{title}: invalid {}", names.join("、"));
        }
        "unknown-fact" => {
            let name = rng.pick(&UNKNOWN_FACTS).copied().unwrap_or("age");
            map.insert(name.to_string(), num("1"));
            title = format!("{title}: unknown fact `{name}`");
        }
        "decimal-js" => {
            // Doubles a front end computes (100/3, 0.1+0.2, 1e-7): their shortest text is what
            // reaches the core, and the core reads that text exactly. Now and then one the
            // core must refuse (1e+21 is out of any range, 5e-324 has no exact decimal).
            let exact = [
                "0.1",
                "0.30000000000000004",
                "33.333333333333336",
                "1e-7",
                "99.99",
                "12.5",
                "66.67",
            ];
            let refused = ["1e+21", "5e-324"];
            for fact in facts.iter().filter(|f| f.kind == FactKind::Decimal) {
                let pool: &[&str] = if rng.chance(10) { &refused } else { &exact };
                let text = rng.pick(pool).copied().unwrap_or("0.1");
                map.insert(fact.name.clone(), num(text));
            }
        }
        _ => {}
    }
    let base = Case::new(kind, title, code, &on_text).with_facts(&map);
    if kind == "text-json" {
        out.push(text_case(rng, base, &map));
        return;
    }
    let mut base = base;
    if text_only {
        base.via = Via::Text;
    }
    let decided = engine.decide(code, &base.facts, &on_text);
    out.push(base.clone());
    if rng.chance(15) {
        let mut q = base.clone().op(Op::Questions);
        q.kind = "questions";
        out.push(q);
    }
    if rng.chance(25) {
        let mut e = base.clone().op(Op::Eligibility);
        e.kind = "eligibility";
        out.push(e);
    }
    let receipt = serde_json::from_str::<Value>(&decided)
        .ok()
        .and_then(|v| v.pointer("/decision/receipt").cloned());
    if let Some(receipt) = receipt
        && rng.chance(15)
    {
        let mut v = base.clone().op(Op::Verify);
        v.kind = "verify";
        let mut claimed = receipt;
        let mut set = |key: &str, digit: &str| {
            if let Some(fields) = claimed.as_object_mut() {
                fields.insert(
                    key.into(),
                    Value::String(format!("sha256:{}", digit.repeat(64))),
                );
            }
        };
        match rng.below(6) {
            0 => {
                v.title = format!("{}: receipt with another facts fingerprint", v.title);
                set("facts", "0");
            }
            1 => {
                v.title = format!("{}: receipt from another bundle", v.title);
                set("bundle", "f");
                set("decision", "e");
            }
            2 => {
                v.title = format!("{}: not a receipt", v.title);
                claimed = json!({"bundle": 1});
            }
            _ => v.title = format!("{}: its own receipt", v.title),
        }
        v.receipt = Some(claimed.to_string());
        out.push(v);
    }
}

/// Whether `JSON.stringify` of the parsed value writes `value`'s text: every number in it is
/// the shortest text of its double, in the plain notation JS uses from 1e-6 up to 1e21.
fn written_as_js(value: &Value) -> bool {
    match value {
        Value::Number(n) => {
            let text = n.to_string();
            text.parse::<f64>().is_ok_and(|x| {
                let plain = x == 0.0 || (1e-6..1e21).contains(&x.abs());
                plain && x.to_string() == text && !(x == 0.0 && text.starts_with('-'))
            })
        }
        Value::Array(items) => items.iter().all(written_as_js),
        Value::Object(fields) => fields.values().all(written_as_js),
        _ => true,
    }
}

/// Facts that are not a JSON object, or not JSON, or at the core's limits; sent as text.
fn text_case(rng: &mut Rng, base: Case, map: &Map<String, Value>) -> Case {
    let object = Value::Object(map.clone()).to_string();
    let deep = format!("{{\"x\":{}1{}}}", "[".repeat(200), "]".repeat(200));
    let large = format!("{{\"x\":\"{}\"}}", "办".repeat(90_000));
    let choices: Vec<(String, &str)> = vec![
        ("[]".into(), "a list"),
        ("\"事实\"".into(), "a string"),
        ("null".into(), "null"),
        ("42".into(), "a number"),
        ("{".into(), "cut short"),
        (String::new(), "empty text"),
        (format!("{object},"), "trailing comma"),
        (format!("  \n{object}\t "), "surrounding whitespace"),
        (format!("\u{feff}{object}"), "a byte-order mark"),
        (deep, "nested deeper than the parser allows"),
        (large, "larger than the core accepts"),
        (
            "{\"电子证照\":[],\"电子证照\":null}".into(),
            "a repeated key",
        ),
        (
            "{\"\\u7535\\u5b50\\u8bc1\\u7167\":[]}".into(),
            "unicode escapes",
        ),
        (object.replace("true", "True"), "Python's True"),
        // A page's JS string may hold a lone UTF-16 surrogate, which UTF-8 cannot: the package
        // sends it escaped, as JSON.stringify writes it, and every channel refuses it.
        (
            "{\"电子证照\":[],\"姓名\":\"\\ud800孤\"}".into(),
            "a lone leading surrogate",
        ),
        (
            "{\"姓名\":\"孤\\udc00\"}".into(),
            "a lone trailing surrogate",
        ),
    ];
    let (text, what) = rng
        .pick(&choices)
        .cloned()
        .unwrap_or_else(|| ("[]".into(), "a list"));
    let title = format!("{}: facts {what}", base.title);
    let mut case = base.with_text(text);
    case.title = title;
    case
}
