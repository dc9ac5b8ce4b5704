//! End-to-end tests of what shipping adds around the app: the log and the support report keep
//! secrets out, a second launch hands over to the running window, and the window reopens where
//! it was closed. Like tests/e2e.rs they need Xvfb, the WebDriver drivers and (for the gateway
//! key and the single instance) a D-Bus session, so `./x test` runs them.

mod support;

use push3_desk_lib::diagnostics::LEVEL_ENV;
use push3_sim::{GatewayConfig, MeterConfig, SimConfig, Simulator};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use support::x11::{Rect, X11};
use support::{log_dir, wait_for_log_line, AppSession};
use x11rb::protocol::xproto::Window;

const DEMO_URL_ENV: &str = "PUSH3_DESK_DEMO_URL";
const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The environment of the one WebKit web process in a process group.
fn web_process_environment(group: u32) -> Vec<String> {
    let in_group = |pid: &str| {
        std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .ok()
            // After "(comm)": state, ppid, pgrp.
            .and_then(|stat| stat.rsplit_once(") ").map(|(_, rest)| rest.to_owned()))
            .and_then(|rest| rest.split(' ').nth(2).map(|g| g == group.to_string()))
            .unwrap_or(false)
    };
    let web: Vec<String> = std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|pid| pid.bytes().all(|b| b.is_ascii_digit()))
        .filter(|pid| {
            std::fs::read_to_string(format!("/proc/{pid}/comm"))
                .is_ok_and(|comm| comm.trim() == "WebKitWebProces")
        })
        .filter(|pid| in_group(pid))
        .collect();
    assert_eq!(web.len(), 1, "web processes in group {group}: {web:?}");
    let environ = std::fs::read(format!("/proc/{}/environ", web[0])).unwrap();
    environ
        .split(|b| *b == 0)
        .map(|v| String::from_utf8_lossy(v).into_owned())
        .collect()
}

/// The app started directly, without WebDriver, and seen through the X server as a window
/// manager sees it (support::x11).
struct X11App {
    child: Child,
    x11: X11,
}

impl X11App {
    /// No session bus: this launch stays out of the single-instance hand-over, so it cannot be
    /// mistaken for a second launch of an app another test has open.
    fn launch(data_home: &Path, config_home: &Path) -> Self {
        let child = Command::new(env!("CARGO_BIN_EXE_push3-desk"))
            .env("XDG_DATA_HOME", data_home)
            .env("XDG_CONFIG_HOME", config_home)
            .env("DBUS_SESSION_BUS_ADDRESS", "disabled:")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        Self {
            child,
            x11: X11::connect(),
        }
    }

    /// The app's titled top-level window, once it is mapped.
    fn window(&self) -> Window {
        self.x11.app_window(Some(self.child.id()))
    }

    /// Asks the window to close, as a window manager's close button does, and returns the exit
    /// status.
    fn close(mut self, window: Window) -> std::process::ExitStatus {
        self.x11.request_close(window);
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            if Instant::now() > deadline {
                self.child.kill().unwrap();
                panic!("the app is still running 10 s after its window was closed");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

fn require_session_bus() {
    assert!(
        std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some(),
        "needs a D-Bus session: run under dbus-run-session, as ./x test does"
    );
}

#[tokio::test]
#[ignore = "needs Xvfb, tauri-driver, WebKitWebDriver and a Secret Service: run by ./x test"]
async fn a_gateway_key_used_for_a_command_reaches_neither_the_log_nor_the_copied_diagnostics() {
    require_session_bus();
    const KEY: &str = "e2e-Ship-Key-9f86d081884c7d65";
    let meter = "000777888999";
    let mut config = SimConfig::demo();
    config.gateways.push(GatewayConfig::new(
        "Site Log",
        KEY,
        vec![MeterConfig::new(meter, push3::MeterVersion::V4, "Pump")],
    ));
    let sim = Simulator::start(config).unwrap();
    let service = format!("com.push3desk.e2e-ship.{}", std::process::id());
    // The most talkative level, so anything the app's crates log is in the file.
    let app = AppSession::launch(&[
        (DEMO_URL_ENV, sim.api_url()),
        ("PUSH3_KEYCHAIN_SERVICE", service.clone()),
        (LEVEL_ENV, "trace".into()),
    ])
    .await;

    app.click("#add-gateway").await;
    app.type_into("#gateway-name", "Site Log").await;
    app.type_into("#gateway-url", &sim.api_url()).await;
    app.type_into("#gateway-key", KEY).await;
    app.click("#gateway-save").await;
    app.text_of("[aria-label='Site Log'] h2").await;
    app.click("#add-meter").await;
    app.type_into("#meter-address", meter).await;
    app.type_into("#meter-nickname", "Pump").await;
    app.click("#meter-save").await;
    app.click(&format!("[data-address='{meter}']")).await;
    app.click("#Relay_1-review").await;
    app.click("#Relay_1-confirm").await;
    app.wait_for_state("#Relay_1-state", &["confirmed"], Duration::from_secs(20))
        .await;
    assert!(
        sim.requests()
            .iter()
            .any(|r| r.query_param("key").as_deref() == Some(KEY)),
        "the command went out with the key"
    );

    app.click("#copy-diagnostics").await;
    app.wait_for_state("#diagnostics-status", &["copied"], Duration::from_secs(10))
        .await;
    app.screenshot("diagnostics-copied").await;
    // Read back from the X clipboard, as a paste into a support form would.
    let copied = arboard::Clipboard::new()
        .and_then(|mut c| c.get_text())
        .expect("the diagnostics on the clipboard");
    assert!(
        copied.starts_with(&format!("Push3 Desk {VERSION}\nOS: linux ")),
        "{copied}"
    );
    assert!(copied.contains("\nWebview: "), "{copied}");
    assert!(
        copied.contains("\nRendering: compositing off (Push3 Desk's default on Linux;"),
        "{copied}"
    );
    assert!(
        copied.contains("\nJavaScript: optimizing JIT off (Push3 Desk's default on Linux;"),
        "{copied}"
    );
    // The web process, which runs the JavaScript, inherited the switch from the app.
    let web = web_process_environment(app.process_group());
    assert!(
        web.iter().any(|v| v == "JSC_useDFGJIT=0"),
        "the web process's environment: {web:?}"
    );
    assert!(
        copied.contains(&format!("Push3 Desk {VERSION} started on linux")),
        "the report carries the log: {copied}"
    );
    // The window starts hidden and shows once its page has loaded, not on the 3 s fallback.
    assert!(
        copied.contains("showing the window: its page has loaded"),
        "{copied}"
    );
    assert!(!copied.contains(KEY), "the diagnostics carry the key");

    let log = wait_for_log_line(app.data_home.path(), "diagnostics copied to the clipboard").await;
    assert!(!log.contains(KEY), "the log carries the key:\n{log}");
    assert!(
        !app.data_files_text().contains(KEY),
        "the key reached a file"
    );
    app.close().await;
    let _ = Command::new("secret-tool")
        .args(["clear", "service", &service])
        .status();
}

#[tokio::test]
#[ignore = "needs Xvfb, tauri-driver, WebKitWebDriver and a D-Bus session: run by ./x test"]
async fn a_second_launch_hands_over_to_the_running_window_and_exits() {
    require_session_bus();
    let sim = Simulator::start(SimConfig::demo()).unwrap();
    let app = AppSession::launch(&[(DEMO_URL_ENV, sim.api_url())]).await;
    assert_eq!(app.text_of("h1#title").await, "Push3 Desk");

    let mut second = Command::new(env!("CARGO_BIN_EXE_push3-desk"))
        .env("XDG_DATA_HOME", app.data_home.path())
        .env(DEMO_URL_ENV, sim.api_url())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = second.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            second.kill().unwrap();
            panic!("the second launch is still running after 20 s");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(status.success(), "the second launch exited with {status}");

    // The first instance was told, and still answers.
    wait_for_log_line(
        app.data_home.path(),
        "a second launch was handed over to the running window",
    )
    .await;
    assert_eq!(app.text_of("h1#title").await, "Push3 Desk");
    app.close().await;
}

#[test]
#[ignore = "needs Xvfb: run by ./x test"]
fn the_window_reopens_at_the_size_and_place_it_was_closed_at() {
    let data_home = tempfile::tempdir().unwrap();
    let config_home = tempfile::tempdir().unwrap();
    let state_file = config_home
        .path()
        .join("com.push3desk.Push3Desk/.window-state.json");
    let moved: Rect = (40, 30, 1100, 720);

    let first = X11App::launch(data_home.path(), config_home.path());
    let window = first.window();
    // tauri.conf.json's size first, so the move below is not undone by the app's own set-up.
    first
        .x11
        .wait_for_rect(window, "1280x800", |(_, _, w, h)| (w, h) == (1280, 800));
    first.x11.move_and_resize(window, moved);
    first.x11.wait_for_rect(window, "moved", |r| r == moved);
    let status = first.close(window);
    assert!(
        status.success(),
        "closing the window quit the app with {status}"
    );
    assert!(
        state_file.exists(),
        "no window state saved at {state_file:?}"
    );

    let second = X11App::launch(data_home.path(), config_home.path());
    let window = second.window();
    second
        .x11
        .wait_for_rect(window, "where it was closed", |r| r == moved);
    assert!(second.close(window).success());
}

#[tokio::test]
#[ignore = "needs Xvfb, tauri-driver and WebKitWebDriver: run by ./x test"]
async fn an_error_thrown_in_the_window_reaches_the_log_redacted() {
    let sim = Simulator::start(SimConfig::demo()).unwrap();
    let app = AppSession::launch(&[(DEMO_URL_ENV, sim.api_url())]).await;
    assert_eq!(app.text_of("h1#title").await, "Push3 Desk");
    // Thrown outside the script WebDriver runs, as a bug in an event handler would be.
    app.client
        .execute(
            "setTimeout(() => { throw new TypeError('e2e window error key=e2e-Key-8c1f0d2b9a'); }, 0);
             Promise.reject(new Error('e2e unawaited rejection'));
             return null;",
            vec![],
        )
        .await
        .unwrap();
    wait_for_log_line(app.data_home.path(), "e2e unawaited rejection").await;
    let log = wait_for_log_line(app.data_home.path(), "e2e window error").await;
    assert!(
        log.contains("ERROR webview: uncaught error in the window: ")
            && log.contains("TypeError: e2e window error key=[redacted]"),
        "{log}"
    );
    assert!(
        log.contains(
            "ERROR webview: unhandled promise rejection in the window: Error: e2e unawaited rejection"
        ),
        "{log}"
    );
    assert!(
        !log.contains("e2e-Key-8c1f0d2b9a"),
        "the key reached the log:\n{log}"
    );
    app.close().await;
}

/// The page's width in CSS pixels: the window's width divided by the zoom.
async fn inner_width(app: &AppSession) -> f64 {
    app.client
        .execute("return window.innerWidth;", vec![])
        .await
        .unwrap()
        .as_f64()
        .unwrap()
}

async fn press_with_control(app: &AppSession, key: &str) {
    use fantoccini::key::Key;
    let body = app
        .client
        .find(fantoccini::Locator::Css("body"))
        .await
        .unwrap();
    body.send_keys(&format!("{}{key}{}", Key::Control, Key::Null))
        .await
        .unwrap();
}

/// Waits until the page's width satisfies `ok`, and returns it.
async fn wait_for_width(app: &AppSession, want: &str, ok: impl Fn(f64) -> bool) -> f64 {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let width = inner_width(app).await;
        if ok(width) {
            return width;
        }
        assert!(
            Instant::now() < deadline,
            "the page is {width} px wide, not {want}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
#[ignore = "needs Xvfb, tauri-driver and WebKitWebDriver: run by ./x test"]
async fn ctrl_plus_and_minus_zoom_the_window_and_the_zoom_is_remembered() {
    let sim = Simulator::start(SimConfig::demo()).unwrap();
    let env = [(DEMO_URL_ENV, sim.api_url())];
    let app = AppSession::launch(&env).await;
    assert_eq!(app.text_of("h1#title").await, "Push3 Desk");
    let unzoomed = inner_width(&app).await;

    // Two steps in: 125%.
    press_with_control(&app, "=").await;
    press_with_control(&app, "=").await;
    let zoomed = wait_for_width(&app, "at 125%", |w| (w - unzoomed / 1.25).abs() < 2.0).await;
    app.screenshot("zoom-125").await;

    // Started again, the window comes back at 125%.
    let app = app.restart(&env).await;
    assert_eq!(app.text_of("h1#title").await, "Push3 Desk");
    wait_for_width(&app, "at 125% after a restart", |w| {
        (w - zoomed).abs() < 2.0
    })
    .await;

    // One step out, then back to 100%.
    press_with_control(&app, "-").await;
    wait_for_width(&app, "at 110%", |w| (w - unzoomed / 1.1).abs() < 2.0).await;
    press_with_control(&app, "0").await;
    wait_for_width(&app, "at 100%", |w| (w - unzoomed).abs() < 2.0).await;
    app.close().await;
}

#[tokio::test]
#[ignore = "needs Xvfb, tauri-driver and WebKitWebDriver: run by ./x test"]
async fn open_log_folder_hands_the_app_log_folder_to_the_system() {
    use std::os::unix::fs::PermissionsExt;
    // A stand-in for the desktop's xdg-open, first on the PATH: it writes down what it was asked
    // to open, where a real one would show a file manager.
    let bin = tempfile::tempdir().unwrap();
    let record = bin.path().join("opened");
    let script = bin.path().join("xdg-open");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nprintf '%s\\n' \"$@\" >> '{}'\n",
            record.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!(
        "{}:{}",
        bin.path().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let sim = Simulator::start(SimConfig::demo()).unwrap();
    let app = AppSession::launch(&[(DEMO_URL_ENV, sim.api_url()), ("PATH", path)]).await;
    app.click("#open-log-folder").await;
    let deadline = Instant::now() + Duration::from_secs(10);
    let opened = loop {
        if let Ok(text) = std::fs::read_to_string(&record) {
            break text;
        }
        assert!(Instant::now() < deadline, "nothing was opened");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let log_dir = log_dir(app.data_home.path());
    assert_eq!(opened.trim(), log_dir.to_str().unwrap());
    assert!(log_dir.is_dir());
    app.screenshot("open-log-folder").await;
    app.close().await;
}

/// Calls one of the app's commands from the page, as the page's own code would, and answers
/// its error message, or "ok".
async fn invoke_from_page(app: &AppSession, command: &str, args: serde_json::Value) -> String {
    let answer = app
        .client
        .execute_async(
            "const [command, args, done] = arguments;
             window.__TAURI_INTERNALS__.invoke(command, args).then(
               () => done('ok'),
               (e) => done(typeof e === 'string' ? e : (e.message ?? JSON.stringify(e))));",
            vec![command.into(), args],
        )
        .await
        .unwrap();
    answer.as_str().unwrap().to_owned()
}

#[tokio::test]
#[ignore = "needs Xvfb, tauri-driver, WebKitWebDriver and a D-Bus session: run by ./x test"]
async fn an_exported_file_is_shown_in_its_folder_and_no_other_path_is() {
    let desktop = support::desktop_bus::DesktopBus::get();
    let home = tempfile::tempdir().unwrap();
    let sim = Simulator::start(SimConfig::demo()).unwrap();
    let app = AppSession::launch(&[
        (DEMO_URL_ENV, sim.api_url()),
        ("HOME", home.path().display().to_string()),
    ])
    .await;

    // Export the history; the save dialog opens at home (no export yet, no Documents folder)
    // with the suggested name, and the user presses Return.
    app.click("#view-history").await;
    app.click("#history-export").await;
    let x11 = X11::connect();
    let dialog = x11.wait_for_titled("Save File");
    x11.press_return(dialog);
    let status = app.text_of("#history-export-status").await;
    let file = home.path().join("push3-history.csv");
    assert!(status.contains(file.to_str().unwrap()), "{status}");
    assert!(file.is_file());
    app.screenshot("show-in-folder").await;

    app.click("#history-export-status [data-show-in-folder]")
        .await;
    let uri = format!("file://{}", file.display());
    desktop.wait_for_revealed(&uri).await;

    // The page cannot have any other path shown, the folder or a file next to it included.
    let other = home.path().join("secret.txt");
    std::fs::write(&other, "x").unwrap();
    for path in [other.as_path(), home.path()] {
        let refused =
            invoke_from_page(&app, "show_in_folder", serde_json::json!({ "path": path })).await;
        assert!(
            refused.contains("was not exported by Push3 Desk"),
            "{refused}"
        );
    }
    // Nor through the plugins, which only Rust uses.
    for (command, args) in [
        (
            "plugin:opener|reveal_item_in_dir",
            serde_json::json!({ "paths": [other] }),
        ),
        (
            "plugin:opener|open_path",
            serde_json::json!({ "path": home.path() }),
        ),
        (
            "plugin:notification|notify",
            serde_json::json!({ "options": { "title": "x" } }),
        ),
        ("plugin:updater|check", serde_json::json!({})),
    ] {
        let refused = invoke_from_page(&app, command, args).await;
        assert!(refused.contains("not allowed"), "{command}: {refused}");
    }
    assert_eq!(desktop.revealed(), vec![uri]);

    // A template and a job report say where they went, the same way; their dialogs start in the
    // folder of the last export.
    app.click("#view-meters").await;
    app.click("[data-address='000350000900']").await;
    app.click("#tab-display").await;
    app.click("button[data-add='kWh_Tot']").await;
    app.type_into("#panel-display [data-template-name-input]", "Lobby")
        .await;
    app.click("#lcd-save-template").await;
    app.click("#view-fleet").await;
    app.click("[data-template-export='Lobby']").await;
    x11.press_return(x11.wait_for_titled("Save File"));
    let saved = app.text_of("#template-exported").await;
    assert!(
        saved.contains(home.path().join("Lobby.json").to_str().unwrap()),
        "{saved}"
    );
    app.screenshot("show-in-folder-template").await;

    app.click("#fleet-select-all").await;
    app.select("#fleet-template", "Lobby").await;
    app.click("#fleet-preview").await;
    app.click("#fleet-run").await;
    app.text_of("#fleet-report").await;
    app.click("#fleet-export-csv").await;
    x11.press_return(x11.wait_for_titled("Save File"));
    let saved = app.text_of("#fleet-export-status").await;
    assert!(
        saved.contains(home.path().join("report.csv").to_str().unwrap()),
        "{saved}"
    );
    app.click("#fleet-export-status [data-show-in-folder]")
        .await;
    desktop
        .wait_for_revealed(&format!(
            "file://{}",
            home.path().join("report.csv").display()
        ))
        .await;
    app.screenshot("show-in-folder-report").await;
    app.close().await;
}

/// A release server on 127.0.0.1, as the update endpoint would be: a manifest announcing a
/// version, and the file it names, signed with a key pair made for the test.
struct ReleaseServer {
    url: String,
    /// The update key the app is given: base64 of the minisign public key file.
    pubkey: String,
    manifest_requests: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    _server: tokio::task::JoinHandle<()>,
}

/// How the served release is signed.
enum Signing {
    /// With the key the app is given, for the version announced.
    Good,
    /// With another key pair: an altered file, or a file signed by someone else.
    OtherKey,
}

impl ReleaseServer {
    async fn start(version: &str, signing: Signing) -> Self {
        use base64::Engine;
        let b64 = base64::engine::general_purpose::STANDARD;
        let app_key = minisign::KeyPair::generate_unencrypted_keypair().unwrap();
        let signing_key = match signing {
            Signing::Good => &app_key,
            Signing::OtherKey => &minisign::KeyPair::generate_unencrypted_keypair().unwrap(),
        };
        let artifact = b"not a real package: the test never installs it".to_vec();
        // The trusted comment as the Tauri CLI writes it, with the version it was signed for.
        let trusted = format!("timestamp:1764979200\tfile:push3-desk\tversion:{version}");
        let signature = minisign::sign(
            None,
            &signing_key.sk,
            std::io::Cursor::new(&artifact),
            Some(&trusted),
            Some("signature from tauri secret key"),
        )
        .unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let manifest = serde_json::json!({
            "version": version,
            "notes": "Faster bulk apply.",
            "pub_date": "2026-12-01T00:00:00Z",
            "platforms": {
                "linux-x86_64": {
                    "signature": b64.encode(signature.to_string()),
                    "url": format!("{base}/push3-desk_{version}_amd64.deb"),
                }
            }
        });
        let manifest_requests = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counted = manifest_requests.clone();
        let router = axum::Router::new()
            .route(
                "/latest.json",
                axum::routing::get(move || {
                    counted.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    let manifest = manifest.clone();
                    async move { axum::Json(manifest) }
                }),
            )
            .fallback(move || {
                let artifact = artifact.clone();
                async move { artifact }
            });
        let server = tokio::spawn(async move {
            axum::serve(listener, router).await.unwrap();
        });
        Self {
            url: format!("{base}/latest.json"),
            pubkey: b64.encode(app_key.pk.to_box().unwrap().to_string()),
            manifest_requests,
            _server: server,
        }
    }

    fn env(&self, sim: &Simulator) -> Vec<(&'static str, String)> {
        vec![
            (DEMO_URL_ENV, sim.api_url()),
            (push3_desk_lib::updates::URL_ENV, self.url.clone()),
            (push3_desk_lib::updates::PUBKEY_ENV, self.pubkey.clone()),
        ]
    }

    fn manifest_requests(&self) -> usize {
        self.manifest_requests
            .load(std::sync::atomic::Ordering::SeqCst)
    }
}

async fn check_for_updates_in_about(app: &AppSession) {
    app.click("#version").await;
    app.click("#check-updates").await;
}

#[tokio::test]
#[ignore = "needs Xvfb, tauri-driver and WebKitWebDriver: run by ./x test"]
async fn a_signed_update_is_found_at_start_and_offered_and_the_check_can_be_turned_off() {
    let sim = Simulator::start(SimConfig::demo()).unwrap();
    let server = ReleaseServer::start("0.2.0", Signing::Good).await;
    let app = AppSession::launch(&server.env(&sim)).await;

    // The quiet check at start finds it, downloads it and verifies it, then says so.
    let banner = app.text_of("#update-banner").await;
    assert!(
        banner.contains(&format!(
            "Push3 Desk 0.2.0 is ready to install (you have {VERSION})"
        )),
        "{banner}"
    );
    assert_eq!(server.manifest_requests(), 1);
    app.screenshot("update-banner").await;

    // The About dialog's check says the same, with the release notes.
    check_for_updates_in_about(&app).await;
    app.wait_for_state("#update-status", &["ready"], Duration::from_secs(10))
        .await;
    assert!(app
        .text_of("#update-status")
        .await
        .contains("0.2.0 is downloaded and verified"));
    assert_eq!(app.text_of("#update-notes").await, "Faster bulk apply.");
    app.screenshot("update-about").await;

    // Turned off, the next start does not ask the server.
    app.click("#check-at-start").await;
    let log = wait_for_log_line(app.data_home.path(), "update 0.2.0 downloaded").await;
    assert!(log.contains("signature verified"), "{log}");
    let app = app.restart(&server.env(&sim)).await;
    let requests = server.manifest_requests();
    app.text_of("#version").await;
    tokio::time::sleep(Duration::from_secs(7)).await;
    assert_eq!(
        server.manifest_requests(),
        requests,
        "no check at start once turned off"
    );
    assert!(!app.exists("#update-banner").await);
    app.close().await;
}

#[tokio::test]
#[ignore = "needs Xvfb, tauri-driver and WebKitWebDriver: run by ./x test"]
async fn an_update_signed_with_another_key_is_refused_with_a_clear_message() {
    let sim = Simulator::start(SimConfig::demo()).unwrap();
    let server = ReleaseServer::start("0.2.0", Signing::OtherKey).await;
    let app = AppSession::launch(&server.env(&sim)).await;

    check_for_updates_in_about(&app).await;
    let refused = app.text_of("#update-error").await;
    assert!(
        refused.starts_with(
            "The update to 0.2.0 was refused: its signature does not match this app's update key"
        ),
        "{refused}"
    );
    assert!(refused.contains("Nothing was installed"), "{refused}");
    assert!(!app.exists("#install-update-about").await);
    app.screenshot("update-refused").await;
    // The quiet check at start met the same file and said nothing in the window.
    let log = wait_for_log_line(app.data_home.path(), "update to 0.2.0 refused").await;
    assert!(log.contains("BadSignature"), "{log}");
    assert!(!app.exists("#update-banner").await);
    app.close().await;
}
