//! Layering partial JSON over a base: how a profile says "like the catalog
//! model, except ...". Objects merge key by key; everything else replaces.

use serde_json::Value;

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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn objects_merge_and_other_values_replace() {
        let mut base = json!({"a": {"b": 1, "c": [1, 2]}, "d": 1});
        merge(&mut base, &json!({"a": {"c": [3], "e": null}, "d": "x"}));
        assert_eq!(base, json!({"a": {"b": 1, "c": [3], "e": null}, "d": "x"}));
    }
}
