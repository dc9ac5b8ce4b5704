//! ASSUMPTION (G25, G26, G27): the params of SetSchedule, SetHolidayDates and SetSeasonSchedules.
//!
//! * SetSchedule: `{"schedule": 1-6, "periods": [{"hour","minute","tariff"} × 4]}`; unused periods
//!   are 0/0/0 as in L's zero-filled buffers (§2.13).
//! * SetHolidayDates: `{"holiday_dates": [{"month","day"}, …]}` with up to 20 entries; 0/0 is an
//!   unused slot. The command replaces the whole table (§2.12).
//! * SetSeasonSchedules (experimental): `{"seasons": [{"month","day","schedule"} × 4]}`; 0/0/0 is an
//!   unused season, as the meter's zero-filled block reads.
//!
//! Holidays and seasons carry no year, so 29 February is a valid day.

use crate::command::reader::{array, integer, ParamReader};
use crate::error::ValidationError;
use crate::limits::{HOLIDAYS, PERIODS_PER_SCHEDULE, SCHEDULES, SEASONS, TARIFFS};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use ts_rs::TS;

pub const SET_SCHEDULE_PARAMS: &[&str] = &["schedule", "periods"];
pub const SET_HOLIDAY_DATES_PARAMS: &[&str] = &["holiday_dates"];
pub const SET_SEASON_SCHEDULES_PARAMS: &[&str] = &["seasons"];

/// One time-of-use period: from `hour:minute` the meter counts into `tariff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, TS)]
pub struct Period {
    pub hour: u8,
    pub minute: u8,
    /// 1-4 (T1-T4); 0 only in the unused period 0/0/0.
    pub tariff: u8,
}

impl Period {
    pub const UNUSED: Period = Period {
        hour: 0,
        minute: 0,
        tariff: 0,
    };

    pub fn check(&self) -> Result<(), ValidationError> {
        if self.hour > 23 {
            return Err(ValidationError::new("hour", self.hour, "0-23"));
        }
        if self.minute > 59 {
            return Err(ValidationError::new("minute", self.minute, "0-59"));
        }
        let unused = *self == Self::UNUSED;
        if !unused && !(1..=TARIFFS).contains(&self.tariff) {
            return Err(ValidationError::new(
                "tariff",
                self.tariff,
                allowed_tariff(),
            ));
        }
        Ok(())
    }
}

/// A yearly holiday (no year). `Holiday::UNUSED` (0/0) marks an empty slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, TS)]
pub struct Holiday {
    pub month: u8,
    pub day: u8,
}

impl Holiday {
    pub const UNUSED: Holiday = Holiday { month: 0, day: 0 };

    pub fn check(&self) -> Result<(), ValidationError> {
        if *self == Self::UNUSED {
            return Ok(());
        }
        check_month_day(self.month, self.day, "0/0 for an unused slot")
    }
}

/// From `month`/`day` on, weekdays follow `schedule` (1-6). `Season::UNUSED` (0/0/0) is empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, TS)]
pub struct Season {
    pub month: u8,
    pub day: u8,
    pub schedule: u8,
}

impl Season {
    pub const UNUSED: Season = Season {
        month: 0,
        day: 0,
        schedule: 0,
    };

    pub fn check(&self) -> Result<(), ValidationError> {
        if *self == Self::UNUSED {
            return Ok(());
        }
        check_month_day(self.month, self.day, "0/0/0 for an unused season")?;
        if !(1..=SCHEDULES).contains(&self.schedule) {
            return Err(ValidationError::new(
                "schedule",
                self.schedule,
                allowed_schedule(),
            ));
        }
        Ok(())
    }
}

/// A month 1-12 and a day that exists in it in a leap year.
fn check_month_day(month: u8, day: u8, unused: &str) -> Result<(), ValidationError> {
    if !(1..=12).contains(&month) {
        return Err(ValidationError::new(
            "month",
            month,
            format!("1-12, or {unused}"),
        ));
    }
    let days_in_month = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][usize::from(month) - 1];
    if !(1..=days_in_month).contains(&day) {
        return Err(ValidationError::new(
            "day",
            day,
            format!("1-{days_in_month} for month {month}"),
        ));
    }
    Ok(())
}

pub fn allowed_schedule() -> String {
    format!("an integer 1-{SCHEDULES} (schedule number)")
}

fn allowed_tariff() -> String {
    format!("1-{TARIFFS} for a used period; 0 only in the unused period 0/0/0")
}

pub fn allowed_periods() -> String {
    format!(
        "a list of exactly {PERIODS_PER_SCHEDULE} objects {{\"hour\": 0-23, \"minute\": 0-59, \"tariff\": 1-{TARIFFS}}}; \
         unused periods are {{\"hour\": 0, \"minute\": 0, \"tariff\": 0}}"
    )
}

pub fn allowed_holiday_dates() -> String {
    format!("a list of up to {HOLIDAYS} objects {{\"month\": 1-12, \"day\": 1-31}} (real dates; 0/0 = unused); replaces the whole table")
}

pub fn allowed_seasons() -> String {
    format!(
        "a list of exactly {SEASONS} objects {{\"month\": 1-12, \"day\": 1-31, \"schedule\": 1-{SCHEDULES}}}; \
         0/0/0 = unused"
    )
}

fn u8_field(
    element: &ParamReader,
    field: &str,
    max: i64,
    allowed: &str,
) -> Result<u8, ValidationError> {
    let value = element.required(field, || allowed.to_string())?;
    // `max` is at most 255 here, so the cast is exact.
    Ok(integer(field, value, 0, max, allowed)? as u8)
}

/// Reads `field` as a list of `count` objects with exactly the keys `keys`, each through `read`;
/// errors name the element, e.g. `periods[2].tariff`.
fn objects<T>(
    command: &str,
    (field, value): (&str, &Value),
    count: std::ops::RangeInclusive<usize>,
    keys: &[&str],
    allowed: &str,
    read: impl Fn(&ParamReader) -> Result<T, ValidationError>,
) -> Result<Vec<T>, ValidationError> {
    let list = array(field, value, allowed)?;
    if !count.contains(&list.len()) {
        let given = format!("a list of {} entries", list.len());
        return Err(ValidationError::new(field, given, allowed));
    }
    let read_one = |element: &Value| {
        if !element.is_object() {
            let shape = format!("an object with {}", keys.join(", "));
            return Err(ValidationError::new(
                "",
                crate::command::reader::show(element),
                shape,
            ));
        }
        read(&ParamReader::new(command, element, keys)?)
    };
    list.iter()
        .enumerate()
        .map(|(i, element)| read_one(element).map_err(|e| nest(e, field, i)))
        .collect()
}

fn nest(e: ValidationError, field: &str, index: usize) -> ValidationError {
    let parent = format!("{field}[{index}]");
    if e.field.is_empty() {
        return ValidationError { field: parent, ..e };
    }
    e.within(&parent)
}

fn read_period(element: &ParamReader) -> Result<Period, ValidationError> {
    let period = Period {
        hour: u8_field(element, "hour", 23, "0-23")?,
        minute: u8_field(element, "minute", 59, "0-59")?,
        tariff: u8_field(element, "tariff", i64::from(TARIFFS), &allowed_tariff())?,
    };
    period.check()?;
    Ok(period)
}

fn read_holiday(element: &ParamReader) -> Result<Holiday, ValidationError> {
    let holiday = Holiday {
        month: u8_field(element, "month", 12, "1-12, or 0/0 for an unused slot")?,
        day: u8_field(element, "day", 31, "1-31, or 0/0 for an unused slot")?,
    };
    holiday.check()?;
    Ok(holiday)
}

fn read_season(element: &ParamReader) -> Result<Season, ValidationError> {
    let season = Season {
        month: u8_field(element, "month", 12, "1-12, or 0/0/0 for an unused season")?,
        day: u8_field(element, "day", 31, "1-31, or 0/0/0 for an unused season")?,
        schedule: u8_field(
            element,
            "schedule",
            i64::from(SCHEDULES),
            &allowed_schedule(),
        )?,
    };
    season.check()?;
    Ok(season)
}

/// A schedule number 1-6 (G28), read from `field`.
pub(crate) fn read_schedule_number(
    params: &ParamReader,
    field: &str,
) -> Result<u8, ValidationError> {
    let value = params.required(field, allowed_schedule)?;
    Ok(integer(field, value, 1, i64::from(SCHEDULES), &allowed_schedule())? as u8)
}

pub(crate) fn parse_schedule(
    params: &ParamReader,
) -> Result<(u8, [Period; PERIODS_PER_SCHEDULE]), ValidationError> {
    let schedule = read_schedule_number(params, "schedule")?;
    let periods = params.required("periods", allowed_periods)?;
    let n = PERIODS_PER_SCHEDULE;
    let periods = objects(
        "SetSchedule",
        ("periods", periods),
        n..=n,
        &["hour", "minute", "tariff"],
        &allowed_periods(),
        read_period,
    )?;
    let periods = periods
        .try_into()
        .expect("exactly four periods were checked");
    Ok((schedule, periods))
}

pub(crate) fn parse_holiday_dates(params: &ParamReader) -> Result<Vec<Holiday>, ValidationError> {
    let value = params.required("holiday_dates", allowed_holiday_dates)?;
    objects(
        "SetHolidayDates",
        ("holiday_dates", value),
        0..=HOLIDAYS,
        &["month", "day"],
        &allowed_holiday_dates(),
        read_holiday,
    )
}

pub(crate) fn parse_seasons(params: &ParamReader) -> Result<[Season; SEASONS], ValidationError> {
    let value = params.required("seasons", allowed_seasons)?;
    let seasons = objects(
        "SetSeasonSchedules",
        ("seasons", value),
        SEASONS..=SEASONS,
        &["month", "day", "schedule"],
        &allowed_seasons(),
        read_season,
    )?;
    Ok(seasons
        .try_into()
        .expect("exactly four seasons were checked"))
}

pub(crate) fn schedule_params(
    schedule: u8,
    periods: &[Period; PERIODS_PER_SCHEDULE],
) -> Map<String, Value> {
    let mut map = Map::new();
    map.insert("schedule".into(), json!(schedule));
    map.insert("periods".into(), json!(periods));
    map
}

pub(crate) fn holiday_dates_params(holidays: &[Holiday]) -> Map<String, Value> {
    let mut map = Map::new();
    map.insert("holiday_dates".into(), json!(holidays));
    map
}

pub(crate) fn seasons_params(seasons: &[Season; SEASONS]) -> Map<String, Value> {
    let mut map = Map::new();
    map.insert("seasons".into(), json!(seasons));
    map
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unused_slots_are_zero_and_used_ones_must_be_real() {
        assert!(Period::UNUSED.check().is_ok());
        assert_eq!(
            Period {
                hour: 6,
                minute: 0,
                tariff: 0
            }
            .check()
            .unwrap_err()
            .field,
            "tariff"
        );
        assert_eq!(
            Period {
                hour: 6,
                minute: 0,
                tariff: 5
            }
            .check()
            .unwrap_err()
            .field,
            "tariff"
        );
        assert!(Holiday::UNUSED.check().is_ok());
        assert!(
            Holiday { month: 2, day: 29 }.check().is_ok(),
            "no year, so leap day is fine"
        );
        assert_eq!(
            Holiday { month: 4, day: 31 }.check().unwrap_err().field,
            "day"
        );
        assert_eq!(
            Holiday { month: 0, day: 1 }.check().unwrap_err().field,
            "month"
        );
        assert_eq!(
            Season {
                month: 3,
                day: 1,
                schedule: 7
            }
            .check()
            .unwrap_err()
            .field,
            "schedule"
        );
    }

    #[test]
    fn errors_name_the_element_and_its_field() {
        let bad = json!({"schedule": 2, "periods": [
            {"hour": 0, "minute": 0, "tariff": 1},
            {"hour": 7, "minute": 0, "tariff": 2},
            {"hour": 19, "minute": 30, "tariff": 9},
            {"hour": 0, "minute": 0, "tariff": 0}]});
        let r = ParamReader::new("SetSchedule", &bad, SET_SCHEDULE_PARAMS).unwrap();
        let e = parse_schedule(&r).unwrap_err();
        assert_eq!(
            (e.field.as_str(), e.value.as_str()),
            ("periods[2].tariff", "9")
        );

        let bad = json!({"holiday_dates": [{"month": 1, "day": 1}, "Dec 25"]});
        let r = ParamReader::new("SetHolidayDates", &bad, SET_HOLIDAY_DATES_PARAMS).unwrap();
        assert_eq!(
            parse_holiday_dates(&r).unwrap_err().field,
            "holiday_dates[1]"
        );

        let bad = json!({"holiday_dates": [{"month": 1, "day": 1, "year": 2025}]});
        let r = ParamReader::new("SetHolidayDates", &bad, SET_HOLIDAY_DATES_PARAMS).unwrap();
        assert_eq!(
            parse_holiday_dates(&r).unwrap_err().field,
            "holiday_dates[0].year"
        );
    }

    #[test]
    fn list_lengths_are_enforced() {
        let three =
            json!({"schedule": 1, "periods": [Period::UNUSED, Period::UNUSED, Period::UNUSED]});
        let r = ParamReader::new("SetSchedule", &three, SET_SCHEDULE_PARAMS).unwrap();
        assert_eq!(parse_schedule(&r).unwrap_err().value, "a list of 3 entries");
        let many = json!({"holiday_dates": vec![Holiday::UNUSED; 21]});
        let r = ParamReader::new("SetHolidayDates", &many, SET_HOLIDAY_DATES_PARAMS).unwrap();
        assert_eq!(parse_holiday_dates(&r).unwrap_err().field, "holiday_dates");
    }
}
