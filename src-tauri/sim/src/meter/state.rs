//! What a simulated Omnimeter remembers: every setting the API can write, plus the registers the
//! destructive commands zero (reference §3).

use crate::config::MeterConfig;
use crate::meter::tariff_history::sample_history;
use push3::command::RelayStatus;
use push3::undocumented::{Holiday, MonthKwh, Period, Season};
use push3::MeterVersion;
use std::time::SystemTime;

/// One of the two relays (V4/V5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelayState {
    /// `Open` or `Close`, in the seed's words.
    pub status: RelayStatus,
    /// Set while a timed SetRelay is in force: when the relay returns to the opposite state (G19).
    pub reverts_at: Option<SystemTime>,
    /// Bumped by every SetRelay so a revert timer from an older command does nothing.
    pub(crate) generation: u64,
}

impl Default for RelayState {
    fn default() -> Self {
        Self {
            status: RelayStatus::Open,
            reverts_at: None,
            generation: 0,
        }
    }
}

const RELAYS: usize = push3::limits::RELAYS.len();
const SCHEDULES: usize = push3::limits::SCHEDULES as usize;
const PERIODS: usize = push3::limits::PERIODS_PER_SCHEDULE;
const HOLIDAYS: usize = push3::limits::HOLIDAYS;
const SEASONS: usize = push3::limits::SEASONS;
const PULSE_INPUTS: usize = push3::limits::PULSE_LINES as usize;
const HISTORY_MONTHS: usize = push3::limits::HISTORY_MONTHS;

/// A snapshot of one meter, as [`crate::Simulator::meter`] returns it.
#[derive(Debug, Clone, PartialEq)]
pub struct MeterState {
    pub address: String,
    pub name: String,
    pub version: MeterVersion,
    pub password: String,
    /// `relays[0]` is `Relay_1`, `relays[1]` is `Relay_2`; `Close` means closed (load energised).
    /// A V3 meter has none and keeps these open forever.
    pub relays: [RelayState; RELAYS],
    /// LCD item names in display order (V4/V5).
    pub lcd_items: Vec<String>,
    /// `schedules[0]` is schedule 1.
    pub schedules: [[Period; PERIODS]; SCHEDULES],
    pub holidays: [Holiday; HOLIDAYS],
    pub weekend_schedule: u8,
    pub holiday_schedule: u8,
    pub seasons: [Season; SEASONS],
    /// Amps, one of the CT ratio table (reference §3.1).
    pub ct_ratio: u16,
    /// Wire code: 1 = 15 min, 2 = 30 min, 4 = 60 min (G20).
    pub max_demand_period: u8,
    /// Wire code: 0 Off, 1 Monthly, 2 Weekly, 3 Daily, 4 Hourly.
    pub max_demand_reset_interval: u8,
    /// Current maximum demand in watts; SetMaxDemandResetNow zeroes it.
    pub max_demand_watts: f64,
    /// `pulse_input_ratios[0]` is line 1.
    pub pulse_input_ratios: [u16; PULSE_INPUTS],
    pub pulse_output_ratio: u16,
    /// Meter wall clock minus the host's local wall clock, in seconds (SetTime moves it).
    pub clock_offset_seconds: i64,
    pub kwh_total: f64,
    pub rev_kwh_total: f64,
    /// Resettable registers `kWh_Rst` / `Rev_kWh_Rst`; SetZeroResettableKWH zeroes them.
    pub resettable_kwh: f64,
    pub resettable_rev_kwh: f64,
    /// Monthly history, `[0]` = most recent month (GetTariffData).
    pub forward_history: [MonthKwh; HISTORY_MONTHS],
    pub reverse_history: [MonthKwh; HISTORY_MONTHS],
}

/// What a new meter shows on its LCD before anyone sets it.
const FACTORY_LCD: [&str; 4] = ["kWh_Tot", "RMS_Volts_Ln_1", "RMS_Watts_Tot", "Line_Freq"];

impl MeterState {
    /// A meter as it leaves the factory, with plausible registers derived from its address so
    /// every run shows the same numbers.
    pub fn new(config: &MeterConfig) -> Self {
        let seed = config.address.bytes().fold(17u64, |acc, b| {
            acc.wrapping_mul(31).wrapping_add(u64::from(b))
        });
        let (forward_history, reverse_history) = sample_history(seed);
        let kwh_total = 12_000.0 + (seed % 40_000) as f64 / 10.0;
        let mut schedules = [[Period::UNUSED; PERIODS]; SCHEDULES];
        // A typical two-rate day in schedule 1: peak from 07:00, off-peak from 21:00.
        schedules[0][0] = Period {
            hour: 0,
            minute: 0,
            tariff: 2,
        };
        schedules[0][1] = Period {
            hour: 7,
            minute: 0,
            tariff: 1,
        };
        schedules[0][2] = Period {
            hour: 21,
            minute: 0,
            tariff: 2,
        };
        Self {
            address: config.address.clone(),
            name: config.name.clone(),
            version: config.version,
            password: config.password.clone(),
            relays: Default::default(),
            lcd_items: FACTORY_LCD.iter().map(|s| s.to_string()).collect(),
            schedules,
            holidays: [Holiday::UNUSED; HOLIDAYS],
            weekend_schedule: 1,
            holiday_schedule: 1,
            seasons: [Season::UNUSED; SEASONS],
            ct_ratio: 200,
            max_demand_period: 1,
            max_demand_reset_interval: 0,
            max_demand_watts: 4_200.0 + (seed % 3_000) as f64,
            pulse_input_ratios: [1; PULSE_INPUTS],
            pulse_output_ratio: 800,
            clock_offset_seconds: 0,
            kwh_total,
            rev_kwh_total: (seed % 900) as f64 / 10.0,
            resettable_kwh: kwh_total / 4.0,
            resettable_rev_kwh: (seed % 90) as f64 / 10.0,
            forward_history,
            reverse_history,
        }
    }

    /// The meter's wall clock now (host local time shifted by what SetTime set).
    pub fn meter_time(&self) -> chrono::NaiveDateTime {
        chrono::Local::now().naive_local() + chrono::Duration::seconds(self.clock_offset_seconds)
    }

    /// `State_Out` as the meter reports it (reference §3.12): 1 OffOff, 2 OffOn, 3 OnOff, 4 OnOn,
    /// where "On" is a closed relay.
    pub fn state_out(&self) -> u8 {
        let closed = |i: usize| self.relays[i].status == RelayStatus::Close;
        1 + u8::from(closed(1)) + 2 * u8::from(closed(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_meter_is_factory_fresh_and_plausible() {
        let m = MeterState::new(&MeterConfig::new("000350000900", MeterVersion::V4, "Main"));
        assert_eq!(m.password, "00000000");
        assert_eq!(m.ct_ratio, 200);
        assert!(m.relays.iter().all(|r| r.status == RelayStatus::Open));
        assert_eq!(m.state_out(), 1);
        assert!(m.kwh_total > 10_000.0);
        assert!(m.forward_history.iter().all(|month| month.total > 0.0));
    }

    #[test]
    fn state_out_follows_the_reference_table() {
        let mut m = MeterState::new(&MeterConfig::new("1", MeterVersion::V4, "x"));
        m.relays[1].status = RelayStatus::Close;
        assert_eq!(m.state_out(), 2);
        m.relays[0].status = RelayStatus::Close;
        assert_eq!(m.state_out(), 4);
        m.relays[1].status = RelayStatus::Open;
        assert_eq!(m.state_out(), 3);
    }
}
