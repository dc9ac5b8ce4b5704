//! Gateways: offline queues that run late, timed relays, keys and their channels, the bearer
//! token, and the request log.

use crate::support::*;
use push3::MeterVersion;
use push3_sim::{GatewayConfig, MeterConfig, RelayStatus, SimConfig, Simulator, DEMO_KEY};
use serde_json::json;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

fn relay(relay: &str, status: &str, duration: u32) -> serde_json::Value {
    json!({"relay": relay, "status": status, "duration": duration, "meter_password": "00000000"})
}

/// Polls a meter until `done` holds (timed relays change with no message to await).
async fn wait_for_meter(
    sim: &Simulator,
    address: &str,
    done: impl Fn(&push3_sim::MeterState) -> bool,
) {
    let deadline = Instant::now() + WAIT;
    while !done(&sim.meter(address).unwrap()) {
        assert!(
            Instant::now() < deadline,
            "meter {address} never reached the state"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn an_offline_gateway_queues_commands_and_runs_them_when_back_online() {
    let sim = start(SimConfig {
        ping_interval: Duration::from_millis(50),
        ..SimConfig::demo()
    });
    assert!(sim.set_gateway_online(DEMO_KEY, false));
    let mut stream = HttpStream::open(
        &sim.addr().to_string(),
        &sim.response_channel(DEMO_KEY).unwrap(),
    )
    .await;
    let id = send(&sim, "SetRelay", SEED_METER, relay("Relay_1", "close", 0))
        .await
        .msg_id();
    // Three pings in a row: the stream is alive and no answer came meanwhile.
    for _ in 0..3 {
        assert_eq!(stream.next_line().await, "", "no answer while offline");
    }
    assert_eq!(
        sim.meter(SEED_METER).unwrap().relays[0].status,
        RelayStatus::Open
    );
    let back_online = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs_f64();
    sim.set_gateway_online(DEMO_KEY, true);
    let message = stream.next_message().await;
    assert_eq!(message["msg_id"], id.as_str());
    assert_eq!(message["success"], true);
    // The gateway received it when it came back, not when it was sent (G10, G12).
    assert!(
        message["timestamp"].as_f64().unwrap() >= back_online - 0.001,
        "{message}"
    );
    assert_eq!(
        sim.meter(SEED_METER).unwrap().relays[0].status,
        RelayStatus::Close
    );
}

#[tokio::test]
async fn set_gateway_online_reports_unknown_keys() {
    let sim = demo();
    assert!(!sim.set_gateway_online("bm90LWEta2V5", false));
}

#[tokio::test]
async fn a_timed_close_reverts_to_open_after_its_duration() {
    let sim = demo();
    let started = Instant::now();
    run_ok(&sim, "SetRelay", SEED_METER, relay("Relay_2", "close", 1)).await;
    let meter = sim.meter(SEED_METER).unwrap();
    assert_eq!(meter.relays[1].status, RelayStatus::Close);
    assert!(meter.relays[1].reverts_at.is_some());
    assert_eq!(
        meter.relays[0].status,
        RelayStatus::Open,
        "only Relay_2 moved"
    );
    wait_for_meter(&sim, SEED_METER, |m| {
        m.relays[1].status == RelayStatus::Open
    })
    .await;
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "{:?}",
        started.elapsed()
    );
    assert!(sim.meter(SEED_METER).unwrap().relays[1]
        .reverts_at
        .is_none());
}

#[tokio::test]
async fn a_newer_relay_command_cancels_the_pending_revert() {
    let sim = demo();
    run_ok(&sim, "SetRelay", SEED_METER, relay("Relay_1", "close", 1)).await;
    run_ok(&sim, "SetRelay", SEED_METER, relay("Relay_1", "close", 0)).await;
    // A timed open on the other relay outlives the first command's revert time.
    let started = Instant::now();
    run_ok(&sim, "SetRelay", SEED_METER, relay("Relay_2", "close", 0)).await;
    run_ok(&sim, "SetRelay", SEED_METER, relay("Relay_2", "open", 1)).await;
    wait_for_meter(&sim, SEED_METER, |m| {
        m.relays[1].status == RelayStatus::Close
    })
    .await;
    assert!(started.elapsed() >= Duration::from_millis(950));
    assert_eq!(
        sim.meter(SEED_METER).unwrap().relays[0].status,
        RelayStatus::Close,
        "held"
    );
}

fn two_gateways() -> SimConfig {
    SimConfig::with_gateways(vec![
        push3_sim::demo_gateway(),
        GatewayConfig::new(
            "Second site",
            "c2Vjb25kOnNpdGU=",
            vec![MeterConfig::new(
                "000350000900",
                MeterVersion::V3,
                "Same address, other site",
            )],
        ),
    ])
}

#[tokio::test]
async fn each_key_has_its_own_channel_and_meters() {
    let sim = start(two_gateways());
    let a = sim.response_channel(DEMO_KEY).unwrap();
    let b = sim.response_channel("c2Vjb25kOnNpdGU=").unwrap();
    assert_ne!(a, b);
    let body = json!({"command": "SetRelay", "target": "meter", "target_id": SEED_METER,
        "params": relay("Relay_1", "close", 0)});
    let reply = post_raw(&sim, "?key=c2Vjb25kOnNpdGU=", &body.to_string()).await;
    assert_eq!(reply.channel(), b);
    let mut stream = HttpStream::open(&reply.host(), &format!("{b}.b5")).await;
    let message = stream.next_message().await;
    assert_eq!(
        message["success"], false,
        "the second site's meter is a V3: {message}"
    );
}

#[tokio::test]
async fn a_configured_bearer_token_is_required() {
    let sim = start(SimConfig {
        bearer_token: Some("test-token".into()),
        ..SimConfig::demo()
    });
    let body = json!({"command": "GetSchedules", "target": "meter", "target_id": SEED_METER,
        "params": {}});
    let url = format!("{}/sendCommand?key={DEMO_KEY}", sim.api_url());
    let client = reqwest::Client::new();
    let missing = client.post(&url).json(&body).send().await.unwrap();
    assert_eq!(missing.status(), 401);
    let wrong = client
        .post(&url)
        .bearer_auth("nope")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    let right = client
        .post(&url)
        .bearer_auth("test-token")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(right.status(), 200);
    let seen = sim.requests();
    assert_eq!(seen.len(), 3);
    assert_eq!(seen[2].headers["authorization"], "Bearer test-token");
}

#[tokio::test]
async fn every_request_is_recorded_exactly_as_sent() {
    let sim = demo();
    assert!(sim.requests().is_empty());
    let body = json!({"command": "SetRelay", "target": "meter", "target_id": SEED_METER,
        "params": relay("Relay_1", "close", 1)});
    send(&sim, "SetRelay", SEED_METER, relay("Relay_1", "close", 1))
        .await
        .msg_id();
    post_raw(&sim, "", "not json").await.error();
    let seen = sim.requests();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[0].method, "POST");
    assert_eq!(seen[0].path, "/sendCommand");
    assert_eq!(seen[0].query, format!("key={DEMO_KEY}"));
    assert_eq!(seen[0].query_param("key").as_deref(), Some(DEMO_KEY));
    assert_eq!(seen[0].headers["content-type"], "application/json");
    assert_eq!(seen[0].body.as_ref(), Some(&body));
    assert_eq!(seen[0].command(), Some("SetRelay"));
    assert_eq!(seen[1].body, None);
    assert_eq!(seen[1].raw_body, "not json");
}
