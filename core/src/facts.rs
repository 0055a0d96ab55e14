//! The facts schema and the checking of an applicant's facts against it.
//!
//! Facts arrive as a JSON object of fact names to values. `null` (or leaving a fact out) means
//! "not answered yet". Every problem is reported with the fact's path, all of them at once, so a
//! form can mark every wrong field in one pass.

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{FactError, FactErrorKind};

pub mod codes;
pub(crate) mod scan;

/// A fact's value as the fast path read it from JSON text ([`scan`]), before it is checked
/// against the fact ([`FactDef::read_given`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Given<'a> {
    /// `null`: not answered.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number as written (ASCII, RFC 8259 grammar).
    Number(&'a str),
    /// A string's bytes (no escapes), not yet checked to be UTF-8: a caller that matches them
    /// against known text need not check them.
    Text(&'a [u8]),
    /// Options by their text.
    Texts(scan::StringList<'a>),
}

/// The types a fact can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FactKind {
    /// true or false.
    Bool,
    /// A whole number.
    Integer,
    /// An exact decimal.
    Decimal,
    /// Free text.
    Text,
    /// One of the options.
    Enum,
    /// A date, `YYYY-MM-DD`.
    Date,
    /// Any number of distinct options.
    EnumList,
    /// Clock-stopping procedures that took place, each `{procedure, from, to}`; recorded by the
    /// handling agency and used only for deadlines, never in conditions.
    Procedures,
}

impl FactKind {
    /// The kind named in a rule file.
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "bool" => Self::Bool,
            "integer" => Self::Integer,
            "decimal" => Self::Decimal,
            "text" => Self::Text,
            "enum" => Self::Enum,
            "date" => Self::Date,
            "enum_list" => Self::EnumList,
            _ => return None,
        })
    }

    /// The names rule files may use.
    pub const NAMES: &'static str = "bool, integer, decimal, text, enum, date, enum_list";

    /// The name a rule file uses for the kind (`procedures` for the agency's clock stops).
    pub fn name(self) -> &'static str {
        match self {
            Self::Bool => "bool",
            Self::Integer => "integer",
            Self::Decimal => "decimal",
            Self::Text => "text",
            Self::Enum => "enum",
            Self::Date => "date",
            Self::EnumList => "enum_list",
            Self::Procedures => "procedures",
        }
    }

    fn expected(self) -> &'static str {
        match self {
            Self::Bool => "true or false",
            Self::Integer => "a whole number",
            Self::Decimal => "a number (or a decimal in a string)",
            Self::Text => "a string",
            Self::Enum => "one option as a string",
            Self::Date => "a date string YYYY-MM-DD",
            Self::EnumList => "a list of options",
            Self::Procedures => "a list of {\"procedure\", \"from\", \"to\"} objects",
        }
    }
}

/// Who supplies a fact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FactSourceKind {
    /// Asked of the applicant.
    Applicant,
    /// Looked up by the channel through data sharing (数据共享).
    DataSharing,
    /// Read by the channel from the applicant's electronic licences (电子证照).
    ELicence,
    /// Recorded by the handling agency while it processes the application.
    Agency,
}

impl FactSourceKind {
    /// The source named in a rule file.
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "applicant" => Self::Applicant,
            "data_sharing" => Self::DataSharing,
            "e_licence" => Self::ELicence,
            _ => return None,
        })
    }
}

/// Identifier formats checked on input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TextFormat {
    /// 居民身份证号码, GB 11643-1999.
    #[serde(rename = "居民身份证号")]
    IdNumber,
    /// 统一社会信用代码, GB 32100-2015.
    #[serde(rename = "统一社会信用代码")]
    CreditCode,
}

impl TextFormat {
    /// The format named in a rule file.
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "居民身份证号" => Self::IdNumber,
            "统一社会信用代码" => Self::CreditCode,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            Self::IdNumber => "居民身份证号",
            Self::CreditCode => "统一社会信用代码",
        }
    }

    /// Whether `text` passes the format's check character.
    pub fn is_valid(self, text: &str) -> bool {
        match self {
            Self::IdNumber => is_valid_id_number(text),
            Self::CreditCode => is_valid_credit_code(text),
        }
    }
}

/// One fact of a matter's schema, compiled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FactDef {
    /// The identifier.
    pub name: String,
    /// Its type.
    #[serde(rename = "type")]
    pub kind: FactKind,
    /// The question in Chinese.
    pub question: String,
    /// Options of enums and lists.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
    /// Who supplies it.
    pub source: FactSourceKind,
    /// The identifier format of a text fact.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<TextFormat>,
    /// Least value of a number (a string in JSON, like every decimal).
    #[serde(
        default,
        with = "crate::decimal_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub min: Option<Decimal>,
    /// Greatest value of a number.
    #[serde(
        default,
        with = "crate::decimal_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub max: Option<Decimal>,
}

/// A checked fact value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FactValue {
    /// A truth value.
    Bool(bool),
    /// A number (integers included).
    Number(Decimal),
    /// Text.
    Text(String),
    /// A date.
    Date(NaiveDate),
    /// An option's number.
    Enum(u16),
    /// Option numbers, sorted and distinct.
    List(Vec<u16>),
    /// Clock stops, in the order given.
    Procedures(Vec<Pause>),
}

/// One clock stop: a special procedure from one day to another, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pause {
    /// The procedure's number among the matter's special procedures.
    pub procedure: u16,
    /// Its first day.
    pub from: NaiveDate,
    /// Its last day.
    pub to: NaiveDate,
}

/// A matter's facts by name, for reading facts: every decision looks up every name it is
/// given, and fact names (Chinese, often sharing their first characters) made comparison-based
/// lookup a measurable part of a decision in WebAssembly, where `memcmp` goes byte by byte.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct NameIndex {
    /// (FNV-1a of the name, the fact's number), sorted.
    entries: Vec<(u32, u16)>,
    /// For each fact, the fact whose name follows its name in byte order (the order of keys
    /// in a serde_json map or a sorted object); `u16::MAX` after the last.
    after: Vec<u16>,
    /// The fact whose name comes first in byte order.
    first: u16,
}

impl NameIndex {
    /// The index of `facts`, numbered in order.
    pub(crate) fn new(facts: &[FactDef]) -> NameIndex {
        let mut entries: Vec<(u32, u16)> = facts
            .iter()
            .enumerate()
            .filter_map(|(i, f)| Some((fnv1a(f.name.as_bytes()), u16::try_from(i).ok()?)))
            .collect();
        // Stable, as every sort in the core (the unstable one's sorting networks are 13 KB of
        // the WebAssembly module), and through the one shared sort (`common::sort_by`).
        crate::common::sort_by(&mut entries, &|a, b| a.cmp(b));
        let name = |i: usize| facts.get(i).map(|f| f.name.as_str());
        let sorted: Vec<u16> =
            crate::common::sorted_order(facts.len(), &|a, b| name(a).cmp(&name(b)))
                .into_iter()
                .filter_map(|i| u16::try_from(i).ok())
                .collect();
        let mut after = alloc::vec![u16::MAX; facts.len()];
        for pair in sorted.windows(2) {
            if let [a, b] = *pair
                && let Some(slot) = after.get_mut(usize::from(a))
            {
                *slot = b;
            }
        }
        NameIndex {
            entries,
            after,
            first: sorted.first().copied().unwrap_or(u16::MAX),
        }
    }

    /// The number of the fact named `name`, trying first the facts that follow `previous` (the
    /// fact named before it, if any) in schema order and in byte order: facts sent in either
    /// order are then found by one comparison each.
    pub(crate) fn find(
        &self,
        facts: &[FactDef],
        name: &[u8],
        previous: Option<u16>,
    ) -> Option<u16> {
        let next_in_schema = previous.map_or(0, |p| p.saturating_add(1));
        let next_in_bytes = previous.map_or(self.first, |p| {
            self.after.get(usize::from(p)).copied().unwrap_or(u16::MAX)
        });
        for guess in [next_in_schema, next_in_bytes] {
            if facts
                .get(usize::from(guess))
                .is_some_and(|f| same(f.name.as_bytes(), name))
            {
                return Some(guess);
            }
        }
        self.get(facts, name)
    }

    /// The number of the fact named `name` among `facts` (those the index was made of).
    pub(crate) fn get(&self, facts: &[FactDef], name: &[u8]) -> Option<u16> {
        let hash = fnv1a(name);
        let first = self.entries.partition_point(|(h, _)| *h < hash);
        self.entries
            .get(first..)?
            .iter()
            .take_while(|(h, _)| *h == hash)
            .map(|(_, i)| *i)
            .find(|i| {
                facts
                    .get(usize::from(*i))
                    .is_some_and(|f| same(f.name.as_bytes(), name))
            })
    }
}

/// A list fact's value from its options' numbers (`None` for one not offered): `None` as well
/// when an option is repeated, which `check` reports.
fn options_list(options: impl Iterator<Item = Option<u16>>) -> Option<FactValue> {
    let mut chosen = Vec::with_capacity(options.size_hint().0);
    for option in options {
        insert_new(&mut chosen, option?)?;
    }
    Some(FactValue::List(chosen))
}

/// Inserts `option` into the sorted `list`; `None` when it is already there. Lists of options
/// are short, and a sort would bring a sorting network's worth of code into the module.
fn insert_new(list: &mut Vec<u16>, option: u16) -> Option<()> {
    let at = list.binary_search(&option).err()?;
    list.insert(at, option);
    Some(())
}

/// Byte equality eight bytes at a time: WebAssembly's `memcmp` goes byte by byte, and the
/// names and options compared while reading facts are Chinese, three bytes a character.
pub(crate) fn same(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let word = |chunk: &[u8]| <[u8; 8]>::try_from(chunk).map(u64::from_le_bytes).ok();
    let mut left = a.chunks_exact(8);
    let mut right = b.chunks_exact(8);
    for (x, y) in (&mut left).zip(&mut right) {
        if word(x) != word(y) {
            return false;
        }
    }
    left.remainder()
        .iter()
        .zip(right.remainder())
        .all(|(x, y)| x == y)
}

fn fnv1a(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5, |h, b| {
        (h ^ u32::from(*b)).wrapping_mul(0x0100_0193)
    })
}

/// Parses `YYYY-MM-DD` strictly: four-digit year, two-digit month and day, a real date.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    parse_date_bytes(text.as_bytes())
}

/// [`parse_date`] of bytes, as the JSON fast path reads dates: text that is not ASCII digits
/// and dashes is refused without first being checked as UTF-8.
pub(crate) fn parse_date_bytes(bytes: &[u8]) -> Option<NaiveDate> {
    let digit = |b: u8| {
        b.is_ascii_digit()
            .then(|| u32::from(b.saturating_sub(b'0')))
    };
    let two = |a: u8, b: u8| Some(digit(a)?.saturating_mul(10).saturating_add(digit(b)?));
    match *bytes {
        [y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1] => {
            let year = two(y0, y1)?
                .saturating_mul(100)
                .saturating_add(two(y2, y3)?);
            NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, two(m0, m1)?, two(d0, d1)?)
        }
        _ => None,
    }
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

impl FactDef {
    /// Checks one value against this fact. `path` names it in errors.
    pub fn check(
        &self,
        value: &Value,
        path: &str,
        errors: &mut Vec<FactError>,
    ) -> Option<FactValue> {
        let mut fail = |kind: FactErrorKind| {
            errors.push(FactError {
                path: path.to_string(),
                kind,
            });
            None
        };
        let wrong = |value: &Value| FactErrorKind::WrongType {
            expected: self.kind.expected(),
            found: json_type(value),
        };
        match (self.kind, value) {
            (FactKind::Bool, Value::Bool(b)) => Some(FactValue::Bool(*b)),
            (FactKind::Integer | FactKind::Decimal, Value::Number(_) | Value::String(_)) => {
                let text = match value {
                    Value::Number(n) => n.as_str(),
                    Value::String(s) if self.kind == FactKind::Decimal => s.as_str(),
                    _ => return fail(wrong(value)),
                };
                match self.number(text) {
                    Ok(value) => Some(value),
                    Err(kind) => fail(kind),
                }
            }
            (FactKind::Text, Value::String(s)) => match self.text(s) {
                Ok(value) => Some(value),
                Err(kind) => fail(kind),
            },
            (FactKind::Date, Value::String(s)) => match parse_date(s) {
                Some(date) => Some(FactValue::Date(date)),
                None => fail(FactErrorKind::InvalidDate),
            },
            (FactKind::Enum, Value::String(s)) => match self.option(s) {
                Some(i) => Some(FactValue::Enum(i)),
                None => fail(self.not_an_option()),
            },
            (FactKind::EnumList, Value::Array(items)) => {
                let mut chosen = Vec::with_capacity(items.len());
                let mut ok = true;
                for (i, item) in items.iter().enumerate() {
                    let item_path = || alloc::format!("{path}[{i}]");
                    let found = match item {
                        Value::String(s) => self.option(s).ok_or_else(|| self.not_an_option()),
                        other => Err(FactErrorKind::WrongType {
                            expected: "an option as a string",
                            found: json_type(other),
                        }),
                    };
                    match found {
                        Ok(option) if chosen.binary_search(&option).is_ok() => {
                            ok = false;
                            errors.push(FactError {
                                path: item_path(),
                                kind: FactErrorKind::Repeated {
                                    option: self.option_name(option).to_string(),
                                },
                            });
                        }
                        Ok(option) => {
                            let _ = insert_new(&mut chosen, option);
                        }
                        Err(kind) => {
                            ok = false;
                            errors.push(FactError {
                                path: item_path(),
                                kind,
                            });
                        }
                    }
                }
                ok.then_some(FactValue::List(chosen))
            }
            (FactKind::Procedures, Value::Array(items)) => {
                let before = errors.len();
                let mut pauses = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    if let Some(pause) = self.pause(item, &alloc::format!("{path}[{i}]"), errors) {
                        pauses.push(pause);
                    }
                }
                (errors.len() == before).then_some(FactValue::Procedures(pauses))
            }
            _ => fail(wrong(value)),
        }
    }

    /// A number fact from its JSON text (a number literal, or a decimal's string content).
    fn number(&self, text: &str) -> Result<FactValue, FactErrorKind> {
        let Some(number) = parse_decimal(text) else {
            return Err(FactErrorKind::InvalidNumber);
        };
        if self.kind == FactKind::Integer && !number.fract().is_zero() {
            return Err(FactErrorKind::NotInteger);
        }
        let below = self.min.is_some_and(|min| number < min);
        let above = self.max.is_some_and(|max| number > max);
        if below || above {
            return Err(FactErrorKind::OutOfRange {
                min: self.min.map_or_else(|| "-∞".into(), |m| m.to_string()),
                max: self.max.map_or_else(|| "∞".into(), |m| m.to_string()),
            });
        }
        Ok(FactValue::Number(number))
    }

    /// A text fact, its format checked.
    fn text(&self, s: &str) -> Result<FactValue, FactErrorKind> {
        if let Some(format) = self.format
            && !format.is_valid(s)
        {
            return Err(FactErrorKind::InvalidFormat {
                format: format.name().into(),
            });
        }
        Ok(FactValue::Text(s.to_string()))
    }

    /// Checks one value as the fast path read it from JSON text ([`scan`]) without building a
    /// [`Value`]: `Some(None)` for `null`,
    /// `Some(Some(value))` for a valid value. `None` means "not read here": an invalid value,
    /// which [`FactDef::check`] then reads from JSON and reports.
    ///
    /// This is the path of nearly every decision on every channel, so it must give exactly
    /// what `check` gives; the property test `reading_facts_text_agrees_with_checking_parsed_facts`
    /// holds it to that.
    pub(crate) fn read_given(&self, given: Given<'_>) -> Option<Option<FactValue>> {
        // Text that is not UTF-8 is left to `check`, which never sees any: the channels' path
        // turns such bytes into an error before. Bytes equal to a (UTF-8) option are UTF-8.
        let utf8 = |bytes| core::str::from_utf8(bytes).ok();
        let value = match (self.kind, given) {
            (_, Given::Null) => return Some(None),
            (FactKind::Bool, Given::Bool(b)) => FactValue::Bool(b),
            (FactKind::Integer | FactKind::Decimal, Given::Number(text)) => {
                self.number(text).ok()?
            }
            (FactKind::Decimal, Given::Text(text)) => self.number(utf8(text)?).ok()?,
            (FactKind::Text, Given::Text(s)) => self.text(utf8(s)?).ok()?,
            (FactKind::Date, Given::Text(s)) => FactValue::Date(parse_date_bytes(s)?),
            (FactKind::Enum, Given::Text(s)) => FactValue::Enum(self.option_bytes(s)?),
            (FactKind::EnumList, Given::Texts(items)) => {
                options_list(items.iter().map(|item| self.option_bytes(item)))?
            }
            _ => return None,
        };
        Some(Some(value))
    }

    fn pause(&self, item: &Value, path: &str, errors: &mut Vec<FactError>) -> Option<Pause> {
        let mut fail = |at: &str, kind: FactErrorKind| {
            errors.push(FactError {
                path: alloc::format!("{path}{at}"),
                kind,
            });
            None
        };
        let Value::Object(fields) = item else {
            return fail(
                "",
                FactErrorKind::WrongType {
                    expected: "an object {\"procedure\", \"from\", \"to\"}",
                    found: json_type(item),
                },
            );
        };
        if let Some(extra) = fields
            .keys()
            .find(|k| !matches!(k.as_str(), "procedure" | "from" | "to"))
        {
            return fail(&alloc::format!(".{extra}"), FactErrorKind::Unknown);
        }
        let procedure = match fields.get("procedure") {
            Some(Value::String(name)) => match self.option(name) {
                Some(p) => p,
                None => return fail(".procedure", self.not_an_option()),
            },
            other => {
                return fail(
                    ".procedure",
                    FactErrorKind::WrongType {
                        expected: "one of the matter's special procedures",
                        found: other.map_or("nothing", json_type),
                    },
                );
            }
        };
        let date = |key: &str| match fields.get(key) {
            Some(Value::String(text)) => {
                parse_date(text).ok_or_else(|| (key.to_string(), FactErrorKind::InvalidDate))
            }
            other => Err((
                key.to_string(),
                FactErrorKind::WrongType {
                    expected: "a date string YYYY-MM-DD",
                    found: other.map_or("nothing", json_type),
                },
            )),
        };
        let (from, to) = match (date("from"), date("to")) {
            (Ok(from), Ok(to)) => (from, to),
            (Err((key, kind)), _) | (_, Err((key, kind))) => {
                return fail(&alloc::format!(".{key}"), kind);
            }
        };
        if to < from {
            return fail(
                ".to",
                FactErrorKind::DateOrder {
                    problem: "the procedure ends before it starts",
                },
            );
        }
        Some(Pause {
            procedure,
            from,
            to,
        })
    }

    fn option(&self, text: &str) -> Option<u16> {
        self.option_bytes(text.as_bytes())
    }

    fn option_bytes(&self, bytes: &[u8]) -> Option<u16> {
        self.options
            .iter()
            .position(|o| same(o.as_bytes(), bytes))
            .and_then(|i| u16::try_from(i).ok())
    }

    /// The error for a value that is none of the options; the value itself is not repeated,
    /// since it is the applicant's text.
    fn not_an_option(&self) -> FactErrorKind {
        FactErrorKind::NotAnOption {
            options: self.options.join("、"),
        }
    }

    /// The text of option `option`.
    fn option_name(&self, option: u16) -> &str {
        self.options
            .get(usize::from(option))
            .map_or("", String::as_str)
    }
}

/// Reads a decimal from its text exactly; exponents are accepted when the result is exact.
pub fn parse_decimal(text: &str) -> Option<Decimal> {
    Decimal::from_str_exact(text)
        .ok()
        .or_else(|| Decimal::from_scientific(text).ok())
        .map(|d| d.normalize())
}

/// Checks a 居民身份证号码: 17 digits and an ISO 7064 MOD 11-2 check character, and a real
/// birth date in positions 7–14 (GB 11643-1999; the check character: [`codes::id_number_check`]).
pub fn is_valid_id_number(text: &str) -> bool {
    let bytes = text.as_bytes();
    let birth = text.get(6..14).and_then(|b| {
        let with_dashes = alloc::format!("{}-{}-{}", b.get(0..4)?, b.get(4..6)?, b.get(6..8)?);
        parse_date(&with_dashes)
    });
    bytes.len() == 18 && birth.is_some() && codes::ends_in_check(bytes, codes::id_number_check)
}

/// Checks a 统一社会信用代码: 18 characters over the 31-symbol alphabet and its check character
/// (GB 32100-2015; the check character: [`codes::credit_code_check`]).
pub fn is_valid_credit_code(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 18 && codes::ends_in_check(bytes, codes::credit_code_check)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fact(name: &str) -> FactDef {
        FactDef {
            name: name.into(),
            kind: FactKind::Bool,
            question: String::new(),
            options: Vec::new(),
            source: FactSourceKind::Applicant,
            format: None,
            min: None,
            max: None,
        }
    }

    /// Every name is found whatever fact came before it (the guesses only save time), and a
    /// name that is not there, or differs in one byte or in length, is not.
    #[test]
    fn the_name_index_finds_exactly_the_names() {
        let names = [
            "经营者身份类型",
            "年龄",
            "a",
            "电子证照",
            "经营者出生日期",
            "b",
        ];
        let facts: Vec<FactDef> = names.iter().map(|n| fact(n)).collect();
        let index = NameIndex::new(&facts);
        let previous = (0..names.len()).map(|p| u16::try_from(p).ok());
        for before in previous.chain([None, Some(u16::MAX)]) {
            for (i, name) in names.iter().enumerate() {
                assert_eq!(
                    index.find(&facts, name.as_bytes(), before),
                    u16::try_from(i).ok()
                );
            }
            for absent in ["", "经营者身份类", "经营者身份类型x", "年齢", "c"] {
                assert_eq!(index.find(&facts, absent.as_bytes(), before), None);
            }
        }
    }

    #[test]
    fn same_compares_every_byte() {
        let text = "经营场所在本登记机关辖区";
        for cut in 0..=text.len() {
            let (a, b) = text.as_bytes().split_at(cut);
            assert!(same(a, a) && same(b, b));
            assert_eq!(same(a, b), a == b);
            for at in 0..a.len() {
                let mut changed = a.to_vec();
                changed[at] ^= 1;
                assert!(!same(a, &changed), "{cut} {at}");
            }
        }
    }

    #[test]
    fn dates_are_strict() {
        assert!(parse_date("2024-02-29").is_some());
        assert!(parse_date("2025-02-29").is_none());
        assert!(parse_date("2025-2-28").is_none());
        assert!(parse_date("+2025-02-28").is_none());
        assert!(parse_date("2025-13-01").is_none());
        assert!(parse_date("２０２５-01-01").is_none());
        assert!(parse_date("2025-00-10").is_none());
        assert!(parse_date("2025-01-00").is_none());
        assert!(parse_date("2025/01/01").is_none());
        assert!(parse_date("2025/01-01").is_none());
        assert!(parse_date("2025-01-1a").is_none());
        assert!(parse_date(" 2025-01-01").is_none());
        assert_eq!(parse_date("0001-12-31"), NaiveDate::from_ymd_opt(1, 12, 31));
        assert_eq!(
            parse_date("9999-12-31"),
            NaiveDate::from_ymd_opt(9999, 12, 31)
        );
    }

    proptest::proptest! {
        /// Bytes read as a date exactly when chrono reads them as `%Y-%m-%d` written with four,
        /// two and two digits, and as the same date.
        #[test]
        fn dates_read_as_chrono_reads_them(
            text in "[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}[-/.][0-9]{2}[-/.][0-9]{2}|[0-9+ -]{8,11}|.{0,12}",
        ) {
            let strict = text.len() == 10
                && text.bytes().enumerate().all(|(i, b)| {
                    if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() }
                });
            let chrono = NaiveDate::parse_from_str(&text, "%Y-%m-%d").ok().filter(|_| strict);
            proptest::prop_assert_eq!(parse_date(&text), chrono);
            proptest::prop_assert_eq!(parse_date_bytes(text.as_bytes()), chrono);
        }
    }

    #[test]
    fn id_numbers() {
        // The worked example of GB 11643-1999, appendix.
        assert!(is_valid_id_number("11010519491231002X"));
        assert!(!is_valid_id_number("110105194912310021"));
        assert!(!is_valid_id_number("11010519491331002X"));
        assert!(!is_valid_id_number("11010519491231002"));
    }

    #[test]
    fn credit_codes() {
        // The sample code printed in GB 32100-2015; changing its check character must fail.
        assert!(is_valid_credit_code("91350100M000100Y43"));
        assert!(!is_valid_credit_code("91350100M000100Y44"));
        assert!(!is_valid_credit_code("91350100M000100I43"));
    }

    #[test]
    fn decimals_are_exact() {
        assert_eq!(parse_decimal("0.1"), Some(Decimal::new(1, 1)));
        assert_eq!(parse_decimal("1e2"), Some(Decimal::from(100)));
        assert_eq!(parse_decimal("12.50"), Some(Decimal::new(125, 1)));
        assert_eq!(parse_decimal("abc"), None);
    }
}
