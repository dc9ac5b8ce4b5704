//! Which `AuditLog`s are still open, so that an entry left `pending` by a process that died reads
//! as `interrupted` while one still in flight in a live process stays `pending`.
//!
//! Each open log is a session: a row in `sessions`, and an exclusive lock held for the session's
//! whole life on a lock file of its own, in a folder next to the database. The operating system
//! releases a dead process's locks — after `kill -9` too — so whoever can take a session's lock
//! knows its owner is gone. The lock file is an empty SQLite database held in an open `BEGIN
//! EXCLUSIVE`: SQLite's own file locking, the same on every platform, with no extra dependency.
//!
//! A session is registered only after its lock is held, and a checker only considers registered
//! sessions, so a log still setting up is never taken for a dead one.

use crate::error::{AuditError, Result};
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

/// This process's session: registered in `sessions` as `id`, alive while this value is.
pub(crate) struct Session {
    pub id: i64,
    /// Only held, never used; the mutex makes the log that owns it shareable across threads.
    lock: Option<Mutex<Connection>>,
    lock_path: PathBuf,
}

impl Session {
    /// Takes a fresh lock in `lock_dir`, then registers it through `conn`.
    pub fn start(conn: &Connection, lock_dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(lock_dir)
            .map_err(|e| AuditError::io("create the folder", lock_dir, &e))?;
        let lock_name = format!("{}.lock", uuid::Uuid::new_v4().simple());
        let lock_path = lock_dir.join(&lock_name);
        let doing = "start an audit session";
        let lock = Connection::open(&lock_path).map_err(|e| AuditError::database(doing, e))?;
        // No journal: nothing is ever written, the transaction only holds the lock.
        lock.execute_batch("PRAGMA journal_mode = OFF; BEGIN EXCLUSIVE;")
            .map_err(|e| AuditError::database(doing, e))?;
        let registered = conn.execute(
            "INSERT INTO sessions (lock_name, pid, opened_ms) VALUES (?1, ?2, ?3)",
            (
                &lock_name,
                std::process::id(),
                chrono::Utc::now().timestamp_millis(),
            ),
        );
        if let Err(e) = registered {
            drop(lock);
            let _ = std::fs::remove_file(&lock_path);
            return Err(AuditError::database(doing, e));
        }
        Ok(Self {
            id: conn.last_insert_rowid(),
            lock: Some(Mutex::new(lock)),
            lock_path,
        })
    }

    /// Ends the session on a clean close: whatever it left pending can no longer be finished.
    pub fn end(&mut self, conn: &Connection) {
        // Best effort: if this fails, the next checker finds the lock free and does the same.
        let _ = interrupt_and_forget(conn, self.id);
        self.lock.take();
        let _ = std::fs::remove_file(&self.lock_path);
    }
}

/// Which registered sessions to check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    /// All of them: on open, so the sessions of crashed processes do not pile up.
    All,
    /// Only those with pending entries: before each read, where that is all that matters.
    WithPending,
}

/// The sessions other than `own` whose owner has died, by `conn` (any connection will do).
pub(crate) fn dead_sessions(
    conn: &Connection,
    lock_dir: &Path,
    own: i64,
    scope: Scope,
) -> rusqlite::Result<Vec<i64>> {
    let sql = match scope {
        Scope::All => "SELECT id, lock_name FROM sessions WHERE id <> ?1",
        Scope::WithPending => {
            "SELECT id, lock_name FROM sessions WHERE id <> ?1 AND EXISTS \
             (SELECT 1 FROM entries WHERE outcome = 'pending' AND session = sessions.id)"
        }
    };
    let mut stmt = conn.prepare_cached(sql)?;
    let sessions = stmt
        .query_map([own], |row| Ok((row.get(0)?, row.get::<_, String>(1)?)))?
        .collect::<rusqlite::Result<Vec<(i64, String)>>>()?;
    Ok(sessions
        .into_iter()
        .filter(|(_, lock_name)| !is_alive(&lock_dir.join(lock_name)))
        .map(|(id, _)| id)
        .collect())
}

/// Marks the pending entries of the dead session `id` interrupted, forgets the session and
/// removes its lock file. Idempotent, so two processes settling the same session is harmless.
pub(crate) fn settle(conn: &mut Connection, lock_dir: &Path, id: i64) -> rusqlite::Result<()> {
    let lock_name: Option<String> = conn
        .prepare_cached("SELECT lock_name FROM sessions WHERE id = ?1")?
        .query_row([id], |row| row.get(0))
        .ok();
    let tx = conn.transaction()?;
    interrupt_and_forget(&tx, id)?;
    tx.commit()?;
    if let Some(name) = lock_name {
        let _ = std::fs::remove_file(lock_dir.join(name));
    }
    Ok(())
}

fn interrupt_and_forget(conn: &Connection, id: i64) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE entries SET outcome = 'interrupted' WHERE outcome = 'pending' AND session = ?1",
    )?
    .execute([id])?;
    conn.prepare_cached("DELETE FROM sessions WHERE id = ?1")?
        .execute([id])?;
    Ok(())
}

/// Whether a live process holds the lock at `path`. A missing file means its owner is gone; an
/// error other than "busy" answers "alive", because only a certain death may turn an entry into
/// `interrupted`.
fn is_alive(path: &Path) -> bool {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let Ok(probe) = Connection::open_with_flags(path, flags) else {
        return path.exists();
    };
    // rusqlite gives every connection a 5 s busy timeout; a held lock must answer "busy" at once.
    probe.busy_timeout(Duration::ZERO).is_err()
        || probe.execute_batch("BEGIN IMMEDIATE; ROLLBACK;").is_err()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_held_lock_reads_alive_and_a_released_one_dead() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.lock");
        let holder = Connection::open(&path).unwrap();
        holder
            .execute_batch("PRAGMA journal_mode = OFF; BEGIN EXCLUSIVE;")
            .unwrap();
        assert!(is_alive(&path));
        drop(holder);
        assert!(!is_alive(&path));
        std::fs::remove_file(&path).unwrap();
        assert!(!is_alive(&path), "a missing lock file is a dead session");
    }
}
