//! How a meter answers a command the gateway hands it: refuse what a real meter would not
//! acknowledge (unknown address, wrong password, a command its version lacks), otherwise change
//! the state or read it out.

use super::payload::{schedules_data, tariff_data};
use super::state::MeterState;
use push3::command::{Command, ParseOptions, ParsedCommand, Relay, RelayStatus};
use push3::limits::pulse_output_ratios_for;
use push3::undocumented::Holiday;
use push3::MeterPassword;
use std::collections::BTreeMap;
use std::time::{Duration, SystemTime};

/// A command as `sendCommand` accepted it: validated by the core, the one source of truth.
pub(crate) type MeterCommand = ParsedCommand;

/// Validates with the core's own parser, so the simulator's 400 texts are the client's texts.
pub(crate) fn parse_meter_command(
    name: &str,
    params: &serde_json::Value,
    experimental_seasons: bool,
    current_ct_ratio: Option<u16>,
) -> Result<MeterCommand, String> {
    let options = ParseOptions {
        experimental_seasons,
        current_ct_ratio,
    };
    push3::command::parse(name, params, &options).map_err(|e| e.to_string())
}

/// What a successful command leaves behind.
#[derive(Debug)]
pub(crate) struct Executed {
    /// The response's `data` (Get… only).
    pub data: Option<serde_json::Value>,
    pub relay_revert: Option<RelayRevert>,
}

/// A timed SetRelay's way back (G19): after `after_seconds`, `relay` goes to `to`, unless a
/// newer SetRelay on that relay bumped its generation in the meantime.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RelayRevert {
    pub relay: usize,
    pub to: RelayStatus,
    pub generation: u64,
    pub after_seconds: u64,
}

impl RelayRevert {
    pub fn apply(&self, meter: &mut MeterState) {
        let relay = &mut meter.relays[self.relay];
        if relay.generation == self.generation {
            relay.status = self.to;
            relay.reverts_at = None;
        }
    }
}

fn opposite(status: RelayStatus) -> RelayStatus {
    match status {
        RelayStatus::Open => RelayStatus::Close,
        RelayStatus::Close => RelayStatus::Open,
    }
}

/// Runs `parsed` on the meter at `target_id`. `Err` is the `error` text of a `success:false`
/// response (G41: EKM's wording is unknown, so these say plainly what went wrong).
pub(crate) fn execute(
    meters: &mut BTreeMap<String, MeterState>,
    target_id: &str,
    parsed: &MeterCommand,
) -> Result<Executed, String> {
    let command = &parsed.command;
    let name = command.name();
    let meter = meters.get_mut(target_id).ok_or_else(|| {
        format!("meter {target_id} did not respond: no such meter on this gateway's RS-485 bus")
    })?;
    // Every serial write starts with the password (reference §3.9); reads need none.
    if command.changes_meter() {
        let given = parsed.meter_password.unwrap_or(MeterPassword::FACTORY);
        if given.expose() != meter.password {
            return Err(format!(
                "meter {target_id} rejected the meter password; {name} was not applied \
                 (meter_password defaults to 00000000 when absent)"
            ));
        }
    }
    if !command.supported_by(meter.version) {
        return Err(format!(
            "{name} is not supported by meter {target_id} (Omnimeter {}); it needs a V4 or V5",
            meter.version
        ));
    }
    apply(meter, command)
}

fn done() -> Result<Executed, String> {
    Ok(Executed {
        data: None,
        relay_revert: None,
    })
}

fn apply(meter: &mut MeterState, command: &Command) -> Result<Executed, String> {
    match command {
        Command::SetMeterPassword { new_password } => {
            meter.password = new_password.expose().to_string();
        }
        Command::SetCTRatio { ct_ratio } => meter.ct_ratio = *ct_ratio,
        Command::SetTime(time) => {
            let wanted = chrono::NaiveDate::from_ymd_opt(
                i32::from(time.year),
                u32::from(time.month),
                u32::from(time.day),
            )
            .and_then(|d| {
                d.and_hms_opt(
                    u32::from(time.hour),
                    u32::from(time.minute),
                    u32::from(time.second),
                )
            })
            .ok_or_else(|| format!("meter {} refused the time {time:?}", meter.address))?;
            let now = chrono::Local::now().naive_local();
            meter.clock_offset_seconds = (wanted - now).num_seconds();
        }
        Command::SetMaxDemandResetInterval { interval } => {
            meter.max_demand_reset_interval = interval.code();
        }
        Command::SetMaxDemandResetNow => meter.max_demand_watts = 0.0,
        Command::SetMaxDemandPeriod { period } => meter.max_demand_period = period.code(),
        Command::SetLCD { display_fields } => {
            meter.lcd_items = display_fields
                .iter()
                .map(|i| i.name().to_string())
                .collect();
        }
        Command::SetPulseInputRatio { line, ratio } => {
            meter.pulse_input_ratios[usize::from(*line) - 1] = *ratio;
        }
        Command::SetPulseOutputRatio { ratio } => {
            // sendCommand checked against the CT ratio of the moment; a CT change queued
            // before this command may have made it invalid by now (§3.6).
            let valid = pulse_output_ratios_for(meter.ct_ratio).unwrap_or_default();
            if !valid.contains(ratio) {
                return Err(format!(
                    "meter {} refused pulse_output_ratio {ratio}: not valid with CT ratio {}",
                    meter.address, meter.ct_ratio
                ));
            }
            meter.pulse_output_ratio = *ratio;
        }
        Command::SetZeroResettableKWH => {
            meter.resettable_kwh = 0.0;
            meter.resettable_rev_kwh = 0.0;
        }
        Command::SetRelay {
            relay,
            status,
            duration,
        } => return Ok(set_relay(meter, *relay, *status, *duration)),
        Command::SetHolidayDates { holidays } => {
            // The command replaces the whole table (§2.12); slots not given are emptied.
            meter.holidays =
                std::array::from_fn(|i| holidays.get(i).copied().unwrap_or(Holiday::UNUSED));
        }
        Command::SetSchedule { schedule, periods } => {
            meter.schedules[usize::from(*schedule) - 1] = *periods;
        }
        Command::SetWeekendHolidaySchedules {
            weekend_schedule,
            holiday_schedule,
        } => {
            meter.weekend_schedule = *weekend_schedule;
            meter.holiday_schedule = *holiday_schedule;
        }
        Command::SetSeasonSchedules { seasons } => meter.seasons = *seasons,
        Command::GetSchedules => {
            return Ok(Executed {
                data: Some(schedules_data(meter)),
                relay_revert: None,
            })
        }
        Command::GetTariffData => {
            return Ok(Executed {
                data: Some(tariff_data(meter)),
                relay_revert: None,
            })
        }
    }
    done()
}

fn set_relay(meter: &mut MeterState, relay: Relay, status: RelayStatus, duration: u16) -> Executed {
    let index = match relay {
        Relay::Relay1 => 0,
        Relay::Relay2 => 1,
    };
    let state = &mut meter.relays[index];
    state.generation += 1;
    state.status = status;
    state.reverts_at = None;
    let mut relay_revert = None;
    if duration > 0 {
        let after = Duration::from_secs(u64::from(duration));
        state.reverts_at = Some(SystemTime::now() + after);
        relay_revert = Some(RelayRevert {
            relay: index,
            to: opposite(status),
            generation: state.generation,
            after_seconds: after.as_secs(),
        });
    }
    Executed {
        data: None,
        relay_revert,
    }
}
