//! The one validation error every layer reports: which field, what value, what is allowed.

use serde::Serialize;
use std::fmt;

/// A parameter that failed validation before anything was sent.
///
/// `field` is the wire name of the parameter (`ct_ratio`, `display_fields[3]`, `target_id`),
/// `value` is what was given (never a secret: password fields report a masked value),
/// `allowed` says in plain words what would have been accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ValidationError {
    pub field: String,
    pub value: String,
    pub allowed: String,
}

impl ValidationError {
    pub fn new(field: impl Into<String>, value: impl ToString, allowed: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            value: value.to_string(),
            allowed: allowed.into(),
        }
    }

    /// Prefixes the field with its container, e.g. `periods[2]` + `.hour`.
    pub fn within(mut self, parent: &str) -> Self {
        self.field = if self.field.starts_with('[') {
            format!("{parent}{}", self.field)
        } else {
            format!("{parent}.{}", self.field)
        };
        self
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} is not allowed; {}",
            self.field, self.value, self.allowed
        )
    }
}

impl std::error::Error for ValidationError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_names_field_value_and_what_is_allowed() {
        let e = ValidationError::new("ct_ratio", "250", "one of 100, 200, 400");
        assert_eq!(
            e.to_string(),
            "ct_ratio: 250 is not allowed; one of 100, 200, 400"
        );
    }

    #[test]
    fn within_nests_field_names() {
        let e = ValidationError::new("hour", 24, "0-23").within("periods[1]");
        assert_eq!(e.field, "periods[1].hour");
        let e = ValidationError::new("[3]", "x", "a name").within("display_fields");
        assert_eq!(e.field, "display_fields[3]");
    }
}
