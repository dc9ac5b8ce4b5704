//! Staggered relay groups against a simulated gateway: N meters at a time, S apart, each sent
//! its SetRelay once.

mod support;

use push3::command::{Relay, RelayStatus};
use push3::MeterVersion;
use push3_fleet::{ClientSink, Control, JobEvent, MeterState, RelayGroups};
use push3_sim::{Faults, MeterConfig};
use std::time::Duration;
use support::*;

const GAP: Duration = Duration::from_millis(300);

#[tokio::test]
async fn relays_close_a_group_at_a_time_a_gap_apart() {
    let mut north = meters(1, 7, MeterVersion::V4);
    north.insert(
        3,
        MeterConfig::new("000000000099", MeterVersion::V3, "no relays"),
    );
    let gateways = [gateway("north", north)];
    let sim = start(&gateways, Faults::default());
    let sink = Recording::new(with_sim(ClientSink::new(), &sim, &gateways, PATIENT));
    let mut groups = RelayGroups::new(
        targets(&gateways),
        Relay::Relay1,
        RelayStatus::Close,
        0,
        3,
        GAP,
    )
    .unwrap();

    let report = groups.run(&sink, &Control::new(), |_| {}).await;
    assert_eq!(
        (report.counts.confirmed, report.counts.skipped),
        (7, 1),
        "{report:#?}"
    );
    let log = sink.log();
    assert_eq!(log.len(), 7);
    assert!(log.iter().all(|s| s.command == "SetRelay"));
    // The V3 meter takes no slot: groups are meters 1-3, 4-6 and 7.
    let groups_of: Vec<Vec<String>> = log
        .chunks(3)
        .map(|g| g.iter().map(|s| s.at.meter.to_string()).collect())
        .collect();
    assert_eq!(
        groups_of[1],
        ["000000000004", "000000000005", "000000000006"]
    );
    let groups_sent: Vec<&[SendRecord]> = log.chunks(3).collect();
    // A group's meters are started together, in one pass of the engine; on a loaded two-core
    // machine that pass can be slow, but it never takes a whole gap.
    for group in &groups_sent {
        let spread = group.last().unwrap().started - group[0].started;
        assert!(spread < GAP, "a group starts together: {spread:?}");
    }
    for pair in groups_sent.windows(2) {
        let between = pair[1][0].started - pair[0][0].started;
        assert!(between >= GAP, "groups start {GAP:?} apart: {between:?}");
    }
    for n in 1..=7 {
        let meter = sim.meter(&n.to_string()).unwrap();
        assert_eq!(meter.relays[0].status, RelayStatus::Close, "meter {n}");
    }
    assert_eq!(sent(&sim, "SetRelay", "000000000099"), 0);
}

#[tokio::test]
async fn an_unconfirmed_relay_command_is_never_resent() {
    let gateways = [gateway("north", meters(1, 4, MeterVersion::V4))];
    let sim = start(&gateways, silent());
    let sink = with_sim(
        ClientSink::new(),
        &sim,
        &gateways,
        Duration::from_millis(300),
    );
    let mut groups = RelayGroups::new(
        targets(&gateways),
        Relay::Relay2,
        RelayStatus::Open,
        30,
        2,
        Duration::ZERO,
    )
    .unwrap();
    let control = Control::new();
    let report = groups.run(&sink, &control, |_| {}).await;
    assert_eq!(report.counts.unconfirmed, 4);
    sim.set_faults(Faults::default());
    let again = groups.run(&sink, &control, |_| {}).await;
    assert_eq!(again.counts.unconfirmed, 4);
    assert_eq!(sim.requests().len(), 4, "one SetRelay per meter, ever");
}

#[tokio::test]
async fn a_stopped_stagger_resumes_with_the_groups_not_yet_started() {
    let gateways = [gateway("north", meters(1, 6, MeterVersion::V4))];
    let sim = start(&gateways, Faults::default());
    let sink = with_sim(ClientSink::new(), &sim, &gateways, PATIENT);
    let mut groups = RelayGroups::new(
        targets(&gateways),
        Relay::Relay1,
        RelayStatus::Close,
        5,
        2,
        GAP,
    )
    .unwrap();
    let control = Control::new();
    // Stop as soon as the first group is done: the second is not due before the gap.
    let first = groups
        .run(&sink, &control, |e| {
            if let JobEvent::Progress(p) = e {
                if p.counts.confirmed == 2 {
                    control.stop();
                }
            }
        })
        .await;
    assert_eq!(
        (first.counts.confirmed, first.counts.stopped),
        (2, 4),
        "{first:#?}"
    );
    control.resume();
    let second = groups.run(&sink, &control, |_| {}).await;
    assert_eq!(second.counts.confirmed, 6);
    for n in 1..=6u64 {
        assert_eq!(sent(&sim, "SetRelay", &format!("{n:012}")), 1, "meter {n}");
    }
    assert!(matches!(
        groups.state_of(&at("north", "6")),
        Some(MeterState::Confirmed)
    ));
}

#[test]
fn relay_groups_are_checked_before_anything_is_sent() {
    let targets = targets(&[gateway("north", meters(1, 1, MeterVersion::V4))]);
    let e = RelayGroups::new(
        targets.clone(),
        Relay::Relay1,
        RelayStatus::Close,
        10_000,
        2,
        GAP,
    )
    .unwrap_err();
    assert_eq!(e.field, "duration");
    let e = RelayGroups::new(
        targets.clone(),
        Relay::Relay1,
        RelayStatus::Close,
        0,
        0,
        GAP,
    )
    .unwrap_err();
    assert_eq!(e.field, "group_size");
    let e = RelayGroups::new(
        targets,
        Relay::Relay1,
        RelayStatus::Close,
        0,
        2,
        Duration::from_secs(7200),
    )
    .unwrap_err();
    assert_eq!(e.field, "gap_seconds");
}
