//! The one error type that crosses IPC: a code from one closed set ([`ErrorCode`]) the UI
//! switches on, a message a person can act on, and, when it concerns one field, that field.
//! Secrets never enter it: every source (validation, the inventory, the core client) already
//! keeps keys, tokens and passwords out of its messages.
//!
//! Every error of the crates below (validation, the client, the inventory, the store, the audit
//! log) is mapped here variant by variant, so a new variant there fails to compile until it has
//! a code, and the UI's list of codes (`ui/src/lib/errorCode.ts`) is written from this enum by a
//! test, as `limits.fixture.json` is from the limits.

use serde::Serialize;

/// Declares [`ErrorCode`] with its wire names and the list of all of them, in one place.
macro_rules! error_codes {
    ($($(#[doc = $doc:literal])* $variant:ident = $wire:literal,)*) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
        pub enum ErrorCode {
            $($(#[doc = $doc])* #[serde(rename = $wire)] $variant,)*
        }

        impl ErrorCode {
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $wire,)*
                }
            }
        }
    };
}

error_codes! {
    /// A value failed validation; `field` names it. Nothing was sent or written.
    InvalidInput = "invalid_input",
    /// The command or change is not possible here (a V3 meter's relays, the demo gateway).
    Unsupported = "unsupported",
    /// A task of the app itself failed.
    Internal = "internal",
    /// The gateway, meter, template, job or audit entry does not exist (any more).
    NotFound = "not_found",
    /// A gateway name or meter (or nickname on one gateway) already in use.
    Duplicate = "duplicate",
    /// Something still depends on it (a wire profile a gateway speaks); nothing was removed.
    InUse = "in_use",
    /// A file or folder could not be read or written.
    Io = "io",
    /// No usable keychain (no Secret Service, no D-Bus session, access refused).
    KeychainUnavailable = "keychain_unavailable",
    /// The keychain's collection is locked.
    KeychainLocked = "keychain_locked",
    /// The client settings cannot work (API URL, plain HTTP to a remote host, an empty key).
    InvalidConfig = "invalid_config",
    /// The API answered 400; nothing reached the meter.
    Rejected = "rejected",
    /// The API could not be reached.
    Network = "network",
    /// The API answered a status other than 200 or 400.
    HttpStatus = "http_status",
    /// The API answered 200 with something else than the documented JSON.
    BadResponse = "bad_response",
    /// The database refused an operation.
    Database = "database",
    /// Another process kept the database busy for longer than the busy timeout.
    Busy = "busy",
    /// The database was written by a newer Push3 Desk; nothing was written to it.
    NewerSchema = "newer_schema",
    /// The database, or a file to import, is damaged.
    Corrupt = "corrupt",
    /// An audit entry already has its outcome.
    AlreadyFinished = "already_finished",
    /// An update of the app was refused: its signature or its version does not check out.
    UpdateRefused = "update_refused",
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IpcError {
    pub code: ErrorCode,
    pub message: String,
    /// The parameter a validation error is about, so the UI can show it next to that field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl IpcError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            field: None,
        }
    }

    /// Bad input the UI shows next to `field`.
    pub fn invalid_field(field: &str, message: impl Into<String>) -> Self {
        Self {
            code: ErrorCode::InvalidInput,
            message: message.into(),
            field: Some(field.to_string()),
        }
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::NotFound, message)
    }

    pub fn unsupported(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Unsupported, message)
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Internal, message)
    }

    pub fn io(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Io, message)
    }

    /// The system would not open a folder for the user (no file manager, no `xdg-open`).
    pub fn cannot_open(path: &std::path::Path, detail: impl std::fmt::Display) -> Self {
        Self::io(format!("Could not open {}: {detail}", path.display()))
    }

    /// The support report could not reach the system clipboard (no display, a clipboard
    /// manager that refused it); `detail` is the platform's own text.
    pub fn clipboard_unavailable(detail: impl std::fmt::Display) -> Self {
        Self::internal(format!(
            "Could not put the diagnostics on the clipboard: {detail}"
        ))
    }
}

impl From<push3::ValidationError> for IpcError {
    fn from(e: push3::ValidationError) -> Self {
        Self {
            code: ErrorCode::InvalidInput,
            message: e.to_string(),
            field: Some(e.field),
        }
    }
}

impl From<push3_store::StoreError> for IpcError {
    fn from(e: push3_store::StoreError) -> Self {
        use push3_store::StoreError as S;
        let code = match &e {
            S::Io { .. } => ErrorCode::Io,
            S::Database { .. } => ErrorCode::Database,
            S::Busy { .. } => ErrorCode::Busy,
            S::NewerSchema { .. } => ErrorCode::NewerSchema,
            S::Corrupt { .. } => ErrorCode::Corrupt,
        };
        Self::new(code, e.message())
    }
}

impl From<push3_inventory::InventoryError> for IpcError {
    fn from(e: push3_inventory::InventoryError) -> Self {
        use push3_inventory::InventoryError as I;
        let code = match e {
            I::Invalid(v) => return v.into(),
            I::Store(e) => return e.into(),
            I::KeychainUnavailable { .. } => ErrorCode::KeychainUnavailable,
            I::KeychainLocked { .. } => ErrorCode::KeychainLocked,
            I::NotFound { .. } => ErrorCode::NotFound,
            I::Duplicate { .. } => ErrorCode::Duplicate,
            I::InUse { .. } => ErrorCode::InUse,
            I::Io { .. } => ErrorCode::Io,
        };
        Self::new(code, e.message())
    }
}

impl From<push3_audit::AuditError> for IpcError {
    fn from(e: push3_audit::AuditError) -> Self {
        use push3_audit::AuditError as A;
        let code = match e {
            // A filter the user typed: shown next to its field, as any validation error.
            A::Invalid(v) => return v.into(),
            A::Io { .. } => ErrorCode::Io,
            A::Database { .. } => ErrorCode::Database,
            A::Busy { .. } => ErrorCode::Busy,
            A::NewerSchema { .. } => ErrorCode::NewerSchema,
            A::Corrupt { .. } => ErrorCode::Corrupt,
            A::NotFound { .. } => ErrorCode::NotFound,
            A::AlreadyFinished { .. } => ErrorCode::AlreadyFinished,
        };
        Self::new(code, format!("The audit log: {}", e.message()))
    }
}

impl From<push3::ClientError> for IpcError {
    fn from(e: push3::ClientError) -> Self {
        use push3::ErrorKind as K;
        if let Some(v) = e.validation() {
            return v.clone().into();
        }
        let code = match e.kind() {
            K::InvalidInput => ErrorCode::InvalidInput,
            K::InvalidConfig => ErrorCode::InvalidConfig,
            K::Rejected => ErrorCode::Rejected,
            K::Network => ErrorCode::Network,
            K::HttpStatus => ErrorCode::HttpStatus,
            K::BadResponse => ErrorCode::BadResponse,
        };
        Self::new(code, e.message())
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

    /// The History view shows a bad date range next to its "to" field: the audit log's filter
    /// error arrives as any validation error does, not as a code of its own without a field.
    #[test]
    fn an_audit_filter_error_arrives_as_invalid_input_with_its_field() {
        let e: IpcError =
            push3_audit::AuditError::Invalid(push3::ValidationError::new("to", "x", "after from"))
                .into();
        assert_eq!(
            (e.code, e.field.as_deref()),
            (ErrorCode::InvalidInput, Some("to"))
        );
    }

    #[test]
    fn every_code_serializes_as_its_wire_name_and_each_is_distinct() {
        let mut seen = std::collections::HashSet::new();
        for code in ErrorCode::ALL {
            assert_eq!(serde_json::to_value(code).unwrap(), code.as_str());
            assert!(seen.insert(code.as_str()), "{code:?} twice");
        }
    }

    /// The UI's `ErrorCode` is this file's enum, written out by this test; a code the UI fakes
    /// or switches on that Rust cannot send fails svelte-check. `UPDATE_FIXTURES=1` rewrites it.
    #[test]
    fn the_ui_error_codes_are_the_rust_enum() {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/lib/errorCode.ts");
        let codes: Vec<String> = ErrorCode::ALL
            .iter()
            .map(|c| format!("  \"{}\",\n", c.as_str()))
            .collect();
        let expected = format!(
            "// Written by push3-domain's test `the_ui_error_codes_are_the_rust_enum` from\n\
             // src-tauri/domain/src/error.rs: every code an IPC error can carry. Do not edit.\n\
             export const ERROR_CODES = [\n{}] as const;\n\n\
             export type ErrorCode = (typeof ERROR_CODES)[number];\n",
            codes.concat()
        );
        if std::env::var_os("UPDATE_FIXTURES").is_some() {
            std::fs::write(&path, &expected).unwrap();
        }
        let actual = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            actual == expected,
            "{} is stale: run UPDATE_FIXTURES=1 cargo test -p push3-domain --lib error",
            path.display()
        );
    }
}
