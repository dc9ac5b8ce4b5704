//! Property tests of the one validator: every valid command round-trips through its own params
//! (`parse(c.name(), c.params()) == c`), and any JSON either parses or names a field.

use proptest::prelude::*;
use push3::command::*;
use push3::limits::*;
use push3::{parse, MeterPassword, ParseOptions};
use serde_json::{json, Value};

fn period() -> impl Strategy<Value = Period> {
    prop_oneof![
        Just(Period::UNUSED),
        (0u8..24, 0u8..60, 1u8..=TARIFFS).prop_map(|(hour, minute, tariff)| Period {
            hour,
            minute,
            tariff
        })
    ]
}

fn month_day() -> impl Strategy<Value = (u8, u8)> {
    (1u8..=12).prop_flat_map(|m| {
        let days = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][usize::from(m) - 1];
        (Just(m), 1u8..=days)
    })
}

fn meter_time() -> impl Strategy<Value = MeterTime> {
    (
        MIN_YEAR..=MAX_YEAR,
        1u8..=12,
        1u8..=31,
        0u8..24,
        0u8..60,
        0u8..60,
    )
        .prop_filter_map("real date", |(y, mo, d, h, mi, s)| {
            MeterTime::new(y, mo, d, h, mi, s).ok()
        })
}

fn command() -> impl Strategy<Value = Command> {
    let lcd = proptest::collection::vec(
        proptest::sample::select(LCD_ITEMS),
        MIN_LCD_ITEMS..=MAX_LCD_ITEMS,
    )
    .prop_map(|items| {
        items
            .iter()
            .map(|(c, _)| LcdItem::from_code(i64::from(*c)).unwrap())
            .collect()
    });
    let holiday = prop_oneof![
        Just(Holiday::UNUSED),
        month_day().prop_map(|(month, day)| Holiday { month, day })
    ];
    let season = prop_oneof![
        Just(Season::UNUSED),
        (month_day(), 1u8..=SCHEDULES).prop_map(|((month, day), schedule)| Season {
            month,
            day,
            schedule
        })
    ];
    prop_oneof![
        "[0-9]{8}".prop_map(|p| Command::SetMeterPassword {
            new_password: MeterPassword::parse(&p).unwrap()
        }),
        proptest::sample::select(CT_RATIOS).prop_map(|ct_ratio| Command::SetCTRatio { ct_ratio }),
        meter_time().prop_map(Command::SetTime),
        proptest::sample::select(&DemandResetInterval::ALL[..])
            .prop_map(|interval| Command::SetMaxDemandResetInterval { interval }),
        Just(Command::SetMaxDemandResetNow),
        proptest::sample::select(&DemandPeriod::ALL[..])
            .prop_map(|period| Command::SetMaxDemandPeriod { period }),
        lcd.prop_map(|display_fields| Command::SetLCD { display_fields }),
        (
            1u8..=PULSE_LINES,
            MIN_PULSE_INPUT_RATIO..=MAX_PULSE_INPUT_RATIO
        )
            .prop_map(|(line, ratio)| Command::SetPulseInputRatio { line, ratio }),
        proptest::sample::select(ANY_PULSE_OUTPUT_RATIO)
            .prop_map(|ratio| Command::SetPulseOutputRatio { ratio }),
        Just(Command::SetZeroResettableKWH),
        (
            proptest::sample::select(&Relay::ALL[..]),
            proptest::sample::select(&RelayStatus::ALL[..]),
            0..=MAX_RELAY_DURATION
        )
            .prop_map(|(relay, status, duration)| Command::SetRelay {
                relay,
                status,
                duration
            }),
        proptest::collection::vec(holiday, 0..=HOLIDAYS)
            .prop_map(|holidays| Command::SetHolidayDates { holidays }),
        (1u8..=SCHEDULES, [period(), period(), period(), period()])
            .prop_map(|(schedule, periods)| Command::SetSchedule { schedule, periods }),
        (1u8..=SCHEDULES, 1u8..=SCHEDULES).prop_map(|(weekend_schedule, holiday_schedule)| {
            Command::SetWeekendHolidaySchedules {
                weekend_schedule,
                holiday_schedule,
            }
        }),
        Just(Command::GetSchedules),
        Just(Command::GetTariffData),
        [season.clone(), season.clone(), season.clone(), season]
            .prop_map(|seasons| Command::SetSeasonSchedules { seasons }),
    ]
}

fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        (-1e6f64..1e6).prop_map(Value::from),
        "[a-zA-Z_0-9]{0,10}".prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::from),
            proptest::collection::btree_map("[a-z_]{1,18}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #[test]
    fn every_valid_command_round_trips_through_its_params(cmd in command()) {
        let opts = ParseOptions { experimental_seasons: true, current_ct_ratio: None };
        let parsed = parse(cmd.name(), &Value::Object(cmd.params()), &opts).unwrap();
        prop_assert_eq!(&parsed.command, &cmd);
        prop_assert_eq!(parsed.meter_password, None);
        let with_password = parse(cmd.name(), &Value::Object(cmd.params_with_password(None)), &opts).unwrap();
        prop_assert_eq!(with_password.command, cmd);
    }

    #[test]
    fn any_json_either_parses_or_names_a_field(
        kind in proptest::sample::select(&CommandKind::ALL[..]),
        params in any_json(),
    ) {
        let opts = ParseOptions { experimental_seasons: true, current_ct_ratio: Some(200) };
        match parse(kind.name(), &params, &opts) {
            Ok(parsed) => prop_assert_eq!(parsed.command.kind(), kind),
            Err(e) => {
                prop_assert!(!e.field.is_empty() && !e.allowed.is_empty(), "{:?}", e);
            }
        }
    }

    #[test]
    fn ct_ratio_strings_are_accepted_only_from_the_table(n in 0u32..10_000) {
        let result = parse("SetCTRatio", &json!({"ct_ratio": n.to_string()}), &ParseOptions::default());
        prop_assert_eq!(result.is_ok(), CT_RATIOS.iter().any(|c| u32::from(*c) == n));
    }
}
