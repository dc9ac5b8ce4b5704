//! The inventory's tables in the one store (`push3-store`): gateways, meters and meter tags. They
//! carry no secret.
//!
//! A change is one SQLite transaction that takes the write lock first ([`InventoryTables::change`]):
//! it reads the inventory, the operation checks and changes it in memory, and [`Change::save`]
//! writes only the rows that differ and commits. Other processes' changes wait for the lock
//! instead of being overwritten, which is what made thirty `push3 meter add` at once keep three
//! meters when the inventory was a JSON file rewritten whole.

use crate::error::{InventoryError, Result};
use crate::model::{Gateway, GatewayId, Meter};
use push3::{MeterAddress, MeterVersion};
use push3_store::{ConnectionGuard, SharedConnection, StoreError};
use rusqlite::{Connection, OptionalExtension, Row};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The identifier the app is installed under (tauri.conf.json); its data dir is named after it.
pub const APP_IDENTIFIER: &str = "com.push3desk.Push3Desk";

/// The data dir the app uses (Tauri's `app_data_dir`: the platform data dir joined with the app
/// identifier), so the CLI and the app share one store.
pub fn default_data_dir() -> Result<PathBuf> {
    dirs::data_dir()
        .map(|dir| dir.join(APP_IDENTIFIER))
        .ok_or_else(|| InventoryError::io("Cannot find this user's data directory (is $HOME set?)"))
}

/// The whole inventory, as read in one transaction.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct InventoryDocument {
    pub gateways: Vec<Gateway>,
    pub meters: Vec<Meter>,
    /// The ids of the wire profiles loaded from files (the built-in ones are not stored).
    pub loaded_profiles: Vec<String>,
}

/// The inventory's connection to the store, opened at the first operation.
pub(crate) struct InventoryTables {
    conn: SharedConnection,
}

impl InventoryTables {
    pub fn in_dir(data_dir: &Path) -> Self {
        Self {
            conn: SharedConnection::new(push3_store::path_in(data_dir)),
        }
    }

    pub fn path(&self) -> &Path {
        self.conn.path()
    }

    /// The whole inventory, from one snapshot.
    pub fn load(&self) -> Result<InventoryDocument> {
        let conn = self.conn.lock()?;
        let doing = "read the inventory";
        conn.execute_batch("BEGIN DEFERRED")
            .map_err(|e| StoreError::database(doing, e))?;
        let document = read_document(&conn);
        let _ = conn.execute_batch("COMMIT");
        document
    }

    /// One gateway, read alone (every command sent reads its gateway).
    pub fn gateway(&self, id: &GatewayId) -> Result<Option<Gateway>> {
        let conn = self.conn.lock()?;
        conn.prepare_cached(&format!("{GATEWAY_COLUMNS} WHERE id = ?1"))
            .and_then(|mut stmt| stmt.query_row([id.as_str()], gateway_row).optional())
            .map_err(|e| StoreError::database("read a gateway", e).into())
    }

    /// One meter, read alone (every command sent reads its meter).
    pub fn meter(&self, address: &MeterAddress) -> Result<Option<Meter>> {
        let conn = self.conn.lock()?;
        let doing = "read a meter";
        let db = |e| InventoryError::from(StoreError::database(doing, e));
        let row = conn
            .prepare_cached(&format!("{METER_COLUMNS} WHERE address = ?1"))
            .and_then(|mut stmt| stmt.query_row([address.as_str()], meter_row).optional())
            .map_err(db)?;
        let Some(row) = row else { return Ok(None) };
        let tags = conn
            .prepare_cached("SELECT tag FROM meter_tags WHERE address = ?1 ORDER BY position")
            .and_then(|mut stmt| {
                stmt.query_map([address.as_str()], |r| r.get(0))?
                    .collect::<rusqlite::Result<Vec<String>>>()
            })
            .map_err(db)?;
        row.into_meter(tags).map(Some)
    }

    /// A loaded wire profile's file, as it was loaded.
    pub fn profile_json(&self, id: &str) -> Result<Option<String>> {
        let conn = self.conn.lock()?;
        conn.prepare_cached("SELECT json FROM wire_profiles WHERE id = ?1")
            .and_then(|mut stmt| stmt.query_row([id], |r| r.get(0)).optional())
            .map_err(|e| StoreError::database("read a wire profile", e).into())
    }

    /// Every loaded wire profile's file, by id.
    pub fn profile_jsons(&self) -> Result<Vec<String>> {
        let conn = self.conn.lock()?;
        conn.prepare_cached("SELECT json FROM wire_profiles ORDER BY id")
            .and_then(|mut stmt| stmt.query_map([], |r| r.get(0))?.collect())
            .map_err(|e| StoreError::database("read the wire profiles", e).into())
    }

    /// Starts a change: takes the store's write lock and reads the inventory under it.
    pub fn change(&self) -> Result<Change<'_>> {
        let conn = self.conn.lock()?;
        conn.execute_batch("BEGIN IMMEDIATE")
            .map_err(|e| StoreError::database("change the inventory", e))?;
        let mut change = Change {
            conn,
            before: InventoryDocument::default(),
            open: true,
        };
        change.before = read_document(change.conn())?;
        Ok(change)
    }
}

/// A change under way: the write lock is held until [`Change::save`] commits, or until it is
/// dropped, which rolls everything back.
pub(crate) struct Change<'t> {
    conn: ConnectionGuard<'t>,
    before: InventoryDocument,
    open: bool,
}

impl Change<'_> {
    /// The inventory as it is now, under the lock.
    pub fn document(&self) -> &InventoryDocument {
        &self.before
    }

    fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Keeps a loaded wire profile's file, replacing one of the same id; saved with the change.
    pub fn put_profile(&self, id: &str, json: &str) -> Result<()> {
        self.conn()
            .prepare_cached(
                "INSERT INTO wire_profiles (id, json, loaded_ms) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (id) DO UPDATE SET json = excluded.json, loaded_ms = excluded.loaded_ms",
            )
            .and_then(|mut stmt| stmt.execute((id, json, chrono_ms())))
            .map_err(|e| StoreError::database("keep a wire profile", e))?;
        Ok(())
    }

    /// Forgets a loaded wire profile's file; saved with the change.
    pub fn delete_profile(&self, id: &str) -> Result<()> {
        self.conn()
            .prepare_cached("DELETE FROM wire_profiles WHERE id = ?1")
            .and_then(|mut stmt| stmt.execute([id]))
            .map_err(|e| StoreError::database("remove a wire profile", e))?;
        Ok(())
    }

    /// Writes the rows that differ between the inventory as read and `after`, and commits.
    pub fn save(mut self, after: &InventoryDocument) -> Result<()> {
        write_differences(self.conn(), &self.before, after)
            .map_err(|e| StoreError::database("save the inventory", e))?;
        self.conn()
            .execute_batch("COMMIT")
            .map_err(|e| StoreError::database("save the inventory", e))?;
        self.open = false;
        Ok(())
    }
}

impl Drop for Change<'_> {
    fn drop(&mut self) {
        if self.open {
            let _ = self.conn().execute_batch("ROLLBACK");
        }
    }
}

const GATEWAY_COLUMNS: &str =
    "SELECT id, name, api_url, note, has_token, key_hint, wire_profile FROM gateways";
const METER_COLUMNS: &str =
    "SELECT address, nickname, version, gateway_id, has_password FROM meters";

fn gateway_row(row: &Row<'_>) -> rusqlite::Result<Gateway> {
    Ok(Gateway {
        id: GatewayId::from(row.get::<_, String>(0)?.as_str()),
        name: row.get(1)?,
        api_url: row.get(2)?,
        note: row.get(3)?,
        has_token: row.get(4)?,
        key_hint: row.get(5)?,
        wire_profile: row.get(6)?,
    })
}

fn chrono_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// A meter row before its text columns are parsed.
struct MeterRow {
    address: String,
    nickname: String,
    version: String,
    gateway_id: String,
    has_password: bool,
}

fn meter_row(row: &Row<'_>) -> rusqlite::Result<MeterRow> {
    Ok(MeterRow {
        address: row.get(0)?,
        nickname: row.get(1)?,
        version: row.get(2)?,
        gateway_id: row.get(3)?,
        has_password: row.get(4)?,
    })
}

impl MeterRow {
    fn into_meter(self, tags: Vec<String>) -> Result<Meter> {
        let damaged = |what: &str| {
            InventoryError::from(StoreError::Corrupt {
                message: format!(
                    "The database holds meter {:?} with {what}; restore the database from a \
                     backup or remove the meter",
                    self.address
                ),
            })
        };
        Ok(Meter {
            address: MeterAddress::parse(&self.address).map_err(|_| damaged("a bad address"))?,
            version: self
                .version
                .parse::<MeterVersion>()
                .map_err(|_| damaged("an unknown version"))?,
            nickname: self.nickname,
            gateway_id: GatewayId::from(self.gateway_id.as_str()),
            tags,
            has_password: self.has_password,
        })
    }
}

fn read_document(conn: &Connection) -> Result<InventoryDocument> {
    let doing = "read the inventory";
    let db = |e| InventoryError::from(StoreError::database(doing, e));
    let gateways = conn
        .prepare_cached(GATEWAY_COLUMNS)
        .and_then(|mut stmt| stmt.query_map([], gateway_row)?.collect())
        .map_err(db)?;
    let mut tags: HashMap<String, Vec<String>> = HashMap::new();
    conn.prepare_cached("SELECT address, tag FROM meter_tags ORDER BY address, position")
        .and_then(|mut stmt| {
            let mut rows = stmt.query([])?;
            while let Some(row) = rows.next()? {
                tags.entry(row.get(0)?).or_default().push(row.get(1)?);
            }
            Ok(())
        })
        .map_err(db)?;
    let rows: Vec<MeterRow> = conn
        .prepare_cached(&format!("{METER_COLUMNS} ORDER BY address"))
        .and_then(|mut stmt| stmt.query_map([], meter_row)?.collect())
        .map_err(db)?;
    let meters = rows
        .into_iter()
        .map(|row| {
            let tags = tags.remove(&row.address).unwrap_or_default();
            row.into_meter(tags)
        })
        .collect::<Result<_>>()?;
    let loaded_profiles = conn
        .prepare_cached("SELECT id FROM wire_profiles ORDER BY id")
        .and_then(|mut stmt| stmt.query_map([], |r| r.get(0))?.collect())
        .map_err(db)?;
    Ok(InventoryDocument {
        gateways,
        meters,
        loaded_profiles,
    })
}

/// Deletes what went, then upserts what is new or changed: gateways before their meters, so the
/// foreign keys hold at every statement. An upsert, not `INSERT OR REPLACE`, which would delete
/// a gateway's row (and cascade to its meters) to replace it.
fn write_differences(
    conn: &Connection,
    before: &InventoryDocument,
    after: &InventoryDocument,
) -> rusqlite::Result<()> {
    let gateways_before: HashMap<&GatewayId, &Gateway> =
        before.gateways.iter().map(|g| (&g.id, g)).collect();
    let meters_before: HashMap<&MeterAddress, &Meter> =
        before.meters.iter().map(|m| (&m.address, m)).collect();
    let gateways_after: HashMap<&GatewayId, &Gateway> =
        after.gateways.iter().map(|g| (&g.id, g)).collect();
    let meters_after: HashMap<&MeterAddress, &Meter> =
        after.meters.iter().map(|m| (&m.address, m)).collect();

    // A removed meter or gateway takes what is known of its meters' settings with it: a meter
    // added later at the same address must not be planned against a stranger's settings. Its
    // unsent editor drafts and its imported utility rate go too.
    for address in meters_before
        .keys()
        .filter(|a| !meters_after.contains_key(*a))
    {
        conn.prepare_cached("DELETE FROM meters WHERE address = ?1")?
            .execute([address.as_str()])?;
        conn.prepare_cached("DELETE FROM known_settings WHERE meter = ?1")?
            .execute([address.as_str()])?;
        conn.prepare_cached("DELETE FROM drafts WHERE meter = ?1 AND gateway_id = ?2")?
            .execute([address.as_str(), meters_before[address].gateway_id.as_str()])?;
        conn.prepare_cached("DELETE FROM meter_rates WHERE meter = ?1 AND gateway_id = ?2")?
            .execute([address.as_str(), meters_before[address].gateway_id.as_str()])?;
    }
    for id in gateways_before
        .keys()
        .filter(|id| !gateways_after.contains_key(*id))
    {
        conn.prepare_cached("DELETE FROM gateways WHERE id = ?1")?
            .execute([id.as_str()])?;
        conn.prepare_cached("DELETE FROM known_settings WHERE gateway_id = ?1")?
            .execute([id.as_str()])?;
        conn.prepare_cached("DELETE FROM drafts WHERE gateway_id = ?1")?
            .execute([id.as_str()])?;
        conn.prepare_cached("DELETE FROM meter_rates WHERE gateway_id = ?1")?
            .execute([id.as_str()])?;
    }
    for gateway in &after.gateways {
        if gateways_before.get(&gateway.id) == Some(&gateway) {
            continue;
        }
        conn.prepare_cached(
            "INSERT INTO gateways (id, name, api_url, note, has_token, key_hint, wire_profile) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) \
             ON CONFLICT (id) DO UPDATE SET name = excluded.name, api_url = excluded.api_url, \
             note = excluded.note, has_token = excluded.has_token, key_hint = excluded.key_hint, \
             wire_profile = excluded.wire_profile",
        )?
        .execute((
            gateway.id.as_str(),
            &gateway.name,
            &gateway.api_url,
            &gateway.note,
            gateway.has_token,
            &gateway.key_hint,
            &gateway.wire_profile,
        ))?;
    }
    for meter in &after.meters {
        let previous = meters_before.get(&meter.address);
        if previous == Some(&meter) {
            continue;
        }
        conn.prepare_cached(
            "INSERT INTO meters (address, nickname, version, gateway_id, has_password) \
             VALUES (?1, ?2, ?3, ?4, ?5) \
             ON CONFLICT (address) DO UPDATE SET nickname = excluded.nickname, \
             version = excluded.version, gateway_id = excluded.gateway_id, \
             has_password = excluded.has_password",
        )?
        .execute((
            meter.address.as_str(),
            &meter.nickname,
            meter.version.to_string(),
            meter.gateway_id.as_str(),
            meter.has_password,
        ))?;
        if previous.map(|p| &p.tags) != Some(&meter.tags) {
            conn.prepare_cached("DELETE FROM meter_tags WHERE address = ?1")?
                .execute([meter.address.as_str()])?;
            for (position, tag) in meter.tags.iter().enumerate() {
                conn.prepare_cached(
                    "INSERT INTO meter_tags (address, position, tag) VALUES (?1, ?2, ?3)",
                )?
                .execute((meter.address.as_str(), position as i64, tag))?;
            }
        }
    }
    Ok(())
}
