//! Shared text helpers: serde through `FromStr`/`Display`, so JSON, the CLI and
//! WASM all use one spelling per type.

/// Implements `Serialize` with `Display` and `Deserialize` with `FromStr`.
macro_rules! serde_via_str {
    ($ty:ty) => {
        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }

        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct Visitor;
                impl serde::de::Visitor<'_> for Visitor {
                    type Value = $ty;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(concat!("a string naming a ", stringify!($ty)))
                    }
                    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<$ty, E> {
                        v.parse::<$ty>().map_err(E::custom)
                    }
                }
                deserializer.deserialize_str(Visitor)
            }
        }
    };
}
pub(crate) use serde_via_str;

/// The error for a word that is not one of an enum's names.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{what} {value:?} is not one of {expected}")]
pub struct ParseNameError {
    /// What was being parsed (`quality`, `background`, ...).
    pub what: &'static str,
    /// The text as given.
    pub value: String,
    /// The accepted names, quoted and comma separated.
    pub expected: String,
}

/// Quotes and joins names: `"low", "medium", "high"`.
pub(crate) fn quote_list<I, T>(items: I) -> String
where
    I: IntoIterator<Item = T>,
    T: std::fmt::Display,
{
    use std::fmt::Write as _;
    let items = items.into_iter();
    // About 12 bytes per item ("1024x1024", quoted, and the separator).
    let mut out = String::with_capacity(items.size_hint().0.saturating_mul(14));
    for (i, item) in items.enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        // Writing to a `String` cannot fail.
        let _ = write!(out, "\"{item}\"");
    }
    out
}

/// Defines a `#[non_exhaustive]` vendor enum whose names come from strum,
/// with `FromStr` errors that list the accepted names and serde through text.
macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        $name:ident, $what:literal {
            $( $(#[$vmeta:meta])* $variant:ident = $text:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord,
            strum::Display, strum::IntoStaticStr, strum::EnumString, strum::VariantArray,
        )]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* #[strum(serialize = $text)] $variant, )+
        }

        impl $name {
            /// The wire name, as OpenAI spells it.
            pub fn as_str(self) -> &'static str {
                self.into()
            }

            /// Parses a wire name, listing the accepted names on failure.
            ///
            /// # Errors
            /// [`ParseNameError`](crate::ParseNameError) when `s` is not a name of this enum.
            pub fn parse_name(s: &str) -> Result<Self, $crate::text::ParseNameError> {
                <$name as std::str::FromStr>::from_str(s).map_err(|_| $crate::text::ParseNameError {
                    what: $what,
                    value: $crate::text::prefix(s, 64).to_owned(),
                    expected: $crate::text::quote_list(
                        <$name as strum::VariantArray>::VARIANTS.iter(),
                    ),
                })
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
                $name::parse_name(&text).map_err(serde::de::Error::custom)
            }
        }
    };
}
pub(crate) use wire_enum;

/// Writes a whole number with thousands separators: `8,294,400`.
pub(crate) fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The first characters of a long text, for quoting in a message: the
/// text itself when it has at most `max_chars` characters, else its first
/// `max_chars` and `...`.
pub(crate) fn excerpt(text: &str, max_chars: usize) -> String {
    match prefix(text, max_chars) {
        cut if cut.len() < text.len() => format!("{cut}..."),
        _ => text.to_owned(),
    }
}

/// The first `max_chars` characters of `text` (all of it when shorter).
pub(crate) fn prefix(text: &str, max_chars: usize) -> &str {
    text.char_indices()
        .nth(max_chars)
        .map_or(text, |(end, _)| &text[..end])
}

/// Calls `$callback!` with every enum that mirrors a vendor's list, so the
/// `proptest` and `arbitrary` impls name them in one place.
#[cfg(any(feature = "proptest", feature = "arbitrary"))]
macro_rules! with_wire_enums {
    ($callback:ident) => {
        $callback!(
            Severity,
            Kind,
            Family,
            Quality,
            Background,
            OutputFormat,
            Moderation,
            ResponseFormat,
            Style,
            Tier,
            ModelIn,
            NType,
            ResponseShape,
            UnknownFields,
            Support,
            ParamType,
            Effect,
            ModelState,
            Orientation,
            RuleBreak,
        );
    };
}
#[cfg(any(feature = "proptest", feature = "arbitrary"))]
pub(crate) use with_wire_enums;
