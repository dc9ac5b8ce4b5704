//! The editors' questions to Rust: plan a program against what is known of the meter, read
//! GetSchedules and GetTariffData payloads, compare programs, and give the meter clock's time in
//! a time zone. Everything here validates with the core's tables; nothing is sent from here.

use super::Desk;
use crate::error::IpcError;
use chrono::{Datelike, Timelike};
use push3::program::{self, Difference, KnownState, Plan, SchedulesReading, SlotShift, TouProgram};
use push3::undocumented::TariffData;
use push3::{Command, MeterAddress};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use ts_rs::TS;

/// Which meter, on which gateway.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MeterRef {
    pub gateway_id: String,
    pub meter: String,
}

/// SetTime's wire params for a moment, and how it reads for people.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct MeterClock {
    pub params: Map<String, Value>,
    pub display: String,
}

impl Desk {
    pub async fn plan_program(
        &self,
        target: MeterRef,
        program: Value,
        force: bool,
    ) -> Result<Plan, IpcError> {
        let meter = MeterAddress::parse(&target.meter)?;
        let version = self.meter_version(&target.gateway_id, &meter).await?;
        let known = self.known_state(&target.gateway_id, &meter);
        program::plan(&program, version, &known, force).map_err(|e| {
            // Shown next to the field, so it names the field in words; `field` keeps the path
            // the UI places it by.
            IpcError::invalid_field(
                &e.field,
                format!(
                    "{}: {} is not allowed; {}",
                    program::path_label(&e.field),
                    e.value,
                    e.allowed
                ),
            )
        })
    }

    pub fn known_state_of(&self, target: MeterRef) -> Result<KnownState, IpcError> {
        let meter = MeterAddress::parse(&target.meter)?;
        Ok(self.known_state(&target.gateway_id, &meter))
    }
}

pub fn parse_schedules(data: &Value) -> SchedulesReading {
    TouProgram::from_reading(data)
}

/// What was meant against what the meter holds: each difference, and a schedule slot shift
/// when one explains them.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct TouComparison {
    pub differences: Vec<Difference>,
    pub shift: Option<SlotShift>,
}

pub fn compare_tou(expected: &TouProgram, actual: &TouProgram) -> TouComparison {
    TouComparison {
        differences: expected.differences(actual),
        shift: expected.slot_shift(actual),
    }
}

/// GetTariffData's payload; one of another shape is returned whole as `extra` (G29).
pub fn parse_tariff_data(data: &Value) -> TariffData {
    TariffData::from_reading(data)
}

/// The wall-clock time now in `time_zone` as SetTime params: the meter has no zone and no DST
/// rule (G33), so it must be told the local time its tariffs should follow.
pub fn meter_clock_now(time_zone: &str) -> Result<MeterClock, IpcError> {
    let zone: chrono_tz::Tz = time_zone.parse().map_err(|_| {
        IpcError::invalid_field(
            "time_zone",
            format!("time_zone: {time_zone:?} is not an IANA time zone such as \"Europe/Berlin\""),
        )
    })?;
    let now = chrono::Utc::now().with_timezone(&zone);
    let time = push3::command::MeterTime::new(
        u16::try_from(now.year()).unwrap_or(0),
        now.month() as u8,
        now.day() as u8,
        now.hour() as u8,
        now.minute() as u8,
        now.second() as u8,
    )?;
    Ok(MeterClock {
        params: Command::SetTime(time).params(),
        display: format!(
            "{} ({time_zone}, UTC{})",
            now.format("%a %-d %b %Y %H:%M:%S"),
            now.format("%:z")
        ),
    })
}

/// Every IANA zone name chrono-tz knows, sorted.
pub fn time_zones() -> Vec<&'static str> {
    let mut names: Vec<&str> = chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name()).collect();
    names.sort_unstable();
    names
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_clock_is_the_wall_time_of_the_zone_as_seed_strings() {
        let utc = meter_clock_now("UTC").unwrap();
        let tokyo = meter_clock_now("Asia/Tokyo").unwrap();
        let hour = |c: &MeterClock| c.params["hour"].as_str().unwrap().parse::<i32>().unwrap();
        // Tokyo is UTC+9 all year (no DST); allow the hour to roll between the two calls.
        let diff = (hour(&tokyo) - hour(&utc)).rem_euclid(24);
        assert!(diff == 9 || diff == 10, "{diff}");
        assert_eq!(utc.params["year"].as_str().unwrap().len(), 4);
        assert_eq!(utc.params["minutes"].as_str().unwrap().len(), 2);
        assert!(
            tokyo.display.contains("Asia/Tokyo, UTC+09:00"),
            "{}",
            tokyo.display
        );
        let e = meter_clock_now("Mars/Olympus").unwrap_err();
        assert_eq!(e.field.as_deref(), Some("time_zone"));
    }

    #[test]
    fn zones_are_sorted_iana_names() {
        let zones = time_zones();
        assert!(zones.contains(&"Europe/Berlin") && zones.contains(&"UTC"));
        assert!(zones.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn tariff_data_of_any_shape_is_shown_not_refused() {
        let known = parse_tariff_data(
            &json!({"forward": [{"total": 3.5, "tariffs": [1.0, 2.5, 0.0, 0.0]}], "x": 1}),
        );
        assert_eq!(known.forward[0].total, 3.5);
        assert_eq!(known.extra["x"], 1);
        let other = parse_tariff_data(&json!("Month_1_Tot=12"));
        assert!(other.forward.is_empty());
        assert_eq!(other.extra["data"], "Month_1_Tot=12");
        // What crosses IPC: the keys it does not know sit beside forward and reverse, not under
        // a key of their own (the UI reads them so).
        assert_eq!(
            serde_json::to_value(parse_tariff_data(&json!([1, 2, 3]))).unwrap(),
            json!({"forward": [], "reverse": [], "data": [1, 2, 3]})
        );
    }
}
