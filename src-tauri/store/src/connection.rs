//! Opening the database: the settings every connection needs, then the schema brought up to
//! date.

use crate::error::{Result, StoreError};
use crate::schema;
use rusqlite::Connection;
use std::path::Path;
use std::time::Duration;

/// How long a statement waits for another process's write before failing with `busy`. Every
/// write transaction here is short (one command's audit row, one meter added), but thirty
/// `push3` processes started at once by a script queue behind each other, and a keychain prompt
/// may sit inside an inventory change; ten seconds covers both with room, and still means
/// something is stuck rather than busy when it runs out.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// A connection with the settings every connection to the database needs. It does not touch
/// the schema: use [`open`] for that.
pub fn connect(path: &Path) -> Result<Connection> {
    let doing = "open the Push3 Desk database";
    let db = |e| StoreError::database(doing, e);
    let conn = Connection::open(path).map_err(db)?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(db)?;
    // WAL: the history view, an export or a meter list read a snapshot while other processes
    // keep writing, and a commit is one append to the `-wal` file instead of a rewrite of pages.
    let mode: String = conn
        .pragma_update_and_check(None, "journal_mode", "wal", |row| row.get(0))
        .map_err(db)?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(StoreError::Database {
            message: format!(
                "Could not {doing}: {} cannot be put in WAL mode (it is in {mode} mode)",
                path.display()
            ),
        });
    }
    // NORMAL in WAL mode is durable against the process being killed: a commit returns only after
    // its frames are written to the `-wal` file, so they are in the operating system's page cache,
    // which outlives the process. Only the fsync is deferred (to checkpoints), so only a power cut
    // or an OS crash can lose the last commits, and even then the database stays consistent.
    // FULL would add an fsync to every commit, i.e. to every command sent.
    conn.pragma_update(None, "synchronous", "NORMAL")
        .map_err(db)?;
    // A meter's tags go with it, and a gateway's meters with the gateway.
    conn.pragma_update(None, "foreign_keys", "ON").map_err(db)?;
    Ok(conn)
}

/// Opens (creating it and its folder if needed) the database at `path` and brings its schema up
/// to date. A new database first takes in what earlier versions left in the same folder
/// ([`crate::legacy`]).
pub fn open(path: &Path) -> Result<Connection> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| StoreError::io("create the folder", dir, &e))?;
    }
    let mut conn = connect(path)?;
    schema::migrate(&mut conn, path)?;
    Ok(conn)
}
