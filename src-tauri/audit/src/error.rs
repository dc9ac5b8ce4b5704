//! The one error every audit operation reports: a small closed set of stable codes the UI and the
//! CLI can switch on, each with a message that says what was being done and what to try.

use push3::ValidationError;
use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};
use std::fmt;
use std::path::Path;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuditError {
    /// The audit file or its folder could not be created, or an export could not be written.
    Io { message: String },
    /// SQLite refused an operation (disk full, permissions, a damaged file).
    Database { message: String },
    /// Another process held the database for longer than the busy timeout.
    Busy { message: String },
    /// The file was written by a newer Push3 Desk; it is never downgraded or misread.
    NewerSchema { found: i64, supported: i64 },
    /// `PRAGMA integrity_check` found damage; the message lists what it reported.
    Corrupt { message: String },
    /// No audit entry has this id.
    NotFound { message: String },
    /// The entry already has its outcome; an outcome is written once.
    AlreadyFinished { message: String },
    /// A filter or page argument is out of range; the message names the field.
    Invalid(ValidationError),
}

impl AuditError {
    pub const IO: &'static str = push3_store::StoreError::IO;
    pub const DATABASE: &'static str = push3_store::StoreError::DATABASE;
    pub const BUSY: &'static str = push3_store::StoreError::BUSY;
    pub const NEWER_SCHEMA: &'static str = push3_store::StoreError::NEWER_SCHEMA;
    pub const CORRUPT: &'static str = push3_store::StoreError::CORRUPT;
    pub const NOT_FOUND: &'static str = "not_found";
    pub const ALREADY_FINISHED: &'static str = "already_finished";
    pub const INVALID: &'static str = "invalid";

    /// The stable code the UI switches on; it never changes with the wording of the message.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Io { .. } => Self::IO,
            Self::Database { .. } => Self::DATABASE,
            Self::Busy { .. } => Self::BUSY,
            Self::NewerSchema { .. } => Self::NEWER_SCHEMA,
            Self::Corrupt { .. } => Self::CORRUPT,
            Self::NotFound { .. } => Self::NOT_FOUND,
            Self::AlreadyFinished { .. } => Self::ALREADY_FINISHED,
            Self::Invalid(_) => Self::INVALID,
        }
    }

    pub fn message(&self) -> String {
        match self {
            Self::Io { message }
            | Self::Database { message }
            | Self::Busy { message }
            | Self::Corrupt { message }
            | Self::NotFound { message }
            | Self::AlreadyFinished { message } => message.clone(),
            Self::NewerSchema { found, supported } => format!(
                "The Push3 Desk database was written by a newer Push3 Desk (schema {found}, this \
                 version reads up to {supported}). Update Push3 Desk to use it; nothing was \
                 written."
            ),
            Self::Invalid(e) => e.to_string(),
        }
    }

    /// A SQLite failure while `doing` something, read as the store reads its own (a busy file
    /// is worth retrying, a damaged one needs moving aside): the audit log is in that store.
    pub(crate) fn database(doing: &str, e: rusqlite::Error) -> Self {
        push3_store::StoreError::database(doing, e).into()
    }

    pub(crate) fn io(doing: &str, path: &Path, e: &std::io::Error) -> Self {
        push3_store::StoreError::io(doing, path, e).into()
    }
}

impl fmt::Display for AuditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for AuditError {}

/// The store's codes are the audit log's own, so each maps to its namesake.
impl From<push3_store::StoreError> for AuditError {
    fn from(e: push3_store::StoreError) -> Self {
        use push3_store::StoreError as S;
        let message = e.message();
        match e {
            S::Io { .. } => Self::Io { message },
            S::Database { .. } => Self::Database { message },
            S::Busy { .. } => Self::Busy { message },
            S::NewerSchema { found, supported } => Self::NewerSchema { found, supported },
            S::Corrupt { .. } => Self::Corrupt { message },
        }
    }
}

impl From<ValidationError> for AuditError {
    fn from(e: ValidationError) -> Self {
        Self::Invalid(e)
    }
}

/// Crosses IPC as `{"code": "...", "message": "..."}`.
impl Serialize for AuditError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("AuditError", 2)?;
        s.serialize_field("code", self.code())?;
        s.serialize_field("message", &self.message())?;
        s.end()
    }
}

pub type Result<T, E = AuditError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_cross_ipc_as_code_and_message() {
        let e = AuditError::NewerSchema {
            found: 9,
            supported: 1,
        };
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["code"], "newer_schema");
        assert!(json["message"]
            .as_str()
            .unwrap()
            .contains("Update Push3 Desk"));
    }

    #[test]
    fn busy_and_damaged_files_are_told_apart_from_other_failures() {
        let busy = rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
            None,
        );
        assert_eq!(AuditError::database("record", busy).code(), "busy");
        let full = rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_FULL),
            None,
        );
        assert_eq!(AuditError::database("record", full).code(), "database");
        let garbage = rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_NOTADB),
            None,
        );
        assert_eq!(AuditError::database("record", garbage).code(), "corrupt");
    }

    #[test]
    fn every_code_is_distinct() {
        let m = || String::new();
        let all = [
            AuditError::Io { message: m() },
            AuditError::Database { message: m() },
            AuditError::Busy { message: m() },
            AuditError::NewerSchema {
                found: 2,
                supported: 1,
            },
            AuditError::Corrupt { message: m() },
            AuditError::NotFound { message: m() },
            AuditError::AlreadyFinished { message: m() },
            AuditError::Invalid(ValidationError::new("f", "v", "a")),
        ];
        let codes: std::collections::BTreeSet<_> = all.iter().map(|e| e.code()).collect();
        assert_eq!(codes.len(), all.len());
    }
}
