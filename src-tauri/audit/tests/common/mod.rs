//! Helpers shared by the integration tests: a log in a scratch folder, entries made from a few
//! facts, and reading a whole filter back page by page.

// Each test file uses a different subset of these helpers.
#![allow(dead_code)]

use chrono::{DateTime, Utc};
use push3_audit::{
    AuditLog, Entry, EntryId, Filter, FinalOutcome, Finish, MeterAddress, NewEntry, Page, Source,
};
use serde_json::json;
use std::path::PathBuf;

/// A log in a folder of its own, deleted with it.
pub struct ScratchLog {
    pub dir: tempfile::TempDir,
    pub log: AuditLog,
}

impl ScratchLog {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let log = AuditLog::open(dir.path().join("data").join(push3_audit::FILE_NAME)).unwrap();
        Self { dir, log }
    }

    pub fn path(&self) -> PathBuf {
        self.log.path().to_path_buf()
    }
}

pub fn at(time_ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(time_ms).unwrap()
}

pub fn entry(meter: &str, command: &str, time_ms: i64) -> NewEntry {
    NewEntry {
        time: at(time_ms),
        source: Source::App,
        gateway_id: "gw-office".into(),
        gateway_name: "Office".into(),
        meter: MeterAddress::parse(meter).unwrap(),
        command: command.into(),
        params: json!({"relay": "Relay_1", "status": "close", "duration": 5}),
        summary: format!("{command} on {meter}"),
    }
}

pub fn finish(outcome: FinalOutcome) -> Finish {
    Finish {
        outcome,
        msg_id: Some("msg-1".into()),
        error_text: None,
        round_trip_ms: Some(120),
    }
}

/// Begins and finishes one entry.
pub fn record(log: &AuditLog, new: NewEntry, end: &Finish) -> EntryId {
    let id = log.begin(new).unwrap();
    log.finish(id, end).unwrap();
    id
}

/// Every entry `filter` matches, read through pages of `limit`.
pub fn all_pages(log: &AuditLog, filter: &Filter, limit: u32) -> Vec<Entry> {
    let mut entries = Vec::new();
    let mut page = Page::first(limit);
    loop {
        let got = log.query(filter, &page).unwrap();
        assert!(got.entries.len() <= limit as usize);
        entries.extend(got.entries);
        match got.next {
            Some(cursor) => page.before = Some(cursor),
            None => return entries,
        }
    }
}

pub fn ids(entries: &[Entry]) -> Vec<EntryId> {
    entries.iter().map(|e| e.id).collect()
}
