//! The one error type that crosses IPC: a stable `code` the UI switches on, and a message a
//! person can act on. Secrets never enter it: every source is either validation (which masks
//! passwords) or an error kind from the core that carries no key.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IpcError {
    pub code: ErrorCode,
    pub message: String,
    /// The parameter a validation error is about, so the UI can show it next to that field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    Invalid,
}

impl From<push3::ValidationError> for IpcError {
    fn from(e: push3::ValidationError) -> Self {
        Self {
            code: ErrorCode::Invalid,
            message: e.to_string(),
            field: Some(e.field),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_errors_cross_ipc_as_code_message_and_field() {
        let e: IpcError = push3::MeterAddress::parse("12x").unwrap_err().into();
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "code": "invalid",
                "message": "target_id: \"12x\" is not allowed; 1 to 12 digits (the meter number printed under the LCD)",
                "field": "target_id"
            })
        );
    }
}
