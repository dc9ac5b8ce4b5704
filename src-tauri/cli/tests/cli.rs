//! The built `push3` binary against the simulator: exit codes, stdout, stderr, and what the
//! simulator received (nothing, for invalid input).

use push3_sim::{Faults, SimConfig, Simulator, DEMO_KEY};
use serde_json::{json, Value};
use std::process::Output;
use std::time::Duration;

const SEED_METER: &str = "000350000900";

/// Runs `push3 ARGS` with `PUSH3_KEY` set (or not) off the async runtime, so the simulator keeps
/// serving while the binary waits. Each run gets its own data dir, where its audit log goes.
async fn push3(args: &[&str], key: Option<&str>) -> Output {
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    let key = key.map(str::to_string);
    tokio::task::spawn_blocking(move || {
        let data_dir = tempfile::tempdir().unwrap();
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_push3"));
        cmd.args(&args)
            .env_remove("PUSH3_KEY")
            .env("PUSH3_DATA_DIR", data_dir.path());
        if let Some(key) = key {
            cmd.env("PUSH3_KEY", key);
        }
        cmd.output().expect("push3 runs")
    })
    .await
    .expect("join")
}

async fn send(sim: &Simulator, extra: &[&str]) -> Output {
    let url = sim.api_url();
    let mut args = vec!["send"];
    args.extend_from_slice(extra);
    args.extend_from_slice(&["--api-url", &url]);
    push3(&args, Some(DEMO_KEY)).await
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn success_prints_the_response_message_as_one_json_line() {
    let sim = Simulator::start(SimConfig::demo()).unwrap();
    for transport in ["ws", "http", "auto"] {
        let out = send(
            &sim,
            &[
                "SetRelay",
                "--meter",
                "350000900",
                "--transport",
                transport,
                "--params",
                r#"{"relay":"Relay_1","status":"close","duration":1}"#,
            ],
        )
        .await;
        assert_eq!(out.status.code(), Some(0), "{transport}: {}", stderr(&out));
        let text = stdout(&out);
        assert_eq!(text.lines().count(), 1, "{text}");
        let message: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            (message["success"].clone(), message["error"].clone()),
            (json!(true), Value::Null)
        );
        assert_eq!(message["msg_id"].as_str().unwrap().len(), 32);
        assert!(message["timestamp"].as_f64().unwrap() > 1.6e9);
    }
    let body = sim.requests()[0].body.clone().unwrap();
    assert_eq!(
        body["params"],
        json!({"relay": "Relay_1", "status": "close", "duration": 1, "meter_password": "00000000"})
    );
    assert_eq!(body["target_id"], SEED_METER);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_read_prints_its_data() {
    let sim = Simulator::start(SimConfig::demo()).unwrap();
    let out = send(&sim, &["GetTariffData", "--meter", SEED_METER]).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let message: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(message["data"]["forward"].as_array().unwrap().len(), 6);
}

#[tokio::test(flavor = "multi_thread")]
async fn invalid_input_exits_2_with_a_specific_message_and_sends_nothing() {
    let sim = Simulator::start(SimConfig::demo()).unwrap();
    let cases: [(&[&str], &str); 6] = [
        (
            &[
                "SetCTRatio",
                "--meter",
                SEED_METER,
                "--params",
                r#"{"ct_ratio":"250"}"#,
            ],
            "ct_ratio: \"250\" is not allowed; a string, one of 100, 200",
        ),
        (
            &["SetRelay", "--meter", "12345678901234", "--params", "{}"],
            "--meter",
        ),
        (
            &["SetRelay", "--meter", SEED_METER, "--params", "{not json"],
            "--params is not valid JSON",
        ),
        (
            &[
                "SetRelay",
                "--meter",
                SEED_METER,
                "--params",
                r#"{"relay":"Relay_3","status":"open","duration":0}"#,
            ],
            "relay: \"Relay_3\"",
        ),
        (&["Reboot", "--meter", SEED_METER], "command: \"Reboot\""),
        (
            &[
                "SetSeasonSchedules",
                "--meter",
                SEED_METER,
                "--params",
                "{}",
            ],
            "experimental",
        ),
    ];
    for (args, expected) in cases {
        let out = send(&sim, args).await;
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains(expected),
            "{args:?}: {}",
            stderr(&out)
        );
        assert!(stdout(&out).is_empty());
    }
    let out = push3(
        &[
            "send",
            "GetSchedules",
            "--meter",
            SEED_METER,
            "--api-url",
            &sim.api_url(),
        ],
        None,
    )
    .await;
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("PUSH3_KEY"));
    let out = push3(
        &[
            "send",
            "GetSchedules",
            "--meter",
            SEED_METER,
            "--api-url",
            "http://example.com",
        ],
        Some(DEMO_KEY),
    )
    .await;
    assert_eq!(
        out.status.code(),
        Some(2),
        "plain http to a remote host: {}",
        stderr(&out)
    );
    let out = send(
        &sim,
        &[
            "GetSchedules",
            "--meter",
            SEED_METER,
            "--transport",
            "carrier-pigeon",
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(2));
    assert!(sim.requests().is_empty(), "nothing may reach the API");
}

#[tokio::test(flavor = "multi_thread")]
async fn gateway_failure_and_api_rejection_exit_1_with_the_text_on_stderr() {
    let sim = Simulator::start(SimConfig::demo()).unwrap();
    let out = send(
        &sim,
        &[
            "SetRelay",
            "--meter",
            "30001",
            "--params",
            r#"{"relay":"Relay_1","status":"open","duration":0}"#,
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("the gateway reported failure"),
        "{}",
        stderr(&out)
    );
    assert!(stdout(&out).is_empty());

    let out = send(
        &sim,
        &[
            "SetCTRatio",
            "--raw",
            "--meter",
            SEED_METER,
            "--params",
            r#"{"ct_ratio":"250"}"#,
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("--raw") && err.contains("the API rejected the request"),
        "{err}"
    );
    let raw = &sim.requests()[1];
    assert_eq!(
        raw.body.as_ref().unwrap()["params"],
        json!({"ct_ratio": "250"}),
        "raw sends params as given"
    );

    sim.set_faults(Faults {
        send_failure: Some(push3_sim::SendFailure::Status5xx),
        ..Faults::default()
    });
    let out = send(&sim, &["SetMaxDemandResetNow", "--meter", SEED_METER]).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("502"), "{}", stderr(&out));
    assert!(!stderr(&out).contains(DEMO_KEY));
}

#[tokio::test(flavor = "multi_thread")]
async fn no_answer_before_the_timeout_exits_3_unconfirmed() {
    let sim = Simulator::start(SimConfig {
        faults: Faults {
            silent: true,
            ..Faults::default()
        },
        ..SimConfig::demo()
    })
    .unwrap();
    let started = std::time::Instant::now();
    let out = send(
        &sim,
        &[
            "SetRelay",
            "--meter",
            SEED_METER,
            "--timeout",
            "0.5",
            "--params",
            r#"{"relay":"Relay_2","status":"close","duration":5}"#,
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("unconfirmed") && stderr(&out).contains("relay may still switch"),
        "{}",
        stderr(&out)
    );
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(sim.requests().len(), 1, "never resent");
}

#[tokio::test(flavor = "multi_thread")]
async fn commands_lists_every_command_with_allowed_values_and_help_works() {
    let out = push3(&["commands"], None).await;
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    for kind in push3::CommandKind::ALL {
        assert!(text.contains(kind.name()), "{}", kind.name());
    }
    assert!(text.contains("ct_ratio (string): a string, one of 100, 200, 400, 600, 800, 1000, 1200, 1500, 2000, 3000, 4000, 5000"));
    assert!(text.contains("minutes (string)"));
    let out = push3(&["commands", "--json", "--ct-ratio", "5000"], None).await;
    let listing: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(listing["commands"].as_array().unwrap().len(), 17);
    assert_eq!(listing["limits"]["max_lcd_items"], 40);
    for args in [
        &["--help"][..],
        &["send", "--help"],
        &["commands", "--help"],
    ] {
        let out = push3(args, None).await;
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        assert!(stdout(&out).contains("Usage"), "{args:?}");
    }
}
