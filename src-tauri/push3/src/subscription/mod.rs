//! One shared subscription per response channel (G5).
//!
//! Shaped like async-nats: [`Subscriptions`] is a cheap handle; each (host, channel) gets one
//! background task that owns the stream connection and hands each message to the pending command
//! waiting for its `msg_id`. Each command waits on its own oneshot with its own deadline; when the
//! last one is done the task lingers briefly (the next command often follows) and then ends.

mod mailbox;
mod task;

use crate::stream::connect::WsConnector;
use crate::stream::{StreamEndpoint, Transport};
use crate::wire::ResponseMessage;
use mailbox::Mailbox;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{oneshot, Notify};

type Registry = Arc<Mutex<HashMap<StreamEndpoint, Arc<Channel>>>>;

/// What one subscription's task and its waiters share.
pub(crate) struct Channel {
    endpoint: StreamEndpoint,
    mailbox: Mutex<Mailbox>,
    /// Signalled when a waiter comes or goes, so an idle task can end.
    wake: Notify,
}

impl Channel {
    fn mailbox(&self) -> std::sync::MutexGuard<'_, Mailbox> {
        self.mailbox.lock().expect("mailbox lock poisoned")
    }
}

/// Counters over every subscription of one client, for diagnostics and tests.
#[derive(Debug, Default)]
pub(crate) struct Counters {
    pub subscriptions: AtomicU64,
    pub connects: AtomicU64,
    pub not_yet: AtomicU64,
    pub http_fallbacks: AtomicU64,
    pub delivered: AtomicU64,
    pub duplicates: AtomicU64,
    pub unclaimed: AtomicU64,
    pub skipped: AtomicU64,
}

impl Counters {
    pub fn bump(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }
}

/// A snapshot of [`Counters`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct StreamStats {
    /// Subscription tasks started (one per channel while commands are pending on it).
    pub subscriptions_started: u64,
    /// Subscriptions alive now.
    pub subscriptions_open: usize,
    /// Connections opened (first connects and reconnects).
    pub connects: u64,
    /// `403` answers treated as "not yet" (G7).
    pub not_yet: u64,
    /// Websocket attempts that fell back to HTTP streaming (transport `auto`).
    pub http_fallbacks: u64,
    /// Messages handed to the command waiting for them.
    pub delivered: u64,
    /// Messages dropped because their `msg_id` was already handled (G11).
    pub duplicates: u64,
    /// Messages nobody waited for when they arrived (other clients', old, or early).
    pub unclaimed: u64,
    /// Pings, blank and non-object frames, junk and non-message objects skipped.
    pub skipped: u64,
}

/// The set of live subscriptions of one client.
#[derive(Clone)]
pub(crate) struct Subscriptions {
    registry: Registry,
    http: reqwest::Client,
    ws: WsConnector,
    transport: Transport,
    linger: Duration,
    counters: Arc<Counters>,
    /// sendCommand POSTs under way: their answers may be published before they can register
    /// as waiters, so a (re)connect asks for enough backtrack to cover them too.
    posts_in_flight: Arc<AtomicUsize>,
}

/// Answers that may be published between choosing the backtrack and the stream connecting
/// (commands that start and finish during the handshake).
const BURST_MARGIN: usize = 10;

/// Counts one sendCommand POST as in flight for as long as it lives.
pub(crate) struct PostInFlight(Arc<AtomicUsize>);

impl Drop for PostInFlight {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// One pending command's claim on its response. Dropping it withdraws the claim.
pub(crate) struct Waiter {
    pub response: oneshot::Receiver<ResponseMessage>,
    channel: Arc<Channel>,
    msg_id: String,
}

impl Drop for Waiter {
    fn drop(&mut self) {
        self.channel.mailbox().cancel(&self.msg_id);
        self.channel.wake.notify_one();
    }
}

impl Subscriptions {
    pub fn new(
        http: reqwest::Client,
        ws: WsConnector,
        transport: Transport,
        linger: Duration,
    ) -> Self {
        Self {
            registry: Arc::default(),
            http,
            ws,
            transport,
            linger,
            counters: Arc::default(),
            posts_in_flight: Arc::default(),
        }
    }

    /// Call before a sendCommand POST; keep the guard until its waiter is registered.
    pub fn post_started(&self) -> PostInFlight {
        self.posts_in_flight.fetch_add(1, Ordering::SeqCst);
        PostInFlight(Arc::clone(&self.posts_in_flight))
    }

    /// How many stored messages to ask for on (re)connect: the seed's `.b20`, or more when more
    /// answers than that may have been published while nobody listened (a burst of commands
    /// to a quick gateway). The server caps it at what it stores.
    fn backtrack(&self, channel: &Channel) -> usize {
        let unanswered =
            channel.mailbox().waiter_count() + self.posts_in_flight.load(Ordering::SeqCst);
        (crate::limits::STREAM_BACKTRACK as usize).max(unanswered + BURST_MARGIN)
    }

    /// Claims `msg_id` on `endpoint`'s subscription, starting the subscription if there is none.
    /// Must run inside a Tokio runtime.
    pub fn wait_for(&self, endpoint: StreamEndpoint, msg_id: &str) -> Waiter {
        // Registry, then mailbox: the same lock order as a task ending (see `task::try_end`),
        // so a task never ends while a waiter is joining it.
        let mut registry = self.registry.lock().expect("registry lock poisoned");
        let channel = registry
            .entry(endpoint.clone())
            .or_insert_with(|| {
                let channel = Arc::new(Channel {
                    endpoint,
                    mailbox: Mutex::default(),
                    wake: Notify::new(),
                });
                Counters::bump(&self.counters.subscriptions);
                tokio::spawn(task::run(channel.clone(), self.clone()));
                channel
            })
            .clone();
        let (response, delivery) = channel.mailbox().register(msg_id);
        drop(registry);
        if delivery == mailbox::Delivery::Delivered {
            Counters::bump(&self.counters.delivered);
        }
        channel.wake.notify_one();
        Waiter {
            response,
            channel,
            msg_id: msg_id.to_string(),
        }
    }

    pub fn stats(&self) -> StreamStats {
        let c = &self.counters;
        let get = |a: &AtomicU64| a.load(Ordering::Relaxed);
        StreamStats {
            subscriptions_started: get(&c.subscriptions),
            subscriptions_open: self.registry.lock().expect("registry lock poisoned").len(),
            connects: get(&c.connects),
            not_yet: get(&c.not_yet),
            http_fallbacks: get(&c.http_fallbacks),
            delivered: get(&c.delivered),
            duplicates: get(&c.duplicates),
            unclaimed: get(&c.unclaimed),
            skipped: get(&c.skipped),
        }
    }
}
