//! The `push3-sim` binary: documented options, and a demo gateway that answers on the printed URL.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

const BINARY: &str = env!("CARGO_BIN_EXE_push3-sim");

#[test]
fn help_documents_every_option() {
    let output = Command::new(BINARY)
        .arg("--help")
        .output()
        .expect("push3-sim runs");
    assert!(output.status.success());
    let help = String::from_utf8(output.stdout).unwrap();
    for option in [
        "--port",
        "--scenario",
        "--latency-ms",
        "--jitter-ms",
        "--framing",
        "--ping-interval",
        "--backtrack",
        "--bearer-token",
        "--send-failure",
        "--silent",
        "--forbid-until-first-message",
        "back-to-back",
        "MTAxMDoyMDIw",
    ] {
        assert!(help.contains(option), "--help lacks {option}");
    }
}

#[tokio::test]
async fn the_binary_serves_the_demo_gateway_on_the_url_it_prints() {
    let mut child = Command::new(BINARY)
        .args(["--port", "0", "--latency-ms", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("push3-sim starts");
    let mut url = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut url)
        .unwrap();
    let url = url.trim().to_string();
    let reply = reqwest::Client::new()
        .post(format!("{url}/sendCommand?key={}", push3_sim::DEMO_KEY))
        .json(
            &serde_json::json!({"command": "GetTariffData", "target": "meter",
            "target_id": "000350000900", "params": {}}),
        )
        .send()
        .await;
    // Stop the child (by its own id) before asserting, so a failure leaves nothing running.
    child.kill().expect("push3-sim stops");
    child.wait().unwrap();
    let reply = reply.expect("the printed URL answers");
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    assert_eq!(reply.status(), 200);
}
