//! Bulk work paced to each gateway (crate docs of `push3_fleet::pacing`): a gateway that runs one
//! command at a time gets no false "unconfirmed" however slow it is, and one that runs commands
//! side by side gets many at once. Real simulated gateways on 127.0.0.1.

mod support;

use push3::MeterVersion;
use push3_fleet::{BulkJob, ClientSink, Control, GatewayLoad, JobEvent, Paces};
use push3_sim::Faults;
use std::time::Duration;
use support::*;

/// A gateway at `service` per command, one at a time, with 8 meters and every answer waited for
/// only twice the service time: each meter must end confirmed.
async fn one_at_a_time(service: Duration) {
    let gateways = [gateway("north", meters(1, 8, MeterVersion::V4))];
    let sim = start(
        &gateways,
        Faults {
            latency: service,
            concurrent: false,
            ..Faults::default()
        },
    );
    let sink = Recording::new(with_sim(ClientSink::new(), &sim, &gateways, service * 2));
    let mut job = BulkJob::new(lcd_template(), targets(&gateways));
    let mut loads: Vec<GatewayLoad> = Vec::new();
    let report = tokio::time::timeout(
        service * 8 * 3 + Duration::from_secs(10),
        job.run(&sink, &Control::new(), |event| {
            if let JobEvent::Gateway(load) = event {
                loads.push(load);
            }
        }),
    )
    .await
    .expect("the job ends");
    assert_eq!(
        (
            report.counts.confirmed,
            report.counts.unconfirmed,
            report.counts.failed
        ),
        (8, 0, 0),
        "at {service:?} a command: {:?}",
        report.counts
    );
    assert_eq!(writes(&sim), 8, "each meter once");
    // Only what the gateway runs, plus one to hide the round trip: more buys only queueing.
    assert!(
        sink.max_in_flight("north") <= 3,
        "{} in flight at once",
        sink.max_in_flight("north")
    );
    // The work that waited for the gateway was told, and all of it got its turn.
    assert_eq!(loads.first().map(|l| l.waiting), Some(6), "{loads:?}");
    assert_eq!(loads.last().map(|l| (l.waiting, l.under_way)), Some((0, 0)));
}

#[tokio::test]
async fn a_one_at_a_time_gateway_at_200_ms_gives_no_false_unconfirmed() {
    one_at_a_time(Duration::from_millis(200)).await;
}

#[tokio::test]
async fn a_one_at_a_time_gateway_at_1_s_gives_no_false_unconfirmed() {
    one_at_a_time(Duration::from_secs(1)).await;
}

#[tokio::test]
async fn a_one_at_a_time_gateway_at_3_s_gives_no_false_unconfirmed() {
    one_at_a_time(Duration::from_secs(3)).await;
}

#[tokio::test]
async fn a_side_by_side_gateway_is_given_many_commands_at_once() {
    let gateways = [gateway("south", meters(1, 96, MeterVersion::V4))];
    let sim = start(
        &gateways,
        Faults {
            latency: Duration::from_millis(200),
            concurrent: true,
            ..Faults::default()
        },
    );
    let sink = Recording::new(with_sim(ClientSink::new(), &sim, &gateways, PATIENT));
    let mut job = BulkJob::new(lcd_template(), targets(&gateways));
    let report = within(job.run(&sink, &Control::new(), |_| {})).await;
    assert_eq!(report.counts.confirmed, 96, "{:?}", report.counts);
    assert!(
        sink.max_in_flight("south") >= 16,
        "the window widened only to {}",
        sink.max_in_flight("south")
    );
}

#[tokio::test]
async fn a_single_command_sent_beside_a_job_takes_its_turn_and_is_not_timed_while_it_waits() {
    let service = Duration::from_millis(400);
    let gateways = [gateway("north", meters(1, 6, MeterVersion::V4))];
    let sim = start(
        &gateways,
        Faults {
            latency: service,
            concurrent: false,
            ..Faults::default()
        },
    );
    let paces = Paces::default();
    let sink = with_sim(ClientSink::new(), &sim, &gateways, service * 2).with_paces(paces.clone());
    let single = client_for(&sim, &gateways[0], service * 2);
    let mut job = BulkJob::new(lcd_template(), targets(&gateways));
    let control = Control::new();
    let alone = async {
        // Once the job has the gateway busy: two of its commands are ahead of this one.
        while writes(&sim) < 2 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let (paced, turn) = paces.send_alone("north");
        let meter = push3::MeterAddress::parse("000000000006").unwrap();
        let parsed =
            push3::parse("GetTariffData", &serde_json::json!({}), &Default::default()).unwrap();
        let pending = single.send(&meter, &parsed).await.unwrap();
        let outcome = pending.outcome_from(turn.come()).await;
        paced.ended(outcome.is_confirmed());
        outcome
    };
    let (report, outcome) = tokio::join!(job.run(&sink, &control, |_| {}), alone);
    // It waited about two service times at the gateway, as long as its whole timeout, and was
    // still heard: it was timed from its turn.
    assert!(outcome.is_confirmed(), "{outcome:?}");
    assert_eq!(report.counts.confirmed, 6, "{:?}", report.counts);
}

#[tokio::test]
async fn a_job_starts_from_the_pace_the_last_one_learnt() {
    let gateways = [gateway("south", meters(1, 64, MeterVersion::V4))];
    let sim = start(
        &gateways,
        Faults {
            latency: Duration::from_millis(100),
            concurrent: true,
            ..Faults::default()
        },
    );
    let paces = Paces::default();
    let sink = with_sim(ClientSink::new(), &sim, &gateways, PATIENT).with_paces(paces.clone());
    assert_eq!(paces.window("south", 32), 2, "nothing learnt yet");
    let mut first = BulkJob::new(lcd_template(), targets(&gateways));
    within(first.run(&sink, &Control::new(), |_| {})).await;
    assert_eq!(paces.window("south", 32), 32, "widened to the cap");
    let mut second = BulkJob::new(tou_template(), targets(&gateways));
    let mut first_load = None;
    within(second.run(&sink, &Control::new(), |event| {
        if let JobEvent::Gateway(load) = event {
            first_load.get_or_insert(load);
        }
    }))
    .await;
    assert_eq!(
        first_load.map(|l| l.under_way),
        Some(32),
        "the second job starts 32 at once"
    );
}
