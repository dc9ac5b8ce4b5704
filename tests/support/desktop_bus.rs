//! The desktop's own services, stood in for on the tests' private D-Bus session: a notification
//! service (org.freedesktop.Notifications), which the notification plugin talks to, and a file
//! manager (org.freedesktop.FileManager1), which the opener's "show in folder" asks. Each writes
//! down what it was asked, where a real one would show it.
//!
//! One per test binary: a bus name has one owner, and tests in a binary share the session.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

/// A notification as the service received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    pub app_name: String,
    pub summary: String,
    pub body: String,
}

#[derive(Default)]
struct Seen {
    notifications: Mutex<Vec<Shown>>,
    revealed: Mutex<Vec<String>>,
}

struct Notifications(Arc<Seen>);

#[zbus::interface(name = "org.freedesktop.Notifications")]
impl Notifications {
    #[allow(clippy::too_many_arguments)]
    fn notify(
        &self,
        app_name: String,
        _replaces_id: u32,
        _app_icon: String,
        summary: String,
        body: String,
        _actions: Vec<String>,
        _hints: HashMap<String, zbus::zvariant::OwnedValue>,
        _expire_timeout: i32,
    ) -> u32 {
        let mut seen = self.0.notifications.lock().unwrap();
        seen.push(Shown {
            app_name,
            summary,
            body,
        });
        seen.len() as u32
    }

    fn get_capabilities(&self) -> Vec<String> {
        vec!["body".into()]
    }

    fn get_server_information(&self) -> (String, String, String, String) {
        (
            "push3-test".into(),
            "push3".into(),
            "1".into(),
            "1.2".into(),
        )
    }

    fn close_notification(&self, _id: u32) {}
}

struct FileManager(Arc<Seen>);

#[zbus::interface(name = "org.freedesktop.FileManager1")]
impl FileManager {
    fn show_items(&self, uris: Vec<String>, _startup_id: String) {
        self.0.revealed.lock().unwrap().extend(uris);
    }
}

pub struct DesktopBus {
    seen: Arc<Seen>,
    _connection: zbus::blocking::Connection,
}

impl DesktopBus {
    /// The test binary's stand-in, started on first use.
    pub fn get() -> &'static DesktopBus {
        static BUS: OnceLock<DesktopBus> = OnceLock::new();
        BUS.get_or_init(|| {
            assert!(
                std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some(),
                "needs a D-Bus session: run under dbus-run-session, as ./x test does"
            );
            let seen = Arc::new(Seen::default());
            let connection = zbus::blocking::connection::Builder::session()
                .unwrap()
                .name("org.freedesktop.Notifications")
                .unwrap()
                .name("org.freedesktop.FileManager1")
                .unwrap()
                .serve_at(
                    "/org/freedesktop/Notifications",
                    Notifications(seen.clone()),
                )
                .unwrap()
                .serve_at("/org/freedesktop/FileManager1", FileManager(seen.clone()))
                .unwrap()
                .build()
                .expect("the notification and file manager names are free on the test session");
            DesktopBus {
                seen,
                _connection: connection,
            }
        })
    }

    /// Every notification so far.
    pub fn notifications(&self) -> Vec<Shown> {
        self.seen.notifications.lock().unwrap().clone()
    }

    /// Every file URI the file manager was asked to show so far.
    pub fn revealed(&self) -> Vec<String> {
        self.seen.revealed.lock().unwrap().clone()
    }

    /// Waits up to 10 s for the first notification `matches` accepts.
    pub async fn wait_for_notification(&self, matches: impl Fn(&Shown) -> bool) -> Shown {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(n) = self.notifications().into_iter().find(|n| matches(n)) {
                return n;
            }
            assert!(
                Instant::now() < deadline,
                "no such notification; seen: {:?}",
                self.notifications()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits up to 10 s for the file manager to be asked to show `uri`.
    pub async fn wait_for_revealed(&self, uri: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while !self.revealed().iter().any(|r| r == uri) {
            assert!(
                Instant::now() < deadline,
                "{uri} was not shown; shown: {:?}",
                self.revealed()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}
