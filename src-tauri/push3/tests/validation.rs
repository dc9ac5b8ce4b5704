//! The one validator: specific errors for everything a user can get wrong, and a round trip
//! `parse(c.name(), c.params()) == c` for every valid command.

use push3::command::*;
use push3::{parse, MeterPassword, MeterVersion, ParseOptions, ValidationError};
use serde_json::{json, Value};

fn err(name: &str, params: Value) -> ValidationError {
    parse(name, &params, &ParseOptions::default()).unwrap_err()
}

#[test]
fn a_ct_ratio_outside_the_table_names_field_value_and_choices() {
    let e = err("SetCTRatio", json!({"ct_ratio": "250"}));
    assert!(
        e.to_string()
            .starts_with("ct_ratio: \"250\" is not allowed; a string, one of 100, 200, 400"),
        "{e}"
    );
    assert_eq!(
        err("SetCTRatio", json!({"ct_ratio": 200})).value,
        "200",
        "seed says string (G13)"
    );
    assert_eq!(
        err("SetCTRatio", json!({"ct_ratio": "0200"})).field,
        "ct_ratio"
    );
}

#[test]
fn unknown_commands_and_wrong_case_are_refused() {
    let e = err("setRelay", json!({}));
    assert_eq!(
        (e.field.as_str(), e.value.as_str()),
        ("command", "\"setRelay\"")
    );
    assert!(e.allowed.contains("SetRelay") && e.allowed.contains("GetTariffData"));
}

#[test]
fn missing_extra_and_mistyped_params_name_the_field() {
    let e = err("SetRelay", json!({"relay": "Relay_1", "status": "close"}));
    assert_eq!(
        (e.field.as_str(), e.value.as_str()),
        ("duration", "(missing)")
    );
    assert!(e.allowed.contains("0-9999"));
    let e = err(
        "SetRelay",
        json!({"relay": "Relay_1", "status": "close", "duration": 1, "extra": true}),
    );
    assert_eq!(e.field, "extra");
    let e = err(
        "SetRelay",
        json!({"relay": "relay_1", "status": "close", "duration": 1}),
    );
    assert_eq!(
        (e.field.as_str(), e.value.as_str()),
        ("relay", "\"relay_1\"")
    );
    let e = err(
        "SetRelay",
        json!({"relay": "Relay_1", "status": "closed", "duration": 1}),
    );
    assert_eq!(e.field, "status");
    let e = err(
        "SetRelay",
        json!({"relay": "Relay_1", "status": "close", "duration": 10000}),
    );
    assert_eq!((e.field.as_str(), e.value.as_str()), ("duration", "10000"));
    let e = err(
        "SetRelay",
        json!({"relay": "Relay_1", "status": "close", "duration": "1"}),
    );
    assert_eq!(e.field, "duration");
    assert_eq!(
        err("GetSchedules", json!({"schedule": 1})).field,
        "schedule"
    );
    assert_eq!(err("GetSchedules", json!("x")).field, "params");
}

#[test]
fn set_time_needs_real_dates_and_exact_widths() {
    let time = |day: &str, month: &str| json!({"year": "2023", "month": month, "day": day, "hour": "10", "minutes": "00", "seconds": "00"});
    assert!(parse("SetTime", &time("28", "02"), &ParseOptions::default()).is_ok());
    let e = err("SetTime", time("29", "02"));
    assert_eq!(e.field, "day");
    assert_eq!(
        err("SetTime", time("1", "02")).field,
        "day",
        "width 2 (G13)"
    );
    assert_eq!(err("SetTime", time("01", "13")).field, "month");
    let e = err(
        "SetTime",
        json!({"year": "2100", "month": "01", "day": "01", "hour": "00", "minutes": "00", "seconds": "00"}),
    );
    assert_eq!(e.field, "year");
    let e = err(
        "SetTime",
        json!({"year": "2024", "month": "01", "day": "01", "hour": "00", "minute": "00", "seconds": "00"}),
    );
    assert_eq!(e.field, "minute", "the seed spells it `minutes` (G33)");
}

#[test]
fn passwords_are_checked_and_never_echoed() {
    let e = err("SetMeterPassword", json!({"new_password": "1234"}));
    assert_eq!(e.field, "new_password");
    assert!(!e.to_string().contains("1234"), "{e}");
    let e = err(
        "SetZeroResettableKWH",
        json!({"meter_password": "abcdefgh"}),
    );
    assert_eq!(e.field, "meter_password");
    assert!(!e.to_string().contains("abcdefgh"), "{e}");
    let p = parse(
        "SetZeroResettableKWH",
        &json!({"meter_password": "11112222"}),
        &ParseOptions::default(),
    )
    .unwrap();
    assert_eq!(
        p.meter_password,
        Some(MeterPassword::parse("11112222").unwrap())
    );
    assert_eq!(p.wire_params()["meter_password"], "11112222");
}

#[test]
fn pulse_output_ratio_depends_on_the_ct_ratio() {
    let params = json!({"pulse_line": 1, "pulse_output_ratio": 1600});
    assert!(
        parse("SetPulseOutputRatio", &params, &ParseOptions::default()).is_ok(),
        "CT unknown: any row"
    );
    let at_5000 = ParseOptions {
        current_ct_ratio: Some(5000),
        ..Default::default()
    };
    let e = parse("SetPulseOutputRatio", &params, &at_5000).unwrap_err();
    assert_eq!(e.field, "pulse_output_ratio");
    assert!(
        e.allowed
            .contains("1, 2, 4, 8, 16, 32 (valid with CT ratio 5000)"),
        "{e}"
    );
    assert_eq!(
        err(
            "SetPulseOutputRatio",
            json!({"pulse_line": 2, "pulse_output_ratio": 1})
        )
        .field,
        "pulse_line"
    );
    assert_eq!(
        err(
            "SetPulseOutputRatio",
            json!({"pulse_line": 1, "pulse_output_ratio": 3})
        )
        .field,
        "pulse_output_ratio"
    );
}

#[test]
fn lcd_lists_hold_one_to_forty_known_items() {
    assert_eq!(
        err("SetLCD", json!({"display_fields": []})).field,
        "display_fields"
    );
    let forty_one = vec!["kWh_Tot"; 41];
    assert_eq!(
        err("SetLCD", json!({"display_fields": forty_one})).value,
        "a list of 41 items"
    );
    let e = err("SetLCD", json!({"display_fields": ["kWh_Tot", "Volts"]}));
    assert_eq!(
        (e.field.as_str(), e.value.as_str()),
        ("display_fields[1]", "\"Volts\"")
    );
    assert_eq!(
        err("SetLCD", json!({"display_fields": [46]})).field,
        "display_fields[0]"
    );
    let by_code = parse(
        "SetLCD",
        &json!({"display_fields": [28, "kWh_Tot"]}),
        &ParseOptions::default(),
    )
    .unwrap();
    assert_eq!(
        by_code.command.params()["display_fields"],
        json!(["Line_Freq", "kWh_Tot"])
    );
    assert!(parse(
        "SetLCD",
        &json!({"display_fields": vec!["kWh_Tot"; 40]}),
        &ParseOptions::default()
    )
    .is_ok());
}

#[test]
fn numbers_outside_the_tables_are_refused() {
    assert_eq!(
        err("SetMaxDemandPeriod", json!({"max_demand_period": 3})).field,
        "max_demand_period"
    );
    assert_eq!(
        err("SetMaxDemandResetInterval", json!({"interval": 5})).field,
        "interval"
    );
    assert_eq!(
        err(
            "SetPulseInputRatio",
            json!({"pulse_line": 4, "pulse_input_ratio": 1})
        )
        .field,
        "pulse_line"
    );
    assert_eq!(
        err(
            "SetPulseInputRatio",
            json!({"pulse_line": 1, "pulse_input_ratio": 0})
        )
        .field,
        "pulse_input_ratio"
    );
    let e = err(
        "SetWeekendHolidaySchedules",
        json!({"weekend_schedule": 0, "holiday_schedule": 1}),
    );
    assert_eq!(e.field, "weekend_schedule", "1-based (G28)");
    let e = err(
        "SetWeekendHolidaySchedules",
        json!({"weekend_schedule": 1, "holiday_schedule": 7}),
    );
    assert_eq!(e.field, "holiday_schedule");
}

#[test]
fn seasons_need_the_experimental_switch() {
    let seasons = json!({"seasons": vec![json!({"month": 1, "day": 1, "schedule": 1}); 4]});
    assert_eq!(err("SetSeasonSchedules", seasons.clone()).field, "command");
    let on = ParseOptions {
        experimental_seasons: true,
        ..Default::default()
    };
    assert!(parse("SetSeasonSchedules", &seasons, &on).is_ok());
}

#[test]
fn v3_meters_lack_relays_lcd_pulse_ratios_resettable_kwh_and_reset_interval() {
    let v3: Vec<&str> = CommandKind::ALL
        .iter()
        .filter(|k| k.supported_by(MeterVersion::V3))
        .map(|k| k.name())
        .collect();
    assert_eq!(
        v3,
        [
            "SetMeterPassword",
            "SetCTRatio",
            "SetTime",
            "SetMaxDemandResetNow",
            "SetMaxDemandPeriod",
            "SetHolidayDates",
            "SetSchedule",
            "SetWeekendHolidaySchedules",
            "GetSchedules",
            "GetTariffData",
            "SetSeasonSchedules"
        ]
    );
    assert!(CommandKind::ALL
        .iter()
        .all(|k| k.supported_by(MeterVersion::V4) && k.supported_by(MeterVersion::V5)));
    assert!(Command::GetTariffData.is_read() && !Command::GetTariffData.changes_meter());
    assert!(Command::SetZeroResettableKWH.changes_meter());
}

#[test]
fn hand_built_commands_are_validated_too() {
    let opts = ParseOptions::default();
    assert_eq!(
        Command::SetCTRatio { ct_ratio: 250 }
            .validate(&opts)
            .unwrap_err()
            .field,
        "ct_ratio"
    );
    let bad_time = Command::SetTime(MeterTime {
        year: 2024,
        month: 2,
        day: 30,
        hour: 0,
        minute: 0,
        second: 0,
    });
    assert_eq!(bad_time.validate(&opts).unwrap_err().field, "day");
    assert!(Command::SetCTRatio { ct_ratio: 5000 }
        .validate(&opts)
        .is_ok());
}

#[test]
fn the_catalog_lists_every_command_with_its_params() {
    let catalog = catalog::export(&ParseOptions::default());
    let commands = catalog.as_array().unwrap();
    assert_eq!(commands.len(), 17);
    let set_time = commands.iter().find(|c| c["name"] == "SetTime").unwrap();
    let names: Vec<&str> = set_time["params"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "year",
            "month",
            "day",
            "hour",
            "minutes",
            "seconds",
            "meter_password"
        ]
    );
    let relay = commands.iter().find(|c| c["name"] == "SetRelay").unwrap();
    assert_eq!(relay["versions"], json!(["V4", "V5"]));
}
