//! `kill -9` of a `push3 send` while its command is under way: the history must tell a command
//! the API had accepted (it may still run: msg_id and "sent, no answer") from one the API never
//! acknowledged. These use PUSH3_KEY and need no Secret Service.

mod common;

use common::*;
use push3_audit::{Entry, Outcome};
use push3_sim::{Faults, SimConfig, Simulator, DEMO_KEY};
use serde_json::Value;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

const SEED_METER: &str = "000350000900";
const CLOSE_RELAY: &str = r#"{"relay":"Relay_1","status":"close","duration":0}"#;

fn start_relay_send(inventory: &TestInventory, sim: &Simulator) -> Child {
    inventory
        .push3_command(&[
            "send",
            "SetRelay",
            "--meter",
            SEED_METER,
            "--params",
            CLOSE_RELAY,
            "--api-url",
            &sim.api_url(),
            "--timeout",
            "120",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// Waits (20 s at most) for `done`, checking every 20 ms: the event is in another process.
fn wait_until<T>(what: &str, mut done: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(found) = done() {
            return found;
        }
        assert!(Instant::now() < deadline, "gave up waiting until {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn kill_9(mut child: Child) {
    // SIGKILL: no destructor, no signal handler, nothing of the process runs after this.
    child.kill().unwrap();
    child.wait().unwrap();
}

fn history_json(inventory: &TestInventory) -> Vec<Value> {
    let out = inventory.push3(&["history", "--json"], "");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    stdout(&out)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

fn the_one_entry(inventory: &TestInventory) -> Entry {
    let entries = inventory.audit_entries();
    assert_eq!(entries.len(), 1, "{entries:#?}");
    entries.into_iter().next().unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_send_killed_after_the_api_accepted_it_shows_its_msg_id_and_sent_no_answer() {
    let sim = Simulator::start(SimConfig::demo()).unwrap();
    // The gateway runs the command but its answer never comes, so push3 is still waiting.
    sim.set_faults(Faults {
        silent: true,
        ..Faults::default()
    });
    let mut inventory = TestInventory::new("killed-accepted");
    inventory.set_env("PUSH3_KEY", DEMO_KEY);
    let child = tokio::task::block_in_place(|| start_relay_send(&inventory, &sim));

    let msg_id = tokio::task::block_in_place(|| {
        wait_until("the acceptance is on record", || {
            inventory.audit_entries().into_iter().find_map(|e| e.msg_id)
        })
    });
    kill_9(child);

    let entry = tokio::task::block_in_place(|| the_one_entry(&inventory));
    assert_eq!(entry.outcome, Outcome::Interrupted);
    assert_eq!(entry.msg_id.as_deref(), Some(msg_id.as_str()));
    assert!(entry.channel.is_some(), "the response channel is on record");
    let history = tokio::task::block_in_place(|| history_json(&inventory));
    assert_eq!(history.len(), 1);
    assert_eq!(history[0]["outcome"], "interrupted");
    assert_eq!(history[0]["msgId"], msg_id.as_str());
    let fate = history[0]["fate"].as_str().unwrap();
    assert!(
        fate.starts_with(&format!("sent, no answer recorded (msg_id {msg_id})")),
        "{fate}"
    );
    let table = tokio::task::block_in_place(|| inventory.push3(&["history"], ""));
    assert!(
        stdout(&table).contains("sent, no answer recorded"),
        "{}",
        stdout(&table)
    );
    assert_eq!(sim.requests().len(), 1, "sent once");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_send_killed_before_the_api_acknowledged_it_shows_not_sent_without_msg_id() {
    let sim = Simulator::start(SimConfig::demo()).unwrap();
    // The API holds the request: push3 is killed before sendCommand answers.
    sim.set_faults(Faults {
        accept_delay: Duration::from_secs(60),
        ..Faults::default()
    });
    let mut inventory = TestInventory::new("killed-unacknowledged");
    inventory.set_env("PUSH3_KEY", DEMO_KEY);
    let child = tokio::task::block_in_place(|| start_relay_send(&inventory, &sim));

    tokio::task::block_in_place(|| {
        wait_until("the request reaches the API", || {
            (!sim.requests().is_empty()).then_some(())
        })
    });
    kill_9(child);

    let entry = tokio::task::block_in_place(|| the_one_entry(&inventory));
    assert_eq!(entry.outcome, Outcome::Interrupted);
    assert_eq!(entry.msg_id, None);
    let history = tokio::task::block_in_place(|| history_json(&inventory));
    assert_eq!(history[0]["msgId"], Value::Null);
    let fate = history[0]["fate"].as_str().unwrap();
    assert_eq!(
        fate,
        "not sent: the API never acknowledged it (at most the request was on its way when the \
         process ended)"
    );
}
