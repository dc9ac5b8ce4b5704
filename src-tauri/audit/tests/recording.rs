//! Recording commands: what is written, when, by whom, and that secrets never are.

mod common;

use common::*;
use push3_audit::{
    AuditError, AuditLog, EntryId, Filter, FinalOutcome, Finish, MeterAddress, NewEntry, Outcome,
    Page, Source, MASK, SCHEMA_VERSION,
};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Barrier};

const NEW_PASSWORD: &str = "11223344";
const METER_PASSWORD: &str = "24681357";
const GATEWAY_KEY: &str = "MTAxMDoyMDIwKey-4f7a";
const API_TOKEN: &str = "ApiToken-b8e2f5a6c7";

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for item in std::fs::read_dir(dir).unwrap() {
        let path = item.unwrap().path();
        if path.is_dir() {
            files.extend(files_under(&path));
        } else {
            files.push(path);
        }
    }
    files
}

fn files_containing(dir: &Path, needle: &str) -> Vec<PathBuf> {
    files_under(dir)
        .into_iter()
        .filter(|path| {
            let bytes = std::fs::read(path).unwrap();
            bytes
                .windows(needle.len())
                .any(|window| window == needle.as_bytes())
        })
        .collect()
}

#[test]
fn a_password_key_or_token_never_reaches_the_audit_files() {
    let scratch = ScratchLog::new();
    let log = &scratch.log;
    let meter = MeterAddress::parse("350000900").unwrap();
    let parsed = push3::parse(
        "SetMeterPassword",
        &json!({"new_password": NEW_PASSWORD, "meter_password": METER_PASSWORD}),
        &Default::default(),
    )
    .unwrap();
    let id = log
        .begin(NewEntry::for_command(
            Source::App,
            "gw-office",
            "Office",
            &meter,
            &parsed,
            push3::undocumented::WireProfile::default_profile(),
        ))
        .unwrap();
    log.finish(id, &finish(FinalOutcome::Confirmed)).unwrap();
    // A raw command from the CLI carrying what it never should.
    let mut raw = entry("350000900", "SetRelay", 1);
    raw.params = json!({"relay": "Relay_1", "key": GATEWAY_KEY, "opts": {"api_token": API_TOKEN}});
    record(log, raw, &finish(FinalOutcome::Confirmed));

    let stored = log
        .query(&Filter::default(), &Page::first(10))
        .unwrap()
        .entries;
    let password_entry = stored.iter().find(|e| e.id == id).unwrap();
    assert_eq!(password_entry.params["new_password"], MASK);
    assert_eq!(password_entry.params["meter_password"], MASK);
    let data_dir = scratch.path().parent().unwrap().to_path_buf();
    let check = |when: &str| {
        for secret in [NEW_PASSWORD, METER_PASSWORD, GATEWAY_KEY, API_TOKEN] {
            assert_eq!(
                files_containing(&data_dir, secret),
                Vec::<PathBuf>::new(),
                "{secret} was written ({when})"
            );
        }
    };
    // While open the entries sit in the -wal file; after closing they are in the database.
    check("while open");
    let mut csv = Vec::new();
    log.export_csv(&Filter::default(), &mut csv).unwrap();
    let csv = String::from_utf8(csv).unwrap();
    assert!(!csv.contains(NEW_PASSWORD) && !csv.contains(GATEWAY_KEY));
    drop(scratch.log);
    check("after closing");
}

#[test]
fn a_command_is_pending_until_finished_and_its_outcome_is_written_once() {
    let scratch = ScratchLog::new();
    let log = &scratch.log;
    let id = log.begin(entry("350000900", "SetCTRatio", 1_000)).unwrap();
    let first = |log: &AuditLog| {
        log.query(&Filter::default(), &Page::first(1))
            .unwrap()
            .entries
            .remove(0)
    };
    let pending = first(log);
    assert_eq!((pending.id, pending.outcome), (id, Outcome::Pending));
    assert_eq!(pending.msg_id, None);

    let failed = Finish {
        outcome: FinalOutcome::Failed,
        msg_id: Some("9f1c".into()),
        error_text: Some("Meter password incorrect".into()),
        round_trip_ms: Some(1_834),
    };
    log.finish(id, &failed).unwrap();
    let done = first(log);
    assert_eq!(done.outcome, Outcome::Failed);
    assert_eq!(done.msg_id.as_deref(), Some("9f1c"));
    assert_eq!(done.error_text.as_deref(), Some("Meter password incorrect"));
    assert_eq!(done.round_trip_ms, Some(1_834));
    assert_eq!(done.meter, "000350000900");
    assert_eq!(done.gateway_name, "Office");
    assert_eq!(done.time.timestamp_millis(), 1_000);

    let again = log
        .finish(id, &finish(FinalOutcome::Confirmed))
        .unwrap_err();
    assert_eq!(again.code(), AuditError::ALREADY_FINISHED);
    assert_eq!(
        first(log).outcome,
        Outcome::Failed,
        "the first outcome stands"
    );
    let unknown = log
        .finish(EntryId(id.0 + 1), &finish(FinalOutcome::Confirmed))
        .unwrap_err();
    assert_eq!(unknown.code(), AuditError::NOT_FOUND);
}

#[test]
fn a_command_left_pending_by_a_closed_log_reads_interrupted_never_failed() {
    let app = ScratchLog::new();
    let cli = AuditLog::open(app.path()).unwrap();
    let mut new = entry("350000900", "SetRelay", 1_000);
    new.source = Source::Cli;
    let in_flight = cli.begin(new).unwrap();
    let outcome_seen_by_app = || {
        app.log
            .query(&Filter::default(), &Page::first(1))
            .unwrap()
            .entries[0]
            .outcome
    };
    assert_eq!(
        outcome_seen_by_app(),
        Outcome::Pending,
        "the CLI is still waiting for it"
    );

    drop(cli);
    assert_eq!(outcome_seen_by_app(), Outcome::Interrupted);
    let count = |outcome| {
        app.log
            .count(&Filter {
                outcome: Some(outcome),
                ..Default::default()
            })
            .unwrap()
    };
    assert_eq!(
        (count(Outcome::Interrupted), count(Outcome::Failed)),
        (1, 0)
    );
    let late = app
        .log
        .finish(in_flight, &finish(FinalOutcome::Confirmed))
        .unwrap_err();
    assert_eq!(late.code(), AuditError::ALREADY_FINISHED);
}

#[test]
fn the_app_and_the_cli_write_at_the_same_time_without_losing_an_entry() {
    const EACH: usize = 300;
    let scratch = ScratchLog::new();
    let path = scratch.path();
    let start = Arc::new(Barrier::new(3));
    let writer = |source: Source| {
        let (path, start) = (path.clone(), start.clone());
        std::thread::spawn(move || {
            let log = AuditLog::open(&path).unwrap();
            start.wait();
            (0..EACH)
                .map(|i| {
                    let mut new = entry("350000900", "SetRelay", i as i64);
                    new.source = source;
                    record(&log, new, &finish(FinalOutcome::Confirmed))
                })
                .collect::<Vec<_>>()
        })
    };
    let app = writer(Source::App);
    let cli = writer(Source::Cli);
    // The history view reads throughout.
    start.wait();
    for _ in 0..50 {
        scratch.log.count(&Filter::default()).unwrap();
        scratch
            .log
            .query(&Filter::default(), &Page::first(100))
            .unwrap();
    }
    let mut written: Vec<EntryId> = app.join().unwrap();
    written.extend(cli.join().unwrap());

    let stored = all_pages(&scratch.log, &Filter::default(), 1_000);
    assert_eq!(stored.len(), 2 * EACH);
    let mut stored_ids = ids(&stored);
    stored_ids.sort();
    written.sort();
    assert_eq!(stored_ids, written, "every id once");
    assert!(stored.iter().all(|e| e.outcome == Outcome::Confirmed));
    let by_source = |s| stored.iter().filter(|e| e.source == s).count();
    assert_eq!(
        (by_source(Source::App), by_source(Source::Cli)),
        (EACH, EACH)
    );
}

#[test]
fn an_empty_file_becomes_a_log_and_a_reopened_log_keeps_its_entries() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(push3_audit::FILE_NAME);
    std::fs::write(&path, b"").unwrap();
    let log = AuditLog::open(&path).unwrap();
    let id = record(
        &log,
        entry("350000900", "GetTariffData", 5),
        &finish(FinalOutcome::Confirmed),
    );
    drop(log);

    let raw = rusqlite::Connection::open(&path).unwrap();
    let version: i64 = raw
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, SCHEMA_VERSION);
    drop(raw);
    let reopened = AuditLog::open(&path).unwrap();
    let entries = all_pages(&reopened, &Filter::default(), 10);
    assert_eq!(ids(&entries), [id]);
    assert_eq!(entries[0].outcome, Outcome::Confirmed);
}

#[test]
fn a_log_from_a_newer_version_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(push3_audit::FILE_NAME);
    let raw = rusqlite::Connection::open(&path).unwrap();
    raw.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .unwrap();
    drop(raw);
    let e = AuditLog::open(&path).err().unwrap();
    assert_eq!(e.code(), AuditError::NEWER_SCHEMA);
}

#[test]
fn a_file_that_is_not_a_database_is_reported_damaged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(push3_audit::FILE_NAME);
    std::fs::write(
        &path,
        "this is not SQLite, just some text long enough to be a header",
    )
    .unwrap();
    let e = AuditLog::open(&path).err().unwrap();
    assert_eq!(e.code(), AuditError::CORRUPT, "{e}");
}
