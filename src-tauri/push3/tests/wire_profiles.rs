//! Every valid Set… command of the undocumented four goes on the wire in each built-in profile's
//! shape and comes back, through the profile's inverse and the core's own validation, as itself:
//! what a gateway speaking that profile decodes is what the app meant.

use proptest::prelude::*;
use push3::undocumented::{Holiday, Period, WireProfile};
use push3::{parse, Command, ParseOptions, ParsedCommand};
use serde_json::{json, Value};
use strategies::{month_day, period, season};

mod strategies;

fn command() -> impl Strategy<Value = (String, Value)> {
    prop_oneof![
        (1u8..=6, proptest::collection::vec(period(), 4)).prop_map(|(schedule, periods)| (
            "SetSchedule".to_string(),
            json!({"schedule": schedule, "periods": periods})
        )),
        proptest::collection::vec(month_day(), 0..=20).prop_map(|days| (
            "SetHolidayDates".to_string(),
            json!({"holiday_dates": days.into_iter().map(|(month, day)| Holiday { month, day }).collect::<Vec<_>>()})
        )),
        proptest::collection::vec(season(), 4)
            .prop_map(|seasons| ("SetSeasonSchedules".to_string(), json!({"seasons": seasons}))),
        (1u8..=6, 1u8..=6).prop_map(|(w, h)| (
            "SetWeekendHolidaySchedules".to_string(),
            json!({"weekend_schedule": w, "holiday_schedule": h})
        )),
    ]
}

const OPTS: ParseOptions = ParseOptions {
    experimental_seasons: true,
    current_ct_ratio: None,
};

fn decoded(profile: &WireProfile, name: &str, parsed: &ParsedCommand) -> Command {
    let wire = profile.to_wire(name, parsed.wire_params());
    let canonical = profile
        .to_canonical(name, &wire)
        .expect("the profile reads its own shape");
    parse(name, &Value::Object(canonical), &OPTS)
        .expect("valid once decoded")
        .command
}

proptest! {
    #[test]
    fn every_command_round_trips_through_each_built_in_profile((name, params) in command()) {
        let parsed = parse(&name, &params, &OPTS).unwrap();
        for profile in WireProfile::built_in() {
            prop_assert_eq!(&decoded(profile, &name, &parsed), &parsed.command, "{}", profile.id);
        }
    }

    /// A gateway that counts from 0 given the from-1 profile's numbers puts every schedule one
    /// slot up (or refuses schedule 6): the shift the read-back must name.
    #[test]
    fn a_numbering_mismatch_shifts_every_schedule_by_one(schedule in 1u8..=5) {
        let nested = WireProfile::default_profile();
        let mut from_zero = nested.clone();
        from_zero.schedule_numbering = 0;
        let params = json!({"schedule": schedule, "periods": vec![Period::UNUSED; 4]});
        let parsed = parse("SetSchedule", &params, &OPTS).unwrap();
        let wire = nested.to_wire("SetSchedule", parsed.wire_params());
        let taken = from_zero.to_canonical("SetSchedule", &wire).unwrap();
        prop_assert_eq!(taken["schedule"].as_u64(), Some(u64::from(schedule) + 1));
    }
}
