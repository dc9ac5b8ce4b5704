//! Secrets out of the parameters before anything is stored: the audit file is plain SQLite that a
//! user may copy, attach to a support ticket or export to CSV.
//!
//! Push3 params carry meter passwords (`meter_password`, `new_password`); a gateway key or API
//! token never belongs in params, but a `--raw` command from the CLI could carry anything, so any
//! field named like a key or a token is masked too, at any depth.

use serde_json::{Map, Value};

/// What every secret value is replaced with: a fixed text, so not even its length is kept.
pub const MASK: &str = "••••••••";

/// `params` with the value of every secret-named field replaced by [`MASK`].
pub fn redact(params: &Value) -> Value {
    match params {
        Value::Object(fields) => Value::Object(
            fields
                .iter()
                .map(|(name, value)| {
                    let value = if is_secret_field(name) {
                        Value::String(MASK.into())
                    } else {
                        redact(value)
                    };
                    (name.clone(), value)
                })
                .collect::<Map<_, _>>(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(redact).collect()),
        other => other.clone(),
    }
}

fn is_secret_field(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    ["password", "token", "secret"]
        .iter()
        .any(|word| name.contains(word))
        || name == "key"
        || name.ends_with("_key")
        || name.ends_with("apikey")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn meter_passwords_are_masked_and_everything_else_kept() {
        let params = json!({
            "meter_password": "24681357",
            "new_password": "11223344",
            "relay": "Relay_1",
            "duration": 5
        });
        assert_eq!(
            redact(&params),
            json!({
                "meter_password": MASK,
                "new_password": MASK,
                "relay": "Relay_1",
                "duration": 5
            })
        );
    }

    #[test]
    fn keys_and_tokens_are_masked_at_any_depth_whatever_their_type() {
        let params = json!({
            "key": "MTAxMDoyMDIw",
            "nested": [{"api_token": 42, "Gateway_Key": {"a": 1}, "ApiKey": "k"}],
            "display_fields": ["kwh_tot"]
        });
        assert_eq!(
            redact(&params),
            json!({
                "key": MASK,
                "nested": [{"api_token": MASK, "Gateway_Key": MASK, "ApiKey": MASK}],
                "display_fields": ["kwh_tot"]
            })
        );
    }

    #[test]
    fn params_that_are_not_an_object_pass_through() {
        assert_eq!(redact(&json!("text")), json!("text"));
        assert_eq!(redact(&Value::Null), Value::Null);
    }
}
