//! The one audited send. Every command the app, `push3 send`, `push3 apply` or a fleet job sends
//! goes through [`Records::send_on_record`], which keeps one order:
//!
//! 1. the command is put on record in the audit log, as pending, before anything goes out; a
//!    command that cannot be recorded is not sent;
//! 2. it is sent once;
//! 3. the API's acceptance (msg_id and response channel) is recorded the moment `sendCommand`
//!    answers 200, before the wait for the response, so a process killed while waiting leaves
//!    "sent, no answer recorded (msg_id …)" rather than an entry nobody can place;
//! 4. the outcome is recorded;
//! 5. what the outcome says about the meter's settings is kept, and a confirmed new meter
//!    password replaces the stored one.
//!
//! Written once here, a change to the order cannot miss one of the callers.

use crate::store::{AuditStore, Store};
use push3::{Client, ClientError, Command, ConnectionTest, MeterAddress, Outcome, PendingCommand};
use push3_audit::{AuditError, EntryId, Finish, NewEntry, Source};
use push3_fleet::{Sent, Turn};
use push3_inventory::{InventoryError, MeterEdit, MeterPasswordChange};
use std::future::Future;
use std::sync::Arc;
use std::time::Instant;

/// Sends on the record of one [`Store`]: its audit log, its known settings, and its meters'
/// passwords.
pub struct Records {
    store: Arc<dyn Store>,
    /// Where a warning goes: the app's log, or the CLI's stderr.
    warn: fn(&str),
}

/// Where what an outcome teaches is kept.
pub enum Learning {
    /// A meter of the store: its known settings are kept there, and so is a confirmed new
    /// password (when the meter is in the inventory).
    Stored,
    /// The demo gateway's meters (or a `PUSH3_KEY` send): known settings in memory only, for
    /// this process; the caller keeps a new password itself.
    InMemory,
    /// Nothing is learned (a `--raw` send, whose command the core did not parse).
    Nothing,
}

/// Why a command did not go out, or did not come back.
#[derive(Debug)]
pub enum Unsent {
    /// The audit log refused the entry, so the command was not sent.
    NotRecorded(AuditError),
    /// The request failed (network, TLS, a 5xx, an invalid command); the entry says so.
    Failed(ClientError),
    /// The meter took a new password that could not be stored: later commands would carry the
    /// old one. The command itself was confirmed.
    PasswordNotStored { sent: Sent, error: InventoryError },
}

impl Records {
    /// Sends on the record of `store`. Its audit log is opened here: without it nothing may be
    /// sent. `warn` reports what could not be recorded about a command that was sent all the
    /// same.
    pub fn new(store: Arc<dyn Store>, warn: fn(&str)) -> Result<Self, AuditError> {
        store.audit()?;
        Ok(Self { store, warn })
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// Sends one command on record, in the order of this module's documentation. `send` is a
    /// future not yet started, so nothing goes out unless the entry was recorded; its answer is
    /// timed from `turn` (a command may wait behind others at its gateway). `command` is the
    /// parsed command, for learning (`None` for a raw send). `on_sent` hears the msg_id once the
    /// acceptance is on record.
    pub async fn send_on_record(
        &self,
        entry: NewEntry,
        send: impl Future<Output = Result<PendingCommand, ClientError>>,
        turn: Turn,
        command: Option<&Command>,
        learning: Learning,
        on_sent: impl FnOnce(&str),
    ) -> Result<Sent, Unsent> {
        let gateway_id = entry.gateway_id.clone();
        let meter = entry.meter.clone();
        let id = self
            .blocking(move |audit| audit.begin(entry))
            .await
            .map_err(Unsent::NotRecorded)?;
        let started = Instant::now();
        let sent = Sent::settle(
            send.await,
            started,
            turn,
            async |pending: &PendingCommand| {
                let (msg_id, channel) =
                    (pending.msg_id().to_string(), pending.channel().to_string());
                // The acceptance is what tells a killed send from one never made, so it is
                // written before anything else happens; if it cannot be, the outcome still will.
                self.record_accepted(id, msg_id, channel).await;
                on_sent(pending.msg_id());
            },
        )
        .await;
        let finish = match &sent {
            Ok(s) => Finish::from_outcome(&s.outcome, s.msg_id.as_deref(), elapsed_ms(started)),
            Err(e) => Finish::error(e.message(), elapsed_ms(started)),
        };
        self.record_finish(id, finish).await;
        let sent = sent.map_err(Unsent::Failed)?;
        if let Some(command) = command {
            self.learn(&gateway_id, &meter, command, &sent.outcome, learning)
                .map_err(|error| Unsent::PasswordNotStored {
                    sent: sent.clone(),
                    error,
                })?;
        }
        Ok(sent)
    }

    /// A connection test ([`push3::Client::test_connection`]) of `client` on record: its read is
    /// a command to a meter like any other, so it is in the history in this module's order:
    /// begun before it goes out, its acceptance recorded before the wait for the answer, which
    /// is timed from `turn` as a command's is. What it teaches is not kept: the test reads
    /// tariff data, which no setting depends on.
    pub async fn test_on_record(
        &self,
        source: Source,
        gateway: (&str, &str),
        meter: &MeterAddress,
        client: &Client,
        turn: Turn,
    ) -> Result<ConnectionTest, AuditError> {
        let entry = NewEntry {
            time: chrono::Utc::now(),
            source,
            gateway_id: gateway.0.to_string(),
            gateway_name: gateway.1.to_string(),
            meter: meter.clone(),
            command: push3::client::probe::PROBE_COMMAND.to_string(),
            params: serde_json::json!({}),
            summary: "Test connection: read the tariff data".to_string(),
        };
        let id = self.blocking(move |audit| audit.begin(entry)).await?;
        let started = Instant::now();
        let test = match client.probe_send(meter).await {
            Ok(sent) => {
                let (msg_id, channel) = (sent.msg_id().to_string(), sent.channel().to_string());
                self.record_accepted(id, msg_id, channel).await;
                sent.answer_from(turn.come()).await
            }
            Err(refused) => refused,
        };
        let finish = match test.outcome() {
            Ok(outcome) => {
                Finish::from_outcome(&outcome, test.msg_id.as_deref(), elapsed_ms(started))
            }
            Err(e) => Finish::error(e.message(), elapsed_ms(started)),
        };
        self.record_finish(id, finish).await;
        Ok(test)
    }

    /// Records the API's acceptance; a failure is a warning, since the outcome still follows.
    async fn record_accepted(&self, id: EntryId, msg_id: String, channel: String) {
        if let Err(e) = self
            .blocking(move |audit| audit.accepted(id, &msg_id, &channel))
            .await
        {
            (self.warn)(&format!(
                "could not record the API's acceptance: {}",
                e.message()
            ));
        }
    }

    /// Records how a command ended. The command's fate is what the user must see, so a failure
    /// to record it is a warning; the entry then reads as interrupted.
    async fn record_finish(&self, id: EntryId, finish: Finish) {
        if let Err(e) = self.blocking(move |audit| audit.finish(id, &finish)).await {
            (self.warn)(&format!(
                "could not record how a command ended: {}",
                e.message()
            ));
        }
    }

    /// Keeps what the outcome says about the meter. Losing known settings only costs a re-send
    /// of values the meter already holds, so that failure is not the caller's; losing a new
    /// password is.
    fn learn(
        &self,
        gateway_id: &str,
        meter: &MeterAddress,
        command: &Command,
        outcome: &Outcome,
        learning: Learning,
    ) -> Result<(), InventoryError> {
        let persistent = match learning {
            Learning::Nothing => return Ok(()),
            Learning::Stored => true,
            Learning::InMemory => false,
        };
        let _ = self
            .store
            .known()
            .record(gateway_id, meter, persistent, command, outcome);
        let inventory = self.store.inventory();
        let (Learning::Stored, Command::SetMeterPassword { new_password }, true) =
            (learning, command, outcome.is_confirmed())
        else {
            return Ok(());
        };
        let edit = MeterEdit {
            password: MeterPasswordChange::Set(push3::Secret::new(new_password.expose())),
            ..Default::default()
        };
        match inventory.edit_meter(meter, edit) {
            Ok(_) => Ok(()),
            // A meter addressed by number only (not in the inventory) has no password to keep.
            Err(InventoryError::NotFound { .. }) if inventory.meter(meter).is_err() => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// Audit writes are short, but may wait up to the store's busy timeout for another process,
    /// so they run on the blocking pool rather than an async worker.
    async fn blocking<T: Send + 'static>(
        &self,
        op: impl FnOnce(&dyn AuditStore) -> push3_audit::Result<T> + Send + 'static,
    ) -> push3_audit::Result<T> {
        let store = Arc::clone(&self.store);
        tokio::task::spawn_blocking(move || op(store.audit()?))
            .await
            .unwrap_or_else(|e| {
                Err(AuditError::Database {
                    message: format!("the audit task failed: {e}"),
                })
            })
    }
}

/// Milliseconds since `started`, as the audit log and the UI report round trips.
pub(crate) fn elapsed_ms(started: Instant) -> u64 {
    started.elapsed().as_millis().try_into().unwrap_or(u64::MAX)
}
