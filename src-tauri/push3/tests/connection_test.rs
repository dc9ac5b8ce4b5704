//! Test connection against the simulator: a good key passes all three steps on either stream,
//! and each way of failing gets its own problem code and words. Nothing it sends changes a meter.

mod support;

use push3::{ClientConfig, ConnectionTest, ProbeProblem, ProbeStep, Secret, Transport};
use push3_sim::{Faults, Framing, SimConfig, Simulator, DEMO_KEY};
use std::time::Duration;
use support::*;

fn probe_client(
    api_url: &str,
    key: Option<&str>,
    token: Option<&str>,
    transport: Transport,
) -> push3::Client {
    let config = ClientConfig::with_credentials(key.map(Secret::new), token.map(Secret::new))
        .with_api_url(api_url)
        .with_transport(transport)
        .with_timeout(Duration::from_secs(3));
    push3::Client::new(config).unwrap()
}

fn steps(test: &ConnectionTest) -> Vec<(ProbeStep, bool)> {
    test.checks.iter().map(|c| (c.step, c.passed)).collect()
}

/// Only reads were sent: the test never changes a meter.
fn only_reads(sim: &Simulator) {
    let sent: Vec<_> = sim
        .requests()
        .iter()
        .filter_map(|r| r.command().map(str::to_owned))
        .collect();
    assert!(sent.iter().all(|c| c == "GetTariffData"), "{sent:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_good_key_passes_on_the_websocket_and_on_http_streaming() {
    let sim = sim(Faults::default(), Framing::Newline);
    for (transport, how) in [
        (Transport::Ws, "websocket"),
        (Transport::Http, "HTTP streaming"),
        (Transport::Auto, "websocket"),
    ] {
        let test = probe_client(&sim.api_url(), Some(DEMO_KEY), None, transport)
            .test_connection(&meter(SEED_METER))
            .await;
        assert!(test.passed, "{transport}: {test:#?}");
        assert_eq!(
            steps(&test),
            [
                (ProbeStep::Api, true),
                (ProbeStep::Stream, true),
                (ProbeStep::Meter, true)
            ]
        );
        assert!(
            test.checks[1].message.contains(how),
            "{}",
            test.checks[1].message
        );
        assert!(test.checks[2]
            .message
            .starts_with("Meter 000350000900 answered in"));
    }
    assert_eq!(sim.requests().len(), 3);
    only_reads(&sim);
}

/// A network that passes HTTP but not websockets (a proxy that strips `Upgrade`): `auto` passes
/// on HTTP streaming and says what the websocket met, since every later stream will take the
/// slower way too; `ws` alone fails on the stream with the same cause.
#[tokio::test(flavor = "multi_thread")]
async fn auto_passes_on_http_streaming_and_says_why_the_websocket_did_not() {
    use support::push_server::{PushServer, Script, MSG_ID};
    let answer = format!(
        r#"{{"msg_id":"{MSG_ID}","timestamp":1611374002.6,"success":true,"error":null,"data":{{}}}}"#
    );
    let server = PushServer::start(Script {
        chunks: vec![answer.into_bytes()],
    })
    .await;
    let test = probe_client(&server.api_url(), Some(DEMO_KEY), None, Transport::Auto)
        .test_connection(&meter(SEED_METER))
        .await;
    assert!(test.passed, "{test:#?}");
    let stream = &test.checks[1].message;
    assert!(
        stream.starts_with("The response stream opened (HTTP streaming; the websocket did not: "),
        "{stream}"
    );
    assert!(
        stream.contains("404"),
        "the websocket's own cause: {stream}"
    );

    let ws_only = probe_client(&server.api_url(), Some(DEMO_KEY), None, Transport::Ws)
        .test_connection(&meter(SEED_METER))
        .await;
    assert_eq!(
        steps(&ws_only),
        [(ProbeStep::Api, true), (ProbeStep::Stream, false)]
    );
    assert_eq!(ws_only.problem(), Some(ProbeProblem::StreamUnavailable));
    assert!(ws_only.checks[1].message.contains("404"), "{ws_only:#?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bad_key_is_named_and_nothing_else_is_tried() {
    let sim = sim(Faults::default(), Framing::Newline);
    let test = probe_client(&sim.api_url(), Some("bm9wZTpub3Bl"), None, Transport::Auto)
        .test_connection(&meter(SEED_METER))
        .await;
    assert!(!test.passed);
    assert_eq!(steps(&test), [(ProbeStep::Api, false)]);
    assert_eq!(test.problem(), Some(ProbeProblem::KeyRefused));
    assert!(
        test.checks[0].message.contains("invalid key"),
        "the API's words: {}",
        test.checks[0].message
    );
    assert!(
        !test.checks[0].message.contains("bm9wZTpub3Bl"),
        "never the key"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unreachable_host_is_told_from_a_refused_key() {
    // A port nothing listens on: bound, then released.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let test = probe_client(
        &format!("http://127.0.0.1:{port}"),
        Some(DEMO_KEY),
        None,
        Transport::Auto,
    )
    .test_connection(&meter(SEED_METER))
    .await;
    assert_eq!(test.problem(), Some(ProbeProblem::Unreachable), "{test:#?}");
    assert!(
        test.checks[0].message.contains("could not be reached"),
        "{}",
        test.checks[0].message
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_token_is_named() {
    let mut config = SimConfig::demo();
    config.bearer_token = Some("the-right-token".into());
    let sim = Simulator::start(config).unwrap();
    let wrong = probe_client(&sim.api_url(), None, Some("a-wrong-token"), Transport::Auto)
        .test_connection(&meter(SEED_METER))
        .await;
    assert_eq!(
        wrong.problem(),
        Some(ProbeProblem::TokenRefused),
        "{wrong:#?}"
    );
    assert!(!wrong.checks[0].message.contains("a-wrong-token"));
    // The right token alone, with no key, passes all three steps.
    let right = probe_client(
        &sim.api_url(),
        None,
        Some("the-right-token"),
        Transport::Auto,
    )
    .test_connection(&meter(SEED_METER))
    .await;
    assert!(right.passed, "{right:#?}");
    assert!(right.checks[0]
        .message
        .contains("the API token was accepted"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_stream_that_stays_forbidden_and_a_gateway_that_never_answers_are_told_apart() {
    // The channel never gets a message, and with authorized-channels-only it stays 403.
    let forbidden = sim(
        Faults {
            forbid_until_first_message: true,
            silent: true,
            ..Faults::default()
        },
        Framing::Newline,
    );
    let test = probe_client(&forbidden.api_url(), Some(DEMO_KEY), None, Transport::Auto)
        .test_connection(&meter(SEED_METER))
        .await;
    assert_eq!(
        steps(&test),
        [(ProbeStep::Api, true), (ProbeStep::Stream, false)]
    );
    assert_eq!(test.problem(), Some(ProbeProblem::StreamForbidden));
    assert!(test.checks[1].message.contains("403"));

    let silent = sim(
        Faults {
            silent: true,
            ..Faults::default()
        },
        Framing::Newline,
    );
    let test = probe_client(&silent.api_url(), Some(DEMO_KEY), None, Transport::Ws)
        .test_connection(&meter(SEED_METER))
        .await;
    assert_eq!(
        steps(&test),
        [
            (ProbeStep::Api, true),
            (ProbeStep::Stream, true),
            (ProbeStep::Meter, false)
        ]
    );
    assert_eq!(test.problem(), Some(ProbeProblem::NoAnswer));
    assert!(
        test.elapsed_ms >= 3000,
        "it waited the whole timeout: {} ms",
        test.elapsed_ms
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_meter_the_gateway_cannot_read_is_not_a_connection_failure() {
    let sim = sim(Faults::default(), Framing::Newline);
    let test = probe_client(&sim.api_url(), Some(DEMO_KEY), None, Transport::Ws)
        .test_connection(&meter("000999999999"))
        .await;
    assert_eq!(
        steps(&test),
        [
            (ProbeStep::Api, true),
            (ProbeStep::Stream, true),
            (ProbeStep::Meter, false)
        ],
        "{test:#?}"
    );
    assert_eq!(test.problem(), Some(ProbeProblem::MeterFailed));
    assert!(
        test.checks[2]
            .message
            .contains("The key and the stream work"),
        "{}",
        test.checks[2].message
    );
}
