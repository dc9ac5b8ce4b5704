//! Every `push3 send` is on record in the audit log the app shares, secrets masked, and
//! `push3 history` reads it back: filters, JSON lines and the CSV export. These use PUSH3_KEY;
//! the last one sends through an inventory gateway and needs a Secret Service (run by ./x test).

mod common;

use common::*;
use push3_audit::{Entry, Outcome, Source, MASK};
use push3_sim::{Faults, SimConfig, Simulator, DEMO_KEY};
use serde_json::{json, Value};
use std::process::Output;

const SEED_METER: &str = "000350000900";
/// The demo's V3 meter: it has no relays, so a SetRelay to it fails at the gateway.
const V3_METER: &str = "000000030001";
/// A meter password that is not the demo meters' own.
const WRONG_PASSWORD: &str = "97531864";

fn with_demo_key(test: &str) -> TestInventory {
    let mut inventory = TestInventory::new(test);
    inventory.set_env("PUSH3_KEY", DEMO_KEY);
    inventory
}

/// Runs push3 off the async worker so the simulator keeps serving meanwhile.
fn push3(inventory: &TestInventory, args: &[&str]) -> Output {
    tokio::task::block_in_place(|| inventory.push3(args, ""))
}

fn send(inventory: &TestInventory, sim: &Simulator, args: &[&str]) -> Output {
    let url = sim.api_url();
    let mut all = vec!["send"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--api-url", &url]);
    push3(inventory, &all)
}

fn assert_exit(out: &Output, code: i32, what: &str) {
    assert_eq!(
        out.status.code(),
        Some(code),
        "{what}\nstdout: {}\nstderr: {}",
        stdout(out),
        stderr(out)
    );
}

fn find<'e>(entries: &'e [Entry], command: &str) -> &'e Entry {
    entries
        .iter()
        .find(|e| e.command == command)
        .unwrap_or_else(|| panic!("no {command} in {entries:#?}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn every_send_is_on_record_with_its_outcome_and_its_secrets_masked() {
    let sim = Simulator::start(SimConfig::demo()).unwrap();
    let inventory = with_demo_key("audited");

    let out = send(
        &inventory,
        &sim,
        &[
            "SetRelay",
            "--meter",
            SEED_METER,
            "--params",
            r#"{"relay":"Relay_1","status":"close","duration":1}"#,
        ],
    );
    assert_exit(&out, 0, "SetRelay");
    let answer: Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    let params = format!(r#"{{"ct_ratio":"200","meter_password":"{WRONG_PASSWORD}"}}"#);
    let out = send(
        &inventory,
        &sim,
        &["SetCTRatio", "--meter", SEED_METER, "--params", &params],
    );
    assert_exit(&out, 1, "SetCTRatio on a wrong password");
    let raw = format!(r#"{{"ct_ratio":"250","meter_password":"{WRONG_PASSWORD}"}}"#);
    let out = send(
        &inventory,
        &sim,
        &[
            "SetCTRatio",
            "--raw",
            "--meter",
            SEED_METER,
            "--params",
            &raw,
        ],
    );
    assert_exit(&out, 1, "a raw command the API rejects");
    assert_eq!(sim.requests().len(), 3);

    let entries = inventory.audit_entries();
    assert_eq!(entries.len(), 3, "{entries:#?}");
    let relay = find(&entries, "SetRelay");
    assert_eq!(
        (relay.source, relay.outcome, relay.meter.as_str()),
        (Source::Cli, Outcome::Confirmed, SEED_METER)
    );
    assert_eq!(
        (relay.gateway_id.as_str(), relay.gateway_name.as_str()),
        ("PUSH3_KEY", "PUSH3_KEY")
    );
    assert_eq!(relay.msg_id.as_deref(), answer["msg_id"].as_str());
    assert!(relay.round_trip_ms.is_some());
    assert_eq!(relay.params["meter_password"], MASK, "even the factory one");
    assert_eq!(relay.summary, "close Relay_1 for 1 s");

    let (failed, rejected): (Vec<&Entry>, Vec<&Entry>) = entries
        .iter()
        .filter(|e| e.command == "SetCTRatio")
        .partition(|e| e.outcome == Outcome::Failed);
    assert_eq!((failed.len(), rejected.len()), (1, 1), "{entries:#?}");
    assert!(
        failed[0]
            .error_text
            .as_deref()
            .unwrap()
            .contains("password"),
        "{:?}",
        failed[0].error_text
    );
    assert_eq!(
        failed[0].params,
        json!({"ct_ratio": "200", "meter_password": MASK})
    );
    assert_eq!(rejected[0].outcome, Outcome::Rejected);
    assert_eq!(rejected[0].msg_id, None, "the API refused it: no msg_id");
    assert_eq!(
        rejected[0].params,
        json!({"ct_ratio": "250", "meter_password": MASK})
    );
    assert!(
        rejected[0].summary.contains("raw"),
        "{}",
        rejected[0].summary
    );

    assert!(
        files_containing(&inventory.data_dir(), WRONG_PASSWORD).is_empty(),
        "the password is in no file of the data dir, WAL included"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_audit_log_that_cannot_be_opened_means_nothing_is_sent() {
    let sim = Simulator::start(SimConfig::demo()).unwrap();
    let inventory = with_demo_key("no-audit");
    // A folder where the database file should be: SQLite cannot open it.
    std::fs::create_dir_all(inventory.data_dir().join(push3_audit::FILE_NAME)).unwrap();
    let out = send(&inventory, &sim, &["GetTariffData", "--meter", SEED_METER]);
    assert_exit(&out, 2, "no audit log");
    assert!(
        stderr(&out).contains("nothing was sent") && stderr(&out).contains("audit log"),
        "{}",
        stderr(&out)
    );
    assert!(sim.requests().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn history_shows_filters_and_exports_what_was_sent() {
    let sim = Simulator::start(SimConfig::demo()).unwrap();
    let inventory = with_demo_key("history");
    let close = r#"{"relay":"Relay_1","status":"close","duration":0}"#;
    assert_exit(
        &send(
            &inventory,
            &sim,
            &["SetRelay", "--meter", SEED_METER, "--params", close],
        ),
        0,
        "SetRelay",
    );
    assert_exit(
        &send(
            &inventory,
            &sim,
            &["SetRelay", "--meter", V3_METER, "--params", close],
        ),
        1,
        "SetRelay to a V3 meter",
    );
    assert_exit(
        &send(&inventory, &sim, &["GetTariffData", "--meter", SEED_METER]),
        0,
        "GetTariffData",
    );
    sim.set_faults(Faults {
        silent: true,
        ..Faults::default()
    });
    assert_exit(
        &send(
            &inventory,
            &sim,
            &[
                "SetMaxDemandResetNow",
                "--meter",
                SEED_METER,
                "--timeout",
                "0.3",
            ],
        ),
        3,
        "unanswered",
    );

    let out = push3(&inventory, &["history"]);
    assert_exit(&out, 0, "history");
    let table = stdout(&out);
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 5, "a header and 4 commands:\n{table}");
    for heading in [
        "TIME (UTC)",
        "GATEWAY",
        "METER",
        "COMMAND",
        "OUTCOME",
        "RTT",
        "ERROR",
    ] {
        assert!(lines[0].contains(heading), "{heading}: {}", lines[0]);
    }
    assert!(
        lines[1].contains("SetMaxDemandResetNow") && lines[1].contains("unconfirmed"),
        "newest first:\n{table}"
    );
    assert!(lines[4].contains("SetRelay") && lines[4].contains("confirmed"));
    assert!(lines[4].contains(" ms"), "{}", lines[4]);

    let rows = |args: &[&str]| {
        let mut all = vec!["history", "--json"];
        all.extend_from_slice(args);
        let out = push3(&inventory, &all);
        assert_exit(&out, 0, &format!("{args:?}"));
        stdout(&out)
            .lines()
            .map(|line| serde_json::from_str::<Value>(line).unwrap())
            .collect::<Vec<_>>()
    };
    assert_eq!(rows(&[]).len(), 4);
    let to_v3 = rows(&["--meter", "30001"]);
    assert_eq!(to_v3.len(), 1);
    assert_eq!(to_v3[0]["outcome"], "failed");
    assert!(to_v3[0]["errorText"].as_str().is_some());
    assert_eq!(rows(&["--outcome", "FAILED"]), to_v3);
    let relays = rows(&["--command", "setrelay"]);
    assert_eq!(relays.len(), 2);
    assert!(relays.iter().all(|r| r["command"] == "SetRelay"));
    assert_eq!(
        rows(&["--command", "SetRelay", "--meter", SEED_METER]).len(),
        1
    );
    assert_eq!(
        rows(&["--outcome", "unconfirmed"])[0]["msgId"]
            .as_str()
            .unwrap()
            .len(),
        32
    );
    let today = chrono::Utc::now().date_naive().to_string();
    assert_eq!(rows(&["--since", &today]).len(), 4);
    assert_eq!(
        rows(&["--until", &today]).len(),
        4,
        "a date includes its day"
    );
    assert!(rows(&["--until", "2020-01-01"]).is_empty());
    assert!(rows(&["--since", "2999-01-01T00:00:00Z"]).is_empty());
    assert_eq!(rows(&["--limit", "2"]).len(), 2);

    let out = push3(&inventory, &["history", "--limit", "1"]);
    assert_eq!(stdout(&out).lines().count(), 2);
    assert!(
        stderr(&out).contains("the newest 1 of 4"),
        "{}",
        stderr(&out)
    );
    let out = push3(&inventory, &["history", "--outcome", "rejected"]);
    assert_eq!(stdout(&out).trim(), "No commands match.");

    // The export is every match, not a page of them.
    let out = push3(&inventory, &["history", "--csv", "--limit", "1"]);
    assert_exit(&out, 0, "history --csv");
    let csv = stdout(&out);
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].starts_with("id,time,source,gateway_id,gateway_name,meter,command"));
    assert_eq!(lines.len(), 5, "{csv}");
    assert!(lines
        .iter()
        .skip(1)
        .all(|l| l.contains(",cli,PUSH3_KEY,PUSH3_KEY,")));
    let out = push3(
        &inventory,
        &["history", "--csv", "--command", "GetTariffData"],
    );
    assert_eq!(stdout(&out).lines().count(), 2);

    let refused: [(&[&str], &str); 8] = [
        (&["--outcome", "lost"], "--outcome"),
        (&["--since", "yesterday"], "--since"),
        (&["--until", "2026-13-01"], "--until"),
        (
            &["--since", "2026-03-02", "--until", "2026-03-01"],
            "--until",
        ),
        (&["--meter", "1234567890123"], "--meter"),
        (&["--limit", "0"], "--limit"),
        (&["--command", " "], "--command"),
        (&["--gateway", "Basement"], "--gateway"),
    ];
    for (args, flag) in refused {
        let mut all = vec!["history"];
        all.extend_from_slice(args);
        let out = push3(&inventory, &all);
        assert_exit(&out, 2, &format!("{args:?}"));
        assert!(stderr(&out).contains(flag), "{args:?}: {}", stderr(&out));
        assert!(stdout(&out).is_empty());
    }
}

/// Made up for these tests; never a real EKM key.
const KEY: &str = "cli-test-key-audit-5e1d7c3b";
const STORED_PASSWORD: &str = "24681357";
const NEW_PASSWORD: &str = "11223344";

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a Secret Service: run by ./x test"]
async fn a_send_through_a_gateway_is_on_record_teaches_known_settings_and_keeps_a_new_password() {
    let meter = push3_sim::MeterConfig::new(SEED_METER, push3::MeterVersion::V4, "Boiler room")
        .with_password(STORED_PASSWORD);
    let sim = Simulator::start(SimConfig::with_gateways(vec![
        push3_sim::GatewayConfig::new("CLI test gateway", KEY, vec![meter]),
    ]))
    .unwrap();
    let inventory = TestInventory::new("audited-gateway");
    let add = ["gateway", "add", "Office", "--api-url", &sim.api_url()];
    let out = tokio::task::block_in_place(|| inventory.push3(&add, &format!("{KEY}\n")));
    assert_exit(&out, 0, "gateway add");
    let add_meter = [
        "meter",
        "add",
        SEED_METER,
        "--gateway",
        "Office",
        "--version",
        "V4",
        "--with-password",
    ];
    let out = tokio::task::block_in_place(|| {
        inventory.push3(&add_meter, &format!("{STORED_PASSWORD}\n"))
    });
    assert_exit(&out, 0, "meter add");
    let listed: Value =
        serde_json::from_str(&stdout(&push3(&inventory, &["gateway", "list", "--json"]))).unwrap();
    let gateway_id = listed[0]["id"].as_str().unwrap().to_string();
    let through_office = |command: &str, params: &str| {
        push3(
            &inventory,
            &[
                "send",
                command,
                "--gateway",
                "Office",
                "--meter",
                SEED_METER,
                "--params",
                params,
            ],
        )
    };

    let out = through_office("SetLCD", r#"{"display_fields":["kWh_Tot","Line_Freq"]}"#);
    assert_exit(&out, 0, "SetLCD");
    let known = push3_inventory::KnownStore::open(&inventory.data_dir());
    let address = push3::MeterAddress::parse(SEED_METER).unwrap();
    let lcd = known
        .get(&gateway_id, &address, true)
        .lcd
        .expect("known after a confirmed SetLCD");
    assert_eq!(lcd.value, ["kWh_Tot", "Line_Freq"]);
    let entry = &inventory.audit_entries()[0];
    assert_eq!(
        (entry.gateway_id.as_str(), entry.gateway_name.as_str()),
        (gateway_id.as_str(), "Office")
    );
    assert_eq!(
        entry.params["meter_password"], MASK,
        "the stored password, masked"
    );

    let out = through_office(
        "SetMeterPassword",
        &format!(r#"{{"new_password":"{NEW_PASSWORD}"}}"#),
    );
    assert_exit(&out, 0, "SetMeterPassword");
    assert_eq!(sim.meter(SEED_METER).unwrap().password, NEW_PASSWORD);
    assert_eq!(
        inventory
            .secret_in_secret_service(&format!("meter:{SEED_METER}:password"))
            .as_deref(),
        Some(NEW_PASSWORD),
        "the keychain holds the meter's new password"
    );
    let entry = &inventory.audit_entries()[0];
    assert_eq!(
        entry.params,
        json!({"new_password": MASK, "meter_password": MASK})
    );
    let out = through_office(
        "SetRelay",
        r#"{"relay":"Relay_1","status":"close","duration":0}"#,
    );
    assert_exit(&out, 0, "a later command carries the new password");

    let data_dir = inventory.data_dir();
    for secret in [KEY, STORED_PASSWORD, NEW_PASSWORD] {
        assert!(
            files_containing(&data_dir, secret).is_empty(),
            "{secret} in the data dir"
        );
    }
    let out = push3(&inventory, &["history", "--gateway", "office", "--json"]);
    assert_eq!(stdout(&out).lines().count(), 3, "{}", stdout(&out));
}
