//! What the npm package does with a facts object, in Rust: JavaScript values as `JSON.parse`
//! makes them (numbers as doubles, strings as UTF-16, keys in property order) and the text
//! `JSON.stringify` writes for them, which the package sends.

use std::fmt::Write as _;

/// A JavaScript value as `JSON.parse` returns it.
#[derive(Debug, Clone, PartialEq)]
pub enum Js {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A double.
    Number(f64),
    /// UTF-16 code units; lone surrogates allowed.
    Str(Vec<u16>),
    /// An array.
    Array(Vec<Js>),
    /// Own properties in JavaScript's order: array-index keys ascending, then the others in
    /// the order first defined.
    Object(Vec<(Vec<u16>, Js)>),
}

/// What `JSON.parse` found beyond a value.
#[derive(Debug, Default, Clone, Copy)]
pub struct Parsed {
    /// A number whose double is not exactly the number written (JavaScript rounds it, or
    /// makes it an infinity that `JSON.stringify` writes as `null`).
    pub inexact: bool,
    /// An object with a key twice (the last value wins).
    pub duplicate_keys: bool,
}

struct Parser<'a> {
    text: &'a [u8],
    at: usize,
    found: Parsed,
    depth: usize,
}

/// `JSON.parse(text)`, or `None` where it throws.
pub fn parse(text: &str) -> Option<(Js, Parsed)> {
    let mut p = Parser {
        text: text.as_bytes(),
        at: 0,
        found: Parsed::default(),
        depth: 0,
    };
    p.ws();
    let value = p.value()?;
    p.ws();
    (p.at == p.text.len()).then_some((value, p.found))
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.get(self.at).copied()
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn eat(&mut self, word: &str) -> Option<()> {
        let end = self.at.checked_add(word.len())?;
        (self.text.get(self.at..end)? == word.as_bytes()).then(|| self.at = end)
    }

    fn value(&mut self) -> Option<Js> {
        // Engines parse far deeper than serde_json's 128; deeper than this is not interesting.
        if self.depth > 512 {
            return None;
        }
        match self.peek()? {
            b'n' => self.eat("null").map(|()| Js::Null),
            b't' => self.eat("true").map(|()| Js::Bool(true)),
            b'f' => self.eat("false").map(|()| Js::Bool(false)),
            b'"' => self.string().map(Js::Str),
            b'[' => {
                self.at += 1;
                self.depth += 1;
                let mut items = Vec::new();
                self.ws();
                if self.peek() == Some(b']') {
                    self.at += 1;
                } else {
                    loop {
                        self.ws();
                        items.push(self.value()?);
                        self.ws();
                        match self.peek()? {
                            b',' => self.at += 1,
                            b']' => {
                                self.at += 1;
                                break;
                            }
                            _ => return None,
                        }
                    }
                }
                self.depth -= 1;
                Some(Js::Array(items))
            }
            b'{' => {
                self.at += 1;
                self.depth += 1;
                let mut members: Vec<(Vec<u16>, Js)> = Vec::new();
                self.ws();
                if self.peek() == Some(b'}') {
                    self.at += 1;
                } else {
                    loop {
                        self.ws();
                        let key = self.string()?;
                        self.ws();
                        self.eat(":")?;
                        self.ws();
                        let value = self.value()?;
                        match members.iter_mut().find(|(k, _)| *k == key) {
                            Some(slot) => {
                                self.found.duplicate_keys = true;
                                slot.1 = value;
                            }
                            None => members.push((key, value)),
                        }
                        self.ws();
                        match self.peek()? {
                            b',' => self.at += 1,
                            b'}' => {
                                self.at += 1;
                                break;
                            }
                            _ => return None,
                        }
                    }
                }
                self.depth -= 1;
                // Array-index keys first, ascending (a stable sort keeps the rest in order).
                members.sort_by_key(|(k, _)| array_index(k).map_or(u64::MAX, u64::from));
                Some(Js::Object(members))
            }
            b'-' | b'0'..=b'9' => self.number(),
            _ => None,
        }
    }

    fn number(&mut self) -> Option<Js> {
        let start = self.at;
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        match self.peek()? {
            b'0' => self.at += 1,
            b'1'..=b'9' => self.digits(),
            _ => return None,
        }
        if self.peek() == Some(b'.') {
            self.at += 1;
            if !self.peek()?.is_ascii_digit() {
                return None;
            }
            self.digits();
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            if !self.peek()?.is_ascii_digit() {
                return None;
            }
            self.digits();
        }
        let text = std::str::from_utf8(self.text.get(start..self.at)?).ok()?;
        let n: f64 = text.parse().ok()?;
        if !n.is_finite() || !same_number(text, &number_to_string(n)) {
            self.found.inexact = true;
        }
        Some(Js::Number(n))
    }

    fn digits(&mut self) {
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.at += 1;
        }
    }

    fn hex4(&mut self) -> Option<u16> {
        let end = self.at.checked_add(4)?;
        let hex = std::str::from_utf8(self.text.get(self.at..end)?).ok()?;
        if !hex.bytes().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        self.at = end;
        u16::from_str_radix(hex, 16).ok()
    }

    fn string(&mut self) -> Option<Vec<u16>> {
        self.eat("\"")?;
        let mut out = Vec::new();
        loop {
            let c = self.peek()?;
            match c {
                b'"' => {
                    self.at += 1;
                    return Some(out);
                }
                b'\\' => {
                    self.at += 1;
                    let e = self.peek()?;
                    self.at += 1;
                    out.push(match e {
                        b'"' => 0x22,
                        b'\\' => 0x5c,
                        b'/' => 0x2f,
                        b'b' => 0x08,
                        b'f' => 0x0c,
                        b'n' => 0x0a,
                        b'r' => 0x0d,
                        b't' => 0x09,
                        b'u' => self.hex4()?,
                        _ => return None,
                    });
                }
                0..=0x1f => return None,
                _ => {
                    // One UTF-8 character (the text is a `str`).
                    let rest = std::str::from_utf8(self.text.get(self.at..)?).ok()?;
                    let ch = rest.chars().next()?;
                    self.at += ch.len_utf8();
                    let mut units = [0u16; 2];
                    out.extend_from_slice(ch.encode_utf16(&mut units));
                }
            }
        }
    }
}

/// The key's number if it is an array index (`"0"`, `"17"`, below 2^32 - 1, no leading zero).
fn array_index(key: &[u16]) -> Option<u32> {
    if key.is_empty() || key.len() > 10 || !key.iter().all(|&c| (0x30..=0x39).contains(&c)) {
        return None;
    }
    if key.len() > 1 && key.first() == Some(&0x30) {
        return None;
    }
    let text = String::from_utf16(key).ok()?;
    let n: u64 = text.parse().ok()?;
    u32::try_from(n).ok().filter(|&n| n != u32::MAX)
}

/// Whether two JSON number texts are the same number exactly (zero's sign aside).
pub fn same_number(a: &str, b: &str) -> bool {
    normal(a) == normal(b)
}

/// A number text as (negative, significant digits, exponent of the last digit), zero as
/// `(false, "", 0)`.
fn normal(text: &str) -> Option<(bool, String, i64)> {
    let (negative, text) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(i) => (text.get(..i)?, text.get(i + 1..)?.parse::<i64>().ok()?),
        None => (text, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let mut digits: String = format!("{int}{frac}");
    let mut exp = exponent.checked_sub(i64::try_from(frac.len()).ok()?)?;
    let trimmed = digits.trim_start_matches('0').to_string();
    digits = trimmed;
    while digits.ends_with('0') {
        digits.pop();
        exp += 1;
    }
    if digits.is_empty() {
        return Some((false, String::new(), 0));
    }
    Some((negative, digits, exp))
}

/// `String(n)` for a finite double: ECMAScript's Number::toString.
pub fn number_to_string(n: f64) -> String {
    if n == 0.0 {
        return "0".into();
    }
    if n < 0.0 {
        return format!("-{}", number_to_string(-n));
    }
    // Rust writes the shortest digits that read back as `n`, as JavaScript does.
    let sci = format!("{n:e}");
    let (mantissa, exponent) = sci.split_once('e').unwrap_or((&sci, "0"));
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let k = i64::try_from(digits.len()).unwrap_or(0);
    let e: i64 = exponent.parse().unwrap_or(0);
    let n10 = e + 1;
    if k <= n10 && n10 <= 21 {
        let zeros = usize::try_from(n10 - k).unwrap_or(0);
        format!("{digits}{}", "0".repeat(zeros))
    } else if 0 < n10 && n10 <= 21 {
        let (a, b) = digits.split_at(usize::try_from(n10).unwrap_or(0));
        format!("{a}.{b}")
    } else if -6 < n10 && n10 <= 0 {
        let zeros = usize::try_from(-n10).unwrap_or(0);
        format!("0.{}{digits}", "0".repeat(zeros))
    } else {
        let sign = if n10 - 1 < 0 { '-' } else { '+' };
        let abs = (n10 - 1).abs();
        let (first, rest) = digits.split_at(1);
        if rest.is_empty() {
            format!("{first}e{sign}{abs}")
        } else {
            format!("{first}.{rest}e{sign}{abs}")
        }
    }
}

/// `JSON.stringify(value)`.
pub fn stringify(value: &Js) -> String {
    let mut out = String::new();
    write_value(&mut out, value);
    out
}

fn write_value(out: &mut String, value: &Js) {
    match value {
        Js::Null => out.push_str("null"),
        Js::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Js::Number(n) if n.is_finite() => out.push_str(&number_to_string(*n)),
        Js::Number(_) => out.push_str("null"),
        Js::Str(s) => write_string(out, s),
        Js::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(out, item);
            }
            out.push(']');
        }
        Js::Object(members) => {
            out.push('{');
            for (i, (k, v)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(out, k);
                out.push(':');
                write_value(out, v);
            }
            out.push('}');
        }
    }
}

/// ECMAScript's QuoteJSONString (well-formed: lone surrogates escaped).
fn write_string(out: &mut String, units: &[u16]) {
    out.push('"');
    for unit in char::decode_utf16(units.iter().copied()) {
        match unit {
            Ok('"') => out.push_str("\\\""),
            Ok('\\') => out.push_str("\\\\"),
            Ok('\u{8}') => out.push_str("\\b"),
            Ok('\u{c}') => out.push_str("\\f"),
            Ok('\n') => out.push_str("\\n"),
            Ok('\r') => out.push_str("\\r"),
            Ok('\t') => out.push_str("\\t"),
            Ok(c) if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            Ok(c) => out.push(c),
            Err(e) => {
                let _ = write!(out, "\\u{:04x}", e.unpaired_surrogate());
            }
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_javascript_writes_them() {
        for (n, text) in [
            (0.1, "0.1"),
            (100.0, "100"),
            (1e21, "1e+21"),
            (1e20, "100000000000000000000"),
            (1.5e-7, "1.5e-7"),
            (0.000001, "0.000001"),
            (-2.5, "-2.5"),
            (123456.789, "123456.789"),
            (-0.0, "0"),
        ] {
            assert_eq!(number_to_string(n), text);
        }
        assert!(same_number("1.50", "1.5"));
        assert!(same_number("15e-1", "1.5"));
        assert!(same_number("-0", "0"));
        assert!(!same_number("0.1000000000000000001", "0.1"));
    }

    #[test]
    fn parse_and_stringify() {
        let (v, found) = parse(r#"{"b":1,"1":2,"b":3,"s":"\ud800x\n"}"#).unwrap();
        assert!(found.duplicate_keys);
        assert_eq!(stringify(&v), r#"{"1":2,"b":3,"s":"\ud800x\n"}"#);
    }
}
