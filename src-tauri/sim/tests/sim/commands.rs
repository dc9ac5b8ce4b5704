//! Every command against a meter's state: each Set… changes what the meter holds and a Get… or
//! the state snapshot shows it; and what a meter refuses comes back as `success:false`.

use crate::support::*;
use chrono::{NaiveDate, NaiveDateTime};
use push3::undocumented::{Holiday, Period, SchedulesData, Season, TariffData};
use push3_sim::RelayStatus;
use serde_json::json;

async fn schedules(sim: &push3_sim::Simulator, meter: &str) -> SchedulesData {
    SchedulesData::from_data(&run_ok(sim, "GetSchedules", meter, json!({})).await).unwrap()
}

#[tokio::test]
async fn set_meter_password_changes_which_password_the_meter_accepts() {
    let sim = demo();
    let change = json!({"new_password": "24681357", "meter_password": "00000000"});
    run_ok(&sim, "SetMeterPassword", SEED_METER, change).await;
    assert_eq!(sim.meter(SEED_METER).unwrap().password, "24681357");
    let old = json!({"relay": "Relay_1", "status": "close", "duration": 0});
    let error = run_failed(&sim, "SetRelay", SEED_METER, old).await;
    assert!(error.contains("rejected the meter password"), "{error}");
    let new = json!({"relay": "Relay_1", "status": "close", "duration": 0,
        "meter_password": "24681357"});
    run_ok(&sim, "SetRelay", SEED_METER, new).await;
    assert_eq!(
        sim.meter(SEED_METER).unwrap().relays[0].status,
        RelayStatus::Close
    );
}

#[tokio::test]
async fn set_ct_ratio_round_trips_on_v3_and_v4() {
    let sim = demo();
    for meter in [SEED_METER, V3_METER] {
        run_ok(&sim, "SetCTRatio", meter, json!({"ct_ratio": "400"})).await;
        assert_eq!(sim.meter(meter).unwrap().ct_ratio, 400);
    }
}

#[tokio::test]
async fn set_time_moves_the_meter_clock() {
    let sim = demo();
    let params = json!({"year": "2031", "month": "03", "day": "09", "hour": "14",
        "minutes": "05", "seconds": "30"});
    run_ok(&sim, "SetTime", SEED_METER, params).await;
    let wanted: NaiveDateTime = NaiveDate::from_ymd_opt(2031, 3, 9)
        .unwrap()
        .and_hms_opt(14, 5, 30)
        .unwrap();
    let drift = (sim.meter(SEED_METER).unwrap().meter_time() - wanted).num_seconds();
    assert!(
        (0..=5).contains(&drift),
        "meter clock {drift} s from what was set"
    );
}

#[tokio::test]
async fn demand_period_interval_and_reset_change_the_meter() {
    let sim = demo();
    assert!(sim.meter(SEED_METER).unwrap().max_demand_watts > 0.0);
    run_ok(
        &sim,
        "SetMaxDemandPeriod",
        SEED_METER,
        json!({"max_demand_period": 4}),
    )
    .await;
    run_ok(
        &sim,
        "SetMaxDemandResetInterval",
        SEED_METER,
        json!({"interval": 2}),
    )
    .await;
    run_ok(&sim, "SetMaxDemandResetNow", SEED_METER, json!({})).await;
    let meter = sim.meter(SEED_METER).unwrap();
    assert_eq!(meter.max_demand_period, 4);
    assert_eq!(meter.max_demand_reset_interval, 2);
    assert_eq!(meter.max_demand_watts, 0.0);
}

#[tokio::test]
async fn set_lcd_replaces_the_display_list_in_order() {
    let sim = demo();
    let fields = ["RMS_Volts_Ln_1", "Line_Freq", "CT_Ratio", "kWh_Tot"];
    run_ok(&sim, "SetLCD", V5_METER, json!({"display_fields": fields})).await;
    assert_eq!(sim.meter(V5_METER).unwrap().lcd_items, fields);
}

#[tokio::test]
async fn pulse_ratios_round_trip() {
    let sim = demo();
    run_ok(
        &sim,
        "SetPulseInputRatio",
        SEED_METER,
        json!({"pulse_line": 2, "pulse_input_ratio": 343}),
    )
    .await;
    run_ok(
        &sim,
        "SetPulseOutputRatio",
        SEED_METER,
        json!({"pulse_line": 1, "pulse_output_ratio": 400}),
    )
    .await;
    let meter = sim.meter(SEED_METER).unwrap();
    assert_eq!(meter.pulse_input_ratios, [1, 343, 1]);
    assert_eq!(meter.pulse_output_ratio, 400);
}

#[tokio::test]
async fn a_queued_ct_change_can_invalidate_a_pulse_output_ratio_before_it_runs() {
    let sim = demo();
    sim.set_gateway_online(push3_sim::DEMO_KEY, false);
    // Both are valid when sent (CT 200 allows 800); the CT change runs first and 5000 does not.
    send(&sim, "SetCTRatio", SEED_METER, json!({"ct_ratio": "5000"}))
        .await
        .msg_id();
    let ratio = send(
        &sim,
        "SetPulseOutputRatio",
        SEED_METER,
        json!({"pulse_line": 1, "pulse_output_ratio": 800}),
    )
    .await;
    let mut stream = HttpStream::open(&ratio.host(), &format!("{}.b10", ratio.channel())).await;
    sim.set_gateway_online(push3_sim::DEMO_KEY, true);
    assert_eq!(stream.next_message().await["success"], true);
    let refused = stream.next_message().await;
    assert_eq!(refused["msg_id"], ratio.msg_id().as_str());
    assert_eq!(refused["success"], false);
    assert!(
        refused["error"].as_str().unwrap().contains("CT ratio 5000"),
        "{refused}"
    );
}

#[tokio::test]
async fn set_zero_resettable_kwh_zeroes_both_registers() {
    let sim = demo();
    assert!(sim.meter(SEED_METER).unwrap().resettable_kwh > 0.0);
    run_ok(&sim, "SetZeroResettableKWH", SEED_METER, json!({})).await;
    let meter = sim.meter(SEED_METER).unwrap();
    assert_eq!((meter.resettable_kwh, meter.resettable_rev_kwh), (0.0, 0.0));
    assert!(meter.kwh_total > 0.0, "the lifetime register is untouched");
}

#[tokio::test]
async fn set_relay_opens_and_closes_each_relay_and_shows_in_state_out() {
    let sim = demo();
    let relay = |r: &str, s: &str| {
        json!({"relay": r, "status": s, "duration": 0,
        "meter_password": "00000000"})
    };
    run_ok(&sim, "SetRelay", V5_METER, relay("Relay_1", "close")).await;
    assert_eq!(sim.meter(V5_METER).unwrap().state_out(), 3);
    run_ok(&sim, "SetRelay", V5_METER, relay("Relay_2", "close")).await;
    assert_eq!(sim.meter(V5_METER).unwrap().state_out(), 4);
    run_ok(&sim, "SetRelay", V5_METER, relay("Relay_1", "open")).await;
    let meter = sim.meter(V5_METER).unwrap();
    assert_eq!(meter.relays[0].status, RelayStatus::Open);
    assert_eq!(meter.relays[1].status, RelayStatus::Close);
    assert!(
        meter.relays.iter().all(|r| r.reverts_at.is_none()),
        "held, not timed"
    );
}

#[tokio::test]
async fn schedules_holidays_weekend_and_seasons_round_trip_through_get_schedules() {
    let sim = demo();
    let periods = [
        Period {
            hour: 0,
            minute: 0,
            tariff: 2,
        },
        Period {
            hour: 6,
            minute: 30,
            tariff: 1,
        },
        Period {
            hour: 18,
            minute: 0,
            tariff: 3,
        },
        Period::UNUSED,
    ];
    run_ok(
        &sim,
        "SetSchedule",
        V3_METER,
        json!({"schedule": 3, "periods": periods}),
    )
    .await;
    let holidays = [Holiday { month: 1, day: 1 }, Holiday { month: 12, day: 25 }];
    run_ok(
        &sim,
        "SetHolidayDates",
        V3_METER,
        json!({"holiday_dates": holidays}),
    )
    .await;
    run_ok(
        &sim,
        "SetWeekendHolidaySchedules",
        V3_METER,
        json!({"weekend_schedule": 2, "holiday_schedule": 3}),
    )
    .await;
    let seasons = [
        Season {
            month: 3,
            day: 1,
            schedule: 1,
        },
        Season {
            month: 6,
            day: 1,
            schedule: 3,
        },
        Season {
            month: 9,
            day: 15,
            schedule: 1,
        },
        Season::UNUSED,
    ];
    run_ok(
        &sim,
        "SetSeasonSchedules",
        V3_METER,
        json!({"seasons": seasons}),
    )
    .await;

    let data = schedules(&sim, V3_METER).await;
    assert_eq!(data.schedules.len(), 6);
    assert_eq!(data.schedules[2].schedule, 3);
    assert_eq!(data.schedules[2].periods, periods);
    assert!(data.schedules.iter().all(|s| s.periods.len() == 4));
    assert_eq!(data.holiday_dates.len(), 20);
    assert_eq!(data.holiday_dates[..2], holidays);
    assert!(data.holiday_dates[2..]
        .iter()
        .all(|h| *h == Holiday::UNUSED));
    assert_eq!((data.weekend_schedule, data.holiday_schedule), (2, 3));
    assert_eq!(data.seasons, seasons);
    assert!(
        data.extra.is_empty(),
        "only the documented-by-us keys: {:?}",
        data.extra
    );

    // SetHolidayDates replaces the whole table.
    run_ok(
        &sim,
        "SetHolidayDates",
        V3_METER,
        json!({"holiday_dates": [{"month": 7, "day": 4}]}),
    )
    .await;
    let data = schedules(&sim, V3_METER).await;
    assert_eq!(data.holiday_dates[0], Holiday { month: 7, day: 4 });
    assert_eq!(data.holiday_dates[1], Holiday::UNUSED);
}

#[tokio::test]
async fn get_tariff_data_returns_six_months_forward_and_reverse() {
    let sim = demo();
    let data = run_ok(&sim, "GetTariffData", SEED_METER, json!({})).await;
    let tariffs = TariffData::from_data(&data).unwrap();
    let meter = sim.meter(SEED_METER).unwrap();
    assert_eq!(tariffs.forward, meter.forward_history);
    assert_eq!(tariffs.reverse, meter.reverse_history);
    assert_eq!(tariffs.forward.len(), 6);
    assert!(tariffs
        .forward
        .iter()
        .all(|m| m.total > 0.0 && m.tariffs.len() == 4));
}

#[tokio::test]
async fn reads_need_no_password_but_writes_need_the_right_one() {
    let sim = demo();
    run_ok(&sim, "GetSchedules", TENANT_METER, json!({})).await;
    let error = run_failed(&sim, "SetCTRatio", TENANT_METER, json!({"ct_ratio": "400"})).await;
    assert!(error.contains("rejected the meter password"), "{error}");
    assert_eq!(sim.meter(TENANT_METER).unwrap().ct_ratio, 200, "unchanged");
    let right = json!({"ct_ratio": "400", "meter_password": push3_sim::DEMO_TENANT_PASSWORD});
    run_ok(&sim, "SetCTRatio", TENANT_METER, right).await;
    assert_eq!(sim.meter(TENANT_METER).unwrap().ct_ratio, 400);
}

#[tokio::test]
async fn a_v3_meter_refuses_every_v4_only_command() {
    let sim = demo();
    let v4_only = [
        ("SetMaxDemandResetInterval", json!({"interval": 1})),
        ("SetLCD", json!({"display_fields": ["kWh_Tot"]})),
        (
            "SetPulseInputRatio",
            json!({"pulse_line": 1, "pulse_input_ratio": 10}),
        ),
        (
            "SetPulseOutputRatio",
            json!({"pulse_line": 1, "pulse_output_ratio": 100}),
        ),
        ("SetZeroResettableKWH", json!({})),
        (
            "SetRelay",
            json!({"relay": "Relay_1", "status": "close", "duration": 0}),
        ),
    ];
    let before = sim.meter(V3_METER).unwrap();
    for (command, params) in v4_only {
        let error = run_failed(&sim, command, V3_METER, params).await;
        assert_eq!(
            error,
            format!("{command} is not supported by meter {V3_METER} (Omnimeter V3); it needs a V4 or V5")
        );
    }
    assert_eq!(sim.meter(V3_METER).unwrap(), before, "nothing changed");
}

#[tokio::test]
async fn an_unknown_meter_fails_on_the_stream_not_at_send() {
    let sim = demo();
    let error = run_failed(&sim, "GetSchedules", "000999999999", json!({})).await;
    assert_eq!(
        error,
        "meter 000999999999 did not respond: no such meter on this gateway's RS-485 bus"
    );
}
