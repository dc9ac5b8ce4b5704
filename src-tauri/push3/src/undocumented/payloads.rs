//! ASSUMPTION (G29): the `data` of GetSchedules and GetTariffData.
//!
//! Nothing documents these payloads. We assume the gateway returns what the meter's read blocks
//! hold (§2.15, §2.16), under the same key names as the Set… params of [`super::tou`]:
//!
//! ```json
//! GetSchedules:  {"schedules": [{"schedule": 1, "periods": [{"hour": 0, "minute": 0, "tariff": 1}, …4]}, …6],
//!                 "seasons": [{"month": 1, "day": 1, "schedule": 1}, …4],
//!                 "holiday_dates": [{"month": 1, "day": 1}, …20],
//!                 "weekend_schedule": 2, "holiday_schedule": 2}
//! GetTariffData: {"forward": [{"total": 1234.5, "tariffs": [t1, t2, t3, t4]}, …6],
//!                 "reverse": [ …6 ]}
//! ```
//!
//! Month 0 of the history is the most recent one (L's `Month_1`). kWh values are already scaled.
//! Parsing never fails on unknown keys: they are kept in `extra` for a raw JSON view, and missing
//! keys default to empty, so a payload of a different shape still shows.

use super::tou::{Holiday, Period, Season};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use ts_rs::TS;

/// One schedule of GetSchedules: its number (1-6) and its 4 periods.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Schedule {
    pub schedule: u8,
    pub periods: Vec<Period>,
}

/// The `data` of GetSchedules: 6 schedules × 4 periods, seasons, 20 holidays, weekend and holiday
/// schedule numbers.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SchedulesData {
    pub schedules: Vec<Schedule>,
    pub seasons: Vec<Season>,
    pub holiday_dates: Vec<Holiday>,
    pub weekend_schedule: u8,
    pub holiday_schedule: u8,
    /// Keys this shape does not know, kept for display (G29).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One month of history: total kWh and its split over tariffs T1-T4.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct MonthKwh {
    pub total: f64,
    pub tariffs: [f64; 4],
}

/// The `data` of GetTariffData: six months of history, forward and reverse energy (G32).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct TariffData {
    pub forward: Vec<MonthKwh>,
    pub reverse: Vec<MonthKwh>,
    /// Keys this shape does not know, kept for display (G29).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl SchedulesData {
    pub fn from_data(data: &Value) -> Result<Self, serde_json::Error> {
        Self::deserialize(data)
    }
}

impl TariffData {
    /// GetTariffData's `data` in the nested layout, or in the meter's flat keys
    /// ([`super::flat::tariffs_from_flat`]).
    pub fn from_data(data: &Value) -> Result<Self, serde_json::Error> {
        if let Some(flat) = data.as_object().filter(|d| super::flat::is_flat_tariffs(d)) {
            return super::flat::tariffs_from_flat(flat).ok_or_else(|| {
                serde::de::Error::custom("a month of the flat tariff data is not a number of kWh")
            });
        }
        Self::deserialize(data)
    }

    /// Reads GetTariffData's `data` for display. Never fails: a payload of another shape is
    /// returned whole under `extra["data"]`, shown raw rather than refused (G29).
    pub fn from_reading(data: &Value) -> Self {
        Self::from_data(data).unwrap_or_else(|_| {
            let mut extra = Map::new();
            extra.insert("data".into(), data.clone());
            Self {
                extra,
                ..Default::default()
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn schedules_round_trip_and_unknown_keys_are_kept() {
        let data = SchedulesData {
            schedules: (1..=6)
                .map(|n| Schedule {
                    schedule: n,
                    periods: vec![
                        Period {
                            hour: 7,
                            minute: 30,
                            tariff: 2
                        };
                        4
                    ],
                })
                .collect(),
            seasons: vec![
                Season {
                    month: 1,
                    day: 1,
                    schedule: 1
                };
                4
            ],
            holiday_dates: vec![Holiday { month: 12, day: 25 }; 20],
            weekend_schedule: 2,
            holiday_schedule: 3,
            extra: Map::new(),
        };
        let mut json = serde_json::to_value(&data).unwrap();
        assert_eq!(
            json["schedules"][5]["periods"][3],
            json!({"hour": 7, "minute": 30, "tariff": 2})
        );
        assert_eq!(SchedulesData::from_data(&json).unwrap(), data);
        json["Firmware"] = json!("45");
        json["schedules"][0]["label"] = json!("weekdays");
        let parsed = SchedulesData::from_data(&json).unwrap();
        assert_eq!(parsed.extra["Firmware"], "45");
        assert_eq!(parsed.schedules, data.schedules);
    }

    #[test]
    fn a_payload_of_another_shape_still_parses() {
        let other = json!({"Schedule_1_Period_1_Hour": "07", "Holiday_Schd": "02"});
        let parsed = SchedulesData::from_data(&other).unwrap();
        assert!(parsed.schedules.is_empty());
        assert_eq!(parsed.extra.len(), 2);
        let tariffs = TariffData::from_data(
            &json!({"forward": [{"total": 10.5, "tariffs": [5.0, 5.5, 0.0, 0.0]}], "x": 1}),
        )
        .unwrap();
        assert_eq!(tariffs.forward[0].tariffs[1], 5.5);
        assert!(tariffs.reverse.is_empty());
        assert_eq!(tariffs.extra["x"], 1);
    }
}
