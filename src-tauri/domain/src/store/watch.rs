//! Telling the app that another process (a `push3` command, a script) changed the store, so the
//! sidebar, Fleet and History show it without a restart.
//!
//! One thread polls the store's `data_version` ([`push3_store::ChangeWatch`]) every
//! [`POLL_INTERVAL`] and tells the one subscriber which parts changed (inventory, audit log,
//! templates). The app's own writes count too (they go through other connections); the window
//! re-reads only the part that changed, so the commands of a bulk job refresh History, not a
//! sidebar of 10,000 meters.

use push3_store::{ChangeWatch, Changes};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, Once};
use std::time::Duration;
use ts_rs::TS;

/// Half a second: a change shows within a second of its commit, inside the 2 s the user waits
/// at most, for one read of shared memory per tick.
pub const POLL_INTERVAL: Duration = Duration::from_millis(500);

/// Which parts of the store changed, as the window hears of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub struct StoreChange {
    /// Gateways, meters or their tags.
    pub inventory: bool,
    /// The audit log: a command recorded, accepted or settled.
    pub audit: bool,
    pub templates: bool,
}

impl From<Changes> for StoreChange {
    fn from(c: Changes) -> Self {
        Self {
            inventory: c.inventory,
            audit: c.audit,
            templates: c.templates,
        }
    }
}

type Subscriber = Box<dyn Fn(StoreChange) -> bool + Send>;

pub struct StoreWatcher {
    path: PathBuf,
    subscriber: Arc<Mutex<Option<Subscriber>>>,
    started: Once,
}

impl StoreWatcher {
    /// Watches the store at `path` once someone subscribes.
    pub fn new(path: &Path) -> Self {
        Self {
            path: path.to_path_buf(),
            subscriber: Arc::default(),
            started: Once::new(),
        }
    }

    /// `notify` is called after each change, until it returns false (its window is gone). A new
    /// subscriber replaces the old one: a reloaded page subscribes again.
    pub fn subscribe(&self, notify: impl Fn(StoreChange) -> bool + Send + 'static) {
        *self.subscriber.lock().expect("store watch lock") = Some(Box::new(notify));
        self.started.call_once(|| {
            let path = self.path.clone();
            let subscriber = Arc::clone(&self.subscriber);
            std::thread::Builder::new()
                .name("store-watch".into())
                .spawn(move || watch(&path, &subscriber))
                .expect("a thread for the store watch");
        });
    }
}

fn watch(path: &Path, subscriber: &Mutex<Option<Subscriber>>) {
    let mut watch = match ChangeWatch::open(path) {
        Ok(watch) => watch,
        Err(e) => {
            log::warn!(
                "changes by other processes will not show until a restart: {}",
                e.message()
            );
            return;
        }
    };
    loop {
        std::thread::sleep(POLL_INTERVAL);
        let changes = match watch.changes() {
            Ok(changes) if changes.any() => changes,
            // Nothing changed, or a busy or failing read, retried at the next tick.
            _ => continue,
        };
        let mut subscriber = subscriber.lock().expect("store watch lock");
        if let Some(notify) = subscriber.as_ref() {
            if !notify(changes.into()) {
                *subscriber = None;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    #[test]
    fn a_commit_by_another_process_reaches_the_subscriber() {
        let dir = tempfile::tempdir().unwrap();
        let path = push3_store::path_in(dir.path());
        let writer = push3_store::open(&path).unwrap();
        let watcher = StoreWatcher::new(&path);
        let (tx, rx) = mpsc::channel();
        watcher.subscribe(move |changes| tx.send(changes).is_ok());
        // Let the watch take its first reading before the write.
        std::thread::sleep(POLL_INTERVAL * 2);
        writer
            .execute(
                "INSERT INTO gateways (id, name, api_url, note, has_token, key_hint) \
                 VALUES ('g', 'North', 'https://x', '', 0, '')",
                [],
            )
            .unwrap();
        let changes = rx
            .recv_timeout(Duration::from_secs(2))
            .expect("told within 2 s");
        assert!(changes.inventory && !changes.audit, "{changes:?}");
        assert!(
            rx.recv_timeout(POLL_INTERVAL * 3).is_err(),
            "told once for one commit"
        );
    }
}
