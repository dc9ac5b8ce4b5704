//! The utility rate imported for a meter, remembered for the Tariff data tab's cost estimate:
//! its name and each month's price per register. One per meter, in the store's `meter_rates`
//! table; importing another rate for the meter replaces it.

use super::MeterRateStore;
use chrono::{DateTime, TimeZone, Utc};
use push3::MeterAddress;
use push3_store::{SharedConnection, StoreError};
use serde::{Deserialize, Serialize};
use std::path::Path;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RememberedRate {
    pub name: String,
    pub utility: Option<String>,
    /// Per calendar month (January first), per register (T1 first), the price of a kWh ($/kWh,
    /// first tier); `None` where the rate counts nothing in that register that month.
    #[ts(as = "Vec<Vec<Option<f64>>>")]
    pub prices: [[Option<f64>; 4]; 12],
    /// When it was imported (RFC 3339); set by the store.
    #[serde(default)]
    #[ts(optional)]
    pub imported_at: Option<DateTime<Utc>>,
}

/// The `meter_rates` table.
pub struct RateShelf {
    conn: SharedConnection,
}

impl RateShelf {
    pub fn at(store_path: &Path) -> Self {
        Self {
            conn: SharedConnection::new(store_path.to_path_buf()),
        }
    }
}

impl MeterRateStore for RateShelf {
    fn get(
        &self,
        gateway_id: &str,
        meter: &MeterAddress,
    ) -> Result<Option<RememberedRate>, StoreError> {
        let conn = self.conn.lock()?;
        let row: Option<(String, i64)> = conn
            .prepare_cached(
                "SELECT json, saved_ms FROM meter_rates WHERE gateway_id = ?1 AND meter = ?2",
            )
            .and_then(|mut stmt| {
                let mut rows = stmt.query((gateway_id, meter.as_str()))?;
                rows.next()?.map(|r| Ok((r.get(0)?, r.get(1)?))).transpose()
            })
            .map_err(|e| StoreError::database("read the meter's utility rate", e))?;
        // A row this version cannot read is left alone and reads as none: no estimate beats a
        // wrong one.
        Ok(row.and_then(|(json, saved_ms)| {
            let mut rate: RememberedRate = serde_json::from_str(&json).ok()?;
            rate.imported_at = Utc.timestamp_millis_opt(saved_ms).single();
            Some(rate)
        }))
    }

    fn put(
        &self,
        gateway_id: &str,
        meter: &MeterAddress,
        rate: &RememberedRate,
    ) -> Result<RememberedRate, StoreError> {
        let imported_at = Utc::now();
        let stored = RememberedRate {
            imported_at: None,
            ..rate.clone()
        };
        let json = serde_json::to_string(&stored).expect("plain JSON");
        let conn = self.conn.lock()?;
        conn.prepare_cached(
            "INSERT INTO meter_rates (gateway_id, meter, json, saved_ms) VALUES (?1, ?2, ?3, ?4) \
             ON CONFLICT (gateway_id, meter) \
             DO UPDATE SET json = excluded.json, saved_ms = excluded.saved_ms",
        )
        .and_then(|mut upsert| {
            upsert.execute((
                gateway_id,
                meter.as_str(),
                json,
                imported_at.timestamp_millis(),
            ))
        })
        .map_err(|e| StoreError::database("remember the meter's utility rate", e))?;
        Ok(RememberedRate {
            imported_at: Some(imported_at),
            ..stored
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{LocalStore, Store};
    use crate::test_keychain::MemoryKeychain;
    use push3::{MeterVersion, Secret};
    use push3_inventory::{NewGateway, NewMeter};

    fn rate(name: &str) -> RememberedRate {
        let mut prices = [[None; 4]; 12];
        prices[0] = [Some(0.1), Some(0.3), None, None];
        RememberedRate {
            name: name.into(),
            utility: Some("Example Electric".into()),
            prices,
            imported_at: None,
        }
    }

    #[test]
    fn a_rate_is_kept_per_meter_replaced_by_the_next_and_removed_with_its_meter() {
        let dir = tempfile::tempdir().unwrap();
        let store = LocalStore::with_keychain(dir.path(), MemoryKeychain::default());
        let north = store
            .inventory()
            .add_gateway(NewGateway::new("North", Secret::new("key-0001")))
            .unwrap();
        let a = MeterAddress::parse("000350000900").unwrap();
        store
            .inventory()
            .add_meter(NewMeter::new(a.clone(), MeterVersion::V4, north.id.clone()))
            .unwrap();
        let rates = store.rates();
        assert_eq!(rates.get(north.id.as_str(), &a).unwrap(), None);
        rates.put(north.id.as_str(), &a, &rate("TOU-A")).unwrap();
        let kept = rates.put(north.id.as_str(), &a, &rate("TOU-B")).unwrap();
        assert!(kept.imported_at.is_some());
        // The same number on the demo gateway is another meter.
        rates.put("demo", &a, &rate("Demo")).unwrap();
        let read = rates.get(north.id.as_str(), &a).unwrap().unwrap();
        assert_eq!(read.name, "TOU-B");
        assert_eq!(read.prices, rate("x").prices);

        // Read again through a new store, as after a restart.
        let reopened = LocalStore::with_keychain(dir.path(), MemoryKeychain::default());
        assert_eq!(
            reopened
                .rates()
                .get(north.id.as_str(), &a)
                .unwrap()
                .unwrap()
                .name,
            "TOU-B"
        );
        reopened.inventory().remove_meter(&a).unwrap();
        assert_eq!(reopened.rates().get(north.id.as_str(), &a).unwrap(), None);
        assert_eq!(
            reopened.rates().get("demo", &a).unwrap().unwrap().name,
            "Demo"
        );
    }
}
