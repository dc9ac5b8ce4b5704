//! `push3-sim`: serve a simulated Push3 cloud with the demo gateway on 127.0.0.1 until Ctrl-C.

use clap::{Parser, ValueEnum};
use push3::undocumented::flat::Numbering;
use push3::undocumented::WireProfile;
use push3_sim::{Faults, Framing, PayloadLayout, SendFailure, SimConfig, Simulator, DEMO_KEY};
use std::time::Duration;

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Scenario {
    /// The demo gateway, well behaved.
    Demo,
    /// The demo gateway with 300-800 ms answers, reordering, other clients' messages, duplicates
    /// and junk frames on the stream: what a robust client must survive.
    Flaky,
    /// The demo gateway starting offline: commands queue until you press Enter, then run late.
    Offline,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum LayoutArg {
    Nested,
    Flat,
    Flat0,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum FramingArg {
    /// One JSON message per line.
    Newline,
    /// JSON messages back to back with no separator.
    BackToBack,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum SendFailureArg {
    /// sendCommand answers 502 with an HTML error page.
    #[value(name = "status-5xx")]
    Status5xx,
    /// sendCommand answers 200 with an HTML page instead of JSON.
    HtmlBody,
}

/// A local stand-in for EKM's Push3 cloud: POST /sendCommand, the response stream on /sub/{channel}
/// and /ws/{channel} (with .bN backtrack), and simulated Omnimeters (V3, V4, V5) behind the demo
/// gateway, whose key is the docs' public demo key MTAxMDoyMDIw.
const EXAMPLE: &str = "Example (the seed's relay command against the simulator):
  push3-sim --port 8787
  curl -s -X POST 'http://127.0.0.1:8787/sendCommand?key=MTAxMDoyMDIw' \\
    -H 'Content-Type: application/json' \\
    -d '{\"command\":\"SetRelay\",\"target\":\"meter\",\"target_id\":\"000350000900\",
         \"params\":{\"relay\":\"Relay_1\",\"status\":\"close\",\"duration\":1}}'
  curl --no-buffer -s 'http://127.0.0.1:8787/sub/<response_channel_id>.b20'";

#[derive(Debug, Parser)]
#[command(name = "push3-sim", version, after_help = EXAMPLE)]
struct Args {
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 8787)]
    port: u16,
    /// What to serve.
    #[arg(long, value_enum, default_value = "demo")]
    scenario: Scenario,
    /// Time each command takes on its gateway, in milliseconds (the demo: 300, one at a time).
    #[arg(long, value_name = "MS")]
    latency_ms: Option<u64>,
    /// Run a gateway's commands side by side rather than one at a time.
    #[arg(long)]
    concurrent: bool,
    /// GetSchedules' and GetTariffData's data: nested, or the meter's flat keys, schedules
    /// numbered from 1 (flat) or 0 (flat0).
    #[arg(long, value_enum, default_value = "nested")]
    layout: LayoutArg,
    /// The wire profile its gateways take the undocumented Set… commands in: a built-in id
    /// (nested-from-1, flat-from-0) or a profile file.
    #[arg(long, value_name = "ID|FILE", default_value = "nested-from-1")]
    wire_profile: String,
    /// Override the profile's schedule numbering: a gateway that counts from 0 (or 1) whatever
    /// it is sent, to try the read-back's slot-shift check.
    #[arg(long, value_name = "0|1", value_parser = clap::value_parser!(u8).range(0..=1))]
    schedule_numbering: Option<u8>,
    /// Random extra delay of up to this many milliseconds per answer.
    #[arg(long, value_name = "MS")]
    jitter_ms: Option<u64>,
    /// How messages follow each other on the HTTP stream.
    #[arg(long, value_enum, default_value = "newline")]
    framing: FramingArg,
    /// Seconds between keep-alive pings on idle streams.
    #[arg(long, value_name = "SECONDS", default_value_t = 10)]
    ping_interval: u64,
    /// Messages kept per channel for .bN backtrack.
    #[arg(long, value_name = "N", default_value_t = 100)]
    backtrack: usize,
    /// Require `Authorization: Bearer <TOKEN>` on sendCommand.
    #[arg(
        long,
        value_name = "TOKEN",
        env = "PUSH3_SIM_BEARER_TOKEN",
        hide_env_values = true
    )]
    bearer_token: Option<String>,
    /// Make every sendCommand fail this way.
    #[arg(long, value_enum)]
    send_failure: Option<SendFailureArg>,
    /// Accept commands and run them, but never answer.
    #[arg(long)]
    silent: bool,
    /// Answer 403 to subscribers of a channel with no message yet.
    #[arg(long)]
    forbid_until_first_message: bool,
}

fn config(args: &Args) -> SimConfig {
    let mut config = SimConfig::demo_realistic();
    config.port = args.port;
    config.framing = match args.framing {
        FramingArg::Newline => Framing::Newline,
        FramingArg::BackToBack => Framing::BackToBack,
    };
    config.ping_interval = Duration::from_secs(args.ping_interval.max(1));
    config.backtrack_capacity = args.backtrack;
    config.bearer_token = args.bearer_token.clone();
    let mut faults = match args.scenario {
        Scenario::Demo | Scenario::Offline => config.faults.clone(),
        Scenario::Flaky => Faults {
            latency: Duration::from_millis(300),
            jitter: Duration::from_millis(500),
            reorder: true,
            foreign_messages: true,
            duplicates: true,
            malformed_frames: true,
            ..Faults::default()
        },
    };
    if let Some(ms) = args.latency_ms {
        faults.latency = Duration::from_millis(ms);
    }
    if let Some(ms) = args.jitter_ms {
        faults.jitter = Duration::from_millis(ms);
    }
    faults.send_failure = args.send_failure.map(|f| match f {
        SendFailureArg::Status5xx => SendFailure::Status5xx,
        SendFailureArg::HtmlBody => SendFailure::HtmlBody,
    });
    faults.silent = args.silent;
    faults.concurrent = args.concurrent;
    config.wire_profile = match WireProfile::built_in_by_id(&args.wire_profile) {
        Some(profile) => profile.clone(),
        None => std::fs::read_to_string(&args.wire_profile)
            .map_err(|e| format!("--wire-profile {}: {e}", args.wire_profile))
            .and_then(|text| WireProfile::parse(&text).map_err(|e| format!("--wire-profile: {e}")))
            .unwrap_or_else(|e| {
                eprintln!("push3-sim: {e}");
                std::process::exit(2)
            }),
    };
    if let Some(numbering) = args.schedule_numbering {
        config.wire_profile.schedule_numbering = numbering;
    }
    config.layout = match args.layout {
        LayoutArg::Nested => PayloadLayout::Nested,
        LayoutArg::Flat => PayloadLayout::Flat(Numbering::FromOne),
        LayoutArg::Flat0 => PayloadLayout::Flat(Numbering::FromZero),
    };
    faults.forbid_until_first_message = args.forbid_until_first_message;
    config.faults = faults;
    if matches!(args.scenario, Scenario::Offline) {
        config.gateways.iter_mut().for_each(|g| g.online = false);
    }
    config
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    let config = config(&args);
    let meters: Vec<String> = config.gateways[0]
        .meters
        .iter()
        .map(|m| format!("  {} {} {}", m.address, m.version, m.name))
        .collect();
    let sim = match Simulator::start(config) {
        Ok(sim) => sim,
        Err(e) => {
            eprintln!("push3-sim: cannot listen on 127.0.0.1:{}: {e}", args.port);
            std::process::exit(1);
        }
    };
    println!("{}", sim.api_url());
    eprintln!(
        "push3-sim ({:?}) serving the demo gateway, key {DEMO_KEY}:",
        args.scenario
    );
    eprintln!("{}", meters.join("\n"));
    if matches!(args.scenario, Scenario::Offline) {
        eprintln!("The gateway is offline: press Enter to bring it online. Ctrl-C stops.");
        let mut stdin = tokio::io::BufReader::new(tokio::io::stdin());
        let mut line = String::new();
        let enter = tokio::select! {
            _ = tokio::signal::ctrl_c() => { sim.shutdown().await; return; }
            read = tokio::io::AsyncBufReadExt::read_line(&mut stdin, &mut line) => read,
        };
        // Without a terminal (stdin at its end) the gateway stays offline until Ctrl-C.
        if matches!(enter, Ok(n) if n > 0) {
            sim.set_gateway_online(DEMO_KEY, true);
            eprintln!("The gateway is online; queued commands run now.");
        }
    } else {
        eprintln!("Ctrl-C stops.");
    }
    let _ = tokio::signal::ctrl_c().await;
    sim.shutdown().await;
}
