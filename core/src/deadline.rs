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
use crate::facts::Pause;
use crate::matter::{Citation, Extension, Limit, SpecialProcedure};

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
    // Stable: see `NameIndex::new`.
    spans.sort();
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
    to.signed_duration_since(from).num_days() + 1
}

/// Working days in `[from, to]`, both after `accepted`.
fn working_days_in(
    cal: &Calendar,
    accepted: NaiveDate,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<i64, CalendarError> {
    let before = from.pred_opt().unwrap_or(from).max(accepted);
    Ok(cal.working_days_between(accepted, to)? - cal.working_days_between(accepted, before)?)
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
                let total = u32::try_from(i64::from(n) + extra).unwrap_or(u32::MAX);
                let d = cal.add_working_days(accepted, total)?;
                let mut paused = 0;
                for &(from, to) in stops.iter().take_while(|(from, _)| *from <= d) {
                    paused += working_days_in(cal, accepted, from, to.min(d))?;
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
                let span = u64::try_from(i64::from(n) + extra).unwrap_or(u64::MAX);
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
        },
        Err(error) => Due {
            limit,
            due: None,
            error: Some(error),
        },
    }
}

/// What the deadline computation needs from a matter.
pub(crate) struct Limits<'a> {
    pub promised: Limit,
    pub statutory: Limit,
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
        let extended = match (limits.statutory, e.limit) {
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
        let mut days = 0;
        let mut working_days = Some(0);
        for (from, to) in stopped(accepted, core::slice::from_ref(pause)) {
            for (a, b) in subtract((from, to), &counted) {
                days += natural_days(a, b);
                working_days = match (working_days, working_days_in(cal, accepted, a, b)) {
                    (Some(n), Ok(w)) => Some(n + w),
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

    let promised = due(cal, accepted, limits.promised, &stops);
    let statutory = due(cal, accepted, limits.statutory, &stops);
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
