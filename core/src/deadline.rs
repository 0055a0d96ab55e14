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
use crate::common::{Citation, Limit, citations};
use crate::error::{DecideError, FactError, FactErrorKind, SourcePath};
use crate::facts::{FactDef, FactKind, FactSourceKind, FactValue, Pause};
use crate::source::MatterSource;

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
/// the clock, the fact recording them, and the statutory extension.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Clock {
    pub procedures: Vec<SpecialProcedure>,
    /// `特别程序`, defined when the matter has special procedures.
    pub fact: Option<u16>,
    pub extension: Option<Extension>,
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

    /// The deadline block for an application accepted on `on` with these limits and the clock
    /// stops `pauses` (the checked `特别程序` fact).
    pub(crate) fn deadline(
        &self,
        calendar: &Calendar,
        on: NaiveDate,
        promised: Limit,
        statutory: Limit,
        pauses: &[Pause],
    ) -> Deadline {
        deadline(
            calendar,
            on,
            &Limits {
                promised,
                statutory,
                extension: self.extension.as_ref(),
                procedures: &self.procedures,
            },
            pauses,
        )
    }
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
