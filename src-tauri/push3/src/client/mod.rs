//! The client: validate, `POST sendCommand`, then wait on the shared response subscription.
//!
//! A [`Client`] is a cheap handle (clone it freely). [`Client::send`] returns a
//! [`PendingCommand`] as soon as the API accepted the command (state "sent", with its `msg_id`);
//! awaiting it gives the [`Outcome`]. [`Client::execute`] does both. Nothing that changes a meter
//! is ever sent twice by this module; a Get… is retried once after a failed send (G4).

pub mod config;
pub mod error;
pub mod outcome;
pub mod probe;
mod send;

pub use config::{ClientConfig, KeyPlacement, DEFAULT_API_URL};
pub use error::{ClientError, ErrorKind};
pub use outcome::Outcome;
pub use probe::{ConnectionTest, ProbeCheck, ProbeProblem, ProbeSent, ProbeStep};

use crate::address::MeterAddress;
use crate::command::{ParseOptions, ParsedCommand};
use crate::error::ValidationError;
use crate::stream::connect::WsConnector;
use crate::stream::StreamEndpoint;
use crate::subscription::{StreamStats, Subscriptions, Waiter};
use crate::wire::SendCommandRequest;
use serde_json::{Map, Value};
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;
use tokio::time::Instant;

#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    config: ClientConfig,
    url: reqwest::Url,
    api_is_plain: bool,
    http: reqwest::Client,
    /// What the stream's websocket connects with; the connection test opens its own.
    ws: WsConnector,
    subscriptions: Subscriptions,
}

/// A command the API accepted, waiting for its response.
pub struct PendingCommand {
    msg_id: String,
    /// The response channel the API named for it (`response_channel_id`).
    channel: String,
    command: String,
    deadline: Instant,
    /// How long the answer is waited for once the command may run.
    timeout: Duration,
    /// `None` when the API named a channel that cannot be subscribed to.
    waiter: Option<Waiter>,
}

impl PendingCommand {
    /// The API's id for this command; responses are matched on it.
    pub fn msg_id(&self) -> &str {
        &self.msg_id
    }

    /// The response channel its answer is expected on, for the record.
    pub fn channel(&self) -> &str {
        &self.channel
    }

    pub fn command(&self) -> &str {
        &self.command
    }

    /// When the outcome becomes Unconfirmed if no response came and the command could run at
    /// once (see [`PendingCommand::outcome_from`]).
    pub fn deadline(&self) -> std::time::Instant {
        self.deadline.into_std()
    }

    /// Waits for the response or the deadline.
    pub async fn outcome(self) -> Outcome {
        let deadline = self.deadline;
        self.wait(tokio::time::sleep_until(deadline)).await
    }

    /// Waits for the response until the timeout has passed since `turn` resolved: since the
    /// gateway could start running the command. A gateway runs its commands one at a time (or a
    /// few side by side), so a command sent behind others waits its turn there; timing it from
    /// the send would make a healthy but busy gateway's answers look lost (issue 15). An answer
    /// that comes while the command is still waiting its turn is taken all the same.
    pub async fn outcome_from(self, turn: impl Future<Output = ()>) -> Outcome {
        let timeout = self.timeout;
        self.wait(async move {
            turn.await;
            tokio::time::sleep(timeout).await;
        })
        .await
    }

    async fn wait(mut self, expired: impl Future<Output = ()>) -> Outcome {
        let Some(waiter) = self.waiter.as_mut() else {
            return Outcome::Unconfirmed;
        };
        tokio::select! {
            answer = &mut waiter.response => match answer {
                Ok(message) => Outcome::from_message(message),
                // The subscription ended (only at runtime shutdown): no answer seen.
                Err(_) => Outcome::Unconfirmed,
            },
            () = expired => Outcome::Unconfirmed,
        }
    }
}

impl IntoFuture for PendingCommand {
    type Output = Outcome;
    type IntoFuture = Pin<Box<dyn Future<Output = Outcome> + Send>>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.outcome())
    }
}

impl std::fmt::Debug for PendingCommand {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PendingCommand")
            .field("msg_id", &self.msg_id)
            .field("command", &self.command)
            .finish()
    }
}

impl Client {
    /// Checks the configuration; fails with `invalid_config`.
    pub fn new(config: ClientConfig) -> Result<Self, ClientError> {
        config.check()?;
        let (url, api_is_plain) = config.send_command_url()?;
        let tls = crate::net::tls::client_config()
            .map_err(|e| ClientError::new(ErrorKind::InvalidConfig, e))?;
        // reqwest reads the same proxy settings through the same matcher (crate::net::proxy).
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .user_agent(config.client_name.clone())
            .tls_backend_preconfigured(tls.clone())
            .build()
            .map_err(|e| ClientError::new(ErrorKind::InvalidConfig, format!("HTTP client: {e}")))?;
        let ws = WsConnector {
            tls: Arc::new(tls),
            proxies: crate::net::Proxies::from_system(),
        };
        let subscriptions =
            Subscriptions::new(http.clone(), ws.clone(), config.transport, config.linger);
        Ok(Self {
            inner: Arc::new(Inner {
                config,
                url,
                api_is_plain,
                http,
                ws,
                subscriptions,
            }),
        })
    }

    pub fn config(&self) -> &ClientConfig {
        &self.inner.config
    }

    /// Sends a validated command. Returns once the API accepted it; a 400 is an error of kind
    /// `rejected` carrying the API's text. The command is re-validated, so a hand-built
    /// [`ParsedCommand`] cannot skip the tables.
    pub async fn send(
        &self,
        meter: &MeterAddress,
        command: &ParsedCommand,
    ) -> Result<PendingCommand, ClientError> {
        let opts = ParseOptions {
            experimental_seasons: true,
            current_ct_ratio: None,
        };
        command.command.validate(&opts)?;
        let params = command.params_for(&self.inner.config.profile);
        self.post(meter, command.command.name(), params).await
    }

    /// Sends `name` with `params` exactly as given, skipping parameter validation: for commands
    /// EKM adds later or shapes we guessed wrong. The meter address is still checked (by its
    /// type); `params` must be a JSON object.
    pub async fn send_raw(
        &self,
        meter: &MeterAddress,
        name: &str,
        params: &Value,
    ) -> Result<PendingCommand, ClientError> {
        let plausible = !name.is_empty()
            && name.len() <= 64
            && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
        if !plausible {
            let e = ValidationError::new(
                "command",
                format!("{name:?}"),
                "a command name of letters, digits and _",
            );
            return Err(e.into());
        }
        let Value::Object(params) = params else {
            return Err(ValidationError::new(
                "params",
                crate::command::reader::show(params),
                "a JSON object",
            )
            .into());
        };
        self.post(meter, name, params.clone()).await
    }

    /// Sends and waits. A read is retried once if its send failed (network, status, body); a
    /// command that changes a meter never is.
    pub async fn execute(
        &self,
        meter: &MeterAddress,
        command: &ParsedCommand,
    ) -> Result<Outcome, ClientError> {
        settle(self.send_retrying_reads(meter, command).await).await
    }

    /// [`Client::send`], once more if it is a read and its send failed outright (network,
    /// status, body: G4). A command that changes a meter is sent exactly once.
    pub async fn send_retrying_reads(
        &self,
        meter: &MeterAddress,
        command: &ParsedCommand,
    ) -> Result<PendingCommand, ClientError> {
        let attempts = if command.command.is_read() { 2 } else { 1 };
        let mut attempt = 1;
        loop {
            match self.send(meter, command).await {
                Err(e) if attempt < attempts && e.kind().is_transient() => attempt += 1,
                result => return result,
            }
        }
    }

    /// [`Client::send_raw`] and wait. Never retried: a raw command may change the meter.
    pub async fn execute_raw(
        &self,
        meter: &MeterAddress,
        name: &str,
        params: &Value,
    ) -> Result<Outcome, ClientError> {
        settle(self.send_raw(meter, name, params).await).await
    }

    /// Counters over this client's response subscriptions.
    pub fn stream_stats(&self) -> StreamStats {
        self.inner.subscriptions.stats()
    }

    async fn post(
        &self,
        meter: &MeterAddress,
        name: &str,
        params: Map<String, Value>,
    ) -> Result<PendingCommand, ClientError> {
        let inner = &self.inner;
        let deadline = Instant::now() + inner.config.timeout;
        let request = SendCommandRequest::to_meter(meter, name, params, &inner.config.client_name);
        // Counted until the waiter below is registered: its answer may already be on the stream.
        let _in_flight = inner.subscriptions.post_started();
        let accepted = send::post(
            &inner.http,
            &inner.config,
            &inner.url,
            request,
            inner.config.timeout,
        )
        .await?;
        // The API took the command, so it may run. A channel that cannot be subscribed to (a
        // host with a path, an empty id) leaves no way to hear its answer: its fate is unknown,
        // which is Unconfirmed, with its msg_id, never an error that would read as "not sent".
        let waiter = StreamEndpoint::new(
            &accepted.response_channel_host,
            &accepted.response_channel_id,
            inner.api_is_plain,
        )
        .map(|endpoint| inner.subscriptions.wait_for(endpoint, &accepted.msg_id));
        Ok(PendingCommand {
            msg_id: accepted.msg_id,
            channel: accepted.response_channel_id,
            command: name.to_string(),
            deadline,
            timeout: inner.config.timeout,
            waiter,
        })
    }
}

/// Waits for a sent command; turns a 400 into the Rejected outcome.
async fn settle(sent: Result<PendingCommand, ClientError>) -> Result<Outcome, ClientError> {
    match sent {
        Ok(pending) => Ok(pending.outcome().await),
        Err(e) if e.kind() == ErrorKind::Rejected => Ok(Outcome::Rejected {
            error: e.message().to_string(),
        }),
        Err(e) => Err(e),
    }
}
