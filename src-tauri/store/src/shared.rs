//! One connection to the store per component (the inventory, the known settings), opened at its
//! first use and then kept, so a process that never touches the store never creates it, and one
//! that does pays for the schema check once.

use crate::error::{Result, StoreError};
use rusqlite::Connection;
use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

pub struct SharedConnection {
    path: PathBuf,
    conn: Mutex<Option<Connection>>,
}

impl SharedConnection {
    pub fn new(path: PathBuf) -> Self {
        Self {
            path,
            conn: Mutex::new(None),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The connection, for this thread alone until the guard is dropped.
    pub fn lock(&self) -> Result<ConnectionGuard<'_>> {
        // Every use of the connection is a statement or a transaction that is rolled back when
        // it does not finish, so a panic elsewhere cannot leave it half-changed.
        let mut guard = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        if guard.is_none() {
            *guard = Some(crate::open(&self.path)?);
        }
        Ok(ConnectionGuard(guard))
    }
}

pub struct ConnectionGuard<'a>(MutexGuard<'a, Option<Connection>>);

impl Deref for ConnectionGuard<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        self.0.as_ref().expect("opened by SharedConnection::lock")
    }
}

/// Runs `work` in a transaction that takes the write lock first (`BEGIN IMMEDIATE`), so that what
/// it reads cannot change before what it writes is committed; any error rolls it all back.
pub fn write_transaction<T, E: From<StoreError>>(
    conn: &Connection,
    doing: &str,
    work: impl FnOnce(&Connection) -> std::result::Result<T, E>,
) -> std::result::Result<T, E> {
    conn.execute_batch("BEGIN IMMEDIATE")
        .map_err(|e| StoreError::database(doing, e))?;
    match work(conn) {
        Ok(value) => match conn.execute_batch("COMMIT") {
            Ok(()) => Ok(value),
            Err(e) => {
                let _ = conn.execute_batch("ROLLBACK");
                Err(StoreError::database(doing, e).into())
            }
        },
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK");
            Err(e)
        }
    }
}
