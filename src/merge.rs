//! Layering partial JSON over a base: how a profile says "like the catalog
//! model, except ...". Objects merge key by key; everything else replaces.
//!
//! The merged [`Value`] is then read into typed rules by [`FromValue`], a
//! hand-written reader that behaves exactly as `serde_json::from_value` with
//! the derived `Deserialize` impls: same results, same error messages, same
//! first error. It exists for size: the derived impls instantiated for the
//! `Value` deserializer were about 58 KB of the WebAssembly module, this
//! reader is about 20 KB. The derived impls stay the public API and the
//! reference: property tests check the two agree on mutated documents.

use serde::Deserialize;
use serde::de::{Error as _, Unexpected};
use serde_json::{Error, Value};

use crate::diag::Field;
use crate::model::{Catalog, Date, Family, Lifecycle, ModelId, ModelSpec};
use crate::params::{Background, Moderation, OutputFormat, Quality, ResponseFormat, Style, Tier};
use crate::rules::{
    CompressionElsewhere, CompressionRule, Defaults, FlagRule, IntRule, ModelRules, NLimits,
    ParamRule, Params, Preset, PromptLimits, SizePolicy, Support,
};
use crate::size::{AspectRatio, Size, SizeRule, SizeSpec};

/// Merges `patch` into `base`: objects recursively, any other value replaces.
pub(crate) fn merge(base: &mut Value, patch: &Value) {
    match (base, patch) {
        (Value::Object(base), Value::Object(patch)) => {
            for (key, value) in patch {
                match base.get_mut(key) {
                    Some(slot) => merge(slot, value),
                    None => {
                        base.insert(key.clone(), value.clone());
                    }
                }
            }
        }
        (base, patch) => *base = patch.clone(),
    }
}

/// A type read from a [`Value`] exactly as `serde_json::from_value` reads it
/// with the type's derived `Deserialize`.
pub(crate) trait FromValue: Sized {
    /// The value, or serde_json's error for it, word for word.
    fn from_value(value: &Value) -> Result<Self, Error>;
}

/// Leaf types go through their own `Deserialize` on `&Value`: the same code
/// path as `from_value`, and small, since it is not a struct visitor.
macro_rules! via_deserialize {
    ($($ty:ty),* $(,)?) => {$(
        impl FromValue for $ty {
            fn from_value(value: &Value) -> Result<Self, Error> {
                <$ty>::deserialize(value)
            }
        }
    )*};
}

via_deserialize!(
    u32,
    u64,
    bool,
    String,
    Size,
    SizeSpec,
    AspectRatio,
    Support,
    Quality,
    Background,
    OutputFormat,
    Moderation,
    ResponseFormat,
    Style,
    CompressionElsewhere,
    Field,
    Tier,
    ModelId,
    Family,
    Date,
);

impl<T: FromValue> FromValue for Option<T> {
    fn from_value(value: &Value) -> Result<Self, Error> {
        match value {
            Value::Null => Ok(None),
            value => T::from_value(value).map(Some),
        }
    }
}

impl<T: FromValue> FromValue for Vec<T> {
    fn from_value(value: &Value) -> Result<Self, Error> {
        match value {
            Value::Array(items) => items.iter().map(T::from_value).collect(),
            other => Err(Error::invalid_type(unexpected(other), &"a sequence")),
        }
    }
}

/// What serde_json calls a value in "invalid type" errors.
fn unexpected(value: &Value) -> Unexpected<'_> {
    match value {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(u), _, _) => Unexpected::Unsigned(u),
            (None, Some(i), _) => Unexpected::Signed(i),
            (None, None, f) => Unexpected::Float(f.unwrap_or(f64::NAN)),
        },
        Value::String(s) => Unexpected::Str(s),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    }
}

/// A struct's fields as the derived code reads them: by name from an object
/// (unknown names refused, in the map's order), or by position from an array.
enum Shape<'a> {
    /// An object's `(key, value)` pairs.
    Object(&'a serde_json::Map<String, Value>),
    /// An array's elements.
    Array(&'a [Value]),
}

impl<'a> Shape<'a> {
    /// The struct's value as an object or array, or the "invalid type" error
    /// naming `expecting` (`struct NLimits`).
    fn of(value: &'a Value, expecting: &str) -> Result<Self, Error> {
        match value {
            Value::Object(map) => Ok(Shape::Object(map)),
            Value::Array(items) => Ok(Shape::Array(items)),
            other => Err(Error::invalid_type(unexpected(other), &expecting)),
        }
    }

    /// Where each field is given (its position in the object or array, and
    /// its value), and the error for the first unknown key of an object, at
    /// its position.
    fn given<const N: usize>(
        &self,
        fields: &'static [&'static str],
        first: &mut FirstError,
    ) -> [Option<(usize, &'a Value)>; N] {
        let mut given = [None; N];
        match self {
            Shape::Object(map) => {
                for (position, (key, value)) in map.iter().enumerate() {
                    match fields.iter().position(|f| f == key) {
                        Some(i) => {
                            if let Some(slot) = given.get_mut(i) {
                                *slot = Some((position, value));
                            }
                        }
                        None => {
                            first.note(position, Error::unknown_field(key, fields));
                            break;
                        }
                    }
                }
            }
            Shape::Array(items) => {
                for (position, (slot, value)) in given.iter_mut().zip(items.iter()).enumerate() {
                    *slot = Some((position, value));
                }
            }
        }
        given
    }

    /// The error for a field without a default that was not given: "missing
    /// field" from an object; from an array, "invalid length" with the
    /// field's position.
    fn missing(&self, fields: &'static [&'static str], expecting: &str, field: usize) -> Error {
        match self {
            Shape::Object(_) => Error::missing_field(fields.get(field).copied().unwrap_or("")),
            Shape::Array(_) => {
                let count = fields.len();
                let plural = if count == 1 { "" } else { "s" };
                let expected = format!("{expecting} with {count} element{plural}");
                Error::invalid_length(field, &expected.as_str())
            }
        }
    }

    /// After the struct is read from an array: the error for elements beyond
    /// its fields (serde_json checks that the array was used up).
    fn check_used_up(&self, fields: &'static [&'static str]) -> Result<(), Error> {
        match self {
            Shape::Array(items) if items.len() > fields.len() => Err(Error::invalid_length(
                items.len(),
                &"fewer elements in array",
            )),
            _ => Ok(()),
        }
    }
}

/// The error serde_json would stop at: of all the errors found while
/// reading a struct's given fields, the one at the earliest position (the
/// derived code reads in the object's or array's order and stops there).
#[derive(Default)]
struct FirstError(Option<(usize, Error)>);

impl FirstError {
    fn note(&mut self, position: usize, error: Error) {
        if self.0.as_ref().is_none_or(|(p, _)| position < *p) {
            self.0 = Some((position, error));
        }
    }

    /// The field read from its given value; `None` when it is not given or
    /// does not read (the error is noted).
    fn read<T: FromValue>(&mut self, given: Option<(usize, &Value)>) -> Option<T> {
        let (position, value) = given?;
        match T::from_value(value) {
            Ok(read) => Some(read),
            Err(e) => {
                self.note(position, e);
                None
            }
        }
    }

    fn check(self) -> Result<(), Error> {
        match self.0 {
            Some((_, e)) => Err(e),
            None => Ok(()),
        }
    }
}

/// Implements [`FromValue`] for a struct as its derived `Deserialize` reads
/// it. Each field says what happens when it is not given: `required` (an
/// error), `option` (an `Option` without `#[serde(default)]`: `None` from an
/// object, an error from an array) or `default(EXPR)` (`#[serde(default)]`,
/// on the field or the container). Fields are listed in declaration order.
macro_rules! struct_from_value {
    (
        $ty:ident $(<$param:ident>)?, $name:literal {
            $($field:ident: $missing:ident $(($default:expr))?),* $(,)?
        }
    ) => {
        impl$(<$param: FromValue>)? FromValue for $ty$(<$param>)? {
            #[allow(unused_assignments, unused_variables)]
            fn from_value(value: &Value) -> Result<Self, Error> {
                const FIELDS: &[&str] = &[$(stringify!($field)),*];
                const EXPECTING: &str = concat!("struct ", $name);
                const N: usize = FIELDS.len();
                let shape = Shape::of(value, EXPECTING)?;
                let mut first = FirstError::default();
                let given = shape.given::<N>(FIELDS, &mut first);
                let mut index = 0;
                $(
                    let $field = first.read(given.get(index).copied().flatten());
                    index += 1;
                )*
                first.check()?;
                // Absent fields in declaration order, as the derived code
                // checks them.
                let mut index = 0;
                let out = $ty {$(
                    $field: {
                        let read = match $field {
                            Some(read) => read,
                            None => struct_from_value!(@missing shape, FIELDS, EXPECTING, index,
                                $missing $(($default))?),
                        };
                        index += 1;
                        read
                    },
                )*};
                shape.check_used_up(FIELDS)?;
                Ok(out)
            }
        }
    };
    (@missing $shape:ident, $fields:ident, $expecting:ident, $index:ident, required) => {
        return Err($shape.missing($fields, $expecting, $index))
    };
    (@missing $shape:ident, $fields:ident, $expecting:ident, $index:ident, option) => {
        match $shape {
            Shape::Object(_) => None,
            Shape::Array(_) => return Err($shape.missing($fields, $expecting, $index)),
        }
    };
    (@missing $shape:ident, $fields:ident, $expecting:ident, $index:ident, default($default:expr)) => {
        $default
    };
}

struct_from_value!(SizeRule, "SizeRule" {
    multiple: required,
    max_edge: required,
    max_ratio: required,
    min_pixels: required,
    max_pixels: required,
});

struct_from_value!(SizePolicy, "SizePolicy" {
    rule: default(None),
    list: default(Vec::new()),
    auto: default(false),
    experimental_above_pixels: default(None),
});

struct_from_value!(NLimits, "NLimits" {
    min: required,
    max: required,
    split_max: default(None),
});

struct_from_value!(PromptLimits, "PromptLimits" {
    min_chars: required,
    max_chars: required,
});

struct_from_value!(ParamRule<T>, "ParamRule" {
    support: required,
    values: default(Vec::new()),
});

struct_from_value!(IntRule, "IntRule" {
    support: required,
    min: default(0),
    max: default(0),
});

struct_from_value!(FlagRule, "FlagRule" {
    support: required,
});

struct_from_value!(CompressionRule, "CompressionRule" {
    support: required,
    min: default(0),
    max: default(0),
    formats: default(Vec::new()),
    elsewhere: default(CompressionRule::default().elsewhere),
});

struct_from_value!(Params, "Params" {
    quality: default(ParamRule::default()),
    background: default(ParamRule::default()),
    transparent_formats: default(Vec::new()),
    output_format: default(ParamRule::default()),
    output_compression: default(CompressionRule::default()),
    moderation: default(ParamRule::default()),
    response_format: default(ParamRule::default()),
    style: default(ParamRule::default()),
    stream: default(FlagRule::default()),
    partial_images: default(IntRule::default()),
    user: default(FlagRule::default()),
    enable_sync_mode: default(FlagRule::default()),
});

struct_from_value!(Defaults, "Defaults" {
    n: default(None),
    size: default(None),
    quality: default(None),
    background: default(None),
    output_format: default(None),
    output_compression: default(None),
    moderation: default(None),
    response_format: default(None),
    style: default(None),
    stream: default(None),
    enable_sync_mode: default(None),
});

struct_from_value!(Preset, "Preset" {
    size: required,
    tier: default(None),
    label: default(None),
});

struct_from_value!(ModelRules, "ModelRules" {
    sizes: required,
    n: required,
    prompt: required,
    params: default(Params::default()),
    defaults: default(Defaults::default()),
    required: default(Vec::new()),
    presets: default(Vec::new()),
});

struct_from_value!(Lifecycle, "Lifecycle" {
    released: default(None),
    deprecated: default(None),
    retired: default(None),
    note: default(None),
});

struct_from_value!(ModelSpec, "ModelSpec" {
    id: required,
    family: required,
    snapshot_of: default(None),
    lifecycle: default(Lifecycle::default()),
    source: required,
    rules: required,
});

struct_from_value!(Catalog, "Catalog" {
    as_of: required,
    source: required,
    models: required,
});

#[cfg(test)]
mod tests {
    use std::fmt::Debug;

    use proptest::prelude::*;
    use serde::de::DeserializeOwned;
    use serde_json::json;

    use super::*;
    use crate::profile::builtin_profiles;

    #[test]
    fn objects_merge_and_other_values_replace() {
        let mut base = json!({"a": {"b": 1, "c": [1, 2]}, "d": 1});
        merge(&mut base, &json!({"a": {"c": [3], "e": null}, "d": "x"}));
        assert_eq!(base, json!({"a": {"b": 1, "c": [3], "e": null}, "d": "x"}));
    }

    /// The hand reader and `serde_json::from_value` with the derived impls
    /// give the same value, or errors with the same text.
    #[track_caller]
    fn agrees<T: FromValue + DeserializeOwned + PartialEq + Debug>(value: &Value) {
        let derived = serde_json::from_value::<T>(value.clone()).map_err(|e| e.to_string());
        let by_hand = T::from_value(value).map_err(|e| e.to_string());
        assert_eq!(by_hand, derived, "reading {value}");
    }

    #[track_caller]
    fn error<T: FromValue + Debug>(value: Value) -> String {
        T::from_value(&value).unwrap_err().to_string()
    }

    #[test]
    fn every_builtin_rule_set_and_the_catalog_read_the_same_by_hand() {
        for profile in builtin_profiles() {
            for served in &profile.models {
                agrees::<ModelRules>(&serde_json::to_value(&served.rules).unwrap());
            }
        }
        agrees::<Catalog>(&serde_json::to_value(crate::model::catalog()).unwrap());
    }

    #[test]
    fn the_hand_reader_words_errors_as_serde_json_does() {
        let mut rules = serde_json::to_value(&builtin_profiles()[0].models[0].rules).unwrap();
        rules["colour"] = json!(1);
        assert_eq!(
            error::<ModelRules>(rules),
            "unknown field `colour`, expected one of `sizes`, `n`, `prompt`, `params`, \
             `defaults`, `required`, `presets`"
        );
        assert_eq!(
            error::<NLimits>(json!({"min": 1, "max": -2})),
            "invalid value: integer `-2`, expected u32"
        );
        assert_eq!(error::<NLimits>(json!({"max": 2})), "missing field `min`");
        assert_eq!(
            error::<NLimits>(json!(null)),
            "invalid type: null, expected struct NLimits"
        );
        assert_eq!(
            error::<FlagRule>(json!({"support": "sometimes"})),
            r#"support "sometimes" is not one of "supported", "no_effect", "rejected", "undocumented""#
        );
        assert_eq!(
            error::<FlagRule>(json!({"support": "rejected", "x": 1})),
            "unknown field `x`, expected `support`"
        );
        assert_eq!(
            error::<SizePolicy>(json!({"list": "1024x1024"})),
            r#"invalid type: string "1024x1024", expected a sequence"#
        );
        assert_eq!(
            error::<SizePolicy>(json!({"auto": 1.5})),
            "invalid type: floating point `1.5`, expected a boolean"
        );
    }

    #[test]
    fn structs_read_from_arrays_by_position_as_the_derived_code_does() {
        assert_eq!(
            NLimits::from_value(&json!([1, 4])).unwrap(),
            NLimits {
                min: 1,
                max: 4,
                split_max: None
            }
        );
        assert_eq!(
            error::<NLimits>(json!([1])),
            "invalid length 1, expected struct NLimits with 3 elements"
        );
        assert_eq!(
            error::<FlagRule>(json!([])),
            "invalid length 0, expected struct FlagRule with 1 element"
        );
        assert_eq!(
            error::<NLimits>(json!([1, 2, 3, 4])),
            "invalid length 4, expected fewer elements in array"
        );
        for short in [
            json!([]),
            json!(["supported"]),
            json!(["rejected", 1, 2, 3]),
        ] {
            agrees::<FlagRule>(&short);
            agrees::<IntRule>(&short);
        }
    }

    /// Values to put anywhere in a document: every JSON type, and texts and
    /// numbers that are valid somewhere in the rules.
    fn pool(i: u8) -> Value {
        match i % 24 {
            0 => json!(null),
            1 => json!(true),
            2 => json!(false),
            3 => json!(0),
            4 => json!(1),
            5 => json!(-1),
            6 => json!(4_294_967_296u64),
            7 => json!(1.5),
            8 => json!(""),
            9 => json!("low"),
            10 => json!("1024x1024"),
            11 => json!("auto"),
            12 => json!("3:1"),
            13 => json!("supported"),
            14 => json!([]),
            15 => json!([1, 2]),
            16 => json!({}),
            17 => json!({"support": "supported"}),
            18 => json!({"min": 1, "max": 2}),
            19 => json!(["png"]),
            20 => json!([{"size": "1024x1024"}]),
            21 => json!("2026-05-12"),
            22 => json!("gpt-image-2"),
            _ => json!(["supported", ["low"]]),
        }
    }

    /// The node `path` leads to, stopping at a step divisible by 4 or a leaf.
    fn walk<'a>(node: &'a mut Value, path: &[u16]) -> &'a mut Value {
        let Some((step, rest)) = path.split_first() else {
            return node;
        };
        let len = match &*node {
            Value::Object(map) => map.len(),
            Value::Array(items) => items.len(),
            _ => 0,
        };
        if step % 4 == 0 || len == 0 {
            return node;
        }
        let i = usize::from(*step) % len;
        match node {
            Value::Object(map) => walk(map.values_mut().nth(i).unwrap(), rest),
            Value::Array(items) => walk(&mut items[i], rest),
            other => other,
        }
    }

    /// One mutation at the node `path` leads to: replace it with a value of
    /// the pool or a copy of another node, remove a key, add an unknown key,
    /// turn an object into an array of (some of) its values, or grow an array.
    fn mutate(doc: &mut Value, path: &[u16], op: u8, pick: u8) {
        let reversed: Vec<u16> = path.iter().rev().map(|s| s | 1).collect();
        let donor = walk(&mut doc.clone(), &reversed).clone();
        let node = walk(doc, path);
        match (op % 6, &mut *node) {
            (1, Value::Object(map)) if !map.is_empty() => {
                let key = map
                    .keys()
                    .nth(usize::from(pick) % map.len())
                    .unwrap()
                    .clone();
                map.remove(&key);
            }
            (2, Value::Object(map)) => {
                let key = if pick % 2 == 0 { "aaa" } else { "zzz" };
                map.insert(key.into(), pool(pick));
            }
            (3, Value::Object(map)) => {
                let mut values: Vec<Value> = map.values().cloned().collect();
                values.truncate(usize::from(pick) % 8);
                *node = Value::Array(values);
            }
            (4, _) => *node = donor,
            (5, Value::Array(items)) => items.push(pool(pick)),
            _ => *node = pool(pick),
        }
    }

    fn mutations() -> impl Strategy<Value = Vec<(Vec<u16>, u8, u8)>> {
        prop::collection::vec(
            (
                prop::collection::vec(any::<u16>(), 0..6),
                any::<u8>(),
                any::<u8>(),
            ),
            1..4,
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4_000))]

        #[test]
        fn mutated_rules_read_by_hand_as_from_value_reads_them(
            model in 0usize..64,
            changes in mutations(),
        ) {
            let served: Vec<_> = builtin_profiles().iter().flat_map(|p| &p.models).collect();
            let mut doc = serde_json::to_value(&served[model % served.len()].rules).unwrap();
            for (path, op, pick) in &changes {
                mutate(&mut doc, path, *op, *pick);
            }
            agrees::<ModelRules>(&doc);
        }

        #[test]
        fn mutated_catalogs_read_by_hand_as_from_value_reads_them(changes in mutations()) {
            let mut doc = serde_json::to_value(crate::model::catalog()).unwrap();
            for (path, op, pick) in &changes {
                mutate(&mut doc, path, *op, *pick);
            }
            agrees::<Catalog>(&doc);
        }
    }
}
