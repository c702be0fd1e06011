//! The enumerated request parameters, spelled as OpenAI's wire names.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer, de};

use crate::text::wire_enum;

wire_enum! {
    /// `quality`: how much work goes into the image.
    ///
    /// ```
    /// use gpt_image_plan::Quality;
    /// assert_eq!("high".parse::<Quality>().unwrap(), Quality::High);
    /// assert_eq!(Quality::Hd.to_string(), "hd");
    /// ```
    Quality, "quality" {
        /// `low`: fastest and cheapest (GPT image models).
        Low = "low",
        /// `medium` (GPT image models).
        Medium = "medium",
        /// `high`: slowest and most expensive (GPT image models).
        High = "high",
        /// `auto`: the model chooses (GPT image models; the default).
        Auto = "auto",
        /// `standard` (dall-e-2, dall-e-3).
        Standard = "standard",
        /// `hd` (dall-e-3).
        Hd = "hd",
        /// `xhigh` (some newer GPT image models).
        Xhigh = "xhigh",
        /// `max` (some newer GPT image models).
        Max = "max",
    }
}

wire_enum! {
    /// `background`: whether the image may be transparent.
    Background, "background" {
        /// `transparent`: needs an output format with alpha (png or webp).
        Transparent = "transparent",
        /// `opaque`.
        Opaque = "opaque",
        /// `auto`: the model chooses (the default).
        Auto = "auto",
    }
}

wire_enum! {
    /// `output_format`: the image file format.
    OutputFormat, "output_format" {
        /// `png` (the default).
        Png = "png",
        /// `jpeg`.
        Jpeg = "jpeg",
        /// `webp`.
        Webp = "webp",
    }
}

wire_enum! {
    /// `moderation`: how strict content moderation is.
    Moderation, "moderation" {
        /// `low`: a more permissive policy.
        Low = "low",
        /// `auto`: the standard policy (the default).
        Auto = "auto",
    }
}

wire_enum! {
    /// `response_format`: how images come back.
    ResponseFormat, "response_format" {
        /// `url`: a temporary URL.
        Url = "url",
        /// `b64_json`: base64 image data inside the JSON.
        B64Json = "b64_json",
    }
}

wire_enum! {
    /// `style` (dall-e-3 only).
    Style, "style" {
        /// `vivid`: hyper-real and dramatic.
        Vivid = "vivid",
        /// `natural`: less hyper-real.
        Natural = "natural",
    }
}

wire_enum! {
    /// A size tier as resellers name them.
    Tier, "tier" {
        /// `1K`.
        K1 = "1K",
        /// `2K`.
        K2 = "2K",
        /// `4K`.
        K4 = "4K",
    }
}

impl Tier {
    /// The long edge the planner aims for at this tier: 1024, 2048 or 3840 px.
    pub const fn long_edge(self) -> u32 {
        match self {
            Tier::K1 => 1024,
            Tier::K2 => 2048,
            Tier::K4 => 3840,
        }
    }
}

/// The value of a request parameter, as JSON gives it: a string, a whole
/// number (0 to 2^32 - 1) or a boolean.
///
/// A parameter's type, allowed values and limits are data (the catalog's
/// `parameters` and each model's `rules.params`), so a value no enum of this
/// crate knows (`"xhigh"` before the crate knew it, `"gif"`) is kept as text
/// and judged by the data. The enums ([`Quality`], [`OutputFormat`], ...)
/// convert into values as conveniences.
///
/// ```
/// use gpt_image_plan::{ParamValue, Quality};
/// assert_eq!(ParamValue::from(Quality::High), ParamValue::Text("high".into()));
/// assert_eq!(ParamValue::from(3u32).to_string(), "3");
/// let v: ParamValue = serde_json::from_str("\"gif\"").unwrap();
/// assert_eq!(v.as_text(), Some("gif"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ParamValue {
    /// `true` or `false`.
    Bool(bool),
    /// A whole number.
    Int(u32),
    /// A string.
    Text(String),
}

impl ParamValue {
    /// The text, when this is a string.
    pub fn as_text(&self) -> Option<&str> {
        match self {
            ParamValue::Text(s) => Some(s),
            _ => None,
        }
    }

    /// The number, when this is one.
    pub fn as_int(&self) -> Option<u32> {
        match self {
            ParamValue::Int(n) => Some(*n),
            _ => None,
        }
    }

    /// The boolean, when this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            ParamValue::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The JSON type's name, for messages: `a string`, `an integer`, `a boolean`.
    pub(crate) fn type_name(&self) -> &'static str {
        match self {
            ParamValue::Bool(_) => "a boolean",
            ParamValue::Int(_) => "an integer",
            ParamValue::Text(_) => "a string",
        }
    }

    /// The value as JSON writes it: strings quoted, numbers and booleans bare.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            ParamValue::Bool(b) => (*b).into(),
            ParamValue::Int(n) => (*n).into(),
            ParamValue::Text(s) => s.as_str().into(),
        }
    }

    /// The value as a message shows it: like JSON, strings in quotes.
    pub(crate) fn shown(&self) -> String {
        match self {
            ParamValue::Text(s) => format!("\"{}\"", crate::text::excerpt(s, 32)),
            other => other.to_string(),
        }
    }
}

impl fmt::Display for ParamValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParamValue::Bool(b) => b.fmt(f),
            ParamValue::Int(n) => n.fmt(f),
            ParamValue::Text(s) => f.pad(s),
        }
    }
}

impl From<bool> for ParamValue {
    fn from(b: bool) -> Self {
        ParamValue::Bool(b)
    }
}

impl From<u32> for ParamValue {
    fn from(n: u32) -> Self {
        ParamValue::Int(n)
    }
}

impl From<&str> for ParamValue {
    fn from(s: &str) -> Self {
        ParamValue::Text(s.to_owned())
    }
}

impl From<String> for ParamValue {
    fn from(s: String) -> Self {
        ParamValue::Text(s)
    }
}

macro_rules! value_from_enum {
    ($($t:ty),*) => {$(
        impl From<$t> for ParamValue {
            fn from(v: $t) -> Self {
                ParamValue::Text(<&'static str>::from(v).to_owned())
            }
        }
        impl PartialEq<$t> for ParamValue {
            fn eq(&self, other: &$t) -> bool {
                self.as_text() == Some(<&'static str>::from(*other))
            }
        }
    )*};
}
value_from_enum!(
    Quality,
    Background,
    OutputFormat,
    Moderation,
    ResponseFormat,
    Style
);

impl Serialize for ParamValue {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            ParamValue::Bool(b) => serializer.serialize_bool(*b),
            ParamValue::Int(n) => serializer.serialize_u32(*n),
            ParamValue::Text(s) => serializer.serialize_str(s),
        }
    }
}

impl<'de> Deserialize<'de> for ParamValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl de::Visitor<'_> for V {
            type Value = ParamValue;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string, a whole number from 0 to 4294967295 or a boolean")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<ParamValue, E> {
                Ok(ParamValue::Bool(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<ParamValue, E> {
                u32::try_from(v)
                    .map(ParamValue::Int)
                    .map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &self))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<ParamValue, E> {
                u32::try_from(v)
                    .map(ParamValue::Int)
                    .map_err(|_| E::invalid_value(de::Unexpected::Signed(v), &self))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<ParamValue, E> {
                Ok(ParamValue::Text(v.to_owned()))
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// A request's parameters other than `model`, `prompt`, `n` and `size`, in
/// the order given, each name once.
///
/// ```
/// use gpt_image_plan::{Params, ParamValue, Quality};
/// let mut p = Params::default();
/// p.set("quality", Quality::High);
/// p.set("frame_count", 9u32);
/// p.set("quality", "xhigh");
/// assert_eq!(p.get("quality"), Some(&ParamValue::Text("xhigh".into())));
/// assert_eq!(p.iter().map(|(k, _)| k).collect::<Vec<_>>(), ["quality", "frame_count"]);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Params(Vec<(String, ParamValue)>);

impl Params {
    /// The value of `name`, if given.
    pub fn get(&self, name: &str) -> Option<&ParamValue> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }

    /// Sets `name`, in its place when already given, else at the end.
    pub fn set(&mut self, name: impl Into<String>, value: impl Into<ParamValue>) {
        let name = name.into();
        let value = value.into();
        match self.0.iter_mut().find(|(k, _)| *k == name) {
            Some(slot) => slot.1 = value,
            None => self.0.push((name, value)),
        }
    }

    /// Removes `name`, returning its value.
    pub fn remove(&mut self, name: &str) -> Option<ParamValue> {
        let i = self.0.iter().position(|(k, _)| k == name)?;
        Some(self.0.remove(i).1)
    }

    /// The parameters in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &ParamValue)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// How many are given.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether none is given.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<K: Into<String>, V: Into<ParamValue>> FromIterator<(K, V)> for Params {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut p = Params::default();
        for (k, v) in iter {
            p.set(k, v);
        }
        p
    }
}

impl Serialize for Params {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

impl<'de> Deserialize<'de> for Params {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> de::Visitor<'de> for V {
            type Value = Params;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of parameters")
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Params, A::Error> {
                let mut p = Params::default();
                while let Some((k, v)) = map.next_entry::<String, ParamValue>()? {
                    p.set(k, v);
                }
                Ok(p)
            }
        }
        deserializer.deserialize_map(V)
    }
}
