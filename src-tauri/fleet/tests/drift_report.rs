//! Drift from a TOU template, read back from simulated meters, and the one action that brings
//! the chosen meters in line through the bulk engine.

mod support;

use push3::MeterVersion;
use push3_fleet::{drift, Basis, BulkJob, ClientSink, Control, DriftStatus};
use push3_sim::Faults;
use std::time::Duration;
use support::*;

#[tokio::test]
async fn drift_names_what_differs_says_what_is_unknown_and_fixes_only_the_selection() {
    let north = [gateway("north", meters(1, 3, MeterVersion::V4))];
    let south = [gateway("south", meters(11, 1, MeterVersion::V4))];
    let north_sim = start(&north, Faults::default());
    let south_sim = start(&south, silent());
    let sink = with_sim(ClientSink::new(), &north_sim, &north, PATIENT);
    let sink = with_sim(sink, &south_sim, &south, Duration::from_millis(300));

    // Meter 1 already holds the template.
    let mut setup = BulkJob::new(tou_template(), targets(&north)[..1].to_vec());
    assert_eq!(
        setup
            .run(&sink, &Control::new(), |_| {})
            .await
            .counts
            .confirmed,
        1
    );

    let mut all = targets(&north);
    all.extend(targets(&south));
    let report = drift(all, &tou_template(), &sink, |_| {}).await;
    let status = |meter: &str| {
        let at = if meter == "11" {
            at("south", meter)
        } else {
            at("north", meter)
        };
        report
            .rows
            .iter()
            .find(|r| r.at == at)
            .unwrap()
            .status
            .clone()
    };
    assert_eq!(
        status("1"),
        DriftStatus::InLine {
            basis: Basis::ReadNow
        }
    );
    let DriftStatus::Differs {
        basis,
        differences,
        unknown,
    } = status("2")
    else {
        panic!("a factory meter differs from the template");
    };
    assert_eq!(basis, Basis::ReadNow);
    assert!(unknown.is_empty());
    let weekday = differences
        .iter()
        .find(|d| d.path == "schedules[0][1]")
        .unwrap();
    assert_eq!(
        (weekday.expected.as_str(), weekday.actual.as_str()),
        ("08:00 T1", "07:00 T1")
    );
    assert!(differences.iter().any(|d| d.path == "weekend_schedule"));
    assert!(
        matches!(status("11"), DriftStatus::Unknown { why } if why.contains("nothing is recorded")),
        "an unreadable meter with nothing recorded is unknown, not drifted"
    );

    let writes_before = writes(&north_sim);
    let mut fix = report.bring_in_line(&[at("north", "2")]);
    let preview = fix.preview(&sink, |_| {}).await;
    assert_eq!((preview.rows.len(), preview.would_change), (1, 1));
    let done = fix.run(&sink, &Control::new(), |_| {}).await;
    assert_eq!(done.counts.confirmed, 1);
    assert!(writes(&north_sim) > writes_before);
    assert_eq!(
        sent(&north_sim, "SetSchedule", "000000000003"),
        0,
        "meter 3 was not selected"
    );

    let after = drift(targets(&north), &tou_template(), &sink, |_| {}).await;
    let in_line: Vec<_> = after
        .rows
        .iter()
        .map(|r| matches!(r.status, DriftStatus::InLine { .. }))
        .collect();
    assert_eq!(in_line, [true, true, false]);
}
