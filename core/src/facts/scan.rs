//! A strict reader for the common shape of a facts object, the hot path of every channel.
//!
//! Facts arrive as JSON text on every decision. Building a `serde_json::Value` tree for them
//! costs an allocation per key and per value; even serde's borrowed path spent most of an
//! eligibility check in WebAssembly on its machinery. Facts objects are flat and nearly always
//! written by `JSON.stringify` or serde_json, so this reads that shape directly: an object whose
//! keys are strings and whose values are `null`, booleans, numbers, strings or lists of strings.
//!
//! It accepts only valid JSON (RFC 8259), and it gives up rather than guess: on a string with an
//! escape, a nested object, a list of anything but strings or any syntax error it returns
//! `None`, and the caller reads the text with serde_json, which reports errors where they are.

use super::Given;

/// The strings of a list, read lazily from its validated text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct StringList<'a> {
    /// The bytes between the brackets, already checked to be strings without escapes,
    /// separated by commas and whitespace.
    inner: &'a [u8],
}

impl<'a> StringList<'a> {
    /// The strings' bytes, in order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &'a [u8]> + 'a {
        // Validated: no string holds a quote, so the odd pieces between quotes are the strings.
        self.inner.split(|b| *b == b'"').skip(1).step_by(2)
    }
}

/// Calls `each` with every member of the object in `bytes`, in order (keys as their bytes,
/// like [`Given::Text`]); `None` when the text is not of the shape this reader knows (or not
/// valid JSON), or when `each` returns `None`.
///
/// The bytes need not be UTF-8: everything outside strings is checked to be the ASCII the
/// grammar allows, and string contents are left to the caller.
pub(crate) fn members<'a>(
    bytes: &'a [u8],
    mut each: impl FnMut(&'a [u8], Given<'a>) -> Option<()>,
) -> Option<()> {
    let mut r = Reader { bytes, at: 0 };
    r.ws();
    r.eat(b'{')?;
    r.ws();
    if r.eat(b'}').is_none() {
        loop {
            let key = r.string()?;
            r.ws();
            r.eat(b':')?;
            r.ws();
            let value = r.value()?;
            each(key, value)?;
            r.ws();
            if r.eat(b',').is_some() {
                r.ws();
                continue;
            }
            r.eat(b'}')?;
            break;
        }
    }
    r.ws();
    (r.at == r.bytes.len()).then_some(())
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn eat(&mut self, byte: u8) -> Option<()> {
        (self.peek()? == byte).then(|| self.at = self.at.saturating_add(1))
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at = self.at.saturating_add(1);
        }
    }

    fn literal(&mut self, word: &str) -> Option<()> {
        let end = self.at.checked_add(word.len())?;
        (self.bytes.get(self.at..end)? == word.as_bytes()).then(|| self.at = end)
    }

    /// A string without escapes or control characters: its content.
    fn string(&mut self) -> Option<&'a [u8]> {
        self.eat(b'"')?;
        let start = self.at;
        let length = content_length(self.bytes.get(start..)?)?;
        let end = start.checked_add(length)?;
        let content = self.bytes.get(start..end)?;
        // The closing quote.
        self.at = end.saturating_add(1);
        Some(content)
    }

    fn digits(&mut self) -> usize {
        let start = self.at;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.at = self.at.saturating_add(1);
        }
        self.at.saturating_sub(start)
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
    fn number(&mut self) -> Option<&'a str> {
        let start = self.at;
        if self.peek() == Some(b'-') {
            self.at = self.at.saturating_add(1);
        }
        match self.peek()? {
            b'0' => self.at = self.at.saturating_add(1),
            b'1'..=b'9' => {
                self.digits();
            }
            _ => return None,
        }
        if self.peek() == Some(b'.') {
            self.at = self.at.saturating_add(1);
            if self.digits() == 0 {
                return None;
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at = self.at.saturating_add(1);
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at = self.at.saturating_add(1);
            }
            if self.digits() == 0 {
                return None;
            }
        }
        // The grammar above admits only ASCII.
        core::str::from_utf8(self.bytes.get(start..self.at)?).ok()
    }

    fn value(&mut self) -> Option<Given<'a>> {
        Some(match self.peek()? {
            b'n' => {
                self.literal("null")?;
                Given::Null
            }
            b't' => {
                self.literal("true")?;
                Given::Bool(true)
            }
            b'f' => {
                self.literal("false")?;
                Given::Bool(false)
            }
            b'"' => Given::Text(self.string()?),
            b'[' => {
                self.at = self.at.saturating_add(1);
                let start = self.at;
                self.ws();
                if self.peek() != Some(b']') {
                    loop {
                        self.string()?;
                        self.ws();
                        if self.eat(b',').is_some() {
                            self.ws();
                            continue;
                        }
                        break;
                    }
                }
                let inner = self.bytes.get(start..self.at)?;
                self.eat(b']')?;
                Given::Texts(StringList { inner })
            }
            _ => Given::Number(self.number()?),
        })
    }
}

/// The length of a string's content at the start of `bytes`: the bytes before the first quote;
/// `None` at a backslash (an escape), a control character (invalid JSON) or the end.
///
/// Facts are mostly Chinese text, three bytes a character, so eight bytes are tested at a time
/// (WebAssembly MVP has no SIMD; 64-bit words it has): a word with nothing special in it is
/// skipped whole, and the bytes from the first word that might hold something are read one by
/// one, which alone decides the answer.
fn content_length(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    // Non-zero when some byte of `x` is zero (never zero when one is).
    let zero_byte = |x: u64| x.wrapping_sub(ONES) & !x & HIGHS;
    let mut clear: usize = 0;
    for chunk in bytes.chunks_exact(8) {
        let Ok(chunk) = <[u8; 8]>::try_from(chunk) else {
            break;
        };
        let word = u64::from_le_bytes(chunk);
        let quote = zero_byte(word ^ (ONES * u64::from(b'"')));
        let backslash = zero_byte(word ^ (ONES * u64::from(b'\\')));
        // Non-zero when some byte is below 0x20.
        let control = word.wrapping_sub(ONES * 0x20) & !word & HIGHS;
        if quote | backslash | control != 0 {
            break;
        }
        clear = clear.saturating_add(8);
    }
    for (i, byte) in bytes.get(clear..)?.iter().enumerate() {
        match byte {
            b'"' => return Some(clear.saturating_add(i)),
            b'\\' | 0..=0x1f => return None,
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;
    use alloc::vec::Vec;

    fn read(text: &str) -> Option<Vec<(alloc::string::String, Given<'_>)>> {
        let mut out = Vec::new();
        members(text.as_bytes(), |k, v| {
            out.push((core::str::from_utf8(k).unwrap().to_string(), v));
            Some(())
        })?;
        Some(out)
    }

    #[test]
    fn reads_the_common_shape() {
        let got = read(" {\"a\" : null,\"年龄\":17, \"b\":[ \"x\" , \"电子\" ],\"c\":[],\"d\":\"文\",\"e\":false}\n").unwrap();
        assert_eq!(got.len(), 6);
        assert_eq!(got[0], ("a".into(), Given::Null));
        assert_eq!(got[1], ("年龄".into(), Given::Number("17")));
        let Given::Texts(list) = got[2].1 else {
            panic!("{:?}", got[2]);
        };
        assert_eq!(
            list.iter().collect::<Vec<_>>(),
            ["x".as_bytes(), "电子".as_bytes()]
        );
        let Given::Texts(empty) = got[3].1 else {
            panic!("{:?}", got[3]);
        };
        assert_eq!(empty.iter().count(), 0);
        assert_eq!(got[4].1, Given::Text("文".as_bytes()));
        assert_eq!(got[5].1, Given::Bool(false));
        assert_eq!(read("{}").unwrap(), []);
    }

    #[test]
    fn numbers_follow_the_json_grammar() {
        for ok in ["0", "-0", "12", "1.5", "-0.25", "1e5", "1E+5", "2.5e-3"] {
            let text = alloc::format!("{{\"n\":{ok}}}");
            assert_eq!(read(&text).unwrap()[0].1, Given::Number(ok), "{ok}");
        }
        for bad in [
            "01", "1.", ".5", "+1", "1e", "1e+", "-", "--1", "1.5.5", "0x10", "NaN",
        ] {
            let text = alloc::format!("{{\"n\":{bad}}}");
            assert_eq!(read(&text), None, "{bad}");
        }
    }

    /// The word-at-a-time scan finds the first quote, backslash or control character at every
    /// offset within and across words.
    #[test]
    fn content_length_finds_the_first_special_byte() {
        for length in 0..40 {
            for special in [b'"', b'\\', 0x00, 0x1f] {
                let mut bytes = alloc::vec![b'a'; length];
                bytes.extend_from_slice("中文".as_bytes());
                let at = bytes.len();
                bytes.push(special);
                bytes.extend_from_slice(b"\"tail\"");
                let expected = (special == b'"').then_some(at);
                assert_eq!(content_length(&bytes), expected, "{length} {special}");
            }
            // The end of the text before any quote.
            assert_eq!(content_length(&alloc::vec![0xe4; length]), None);
        }
        // Bytes just above the specials are plain.
        assert_eq!(content_length(b" !#$%[]^_`\x7f\x80\xff\""), Some(13));
    }

    /// Bytes that are not UTF-8 pass through inside strings (the caller checks them) and are
    /// refused anywhere else.
    #[test]
    fn bytes_outside_strings_must_be_the_grammars() {
        let mut out = Vec::new();
        let text = b"{\"\xff\":\"\xfe\"}";
        members(text, |k, v| {
            out.push((k, v));
            Some(())
        })
        .unwrap();
        assert_eq!(out, [(&b"\xff"[..], Given::Text(b"\xfe"))]);
        for bad in [&b"{\"a\":1\xff}"[..], b"\xff{}", b"{}\xff", b"{\"a\":\xff}"] {
            assert_eq!(members(bad, |_, _| Some(())), None);
        }
    }

    /// A piece of JSON-ish text: mostly JSON's own characters, some that are not.
    fn piece() -> impl proptest::strategy::Strategy<Value = alloc::string::String> {
        proptest::prop_oneof![
            "[{}\\[\\]\",:]",
            "[ \t\n\r]",
            "null|true|false|nul|tru",
            "-?[0-9]{0,3}(\\.[0-9]{0,2})?([eE][+-]?[0-9]{0,2})?",
            "[a-z中文\\\\\u{1}]{0,3}",
        ]
    }

    /// A member value: a literal, a number, a string or a list of strings, or a piece.
    fn value() -> impl proptest::strategy::Strategy<Value = alloc::string::String> {
        use proptest::strategy::Strategy;
        proptest::prop_oneof![
            "null|true|false",
            "-?(0|[1-9][0-9]{0,3})(\\.[0-9]{1,2})?([eE][+-]?[0-9]{1,2})?",
            "\"[a-z中文]{0,4}\"",
            // Near misses of the number grammar: leading zeros, bare points and exponents.
            "-?0[0-9]{1,2}|[0-9]{1,2}\\.|\\.[0-9]|[0-9][eE]|\\+[0-9]",
            proptest::collection::vec("\"[a-z中文]{0,3}\"", 0..3)
                .prop_map(|items| alloc::format!("[{}]", items.join(","))),
            piece(),
        ]
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config { cases: 2048, ..proptest::test_runner::Config::default() })]

        /// Whatever text it is given, the reader accepts only what serde_json also reads as a
        /// JSON object, with the same members: the fast path never admits what the checking
        /// path would refuse. Texts are objects built from members, then cut or pasted into
        /// once or twice, so that many are nearly valid.
        #[test]
        fn accepts_only_json_objects(
            members_ in proptest::collection::vec(("\"[a-z中文]{0,3}\"", "[ ]{0,1}", value()), 0..5),
            trailing in "|,| ,",
            edits in proptest::collection::vec((proptest::arbitrary::any::<proptest::sample::Index>(), proptest::bool::ANY, piece()), 0..3),
        ) {
            let body: Vec<alloc::string::String> = members_
                .iter()
                .map(|(k, space, v)| alloc::format!("{k}{space}:{v}"))
                .collect();
            let mut text = alloc::format!("{{{}{trailing}}}", body.join(","));
            for (at, cut, piece) in &edits {
                let boundaries: Vec<usize> =
                    (0..=text.len()).filter(|i| text.is_char_boundary(*i)).collect();
                let i = *at.get(&boundaries);
                if *cut {
                    if let Some(c) = text[i..].chars().next() {
                        text.replace_range(i..i + c.len_utf8(), "");
                    }
                } else {
                    text.insert_str(i, piece);
                }
            }
            let mut seen = Vec::new();
            let read = members(text.as_bytes(), |k, v| {
                seen.push((k, v));
                Some(())
            });
            if read.is_some() {
                let parsed: serde_json::Value = serde_json::from_str(&text)
                    .unwrap_or_else(|e| panic!("read {text:?}, which serde_json refuses: {e}"));
                let object = parsed.as_object().unwrap();
                for (key, _) in &seen {
                    let key = core::str::from_utf8(key).unwrap();
                    proptest::prop_assert!(object.contains_key(key), "{text:?}");
                }
                proptest::prop_assert!(seen.len() >= object.len());
            }
        }
    }

    /// Everything outside the shape, and every invalid text, is left to serde_json.
    #[test]
    fn gives_up_on_anything_else() {
        for text in [
            "",
            "[]",
            "{",
            "{\"a\":1,}",
            "{\"a\":1 \"b\":2}",
            "{\"a\" 1}",
            "{a:1}",
            "{\"a\":1}x",
            "{\"a\":1}{}",
            "{\"a\\\"\":1}",
            "{\"a\":\"x\\ny\"}",
            "{\"a\":\"\u{1}\"}",
            "{\"a\":{}}",
            "{\"a\":[1]}",
            "{\"a\":[\"x\",]}",
            "{\"a\":[\"x\" \"y\"]}",
            "{\"a\":[[]]}",
            "{\"a\":nul}",
            "{\"a\":True}",
            "{\"a\":\"unterminated}",
        ] {
            assert_eq!(read(text), None, "{text:?}");
        }
    }
}
