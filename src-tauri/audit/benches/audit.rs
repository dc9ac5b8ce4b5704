//! What the audit log costs: the write per command (`begin` + `finish`, two commits) and the
//! history view's questions at 100,000 entries, through the public API on a file in a temporary
//! folder.
//!
//! The log holds 100,000 entries over 1,000 meters, 15 commands and five outcomes (90% confirmed,
//! 4% failed, 3% unconfirmed, 2% rejected, 1% error), four to a timestamp, ten seconds apart.
//! Besides criterion's means this prints p50/p99/max of `begin` and `finish` measured per
//! command, because one `finish` in about a hundred pays for a WAL checkpoint (with its syncs)
//! and a mean hides that.

use criterion::Criterion;
use push3_audit::{
    AuditLog, Cursor, EntryId, Filter, FinalOutcome, Finish, MeterAddress, NewEntry, Outcome, Page,
    Source,
};
use serde_json::json;
use std::hint::black_box;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

const ENTRIES: i64 = 100_000;
const METERS: i64 = 1_000;
const COMMANDS: [&str; 15] = [
    "SetMeterPassword",
    "SetCTRatio",
    "SetTime",
    "SetMaxDemandResetInterval",
    "SetMaxDemandResetNow",
    "SetMaxDemandPeriod",
    "SetLCD",
    "SetPulseInputRatio",
    "SetPulseOutputRatio",
    "SetZeroResettableKWH",
    "SetRelay",
    "SetHolidayDates",
    "SetSchedule",
    "GetSchedules",
    "GetTariffData",
];
const START_MS: i64 = 1_700_000_000_000;
const PAGE: u32 = 100;
const WRITE_SAMPLES: usize = 5_000;

fn time_ms(i: i64) -> i64 {
    START_MS + (i / 4) * 10_000
}

fn meter(i: i64) -> MeterAddress {
    MeterAddress::parse(&(350_000_000 + (i * 7_919) % METERS).to_string()).unwrap()
}

fn command(i: i64) -> &'static str {
    COMMANDS[(i % COMMANDS.len() as i64) as usize]
}

fn outcome(i: i64) -> FinalOutcome {
    match i % 100 {
        0..=89 => FinalOutcome::Confirmed,
        90..=93 => FinalOutcome::Failed,
        94..=96 => FinalOutcome::Unconfirmed,
        97..=98 => FinalOutcome::Rejected,
        _ => FinalOutcome::Error,
    }
}

fn new_entry(i: i64) -> NewEntry {
    NewEntry {
        time: chrono::DateTime::from_timestamp_millis(time_ms(i)).unwrap(),
        source: if i % 10 == 0 {
            Source::Cli
        } else {
            Source::App
        },
        gateway_id: format!("gw-{}", i % 5),
        gateway_name: format!("Building {}", i % 5),
        meter: meter(i),
        command: command(i).into(),
        params: json!({"relay": "Relay_1", "status": "close", "duration": 5, "meter_password": "24681357"}),
        summary: format!("{} (#{i})", command(i)),
    }
}

fn end(i: i64) -> Finish {
    let outcome = outcome(i);
    Finish {
        outcome,
        msg_id: Some(format!("{i:016x}-msg")),
        error_text: (outcome == FinalOutcome::Failed).then(|| "Meter password incorrect".into()),
        round_trip_ms: Some(800 + (i % 400) as u64),
    }
}

fn record(log: &AuditLog, i: i64) {
    let id = log.begin(new_entry(i)).unwrap();
    log.finish(id, &end(i)).unwrap();
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn us(d: Duration) -> String {
    format!("{:.1} µs", d.as_secs_f64() * 1e6)
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(push3_audit::FILE_NAME);
    {
        let log = AuditLog::open(&path).unwrap();
        let started = Instant::now();
        for i in 0..ENTRIES {
            record(&log, i);
        }
        println!(
            "filled {ENTRIES} entries (begin + finish each) in {:.1} s",
            started.elapsed().as_secs_f64()
        );
    }
    // Reopened as the app would be, so the planner's statistics are refreshed on open.
    let log = AuditLog::open(&path).unwrap();
    let mut next = ENTRIES;

    let mut begins = Vec::with_capacity(WRITE_SAMPLES);
    let mut finishes = Vec::with_capacity(WRITE_SAMPLES);
    for _ in 0..WRITE_SAMPLES {
        let started = Instant::now();
        let id = log.begin(new_entry(next)).unwrap();
        let begun = Instant::now();
        log.finish(id, &end(next)).unwrap();
        begins.push(begun - started);
        finishes.push(begun.elapsed());
        next += 1;
    }
    let both: Vec<Duration> = begins.iter().zip(&finishes).map(|(b, f)| *b + *f).collect();
    for (name, mut times) in [
        ("begin", begins),
        ("finish", finishes),
        ("begin + finish", both),
    ] {
        times.sort();
        println!(
            "{name} at {ENTRIES} entries, {WRITE_SAMPLES} samples: p50 {} / p99 {} / max {}",
            us(percentile(&times, 0.5)),
            us(percentile(&times, 0.99)),
            us(*times.last().unwrap())
        );
    }

    c.bench_function("write/begin+finish at 100k", |b| {
        b.iter(|| {
            record(&log, next);
            next += 1;
        })
    });

    // What every run of the CLI pays before its command: open (and, on drop, close) the log.
    c.bench_function("open+close at 100k", |b| {
        b.iter(|| drop(black_box(AuditLog::open(&path).unwrap())))
    });

    // Writes are not held up by an export reading the whole log on the other connection.
    let exporting = AtomicBool::new(true);
    std::thread::scope(|scope| {
        scope.spawn(|| {
            while exporting.load(Ordering::Relaxed) {
                log.export_csv(&Filter::default(), std::io::sink()).unwrap();
            }
        });
        c.bench_function("write/begin+finish during a CSV export", |b| {
            b.iter(|| {
                record(&log, next);
                next += 1;
            })
        });
        exporting.store(false, Ordering::Relaxed);
    });

    // Deep pages start 95,000 entries down, at the first entries written.
    let deep = Some(Cursor {
        time_ms: time_ms(5_000),
        id: EntryId(5_001),
    });
    let none = Filter::default;
    let one_meter = Filter {
        meter: Some(meter(123)),
        ..none()
    };
    let failed_set_ct = Filter {
        command: Some("SetCTRatio".into()),
        outcome: Some(Outcome::Failed),
        ..none()
    };
    let one_day = Filter {
        from: chrono::DateTime::from_timestamp_millis(time_ms(40_000)),
        to: chrono::DateTime::from_timestamp_millis(time_ms(40_000) + 86_400_000),
        ..none()
    };
    let one_command = Filter {
        command: Some("SetRelay".into()),
        ..none()
    };
    let text = Filter {
        text: Some("incorrect".into()),
        ..none()
    };
    let cases: [(&str, Filter, Option<Cursor>); 9] = [
        ("first page, no filter", none(), None),
        ("first page, meter", one_meter.clone(), None),
        ("first page, command + failed", failed_set_ct.clone(), None),
        ("first page, one day", one_day, None),
        ("first page, text", text, None),
        ("deep page, no filter", none(), deep),
        ("deep page, meter", one_meter, deep),
        ("deep page, command", one_command, deep),
        ("deep page, command + failed", failed_set_ct, deep),
    ];
    for (name, filter, before) in &cases {
        let page = Page {
            before: *before,
            limit: PAGE,
        };
        let got = log.query(filter, &page).unwrap();
        assert!(
            !got.entries.is_empty(),
            "{name}: the data should hold matches"
        );
        c.bench_function(&format!("query/{name}"), |b| {
            b.iter(|| black_box(log.query(filter, &page).unwrap()))
        });
    }
    // The worst case of a text search: nothing matches, so every entry is read.
    let nowhere = Filter {
        text: Some("no entry says this".into()),
        ..none()
    };
    assert!(log
        .query(&nowhere, &Page::first(PAGE))
        .unwrap()
        .entries
        .is_empty());
    c.bench_function("query/text matching nothing (reads every entry)", |b| {
        b.iter(|| black_box(log.query(&nowhere, &Page::first(PAGE)).unwrap()))
    });
    c.bench_function("count/no filter", |b| {
        b.iter(|| black_box(log.count(&Filter::default()).unwrap()))
    });
    c.bench_function("count/command + failed", |b| {
        b.iter(|| black_box(log.count(&cases[2].1).unwrap()))
    });
    let mut slow = c.benchmark_group("export");
    slow.sample_size(10);
    slow.bench_function("csv/all entries", |b| {
        b.iter(|| black_box(log.export_csv(&Filter::default(), std::io::sink()).unwrap()))
    });
    slow.finish();
    c.final_summary();
}
