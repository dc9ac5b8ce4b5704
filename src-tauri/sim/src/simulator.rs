//! The running simulator: binds 127.0.0.1, serves the router, owns the gateways' workers, and
//! lets a test inspect and steer everything.

use crate::config::SimConfig;
use crate::faults::Faults;
use crate::gateway::{Gateway, ResponsePublisher};
use crate::ids::new_response_channel_id;
use crate::meter::MeterState;
use crate::requests::{ReceivedRequest, RequestLog};
use crate::server::{router, SimShared};
use crate::stream::Channels;
use push3::MeterAddress;
use std::collections::HashSet;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// A simulated Push3 cloud with its gateways and meters, serving on 127.0.0.1 until
/// [`Simulator::shutdown`] or drop.
pub struct Simulator {
    shared: Arc<SimShared>,
    addr: SocketAddr,
    stop: watch::Sender<bool>,
    server: Option<JoinHandle<()>>,
    workers: Vec<JoinHandle<()>>,
}

fn invalid(text: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, text)
}

fn check(config: &SimConfig) -> io::Result<()> {
    let mut keys = HashSet::new();
    for gateway in &config.gateways {
        if gateway.key.is_empty() || !keys.insert(gateway.key.as_str()) {
            return Err(invalid(format!(
                "gateway {:?}: every gateway needs its own non-empty key",
                gateway.name
            )));
        }
        let mut addresses = HashSet::new();
        for meter in &gateway.meters {
            let padded = MeterAddress::parse(&meter.address).map_err(|e| invalid(e.to_string()))?;
            if padded.as_str() != meter.address || !addresses.insert(meter.address.as_str()) {
                return Err(invalid(format!(
                    "meter {:?}: addresses must be 12 digits and unique per gateway",
                    meter.address
                )));
            }
            if meter.password.len() != 8 || !meter.password.bytes().all(|b| b.is_ascii_digit()) {
                return Err(invalid(format!(
                    "meter {:?}: the password must be 8 digits",
                    meter.address
                )));
            }
        }
    }
    Ok(())
}

impl Simulator {
    /// Starts on the current Tokio runtime (call it from async code or inside `Runtime::enter`).
    pub fn start(config: SimConfig) -> io::Result<Self> {
        let runtime = tokio::runtime::Handle::try_current().map_err(|_| {
            io::Error::other("Simulator::start must be called within a Tokio runtime")
        })?;
        Self::start_on(&runtime, config)
    }

    /// Starts on the given runtime, e.g. Tauri's, from synchronous setup code.
    pub fn start_on(runtime: &tokio::runtime::Handle, config: SimConfig) -> io::Result<Self> {
        check(&config)?;
        let listener = std::net::TcpListener::bind(("127.0.0.1", config.port))?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let _entered = runtime.enter();
        let listener = tokio::net::TcpListener::from_std(listener)?;

        let (stop, shutdown) = watch::channel(false);
        let publisher = ResponsePublisher::new(
            Channels::new(config.backtrack_capacity),
            config.faults.clone(),
        );
        let mut workers = Vec::new();
        let gateways = config
            .gateways
            .iter()
            .map(|g| {
                let (gateway, worker) = Gateway::spawn(
                    g,
                    new_response_channel_id(),
                    publisher.clone(),
                    shutdown.clone(),
                    runtime,
                );
                workers.push(worker);
                gateway
            })
            .collect();
        let shared = Arc::new(SimShared {
            publisher,
            gateways,
            requests: RequestLog::default(),
            bearer_token: config.bearer_token.clone(),
            framing: config.framing,
            ping_interval: config.ping_interval.max(Duration::from_millis(10)),
            experimental_seasons: config.experimental_seasons,
            layout: config.layout,
            wire_profile: config.wire_profile.clone(),
            host: config
                .stream_host
                .clone()
                .unwrap_or_else(|| addr.to_string()),
            shutdown: shutdown.clone(),
        });
        let app = router(shared.clone());
        let mut on_stop = shutdown;
        let server = runtime.spawn(async move {
            let stopping = async move {
                let _ = on_stop.wait_for(|stopping| *stopping).await;
            };
            // Serving only ends on shutdown; an accept error there is nothing a caller can act on.
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(stopping)
                .await;
        });
        Ok(Self {
            shared,
            addr,
            stop,
            server: Some(server),
            workers,
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`, the base URL to give a client instead of `https://api.ekmpush.com`.
    pub fn api_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Replaces the faults in force; `drop_stream` is re-armed.
    pub fn set_faults(&self, faults: Faults) {
        self.shared.publisher.set_faults(faults);
    }

    pub fn faults(&self) -> Faults {
        self.shared.publisher.faults()
    }

    /// A snapshot of the first meter with this address (1-12 digits, zero-padded) on any gateway.
    pub fn meter(&self, address: &str) -> Option<MeterState> {
        let address = MeterAddress::parse(address).ok()?;
        self.shared
            .gateways
            .iter()
            .find_map(|g| g.meter(address.as_str()))
    }

    /// Every `sendCommand` request received so far, in order, valid or not.
    pub fn requests(&self) -> Vec<ReceivedRequest> {
        self.shared.requests.snapshot()
    }

    /// Takes a gateway off line (commands queue) or back on line (queued commands run now).
    /// Returns false when no gateway has this key.
    pub fn set_gateway_online(&self, key: &str, online: bool) -> bool {
        match self.shared.gateway_by_key(key) {
            Some(gateway) => {
                gateway.set_online(online);
                true
            }
            None => false,
        }
    }

    /// The `response_…` channel id the gateway with this key answers on by default.
    pub fn response_channel(&self, key: &str) -> Option<String> {
        Some(self.shared.gateway_by_key(key)?.channel.clone())
    }

    /// Stops serving: open streams end, queued commands are dropped, timers stop.
    pub async fn shutdown(mut self) {
        self.stop.send_replace(true);
        if let Some(server) = self.server.take() {
            // Streams end on the signal, so this is quick; the cap covers a stuck client.
            let _ = tokio::time::timeout(Duration::from_secs(2), server).await;
        }
        for worker in self.workers.drain(..) {
            worker.abort();
        }
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        self.stop.send_replace(true);
        for worker in &self.workers {
            worker.abort();
        }
    }
}
