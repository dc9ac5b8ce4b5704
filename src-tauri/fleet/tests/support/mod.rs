//! Shared set-up: simulated gateways on 127.0.0.1, a [`ClientSink`] pointed at them, and a sink
//! wrapper that records every send (when, to whom, how many at once per gateway).
#![allow(dead_code)] // each test binary uses a different subset

use push3::{Client, ClientConfig, Command, MeterAddress, MeterVersion, Secret, Transport};
use push3_fleet::{
    ClientSink, CommandSink, JobEvent, MeterRef, SendError, Sent, Target, Template, Turn,
};
use push3_sim::{Faults, GatewayConfig, MeterConfig, SimConfig, Simulator};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Long enough never to matter unless a test expects Unconfirmed.
pub const PATIENT: Duration = Duration::from_secs(20);

/// A gateway whose id (in the sink) is `name` and whose key is `key-<name>`.
pub fn gateway(name: &str, meters: Vec<MeterConfig>) -> GatewayConfig {
    GatewayConfig::new(name, &format!("key-{name}"), meters)
}

/// `count` meters of `version` numbered from `first`, on the factory password.
pub fn meters(first: u64, count: u64, version: MeterVersion) -> Vec<MeterConfig> {
    (first..first + count)
        .map(|n| MeterConfig::new(&format!("{n:012}"), version, &format!("meter {n}")))
        .collect()
}

pub fn start(gateways: &[GatewayConfig], faults: Faults) -> Simulator {
    Simulator::start(SimConfig {
        faults,
        ..SimConfig::with_gateways(gateways.to_vec())
    })
    .expect("simulator starts")
}

pub fn latency(ms: u64) -> Faults {
    Faults {
        latency: Duration::from_millis(ms),
        ..Faults::default()
    }
}

pub fn silent() -> Faults {
    Faults {
        silent: true,
        ..Faults::default()
    }
}

/// Adds a client per gateway of `sim` to `sink`, each waiting `timeout` for answers.
pub fn with_sim(
    mut sink: ClientSink,
    sim: &Simulator,
    gateways: &[GatewayConfig],
    timeout: Duration,
) -> ClientSink {
    for gateway in gateways {
        let config = ClientConfig::new(Secret::new(&gateway.key))
            .with_api_url(sim.api_url())
            .with_transport(Transport::Ws)
            .with_timeout(timeout);
        sink = sink.with_gateway(&gateway.name, Client::new(config).expect("valid config"));
    }
    sink
}

/// A client of its own for `gateway`, waiting `timeout` for answers.
pub fn client_for(sim: &Simulator, gateway: &GatewayConfig, timeout: Duration) -> Client {
    let config = ClientConfig::new(Secret::new(&gateway.key))
        .with_api_url(sim.api_url())
        .with_transport(Transport::Ws)
        .with_timeout(timeout);
    Client::new(config).expect("valid config")
}

/// Fails a test that hangs instead of letting it run forever.
pub async fn within<F: std::future::Future>(future: F) -> F::Output {
    tokio::time::timeout(Duration::from_secs(30), future)
        .await
        .expect("finished within 30 s")
}

/// Every meter of the gateways, as the engine's targets, with nothing known.
pub fn targets(gateways: &[GatewayConfig]) -> Vec<Target> {
    gateways
        .iter()
        .flat_map(|g| {
            g.meters
                .iter()
                .map(|m| Target::new(&g.name, MeterAddress::parse(&m.address).unwrap(), m.version))
        })
        .collect()
}

pub fn at(gateway: &str, meter: &str) -> MeterRef {
    MeterRef::new(gateway, MeterAddress::parse(meter).unwrap())
}

/// How many `command` requests reached `sim` for `meter`.
pub fn sent(sim: &Simulator, command: &str, meter: &str) -> usize {
    sim.requests()
        .iter()
        .filter(|r| {
            r.command() == Some(command)
                && r.body.as_ref().and_then(|b| b["target_id"].as_str()) == Some(meter)
        })
        .count()
}

/// How many requests that change a meter (anything but Get…) reached `sim`.
pub fn writes(sim: &Simulator) -> usize {
    sim.requests()
        .iter()
        .filter(|r| r.command().is_some_and(|c| !c.starts_with("Get")))
        .count()
}

pub fn lcd_template() -> Template {
    Template::new(
        "Billing display",
        json!({"kind": "lcd", "display_fields": ["kWh_Tot", "RMS_Watts_Tot", "Line_Freq"]}),
    )
    .unwrap()
}

pub const LCD_ITEMS: [&str; 3] = ["kWh_Tot", "RMS_Watts_Tot", "Line_Freq"];

/// A TOU program unlike a simulated meter's factory one: peak 08:00-20:00 on weekdays.
pub fn tou_program() -> Value {
    let period = |hour: u8, tariff: u8| json!({"hour": hour, "minute": 0, "tariff": tariff});
    let unused = json!({"hour": 0, "minute": 0, "tariff": 0});
    let weekday = json!([period(0, 2), period(8, 1), period(20, 2), unused]);
    let flat = json!([period(0, 2), unused, unused, unused]);
    json!({
        "schedules": [weekday, flat, flat, flat, flat, flat],
        "holidays": [{"month": 1, "day": 1}, {"month": 12, "day": 25}],
        "weekend_schedule": 2,
        "holiday_schedule": 2,
    })
}

pub fn tou_template() -> Template {
    Template::new("Peak 8-20", json!({"kind": "tou", "tou": tou_program()})).unwrap()
}

/// One send as the engine asked for it.
#[derive(Debug, Clone)]
pub struct SendRecord {
    pub at: MeterRef,
    pub command: &'static str,
    pub started: Instant,
}

/// A sink that records every send and the most sends under way at once per gateway.
pub struct Recording<S> {
    inner: S,
    log: Mutex<Vec<SendRecord>>,
    in_flight: Mutex<HashMap<String, (usize, usize)>>,
}

impl<S> Recording<S> {
    pub fn new(inner: S) -> Self {
        Self {
            inner,
            log: Mutex::new(Vec::new()),
            in_flight: Mutex::new(HashMap::new()),
        }
    }

    pub fn log(&self) -> Vec<SendRecord> {
        self.log.lock().unwrap().clone()
    }

    /// The most sends that were under way at once on `gateway`.
    pub fn max_in_flight(&self, gateway: &str) -> usize {
        self.in_flight
            .lock()
            .unwrap()
            .get(gateway)
            .map_or(0, |(_, max)| *max)
    }
}

impl<S: CommandSink> CommandSink for Recording<S> {
    async fn send(
        &self,
        gateway_id: &str,
        meter: &MeterAddress,
        command: &Command,
        turn: Turn,
    ) -> Result<Sent, SendError> {
        self.log.lock().unwrap().push(SendRecord {
            at: MeterRef::new(gateway_id, meter.clone()),
            command: command.name(),
            started: Instant::now(),
        });
        {
            let mut in_flight = self.in_flight.lock().unwrap();
            let (now, max) = in_flight.entry(gateway_id.to_string()).or_default();
            *now += 1;
            *max = (*max).max(*now);
        }
        let result = self.inner.send(gateway_id, meter, command, turn).await;
        if let Some((now, _)) = self.in_flight.lock().unwrap().get_mut(gateway_id) {
            *now -= 1;
        }
        result
    }

    fn paces(&self) -> Option<push3_fleet::Paces> {
        self.inner.paces()
    }
}

/// Meter events in the order they came, for tests that follow a run.
pub fn meter_events(events: &[JobEvent]) -> Vec<(MeterRef, String)> {
    events
        .iter()
        .filter_map(|e| match e {
            JobEvent::Meter { at, state } => Some((at.clone(), state.label().to_string())),
            _ => None,
        })
        .collect()
}
