//! Bulk apply at fleet scale: 1,000 V4 meters over 4 gateways of one in-process simulator on
//! 127.0.0.1, an LCD template, the default concurrency, through the real client (validate,
//! POST, shared response subscription per gateway, correlate by `msg_id`).
//!
//! A plain `harness = false` main rather than criterion: one run takes seconds and its memory
//! growth is only meaningful the first time in a process, so repeating it to fit a statistical
//! model would measure something else. It prints wall time, VmRSS/VmHWM growth (from
//! /proc/self/status) and the stream counters, and checks every outcome.
//!
//! Scenarios (arguments; `cargo bench -p push3-fleet --bench bulk -- SCENARIO`):
//! * `budget` (default): 200 ms latency, each gateway answering commands side by side (the
//!   simulator's `concurrent` fault), so the figure is the engine's and the client's.
//! * `serial`: 200 ms latency, each gateway running one command at a time (the simulator's
//!   default, like one RS-485 bus): the floor is 250 × 0.2 s = 50 s whatever the engine does.
//!   The budget is 1.05 × that, with nothing unconfirmed.
//! * `serial-tight`: the same with every answer waited for only 400 ms (twice the service time),
//!   which a command timed from its send rather than its turn at the gateway could not meet.
//! * `instant`: no latency, the default concurrency, on a cold client (nothing subscribed yet).
//! * `burst`: no latency, all 250 meters of each gateway at once on a cold client: shows what the
//!   channel's stored-message cap (100) does to a burst larger than it.
//! * `burst-stored-1000`: the same burst with the simulator storing 1,000 messages per channel.

use push3::{Client, ClientConfig, MeterAddress, MeterVersion, Secret, Transport};
use push3_fleet::{
    BulkJob, ClientSink, Control, JobEvent, MeterState, Target, Template, DEFAULT_PER_GATEWAY,
};
use push3_sim::{Faults, GatewayConfig, MeterConfig, SimConfig, Simulator};
use serde_json::json;
use std::time::{Duration, Instant};

const GATEWAYS: usize = 4;
const METERS_PER_GATEWAY: usize = 250;
const WALL_BUDGET: Duration = Duration::from_secs(3);
const MEMORY_BUDGET_KIB: u64 = 50 * 1024;

struct Scenario {
    name: &'static str,
    latency: Duration,
    concurrent_gateway: bool,
    per_gateway: usize,
    timeout: Duration,
    /// Messages each channel keeps for backtrack.
    stored_per_channel: usize,
}

fn scenario(name: &str) -> Scenario {
    let budget = Scenario {
        name: "budget",
        latency: Duration::from_millis(200),
        concurrent_gateway: true,
        per_gateway: DEFAULT_PER_GATEWAY,
        timeout: Duration::from_secs(60),
        stored_per_channel: SimConfig::default().backtrack_capacity,
    };
    let instant = Scenario {
        name: "instant",
        latency: Duration::ZERO,
        concurrent_gateway: false,
        timeout: Duration::from_secs(5),
        ..budget
    };
    let burst = Scenario {
        name: "burst",
        per_gateway: METERS_PER_GATEWAY,
        ..instant
    };
    match name {
        "serial" => Scenario {
            name: "serial",
            concurrent_gateway: false,
            ..budget
        },
        "serial-tight" => Scenario {
            name: "serial-tight",
            concurrent_gateway: false,
            timeout: Duration::from_millis(400),
            ..budget
        },
        "instant" => instant,
        "burst" => burst,
        "burst-stored-1000" => Scenario {
            name: "burst-stored-1000",
            stored_per_channel: 1000,
            ..burst
        },
        _ => budget,
    }
}

fn gateways() -> Vec<GatewayConfig> {
    (0..GATEWAYS)
        .map(|g| {
            let meters = (0..METERS_PER_GATEWAY)
                .map(|m| {
                    let address = format!("{:012}", 100_000 * (g + 1) + m);
                    MeterConfig::new(&address, MeterVersion::V4, "bench")
                })
                .collect();
            GatewayConfig::new(&format!("gw{g}"), &format!("bench-key-{g}"), meters)
        })
        .collect()
}

/// VmRSS and VmHWM in KiB.
fn memory_kib() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

fn mib(kib: u64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}

async fn run(s: &Scenario) {
    let gateways = gateways();
    let sim = Simulator::start(SimConfig {
        faults: Faults {
            latency: s.latency,
            concurrent: s.concurrent_gateway,
            ..Faults::default()
        },
        backtrack_capacity: s.stored_per_channel,
        ..SimConfig::with_gateways(gateways.clone())
    })
    .expect("simulator starts");
    let mut sink = ClientSink::new();
    let mut clients = Vec::new();
    for gateway in &gateways {
        let config = ClientConfig::new(Secret::new(&gateway.key))
            .with_api_url(sim.api_url())
            .with_transport(Transport::Ws)
            .with_timeout(s.timeout);
        let client = Client::new(config).expect("client");
        clients.push(client.clone());
        sink = sink.with_gateway(&gateway.name, client);
    }
    let targets: Vec<Target> = gateways
        .iter()
        .flat_map(|g| {
            g.meters
                .iter()
                .map(|m| Target::new(&g.name, MeterAddress::parse(&m.address).unwrap(), m.version))
        })
        .collect();
    let template = Template::new(
        "bench",
        json!({"kind": "lcd", "display_fields": ["kWh_Tot", "RMS_Watts_Tot", "Line_Freq"]}),
    )
    .expect("valid template");
    let mut job = BulkJob::new(template, targets).with_per_gateway(s.per_gateway);

    let (rss_before, hwm_before) = memory_kib();
    let started = Instant::now();
    let mut events = 0u64;
    let mut widest = std::collections::BTreeMap::<String, (usize, usize)>::new();
    let report = job
        .run(&sink, &Control::new(), |event| {
            events += 1;
            if let JobEvent::Gateway(load) = event {
                let seen = widest.entry(load.gateway_id).or_default();
                *seen = (seen.0.max(load.window), seen.1.max(load.under_way));
            }
        })
        .await;
    let wall = started.elapsed();
    let (rss_after, hwm_after) = memory_kib();

    let total = GATEWAYS * METERS_PER_GATEWAY;
    let lost: Vec<_> = report
        .rows
        .iter()
        .filter(|r| r.state != MeterState::Confirmed)
        .collect();
    let delivered: u64 = clients.iter().map(|c| c.stream_stats().delivered).sum();
    let connects: u64 = clients.iter().map(|c| c.stream_stats().connects).sum();
    println!(
        "scenario {}: {total} meters, {GATEWAYS} gateways, latency {:?}, gateways {}, {} meters in flight per gateway, {} messages stored per channel",
        s.name,
        s.latency,
        if s.concurrent_gateway { "concurrent" } else { "serial" },
        s.per_gateway,
        s.stored_per_channel,
    );
    println!("  wall time          {:.3} s", wall.as_secs_f64());
    println!(
        "  VmRSS              {} -> {} (+{})",
        mib(rss_before),
        mib(rss_after),
        mib(rss_after.saturating_sub(rss_before))
    );
    println!(
        "  VmHWM              {} -> {} (+{})",
        mib(hwm_before),
        mib(hwm_after),
        mib(hwm_after.saturating_sub(hwm_before))
    );
    println!("  counts             {:?}", report.counts);
    println!("  events             {events}");
    println!("  widest window, most under way, by gateway: {widest:?}");
    println!("  stream             {connects} connects, {delivered} answers delivered");
    println!("  requests at sim    {}", sim.requests().len());
    if let Some(first) = lost.first() {
        let per_gateway: Vec<usize> = gateways
            .iter()
            .map(|g| lost.iter().filter(|r| r.at.gateway_id == g.name).count())
            .collect();
        println!(
            "  not confirmed      {} {per_gateway:?} by gateway (first: {} {})",
            lost.len(),
            first.at,
            first.state.detail()
        );
    }
    if !s.concurrent_gateway && !s.latency.is_zero() {
        // One command at a time per gateway: nothing can beat the gateways' own time.
        let limit = s.latency * METERS_PER_GATEWAY as u32;
        let growth = rss_after.saturating_sub(rss_before);
        println!(
            "  physical limit     {:.1} s; run {:.3} × the limit (budget ≤ 1.05: {}); unconfirmed {} (budget 0: {}); memory growth ≤ {}: {}",
            limit.as_secs_f64(),
            wall.as_secs_f64() / limit.as_secs_f64(),
            if wall.as_secs_f64() <= 1.05 * limit.as_secs_f64() { "met" } else { "MISSED" },
            report.counts.unconfirmed,
            if report.counts.unconfirmed == 0 { "met" } else { "MISSED" },
            mib(MEMORY_BUDGET_KIB),
            if growth <= MEMORY_BUDGET_KIB { "met" } else { "MISSED" },
        );
    }
    if s.name == "budget" {
        let growth = rss_after.saturating_sub(rss_before);
        println!(
            "  budget             wall ≤ {:?}: {}; memory growth ≤ {}: {}; all confirmed: {}",
            WALL_BUDGET,
            if wall <= WALL_BUDGET { "met" } else { "MISSED" },
            mib(MEMORY_BUDGET_KIB),
            if growth <= MEMORY_BUDGET_KIB {
                "met"
            } else {
                "MISSED"
            },
            if lost.is_empty() { "yes" } else { "NO" },
        );
    }
    sim.shutdown().await;
}

fn main() {
    // `cargo bench` passes `--bench`; the first other argument names the scenario.
    let name = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with("--"))
        .unwrap_or_else(|| "budget".into());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(run(&scenario(&name)));
}
