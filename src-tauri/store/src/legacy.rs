//! The files earlier versions kept in the data dir, taken into a new database once.
//!
//! Version 0.1 kept the inventory in `inventory.json`, the known settings in
//! `known-settings.json`, the saved templates in `templates/` (a JSON file each) and the audit
//! log in `audit.sqlite3`. When the database is created, in
//! the same transaction that creates its tables, each file that exists is read in whole; a file
//! that cannot be read whole stops the import with its name and the first bad field, so nothing
//! is half-imported and the user can mend the file and start again.
//!
//! Once the database is committed, the two JSON files and the templates folder are renamed to
//! `*.imported.bak`: kept as they were, but no longer mistaken for the live data. A template file
//! that is not JSON or has no name cannot be keyed in the table; it stays in the renamed folder. If the process dies between the commit
//! and the renames, the next open does them (`legacy_imports` says what was imported). The old
//! audit log is only read, never moved: it is its own backup.
//!
//! The JSON is read as plain JSON rather than through the inventory's types, which may change;
//! what is imported here is the layout 0.1 wrote.

use crate::error::{Result, StoreError};
use rusqlite::{Connection, Transaction};
use serde_json::Value;
use std::path::{Path, PathBuf};

pub const INVENTORY_FILE: &str = "inventory.json";
pub const KNOWN_SETTINGS_FILE: &str = "known-settings.json";
pub const AUDIT_FILE: &str = "audit.sqlite3";
pub const TEMPLATES_FOLDER: &str = "templates";
/// Appended to an imported file's name when it is set aside.
pub const BACKUP_SUFFIX: &str = ".imported.bak";

/// The name an imported file is kept under.
pub fn backup_path(data_dir: &Path, file: &str) -> PathBuf {
    data_dir.join(format!("{file}{BACKUP_SUFFIX}"))
}

const LEGACY_AUDIT: &str = "legacy_audit";

/// Attaches `audit.sqlite3` when it exists; true when attached. By its plain path, not a
/// read-only `file:` URI: such a URI is spelled differently on Windows (`file:///C:/…`), and
/// the import only ever reads from it.
pub(crate) fn attach_audit(conn: &Connection, data_dir: &Path) -> Result<bool> {
    let path = data_dir.join(AUDIT_FILE);
    if !path.is_file() {
        return Ok(false);
    }
    conn.execute(
        &format!("ATTACH DATABASE ?1 AS {LEGACY_AUDIT}"),
        [path.to_string_lossy()],
    )
    .map_err(|e| StoreError::database(&format!("open the old audit log {}", path.display()), e))?;
    Ok(true)
}

pub(crate) fn detach_audit(conn: &Connection) {
    // Best effort: the connection is only used for this database afterwards.
    let _ = conn.execute_batch(&format!("DETACH DATABASE {LEGACY_AUDIT}"));
}

/// Imports every old file there is, inside the transaction that creates the database.
pub(crate) fn import(tx: &Transaction<'_>, data_dir: &Path, audit_attached: bool) -> Result<()> {
    if let Some(document) = read_json(data_dir, INVENTORY_FILE)? {
        let items = import_inventory(tx, &document, &data_dir.join(INVENTORY_FILE))?;
        record(tx, INVENTORY_FILE, items, true)?;
    }
    if let Some(document) = read_json(data_dir, KNOWN_SETTINGS_FILE)? {
        let items = import_known_settings(tx, &document, &data_dir.join(KNOWN_SETTINGS_FILE))?;
        record(tx, KNOWN_SETTINGS_FILE, items, true)?;
    }
    if data_dir.join(TEMPLATES_FOLDER).is_dir() {
        let items = import_templates(tx, &data_dir.join(TEMPLATES_FOLDER))?;
        record(tx, TEMPLATES_FOLDER, items, true)?;
    }
    if audit_attached {
        let items = import_audit(tx)?;
        record(tx, AUDIT_FILE, items, false)?;
    }
    Ok(())
}

/// Each `*.json` file of the folder, under the name it carries; the template itself is checked
/// when it is read, as any other.
fn import_templates(tx: &Transaction<'_>, folder: &Path) -> Result<usize> {
    let entries =
        std::fs::read_dir(folder).map_err(|e| StoreError::io("read the folder", folder, &e))?;
    let mut imported = 0;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let Some(name) = serde_json::from_str::<Value>(&text)
            .ok()
            .and_then(|v| v.get("name").and_then(Value::as_str).map(str::to_string))
        else {
            continue;
        };
        let modified_ms = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_millis() as i64);
        tx.execute(
            "INSERT INTO templates (name, json, saved_ms) VALUES (?1, ?2, ?3) \
             ON CONFLICT (name) DO NOTHING",
            (&name, &text, modified_ms),
        )
        .map_err(|e| StoreError::database("import the old templates", e))?;
        imported += 1;
    }
    Ok(imported)
}

/// Renames each imported JSON file that is still in place. Cheap when there is none: one read
/// of a table that holds at most three rows.
pub(crate) fn set_aside_imported(conn: &Connection, data_dir: &Path) -> Result<()> {
    let doing = "read which old files were imported";
    let db = |e| StoreError::database(doing, e);
    let mut stmt = conn
        .prepare("SELECT file FROM legacy_imports WHERE backup IS NOT NULL")
        .map_err(db)?;
    let files: Vec<String> = stmt
        .query_map([], |row| row.get(0))
        .and_then(|rows| rows.collect())
        .map_err(db)?;
    for file in files {
        let original = data_dir.join(&file);
        let backup = backup_path(data_dir, &file);
        if original.exists() && !backup.exists() {
            std::fs::rename(&original, &backup)
                .map_err(|e| StoreError::io("set aside the imported file", &original, &e))?;
        }
    }
    Ok(())
}

fn record(tx: &Transaction<'_>, file: &str, items: usize, set_aside: bool) -> Result<()> {
    let backup = set_aside.then(|| format!("{file}{BACKUP_SUFFIX}"));
    tx.execute(
        "INSERT INTO legacy_imports (file, imported_ms, items, backup) VALUES (?1, ?2, ?3, ?4)",
        (
            file,
            chrono::Utc::now().timestamp_millis(),
            items as i64,
            backup,
        ),
    )
    .map_err(|e| StoreError::database("record the import of an old file", e))?;
    Ok(())
}

fn read_json(data_dir: &Path, file: &str) -> Result<Option<Value>> {
    let path = data_dir.join(file);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(StoreError::io("read the old file", &path, &e)),
    };
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|e| damaged(&path, &format!("it is not JSON ({e})")))
}

fn damaged(path: &Path, why: &str) -> StoreError {
    StoreError::Corrupt {
        message: format!(
            "Could not import {}: {why}. Mend the file or move it aside, then start Push3 Desk \
             again; nothing was imported.",
            path.display()
        ),
    }
}

/// The fields of one JSON object, each read with the path of the field for the error.
struct Fields<'v> {
    object: &'v serde_json::Map<String, Value>,
    at: String,
    file: &'v Path,
}

impl<'v> Fields<'v> {
    fn of(value: &'v Value, at: String, file: &'v Path) -> Result<Self> {
        match value.as_object() {
            Some(object) => Ok(Self { object, at, file }),
            None => Err(damaged(file, &format!("{at} is not an object"))),
        }
    }

    fn text(&self, name: &str) -> Result<&'v str> {
        self.object
            .get(name)
            .and_then(Value::as_str)
            .ok_or_else(|| self.bad(name, "a string"))
    }

    /// A text field 0.1 always wrote but that means "none" when empty.
    fn text_or_empty(&self, name: &str) -> Result<&'v str> {
        match self.object.get(name) {
            None | Some(Value::Null) => Ok(""),
            Some(_) => self.text(name),
        }
    }

    fn flag(&self, name: &str) -> Result<bool> {
        match self.object.get(name) {
            None => Ok(false),
            Some(v) => v.as_bool().ok_or_else(|| self.bad(name, "true or false")),
        }
    }

    fn list(&self, name: &str) -> Result<&'v [Value]> {
        match self.object.get(name) {
            None => Ok(&[]),
            Some(v) => v
                .as_array()
                .map(Vec::as_slice)
                .ok_or_else(|| self.bad(name, "a list")),
        }
    }

    fn bad(&self, name: &str, expected: &str) -> StoreError {
        damaged(
            self.file,
            &format!("{}.{name} is missing or not {expected}", self.at),
        )
    }
}

fn import_inventory(tx: &Transaction<'_>, document: &Value, path: &Path) -> Result<usize> {
    let root = Fields::of(document, "the file".into(), path)?;
    let version = root.object.get("schemaVersion").and_then(Value::as_i64);
    if version != Some(1) {
        return Err(damaged(
            path,
            &format!(
                "its schemaVersion is {}, and only version 1 files are imported",
                root.object
                    .get("schemaVersion")
                    .map(Value::to_string)
                    .unwrap_or_else(|| "missing".into())
            ),
        ));
    }
    let db = |e| StoreError::database("import the old inventory", e);
    let gateways = root.list("gateways")?;
    for (i, gateway) in gateways.iter().enumerate() {
        let g = Fields::of(gateway, format!("gateways[{i}]"), path)?;
        tx.execute(
            "INSERT INTO gateways (id, name, api_url, note, has_token, key_hint) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            (
                g.text("id")?,
                g.text("name")?,
                g.text("apiUrl")?,
                g.text_or_empty("note")?,
                g.flag("hasToken")?,
                g.text_or_empty("keyHint")?,
            ),
        )
        .map_err(db)?;
    }
    let meters = root.list("meters")?;
    for (i, meter) in meters.iter().enumerate() {
        let m = Fields::of(meter, format!("meters[{i}]"), path)?;
        let address = m.text("address")?;
        let gateway_id = m.text("gatewayId")?;
        if !gateways
            .iter()
            .any(|g| g.get("id").and_then(Value::as_str) == Some(gateway_id))
        {
            return Err(damaged(
                path,
                &format!("meters[{i}].gatewayId names no gateway of the file"),
            ));
        }
        tx.execute(
            "INSERT INTO meters (address, nickname, version, gateway_id, has_password) \
             VALUES (?1, ?2, ?3, ?4, ?5)",
            (
                address,
                m.text_or_empty("nickname")?,
                m.text("version")?,
                gateway_id,
                m.flag("hasPassword")?,
            ),
        )
        .map_err(db)?;
        for (position, tag) in m.list("tags")?.iter().enumerate() {
            let tag = tag
                .as_str()
                .ok_or_else(|| m.bad(&format!("tags[{position}]"), "a string"))?;
            tx.execute(
                "INSERT INTO meter_tags (address, position, tag) VALUES (?1, ?2, ?3)",
                (address, position as i64, tag),
            )
            .map_err(db)?;
        }
    }
    Ok(gateways.len() + meters.len())
}

fn import_known_settings(tx: &Transaction<'_>, document: &Value, path: &Path) -> Result<usize> {
    let Some(map) = document.as_object() else {
        return Err(damaged(path, "it is not an object"));
    };
    for (key, state) in map {
        // 0.1 keyed each meter's state by "<gateway id>/<meter address>"; ids are UUIDs.
        let Some((gateway_id, meter)) = key.split_once('/') else {
            return Err(damaged(
                path,
                &format!("the key {key:?} is not gateway/meter"),
            ));
        };
        if !state.is_object() {
            return Err(damaged(path, &format!("{key:?} is not an object")));
        }
        tx.execute(
            "INSERT INTO known_settings (gateway_id, meter, state) VALUES (?1, ?2, ?3)",
            (gateway_id, meter, state.to_string()),
        )
        .map_err(|e| StoreError::database("import the old known settings", e))?;
    }
    Ok(map.len())
}

/// Copies every entry of the old audit log. An entry that was still pending there can no longer
/// be finished by anyone, so it arrives as `interrupted`, with its msg_id if it had one.
fn import_audit(tx: &Transaction<'_>) -> Result<usize> {
    let doing = "import the old audit log";
    let db = |e| StoreError::database(doing, e);
    let has_entries: bool = tx
        .query_row(
            &format!(
                "SELECT count(*) FROM {LEGACY_AUDIT}.sqlite_schema \
                 WHERE type = 'table' AND name = 'entries'"
            ),
            [],
            |row| row.get::<_, i64>(0).map(|n| n > 0),
        )
        .map_err(db)?;
    if !has_entries {
        return Ok(0);
    }
    let copied = tx
        .execute(
            &format!(
                "INSERT INTO entries (id, time_ms, source, session, gateway_id, gateway_name, \
                 meter, command, params, summary, outcome, msg_id, error_text, round_trip_ms) \
                 SELECT id, time_ms, source, 0, gateway_id, gateway_name, meter, command, \
                 params, summary, \
                 CASE outcome WHEN 'pending' THEN 'interrupted' ELSE outcome END, \
                 msg_id, error_text, round_trip_ms FROM {LEGACY_AUDIT}.entries"
            ),
            [],
        )
        .map_err(db)?;
    Ok(copied)
}
