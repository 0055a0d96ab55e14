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
use crate::expr::Val;

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
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
    /// Who supplies it.
    pub source: FactSourceKind,
    /// The identifier format of a text fact.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<TextFormat>,
    /// Least value of a number (a string in JSON, like every decimal).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<Decimal>,
    /// Greatest value of a number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
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

impl FactValue {
    /// A borrowed view for evaluation; procedures never enter conditions.
    pub fn as_val(&self) -> Option<Val<'_>> {
        Some(match self {
            Self::Bool(b) => Val::Bool(*b),
            Self::Number(n) => Val::Number(*n),
            Self::Text(t) => Val::Text(t),
            Self::Date(d) => Val::Date(*d),
            Self::Enum(e) => Val::Enum(*e),
            Self::List(l) => Val::List(l),
            Self::Procedures(_) => return None,
        })
    }
}

/// Parses `YYYY-MM-DD` strictly: four-digit year, two-digit month and day, a real date.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes.get(4) != Some(&b'-') || bytes.get(7) != Some(&b'-') {
        return None;
    }
    let number = |range: core::ops::Range<usize>| -> Option<u32> {
        let part = text.get(range)?;
        if !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        part.parse().ok()
    };
    let year = i32::try_from(number(0..4)?).ok()?;
    NaiveDate::from_ymd_opt(year, number(5..7)?, number(8..10)?)
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
                let Some(number) = parse_decimal(text) else {
                    return fail(FactErrorKind::InvalidNumber {
                        value: text.to_string(),
                    });
                };
                if self.kind == FactKind::Integer && !number.fract().is_zero() {
                    return fail(FactErrorKind::NotInteger {
                        value: text.to_string(),
                    });
                }
                let below = self.min.is_some_and(|min| number < min);
                let above = self.max.is_some_and(|max| number > max);
                if below || above {
                    return fail(FactErrorKind::OutOfRange {
                        value: text.to_string(),
                        min: self.min.map_or_else(|| "-∞".into(), |m| m.to_string()),
                        max: self.max.map_or_else(|| "∞".into(), |m| m.to_string()),
                    });
                }
                Some(FactValue::Number(number))
            }
            (FactKind::Text, Value::String(s)) => {
                if let Some(format) = self.format
                    && !format.is_valid(s)
                {
                    return fail(FactErrorKind::InvalidFormat {
                        value: s.clone(),
                        format: format.name().into(),
                    });
                }
                Some(FactValue::Text(s.clone()))
            }
            (FactKind::Date, Value::String(s)) => match parse_date(s) {
                Some(date) => Some(FactValue::Date(date)),
                None => fail(FactErrorKind::InvalidDate { value: s.clone() }),
            },
            (FactKind::Enum, Value::String(s)) => match self.option(s) {
                Some(i) => Some(FactValue::Enum(i)),
                None => fail(self.not_an_option(s)),
            },
            (FactKind::EnumList, Value::Array(items)) => {
                let mut chosen = Vec::with_capacity(items.len());
                let mut ok = true;
                for (i, item) in items.iter().enumerate() {
                    let item_path = alloc::format!("{path}[{i}]");
                    let found = match item {
                        Value::String(s) => self.option(s).ok_or_else(|| self.not_an_option(s)),
                        other => Err(FactErrorKind::WrongType {
                            expected: "an option as a string",
                            found: json_type(other),
                        }),
                    };
                    match found {
                        Ok(option) if chosen.contains(&option) => {
                            ok = false;
                            errors.push(FactError {
                                path: item_path,
                                kind: FactErrorKind::Repeated {
                                    value: item.as_str().unwrap_or_default().to_string(),
                                },
                            });
                        }
                        Ok(option) => chosen.push(option),
                        Err(kind) => {
                            ok = false;
                            errors.push(FactError {
                                path: item_path,
                                kind,
                            });
                        }
                    }
                }
                chosen.sort_unstable();
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
                None => return fail(".procedure", self.not_an_option(name)),
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
            Some(Value::String(text)) => parse_date(text).ok_or_else(|| {
                (
                    key.to_string(),
                    FactErrorKind::InvalidDate {
                        value: text.clone(),
                    },
                )
            }),
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
                FactErrorKind::InvalidDate {
                    value: alloc::format!("{to} (before `from`, {from})"),
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
        self.options
            .iter()
            .position(|o| o == text)
            .and_then(|i| u16::try_from(i).ok())
    }

    fn not_an_option(&self, text: &str) -> FactErrorKind {
        FactErrorKind::NotAnOption {
            value: text.to_string(),
            options: self.options.join("、"),
        }
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
/// birth date in positions 7–14 (GB 11643-1999).
pub fn is_valid_id_number(text: &str) -> bool {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: [u8; 11] = *b"10X98765432";
    let bytes = text.as_bytes();
    if bytes.len() != 18 {
        return false;
    }
    let mut sum = 0;
    for (byte, weight) in bytes.iter().zip(WEIGHTS) {
        if !byte.is_ascii_digit() {
            return false;
        }
        sum += u32::from(byte - b'0') * weight;
    }
    let birth = text.get(6..14).and_then(|b| {
        let with_dashes = alloc::format!("{}-{}-{}", b.get(0..4)?, b.get(4..6)?, b.get(6..8)?);
        parse_date(&with_dashes)
    });
    let expected = CHECK.get((sum % 11) as usize).copied();
    birth.is_some() && bytes.get(17).copied() == expected
}

/// Checks a 统一社会信用代码: 18 characters over the 31-symbol alphabet and its check character
/// (GB 32100-2015).
pub fn is_valid_credit_code(text: &str) -> bool {
    const ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    const WEIGHTS: [u32; 17] = [
        1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
    ];
    let bytes = text.as_bytes();
    if bytes.len() != 18 {
        return false;
    }
    let value = |b: u8| ALPHABET.iter().position(|&a| a == b).map(|p| p as u32);
    let mut sum = 0;
    for (&byte, weight) in bytes.iter().zip(WEIGHTS) {
        let Some(v) = value(byte) else { return false };
        sum += v * weight;
    }
    let check = (31 - sum % 31) % 31;
    bytes.get(17).and_then(|&b| value(b)) == Some(check)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_strict() {
        assert!(parse_date("2024-02-29").is_some());
        assert!(parse_date("2025-02-29").is_none());
        assert!(parse_date("2025-2-28").is_none());
        assert!(parse_date("+2025-02-28").is_none());
        assert!(parse_date("2025-13-01").is_none());
        assert!(parse_date("２０２５-01-01").is_none());
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
