//! Drafts: what a user changed in one of a meter's editors and has not sent, kept outside the
//! editor so that a tab switch, another meter, a crash or a restart loses nothing. The app keeps
//! one draft per meter and editor, as the editor's own JSON, in the store's `drafts` table; the
//! domain does not read it.

use super::DraftStore;
use chrono::{DateTime, TimeZone, Utc};
use push3::MeterAddress;
use push3_store::{SharedConnection, StoreError};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::path::Path;
use ts_rs::TS;

/// Which editor a draft belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DraftPart {
    /// The Time of use tab's program.
    Tou,
    /// The Display tab's list.
    Lcd,
    /// The Settings tab's form.
    Settings,
    /// The Advanced tab's command and JSON.
    Advanced,
}

impl DraftPart {
    const ALL: [DraftPart; 4] = [Self::Tou, Self::Lcd, Self::Settings, Self::Advanced];

    fn as_str(self) -> &'static str {
        match self {
            Self::Tou => "tou",
            Self::Lcd => "lcd",
            Self::Settings => "settings",
            Self::Advanced => "advanced",
        }
    }

    fn from_stored(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == text)
    }
}

/// One meter's unsent edit in one editor.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Draft {
    pub gateway_id: String,
    pub meter: String,
    pub part: DraftPart,
    /// The editor's state, as it wrote it.
    pub value: Value,
    /// When it was last saved (RFC 3339).
    pub saved_at: DateTime<Utc>,
}

/// The `drafts` table.
pub struct DraftShelf {
    conn: SharedConnection,
}

impl DraftShelf {
    pub fn at(store_path: &Path) -> Self {
        Self {
            conn: SharedConnection::new(store_path.to_path_buf()),
        }
    }
}

impl DraftStore for DraftShelf {
    fn list(&self) -> Result<Vec<Draft>, StoreError> {
        let conn = self.conn.lock()?;
        let rows: Vec<(String, String, String, String, i64)> = conn
            .prepare_cached(
                "SELECT gateway_id, meter, part, json, saved_ms FROM drafts \
                 ORDER BY saved_ms DESC, gateway_id, meter, part",
            )
            .and_then(|mut stmt| {
                stmt.query_map([], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
                })?
                .collect()
            })
            .map_err(|e| StoreError::database("read the unsent drafts", e))?;
        // A row this version cannot read (an editor a newer version added, damaged JSON) stays
        // in the table untouched rather than being shown wrong.
        Ok(rows
            .into_iter()
            .filter_map(|(gateway_id, meter, part, json, saved_ms)| {
                Some(Draft {
                    gateway_id,
                    meter,
                    part: DraftPart::from_stored(&part)?,
                    value: serde_json::from_str(&json).ok()?,
                    saved_at: Utc.timestamp_millis_opt(saved_ms).single()?,
                })
            })
            .collect())
    }

    fn put(
        &self,
        gateway_id: &str,
        meter: &MeterAddress,
        part: DraftPart,
        value: &Value,
    ) -> Result<Draft, StoreError> {
        let saved_at = Utc::now();
        let conn = self.conn.lock()?;
        conn.prepare_cached(
            "INSERT INTO drafts (gateway_id, meter, part, json, saved_ms) \
             VALUES (?1, ?2, ?3, ?4, ?5) \
             ON CONFLICT (gateway_id, meter, part) \
             DO UPDATE SET json = excluded.json, saved_ms = excluded.saved_ms",
        )
        .and_then(|mut upsert| {
            upsert.execute((
                gateway_id,
                meter.as_str(),
                part.as_str(),
                value.to_string(),
                saved_at.timestamp_millis(),
            ))
        })
        .map_err(|e| StoreError::database("keep the unsent draft", e))?;
        Ok(Draft {
            gateway_id: gateway_id.to_string(),
            meter: meter.to_string(),
            part,
            value: value.clone(),
            saved_at,
        })
    }

    fn remove(
        &self,
        gateway_id: &str,
        meter: &MeterAddress,
        part: DraftPart,
    ) -> Result<(), StoreError> {
        let conn = self.conn.lock()?;
        conn.prepare_cached(
            "DELETE FROM drafts WHERE gateway_id = ?1 AND meter = ?2 AND part = ?3",
        )
        .and_then(|mut delete| delete.execute((gateway_id, meter.as_str(), part.as_str())))
        .map_err(|e| StoreError::database("discard the draft", e))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{LocalStore, Store};
    use crate::test_keychain::MemoryKeychain;
    use push3::{MeterVersion, Secret};
    use push3_inventory::{NewGateway, NewMeter};
    use serde_json::json;

    #[test]
    fn a_removed_meter_or_gateway_takes_its_drafts_and_no_other() {
        let dir = tempfile::tempdir().unwrap();
        let store = LocalStore::with_keychain(dir.path(), MemoryKeychain::default());
        let inventory = store.inventory();
        let north = inventory
            .add_gateway(NewGateway::new("North", Secret::new("key-0001")))
            .unwrap();
        let south = inventory
            .add_gateway(NewGateway::new("South", Secret::new("key-0002")))
            .unwrap();
        let a = MeterAddress::parse("000350000900").unwrap();
        let b = MeterAddress::parse("000350000901").unwrap();
        inventory
            .add_meter(NewMeter::new(a.clone(), MeterVersion::V4, north.id.clone()))
            .unwrap();
        inventory
            .add_meter(NewMeter::new(b.clone(), MeterVersion::V4, south.id.clone()))
            .unwrap();
        let drafts = store.drafts();
        let value = json!({"display_fields": ["kWh_Tot"]});
        drafts
            .put(north.id.as_str(), &a, DraftPart::Lcd, &value)
            .unwrap();
        drafts
            .put(south.id.as_str(), &b, DraftPart::Lcd, &value)
            .unwrap();
        // The demo gateway's meter with the same number is another meter.
        drafts.put("demo", &a, DraftPart::Tou, &value).unwrap();
        let kept = |store: &LocalStore<MemoryKeychain>| {
            let mut kept: Vec<_> = store
                .drafts()
                .list()
                .unwrap()
                .into_iter()
                .map(|d| (d.gateway_id, d.part))
                .collect();
            kept.sort();
            kept
        };

        inventory.remove_meter(&a).unwrap();
        let mut expected = vec![
            ("demo".to_string(), DraftPart::Tou),
            (south.id.to_string(), DraftPart::Lcd),
        ];
        expected.sort();
        assert_eq!(kept(&store), expected);
        inventory.remove_gateway(&south.id).unwrap();
        assert_eq!(kept(&store), [("demo".to_string(), DraftPart::Tou)]);
    }
}
