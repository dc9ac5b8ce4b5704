//! What is known of each meter's settings (push3::program::KnownState), kept in the one store
//! (`known_settings`), so "only what changed is sent" still holds tomorrow, and the app and every
//! `push3` process plan against the same knowledge. The app's demo gateway starts fresh with
//! every launch, so what is known of its meters is kept in memory only.
//!
//! Each outcome is folded in with one read-modify-write transaction per meter, so an app and a
//! CLI learning about different settings of one meter at once both keep what they learned.

use push3::program::KnownState;
use push3::{Command, MeterAddress, Outcome};
use push3_store::{write_transaction, SharedConnection, StoreError};
use rusqlite::{Connection, OptionalExtension};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Mutex;

pub struct KnownStore {
    conn: SharedConnection,
    /// The demo gateway's, by `(gateway id, meter)`.
    in_memory: Mutex<BTreeMap<(String, MeterAddress), KnownState>>,
}

impl KnownStore {
    /// The known settings of the store in `data_dir`; nothing is opened until the first use.
    pub fn open(data_dir: &Path) -> Self {
        Self {
            conn: SharedConnection::new(push3_store::path_in(data_dir)),
            in_memory: Mutex::default(),
        }
    }

    /// What is known of the meter. When the store cannot be read, nothing is: an unknown value
    /// only costs a re-send, a wrong one would skip a needed command.
    pub fn get(&self, gateway_id: &str, meter: &MeterAddress, persistent: bool) -> KnownState {
        if !persistent {
            return self
                .in_memory
                .lock()
                .expect("known lock")
                .get(&(gateway_id.to_string(), meter.clone()))
                .cloned()
                .unwrap_or_default();
        }
        self.conn
            .lock()
            .and_then(|conn| read(&conn, gateway_id, meter))
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
    ) -> Result<(), StoreError> {
        if !persistent {
            let mut map = self.in_memory.lock().expect("known lock");
            let state = map
                .entry((gateway_id.to_string(), meter.clone()))
                .or_default();
            learn(state, command, outcome);
            return Ok(());
        }
        let conn = self.conn.lock()?;
        write_transaction(&conn, "record what a command changed", |conn| {
            let mut state = read(conn, gateway_id, meter)?;
            let before = state.clone();
            learn(&mut state, command, outcome);
            if state == before {
                return Ok(());
            }
            let json = serde_json::to_string(&state).expect("KnownState serializes");
            conn.prepare_cached(
                "INSERT INTO known_settings (gateway_id, meter, state) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (gateway_id, meter) DO UPDATE SET state = excluded.state",
            )
            .and_then(|mut upsert| upsert.execute((gateway_id, meter.as_str(), json)))
            .map_err(|e| StoreError::database("record what a command changed", e))?;
            Ok(())
        })
    }
}

fn learn(state: &mut KnownState, command: &Command, outcome: &Outcome) {
    match outcome {
        Outcome::Confirmed { data, .. } => {
            state.record_confirmed(command, data.as_ref(), chrono::Utc::now())
        }
        Outcome::Unconfirmed => state.forget_written_by(command),
        Outcome::Failed { .. } | Outcome::Rejected { .. } => {}
    }
}

/// The stored state; one that no longer parses (written by a build with another shape) counts as
/// unknown, for the reason given at [`KnownStore::get`].
fn read(
    conn: &Connection,
    gateway_id: &str,
    meter: &MeterAddress,
) -> Result<KnownState, StoreError> {
    let json: Option<String> = conn
        .prepare_cached("SELECT state FROM known_settings WHERE gateway_id = ?1 AND meter = ?2")
        .and_then(|mut stmt| {
            stmt.query_row((gateway_id, meter.as_str()), |r| r.get(0))
                .optional()
        })
        .map_err(|e| StoreError::database("read what is known of a meter", e))?;
    Ok(json
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default())
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
    fn a_state_that_no_longer_parses_counts_as_unknown() {
        let dir = tempfile::tempdir().unwrap();
        let meter = MeterAddress::parse("300").unwrap();
        let store = KnownStore::open(dir.path());
        store
            .record("g-1", &meter, true, &ct(400), &confirmed())
            .unwrap();
        let conn = push3_store::open(&push3_store::path_in(dir.path())).unwrap();
        conn.execute("UPDATE known_settings SET state = '{\"ct_ratio\": 7}'", [])
            .unwrap();
        assert!(store.get("g-1", &meter, true).ct_ratio.is_none());
    }
}
