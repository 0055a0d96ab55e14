//! Synthetic applications and synthetic rule sets, for benchmarks and impact analysis.
//!
//! Everything here is seeded and deterministic: application `i` of seed `s` is the same on every
//! machine and in every thread, whatever else is generated, so a file of 420,000 applications can
//! be made in parallel and made again byte for byte.
//!
//! Applications follow each matter's facts schema (every fact type) and are drawn to look like a
//! district's records rather than uniform noise:
//! - numbers and dates cluster around the thresholds the matter's conditions compare them with
//!   (`age(出生日期) >= 16` puts birth dates around 16 years before the decision date), so rule
//!   changes near those thresholds move applicants as they would in real records;
//! - a truth value a requirement wants (`require = "经营场所符合要求"`) is usually true, one it
//!   forbids (`not 曾被吊销…`) usually false, and one that only selects a situation (an agent,
//!   a canteen) true for about a quarter of applicants;
//! - options are skewed toward the first ones listed, lists hold one to three options, about
//!   a third of applicants hold an electronic licence of each common type;
//! - about a quarter of the applications leave one to three facts unanswered;
//! - decision dates fall across 2025–2026, mostly on working days.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use banshi_core::calendar::Calendar;
use banshi_core::deferral::MISSING_FACT;
use banshi_core::expr::{Ast, AstKind, CompareOp, parse};
use banshi_core::facts::{FactDef, FactKind, FactSourceKind, TextFormat, parse_date};
use banshi_core::materials::LICENCE_FACT;
use banshi_core::source::MatterSource;
use banshi_core::{RuleSet, RuleSetSource, SourceFile};
use banshi_loader::{Located, TextFile};
use chrono::{Days, Months, NaiveDate};
use serde_json::{Map, Value};

use crate::builtin;

/// A small, fast, seedable generator (SplitMix64): the same numbers on every platform.
#[derive(Debug, Clone)]
pub struct Rng {
    state: u64,
}

impl Rng {
    /// A generator for `seed`.
    pub fn new(seed: u64) -> Rng {
        let mut rng = Rng { state: seed };
        rng.next_u64();
        rng
    }

    /// A generator for item `index` of `seed`, independent of every other index.
    pub fn for_item(seed: u64, index: u64) -> Rng {
        Rng::new(seed ^ index.wrapping_mul(0xD1B5_4A32_D192_ED03).rotate_left(17))
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        // Lemire's multiply-shift: unbiased enough for synthetic data, and branch-free.
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// A number in `lo..=hi` (`lo` when `hi < lo`).
    pub fn between(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        let span = hi.abs_diff(lo).saturating_add(1);
        lo.saturating_add_unsigned(self.below(span))
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// One of `items`, uniformly.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(self.index(items.len()))
    }

    /// An index in `0..n` (0 when `n` is 0).
    pub fn index(&mut self, n: usize) -> usize {
        usize::try_from(self.below(n as u64)).unwrap_or(0)
    }

    /// `items` in a random order (Fisher–Yates).
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.index(i + 1));
        }
    }

    /// An index in `0..n`, the first ones likelier (weights 8, 4, 2, 1, 1, …).
    pub fn skewed(&mut self, n: usize) -> usize {
        let weight = |i: usize| if i < 3 { 8u64 >> i } else { 1 };
        let total: u64 = (0..n).map(weight).sum();
        let mut draw = self.below(total);
        for i in 0..n {
            if draw < weight(i) {
                return i;
            }
            draw -= weight(i);
        }
        0
    }
}

/// A unit of a date threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Years,
    Months,
    Days,
}

/// Where a condition puts a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DateAnchor {
    /// A birth date for an age of `n` years (`age(d) >= n`).
    Age(i64),
    /// `n` units before the decision date (`years_between(d, today()) < n`).
    Before(Unit, i64),
    /// `n` units after the decision date (`days_between(today(), d) <= n`).
    After(Unit, i64),
    /// A fixed date (`d >= date("2026-01-01")`, `d <= today()` with the decision date).
    On(Option<NaiveDate>),
}

impl DateAnchor {
    /// +1 when the compared value grows with the date (the date itself, days until it), -1
    /// when it shrinks (an age, the years since it).
    fn sign(self) -> i64 {
        match self {
            DateAnchor::Age(_) | DateAnchor::Before(..) => -1,
            DateAnchor::After(..) | DateAnchor::On(_) => 1,
        }
    }
}

/// Which side of a threshold a requirement wants the compared value on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Want {
    /// At or above (`>=`), or strictly above (`>`, `true`).
    Above(bool),
    /// At or below, or strictly below.
    Below(bool),
    /// Either: the comparison only selects a situation, or is an equality.
    Any,
}

impl Want {
    /// The side `fact op n` wants when it must be `polarity`.
    fn of(op: CompareOp, polarity: Option<bool>) -> Want {
        let want = match op {
            CompareOp::Ge => Want::Above(false),
            CompareOp::Gt => Want::Above(true),
            CompareOp::Le => Want::Below(false),
            CompareOp::Lt => Want::Below(true),
            CompareOp::Eq | CompareOp::Ne => Want::Any,
        };
        match (polarity, want) {
            (Some(true), w) => w,
            // `not (x >= n)` wants `x < n`.
            (Some(false), Want::Above(strict)) => Want::Below(!strict),
            (Some(false), Want::Below(strict)) => Want::Above(!strict),
            _ => Want::Any,
        }
    }
}

/// `a op b` read as `b op' a`.
fn flip(op: CompareOp) -> CompareOp {
    match op {
        CompareOp::Lt => CompareOp::Gt,
        CompareOp::Le => CompareOp::Ge,
        CompareOp::Gt => CompareOp::Lt,
        CompareOp::Ge => CompareOp::Le,
        other => other,
    }
}

/// What the conditions say about one fact.
#[derive(Debug, Clone, Default)]
struct Anchors {
    numbers: Vec<(i64, Want)>,
    dates: Vec<(DateAnchor, Want)>,
    texts: Vec<String>,
    /// Options a requirement asks for, and options it rules out.
    wanted: Vec<String>,
    unwanted: Vec<String>,
    /// Votes of requirements: how often the fact is wanted true, and false.
    wanted_true: u32,
    wanted_false: u32,
}

/// How often a drawn value satisfies the requirement it is compared in, in percent: most
/// records are of applicants who qualify, a few fail one condition or another.
const SATISFIES: u64 = 95;

/// A signed distance from a threshold, at most `spread` away: on the side `want` asks for when
/// `satisfy`, on the other side otherwise (either side for [`Want::Any`]).
fn offset(rng: &mut Rng, want: Want, spread: i64, satisfy: bool) -> i64 {
    let magnitude = rng.between(0, spread.max(1));
    let (side, strict) = match want {
        Want::Above(strict) => (1, strict),
        Want::Below(strict) => (-1, strict),
        Want::Any => {
            return if rng.chance(50) {
                magnitude
            } else {
                -magnitude
            };
        }
    };
    if satisfy {
        side * (magnitude + i64::from(strict))
    } else {
        -side * (magnitude + i64::from(!strict))
    }
}

/// Whether `value` is on the side `want` asks of `threshold`.
fn holds(value: i64, want: Want, threshold: i64) -> bool {
    match want {
        Want::Above(false) => value >= threshold,
        Want::Above(true) => value > threshold,
        Want::Below(false) => value <= threshold,
        Want::Below(true) => value < threshold,
        Want::Any => true,
    }
}

/// Draws up to eight candidates until one satisfies every threshold (or, one time in twenty,
/// fails at least one): `candidate` gets whether to satisfy.
fn draw_until<T: Copy>(
    rng: &mut Rng,
    mut candidate: impl FnMut(&mut Rng, bool) -> T,
    all_hold: impl Fn(T) -> bool,
) -> T {
    let satisfy = rng.chance(SATISFIES);
    let mut value = candidate(rng, satisfy);
    for _ in 0..8 {
        if all_hold(value) == satisfy {
            break;
        }
        value = candidate(rng, satisfy);
    }
    value
}

/// One fact of a matter version, ready to draw.
#[derive(Debug, Clone)]
struct FactPlan {
    def: FactDef,
    anchors: Anchors,
}

/// One version of a matter, ready to draw.
#[derive(Debug, Clone)]
struct VersionPlan {
    effective: NaiveDate,
    facts: Vec<FactPlan>,
}

/// The first and last decision dates drawn.
const FIRST_DAY: (i32, u32, u32) = (2025, 1, 1);
const LAST_DAY: (i32, u32, u32) = (2026, 12, 31);

fn ymd((y, m, d): (i32, u32, u32)) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// One synthetic application: `{"matter","on","facts"}`.
#[derive(Debug, Clone, PartialEq)]
pub struct Application {
    /// The matter's 实施编码.
    pub matter: String,
    /// The decision date.
    pub on: NaiveDate,
    /// The facts, as a front end would send them.
    pub facts: Map<String, Value>,
}

impl Application {
    /// One line of JSON, keys in the order `matter`, `on`, `facts`.
    pub fn to_json_line(&self) -> String {
        let matter = Value::String(self.matter.clone());
        let facts = Value::Object(self.facts.clone());
        format!(
            r#"{{"matter":{matter},"on":"{}","facts":{facts}}}"#,
            self.on
        )
    }
}

/// Draws applications for the matters of a rule set.
#[derive(Debug, Clone)]
pub struct Generator<'a> {
    rules: &'a RuleSet,
    /// By code: every version, oldest first.
    matters: Vec<(String, Vec<VersionPlan>)>,
}

impl<'a> Generator<'a> {
    /// Plans generation for every matter of `rules`, reading the thresholds from the condition
    /// texts in `src` (the sources the rules were compiled from).
    pub fn new(src: &RuleSetSource, rules: &'a RuleSet) -> Generator<'a> {
        let flat = banshi_core::catalogue::flatten(src);
        let mut matters: Vec<(String, Vec<VersionPlan>)> = Vec::new();
        // Rules compiled from sources, or opened from a one-file catalogue or a folder: every
        // page of the index is at hand, so the listing does not fail.
        for summary in rules.matters().unwrap_or_default() {
            let Ok(matter) = rules.matter(&summary.code, summary.effective) else {
                continue;
            };
            let source = flat.iter().map(|f| &f.source).find(|s| {
                *s.matter.implementation_code == *summary.code && *s.version.id == *summary.version
            });
            let mut anchors: BTreeMap<String, Anchors> = BTreeMap::new();
            if let Some(source) = source {
                collect_anchors(source, &mut anchors);
            }
            let plan = VersionPlan {
                effective: summary.effective,
                facts: matter
                    .facts()
                    .iter()
                    .map(|def| FactPlan {
                        def: def.clone(),
                        anchors: anchors.get(&def.name).cloned().unwrap_or_default(),
                    })
                    .collect(),
            };
            match matters.last_mut() {
                Some((code, versions)) if **code == *summary.code => versions.push(plan),
                _ => matters.push((summary.code.to_string(), vec![plan])),
            }
        }
        Generator { rules, matters }
    }

    /// The codes applications are drawn for.
    pub fn codes(&self) -> Vec<&str> {
        self.matters.iter().map(|(code, _)| code.as_str()).collect()
    }

    /// Application `index` of `seed`, for a matter drawn uniformly.
    pub fn application(&self, seed: u64, index: u64) -> Option<Application> {
        let mut rng = Rng::for_item(seed, index);
        let (code, versions) = rng.pick(&self.matters)?;
        Some(self.draw(&mut rng, code, versions))
    }

    /// Application `index` of `seed` for one matter; `None` for a code the rules lack.
    pub fn application_for(&self, code: &str, seed: u64, index: u64) -> Option<Application> {
        let mut rng = Rng::for_item(seed, index);
        let (code, versions) = self.matters.iter().find(|(c, _)| c == code)?;
        Some(self.draw(&mut rng, code, versions))
    }

    /// A value of fact `name` of matter `code` on decision date `on`, drawn as for an
    /// application; `None` when the draw leaves the fact out, or the matter has no such fact.
    pub fn value(&self, rng: &mut Rng, code: &str, on: NaiveDate, name: &str) -> Option<Value> {
        let (_, versions) = self.matters.iter().find(|(c, _)| c == code)?;
        let plan = version_on(versions, on)?
            .facts
            .iter()
            .find(|p| p.def.name == name)?;
        draw_fact(rng, plan, on)
    }

    fn draw(&self, rng: &mut Rng, code: &str, versions: &[VersionPlan]) -> Application {
        let earliest = versions.first().map_or(ymd(FIRST_DAY), |v| v.effective);
        let on = decision_date(rng, earliest.max(ymd(FIRST_DAY)), self.rules.calendar());
        let mut facts = Map::new();
        let mut asked: Vec<&str> = Vec::new();
        for plan in version_on(versions, on).map_or(&[][..], |v| &v.facts) {
            asked.push(&plan.def.name);
            if let Some(value) = draw_fact(rng, plan, on) {
                facts.insert(plan.def.name.clone(), value);
            }
        }
        // About a quarter of the records leave one to three facts unanswered.
        if rng.chance(28) {
            for _ in 0..rng.between(1, 3) {
                if let Some(name) = rng.pick(&asked) {
                    facts.remove(*name);
                }
            }
        }
        Application {
            matter: code.to_string(),
            on,
            facts,
        }
    }
}

/// The version in force on `on` (the first one before any is).
fn version_on(versions: &[VersionPlan], on: NaiveDate) -> Option<&VersionPlan> {
    versions
        .iter()
        .rev()
        .find(|v| v.effective <= on)
        .or(versions.first())
}

/// A date in 2025–2026 from `earliest` on; 9 in 10 on a working day.
fn decision_date(rng: &mut Rng, earliest: NaiveDate, calendar: &Calendar) -> NaiveDate {
    let last = ymd(LAST_DAY);
    let span = last.signed_duration_since(earliest).num_days().max(0);
    let mut day = earliest;
    for _ in 0..4 {
        day = earliest + Days::new(u64::try_from(rng.between(0, span)).unwrap_or(0));
        if calendar.is_working_day(day).unwrap_or(true) || rng.chance(10) {
            break;
        }
    }
    day
}

fn shift(on: NaiveDate, unit: Unit, n: i64) -> NaiveDate {
    let magnitude = n.unsigned_abs();
    let shifted = match unit {
        Unit::Days => {
            if n >= 0 {
                on.checked_add_days(Days::new(magnitude))
            } else {
                on.checked_sub_days(Days::new(magnitude))
            }
        }
        Unit::Months | Unit::Years => {
            let months = if unit == Unit::Years {
                magnitude.saturating_mul(12)
            } else {
                magnitude
            };
            let months = Months::new(u32::try_from(months).unwrap_or(u32::MAX));
            if n >= 0 {
                on.checked_add_months(months)
            } else {
                on.checked_sub_months(months)
            }
        }
    };
    shifted.unwrap_or(on)
}

/// Draws one fact; `None` leaves it out.
fn draw_fact(rng: &mut Rng, plan: &FactPlan, on: NaiveDate) -> Option<Value> {
    let def = &plan.def;
    let anchors = &plan.anchors;
    match def.kind {
        FactKind::Bool => {
            let percent = if def.name == banshi_core::commitment::DISHONESTY_FACT {
                3
            } else if def.name == banshi_core::commitment::COMMITMENT_FACT {
                50
            } else if anchors.wanted_true > anchors.wanted_false {
                SATISFIES
            } else if anchors.wanted_false > anchors.wanted_true {
                100 - SATISFIES
            } else {
                25
            };
            Some(Value::Bool(rng.chance(percent)))
        }
        FactKind::Integer | FactKind::Decimal => Some(draw_number(rng, def, anchors)),
        FactKind::Date => Some(Value::String(draw_date(rng, anchors, on).to_string())),
        FactKind::Text => Some(Value::String(draw_text(rng, def, anchors, on))),
        FactKind::Enum => {
            let satisfy = rng.chance(SATISFIES);
            if satisfy && let Some(wanted) = rng.pick(&anchors.wanted) {
                return Some(Value::String(wanted.clone()));
            }
            for _ in 0..8 {
                let option = def.options.get(rng.skewed(def.options.len()))?;
                if anchors.unwanted.contains(option) != satisfy || anchors.unwanted.is_empty() {
                    return Some(Value::String(option.clone()));
                }
            }
            def.options.first().cloned().map(Value::String)
        }
        FactKind::EnumList => draw_list(rng, def, anchors),
        FactKind::Procedures => draw_procedures(rng, def, on),
    }
}

fn draw_number(rng: &mut Rng, def: &FactDef, anchors: &Anchors) -> Value {
    let whole = |d: Option<rust_decimal::Decimal>| d.and_then(decimal_whole);
    let lo = whole(def.min).unwrap_or(0);
    // Without a threshold, a count or a share: small numbers (certificates, shares in percent).
    let top = anchors
        .numbers
        .iter()
        .map(|(n, _)| *n)
        .max()
        .unwrap_or(4)
        .max(4);
    // Records spread well past a threshold (contributions of many years, large areas).
    let reach = if anchors.numbers.is_empty() { 3 } else { 10 };
    let hi = whole(def.max)
        .unwrap_or(lo.saturating_add(top.saturating_mul(reach)))
        .max(lo);
    let cap = hi.min(lo.saturating_add(top.saturating_mul(reach)));
    let candidate = |rng: &mut Rng, satisfy: bool| {
        match rng.pick(&anchors.numbers) {
            Some(&(anchor, want)) if rng.chance(60) => {
                anchor + offset(rng, want, (anchor.abs() / 2).max(3), satisfy)
            }
            // Records are skewed toward small values: the lower of two uniform draws.
            _ => rng.between(lo, cap).min(rng.between(lo, cap)),
        }
        .clamp(lo, hi)
    };
    let all_hold = |v: i64| anchors.numbers.iter().all(|&(n, want)| holds(v, want, n));
    let value = draw_until(rng, candidate, all_hold);
    if def.kind == FactKind::Decimal && rng.chance(50) && value < hi {
        let cents = rng.between(0, 99);
        if let Ok(number) = format!("{value}.{cents:02}").parse::<serde_json::Number>() {
            return Value::Number(number);
        }
    }
    Value::from(value)
}

fn draw_date(rng: &mut Rng, anchors: &Anchors, on: NaiveDate) -> NaiveDate {
    if anchors.dates.is_empty() {
        return shift(on, Unit::Days, -rng.between(-365, 3650));
    }
    let candidate = |rng: &mut Rng, satisfy: bool| {
        let Some(&(anchor, want)) = rng.pick(&anchors.dates) else {
            return on;
        };
        let (base, spread) = match anchor {
            DateAnchor::Age(n) => (shift(on, Unit::Years, -n), 40 * 365),
            DateAnchor::Before(unit, n) => (shift(on, unit, -n), jitter(unit, n)),
            DateAnchor::After(unit, n) => (shift(on, unit, n), jitter(unit, n)),
            DateAnchor::On(date) => (date.unwrap_or(on), 365),
        };
        shift(
            base,
            Unit::Days,
            anchor.sign() * offset(rng, want, spread, satisfy),
        )
    };
    let all_hold = |d: NaiveDate| {
        anchors.dates.iter().all(|&(anchor, want)| {
            let months = |a: NaiveDate, b: NaiveDate| banshi_core::expr::months_between(a, b);
            let days = |a: NaiveDate, b: NaiveDate| b.signed_duration_since(a).num_days();
            let units = |unit: Unit, a, b| match unit {
                Unit::Years => months(a, b) / 12,
                Unit::Months => months(a, b),
                Unit::Days => days(a, b),
            };
            match anchor {
                DateAnchor::Age(n) => holds(units(Unit::Years, d, on), want, n),
                DateAnchor::Before(unit, n) => holds(units(unit, d, on), want, n),
                DateAnchor::After(unit, n) => holds(units(unit, on, d), want, n),
                DateAnchor::On(date) => holds(days(date.unwrap_or(on), d), want, 0),
            }
        })
    };
    draw_until(rng, candidate, all_hold)
}

/// How far around a date threshold draws spread, in days.
fn jitter(unit: Unit, n: i64) -> i64 {
    match unit {
        Unit::Years => 2 * 365,
        Unit::Months => 31 * (n.abs() / 3 + 1),
        Unit::Days => (n.abs() / 3).max(5),
    }
}

/// Region codes (西安市 districts and counties), for identity numbers and generated agencies.
const REGIONS: [(u32, &str); 13] = [
    (610102, "新城区"),
    (610103, "碑林区"),
    (610104, "莲湖区"),
    (610111, "灞桥区"),
    (610112, "未央区"),
    (610113, "雁塔区"),
    (610114, "阎良区"),
    (610115, "临潼区"),
    (610116, "长安区"),
    (610117, "高陵区"),
    (610118, "鄠邑区"),
    (610122, "蓝田县"),
    (610124, "周至县"),
];

fn region(rng: &mut Rng) -> (u32, &'static str) {
    rng.pick(&REGIONS).copied().unwrap_or((610102, "新城区"))
}

fn draw_text(rng: &mut Rng, def: &FactDef, anchors: &Anchors, on: NaiveDate) -> String {
    match def.format {
        Some(TextFormat::IdNumber) => {
            let birth = shift(on, Unit::Days, -rng.between(18 * 365, 75 * 365));
            let serial = u32::try_from(rng.between(0, 999)).unwrap_or(0);
            id_number(region(rng).0, birth, serial)
        }
        Some(TextFormat::CreditCode) => {
            let mut symbols = vec![9, 1];
            let digits = region(rng).0;
            symbols.extend(
                digits
                    .to_string()
                    .bytes()
                    .map(|b| usize::from(b.saturating_sub(b'0'))),
            );
            while symbols.len() < 17 {
                symbols.push(usize::try_from(rng.below(31)).unwrap_or(0));
            }
            credit_code(&symbols)
        }
        None => match rng.pick(&anchors.texts) {
            Some(text) if rng.chance(50) => text.clone(),
            _ => {
                let stem: String = def.name.chars().take(4).collect();
                format!("{stem}{:05}", rng.below(100_000))
            }
        },
    }
}

fn draw_list(rng: &mut Rng, def: &FactDef, anchors: &Anchors) -> Option<Value> {
    let n = def.options.len();
    let chosen: Vec<usize> = if def.name == MISSING_FACT {
        // What the applicant lacks at acceptance: usually nothing, sometimes not yet asked.
        match rng.below(100) {
            0..20 => return None,
            20..70 => Vec::new(),
            _ => (0..rng.between(1, 2))
                .filter_map(|_| usize::try_from(rng.below(n as u64)).ok())
                .collect(),
        }
    } else if def.name == LICENCE_FACT || def.source == FactSourceKind::ELicence {
        // Electronic licences found by the channel: the common ones held by about a third.
        if rng.chance(12) {
            return None;
        }
        (0..n)
            .filter(|&i| rng.chance(if i < 3 { 35 } else { 6 }))
            .collect()
    } else {
        let k = match rng.below(100) {
            0..60 => 1,
            60..85 => 2,
            _ => 3,
        };
        let mut chosen: Vec<usize> = (0..k).map(|_| rng.skewed(n)).collect();
        let index = |o: &String| def.options.iter().position(|x| x == o);
        let wanted: Vec<usize> = anchors.wanted.iter().filter_map(index).collect();
        let unwanted: Vec<usize> = anchors.unwanted.iter().filter_map(index).collect();
        if rng.chance(SATISFIES) {
            chosen.retain(|i| !unwanted.contains(i));
            if !wanted.is_empty() && !chosen.iter().any(|i| wanted.contains(i)) {
                chosen.extend(rng.pick(&wanted));
            }
        } else if let Some(&bad) = rng.pick(&unwanted) {
            chosen.push(bad);
        } else {
            chosen.retain(|i| !wanted.contains(i));
        }
        chosen
    };
    let mut seen = vec![false; n];
    let mut items = Vec::new();
    for i in chosen {
        if let (Some(slot), Some(option)) = (seen.get_mut(i), def.options.get(i))
            && !*slot
        {
            *slot = true;
            items.push(Value::String(option.clone()));
        }
    }
    Some(Value::Array(items))
}

fn draw_procedures(rng: &mut Rng, def: &FactDef, on: NaiveDate) -> Option<Value> {
    match rng.below(100) {
        0..88 => None,
        88..95 => Some(Value::Array(Vec::new())),
        _ => {
            let procedure = rng.pick(&def.options)?.clone();
            let from = shift(on, Unit::Days, rng.between(1, 10));
            let to = shift(from, Unit::Days, rng.between(0, 20));
            let mut pause = Map::new();
            pause.insert("procedure".into(), Value::String(procedure));
            pause.insert("from".into(), Value::String(from.to_string()));
            pause.insert("to".into(), Value::String(to.to_string()));
            Some(Value::Array(vec![Value::Object(pause)]))
        }
    }
}

pub use banshi_core::facts::codes::{credit_code, id_number};

// ---------------------------------------------------------------------------------------------
// Thresholds from the condition texts
// ---------------------------------------------------------------------------------------------

fn collect_anchors(source: &MatterSource, out: &mut BTreeMap<String, Anchors>) {
    let situations: Situations = source
        .situations
        .iter()
        .filter_map(|s| Some((s.name.clone(), parse(&s.when).ok()?)))
        .collect();
    let mut walk = |text: &str, polarity: Option<bool>| {
        if let Ok(ast) = parse(text) {
            visit(&ast, polarity, &situations, out);
        }
    };
    for s in &source.situations {
        walk(&s.when, None);
    }
    for c in &source.conditions {
        walk(&c.require, Some(true));
        if let Some(when) = &c.when {
            walk(when, None);
        }
    }
    for m in &source.materials {
        if let Some(when) = &m.when {
            walk(when, None);
        }
    }
    if let Some(fees) = &source.fees {
        for item in &fees.items {
            for text in [&item.when, &item.quantity].into_iter().flatten() {
                walk(text, None);
            }
        }
        for waiver in &fees.waivers {
            walk(&waiver.when, None);
        }
    }
}

fn name(ast: &Ast) -> Option<&str> {
    match &ast.kind {
        AstKind::Name(n) => Some(n),
        _ => None,
    }
}

/// The whole part of a decimal, when it fits.
fn decimal_whole(d: rust_decimal::Decimal) -> Option<i64> {
    d.trunc().to_string().parse().ok()
}

fn is_today(ast: &Ast) -> bool {
    matches!(&ast.kind, AstKind::Call(f, args) if f == "today" && args.is_empty())
}

fn whole_number(ast: &Ast) -> Option<i64> {
    match &ast.kind {
        AstKind::Number(n) => decimal_whole(*n),
        AstKind::Neg(inner) => whole_number(inner).map(|n| -n),
        _ => None,
    }
}

/// The fact and date anchor of `age(f)`, `years_between(f, today())` and the like, compared
/// with `n`.
fn date_anchor(ast: &Ast, n: i64) -> Option<(&str, DateAnchor)> {
    let AstKind::Call(function, args) = &ast.kind else {
        return None;
    };
    let unit = match function.as_str() {
        "age" => return Some((name(args.first()?)?, DateAnchor::Age(n))),
        "years_between" => Unit::Years,
        "months_between" => Unit::Months,
        "days_between" => Unit::Days,
        _ => return None,
    };
    let (a, b) = (args.first()?, args.get(1)?);
    if is_today(b) {
        Some((name(a)?, DateAnchor::Before(unit, n)))
    } else if is_today(a) {
        Some((name(b)?, DateAnchor::After(unit, n)))
    } else {
        None
    }
}

/// `k * f` or `f * k` with a constant `k`: the fact and `k`.
fn scaled(ast: &Ast) -> Option<(&str, i64)> {
    let AstKind::Arith(banshi_core::expr::ArithOp::Mul, a, b) = &ast.kind else {
        return None;
    };
    match (name(a), whole_number(b), name(b), whole_number(a)) {
        (Some(f), Some(k), _, _) | (_, _, Some(f), Some(k)) if k > 0 => Some((f, k)),
        _ => None,
    }
}

fn entry<'m>(out: &'m mut BTreeMap<String, Anchors>, fact: &str) -> &'m mut Anchors {
    out.entry(fact.to_string()).or_default()
}

/// Records what `a op b` says about facts on either side.
fn comparison(
    op: CompareOp,
    a: &Ast,
    b: &Ast,
    polarity: Option<bool>,
    out: &mut BTreeMap<String, Anchors>,
) {
    for (x, y, op) in [(a, b, op), (b, a, flip(op))] {
        let want = Want::of(op, polarity);
        if let (Some(fact), Some(n)) = (name(x), whole_number(y)) {
            entry(out, fact).numbers.push((n, want));
        }
        if let (Some((fact, k)), Some(n)) = (scaled(x), whole_number(y)) {
            // `k * f >= n`: the threshold of `f` is n / k, rounded up.
            entry(out, fact).numbers.push(((n + k - 1) / k, want));
        }
        if let (Some(fact), AstKind::Text(text)) = (name(x), &y.kind) {
            let anchors = entry(out, fact);
            anchors.texts.push(text.clone());
            let equal = match op {
                CompareOp::Eq => Some(true),
                CompareOp::Ne => Some(false),
                _ => None,
            };
            match (equal, polarity) {
                (Some(e), Some(p)) if e == p => anchors.wanted.push(text.clone()),
                (Some(_), Some(_)) => anchors.unwanted.push(text.clone()),
                _ => {}
            }
        }
        if let (Some(fact), AstKind::Bool(value)) = (name(x), &y.kind) {
            let holds = match op {
                CompareOp::Eq => Some(*value),
                CompareOp::Ne => Some(!*value),
                _ => None,
            };
            match (holds, polarity) {
                (Some(v), Some(p)) if v == p => entry(out, fact).wanted_true += 1,
                (Some(_), Some(_)) => entry(out, fact).wanted_false += 1,
                _ => {}
            }
        }
        if let Some(n) = whole_number(y)
            && let Some((fact, anchor)) = date_anchor(x, n)
        {
            entry(out, fact).dates.push((anchor, want));
        }
        if let Some(fact) = name(x) {
            let date = match &y.kind {
                AstKind::Call(f, args) if f == "date" => match args.first().map(|a| &a.kind) {
                    Some(AstKind::Text(text)) => parse_date(text).map(Some),
                    _ => None,
                },
                AstKind::Call(f, args) if f == "today" && args.is_empty() => Some(None),
                _ => None,
            };
            if let Some(date) = date {
                entry(out, fact).dates.push((DateAnchor::On(date), want));
            }
        }
    }
}

/// Situations by name, so that a requirement that names one asks for what makes it hold.
type Situations = BTreeMap<String, Ast>;

fn visit(
    ast: &Ast,
    polarity: Option<bool>,
    situations: &Situations,
    out: &mut BTreeMap<String, Anchors>,
) {
    match &ast.kind {
        AstKind::Name(fact) => match (polarity, situations.get(fact)) {
            // A situation may only use situations above it: no cycles.
            (Some(_), Some(when)) => visit(when, polarity, situations, out),
            (Some(true), None) => entry(out, fact).wanted_true += 1,
            (Some(false), None) => entry(out, fact).wanted_false += 1,
            (None, _) => {}
        },
        AstKind::Not(inner) => visit(inner, polarity.map(|p| !p), situations, out),
        AstKind::And(items) | AstKind::Or(items) => {
            for item in items {
                visit(item, polarity, situations, out);
            }
        }
        AstKind::Compare(op, left, right) => {
            comparison(*op, left, right, polarity, out);
            visit(left, None, situations, out);
            visit(right, None, situations, out);
        }
        AstKind::In(item, list) => {
            if let (Some(fact), AstKind::List(items)) = (name(item), &list.kind) {
                for constant in items {
                    match &constant.kind {
                        AstKind::Text(t) => {
                            let anchors = entry(out, fact);
                            anchors.texts.push(t.clone());
                            match polarity {
                                Some(true) => anchors.wanted.push(t.clone()),
                                Some(false) => anchors.unwanted.push(t.clone()),
                                None => {}
                            }
                        }
                        AstKind::Number(_) => {
                            if let Some(n) = whole_number(constant) {
                                entry(out, fact).numbers.push((n, Want::Any));
                            }
                        }
                        _ => {}
                    }
                }
            }
            visit(item, None, situations, out);
        }
        AstKind::Contains(list, item) => {
            if let (Some(fact), AstKind::Text(t), Some(p)) = (name(list), &item.kind, polarity) {
                let anchors = entry(out, fact);
                if p {
                    anchors.wanted.push(t.clone());
                } else {
                    anchors.unwanted.push(t.clone());
                }
            }
            visit(list, None, situations, out);
            visit(item, None, situations, out);
        }
        AstKind::Arith(_, a, b) => {
            visit(a, None, situations, out);
            visit(b, None, situations, out);
        }
        AstKind::Neg(inner) => visit(inner, None, situations, out),
        AstKind::Call(_, args) | AstKind::List(args) => {
            for arg in args {
                visit(arg, None, situations, out);
            }
        }
        AstKind::Bool(_) | AstKind::Number(_) | AstKind::Text(_) => {}
    }
}

// ---------------------------------------------------------------------------------------------
// A large rule set
// ---------------------------------------------------------------------------------------------

/// A rule set of `count` matters made from the matters of `src`: matter `i` copies every
/// version of shipped matter `i mod n` as another district's implementation (its own 实施编码,
/// name and agency), with the numbers in its requirements moved by 0, 1 or 2 and, for one in four,
/// a promised limit one working day shorter. The licences and the calendar are `src`'s. The
/// copies of one shipped matter come one after another (matter 0, n, 2n…, then 1, n + 1…), as
/// a rules folder holds a base's implementations: a catalogue's matter lines are in this order,
/// where gzip finds what neighbours share.
pub fn large_rule_set(src: &RuleSetSource, count: usize, seed: u64) -> RuleSetSource {
    let flat = banshi_core::catalogue::flatten(src);
    let mut codes: Vec<&str> = flat
        .iter()
        .map(|f| f.source.matter.implementation_code.as_str())
        .collect();
    codes.sort_unstable();
    codes.dedup();
    let mut matters = Vec::new();
    let n = codes.len().max(1);
    for i in (0..n).flat_map(|k| (k..count).step_by(n)) {
        let Some(&code) = codes.get(i % n) else {
            break;
        };
        let mut rng = Rng::for_item(seed, i as u64);
        let (region_code, district) = region(&mut rng);
        let delta = i64::try_from(i % 3).unwrap_or(0);
        for file in flat
            .iter()
            .filter(|f| f.source.matter.implementation_code == code)
        {
            let mut m = file.source.clone();
            // 实施编码: the agency's 18-character code, then the level digit and 基本编码.
            let rest = m.matter.implementation_code.get(18..).unwrap_or_default();
            m.matter.implementation_code = format!("11{region_code:06}{i:09}X{rest}");
            m.matter.name = format!("{}（{district}·{i:04}）", m.matter.name);
            m.matter.agency = format!("{district}{}", m.matter.agency);
            for condition in &mut m.conditions {
                condition.require = move_numbers(&condition.require, delta);
            }
            if i % 4 == 3
                && let Some(n) = m.matter.promised_limit.working_days
                && n >= 2
            {
                m.matter.promised_limit.working_days = Some(n - 1);
            }
            let folder = file
                .file
                .rsplit_once('/')
                .map_or(file.file.as_str(), |(dir, _)| dir);
            let folder = folder.rsplit('/').next().unwrap_or(folder);
            matters.push(SourceFile::new(
                format!("generated/{i:04}-{folder}/matter.toml"),
                m,
            ));
        }
    }
    RuleSetSource {
        matters,
        ..RuleSetSource::new(src.licences.clone(), src.calendar.clone())
    }
}

/// Adds `delta` to every whole-number literal of 2 or more in a condition, leaving quoted text,
/// decimals and digits inside names alone.
pub fn move_numbers(condition: &str, delta: i64) -> String {
    if delta == 0 {
        return condition.to_string();
    }
    let chars: Vec<char> = condition.chars().collect();
    let mut out = String::with_capacity(condition.len() + 4);
    let mut i = 0;
    let mut quoted = false;
    while let Some(&c) = chars.get(i) {
        if c == '"' {
            quoted = !quoted;
        }
        let before = if i == 0 {
            None
        } else {
            chars.get(i - 1).copied()
        };
        let starts =
            !quoted && c.is_ascii_digit() && before.is_none_or(|b| " (=<>,+-*".contains(b));
        if !starts {
            out.push(c);
            i += 1;
            continue;
        }
        let mut end = i;
        while chars.get(end).is_some_and(char::is_ascii_digit) {
            end += 1;
        }
        let digits: String = chars.get(i..end).unwrap_or_default().iter().collect();
        let after = chars.get(end).copied();
        let whole = after.is_none_or(|a| " ),".contains(a));
        match digits.parse::<i64>() {
            Ok(n) if whole && n >= 2 => out.push_str(&(n + delta).to_string()),
            _ => out.push_str(&digits),
        }
        i = end;
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Reading rules, and the command
// ---------------------------------------------------------------------------------------------

/// Rules and the sources they were compiled from.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The sources (for thresholds and for making bundles).
    pub source: RuleSetSource,
    /// The compiled rules.
    pub rules: RuleSet,
}

/// Reads rules from a bundle file (signed as `trust` asks), a rules folder, or (with neither)
/// the built-in rules.
pub fn read_rules(path: Option<&Path>, trust: &banshi_core::Trust) -> Result<Loaded, String> {
    let from_files = |files: &[TextFile]| -> Result<Loaded, String> {
        let (source, problems) = banshi_loader::sources(files);
        let located = |problems: &[Located]| {
            let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
            format!(
                "{}\nthe rules have {} problem(s); run `banshi check`",
                lines.join("\n"),
                problems.len()
            )
        };
        if !problems.is_empty() {
            return Err(located(&problems));
        }
        let rules = banshi_loader::compile(files).map_err(|p| located(&p))?;
        Ok(Loaded { source, rules })
    };
    let Some(path) = path else {
        return from_files(&builtin::files());
    };
    if path.is_dir() {
        let files = builtin::read_rules(path).map_err(|e| format!("{}: {e}", path.display()))?;
        return from_files(&files);
    }
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let failed = |e: banshi_core::bundle::BundleError| format!("{}: {e}", path.display());
    let rules = banshi_core::bundle::load(&text, trust).map_err(failed)?;
    let source = banshi_core::bundle::sources(&text, trust).map_err(failed)?;
    Ok(Loaded { source, rules })
}

/// `banshi generate`.
#[derive(Debug, clap::Subcommand)]
pub enum GenerateCommand {
    /// Write synthetic applications as JSON lines `{"matter","on","facts"}`.
    Cases {
        /// How many.
        #[arg(long, default_value_t = 1000)]
        count: u64,
        /// The seed: the same seed gives the same file.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Only this matter (实施编码); default: every matter, drawn uniformly.
        #[arg(long)]
        matter: Option<String>,
        /// A bundle file or rules folder (default: the built-in rules).
        #[arg(long)]
        rules: Option<PathBuf>,
        /// The keys a bundle must be signed by.
        #[command(flatten)]
        trust: crate::keys::TrustArgs,
        /// The file to write (default: standard output).
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Write a one-file catalogue of many matters varied from the shipped ones (for scale
    /// figures); `--bundle FILE` opens it in every command.
    Bundle {
        /// How many matters.
        #[arg(long, default_value_t = 1000)]
        matters: usize,
        /// The seed.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// A bundle file or rules folder to vary (default: the built-in rules).
        #[arg(long)]
        rules: Option<PathBuf>,
        /// The keys a bundle must be signed by.
        #[command(flatten)]
        trust: crate::keys::TrustArgs,
        /// The file to write (default: standard output).
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
}

fn writer(output: Option<&Path>) -> Result<Box<dyn std::io::Write>, String> {
    Ok(match output {
        Some(path) => Box::new(std::io::BufWriter::with_capacity(
            1 << 20,
            std::fs::File::create(path).map_err(|e| format!("{}: {e}", path.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    })
}

/// Runs `banshi generate`.
pub fn run(command: &GenerateCommand) -> Result<(), String> {
    match command {
        GenerateCommand::Cases {
            count,
            seed,
            matter,
            rules,
            trust,
            output,
        } => {
            let loaded = read_rules(rules.as_deref(), &trust.trust()?)?;
            let generator = Generator::new(&loaded.source, &loaded.rules);
            if let Some(code) = matter
                && !generator.codes().contains(&code.as_str())
            {
                return Err(format!("no matter `{code}` in these rules"));
            }
            let mut out = writer(output.as_deref())?;
            // Drawn in parallel blocks, written in order: the file does not depend on the cores.
            const BLOCK: u64 = 8192;
            let mut start = 0;
            while start < *count {
                let end = (start + BLOCK).min(*count);
                use rayon::prelude::*;
                let lines: Vec<String> = (start..end)
                    .into_par_iter()
                    .filter_map(|i| {
                        match matter {
                            Some(code) => generator.application_for(code, *seed, i),
                            None => generator.application(*seed, i),
                        }
                        .map(|a| a.to_json_line())
                    })
                    .collect();
                for line in lines {
                    writeln!(out, "{line}").map_err(|e| format!("writing cases: {e}"))?;
                }
                start = end;
            }
            out.flush().map_err(|e| format!("writing cases: {e}"))
        }
        GenerateCommand::Bundle {
            matters,
            seed,
            rules,
            trust,
            output,
        } => {
            let loaded = read_rules(rules.as_deref(), &trust.trust()?)?;
            let large = large_rule_set(&loaded.source, *matters, *seed);
            let text = banshi_core::bundle::write(&large).map_err(|errors| {
                let lines: Vec<String> = errors.iter().take(5).map(|e| e.to_string()).collect();
                format!("the generated rules do not compile:\n{}", lines.join("\n"))
            })?;
            let mut out = writer(output.as_deref())?;
            write!(out, "{text}")
                .and_then(|()| out.flush())
                .map_err(|e| format!("writing the bundle: {e}"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_move_outside_quotes_and_names() {
        assert_eq!(
            move_numbers(r#"年龄 >= 18 and 类型 == "A2" and not 记满12分"#, 1),
            r#"年龄 >= 19 and 类型 == "A2" and not 记满12分"#
        );
        assert_eq!(
            move_numbers("years_between(a, today()) < 1 and x > 50.5", 2),
            "years_between(a, today()) < 1 and x > 50.5"
        );
        assert_eq!(move_numbers("(x <= 90)", 2), "(x <= 92)");
    }

    #[test]
    fn check_characters() {
        // The worked examples of GB 11643-1999 and GB 32100-2015.
        let birth = NaiveDate::from_ymd_opt(1949, 12, 31).unwrap();
        assert_eq!(id_number(110105, birth, 2), "11010519491231002X");
        let symbols: Vec<usize> = "91350100M000100Y4"
            .bytes()
            .map(|b| banshi_core::facts::codes::credit_code_value(b).unwrap() as usize)
            .collect();
        assert_eq!(credit_code(&symbols), "91350100M000100Y43");
    }

    #[test]
    fn rng_is_stable() {
        let mut a = Rng::for_item(7, 3);
        let mut b = Rng::for_item(7, 3);
        assert_eq!(a.next_u64(), b.next_u64());
        assert!((0..1000).all(|_| (5..=9).contains(&a.between(5, 9))));
    }
}
