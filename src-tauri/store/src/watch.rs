//! Telling a long-running process (the app) that another one (a `push3` command, a second
//! window's process) changed the store.
//!
//! SQLite's `PRAGMA data_version` changes on a connection whenever another connection commits to
//! the file, in this process or any other. Polling it is one cheap read of a value in shared
//! memory: no file watcher, which would see every write of the `-wal` file, checkpoints and
//! other readers' lock changes included, and would need a platform backend on each OS.

use crate::connection::connect;
use crate::error::{Result, StoreError};
use rusqlite::Connection;
use std::path::Path;

/// A connection of its own that only watches `data_version`. Its own connection, because a
/// connection's own commits do not change the value it reads.
pub struct ChangeWatch {
    conn: Connection,
    seen: i64,
}

impl ChangeWatch {
    /// Watches the database at `path` (which [`crate::open`] has created) from now on.
    pub fn open(path: &Path) -> Result<Self> {
        let conn = connect(path)?;
        let seen = data_version(&conn)?;
        Ok(Self { conn, seen })
    }

    /// True when any other connection committed since the last call (or since `open`).
    pub fn changed(&mut self) -> Result<bool> {
        let now = data_version(&self.conn)?;
        let changed = now != self.seen;
        self.seen = now;
        Ok(changed)
    }
}

fn data_version(conn: &Connection) -> Result<i64> {
    conn.pragma_query_value(None, "data_version", |row| row.get(0))
        .map_err(|e| StoreError::database("watch the database for changes", e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_commit_by_another_connection_is_seen_once_and_a_read_is_not() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(crate::FILE_NAME);
        let writer = crate::open(&path).unwrap();
        let mut watch = ChangeWatch::open(&path).unwrap();
        assert!(!watch.changed().unwrap());

        writer
            .execute(
                "INSERT INTO gateways (id, name, api_url, note, has_token, key_hint) \
                 VALUES ('g', 'North', 'https://x', '', 0, '')",
                [],
            )
            .unwrap();
        assert!(watch.changed().unwrap());
        assert!(!watch.changed().unwrap(), "seen once");

        let _: i64 = writer
            .query_row("SELECT count(*) FROM gateways", [], |r| r.get(0))
            .unwrap();
        assert!(!watch.changed().unwrap(), "a read changes nothing");
    }
}
