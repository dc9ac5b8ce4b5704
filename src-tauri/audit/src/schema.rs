//! The audit database's connection settings and its schema, versioned by `PRAGMA user_version`.

use crate::error::{AuditError, Result};
use rusqlite::{Connection, TransactionBehavior};
use std::path::Path;
use std::time::Duration;

/// The schema this version writes. Bumped with every migration added to [`MIGRATIONS`].
pub const SCHEMA_VERSION: i64 = 1;

/// How long a statement waits for another connection's write before failing with `busy`. The app
/// and the CLI share the file, and every write here is one short statement, so waiting this long
/// means something is stuck rather than merely busy.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// `MIGRATIONS[n]` takes a database from version `n` to `n + 1`. Never edit a released step: add
/// one.
const MIGRATIONS: [&str; SCHEMA_VERSION as usize] = [V1];

/// Times are Unix milliseconds (UTC): compact, ordered, and compared without parsing. Every
/// filter index ends in `time_ms` — and, implicitly, the rowid `id` — so a filtered page is read
/// newest first straight off one index, with the keyset cursor `(time_ms, id)` as its start.
/// `sessions` lists the open `AuditLog`s (see `session.rs`); `entries.session` names the one
/// that began an entry, so its pending entries can be settled when it dies.
const V1: &str = "
CREATE TABLE entries (
    id            INTEGER PRIMARY KEY,
    time_ms       INTEGER NOT NULL,
    source        TEXT NOT NULL,
    session       INTEGER NOT NULL,
    gateway_id    TEXT NOT NULL,
    gateway_name  TEXT NOT NULL,
    meter         TEXT NOT NULL,
    command       TEXT NOT NULL,
    params        TEXT NOT NULL,
    summary       TEXT NOT NULL,
    outcome       TEXT NOT NULL,
    msg_id        TEXT,
    error_text    TEXT,
    round_trip_ms INTEGER
);
CREATE INDEX entries_by_time ON entries (time_ms);
CREATE INDEX entries_by_meter ON entries (meter, time_ms);
CREATE INDEX entries_by_gateway ON entries (gateway_id, time_ms);
CREATE INDEX entries_by_command ON entries (command, time_ms);
CREATE INDEX entries_by_outcome ON entries (outcome, time_ms);
CREATE TABLE sessions (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    lock_name TEXT NOT NULL,
    pid       INTEGER NOT NULL,
    opened_ms INTEGER NOT NULL
);
";

/// A connection with the settings every connection to the audit file needs.
pub(crate) fn connect(path: &Path) -> Result<Connection> {
    let doing = "open the audit log";
    let conn = Connection::open(path).map_err(|e| AuditError::database(doing, e))?;
    conn.busy_timeout(BUSY_TIMEOUT)
        .map_err(|e| AuditError::database(doing, e))?;
    // WAL: the history view and an export read a snapshot while commands keep being recorded, and
    // a commit is one append to the `-wal` file instead of a rewrite of the database pages.
    let mode: String = conn
        .pragma_update_and_check(None, "journal_mode", "wal", |row| row.get(0))
        .map_err(|e| AuditError::database(doing, e))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(AuditError::Database {
            message: format!(
                "Could not {doing}: {} cannot be put in WAL mode (it is in {mode} mode)",
                path.display()
            ),
        });
    }
    // NORMAL in WAL mode is durable against the process being killed: a commit returns only after
    // its frames are written to the `-wal` file, so they are in the operating system's page cache,
    // which outlives the process. Only the fsync is deferred (to checkpoints), so only a power cut
    // or an OS crash can lose the last commits — and even then the database stays consistent.
    // FULL would add an fsync to every commit, i.e. to every command sent.
    conn.pragma_update(None, "synchronous", "NORMAL")
        .map_err(|e| AuditError::database(doing, e))?;
    Ok(conn)
}

/// Brings the schema up to [`SCHEMA_VERSION`]. An up-to-date file is only read, so that opening
/// the log (every run of the CLI does) writes nothing. A migration runs in one `IMMEDIATE`
/// transaction, which takes the write lock before the version is read again: an app and a CLI
/// opening a new file at the same moment migrate it once, one after the other.
pub(crate) fn migrate(conn: &mut Connection) -> Result<()> {
    let doing = "update the audit log's schema";
    let db = |e| AuditError::database(doing, e);
    if schema_version(conn).map_err(db)? == SCHEMA_VERSION {
        return Ok(());
    }
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(db)?;
    let found = schema_version(&tx).map_err(db)?;
    if found > SCHEMA_VERSION {
        return Err(AuditError::NewerSchema {
            found,
            supported: SCHEMA_VERSION,
        });
    }
    let Ok(done) = usize::try_from(found) else {
        return Err(AuditError::Corrupt {
            message: format!(
                "The audit log has schema version {found}, which no Push3 Desk writes. Move the \
                 file aside to start a new log."
            ),
        });
    };
    for step in &MIGRATIONS[done..] {
        tx.execute_batch(step).map_err(db)?;
    }
    tx.pragma_update(None, "user_version", SCHEMA_VERSION)
        .map_err(db)?;
    tx.commit().map_err(db)
}

fn schema_version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.pragma_query_value(None, "user_version", |row| row.get(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tables(conn: &Connection) -> Vec<String> {
        let mut stmt = conn
            .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    }

    #[test]
    fn an_empty_database_is_migrated_to_the_current_schema_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("audit.sqlite3");
        std::fs::write(&path, b"").unwrap();
        let mut conn = connect(&path).unwrap();
        migrate(&mut conn).unwrap();
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, SCHEMA_VERSION);
        assert_eq!(
            tables(&conn),
            ["entries", "sessions", "sqlite_sequence"].map(String::from)
        );
        // A second run finds nothing to do (a re-run of V1 would fail on CREATE TABLE).
        migrate(&mut conn).unwrap();
    }

    #[test]
    fn an_up_to_date_file_is_opened_without_waiting_for_a_writer() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("audit.sqlite3");
        migrate(&mut connect(&path).unwrap()).unwrap();
        let writer = connect(&path).unwrap();
        writer.execute_batch("BEGIN IMMEDIATE").unwrap();
        let mut opener = connect(&path).unwrap();
        opener.busy_timeout(Duration::ZERO).unwrap();
        migrate(&mut opener).unwrap();
    }

    #[test]
    fn a_file_from_a_newer_version_is_refused_not_misread() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("audit.sqlite3");
        let mut conn = connect(&path).unwrap();
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
        let e = migrate(&mut conn).unwrap_err();
        assert_eq!(e.code(), AuditError::NEWER_SCHEMA);
        assert!(tables(&conn).is_empty(), "nothing was created");
    }

    #[test]
    fn every_connection_uses_wal_and_normal_sync() {
        let dir = tempfile::tempdir().unwrap();
        let conn = connect(&dir.path().join("audit.sqlite3")).unwrap();
        let mode: String = conn
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .unwrap();
        let sync: i64 = conn
            .pragma_query_value(None, "synchronous", |r| r.get(0))
            .unwrap();
        assert_eq!((mode.as_str(), sync), ("wal", 1));
    }
}
