//! A matter's facts schema: the facts its rule file declares and the ones the core defines for
//! it, and reading an applicant's facts against them (from a JSON object, or straight from JSON
//! text) into one checked value per fact.

use alloc::collections::BTreeMap;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::checker::{Checker, bound};
use crate::commitment::{COMMITMENT_FACT, DISHONESTY_FACT};
use crate::deadline::PROCEDURES_FACT;
use crate::deferral::MISSING_FACT;
use crate::error::{FactError, FactErrorKind, RuleErrorKind, SourcePath};
use crate::facts::{FactDef, FactKind, FactSourceKind, FactValue, NameIndex, TextFormat};
use crate::json::{self, SerializeError};
use crate::materials::LICENCE_FACT;
use crate::source::MatterSource;

/// Fact names the core defines itself, and what each is for: a rule file may read them in its
/// conditions but not declare them.
const RESERVED_FACTS: [(&str, &str); 5] = [
    (
        LICENCE_FACT,
        "the channel's list of electronic licences, defined for every matter",
    ),
    (
        MISSING_FACT,
        "the materials lacking at acceptance, defined for every matter",
    ),
    (
        COMMITMENT_FACT,
        "the applicant's choice of 告知承诺制, defined when a material offers a commitment",
    ),
    (
        DISHONESTY_FACT,
        "the shared credit record, defined when 告知承诺 or 容缺 checks it",
    ),
    (
        PROCEDURES_FACT,
        "the agency's clock stops, defined when the matter has special procedures",
    ),
];

/// Compiles `[[facts]]`: names usable in conditions and not reserved, known types, options
/// for enums only (an `e_licence` list without options ranges over the licence catalogue),
/// formats for texts only, bounds for numbers only.
pub(crate) fn compile_declared(
    c: &mut Checker<'_>,
    src: &MatterSource,
    licences: &[String],
) -> (Vec<FactDef>, BTreeMap<String, u16>) {
    let root = SourcePath::root();
    let mut facts = Vec::with_capacity(src.facts.len().saturating_add(5));
    let mut fact_index = BTreeMap::new();
    for (i, f) in src.facts.iter().enumerate() {
        let path = root.key("facts").index(i);
        c.identifier(path.key("name"), &f.name);
        if let Some(reserved) = RESERVED_FACTS
            .iter()
            .find(|(name, _)| *name == f.name.as_str())
        {
            c.invalid(
                path.key("name"),
                alloc::format!("`{}` is reserved: {}", reserved.0, reserved.1),
            );
        }
        let index = u16::try_from(i).unwrap_or(u16::MAX);
        if fact_index.insert(f.name.clone(), index).is_some() {
            c.duplicate(path.key("name"), "fact", &f.name);
        }
        c.text(path.key("question"), &f.question);
        let kind = FactKind::from_name(&f.kind).unwrap_or_else(|| {
            c.push(
                path.key("type"),
                None,
                RuleErrorKind::NotAllowed {
                    value: f.kind.clone(),
                    allowed: FactKind::NAMES.into(),
                },
            );
            FactKind::Text
        });
        // A list of electronic licences declared without options ranges over the catalogue.
        let catalogue = kind == FactKind::EnumList
            && f.source.as_deref() == Some("e_licence")
            && f.options.is_empty();
        let options = if catalogue {
            licences.to_vec()
        } else {
            f.options.clone()
        };
        let takes_options = matches!(kind, FactKind::Enum | FactKind::EnumList);
        if takes_options && options.is_empty() {
            c.invalid(path.key("options"), "an enum needs its options");
        }
        if !takes_options && !f.options.is_empty() {
            c.invalid(
                path.key("options"),
                "only enum and enum_list facts have options",
            );
        }
        let mut seen = BTreeMap::new();
        for (j, option) in options.iter().enumerate() {
            c.text(path.key("options").index(j), option);
            if seen.insert(option.as_str(), ()).is_some() {
                c.duplicate(path.key("options").index(j), "option", option);
            }
        }
        let source = match &f.source {
            None => FactSourceKind::Applicant,
            Some(s) => FactSourceKind::from_name(s).unwrap_or_else(|| {
                c.push(
                    path.key("source"),
                    None,
                    RuleErrorKind::NotAllowed {
                        value: s.clone(),
                        allowed: "applicant、data_sharing、e_licence".into(),
                    },
                );
                FactSourceKind::Applicant
            }),
        };
        let format = f.format.as_ref().and_then(|name| {
            let format = TextFormat::from_name(name);
            if format.is_none() {
                c.push(
                    path.key("format"),
                    None,
                    RuleErrorKind::NotAllowed {
                        value: name.clone(),
                        allowed: "居民身份证号、统一社会信用代码".into(),
                    },
                );
            } else if kind != FactKind::Text {
                c.invalid(path.key("format"), "only text facts have a format");
            }
            format
        });
        let min = bound(c, path.key("min"), &f.min);
        let max = bound(c, path.key("max"), &f.max);
        if (min.is_some() || max.is_some())
            && !matches!(kind, FactKind::Integer | FactKind::Decimal)
        {
            // At the bound given: `max` alone pointed at the `[[facts]]` header.
            let given = if f.min.is_some() { "min" } else { "max" };
            c.invalid(
                path.key(given),
                "only integer and decimal facts have bounds",
            );
        }
        if let (Some(lo), Some(hi)) = (min, max)
            && lo > hi
        {
            c.invalid(path.key("max"), "`max` is less than `min`");
        }
        facts.push(FactDef {
            name: f.name.clone(),
            kind,
            question: f.question.clone(),
            options,
            source,
            format,
            min,
            max,
        });
    }
    (facts, fact_index)
}

/// A matter's facts in interview order, and their names indexed.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Schema {
    pub facts: Vec<FactDef>,
    pub index: NameIndex,
}

impl Schema {
    /// The schema of `facts`, in this order.
    pub(crate) fn new(facts: Vec<FactDef>) -> Schema {
        Schema {
            index: NameIndex::new(&facts),
            facts,
        }
    }

    /// The canonical text of checked facts: `[[name, value], …]` in schema order, decimals
    /// normalized and as strings, lists in option order, unanswered facts left out.
    pub(crate) fn canonical(&self, values: &[Option<FactValue>]) -> Result<String, SerializeError> {
        /// One fact's value in canonical form, serialized as serde_json would a `Value` of it.
        #[derive(Serialize)]
        #[serde(untagged)]
        enum Canonical<'a> {
            Bool(bool),
            Text(&'a str),
            Owned(String),
            List(Vec<&'a str>),
            Pauses(Vec<(&'a str, String, String)>),
        }
        let mut pairs: Vec<(&str, Canonical<'_>)> = Vec::with_capacity(values.len());
        for (def, value) in self.facts.iter().zip(values) {
            let Some(value) = value else { continue };
            let option = |i: &u16| def.options.get(usize::from(*i)).map_or("", String::as_str);
            let json = match value {
                FactValue::Bool(b) => Canonical::Bool(*b),
                FactValue::Number(n) => Canonical::Owned(n.normalize().to_string()),
                FactValue::Text(t) => Canonical::Text(t),
                FactValue::Date(d) => Canonical::Owned(d.to_string()),
                FactValue::Enum(i) => Canonical::Text(option(i)),
                FactValue::List(items) => Canonical::List(items.iter().map(option).collect()),
                FactValue::Procedures(pauses) => Canonical::Pauses(
                    pauses
                        .iter()
                        .map(|p| (option(&p.procedure), p.from.to_string(), p.to.to_string()))
                        .collect(),
                ),
            };
            pairs.push((def.name.as_str(), json));
        }
        json::to_json(&pairs, "the canonical facts")
    }

    /// Checks facts given as a JSON object against this matter's schema.
    ///
    /// Returns one slot per fact (`None` when not given); on failure every problem, ordered by
    /// the fact's path so that every channel lists them alike.
    pub(crate) fn check(
        &self,
        facts: &Map<String, Value>,
    ) -> Result<Vec<Option<FactValue>>, Vec<FactError>> {
        let mut values: Vec<Option<FactValue>> = alloc::vec![None; self.facts.len()];
        let mut errors = Vec::new();
        // A map's keys come in byte order, which the index follows: the next fact is found by
        // one of two guesses, not by hashing its name.
        let mut previous = None;
        for (name, value) in facts {
            let Some(index) = self.index.find(&self.facts, name.as_bytes(), previous) else {
                errors.push(FactError {
                    path: name.clone(),
                    kind: FactErrorKind::Unknown,
                });
                continue;
            };
            previous = Some(index);
            if value.is_null() {
                continue;
            }
            let (Some(def), Some(slot)) = (
                self.facts.get(usize::from(index)),
                values.get_mut(usize::from(index)),
            ) else {
                continue;
            };
            *slot = def.check(value, name, &mut errors);
        }
        if errors.is_empty() {
            Ok(values)
        } else {
            crate::common::sort_by(&mut errors, &|a, b| a.path.cmp(&b.path));
            Err(errors)
        }
    }

    /// Reads and checks facts given as JSON text, as the channels send them: the same values as
    /// [`crate::parse_facts`] followed by [`Matter::check_facts`], and on any problem exactly
    /// their errors.
    ///
    /// Well-formed facts are read straight from the text into their slots, without building a
    /// JSON tree first (a tree costs an allocation per key and per value, which was most of
    /// the time of an interview step in WebAssembly); anything else takes the checking path.
    pub(crate) fn read(&self, text: &str) -> Result<Vec<Option<FactValue>>, Vec<FactError>> {
        self.read_bytes(text.as_bytes())
    }

    /// [`Matter::read_facts`] for bytes that should be UTF-8 JSON text, as a channel writes them
    /// into WebAssembly memory: checking that they are UTF-8 first would cost as much as
    /// reading them, so only text that is not matched against known names and options is
    /// checked (see `facts/scan.rs`); bytes that are not UTF-8 are an `invalid_json`
    /// error.
    pub(crate) fn read_bytes(
        &self,
        bytes: &[u8],
    ) -> Result<Vec<Option<FactValue>>, Vec<FactError>> {
        if bytes.len() <= crate::MAX_FACTS_BYTES
            && let Some(values) = self.read_directly(bytes)
        {
            return Ok(values);
        }
        let text = core::str::from_utf8(bytes).map_err(|e| {
            alloc::vec![FactError {
                path: String::new(),
                kind: FactErrorKind::Json {
                    message: alloc::format!("the facts are not UTF-8 text: {e}"),
                },
            }]
        })?;
        let facts = crate::parse_facts(text).map_err(|e| alloc::vec![e])?;
        self.check(&facts)
    }

    /// The fast path of [`Matter::read_facts`]: `None` for anything it does not read itself.
    fn read_directly(&self, bytes: &[u8]) -> Option<Vec<Option<FactValue>>> {
        let mut values: Vec<Option<FactValue>> = alloc::vec![None; self.facts.len()];
        let mut previous = None;
        crate::facts::scan::members(bytes, |name, token| {
            // A name that matches a fact's is UTF-8, like the fact's.
            let number = self.index.find(&self.facts, name, previous)?;
            previous = Some(number);
            let index = usize::from(number);
            let value = self.facts.get(index)?.read_given(token)?;
            // A repeated name: the last value stands, as in a parsed JSON object.
            *values.get_mut(index)? = value;
            Some(())
        })?;
        Some(values)
    }
}
