//! Due dates on the official calendar.
//!
//! The conventions, and why:
//! - The day of acceptance does not count; counting starts the next day (民法典第二百零一条:
//!   "开始的当日不计入，自下一日开始计算"). So the due date of an N-working-day limit is the Nth
//!   working day after acceptance, and an application accepted on a rest day (submitted online at a
//!   weekend) is counted from the next working day.
//! - Limits of the Administrative Licensing Law count working days and exclude statutory holidays
//!   (行政许可法第八十二条); make-up working days (调休) are working days.
//! - A limit in natural days whose last day is a rest day ends on the next working day
//!   (民法典第二百零三条).
//! - A 即办件 (limit 0) is due the day it is accepted, or the next working day when accepted on
//!   a rest day.
//! - Time spent in a special procedure (听证, 检验, 鉴定, 专家评审 …) does not count
//!   (行政许可法第四十五条): the days of each pause after acceptance are added back.
//! - A date the calendar does not cover is an error in the deadline block, never a guess.

use alloc::string::String;
use alloc::vec::Vec;
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::calendar::{Calendar, CalendarError};
use crate::checker::Checker;
use crate::common::{Citation, Limit, Text, citations};
use crate::error::{DecideError, FactError, FactErrorKind, SourcePath};
use crate::expr::{Env, Node, Overflow, Scope};
use crate::facts::{FactDef, FactKind, FactSourceKind, FactValue, Pause};
use crate::source::{LimitSource, MatterSource};
use crate::verification::{self, Marks};

/// The name of the agency fact recording clock stops, defined for matters with special
/// procedures.
pub const PROCEDURES_FACT: &str = "特别程序";

/// Procedures whose time does not count toward a limit: 行政许可法第四十五条 names hearings,
/// bidding, auctions, inspection, testing, quarantine, appraisal and expert review; the
/// Shaanxi plans add on-site survey and technical review; 补正 and 公告 stop the clock where a
/// matter's own law says so.
pub const SPECIAL_PROCEDURES: [&str; 12] = [
    "现场勘验",
    "技术审查",
    "听证",
    "招标",
    "拍卖",
    "检验",
    "检测",
    "检疫",
    "鉴定",
    "专家评审",
    "补正",
    "公告",
];

/// A procedure whose time does not count toward the limits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpecialProcedure {
    /// Its name.
    pub procedure: String,
    /// The law that excludes its time.
    pub basis: Vec<Citation>,
    /// Its own time box.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<Limit>,
}

/// A statutory extension of the limit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extension {
    /// How much longer the statutory limit may become.
    pub limit: Limit,
    /// Who must approve it.
    pub approval: String,
    /// Its basis.
    pub basis: Vec<Citation>,
}

/// A matter's clock rules beyond its two limits, compiled: the special procedures that stop
/// the clock, the fact recording them, the statutory extension, and the limits of particular
/// routes and situations.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Clock {
    pub procedures: Vec<SpecialProcedure>,
    /// `特别程序`, defined when the matter has special procedures.
    pub fact: Option<u16>,
    pub extension: Option<Extension>,
    /// `[[time_limits]]`, in file order: the first that applies wins.
    pub routes: Vec<TimeLimitRule>,
}

/// Limits that apply in one route or situation (`[[time_limits]]`), compiled.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TimeLimitRule {
    pub when: Node,
    pub applied: AppliedLimits,
    pub promised: Limit,
    pub statutory: Limit,
    /// Whether these limits carry no verification mark.
    pub unverified: bool,
}

/// Which route's limits a deadline was counted with, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppliedLimits {
    /// The `[[time_limits]]` entry.
    pub id: Text,
    /// 即办件 or 承诺件 in this route.
    pub handling: Text,
    /// Why these limits apply.
    pub reason: Text,
    /// Their basis.
    pub basis: Vec<Citation>,
}

const HANDLING: [&str; 2] = ["即办件", "承诺件"];

/// Checks that a promised limit is no longer than the statutory one and that a 即办件 (and only
/// a 即办件) is promised on the spot; `at` is where the promised limit is written.
pub(crate) fn check_limits(
    c: &mut Checker<'_>,
    at: &SourcePath,
    handling_at: SourcePath,
    handling: &str,
    statutory: Limit,
    promised: Limit,
) {
    match (statutory, promised) {
        (Limit::WorkingDays(s), Limit::WorkingDays(p)) | (Limit::Days(s), Limit::Days(p))
            if p > s =>
        {
            c.invalid(
                at.clone(),
                alloc::format!("the promised limit ({p}) is longer than the statutory limit ({s})"),
            );
        }
        _ => {}
    }
    let immediate = handling == "即办件";
    let zero = matches!(promised, Limit::WorkingDays(0) | Limit::Days(0));
    if immediate && !zero {
        c.invalid(
            at.clone(),
            "a 即办件 is decided on the spot: its promised limit is `{ working_days = 0 }`",
        );
    }
    if !immediate && zero {
        c.invalid(
            handling_at,
            "a promised limit of 0 days makes the matter a 即办件",
        );
    }
}

/// What compiling `[[time_limits]]` needs beyond the file.
pub(crate) struct RouteContext<'a> {
    pub scope: &'a Scope<'a>,
    pub basis_index: &'a alloc::collections::BTreeMap<&'a str, usize>,
    pub cited: &'a [Citation],
    /// The matter's statutory limit, for entries that keep it.
    pub statutory: Limit,
}

/// Compiles `[[time_limits]]`, adding each entry's verification mark to `marks`.
pub(crate) fn compile_routes(
    c: &mut Checker<'_>,
    src: &MatterSource,
    cx: &RouteContext<'_>,
    marks: &mut Marks,
) -> Vec<TimeLimitRule> {
    let mut seen = alloc::collections::BTreeMap::new();
    let mut routes = Vec::with_capacity(src.time_limits.len());
    for (i, t) in src.time_limits.iter().enumerate() {
        let path = SourcePath::root().key("time_limits").index(i);
        if seen.insert(t.id.as_str(), ()).is_some() {
            c.duplicate(path.key("id"), "time_limits id", &t.id);
        }
        c.one_of(path.key("handling"), &t.handling, &HANDLING);
        c.text(path.key("reason"), &t.reason);
        let basis = c.basis_refs(&path.key("basis"), &t.basis, cx.basis_index, true);
        let when = c.condition(path.key("when"), &t.when, cx.scope);
        let promised = c.limit(path.key("promised_limit"), &t.promised_limit);
        let statutory = t
            .statutory_limit
            .as_ref()
            .map_or(cx.statutory, |l: &LimitSource| {
                c.limit(path.key("statutory_limit"), l)
            });
        check_limits(
            c,
            &path.key("promised_limit"),
            path.key("handling"),
            &t.handling,
            statutory,
            promised,
        );
        let mark = verification::parse(c, path.key("verified"), t.verified.as_deref());
        let unverified = mark.is_none();
        marks.add(alloc::format!("time_limits.{}", t.id), mark);
        if let Some(when) = when {
            routes.push(TimeLimitRule {
                when,
                applied: AppliedLimits {
                    id: t.id.as_str().into(),
                    handling: t.handling.as_str().into(),
                    reason: t.reason.as_str().into(),
                    basis: citations(cx.cited, &basis),
                },
                promised,
                statutory,
                unverified,
            });
        }
    }
    routes
}

/// Compiles `[[special_procedures]]`; the procedures' fact is defined by the caller, which
/// knows its number.
pub(crate) fn compile_procedures(
    c: &mut Checker<'_>,
    src: &MatterSource,
    basis_index: &alloc::collections::BTreeMap<&str, usize>,
    cited: &[Citation],
) -> Vec<SpecialProcedure> {
    let mut seen = alloc::collections::BTreeMap::new();
    let mut procedures = Vec::with_capacity(src.special_procedures.len());
    for (i, p) in src.special_procedures.iter().enumerate() {
        let path = SourcePath::root().key("special_procedures").index(i);
        c.one_of(path.key("procedure"), &p.procedure, &SPECIAL_PROCEDURES);
        if seen.insert(p.procedure.as_str(), ()).is_some() {
            c.duplicate(path.key("procedure"), "special procedure", &p.procedure);
        }
        let basis = c.basis_refs(&path.key("basis"), &p.basis, basis_index, true);
        let limit = p.limit.as_ref().map(|l| c.limit(path.key("limit"), l));
        procedures.push(SpecialProcedure {
            procedure: p.procedure.clone(),
            basis: citations(cited, &basis),
            limit,
        });
    }
    procedures
}

/// The `特别程序` fact: the procedures started and their dates, recorded by the agency.
pub(crate) fn procedures_fact(procedures: &[SpecialProcedure]) -> FactDef {
    FactDef {
        name: PROCEDURES_FACT.into(),
        kind: FactKind::Procedures,
        question: "已启动的不计入办理时限的特别程序及其起止日期".into(),
        options: procedures.iter().map(|p| p.procedure.clone()).collect(),
        source: FactSourceKind::Agency,
        format: None,
        min: None,
        max: None,
    }
}

/// Compiles `[extension]`, which counts in the statutory limit's unit.
pub(crate) fn compile_extension(
    c: &mut Checker<'_>,
    src: &MatterSource,
    statutory: Limit,
    basis_index: &alloc::collections::BTreeMap<&str, usize>,
    cited: &[Citation],
) -> Option<Extension> {
    let e = src.extension.as_ref()?;
    let path = SourcePath::root().key("extension");
    c.text(path.key("approval"), &e.approval);
    let basis = c.basis_refs(&path.key("basis"), &e.basis, basis_index, true);
    let limit = c.limit(path.key("limit"), &e.limit);
    if core::mem::discriminant(&limit) != core::mem::discriminant(&statutory) {
        c.invalid(
            path.key("limit"),
            "an extension counts in the same unit as the statutory limit",
        );
    }
    Some(Extension {
        limit,
        approval: e.approval.clone(),
        basis: citations(cited, &basis),
    })
}

impl Clock {
    /// The `特别程序` clock stops, refused when one starts before the application was accepted.
    pub(crate) fn pauses<'f>(
        &self,
        facts: &'f [Option<FactValue>],
        on: NaiveDate,
    ) -> Result<&'f [crate::facts::Pause], DecideError> {
        let pauses: &[crate::facts::Pause] = match self.fact.and_then(|i| facts.get(usize::from(i)))
        {
            Some(Some(FactValue::Procedures(pauses))) => pauses,
            _ => &[],
        };
        // A procedure cannot stop a clock that has not started.
        let early: Vec<FactError> = pauses
            .iter()
            .enumerate()
            .filter(|(_, p)| p.from < on)
            .map(|(i, _)| FactError {
                path: alloc::format!("{}[{i}].from", PROCEDURES_FACT),
                kind: FactErrorKind::DateOrder {
                    problem: "the procedure starts before the application was accepted",
                },
            })
            .collect();
        if early.is_empty() {
            Ok(pauses)
        } else {
            Err(DecideError::Facts { errors: early })
        }
    }

    /// The `[[time_limits]]` entry that applies: the first whose condition holds. An entry
    /// still open before it makes the choice open (`Err`), its facts marked in `missing`.
    pub(crate) fn route(
        &self,
        env: &Env<'_>,
        missing: &mut [bool],
    ) -> Result<Result<Option<&TimeLimitRule>, ()>, DecideError> {
        for rule in &self.routes {
            let overflow = |Overflow| DecideError::overflow(&rule.applied.id);
            match rule.when.truth(env).map_err(overflow)? {
                Some(true) => return Ok(Ok(Some(rule))),
                Some(false) => {}
                None => {
                    rule.when.missing(env, missing).map_err(overflow)?;
                    return Ok(Err(()));
                }
            }
        }
        Ok(Ok(None))
    }

    /// The deadline block for an application accepted on `on` with these limits and the clock
    /// stops `pauses` (the checked `特别程序` fact).
    pub(crate) fn deadline(
        &self,
        calendar: &Calendar,
        on: NaiveDate,
        limits: Chosen<'_>,
        pauses: &[Pause],
    ) -> Deadline {
        deadline(
            calendar,
            on,
            &Limits {
                chosen: limits,
                extension: self.extension.as_ref(),
                procedures: &self.procedures,
            },
            pauses,
        )
    }
}

/// The limits a deadline is counted with: the matter's, or a route's.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Chosen<'a> {
    pub promised: Limit,
    pub statutory: Limit,
    /// Whether each limit lacks a verification mark.
    pub promised_unverified: bool,
    pub statutory_unverified: bool,
    /// The route whose limits these are, if not the matter's.
    pub applied: Option<&'a AppliedLimits>,
}

/// The deadline block of a decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadline {
    /// The day the application is accepted (the decision date).
    pub accepted_on: NaiveDate,
    /// Whether that is a working day; `false` means counting starts on the next working day.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accepted_on_working_day: Option<bool>,
    /// The first working day counted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub counting_from: Option<NaiveDate>,
    /// The `[[time_limits]]` route whose limits apply, and why; absent when the matter's own
    /// limits apply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applied: Option<AppliedLimits>,
    /// The promised limit (承诺办结时限) and its due date.
    pub promised: Due,
    /// The statutory limit (法定办结时限) and its due date.
    pub statutory: Due,
    /// The statutory extension the law allows, and the due date if it is granted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extension: Option<ExtensionDue>,
    /// Clock stops, in the order given.
    pub pauses: Vec<PauseDecision>,
    /// The notices (文号) of the calendar years used.
    pub calendar: Vec<String>,
}

/// A limit and the date it falls due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Due {
    /// The limit.
    pub limit: Limit,
    /// The last day to issue the result.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due: Option<NaiveDate>,
    /// Why the due date cannot be given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<CalendarError>,
    /// Whether the limit was never checked against a reachable text.
    #[serde(default, skip_serializing_if = "core::ops::Not::not")]
    pub unverified: bool,
}

/// The extension the law allows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtensionDue {
    /// How much longer.
    pub limit: Limit,
    /// Who must approve it.
    pub approval: String,
    /// Its basis.
    pub basis: Vec<Citation>,
    /// The statutory due date if it is granted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due: Option<NaiveDate>,
    /// Why that date cannot be given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<CalendarError>,
}

/// One clock stop.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PauseDecision {
    /// The procedure.
    pub procedure: String,
    /// Its first day.
    pub from: NaiveDate,
    /// Its last day.
    pub to: NaiveDate,
    /// Working days it took after acceptance (overlaps with earlier pauses not counted twice).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub working_days: Option<i64>,
    /// Natural days it took after acceptance.
    pub days: i64,
    /// Whether it ran over the procedure's own time box.
    pub over_limit: bool,
    /// The law that excludes its time.
    pub basis: Vec<Citation>,
}

/// Disjoint, sorted stretches of stopped clock after acceptance.
fn stopped(accepted: NaiveDate, pauses: &[Pause]) -> Vec<(NaiveDate, NaiveDate)> {
    let Some(first_counted) = accepted.checked_add_days(Days::new(1)) else {
        return Vec::new();
    };
    let mut spans: Vec<(NaiveDate, NaiveDate)> = pauses
        .iter()
        .map(|p| (p.from.max(first_counted), p.to))
        .filter(|(from, to)| from <= to)
        .collect();
    // Stable, and shared: see `NameIndex::new`.
    crate::common::sort_by(&mut spans, &|a, b| a.cmp(b));
    let mut merged: Vec<(NaiveDate, NaiveDate)> = Vec::with_capacity(spans.len());
    for (from, to) in spans {
        match merged.last_mut() {
            Some(last) if from <= last.1.checked_add_days(Days::new(1)).unwrap_or(last.1) => {
                last.1 = last.1.max(to);
            }
            _ => merged.push((from, to)),
        }
    }
    merged
}

fn natural_days(from: NaiveDate, to: NaiveDate) -> i64 {
    to.signed_duration_since(from).num_days().saturating_add(1)
}

/// Working days in `[from, to]`, both after `accepted`.
fn working_days_in(
    cal: &Calendar,
    accepted: NaiveDate,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<i64, CalendarError> {
    let before = from.pred_opt().unwrap_or(from).max(accepted);
    Ok(cal
        .working_days_between(accepted, to)?
        .saturating_sub(cal.working_days_between(accepted, before)?))
}

/// The last day of `limit` counted from `accepted`, with stopped stretches added back.
pub(crate) fn due_date(
    cal: &Calendar,
    accepted: NaiveDate,
    limit: Limit,
    stops: &[(NaiveDate, NaiveDate)],
) -> Result<NaiveDate, CalendarError> {
    match limit {
        Limit::WorkingDays(0) | Limit::Days(0) => cal.working_day_on_or_after(accepted),
        Limit::WorkingDays(n) => {
            // The least fixed point of d = add(accepted, n + paused(d)) is the Nth working day
            // outside every pause; each round adds the paused days found so far, so it ends after
            // at most one round per paused day.
            let mut extra = 0i64;
            loop {
                let total = u32::try_from(i64::from(n).saturating_add(extra)).unwrap_or(u32::MAX);
                let d = cal.add_working_days(accepted, total)?;
                let mut paused: i64 = 0;
                for &(from, to) in stops.iter().take_while(|(from, _)| *from <= d) {
                    paused =
                        paused.saturating_add(working_days_in(cal, accepted, from, to.min(d))?);
                }
                if paused == extra {
                    return Ok(d);
                }
                extra = paused;
            }
        }
        Limit::Days(n) => {
            let mut extra = 0i64;
            loop {
                let span = u64::try_from(i64::from(n).saturating_add(extra)).unwrap_or(u64::MAX);
                let d = accepted
                    .checked_add_days(Days::new(span))
                    .unwrap_or(NaiveDate::MAX);
                let paused: i64 = stops
                    .iter()
                    .take_while(|(from, _)| *from <= d)
                    .map(|&(from, to)| natural_days(from, to.min(d)))
                    .sum();
                if paused == extra {
                    return cal.working_day_on_or_after(d);
                }
                extra = paused;
            }
        }
    }
}

fn due(cal: &Calendar, accepted: NaiveDate, limit: Limit, stops: &[(NaiveDate, NaiveDate)]) -> Due {
    match due_date(cal, accepted, limit, stops) {
        Ok(date) => Due {
            limit,
            due: Some(date),
            error: None,
            unverified: false,
        },
        Err(error) => Due {
            limit,
            due: None,
            error: Some(error),
            unverified: false,
        },
    }
}

/// What the deadline computation needs from a matter.
pub(crate) struct Limits<'a> {
    pub chosen: Chosen<'a>,
    pub extension: Option<&'a Extension>,
    pub procedures: &'a [SpecialProcedure],
}

/// Computes the deadline block for an application accepted on `accepted`.
pub(crate) fn deadline(
    cal: &Calendar,
    accepted: NaiveDate,
    limits: &Limits<'_>,
    pauses: &[Pause],
) -> Deadline {
    let stops = stopped(accepted, pauses);
    let working = cal.is_working_day(accepted).ok();
    let counting_from = cal.next_working_day(accepted).ok();

    let extension = limits.extension.map(|e| {
        let extended = match (limits.chosen.statutory, e.limit) {
            (Limit::WorkingDays(a), Limit::WorkingDays(b)) => {
                Limit::WorkingDays(a.saturating_add(b))
            }
            (Limit::Days(a), Limit::Days(b)) => Limit::Days(a.saturating_add(b)),
            // Mixed units are refused when the rules are compiled.
            (other, _) => other,
        };
        let result = due(cal, accepted, extended, &stops);
        ExtensionDue {
            limit: e.limit,
            approval: e.approval.clone(),
            basis: e.basis.clone(),
            due: result.due,
            error: result.error,
        }
    });

    // Each pause reports only the days it adds: after acceptance, and not already in an earlier one.
    let mut counted: Vec<(NaiveDate, NaiveDate)> = Vec::new();
    let mut decisions = Vec::with_capacity(pauses.len());
    for pause in pauses {
        let mut days: i64 = 0;
        let mut working_days: Option<i64> = Some(0);
        for (from, to) in stopped(accepted, core::slice::from_ref(pause)) {
            for (a, b) in subtract((from, to), &counted) {
                days = days.saturating_add(natural_days(a, b));
                working_days = match (working_days, working_days_in(cal, accepted, a, b)) {
                    (Some(n), Ok(w)) => Some(n.saturating_add(w)),
                    _ => None,
                };
            }
            counted.push((from, to));
            counted = stopped(
                accepted,
                &counted
                    .iter()
                    .map(|&(from, to)| Pause {
                        procedure: 0,
                        from,
                        to,
                    })
                    .collect::<Vec<_>>(),
            );
        }
        let procedure = limits.procedures.get(usize::from(pause.procedure));
        let own_length = match procedure.and_then(|p| p.limit) {
            Some(Limit::WorkingDays(n)) => working_in_span(cal, pause).map(|w| w > i64::from(n)),
            Some(Limit::Days(n)) => Some(natural_days(pause.from, pause.to) > i64::from(n)),
            None => Some(false),
        };
        decisions.push(PauseDecision {
            procedure: procedure.map(|p| p.procedure.clone()).unwrap_or_default(),
            from: pause.from,
            to: pause.to,
            working_days,
            days,
            over_limit: own_length.unwrap_or(false),
            basis: procedure.map(|p| p.basis.clone()).unwrap_or_default(),
        });
    }

    let mut promised = due(cal, accepted, limits.chosen.promised, &stops);
    promised.unverified = limits.chosen.promised_unverified;
    let mut statutory = due(cal, accepted, limits.chosen.statutory, &stops);
    statutory.unverified = limits.chosen.statutory_unverified;
    let mut calendar: Vec<String> = Vec::new();
    let last = [
        promised.due,
        statutory.due,
        extension.as_ref().and_then(|e| e.due),
    ]
    .into_iter()
    .flatten()
    .max()
    .unwrap_or(accepted);
    for notice in cal.notices() {
        let year = notice.year;
        let used =
            chrono::Datelike::year(&accepted) <= year && year <= chrono::Datelike::year(&last);
        if used {
            calendar.push(notice.number.clone());
        }
    }

    Deadline {
        accepted_on: accepted,
        accepted_on_working_day: working,
        counting_from,
        applied: limits.chosen.applied.cloned(),
        promised,
        statutory,
        extension,
        pauses: decisions,
        calendar,
    }
}

/// The parts of `span` outside the sorted, disjoint `taken`.
fn subtract(
    span: (NaiveDate, NaiveDate),
    taken: &[(NaiveDate, NaiveDate)],
) -> Vec<(NaiveDate, NaiveDate)> {
    let mut pieces = Vec::new();
    let mut start = span.0;
    for &(a, b) in taken {
        if b < start || a > span.1 {
            continue;
        }
        if a > start {
            pieces.push((start, a.pred_opt().unwrap_or(a)));
        }
        match b.succ_opt() {
            Some(next) => start = start.max(next),
            None => return pieces,
        }
    }
    if start <= span.1 {
        pieces.push((start, span.1));
    }
    pieces
}

/// Working days of a pause over its whole span (for its own time box).
fn working_in_span(cal: &Calendar, pause: &Pause) -> Option<i64> {
    let before = pause.from.pred_opt()?;
    cal.working_days_between(before, pause.to).ok()
}

/// Why a decision has no deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoDeadlineReason {
    /// The application fails the 受理条件 and is not accepted.
    Ineligible,
    /// Materials are missing that stop acceptance; the one-time notice lists them.
    MissingMaterials,
}

/// In place of a deadline, for an application that is not accepted: the limits run from
/// acceptance (行政许可法第三十二条、第四十二条; 市政办发〔2021〕36号第十七条), so there is none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoDeadline {
    /// Why the application is not accepted.
    pub reason: NoDeadlineReason,
    /// What the applicant reads.
    pub message: Text,
    /// Why the limits run from acceptance.
    pub basis: Vec<Citation>,
}

impl NoDeadline {
    /// The block for an application not accepted for `reason`; `licensing` when the matter is a
    /// 行政许可, whose limits the Administrative Licensing Law sets.
    pub(crate) fn new(reason: NoDeadlineReason, licensing: bool) -> NoDeadline {
        let cite = |document: &str, article: &str, excerpt: &str| Citation {
            document: document.into(),
            article: article.into(),
            excerpt: Some(excerpt.into()),
            unverified: false,
        };
        let mut basis = Vec::with_capacity(3);
        if licensing {
            basis.push(cite(
                "中华人民共和国行政许可法",
                "第三十二条",
                "申请材料不齐全或者不符合法定形式的，应当当场或者在五日内一次告知申请人需要补正的全部内容……申请事项属于本行政机关职权范围，申请材料齐全、符合法定形式，或者申请人按照本行政机关的要求提交全部补正申请材料的，应当受理行政许可申请。",
            ));
            basis.push(cite(
                "中华人民共和国行政许可法",
                "第四十二条",
                "除可以当场作出行政许可决定的外，行政机关应当自受理行政许可申请之日起二十日内作出行政许可决定。",
            ));
        }
        basis.push(cite(
            "西安市政务服务标准化管理办法（试行）（市政办发〔2021〕36号）",
            "第十七条",
            "企业群众提交申请材料齐全的，应及时出具《受理通知书》，启动审批计时。申请材料不齐全的，根据实际情况执行容缺受理或一次性告知补齐补正材料。",
        ));
        let message = match reason {
            NoDeadlineReason::Ineligible => {
                "申请不符合受理条件，不予受理；办理时限自受理之日起计算，未受理的申请没有办结期限。"
            }
            NoDeadlineReason::MissingMaterials => {
                "申请材料不齐全，暂不受理；按一次性告知补齐材料后受理，办理时限自受理之日起计算。"
            }
        };
        NoDeadline {
            reason,
            message: message.into(),
            basis,
        }
    }
}
