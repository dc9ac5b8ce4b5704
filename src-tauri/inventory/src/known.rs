//! What is known of each meter's settings (push3::program::KnownState), kept across restarts in
//! `known-settings.json` next to the inventory, so "only what changed is sent" still holds
//! tomorrow, and the app and the `push3` CLI plan against the same knowledge. The app's demo
//! gateway starts fresh with every launch, so what is known of its meters is kept in memory only.

use push3::program::KnownState;
use push3::{Command, MeterAddress, Outcome};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Mutex;

pub const FILE_NAME: &str = "known-settings.json";

/// Known state by `"<gateway id>/<meter address>"`.
type KnownMap = BTreeMap<String, KnownState>;

pub struct KnownStore {
    path: PathBuf,
    saved: Mutex<KnownMap>,
    in_memory: Mutex<KnownMap>,
}

impl KnownStore {
    /// Opens the store in `data_dir`. An unreadable file is set aside rather than trusted: an
    /// unknown value only costs a re-send, a wrong one would skip a needed command.
    pub fn open(data_dir: &std::path::Path) -> Self {
        let path = data_dir.join(FILE_NAME);
        let saved = match std::fs::read_to_string(&path) {
            Ok(text) => serde_json::from_str(&text).unwrap_or_else(|_| {
                let _ = std::fs::rename(&path, path.with_extension("json.unreadable"));
                KnownMap::new()
            }),
            Err(_) => KnownMap::new(),
        };
        Self {
            path,
            saved: Mutex::new(saved),
            in_memory: Mutex::new(KnownMap::new()),
        }
    }

    pub fn get(&self, gateway_id: &str, meter: &MeterAddress, persistent: bool) -> KnownState {
        self.map(persistent)
            .lock()
            .expect("known lock")
            .get(&key(gateway_id, meter))
            .cloned()
            .unwrap_or_default()
    }

    /// Records what the outcome of `command` says about the meter.
    pub fn record(
        &self,
        gateway_id: &str,
        meter: &MeterAddress,
        persistent: bool,
        command: &Command,
        outcome: &Outcome,
    ) -> std::io::Result<()> {
        let mut map = self.map(persistent).lock().expect("known lock");
        let state = map.entry(key(gateway_id, meter)).or_default();
        let before = state.clone();
        match outcome {
            Outcome::Confirmed { data, .. } => {
                state.record_confirmed(command, data.as_ref(), chrono::Utc::now())
            }
            Outcome::Unconfirmed => state.forget_written_by(command),
            Outcome::Failed { .. } | Outcome::Rejected { .. } => {}
        }
        if !persistent || *state == before {
            return Ok(());
        }
        self.save(&map)
    }

    /// Drops what is known under every key `which` accepts (a removed gateway's or meter's).
    pub fn forget(&self, which: impl Fn(&str) -> bool) -> std::io::Result<()> {
        let mut map = self.saved.lock().expect("known lock");
        let before = map.len();
        map.retain(|k, _| !which(k));
        if map.len() == before {
            return Ok(());
        }
        self.save(&map)
    }

    fn map(&self, persistent: bool) -> &Mutex<KnownMap> {
        if persistent {
            &self.saved
        } else {
            &self.in_memory
        }
    }

    fn save(&self, map: &KnownMap) -> std::io::Result<()> {
        let path = &self.path;
        let mut json = serde_json::to_vec_pretty(map).map_err(std::io::Error::other)?;
        json.push(b'\n');
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        crate::store::replace_atomically(path, |file| std::io::Write::write_all(file, &json))
    }
}

fn key(gateway_id: &str, meter: &MeterAddress) -> String {
    format!("{gateway_id}/{meter}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ct(ratio: u16) -> Command {
        Command::SetCTRatio { ct_ratio: ratio }
    }

    fn confirmed() -> Outcome {
        Outcome::Confirmed {
            data: None,
            timestamp: 0.0,
        }
    }

    #[test]
    fn confirmed_writes_survive_a_restart_and_demo_ones_do_not() {
        let dir = tempfile::tempdir().unwrap();
        let meter = MeterAddress::parse("300").unwrap();
        let store = KnownStore::open(dir.path());
        store
            .record("g-1", &meter, true, &ct(400), &confirmed())
            .unwrap();
        store
            .record("demo", &meter, false, &ct(800), &confirmed())
            .unwrap();
        assert_eq!(
            store.get("demo", &meter, false).ct_ratio.unwrap().value,
            800
        );

        let reopened = KnownStore::open(dir.path());
        assert_eq!(
            reopened.get("g-1", &meter, true).ct_ratio.unwrap().value,
            400
        );
        assert!(reopened.get("demo", &meter, false).ct_ratio.is_none());
        assert!(reopened.get("g-2", &meter, true).ct_ratio.is_none());
    }

    #[test]
    fn an_unconfirmed_write_makes_the_value_unknown_and_a_failed_one_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let meter = MeterAddress::parse("300").unwrap();
        let store = KnownStore::open(dir.path());
        store
            .record("g-1", &meter, true, &ct(400), &confirmed())
            .unwrap();
        let failed = Outcome::Failed {
            error: "no ACK".into(),
            timestamp: 0.0,
        };
        store
            .record("g-1", &meter, true, &ct(800), &failed)
            .unwrap();
        assert_eq!(store.get("g-1", &meter, true).ct_ratio.unwrap().value, 400);
        store
            .record("g-1", &meter, true, &ct(800), &Outcome::Unconfirmed)
            .unwrap();
        assert!(store.get("g-1", &meter, true).ct_ratio.is_none());
        assert!(KnownStore::open(dir.path())
            .get("g-1", &meter, true)
            .ct_ratio
            .is_none());
    }

    #[test]
    fn an_unreadable_file_is_set_aside_and_removal_forgets() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(FILE_NAME), "{not json").unwrap();
        let meter = MeterAddress::parse("300").unwrap();
        let store = KnownStore::open(dir.path());
        assert!(dir.path().join("known-settings.json.unreadable").exists());
        store
            .record("g-1", &meter, true, &ct(400), &confirmed())
            .unwrap();
        store.forget(|k| k.starts_with("g-1/")).unwrap();
        assert!(KnownStore::open(dir.path())
            .get("g-1", &meter, true)
            .ct_ratio
            .is_none());
    }
}
