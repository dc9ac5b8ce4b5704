//! Each fault a test can switch on, seen from the wire.

use crate::support::*;
use push3_sim::{Faults, Framing, RelayStatus, SendFailure, SimConfig, DEMO_KEY};
use serde_json::json;
use std::time::{Duration, Instant};

fn with_faults(faults: Faults) -> push3_sim::Simulator {
    start(SimConfig {
        faults,
        ..SimConfig::demo()
    })
}

fn schedules() -> serde_json::Value {
    json!({})
}

fn close_relay_1() -> serde_json::Value {
    json!({"relay": "Relay_1", "status": "close", "duration": 0, "meter_password": "00000000"})
}

async fn live_stream(sim: &push3_sim::Simulator) -> HttpStream {
    HttpStream::open(
        &sim.addr().to_string(),
        &sim.response_channel(DEMO_KEY).unwrap(),
    )
    .await
}

#[tokio::test]
async fn latency_delays_the_answer() {
    let sim = with_faults(Faults {
        latency: Duration::from_millis(300),
        ..Faults::default()
    });
    let mut stream = live_stream(&sim).await;
    let sent = Instant::now();
    let id = send(&sim, "GetSchedules", SEED_METER, schedules())
        .await
        .msg_id();
    assert_eq!(stream.next_message().await["msg_id"], id.as_str());
    assert!(
        sent.elapsed() >= Duration::from_millis(300),
        "{:?}",
        sent.elapsed()
    );
}

#[tokio::test]
async fn concurrent_latency_answers_commands_side_by_side() {
    let latency = Duration::from_millis(300);
    let sim = with_faults(Faults {
        latency,
        concurrent: true,
        ..Faults::default()
    });
    let mut stream = live_stream(&sim).await;
    let sent = Instant::now();
    for _ in 0..4 {
        send(&sim, "GetSchedules", SEED_METER, schedules())
            .await
            .msg_id();
    }
    for _ in 0..4 {
        stream.next_message().await;
    }
    // One command at a time, the four would take 1.2 s.
    let took = sent.elapsed();
    assert!(took >= latency && took < latency * 3, "{took:?}");
}

#[tokio::test]
async fn reorder_answers_pending_commands_newest_first() {
    let sim = with_faults(Faults {
        // The gateway collects answers for this long; all three sends must land within it.
        latency: Duration::from_millis(800),
        reorder: true,
        ..Faults::default()
    });
    let mut stream = live_stream(&sim).await;
    let mut ids = Vec::new();
    for _ in 0..3 {
        ids.push(
            send(&sim, "GetSchedules", SEED_METER, schedules())
                .await
                .msg_id(),
        );
    }
    let mut seen = Vec::new();
    for _ in 0..3 {
        seen.push(
            stream.next_message().await["msg_id"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    ids.reverse();
    assert_eq!(seen, ids);
}

#[tokio::test]
async fn foreign_messages_precede_the_answer_on_the_shared_channel() {
    let sim = with_faults(Faults {
        foreign_messages: true,
        ..Faults::default()
    });
    let mut stream = live_stream(&sim).await;
    let id = send(&sim, "GetSchedules", SEED_METER, schedules())
        .await
        .msg_id();
    let foreign = stream.next_message().await;
    assert_ne!(foreign["msg_id"], id.as_str());
    assert_eq!(foreign["msg_id"].as_str().unwrap().len(), 32);
    assert_eq!(stream.next_message().await["msg_id"], id.as_str());
}

#[tokio::test]
async fn duplicates_publish_each_answer_twice() {
    let sim = with_faults(Faults {
        duplicates: true,
        ..Faults::default()
    });
    let mut stream = live_stream(&sim).await;
    let id = send(&sim, "GetSchedules", SEED_METER, schedules())
        .await
        .msg_id();
    let first = stream.next_message().await;
    let second = stream.next_message().await;
    assert_eq!(first["msg_id"], id.as_str());
    assert_eq!(first, second);
}

#[tokio::test]
async fn malformed_frames_come_before_the_answer_on_every_transport() {
    let sim = with_faults(Faults {
        malformed_frames: true,
        ..Faults::default()
    });
    let channel = sim.response_channel(DEMO_KEY).unwrap();
    let host = sim.addr().to_string();
    let mut stream = HttpStream::open(&host, &channel).await;
    let mut socket = ws_open(&host, &channel).await;
    let id = send(&sim, "GetSchedules", SEED_METER, schedules())
        .await
        .msg_id();
    for junk in [r#"{"msg_id":"#, "[1,2]", "42"] {
        assert_eq!(stream.next_line().await, junk);
        assert_eq!(ws_next_text(&mut socket).await, junk);
    }
    assert_eq!(stream.next_message().await["msg_id"], id.as_str());
    assert_eq!(ws_next_message(&mut socket).await["msg_id"], id.as_str());
}

#[tokio::test]
async fn back_to_back_streams_carry_only_junk_a_reader_can_skip() {
    let sim = start(SimConfig {
        faults: Faults {
            malformed_frames: true,
            ..Faults::default()
        },
        framing: Framing::BackToBack,
        ..SimConfig::demo()
    });
    let mut stream = live_stream(&sim).await;
    let id = send(&sim, "GetSchedules", SEED_METER, schedules())
        .await
        .msg_id();
    let (raw, values) = stream.next_values(3).await;
    assert!(raw.starts_with(r#"[1,2]42{"#), "{raw}");
    assert_eq!(values[2]["msg_id"], id.as_str());
}

#[tokio::test]
async fn drop_stream_cuts_subscribers_once_and_backtrack_recovers_the_answer() {
    let sim = with_faults(Faults {
        drop_stream: true,
        ..Faults::default()
    });
    let host = sim.addr().to_string();
    let channel = sim.response_channel(DEMO_KEY).unwrap();
    let http = HttpStream::open(&host, &format!("{channel}.b20")).await;
    let mut socket = ws_open(&host, &format!("{channel}.b20")).await;
    let id = send(&sim, "GetSchedules", SEED_METER, schedules())
        .await
        .msg_id();
    assert!(
        http.wait_end().await,
        "the HTTP stream breaks rather than ending cleanly"
    );
    let next = tokio::time::timeout(WAIT, futures_util::StreamExt::next(&mut socket))
        .await
        .expect("websocket ends in time");
    assert!(
        matches!(next, None | Some(Err(_))),
        "the websocket is cut without a close frame: {next:?}"
    );
    let mut again = HttpStream::open(&host, &format!("{channel}.b20")).await;
    assert_eq!(again.next_message().await["msg_id"], id.as_str());
    // Spent: the next answer arrives on the same connection.
    let second = send(&sim, "GetSchedules", SEED_METER, schedules())
        .await
        .msg_id();
    assert_eq!(again.next_message().await["msg_id"], second.as_str());
}

#[tokio::test]
async fn subscribers_get_403_until_the_channel_has_a_message() {
    let sim = with_faults(Faults {
        forbid_until_first_message: true,
        ..Faults::default()
    });
    let host = sim.addr().to_string();
    let channel = sim.response_channel(DEMO_KEY).unwrap();
    let refused = HttpStream::try_open(&host, &format!("{channel}.b20")).await;
    assert_eq!(refused.status(), 403);
    let ws = tokio_tungstenite::connect_async(format!("ws://{host}/ws/{channel}.b20")).await;
    match ws {
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            assert_eq!(response.status(), 403)
        }
        other => panic!("expected a 403 upgrade refusal, got {other:?}"),
    }
    let id = send(&sim, "GetSchedules", SEED_METER, schedules())
        .await
        .msg_id();
    // Retry as a client would (G7) until the answer is stored and the channel opens.
    let deadline = Instant::now() + WAIT;
    loop {
        let response = HttpStream::try_open(&host, &format!("{channel}.b20")).await;
        if response.status() == 200 {
            let mut stream = HttpStream::open(&host, &format!("{channel}.b20")).await;
            assert_eq!(stream.next_message().await["msg_id"], id.as_str());
            break;
        }
        assert_eq!(response.status(), 403);
        assert!(Instant::now() < deadline, "channel never opened");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn send_failure_5xx_answers_502_with_html_and_runs_nothing() {
    let sim = with_faults(Faults {
        send_failure: Some(SendFailure::Status5xx),
        ..Faults::default()
    });
    let reply = send(&sim, "SetRelay", SEED_METER, close_relay_1()).await;
    assert_eq!(reply.status, 502);
    assert!(
        reply.body.as_str().unwrap().contains("502 Bad Gateway"),
        "{}",
        reply.body
    );
    assert_eq!(sim.requests().len(), 1, "the request is still recorded");
    assert_eq!(
        sim.meter(SEED_METER).unwrap().relays[0].status,
        RelayStatus::Open
    );
}

#[tokio::test]
async fn send_failure_html_body_answers_200_with_a_page_instead_of_json() {
    let sim = with_faults(Faults {
        send_failure: Some(SendFailure::HtmlBody),
        ..Faults::default()
    });
    let response = reqwest::Client::new()
        .post(format!("{}/sendCommand?key={DEMO_KEY}", sim.api_url()))
        .json(&json!({"command": "GetSchedules", "target": "meter",
            "target_id": SEED_METER, "params": {}}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    let text = response.text().await.unwrap();
    assert!(text.starts_with("<!DOCTYPE html>"));
    assert!(serde_json::from_str::<serde_json::Value>(&text).is_err());
}

#[tokio::test]
async fn silent_gateway_runs_the_command_but_never_answers() {
    let sim = with_faults(Faults {
        silent: true,
        ..Faults::default()
    });
    let mut stream = live_stream(&sim).await;
    let lost = send(&sim, "SetRelay", SEED_METER, close_relay_1())
        .await
        .msg_id();
    sim.set_faults(Faults::default());
    // The gateway runs commands one at a time, so by the time this one is answered the silent
    // one has run too; had it been answered, its message would come first.
    let heard = send(&sim, "GetSchedules", SEED_METER, schedules())
        .await
        .msg_id();
    let first = stream.next_message().await;
    assert_eq!(first["msg_id"], heard.as_str(), "nothing for {lost}");
    assert_eq!(
        sim.meter(SEED_METER).unwrap().relays[0].status,
        RelayStatus::Close
    );
}
