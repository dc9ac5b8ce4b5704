//! Where the engine's commands go. The engine decides what to send and when; a [`CommandSink`]
//! sends one command to one meter and reports what became of it. The app implements it over its
//! per-gateway clients, audit log and stored meter passwords; [`ClientSink`] is the plain one
//! over `push3::Client`s, for the CLI and the tests.

use crate::pacing::Paces;
use push3::{
    Client, ClientError, Command, ErrorKind, MeterAddress, MeterPassword, Outcome, ParsedCommand,
    PendingCommand,
};
use serde::Serialize;
use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::time::{Duration, Instant};
use tokio::sync::oneshot;
use ts_rs::TS;

/// A command that reached the API, and its outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct Sent {
    /// The API's id for the command; `None` when the API refused it (400, nothing was sent on).
    pub msg_id: Option<String>,
    pub outcome: Outcome,
    /// From the POST until the outcome.
    pub elapsed: Duration,
}

impl Sent {
    /// How a send begun at `started` ended: a command the API took is followed to its outcome,
    /// timed from its `turn` at the gateway (`on_sent` hears of the acceptance first, and is
    /// awaited); a 400 is the `Rejected` outcome of a command the API did not pass on, so it has
    /// no msg_id; any other error means nothing was sent. The app, the CLI and [`ClientSink`]
    /// all read a send this one way.
    pub async fn settle(
        sent: Result<PendingCommand, ClientError>,
        started: Instant,
        turn: Turn,
        on_sent: impl AsyncFnOnce(&PendingCommand),
    ) -> Result<Self, ClientError> {
        match sent {
            Ok(pending) => {
                on_sent(&pending).await;
                let msg_id = pending.msg_id().to_string();
                let outcome = pending.outcome_from(turn.come()).await;
                Ok(Self {
                    msg_id: Some(msg_id),
                    outcome,
                    elapsed: started.elapsed(),
                })
            }
            Err(e) if e.kind() == ErrorKind::Rejected => Ok(Self {
                msg_id: None,
                outcome: Outcome::Rejected {
                    error: e.message().to_string(),
                },
                elapsed: started.elapsed(),
            }),
            Err(e) => Err(e),
        }
    }
}

/// A command that was not sent: no client for the gateway, no credentials, the API unreachable
/// or answering something other than 200/400 (G4). `code` is the sender's stable error code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SendError {
    pub code: String,
    pub message: String,
}

impl SendError {
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            code: code.into(),
            message: message.into(),
        }
    }
}

impl From<ClientError> for SendError {
    fn from(e: ClientError) -> Self {
        Self::new(e.code(), e.message())
    }
}

impl fmt::Display for SendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for SendError {}

/// When the gateway could start running a command: its answer is timed from then, not from
/// the send (see [`crate::pacing`]). A send outside the engine has its turn at once.
pub struct Turn(Option<oneshot::Receiver<()>>);

impl Turn {
    /// The turn is now: nothing is ahead of the command.
    pub fn now() -> Self {
        Self(None)
    }

    /// A turn that comes when the giver gives it (or is dropped: the engine is gone, and
    /// nothing holds the command back any more).
    pub(crate) fn later() -> (TurnGiver, Self) {
        let (tx, rx) = oneshot::channel();
        (TurnGiver(Some(tx)), Self(Some(rx)))
    }

    /// Resolves when the turn has come.
    pub async fn come(self) {
        if let Some(rx) = self.0 {
            let _ = rx.await;
        }
    }
}

/// The engine's side of a [`Turn`].
pub(crate) struct TurnGiver(Option<oneshot::Sender<()>>);

impl TurnGiver {
    /// Gives the turn; giving it again does nothing.
    pub(crate) fn give(&mut self) {
        if let Some(tx) = self.0.take() {
            let _ = tx.send(());
        }
    }
}

/// Sends one validated command to one meter and waits for its outcome, timed from its `turn`.
/// It must send a command that changes a meter at most once (the engine never asks twice for
/// the same one).
pub trait CommandSink: Sync {
    fn send(
        &self,
        gateway_id: &str,
        meter: &MeterAddress,
        command: &Command,
        turn: Turn,
    ) -> impl Future<Output = Result<Sent, SendError>> + Send;

    /// The pace the sink keeps across jobs and single commands, if it keeps one (the app
    /// does); a job without one learns each gateway's pace afresh.
    fn paces(&self) -> Option<Paces> {
        None
    }
}

/// A [`CommandSink`] over one `push3::Client` per gateway id, with the passwords of meters that
/// are not on the factory password.
#[derive(Default)]
pub struct ClientSink {
    clients: HashMap<String, Client>,
    passwords: HashMap<(String, MeterAddress), MeterPassword>,
    paces: Option<Paces>,
}

impl ClientSink {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn with_gateway(mut self, gateway_id: &str, client: Client) -> Self {
        self.clients.insert(gateway_id.to_string(), client);
        self
    }

    /// Shares `paces` with the jobs run through this sink and with single sends beside them.
    pub fn with_paces(mut self, paces: Paces) -> Self {
        self.paces = Some(paces);
        self
    }

    pub fn with_password(
        mut self,
        gateway_id: &str,
        meter: MeterAddress,
        password: MeterPassword,
    ) -> Self {
        self.passwords
            .insert((gateway_id.to_string(), meter), password);
        self
    }
}

impl CommandSink for ClientSink {
    async fn send(
        &self,
        gateway_id: &str,
        meter: &MeterAddress,
        command: &Command,
        turn: Turn,
    ) -> Result<Sent, SendError> {
        let client = self.clients.get(gateway_id).ok_or_else(|| {
            SendError::new("not_found", format!("no client for gateway {gateway_id:?}"))
        })?;
        let parsed = ParsedCommand {
            command: command.clone(),
            meter_password: self
                .passwords
                .get(&(gateway_id.to_string(), meter.clone()))
                .copied(),
        };
        let started = Instant::now();
        let sent = client.send_retrying_reads(meter, &parsed).await;
        Ok(Sent::settle(sent, started, turn, async |_: &PendingCommand| {}).await?)
    }

    fn paces(&self) -> Option<Paces> {
        self.paces.clone()
    }
}
