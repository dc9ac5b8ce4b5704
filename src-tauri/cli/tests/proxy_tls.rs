//! Both transports through a company's network: a TLS server whose CA is trusted only through
//! `SSL_CERT_FILE`, reached only through an HTTP CONNECT proxy named by `HTTPS_PROXY`. Each run
//! is its own `push3` process, so the environment is the process's, as it is for a user.

#[path = "common/tls_front.rs"]
mod tls_front;

use push3_sim::{SimConfig, Simulator, DEMO_KEY};
use std::path::Path;
use std::process::Output;
use tls_front::{ConnectProxy, TestCa, TlsFront};

const PROXY_VARS: [&str; 8] = [
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
    "ALL_PROXY",
    "all_proxy",
    "NO_PROXY",
    "no_proxy",
];

struct Net<'a> {
    cert_file: &'a Path,
    https_proxy: Option<String>,
    no_proxy: Option<&'a str>,
}

async fn send(api_url: &str, transport: &str, net: Net<'_>) -> Output {
    let args: Vec<String> = [
        "send",
        "GetSchedules",
        "--meter",
        "350000900",
        "--timeout",
        "8",
        "--transport",
        transport,
        "--api-url",
        api_url,
    ]
    .iter()
    .map(|a| a.to_string())
    .collect();
    let cert_file = net.cert_file.to_path_buf();
    let (proxy, no_proxy) = (net.https_proxy, net.no_proxy.map(str::to_string));
    tokio::task::spawn_blocking(move || {
        let data_dir = tempfile::tempdir().unwrap();
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_push3"));
        command
            .args(&args)
            .env("PUSH3_KEY", DEMO_KEY)
            .env("PUSH3_DATA_DIR", data_dir.path())
            .env("SSL_CERT_FILE", &cert_file)
            .env_remove("SSL_CERT_DIR");
        for var in PROXY_VARS {
            command.env_remove(var);
        }
        if let Some(proxy) = proxy {
            command.env("HTTPS_PROXY", proxy);
        }
        if let Some(no_proxy) = no_proxy {
            command.env("NO_PROXY", no_proxy);
        }
        command.output().unwrap()
    })
    .await
    .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The simulator behind a TLS front: `sendCommand` and the stream host both at the front.
async fn sim_behind_tls(ca: &TestCa) -> (Simulator, TlsFront) {
    let listener = TlsFront::bind().await;
    let front_addr = listener.local_addr().unwrap();
    let sim = Simulator::start(SimConfig {
        stream_host: Some(front_addr.to_string()),
        ..SimConfig::demo()
    })
    .unwrap();
    let front = TlsFront::serve(listener, ca, sim.addr());
    (sim, front)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_websocket_goes_through_the_proxy_and_trusts_what_the_os_trusts() {
    let dir = tempfile::tempdir().unwrap();
    let ca = TestCa::new("Push3 test inspecting proxy CA");
    let trusted = ca.write_ca(dir.path(), "ca.pem");
    let (_sim, front) = sim_behind_tls(&ca).await;
    let proxy = ConnectProxy::start().await;
    let api_url = format!("https://{}", front.addr);

    for transport in ["ws", "http"] {
        let before = (front.requests().len(), proxy.tunnels().len());
        let net = Net {
            cert_file: &trusted,
            https_proxy: Some(proxy.url()),
            no_proxy: None,
        };
        let out = send(&api_url, transport, net).await;
        assert_eq!(
            out.status.code(),
            Some(0),
            "{transport}: {}",
            text(&out.stderr)
        );
        let response: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(response["success"], true, "{transport}");

        let requests = front.requests()[before.0..].to_vec();
        let tunnels = proxy.tunnels()[before.1..].to_vec();
        assert!(
            requests.iter().any(|r| r.starts_with("POST /sendCommand")),
            "{transport}: {requests:?}"
        );
        // The websocket is a connection of its own; the HTTP stream may reuse the POST's.
        if transport == "ws" {
            assert!(
                requests.iter().any(|r| r.starts_with("GET /ws/")),
                "the websocket reached the TLS front: {requests:?}"
            );
        }
        // Every connection the front decrypted came through the proxy: none went direct.
        assert_eq!(
            tunnels.len(),
            requests.len(),
            "{transport}: {tunnels:?} {requests:?}"
        );
        assert!(
            tunnels.iter().all(|t| *t == front.addr.to_string()),
            "{tunnels:?}"
        );
    }

    // NO_PROXY is the same rule for both: nothing goes through the proxy.
    let before = proxy.tunnels().len();
    let net = Net {
        cert_file: &trusted,
        https_proxy: Some(proxy.url()),
        no_proxy: Some("127.0.0.1"),
    };
    let out = send(&api_url, "ws", net).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        proxy.tunnels().len(),
        before,
        "NO_PROXY=127.0.0.1 bypasses the proxy"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_server_the_trust_store_does_not_vouch_for_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let ca = TestCa::new("Push3 test CA");
    let stranger = TestCa::new("Some other CA").write_ca(dir.path(), "other.pem");
    let (sim, front) = sim_behind_tls(&ca).await;
    let net = Net {
        cert_file: &stranger,
        https_proxy: None,
        no_proxy: None,
    };
    let out = send(&format!("https://{}", front.addr), "ws", net).await;
    assert_eq!(
        out.status.code(),
        Some(1),
        "a failed send: {}",
        text(&out.stderr)
    );
    assert!(
        text(&out.stderr).to_lowercase().contains("certificate"),
        "{}",
        text(&out.stderr)
    );
    assert!(sim.requests().is_empty(), "nothing reached the API");
    assert_eq!(front.requests(), ["(TLS handshake failed)"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_connection_test_names_an_untrusted_certificate() {
    // In process, with this process's own trust store, which has never heard of the test CA.
    let ca = TestCa::new("Push3 test CA nobody trusts");
    let (sim, front) = sim_behind_tls(&ca).await;
    let config = push3::ClientConfig::new(push3::Secret::new(DEMO_KEY))
        .with_api_url(format!("https://{}", front.addr))
        .with_timeout(std::time::Duration::from_secs(5));
    let client = push3::Client::new(config).unwrap();
    let meter = push3::MeterAddress::parse("350000900").unwrap();
    let test = client.test_connection(&meter).await;
    assert_eq!(test.problem(), Some(push3::ProbeProblem::Tls), "{test:#?}");
    assert!(
        test.checks[0].message.contains("not trusted"),
        "{}",
        test.checks[0].message
    );
    assert!(sim.requests().is_empty());
}
