//! The official working-day calendar (工作日历) and working-day arithmetic for time limits.
//!
//! Time limits (办结时限) count working days (工作日) on the official calendar: the State Council
//! General Office publishes each year which days are off (放假) and which weekends are make-up
//! working days (调休上班). Those days are decided by notice, not by a rule, so the calendar is
//! data: one file a year, `rules/calendar/<year>.toml`, deserialized into [`CalendarSource`] and
//! checked by [`Calendar::compile`].
//!
//! Outside the years that have a notice the calendar refuses to answer ([`CalendarError`]) rather
//! than guess from weekends: a guess would be wrong exactly around the holidays, where a deadline
//! matters most.
//!
//! Queries are table look-ups: compiling precomputes, for every covered day, whether it is a
//! working day and how many working days lie up to it, so counting is O(1), adding is O(1), and no
//! query allocates.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;
use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use crate::error::{RuleError, RuleErrorKind, SourcePath};
use crate::facts::parse_date;

// ---------------------------------------------------------------------------------------------
// The files as written
// ---------------------------------------------------------------------------------------------

/// One year's calendar file, as written: the notice it comes from and its holidays.
///
/// Dates are `"YYYY-MM-DD"` text here, not parsed dates, so that [`Calendar::compile`] can report
/// a malformed date by its path in the file like any other problem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CalendarSource {
    /// The calendar year the file covers; every date of its holidays lies in it.
    pub year: i32,
    /// The State Council General Office notice that sets the year's schedule.
    pub notice: NoticeSource,
    /// The holidays, in the order of the notice.
    #[serde(default)]
    pub holidays: Vec<HolidaySource>,
}

/// The notice a calendar file transcribes, for citing in decisions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct NoticeSource {
    /// The title, for example 国务院办公厅关于2026年部分节假日安排的通知.
    pub title: String,
    /// The document number (文号), for example 国办发明电〔2025〕7号.
    pub number: String,
    /// The date the notice was issued, `YYYY-MM-DD`.
    pub published: String,
    /// Where the notice is published, optional.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// One holiday of a notice: its days off and the weekends worked in exchange.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct HolidaySource {
    /// The holiday's name as the notice gives it, for example 春节 or 国庆节、中秋节.
    pub name: String,
    /// The days off (放假), as inclusive ranges.
    pub off: Vec<DayRangeSource>,
    /// The number of days off the notice states (共N天); it must equal the days in `off`, which
    /// catches a mistyped range.
    pub days: u32,
    /// The make-up working days (调休上班): weekend days that are worked.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub work: Vec<String>,
}

/// An inclusive range of days, `YYYY-MM-DD`; without `to` it is the single day `from`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct DayRangeSource {
    /// The first day.
    pub from: String,
    /// The last day, included; `from` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// The compiled calendar
// ---------------------------------------------------------------------------------------------

/// A notice a calendar year comes from, for citing in decisions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Notice {
    /// The calendar year it sets.
    pub year: i32,
    /// The title.
    pub title: String,
    /// The document number (文号).
    pub number: String,
    /// The date it was issued.
    pub published: NaiveDate,
    /// Where it is published, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// What a day is on the official calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DayKind<'a> {
    /// An ordinary Monday to Friday: a working day.
    Weekday,
    /// An ordinary Saturday or Sunday: a rest day.
    Weekend,
    /// A day off of a holiday (放假), whatever its weekday: a rest day.
    Holiday {
        /// The holiday's name.
        name: &'a str,
    },
    /// A weekend day worked in exchange for a holiday (调休上班): a working day.
    MakeUp {
        /// The holiday it makes up for.
        holiday: &'a str,
    },
}

/// One day of the calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Day<'a> {
    /// The date.
    pub date: NaiveDate,
    /// Whether it is a working day (工作日).
    pub working: bool,
    /// Why.
    #[serde(flatten)]
    pub kind: DayKind<'a>,
}

/// A calendar question that cannot be answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CalendarError {
    /// A day the answer depends on lies outside the years that have a notice. The calendar does
    /// not guess from weekends: the next year's notice may move any day.
    #[error("{date} is outside the official working-day calendar, which covers {first} to {last}")]
    OutOfRange {
        /// The first day needed that is not covered.
        date: NaiveDate,
        /// The first covered day.
        first: NaiveDate,
        /// The last covered day.
        last: NaiveDate,
    },
}

/// What one covered day is, as stored: the index is into `Calendar::holidays`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mark {
    /// No notice mentions the day: its weekday decides.
    Ordinary,
    /// A day off of holiday `.0`.
    Off(usize),
    /// A make-up working day of holiday `.0`.
    MakeUp(usize),
}

/// The official working-day calendar over a run of whole, contiguous years.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    /// January 1 of the first covered year.
    first: NaiveDate,
    /// December 31 of the last covered year.
    last: NaiveDate,
    /// One mark per covered day, `first` at index 0.
    marks: Vec<Mark>,
    /// `prefix[i]`: the working days among the first `i` covered days (length `marks.len() + 1`),
    /// so the working days in `(a, b]` are `prefix[b + 1] - prefix[a + 1]`.
    prefix: Vec<u32>,
    /// Every covered working day in order, so the k-th working day is one look-up.
    working: Vec<NaiveDate>,
    /// Holiday names, referred to by the marks.
    holidays: Vec<String>,
    /// The notices, by year.
    notices: Vec<Notice>,
}

impl Calendar {
    /// Checks calendar files and builds the calendar they describe.
    ///
    /// `files` pairs each file's name (as the loader will show it) with its contents, in any
    /// order. Every problem is reported, by file and path: dates that are not real
    /// `YYYY-MM-DD` dates or lie outside the file's year, a range that ends before it starts, a
    /// day off listed twice, a day both off and worked, a make-up working day that is not a
    /// Saturday or Sunday, a `days` total that does not match the ranges, a year given twice,
    /// and years that are not contiguous (a gap would make every deadline across it unknown).
    pub fn compile(files: &[(String, CalendarSource)]) -> Result<Calendar, Vec<RuleError>> {
        let mut errors = Vec::new();
        let mut holidays = Vec::new();
        let mut years: Vec<CheckedYear<'_>> = Vec::new();
        for (file, source) in files {
            if let Some(year) = check_file(file, source, &mut holidays, &mut errors) {
                years.push(year);
            }
        }
        // Stable, so of two files for one year the later one given is the one reported.
        crate::common::sort_by(&mut years, &|a, b| a.year.cmp(&b.year));
        for pair in years.windows(2) {
            if let [before, after] = pair {
                if after.year == before.year {
                    errors.push(error(
                        after.file,
                        SourcePath::root().key("year"),
                        RuleErrorKind::Duplicate {
                            what: "calendar year",
                            id: after.year.to_string(),
                        },
                    ));
                } else if after.year > before.year.saturating_add(1) {
                    let missing = if after.year == before.year.saturating_add(2) {
                        format!("{}", before.year.saturating_add(1))
                    } else {
                        format!(
                            "{} to {}",
                            before.year.saturating_add(1),
                            after.year.saturating_sub(1)
                        )
                    };
                    errors.push(invalid(
                        after.file,
                        SourcePath::root().key("year"),
                        format!(
                            "calendar years must be contiguous: there is no calendar for {missing} between {} and {}",
                            before.year, after.year
                        ),
                    ));
                }
            }
        }
        let bounds = years
            .first()
            .zip(years.last())
            .map(|(a, b)| (a.first, b.last));
        let Some((first, last)) = bounds else {
            if errors.is_empty() {
                // No file at all; "calendar" stands for the missing directory.
                errors.push(invalid(
                    "calendar",
                    SourcePath::root(),
                    String::from("no calendar year given: working days cannot be counted without the official holiday schedule"),
                ));
            }
            return Err(errors);
        };
        if !errors.is_empty() {
            return Err(errors);
        }

        let mut marks = Vec::new();
        let mut notices = Vec::new();
        for year in years {
            marks.extend(year.marks);
            notices.push(year.notice);
        }
        let mut prefix = Vec::with_capacity(marks.len().saturating_add(1));
        let mut working = Vec::new();
        let mut count: u32 = 0;
        prefix.push(count);
        for (mark, date) in marks.iter().zip(first.iter_days()) {
            if is_working(*mark, date) {
                count = count.saturating_add(1);
                working.push(date);
            }
            prefix.push(count);
        }
        Ok(Calendar {
            first,
            last,
            marks,
            prefix,
            working,
            holidays,
            notices,
        })
    }

    /// The first and last covered days (January 1 of the first year, December 31 of the last).
    pub fn covered(&self) -> (NaiveDate, NaiveDate) {
        (self.first, self.last)
    }

    /// The notices the calendar comes from, by year.
    pub fn notices(&self) -> &[Notice] {
        &self.notices
    }

    /// The notice that sets the working days of `date`'s year, if that year is covered.
    pub fn notice_for(&self, date: NaiveDate) -> Option<&Notice> {
        self.notices
            .iter()
            .find(|notice| notice.year == date.year())
    }

    /// Whether `date` is a working day (工作日).
    pub fn is_working_day(&self, date: NaiveDate) -> Result<bool, CalendarError> {
        self.day(date).map(|day| day.working)
    }

    /// What `date` is on the calendar: working or not, and why.
    pub fn day(&self, date: NaiveDate) -> Result<Day<'_>, CalendarError> {
        let mark = self
            .index(date)
            .and_then(|index| self.marks.get(index))
            .ok_or_else(|| self.out_of_range(date))?;
        Ok(self.describe(*mark, date))
    }

    /// Every day of `year`, in order.
    pub fn days_of_year(
        &self,
        year: i32,
    ) -> Result<impl Iterator<Item = Day<'_>> + '_, CalendarError> {
        let start = NaiveDate::from_ymd_opt(year, 1, 1);
        let end = NaiveDate::from_ymd_opt(year, 12, 31);
        let range = start.zip(end).and_then(|(start, end)| {
            let from = self.index(start)?;
            let to = self.index(end)?;
            Some((start, self.marks.get(from..=to)?))
        });
        let Some((start, marks)) = range else {
            // A year chrono cannot represent is reported at the end of the calendar it lies past.
            let date = start.unwrap_or(if year < self.first.year() {
                NaiveDate::MIN
            } else {
                NaiveDate::MAX
            });
            return Err(self.out_of_range(date));
        };
        Ok(marks
            .iter()
            .zip(start.iter_days())
            .map(|(mark, date)| self.describe(*mark, date)))
    }

    /// The date `d` such that exactly `n` working days lie in `(date, d]` and `d` is a working
    /// day: the last day of a time limit of `n` working days counted from `date`. The start day
    /// itself never counts, whether or not it is a working day; `n == 0` gives `date` back.
    ///
    /// Errors when `date`, or any day up to the result, is outside the covered years.
    pub fn add_working_days(&self, date: NaiveDate, n: u32) -> Result<NaiveDate, CalendarError> {
        let through = self.working_through(date)?;
        if n == 0 {
            return Ok(date);
        }
        // The wanted day is working day number `through + n` (1-based) of the whole calendar.
        // Computed in u64 because usize is 32 bits on wasm and `n` may be huge.
        let wanted = u64::from(through)
            .saturating_add(u64::from(n))
            .saturating_sub(1);
        usize::try_from(wanted)
            .ok()
            .and_then(|index| self.working.get(index))
            .copied()
            .ok_or_else(|| self.out_of_range(self.last.succ_opt().unwrap_or(self.last)))
    }

    /// The number of working days in `(a, b]`; when `b` is before `a`, the negative of the number
    /// in `(b, a]`. Both dates must be covered.
    pub fn working_days_between(&self, a: NaiveDate, b: NaiveDate) -> Result<i64, CalendarError> {
        let through_a = self.working_through(a)?;
        let through_b = self.working_through(b)?;
        Ok(i64::from(through_b).saturating_sub(i64::from(through_a)))
    }

    /// The first working day strictly after `date` (the same as adding one working day).
    pub fn next_working_day(&self, date: NaiveDate) -> Result<NaiveDate, CalendarError> {
        self.add_working_days(date, 1)
    }

    /// `date` when it is a working day, otherwise the first working day after it: where a period
    /// ending on a day off is moved to (顺延).
    pub fn working_day_on_or_after(&self, date: NaiveDate) -> Result<NaiveDate, CalendarError> {
        if self.is_working_day(date)? {
            Ok(date)
        } else {
            self.add_working_days(date, 1)
        }
    }

    /// The index of `date` in `marks`, when covered.
    fn index(&self, date: NaiveDate) -> Option<usize> {
        let offset = i64::from(date.num_days_from_ce())
            .saturating_sub(i64::from(self.first.num_days_from_ce()));
        usize::try_from(offset)
            .ok()
            .filter(|index| *index < self.marks.len())
    }

    /// The number of working days from the first covered day up to and including `date`.
    fn working_through(&self, date: NaiveDate) -> Result<u32, CalendarError> {
        self.index(date)
            .and_then(|index| self.prefix.get(index.checked_add(1)?))
            .copied()
            .ok_or_else(|| self.out_of_range(date))
    }

    fn out_of_range(&self, date: NaiveDate) -> CalendarError {
        CalendarError::OutOfRange {
            date,
            first: self.first,
            last: self.last,
        }
    }

    fn describe(&self, mark: Mark, date: NaiveDate) -> Day<'_> {
        let name = |index: usize| self.holidays.get(index).map_or("", String::as_str);
        let kind = match mark {
            Mark::Ordinary if is_weekend(date) => DayKind::Weekend,
            Mark::Ordinary => DayKind::Weekday,
            Mark::Off(index) => DayKind::Holiday { name: name(index) },
            Mark::MakeUp(index) => DayKind::MakeUp {
                holiday: name(index),
            },
        };
        Day {
            date,
            working: is_working(mark, date),
            kind,
        }
    }
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

fn is_working(mark: Mark, date: NaiveDate) -> bool {
    match mark {
        Mark::Ordinary => !is_weekend(date),
        Mark::Off(_) => false,
        Mark::MakeUp(_) => true,
    }
}

fn weekday_name(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

// ---------------------------------------------------------------------------------------------
// Checking one file
// ---------------------------------------------------------------------------------------------

/// One file whose year is usable (its other problems, if any, are already in the errors).
struct CheckedYear<'a> {
    file: &'a str,
    year: i32,
    first: NaiveDate,
    last: NaiveDate,
    /// One mark per day of the year, January 1 first.
    marks: Vec<Mark>,
    notice: Notice,
}

fn error(file: &str, path: SourcePath, kind: RuleErrorKind) -> RuleError {
    RuleError {
        file: String::from(file),
        path,
        span: None,
        kind,
    }
}

fn invalid(file: &str, path: SourcePath, message: String) -> RuleError {
    error(file, path, RuleErrorKind::Invalid { message })
}

/// Parses a date of the file and checks it lies in the file's year; reports and gives `None`
/// otherwise.
fn year_date(
    file: &str,
    path: SourcePath,
    text: &str,
    year: i32,
    errors: &mut Vec<RuleError>,
) -> Option<NaiveDate> {
    match parse_date(text) {
        None => {
            errors.push(invalid(file, path, not_a_date(text)));
            None
        }
        Some(date) if date.year() != year => {
            errors.push(invalid(
                file,
                path,
                format!("{date} is not in {year}, the year of this file"),
            ));
            None
        }
        Some(date) => Some(date),
    }
}

fn not_a_date(text: &str) -> String {
    format!("`{text}` is not a real date in YYYY-MM-DD form")
}

fn check_file<'a>(
    file: &'a str,
    source: &CalendarSource,
    holidays: &mut Vec<String>,
    errors: &mut Vec<RuleError>,
) -> Option<CheckedYear<'a>> {
    let root = SourcePath::root();
    let year = source.year;
    // Four-digit years only, the form every date of the file is written in.
    let bounds = NaiveDate::from_ymd_opt(year, 1, 1)
        .zip(NaiveDate::from_ymd_opt(year, 12, 31))
        .filter(|_| (1..=9999).contains(&year));
    let Some((first, last)) = bounds else {
        errors.push(invalid(
            file,
            root.key("year"),
            format!("{year} is not a year from 1 to 9999"),
        ));
        return None;
    };
    // A file named for a year (`2025.toml`) must hold that year, or adding the next year by
    // copying a file could silently shadow the old one.
    if let Some(named) = file_year(file)
        && named != year
    {
        errors.push(invalid(
            file,
            root.key("year"),
            format!("the file is named for {named} but sets year = {year}"),
        ));
    }

    let published = check_notice(file, source, errors);
    let day_count = usize::try_from(last.ordinal()).unwrap_or(366);
    let mut marks = vec![Mark::Ordinary; day_count];
    // Days off first, for all holidays, so that a make-up day is checked against every day off
    // whatever the order of the holidays.
    let indices = mark_days_off(file, source, &mut marks, holidays, errors);
    mark_make_up_days(file, source, &indices, &mut marks, holidays, errors);

    // A bad `published` date is already reported; the year still takes part in the duplicate
    // and contiguity checks, and nothing is built while any error stands.
    let notice = Notice {
        year,
        title: source.notice.title.clone(),
        number: source.notice.number.clone(),
        published: published.unwrap_or(first),
        url: source.notice.url.clone(),
    };
    Some(CheckedYear {
        file,
        year,
        first,
        last,
        marks,
        notice,
    })
}

/// Checks the `[notice]` the calendar comes from; its publication date, if it is one.
fn check_notice(
    file: &str,
    source: &CalendarSource,
    errors: &mut Vec<RuleError>,
) -> Option<NaiveDate> {
    let root = SourcePath::root();
    let notice_path = root.key("notice");
    for (key, value) in [
        ("title", &source.notice.title),
        ("number", &source.notice.number),
    ] {
        if value.trim().is_empty() {
            errors.push(invalid(
                file,
                notice_path.key(key),
                String::from("must not be empty"),
            ));
        }
    }
    if source
        .notice
        .url
        .as_deref()
        .is_some_and(|url| url.trim().is_empty())
    {
        errors.push(invalid(
            file,
            notice_path.key("url"),
            String::from("must not be empty when given"),
        ));
    }
    let published = parse_date(&source.notice.published);
    if published.is_none() {
        errors.push(invalid(
            file,
            notice_path.key("published"),
            not_a_date(&source.notice.published),
        ));
    }

    published
}

/// Marks every holiday's days off in `marks` (one per day of the year), checking names, ranges
/// and the count of days; each holiday's number in `holidays`.
fn mark_days_off(
    file: &str,
    source: &CalendarSource,
    marks: &mut [Mark],
    holidays: &mut Vec<String>,
    errors: &mut Vec<RuleError>,
) -> Vec<usize> {
    let root = SourcePath::root();
    let year = source.year;
    let mut indices = Vec::with_capacity(source.holidays.len());
    let mut names = alloc::collections::BTreeMap::new();
    for (h, holiday) in source.holidays.iter().enumerate() {
        let path = root.key("holidays").index(h);
        let index = holidays.len();
        holidays.push(holiday.name.clone());
        indices.push(index);
        if holiday.name.trim().is_empty() {
            errors.push(invalid(
                file,
                path.key("name"),
                String::from("must not be empty"),
            ));
        } else if names.insert(holiday.name.as_str(), ()).is_some() {
            errors.push(error(
                file,
                path.key("name"),
                RuleErrorKind::Duplicate {
                    what: "holiday",
                    id: holiday.name.clone(),
                },
            ));
        }
        if holiday.off.is_empty() {
            errors.push(invalid(
                file,
                path.key("off"),
                String::from("a holiday needs at least one day off"),
            ));
        }
        let mut counted: u32 = 0;
        let mut complete = true;
        for (r, range) in holiday.off.iter().enumerate() {
            let range_path = path.key("off").index(r);
            let from = year_date(file, range_path.key("from"), &range.from, year, errors);
            let to = match &range.to {
                Some(to) => year_date(file, range_path.key("to"), to, year, errors),
                None => from,
            };
            let Some((from, to)) = from.zip(to) else {
                complete = false;
                continue;
            };
            if to < from {
                errors.push(invalid(
                    file,
                    range_path.key("to"),
                    format!("the range ends on {to}, before it starts on {from}"),
                ));
                complete = false;
                continue;
            }
            for date in from.iter_days().take_while(|date| *date <= to) {
                let slot = usize::try_from(date.ordinal0())
                    .ok()
                    .and_then(|ordinal| marks.get_mut(ordinal));
                match slot {
                    Some(Mark::Off(_)) => {
                        errors.push(error(
                            file,
                            range_path.clone(),
                            RuleErrorKind::Duplicate {
                                what: "day off",
                                id: date.to_string(),
                            },
                        ));
                        complete = false;
                    }
                    Some(slot) => {
                        *slot = Mark::Off(index);
                        counted = counted.saturating_add(1);
                    }
                    None => complete = false,
                }
            }
        }
        if complete && counted != holiday.days {
            errors.push(invalid(
                file,
                path.key("days"),
                format!(
                    "the ranges in `off` give {counted} day(s) off, but `days` says {}",
                    holiday.days
                ),
            ));
        }
    }

    indices
}

/// Marks the make-up working days (调休上班) in `marks`: weekend days that are no day off.
fn mark_make_up_days(
    file: &str,
    source: &CalendarSource,
    indices: &[usize],
    marks: &mut [Mark],
    holidays: &[String],
    errors: &mut Vec<RuleError>,
) {
    let root = SourcePath::root();
    let year = source.year;
    for ((h, holiday), index) in source
        .holidays
        .iter()
        .enumerate()
        .zip(indices.iter().copied())
    {
        for (w, text) in holiday.work.iter().enumerate() {
            let path = root.key("holidays").index(h).key("work").index(w);
            let Some(date) = year_date(file, path.clone(), text, year, errors) else {
                continue;
            };
            if !is_weekend(date) {
                errors.push(invalid(
                    file,
                    path,
                    format!(
                        "{date} is a {}; a make-up working day (调休上班) must be a Saturday or Sunday",
                        weekday_name(date.weekday())
                    ),
                ));
                continue;
            }
            let slot = usize::try_from(date.ordinal0())
                .ok()
                .and_then(|ordinal| marks.get_mut(ordinal));
            match slot {
                Some(Mark::Off(other)) => {
                    let name = holidays.get(*other).map_or("", String::as_str);
                    errors.push(invalid(
                        file,
                        path,
                        format!("{date} is both a day off of {name} and a make-up working day"),
                    ));
                }
                Some(Mark::MakeUp(_)) => errors.push(error(
                    file,
                    path,
                    RuleErrorKind::Duplicate {
                        what: "make-up working day",
                        id: date.to_string(),
                    },
                )),
                Some(slot) => *slot = Mark::MakeUp(index),
                None => {}
            }
        }
    }
}

/// The year a file is named for: `2025` for `rules/calendar/2025.toml`, none for other names.
fn file_year(file: &str) -> Option<i32> {
    let name = file.rsplit(['/', '\\']).next().unwrap_or(file);
    let stem = name.split('.').next().unwrap_or(name);
    if stem.is_empty() || !stem.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    stem.parse().ok()
}

#[cfg(test)]
mod tests {
    extern crate std;

    use super::*;
    use alloc::borrow::ToOwned;
    use proptest::prelude::*;
    use std::collections::BTreeSet;

    type HolidaySpec<'a> = (&'a str, &'a [(&'a str, &'a str)], u32, &'a [&'a str]);

    fn source(year: i32, number: &str, holidays: &[HolidaySpec<'_>]) -> CalendarSource {
        CalendarSource {
            year,
            notice: NoticeSource {
                title: format!("国务院办公厅关于{year}年部分节假日安排的通知"),
                number: number.to_owned(),
                published: format!("{}-11-01", year - 1),
                url: None,
            },
            holidays: holidays
                .iter()
                .map(|(name, off, days, work)| HolidaySource {
                    name: (*name).to_owned(),
                    off: off
                        .iter()
                        .map(|(from, to)| DayRangeSource {
                            from: (*from).to_owned(),
                            to: Some((*to).to_owned()),
                        })
                        .collect(),
                    days: *days,
                    work: work.iter().map(|day| (*day).to_owned()).collect(),
                })
                .collect(),
        }
    }

    /// The 2025 schedule, 国办发明电〔2024〕12号 (the same as rules/calendar/2025.toml).
    fn source_2025() -> CalendarSource {
        source(
            2025,
            "国办发明电〔2024〕12号",
            &[
                ("元旦", &[("2025-01-01", "2025-01-01")], 1, &[]),
                (
                    "春节",
                    &[("2025-01-28", "2025-02-04")],
                    8,
                    &["2025-01-26", "2025-02-08"],
                ),
                ("清明节", &[("2025-04-04", "2025-04-06")], 3, &[]),
                (
                    "劳动节",
                    &[("2025-05-01", "2025-05-05")],
                    5,
                    &["2025-04-27"],
                ),
                ("端午节", &[("2025-05-31", "2025-06-02")], 3, &[]),
                (
                    "国庆节、中秋节",
                    &[("2025-10-01", "2025-10-08")],
                    8,
                    &["2025-09-28", "2025-10-11"],
                ),
            ],
        )
    }

    /// The 2026 schedule, 国办发明电〔2025〕7号 (the same as rules/calendar/2026.toml).
    fn source_2026() -> CalendarSource {
        source(
            2026,
            "国办发明电〔2025〕7号",
            &[
                ("元旦", &[("2026-01-01", "2026-01-03")], 3, &["2026-01-04"]),
                (
                    "春节",
                    &[("2026-02-15", "2026-02-23")],
                    9,
                    &["2026-02-14", "2026-02-28"],
                ),
                ("清明节", &[("2026-04-04", "2026-04-06")], 3, &[]),
                (
                    "劳动节",
                    &[("2026-05-01", "2026-05-05")],
                    5,
                    &["2026-05-09"],
                ),
                ("端午节", &[("2026-06-19", "2026-06-21")], 3, &[]),
                ("中秋节", &[("2026-09-25", "2026-09-27")], 3, &[]),
                (
                    "国庆节",
                    &[("2026-10-01", "2026-10-07")],
                    7,
                    &["2026-09-20", "2026-10-10"],
                ),
            ],
        )
    }

    fn real() -> Calendar {
        Calendar::compile(&[
            ("2026.toml".to_owned(), source_2026()),
            ("2025.toml".to_owned(), source_2025()),
        ])
        .unwrap()
    }

    fn d(text: &str) -> NaiveDate {
        parse_date(text).unwrap()
    }

    fn compile_errors(files: &[(&str, CalendarSource)]) -> Vec<(String, String, String)> {
        let files: Vec<_> = files
            .iter()
            .map(|(name, source)| ((*name).to_owned(), source.clone()))
            .collect();
        Calendar::compile(&files)
            .unwrap_err()
            .into_iter()
            .map(|e| (e.file, e.path.to_string(), e.kind.to_string()))
            .collect()
    }

    #[test]
    fn covered_and_notices() {
        let calendar = real();
        assert_eq!(calendar.covered(), (d("2025-01-01"), d("2026-12-31")));
        let numbers: Vec<_> = calendar
            .notices()
            .iter()
            .map(|n| n.number.as_str())
            .collect();
        assert_eq!(numbers, ["国办发明电〔2024〕12号", "国办发明电〔2025〕7号"]);
        assert_eq!(
            calendar.notice_for(d("2026-03-02")).map(|n| n.year),
            Some(2026)
        );
        assert_eq!(calendar.notice_for(d("2027-03-02")), None);
    }

    #[test]
    fn working_days_follow_the_notices() {
        let calendar = real();
        for (date, working) in [
            ("2025-01-01", false), // 元旦, a Wednesday
            ("2025-01-02", true),
            ("2025-01-25", false), // an ordinary Saturday
            ("2025-01-26", true),  // Sunday worked for 春节
            ("2025-02-04", false), // last day of 春节, a Tuesday
            ("2025-02-05", true),
            ("2025-02-08", true), // Saturday worked
            ("2025-10-08", false),
            ("2025-10-11", true),
            ("2026-01-04", true),
            ("2026-02-23", false),
            ("2026-02-24", true),
            ("2026-09-20", true),
            ("2026-10-07", false),
            ("2026-10-10", true),
        ] {
            assert_eq!(calendar.is_working_day(d(date)), Ok(working), "{date}");
        }
    }

    #[test]
    fn days_describe_why() {
        let calendar = real();
        assert_eq!(
            calendar.day(d("2025-01-26")).unwrap().kind,
            DayKind::MakeUp { holiday: "春节" }
        );
        assert_eq!(
            calendar.day(d("2025-10-06")).unwrap().kind,
            DayKind::Holiday {
                name: "国庆节、中秋节"
            }
        );
        assert_eq!(
            calendar.day(d("2025-03-01")).unwrap().kind,
            DayKind::Weekend
        );
        assert_eq!(
            calendar.day(d("2025-03-03")).unwrap().kind,
            DayKind::Weekday
        );
        let json = serde_json::to_string(&calendar.day(d("2025-01-26")).unwrap()).unwrap();
        assert_eq!(
            json,
            r#"{"date":"2025-01-26","working":true,"kind":"make_up","holiday":"春节"}"#
        );
    }

    #[test]
    fn yearly_totals() {
        let calendar = real();
        let days: Vec<_> = calendar.days_of_year(2025).unwrap().collect();
        assert_eq!(days.len(), 365);
        assert_eq!(days.iter().filter(|day| day.working).count(), 248);
        assert_eq!(
            calendar
                .days_of_year(2026)
                .unwrap()
                .filter(|day| day.working)
                .count(),
            248
        );
        // 2025-01-01 is not working, so (2025-01-01, 2025-12-31] holds every working day of 2025.
        assert_eq!(
            calendar.working_days_between(d("2025-01-01"), d("2025-12-31")),
            Ok(248)
        );
        assert_eq!(
            calendar.working_days_between(d("2025-01-01"), d("2026-12-31")),
            Ok(496)
        );
        assert!(calendar.days_of_year(2027).is_err());
        assert!(calendar.days_of_year(i32::MAX).is_err());
        assert!(calendar.days_of_year(i32::MIN).is_err());
    }

    #[test]
    fn adding_working_days() {
        let calendar = real();
        for (start, n, end) in [
            ("2025-01-24", 1, "2025-01-26"), // Friday, then the Sunday worked for 春节
            ("2025-01-26", 1, "2025-01-27"),
            ("2025-01-27", 1, "2025-02-05"), // over 春节
            ("2025-01-28", 1, "2025-02-05"), // starting on a day off
            ("2025-09-30", 1, "2025-10-09"),
            ("2025-09-26", 2, "2025-09-29"), // Friday; Sunday 09-28 worked; Monday
            ("2025-12-31", 1, "2026-01-04"), // 2026-01-01..03 off, Sunday 01-04 worked
            ("2025-12-25", 20, "2026-01-23"),
            ("2025-01-01", 0, "2025-01-01"), // zero gives the start back, even a day off
        ] {
            assert_eq!(
                calendar.add_working_days(d(start), n),
                Ok(d(end)),
                "{start} + {n}"
            );
        }
        assert_eq!(
            calendar.next_working_day(d("2026-02-13")),
            Ok(d("2026-02-14"))
        );
        assert_eq!(
            calendar.working_day_on_or_after(d("2026-02-15")),
            Ok(d("2026-02-24"))
        );
        assert_eq!(
            calendar.working_day_on_or_after(d("2026-02-24")),
            Ok(d("2026-02-24"))
        );
    }

    #[test]
    fn outside_the_calendar_is_an_error() {
        let calendar = real();
        let out = |date: &str| CalendarError::OutOfRange {
            date: d(date),
            first: d("2025-01-01"),
            last: d("2026-12-31"),
        };
        assert_eq!(
            calendar.is_working_day(d("2024-12-31")),
            Err(out("2024-12-31"))
        );
        assert_eq!(
            calendar.is_working_day(d("2027-01-01")),
            Err(out("2027-01-01"))
        );
        assert_eq!(
            calendar.add_working_days(d("2026-12-28"), 5),
            Err(out("2027-01-01"))
        );
        assert_eq!(
            calendar.add_working_days(d("2026-12-28"), u32::MAX),
            Err(out("2027-01-01"))
        );
        assert_eq!(
            calendar.add_working_days(d("2024-06-01"), 0),
            Err(out("2024-06-01"))
        );
        assert_eq!(
            calendar.working_days_between(d("2024-12-31"), d("2025-06-01")),
            Err(out("2024-12-31"))
        );
        assert_eq!(
            calendar.working_days_between(d("2025-06-01"), d("2027-06-01")),
            Err(out("2027-06-01"))
        );
        assert_eq!(
            out("2027-01-01").to_string(),
            "2027-01-01 is outside the official working-day calendar, which covers 2025-01-01 to 2026-12-31"
        );
        assert_eq!(
            serde_json::to_string(&out("2027-01-01")).unwrap(),
            r#"{"kind":"out_of_range","date":"2027-01-01","first":"2025-01-01","last":"2026-12-31"}"#
        );
    }

    #[test]
    fn strict_dates() {
        assert_eq!(
            parse_date("2025-02-28"),
            NaiveDate::from_ymd_opt(2025, 2, 28)
        );
        for bad in [
            "2025-02-29",
            "2025-2-28",
            "2025-02-28 ",
            "+2025-02-28",
            "2025/02/28",
            "20250228",
            "２０２５-02-28",
            "",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
        assert_eq!(file_year("rules/calendar/2025.toml"), Some(2025));
        assert_eq!(file_year("C:\\rules\\calendar\\2026.json"), Some(2026));
        assert_eq!(file_year("bundle"), None);
    }

    #[test]
    fn compile_reports_every_problem_by_path() {
        let mut bad = source_2025();
        bad.notice.published = "2024-11-31".to_owned();
        bad.holidays[0].off[0].from = "2024-12-31".to_owned(); // not in the year
        bad.holidays[1].work[0] = "2025-01-27".to_owned(); // a Monday
        bad.holidays[2].off[0].to = Some("2025-04-07".to_owned()); // 4 days, `days` says 3
        bad.holidays[3].work.push("2025-05-03".to_owned()); // also a day off
        bad.holidays[4].off[0].to = Some("2025-05-30".to_owned()); // ends before it starts
        bad.holidays[5].off.push(DayRangeSource {
            from: "2025-10-08".to_owned(),
            to: None,
        }); // listed twice
        bad.holidays[5].work.push("2025-10-11".to_owned()); // listed twice
        bad.holidays[5].name = "春节".to_owned();
        let errors = compile_errors(&[("2025.toml", bad)]);
        let expected = [
            (
                "notice.published",
                "`2024-11-31` is not a real date in YYYY-MM-DD form",
            ),
            (
                "holidays[0].off[0].from",
                "2024-12-31 is not in 2025, the year of this file",
            ),
            (
                "holidays[2].days",
                "the ranges in `off` give 4 day(s) off, but `days` says 3",
            ),
            (
                "holidays[4].off[0].to",
                "the range ends on 2025-05-30, before it starts on 2025-05-31",
            ),
            ("holidays[5].name", "duplicate holiday `春节`"),
            ("holidays[5].off[1]", "duplicate day off `2025-10-08`"),
            (
                "holidays[1].work[0]",
                "2025-01-27 is a Monday; a make-up working day (调休上班) must be a Saturday or Sunday",
            ),
            (
                "holidays[3].work[1]",
                "2025-05-03 is both a day off of 劳动节 and a make-up working day",
            ),
            (
                "holidays[5].work[2]",
                "duplicate make-up working day `2025-10-11`",
            ),
        ];
        let got: Vec<_> = errors
            .iter()
            .map(|(file, path, message)| {
                assert_eq!(file, "2025.toml");
                (path.as_str(), message.as_str())
            })
            .collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn compile_checks_the_years() {
        let mut y2028 = source_2025();
        y2028.year = 2028;
        y2028.holidays.clear();
        let mut y2030 = y2028.clone();
        y2030.year = 2030;
        assert_eq!(
            compile_errors(&[
                ("a/2025.toml", source_2025()),
                ("b/2025.toml", source_2025()),
                ("2028.toml", y2028),
                ("2030.toml", y2030),
                ("2027.toml", source_2026()),
            ]),
            [
                (
                    "2027.toml".to_owned(),
                    "year".to_owned(),
                    "the file is named for 2027 but sets year = 2026".to_owned()
                ),
                (
                    "b/2025.toml".to_owned(),
                    "year".to_owned(),
                    "duplicate calendar year `2025`".to_owned()
                ),
                (
                    "2028.toml".to_owned(),
                    "year".to_owned(),
                    "calendar years must be contiguous: there is no calendar for 2027 between 2026 and 2028"
                        .to_owned()
                ),
                (
                    "2030.toml".to_owned(),
                    "year".to_owned(),
                    "calendar years must be contiguous: there is no calendar for 2029 between 2028 and 2030"
                        .to_owned()
                ),
            ]
        );
        let mut zero = source_2025();
        zero.year = 0;
        assert_eq!(
            compile_errors(&[("x.toml", zero)]),
            [(
                "x.toml".to_owned(),
                "year".to_owned(),
                "0 is not a year from 1 to 9999".to_owned()
            )]
        );
        assert_eq!(compile_errors(&[]).len(), 1);
        // A year with no holidays at all is valid: weekends decide.
        let mut plain = source_2025();
        plain.holidays.clear();
        let calendar = Calendar::compile(&[("2025.toml".to_owned(), plain)]).unwrap();
        assert_eq!(calendar.is_working_day(d("2025-01-01")), Ok(true));
    }

    #[test]
    fn sources_round_trip_as_json() {
        let source = source_2026();
        let json = serde_json::to_string(&source).unwrap();
        let back: CalendarSource = serde_json::from_str(&json).unwrap();
        assert_eq!(back, source);
        // Unknown keys are typos, not extensions.
        let typo = json.replacen("\"days\"", "\"dayz\"", 1);
        assert!(serde_json::from_str::<CalendarSource>(&typo).is_err());
    }

    // -----------------------------------------------------------------------------------------
    // Properties
    // -----------------------------------------------------------------------------------------

    /// A date of the real calendar, by offset from 2025-01-01 (730 days).
    fn covered_date() -> impl Strategy<Value = NaiveDate> {
        (0u64..730).prop_map(|offset| d("2025-01-01") + chrono::Days::new(offset))
    }

    /// A date outside the real calendar, from far in the past to far in the future.
    fn uncovered_date() -> impl Strategy<Value = NaiveDate> {
        prop_oneof![
            (1i32..=2024, 1u32..=365),
            (2027i32..=262_000, 1u32..=365),
            (-262_000i32..=0, 1u32..=365),
        ]
        .prop_filter_map("a real date", |(year, ordinal)| {
            NaiveDate::from_yo_opt(year, ordinal)
        })
    }

    /// A random but valid set of contiguous years: random days off, and random weekends that are
    /// not days off as make-up days.
    fn random_sources() -> impl Strategy<Value = Vec<CalendarSource>> {
        (2000i32..2100, 1usize..=3).prop_flat_map(|(start, count)| {
            proptest::collection::vec(
                (
                    proptest::collection::btree_set(0u32..365, 0..40),
                    proptest::collection::btree_set(0u32..365, 0..15),
                ),
                count,
            )
            .prop_map(move |years| {
                years
                    .into_iter()
                    .zip(start..)
                    .map(|((off, work), year)| random_year(year, &off, &work))
                    .collect()
            })
        })
    }

    fn random_year(year: i32, off: &BTreeSet<u32>, work: &BTreeSet<u32>) -> CalendarSource {
        let date = |ordinal0: u32| NaiveDate::from_yo_opt(year, ordinal0 + 1).unwrap();
        let last = NaiveDate::from_ymd_opt(year, 12, 31).unwrap();
        // The make-up days hang on a holiday of their own, off on December 31 unless a random
        // holiday already is.
        let last_free = !off.contains(&last.ordinal0());
        let make_up = HolidaySource {
            name: "make-up".to_owned(),
            off: vec![DayRangeSource {
                from: last.to_string(),
                to: None,
            }],
            days: 1,
            work: work
                .iter()
                .map(|w| date(*w))
                .filter(|w| is_weekend(*w) && *w != last && !off.contains(&w.ordinal0()))
                .map(|w| w.to_string())
                .collect(),
        };
        CalendarSource {
            year,
            notice: NoticeSource {
                title: "t".to_owned(),
                number: "n".to_owned(),
                published: format!("{}-11-01", year - 1),
                url: None,
            },
            holidays: off
                .iter()
                .map(|o| HolidaySource {
                    name: format!("h{o}"),
                    off: vec![DayRangeSource {
                        from: date(*o).to_string(),
                        to: None,
                    }],
                    days: 1,
                    work: Vec::new(),
                })
                .chain(last_free.then_some(make_up))
                .collect(),
        }
    }

    /// The working flag of a date read straight off the sources, the slow obvious way.
    fn model_working(sources: &[CalendarSource], date: NaiveDate) -> bool {
        let text = date.to_string();
        for source in sources.iter().filter(|s| s.year == date.year()) {
            for holiday in &source.holidays {
                if holiday.work.contains(&text) {
                    return true;
                }
                if holiday.off.iter().any(|range| {
                    let from = d(&range.from);
                    let to = range.to.as_deref().map_or(from, d);
                    from <= date && date <= to
                }) {
                    return false;
                }
            }
        }
        !is_weekend(date)
    }

    proptest! {
        #[test]
        fn add_is_associative(a in covered_date(), n in 0u32..400, m in 0u32..400) {
            let calendar = real();
            let whole = calendar.add_working_days(a, n + m);
            let stepwise = calendar
                .add_working_days(a, n)
                .and_then(|b| calendar.add_working_days(b, m));
            prop_assert_eq!(whole, stepwise);
        }

        #[test]
        fn add_lands_on_a_working_day_n_working_days_later(a in covered_date(), n in 0u32..600) {
            let calendar = real();
            match calendar.add_working_days(a, n) {
                Ok(b) => {
                    prop_assert_eq!(calendar.working_days_between(a, b), Ok(i64::from(n)));
                    prop_assert_eq!(calendar.working_days_between(b, a), Ok(-i64::from(n)));
                    if n >= 1 {
                        prop_assert!(b > a);
                        prop_assert_eq!(calendar.is_working_day(b), Ok(true));
                        // The previous day already held only n - 1 of them.
                        let before = b.pred_opt().unwrap();
                        prop_assert_eq!(calendar.working_days_between(a, before), Ok(i64::from(n) - 1));
                    } else {
                        prop_assert_eq!(b, a);
                    }
                }
                Err(CalendarError::OutOfRange { date, .. }) => {
                    prop_assert_eq!(date, d("2027-01-01"));
                    prop_assert!(calendar.working_days_between(a, d("2026-12-31")).unwrap() < i64::from(n));
                }
            }
        }

        #[test]
        fn out_of_range_always_errors(date in uncovered_date(), other in covered_date(), n in any::<u32>()) {
            let calendar = real();
            let expected = CalendarError::OutOfRange {
                date,
                first: d("2025-01-01"),
                last: d("2026-12-31"),
            };
            prop_assert_eq!(calendar.is_working_day(date), Err(expected));
            prop_assert_eq!(calendar.day(date), Err(expected));
            prop_assert_eq!(calendar.add_working_days(date, n), Err(expected));
            prop_assert_eq!(calendar.next_working_day(date), Err(expected));
            prop_assert_eq!(calendar.working_day_on_or_after(date), Err(expected));
            prop_assert_eq!(calendar.working_days_between(date, other), Err(expected));
            prop_assert_eq!(calendar.working_days_between(other, date), Err(expected));
            prop_assert!(calendar.days_of_year(date.year()).is_err());
            prop_assert!(calendar.notice_for(date).is_none());
        }

        #[test]
        fn random_calendars_agree_with_the_sources(
            sources in random_sources(),
            a in 0u64..1100,
            b in 0u64..1100,
            n in 0u32..800,
        ) {
            let files: Vec<_> = sources
                .iter()
                .map(|s| (format!("{}.toml", s.year), s.clone()))
                .collect();
            let calendar = Calendar::compile(&files).unwrap();
            let (first, last) = calendar.covered();
            let length = u64::try_from(calendar.marks.len()).unwrap();
            let a = first + chrono::Days::new(a % length);
            let b = first + chrono::Days::new(b % length);
            prop_assert_eq!(calendar.is_working_day(a), Ok(model_working(&sources, a)));
            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
            let count = lo
                .iter_days()
                .skip(1)
                .take_while(|day| *day <= hi)
                .filter(|day| model_working(&sources, *day))
                .count();
            let count = i64::try_from(count).unwrap();
            let signed = if a <= b { count } else { -count };
            prop_assert_eq!(calendar.working_days_between(a, b), Ok(signed));
            let scanned = a
                .iter_days()
                .skip(1)
                .take_while(|day| *day <= last)
                .filter(|day| model_working(&sources, *day))
                .nth(usize::try_from(n).unwrap().wrapping_sub(1));
            let added = calendar.add_working_days(a, n);
            if n == 0 {
                prop_assert_eq!(added, Ok(a));
            } else {
                match scanned {
                    Some(day) => prop_assert_eq!(added, Ok(day)),
                    None => prop_assert!(added.is_err()),
                }
            }
        }
    }
}
