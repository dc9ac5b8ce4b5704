//! Strict reading of a `params` object: unknown keys, missing keys and wrong JSON types are each
//! reported with the field name, the value given and what would be accepted.

use crate::error::ValidationError;
use serde_json::{Map, Value};

/// Shown as the value of a parameter that was not given.
pub(crate) const MISSING: &str = "(missing)";

/// A `params` object being read; `known` lists every key the command takes.
pub(crate) struct ParamReader<'a> {
    map: &'a Map<String, Value>,
}

static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();

impl<'a> ParamReader<'a> {
    /// `null` counts as `{}` (parameterless commands). A key outside `known` is refused up front,
    /// so a misspelt name is reported as such rather than as the correct name missing.
    pub fn new(command: &str, params: &'a Value, known: &[&str]) -> Result<Self, ValidationError> {
        let map = match params {
            Value::Object(map) => map,
            Value::Null => EMPTY.get_or_init(Map::new),
            other => return Err(ValidationError::new("params", show(other), "a JSON object")),
        };
        if let Some((key, value)) = map.iter().find(|(k, _)| !known.contains(&k.as_str())) {
            let takes = if known.is_empty() {
                "no parameters".to_string()
            } else {
                known.join(", ")
            };
            return Err(ValidationError::new(
                key.as_str(),
                show(value),
                format!("no such parameter for {command}; it takes {takes}"),
            ));
        }
        Ok(Self { map })
    }

    pub fn required(
        &self,
        field: &str,
        allowed: impl FnOnce() -> String,
    ) -> Result<&'a Value, ValidationError> {
        self.map
            .get(field)
            .ok_or_else(|| ValidationError::new(field, MISSING, allowed()))
    }

    pub fn optional(&self, field: &str) -> Option<&'a Value> {
        self.map.get(field)
    }
}

/// A JSON value as the user wrote it, shortened so an error message stays readable.
pub(crate) fn show(value: &Value) -> String {
    const LIMIT: usize = 80;
    let text = value.to_string();
    if text.chars().count() <= LIMIT {
        return text;
    }
    let head: String = text.chars().take(LIMIT).collect();
    format!("{head}…")
}

/// An integer within `min..=max`; floats, strings and booleans are refused (the seed says int).
pub(crate) fn integer(
    field: &str,
    value: &Value,
    min: i64,
    max: i64,
    allowed: &str,
) -> Result<i64, ValidationError> {
    match value.as_i64() {
        Some(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(ValidationError::new(field, show(value), allowed)),
    }
}

pub(crate) fn string<'v>(
    field: &str,
    value: &'v Value,
    allowed: &str,
) -> Result<&'v str, ValidationError> {
    value
        .as_str()
        .ok_or_else(|| ValidationError::new(field, show(value), allowed))
}

pub(crate) fn array<'v>(
    field: &str,
    value: &'v Value,
    allowed: &str,
) -> Result<&'v Vec<Value>, ValidationError> {
    value
        .as_array()
        .ok_or_else(|| ValidationError::new(field, show(value), allowed))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn unknown_keys_are_named_before_missing_ones() {
        let params = json!({"ct_ratoi": "200"});
        let e = ParamReader::new("SetCTRatio", &params, &["ct_ratio"])
            .err()
            .unwrap();
        assert_eq!(e.field, "ct_ratoi");
        assert!(e.allowed.contains("it takes ct_ratio"), "{e}");
    }

    #[test]
    fn null_is_an_empty_object_and_other_types_are_refused() {
        let r = ParamReader::new("GetSchedules", &Value::Null, &[]).unwrap();
        assert!(r.optional("x").is_none());
        let e = ParamReader::new("GetSchedules", &json!([1]), &[])
            .err()
            .unwrap();
        assert_eq!((e.field.as_str(), e.value.as_str()), ("params", "[1]"));
    }

    #[test]
    fn integers_must_be_whole_json_numbers_in_range() {
        assert_eq!(integer("d", &json!(5), 0, 9, "0-9"), Ok(5));
        for bad in [
            json!(10),
            json!(-1),
            json!(5.0),
            json!("5"),
            json!(true),
            json!(null),
        ] {
            assert!(integer("d", &bad, 0, 9, "0-9").is_err(), "{bad}");
        }
    }

    #[test]
    fn long_values_are_shortened() {
        let long = json!("x".repeat(500));
        assert!(show(&long).chars().count() <= 81);
    }
}
