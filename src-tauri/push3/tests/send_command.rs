//! `sendCommand` as the simulator sees it: URL, key placement, headers, body; and every way the
//! API can refuse or fail (400 verbatim, 5xx, HTML, unreachable), with nothing resent that
//! changes a meter.

mod support;

use push3::{ClientConfig, ErrorKind, KeyPlacement, Outcome, Secret, Transport};
use push3_sim::{Faults, Framing, SendFailure, DEMO_KEY};
use serde_json::json;
use std::time::Duration;
use support::*;

#[tokio::test]
async fn the_seeds_relay_example_reaches_the_simulator_exactly() {
    let sim = sim(Faults::default(), Framing::Newline);
    let client = client(&sim, Transport::Ws);
    let relay = command(
        "SetRelay",
        json!({"relay": "Relay_1", "status": "close", "duration": 1}),
    );
    let outcome = client.execute(&meter("350000900"), &relay).await.unwrap();
    assert!(outcome.is_confirmed(), "{outcome:?}");

    let requests = sim.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(
        (request.method.as_str(), request.path.as_str()),
        ("POST", "/sendCommand")
    );
    assert_eq!(request.query_param("key").as_deref(), Some(DEMO_KEY));
    assert_eq!(
        request.headers.get("content-type").map(String::as_str),
        Some("application/json")
    );
    assert!(!request.headers.contains_key("authorization"));
    assert_eq!(
        request.body,
        Some(json!({
            "command": "SetRelay", "target": "meter", "target_id": "000350000900",
            "client": push3::wire::CLIENT_NAME,
            "params": {"relay": "Relay_1", "status": "close", "duration": 1, "meter_password": "00000000"}
        }))
    );
}

#[tokio::test]
async fn the_key_can_go_in_the_body_and_a_bearer_token_in_the_header() {
    let sim = sim(Faults::default(), Framing::Newline);
    let mut config = ClientConfig::new(Secret::new(DEMO_KEY))
        .with_api_url(sim.api_url())
        .with_transport(Transport::Http);
    config.key_placement = KeyPlacement::Body;
    config.bearer_token = Some(Secret::new("token-abc"));
    let client = push3::Client::new(config).unwrap();
    let outcome = client
        .execute(&meter(SEED_METER), &command("GetTariffData", json!({})))
        .await
        .unwrap();
    assert!(outcome.is_confirmed(), "{outcome:?}");
    let request = &sim.requests()[0];
    assert_eq!(request.query_param("key"), None);
    assert_eq!(request.body.as_ref().unwrap()["key"], DEMO_KEY);
    assert_eq!(
        request.headers.get("authorization").map(String::as_str),
        Some("Bearer token-abc")
    );
}

#[tokio::test]
async fn invalid_input_sends_nothing() {
    let sim = sim(Faults::default(), Framing::Newline);
    let client = client(&sim, Transport::Ws);
    let mut hand_built = command("SetCTRatio", json!({"ct_ratio": "200"}));
    hand_built.command = push3::Command::SetCTRatio { ct_ratio: 250 };
    let e = client
        .send(&meter(SEED_METER), &hand_built)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    assert_eq!(e.validation().unwrap().field, "ct_ratio");
    let e = client
        .send_raw(&meter(SEED_METER), "SetRelay", &json!([1]))
        .await
        .unwrap_err();
    assert_eq!(e.validation().unwrap().field, "params");
    let e = client
        .send_raw(&meter(SEED_METER), "Set Relay", &json!({}))
        .await
        .unwrap_err();
    assert_eq!(e.validation().unwrap().field, "command");
    assert!(sim.requests().is_empty());
}

#[tokio::test]
async fn an_api_400_is_rejected_with_its_text_verbatim() {
    let sim = sim(Faults::default(), Framing::Newline);
    let client = client(&sim, Transport::Ws);
    // Raw skips our validation, so the simulator's own 400 comes back.
    let outcome = client
        .execute_raw(
            &meter(SEED_METER),
            "SetCTRatio",
            &json!({"ct_ratio": "250"}),
        )
        .await
        .unwrap();
    let Outcome::Rejected { error } = outcome else {
        panic!("expected Rejected, got {outcome:?}")
    };
    assert!(error.contains("ct_ratio"), "{error}");
    let unknown_key = client_for(&sim.api_url(), Transport::Ws, Duration::from_secs(5));
    let wrong = push3::Client::new(ClientConfig {
        key: Some(Secret::new("bm9wZTpub3Bl")),
        ..unknown_key.config().clone()
    })
    .unwrap();
    let outcome = wrong
        .execute(&meter(SEED_METER), &command("GetSchedules", json!({})))
        .await
        .unwrap();
    assert!(matches!(outcome, Outcome::Rejected { .. }), "{outcome:?}");
    assert_eq!(
        sim.requests().len(),
        2,
        "a 400 is not retried, even for a read"
    );
}

#[tokio::test]
async fn raw_commands_go_out_as_given() {
    let sim = sim(Faults::default(), Framing::Newline);
    let client = client(&sim, Transport::Ws);
    let params = json!({"pulse_line": 1, "pulse_output_ratio": 160});
    let outcome = client
        .execute_raw(&meter("350000900"), "SetPulseOutputRatio", &params)
        .await
        .unwrap();
    assert!(outcome.is_confirmed(), "{outcome:?}");
    let body = sim.requests()[0].body.clone().unwrap();
    assert_eq!(body["params"], params);
    assert_eq!(body["target_id"], SEED_METER);
}

#[tokio::test]
async fn a_5xx_or_html_body_is_a_failed_send_and_a_write_is_never_resent() {
    for (failure, kind) in [
        (SendFailure::Status5xx, ErrorKind::HttpStatus),
        (SendFailure::HtmlBody, ErrorKind::BadResponse),
    ] {
        let sim = sim(
            Faults {
                send_failure: Some(failure),
                ..Faults::default()
            },
            Framing::Newline,
        );
        let client = client(&sim, Transport::Ws);
        let relay = command(
            "SetRelay",
            json!({"relay": "Relay_2", "status": "close", "duration": 0}),
        );
        let e = client
            .execute(&meter(SEED_METER), &relay)
            .await
            .unwrap_err();
        assert_eq!(e.kind(), kind, "{failure:?}: {e}");
        assert!(!e.message().contains('<'), "no HTML in the message: {e}");
        assert_eq!(
            sim.requests().len(),
            1,
            "{failure:?}: a write is never resent"
        );

        let e = client
            .execute(&meter(SEED_METER), &command("GetSchedules", json!({})))
            .await
            .unwrap_err();
        assert_eq!(e.kind(), kind);
        assert_eq!(
            sim.requests().len(),
            3,
            "{failure:?}: a read is retried once"
        );
    }
}

#[tokio::test]
async fn a_read_that_fails_once_succeeds_on_its_single_retry() {
    let sim = sim(
        Faults {
            send_failure: Some(SendFailure::Status5xx),
            ..Faults::default()
        },
        Framing::Newline,
    );
    let client = client(&sim, Transport::Ws);
    let first = client
        .send(&meter(SEED_METER), &command("GetTariffData", json!({})))
        .await
        .unwrap_err();
    assert_eq!(first.message(), "sendCommand answered 502 Bad Gateway");
    sim.set_faults(Faults::default());
    let outcome = client
        .execute(&meter(SEED_METER), &command("GetTariffData", json!({})))
        .await
        .unwrap();
    assert!(outcome.is_confirmed());
}

#[tokio::test]
async fn an_unreachable_api_is_a_network_error_that_never_shows_the_key() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let closed_port = listener.local_addr().unwrap().port();
    drop(listener);
    let client = client_for(
        &format!("http://127.0.0.1:{closed_port}"),
        Transport::Ws,
        Duration::from_secs(5),
    );
    let e = client
        .execute(
            &meter(SEED_METER),
            &command("SetMaxDemandResetNow", json!({})),
        )
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Network);
    assert!(!e.message().contains(DEMO_KEY), "{e}");
    assert!(e.message().contains("127.0.0.1"), "{e}");
}

#[tokio::test]
async fn plain_http_to_a_remote_host_is_refused_before_anything_is_sent() {
    let config = ClientConfig::new(Secret::new(DEMO_KEY)).with_api_url("http://api.ekmpush.com");
    let e = push3::Client::new(config).err().unwrap();
    assert_eq!(e.kind(), ErrorKind::InvalidConfig);
    assert_eq!(serde_json::to_value(&e).unwrap()["code"], "invalid_config");
}

/// An API that accepts a command but names a response channel nobody can subscribe to: the
/// command may run, so it is sent once and ends unconfirmed with its msg_id. Reported as an
/// error it would read as "not sent", and a later job could send it again.
#[tokio::test]
async fn an_accepted_command_whose_channel_cannot_be_heard_is_unconfirmed_with_its_msg_id() {
    use axum::routing::post;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    let posts = Arc::new(AtomicUsize::new(0));
    let counted = posts.clone();
    let app = axum::Router::new().route(
        "/sendCommand",
        post(move || {
            counted.fetch_add(1, Ordering::SeqCst);
            async {
                axum::Json(json!({
                    "msg_id": "0123456789abcdef0123456789abcdef",
                    "response_channel_id": "",
                    "response_channel_host": "psrv1.example/not-a-host"
                }))
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let api = format!("http://{}", listener.local_addr().unwrap());
    let server = tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let client = client_for(&api, Transport::Ws, Duration::from_secs(5));
    let relay = command(
        "SetRelay",
        json!({"relay": "Relay_1", "status": "close", "duration": 0}),
    );
    let pending = client.send(&meter(SEED_METER), &relay).await.unwrap();
    assert_eq!(pending.msg_id(), "0123456789abcdef0123456789abcdef");
    let started = std::time::Instant::now();
    assert_eq!(pending.outcome().await, Outcome::Unconfirmed);
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "nothing to wait for: {:?}",
        started.elapsed()
    );
    assert_eq!(posts.load(Ordering::SeqCst), 1, "sent once");
    server.abort();
}
