//! The response push stream over HTTP and websocket: live delivery, `.bN` backtrack, pings,
//! framing, and the sendCommand reply that points at it.

use crate::support::*;
use push3_sim::{Framing, SimConfig, DEMO_KEY};
use serde_json::json;
use std::time::Duration;

fn relay_close() -> serde_json::Value {
    json!({"relay": "Relay_1", "status": "close", "duration": 0, "meter_password": "00000000"})
}

#[tokio::test]
async fn send_command_reply_names_a_msg_id_a_shared_channel_and_our_own_host() {
    let sim = demo();
    let first = send(&sim, "SetRelay", SEED_METER, relay_close()).await;
    let second = send(&sim, "GetSchedules", SEED_METER, json!({})).await;
    let id = first.msg_id();
    assert_eq!(id.len(), 32);
    assert!(id.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_ne!(id, second.msg_id());
    assert!(first.channel().starts_with("response_"));
    assert_eq!(first.channel(), second.channel(), "one channel per key");
    assert_eq!(Some(first.channel()), sim.response_channel(DEMO_KEY));
    assert_eq!(first.host(), sim.addr().to_string());
}

#[tokio::test]
async fn http_stream_delivers_a_live_answer_shaped_like_the_seed() {
    let sim = demo();
    let channel = sim.response_channel(DEMO_KEY).unwrap();
    let host = sim.addr().to_string();
    let mut stream = HttpStream::open(&host, &channel).await;
    let msg_id = send(&sim, "SetRelay", SEED_METER, relay_close())
        .await
        .msg_id();
    let message = stream.next_message().await;
    assert_eq!(message["msg_id"], msg_id.as_str());
    assert_eq!(message["success"], true);
    assert!(message["error"].is_null() && message["data"].is_null());
    let timestamp = message["timestamp"].as_f64().expect("float timestamp");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap();
    assert!((now.as_secs_f64() - timestamp).abs() < 60.0, "{timestamp}");
    let keys: Vec<_> = message.as_object().unwrap().keys().cloned().collect();
    assert_eq!(keys.len(), 5, "{keys:?}");
}

#[tokio::test]
async fn backtrack_replays_answers_published_before_subscribing() {
    let sim = demo();
    let mut ids = Vec::new();
    for _ in 0..3 {
        ids.push(
            send(&sim, "GetSchedules", SEED_METER, json!({}))
                .await
                .msg_id(),
        );
    }
    // Wait for all three answers to be stored: a .b3 subscriber then sees exactly them.
    let channel = sim.response_channel(DEMO_KEY).unwrap();
    let host = sim.addr().to_string();
    let mut live = HttpStream::open(&host, &format!("{channel}.b100")).await;
    for _ in 0..3 {
        live.next_message().await;
    }
    let mut two = HttpStream::open(&host, &format!("{channel}.b2")).await;
    assert_eq!(two.next_message().await["msg_id"], ids[1].as_str());
    assert_eq!(two.next_message().await["msg_id"], ids[2].as_str());

    // Without a suffix only live messages come: the next thing is the next answer.
    let mut plain = HttpStream::open(&host, &channel).await;
    let fourth = send(&sim, "GetTariffData", SEED_METER, json!({}))
        .await
        .msg_id();
    assert_eq!(plain.next_message().await["msg_id"], fourth.as_str());
    assert_eq!(two.next_message().await["msg_id"], fourth.as_str());
}

#[tokio::test]
async fn backtrack_keeps_only_the_configured_number_of_messages() {
    let sim = start(SimConfig {
        backtrack_capacity: 2,
        ..SimConfig::demo()
    });
    let channel = sim.response_channel(DEMO_KEY).unwrap();
    let host = sim.addr().to_string();
    let mut live = HttpStream::open(&host, &channel).await;
    let mut ids = Vec::new();
    for _ in 0..4 {
        ids.push(
            send(&sim, "GetSchedules", SEED_METER, json!({}))
                .await
                .msg_id(),
        );
        live.next_message().await;
    }
    let mut late = HttpStream::open(&host, &format!("{channel}.b20")).await;
    assert_eq!(late.next_message().await["msg_id"], ids[2].as_str());
    assert_eq!(late.next_message().await["msg_id"], ids[3].as_str());
}

#[tokio::test]
async fn websocket_delivers_backtrack_then_live_answers_one_per_text_frame() {
    let sim = demo();
    let before = send(&sim, "GetSchedules", SEED_METER, json!({})).await;
    let host = before.host();
    let channel = before.channel();
    // Ensure the first answer is stored before the websocket subscribes.
    HttpStream::open(&host, &format!("{channel}.b1"))
        .await
        .next_message()
        .await;
    let mut socket = ws_open(&host, &format!("{channel}.b20")).await;
    let replayed = ws_next_message(&mut socket).await;
    assert_eq!(replayed["msg_id"], before.msg_id().as_str());
    assert!(
        replayed["data"].is_object(),
        "GetSchedules returns data: {replayed}"
    );
    let live_id = send(&sim, "SetRelay", SEED_METER, relay_close())
        .await
        .msg_id();
    let live = ws_next_text(&mut socket).await;
    let live: serde_json::Value = serde_json::from_str(&live).expect("one whole message per frame");
    assert_eq!(live["msg_id"], live_id.as_str());
}

#[tokio::test]
async fn idle_streams_get_pings_on_both_transports() {
    let sim = start(SimConfig {
        ping_interval: Duration::from_millis(50),
        ..SimConfig::demo()
    });
    let channel = sim.response_channel(DEMO_KEY).unwrap();
    let host = sim.addr().to_string();
    let mut stream = HttpStream::open(&host, &channel).await;
    assert_eq!(stream.next_line().await, "", "a newline ping");
    assert_eq!(stream.next_line().await, "");
    let mut socket = ws_open(&host, &channel).await;
    assert_eq!(
        ws_next_text(&mut socket).await,
        "",
        "an empty text frame ping"
    );
}

#[tokio::test]
async fn back_to_back_framing_puts_nothing_between_messages() {
    let sim = start(SimConfig {
        framing: Framing::BackToBack,
        ping_interval: Duration::from_secs(600),
        ..SimConfig::demo()
    });
    let a = send(&sim, "SetRelay", SEED_METER, relay_close()).await;
    let b = send(&sim, "SetRelay", SEED_METER, relay_close()).await;
    let path = format!("{}.b2", a.channel());
    // The first subscriber makes sure both answers are stored; the second replays them.
    HttpStream::open(&a.host(), &path)
        .await
        .next_values(2)
        .await;
    let (raw, values) = HttpStream::open(&a.host(), &path)
        .await
        .next_values(2)
        .await;
    assert!(
        raw.starts_with('{') && raw.contains("}{"),
        "back to back: {raw}"
    );
    assert!(!raw.contains(char::is_whitespace), "{raw:?}");
    assert_eq!(values[0]["msg_id"], a.msg_id().as_str());
    assert_eq!(values[1]["msg_id"], b.msg_id().as_str());
}

#[tokio::test]
async fn a_client_chosen_channel_is_honoured() {
    let sim = demo();
    let body = json!({"command": "GetSchedules", "target": "meter", "target_id": SEED_METER,
        "params": {}, "response_channel_id": "response_mine"});
    let reply = post_raw(&sim, &format!("?key={DEMO_KEY}"), &body.to_string()).await;
    assert_eq!(reply.channel(), "response_mine");
    let mut stream = HttpStream::open(&reply.host(), "response_mine.b5").await;
    assert_eq!(
        stream.next_message().await["msg_id"],
        reply.msg_id().as_str()
    );
}

#[tokio::test]
async fn shutdown_ends_open_streams() {
    let sim = demo();
    let channel = sim.response_channel(DEMO_KEY).unwrap();
    let stream = HttpStream::open(&sim.addr().to_string(), &channel).await;
    sim.shutdown().await;
    assert!(!stream.wait_end().await, "a clean end, not a broken stream");
}
