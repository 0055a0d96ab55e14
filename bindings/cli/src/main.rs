//! `banshi`: the command line for policy authors and servers.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use banshi_cli::keys::{self, TrustArgs};
use banshi_cli::{builtin, cases, workdays};
use banshi_core::facts::parse_date;
use banshi_core::{DecideError, RuleSet, bundle};
use banshi_loader::{Located, TextFile};
use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};

/// Rules of government service matters: check rule files, decide, list matters.
#[derive(Debug, Parser)]
#[command(name = "banshi", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Where the rules come from.
#[derive(Debug, Args)]
struct Source {
    /// A rules folder instead of the rules built into this binary.
    #[arg(long, conflicts_with = "bundle", global = true)]
    rules: Option<PathBuf>,
    /// A bundle made by `banshi bundle` instead of the rules built into this binary; it must be
    /// signed by a `--trust` key, or `--dev` given.
    #[arg(long, global = true)]
    bundle: Option<PathBuf>,
    #[command(flatten)]
    trust: TrustArgs,
    /// The deployment's receipt key (`banshi keygen --receipt`); without it receipts are made
    /// with the public development key and say `"key": "development"`.
    #[arg(long, value_name = "FILE", global = true)]
    receipt_key: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Validate rule files; print every problem as `file:line:col: message`, and warn about
    /// each version already in force that was edited since a git revision.
    Check {
        /// Rule files or folders (default: `rules`).
        paths: Vec<PathBuf>,
        /// The git revision to compare with for edits to versions in force (default: `HEAD`,
        /// when the rules are in a git work tree).
        #[arg(long, value_name = "REV")]
        since: Option<String>,
        /// The date for "in force", YYYY-MM-DD (default: today in China, UTC+8).
        #[arg(long)]
        on: Option<String>,
    },
    /// Policy warnings on rule files, each `file:line:col: warning[check]: message (clause)`;
    /// with `--deny`, exit 1 if there is any.
    Lint {
        /// Rule folders or files (default: `rules`).
        paths: Vec<PathBuf>,
        /// Exit 1 when there are warnings (for an office's CI).
        #[arg(long)]
        deny: bool,
        #[command(flatten)]
        source: Source,
    },
    /// Decide a matter, or a theme (一件事一次办), for an applicant's facts; print the decision
    /// as JSON.
    Decide {
        /// The matter's 实施编码 (or a unique 基本编码; with `--region`, any 基本编码).
        #[arg(long, required_unless_present = "theme", conflicts_with = "theme")]
        matter: Option<String>,
        /// The region whose implementation (实施清单) to decide with, by name (西安市) or
        /// 行政区划代码 (610113): its own, else the nearest enclosing region's; for a theme, the
        /// region whose implementations of its matters to decide with (default: a theme case's
        /// `region`, else the theme's only region).
        #[arg(long)]
        region: Option<String>,
        /// A theme's code: its matters decided together, with one interview, one materials
        /// list, one acceptance and the chained deadlines.
        #[arg(long)]
        theme: Option<String>,
        /// A JSON file of facts, or `-` for standard input.
        #[arg(long, required_unless_present = "case", conflicts_with = "case")]
        facts: Option<String>,
        /// A case file (`rules/*/cases/*.json`): its facts and its date.
        #[arg(long)]
        case: Option<PathBuf>,
        /// The decision date, YYYY-MM-DD (default: a case's date, else today in China, UTC+8).
        #[arg(long)]
        on: Option<String>,
        #[command(flatten)]
        source: Source,
        /// Print the canonical one-line JSON every channel produces.
        #[arg(long)]
        compact: bool,
    },
    /// Write the checked rules and the calendar as one canonical bundle for the front ends.
    Bundle {
        /// The rules folder (default: `rules`).
        dir: Option<PathBuf>,
        /// The file to write (default: standard output).
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Sign the bundle with this key file (`banshi keygen`); repeatable.
        #[arg(long, value_name = "KEYFILE")]
        sign: Vec<PathBuf>,
        /// Write the catalogue split instead: `DIR/index.json` (its header line) and each
        /// matter in `DIR/matters/<hash>.json`, for channels that fetch matters as needed.
        #[arg(long, value_name = "DIR", conflicts_with = "output")]
        split: Option<PathBuf>,
    },
    /// Make a signing key for bundles (or, with `--receipt`, a receipt key): writes the secret
    /// key file (mode 0600) and prints the public key (or the receipt key's id).
    Keygen(keys::KeygenArgs),
    /// Confirm a decision made elsewhere: decide again and compare its receipt; exit 1 if it
    /// differs.
    Verify {
        /// A JSON record `{"matter", "on", "facts", "receipt"}`, or with the whole `decision`
        /// in place of `receipt`.
        record: PathBuf,
        #[command(flatten)]
        source: Source,
    },
    /// List the matters with their codes and names.
    Matters {
        #[command(flatten)]
        source: Source,
        /// Only the implementations of this region (a name or a 行政区划代码) and the regions
        /// within it.
        #[arg(long)]
        region: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// List the themes (一件事一次办) with their codes, names, matters and the regions that
    /// implement every matter.
    Themes {
        #[command(flatten)]
        source: Source,
        /// Only the themes offered in this region (a name or a 行政区划代码) or in a region
        /// that encloses it.
        #[arg(long)]
        region: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// The plans' indicators (承诺时限压缩, 即办件占比, 网上可办率 …) of the matters in force: each
    /// as numerator/denominator and percentage, with its target, clause and the matters that pull
    /// it down.
    Indicators {
        /// Only this region (its name or its 行政区划代码), with the regions within it.
        #[arg(long)]
        region: Option<String>,
        /// Only this level (行使层级), for example 县级.
        #[arg(long)]
        level: Option<String>,
        /// The date whose versions are measured, YYYY-MM-DD (default: today in China, UTC+8).
        #[arg(long)]
        on: Option<String>,
        /// Print JSON (what `engine.indicators()` returns in the npm package).
        #[arg(long)]
        json: bool,
        /// Also write the report as one self-contained HTML file with a chart per indicator.
        #[arg(long, value_name = "FILE")]
        html: Option<PathBuf>,
        #[command(flatten)]
        source: Source,
    },
    /// The lists the plans ask offices to publish (两个免于提交, 一证通办, 数据供需对接清单), from
    /// the matters in force, as CSV or Markdown.
    Lists {
        /// Which list.
        #[arg(value_enum)]
        list: banshi_cli::lists::List,
        /// CSV or a Markdown table.
        #[arg(long, value_enum, default_value = "csv")]
        format: banshi_cli::lists::Format,
        /// The date whose versions are listed, YYYY-MM-DD (default: today in China, UTC+8).
        #[arg(long)]
        on: Option<String>,
        #[command(flatten)]
        source: Source,
    },
    /// Print a matter's 办事指南 as JSON: 办理流程, 办理结果, 办理地点, 办理时间, 咨询方式 …
    Guide {
        /// The matter's 实施编码 (or a unique 基本编码; with `--region`, any 基本编码).
        #[arg(long)]
        matter: String,
        /// The region whose implementation's guide to print (a name or a 行政区划代码: its own,
        /// else the nearest enclosing region's).
        #[arg(long)]
        region: Option<String>,
        /// The date whose rules to use, YYYY-MM-DD (default: today in China, UTC+8).
        #[arg(long)]
        on: Option<String>,
        #[command(flatten)]
        source: Source,
    },
    /// Print the catalogue as a tree: each base item (基本目录) and its implementations
    /// (实施清单), with what each implementation reduced against what it inherits.
    Catalogue {
        #[command(flatten)]
        source: Source,
    },
    /// List every citation, code and limit with its verification mark; with `--older-than`,
    /// only what to check again (unverified, or checked more than DAYS before the date).
    Sources {
        #[command(flatten)]
        source: Source,
        /// Only what is unverified or was checked more than DAYS days before `--on`.
        #[arg(long, value_name = "DAYS")]
        older_than: Option<u32>,
        /// The reference date, YYYY-MM-DD (default: today in China, UTC+8).
        #[arg(long)]
        on: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Working-day arithmetic on the official calendar.
    Workdays {
        #[command(subcommand)]
        command: WorkdaysCommand,
        #[command(flatten)]
        source: Source,
    },
    /// Re-decide past applications under old and new rules; report what changes.
    Impact(banshi_cli::impact::ImpactArgs),
    /// Write synthetic applications, or a large synthetic bundle.
    #[command(subcommand)]
    Generate(banshi_cli::generate::GenerateCommand),
    /// Run a rules folder's cases: each against its `expect`, then its snapshot.
    Test(TestArgs),
    /// What changed between two rule sets, per matter, in words a reviewer approves.
    Diff(banshi_cli::diff::DiffArgs),
    /// Serve the kiosk page with the working rules on 127.0.0.1, rebuilt when a file changes,
    /// with a panel showing the facts and the decision.
    Preview(banshi_cli::preview::PreviewArgs),
    /// Write the JSON Schemas of matter, case, licence and calendar files (for editors).
    Schema {
        /// The folder to write them into.
        #[arg(short, long, default_value = "rules/schema")]
        output: PathBuf,
    },
    /// Serve decisions over HTTP with an OpenAPI description: runs `banshi-serve` (the crate
    /// `banshi-server`, built apart so that this command stays quick to build); `banshi serve
    /// --help` lists its options.
    #[command(disable_help_flag = true)]
    Serve {
        /// The options of `banshi-serve`.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<std::ffi::OsString>,
    },
    /// Print every day of a year as `YYYY-MM-DD work|rest [holiday]`.
    Calendar {
        /// The year.
        year: String,
        #[command(flatten)]
        source: Source,
    },
}

/// `banshi test`.
#[derive(Debug, Args)]
struct TestArgs {
    /// Rules folders, matter folders or case files (default: `rules`).
    paths: Vec<PathBuf>,
    /// Write the snapshots of the cases named with `--case`, or of every case that fails only
    /// on its snapshot, and list them.
    #[arg(long)]
    accept: bool,
    /// Only this case (its file name without `.json`); repeatable.
    #[arg(long = "case", value_name = "NAME")]
    cases: Vec<String>,
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

fn fail(e: impl std::fmt::Display) -> Failed {
    Failed(format!("error: {e}"))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check { paths, since, on } => {
            date_arg(on.as_deref()).and_then(|on| check(&paths, since.as_deref(), on))
        }
        Command::Lint {
            paths,
            deny,
            source,
        } => lint(&paths, deny, &source),
        Command::Decide {
            matter,
            region,
            theme,
            facts,
            case,
            on,
            source,
            compact,
        } => read_input(facts.as_deref(), case.as_deref(), on.as_deref()).and_then(|input| {
            let rules = load_rules(&source)?;
            match (matter, theme) {
                (Some(matter), _) => {
                    let matter = match region {
                        Some(region) => rules
                            .code_in_region(&matter, &region)
                            .map_err(fail)?
                            .to_string(),
                        None => matter,
                    };
                    decide(&rules, &matter, &input, compact)
                }
                (None, Some(theme)) => {
                    let region = region.or_else(|| input.region.clone());
                    decide_theme(&rules, &theme, region.as_deref(), &input, compact)
                }
                (None, None) => Err(fail("give --matter CODE or --theme CODE")),
            }
        }),
        Command::Bundle {
            dir,
            output,
            sign,
            split,
        } => write_bundle(dir.as_deref(), output.as_deref(), split.as_deref(), &sign),
        Command::Keygen(args) => keys::keygen(&args).map_err(fail).and_then(|t| out(&t)),
        Command::Verify { record, source } => {
            load_rules(&source).and_then(|rules| verify(&rules, &record))
        }
        Command::Matters {
            source,
            json,
            region,
        } => load_rules(&source).and_then(|rules| matters(&rules, json, region.as_deref())),
        Command::Themes {
            source,
            json,
            region,
        } => load_rules(&source).and_then(|rules| themes(&rules, json, region.as_deref())),
        Command::Indicators {
            region,
            level,
            on,
            json,
            html,
            source,
        } => load_rules(&source).and_then(|rules| {
            let filter = banshi_core::indicators::Filter { region, level };
            indicators(&rules, on.as_deref(), &filter, json, html.as_deref())
        }),
        Command::Lists {
            list,
            format,
            on,
            source,
        } => load_rules(&source).and_then(|rules| {
            let on = date_arg(on.as_deref())?;
            out(&banshi_cli::lists::list(&rules, list, on, format).map_err(fail)?)
        }),
        Command::Guide {
            matter,
            region,
            on,
            source,
        } => load_rules(&source)
            .and_then(|rules| guide(&rules, &matter, region.as_deref(), on.as_deref())),
        Command::Catalogue { source } => load_rules(&source).and_then(|rules| catalogue(&rules)),
        Command::Sources {
            source,
            older_than,
            on,
            json,
        } => date_arg(on.as_deref()).and_then(|on| {
            load_rules(&source).and_then(|rules| sources(&rules, on, older_than, json))
        }),
        Command::Workdays { command, source } => load_rules(&source).and_then(|rules| {
            let result = match command {
                WorkdaysCommand::Add { date, n } => workdays::add(rules.calendar(), &date, &n),
                WorkdaysCommand::Between { a, b } => workdays::between(rules.calendar(), &a, &b),
            };
            result.map_err(fail).and_then(|text| out(&text))
        }),
        Command::Impact(args) => banshi_cli::impact::run(&args)
            .map_err(fail)
            .and_then(|t| out(&t)),
        Command::Generate(what) => banshi_cli::generate::run(&what).map_err(fail),
        Command::Test(args) => test(&args),
        Command::Preview(args) => banshi_cli::preview::run(&args).map_err(fail),
        Command::Schema { output } => banshi_cli::schema::write(&output)
            .map_err(fail)
            .map(|done| eprintln!("{done}")),
        Command::Diff(args) => banshi_cli::diff::run(&args)
            .map_err(fail)
            .and_then(|(text, _)| out(&text)),
        Command::Serve { args } => serve(&args),
        Command::Calendar { year, source } => load_rules(&source).and_then(|rules| {
            workdays::calendar_year(rules.calendar(), &year)
                .map_err(fail)
                .and_then(|text| out(&text))
        }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failed(message)) => {
            if !message.is_empty() {
                eprintln!("{message}");
            }
            ExitCode::FAILURE
        }
    }
}

/// Runs `banshi-serve`, found beside this binary (as `cargo install` and `cargo build` place
/// them) or else on the `PATH`, in this process's place so that signals reach it.
fn serve(args: &[std::ffi::OsString]) -> Result<(), Failed> {
    let beside = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join("banshi-serve")))
        .filter(|path| path.is_file());
    let program = beside.unwrap_or_else(|| PathBuf::from("banshi-serve"));
    let mut command = std::process::Command::new(&program);
    command.args(args);
    let missing = |e: std::io::Error| {
        fail(format!(
            "`banshi serve` runs `banshi-serve`, which could not be started ({e}): build it with \
             `cargo build -p banshi-server` or install it with `cargo install --path bindings/server`"
        ))
    };
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt as _;
        Err(missing(command.exec()))
    }
    #[cfg(not(unix))]
    {
        let status = command.status().map_err(missing)?;
        if status.success() {
            Ok(())
        } else {
            Err(Failed(String::new()))
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
        Err(e) => Err(fail(format!("writing output: {e}"))),
    }
}

fn located(problems: &[Located]) -> Failed {
    let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
    Failed(format!(
        "{}\nerror: the rules have {} problem(s); run `banshi check`",
        lines.join("\n"),
        problems.len()
    ))
}

/// The rules `source` names: a bundle, trusted as `--trust` and `--dev` say, or rules from
/// TOML (a folder or the built-in rules: the author's own, so no signature is asked for), with
/// `--receipt-key`.
fn load_rules(source: &Source) -> Result<RuleSet, Failed> {
    let rules = if let Some(path) = &source.bundle {
        let trust = source.trust.trust().map_err(fail)?;
        banshi_loader::load_bundle(path, &trust).map_err(fail)?
    } else {
        let files = match &source.rules {
            Some(dir) => builtin::read_rules(dir).map_err(fail)?,
            None => builtin::files(),
        };
        banshi_loader::compile(&files).map_err(|problems| located(&problems))?
    };
    match &source.receipt_key {
        Some(path) => Ok(rules.with_receipt_key(keys::read_receipt_key(path).map_err(fail)?)),
        None => Ok(rules),
    }
}

/// Writes a catalogue split: `index.json` (the header line) and `matters/<hash>.json`, one file
/// for each page of the index and each matter.
fn write_split(folder: &Path, catalogue: &bundle::Catalogue) -> Result<(), Failed> {
    let io = |path: &Path, e: std::io::Error| fail(format!("{}: {e}", path.display()));
    let matters = folder.join("matters");
    std::fs::create_dir_all(&matters).map_err(|e| io(&matters, e))?;
    let index = folder.join("index.json");
    std::fs::write(&index, &catalogue.header).map_err(|e| io(&index, e))?;
    for (hash, text) in &catalogue.lines {
        let path = matters.join(bundle::matter_file(hash));
        std::fs::write(&path, text).map_err(|e| io(&path, e))?;
    }
    eprintln!(
        "wrote {} and {} file(s) (index pages and matters) in {}",
        index.display(),
        catalogue.lines.len(),
        matters.display()
    );
    Ok(())
}

/// `banshi check`: every problem; then, when there is none, every version in force edited
/// since `since` (a warning: the exit code stays 0).
fn check(paths: &[PathBuf], since: Option<&str>, on: NaiveDate) -> Result<(), Failed> {
    let default = [PathBuf::from("rules")];
    let paths = if paths.is_empty() {
        &default[..]
    } else {
        paths
    };
    let mut problems = Vec::new();
    let mut checked = 0;
    let mut read = Vec::new();
    for path in paths {
        let files: Vec<TextFile> = builtin::read_rules(path).map_err(fail)?;
        checked += files.len();
        if let Err(mut found) = banshi_loader::compile(&files) {
            problems.append(&mut found);
        }
        read.push((path, files));
    }
    let by_place =
        |a: &Located, b: &Located| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column));
    problems.sort_by(by_place);
    problems.dedup();
    for problem in &problems {
        out(&problem.to_string())?;
    }
    if !problems.is_empty() {
        return Err(Failed(format!("{} problem(s)", problems.len())));
    }
    // Versions are compared only once the rules check: the comparison reads them as compiled.
    let mut warnings = Vec::new();
    let mut retroactive = Vec::new();
    let mut notes = Vec::new();
    for (path, files) in &read {
        let mut outcome = banshi_cli::in_force::check(path, files, since, on).map_err(fail)?;
        warnings.append(&mut outcome.warnings);
        retroactive.append(&mut outcome.retroactive);
        notes.append(&mut outcome.notes);
    }
    warnings.sort_by(by_place);
    warnings.dedup();
    // Retroactive versions are shown among the warnings, by place, but not counted as warnings.
    let mut shown: Vec<&Located> = warnings.iter().chain(&retroactive).collect();
    shown.sort_by(|a, b| by_place(a, b));
    shown.dedup();
    for line in shown {
        out(&line.to_string())?;
    }
    eprintln!("checked {checked} file(s): no problems");
    for note in &notes {
        eprintln!("{note}");
    }
    if !warnings.is_empty() {
        eprintln!(
            "{} warning(s): versions that decisions already made stand on changed since {}",
            warnings.len(),
            since.unwrap_or("HEAD")
        );
    }
    Ok(())
}

fn test(args: &TestArgs) -> Result<(), Failed> {
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from("rules")]
    } else {
        args.paths.clone()
    };
    let options = cases::Options {
        accept: args.accept,
        names: args.cases.clone(),
    };
    let report = cases::run(&paths, &options).map_err(fail)?;
    if report.cases.is_empty() {
        return Err(fail("no case found (cases are <matter>/cases/*.json)"));
    }
    out(&cases::render(&report, &options))?;
    if report.passed() {
        Ok(())
    } else {
        Err(Failed(String::new()))
    }
}

fn write_bundle(
    dir: Option<&Path>,
    output: Option<&Path>,
    split: Option<&Path>,
    sign: &[PathBuf],
) -> Result<(), Failed> {
    let signing_keys = sign
        .iter()
        .map(|path| keys::read_signing_key(path))
        .collect::<Result<Vec<_>, _>>()
        .map_err(fail)?;
    let dir = dir.unwrap_or(Path::new("rules"));
    let files = builtin::read_rules(dir).map_err(fail)?;
    let (source, problems) = banshi_loader::sources(&files);
    if !problems.is_empty() {
        return Err(located(&problems));
    }
    let catalogue = bundle::write_catalogue(&source, keys::signer(&signing_keys))
        .map_err(|errors| located(&banshi_loader::locate_all(&files, &errors)))?;
    if let Some(folder) = split {
        return write_split(folder, &catalogue);
    }
    let text = catalogue.one_file();
    match output {
        None => out(text.trim_end_matches('\n')),
        Some(path) => {
            std::fs::write(path, &text).map_err(|e| fail(format!("{}: {e}", path.display())))?;
            let hash = text
                .split("\"hash\":\"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .unwrap_or_default();
            let signed = match signing_keys.as_slice() {
                [] => "unsigned".to_string(),
                keys => {
                    let names: Vec<String> = keys.iter().map(keys::public_hex).collect();
                    format!("signed by {}", names.join(", "))
                }
            };
            eprintln!(
                "wrote {} ({} bytes, {hash}, {signed})",
                path.display(),
                text.len()
            );
            Ok(())
        }
    }
}

fn date_arg(on: Option<&str>) -> Result<NaiveDate, Failed> {
    match on {
        Some(text) => parse_date(text).ok_or_else(|| {
            fail(format!(
                "--on `{text}` is not a real date in YYYY-MM-DD form"
            ))
        }),
        // The whole country keeps UTC+8 with no daylight saving.
        None => Ok((chrono::Utc::now() + chrono::Duration::hours(8)).date_naive()),
    }
}

/// Facts to decide on: their name for messages, their JSON text, and the date.
struct Input {
    name: String,
    facts: String,
    on: Option<String>,
    /// A case's `region` (theme cases).
    region: Option<String>,
}

/// Reads `--facts` or `--case` (whose date `--on` overrides).
fn read_input(facts: Option<&str>, case: Option<&Path>, on: Option<&str>) -> Result<Input, Failed> {
    if let Some(case) = case {
        let name = case.display().to_string();
        let text = std::fs::read_to_string(case).map_err(|e| fail(format!("{name}: {e}")))?;
        let value: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| fail(format!("{name}: {e}")))?;
        let facts = value
            .get("facts")
            .ok_or_else(|| fail(format!("{name}: a case has `facts`")))?;
        let case_on = value
            .get("on")
            .and_then(serde_json::Value::as_str)
            .map(str::to_string);
        let region = value
            .get("region")
            .and_then(serde_json::Value::as_str)
            .map(str::to_string);
        return Ok(Input {
            name,
            facts: facts.to_string(),
            on: on.map(str::to_string).or(case_on),
            region,
        });
    }
    let facts = facts.unwrap_or("-");
    let text = if facts == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| fail(format!("reading facts from standard input: {e}")))?;
        text
    } else {
        std::fs::read_to_string(facts).map_err(|e| fail(format!("{facts}: {e}")))?
    };
    Ok(Input {
        name: facts.to_string(),
        facts: text,
        on: on.map(str::to_string),
        region: None,
    })
}

fn decide_error(name: &str, error: &DecideError) -> Failed {
    match error {
        DecideError::Facts { errors } => {
            let lines: Vec<String> = errors
                .iter()
                .map(|e| {
                    let path = if e.path.is_empty() {
                        "(facts)"
                    } else {
                        e.path.as_str()
                    };
                    format!("{name}: {path}: {}", e.kind)
                })
                .collect();
            Failed(lines.join("\n"))
        }
        other => fail(other),
    }
}

fn decide(rules: &RuleSet, matter: &str, input: &Input, compact: bool) -> Result<(), Failed> {
    let on = date_arg(input.on.as_deref())?;
    let decision = rules
        .decide_json(matter, &input.facts, on)
        .map_err(|e| decide_error(&input.name, &e))?;
    let json = if compact {
        serde_json::to_string(&decision)
    } else {
        serde_json::to_string_pretty(&decision)
    };
    out(&json.map_err(fail)?)
}

fn decide_theme(
    rules: &RuleSet,
    theme: &str,
    region: Option<&str>,
    input: &Input,
    compact: bool,
) -> Result<(), Failed> {
    let on = date_arg(input.on.as_deref())?;
    let decision = rules
        .decide_theme_json(theme, region, &input.facts, on)
        .map_err(|e| decide_error(&input.name, &e))?;
    let json = if compact {
        serde_json::to_string(&decision)
    } else {
        serde_json::to_string_pretty(&decision)
    };
    out(&json.map_err(fail)?)
}

fn themes(rules: &RuleSet, json: bool, region: Option<&str>) -> Result<(), Failed> {
    let list = match region {
        Some(region) => rules.themes_in(region),
        None => rules.themes(),
    }
    .map_err(fail)?;
    if json {
        return out(&serde_json::to_string_pretty(&list).map_err(fail)?);
    }
    for t in list {
        out(&format!(
            "{}\t{}\t{}\t{}",
            t.code,
            t.name,
            t.matters.join(" "),
            t.regions.join(" ")
        ))?;
    }
    Ok(())
}

fn verify(rules: &RuleSet, record: &Path) -> Result<(), Failed> {
    let name = record.display().to_string();
    let text = std::fs::read_to_string(record).map_err(|e| fail(format!("{name}: {e}")))?;
    let value: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| fail(format!("{name}: {e}")))?;
    let field = |key: &str| {
        value
            .get(key)
            .and_then(serde_json::Value::as_str)
            .ok_or_else(|| fail(format!("{name}: the record needs `{key}` (text)")))
    };
    let (matter, on) = (field("matter")?, field("on")?);
    let facts = value
        .get("facts")
        .ok_or_else(|| fail(format!("{name}: the record needs `facts`")))?;
    let engine = banshi_core::ffi::Engine::from_rules(rules.clone());
    // A whole decision is checked against its own receipt too: an edited body with a genuine
    // receipt must not verify.
    let answer = match (value.get("decision"), value.get("receipt")) {
        (Some(decision), _) => {
            engine.verify_decision(matter, &facts.to_string(), on, &decision.to_string())
        }
        (None, Some(receipt)) => {
            engine.verify(matter, &facts.to_string(), on, &receipt.to_string())
        }
        (None, None) => {
            return Err(fail(format!(
                "{name}: the record needs `receipt` or a `decision` with one"
            )));
        }
    };
    let parsed: serde_json::Value = serde_json::from_str(&answer).map_err(fail)?;
    out(&serde_json::to_string_pretty(&parsed).map_err(fail)?)?;
    if parsed.get("valid") == Some(&serde_json::Value::Bool(true)) {
        Ok(())
    } else {
        Err(Failed(format!(
            "{name}: the decision does not verify against these rules"
        )))
    }
}

fn guide(
    rules: &RuleSet,
    matter: &str,
    region: Option<&str>,
    on: Option<&str>,
) -> Result<(), Failed> {
    let code = match region {
        Some(region) => rules
            .code_in_region(matter, region)
            .map_err(fail)?
            .to_string(),
        None => matter.to_string(),
    };
    let on = date_arg(on)?;
    let m = rules.matter(&code, on).map_err(fail)?;
    out(&serde_json::to_string_pretty(m.guide()).map_err(fail)?)
}

/// The tree of `banshi catalogue`: base items by 基本编码, each implementation under what it
/// inherits, the latest version of each.
fn catalogue(rules: &RuleSet) -> Result<(), Failed> {
    use std::collections::BTreeMap;
    let mut latest: BTreeMap<String, &banshi_core::Matter> = BTreeMap::new();
    for m in rules.all_matters().map_err(fail)? {
        latest.insert(m.info.code.to_string(), m);
    }
    let mut children: BTreeMap<String, Vec<&banshi_core::Matter>> = BTreeMap::new();
    let mut bases: BTreeMap<String, String> = BTreeMap::new();
    for m in latest.values() {
        match m.implementation() {
            Some(i) => children.entry(i.inherits.to_string()).or_default().push(m),
            None => children
                .entry(m.info.basic_code.to_string())
                .or_default()
                .push(m),
        }
        bases.insert(m.info.basic_code.to_string(), m.info.name.to_string());
    }
    for (basic, name) in &bases {
        out(&format!("{basic} {name}"))?;
        branch(&children, basic, "  ")?;
    }
    Ok(())
}

fn branch(
    children: &std::collections::BTreeMap<String, Vec<&banshi_core::Matter>>,
    parent: &str,
    indent: &str,
) -> Result<(), Failed> {
    for m in children.get(parent).into_iter().flatten() {
        let Some(i) = m.implementation() else {
            out(&format!("{indent}{} (one file: {})", m.info.code, m.file))?;
            continue;
        };
        let mark = if i.illustrative {
            " (示例编码)"
        } else {
            ""
        };
        out(&format!(
            "{indent}{}{mark} {} {} {}",
            m.info.code, i.region, i.level, m.info.agency
        ))?;
        if i.reduced.is_empty() {
            out(&format!("{indent}    reduces nothing"))?;
        }
        for r in &i.reduced {
            out(&format!("{indent}    - {r}"))?;
        }
        // Deeper levels (a county's list inheriting its city's) nest under their parent.
        if *m.info.code != *parent {
            branch(children, &m.info.code, &format!("{indent}  "))?;
        }
    }
    Ok(())
}

fn matters(rules: &RuleSet, json: bool, region: Option<&str>) -> Result<(), Failed> {
    let list = match region {
        Some(region) => rules.matters_in(region).map_err(fail)?,
        None => rules.matters().map_err(fail)?,
    };
    if json {
        return out(&serde_json::to_string_pretty(&list).map_err(fail)?);
    }
    for m in list {
        // An illustrative 实施编码 is never shown without saying so.
        let mark = if m.illustrative {
            " (示例编码)"
        } else {
            ""
        };
        let place = match (&m.region, &m.level) {
            (Some(r), Some(l)) => format!("\t{r} {l}"),
            _ => String::new(),
        };
        let end = m
            .last_day
            .map(|d| format!(" until {d}"))
            .unwrap_or_default();
        let unverified = match m.unverified {
            0 => String::new(),
            n => format!("\tunverified: {n}"),
        };
        out(&format!(
            "{}{mark}\t{}\t{}\t{}\t{} ({}{end}){place}{unverified}",
            m.code, m.basic_code, m.name, m.kind, m.version, m.effective
        ))?;
    }
    Ok(())
}

/// `banshi sources`: each element with its mark, or only those due for another check.
fn sources(
    rules: &RuleSet,
    on: NaiveDate,
    older_than: Option<u32>,
    json: bool,
) -> Result<(), Failed> {
    let list: Vec<_> = rules
        .sources()
        .map_err(fail)?
        .into_iter()
        .filter(|m| older_than.is_none() || m.due_on(on, older_than))
        .collect();
    if json {
        return out(&serde_json::to_string_pretty(&list).map_err(fail)?);
    }
    for m in &list {
        let mark = match &m.verified {
            Some(mark) => format!("verified {} {}", mark.checked, mark.source),
            None => "UNVERIFIED".to_string(),
        };
        out(&format!(
            "{}\t{}\t{}\t{}\t{mark}",
            m.file, m.code, m.version, m.item
        ))?;
    }
    Ok(())
}

fn indicators(
    rules: &RuleSet,
    on: Option<&str>,
    filter: &banshi_core::indicators::Filter,
    json: bool,
    html: Option<&Path>,
) -> Result<(), Failed> {
    let report = rules.indicators(date_arg(on)?, filter).map_err(fail)?;
    if let Some(path) = html {
        std::fs::write(path, banshi_cli::indicators::html(&report))
            .map_err(|e| fail(format!("{}: {e}", path.display())))?;
    }
    if json {
        out(&serde_json::to_string_pretty(&report).map_err(fail)?)
    } else {
        out(banshi_cli::indicators::text(&report).trim_end())
    }
}

fn lint(paths: &[PathBuf], deny: bool, source: &Source) -> Result<(), Failed> {
    let mut warnings = Vec::new();
    if let Some(path) = &source.bundle {
        let trust = source.trust.trust().map_err(fail)?;
        warnings = banshi_cli::lint::bundle_file(path, &trust).map_err(Failed)?;
    } else {
        let default = [source
            .rules
            .clone()
            .unwrap_or_else(|| PathBuf::from("rules"))];
        let paths = if paths.is_empty() {
            &default[..]
        } else {
            paths
        };
        for path in paths {
            warnings
                .append(&mut banshi_cli::lint::folder(path, &builtin::files()).map_err(Failed)?);
        }
    }
    for warning in &warnings {
        out(warning)?;
    }
    eprintln!("{} warning(s)", warnings.len());
    if deny && !warnings.is_empty() {
        Err(Failed("error: warnings denied (--deny)".into()))
    } else {
        Ok(())
    }
}
