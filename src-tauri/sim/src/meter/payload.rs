//! The `data` of GetSchedules and GetTariffData, serialized with the core's payload types.
//!
//! ASSUMPTION (G29): nothing documents these payloads. Their shape is defined once, in
//! `push3::undocumented::payloads` (schedules, seasons, holiday_dates, weekend_schedule,
//! holiday_schedule; forward/reverse months of total + 4 tariffs, most recent first). The
//! simulator fills those types from its state so client and simulator cannot drift apart.

use super::state::MeterState;
use push3::undocumented::{Schedule, SchedulesData, TariffData};
use serde_json::{Map, Value};

pub(crate) fn schedules_data(meter: &MeterState) -> Value {
    let data = SchedulesData {
        schedules: meter
            .schedules
            .iter()
            .zip(1u8..)
            .map(|(periods, number)| Schedule {
                schedule: number,
                periods: periods.to_vec(),
            })
            .collect(),
        seasons: meter.seasons.to_vec(),
        holiday_dates: meter.holidays.to_vec(),
        weekend_schedule: meter.weekend_schedule,
        holiday_schedule: meter.holiday_schedule,
        extra: Map::new(),
    };
    serde_json::to_value(data).expect("schedule data serializes")
}

pub(crate) fn tariff_data(meter: &MeterState) -> Value {
    let data = TariffData {
        forward: meter.forward_history.to_vec(),
        reverse: meter.reverse_history.to_vec(),
        extra: Map::new(),
    };
    serde_json::to_value(data).expect("tariff data serializes")
}
