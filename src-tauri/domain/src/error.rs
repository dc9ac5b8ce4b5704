//! The one error type that crosses IPC: a stable `code` the UI switches on, and a message a
//! person can act on. Secrets never enter it: every source (validation, the inventory, the
//! core client) already keeps keys, tokens and passwords out of its messages.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IpcError {
    /// One of the codes in ui/src/lib/ipc.ts's `ErrorCode`.
    pub code: &'static str,
    pub message: String,
    /// The parameter a validation error is about, so the UI can show it next to that field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl IpcError {
    pub const INVALID_INPUT: &'static str = "invalid_input";
    pub const UNSUPPORTED: &'static str = "unsupported";
    pub const INTERNAL: &'static str = "internal";

    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            field: None,
        }
    }

    /// Bad input the UI shows next to `field`.
    pub fn invalid_field(field: &str, message: impl Into<String>) -> Self {
        Self {
            code: Self::INVALID_INPUT,
            message: message.into(),
            field: Some(field.to_string()),
        }
    }
}

impl From<push3::ValidationError> for IpcError {
    fn from(e: push3::ValidationError) -> Self {
        Self {
            code: Self::INVALID_INPUT,
            message: e.to_string(),
            field: Some(e.field),
        }
    }
}

impl From<push3_inventory::InventoryError> for IpcError {
    fn from(e: push3_inventory::InventoryError) -> Self {
        match e {
            push3_inventory::InventoryError::Invalid(v) => v.into(),
            other => Self::new(other.code(), other.message()),
        }
    }
}

impl From<push3_store::StoreError> for IpcError {
    fn from(e: push3_store::StoreError) -> Self {
        Self::new(e.code(), e.message())
    }
}

impl From<push3_audit::AuditError> for IpcError {
    fn from(e: push3_audit::AuditError) -> Self {
        Self::new(e.code(), format!("The audit log: {}", e.message()))
    }
}

impl From<push3::ClientError> for IpcError {
    fn from(e: push3::ClientError) -> Self {
        match e.validation() {
            Some(v) => v.clone().into(),
            None => Self::new(e.code(), e.message()),
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
                "code": "invalid_input",
                "message": "target_id: \"12x\" is not allowed; 1 to 12 digits (the meter number printed under the LCD)",
                "field": "target_id"
            })
        );
    }

    #[test]
    fn inventory_errors_keep_their_stable_code() {
        let e: IpcError = push3_inventory::InventoryError::KeychainLocked {
            message: "unlock it".into(),
        }
        .into();
        assert_eq!(
            serde_json::to_value(&e).unwrap(),
            serde_json::json!({"code": "keychain_locked", "message": "unlock it"})
        );
    }
}
