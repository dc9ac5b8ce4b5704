//! The background task of one subscription: connect (websocket, HTTP or websocket-then-HTTP),
//! read, correlate, and reconnect with backtrack until nobody waits any more.

use super::mailbox::Delivery;
use super::{Channel, Counters, Subscriptions};
use crate::stream::connect::{Chunk, ConnectError, StreamSource};
use crate::stream::{ObjectReader, Transport};
use crate::wire::ResponseMessage;
use serde_json::{Map, Value};
use std::sync::Arc;
use std::time::Duration;
use tokio::time::{sleep_until, Instant};

/// Delays between connection attempts after a `403` or a drop; reset once a message arrives.
const BACKOFF_MS: [u64; 8] = [0, 25, 50, 100, 200, 400, 800, 1000];

struct Backoff(usize);

impl Backoff {
    fn next(&mut self) -> Duration {
        let delay = BACKOFF_MS[self.0.min(BACKOFF_MS.len() - 1)];
        self.0 += 1;
        Duration::from_millis(delay)
    }
}

/// Which kind of connection to try next.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Link {
    Ws,
    Http,
}

pub(super) async fn run(channel: Arc<Channel>, subs: Subscriptions) {
    let counters = subs.counters.clone();
    let mut link = if subs.transport == Transport::Http {
        Link::Http
    } else {
        Link::Ws
    };
    let mut source: Option<StreamSource> = None;
    let mut reader = ObjectReader::new();
    let mut backoff = Backoff(0);
    let mut retry_at: Option<Instant> = None;
    let mut idle_since: Option<Instant> = None;
    let mut skipped_reported = 0;
    loop {
        if channel.mailbox().has_waiters() {
            idle_since = None;
        } else {
            let since = *idle_since.get_or_insert_with(Instant::now);
            // Disconnected with nobody waiting: no reason to reconnect.
            if (source.is_none() || since.elapsed() >= subs.linger) && try_end(&channel, &subs) {
                return;
            }
        }
        let idle_until = idle_since.map(|since| since + subs.linger);
        let Some(open) = source.as_mut() else {
            if let Some(at) = retry_at {
                tokio::select! {
                    _ = sleep_until(at) => retry_at = None,
                    _ = channel.wake.notified() => {}
                }
                continue;
            }
            Counters::bump(&counters.connects);
            let backtrack = subs.backtrack(&channel);
            let attempt = match link {
                Link::Ws => StreamSource::open_ws(&subs.ws, &channel.endpoint, backtrack).await,
                Link::Http => {
                    StreamSource::open_http(&subs.http, &channel.endpoint, backtrack).await
                }
            };
            match attempt {
                Ok(opened) => source = Some(opened),
                Err(ConnectError::NotYet) => {
                    Counters::bump(&counters.not_yet);
                    retry_at = Some(Instant::now() + backoff.next());
                }
                Err(ConnectError::Unavailable(_))
                    if link == Link::Ws && subs.transport == Transport::Auto =>
                {
                    Counters::bump(&counters.http_fallbacks);
                    link = Link::Http;
                }
                Err(ConnectError::Unavailable(_)) => {
                    retry_at = Some(Instant::now() + backoff.next())
                }
            }
            continue;
        };
        tokio::select! {
            chunk = open.next_chunk() => match chunk {
                Some(Chunk::Bytes(bytes)) => {
                    reader.push(&bytes);
                    if drain(&mut reader, &channel, &counters) {
                        backoff = Backoff(0);
                    }
                }
                Some(Chunk::Frame(frame)) => {
                    // A websocket frame is whole: a partial object in it will never complete.
                    reader.push(&frame);
                    if drain(&mut reader, &channel, &counters) {
                        backoff = Backoff(0);
                    }
                    reader.clear();
                }
                None => {
                    // Dropped: reconnect with backtrack; replays are dropped as duplicates.
                    source = None;
                    reader.clear();
                    retry_at = Some(Instant::now() + backoff.next());
                }
            },
            _ = channel.wake.notified() => {}
            _ = sleep_until(idle_until.unwrap_or_else(Instant::now)), if idle_until.is_some() => {}
        }
        let skipped = reader.skipped();
        counters.skipped.fetch_add(
            skipped - skipped_reported,
            std::sync::atomic::Ordering::Relaxed,
        );
        skipped_reported = skipped;
    }
}

/// Hands every complete object to the mailbox. Returns whether a response message was seen.
fn drain(reader: &mut ObjectReader, channel: &Channel, counters: &Counters) -> bool {
    let mut any = false;
    while let Some(object) = reader.next_object() {
        let Some(message) = response_message(object) else {
            Counters::bump(&counters.skipped);
            continue;
        };
        any = true;
        channel.mailbox().deliver(message, |delivery| {
            Counters::bump(match delivery {
                Delivery::Delivered => &counters.delivered,
                Delivery::Duplicate => &counters.duplicates,
                Delivery::Unclaimed => &counters.unclaimed,
            })
        });
    }
    any
}

/// An object is a response message if it has a string `msg_id` and a boolean `success`.
fn response_message(object: Map<String, Value>) -> Option<ResponseMessage> {
    serde_json::from_value(Value::Object(object)).ok()
}

/// Removes this subscription from the registry if still nobody waits. Lock order: registry,
/// then mailbox, as in [`Subscriptions::wait_for`].
fn try_end(channel: &Arc<Channel>, subs: &Subscriptions) -> bool {
    let mut registry = subs.registry.lock().expect("registry lock poisoned");
    if channel.mailbox().has_waiters() {
        return false;
    }
    if registry
        .get(&channel.endpoint)
        .is_some_and(|c| Arc::ptr_eq(c, channel))
    {
        registry.remove(&channel.endpoint);
    }
    true
}
