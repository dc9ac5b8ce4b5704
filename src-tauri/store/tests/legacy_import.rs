//! A data dir left by Push3 Desk 0.1 (inventory.json, known-settings.json, audit.sqlite3) is
//! taken into the new database once, whole, and the JSON files are kept aside as backups.

use push3_store::legacy::{
    backup_path, AUDIT_FILE, INVENTORY_FILE, KNOWN_SETTINGS_FILE, TEMPLATES_FOLDER,
};
use push3_store::{open, path_in, StoreError};
use rusqlite::Connection;
use std::path::Path;

const INVENTORY: &str = r#"{
  "schemaVersion": 1,
  "gateways": [
    {"id": "g-1", "name": "North", "apiUrl": "https://api.ekmpush.com", "note": "roof",
     "hasToken": true, "keyHint": "••••MDIw"}
  ],
  "meters": [
    {"address": "000350000900", "nickname": "Boiler", "version": "V4", "gatewayId": "g-1",
     "tags": ["hvac", "north"], "hasPassword": true},
    {"address": "000300000001", "nickname": "", "version": "V3", "gatewayId": "g-1",
     "tags": [], "hasPassword": false}
  ]
}
"#;

const LOBBY: &str = r#"{"schema":"push3-desk-template","version":1,"name":"Lobby display","program":{"kind":"lcd","display_fields":["kWh_Tot"]}}"#;

const KNOWN: &str = r#"{"g-1/000350000900": {"ct_ratio": {"value": 400}}}"#;

/// The audit log as 0.1 created it, with one finished entry and one left pending by a crash.
fn write_old_audit(dir: &Path) {
    let conn = Connection::open(dir.join(AUDIT_FILE)).unwrap();
    conn.execute_batch(
        "PRAGMA journal_mode = wal;
         CREATE TABLE entries (id INTEGER PRIMARY KEY, time_ms INTEGER NOT NULL, source TEXT NOT NULL,
           session INTEGER NOT NULL, gateway_id TEXT NOT NULL, gateway_name TEXT NOT NULL,
           meter TEXT NOT NULL, command TEXT NOT NULL, params TEXT NOT NULL, summary TEXT NOT NULL,
           outcome TEXT NOT NULL, msg_id TEXT, error_text TEXT, round_trip_ms INTEGER);
         CREATE TABLE sessions (id INTEGER PRIMARY KEY AUTOINCREMENT, lock_name TEXT NOT NULL,
           pid INTEGER NOT NULL, opened_ms INTEGER NOT NULL);
         INSERT INTO entries VALUES (7, 1000, 'app', 3, 'g-1', 'North', '000350000900',
           'SetCTRatio', '{\"ct_ratio\":400}', 'CT 400', 'confirmed', 'm-7', NULL, 850);
         INSERT INTO entries VALUES (8, 2000, 'cli', 4, 'g-1', 'North', '000350000900',
           'SetRelay', '{}', 'Relay_1 close', 'pending', NULL, NULL, NULL);
         PRAGMA user_version = 1;",
    )
    .unwrap();
}

fn count(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn an_old_data_dir_is_imported_once_and_its_json_files_are_kept_as_backups() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(INVENTORY_FILE), INVENTORY).unwrap();
    std::fs::write(dir.path().join(KNOWN_SETTINGS_FILE), KNOWN).unwrap();
    write_old_audit(dir.path());
    let old_audit = std::fs::read(dir.path().join(AUDIT_FILE)).unwrap();
    let templates = dir.path().join(TEMPLATES_FOLDER);
    std::fs::create_dir(&templates).unwrap();
    std::fs::write(templates.join("lobby-display-1a2b3c4d.json"), LOBBY).unwrap();
    std::fs::write(templates.join("broken.json"), "{not json").unwrap();

    let conn = open(&path_in(dir.path())).unwrap();

    assert_eq!(
        conn.query_row(
            "SELECT name || '|' || api_url || '|' || note || '|' || has_token || '|' || key_hint \
             FROM gateways WHERE id = 'g-1'",
            [],
            |r| r.get::<_, String>(0)
        )
        .unwrap(),
        "North|https://api.ekmpush.com|roof|1|••••MDIw"
    );
    assert_eq!(count(&conn, "SELECT count(*) FROM meters"), 2);
    assert_eq!(
        conn.query_row(
            "SELECT group_concat(tag, ',') FROM (SELECT tag FROM meter_tags \
             WHERE address = '000350000900' ORDER BY position)",
            [],
            |r| r.get::<_, String>(0)
        )
        .unwrap(),
        "hvac,north"
    );
    let state: String = conn
        .query_row(
            "SELECT state FROM known_settings WHERE gateway_id = 'g-1' AND meter = '000350000900'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&state).unwrap(),
        serde_json::json!({"ct_ratio": {"value": 400}})
    );
    let outcomes: Vec<(i64, String, Option<String>)> = conn
        .prepare("SELECT id, outcome, msg_id FROM entries ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        outcomes,
        vec![
            (7, "confirmed".into(), Some("m-7".into())),
            (8, "interrupted".into(), None)
        ]
    );

    let template: String = conn
        .query_row(
            "SELECT json FROM templates WHERE name = 'Lobby display'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(template, LOBBY);
    assert_eq!(count(&conn, "SELECT count(*) FROM templates"), 1);
    // The folder goes aside whole: the file no template could be read from is still in it.
    assert!(!templates.exists());
    assert_eq!(
        std::fs::read_to_string(backup_path(dir.path(), TEMPLATES_FOLDER).join("broken.json"))
            .unwrap(),
        "{not json"
    );

    // The JSON files are set aside unchanged; the old audit log is left as it was.
    assert!(!dir.path().join(INVENTORY_FILE).exists());
    assert!(!dir.path().join(KNOWN_SETTINGS_FILE).exists());
    assert_eq!(
        std::fs::read_to_string(backup_path(dir.path(), INVENTORY_FILE)).unwrap(),
        INVENTORY
    );
    assert_eq!(
        std::fs::read_to_string(backup_path(dir.path(), KNOWN_SETTINGS_FILE)).unwrap(),
        KNOWN
    );
    assert_eq!(
        std::fs::read(dir.path().join(AUDIT_FILE)).unwrap(),
        old_audit
    );
    drop(conn);

    // Opening again imports nothing twice, even with an old copy of a file put back in place.
    std::fs::copy(
        backup_path(dir.path(), KNOWN_SETTINGS_FILE),
        dir.path().join(KNOWN_SETTINGS_FILE),
    )
    .unwrap();
    let conn = open(&path_in(dir.path())).unwrap();
    assert_eq!(count(&conn, "SELECT count(*) FROM meters"), 2);
    assert_eq!(count(&conn, "SELECT count(*) FROM entries"), 2);
    assert_eq!(count(&conn, "SELECT count(*) FROM known_settings"), 1);
}

#[test]
fn a_crash_between_the_import_and_the_renames_is_finished_by_the_next_open() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(INVENTORY_FILE), INVENTORY).unwrap();
    drop(open(&path_in(dir.path())).unwrap());
    // As if the process had died right after the commit: the file is back where it was.
    std::fs::rename(
        backup_path(dir.path(), INVENTORY_FILE),
        dir.path().join(INVENTORY_FILE),
    )
    .unwrap();
    let conn = open(&path_in(dir.path())).unwrap();
    assert!(!dir.path().join(INVENTORY_FILE).exists());
    assert!(backup_path(dir.path(), INVENTORY_FILE).exists());
    assert_eq!(count(&conn, "SELECT count(*) FROM meters"), 2);
}

#[test]
fn a_damaged_old_file_names_its_first_bad_field_and_nothing_is_imported() {
    let dir = tempfile::tempdir().unwrap();
    let damaged = INVENTORY.replace(r#""version": "V3", "#, "");
    std::fs::write(dir.path().join(INVENTORY_FILE), &damaged).unwrap();
    std::fs::write(dir.path().join(KNOWN_SETTINGS_FILE), KNOWN).unwrap();

    let e = open(&path_in(dir.path())).unwrap_err();
    assert_eq!(e.code(), StoreError::CORRUPT);
    assert!(e.message().contains("meters[1].version"), "{e}");
    assert!(e.message().contains(INVENTORY_FILE), "{e}");

    // Both files stay where they were, and the database holds no table yet.
    assert_eq!(
        std::fs::read_to_string(dir.path().join(INVENTORY_FILE)).unwrap(),
        damaged
    );
    assert!(dir.path().join(KNOWN_SETTINGS_FILE).exists());
    let conn = Connection::open(path_in(dir.path())).unwrap();
    assert_eq!(count(&conn, "SELECT count(*) FROM sqlite_schema"), 0);

    // Mended, it imports.
    std::fs::write(dir.path().join(INVENTORY_FILE), INVENTORY).unwrap();
    let conn = open(&path_in(dir.path())).unwrap();
    assert_eq!(count(&conn, "SELECT count(*) FROM meters"), 2);
    assert_eq!(count(&conn, "SELECT count(*) FROM known_settings"), 1);
}

#[test]
fn a_new_data_dir_imports_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let conn = open(&path_in(&dir.path().join("fresh"))).unwrap();
    assert_eq!(count(&conn, "SELECT count(*) FROM legacy_imports"), 0);
}
