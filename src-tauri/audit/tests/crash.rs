//! The crash test: a process recording a burst of commands is killed with SIGKILL; every entry it
//! had committed is still there with its outcome, what it had under way reads `interrupted`, and
//! the file passes `PRAGMA integrity_check`.
//!
//! The writer is this very test binary run again in child mode; it prints each id once the
//! statement that wrote it has returned, so every id the parent reads was committed.

#![cfg(unix)]

mod common;

use common::*;
use push3_audit::{AuditLog, EntryId, Filter, FinalOutcome, Outcome};
use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader};
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Command, Stdio};

const TEST_NAME: &str = "committed_entries_survive_kill_9_mid_burst";
/// Set in the child to the audit file it should write.
const CHILD_DB_ENV: &str = "PUSH3_AUDIT_CRASH_CHILD_DB";
/// Set in the child to the count of the entry it should hold in flight, as a command waiting for
/// a slow gateway would be, until it is killed.
const CHILD_HOLD_ENV: &str = "PUSH3_AUDIT_CRASH_CHILD_HOLD";
const BEGUN: &str = "AUDIT-BEGUN ";
const FINISHED: &str = "AUDIT-FINISHED ";

/// Each entry's outcome follows from its id, so the parent knows what to expect.
fn outcome_for(id: EntryId) -> FinalOutcome {
    [
        FinalOutcome::Confirmed,
        FinalOutcome::Failed,
        FinalOutcome::Unconfirmed,
    ][id.0 as usize % 3]
}

/// The child: records commands until killed (or, should the parent be gone, until printing
/// fails), announcing each step after it was committed.
fn burst(db: &Path, hold: Option<i64>) {
    let log = AuditLog::open(db).unwrap();
    for i in 1..1_000_000 {
        let id = log.begin(entry("350000900", "SetRelay", i)).unwrap();
        println!("{BEGUN}{id}");
        if Some(i) == hold {
            // The parent never writes to stdin: this waits for the kill.
            std::io::stdin().read_line(&mut String::new()).unwrap();
        }
        log.finish(id, &finish(outcome_for(id))).unwrap();
        println!("{FINISHED}{id}");
    }
}

/// What the children announced, over every run.
#[derive(Default)]
struct Announced {
    begun: Vec<EntryId>,
    finished: HashSet<EntryId>,
}

impl Announced {
    /// Reads one line; the harness prints its own text around the child's, even on the same line.
    fn read(&mut self, line: &str) {
        if let Some((_, id)) = line.split_once(BEGUN) {
            self.begun.push(EntryId(id.trim().parse().unwrap()));
        } else if let Some((_, id)) = line.split_once(FINISHED) {
            self.finished.insert(EntryId(id.trim().parse().unwrap()));
        }
    }
}

/// How a writer is stopped.
enum Kill {
    /// Right after its `n`th line with this marker, while it keeps writing at full speed.
    After(&'static str, usize),
    /// While it holds its `n`th entry in flight.
    Holding(usize),
}

/// Runs a writer on `db` and kills it with SIGKILL as `kill` says. Returns the entry it held.
fn kill_writer(db: &Path, kill: Kill, announced: &mut Announced) -> Option<EntryId> {
    let (marker, nth) = match kill {
        Kill::After(marker, n) => (marker, n),
        Kill::Holding(n) => (BEGUN, n),
    };
    let mut child = Command::new(std::env::current_exe().unwrap());
    child
        .args(["--exact", TEST_NAME, "--nocapture", "--test-threads=1"])
        .env(CHILD_DB_ENV, db);
    if let Kill::Holding(n) = kill {
        child.env(CHILD_HOLD_ENV, n.to_string());
    }
    let mut child = child
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut seen = 0;
    for line in lines.by_ref() {
        let line = line.unwrap();
        announced.read(&line);
        seen += usize::from(line.contains(marker));
        if seen == nth {
            break;
        }
    }
    assert_eq!(seen, nth, "the writer stopped on its own");
    let held = matches!(kill, Kill::Holding(_)).then(|| *announced.begun.last().unwrap());
    child.kill().unwrap(); // SIGKILL: no destructor, no flush, no clean close
    let status = child.wait().unwrap();
    assert_eq!(status.signal(), Some(9), "the writer was killed mid-burst");
    // What it printed before dying was committed too.
    for line in lines {
        announced.read(&line.unwrap());
    }
    held
}

#[test]
fn committed_entries_survive_kill_9_mid_burst() {
    if let Some(db) = std::env::var_os(CHILD_DB_ENV) {
        let hold = std::env::var(CHILD_HOLD_ENV)
            .ok()
            .map(|n| n.parse().unwrap());
        return burst(Path::new(&db), hold);
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join(push3_audit::FILE_NAME);
    let mut announced = Announced::default();
    // Three writers in turn on the same file, each starting on what the last one's death left
    // (a `-wal` file never checkpointed, a session never closed).
    let held = kill_writer(&db, Kill::Holding(300), &mut announced).unwrap();
    kill_writer(&db, Kill::After(FINISHED, 300), &mut announced);
    kill_writer(&db, Kill::After(BEGUN, 300), &mut announced);
    assert!(announced.finished.len() >= 299 + 300 + 299);

    let raw = rusqlite::Connection::open(&db).unwrap();
    let check: String = raw
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    drop(raw);
    let log = AuditLog::open(&db).unwrap();
    log.integrity_check().unwrap();
    let stored: HashMap<EntryId, Outcome> = all_pages(&log, &Filter::default(), 1_000)
        .into_iter()
        .map(|e| (e.id, e.outcome))
        .collect();
    for id in &announced.finished {
        assert_eq!(stored.get(id), Some(&outcome_for(*id).into()), "entry {id}");
    }
    let under_way: Vec<&EntryId> = announced
        .begun
        .iter()
        .filter(|id| !announced.finished.contains(id))
        .collect();
    for id in &under_way {
        // Killed between begin and finish, or after finish's commit but before its line.
        let outcome = stored.get(id).copied();
        assert!(
            outcome == Some(Outcome::Interrupted) || outcome == Some(outcome_for(**id).into()),
            "entry {id} under way at the kill reads {outcome:?}"
        );
    }
    assert_eq!(
        stored.get(&held),
        Some(&Outcome::Interrupted),
        "the command in flight at the kill reads interrupted"
    );
    assert!(
        stored.values().all(|o| *o != Outcome::Pending),
        "nothing is left pending once its writer is dead"
    );
}
