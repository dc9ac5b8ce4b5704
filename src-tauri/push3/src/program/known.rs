//! What is known of one meter's settings, and from where. Through this API only the TOU program
//! can be read back (GetSchedules); everything else is known only from this app's own confirmed
//! writes. A write whose fate is unknown makes the value unknown again, so the next plan sends
//! it rather than trusting a guess.

use super::tou::{padded_holidays, TouProgram};
use crate::command::Command;
use crate::limits::PULSE_LINES;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum KnownSource {
    ConfirmedWrite,
    ReadBack,
}

/// A value, when it became known, and how.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Known<T> {
    pub value: T,
    pub at: DateTime<Utc>,
    pub source: KnownSource,
}

impl<T> Known<T> {
    fn new(value: T, at: DateTime<Utc>, source: KnownSource) -> Self {
        Self { value, at, source }
    }
}

/// Every setting the editors plan against. `None` means not known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct KnownState {
    pub tou: Option<Known<TouProgram>>,
    /// LCD item names in display order.
    pub lcd: Option<Known<Vec<String>>>,
    pub ct_ratio: Option<Known<u16>>,
    /// Wire code (1, 2, 4).
    pub max_demand_period: Option<Known<u8>>,
    /// Wire code (0-4).
    pub max_demand_reset_interval: Option<Known<u8>>,
    pub pulse_input_ratios: Vec<Option<Known<u16>>>,
    pub pulse_output_ratio: Option<Known<u16>>,
}

impl Default for KnownState {
    fn default() -> Self {
        Self {
            tou: None,
            lcd: None,
            ct_ratio: None,
            max_demand_period: None,
            max_demand_reset_interval: None,
            pulse_input_ratios: vec![None; usize::from(PULSE_LINES)],
            pulse_output_ratio: None,
        }
    }
}

impl KnownState {
    /// The meter confirmed `command`; `data` is its response payload.
    pub fn record_confirmed(&mut self, command: &Command, data: Option<&Value>, at: DateTime<Utc>) {
        match command {
            Command::GetSchedules => {
                if let Some(program) = data.and_then(|d| TouProgram::from_reading(d).program) {
                    self.tou = Some(Known::new(program, at, KnownSource::ReadBack));
                }
            }
            Command::SetLCD { display_fields } => {
                self.lcd = written(
                    display_fields
                        .iter()
                        .map(|i| i.name().to_string())
                        .collect(),
                    at,
                );
            }
            Command::SetCTRatio { ct_ratio } => self.ct_ratio = written(*ct_ratio, at),
            Command::SetMaxDemandPeriod { period } => {
                self.max_demand_period = written(period.code(), at)
            }
            Command::SetMaxDemandResetInterval { interval } => {
                self.max_demand_reset_interval = written(interval.code(), at)
            }
            Command::SetPulseInputRatio { line, ratio } => {
                if let Some(slot) = self.pulse_input_slot(*line) {
                    *slot = written(*ratio, at);
                }
            }
            Command::SetPulseOutputRatio { ratio } => self.pulse_output_ratio = written(*ratio, at),
            // A TOU write updates a known program; on its own it is too little to know one.
            Command::SetSchedule { .. }
            | Command::SetHolidayDates { .. }
            | Command::SetWeekendHolidaySchedules { .. }
            | Command::SetSeasonSchedules { .. } => {
                if let Some(known) = &mut self.tou {
                    apply_tou_write(&mut known.value, command);
                    known.at = at;
                    known.source = KnownSource::ConfirmedWrite;
                }
            }
            Command::SetMeterPassword { .. }
            | Command::SetTime(_)
            | Command::SetMaxDemandResetNow
            | Command::SetZeroResettableKWH
            | Command::SetRelay { .. }
            | Command::GetTariffData => {}
        }
    }

    /// The fate of `command` is unknown (unconfirmed): what it would have changed is no longer
    /// known. A failed or rejected command changed nothing and needs no call.
    pub fn forget_written_by(&mut self, command: &Command) {
        match command {
            Command::SetLCD { .. } => self.lcd = None,
            Command::SetCTRatio { .. } => self.ct_ratio = None,
            Command::SetMaxDemandPeriod { .. } => self.max_demand_period = None,
            Command::SetMaxDemandResetInterval { .. } => self.max_demand_reset_interval = None,
            Command::SetPulseInputRatio { line, .. } => {
                if let Some(slot) = self.pulse_input_slot(*line) {
                    *slot = None;
                }
            }
            Command::SetPulseOutputRatio { .. } => self.pulse_output_ratio = None,
            Command::SetSchedule { .. }
            | Command::SetHolidayDates { .. }
            | Command::SetWeekendHolidaySchedules { .. }
            | Command::SetSeasonSchedules { .. } => self.tou = None,
            _ => {}
        }
    }

    fn pulse_input_slot(&mut self, line: u8) -> Option<&mut Option<Known<u16>>> {
        self.pulse_input_ratios
            .resize(usize::from(PULSE_LINES), None);
        self.pulse_input_ratios
            .get_mut(usize::from(line).checked_sub(1)?)
    }
}

fn written<T>(value: T, at: DateTime<Utc>) -> Option<Known<T>> {
    Some(Known::new(value, at, KnownSource::ConfirmedWrite))
}

fn apply_tou_write(program: &mut TouProgram, command: &Command) {
    match command {
        Command::SetSchedule { schedule, periods } => {
            if let Some(slot) = usize::from(*schedule)
                .checked_sub(1)
                .and_then(|i| program.schedules.get_mut(i))
            {
                *slot = *periods;
            }
        }
        Command::SetHolidayDates { holidays } => program.holidays = padded_holidays(holidays),
        Command::SetWeekendHolidaySchedules {
            weekend_schedule,
            holiday_schedule,
        } => {
            program.weekend_schedule = *weekend_schedule;
            program.holiday_schedule = *holiday_schedule;
        }
        Command::SetSeasonSchedules { seasons } => program.seasons = Some(*seasons),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::{parse, ParseOptions};
    use crate::program::tou::tests::sample;
    use serde_json::json;

    fn command(name: &str, params: Value) -> Command {
        let opts = ParseOptions {
            experimental_seasons: true,
            ..Default::default()
        };
        parse(name, &params, &opts).unwrap().command
    }

    fn now() -> DateTime<Utc> {
        "2026-11-23T10:00:00Z".parse().unwrap()
    }

    #[test]
    fn confirmed_settings_become_known_and_unconfirmed_ones_unknown_again() {
        let mut known = KnownState::default();
        let ct = command("SetCTRatio", json!({"ct_ratio": "400"}));
        known.record_confirmed(&ct, None, now());
        let line2 = command(
            "SetPulseInputRatio",
            json!({"pulse_line": 2, "pulse_input_ratio": 50}),
        );
        known.record_confirmed(&line2, None, now());
        let lcd = command(
            "SetLCD",
            json!({"display_fields": ["Line_Freq", "kWh_Tot"]}),
        );
        known.record_confirmed(&lcd, None, now());
        assert_eq!(known.ct_ratio.as_ref().unwrap().value, 400);
        assert_eq!(
            known.ct_ratio.as_ref().unwrap().source,
            KnownSource::ConfirmedWrite
        );
        assert_eq!(known.pulse_input_ratios[1].as_ref().unwrap().value, 50);
        assert!(known.pulse_input_ratios[0].is_none());
        assert_eq!(known.lcd.as_ref().unwrap().value, ["Line_Freq", "kWh_Tot"]);

        known.forget_written_by(&line2);
        known.forget_written_by(&ct);
        assert!(known.pulse_input_ratios[1].is_none());
        assert!(known.ct_ratio.is_none());
        assert!(known.lcd.is_some());
    }

    #[test]
    fn a_read_back_program_is_known_and_later_writes_update_it() {
        let mut known = KnownState::default();
        let schedule = command(
            "SetSchedule",
            json!({"schedule": 2, "periods": [
                {"hour": 0, "minute": 0, "tariff": 4},
                {"hour": 0, "minute": 0, "tariff": 0},
                {"hour": 0, "minute": 0, "tariff": 0},
                {"hour": 0, "minute": 0, "tariff": 0}]}),
        );
        known.record_confirmed(&schedule, None, now());
        assert!(known.tou.is_none(), "one schedule is not a whole program");

        let program = sample();
        let data = json!({
            "schedules": program.schedules.iter().enumerate()
                .map(|(i, p)| json!({"schedule": i + 1, "periods": p})).collect::<Vec<_>>(),
            "holiday_dates": program.holidays,
            "weekend_schedule": 2, "holiday_schedule": 3,
        });
        known.record_confirmed(&Command::GetSchedules, Some(&data), now());
        assert_eq!(known.tou.as_ref().unwrap().value, program);
        assert_eq!(known.tou.as_ref().unwrap().source, KnownSource::ReadBack);

        known.record_confirmed(&schedule, None, now());
        let tou = &known.tou.as_ref().unwrap();
        assert_eq!(tou.value.schedules[1][0].tariff, 4);
        assert_eq!(tou.source, KnownSource::ConfirmedWrite);
        let holidays = command(
            "SetHolidayDates",
            json!({"holiday_dates": [{"month": 7, "day": 4}]}),
        );
        known.record_confirmed(&holidays, None, now());
        let tou = &known.tou.as_ref().unwrap().value;
        assert_eq!(tou.holidays.len(), 20);
        assert_eq!(tou.holidays[0].month, 7);
        assert_eq!(tou.holidays[1].month, 0);

        known.forget_written_by(&holidays);
        assert!(known.tou.is_none());
    }

    #[test]
    fn known_state_round_trips_through_json() {
        let mut known = KnownState::default();
        known.record_confirmed(
            &command("SetMaxDemandPeriod", json!({"max_demand_period": 4})),
            None,
            now(),
        );
        let json = serde_json::to_value(&known).unwrap();
        assert_eq!(json["max_demand_period"]["value"], 4);
        assert_eq!(json["max_demand_period"]["source"], "confirmed_write");
        assert_eq!(json["pulse_input_ratios"], json!([null, null, null]));
        let back: KnownState = serde_json::from_value(json).unwrap();
        assert_eq!(back, known);
        let empty: KnownState = serde_json::from_value(json!({})).unwrap();
        assert_eq!(empty, KnownState::default());
    }
}
