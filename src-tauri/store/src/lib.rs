//! Push3 Desk's one store: a single SQLite database in the app's data dir that the app and every
//! `push3` process share. Gateways, meters and their tags, what is known of each meter's
//! settings, saved templates, and the audit log of every command live in it; secrets never do
//! (they stay in the OS keychain).
//!
//! Before this store each of those lived in a file of its own that every process read once and
//! rewrote whole, so two writers at once silently overwrote each other. Here every
//! read-modify-write is one SQLite transaction, taken with the write lock up front (`BEGIN
//! IMMEDIATE`), so concurrent writers queue instead of losing each other's changes.
//!
//! This crate owns the file: its name, the settings every connection needs (WAL, a busy
//! timeout, foreign keys), the versioned schema and its migrations, the one-time import of the
//! files earlier versions wrote ([`legacy`]), [`SharedConnection`] (one lazily opened connection
//! per component), and [`ChangeWatch`], which tells a long-running process which parts another
//! one changed. The tables' meaning lives with the crates that read and write them
//! (`push3-inventory`, `push3-audit`, `push3-domain`).

mod connection;
mod error;
pub mod legacy;
mod schema;
mod shared;
mod watch;

pub use connection::{connect, open, BUSY_TIMEOUT};
pub use error::{Result, StoreError};
pub use schema::SCHEMA_VERSION;
pub use shared::{write_transaction, ConnectionGuard, SharedConnection};
pub use watch::{ChangeWatch, Changes};

/// The database's file name in the app's data dir.
pub const FILE_NAME: &str = "push3-desk.sqlite3";

/// The database file in `data_dir`.
pub fn path_in(data_dir: &std::path::Path) -> std::path::PathBuf {
    data_dir.join(FILE_NAME)
}
