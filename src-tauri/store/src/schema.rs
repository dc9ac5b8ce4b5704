//! The database's schema, versioned by `PRAGMA user_version`, and its migrations.

use crate::error::{Result, StoreError};
use crate::legacy;
use rusqlite::{Connection, TransactionBehavior};
use std::path::Path;

/// The schema this version writes. Bumped with every migration added to [`MIGRATIONS`].
pub const SCHEMA_VERSION: i64 = 4;

/// `MIGRATIONS[n]` takes a database from version `n` to `n + 1`. Never edit a released step: add
/// one.
const MIGRATIONS: [&str; SCHEMA_VERSION as usize] = [V1, V2, V3, V4];

/// The audit log (`entries`, `sessions`), as `audit.sqlite3` had it, plus when the API accepted
/// a command (`accepted_ms`, `channel`), the inventory, the known settings, and which files of
/// earlier versions were imported.
///
/// Audit times are Unix milliseconds (UTC): compact, ordered, and compared without parsing.
/// Every filter index ends in `time_ms` (and, implicitly, the rowid `id`), so a filtered page is
/// read newest first straight off one index, with the keyset cursor `(time_ms, id)` as its start.
/// `sessions` lists the open audit logs; `entries.session` names the one that began an entry, so
/// its pending entries can be settled when it dies.
///
/// A meter's tags are rows of their own, in the user's order, so `--tag` is an index look-up.
/// `revisions` counts the changes to each part a window shows (the inventory, the audit log, the
/// templates), kept by triggers, so a window told that the file changed re-reads only the part
/// that did: a bulk job's audit writes do not make it reload 10,000 meters.
/// Templates are kept as the JSON the app exports (`push3-fleet`'s versioned template file),
/// checked when read, so a template written by a newer version is refused then, not lost.
/// Known settings are kept as the JSON of `push3::program::KnownState`: they are only ever read
/// and written whole, per meter, inside one transaction.
const V1: &str = "
CREATE TABLE entries (
    id            INTEGER PRIMARY KEY,
    time_ms       INTEGER NOT NULL,
    source        TEXT NOT NULL,
    session       INTEGER NOT NULL,
    gateway_id    TEXT NOT NULL,
    gateway_name  TEXT NOT NULL,
    meter         TEXT NOT NULL,
    command       TEXT NOT NULL,
    params        TEXT NOT NULL,
    summary       TEXT NOT NULL,
    outcome       TEXT NOT NULL,
    msg_id        TEXT,
    error_text    TEXT,
    round_trip_ms INTEGER,
    accepted_ms   INTEGER,
    channel       TEXT
);
CREATE INDEX entries_by_time ON entries (time_ms);
CREATE INDEX entries_by_meter ON entries (meter, time_ms);
CREATE INDEX entries_by_gateway ON entries (gateway_id, time_ms);
CREATE INDEX entries_by_command ON entries (command, time_ms);
CREATE INDEX entries_by_outcome ON entries (outcome, time_ms);
CREATE TABLE sessions (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    lock_name TEXT NOT NULL,
    pid       INTEGER NOT NULL,
    opened_ms INTEGER NOT NULL
);
CREATE TABLE gateways (
    id        TEXT PRIMARY KEY,
    name      TEXT NOT NULL,
    api_url   TEXT NOT NULL,
    note      TEXT NOT NULL,
    has_token INTEGER NOT NULL,
    key_hint  TEXT NOT NULL
);
CREATE TABLE meters (
    address      TEXT PRIMARY KEY,
    nickname     TEXT NOT NULL,
    version      TEXT NOT NULL,
    gateway_id   TEXT NOT NULL REFERENCES gateways (id) ON DELETE CASCADE,
    has_password INTEGER NOT NULL
);
CREATE INDEX meters_by_gateway ON meters (gateway_id, address);
CREATE TABLE meter_tags (
    address  TEXT NOT NULL REFERENCES meters (address) ON DELETE CASCADE ON UPDATE CASCADE,
    position INTEGER NOT NULL,
    tag      TEXT NOT NULL,
    PRIMARY KEY (address, position)
);
CREATE INDEX meter_tags_by_tag ON meter_tags (tag, address);
CREATE TABLE known_settings (
    gateway_id TEXT NOT NULL,
    meter      TEXT NOT NULL,
    state      TEXT NOT NULL,
    PRIMARY KEY (gateway_id, meter)
);
CREATE TABLE templates (
    name     TEXT PRIMARY KEY,
    json     TEXT NOT NULL,
    saved_ms INTEGER NOT NULL
);
CREATE TABLE revisions (
    part     TEXT PRIMARY KEY,
    revision INTEGER NOT NULL
);
INSERT INTO revisions (part, revision) VALUES ('inventory', 0), ('audit', 0), ('templates', 0);
CREATE TRIGGER gateways_inserted AFTER INSERT ON gateways
    BEGIN UPDATE revisions SET revision = revision + 1 WHERE part = 'inventory'; END;
CREATE TRIGGER gateways_updated AFTER UPDATE ON gateways
    BEGIN UPDATE revisions SET revision = revision + 1 WHERE part = 'inventory'; END;
CREATE TRIGGER gateways_deleted AFTER DELETE ON gateways
    BEGIN UPDATE revisions SET revision = revision + 1 WHERE part = 'inventory'; END;
CREATE TRIGGER meters_inserted AFTER INSERT ON meters
    BEGIN UPDATE revisions SET revision = revision + 1 WHERE part = 'inventory'; END;
CREATE TRIGGER meters_updated AFTER UPDATE ON meters
    BEGIN UPDATE revisions SET revision = revision + 1 WHERE part = 'inventory'; END;
CREATE TRIGGER meters_deleted AFTER DELETE ON meters
    BEGIN UPDATE revisions SET revision = revision + 1 WHERE part = 'inventory'; END;
CREATE TRIGGER meter_tags_inserted AFTER INSERT ON meter_tags
    BEGIN UPDATE revisions SET revision = revision + 1 WHERE part = 'inventory'; END;
CREATE TRIGGER meter_tags_deleted AFTER DELETE ON meter_tags
    BEGIN UPDATE revisions SET revision = revision + 1 WHERE part = 'inventory'; END;
CREATE TRIGGER entries_inserted AFTER INSERT ON entries
    BEGIN UPDATE revisions SET revision = revision + 1 WHERE part = 'audit'; END;
CREATE TRIGGER entries_updated AFTER UPDATE ON entries
    BEGIN UPDATE revisions SET revision = revision + 1 WHERE part = 'audit'; END;
CREATE TRIGGER templates_inserted AFTER INSERT ON templates
    BEGIN UPDATE revisions SET revision = revision + 1 WHERE part = 'templates'; END;
CREATE TRIGGER templates_updated AFTER UPDATE ON templates
    BEGIN UPDATE revisions SET revision = revision + 1 WHERE part = 'templates'; END;
CREATE TRIGGER templates_deleted AFTER DELETE ON templates
    BEGIN UPDATE revisions SET revision = revision + 1 WHERE part = 'templates'; END;
CREATE TABLE legacy_imports (
    file        TEXT PRIMARY KEY,
    imported_ms INTEGER NOT NULL,
    items       INTEGER NOT NULL,
    backup      TEXT
);
";

/// The editors' drafts: what a user changed in a meter's editor and has not sent, one row per
/// meter and editor (`part`), kept as the editor's own JSON so an edit survives a tab switch, a
/// crash or a restart. The meter is not a foreign key: the demo gateway's meters are not in
/// `meters`. Removing a meter from the inventory removes its drafts (push3-inventory).
const V2: &str = "
CREATE TABLE drafts (
    gateway_id TEXT NOT NULL,
    meter      TEXT NOT NULL,
    part       TEXT NOT NULL,
    json       TEXT NOT NULL,
    saved_ms   INTEGER NOT NULL,
    PRIMARY KEY (gateway_id, meter, part)
);
";

/// The utility rate imported for a meter (its name and each month's price per register), for the
/// Tariff data tab's cost estimate. One row per meter; like a draft, not a foreign key (the
/// demo gateway's meters are not in `meters`), and removed with its meter (push3-inventory).
const V3: &str = "
CREATE TABLE meter_rates (
    gateway_id TEXT NOT NULL,
    meter      TEXT NOT NULL,
    json       TEXT NOT NULL,
    saved_ms   INTEGER NOT NULL,
    PRIMARY KEY (gateway_id, meter)
);
";

/// Wire profiles (push3's `WireProfile`): the one each gateway speaks, by id, and the profile
/// files users loaded, kept as their JSON and checked again when read. Built-in profiles are
/// compiled in and never stored, so a gateway's `nested-from-1` follows the app's version of it.
/// A loaded profile is part of the inventory: changing one bumps its revision.
const V4: &str = "
ALTER TABLE gateways ADD COLUMN wire_profile TEXT NOT NULL DEFAULT 'nested-from-1';
CREATE TABLE wire_profiles (
    id        TEXT PRIMARY KEY,
    json      TEXT NOT NULL,
    loaded_ms INTEGER NOT NULL
);
CREATE TRIGGER wire_profiles_inserted AFTER INSERT ON wire_profiles
    BEGIN UPDATE revisions SET revision = revision + 1 WHERE part = 'inventory'; END;
CREATE TRIGGER wire_profiles_updated AFTER UPDATE ON wire_profiles
    BEGIN UPDATE revisions SET revision = revision + 1 WHERE part = 'inventory'; END;
CREATE TRIGGER wire_profiles_deleted AFTER DELETE ON wire_profiles
    BEGIN UPDATE revisions SET revision = revision + 1 WHERE part = 'inventory'; END;
";

/// Brings the schema up to [`SCHEMA_VERSION`]. An up-to-date file is only read, so that opening
/// the database (every run of the CLI does) writes nothing and waits for no writer. A migration
/// runs in one `IMMEDIATE` transaction, which takes the write lock before the version is read
/// again: an app and a CLI opening a new file at the same moment migrate it (and import the old
/// files) once, one after the other.
pub(crate) fn migrate(conn: &mut Connection, path: &Path) -> Result<()> {
    let doing = "update the Push3 Desk database's schema";
    let db = |e| StoreError::database(doing, e);
    let data_dir = path.parent().unwrap_or(Path::new("."));
    let found = schema_version(conn).map_err(db)?;
    check_supported(found)?;
    if found == SCHEMA_VERSION {
        return legacy::set_aside_imported(conn, data_dir);
    }
    // SQLite attaches only outside a transaction, so the old audit log is attached first, in
    // case this turns out to be the process that creates the database.
    let attached = found == 0 && legacy::attach_audit(conn, data_dir)?;
    let migrated = (|| {
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(db)?;
        let found = schema_version(&tx).map_err(db)?;
        check_supported(found)?;
        for step in &MIGRATIONS[found as usize..] {
            tx.execute_batch(step).map_err(db)?;
        }
        if found == 0 {
            legacy::import(&tx, data_dir, attached)?;
        }
        tx.pragma_update(None, "user_version", SCHEMA_VERSION)
            .map_err(db)?;
        tx.commit().map_err(db)
    })();
    if attached {
        legacy::detach_audit(conn);
    }
    migrated?;
    legacy::set_aside_imported(conn, data_dir)
}

fn check_supported(found: i64) -> Result<()> {
    if found > SCHEMA_VERSION {
        return Err(StoreError::NewerSchema {
            found,
            supported: SCHEMA_VERSION,
        });
    }
    if found < 0 {
        return Err(StoreError::Corrupt {
            message: format!(
                "The Push3 Desk database has schema version {found}, which no Push3 Desk writes. \
                 Move the file aside to start afresh."
            ),
        });
    }
    Ok(())
}

fn schema_version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.pragma_query_value(None, "user_version", |row| row.get(0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::connection::{connect, open};
    use std::time::Duration;

    fn tables(conn: &Connection) -> Vec<String> {
        let mut stmt = conn
            .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    }

    #[test]
    fn a_new_database_gets_every_table_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("data").join(crate::FILE_NAME);
        let mut conn = open(&path).unwrap();
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, SCHEMA_VERSION);
        assert_eq!(
            tables(&conn),
            [
                "drafts",
                "entries",
                "gateways",
                "known_settings",
                "legacy_imports",
                "meter_rates",
                "meter_tags",
                "meters",
                "revisions",
                "sessions",
                "sqlite_sequence",
                "templates",
                "wire_profiles"
            ]
            .map(String::from)
        );
        // A second run finds nothing to do (a re-run of V1 would fail on CREATE TABLE).
        migrate(&mut conn, &path).unwrap();
    }

    #[test]
    fn a_version_1_file_gains_the_drafts_table_and_keeps_its_rows() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(crate::FILE_NAME);
        {
            let conn = connect(&path).unwrap();
            conn.execute_batch(V1).unwrap();
            conn.execute(
                "INSERT INTO templates (name, json, saved_ms) VALUES ('t', '{}', 1)",
                [],
            )
            .unwrap();
            conn.pragma_update(None, "user_version", 1).unwrap();
        }
        let conn = open(&path).unwrap();
        assert_eq!(schema_version(&conn).unwrap(), SCHEMA_VERSION);
        assert!(tables(&conn).contains(&"drafts".to_string()));
        let kept: i64 = conn
            .query_row("SELECT count(*) FROM templates", [], |r| r.get(0))
            .unwrap();
        assert_eq!(kept, 1, "the version 1 rows are kept");
    }

    #[test]
    fn a_version_3_file_keeps_its_gateways_on_the_default_wire_profile() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(crate::FILE_NAME);
        {
            let conn = connect(&path).unwrap();
            conn.execute_batch(&[V1, V2, V3].concat()).unwrap();
            conn.execute(
                "INSERT INTO gateways (id, name, api_url, note, has_token, key_hint) \
                 VALUES ('g', 'Site', 'https://api.ekmpush.com', '', 0, '••••MDIw')",
                [],
            )
            .unwrap();
            conn.pragma_update(None, "user_version", 3).unwrap();
        }
        let conn = open(&path).unwrap();
        let profile: String = conn
            .query_row(
                "SELECT wire_profile FROM gateways WHERE id = 'g'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(profile, "nested-from-1");
        assert!(tables(&conn).contains(&"wire_profiles".to_string()));
    }

    #[test]
    fn an_up_to_date_file_is_opened_without_waiting_for_a_writer() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(crate::FILE_NAME);
        drop(open(&path).unwrap());
        let writer = connect(&path).unwrap();
        writer.execute_batch("BEGIN IMMEDIATE").unwrap();
        let mut opener = connect(&path).unwrap();
        opener.busy_timeout(Duration::ZERO).unwrap();
        migrate(&mut opener, &path).unwrap();
    }

    #[test]
    fn a_file_from_a_newer_version_is_refused_and_nothing_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(crate::FILE_NAME);
        std::fs::write(dir.path().join("inventory.json"), "{}").unwrap();
        {
            let conn = connect(&path).unwrap();
            conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
                .unwrap();
        }
        let changes_before = std::fs::metadata(&path).unwrap().modified().unwrap();
        let e = open(&path).unwrap_err();
        assert_eq!(e.code(), StoreError::NEWER_SCHEMA);
        assert!(e.message().contains("Update Push3 Desk"), "{e}");
        let conn = connect(&path).unwrap();
        assert!(tables(&conn).is_empty(), "nothing was created");
        assert!(
            dir.path().join("inventory.json").exists(),
            "nothing was imported or set aside"
        );
        assert_eq!(
            std::fs::metadata(&path).unwrap().modified().unwrap(),
            changes_before
        );
    }

    #[test]
    fn every_connection_uses_wal_normal_sync_and_foreign_keys() {
        let dir = tempfile::tempdir().unwrap();
        let conn = connect(&dir.path().join(crate::FILE_NAME)).unwrap();
        let mode: String = conn
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .unwrap();
        let sync: i64 = conn
            .pragma_query_value(None, "synchronous", |r| r.get(0))
            .unwrap();
        let fk: i64 = conn
            .pragma_query_value(None, "foreign_keys", |r| r.get(0))
            .unwrap();
        assert_eq!((mode.as_str(), sync, fk), ("wal", 1, 1));
    }
}
