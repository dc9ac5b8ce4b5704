//! ASSUMPTION (G29, reference §2.15 and §9): GetSchedules' `data` in the meter's flat layout,
//! the key names of EKM's own serial libraries, as a gateway that passes the meter's read blocks
//! through would most likely send them:
//!
//! ```text
//! Schedule_{1..6}_Period_{1..4}_{Hour,Min,Tariff}   Season_{1..4}_{Month,Day,Schedule}
//! Holiday_{1..20}_{Mon,Day}                          Weekend_Schd, Holiday_Schd
//! ```
//!
//! Values may be numbers or digit strings ("07"). Those libraries disagree on whether schedules
//! count from 0 or 1, so the numbering is read from the keys: a `Schedule_0_…` key means from 0,
//! and then the weekend, holiday and season schedule numbers count from 0 too. A reading is
//! taken whole or not at all: a key missing or a value out of range leaves it to the raw view.

use super::payloads::{MonthKwh, Schedule, SchedulesData, TariffData};
use super::tou::{Holiday, Period, Season};
use crate::limits::{HOLIDAYS, PERIODS_PER_SCHEDULE, SCHEDULES, SEASONS};
use serde_json::{Map, Value};

/// How a reading numbers its schedules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Numbering {
    FromOne,
    FromZero,
}

impl Numbering {
    fn first(self) -> u8 {
        match self {
            Self::FromOne => 1,
            Self::FromZero => 0,
        }
    }
}

/// Whether `data` is in the flat layout at all (it has a schedule key).
pub fn is_flat(data: &Map<String, Value>) -> bool {
    data.contains_key("Schedule_1_Period_1_Hour") || data.contains_key("Schedule_0_Period_1_Hour")
}

/// The flat reading as [`SchedulesData`] (schedule numbers from 1), the numbering it used, and
/// the keys it does not know. `None` when a key is missing or a value is not a number in range.
pub fn schedules_from_flat(data: &Map<String, Value>) -> Option<(SchedulesData, Numbering)> {
    let numbering = if data.contains_key("Schedule_0_Period_1_Hour") {
        Numbering::FromZero
    } else {
        Numbering::FromOne
    };
    let first = numbering.first();
    let mut used = std::collections::HashSet::new();
    let mut number = |key: String| -> Option<u8> {
        let value = data.get(&key)?;
        used.insert(key);
        match value {
            Value::Number(n) => n.as_u64().and_then(|n| u8::try_from(n).ok()),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    };
    // A schedule number as the reading gives it, as we count it (1-6).
    let shift = |n: u8| n.checked_add(1 - first);
    let mut schedules = Vec::with_capacity(usize::from(SCHEDULES));
    for s in 0..SCHEDULES {
        let key = s + first;
        let mut periods = Vec::with_capacity(PERIODS_PER_SCHEDULE);
        for p in 1..=PERIODS_PER_SCHEDULE {
            periods.push(Period {
                hour: number(format!("Schedule_{key}_Period_{p}_Hour"))?,
                minute: number(format!("Schedule_{key}_Period_{p}_Min"))?,
                tariff: number(format!("Schedule_{key}_Period_{p}_Tariff"))?,
            });
        }
        schedules.push(Schedule {
            schedule: s + 1,
            periods,
        });
    }
    let mut holiday_dates = Vec::with_capacity(HOLIDAYS);
    for h in 1..=HOLIDAYS {
        holiday_dates.push(Holiday {
            month: number(format!("Holiday_{h}_Mon"))?,
            day: number(format!("Holiday_{h}_Day"))?,
        });
    }
    // Seasons come with schedules 1-4 in the meter's block, but only if the gateway reads them.
    let mut seasons = Vec::new();
    if data.contains_key("Season_1_Month") {
        for n in 1..=SEASONS {
            let month = number(format!("Season_{n}_Month"))?;
            let day = number(format!("Season_{n}_Day"))?;
            let schedule = number(format!("Season_{n}_Schedule"))?;
            let unused = month == 0 && day == 0 && schedule == 0;
            seasons.push(Season {
                month,
                day,
                schedule: if unused { 0 } else { shift(schedule)? },
            });
        }
    }
    let weekend_schedule = shift(number("Weekend_Schd".into())?)?;
    let holiday_schedule = shift(number("Holiday_Schd".into())?)?;
    let extra = data
        .iter()
        .filter(|(k, _)| !used.contains(*k))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let data = SchedulesData {
        schedules,
        seasons,
        holiday_dates,
        weekend_schedule,
        holiday_schedule,
        extra,
    };
    Some((data, numbering))
}

/// The flat layout of a reading, numbered as `numbering` says: what a gateway passing the
/// meter's blocks through would send (the simulator can serve it; the tests round-trip it).
pub fn schedules_to_flat(data: &SchedulesData, numbering: Numbering) -> Map<String, Value> {
    let first = numbering.first();
    let number = |n: u8| if n == 0 { 0 } else { n - 1 + first };
    let mut out = Map::new();
    for schedule in &data.schedules {
        let key = number(schedule.schedule);
        for (p, period) in schedule.periods.iter().enumerate() {
            let p = p + 1;
            out.insert(
                format!("Schedule_{key}_Period_{p}_Hour"),
                period.hour.into(),
            );
            out.insert(
                format!("Schedule_{key}_Period_{p}_Min"),
                period.minute.into(),
            );
            out.insert(
                format!("Schedule_{key}_Period_{p}_Tariff"),
                period.tariff.into(),
            );
        }
    }
    for (h, holiday) in data.holiday_dates.iter().enumerate() {
        let h = h + 1;
        out.insert(format!("Holiday_{h}_Mon"), holiday.month.into());
        out.insert(format!("Holiday_{h}_Day"), holiday.day.into());
    }
    for (n, season) in data.seasons.iter().enumerate() {
        let n = n + 1;
        out.insert(format!("Season_{n}_Month"), season.month.into());
        out.insert(format!("Season_{n}_Day"), season.day.into());
        out.insert(
            format!("Season_{n}_Schedule"),
            number(season.schedule).into(),
        );
    }
    out.insert("Weekend_Schd".into(), number(data.weekend_schedule).into());
    out.insert("Holiday_Schd".into(), number(data.holiday_schedule).into());
    out
}

// ---- GetTariffData ----
//
// ASSUMPTION (G29, reference §2.16 and §9): the meter's monthly tariff history in flat keys,
// `Month_{1..6}_{Tot,Tariff_1..4}` in kWh, month 1 the one in progress. The libraries read
// forward and reverse energy into two dictionaries with the same keys; a gateway passing both
// through one JSON object would need a prefix for the reverse ones, and `Rev_` is the meter's
// own (`Rev_kWh_Tariff_1`), so `Rev_Month_{1..6}_…` is read as reverse energy.

const TARIFF_MONTHS: usize = 6;

/// Whether GetTariffData's `data` is in the flat layout (it has a month 1 key).
pub fn is_flat_tariffs(data: &Map<String, Value>) -> bool {
    [
        "Month_1_Tot",
        "Month_1_Tariff_1",
        "Rev_Month_1_Tot",
        "Rev_Month_1_Tariff_1",
    ]
    .iter()
    .any(|k| data.contains_key(*k))
}

fn kwh(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
    .filter(|v: &f64| v.is_finite())
}

/// The flat reading as [`TariffData`], newest month first, its unknown keys kept in `extra`.
/// `None` when a month's key holds something that is not a number.
pub fn tariffs_from_flat(data: &Map<String, Value>) -> Option<TariffData> {
    let mut used = std::collections::HashSet::new();
    let mut months = |prefix: &str| -> Option<Vec<MonthKwh>> {
        let mut out = Vec::new();
        for m in 1..=TARIFF_MONTHS {
            let total_key = format!("{prefix}Month_{m}_Tot");
            let tariff_keys: Vec<String> = (1..=4)
                .map(|t| format!("{prefix}Month_{m}_Tariff_{t}"))
                .collect();
            if !data.contains_key(&total_key) && !tariff_keys.iter().any(|k| data.contains_key(k)) {
                break;
            }
            let mut read = |key: &String| -> Option<f64> {
                used.insert(key.clone());
                data.get(key).map_or(Some(0.0), kwh)
            };
            let mut tariffs = [0.0; 4];
            for (t, key) in tariff_keys.iter().enumerate() {
                tariffs[t] = read(key)?;
            }
            let total = match data.get(&total_key) {
                Some(_) => read(&total_key)?,
                None => tariffs.iter().sum(),
            };
            out.push(MonthKwh { total, tariffs });
        }
        Some(out)
    };
    let forward = months("")?;
    let reverse = months("Rev_")?;
    let extra = data
        .iter()
        .filter(|(k, _)| !used.contains(*k))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    Some(TariffData {
        forward,
        reverse,
        extra,
    })
}

/// The flat layout of tariff data: what a gateway passing the meter's blocks through would send.
pub fn tariffs_to_flat(data: &TariffData) -> Map<String, Value> {
    let mut out = Map::new();
    for (prefix, months) in [("", &data.forward), ("Rev_", &data.reverse)] {
        for (m, month) in months.iter().take(TARIFF_MONTHS).enumerate() {
            let m = m + 1;
            out.insert(format!("{prefix}Month_{m}_Tot"), month.total.into());
            for (t, kwh) in month.tariffs.iter().enumerate() {
                out.insert(format!("{prefix}Month_{m}_Tariff_{}", t + 1), (*kwh).into());
            }
        }
    }
    out
}
