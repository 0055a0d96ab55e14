//! `banshi`: the command line for policy authors and servers.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use banshi_core::facts::parse_date;
use banshi_core::{DecideError, RuleSet};
use chrono::NaiveDate;
use clap::{Parser, Subcommand};

use banshi_cli::load::{self, TextFile};
use banshi_cli::workdays;

/// Rules of government service matters: check rule files, decide, list matters.
#[derive(Debug, Parser)]
#[command(name = "banshi", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Validate rule files; print every problem as `file:line:col: message`.
    Check {
        /// Rule files or folders (default: `rules`).
        paths: Vec<PathBuf>,
    },
    /// Decide a matter for an applicant's facts; print the decision as JSON.
    Decide {
        /// The matter's 实施编码 (or a unique 基本编码).
        #[arg(long)]
        matter: String,
        /// A JSON file of facts, or `-` for standard input.
        #[arg(long, required_unless_present = "case", conflicts_with = "case")]
        facts: Option<String>,
        /// A case file (`rules/*/cases/*.json`): its facts and its date.
        #[arg(long)]
        case: Option<PathBuf>,
        /// The decision date, YYYY-MM-DD (default: today in China, UTC+8).
        #[arg(long)]
        on: Option<String>,
        /// A rules folder instead of the rules built into this binary.
        #[arg(long)]
        rules: Option<PathBuf>,
        /// Print the canonical one-line JSON every channel produces.
        #[arg(long)]
        compact: bool,
    },
    /// Working-day arithmetic on the official calendar.
    Workdays {
        #[command(subcommand)]
        command: WorkdaysCommand,
        /// A rules folder instead of the rules built into this binary.
        #[arg(long, global = true)]
        rules: Option<PathBuf>,
    },
    /// Print every day of a year as `YYYY-MM-DD work|rest [holiday]`.
    Calendar {
        /// The year.
        year: String,
        /// A rules folder instead of the rules built into this binary.
        #[arg(long)]
        rules: Option<PathBuf>,
    },
    /// List the matters with their codes and names.
    Matters {
        /// A rules folder instead of the rules built into this binary.
        #[arg(long)]
        rules: Option<PathBuf>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
enum WorkdaysCommand {
    /// The date N working days after DATE (DATE itself does not count).
    Add {
        /// The start date, YYYY-MM-DD.
        date: String,
        /// The number of working days.
        n: String,
    },
    /// The number of working days after A up to and including B.
    Between {
        /// The first date, YYYY-MM-DD (not counted).
        a: String,
        /// The last date, YYYY-MM-DD (counted).
        b: String,
    },
}

/// A failure already explained to the user.
struct Failed(String);

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check { paths } => check(&paths),
        Command::Decide {
            matter,
            facts,
            case,
            on,
            rules,
            compact,
        } => read_input(facts.as_deref(), case.as_deref(), on.as_deref()).and_then(
            |(name, text, on)| {
                decide(
                    &matter,
                    &name,
                    &text,
                    on.as_deref(),
                    rules.as_deref(),
                    compact,
                )
            },
        ),
        Command::Matters { rules, json } => matters(rules.as_deref(), json),
        Command::Workdays { command, rules } => load_rules(rules.as_deref()).and_then(|set| {
            let result = match command {
                WorkdaysCommand::Add { date, n } => workdays::add(set.calendar(), &date, &n),
                WorkdaysCommand::Between { a, b } => workdays::between(set.calendar(), &a, &b),
            };
            result
                .map_err(|e| Failed(format!("error: {e}")))
                .and_then(|text| out(&text))
        }),
        Command::Calendar { year, rules } => load_rules(rules.as_deref()).and_then(|set| {
            workdays::calendar_year(set.calendar(), &year)
                .map_err(|e| Failed(format!("error: {e}")))
                .and_then(|text| out(&text))
        }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failed(message)) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

/// Writes to standard output; a reader that went away (`| head`) is not an error.
fn out(text: &str) -> Result<(), Failed> {
    use std::io::Write as _;
    let mut stdout = std::io::stdout().lock();
    match writeln!(stdout, "{text}").and_then(|()| stdout.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failed(format!("error: writing output: {e}"))),
    }
}

fn load_rules(dir: Option<&Path>) -> Result<RuleSet, Failed> {
    let files = match dir {
        Some(dir) => load::read_rules(dir).map_err(|e| Failed(format!("error: {e}")))?,
        None => load::embedded(),
    };
    load::compile(&files).map_err(|problems| {
        let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
        Failed(format!(
            "{}\nerror: the rules have {} problem(s); run `banshi check`",
            lines.join("\n"),
            problems.len()
        ))
    })
}

fn check(paths: &[PathBuf]) -> Result<(), Failed> {
    let default = [PathBuf::from("rules")];
    let paths = if paths.is_empty() {
        &default[..]
    } else {
        paths
    };
    let mut problems = Vec::new();
    let mut checked = 0;
    for path in paths {
        let files: Vec<TextFile> =
            load::read_rules(path).map_err(|e| Failed(format!("error: {e}")))?;
        checked += files.len();
        if let Err(mut found) = load::compile(&files) {
            problems.append(&mut found);
        }
    }
    problems.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
    problems.dedup();
    for problem in &problems {
        out(&problem.to_string())?;
    }
    if problems.is_empty() {
        eprintln!("checked {checked} file(s): no problems");
        Ok(())
    } else {
        Err(Failed(format!("{} problem(s)", problems.len())))
    }
}

fn date_arg(on: Option<&str>) -> Result<NaiveDate, Failed> {
    match on {
        Some(text) => parse_date(text).ok_or_else(|| {
            Failed(format!(
                "error: --on `{text}` is not a real date in YYYY-MM-DD form"
            ))
        }),
        // The whole country keeps UTC+8 with no daylight saving.
        None => Ok((chrono::Utc::now() + chrono::Duration::hours(8)).date_naive()),
    }
}

/// The facts' name for messages, their JSON text, and the date (`--on` wins over a case's).
fn read_input(
    facts: Option<&str>,
    case: Option<&Path>,
    on: Option<&str>,
) -> Result<(String, String, Option<String>), Failed> {
    if let Some(case) = case {
        let name = case.display().to_string();
        let text =
            std::fs::read_to_string(case).map_err(|e| Failed(format!("error: {name}: {e}")))?;
        let value: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| Failed(format!("error: {name}: {e}")))?;
        let facts = value
            .get("facts")
            .ok_or_else(|| Failed(format!("error: {name}: a case has `facts`")))?;
        let case_on = value
            .get("on")
            .and_then(serde_json::Value::as_str)
            .map(str::to_string);
        return Ok((name, facts.to_string(), on.map(str::to_string).or(case_on)));
    }
    let facts = facts.unwrap_or("-");
    let text = if facts == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| Failed(format!("error: reading facts from standard input: {e}")))?;
        text
    } else {
        std::fs::read_to_string(facts).map_err(|e| Failed(format!("error: {facts}: {e}")))?
    };
    Ok((facts.to_string(), text, on.map(str::to_string)))
}

fn decide(
    matter: &str,
    facts: &str,
    text: &str,
    on: Option<&str>,
    rules: Option<&Path>,
    compact: bool,
) -> Result<(), Failed> {
    let on = date_arg(on)?;
    let rules = load_rules(rules)?;
    match rules.decide_json(matter, text, on) {
        Ok(decision) => {
            let json = if compact {
                serde_json::to_string(&decision)
            } else {
                serde_json::to_string_pretty(&decision)
            };
            out(&json.map_err(|e| Failed(format!("error: {e}")))?)
        }
        Err(DecideError::Facts { errors }) => {
            let lines: Vec<String> = errors
                .iter()
                .map(|e| {
                    let path = if e.path.is_empty() {
                        "(facts)"
                    } else {
                        e.path.as_str()
                    };
                    format!("{facts}: {path}: {}", e.kind)
                })
                .collect();
            Err(Failed(lines.join("\n")))
        }
        Err(other) => Err(Failed(format!("error: {other}"))),
    }
}

fn matters(rules: Option<&Path>, json: bool) -> Result<(), Failed> {
    let rules = load_rules(rules)?;
    let list = rules.matters();
    if json {
        return out(
            &serde_json::to_string_pretty(&list).map_err(|e| Failed(format!("error: {e}")))?
        );
    }
    for m in list {
        out(&format!(
            "{}\t{}\t{}\t{}\t{} ({})",
            m.code, m.basic_code, m.name, m.kind, m.version, m.effective
        ))?;
    }
    Ok(())
}
