//! What the CLI keeps of every command it sends, as the app does (issue 7): an audit entry begun
//! before the command goes out and finished once its fate is known, and what the outcome says
//! about the meter's settings (the known settings the app and `push3 apply` plan from). Both
//! live in the data dir the app uses.

use crate::exit::Exit;
use push3::{ClientError, Command, MeterAddress, Outcome, PendingCommand};
use push3_audit::{AuditError, AuditLog, Finish, NewEntry};
use push3_fleet::Sent;
use push3_inventory::KnownStore;
use std::future::Future;
use std::path::Path;
use std::time::Instant;

pub struct Records {
    audit: AuditLog,
    known: KnownStore,
}

/// Why a command did not go out, or did not come back.
pub enum Unsent {
    /// The audit log refused the entry, so the command was not sent.
    NotRecorded(AuditError),
    /// The request failed (network, TLS, a 5xx, an invalid command); the entry says so.
    Failed(ClientError),
}

impl Records {
    /// Opens the audit log and the known settings in `data_dir`. Without an audit log nothing
    /// may be sent, the app's rule too, so this refuses with exit 2.
    pub fn open(data_dir: &Path) -> Result<Self, Exit> {
        let audit = AuditLog::open(data_dir.join(push3_audit::FILE_NAME)).map_err(|e| {
            Exit::Refused(format!(
                "nothing was sent: every command goes on record first, and the audit log cannot \
                 be opened: {}",
                e.message()
            ))
        })?;
        Ok(Self {
            audit,
            known: KnownStore::open(data_dir),
        })
    }

    pub fn audit(&self) -> &AuditLog {
        &self.audit
    }

    /// Puts `entry` on record, then sends with `send` and waits for the outcome, and records how
    /// it ended. `send` is a future not yet started, so nothing goes out unless the entry was
    /// recorded. A 400 from the API is the `Rejected` outcome of a command that was not passed
    /// on (no msg_id), as in the app.
    pub async fn send(
        &self,
        entry: NewEntry,
        send: impl Future<Output = Result<PendingCommand, ClientError>>,
    ) -> Result<Sent, Unsent> {
        // Blocking SQLite on the async thread: one short insert in WAL mode, which delays the
        // other commands of an apply by far less than their round trips.
        let id = self.audit.begin(entry).map_err(Unsent::NotRecorded)?;
        let started = Instant::now();
        let sent = Sent::settle(send.await, started, |_| {}).await;
        let finish = match &sent {
            Ok(s) => Finish::from_outcome(&s.outcome, s.msg_id.as_deref(), elapsed_ms(started)),
            Err(e) => Finish::error(e.message(), elapsed_ms(started)),
        };
        // The command's fate is what the user must see, so a failure to record it is a warning;
        // the entry then reads as interrupted in the history.
        if let Err(e) = self.audit.finish(id, &finish) {
            eprintln!(
                "push3: warning: could not record how the command ended: {}",
                e.message()
            );
        }
        sent.map_err(Unsent::Failed)
    }

    /// Keeps what `outcome` says about a meter of the inventory gateway `gateway_id`.
    pub fn learn(
        &self,
        gateway_id: &str,
        meter: &MeterAddress,
        command: &Command,
        outcome: &Outcome,
    ) {
        // Losing this file only costs a re-send of settings the meter already holds.
        let _ = self.known.record(gateway_id, meter, true, command, outcome);
    }

    pub fn known(&self) -> &KnownStore {
        &self.known
    }
}

fn elapsed_ms(started: Instant) -> u64 {
    started.elapsed().as_millis().try_into().unwrap_or(u64::MAX)
}
