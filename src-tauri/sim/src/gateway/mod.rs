//! A Push3 gateway: the meters on its bus, its online state and its command queue.
//!
//! The real gateway polls a stored command stream (reference §1.3), so a command sent while it is
//! offline is not lost: it waits and runs when the gateway comes back, possibly long after the
//! client gave up (G10). The queue here is that stored stream.

mod publish;
mod worker;

pub(crate) use publish::ResponsePublisher;

use crate::config::GatewayConfig;
use crate::faults::Faults;
use crate::meter::{MeterCommand, MeterState};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

/// The meters of one gateway, by address.
pub(crate) type Meters = Arc<Mutex<BTreeMap<String, MeterState>>>;

/// A command accepted by `sendCommand`, waiting for its gateway.
#[derive(Debug)]
pub(crate) struct QueuedCommand {
    pub msg_id: String,
    pub channel: String,
    pub target_id: String,
    pub command: MeterCommand,
    /// The faults in force when `sendCommand` accepted it. Taken then, not when it runs, so a
    /// test that changes faults between two sends knows which apply to which.
    pub faults: Faults,
    /// The shape a GetSchedules answer takes.
    pub layout: crate::PayloadLayout,
}

pub(crate) struct Gateway {
    pub key: String,
    /// The `response_…` channel shared by every command sent with this key.
    pub channel: String,
    pub meters: Meters,
    online: watch::Sender<bool>,
    queue: mpsc::UnboundedSender<QueuedCommand>,
}

impl Gateway {
    /// Creates the gateway and starts its worker on the current runtime.
    pub fn spawn(
        config: &GatewayConfig,
        channel: String,
        publisher: Arc<ResponsePublisher>,
        shutdown: watch::Receiver<bool>,
        runtime: &tokio::runtime::Handle,
    ) -> (Self, JoinHandle<()>) {
        let meters: Meters = Arc::new(Mutex::new(
            config
                .meters
                .iter()
                .map(|m| (m.address.clone(), MeterState::new(m)))
                .collect(),
        ));
        let (online, online_rx) = watch::channel(config.online);
        let (queue, queue_rx) = mpsc::unbounded_channel();
        let worker = worker::GatewayWorker {
            queue: queue_rx,
            online: online_rx,
            meters: meters.clone(),
            publisher,
            shutdown,
        };
        let handle = runtime.spawn(worker.run());
        let gateway = Self {
            key: config.key.clone(),
            channel,
            meters,
            online,
            queue,
        };
        (gateway, handle)
    }

    pub fn submit(&self, command: QueuedCommand) {
        // Fails only after shutdown, when nobody is waiting for an answer any more.
        let _ = self.queue.send(command);
    }

    pub fn set_online(&self, online: bool) {
        self.online.send_replace(online);
    }

    pub fn meter(&self, address: &str) -> Option<MeterState> {
        self.meters
            .lock()
            .expect("meters lock poisoned")
            .get(address)
            .cloned()
    }
}
