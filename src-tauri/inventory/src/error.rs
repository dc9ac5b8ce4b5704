//! The one error every inventory operation reports: a small closed set of stable codes the UI and
//! the CLI can switch on, each with a message written for the user.
//!
//! No variant ever carries a secret: keychain messages are composed here from fixed text plus the
//! platform's own diagnostic (which names services and D-Bus errors, never a password), and
//! validation errors mask secret values before they get here.

use push3::ValidationError;
use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};
use std::fmt;

/// What went wrong, as a stable code plus a message that tells the user what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InventoryError {
    /// No usable keychain: no Secret Service on the session bus, no D-Bus session at all, or the
    /// platform store refused access. Never answered by falling back to a plain file.
    KeychainUnavailable { message: String },
    /// The keychain exists but its collection is locked and was not unlocked.
    KeychainLocked { message: String },
    /// A gateway, meter or keychain entry that does not exist.
    NotFound { message: String },
    /// A gateway name or meter address (or nickname on one gateway) already in use.
    Duplicate { message: String },
    /// Something still depends on it: a loaded wire profile a gateway speaks.
    InUse { message: String },
    /// A field failed validation; the message names the field and what is allowed.
    Invalid(ValidationError),
    /// A file or folder could not be read or written.
    Io { message: String },
    /// The store could not be opened, read or written; its own code says how (`busy`,
    /// `newer_schema`, `corrupt`, `database`, `io`).
    Store(push3_store::StoreError),
}

impl InventoryError {
    pub const KEYCHAIN_UNAVAILABLE: &'static str = "keychain_unavailable";
    pub const KEYCHAIN_LOCKED: &'static str = "keychain_locked";
    pub const NOT_FOUND: &'static str = "not_found";
    pub const DUPLICATE: &'static str = "duplicate";
    pub const IN_USE: &'static str = "in_use";
    pub const INVALID: &'static str = "invalid";
    pub const IO: &'static str = "io";

    /// The stable code the UI switches on; it never changes with the wording of the message.
    pub fn code(&self) -> &'static str {
        match self {
            Self::KeychainUnavailable { .. } => Self::KEYCHAIN_UNAVAILABLE,
            Self::KeychainLocked { .. } => Self::KEYCHAIN_LOCKED,
            Self::NotFound { .. } => Self::NOT_FOUND,
            Self::Duplicate { .. } => Self::DUPLICATE,
            Self::InUse { .. } => Self::IN_USE,
            Self::Invalid(_) => Self::INVALID,
            Self::Io { .. } => Self::IO,
            Self::Store(e) => e.code(),
        }
    }

    pub fn message(&self) -> String {
        match self {
            Self::KeychainUnavailable { message }
            | Self::KeychainLocked { message }
            | Self::NotFound { message }
            | Self::Duplicate { message }
            | Self::InUse { message }
            | Self::Io { message } => message.clone(),
            Self::Invalid(e) => e.to_string(),
            Self::Store(e) => e.message(),
        }
    }

    pub(crate) fn not_found(message: impl Into<String>) -> Self {
        Self::NotFound {
            message: message.into(),
        }
    }

    pub(crate) fn duplicate(message: impl Into<String>) -> Self {
        Self::Duplicate {
            message: message.into(),
        }
    }

    pub(crate) fn io(message: impl Into<String>) -> Self {
        Self::Io {
            message: message.into(),
        }
    }
}

impl fmt::Display for InventoryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for InventoryError {}

impl From<push3_store::StoreError> for InventoryError {
    fn from(e: push3_store::StoreError) -> Self {
        Self::Store(e)
    }
}

impl From<ValidationError> for InventoryError {
    fn from(e: ValidationError) -> Self {
        Self::Invalid(e)
    }
}

/// Crosses IPC as `{"code": "...", "message": "..."}`.
impl Serialize for InventoryError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("InventoryError", 2)?;
        s.serialize_field("code", self.code())?;
        s.serialize_field("message", &self.message())?;
        s.end()
    }
}

pub type Result<T, E = InventoryError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_cross_ipc_as_code_and_message() {
        let e = InventoryError::duplicate("a gateway named \"Main\" already exists");
        assert_eq!(
            serde_json::to_value(&e).unwrap(),
            serde_json::json!({"code": "duplicate", "message": "a gateway named \"Main\" already exists"})
        );
    }

    #[test]
    fn validation_errors_keep_field_and_allowed_values_in_the_message() {
        let e: InventoryError = ValidationError::new("name", "\"\"", "1 to 64 characters").into();
        assert_eq!(e.code(), "invalid");
        assert_eq!(e.message(), "name: \"\" is not allowed; 1 to 64 characters");
    }

    #[test]
    fn every_code_is_distinct() {
        let all = [
            InventoryError::KeychainUnavailable {
                message: String::new(),
            },
            InventoryError::KeychainLocked {
                message: String::new(),
            },
            InventoryError::not_found(""),
            InventoryError::duplicate(""),
            InventoryError::Invalid(ValidationError::new("f", "v", "a")),
            InventoryError::io(""),
        ];
        let codes: std::collections::BTreeSet<_> = all.iter().map(|e| e.code()).collect();
        assert_eq!(codes.len(), all.len());
    }
}
