//! Push3 Desk's audit log: every command the app or the `push3` CLI sends — when, to which
//! gateway and meter, what with which parameters (secrets masked), its `msg_id`, outcome, error
//! text and round-trip time — in one SQLite file in the app's data dir that both share.
//!
//! A command is recorded in two steps, [`AuditLog::begin`] before it is sent and
//! [`AuditLog::finish`] once its fate is known, so a command under way when the process is killed
//! is still on record; it reads as [`Outcome::Interrupted`] (fate unknown), never as failed.
//! Every committed entry survives the process being killed (WAL, see `push3-store`).
//!
//! The history view reads it in keyset pages ([`AuditLog::query`]), counts it and exports it
//! as CSV, filtered by meter, gateway, command, outcome, time range and text.
//!
//! This is a domain crate under the app's Tauri commands and the CLI; it knows nothing of Tauri.

mod checkpoint;
mod entry;
mod error;
mod export;
mod log;
mod outcome;
mod query;
mod redact;
mod session;
mod unanswered;

pub use entry::{Entry, EntryId, NewEntry, Source};
pub use error::{AuditError, Result};
pub use log::AuditLog;
pub use outcome::{FinalOutcome, Finish, Outcome};
pub use push3_store::{FILE_NAME, SCHEMA_VERSION};
pub use query::{Cursor, EntryPage, Filter, Page, MAX_PAGE};
pub use redact::MASK;

// Re-exported so callers name one crate for the types in this API.
pub use push3::{MeterAddress, ValidationError};
