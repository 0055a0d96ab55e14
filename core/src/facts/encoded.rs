//! The binary encoding of facts that the npm package writes into WebAssembly memory.
//!
//! JSON text costs a JavaScript front end `JSON.stringify` and UTF-8 encoding, and the module
//! a scan and a lookup of every name: most of an eligibility check. The package therefore
//! encodes a facts object itself, against the matter's facts schema (fetched once per matter
//! and date): each answered fact as its number in the schema, a tag and the value. Options are
//! sent as their numbers; numbers as the text `String(n)` gives, which is the text
//! `JSON.stringify` writes, so decimals stay exact.
//!
//! Layout, little-endian, one entry per fact given:
//!
//! | bytes | meaning |
//! | --- | --- |
//! | 2 | the fact's number in the schema |
//! | 1 | tag: 0 null, 1 false, 2 true, 3 number, 4 text, 5 option, 6 options, 7 JSON |
//! | … | 3: 1-byte length, ASCII text; 4: 2-byte length, UTF-8 text; 5: 2-byte option number; 6: 2-byte count, 2 bytes per option number; 7: 2-byte length, the value's JSON text |
//!
//! Tag 7 carries what has no tag of its own (a nested value, such as the list of objects
//! `特别程序` takes) as the JSON text `JSON.stringify` writes for it, read by serde_json and
//! checked as on the JSON path.
//!
//! Anything the encoding cannot say (a name not in the schema, a value of another type, an
//! option not offered) the package sends as JSON text instead, and every value read here is
//! checked against its fact exactly as JSON would be ([`crate::Matter::read_facts_encoded`]),
//! so the module answers the same whichever way facts arrive; the conformance corpus runs
//! both ways.

/// One value as encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value<'a> {
    /// `null`: not answered.
    Null,
    /// A truth value.
    Bool(bool),
    /// A number as JavaScript writes it (ASCII).
    Number(&'a str),
    /// Text as UTF-8 bytes, not yet checked.
    Text(&'a [u8]),
    /// An option's number.
    Option(u16),
    /// Options' numbers.
    Options(Options<'a>),
    /// A value's JSON text (UTF-8 bytes, not yet checked).
    Json(&'a [u8]),
}

/// Option numbers, read lazily.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options<'a> {
    bytes: &'a [u8],
}

impl<'a> Options<'a> {
    /// Option numbers as encoded: 2 bytes each, little-endian.
    pub fn new(bytes: &'a [u8]) -> Options<'a> {
        Options { bytes }
    }

    /// The option numbers, in the order given.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = u16> + 'a {
        // Exact-size, so a list is allocated once at its length.
        let (pairs, _) = self.bytes.as_chunks::<2>();
        pairs.iter().map(|pair| u16::from_le_bytes(*pair))
    }
}

/// The tags.
pub mod tag {
    /// `null`.
    pub const NULL: u8 = 0;
    /// `false`.
    pub const FALSE: u8 = 1;
    /// `true`.
    pub const TRUE: u8 = 2;
    /// A number: 1-byte length, ASCII text.
    pub const NUMBER: u8 = 3;
    /// Text: 2-byte length, UTF-8.
    pub const TEXT: u8 = 4;
    /// An option: its 2-byte number.
    pub const OPTION: u8 = 5;
    /// Options: 2-byte count, then 2 bytes each.
    pub const OPTIONS: u8 = 6;
    /// A value as its JSON text.
    pub const JSON: u8 = 7;
}

/// Calls `each` with every entry of `bytes` in order; `None` on a malformed encoding or when
/// `each` returns `None`.
pub fn read<'a>(bytes: &'a [u8], mut each: impl FnMut(u16, Value<'a>) -> Option<()>) -> Option<()> {
    let mut r = Reader { bytes, at: 0 };
    while r.at < bytes.len() {
        let index = r.u16()?;
        let value = match r.u8()? {
            tag::NULL => Value::Null,
            tag::FALSE => Value::Bool(false),
            tag::TRUE => Value::Bool(true),
            tag::NUMBER => {
                let length = usize::from(r.u8()?);
                Value::Number(core::str::from_utf8(r.take(length)?).ok()?)
            }
            tag::TEXT => {
                let length = usize::from(r.u16()?);
                Value::Text(r.take(length)?)
            }
            tag::OPTION => Value::Option(r.u16()?),
            tag::OPTIONS => {
                let count = usize::from(r.u16()?);
                Value::Options(Options {
                    bytes: r.take(count.checked_mul(2)?)?,
                })
            }
            tag::JSON => {
                let length = usize::from(r.u16()?);
                Value::Json(r.take(length)?)
            }
            _ => return None,
        };
        each(index, value)?;
    }
    Some(())
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    #[inline]
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.at.checked_add(n)?;
        let taken = self.bytes.get(self.at..end)?;
        self.at = end;
        Some(taken)
    }

    #[inline]
    fn u8(&mut self) -> Option<u8> {
        self.take(1)?.first().copied()
    }

    #[inline]
    fn u16(&mut self) -> Option<u16> {
        let pair = self.take(2)?;
        Some(u16::from_le_bytes([*pair.first()?, *pair.get(1)?]))
    }
}

/// Writes one entry: what the package's encoder writes, for tests and native callers. `None`
/// (and nothing written) when a length does not fit its field: a number's text over 255 bytes,
/// a text or JSON text over 65,535 bytes or more than 65,535 options, which go as JSON text instead.
pub fn write(out: &mut alloc::vec::Vec<u8>, index: u16, value: Value<'_>) -> Option<()> {
    let mut entry = alloc::vec::Vec::new();
    entry.extend_from_slice(&index.to_le_bytes());
    match value {
        Value::Null => entry.push(tag::NULL),
        Value::Bool(false) => entry.push(tag::FALSE),
        Value::Bool(true) => entry.push(tag::TRUE),
        Value::Number(text) => {
            entry.push(tag::NUMBER);
            entry.push(u8::try_from(text.len()).ok()?);
            entry.extend_from_slice(text.as_bytes());
        }
        Value::Text(text) => {
            entry.push(tag::TEXT);
            entry.extend_from_slice(&u16::try_from(text.len()).ok()?.to_le_bytes());
            entry.extend_from_slice(text);
        }
        Value::Option(i) => {
            entry.push(tag::OPTION);
            entry.extend_from_slice(&i.to_le_bytes());
        }
        Value::Options(options) => {
            entry.push(tag::OPTIONS);
            entry.extend_from_slice(&u16::try_from(options.bytes.len() / 2).ok()?.to_le_bytes());
            entry.extend_from_slice(options.bytes);
        }
        Value::Json(text) => {
            entry.push(tag::JSON);
            entry.extend_from_slice(&u16::try_from(text.len()).ok()?.to_le_bytes());
            entry.extend_from_slice(text);
        }
    }
    out.extend_from_slice(&entry);
    Some(())
}
