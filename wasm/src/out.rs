//! A small JSON writer for the bindings' answers.
//!
//! It writes compact JSON text exactly as `serde_json::to_string` writes the
//! same data: no whitespace, strings escaped by the crate's
//! `wire::escape_json` (serde_json's escaping: `\"`, `\\`, `\b`, `\f`, `\n`,
//! `\r`, `\t`, other control characters as `\u00xx` in lowercase hex,
//! everything else as is), integers in decimal, `f64`s by the `zmij`
//! crate serde_json prints them with (`null` when not finite). Keeping
//! serde_json's serializer, serde's derived code and one serialize function
//! per type out of the WebAssembly module is the point; the tests hold every
//! answer to serde_json's text.
//!
//! Commas are placed by looking at the last byte written: a key or a value
//! that follows anything but `{`, `[` or a key's `:` gets one. That holds
//! because no value ends in one of those bytes (strings end in `"`).

use std::fmt::{self, Write as _};

use gpt_image_plan::wire::escape_json;

/// JSON text being written: objects, lists, keys and values in order.
/// `out.begin().key("id").str("a\"b").key("n").uint(3).end()` writes
/// `{"id":"a\"b","n":3}`.
#[derive(Debug)]
pub(crate) struct Out(String);

impl Default for Out {
    /// An empty text with room for a small answer (as serde_json starts).
    fn default() -> Self {
        Out(String::with_capacity(128))
    }
}

impl Out {
    /// The text written.
    pub(crate) fn finish(self) -> String {
        self.0
    }

    /// A comma unless this is the first item of an object or list, or the
    /// value of a key.
    fn comma(&mut self) {
        if !matches!(self.0.as_bytes().last(), None | Some(b'{' | b'[' | b':')) {
            self.0.push(',');
        }
    }

    /// Opens an object.
    pub(crate) fn begin(&mut self) -> &mut Self {
        self.comma();
        self.0.push('{');
        self
    }

    /// Closes an object.
    pub(crate) fn end(&mut self) -> &mut Self {
        self.0.push('}');
        self
    }

    /// Opens a list.
    pub(crate) fn begin_list(&mut self) -> &mut Self {
        self.comma();
        self.0.push('[');
        self
    }

    /// Closes a list.
    pub(crate) fn end_list(&mut self) -> &mut Self {
        self.0.push(']');
        self
    }

    /// A member's key; the value written next is its value. Keys are the
    /// bindings' own names, which need no escaping.
    pub(crate) fn key(&mut self, key: &str) -> &mut Self {
        self.comma();
        self.0.push('"');
        self.0.push_str(key);
        self.0.push_str("\":");
        self
    }

    /// A string value.
    pub(crate) fn str(&mut self, text: &str) -> &mut Self {
        self.comma();
        self.0.push('"');
        escape_json(&mut self.0, text);
        self.0.push('"');
        self
    }

    /// A value written by its `Display` as a string, as serde's
    /// `collect_str` does (sizes, ratios, dates, amounts, codes).
    pub(crate) fn text(&mut self, value: &dyn fmt::Display) -> &mut Self {
        self.comma();
        self.0.push('"');
        // Writing to a `String` cannot fail; an `Err` could only come from
        // the value's own `Display`, and what it wrote until then stays.
        let _ = write!(Escaped(&mut self.0), "{value}");
        self.0.push('"');
        self
    }

    /// A string value, or `null`.
    pub(crate) fn opt_str(&mut self, text: Option<&str>) -> &mut Self {
        match text {
            Some(text) => self.str(text),
            None => self.null(),
        }
    }

    /// A value written by its `Display` as a string, or `null`.
    pub(crate) fn opt_text(&mut self, value: Option<&dyn fmt::Display>) -> &mut Self {
        match value {
            Some(value) => self.text(value),
            None => self.null(),
        }
    }

    /// `true` or `false`.
    pub(crate) fn bool(&mut self, value: bool) -> &mut Self {
        self.comma();
        self.0.push_str(if value { "true" } else { "false" });
        self
    }

    /// `true`, `false` or `null`.
    pub(crate) fn opt_bool(&mut self, value: Option<bool>) -> &mut Self {
        match value {
            Some(value) => self.bool(value),
            None => self.null(),
        }
    }

    /// `null`.
    pub(crate) fn null(&mut self) -> &mut Self {
        self.comma();
        self.0.push_str("null");
        self
    }

    /// A whole number in decimal.
    pub(crate) fn uint(&mut self, value: u64) -> &mut Self {
        self.comma();
        digits(&mut self.0, value);
        self
    }

    /// A whole number in decimal, or `null`.
    pub(crate) fn opt_uint(&mut self, value: Option<u64>) -> &mut Self {
        match value {
            Some(value) => self.uint(value),
            None => self.null(),
        }
    }

    /// A float as serde_json writes it: the shortest text that reads back
    /// as the same `f64` (`0.0`, `0.5108256237659907`, `1e-7`), by the same
    /// `zmij` crate; `null` when it is not finite.
    pub(crate) fn float(&mut self, value: f64) -> &mut Self {
        if !value.is_finite() {
            return self.null();
        }
        self.comma();
        self.0.push_str(zmij::Buffer::new().format_finite(value));
        self
    }

    /// A float as [`float`](Self::float) writes it, or `null`.
    pub(crate) fn opt_float(&mut self, value: Option<f64>) -> &mut Self {
        match value {
            Some(value) => self.float(value),
            None => self.null(),
        }
    }
}

/// Appends the decimal digits of `value`.
fn digits(out: &mut String, value: u64) {
    if value >= 10 {
        digits(out, value / 10);
    }
    // `value % 10` is a digit, so the byte is one of `0`..`9`.
    out.push(char::from(b'0' + (value % 10) as u8));
}

/// A `fmt::Write` that escapes what is written into it, for [`Out::text`].
struct Escaped<'a>(&'a mut String);

impl fmt::Write for Escaped<'_> {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        escape_json(self.0, text);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn objects_and_lists_get_commas_between_items_only() {
        let mut out = Out::default();
        out.begin()
            .key("a")
            .begin_list()
            .uint(1)
            .begin()
            .end()
            .begin_list()
            .end_list()
            .str("")
            .null()
            .bool(true)
            .end_list()
            .key("b")
            .begin()
            .key("c")
            .bool(false)
            .end()
            .key("d")
            .opt_str(None)
            .end();
        assert_eq!(
            out.finish(),
            r#"{"a":[1,{},[],"",null,true],"b":{"c":false},"d":null}"#
        );
    }

    #[track_caller]
    fn one(write: impl FnOnce(&mut Out)) -> String {
        let mut out = Out::default();
        write(&mut out);
        out.finish()
    }

    #[test]
    fn numbers_are_written_as_serde_json_writes_them() {
        for n in [0, 1, 9, 10, 99, 100, 3840, u64::from(u32::MAX), u64::MAX] {
            assert_eq!(
                one(|o| {
                    o.uint(n);
                }),
                serde_json::to_string(&n).unwrap()
            );
        }
        for x in [
            0.0,
            -0.0,
            1.0,
            0.5,
            1e-7,
            1e21,
            0.1 + 0.2,
            f64::MIN_POSITIVE,
            f64::MAX,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ] {
            assert_eq!(
                one(|o| {
                    o.float(x);
                }),
                serde_json::to_string(&x).unwrap()
            );
        }
    }

    proptest! {
        #[test]
        fn strings_are_escaped_as_serde_json_escapes_them(
            text in "(\\PC|[\\x00-\\x1f\"\\\\\\x7f\u{80}-\u{10ffff}]){0,24}",
        ) {
            prop_assert_eq!(one(|o| { o.str(&text); }), serde_json::to_string(&text).unwrap());
            prop_assert_eq!(
                one(|o| { o.text(&text); }),
                serde_json::to_string(&text).unwrap()
            );
        }

        #[test]
        fn any_string_is_escaped_as_serde_json_escapes_it(text in any::<String>()) {
            prop_assert_eq!(one(|o| { o.str(&text); }), serde_json::to_string(&text).unwrap());
        }

        #[test]
        fn any_number_is_written_as_serde_json_writes_it(n in any::<u64>(), bits in any::<u64>()) {
            prop_assert_eq!(one(|o| { o.uint(n); }), serde_json::to_string(&n).unwrap());
            let x = f64::from_bits(bits);
            prop_assert_eq!(one(|o| { o.float(x); }), serde_json::to_string(&x).unwrap());
        }
    }
}
