//! The response stream over websocket, HTTP (newline and back-to-back framing) and auto, under
//! every fault the simulator can inject: latency and jitter, reordering, other clients' messages,
//! duplicates, malformed frames, pings, a dropped stream, 403 until the first message, silence
//! and an offline gateway. Each case starts its own simulator.

mod support;

use futures_util::future::join_all;
use push3::undocumented::{SchedulesData, TariffData};
use push3::{Outcome, Transport};
use push3_sim::{Faults, Framing, RelayStatus, SimConfig, Simulator, DEMO_KEY};
use serde_json::json;
use std::time::Duration;
use support::*;

fn relay_close() -> push3::ParsedCommand {
    command(
        "SetRelay",
        json!({"relay": "Relay_1", "status": "close", "duration": 0}),
    )
}

#[tokio::test]
async fn reads_return_their_data_over_every_transport() {
    for (label, transport, framing) in STREAMS {
        let sim = sim(Faults::default(), framing);
        let client = client(&sim, transport);
        let outcome = client
            .execute(&meter(SEED_METER), &command("GetSchedules", json!({})))
            .await
            .unwrap();
        let Outcome::Confirmed {
            data: Some(data),
            timestamp,
        } = outcome
        else {
            panic!("{label}: {outcome:?}")
        };
        assert!(timestamp > 1.6e9, "{label}: epoch seconds");
        let schedules = SchedulesData::from_data(&data).unwrap();
        assert_eq!(schedules.schedules.len(), 6, "{label}");
        assert_eq!(schedules.holiday_dates.len(), 20, "{label}");

        let outcome = client
            .execute(&meter(V3_METER), &command("GetTariffData", json!({})))
            .await
            .unwrap();
        let Outcome::Confirmed {
            data: Some(data), ..
        } = outcome
        else {
            panic!("{label}: {outcome:?}")
        };
        let tariffs = TariffData::from_data(&data).unwrap();
        assert_eq!(
            (tariffs.forward.len(), tariffs.reverse.len()),
            (6, 6),
            "{label}"
        );
    }
}

#[tokio::test]
async fn a_set_changes_the_meter_and_gateway_failures_come_back_verbatim() {
    for (label, transport, framing) in STREAMS {
        let sim = sim(Faults::default(), framing);
        let client = client(&sim, transport);
        let ct = command("SetCTRatio", json!({"ct_ratio": "400"}));
        assert!(
            client
                .execute(&meter(SEED_METER), &ct)
                .await
                .unwrap()
                .is_confirmed(),
            "{label}"
        );
        assert_eq!(sim.meter(SEED_METER).unwrap().ct_ratio, 400, "{label}");

        let outcome = client
            .execute(&meter(V3_METER), &relay_close())
            .await
            .unwrap();
        let Outcome::Failed { error, .. } = outcome else {
            panic!("{label}: {outcome:?}")
        };
        assert!(!error.is_empty(), "{label}: V3 has no relays");

        let outcome = client
            .execute(&meter(TENANT_METER), &relay_close())
            .await
            .unwrap();
        assert!(
            matches!(outcome, Outcome::Failed { .. }),
            "{label}: factory password on a changed meter"
        );
        assert_eq!(
            sim.meter(TENANT_METER).unwrap().relays[0].status,
            RelayStatus::Open,
            "{label}"
        );
    }
}

#[tokio::test]
async fn concurrent_commands_share_one_subscription_and_each_gets_its_own_answer() {
    for (label, transport, framing) in STREAMS {
        let faults = Faults {
            latency: Duration::from_millis(20),
            jitter: Duration::from_millis(60),
            ..Faults::default()
        };
        let sim = sim(faults, framing);
        let client = client(&sim, transport);
        let seed = meter(SEED_METER);
        let v3 = meter(V3_METER);
        let mut jobs = Vec::new();
        for i in 0..12 {
            // Alternate commands that succeed with ones that fail, so a mix-up would show.
            let (target, cmd) = if i % 2 == 0 {
                (&seed, command("GetTariffData", json!({})))
            } else {
                (&v3, relay_close())
            };
            let client = client.clone();
            jobs.push(async move { client.execute(target, &cmd).await.unwrap() });
        }
        let outcomes = join_all(jobs).await;
        for (i, outcome) in outcomes.iter().enumerate() {
            if i % 2 == 0 {
                assert!(
                    matches!(outcome, Outcome::Confirmed { data: Some(_), .. }),
                    "{label} #{i}: {outcome:?}"
                );
            } else {
                assert!(
                    matches!(outcome, Outcome::Failed { .. }),
                    "{label} #{i}: {outcome:?}"
                );
            }
        }
        let stats = client.stream_stats();
        assert_eq!(stats.subscriptions_started, 1, "{label}: {stats:?}");
        assert_eq!(stats.delivered, 12, "{label}: {stats:?}");
    }
}

/// A cold burst to an instantly answering gateway: dozens of answers are published before the
/// one shared stream is listening, more than the seed's `.b20` replays. The client asks for
/// enough backtrack to cover every command still awaiting its answer.
#[tokio::test]
async fn a_cold_burst_to_an_instant_gateway_is_fully_correlated() {
    const BURST: usize = 60;
    for (label, transport, framing) in STREAMS {
        let sim = sim(Faults::default(), framing);
        let client = client(&sim, transport);
        let seed = meter(SEED_METER);
        let jobs = (0..BURST).map(|_| {
            let client = client.clone();
            let seed = seed.clone();
            async move { client.execute(&seed, &relay_close()).await.unwrap() }
        });
        let outcomes = join_all(jobs).await;
        let confirmed = outcomes.iter().filter(|o| o.is_confirmed()).count();
        assert_eq!(confirmed, BURST, "{label}: {:?}", client.stream_stats());
        assert_eq!(sim.requests().len(), BURST, "{label}: nothing resent");
    }
}

#[tokio::test]
async fn reordered_answers_are_matched_by_msg_id() {
    for (label, transport, framing) in STREAMS {
        let sim = sim(
            Faults {
                reorder: true,
                ..Faults::default()
            },
            framing,
        );
        let client = client(&sim, transport);
        let pendings = join_all([
            client.send(&meter(SEED_METER), &command("GetSchedules", json!({}))),
            client.send(&meter(V3_METER), &relay_close()),
            client.send(
                &meter(V4_METER),
                &command("SetCTRatio", json!({"ct_ratio": "800"})),
            ),
        ])
        .await;
        let outcomes = join_all(pendings.into_iter().map(|p| p.unwrap().outcome())).await;
        assert!(
            matches!(&outcomes[0], Outcome::Confirmed { data: Some(d), .. } if d.get("schedules").is_some()),
            "{label}"
        );
        assert!(
            matches!(&outcomes[1], Outcome::Failed { .. }),
            "{label}: {:?}",
            outcomes[1]
        );
        assert!(
            matches!(&outcomes[2], Outcome::Confirmed { data: None, .. }),
            "{label}: {:?}",
            outcomes[2]
        );
    }
}

/// Sends two commands one after the other on one subscription, so everything the first one's
/// faults put on the stream has been read once the second is answered.
async fn two_in_a_row(sim: &Simulator, transport: Transport) -> push3::StreamStats {
    let client = client(sim, transport);
    for cmd in [relay_close(), command("GetTariffData", json!({}))] {
        let outcome = client.execute(&meter(SEED_METER), &cmd).await.unwrap();
        assert!(outcome.is_confirmed(), "{transport}: {outcome:?}");
    }
    client.stream_stats()
}

#[tokio::test]
async fn other_clients_messages_are_ignored() {
    for (label, transport, framing) in STREAMS {
        let sim = sim(
            Faults {
                foreign_messages: true,
                ..Faults::default()
            },
            framing,
        );
        let stats = two_in_a_row(&sim, transport).await;
        assert!(stats.unclaimed >= 2, "{label}: {stats:?}");
        assert_eq!(stats.delivered, 2, "{label}");
    }
}

#[tokio::test]
async fn duplicates_are_dropped_and_the_first_answer_wins() {
    for (label, transport, framing) in STREAMS {
        let sim = sim(
            Faults {
                duplicates: true,
                ..Faults::default()
            },
            framing,
        );
        let stats = two_in_a_row(&sim, transport).await;
        assert!(stats.duplicates >= 1, "{label}: {stats:?}");
        assert_eq!(stats.delivered, 2, "{label}");
    }
}

#[tokio::test]
async fn malformed_frames_are_skipped() {
    for (label, transport, framing) in STREAMS {
        let sim = sim(
            Faults {
                malformed_frames: true,
                ..Faults::default()
            },
            framing,
        );
        let stats = two_in_a_row(&sim, transport).await;
        assert!(stats.skipped >= 2, "{label}: {stats:?}");
    }
}

#[tokio::test]
async fn pings_are_skipped_while_waiting() {
    for (label, transport, framing) in STREAMS {
        let config = SimConfig {
            framing,
            ping_interval: Duration::from_millis(10),
            faults: Faults {
                latency: Duration::from_millis(150),
                ..Faults::default()
            },
            ..SimConfig::demo()
        };
        let sim = Simulator::start(config).unwrap();
        let outcome = client(&sim, transport)
            .execute(&meter(SEED_METER), &relay_close())
            .await
            .unwrap();
        assert!(outcome.is_confirmed(), "{label}: {outcome:?}");
    }
}

#[tokio::test]
async fn a_dropped_stream_is_reopened_with_backtrack() {
    for (label, transport, framing) in STREAMS {
        let sim = sim(Faults::default(), framing);
        let client = client(&sim, transport);
        let get = command("GetSchedules", json!({}));
        assert!(client
            .execute(&meter(SEED_METER), &get)
            .await
            .unwrap()
            .is_confirmed());
        // The subscription lingers connected; the next answer is preceded by a drop.
        sim.set_faults(Faults {
            drop_stream: true,
            ..Faults::default()
        });
        let outcome = client
            .execute(&meter(SEED_METER), &relay_close())
            .await
            .unwrap();
        assert!(outcome.is_confirmed(), "{label}: {outcome:?}");
        let stats = client.stream_stats();
        assert!(stats.connects >= 2, "{label}: {stats:?}");
        // With an instant answer the drop can land before the command has registered its
        // msg_id; the idle subscription then ends and a fresh one (with backtrack) takes over.
        // Either way the answer is recovered from the stored messages, never by resending.
        assert!(stats.subscriptions_started <= 2, "{label}: {stats:?}");
        assert_eq!(sim.requests().len(), 2, "{label}: nothing resent");
    }
}

#[tokio::test]
async fn a_403_before_the_first_message_means_not_yet() {
    for (label, transport, framing) in STREAMS {
        let faults = Faults {
            forbid_until_first_message: true,
            latency: Duration::from_millis(300),
            ..Faults::default()
        };
        let sim = sim(faults, framing);
        let client = client(&sim, transport);
        let outcome = client
            .execute(&meter(SEED_METER), &relay_close())
            .await
            .unwrap();
        assert!(outcome.is_confirmed(), "{label}: {outcome:?}");
        let stats = client.stream_stats();
        assert!(stats.not_yet >= 1, "{label}: {stats:?}");
        assert_eq!(
            stats.http_fallbacks, 0,
            "{label}: a 403 is not a reason to give up on websocket"
        );
    }
}

#[tokio::test]
async fn silence_is_unconfirmed_and_a_write_is_never_resent() {
    for (label, transport, framing) in STREAMS {
        let sim = sim(
            Faults {
                silent: true,
                ..Faults::default()
            },
            framing,
        );
        let client = client_for(&sim.api_url(), transport, Duration::from_millis(300));
        let outcome = client
            .execute(&meter(SEED_METER), &relay_close())
            .await
            .unwrap();
        assert_eq!(outcome, Outcome::Unconfirmed, "{label}");
        assert_eq!(sim.requests().len(), 1, "{label}");
        // Silent still runs the command: an unconfirmed relay may well have switched (G10).
        assert_eq!(
            sim.meter(SEED_METER).unwrap().relays[0].status,
            RelayStatus::Close,
            "{label}"
        );
    }
}

#[tokio::test]
async fn an_offline_gateway_leaves_the_command_unconfirmed_and_runs_it_late() {
    for (label, transport, framing) in STREAMS {
        let sim = sim(Faults::default(), framing);
        assert!(sim.set_gateway_online(DEMO_KEY, false));
        let impatient = client_for(&sim.api_url(), transport, Duration::from_millis(300));
        let outcome = impatient
            .execute(&meter(SEED_METER), &relay_close())
            .await
            .unwrap();
        assert_eq!(outcome, Outcome::Unconfirmed, "{label}");
        assert_eq!(
            sim.meter(SEED_METER).unwrap().relays[0].status,
            RelayStatus::Open,
            "{label}"
        );

        assert!(sim.set_gateway_online(DEMO_KEY, true));
        // The gateway works its queue in order, so once a later read is answered the queued
        // relay command has run: late, and exactly once.
        let read = client(&sim, transport)
            .execute(&meter(SEED_METER), &command("GetSchedules", json!({})))
            .await
            .unwrap();
        assert!(read.is_confirmed(), "{label}");
        assert_eq!(
            sim.meter(SEED_METER).unwrap().relays[0].status,
            RelayStatus::Close,
            "{label}"
        );
        assert_eq!(
            sim.requests().len(),
            2,
            "{label}: the relay command was sent once"
        );
    }
}

#[tokio::test]
async fn the_live_state_shows_sent_with_its_msg_id_before_the_outcome() {
    let sim = sim(
        Faults {
            latency: Duration::from_millis(100),
            ..Faults::default()
        },
        Framing::Newline,
    );
    let client = client(&sim, Transport::Auto);
    let pending = client
        .send(&meter(SEED_METER), &relay_close())
        .await
        .unwrap();
    assert_eq!(pending.msg_id().len(), 32);
    assert!(pending.deadline() > std::time::Instant::now());
    let msg_id = pending.msg_id().to_string();
    let outcome = pending.await;
    let message = outcome.response_message(&msg_id).unwrap();
    assert!(message.success && message.msg_id == msg_id);
}
