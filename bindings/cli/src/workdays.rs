//! `banshi workdays add|between` and `banshi calendar`: working-day arithmetic on the official
//! calendar (`rules/calendar/<year>.toml`), for checking a time limit by hand.
//!
//! Each command is a plain function from the loaded calendar and the argument strings to the text
//! to print (without a trailing newline) or the message to show on failure, so the clap layer
//! only routes arguments and sets the exit status.

use std::fmt::Write as _;

use banshi_core::calendar::{Calendar, CalendarError, DayKind};
use banshi_core::facts::parse_date;
use chrono::NaiveDate;

/// `banshi workdays add DATE N`: the date on which a limit of `N` working days counted from `DATE`
/// ends. `DATE` itself never counts; `N = 0` prints `DATE`.
pub fn add(calendar: &Calendar, date: &str, n: &str) -> Result<String, String> {
    let start = date_argument(date)?;
    let count: u32 = n.trim().parse().map_err(|_| {
        format!("`{n}` is not a number of working days: give a whole number, 0 or more")
    })?;
    calendar
        .add_working_days(start, count)
        .map(|end| end.to_string())
        .map_err(|error| {
            format!(
                "cannot add {count} working day(s) to {start}: {}",
                describe(error)
            )
        })
}

/// `banshi workdays between A B`: the number of working days after `A` up to and including `B`
/// (negative when `B` is before `A`).
pub fn between(calendar: &Calendar, a: &str, b: &str) -> Result<String, String> {
    let from = date_argument(a)?;
    let to = date_argument(b)?;
    calendar
        .working_days_between(from, to)
        .map(|count| count.to_string())
        .map_err(|error| {
            format!(
                "cannot count the working days from {from} to {to}: {}",
                describe(error)
            )
        })
}

/// `banshi calendar YEAR`: every day of the year, one a line, as
/// `YYYY-MM-DD work|rest [holiday name or 调休]`.
pub fn calendar_year(calendar: &Calendar, year: &str) -> Result<String, String> {
    let number: i32 = year
        .trim()
        .parse()
        .map_err(|_| format!("`{year}` is not a year: give it as four digits, for example 2026"))?;
    let days = calendar
        .days_of_year(number)
        .map_err(|error| format!("cannot list {number}: {}", describe(error)))?;
    let mut out = String::new();
    for day in days {
        if !out.is_empty() {
            out.push('\n');
        }
        let status = if day.working { "work" } else { "rest" };
        // Writing to a String cannot fail.
        let _ = write!(out, "{} {status}", day.date);
        match day.kind {
            DayKind::Holiday { name } => {
                let _ = write!(out, " {name}");
            }
            DayKind::MakeUp { .. } => out.push_str(" 调休"),
            DayKind::Weekday | DayKind::Weekend => {}
        }
    }
    Ok(out)
}

fn date_argument(text: &str) -> Result<NaiveDate, String> {
    parse_date(text.trim()).ok_or_else(|| format!("`{text}` is not a real date in YYYY-MM-DD form"))
}

/// The calendar's own message, plus where the missing years would come from.
fn describe(error: CalendarError) -> String {
    match error {
        CalendarError::OutOfRange { .. } => format!(
            "{error} (each year needs the State Council's holiday notice in rules/calendar/<year>.toml)"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use banshi_core::calendar::{CalendarSource, DayRangeSource, HolidaySource, NoticeSource};

    /// 2025 with two of its holidays (国办发明电〔2024〕12号): enough to see every kind of day.
    fn calendar() -> Calendar {
        let holiday = |name: &str, from: &str, to: &str, days: u32, work: &[&str]| HolidaySource {
            name: name.to_owned(),
            off: vec![DayRangeSource {
                from: from.to_owned(),
                to: Some(to.to_owned()),
            }],
            days,
            work: work.iter().map(|day| (*day).to_owned()).collect(),
        };
        let source = CalendarSource {
            year: 2025,
            notice: NoticeSource {
                title: "国务院办公厅关于2025年部分节假日安排的通知".to_owned(),
                number: "国办发明电〔2024〕12号".to_owned(),
                published: "2024-11-12".to_owned(),
                url: None,
            },
            holidays: vec![
                holiday("元旦", "2025-01-01", "2025-01-01", 1, &[]),
                holiday(
                    "春节",
                    "2025-01-28",
                    "2025-02-04",
                    8,
                    &["2025-01-26", "2025-02-08"],
                ),
            ],
        };
        Calendar::compile(&[("2025.toml".to_owned(), source)]).unwrap()
    }

    #[test]
    fn add_prints_the_date() {
        let calendar = calendar();
        assert_eq!(
            add(&calendar, "2025-01-27", "1"),
            Ok("2025-02-05".to_owned())
        );
        assert_eq!(
            add(&calendar, "2025-01-24", "1"),
            Ok("2025-01-26".to_owned())
        );
        assert_eq!(
            add(&calendar, "2025-01-01", "0"),
            Ok("2025-01-01".to_owned())
        );
        assert_eq!(
            add(&calendar, "2025-12-30", "2"),
            Err(
                "cannot add 2 working day(s) to 2025-12-30: 2026-01-01 is outside the official \
                 working-day calendar, which covers 2025-01-01 to 2025-12-31 (each year needs the \
                 State Council's holiday notice in rules/calendar/<year>.toml)"
                    .to_owned()
            )
        );
        assert_eq!(
            add(&calendar, "2025-02-30", "1"),
            Err("`2025-02-30` is not a real date in YYYY-MM-DD form".to_owned())
        );
        assert_eq!(
            add(&calendar, "2025-02-03", "-1"),
            Err("`-1` is not a number of working days: give a whole number, 0 or more".to_owned())
        );
    }

    #[test]
    fn between_prints_the_count() {
        let calendar = calendar();
        assert_eq!(
            between(&calendar, "2025-01-24", "2025-02-05"),
            Ok("3".to_owned())
        );
        assert_eq!(
            between(&calendar, "2025-02-05", "2025-01-24"),
            Ok("-3".to_owned())
        );
        assert_eq!(
            between(&calendar, "2025-01-01", "2025-12-31"),
            Ok("256".to_owned())
        );
        let error = between(&calendar, "2024-12-31", "2025-01-06").unwrap_err();
        assert!(
            error.starts_with(
                "cannot count the working days from 2024-12-31 to 2025-01-06: 2024-12-31 is \
                 outside the official working-day calendar, which covers 2025-01-01 to 2025-12-31"
            ),
            "{error}"
        );
    }

    #[test]
    fn calendar_lists_every_day() {
        let calendar = calendar();
        let out = calendar_year(&calendar, "2025").unwrap();
        let lines: Vec<_> = out.lines().collect();
        assert_eq!(lines.len(), 365);
        assert_eq!(
            &lines[..5],
            [
                "2025-01-01 rest 元旦",
                "2025-01-02 work",
                "2025-01-03 work",
                "2025-01-04 rest",
                "2025-01-05 rest",
            ]
        );
        assert_eq!(lines[25], "2025-01-26 work 调休");
        assert_eq!(lines[27], "2025-01-28 rest 春节");
        assert!(!out.ends_with('\n'));
        assert!(calendar_year(&calendar, "2026").unwrap_err().starts_with(
            "cannot list 2026: 2026-01-01 is outside the official working-day calendar"
        ));
        assert_eq!(
            calendar_year(&calendar, "MMXXV"),
            Err("`MMXXV` is not a year: give it as four digits, for example 2026".to_owned())
        );
    }
}
