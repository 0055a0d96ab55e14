//! Error types: one enum per concern, each carrying where the problem is.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;
use serde::Serialize;

/// A place inside a rule file: a key path such as `materials[2].when`.
///
/// The core never sees the file's text, so it reports paths; a loader that has the text (the
/// command line) turns a path into a line and column.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Default, Serialize)]
#[serde(into = "String")]
pub struct SourcePath(Vec<PathSegment>);

/// One step of a [`SourcePath`].
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum PathSegment {
    /// A table key.
    Key(&'static str),
    /// An index into an array.
    Index(usize),
}

impl SourcePath {
    /// The empty path: the whole file.
    pub fn root() -> Self {
        Self(Vec::new())
    }

    /// This path extended by a key.
    pub fn key(&self, key: &'static str) -> Self {
        let mut segments = self.0.clone();
        segments.push(PathSegment::Key(key));
        Self(segments)
    }

    /// This path extended by an array index.
    pub fn index(&self, index: usize) -> Self {
        let mut segments = self.0.clone();
        segments.push(PathSegment::Index(index));
        Self(segments)
    }

    /// The segments, outermost first.
    pub fn segments(&self) -> &[PathSegment] {
        &self.0
    }
}

impl fmt::Display for SourcePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, segment) in self.0.iter().enumerate() {
            match segment {
                PathSegment::Key(key) if i == 0 => f.write_str(key)?,
                PathSegment::Key(key) => write!(f, ".{key}")?,
                PathSegment::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

impl From<SourcePath> for String {
    fn from(path: SourcePath) -> String {
        alloc::format!("{path}")
    }
}

/// A byte range inside one text value of a rule file (a condition), counted in bytes of the
/// value as parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end`.
    pub fn new(start: usize, end: usize) -> Self {
        Self { start, end }
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

/// A problem in a rule file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{file}: {path}: {kind}")]
pub struct RuleError {
    /// The file's name as the loader gave it.
    pub file: String,
    /// Where in the file.
    pub path: SourcePath,
    /// Where inside the value at `path`, for problems inside a condition.
    pub span: Option<Span>,
    /// What is wrong.
    pub kind: RuleErrorKind,
}

/// What is wrong with a rule file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RuleErrorKind {
    /// The file is not well-formed (reported by the loader's parser).
    #[error("{message}")]
    Syntax {
        /// The parser's message.
        message: String,
    },
    /// A condition does not parse.
    #[error("{message}")]
    Condition {
        /// What the parser expected.
        message: String,
    },
    /// A name in a condition is neither a fact nor a situation defined above.
    #[error("unknown fact or situation `{name}`")]
    UnknownName {
        /// The name.
        name: String,
    },
    /// An unknown function in a condition.
    #[error(
        "unknown function `{name}`; known: today, age, years_between, months_between, days_between, count, date"
    )]
    UnknownFunction {
        /// The name.
        name: String,
    },
    /// Operands of the wrong type.
    #[error("type mismatch: expected {expected}, found {found}")]
    TypeMismatch {
        /// The type the position needs.
        expected: String,
        /// The type written there.
        found: String,
    },
    /// A text compared with an enum fact is not one of its options.
    #[error("`{value}` is not an option of `{fact}`; options: {options}")]
    NotAnOption {
        /// The text written.
        value: String,
        /// The fact.
        fact: String,
        /// Its options, joined.
        options: String,
    },
    /// An id or name defined twice.
    #[error("duplicate {what} `{id}`")]
    Duplicate {
        /// What kind of entry.
        what: &'static str,
        /// The repeated id.
        id: String,
    },
    /// A reference to a `[[basis]]` id that does not exist.
    #[error("unknown basis `{id}`")]
    UnknownBasis {
        /// The id.
        id: String,
    },
    /// A licence type not in `licences.toml`.
    #[error("unknown electronic licence type `{name}`")]
    UnknownLicence {
        /// The type.
        name: String,
    },
    /// A value outside a closed vocabulary.
    #[error("`{value}` is not allowed here; allowed: {allowed}")]
    NotAllowed {
        /// The value written.
        value: String,
        /// The allowed values, joined.
        allowed: String,
    },
    /// A list longer than the core accepts (see [`crate::limits`]).
    #[error("too many entries: {count}, more than the {limit} accepted")]
    TooMany {
        /// The entries given.
        count: usize,
        /// The limit.
        limit: usize,
    },
    /// A text longer than the core accepts (see [`crate::limits`]).
    #[error("too long: {bytes} bytes, more than the {limit} accepted")]
    TooLong {
        /// The text's length in bytes.
        bytes: usize,
        /// The limit.
        limit: usize,
    },
    /// An implementation (实施清单) that widens what it inherits, against the plan clause that
    /// allows it only to reduce.
    #[error("{message} ({clause})")]
    Widens {
        /// What the implementation adds or lengthens.
        message: String,
        /// The clause it breaks, quoted.
        clause: &'static str,
    },
    /// A value that breaks a rule of the model.
    #[error("{message}")]
    Invalid {
        /// What rule.
        message: String,
    },
}

/// A problem with the facts given to a decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("fact `{path}`: {kind}")]
pub struct FactError {
    /// The fact's path, for example `年龄` or `电子证照[1]`; empty for the whole input.
    pub path: String,
    /// What is wrong.
    pub kind: FactErrorKind,
}

/// What is wrong with a fact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FactErrorKind {
    /// The facts are not JSON text.
    #[error("facts are not valid JSON: {message}")]
    Json {
        /// The parser's message, with line and column.
        message: String,
    },
    /// The facts are not a JSON object.
    #[error("facts must be a JSON object of fact names to values")]
    NotAnObject,
    /// The input is larger than the engine accepts.
    #[error("facts are {size} bytes; at most {limit} are accepted")]
    TooLarge {
        /// The input's size.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// A fact the matter does not define.
    #[error("unknown fact for this matter")]
    Unknown,
    /// A fact no matter of the theme asks.
    #[error("unknown fact for this theme")]
    NotInTheme,
    /// A matter's name for a fact the theme asks under another name: answering it under both
    /// could give one fact two answers.
    #[error("this theme asks this fact as `{name}`")]
    AskedAs {
        /// The theme's name for the fact.
        name: String,
    },
    /// A value of the wrong JSON type.
    #[error("expected {expected}, found {found}")]
    WrongType {
        /// The fact's type.
        expected: &'static str,
        /// The JSON type given.
        found: &'static str,
    },
    /// An enum value that is not an option.
    #[error("not one of the options: {options}")]
    NotAnOption {
        /// The options, joined.
        options: String,
    },
    /// A date that is not `YYYY-MM-DD` or does not exist.
    #[error("not a real date in YYYY-MM-DD form")]
    InvalidDate,
    /// Dates that are real but in an impossible order.
    #[error("{problem}")]
    DateOrder {
        /// What is wrong with the order.
        problem: &'static str,
    },
    /// A number that is not exact or out of range for decimals.
    #[error("not a number the engine can hold exactly")]
    InvalidNumber,
    /// An integer fact given a fraction.
    #[error("not a whole number")]
    NotInteger,
    /// A number outside the fact's bounds.
    #[error("outside {min}..={max}")]
    OutOfRange {
        /// The least allowed, or `-∞`.
        min: String,
        /// The greatest allowed, or `∞`.
        max: String,
    },
    /// A text that fails its identifier check.
    #[error("not a valid {format}")]
    InvalidFormat {
        /// The format's name.
        format: String,
    },
    /// A list that names an option twice.
    #[error("`{option}` is listed twice")]
    Repeated {
        /// The repeated option (one of the fact's options, never free text).
        option: String,
    },
}

/// Why a decision could not be made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DecideError {
    /// No matter with that code.
    #[error("no matter with code `{code}`")]
    UnknownMatter {
        /// The code asked for.
        code: String,
    },
    /// No theme with that code.
    #[error("no theme with code `{code}`")]
    UnknownTheme {
        /// The code asked for.
        code: String,
    },
    /// A theme asked for a region that has no (single) implementation of one of its matters.
    #[error("theme `{theme}`: {region} has no implementation of its matter `{matter}`")]
    NotInRegion {
        /// The theme's code.
        theme: String,
        /// The region asked for.
        region: String,
        /// The theme's key for the matter.
        matter: String,
    },
    /// No implementation of a matter serves the region: none is in it or in a region that
    /// encloses it.
    #[error("no implementation of `{base}` is in {region} or in a region containing it")]
    NoImplementation {
        /// The matter's 基本编码.
        base: String,
        /// The region asked for, as given.
        region: String,
    },
    /// Two implementations of a matter are equally near the region (two in the region itself,
    /// or in the nearest region that encloses it): the decision does not choose between them.
    #[error("`{base}` in {region}: implementations {} are equally near", codes.join(" and "))]
    ImplementationsTie {
        /// The matter's 基本编码.
        base: String,
        /// The region asked for, as given.
        region: String,
        /// The 实施编码 of two of them.
        codes: Vec<String>,
    },
    /// A region given by a name that no implementation in the catalogue gives, and that is not
    /// a 行政区划代码 either.
    #[error("region `{region}` is neither named by an implementation nor a 行政区划代码")]
    UnknownRegion {
        /// The region asked for, as given.
        region: String,
    },
    /// A theme that names matters by 基本编码 was asked for without a region, and it is offered
    /// in more (or fewer) than one region.
    #[error("theme `{theme}` is decided for a region: give one of {}", regions.join(", "))]
    RegionNeeded {
        /// The theme's code.
        theme: String,
        /// The regions the theme is offered in.
        regions: Vec<String>,
    },
    /// The matter has no rules in force on that date.
    #[error(
        "matter `{code}` has no rules in force on {on}; the earliest version takes effect on {earliest}"
    )]
    NotInForce {
        /// The matter.
        code: String,
        /// The decision date.
        on: String,
        /// The first effective date.
        earliest: String,
    },
    /// The version in force on the date ended without a successor (取消, 下放) before it.
    #[error("matter `{code}` is no longer handled on {on}: {reason} after its last day {last_day}{}", note_suffix(.note))]
    Ended {
        /// The matter.
        code: String,
        /// The decision date.
        on: String,
        /// The version's last day in force.
        last_day: String,
        /// 取消 or 下放.
        reason: String,
        /// Where the matter went or what replaces it (may be empty).
        note: String,
    },
    /// The facts are invalid; every problem is listed.
    #[error("{} invalid fact(s): {}", errors.len(), join_errors(errors))]
    Facts {
        /// Each problem, in the order of the facts' names.
        errors: Vec<FactError>,
    },
    /// An arithmetic result left the exact range (for example a product beyond 28 digits).
    #[error("arithmetic overflow in {place}")]
    Overflow {
        /// The condition or material id.
        place: String,
    },
    /// The decision could not be written as JSON for its receipt.
    #[error(transparent)]
    Serialize(#[from] crate::json::SerializeError),
    /// The matter's rules are not loaded yet, or were refused (a text that does not match the
    /// catalogue's hash, or rules that do not compile).
    #[error(transparent)]
    Matter(alloc::boxed::Box<MatterError>),
}

impl DecideError {
    /// A computation that overflowed at `place` (a condition, situation, material or `fees`).
    pub(crate) fn overflow(place: &str) -> DecideError {
        DecideError::Overflow {
            place: place.into(),
        }
    }
}

/// `; note` for a non-empty note.
fn note_suffix(note: &str) -> String {
    if note.is_empty() {
        String::new()
    } else {
        alloc::format!("; {note}")
    }
}

fn join_errors(errors: &[FactError]) -> String {
    let mut out = String::new();
    for (i, error) in errors.iter().enumerate() {
        if i > 0 {
            out.push_str("; ");
        }
        out.push_str(&alloc::format!("{error}"));
    }
    out
}

impl From<crate::json::SerializeError> for RuleError {
    /// Rules whose compiled form could not be written as JSON (for their hash or a bundle):
    /// reported against no file, since no single file is at fault.
    fn from(e: crate::json::SerializeError) -> RuleError {
        RuleError {
            file: String::new(),
            path: SourcePath::root(),
            span: None,
            kind: RuleErrorKind::Invalid {
                message: alloc::format!("{e}"),
            },
        }
    }
}

/// A matter that cannot be used: not at hand, or its text refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("matter `{code}` ({file}, {hash}): {kind}")]
pub struct MatterError {
    /// Its 实施编码, as the index gives it.
    pub code: String,
    /// Its file, as the index gives it.
    pub file: String,
    /// The hash its text must have.
    pub hash: String,
    /// What is wrong.
    pub kind: MatterErrorKind,
}

/// What is wrong with a matter of a catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MatterErrorKind {
    /// Its text has not been supplied yet (split delivery: fetch it by its hash).
    #[error("its rules are not loaded yet; fetch the file named by its hash and supply it")]
    NotLoaded,
    /// Its text could not be read.
    #[error("its text could not be read: {message}")]
    Unavailable {
        /// Why.
        message: String,
    },
    /// Its text is not the one the catalogue's index names.
    #[error("its text does not match the catalogue: {actual}, {bytes} bytes")]
    HashMismatch {
        /// The hash of the text given.
        actual: String,
        /// Its length.
        bytes: usize,
    },
    /// Not a matter file in canonical form.
    #[error("not a matter file: {message}")]
    Malformed {
        /// The parser's message.
        message: String,
    },
    /// The matter file says otherwise than its index entry.
    #[error("its {field} is not the one the catalogue's index gives")]
    Differs {
        /// The element that differs.
        field: &'static str,
    },
    /// The rules do not compile.
    #[error("its rules have {} problem(s); the first: {}", errors.len(), errors.first().map(alloc::string::ToString::to_string).unwrap_or_default())]
    Rules {
        /// Every problem.
        errors: Vec<RuleError>,
    },
}
