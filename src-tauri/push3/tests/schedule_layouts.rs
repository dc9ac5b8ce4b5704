//! GetSchedules' `data` is read in both layouts a gateway might send (reference §2.15, §9): the
//! nested one we guessed, and the meter's flat keys (`Schedule_1_Period_1_Hour`, …) numbered
//! from 1 or from 0. Any valid program, written in any of the three, reads back as itself.

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use push3::program::TouProgram;
use push3::undocumented::flat::{schedules_to_flat, Numbering};
use push3::undocumented::{Schedule, SchedulesData};
use serde_json::{json, Map, Value};
use strategies::{holiday, period, season};

mod strategies;

fn program() -> impl Strategy<Value = TouProgram> {
    (
        prop::collection::vec(prop::array::uniform4(period()), 6),
        prop::collection::vec(holiday(), 20),
        1u8..=6,
        1u8..=6,
        prop::option::of(prop::array::uniform4(season())),
    )
        .prop_map(
            |(schedules, holidays, weekend, holiday, seasons)| TouProgram {
                schedules,
                holidays,
                weekend_schedule: weekend,
                holiday_schedule: holiday,
                seasons,
            },
        )
}

/// The program as a gateway's reading carries it.
fn reading_of(p: &TouProgram) -> SchedulesData {
    SchedulesData {
        schedules: p
            .schedules
            .iter()
            .enumerate()
            .map(|(i, periods)| Schedule {
                schedule: i as u8 + 1,
                periods: periods.to_vec(),
            })
            .collect(),
        seasons: p.seasons.map(|s| s.to_vec()).unwrap_or_default(),
        holiday_dates: p.holidays.clone(),
        weekend_schedule: p.weekend_schedule,
        holiday_schedule: p.holiday_schedule,
        extra: Map::new(),
    }
}

fn with_strings(flat: Map<String, Value>) -> Value {
    // The meter's blocks are ASCII digits: a gateway may pass them on as "07".
    Value::Object(
        flat.into_iter()
            .map(|(k, v)| (k, json!(format!("{:02}", v.as_u64().unwrap()))))
            .collect(),
    )
}

proptest! {
    #[test]
    fn every_layout_reads_back_as_the_program_written(p in program()) {
        let data = reading_of(&p);
        let nested = serde_json::to_value(&data).unwrap();
        prop_assert_eq!(TouProgram::from_reading(&nested).program, Some(p.clone()));
        for numbering in [Numbering::FromOne, Numbering::FromZero] {
            let flat = schedules_to_flat(&data, numbering);
            let reading = TouProgram::from_reading(&Value::Object(flat.clone()));
            prop_assert_eq!(&reading.program, &Some(p.clone()), "{:?}", numbering);
            prop_assert!(reading.extra.is_empty(), "{:?}", reading.extra);
            prop_assert_eq!(
                TouProgram::from_reading(&with_strings(flat)).program,
                Some(p.clone())
            );
        }
    }
}

fn sample() -> TouProgram {
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    program().new_tree(&mut runner).unwrap().current()
}

#[test]
fn a_flat_reading_counted_from_0_lands_each_schedule_where_it_belongs() {
    let mut p = sample();
    p.weekend_schedule = 6;
    p.holiday_schedule = 1;
    let flat = schedules_to_flat(&reading_of(&p), Numbering::FromZero);
    // Schedule 1 is written as Schedule_0_…, schedule 6 as Schedule_5_…, weekend 6 as 5.
    assert!(flat.contains_key("Schedule_0_Period_1_Hour"));
    assert!(!flat.contains_key("Schedule_6_Period_1_Hour"));
    assert_eq!(flat["Weekend_Schd"], 5);
    assert_eq!(flat["Holiday_Schd"], 0);
    let read = TouProgram::from_reading(&Value::Object(flat))
        .program
        .unwrap();
    assert_eq!((read.weekend_schedule, read.holiday_schedule), (6, 1));
    assert_eq!(read.schedules, p.schedules);
}

#[test]
fn an_incomplete_flat_reading_is_kept_raw_and_unknown_keys_are_kept() {
    let p = sample();
    let mut flat = schedules_to_flat(&reading_of(&p), Numbering::FromOne);
    flat.insert("Meter_Time".into(), json!("26120604101506"));
    let reading = TouProgram::from_reading(&Value::Object(flat.clone()));
    assert_eq!(reading.program, Some(p));
    assert_eq!(reading.extra.len(), 1);
    assert_eq!(reading.extra["Meter_Time"], "26120604101506");

    flat.remove("Holiday_20_Day");
    let reading = TouProgram::from_reading(&Value::Object(flat.clone()));
    assert_eq!(reading.program, None, "a key missing: nothing is guessed");
    assert_eq!(reading.extra.len(), flat.len(), "all of it shown raw");

    let mut out_of_range = schedules_to_flat(&reading_of(&sample()), Numbering::FromOne);
    out_of_range.insert("Schedule_3_Period_2_Hour".into(), json!("25"));
    assert_eq!(
        TouProgram::from_reading(&Value::Object(out_of_range)).program,
        None
    );
}
