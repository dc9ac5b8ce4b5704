//! Client overhead per command and fan-out through one shared subscription, against the
//! in-process simulator on 127.0.0.1 at zero latency.
//!
//! Besides criterion's means, this prints percentiles it measures itself (criterion reports no
//! p50/p99) and the memory growth of the fan-out, read from /proc/self/status:
//!
//! * `round trip`: N sequential `execute` calls (validate, POST, stream, correlate) per transport;
//!   p50/p99/max of the per-command wall time. This includes the simulator's own work, so it
//!   bounds the client's overhead from above.
//! * `fan-out`: 1,000 commands to 1,000 meters of one gateway, all waiting on its one channel;
//!   total wall time, every outcome checked, and VmRSS/VmHWM before and after.

use criterion::Criterion;
use futures_util::{stream, StreamExt};
use push3::{Client, ClientConfig, MeterAddress, ParseOptions, ParsedCommand, Secret, Transport};
use push3_sim::{GatewayConfig, MeterConfig, SimConfig, Simulator, DEMO_KEY};
use serde_json::json;
use std::time::{Duration, Instant};
use tokio::runtime::Runtime;

const ROUND_TRIPS: usize = 2000;
const FAN_OUT: usize = 1000;

fn runtime() -> Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

fn client(sim: &Simulator, transport: Transport) -> Client {
    let config = ClientConfig::new(Secret::new(DEMO_KEY))
        .with_api_url(sim.api_url())
        .with_transport(transport);
    Client::new(config).expect("client")
}

fn relay() -> ParsedCommand {
    let params = json!({"relay": "Relay_1", "status": "close", "duration": 0});
    push3::parse("SetRelay", &params, &ParseOptions::default()).expect("valid")
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1e3)
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

struct Percentiles {
    p50: Duration,
    p99: Duration,
    max: Duration,
}

impl Percentiles {
    fn of(mut times: Vec<Duration>) -> Self {
        times.sort();
        Self {
            p50: percentile(&times, 0.5),
            p99: percentile(&times, 0.99),
            max: *times.last().unwrap(),
        }
    }
}

impl std::fmt::Display for Percentiles {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "p50 {} p99 {} max {}",
            ms(self.p50),
            ms(self.p99),
            ms(self.max)
        )
    }
}

/// Per command: the whole round trip, and its two halves: `send` (validate, POST, claim the
/// msg_id on the shared subscription) and `wait` (until the correlated message is in hand).
fn round_trip_percentiles(rt: &Runtime) {
    for transport in [Transport::Ws, Transport::Http] {
        let (total, send, wait) = rt.block_on(async {
            let sim = Simulator::start(SimConfig::demo()).expect("simulator");
            let client = client(&sim, transport);
            let meter = MeterAddress::parse("000350000900").unwrap();
            let command = relay();
            // Warm up: connection pool, subscription, allocator.
            for _ in 0..50 {
                assert!(client
                    .execute(&meter, &command)
                    .await
                    .unwrap()
                    .is_confirmed());
            }
            let (mut total, mut send, mut wait) = (Vec::new(), Vec::new(), Vec::new());
            for _ in 0..ROUND_TRIPS {
                let start = Instant::now();
                let pending = client.send(&meter, &command).await.unwrap();
                let sent = Instant::now();
                let outcome = pending.outcome().await;
                let done = Instant::now();
                assert!(outcome.is_confirmed());
                total.push(done - start);
                send.push(sent - start);
                wait.push(done - sent);
            }
            (
                Percentiles::of(total),
                Percentiles::of(send),
                Percentiles::of(wait),
            )
        });
        println!("round trip ({transport}, {ROUND_TRIPS} sequential commands): {total}");
        println!("    send half (validate + POST + claim): {send}");
        println!("    wait half (gateway + stream + correlate): {wait}");
    }
    // The simulator's gateway sleeps for its latency even when it is zero; a Tokio timer fires
    // on a 1 ms tick, so this is the floor it adds to every wait.
    let floor = rt.block_on(async {
        let mut times = Vec::new();
        for _ in 0..500 {
            let start = Instant::now();
            tokio::time::sleep(Duration::ZERO).await;
            times.push(start.elapsed());
        }
        Percentiles::of(times)
    });
    println!("tokio::time::sleep(Duration::ZERO) on this runtime: {floor}");
}

fn fan_out_sim() -> SimConfig {
    let meters = (1..=FAN_OUT)
        .map(|i| {
            MeterConfig::new(
                &format!("{:012}", 500_000_000 + i),
                push3::MeterVersion::V4,
                "bench",
            )
        })
        .collect();
    SimConfig::with_gateways(vec![GatewayConfig::new("bench", DEMO_KEY, meters)])
}

/// Sends to every meter (64 POSTs in flight), then awaits every outcome. Returns the wall time.
async fn fan_out(client: &Client) -> Duration {
    let command = relay();
    let meters: Vec<MeterAddress> = (1..=FAN_OUT)
        .map(|i| MeterAddress::parse(&format!("{}", 500_000_000 + i)).unwrap())
        .collect();
    // The shared subscription is open before the burst, as it is for a client that has been
    // sending: a cold burst to a gateway that answers instantly can outrun what the server
    // keeps for backtrack (BENCHMARKS.md, "Finding"). Not timed.
    assert!(client
        .execute(&meters[0], &command)
        .await
        .unwrap()
        .is_confirmed());
    let start = Instant::now();
    let pending: Vec<_> = stream::iter(&meters)
        .map(|meter| client.send(meter, &command))
        .buffer_unordered(64)
        .collect()
        .await;
    let outcomes =
        futures_util::future::join_all(pending.into_iter().map(|p| p.unwrap().outcome())).await;
    let elapsed = start.elapsed();
    assert!(
        outcomes.iter().all(|o| o.is_confirmed()),
        "every command correlated"
    );
    elapsed
}

fn fan_out_report(rt: &Runtime) {
    rt.block_on(async {
        let sim = Simulator::start(fan_out_sim()).expect("simulator");
        for transport in [Transport::Ws, Transport::Http] {
            let client = client(&sim, transport);
            let (rss_before, _) = memory_kib();
            let elapsed = fan_out(&client).await;
            let (rss_after, hwm) = memory_kib();
            let stats = client.stream_stats();
            assert_eq!(stats.subscriptions_started, 1);
            println!(
                "fan-out ({transport}): {FAN_OUT} commands to {FAN_OUT} meters in {}, one subscription \
                 ({} delivered, {} connects); VmRSS {} -> {} KiB (+{} KiB), VmHWM {} KiB",
                ms(elapsed),
                stats.delivered,
                stats.connects,
                rss_before,
                rss_after,
                rss_after.saturating_sub(rss_before),
                hwm
            );
        }
    });
}

fn criterion_benches(c: &mut Criterion, rt: &Runtime) {
    let sim = rt.block_on(async { Simulator::start(SimConfig::demo()).expect("simulator") });
    let meter = MeterAddress::parse("000350000900").unwrap();
    let command = relay();
    let mut group = c.benchmark_group("execute");
    for transport in [Transport::Ws, Transport::Http] {
        let client = rt.block_on(async { client(&sim, transport) });
        group.bench_function(format!("SetRelay round trip ({transport})"), |b| {
            b.iter(|| rt.block_on(client.execute(&meter, &command)).unwrap())
        });
    }
    group.finish();

    let big = rt.block_on(async { Simulator::start(fan_out_sim()).expect("simulator") });
    let client = rt.block_on(async { client(&big, Transport::Ws) });
    let mut group = c.benchmark_group("fan-out");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(10));
    group.bench_function("1000 commands to 1000 meters (ws)", |b| {
        b.iter(|| rt.block_on(fan_out(&client)))
    });
    group.finish();
}

fn main() {
    let rt = runtime();
    fan_out_report(&rt);
    round_trip_percentiles(&rt);
    let mut criterion = Criterion::default().configure_from_args();
    criterion_benches(&mut criterion, &rt);
    criterion.final_summary();
}
