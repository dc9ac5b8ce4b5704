//! End-to-end tests of the real app window: tauri-driver + WebKitWebDriver under Xvfb, driven
//! with fantoccini, against a simulator this test process owns, so each journey can check what
//! the meter holds afterwards. They need a display and the drivers, so they are `#[ignore]`d
//! for a plain `cargo test`; `./x test` runs them under xvfb-run with `--include-ignored`.

mod support;

use fantoccini::Locator;
use push3_sim::{Faults, GatewayConfig, MeterConfig, SimConfig, Simulator};
use std::time::Duration;
use support::{wait_for_text, AppSession};

const DEMO_URL_ENV: &str = "PUSH3_DESK_DEMO_URL";
const MAIN_PANEL: &str = "000350000900";

/// Tauri's `invoke` cannot be wrapped (it is a frozen property), but on Linux every IPC answer
/// arrives as the body of a fetch to the ipc: protocol; this records a copy of each one. Channel
/// messages (a command's progress, a job's events) come another way: Rust evaluates a call of
/// the callback a `Channel` registered in Tauri's `callbacks` map when it was made. The map's
/// `set` is wrapped too (`transformCallback` itself is frozen), so what every callback
/// registered from here on receives is recorded as `channel …`.
const RECORD_IPC: &str = "window.__captured = []; const inner = window.fetch.bind(window);
    window.fetch = async (...a) => { const r = await inner(...a); r.clone().text().then((t) => window.__captured.push(String(a[0]) + ' ' + t)); return r; };
    const callbacks = window.__TAURI_INTERNALS__.callbacks; const set = callbacks.set.bind(callbacks);
    callbacks.set = (id, callback) => set(id, (data) => { window.__captured.push('channel ' + JSON.stringify(data)); return callback(data); });";

/// The keychain entries under `service`, as `secret-tool` lists their attributes (it prints the
/// attributes on stderr and the secrets on stdout; only the attributes are returned).
fn keychain_entries(service: &str) -> String {
    let out = std::process::Command::new("secret-tool")
        .args(["search", "--all", "service", service])
        .output()
        .expect("secret-tool (libsecret-tools) must be installed");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Every state a sent command can end in, as the relay panel's `data-state` shows it.
const END_STATES: &[&str] = &["confirmed", "failed", "rejected", "unconfirmed", "error"];

/// Confirms the relay action under review and returns the state the command ended in.
async fn confirm_relay(app: &AppSession, relay: &str) -> String {
    app.click(&format!("#{relay}-confirm")).await;
    app.wait_for_state(
        &format!("#{relay}-state"),
        END_STATES,
        Duration::from_secs(20),
    )
    .await
}

/// Adds a gateway through its dialog; returns once the sidebar lists it.
async fn add_gateway(app: &AppSession, name: &str, api_url: &str, key: &str) {
    app.click("#add-gateway").await;
    app.type_into("#gateway-name", name).await;
    app.type_into("#gateway-url", api_url).await;
    app.type_into("#gateway-key", key).await;
    app.click("#gateway-save").await;
    // Upper-cased by CSS, and followed by the gateway's Edit button.
    let heading = app.text_of(&format!("[aria-label='{name}'] h2")).await;
    assert!(
        heading.to_lowercase().starts_with(&name.to_lowercase()),
        "{heading}"
    );
}

/// Runs the gateway dialog's Test connection, waits until every step passed, and returns what
/// the result says.
async fn test_connection_passes(app: &AppSession) -> String {
    app.click("#gateway-test").await;
    app.client
        .wait()
        .for_element(Locator::Css("#gateway-test-result[data-passed='true']"))
        .await
        .unwrap();
    app.text_of("#gateway-test-result").await
}

/// Opens the add-meter dialog and fills in the number and nickname, leaving it open.
async fn fill_add_meter(app: &AppSession, address: &str, nickname: &str) {
    app.click("#add-meter").await;
    app.type_into("#meter-address", address).await;
    app.type_into("#meter-nickname", nickname).await;
}

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
    let state = confirm_relay(&app, "Relay_1").await;
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

    // The audit log has it, with the password the app added masked.
    let audit = app.audit_log();
    let page = audit
        .query(
            &push3_audit::Filter::default(),
            &push3_audit::Page::first(10),
        )
        .unwrap();
    assert_eq!(page.entries.len(), 1);
    let entry = &page.entries[0];
    assert_eq!(
        (entry.command.as_str(), entry.meter.as_str()),
        ("SetRelay", MAIN_PANEL)
    );
    assert_eq!(entry.outcome, push3_audit::Outcome::Confirmed);
    assert_eq!(entry.gateway_name, "Demo gateway");
    assert_eq!(entry.params["duration"], 5);
    assert_eq!(entry.params["meter_password"], push3_audit::MASK);
    assert_eq!(entry.msg_id.as_deref().map(str::len), Some(32));
    assert!(entry.round_trip_ms.is_some());
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
    let state = confirm_relay(&app, "Relay_2").await;
    assert_eq!(state, "unconfirmed");
    assert!(app
        .text_of("#Relay_2-state")
        .await
        .contains("will not send it again"));
    app.screenshot("relay-unconfirmed").await;

    // A later command through the same gateway runs its whole course (sent, then unconfirmed
    // at its own deadline): if anything were to resend Relay 2, it would have gone out by the
    // end of that, on the same client. Waiting for that end, not for a fixed time.
    app.click("#Relay_1-review").await;
    assert_eq!(confirm_relay(&app, "Relay_1").await, "unconfirmed");
    let relays_sent: Vec<String> = sim
        .requests()
        .into_iter()
        .filter(|r| r.command() == Some("SetRelay"))
        .map(|r| {
            let body = r.body.unwrap_or_default();
            body["params"]["relay"].as_str().unwrap_or("?").to_string()
        })
        .collect();
    assert_eq!(
        relays_sent,
        ["Relay_2", "Relay_1"],
        "each sent once, Relay 2 never again"
    );
    app.close().await;
}

#[tokio::test]
#[ignore = "needs Xvfb, tauri-driver and WebKitWebDriver: run by ./x test"]
async fn a_v3_meter_shows_no_relays_and_an_out_of_range_duration_sends_nothing() {
    let sim = Simulator::start(SimConfig::demo()).unwrap();
    let app = app_on(&sim, &[]).await;

    app.click("[data-address='000000030001']").await;
    assert!(app
        .text_of("#v3-note")
        .await
        .contains("V3 Omnimeters have no controllable relays"));
    assert!(app.client.find(Locator::Css("#tab-relays")).await.is_err());
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
async fn a_gateway_key_never_reaches_the_webview_the_log_or_the_data_folder() {
    // Real lengths (a gateway key is 12 characters, like the docs' demo key; a meter password 8
    // digits), short enough that the log's redactor would not take them for generated tokens.
    const KEY: &str = "S2l0ZUFrZXkx";
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
    // Every line the app's crates log, as written: the redactor is off for this check.
    let app = app_on(
        &sim,
        &[
            ("PUSH3_KEYCHAIN_SERVICE", service.clone()),
            ("PUSH3_DESK_LOG", "trace".into()),
            ("PUSH3_DESK_LOG_UNREDACTED", "1".into()),
        ],
    )
    .await;

    // Record every IPC answer the webview receives from here on.
    app.client.execute(RECORD_IPC, vec![]).await.unwrap();

    add_gateway(&app, "Site A", &sim.api_url(), KEY).await;

    // A meter with a non-default password, which also goes to the keychain.
    fill_add_meter(&app, meter, "Pump house").await;
    app.type_into("#meter-password", METER_PASSWORD).await;
    app.screenshot("add-meter").await;
    app.click("#meter-save").await;
    app.click(&format!("[data-address='{meter}']")).await;
    app.click("#Relay_1-review").await;
    assert_eq!(confirm_relay(&app, "Relay_1").await, "confirmed");

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
    assert!(
        captured.contains("channel [") && captured.contains("msgId"),
        "the recorder saw the command's channel messages: {captured}"
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
    // Nor in the log, read as written (not redacted).
    let log = std::fs::read_to_string(app.app_data_dir().join("logs/push3-desk.log")).unwrap();
    assert!(log.contains("started on linux"), "the log has lines: {log}");
    assert!(!log.contains(KEY), "the log carries the key:\n{log}");
    assert!(
        !log.contains(METER_PASSWORD),
        "the log carries the meter password:\n{log}"
    );
    app.screenshot("own-gateway").await;
    app.close().await;
    let _ = std::process::Command::new("secret-tool")
        .args(["clear", "service", &service])
        .status();
}

/// Issue 5, point 5: a gateway renamed and given a new key in the edit dialog sends with the new
/// key at once (so the app dropped the client it had built with the old one), and removing it
/// deletes its keychain entries and its sidebar entry.
#[tokio::test]
#[ignore = "needs Xvfb, tauri-driver, WebKitWebDriver and a Secret Service: run by ./x test"]
async fn a_gateway_given_a_new_key_in_the_edit_dialog_sends_with_it_and_removal_empties_the_keychain(
) {
    const OLD_KEY: &str = "e2e-Old-Key-7c4a8d09ca3762af";
    const NEW_KEY: &str = "e2e-New-Key-61e3f4c7b2d9a015";
    let meter = "000444555666";
    let mut config = SimConfig::demo();
    // The simulated gateway answers to the new key only, as a real one does once its key is
    // regenerated in the EKM portal.
    config.gateways.push(GatewayConfig::new(
        "Site A",
        NEW_KEY,
        vec![MeterConfig::new(meter, push3::MeterVersion::V4, "Boiler")],
    ));
    let sim = Simulator::start(config).unwrap();
    let service = format!("com.push3desk.e2e-edit.{}", std::process::id());
    let app = app_on(&sim, &[("PUSH3_KEYCHAIN_SERVICE", service.clone())]).await;
    app.client.execute(RECORD_IPC, vec![]).await.unwrap();
    let set_relays_with = |key: &str| {
        sim.requests()
            .iter()
            .filter(|r| r.command() == Some("SetRelay"))
            .filter(|r| r.query_param("key").as_deref() == Some(key))
            .count()
    };

    add_gateway(&app, "Site A", &sim.api_url(), OLD_KEY).await;
    fill_add_meter(&app, meter, "Boiler").await;
    app.click("#meter-save").await;

    // With the old key the gateway refuses the command; the app now holds a client built with
    // that key.
    app.click(&format!("[data-address='{meter}']")).await;
    app.click("#Relay_1-review").await;
    assert_eq!(confirm_relay(&app, "Relay_1").await, "rejected");
    assert_eq!(set_relays_with(OLD_KEY), 1);

    // The meter's edit dialog renames it.
    app.click("#edit-meter").await;
    app.type_into("#meter-nickname", "Boiler room").await;
    app.screenshot("edit-meter").await;
    app.click("#meter-save").await;
    app.wait_until_absent("dialog[open]").await;
    assert_eq!(
        app.text_of(&format!("[data-address='{meter}'] .name"))
            .await,
        "Boiler room"
    );

    // The gateway's edit dialog shows the old key's hint, never the key, and takes a new one.
    app.click("button[aria-label='Edit gateway Site A']").await;
    assert_eq!(
        app.text_of("#gateway-key-hint").await,
        "Stored key ends ••••62af. Leave empty to keep it."
    );
    let key_box = app.client.find(Locator::Css("#gateway-key")).await.unwrap();
    assert_eq!(key_box.prop("value").await.unwrap().as_deref(), Some(""));
    app.type_into("#gateway-name", "Site B").await;
    app.type_into("#gateway-key", NEW_KEY).await;
    app.screenshot("edit-gateway").await;
    app.click("#gateway-save").await;
    app.text_of("[aria-label='Site B'] h2").await;
    assert!(app
        .client
        .find(Locator::Css("[aria-label='Site A']"))
        .await
        .is_err());

    // The same command again: the gateway confirms it, so it came with the new key.
    app.click("#Relay_1-review").await;
    app.click("#Relay_1-confirm").await;
    app.wait_for_state("#Relay_1-state", &["confirmed"], Duration::from_secs(20))
        .await;
    assert_eq!(set_relays_with(NEW_KEY), 1);
    assert_eq!(set_relays_with(OLD_KEY), 1, "the old key was used again");
    assert_eq!(
        sim.meter(meter).unwrap().relays[0].status,
        push3::command::RelayStatus::Close
    );

    // Neither key reached the webview or the data folder along the way.
    let captured = app
        .client
        .execute("return JSON.stringify(window.__captured)", vec![])
        .await
        .unwrap();
    let captured = captured.as_str().unwrap();
    assert!(
        captured.contains("edit_gateway"),
        "the recorder saw the edit"
    );
    for key in [OLD_KEY, NEW_KEY] {
        assert!(!captured.contains(key), "an IPC answer carried a key");
        assert!(!app.data_files_text().contains(key), "a key reached a file");
    }
    let entries = keychain_entries(&service);
    assert!(entries.contains("gateway:"), "the key is in the keychain");

    // Removing asks first, then takes the gateway, its meter and its keychain entries.
    app.click("button[aria-label='Edit gateway Site B']").await;
    app.click("#gateway-remove").await;
    let warning = app.text_of("#gateway-remove-text").await;
    assert!(warning.contains("Its meter goes with it."), "{warning}");
    assert!(warning.contains("system keychain"), "{warning}");
    app.screenshot("remove-gateway").await;
    app.click("#gateway-remove-confirm").await;
    app.wait_until_absent("[aria-label='Site B']").await;
    app.wait_until_absent(&format!("[data-address='{meter}']"))
        .await;
    assert_eq!(keychain_entries(&service), "", "keychain entries were left");
    app.screenshot("gateway-removed").await;
    app.close().await;
}

/// Issue 18, point 6, in the window: a gateway set up with an API token and no key is tested,
/// saved with the token alone in the keychain, and closes a relay through it.
#[tokio::test]
#[ignore = "needs Xvfb, tauri-driver and WebKitWebDriver: run by ./x test"]
async fn a_gateway_with_an_api_token_and_no_key_is_tested_saved_and_closes_a_relay() {
    const TOKEN: &str = "e2e-Owner-Token-3f9a61c2d84b7e05";
    let meter = "000444555888";
    let mut config = SimConfig::demo();
    // An OWNER token's account: the meter names its gateway, whose key the app never has.
    config.gateways.push(GatewayConfig::new(
        "Cloud",
        "e2e-Key-Never-Given-00000000",
        vec![MeterConfig::new(meter, push3::MeterVersion::V4, "Pumps")],
    ));
    config.bearer_token = Some(TOKEN.to_string());
    let sim = Simulator::start(config).unwrap();
    let service = format!("com.push3desk.e2e-token.{}", std::process::id());
    let app = app_on(&sim, &[("PUSH3_KEYCHAIN_SERVICE", service.clone())]).await;

    app.click("#add-gateway").await;
    app.type_into("#gateway-name", "Cloud").await;
    app.type_into("#gateway-url", &sim.api_url()).await;
    app.type_into("#gateway-token", TOKEN).await;
    app.type_into("#gateway-test-meter", meter).await;
    let text = test_connection_passes(&app).await;
    assert!(text.contains("the API token was accepted"), "{text}");
    app.click("#gateway-save").await;
    app.text_of("[aria-label='Cloud'] h2").await;
    let entries = keychain_entries(&service);
    assert!(entries.contains(":token"), "the token is kept: {entries}");
    assert!(!entries.contains(":key"), "no key entry: {entries}");

    fill_add_meter(&app, meter, "Pumps").await;
    app.click("#meter-save").await;
    app.click(&format!("[data-address='{meter}']")).await;
    app.click("#Relay_1-review").await;
    assert_eq!(confirm_relay(&app, "Relay_1").await, "confirmed");
    assert_eq!(
        sim.meter(meter).unwrap().relays[0].status,
        push3::command::RelayStatus::Close
    );
    let relay = sim
        .requests()
        .into_iter()
        .find(|r| r.command() == Some("SetRelay"))
        .unwrap();
    assert_eq!(
        relay.headers.get("authorization").map(String::as_str),
        Some(&*format!("Bearer {TOKEN}"))
    );
    assert_eq!(relay.query_param("key"), None, "no key is sent");
    assert!(
        !app.data_files_text().contains(TOKEN),
        "the token reached a file"
    );
    app.screenshot("token-only-gateway").await;
    app.close().await;
}

/// The `push3` binary cargo built for this test run, next to the app's.
fn push3_cli() -> std::path::PathBuf {
    let exe = std::env::current_exe().unwrap();
    let path = exe.parent().unwrap().parent().unwrap().join("push3");
    assert!(
        path.exists(),
        "{} is missing: `cargo test --workspace` builds it",
        path.display()
    );
    path
}

/// Issue 14, point 4: a `push3 send` killed (`kill -9`) after the API accepted its command shows
/// in the app's History as sent with no answer, with its msg_id: it may still run.
#[tokio::test]
#[ignore = "needs Xvfb, tauri-driver and WebKitWebDriver: run by ./x test"]
async fn a_cli_send_killed_after_acceptance_shows_in_history_as_sent_with_no_answer() {
    let sim = Simulator::start(SimConfig::demo()).unwrap();
    // The gateway runs the command, but its answer never comes: push3 is still waiting.
    sim.set_faults(Faults {
        silent: true,
        ..Faults::default()
    });
    let app = app_on(&sim, &[]).await;
    app.text_of(&format!("[data-address='{MAIN_PANEL}']")).await;
    let data_dir = app.app_data_dir();
    let mut send = std::process::Command::new(push3_cli())
        .args([
            "send",
            "SetRelay",
            "--meter",
            MAIN_PANEL,
            "--api-url",
            &sim.api_url(),
        ])
        .args([
            "--params",
            r#"{"relay":"Relay_1","status":"close","duration":0}"#,
        ])
        .env("PUSH3_DATA_DIR", &data_dir)
        .env("PUSH3_KEY", push3_sim::DEMO_KEY)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let log = push3_audit::AuditLog::open(data_dir.join(push3_audit::FILE_NAME)).unwrap();
    let page = push3_audit::Page::first(10);
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    let msg_id = loop {
        let entries = log
            .query(&push3_audit::Filter::default(), &page)
            .unwrap()
            .entries;
        if let Some(id) = entries.into_iter().find_map(|e| e.msg_id) {
            break id;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the acceptance never reached the store"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    // SIGKILL: nothing of push3 runs after this.
    send.kill().unwrap();
    send.wait().unwrap();

    app.click("#view-history").await;
    let row = "#history-table [data-entry-id]";
    app.text_of(row).await;
    // All of the row's cells, the narrow ones cut short by an ellipsis on screen included.
    let text = app
        .client
        .execute(
            "return document.querySelector(arguments[0]).textContent",
            vec![row.into()],
        )
        .await
        .unwrap();
    let text = text.as_str().unwrap();
    assert!(text.contains("Interrupted"), "{text}");
    assert!(
        text.contains(&format!("sent, no answer recorded (msg_id {msg_id})")),
        "{text}"
    );
    app.screenshot("history-killed-send").await;
    app.click("#history-table [data-entry-id] button").await;
    let detail = app.text_of("#history-detail").await;
    assert!(detail.contains("Sent, no answer recorded"), "{detail}");
    app.screenshot("history-killed-send-detail").await;
    app.close().await;
}

/// Issue 14, point 3: the app and the CLI share one store, and the window shows what the CLI
/// changed within 2 s, without a restart.
#[tokio::test]
#[ignore = "needs Xvfb, tauri-driver, WebKitWebDriver and a Secret Service: run by ./x test"]
async fn a_meter_the_cli_adds_while_the_app_runs_appears_in_the_window_within_2_s() {
    const KEY: &str = "e2e-Cli-Key-0c1e8d5b3a79f246";
    let sim = Simulator::start(SimConfig::demo()).unwrap();
    let service = format!("com.push3desk.e2e-cli.{}", std::process::id());
    let app = app_on(&sim, &[("PUSH3_KEYCHAIN_SERVICE", service.clone())]).await;
    app.text_of(&format!("[data-address='{MAIN_PANEL}']")).await;

    let push3 = |args: &[&str], stdin: &str| {
        let mut child = std::process::Command::new(push3_cli())
            .args(args)
            .env("PUSH3_DATA_DIR", app.app_data_dir())
            .env("PUSH3_KEYCHAIN_SERVICE", &service)
            .env_remove("PUSH3_KEY")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "push3 {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    push3(&["gateway", "add", "Annex"], &format!("{KEY}\n"));
    push3(
        &[
            "meter",
            "add",
            "555000111",
            "--gateway",
            "Annex",
            "--version",
            "V4",
            "--nickname",
            "Added by the CLI",
        ],
        "",
    );
    let added = std::time::Instant::now();
    let item = "[data-address='000555000111']";
    while app.client.find(Locator::Css(item)).await.is_err() {
        assert!(
            added.elapsed() < Duration::from_secs(2),
            "the meter the CLI added is not in the window 2 s later"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    eprintln!(
        "the CLI's meter appeared {:?} after push3 exited",
        added.elapsed()
    );
    assert!(app.text_of(item).await.contains("Added by the CLI"));
    app.screenshot("meter-added-by-cli").await;
    app.close().await;
    let _ = std::process::Command::new("secret-tool")
        .args(["clear", "service", &service])
        .status();
}

/// Issue 14: a user upgrading from 0.1 opens the app on the data folder 0.1 left, and finds
/// their gateway and meters in the sidebar; the old files are kept aside as backups.
#[tokio::test]
#[ignore = "needs Xvfb, tauri-driver and WebKitWebDriver: run by ./x test"]
async fn the_first_start_after_0_1_shows_the_meters_of_its_inventory_file() {
    let sim = Simulator::start(SimConfig::demo()).unwrap();
    let data_home = tempfile::tempdir().unwrap();
    let data_dir = data_home.path().join("com.push3desk.Push3Desk");
    std::fs::create_dir_all(&data_dir).unwrap();
    let inventory = r#"{"schemaVersion": 1,
        "gateways": [{"id": "g-old", "name": "Old site", "apiUrl": "https://api.ekmpush.com",
                      "note": "", "hasToken": false, "keyHint": "••••abcd"}],
        "meters": [{"address": "000123123123", "nickname": "From 0.1", "version": "V4",
                    "gatewayId": "g-old", "tags": ["kept"], "hasPassword": false}]}"#;
    std::fs::write(data_dir.join("inventory.json"), inventory).unwrap();

    let app = AppSession::launch_in(data_home, &[(DEMO_URL_ENV, sim.api_url())]).await;
    let item = app.text_of("[data-address='000123123123']").await;
    assert!(item.contains("From 0.1"), "{item}");
    let heading = app.text_of("[aria-label='Old site'] h2").await;
    assert!(heading.to_lowercase().starts_with("old site"), "{heading}");
    assert!(!data_dir.join("inventory.json").exists());
    assert_eq!(
        std::fs::read_to_string(data_dir.join("inventory.json.imported.bak")).unwrap(),
        inventory
    );
    app.screenshot("upgraded-from-0-1").await;
    app.close().await;
}

/// The slot-shift journey of a gateway that counts schedules from 0 (reference §9): the dialog's
/// connection test names a wrong key and passes the right one, a TOU write is seen to land one
/// slot up and said so, and a corrected wire profile loaded from a file puts the next write where
/// it belongs.
#[tokio::test]
#[ignore = "needs Xvfb, tauri-driver and WebKitWebDriver: run by ./x test"]
async fn a_gateway_that_counts_schedules_from_0_is_tested_caught_and_corrected_by_its_profile() {
    const KEY: &str = "e2e-Profile-Key-5d1c9e77";
    let meter = "000444555777";
    let mut config = SimConfig::demo();
    config.gateways.push(GatewayConfig::new(
        "Site S",
        KEY,
        vec![MeterConfig::new(meter, push3::MeterVersion::V4, "Shifted")],
    ));
    // The nested shapes we guessed, but schedules counted from 0.
    config.wire_profile.schedule_numbering = 0;
    let sim = Simulator::start(config).unwrap();
    let service = format!("com.push3desk.e2e-profile.{}", std::process::id());
    let app = app_on(&sim, &[("PUSH3_KEYCHAIN_SERVICE", service)]).await;

    // Test connection before saving: a wrong key is named, the right one passes every step.
    app.click("#add-gateway").await;
    app.type_into("#gateway-name", "Site S").await;
    app.type_into("#gateway-url", &sim.api_url()).await;
    app.type_into("#gateway-key", "e2e-Wrong-Key-00000000")
        .await;
    app.type_into("#gateway-test-meter", meter).await;
    app.click("#gateway-test").await;
    let failed = app
        .client
        .wait()
        .for_element(Locator::Css("#gateway-test-result[data-passed='false']"))
        .await
        .unwrap();
    let text = failed.text().await.unwrap();
    assert!(text.contains("most likely the gateway key"), "{text}");
    assert!(app.exists("[data-problem='key_refused']").await);
    app.screenshot("gateway-test-refused").await;
    app.type_into("#gateway-key", KEY).await;
    let text = test_connection_passes(&app).await;
    assert!(text.contains("Meter 000444555777 answered"), "{text}");
    app.screenshot("gateway-test-passed").await;
    let probes = sim
        .requests()
        .iter()
        .filter(|r| r.command() == Some("GetTariffData"))
        .count();
    assert_eq!(probes, 2, "each test is one read");
    app.click("#gateway-save").await;
    app.text_of("[aria-label='Site S'] h2").await;
    fill_add_meter(&app, meter, "Shifted").await;
    app.click("#meter-save").await;

    // A write of schedule 1 lands in slot 2, and the read-back says so.
    let write_schedule_1 = |minute: &'static str| {
        let app = &app;
        async move {
            app.click(&format!("[data-address='{meter}']")).await;
            app.click("#tab-tou").await;
            app.click("#tou-read").await;
            wait_for_text(app, "#panel-tou", "Last read").await;
            app.click("[data-schedule='1']").await;
            let period = "[data-period='2']";
            if app
                .exists(&format!("{period} [data-field='unused']:checked"))
                .await
            {
                app.click(&format!("{period} [data-field='unused']")).await;
            }
            app.select(&format!("{period} [data-field='hour']"), "6")
                .await;
            app.select(&format!("{period} [data-field='minute']"), minute)
                .await;
            app.select(&format!("{period} [data-field='tariff']"), "4")
                .await;
            app.click("#tou-review").await;
            app.click("#plan-send").await;
            app.wait_for_state(
                "#plan-commands li:last-child",
                END_STATES,
                Duration::from_secs(20),
            )
            .await;
            app.click("#plan-close").await;
        }
    };
    write_schedule_1("15").await;
    let shift = app.text_of("#tou-slot-shift").await;
    assert!(
        shift.starts_with("Schedule 1 landed in slot 2: this gateway counts schedules from 0."),
        "{shift}"
    );
    assert_eq!(
        sim.meter(meter).unwrap().schedules[1][1].minute,
        15,
        "it did land in slot 2"
    );
    app.screenshot("tou-slot-shift").await;

    // A corrected profile, loaded through the dialog's file picker, counts from 0.
    let files = tempfile::tempdir().unwrap();
    let mut profile: serde_json::Value =
        serde_json::from_str(&push3::undocumented::WireProfile::default_profile().to_file())
            .unwrap();
    profile["id"] = "nested-from-0".into();
    profile["name"] = "Nested lists, schedules from 0 (Site S)".into();
    profile["schedule_numbering"] = 0.into();
    let file = files.path().join("nested-from-0.json");
    std::fs::write(&file, profile.to_string()).unwrap();
    app.click("button[aria-label='Edit gateway Site S']").await;
    app.click("#gateway-load-profile").await;
    support::x11::X11::connect().open_file(&file).await;
    let chosen = app
        .client
        .wait()
        .for_element(Locator::Css(
            "#gateway-profile option[value='nested-from-0']:checked",
        ))
        .await
        .unwrap();
    assert_eq!(
        chosen.text().await.unwrap(),
        "Nested lists, schedules from 0 (Site S) (loaded)"
    );
    assert!(app
        .text_of("#gateway-profile-notes")
        .await
        .contains("schedules counted from 0"));
    assert_eq!(
        app.text_of("#gateway-profile-loaded").await,
        "Loaded “Nested lists, schedules from 0 (Site S)”."
    );
    app.screenshot("gateway-profile-loaded").await;
    app.click("#gateway-save").await;
    app.wait_until_absent("dialog[open]").await;

    write_schedule_1("45").await;
    wait_for_text(&app, "#tou-verify", "Verified").await;
    let held = sim.meter(meter).unwrap();
    assert_eq!(
        (
            held.schedules[0][1].hour,
            held.schedules[0][1].minute,
            held.schedules[0][1].tariff
        ),
        (6, 45, 4)
    );
    // The edit still held the first read's schedule 2, so slot 2 is put back too: each goes
    // out numbered from 0.
    let sent: Vec<(u64, u64)> = sim
        .requests()
        .iter()
        .filter(|r| r.command() == Some("SetSchedule"))
        .filter_map(|r| r.body.clone())
        .map(|b| {
            let p = &b["params"];
            (
                p["schedule"].as_u64().unwrap(),
                p["periods"][1]["minute"].as_u64().unwrap(),
            )
        })
        .collect();
    assert!(
        sent.contains(&(0, 45)),
        "schedule 1 went out as 0: {sent:?}"
    );
    assert_eq!(
        sent[0],
        (1, 15),
        "the first write, numbered from 1: {sent:?}"
    );

    // The loaded profile cannot be removed while Site S speaks it, and the dialog says why.
    let edit = "button[aria-label='Edit gateway Site S']";
    app.click(edit).await;
    app.click("#gateway-remove-profile").await;
    app.click("#gateway-remove-profile-confirm").await;
    wait_for_text(
        &app,
        "#gateway-profile-problem",
        "Wire profile nested-from-0 is spoken by gateway Site S: set it to another profile first",
    )
    .await;
    app.screenshot("gateway-profile-in-use").await;
    // Saved on a built-in profile again, the gateway lets it go.
    app.select("#gateway-profile", "nested-from-1").await;
    app.click("#gateway-save").await;
    app.wait_until_absent("dialog[open]").await;
    app.click(edit).await;
    app.select("#gateway-profile", "nested-from-0").await;
    app.click("#gateway-remove-profile").await;
    assert!(app
        .text_of("#gateway-profile-confirm")
        .await
        .starts_with("Remove “Nested lists, schedules from 0 (Site S)” from Push3 Desk?"));
    app.screenshot("gateway-profile-remove-confirm").await;
    app.click("#gateway-remove-profile-confirm").await;
    app.wait_until_absent("#gateway-profile option[value='nested-from-0']")
        .await;
    assert!(
        app.exists("#gateway-profile option[value='nested-from-1']:checked")
            .await,
        "back on what the gateway speaks"
    );
    app.close().await;
}
