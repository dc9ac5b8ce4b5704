//! Launching the real app binary under tauri-driver and talking WebDriver to it.
// Each end-to-end test binary (e2e, e2e_editors, e2e_ship) uses a different part of this.
#![allow(dead_code)]

pub mod desktop_bus;
pub mod x11;

use fantoccini::{Client, ClientBuilder, Locator};
use std::net::{SocketAddr, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const DRIVER_PORT: u16 = 4444;
const NATIVE_PORT: u16 = 4445;

/// Only one app session at a time: tauri-driver's ports are fixed, and two WebKit windows on a
/// two-core machine would only slow each other down.
static ONE_SESSION: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

pub struct AppSession {
    /// First, so the drivers and the app are gone before anything else of the session is.
    driver: DriverProcess,
    pub client: Client,
    /// The app's own data folder (XDG_DATA_HOME), fresh for each session.
    pub data_home: tempfile::TempDir,
    _turn: tokio::sync::MutexGuard<'static, ()>,
}

/// tauri-driver in a process group of its own, with WebKitWebDriver and the app in it; ended
/// whole when dropped, also when a launch fails half-way, so the next test finds the port free.
struct DriverProcess(Child);

impl Drop for DriverProcess {
    fn drop(&mut self) {
        let group = format!("-{}", self.0.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.0.wait();
    }
}

impl AppSession {
    /// Starts tauri-driver, which starts WebKitWebDriver, which starts the app binary cargo
    /// built for this test run (it embeds ui/dist, so no dev server is involved). `env` reaches
    /// the app through both drivers.
    pub async fn launch(env: &[(&str, String)]) -> Self {
        Self::launch_in(tempfile::tempdir().unwrap(), env).await
    }

    /// As [`AppSession::launch`], with `data_home` (XDG_DATA_HOME) prepared by the test, e.g.
    /// with the files an earlier version left.
    pub async fn launch_in(data_home: tempfile::TempDir, env: &[(&str, String)]) -> Self {
        let turn = ONE_SESSION.lock().await;
        let driver_addr = SocketAddr::from(([127, 0, 0, 1], DRIVER_PORT));
        assert!(
            TcpStream::connect_timeout(&driver_addr, Duration::from_millis(200)).is_err(),
            "port {DRIVER_PORT} is taken: a tauri-driver from an earlier run is still alive (pkill tauri-driver)"
        );
        let driver = DriverProcess(
            Command::new(tauri_driver())
                .env("XDG_DATA_HOME", data_home.path())
                // The window-state plugin writes here; each session starts from the configured size.
                .env("XDG_CONFIG_HOME", data_home.path().join("config"))
                // The app as shipped decides how the webview composites and runs JavaScript,
                // whatever this shell says.
                .env_remove("WEBKIT_DISABLE_COMPOSITING_MODE")
                .env_remove("JSC_useDFGJIT")
                .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
                .args([
                    "--port",
                    &DRIVER_PORT.to_string(),
                    "--native-port",
                    &NATIVE_PORT.to_string(),
                ])
                .args(["--native-driver", "/usr/bin/WebKitWebDriver"])
                // Its own process group, so WebKitWebDriver and the app go down with it even when a
                // test panics before closing the session.
                .process_group(0)
                .stdout(Stdio::null())
                .stderr(Stdio::inherit())
                .spawn()
                .expect("tauri-driver must be installed (./x setup installs it)"),
        );
        wait_for_port(DRIVER_PORT, Duration::from_secs(20));
        // tauri-driver listens before the WebKitWebDriver it starts does, and answers a session
        // request that arrives in between by dropping the connection.
        wait_for_port(NATIVE_PORT, Duration::from_secs(20));

        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), "wry".into());
        caps.insert(
            "tauri:options".into(),
            serde_json::json!({ "application": env!("CARGO_BIN_EXE_push3-desk") }),
        );
        let client = ClientBuilder::rustls()
            .expect("rustls client")
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{DRIVER_PORT}"))
            .await
            .expect("WebDriver session with the app");
        Self {
            client,
            data_home,
            driver,
            _turn: turn,
        }
    }

    /// The element `css`, once it is there.
    pub async fn element(&self, css: &str) -> fantoccini::elements::Element {
        self.client
            .wait()
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"))
    }

    /// Chooses `value` in the select `css`, once the element is there.
    pub async fn select(&self, css: &str, value: &str) {
        let el = self.element(css).await;
        el.select_by_value(value)
            .await
            .unwrap_or_else(|e| panic!("select {value} in {css}: {e}"));
    }

    /// Whether an element matches `css` now.
    pub async fn exists(&self, css: &str) -> bool {
        self.client.find(Locator::Css(css)).await.is_ok()
    }

    /// Waits until the element exists and has non-empty text, and returns that text.
    pub async fn text_of(&self, css: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Ok(el) = self.client.find(Locator::Css(css)).await {
                let text = el.text().await.unwrap_or_default();
                if !text.is_empty() {
                    return text;
                }
            }
            assert!(Instant::now() < deadline, "no text in {css} after 10 s");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until the element's `data-state` is one of `states`, and returns it.
    pub async fn wait_for_state(&self, css: &str, states: &[&str], timeout: Duration) -> String {
        let deadline = Instant::now() + timeout;
        loop {
            if let Ok(el) = self.client.find(Locator::Css(css)).await {
                if let Ok(Some(state)) = el.attr("data-state").await {
                    if states.contains(&state.as_str()) {
                        return state;
                    }
                }
            }
            assert!(
                Instant::now() < deadline,
                "{css} did not reach {states:?} in {timeout:?}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until no element matches `css` (a removed item has left the page).
    pub async fn wait_until_absent(&self, css: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while self.client.find(Locator::Css(css)).await.is_ok() {
            assert!(Instant::now() < deadline, "{css} still present after 10 s");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub async fn click(&self, css: &str) {
        let el = self.element(css).await;
        el.click()
            .await
            .unwrap_or_else(|e| panic!("click {css}: {e}"));
    }

    pub async fn type_into(&self, css: &str, text: &str) {
        let el = self.element(css).await;
        el.clear().await.unwrap();
        el.send_keys(text).await.unwrap();
    }

    /// Saves a PNG of the window into target/e2e-shots/NAME.png, after two animation frames so
    /// the picture shows the DOM as it is now rather than the previous paint.
    ///
    /// The picture is read from the X server (ImageMagick's `import`), as a user would see it:
    /// WebDriver's Take Screenshot never answers while WebKitGTK 2.50 runs without compositing,
    /// which is how the app runs on Linux (src-tauri/src/rendering.rs).
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        self.client
            .execute_async(
                "const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(() => done()));",
                vec![],
            )
            .await
            .expect("animation frame");
        // The frame is painted; the window's copy of it reaches the X server a moment later, so
        // the screen is read until two readings agree rather than after a guessed delay.
        let (x, y, width, height) = self.client.get_window_rect().await.expect("window rect");
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/e2e-shots");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("{name}.png"));
        let capture = |to: &std::path::Path| {
            let status = Command::new("import")
                .args([
                    "-window",
                    "root",
                    "-crop",
                    &format!("{width}x{height}+{x}+{y}"),
                    "+repage",
                    // No metadata, so two readings of the same pixels are the same bytes.
                    "-strip",
                ])
                .arg(to)
                .status()
                .expect("ImageMagick's import (./x setup installs it)");
            assert!(
                status.success(),
                "import could not capture the screen: {status}"
            );
            std::fs::read(to).unwrap()
        };
        let mut previous = capture(&path);
        for _ in 0..20 {
            let now = capture(&path);
            if now == previous {
                break;
            }
            previous = now;
        }
        path
    }

    /// Ends the app as a crash would (the drivers' process group is killed), then starts it
    /// again on the same data folder: what it kept, it finds.
    pub async fn restart(self, env: &[(&str, String)]) -> Self {
        let Self {
            driver,
            client,
            data_home,
            _turn,
        } = self;
        drop(client);
        drop(driver);
        drop(_turn);
        Self::launch_in(data_home, env).await
    }

    pub async fn close(self) {
        let _ = self.client.clone().close().await;
        // Drop ends the drivers.
    }

    /// The app's own data folder under XDG_DATA_HOME, named by its identifier.
    pub fn app_data_dir(&self) -> PathBuf {
        self.data_home.path().join(push3_inventory::APP_IDENTIFIER)
    }

    /// The app's audit log, opened as `push3 history` opens it.
    pub fn audit_log(&self) -> push3_audit::AuditLog {
        push3_audit::AuditLog::open(self.app_data_dir().join(push3_audit::FILE_NAME)).unwrap()
    }

    /// The process group of tauri-driver, which WebKitWebDriver, the app and the app's WebKit
    /// processes all belong to.
    pub fn process_group(&self) -> u32 {
        self.driver.0.id()
    }

    /// Every file under the app's data folder, as text, for searching for secrets.
    pub fn data_files_text(&self) -> String {
        let mut out = String::new();
        let mut stack = vec![self.data_home.path().to_path_buf()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else if let Ok(bytes) = std::fs::read(&path) {
                    out.push_str(&String::from_utf8_lossy(&bytes));
                }
            }
        }
        out
    }
}

fn tauri_driver() -> PathBuf {
    if let Ok(path) = std::env::var("TAURI_DRIVER") {
        return path.into();
    }
    let cargo_home = std::env::var("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(std::env::var("HOME").unwrap()).join(".cargo"));
    cargo_home.join("bin/tauri-driver")
}

fn wait_for_port(port: u16, timeout: Duration) {
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let deadline = Instant::now() + timeout;
    while TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err() {
        assert!(
            Instant::now() < deadline,
            "tauri-driver did not listen on {port}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The OS log folder tauri-plugin-log writes to on Linux, under XDG_DATA_HOME.
pub fn log_dir(data_home: &Path) -> PathBuf {
    data_home.join(push3_inventory::APP_IDENTIFIER).join("logs")
}

/// Every log file's text, rotated ones included.
pub fn log_text(data_home: &Path) -> String {
    let mut text = String::new();
    for entry in std::fs::read_dir(log_dir(data_home))
        .into_iter()
        .flatten()
        .flatten()
    {
        text.push_str(&String::from_utf8_lossy(
            &std::fs::read(entry.path()).unwrap(),
        ));
    }
    text
}

/// Waits until the log holds `line`, and returns the whole log. The log is another process's
/// file, so it is polled; the wait yields to the runtime, which keeps serving the simulator.
pub async fn wait_for_log_line(data_home: &Path, line: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let text = log_text(data_home);
        if text.contains(line) {
            return text;
        }
        assert!(Instant::now() < deadline, "no {line:?} in the log:\n{text}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Waits until the element's text holds `needle`, and returns the text.
pub async fn wait_for_text(app: &AppSession, css: &str, needle: &str) -> String {
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        if let Ok(el) = app.client.find(Locator::Css(css)).await {
            let text = el.text().await.unwrap_or_default();
            if text.contains(needle) {
                return text;
            }
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{css} never said {needle:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
