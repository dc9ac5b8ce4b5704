//! Test connection: proves a gateway's key (and token), its response stream and its meter without
//! changing anything.
//!
//! How: one **read** command (GetTariffData) to one meter, then its answer on the stream. Only a
//! real command proves the key: the API has no "who am I" call, and it names the response
//! channel only in sendCommand's answer, so nothing short of a command reaches the stream
//! either. A read changes no meter and is safe to repeat, unlike every Set…. Each half is
//! tried on its own connection here, not through the shared subscriptions, so every failure
//! keeps its cause: DNS, TLS, a refused key or token, a 403 on the stream, or no answer.

use super::error::{ClientError, ErrorKind};
use super::{send, Client};
use crate::address::MeterAddress;
use crate::stream::connect::{Chunk, ConnectError, StreamSource};
use crate::stream::{ObjectReader, StreamEndpoint, Transport};
use crate::wire::{ResponseMessage, SendCommandAccepted, SendCommandRequest};
use serde::Serialize;
use serde_json::{Map, Value};
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;
use tokio::time::Instant;
use ts_rs::TS;

/// The read command the test sends: documented in the seed, answered from the meter's own
/// memory, and harmless to repeat.
pub const PROBE_COMMAND: &str = "GetTariffData";

/// The three things a connection test establishes, in order; a failed one stops the rest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ProbeStep {
    /// `POST sendCommand` was accepted: the host is reachable, TLS is trusted, the key and
    /// token are good.
    Api,
    /// The response stream opened on the channel the API named.
    Stream,
    /// The meter's answer came back on the stream.
    Meter,
}

/// Why a step failed, as a stable code for the UI and the CLI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ProbeProblem {
    /// The host name did not resolve.
    Dns,
    /// TLS failed, mostly a certificate this system does not trust.
    Tls,
    /// Connection refused, or the proxy would not tunnel.
    Unreachable,
    /// The host took no connection or gave no answer in time.
    Timeout,
    /// The API refused the request with a 400: with a read to a meter, almost always the key.
    KeyRefused,
    /// 401: the API token was refused.
    TokenRefused,
    /// 403 on sendCommand: the token may read but not write (a POST needs READ/WRITE, T1).
    NotPermitted,
    /// Another status or a body that is not the API's.
    NotTheApi,
    /// The stream answered 403 for the whole wait.
    StreamForbidden,
    /// The stream could not be opened.
    StreamUnavailable,
    /// The stream opened, but no answer came before the deadline.
    NoAnswer,
    /// The gateway answered with `success: false` (the meter could not be read).
    MeterFailed,
}

/// One step's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ProbeCheck {
    pub step: ProbeStep,
    pub passed: bool,
    pub problem: Option<ProbeProblem>,
    /// In words, for people: what worked, or what failed and what to do.
    pub message: String,
}

/// Everything a connection test found; steps after the first failure are not listed.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ConnectionTest {
    pub meter: String,
    pub checks: Vec<ProbeCheck>,
    /// Whether all three steps passed.
    pub passed: bool,
    /// The whole test, from the POST to the answer.
    pub elapsed_ms: u64,
    /// The API's id for the read, once it was accepted.
    pub msg_id: Option<String>,
    #[serde(skip)]
    #[ts(skip)]
    answer: Option<ResponseMessage>,
    /// The API's or the network's error when the read was not accepted.
    #[serde(skip)]
    #[ts(skip)]
    send_error: Option<ClientError>,
}

impl ConnectionTest {
    /// What became of the read, as any command's fate is recorded: the send's error when it
    /// was not accepted, otherwise the answer, or Unconfirmed without one (it may still run).
    pub fn outcome(&self) -> Result<super::Outcome, &ClientError> {
        if let Some(e) = &self.send_error {
            return match e.kind() {
                ErrorKind::Rejected => Ok(super::Outcome::Rejected {
                    error: e.message().to_string(),
                }),
                _ => Err(e),
            };
        }
        Ok(match &self.answer {
            Some(message) => super::Outcome::from_message(message.clone()),
            None => super::Outcome::Unconfirmed,
        })
    }

    /// The first failure, if any.
    pub fn problem(&self) -> Option<ProbeProblem> {
        self.checks.iter().find_map(|c| c.problem)
    }

    fn ended(mut self, started: Instant) -> Self {
        self.passed = self.checks.len() == 3 && self.checks.iter().all(|c| c.passed);
        self.elapsed_ms = started.elapsed().as_millis() as u64;
        self
    }
}

fn passed(step: ProbeStep, message: String) -> ProbeCheck {
    ProbeCheck {
        step,
        passed: true,
        problem: None,
        message,
    }
}

fn failed(step: ProbeStep, problem: ProbeProblem, message: String) -> ProbeCheck {
    ProbeCheck {
        step,
        passed: false,
        problem: Some(problem),
        message,
    }
}

/// A test whose read the API accepted: its msg_id and channel can be put on record before the
/// wait for the answer, as every command's are, so a process killed meanwhile leaves "sent, no
/// answer recorded" rather than "not sent".
pub struct ProbeSent<'c> {
    client: &'c Client,
    test: ConnectionTest,
    accepted: SendCommandAccepted,
    started: Instant,
}

impl ProbeSent<'_> {
    pub fn msg_id(&self) -> &str {
        &self.accepted.msg_id
    }

    /// The response channel the API named: semi-secret (G5), for the audit log only.
    pub fn channel(&self) -> &str {
        &self.accepted.response_channel_id
    }

    /// Opens the stream the API named and waits for the read's answer, within the client's
    /// timeout.
    pub async fn answer(self) -> ConnectionTest {
        self.answer_from(std::future::ready(())).await
    }

    /// [`ProbeSent::answer`], timed as every command's answer is
    /// ([`super::PendingCommand::outcome_from`]): the timeout runs from `turn`, when the gateway
    /// could start on the read, so a test sent behind a job's commands to a gateway that runs
    /// one at a time does not report "no answer" for the wait in its line. The stream is opened
    /// and read from the start all the same: an answer that comes before the turn is taken.
    pub async fn answer_from(self, turn: impl Future<Output = ()> + Send) -> ConnectionTest {
        let Self {
            client,
            mut test,
            accepted,
            started,
        } = self;
        let config = &client.inner.config;
        let mut deadline = Deadline::after(turn, config.timeout);
        let meter = test.meter.clone();
        let Some(endpoint) = StreamEndpoint::new(
            &accepted.response_channel_host,
            &accepted.response_channel_id,
            client.inner.api_is_plain,
        ) else {
            test.checks.push(failed(
                ProbeStep::Stream,
                ProbeProblem::StreamUnavailable,
                "The API named a response stream this app cannot open (a host with a path or an \
                 empty channel)"
                    .into(),
            ));
            return test.ended(started);
        };
        let (mut source, how) = match client.open_probe_stream(&endpoint, &mut deadline).await {
            Ok(opened) => opened,
            Err(check) => {
                test.checks.push(check);
                return test.ended(started);
            }
        };
        test.checks.push(passed(
            ProbeStep::Stream,
            format!(
                "The response stream opened ({how}) on {}",
                accepted.response_channel_host
            ),
        ));

        test.answer = wait_for(&mut source, &accepted.msg_id, &mut deadline).await;
        test.checks.push(match test.answer.clone() {
            Some(message) if message.success => passed(
                ProbeStep::Meter,
                format!(
                    "Meter {meter} answered in {:.1} s",
                    started.elapsed().as_secs_f64()
                ),
            ),
            Some(message) => failed(
                ProbeStep::Meter,
                ProbeProblem::MeterFailed,
                format!(
                    "The key and the stream work, but the gateway could not read meter {meter}: {}",
                    message
                        .error
                        .unwrap_or_else(|| "no reason given".to_string())
                ),
            ),
            None => failed(
                ProbeStep::Meter,
                ProbeProblem::NoAnswer,
                format!(
                    "The key and the stream work, but no answer came from meter {meter} in {} s: \
                     the gateway may be offline or busy, or the meter not on it",
                    // The whole wait, its turn in the gateway's line included.
                    started.elapsed().as_secs()
                ),
            ),
        });
        test.ended(started)
    }
}

impl Client {
    /// Sends GetTariffData to `meter` and waits for its answer on a stream of the client's
    /// transport (with `auto`, the websocket, then HTTP streaming), within the client's timeout.
    pub async fn test_connection(&self, meter: &MeterAddress) -> ConnectionTest {
        match self.probe_send(meter).await {
            Ok(sent) => sent.answer().await,
            Err(refused) => refused,
        }
    }

    /// The first half of [`Client::test_connection`]: the read's `POST sendCommand`. A read the
    /// API did not accept ends the test here, as its `Err`.
    pub async fn probe_send(&self, meter: &MeterAddress) -> Result<ProbeSent<'_>, ConnectionTest> {
        let started = Instant::now();
        let mut test = ConnectionTest {
            meter: meter.to_string(),
            checks: Vec::new(),
            passed: false,
            elapsed_ms: 0,
            msg_id: None,
            answer: None,
            send_error: None,
        };
        let inner = &self.inner;
        let request = SendCommandRequest::to_meter(
            meter,
            PROBE_COMMAND,
            Map::new(),
            &inner.config.client_name,
        );
        let sent = send::post(
            &inner.http,
            &inner.config,
            &inner.url,
            request,
            inner.config.timeout,
        )
        .await;
        let accepted = match sent {
            Ok(accepted) => accepted,
            Err(e) => {
                let (problem, message) = api_failure(&e, &inner.config.api_url);
                test.checks.push(failed(ProbeStep::Api, problem, message));
                test.send_error = Some(e);
                return Err(test.ended(started));
            }
        };
        let credentials = match (&inner.config.key, &inner.config.bearer_token) {
            (Some(_), Some(_)) => "the key and the API token were",
            (Some(_), None) => "the key was",
            _ => "the API token was",
        };
        test.checks.push(passed(
            ProbeStep::Api,
            format!("The API accepted a {PROBE_COMMAND} for meter {meter}: {credentials} accepted"),
        ));
        test.msg_id = Some(accepted.msg_id.clone());
        Ok(ProbeSent {
            client: self,
            test,
            accepted,
            started,
        })
    }

    /// Opens the stream, retrying a `403` (no message stored yet, G7) until the deadline.
    async fn open_probe_stream(
        &self,
        endpoint: &StreamEndpoint,
        deadline: &mut Deadline<'_>,
    ) -> Result<(StreamSource, String), ProbeCheck> {
        let backtrack = crate::limits::STREAM_BACKTRACK as usize;
        let mut ws_failure = None;
        if self.inner.config.transport != Transport::Http {
            match self
                .retry_forbidden(&mut *deadline, || {
                    StreamSource::open_ws(&self.inner.ws, endpoint, backtrack)
                })
                .await
            {
                Ok(source) => return Ok((source, "websocket".to_string())),
                // The server's refusal, not the transport's: HTTP streaming would hear the same.
                Err(check) if check.problem == Some(ProbeProblem::StreamForbidden) => {
                    return Err(check)
                }
                Err(check) if self.inner.config.transport == Transport::Ws => return Err(check),
                Err(check) => ws_failure = Some(check.message),
            }
        }
        let opened = self
            .retry_forbidden(deadline, || {
                StreamSource::open_http(&self.inner.http, endpoint, backtrack)
            })
            .await;
        match (opened, ws_failure) {
            (Ok(source), None) => Ok((source, "HTTP streaming".to_string())),
            // Said, as `auto` works on: a proxy that blocks websockets is worth knowing about.
            (Ok(source), Some(ws)) => Ok((
                source,
                format!("HTTP streaming; the websocket did not: {ws}"),
            )),
            (Err(mut check), Some(ws)) => {
                check.message = format!("{}; before that, {ws}", check.message);
                Err(check)
            }
            (Err(check), None) => Err(check),
        }
    }

    async fn retry_forbidden<F, Fut>(
        &self,
        deadline: &mut Deadline<'_>,
        open: F,
    ) -> Result<StreamSource, ProbeCheck>
    where
        F: Fn() -> Fut,
        Fut: std::future::Future<Output = Result<StreamSource, ConnectError>>,
    {
        loop {
            match open().await {
                Ok(source) => return Ok(source),
                Err(ConnectError::NotYet) => {
                    tokio::select! {
                        () = tokio::time::sleep(PROBE_RETRY) => {}
                        () = deadline.reached() => return Err(failed(
                            ProbeStep::Stream,
                            ProbeProblem::StreamForbidden,
                            "The response stream answered 403 Forbidden until the deadline: the \
                             channel never got a message (is the gateway online?), or this \
                             network blocks it"
                                .into(),
                        )),
                    }
                }
                Err(ConnectError::Unavailable(why)) => {
                    return Err(failed(
                        ProbeStep::Stream,
                        ProbeProblem::StreamUnavailable,
                        format!("The response stream could not be opened: {why}"),
                    ))
                }
            }
        }
    }
}

/// How often a `403` stream is tried again during a test.
const PROBE_RETRY: Duration = Duration::from_millis(250);

/// When a test stops waiting: its timeout after its turn at the gateway, and never before the
/// turn has come.
struct Deadline<'t> {
    turn: Pin<Box<dyn Future<Output = ()> + Send + 't>>,
    timeout: Duration,
    at: Option<Instant>,
}

impl<'t> Deadline<'t> {
    fn after(turn: impl Future<Output = ()> + Send + 't, timeout: Duration) -> Self {
        Self {
            turn: Box::pin(turn),
            timeout,
            at: None,
        }
    }

    /// Resolves at the deadline. Cancel-safe: a wait for the turn that is dropped resumes
    /// where it was at the next call, and the deadline, once set, stays.
    async fn reached(&mut self) {
        let at = match self.at {
            Some(at) => at,
            None => {
                self.turn.as_mut().await;
                *self.at.insert(Instant::now() + self.timeout)
            }
        };
        tokio::time::sleep_until(at).await
    }
}

/// Reads the stream until the message with `msg_id` or the deadline.
async fn wait_for(
    source: &mut StreamSource,
    msg_id: &str,
    deadline: &mut Deadline<'_>,
) -> Option<ResponseMessage> {
    let mut reader = ObjectReader::new();
    loop {
        let chunk = tokio::select! {
            chunk = source.next_chunk() => chunk?,
            () = deadline.reached() => return None,
        };
        let (Chunk::Bytes(bytes) | Chunk::Frame(bytes)) = chunk;
        reader.push(&bytes);
        while let Some(object) = reader.next_object() {
            let message: Option<ResponseMessage> =
                serde_json::from_value(Value::Object(object)).ok();
            if let Some(message) = message.filter(|m| m.msg_id == msg_id) {
                return Some(message);
            }
        }
    }
}

/// What a failed `POST sendCommand` says about the connection.
fn api_failure(e: &ClientError, api_url: &str) -> (ProbeProblem, String) {
    let host = reqwest::Url::parse(api_url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_else(|| api_url.to_string());
    let text = e.message();
    match e.kind() {
        ErrorKind::Rejected => (
            ProbeProblem::KeyRefused,
            format!("The API refused the request, most likely the gateway key: “{text}”"),
        ),
        ErrorKind::HttpStatus if text.contains(" 401 ") || text.ends_with(" 401") => (
            ProbeProblem::TokenRefused,
            format!("The API refused the API token (401): check or replace it. {text}"),
        ),
        ErrorKind::HttpStatus if text.contains(" 403 ") || text.ends_with(" 403") => (
            ProbeProblem::NotPermitted,
            format!(
                "The API answered 403 Forbidden: the API token may lack write permission \
                 (sendCommand needs READ/WRITE). {text}"
            ),
        ),
        ErrorKind::HttpStatus | ErrorKind::BadResponse => (
            ProbeProblem::NotTheApi,
            format!("{host} answered, but not as the Push3 API does: {text}"),
        ),
        ErrorKind::Network => network_problem(&host, text),
        ErrorKind::InvalidInput | ErrorKind::InvalidConfig => {
            (ProbeProblem::NotTheApi, text.to_string())
        }
    }
}

/// Sorts a network failure by its cause chain (hyper-util, rustls and the OS word them).
fn network_problem(host: &str, text: &str) -> (ProbeProblem, String) {
    let lower = text.to_lowercase();
    if lower.contains("dns error") || lower.contains("failed to lookup address") {
        (
            ProbeProblem::Dns,
            format!("The host name {host} could not be resolved (DNS): check the API URL and the network. {text}"),
        )
    } else if lower.contains("certificate") || lower.contains("tls") || lower.contains("handshake")
    {
        (
            ProbeProblem::Tls,
            format!(
                "The TLS connection to {host} failed: its certificate is not trusted by this \
                 system (a company proxy's CA must be in the OS trust store). {text}"
            ),
        )
    } else if lower.contains("timed out") {
        (
            ProbeProblem::Timeout,
            format!("{host} did not answer in time. {text}"),
        )
    } else {
        (
            ProbeProblem::Unreachable,
            format!("{host} could not be reached: {text}"),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn network_failures_are_told_apart_by_their_causes() {
        let cases = [
            ("sending to the Push3 API at api.example failed: client error (Connect): dns error: failed to lookup address information: Name or service not known", ProbeProblem::Dns),
            ("sending to the Push3 API at 127.0.0.1 failed: client error (Connect): invalid peer certificate: UnknownIssuer", ProbeProblem::Tls),
            ("sending to the Push3 API at 127.0.0.1 failed: client error (Connect): tcp connect error: Connection refused (os error 111)", ProbeProblem::Unreachable),
            ("sending to the Push3 API at 10.0.0.1 timed out: operation timed out", ProbeProblem::Timeout),
        ];
        for (text, expected) in cases {
            assert_eq!(network_problem("h", text).0, expected, "{text}");
        }
    }

    #[test]
    fn statuses_name_the_key_the_token_or_the_permission() {
        let rejected = ClientError::new(
            ErrorKind::Rejected,
            "invalid key: no Push3 gateway has this key",
        );
        assert_eq!(
            api_failure(&rejected, "https://h").0,
            ProbeProblem::KeyRefused
        );
        let token = ClientError::new(
            ErrorKind::HttpStatus,
            "sendCommand answered 401 Unauthorized: bad token",
        );
        assert_eq!(
            api_failure(&token, "https://h").0,
            ProbeProblem::TokenRefused
        );
        let read_only =
            ClientError::new(ErrorKind::HttpStatus, "sendCommand answered 403 Forbidden");
        assert_eq!(
            api_failure(&read_only, "https://h").0,
            ProbeProblem::NotPermitted
        );
        let html = ClientError::new(
            ErrorKind::HttpStatus,
            "sendCommand answered 502 Bad Gateway",
        );
        assert_eq!(api_failure(&html, "https://h").0, ProbeProblem::NotTheApi);
    }
}
