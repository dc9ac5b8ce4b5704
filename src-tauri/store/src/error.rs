//! What can go wrong with the store itself: a small closed set of stable codes, shared by every
//! crate that keeps its data here, each with a message that says what was being done and what to
//! try. The codes are the ones the audit log has always reported, so the UI's handling of them
//! holds for the whole store.

use std::fmt;
use std::path::Path;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreError {
    /// The database's folder could not be created, or a file to import could not be read.
    Io { message: String },
    /// SQLite refused an operation (disk full, permissions).
    Database { message: String },
    /// Another process held the database for longer than the busy timeout.
    Busy { message: String },
    /// The file was written by a newer Push3 Desk; it is never downgraded or misread, and
    /// nothing is written to it.
    NewerSchema { found: i64, supported: i64 },
    /// The file is damaged, or a file to import is.
    Corrupt { message: String },
}

pub type Result<T> = std::result::Result<T, StoreError>;

impl StoreError {
    pub const IO: &'static str = "io";
    pub const DATABASE: &'static str = "database";
    pub const BUSY: &'static str = "busy";
    pub const NEWER_SCHEMA: &'static str = "newer_schema";
    pub const CORRUPT: &'static str = "corrupt";

    pub fn code(&self) -> &'static str {
        match self {
            Self::Io { .. } => Self::IO,
            Self::Database { .. } => Self::DATABASE,
            Self::Busy { .. } => Self::BUSY,
            Self::NewerSchema { .. } => Self::NEWER_SCHEMA,
            Self::Corrupt { .. } => Self::CORRUPT,
        }
    }

    pub fn message(&self) -> String {
        match self {
            Self::Io { message }
            | Self::Database { message }
            | Self::Busy { message }
            | Self::Corrupt { message } => message.clone(),
            Self::NewerSchema { found, supported } => format!(
                "The Push3 Desk database was written by a newer Push3 Desk (schema {found}, this \
                 version reads up to {supported}). Update Push3 Desk to use it; nothing was \
                 written."
            ),
        }
    }

    /// A SQLite failure while `doing` something. A busy file is worth retrying and a damaged one
    /// needs moving aside, so both get their own code.
    pub fn database(doing: &str, e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode::*;
        match e.sqlite_error_code() {
            Some(DatabaseBusy | DatabaseLocked) => Self::Busy {
                message: format!(
                    "Could not {doing}: another Push3 Desk or push3 command kept the database \
                     busy. Try again."
                ),
            },
            Some(DatabaseCorrupt | NotADatabase) => Self::Corrupt {
                message: format!(
                    "Could not {doing}: the database is damaged ({e}). Restore it from a backup, \
                     or move it aside to start afresh."
                ),
            },
            _ => Self::Database {
                message: format!("Could not {doing}: {e}"),
            },
        }
    }

    pub fn io(doing: &str, path: &Path, e: &std::io::Error) -> Self {
        Self::Io {
            message: format!("Could not {doing} {}: {e}", path.display()),
        }
    }
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for StoreError {}
