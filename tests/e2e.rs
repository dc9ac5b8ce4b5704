//! End-to-end tests of the real app window: tauri-driver + WebKitWebDriver under Xvfb, driven
//! with fantoccini, against a simulator this test process owns, so each journey can check what
//! the meter holds afterwards. They need a display and the drivers, so they are `#[ignore]`d
//! for a plain `cargo test`; `./x test` runs them under xvfb-run with `--include-ignored`.

mod support;

use fantoccini::Locator;
use push3_sim::{Faults, GatewayConfig, MeterConfig, SimConfig, Simulator};
use std::time::Duration;
use support::AppSession;

const DEMO_URL_ENV: &str = "PUSH3_DESK_DEMO_URL";
const MAIN_PANEL: &str = "000350000900";

/// Tauri's `invoke` cannot be wrapped (it is a frozen property), but on Linux every IPC answer
/// arrives as the body of a fetch to the ipc: protocol; this records a copy of each one.
const RECORD_IPC: &str = "window.__captured = []; const inner = window.fetch.bind(window);
    window.fetch = async (...a) => { const r = await inner(...a); r.clone().text().then((t) => window.__captured.push(String(a[0]) + ' ' + t)); return r; };";

async fn app_on(sim: &Simulator, extra: &[(&str, String)]) -> AppSession {
    let mut env = vec![(DEMO_URL_ENV, sim.api_url())];
    env.extend(extra.iter().cloned());
    AppSession::launch(&env).await
}

#[tokio::test]
#[ignore = "needs Xvfb, tauri-driver and WebKitWebDriver: run by ./x test"]
async fn window_shows_the_product_and_round_trips_through_rust() {
    let sim = Simulator::start(SimConfig::demo()).unwrap();
    let app = app_on(&sim, &[]).await;
    let c = &app.client;

    let title = c
        .wait()
        .for_element(Locator::Css("h1#title"))
        .await
        .unwrap();
    assert_eq!(title.text().await.unwrap(), "Push3 Desk");
    // The version and the demo meters come from Rust commands, so they prove IPC works at all.
    assert_eq!(
        app.text_of("#version").await,
        format!("v{}", env!("CARGO_PKG_VERSION"))
    );
    let first = app
        .text_of(&format!("[data-address='{MAIN_PANEL}'] .name"))
        .await;
    assert_eq!(first, "Main service panel");

    app.screenshot("shell").await;
    app.close().await;
}

#[tokio::test]
#[ignore = "needs Xvfb, tauri-driver and WebKitWebDriver: run by ./x test"]
async fn closing_relay_1_for_5_seconds_is_confirmed_and_the_meter_holds_it() {
    let sim = Simulator::start(SimConfig::demo()).unwrap();
    let app = app_on(&sim, &[]).await;

    app.click(&format!("[data-address='{MAIN_PANEL}']")).await;
    assert!(app.text_of("#demo-banner").await.contains("Demo gateway"));
    app.click("[data-relay='Relay_1'] input[name='Relay_1-mode'][value='true']")
        .await;
    app.type_into("#Relay_1-duration", "5").await;
    app.click("#Relay_1-review").await;
    let confirm = app.text_of("#Relay_1-confirm-text").await;
    assert_eq!(
        confirm,
        "Close Relay 1 on meter 000350000900 for 5 s, then it reverts?"
    );
    app.screenshot("relay-confirm").await;
    app.click("#Relay_1-confirm").await;

    let state = app
        .wait_for_state(
            "#Relay_1-state",
            &["confirmed", "failed", "rejected", "unconfirmed", "error"],
            Duration::from_secs(20),
        )
        .await;
    assert_eq!(state, "confirmed");
    let meter = sim.meter(MAIN_PANEL).unwrap();
    assert_eq!(meter.relays[0].status, push3::command::RelayStatus::Close);
    assert!(
        meter.relays[0].reverts_at.is_some(),
        "a timed close must revert"
    );
    let sent: Vec<_> = sim
        .requests()
        .into_iter()
        .filter(|r| r.command() == Some("SetRelay"))
        .collect();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].body.as_ref().unwrap()["params"]["duration"], 5);

    app.wait_for_state("#activity-list li", &["confirmed"], Duration::from_secs(5))
        .await;
    app.screenshot("relay-confirmed").await;
    app.close().await;
}

#[tokio::test]
#[ignore = "needs Xvfb, tauri-driver and WebKitWebDriver: run by ./x test"]
async fn an_unanswered_relay_command_shows_as_unconfirmed_and_is_never_resent() {
    let sim = Simulator::start(SimConfig::demo()).unwrap();
    sim.set_faults(Faults {
        silent: true,
        ..Faults::default()
    });
    let app = app_on(&sim, &[("PUSH3_DESK_RESPONSE_TIMEOUT_SECS", "2".into())]).await;

    app.click(&format!("[data-address='{MAIN_PANEL}']")).await;
    app.click("#Relay_2-review").await;
    app.click("#Relay_2-confirm").await;
    let state = app
        .wait_for_state(
            "#Relay_2-state",
            &["confirmed", "failed", "rejected", "unconfirmed", "error"],
            Duration::from_secs(20),
        )
        .await;
    assert_eq!(state, "unconfirmed");
    assert!(app
        .text_of("#Relay_2-state")
        .await
        .contains("will not send it again"));
    app.screenshot("relay-unconfirmed").await;

    // Give a resend time to happen if anything were to do one.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let relay_sends = sim
        .requests()
        .into_iter()
        .filter(|r| r.command() == Some("SetRelay"))
        .count();
    assert_eq!(relay_sends, 1);
    app.close().await;
}

#[tokio::test]
#[ignore = "needs Xvfb, tauri-driver and WebKitWebDriver: run by ./x test"]
async fn a_v3_meter_shows_no_relays_and_an_out_of_range_duration_sends_nothing() {
    let sim = Simulator::start(SimConfig::demo()).unwrap();
    let app = app_on(&sim, &[]).await;

    app.click("[data-address='000000030001']").await;
    assert!(app
        .text_of("#no-relays")
        .await
        .contains("V3 Omnimeters have no controllable relays"));
    assert!(app.client.find(Locator::Css("[data-relay]")).await.is_err());
    app.screenshot("v3-meter").await;

    app.click(&format!("[data-address='{MAIN_PANEL}']")).await;
    app.click("[data-relay='Relay_1'] input[name='Relay_1-mode'][value='true']")
        .await;
    app.type_into("#Relay_1-duration", "10000").await;
    app.click("#Relay_1-review").await;
    app.click("#Relay_1-confirm").await;
    let error = app.text_of("#Relay_1-error").await;
    assert!(
        error.starts_with("duration: 10000 is not allowed"),
        "{error}"
    );
    app.screenshot("relay-out-of-range").await;
    assert!(sim.requests().is_empty(), "nothing may reach the API");
    app.close().await;
}

/// Issue 5: a key and a meter password typed into the app reach the gateway and the keychain,
/// and nothing else.
#[tokio::test]
#[ignore = "needs Xvfb, tauri-driver, WebKitWebDriver and a Secret Service: run by ./x test"]
async fn a_gateway_key_never_reaches_the_webview_or_the_data_folder() {
    const KEY: &str = "e2e-Test-Key-5d41402abc4b2a76";
    const METER_PASSWORD: &str = "24681357";
    let meter = "000111222333";
    let mut config = SimConfig::demo();
    config.gateways.push(GatewayConfig::new(
        "Site A",
        KEY,
        vec![
            MeterConfig::new(meter, push3::MeterVersion::V4, "Pump house")
                .with_password(METER_PASSWORD),
        ],
    ));
    let sim = Simulator::start(config).unwrap();
    let service = format!("com.push3desk.e2e.{}", std::process::id());
    let app = app_on(&sim, &[("PUSH3_KEYCHAIN_SERVICE", service.clone())]).await;

    // Record every IPC answer the webview receives from here on.
    app.client.execute(RECORD_IPC, vec![]).await.unwrap();

    app.click("#add-gateway").await;
    app.type_into("#gateway-name", "Site A").await;
    app.type_into("#gateway-url", &sim.api_url()).await;
    app.type_into("#gateway-key", KEY).await;
    app.click("#gateway-save").await;
    // The sidebar lists the new gateway (its heading is upper-cased by CSS).
    let heading = app.text_of("[aria-label='Site A'] h2").await;
    assert_eq!(heading.to_lowercase(), "site a");

    // A meter with a non-default password, which also goes to the keychain.
    app.click("#add-meter").await;
    app.type_into("#meter-address", meter).await;
    app.type_into("#meter-nickname", "Pump house").await;
    app.type_into("#meter-password", METER_PASSWORD).await;
    app.screenshot("add-meter").await;
    app.click("#meter-save").await;
    app.click(&format!("[data-address='{meter}']")).await;
    app.click("#Relay_1-review").await;
    app.click("#Relay_1-confirm").await;
    let state = app
        .wait_for_state(
            "#Relay_1-state",
            &["confirmed", "failed", "rejected", "unconfirmed", "error"],
            Duration::from_secs(20),
        )
        .await;
    assert_eq!(state, "confirmed");

    // Both did their job: the simulator received the key, and the meter accepted the password
    // from the keychain (without it the command would have failed).
    assert!(sim
        .requests()
        .iter()
        .any(|r| r.query_param("key").as_deref() == Some(KEY)));
    // And went nowhere else: not in any IPC answer, not in the app's data folder.
    let captured = app
        .client
        .execute("return JSON.stringify(window.__captured)", vec![])
        .await
        .unwrap();
    let captured = captured.as_str().unwrap().to_string();
    assert!(
        captured.contains("confirmed"),
        "the recorder saw the command's answer: {captured}"
    );
    assert!(!captured.contains(KEY), "an IPC answer carried the key");
    assert!(
        !captured.contains(METER_PASSWORD),
        "an IPC answer carried the meter password"
    );
    let page = app.client.source().await.unwrap();
    assert!(!page.contains(KEY), "the page shows the key");
    let files = app.data_files_text();
    assert!(
        files.contains("Site A"),
        "the inventory was written to the data folder"
    );
    assert!(
        !files.contains(KEY),
        "the key was written to the data folder"
    );
    assert!(
        !files.contains(METER_PASSWORD),
        "the meter password was written to the data folder"
    );
    app.screenshot("own-gateway").await;
    app.close().await;
    let _ = std::process::Command::new("secret-tool")
        .args(["clear", "service", &service])
        .status();
}
