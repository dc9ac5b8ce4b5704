//! Bulk apply against simulated gateways on 127.0.0.1, with faults: what each meter is sent,
//! how far a run goes, and what a later run may (never) send again.

mod support;

use push3::MeterVersion;
use push3_fleet::{BulkJob, ClientSink, Control, JobEvent, MeterState, SkipReason, Verdict};
use push3_sim::{Faults, MeterConfig};
use std::time::Duration;
use support::*;
use tokio::sync::mpsc;

#[tokio::test]
async fn one_failing_meter_does_not_stop_the_others() {
    let mut north = meters(1, 5, MeterVersion::V4);
    north.push(
        MeterConfig::new("000000000006", MeterVersion::V4, "tenant").with_password("12345678"),
    );
    north.push(MeterConfig::new("000000000007", MeterVersion::V3, "old"));
    let gateways = [gateway("north", north)];
    let sim = start(&gateways, Faults::default());
    let sink = with_sim(ClientSink::new(), &sim, &gateways, PATIENT);

    let mut job = BulkJob::new(lcd_template(), targets(&gateways));
    let report = job.run(&sink, &Control::new(), |_| {}).await;

    assert_eq!(
        (
            report.counts.confirmed,
            report.counts.failed,
            report.counts.skipped
        ),
        (5, 1, 1),
        "{report:#?}"
    );
    let MeterState::Failed { error } = job.state_of(&at("north", "6")).unwrap() else {
        panic!("the meter on another password fails");
    };
    assert!(
        error.starts_with("SetLCD: ") && error.contains("password"),
        "{error}"
    );
    assert!(matches!(
        job.state_of(&at("north", "7")),
        Some(MeterState::Skipped { reason: SkipReason::CannotTake { reason } }) if reason.contains("V4 or V5")
    ));
    assert_eq!(
        sent(&sim, "SetLCD", "000000000007"),
        0,
        "nothing goes to a V3 meter"
    );
    for n in 1..=5 {
        let meter = sim.meter(&n.to_string()).unwrap();
        assert_eq!(meter.lcd_items, LCD_ITEMS, "meter {n}");
    }
    let known = job.targets().find(|t| t.at == at("north", "1")).unwrap();
    assert_eq!(known.known.lcd.as_ref().unwrap().value, LCD_ITEMS);
}

#[tokio::test]
async fn a_stopped_job_resumes_without_resending_confirmed_meters() {
    let gateways = [gateway("north", meters(1, 12, MeterVersion::V4))];
    let sim = start(&gateways, latency(40));
    let sink = with_sim(ClientSink::new(), &sim, &gateways, PATIENT);
    let mut job = BulkJob::new(lcd_template(), targets(&gateways)).with_per_gateway(2);

    let control = Control::new();
    let first = job
        .run(&sink, &control, |event| {
            if let JobEvent::Meter {
                state: MeterState::Confirmed,
                ..
            } = event
            {
                control.stop();
            }
        })
        .await;
    assert!(first.counts.confirmed >= 1, "{:?}", first.counts);
    assert!(first.counts.stopped >= 8, "{:?}", first.counts);
    assert_eq!(first.counts.confirmed + first.counts.stopped, 12);
    let confirmed_first: Vec<_> = first
        .rows
        .iter()
        .filter(|r| r.state == MeterState::Confirmed)
        .map(|r| r.at.clone())
        .collect();

    control.resume();
    let second = job.run(&sink, &control, |_| {}).await;
    assert_eq!(second.counts.confirmed, 12, "{:?}", second.counts);
    for n in 1..=12u64 {
        assert_eq!(
            sent(&sim, "SetLCD", &format!("{n:012}")),
            1,
            "meter {n} got exactly one SetLCD"
        );
    }
    for at in confirmed_first {
        let row = second.rows.iter().find(|r| r.at == at).unwrap();
        assert_eq!(
            row.commands.len(),
            1,
            "{at} was not sent anything by the second run"
        );
    }
}

#[tokio::test]
async fn meters_that_comply_are_skipped_and_sent_nothing() {
    let gateways = [gateway("north", meters(1, 4, MeterVersion::V4))];
    let sim = start(&gateways, Faults::default());
    let sink = with_sim(ClientSink::new(), &sim, &gateways, PATIENT);
    let mut first = BulkJob::new(lcd_template(), targets(&gateways));
    assert_eq!(
        first
            .run(&sink, &Control::new(), |_| {})
            .await
            .counts
            .confirmed,
        4
    );
    let writes_before = writes(&sim);

    // A new job over the same meters, with what the first one learned.
    let mut again = BulkJob::new(lcd_template(), first.targets().cloned().collect());
    let preview = again.preview(&sink, |_| {}).await;
    assert_eq!((preview.complies, preview.would_change), (4, 0));
    assert!(
        matches!(&preview.rows[0].verdict, Verdict::Complies { unchanged } if unchanged == &["Display list"])
    );
    let report = again.run(&sink, &Control::new(), |_| {}).await;
    assert_eq!(report.counts.skipped, 4);
    assert!(report.rows.iter().all(|r| r.state
        == MeterState::Skipped {
            reason: SkipReason::Complies
        }));
    assert_eq!(writes(&sim), writes_before, "the second run sent nothing");
}

#[tokio::test]
async fn a_tou_preview_reads_back_and_skips_meters_already_in_line() {
    let gateways = [gateway("north", meters(1, 3, MeterVersion::V3))];
    let sim = start(&gateways, Faults::default());
    let sink = with_sim(ClientSink::new(), &sim, &gateways, PATIENT);
    let mut first = BulkJob::new(tou_template(), targets(&gateways));
    first.preview(&sink, |_| {}).await;
    // Every schedule, the holidays and the weekend schedule differ from the factory program.
    let report = first.run(&sink, &Control::new(), |_| {}).await;
    assert_eq!(report.counts.confirmed, 3, "{report:#?}");
    assert_eq!(sent(&sim, "SetSchedule", "000000000001"), 6);
    let writes_before = writes(&sim);

    // Nothing known this time: the read-back alone shows the meters comply.
    let mut second = BulkJob::new(tou_template(), targets(&gateways));
    let mut reads = Vec::new();
    let preview = second.preview(&sink, |p| reads.push(p.read)).await;
    assert_eq!(preview.complies, 3, "{preview:#?}");
    assert_eq!(reads.last(), Some(&3));
    let report = second.run(&sink, &Control::new(), |_| {}).await;
    assert_eq!(report.counts.skipped, 3);
    assert_eq!(writes(&sim), writes_before, "only GetSchedules was sent");
    assert_eq!(sent(&sim, "GetSchedules", "000000000002"), 2);
}

#[tokio::test]
async fn unconfirmed_meters_are_reported_and_never_resent() {
    let north = [gateway("north", meters(1, 3, MeterVersion::V4))];
    let south = [gateway("south", meters(11, 3, MeterVersion::V4))];
    let north_sim = start(&north, Faults::default());
    let south_sim = start(&south, silent());
    let sink = with_sim(ClientSink::new(), &north_sim, &north, PATIENT);
    let sink = with_sim(sink, &south_sim, &south, Duration::from_millis(300));
    let mut all = targets(&north);
    all.extend(targets(&south));
    let mut job = BulkJob::new(lcd_template(), all);

    let control = Control::new();
    let report = job.run(&sink, &control, |_| {}).await;
    assert_eq!((report.counts.confirmed, report.counts.unconfirmed), (3, 3));
    let unconfirmed: Vec<String> = report
        .unconfirmed()
        .map(|r| r.at.meter.to_string())
        .collect();
    assert_eq!(
        unconfirmed,
        ["000000000011", "000000000012", "000000000013"]
    );
    let row = report.unconfirmed().next().unwrap();
    assert!(
        row.state.detail().contains("may still run"),
        "{}",
        row.state.detail()
    );
    assert!(job
        .targets()
        .filter(|t| t.at.gateway_id == "south")
        .all(|t| t.known.lcd.is_none()));
    // The silent gateway still ran them: an unconfirmed command is not a failed one (G10).
    assert_eq!(south_sim.meter("11").unwrap().lcd_items, LCD_ITEMS);

    let again = job.run(&sink, &control, |_| {}).await;
    assert_eq!(again.counts.unconfirmed, 3);
    assert_eq!(
        south_sim.requests().len(),
        3,
        "no second SetLCD to the silent gateway"
    );

    // Only the user's explicit retry sends one again.
    south_sim.set_faults(Faults::default());
    assert_eq!(
        job.retry(&[at("south", "12"), at("north", "1")]),
        [at("south", "12")]
    );
    let retried = job.run(&sink, &control, |_| {}).await;
    assert_eq!(
        (retried.counts.confirmed, retried.counts.unconfirmed),
        (4, 2)
    );
    assert_eq!(sent(&south_sim, "SetLCD", "000000000012"), 2);
    assert_eq!(sent(&south_sim, "SetLCD", "000000000011"), 1);
    assert_eq!(sent(&north_sim, "SetLCD", "000000000001"), 1);
}

#[tokio::test]
async fn a_meter_left_unconfirmed_before_the_job_is_held_until_the_user_retries_it() {
    let gateways = [gateway("north", meters(1, 3, MeterVersion::V4))];
    let sim = start(&gateways, Faults::default());
    let sink = with_sim(ClientSink::new(), &sim, &gateways, PATIENT);
    // Meter 2's SetLCD of an earlier run (or of the app) got no answer.
    let mut job = BulkJob::new(lcd_template(), targets(&gateways)).with_unconfirmed(
        &at("north", "2"),
        "SetLCD",
        Some("m-earlier".into()),
    );

    let preview = job.preview(&sink, |_| {}).await;
    let previewed: Vec<_> = preview.rows.iter().map(|r| r.at.clone()).collect();
    assert_eq!(previewed, [at("north", "1"), at("north", "3")]);
    let report = job.run(&sink, &Control::new(), |_| {}).await;
    assert_eq!((report.counts.confirmed, report.counts.unconfirmed), (2, 1));
    assert_eq!(sent(&sim, "SetLCD", "000000000002"), 0, "held back");
    let held = report.unconfirmed().next().unwrap();
    assert_eq!(held.at, at("north", "2"));
    assert!(held.commands.is_empty(), "this job sent it nothing");
    assert!(
        held.state
            .detail()
            .contains("SetLCD got no answer (msg_id m-earlier)"),
        "{}",
        held.state.detail()
    );

    assert_eq!(job.retry(&[at("north", "2")]), [at("north", "2")]);
    let retried = job.run(&sink, &Control::new(), |_| {}).await;
    assert_eq!(retried.counts.confirmed, 3);
    assert_eq!(sent(&sim, "SetLCD", "000000000002"), 1);
}

#[tokio::test]
async fn pause_starts_no_new_meter_until_resumed() {
    let gateways = [gateway("north", meters(1, 8, MeterVersion::V4))];
    let sim = start(&gateways, latency(60));
    let sink = with_sim(ClientSink::new(), &sim, &gateways, PATIENT);
    let mut job = BulkJob::new(lcd_template(), targets(&gateways)).with_per_gateway(2);
    let control = Control::new();
    let (events, mut heard) = mpsc::unbounded_channel();

    let observe = async {
        loop {
            if let Some(JobEvent::Meter {
                state: MeterState::Confirmed,
                ..
            }) = heard.recv().await
            {
                control.pause();
                break;
            }
        }
        while !matches!(heard.recv().await, Some(JobEvent::Paused)) {}
        let sent_when_paused = sim.requests().len();
        assert!(sent_when_paused < 8, "{sent_when_paused}");
        // Long enough for several meters to have started at this latency, had it not paused.
        tokio::time::sleep(Duration::from_millis(400)).await;
        assert_eq!(
            sim.requests().len(),
            sent_when_paused,
            "no meter started while paused"
        );
        assert!(heard.try_recv().is_err(), "no event while paused");
        control.resume();
        sent_when_paused
    };
    let (report, sent_when_paused) = within(async {
        tokio::join!(
            job.run(&sink, &control, |e| events.send(e).unwrap()),
            observe
        )
    })
    .await;
    assert_eq!(report.counts.confirmed, 8, "{:?}", report.counts);
    assert!(sent_when_paused >= 1);
    assert_eq!(sim.requests().len(), 8);
}

#[tokio::test]
async fn bounded_concurrency_is_respected_per_gateway() {
    let gateways = [
        gateway("north", meters(1, 20, MeterVersion::V4)),
        gateway("south", meters(101, 20, MeterVersion::V4)),
    ];
    let sim = start(&gateways, latency(30));
    let sink = Recording::new(with_sim(ClientSink::new(), &sim, &gateways, PATIENT));
    let mut job = BulkJob::new(lcd_template(), targets(&gateways)).with_per_gateway(3);
    let mut in_flight_seen = 0;
    let report = job
        .run(&sink, &Control::new(), |e| {
            if let JobEvent::Progress(p) = e {
                in_flight_seen = in_flight_seen.max(p.in_flight);
            }
        })
        .await;
    assert_eq!(report.counts.confirmed, 40);
    assert_eq!(sink.max_in_flight("north"), 3);
    assert_eq!(sink.max_in_flight("south"), 3);
    // More than one gateway's worth at once: both ran side by side (exactly 6 unless a loaded
    // machine lets one gateway's first meters finish before the other's start).
    assert!(
        in_flight_seen > 3,
        "both gateways ran side by side: {in_flight_seen}"
    );
}

#[tokio::test]
async fn a_run_cut_short_leaves_its_meters_unconfirmed_and_never_resends_them() {
    let gateways = [gateway("north", meters(1, 4, MeterVersion::V4))];
    let sim = start(&gateways, silent());
    let sink = with_sim(ClientSink::new(), &sim, &gateways, PATIENT);
    let mut job = BulkJob::new(lcd_template(), targets(&gateways)).with_per_gateway(2);
    let control = Control::new();
    let (events, mut heard) = mpsc::unbounded_channel();

    // The app closing mid-run: the run is dropped while two SetLCD wait for answers.
    within(async { tokio::select! {
        _ = job.run(&sink, &control, |e| events.send(e).unwrap()) => panic!("a silent gateway never answers"),
        () = async {
            let mut running = 0;
            while running < 2 {
                if let Some(JobEvent::Meter { state: MeterState::Running { .. }, .. }) = heard.recv().await {
                    running += 1;
                }
            }
            // Until both POSTs have reached the simulator.
            while sim.requests().len() < 2 {
                tokio::task::yield_now().await;
            }
        } => {}
    }})
    .await;
    drop(events);
    sim.set_faults(Faults::default());
    let report = job.run(&sink, &control, |_| {}).await;
    assert_eq!(
        (report.counts.unconfirmed, report.counts.confirmed),
        (2, 2),
        "{report:#?}"
    );
    for row in report.unconfirmed() {
        assert_eq!(sent(&sim, "SetLCD", row.at.meter.as_str()), 1);
        assert!(
            matches!(&row.state, MeterState::Unconfirmed { command, .. } if command == "SetLCD")
        );
    }
    assert_eq!(sim.requests().len(), 4);
}

/// The app runs jobs inside Tauri commands, whose futures must be `Send`.
#[tokio::test]
async fn every_job_can_run_on_a_multi_threaded_runtime() {
    fn assert_send<T: Send>(_: T) {}
    let gateways = [gateway("north", meters(1, 1, MeterVersion::V4))];
    let sim = start(&gateways, Faults::default());
    let sink = with_sim(ClientSink::new(), &sim, &gateways, PATIENT);
    let control = Control::new();
    let mut bulk = BulkJob::new(lcd_template(), targets(&gateways));
    assert_send(bulk.preview(&sink, |_| {}));
    assert_send(bulk.run(&sink, &control, |_| {}));
    let mut relays = push3_fleet::RelayGroups::new(
        targets(&gateways),
        push3::command::Relay::Relay1,
        push3::command::RelayStatus::Close,
        0,
        1,
        Duration::ZERO,
    )
    .unwrap();
    assert_send(relays.run(&sink, &control, |_| {}));
    assert_send(push3_fleet::drift(
        targets(&gateways),
        &tou_template(),
        &sink,
        |_| {},
    ));
}
