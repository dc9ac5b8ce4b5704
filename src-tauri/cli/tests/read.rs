//! `push3 read` against the simulator: the TOU program in the shape of a TOU template's program,
//! the tariff table and its JSON, and `send`'s exit codes.

use push3_fleet::Template;
use push3_sim::{Faults, SimConfig, Simulator, DEMO_KEY};
use std::process::Output;
use std::time::Duration;

const SEED_METER: &str = "000350000900";

async fn push3(args: Vec<String>) -> Output {
    tokio::task::spawn_blocking(move || {
        let data_dir = tempfile::tempdir().unwrap();
        std::process::Command::new(env!("CARGO_BIN_EXE_push3"))
            .args(&args)
            .env("PUSH3_KEY", DEMO_KEY)
            .env("PUSH3_DATA_DIR", data_dir.path())
            .output()
            .unwrap()
    })
    .await
    .unwrap()
}

async fn read(sim: &Simulator, what: &str, extra: &[&str]) -> Output {
    let mut args: Vec<String> = ["read", what, "--meter", "350000900", "--api-url"]
        .iter()
        .map(|a| a.to_string())
        .collect();
    args.push(sim.api_url());
    args.extend(extra.iter().map(|a| a.to_string()));
    push3(args).await
}

/// The response message of `push3 send COMMAND` to the seed meter: the data as the gateway sent it.
async fn sent_raw(sim: &Simulator, command: &str) -> serde_json::Value {
    let args = [
        "send",
        command,
        "--meter",
        "350000900",
        "--api-url",
        &sim.api_url(),
    ];
    let out = push3(args.iter().map(|a| a.to_string()).collect()).await;
    serde_json::from_slice(&out.stdout).unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn read_tou_prints_the_meters_program_as_a_tou_templates_program() {
    let sim = Simulator::start(SimConfig::demo()).unwrap();
    for transport in ["ws", "http"] {
        let out = read(&sim, "tou", &["--transport", transport]).await;
        assert_eq!(
            out.status.code(),
            Some(0),
            "{transport}: {}",
            text(&out.stderr)
        );
        let printed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(printed["kind"], "tou");
        // The app's template code takes it as a TOU program, and it is what the meter holds.
        let template = Template::new("read back", printed).unwrap();
        let program = template.tou_program().unwrap();
        let meter = sim.meter(SEED_METER).unwrap();
        assert_eq!(program.schedules, meter.schedules.to_vec());
        assert_eq!(program.holidays, meter.holidays.to_vec());
        assert_eq!(program.weekend_schedule, meter.weekend_schedule);
    }
    let sent: Vec<_> = sim
        .requests()
        .iter()
        .filter_map(|r| r.command().map(str::to_owned))
        .collect();
    assert_eq!(sent, ["GetSchedules", "GetSchedules"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn read_reads_the_meters_flat_layout_schedules_numbered_from_one_or_zero_alike() {
    use push3::undocumented::flat::Numbering;
    for numbering in [Numbering::FromOne, Numbering::FromZero] {
        let mut config = SimConfig::demo();
        config.layout = push3_sim::PayloadLayout::Flat(numbering);
        let sim = Simulator::start(config).unwrap();
        // The gateway answers in the flat keys (as `push3 send` shows them)…
        let first = match numbering {
            Numbering::FromOne => "Schedule_1_Period_1_Hour",
            Numbering::FromZero => "Schedule_0_Period_1_Hour",
        };
        let message = sent_raw(&sim, "GetSchedules").await;
        assert!(
            message["data"].get(first).is_some(),
            "{numbering:?}: {message}"
        );
        assert!(message["data"].get("schedules").is_none());
        // …and `read tou` reads them into the program the meter holds.
        let out = read(&sim, "tou", &[]).await;
        assert_eq!(
            out.status.code(),
            Some(0),
            "{numbering:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let printed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let program = Template::new("flat", printed)
            .unwrap()
            .tou_program()
            .unwrap();
        let meter = sim.meter(SEED_METER).unwrap();
        assert_eq!(program.schedules, meter.schedules.to_vec(), "{numbering:?}");
        assert_eq!(program.holidays, meter.holidays.to_vec(), "{numbering:?}");

        // The tariff data too: flat on the wire, the meter's months when read.
        let message = sent_raw(&sim, "GetTariffData").await;
        assert!(message["data"].get("Month_1_Tot").is_some(), "{message}");
        assert!(message["data"].get("forward").is_none());
        let out = read(&sim, "tariffs", &["--json"]).await;
        assert_eq!(out.status.code(), Some(0));
        let data: push3::undocumented::TariffData = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(data.forward, meter.forward_history.to_vec());
        assert_eq!(data.reverse, meter.reverse_history.to_vec());
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn read_tariffs_prints_a_table_or_json() {
    let sim = Simulator::start(SimConfig::demo()).unwrap();
    let out = read(&sim, "tariffs", &["--json"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let data: push3::undocumented::TariffData = serde_json::from_slice(&out.stdout).unwrap();
    assert!(!data.forward.is_empty());

    let out = read(&sim, "tariffs", &[]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let table = text(&out.stdout);
    let first = &data.forward[0];
    let row = table
        .lines()
        .find(|l| l.starts_with("this month"))
        .unwrap_or_else(|| panic!("{table}"));
    assert!(row.contains(&format!("{:.1}", first.total)), "{row}");
    assert!(table.starts_with("Forward energy, kWh"), "{table}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_read_exits_as_send_does() {
    let sim = Simulator::start(SimConfig::demo()).unwrap();
    // A meter the gateway does not have: the gateway reports failure, exit 1.
    let mut args: Vec<String> = ["read", "tou", "--meter", "999999999999", "--api-url"]
        .iter()
        .map(|a| a.to_string())
        .collect();
    args.push(sim.api_url());
    let out = push3(args).await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty());

    // No answer in time: exit 3, unconfirmed.
    sim.set_faults(Faults {
        latency: Duration::from_secs(5),
        ..Default::default()
    });
    let out = read(&sim, "tariffs", &["--timeout", "0.5"]).await;
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("no response within 0.5 s"));

    // Bad input: exit 2, nothing sent.
    let before = sim.requests().len();
    let out = read(&sim, "tou", &["--transport", "pigeon"]).await;
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(sim.requests().len(), before);
}
