//! Telling a long-running process (the app) that another one (a `push3` command, a second
//! window's process) changed the store.
//!
//! SQLite's `PRAGMA data_version` changes on a connection whenever another connection commits to
//! the file, in this process or any other. Polling it is one cheap read of a value in shared
//! memory: no file watcher, which would see every write of the `-wal` file, checkpoints and
//! other readers' lock changes included, and would need a platform backend on each OS. Only when
//! it moved is the `revisions` table read, to say which parts changed.

use crate::connection::connect;
use crate::error::{Result, StoreError};
use rusqlite::Connection;
use std::path::Path;

/// Which parts of the store changed since the last look.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Changes {
    /// Gateways, meters or their tags.
    pub inventory: bool,
    /// The audit log: a command recorded, accepted or settled.
    pub audit: bool,
    pub templates: bool,
}

impl Changes {
    pub fn any(&self) -> bool {
        self.inventory || self.audit || self.templates
    }
}

/// A connection of its own that only watches `data_version`. Its own connection, because a
/// connection's own commits do not change the value it reads.
pub struct ChangeWatch {
    conn: Connection,
    seen: i64,
    revisions: [i64; 3],
}

impl ChangeWatch {
    /// Watches the database at `path` (which [`crate::open`] has created) from now on.
    pub fn open(path: &Path) -> Result<Self> {
        let conn = connect(path)?;
        let seen = data_version(&conn)?;
        let revisions = revisions(&conn)?;
        Ok(Self {
            conn,
            seen,
            revisions,
        })
    }

    /// What other connections changed since the last call (or since `open`).
    pub fn changes(&mut self) -> Result<Changes> {
        let now = data_version(&self.conn)?;
        if now == self.seen {
            return Ok(Changes::default());
        }
        self.seen = now;
        let revisions = revisions(&self.conn)?;
        let moved = |i: usize| revisions[i] != self.revisions[i];
        let changes = Changes {
            inventory: moved(0),
            audit: moved(1),
            templates: moved(2),
        };
        self.revisions = revisions;
        Ok(changes)
    }
}

/// The revision of the inventory, the audit log and the templates, in that order.
fn revisions(conn: &Connection) -> Result<[i64; 3]> {
    let read = |part: &str| -> rusqlite::Result<i64> {
        conn.prepare_cached("SELECT revision FROM revisions WHERE part = ?1")?
            .query_row([part], |row| row.get(0))
    };
    (|| Ok([read("inventory")?, read("audit")?, read("templates")?]))()
        .map_err(|e| StoreError::database("watch the database for changes", e))
}

fn data_version(conn: &Connection) -> Result<i64> {
    conn.pragma_query_value(None, "data_version", |row| row.get(0))
        .map_err(|e| StoreError::database("watch the database for changes", e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_commit_by_another_connection_is_seen_once_by_its_part_and_a_read_is_not() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(crate::FILE_NAME);
        let writer = crate::open(&path).unwrap();
        let mut watch = ChangeWatch::open(&path).unwrap();
        assert!(!watch.changes().unwrap().any());

        writer
            .execute(
                "INSERT INTO gateways (id, name, api_url, note, has_token, key_hint) \
                 VALUES ('g', 'North', 'https://x', '', 0, '')",
                [],
            )
            .unwrap();
        let changes = watch.changes().unwrap();
        assert_eq!(
            changes,
            Changes {
                inventory: true,
                ..Changes::default()
            }
        );
        assert!(!watch.changes().unwrap().any(), "seen once");

        let _: i64 = writer
            .query_row("SELECT count(*) FROM gateways", [], |r| r.get(0))
            .unwrap();
        assert!(!watch.changes().unwrap().any(), "a read changes nothing");

        // A command on record changes the audit log alone: the inventory is not re-read for it.
        writer
            .execute(
                "INSERT INTO entries (time_ms, source, session, gateway_id, gateway_name, meter, \
                 command, params, summary, outcome) \
                 VALUES (1, 'cli', 0, 'g', 'North', '000000000001', 'SetRelay', '{}', '', 'pending')",
                [],
            )
            .unwrap();
        assert_eq!(
            watch.changes().unwrap(),
            Changes {
                audit: true,
                ..Changes::default()
            }
        );
        writer
            .execute(
                "INSERT INTO templates (name, json, saved_ms) VALUES ('t', '{}', 1)",
                [],
            )
            .unwrap();
        assert!(watch.changes().unwrap().templates);
    }
}
