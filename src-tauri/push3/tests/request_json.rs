//! One test per command pinning the exact `sendCommand` body it produces (seed JSON types, G13).

use push3::command::*;
use push3::wire::{SendCommandRequest, CLIENT_NAME};
use push3::{MeterAddress, MeterPassword, ParseOptions};
use serde_json::{json, Value};

const METER: &str = "000350000900";

fn body(command: &Command, password: Option<&MeterPassword>) -> Value {
    let meter = MeterAddress::parse(METER).unwrap();
    let request = SendCommandRequest::to_meter(
        &meter,
        command.name(),
        command.params_with_password(password),
        CLIENT_NAME,
    );
    let body = serde_json::to_value(request).unwrap();
    // Whatever we pin must also pass the one validator and come back as the same command.
    let opts = ParseOptions {
        experimental_seasons: true,
        current_ct_ratio: None,
    };
    let parsed = push3::parse(command.name(), &body["params"], &opts).unwrap();
    assert_eq!(&parsed.command, command);
    body
}

fn expected(command: &str, params: Value) -> Value {
    json!({"command": command, "target": "meter", "target_id": METER, "client": CLIENT_NAME, "params": params})
}

#[test]
fn client_name_is_push3desk_and_version() {
    assert_eq!(
        CLIENT_NAME,
        format!("Push3Desk/{}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn set_meter_password_sends_new_and_current_password() {
    let cmd = Command::SetMeterPassword {
        new_password: MeterPassword::parse("12345678").unwrap(),
    };
    assert_eq!(
        body(&cmd, None),
        expected("SetMeterPassword", json!({"new_password": "12345678"}))
    );
    let current = MeterPassword::parse("87654321").unwrap();
    assert_eq!(
        body(&cmd, Some(&current)),
        expected(
            "SetMeterPassword",
            json!({"new_password": "12345678", "meter_password": "87654321"})
        )
    );
}

#[test]
fn set_ct_ratio_sends_a_string() {
    let cmd = Command::SetCTRatio { ct_ratio: 200 };
    assert_eq!(
        body(&cmd, None),
        expected("SetCTRatio", json!({"ct_ratio": "200"}))
    );
}

#[test]
fn set_time_sends_zero_padded_strings_with_plural_minutes_and_seconds() {
    let cmd = Command::SetTime(MeterTime::new(2025, 3, 7, 8, 5, 9).unwrap());
    assert_eq!(
        body(&cmd, None),
        expected(
            "SetTime",
            json!({"year": "2025", "month": "03", "day": "07", "hour": "08", "minutes": "05", "seconds": "09"})
        )
    );
}

#[test]
fn set_max_demand_reset_interval_sends_the_code() {
    let cmd = Command::SetMaxDemandResetInterval {
        interval: DemandResetInterval::Weekly,
    };
    assert_eq!(
        body(&cmd, None),
        expected("SetMaxDemandResetInterval", json!({"interval": 2}))
    );
}

#[test]
fn set_max_demand_reset_now_has_empty_params() {
    assert_eq!(
        body(&Command::SetMaxDemandResetNow, None),
        expected("SetMaxDemandResetNow", json!({}))
    );
}

#[test]
fn set_max_demand_period_sends_four_for_sixty_minutes() {
    let cmd = Command::SetMaxDemandPeriod {
        period: DemandPeriod::Minutes60,
    };
    assert_eq!(
        body(&cmd, None),
        expected("SetMaxDemandPeriod", json!({"max_demand_period": 4}))
    );
}

#[test]
fn set_lcd_sends_item_names_in_order() {
    let items = ["RMS_Volts_Ln_1", "Line_Freq", "kWh_Tot"].map(|n| LcdItem::from_name(n).unwrap());
    let cmd = Command::SetLCD {
        display_fields: items.to_vec(),
    };
    assert_eq!(
        body(&cmd, None),
        expected(
            "SetLCD",
            json!({"display_fields": ["RMS_Volts_Ln_1", "Line_Freq", "kWh_Tot"]})
        )
    );
}

#[test]
fn set_pulse_input_ratio_sends_line_and_ratio() {
    let cmd = Command::SetPulseInputRatio {
        line: 3,
        ratio: 454,
    };
    assert_eq!(
        body(&cmd, None),
        expected(
            "SetPulseInputRatio",
            json!({"pulse_line": 3, "pulse_input_ratio": 454})
        )
    );
}

#[test]
fn set_pulse_output_ratio_sends_pulse_line_one() {
    let cmd = Command::SetPulseOutputRatio { ratio: 160 };
    assert_eq!(
        body(&cmd, None),
        expected(
            "SetPulseOutputRatio",
            json!({"pulse_line": 1, "pulse_output_ratio": 160})
        )
    );
}

#[test]
fn set_zero_resettable_kwh_has_empty_params() {
    assert_eq!(
        body(&Command::SetZeroResettableKWH, None),
        expected("SetZeroResettableKWH", json!({}))
    );
}

#[test]
fn set_relay_matches_the_seeds_example_with_the_factory_password() {
    let cmd = Command::SetRelay {
        relay: Relay::Relay1,
        status: RelayStatus::Close,
        duration: 1,
    };
    assert_eq!(
        body(&cmd, None),
        expected(
            "SetRelay",
            json!({"relay": "Relay_1", "status": "close", "duration": 1, "meter_password": "00000000"})
        )
    );
    let stored = MeterPassword::parse("24681357").unwrap();
    let open = Command::SetRelay {
        relay: Relay::Relay2,
        status: RelayStatus::Open,
        duration: 0,
    };
    assert_eq!(
        body(&open, Some(&stored)),
        expected(
            "SetRelay",
            json!({"relay": "Relay_2", "status": "open", "duration": 0, "meter_password": "24681357"})
        )
    );
}

#[test]
fn set_holiday_dates_sends_the_assumed_list_of_month_day_objects() {
    let cmd = Command::SetHolidayDates {
        holidays: vec![
            Holiday { month: 1, day: 1 },
            Holiday { month: 12, day: 25 },
            Holiday::UNUSED,
        ],
    };
    assert_eq!(
        body(&cmd, None),
        expected(
            "SetHolidayDates",
            json!({"holiday_dates": [{"month": 1, "day": 1}, {"month": 12, "day": 25}, {"month": 0, "day": 0}]})
        )
    );
}

#[test]
fn set_schedule_sends_the_assumed_number_and_four_periods() {
    let cmd = Command::SetSchedule {
        schedule: 2,
        periods: [
            Period {
                hour: 0,
                minute: 0,
                tariff: 2,
            },
            Period {
                hour: 7,
                minute: 30,
                tariff: 1,
            },
            Period {
                hour: 21,
                minute: 0,
                tariff: 2,
            },
            Period::UNUSED,
        ],
    };
    assert_eq!(
        body(&cmd, None),
        expected(
            "SetSchedule",
            json!({"schedule": 2, "periods": [
                {"hour": 0, "minute": 0, "tariff": 2},
                {"hour": 7, "minute": 30, "tariff": 1},
                {"hour": 21, "minute": 0, "tariff": 2},
                {"hour": 0, "minute": 0, "tariff": 0}]})
        )
    );
}

#[test]
fn set_weekend_holiday_schedules_sends_both_numbers() {
    let cmd = Command::SetWeekendHolidaySchedules {
        weekend_schedule: 1,
        holiday_schedule: 2,
    };
    assert_eq!(
        body(&cmd, None),
        expected(
            "SetWeekendHolidaySchedules",
            json!({"weekend_schedule": 1, "holiday_schedule": 2})
        )
    );
}

#[test]
fn get_schedules_has_empty_params() {
    assert_eq!(
        body(&Command::GetSchedules, None),
        expected("GetSchedules", json!({}))
    );
}

#[test]
fn get_tariff_data_has_empty_params() {
    assert_eq!(
        body(&Command::GetTariffData, None),
        expected("GetTariffData", json!({}))
    );
}

#[test]
fn experimental_set_season_schedules_sends_four_seasons() {
    let cmd = Command::SetSeasonSchedules {
        seasons: [
            Season {
                month: 1,
                day: 1,
                schedule: 1,
            },
            Season {
                month: 4,
                day: 1,
                schedule: 2,
            },
            Season {
                month: 10,
                day: 1,
                schedule: 1,
            },
            Season::UNUSED,
        ],
    };
    assert_eq!(
        body(&cmd, None),
        expected(
            "SetSeasonSchedules",
            json!({"seasons": [
                {"month": 1, "day": 1, "schedule": 1},
                {"month": 4, "day": 1, "schedule": 2},
                {"month": 10, "day": 1, "schedule": 1},
                {"month": 0, "day": 0, "schedule": 0}]})
        )
    );
}
