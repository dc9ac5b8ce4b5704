//! The audit log: its tables in the one store (`push3-store`), shared by the app and the CLI.
//!
//! Two connections, each behind its own mutex: `writer` records commands, `reader` answers the
//! history view and exports. In WAL mode a reader works on a snapshot without blocking the
//! writer, so a long CSV export never delays the recording of a command being sent.

use crate::checkpoint::Checkpoints;
use crate::entry::{EntryId, NewEntry};
use crate::error::{AuditError, Result};
use crate::export::CsvExport;
use crate::outcome::{Finish, Outcome};
use crate::query::{self, check_limit, EntryPage, Filter, Page, COLUMNS};
use crate::redact::redact;
use crate::session::{self, Scope, Session};
use rusqlite::types::Value as SqlValue;
use rusqlite::{params_from_iter, Connection, OptionalExtension};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

pub struct AuditLog {
    path: PathBuf,
    lock_dir: PathBuf,
    writer: Mutex<Connection>,
    reader: Mutex<Connection>,
    checkpoints: Checkpoints,
    session: Session,
}

impl AuditLog {
    /// Opens (creating it and its folder if needed) the store at `path`, brings its schema up to
    /// date, and settles what crashed processes left pending.
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref().to_path_buf();
        let mut file_name = path.file_name().unwrap_or_default().to_os_string();
        file_name.push("-sessions");
        let lock_dir = path.with_file_name(file_name);

        let mut writer = push3_store::open(&path)?;
        let checkpoints = Checkpoints::take_over(&mut writer)
            .map_err(|e| AuditError::database("open the audit log", e))?;
        // Refreshes the planner's statistics when they are missing or stale, within a bounded
        // effort; with them, a filter on a rare outcome uses its index instead of the time index.
        writer
            .execute_batch("PRAGMA optimize = 0x10002;")
            .map_err(|e| AuditError::database("open the audit log", e))?;
        let session = Session::start(&writer, &lock_dir)?;
        let log = Self {
            reader: Mutex::new(push3_store::connect(&path)?),
            writer: Mutex::new(writer),
            path,
            lock_dir,
            checkpoints,
            session,
        };
        log.settle_dead_sessions(Scope::All)?;
        Ok(log)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Records a command about to be sent, as `pending`, with its secrets masked. Call it before
    /// sending, so that a crash while the command is under way still leaves its trace.
    pub fn begin(&self, entry: NewEntry) -> Result<EntryId> {
        let params = redact(&entry.params).to_string();
        let conn = lock(&self.writer);
        let doing = "record the command in the audit log";
        conn.prepare_cached(
            "INSERT INTO entries (time_ms, source, session, gateway_id, gateway_name, meter, \
             command, params, summary, outcome) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'pending')",
        )
        .and_then(|mut insert| {
            insert.execute((
                entry.time.timestamp_millis(),
                entry.source.as_str(),
                self.session.id,
                &entry.gateway_id,
                &entry.gateway_name,
                entry.meter.as_str(),
                &entry.command,
                &params,
                &entry.summary,
            ))
        })
        .map_err(|e| AuditError::database(doing, e))?;
        Ok(EntryId(conn.last_insert_rowid()))
    }

    /// Records that the API accepted the command begun as `id`, under `msg_id`, with its answer
    /// due on `channel`. Call it the moment `sendCommand` answers, before waiting for the
    /// response: a process killed while waiting then leaves a command known to be sent.
    pub fn accepted(&self, id: EntryId, msg_id: &str, channel: &str) -> Result<()> {
        let conn = lock(&self.writer);
        conn.prepare_cached(
            "UPDATE entries SET msg_id = ?2, channel = ?3, accepted_ms = ?4 \
             WHERE id = ?1 AND outcome = 'pending'",
        )
        .and_then(|mut update| {
            update.execute((id.0, msg_id, channel, chrono::Utc::now().timestamp_millis()))
        })
        .map_err(|e| AuditError::database("record the API's acceptance in the audit log", e))?;
        Ok(())
    }

    /// Records how the command begun as `id` ended. An outcome is written once.
    pub fn finish(&self, id: EntryId, finish: &Finish) -> Result<()> {
        let conn = lock(&self.writer);
        let doing = "record the command's outcome in the audit log";
        let db = |e| AuditError::database(doing, e);
        let updated = conn
            .prepare_cached(
                "UPDATE entries SET outcome = ?2, msg_id = coalesce(?3, msg_id), error_text = ?4, \
                 round_trip_ms = ?5 WHERE id = ?1 AND outcome = 'pending'",
            )
            .and_then(|mut update| {
                update.execute((
                    id.0,
                    Outcome::from(finish.outcome).as_str(),
                    &finish.msg_id,
                    &finish.error_text,
                    finish
                        .round_trip_ms
                        .map(|ms| i64::try_from(ms).unwrap_or(i64::MAX)),
                ))
            })
            .map_err(db)?;
        if updated == 1 {
            self.checkpoints.run_if_due(&conn);
            return Ok(());
        }
        let current: Option<String> = conn
            .query_row("SELECT outcome FROM entries WHERE id = ?1", [id.0], |row| {
                row.get(0)
            })
            .optional()
            .map_err(db)?;
        Err(match current {
            Some(outcome) => AuditError::AlreadyFinished {
                message: format!("Audit entry {id} already has its outcome ({outcome})."),
            },
            None => AuditError::NotFound {
                message: format!("There is no audit entry {id}."),
            },
        })
    }

    /// One page of the entries `filter` matches, newest first.
    pub fn query(&self, filter: &Filter, page: &Page) -> Result<EntryPage> {
        check_limit(page.limit)?;
        let conditions = filter.conditions(page.before)?;
        self.settle_dead_sessions(Scope::WithPending)?;
        let sql = format!(
            "SELECT {COLUMNS} FROM entries{} ORDER BY time_ms DESC, id DESC LIMIT ?",
            conditions.sql
        );
        let mut args = conditions.args;
        // One more than asked for: its presence is what says there is a next page.
        args.push(SqlValue::Integer(i64::from(page.limit) + 1));
        let conn = lock(&self.reader);
        let db = |e| AuditError::database("read the audit log", e);
        let mut select = conn.prepare_cached(&sql).map_err(db)?;
        let rows = select
            .query_map(params_from_iter(args), query::entry_from_row)
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(db)?;
        Ok(EntryPage::from_rows(rows, page.limit))
    }

    /// How many entries `filter` matches.
    pub fn count(&self, filter: &Filter) -> Result<u64> {
        let conditions = filter.conditions(None)?;
        self.settle_dead_sessions(Scope::WithPending)?;
        let conn = lock(&self.reader);
        let count: i64 = conn
            .prepare_cached(&format!("SELECT COUNT(*) FROM entries{}", conditions.sql))
            .and_then(|mut select| {
                select.query_row(params_from_iter(conditions.args), |row| row.get(0))
            })
            .map_err(|e| AuditError::database("count the audit entries", e))?;
        Ok(count.unsigned_abs())
    }

    /// Writes every entry `filter` matches to `out` as CSV, newest first, row by row from one
    /// snapshot of the log. Returns how many entries were written.
    pub fn export_csv(&self, filter: &Filter, out: impl Write) -> Result<u64> {
        let conditions = filter.conditions(None)?;
        self.settle_dead_sessions(Scope::WithPending)?;
        let sql = format!(
            "SELECT {COLUMNS} FROM entries{} ORDER BY time_ms DESC, id DESC",
            conditions.sql
        );
        let conn = lock(&self.reader);
        let db = |e| AuditError::database("export the audit log", e);
        let mut select = conn.prepare(&sql).map_err(db)?;
        let mut rows = select
            .query(params_from_iter(conditions.args))
            .map_err(db)?;
        let mut export = CsvExport::start(out)?;
        while let Some(row) = rows.next().map_err(db)? {
            export.write(&query::entry_from_row(row).map_err(db)?)?;
        }
        export.finish()
    }

    /// `PRAGMA integrity_check` over the whole file: `Ok` when SQLite reports "ok", otherwise
    /// `Corrupt` with what it found.
    pub fn integrity_check(&self) -> Result<()> {
        let conn = lock(&self.reader);
        let report = conn
            .prepare("PRAGMA integrity_check")
            .and_then(|mut check| {
                check
                    .query_map([], |row| row.get::<_, String>(0))?
                    .collect::<rusqlite::Result<Vec<_>>>()
            })
            .map_err(|e| AuditError::database("check the audit log", e))?;
        if report == ["ok"] {
            Ok(())
        } else {
            Err(AuditError::Corrupt {
                message: format!(
                    "The audit log at {} is damaged: {}",
                    self.path.display(),
                    report.join("; ")
                ),
            })
        }
    }

    /// Turns the pending entries of sessions whose process has died into `interrupted`.
    fn settle_dead_sessions(&self, scope: Scope) -> Result<()> {
        let doing = "settle the commands of closed sessions";
        let dead =
            session::dead_sessions(&lock(&self.reader), &self.lock_dir, self.session.id, scope)
                .map_err(|e| AuditError::database(doing, e))?;
        if dead.is_empty() {
            return Ok(());
        }
        let mut writer = lock(&self.writer);
        for id in dead {
            session::settle(&mut writer, &self.lock_dir, id)
                .map_err(|e| AuditError::database(doing, e))?;
        }
        Ok(())
    }
}

impl Drop for AuditLog {
    fn drop(&mut self) {
        let writer = self
            .writer
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner);
        self.session.end(writer);
    }
}

/// A panic while a connection was held cannot leave it mid-transaction (every transaction here
/// rolls back on drop), so a poisoned lock is still safe to use.
fn lock(conn: &Mutex<Connection>) -> MutexGuard<'_, Connection> {
    conn.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_log_can_be_shared_by_the_app_across_threads() {
        fn shareable<T: Send + Sync>() {}
        shareable::<AuditLog>();
    }
}
