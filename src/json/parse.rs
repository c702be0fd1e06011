//! A strict JSON parser (RFC 8259) into [`Json`], with `serde_json`'s error
//! wording and positions, so messages read the same as before the crate had
//! its own parser: `EOF while parsing a value at line 1 column 11`.
//!
//! Nesting is bounded ([`MAX_DEPTH`], as `serde_json`'s recursion limit), so a
//! hostile `[[[[...` fails cleanly instead of exhausting the stack.

use std::fmt;

use super::tree::{Json, Number};

/// The deepest nesting accepted: 127 arrays or objects inside each other
/// (`serde_json` refuses the 128th).
pub(crate) const MAX_DEPTH: usize = 128;

/// Why text is not JSON, and where: `{message} at line {line} column {column}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SyntaxError {
    /// What is wrong, in `serde_json`'s words.
    pub(crate) message: &'static str,
    /// 1-based line.
    pub(crate) line: usize,
    /// Bytes into the line up to and including the offending one (0 at the
    /// start of an empty input), as `serde_json` counts.
    pub(crate) column: usize,
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} at line {} column {}",
            self.message, self.line, self.column
        )
    }
}

/// Parses one JSON value (surrounded by optional whitespace).
///
/// # Errors
/// The first syntax error, with its position.
pub(crate) fn parse(text: &str) -> Result<Json, SyntaxError> {
    let mut parser = Parser {
        bytes: text.as_bytes(),
        text,
        pos: 0,
        depth: MAX_DEPTH,
    };
    let value = parser.value()?;
    parser.skip_whitespace();
    if parser.pos < parser.bytes.len() {
        return Err(parser.error_at(parser.pos + 1, "trailing characters"));
    }
    Ok(value)
}

/// The digits of 2^1024 - 2^970, the least value that rounds to infinity as
/// an `f64` (halfway between `f64::MAX` and 2^1024, ties to even round up).
const F64_OVERFLOW_DIGITS: &[u8] = b"179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497792";

/// Whether JSON number text (checked against the grammar) is too large for
/// an `f64`, which `serde_json` refuses as "number out of range". Exact,
/// without parsing the number: compare its significant digits with the
/// least overflowing value's.
fn overflows_f64(text: &str) -> bool {
    // Without an exponent, fewer than 309 digits are below 1e308.
    if text.len() < 309 && !text.contains(['e', 'E']) {
        return false;
    }
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(i) => (&text[..i], &text[i + 1..]),
        None => (text, "0"),
    };
    let mantissa = mantissa.trim_start_matches('-');
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    // Significant digits, and the power of ten of the first one.
    let digits: Vec<u8> = int.bytes().chain(frac.bytes()).collect();
    let Some(first) = digits.iter().position(|&d| d != b'0') else {
        return false; // zero
    };
    let digits = &digits[first..];
    let digits = &digits[..digits.iter().rposition(|&d| d != b'0').map_or(0, |i| i + 1)];
    let (negative, exponent_digits) = match exponent.as_bytes().first() {
        Some(b'-') => (true, &exponent[1..]),
        Some(b'+') => (false, &exponent[1..]),
        _ => (false, exponent),
    };
    let exponent = exponent_digits.bytes().fold(0i64, |acc, d| {
        acc.saturating_mul(10).saturating_add(i64::from(d - b'0'))
    });
    let exponent = if negative { -exponent } else { exponent };
    let int_len = i64::try_from(int.len()).unwrap_or(i64::MAX);
    let first = i64::try_from(first).unwrap_or(i64::MAX);
    let power = int_len
        .saturating_sub(first)
        .saturating_sub(1)
        .saturating_add(exponent);
    match power.cmp(&308) {
        std::cmp::Ordering::Less => false,
        std::cmp::Ordering::Greater => true,
        std::cmp::Ordering::Equal => digits >= F64_OVERFLOW_DIGITS,
    }
}

/// Whether a byte ends a run of plain string bytes: `"`, `\\` or a control
/// character.
fn ends_run(b: u8) -> bool {
    b == b'"' || b == b'\\' || b < 0x20
}

/// The position of the first byte that [`ends_run`], 8 bytes at a time: a
/// word holds such a byte exactly when one of the classic "has a zero byte"
/// tests fires for `w ^ "..."`, `w ^ "\\..."` or `w - 0x20...` (no false
/// negatives; a false positive only sends that word to the byte loop). The
/// plain byte loop, [`string_end_plain`], is the reference the tests hold it
/// to. Long strings (base64 images) are most of a response body.
fn string_end(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const QUOTES: u64 = ONES * b'"' as u64;
    const BACKSLASHES: u64 = ONES * b'\\' as u64;
    const SPACES: u64 = ONES * 0x20;
    let mut start = 0;
    for chunk in bytes.chunks_exact(8) {
        let Ok(word) = <[u8; 8]>::try_from(chunk) else {
            break;
        };
        let w = u64::from_le_bytes(word);
        let quote = w ^ QUOTES;
        let backslash = w ^ BACKSLASHES;
        let hits = (quote.wrapping_sub(ONES) & !quote)
            | (backslash.wrapping_sub(ONES) & !backslash)
            | (w.wrapping_sub(SPACES) & !w);
        if hits & HIGH != 0 {
            break;
        }
        start += 8;
    }
    string_end_plain(bytes.get(start..).unwrap_or_default()).map(|i| i + start)
}

/// The position of the first byte that [`ends_run`], one byte at a time.
fn string_end_plain(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| ends_run(b))
}

struct Parser<'a> {
    bytes: &'a [u8],
    text: &'a str,
    pos: usize,
    /// Nesting levels left before the limit.
    depth: usize,
}

impl Parser<'_> {
    /// The error with its line and column, `end` being the count of bytes
    /// read when it was found (the offending byte included).
    fn error_at(&self, end: usize, message: &'static str) -> SyntaxError {
        let end = end.min(self.bytes.len());
        let before = &self.bytes[..end];
        let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        SyntaxError {
            message,
            line,
            column: end - line_start,
        }
    }

    /// The error at the byte about to be read (counted as read).
    fn error_here(&self, message: &'static str) -> SyntaxError {
        self.error_at(self.pos + 1, message)
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    fn value(&mut self) -> Result<Json, SyntaxError> {
        self.skip_whitespace();
        match self.peek() {
            None => Err(self.error_at(self.pos, "EOF while parsing a value")),
            Some(b'n') => self.literal(b"null", Json::Null),
            Some(b't') => self.literal(b"true", Json::Bool(true)),
            Some(b'f') => self.literal(b"false", Json::Bool(false)),
            Some(b'"') => {
                self.pos += 1;
                self.string().map(Json::String)
            }
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b'[') => self.array(),
            Some(b'{') => self.object(),
            Some(_) => Err(self.error_here("expected value")),
        }
    }

    fn literal(&mut self, word: &[u8], value: Json) -> Result<Json, SyntaxError> {
        // The first byte is known to match.
        self.pos += 1;
        for &expected in &word[1..] {
            match self.peek() {
                None => return Err(self.error_at(self.pos, "EOF while parsing a value")),
                Some(b) if b == expected => self.pos += 1,
                Some(_) => return Err(self.error_here("expected ident")),
            }
        }
        Ok(value)
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
        self.pos - start
    }

    fn number(&mut self) -> Result<Json, SyntaxError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => {
                self.pos += 1;
                if let Some(b'0'..=b'9') = self.peek() {
                    return Err(self.error_here("invalid number"));
                }
            }
            Some(b'1'..=b'9') => {
                self.digits();
            }
            None => return Err(self.error_at(self.pos, "EOF while parsing a value")),
            Some(_) => return Err(self.error_here("invalid number")),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if self.digits() == 0 {
                return Err(match self.peek() {
                    None => self.error_at(self.pos, "EOF while parsing a value"),
                    Some(_) => self.error_here("invalid number"),
                });
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return Err(match self.peek() {
                    None => self.error_at(self.pos, "EOF while parsing a value"),
                    Some(_) => self.error_here("invalid number"),
                });
            }
        }
        let text = &self.text[start..self.pos];
        if overflows_f64(text) {
            return Err(self.error_at(self.pos, "number out of range"));
        }
        Ok(Json::Number(Number::from_checked_text(text)))
    }

    /// The rest of a string whose opening quote was read.
    fn string(&mut self) -> Result<String, SyntaxError> {
        let mut out = String::new();
        loop {
            let run_start = self.pos;
            let rest = self.bytes.get(self.pos..).unwrap_or_default();
            self.pos += string_end(rest).unwrap_or(rest.len());
            // Stops only at ASCII bytes, so the run is whole characters.
            out.push_str(&self.text[run_start..self.pos]);
            match self.peek() {
                None => return Err(self.error_at(self.pos, "EOF while parsing a string")),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.pos += 1;
                    self.escape(&mut out)?;
                }
                Some(_) => {
                    return Err(self.error_here(
                        "control character (\\u0000-\\u001F) found while parsing a string",
                    ));
                }
            }
        }
    }

    fn escape(&mut self, out: &mut String) -> Result<(), SyntaxError> {
        let Some(b) = self.peek() else {
            return Err(self.error_at(self.pos, "EOF while parsing a string"));
        };
        self.pos += 1;
        let c = match b {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => self.unicode_escape()?,
            _ => return Err(self.error_at(self.pos, "invalid escape")),
        };
        out.push(c);
        Ok(())
    }

    fn hex4(&mut self) -> Result<u16, SyntaxError> {
        let Some(digits) = self.bytes.get(self.pos..self.pos + 4) else {
            self.pos = self.bytes.len();
            return Err(self.error_at(self.pos, "EOF while parsing a string"));
        };
        self.pos += 4;
        let mut n: u16 = 0;
        for &b in digits {
            let digit = match b {
                b'0'..=b'9' => b - b'0',
                b'a'..=b'f' => b - b'a' + 10,
                b'A'..=b'F' => b - b'A' + 10,
                _ => return Err(self.error_at(self.pos, "invalid escape")),
            };
            n = (n << 4) | u16::from(digit);
        }
        Ok(n)
    }

    /// The character of a `\uXXXX` escape (a surrogate pair takes two).
    fn unicode_escape(&mut self) -> Result<char, SyntaxError> {
        let first = self.hex4()?;
        let code = match first {
            0xDC00..=0xDFFF => {
                return Err(self.error_at(self.pos, "lone leading surrogate in hex escape"));
            }
            0xD800..=0xDBFF => {
                if self.bytes.get(self.pos..self.pos + 2) != Some(b"\\u") {
                    return Err(self.error_at(
                        (self.pos + 1).min(self.bytes.len()),
                        "unexpected end of hex escape",
                    ));
                }
                self.pos += 2;
                let second = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return Err(self.error_at(self.pos, "lone leading surrogate in hex escape"));
                }
                0x10000 + ((u32::from(first) - 0xD800) << 10) + (u32::from(second) - 0xDC00)
            }
            other => u32::from(other),
        };
        char::from_u32(code).ok_or_else(|| self.error_at(self.pos, "invalid unicode code point"))
    }

    /// Enters one nesting level after reading `[` or `{`.
    fn enter(&mut self) -> Result<(), SyntaxError> {
        self.depth -= 1;
        if self.depth == 0 {
            return Err(self.error_at(self.pos, "recursion limit exceeded"));
        }
        Ok(())
    }

    fn array(&mut self) -> Result<Json, SyntaxError> {
        self.pos += 1;
        self.enter()?;
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.peek().is_none() {
            return Err(self.error_at(self.pos, "EOF while parsing a list"));
        }
        if self.peek() == Some(b']') {
            self.pos += 1;
            self.depth += 1;
            return Ok(Json::Array(items));
        }
        loop {
            items.push(self.value()?);
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => {
                    self.pos += 1;
                    self.skip_whitespace();
                    if self.peek() == Some(b']') {
                        return Err(self.error_here("trailing comma"));
                    }
                }
                Some(b']') => {
                    self.pos += 1;
                    self.depth += 1;
                    return Ok(Json::Array(items));
                }
                None => return Err(self.error_at(self.pos, "EOF while parsing a list")),
                Some(_) => return Err(self.error_here("expected `,` or `]`")),
            }
        }
    }

    fn object(&mut self) -> Result<Json, SyntaxError> {
        self.pos += 1;
        self.enter()?;
        let mut members = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            self.depth += 1;
            return Ok(Json::Object(members));
        }
        loop {
            match self.peek() {
                Some(b'"') => self.pos += 1,
                None => return Err(self.error_at(self.pos, "EOF while parsing an object")),
                Some(_) => return Err(self.error_here("key must be a string")),
            }
            let key = self.string()?;
            self.skip_whitespace();
            match self.peek() {
                Some(b':') => self.pos += 1,
                None => return Err(self.error_at(self.pos, "EOF while parsing an object")),
                Some(_) => return Err(self.error_here("expected `:`")),
            }
            let value = self.value()?;
            members.push((key, value));
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => {
                    self.pos += 1;
                    self.skip_whitespace();
                    match self.peek() {
                        Some(b'}') => return Err(self.error_here("trailing comma")),
                        // serde_json words an end after a comma this way.
                        None => return Err(self.error_at(self.pos, "EOF while parsing a value")),
                        _ => {}
                    }
                }
                Some(b'}') => {
                    self.pos += 1;
                    self.depth += 1;
                    return Ok(Json::Object(members));
                }
                None => return Err(self.error_at(self.pos, "EOF while parsing an object")),
                Some(_) => return Err(self.error_here("expected `,` or `}`")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// The tree as `serde_json::Value`, for comparing with `serde_json`'s parse
    /// (objects keep the last of duplicate keys, as `serde_json` does).
    fn to_serde(value: &Json) -> serde_json::Value {
        match value {
            Json::Null => serde_json::Value::Null,
            Json::Bool(b) => serde_json::Value::Bool(*b),
            Json::Number(n) => {
                serde_json::from_str(n.text()).unwrap_or_else(|e| panic!("{}: {e}", n.text()))
            }
            Json::String(s) => serde_json::Value::String(s.clone()),
            Json::Array(items) => serde_json::Value::Array(items.iter().map(to_serde).collect()),
            Json::Object(members) => serde_json::Value::Object(
                members
                    .iter()
                    .map(|(k, v)| (k.clone(), to_serde(v)))
                    .collect(),
            ),
        }
    }

    /// Both parsers accept the text with the same value, or both refuse it
    /// with the same message and position.
    #[track_caller]
    fn agrees(text: &str) {
        let ours = parse(text).map(|v| to_serde(&v)).map_err(|e| e.to_string());
        let theirs = serde_json::from_str::<serde_json::Value>(text).map_err(|e| e.to_string());
        assert_eq!(ours, theirs, "parsing {text:?}");
    }

    #[test]
    fn values_parse_as_serde_json_parses_them() {
        for text in [
            "null",
            " true ",
            "false",
            "0",
            "-0",
            "12",
            "-12",
            "1.5",
            "-1.25e-3",
            "2E+8",
            "18446744073709551615",
            "18446744073709551616",
            "-9223372036854775808",
            "\"\"",
            "\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"",
            "\"\\u00e9\\ud83d\\ude00\"",
            "\"é😀\"",
            "[]",
            "[1,[2,[3]],{}]",
            "{}",
            "{\"a\":1,\"b\":[true,null],\"a\":2}",
            " {\n \"k\" : \"v\" \n} ",
        ] {
            agrees(text);
        }
    }

    #[test]
    fn errors_read_as_serde_json_words_them() {
        for text in [
            "",
            " ",
            "x",
            "nul",
            "nulx",
            "tru",
            "[",
            "[1",
            "[1,",
            "[1,]",
            "[1 2]",
            "{",
            "{\"a\"",
            "{\"a\" 1}",
            "{\"a\":",
            "{\"a\":1",
            "{\"a\":1,}",
            "{\"a\":1,",
            "{\"a\":1, ",
            "{\"a\":1 \"b\":2}",
            "{1:2}",
            "\"abc",
            "\"a\\x\"",
            "\"a\\u12G4\"",
            "\"\\udc00\"",
            "\"\\ud800\"",
            "\"\\ud800\\u0041\"",
            "\"a\u{1}b\"",
            "01",
            "-",
            "-x",
            "1.",
            "1.x",
            "1e",
            "1e+",
            "1ex",
            "[1]x",
            "{}\n  }",
            "\n\n  [1,\n  2,\n  x]",
            "{\"model\": ",
            "8E725]",
            "1e309",
            "-1e309",
            "1.7976931348623157e308",
            "0.0001e312",
            "0e99999999999999999999999",
            "1e-99999999999999999999",
            "100e306",
            "[1e400]",
        ] {
            agrees(text);
        }
    }

    /// The overflow bound is exact (IEEE round-to-nearest): `serde_json`'s
    /// default float parser is not, and refuses a few values just below it
    /// (`1.7976931348623158e308`, which rounds to `f64::MAX`).
    #[test]
    fn numbers_overflow_exactly_where_an_f64_rounds_to_infinity() {
        let halfway = std::str::from_utf8(F64_OVERFLOW_DIGITS).unwrap();
        let below = format!("{}1{}", &halfway[..halfway.len() - 1], "9".repeat(20));
        assert!(parse(&format!("0.{below}e309")).is_ok());
        assert!(parse("1.7976931348623158e308").is_ok());
        assert!(
            parse(&format!("{halfway}e-3")).is_ok(),
            "e-3 puts it at 1e305"
        );
        assert!(parse(&format!("0.{halfway}e309")).is_err());
        assert!(parse(&format!("-{halfway}0e-1")).is_err());
        assert_eq!(
            parse("[1e309]").unwrap_err().to_string(),
            "number out of range at line 1 column 6"
        );
    }

    #[test]
    fn nesting_stops_at_serde_json_s_recursion_limit() {
        agrees(&format!("{}{}", "[".repeat(127), "]".repeat(127)));
        agrees(&"[".repeat(128));
        agrees(&format!("{{\"prompt\": {}", "[".repeat(200)));
        agrees(&"{\"a\":".repeat(130));
    }

    #[test]
    fn writing_gives_back_compact_text_that_reads_the_same() {
        let text = r#"{ "a" : [1, -2.50, "x\u0001\"y"], "b": {"c": null, "d": true} }"#;
        let tree = parse(text).unwrap();
        assert_eq!(
            tree.to_string(),
            r#"{"a":[1,-2.50,"x\u0001\"y"],"b":{"c":null,"d":true}}"#
        );
        assert_eq!(parse(&tree.to_string()).unwrap(), tree);
    }

    #[test]
    fn the_word_scan_finds_every_run_end_where_the_byte_loop_does() {
        for special in [b'"', b'\\', 0x00, 0x1f, b'\n'] {
            for len in 0..40 {
                for at in 0..len {
                    let mut bytes = vec![b'a'; len];
                    bytes[at] = special;
                    assert_eq!(string_end(&bytes), Some(at), "{special} at {at} of {len}");
                }
                assert_eq!(string_end(&vec![b'a'; len]), None);
            }
        }
        // Bytes next to the special values, and every high byte, are plain.
        let plain: Vec<u8> = (0x20..=0xffu8)
            .filter(|&b| b != b'"' && b != b'\\')
            .collect();
        assert_eq!(string_end(&plain), None);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(5_000))]

        #[test]
        fn the_word_scan_agrees_with_the_byte_loop(
            bytes in prop::collection::vec(
                prop_oneof![4 => 0x20u8..=0xff, 1 => Just(b'"'), 1 => Just(b'\\'), 1 => 0u8..0x20],
                0..64,
            ),
        ) {
            prop_assert_eq!(string_end(&bytes), string_end_plain(&bytes));
        }

        #[test]
        fn any_text_parses_as_serde_json_parses_it(text in "[\\[\\]{}\",:0-9.eE+\\- a-z\\\\\n]{0,24}") {
            agrees(&text);
        }

        #[test]
        fn serde_json_output_reads_back(value in any_json()) {
            let text = serde_json::to_string(&value).unwrap();
            let ours = parse(&text).unwrap();
            prop_assert_eq!(to_serde(&ours), value);
            prop_assert_eq!(ours.to_string(), text);
        }
    }

    fn any_json() -> impl Strategy<Value = serde_json::Value> {
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::Bool),
            any::<i64>().prop_map(serde_json::Value::from),
            any::<u64>().prop_map(serde_json::Value::from),
            "\\PC{0,8}".prop_map(serde_json::Value::String),
            "[\\x00-\\x1f\"\\\\]{0,4}".prop_map(serde_json::Value::String),
        ];
        leaf.prop_recursive(4, 32, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::Array),
                prop::collection::btree_map("[a-z]{0,3}", inner, 0..6)
                    .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
            ]
        })
    }
}
