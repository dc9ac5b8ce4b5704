//! Every meter command of the seed as a type, with its exact wire params (one place per command).
//!
//! [`parse`] is the one validator: the app, the CLI and the simulator all go through it, and
//! [`Command::validate`] checks a hand-built command by parsing its own params.

pub mod catalog;
mod parse;
pub(crate) mod reader;
mod types;

pub use crate::undocumented::{Holiday, Period, Season};
pub use parse::{parse, ParseOptions, ParsedCommand};
pub use types::{DemandPeriod, DemandResetInterval, LcdItem, MeterTime, Relay, RelayStatus};

use crate::error::ValidationError;
use crate::limits::{PERIODS_PER_SCHEDULE, PULSE_OUTPUT_LINE, SEASONS};
use crate::password::MeterPassword;
use crate::undocumented::tou;
use crate::version::MeterVersion;
use serde_json::{json, Map, Value};

/// A command for one meter (`target: "meter"`), with typed, validated fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// The current password goes in `meter_password` (G15). Never resent (§2.1).
    SetMeterPassword {
        new_password: MeterPassword,
    },
    SetCTRatio {
        ct_ratio: u16,
    },
    SetTime(MeterTime),
    SetMaxDemandResetInterval {
        interval: DemandResetInterval,
    },
    /// Destructive: zeroes max demand at once (G35).
    SetMaxDemandResetNow,
    SetMaxDemandPeriod {
        period: DemandPeriod,
    },
    SetLCD {
        display_fields: Vec<LcdItem>,
    },
    /// `line` is 1-3.
    SetPulseInputRatio {
        line: u8,
        ratio: u16,
    },
    /// Valid values depend on the meter's CT ratio (§3.6); `pulse_line` 1 is sent (G23).
    SetPulseOutputRatio {
        ratio: u16,
    },
    /// Destructive: zeroes the resettable kWh registers (G35).
    SetZeroResettableKWH,
    /// `duration` 0-9999 s, 0 holds the state. Never resent (§2.11, G10).
    SetRelay {
        relay: Relay,
        status: RelayStatus,
        duration: u16,
    },
    /// Replaces the whole 20-slot table (ASSUMPTION G25).
    SetHolidayDates {
        holidays: Vec<Holiday>,
    },
    /// `schedule` is 1-6 (ASSUMPTION G26).
    SetSchedule {
        schedule: u8,
        periods: [Period; PERIODS_PER_SCHEDULE],
    },
    /// Schedule numbers 1-6 (ASSUMPTION G28).
    SetWeekendHolidaySchedules {
        weekend_schedule: u8,
        holiday_schedule: u8,
    },
    GetSchedules,
    GetTariffData,
    /// Experimental: no documented API command (ASSUMPTION G27).
    SetSeasonSchedules {
        seasons: [Season; SEASONS],
    },
}

/// The command names, without their values: for listings, version gating and parsing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum CommandKind {
    SetMeterPassword,
    SetCTRatio,
    SetTime,
    SetMaxDemandResetInterval,
    SetMaxDemandResetNow,
    SetMaxDemandPeriod,
    SetLCD,
    SetPulseInputRatio,
    SetPulseOutputRatio,
    SetZeroResettableKWH,
    SetRelay,
    SetHolidayDates,
    SetSchedule,
    SetWeekendHolidaySchedules,
    GetSchedules,
    GetTariffData,
    SetSeasonSchedules,
}

impl CommandKind {
    /// In the seed's order, the experimental seasons command last.
    pub const ALL: [CommandKind; 17] = [
        CommandKind::SetMeterPassword,
        CommandKind::SetCTRatio,
        CommandKind::SetTime,
        CommandKind::SetMaxDemandResetInterval,
        CommandKind::SetMaxDemandResetNow,
        CommandKind::SetMaxDemandPeriod,
        CommandKind::SetLCD,
        CommandKind::SetPulseInputRatio,
        CommandKind::SetPulseOutputRatio,
        CommandKind::SetZeroResettableKWH,
        CommandKind::SetRelay,
        CommandKind::SetHolidayDates,
        CommandKind::SetSchedule,
        CommandKind::SetWeekendHolidaySchedules,
        CommandKind::GetSchedules,
        CommandKind::GetTariffData,
        CommandKind::SetSeasonSchedules,
    ];

    /// The wire name (`command` in the request).
    pub fn name(self) -> &'static str {
        match self {
            CommandKind::SetMeterPassword => "SetMeterPassword",
            CommandKind::SetCTRatio => "SetCTRatio",
            CommandKind::SetTime => "SetTime",
            CommandKind::SetMaxDemandResetInterval => "SetMaxDemandResetInterval",
            CommandKind::SetMaxDemandResetNow => "SetMaxDemandResetNow",
            CommandKind::SetMaxDemandPeriod => "SetMaxDemandPeriod",
            CommandKind::SetLCD => "SetLCD",
            CommandKind::SetPulseInputRatio => "SetPulseInputRatio",
            CommandKind::SetPulseOutputRatio => "SetPulseOutputRatio",
            CommandKind::SetZeroResettableKWH => "SetZeroResettableKWH",
            CommandKind::SetRelay => "SetRelay",
            CommandKind::SetHolidayDates => "SetHolidayDates",
            CommandKind::SetSchedule => "SetSchedule",
            CommandKind::SetWeekendHolidaySchedules => "SetWeekendHolidaySchedules",
            CommandKind::GetSchedules => "GetSchedules",
            CommandKind::GetTariffData => "GetTariffData",
            CommandKind::SetSeasonSchedules => "SetSeasonSchedules",
        }
    }

    /// Exact, case-sensitive match on the wire name.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.name() == name)
    }

    /// Get… commands only read; everything else changes the meter and is never resent.
    pub fn is_read(self) -> bool {
        matches!(self, CommandKind::GetSchedules | CommandKind::GetTariffData)
    }

    pub fn changes_meter(self) -> bool {
        !self.is_read()
    }

    /// Commands the UI should confirm with the user first (§2.1, G35).
    pub fn is_destructive(self) -> bool {
        matches!(
            self,
            CommandKind::SetMeterPassword
                | CommandKind::SetMaxDemandResetNow
                | CommandKind::SetZeroResettableKWH
        )
    }

    /// Shipped only as an explicit opt-in (G27).
    pub fn is_experimental(self) -> bool {
        self == CommandKind::SetSeasonSchedules
    }

    /// The §4 table: V3 lacks relays, the LCD list, pulse ratios, resettable kWh and the demand
    /// reset interval (G21); V5 is assumed to match V4.
    pub fn supported_by(self, version: MeterVersion) -> bool {
        let v4_only = matches!(
            self,
            CommandKind::SetMaxDemandResetInterval
                | CommandKind::SetLCD
                | CommandKind::SetPulseInputRatio
                | CommandKind::SetPulseOutputRatio
                | CommandKind::SetZeroResettableKWH
                | CommandKind::SetRelay
        );
        !v4_only || version.is_v4_or_later()
    }
}

impl Command {
    pub fn kind(&self) -> CommandKind {
        match self {
            Command::SetMeterPassword { .. } => CommandKind::SetMeterPassword,
            Command::SetCTRatio { .. } => CommandKind::SetCTRatio,
            Command::SetTime(_) => CommandKind::SetTime,
            Command::SetMaxDemandResetInterval { .. } => CommandKind::SetMaxDemandResetInterval,
            Command::SetMaxDemandResetNow => CommandKind::SetMaxDemandResetNow,
            Command::SetMaxDemandPeriod { .. } => CommandKind::SetMaxDemandPeriod,
            Command::SetLCD { .. } => CommandKind::SetLCD,
            Command::SetPulseInputRatio { .. } => CommandKind::SetPulseInputRatio,
            Command::SetPulseOutputRatio { .. } => CommandKind::SetPulseOutputRatio,
            Command::SetZeroResettableKWH => CommandKind::SetZeroResettableKWH,
            Command::SetRelay { .. } => CommandKind::SetRelay,
            Command::SetHolidayDates { .. } => CommandKind::SetHolidayDates,
            Command::SetSchedule { .. } => CommandKind::SetSchedule,
            Command::SetWeekendHolidaySchedules { .. } => CommandKind::SetWeekendHolidaySchedules,
            Command::GetSchedules => CommandKind::GetSchedules,
            Command::GetTariffData => CommandKind::GetTariffData,
            Command::SetSeasonSchedules { .. } => CommandKind::SetSeasonSchedules,
        }
    }

    pub fn name(&self) -> &'static str {
        self.kind().name()
    }

    pub fn is_read(&self) -> bool {
        self.kind().is_read()
    }

    pub fn changes_meter(&self) -> bool {
        self.kind().changes_meter()
    }

    pub fn supported_by(&self, version: MeterVersion) -> bool {
        self.kind().supported_by(version)
    }

    /// The command's own wire params, with the seed's JSON types (G13): `ct_ratio` and the SetTime
    /// fields are strings, SetTime uses `minutes`/`seconds`. `meter_password` is not included; see
    /// [`Command::params_with_password`].
    pub fn params(&self) -> Map<String, Value> {
        let pairs: Vec<(&str, Value)> = match self {
            Command::SetMeterPassword { new_password } => {
                vec![("new_password", json!(new_password.expose()))]
            }
            Command::SetCTRatio { ct_ratio } => vec![("ct_ratio", json!(ct_ratio.to_string()))],
            Command::SetTime(t) => vec![
                ("year", json!(format!("{:04}", t.year))),
                ("month", json!(format!("{:02}", t.month))),
                ("day", json!(format!("{:02}", t.day))),
                ("hour", json!(format!("{:02}", t.hour))),
                ("minutes", json!(format!("{:02}", t.minute))),
                ("seconds", json!(format!("{:02}", t.second))),
            ],
            Command::SetMaxDemandResetInterval { interval } => {
                vec![("interval", json!(interval.code()))]
            }
            Command::SetMaxDemandPeriod { period } => {
                vec![("max_demand_period", json!(period.code()))]
            }
            Command::SetLCD { display_fields } => vec![("display_fields", json!(display_fields))],
            Command::SetPulseInputRatio { line, ratio } => {
                vec![
                    ("pulse_line", json!(line)),
                    ("pulse_input_ratio", json!(ratio)),
                ]
            }
            Command::SetPulseOutputRatio { ratio } => {
                vec![
                    ("pulse_line", json!(PULSE_OUTPUT_LINE)),
                    ("pulse_output_ratio", json!(ratio)),
                ]
            }
            Command::SetRelay {
                relay,
                status,
                duration,
            } => vec![
                ("relay", json!(relay.wire())),
                ("status", json!(status.wire())),
                ("duration", json!(duration)),
            ],
            Command::SetWeekendHolidaySchedules {
                weekend_schedule,
                holiday_schedule,
            } => vec![
                ("weekend_schedule", json!(weekend_schedule)),
                ("holiday_schedule", json!(holiday_schedule)),
            ],
            Command::SetHolidayDates { holidays } => return tou::holiday_dates_params(holidays),
            Command::SetSchedule { schedule, periods } => {
                return tou::schedule_params(*schedule, periods)
            }
            Command::SetSeasonSchedules { seasons } => return tou::seasons_params(seasons),
            Command::SetMaxDemandResetNow
            | Command::SetZeroResettableKWH
            | Command::GetSchedules
            | Command::GetTariffData => vec![],
        };
        pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
    }

    /// The params as sent. SetRelay always carries `meter_password` (factory default if none is
    /// stored), as in the seed's example; other commands carry it only when given (G14, G15).
    pub fn params_with_password(&self, password: Option<&MeterPassword>) -> Map<String, Value> {
        let mut params = self.params();
        let password = match (self, password) {
            (_, Some(p)) => Some(*p),
            (Command::SetRelay { .. }, None) => Some(MeterPassword::FACTORY),
            _ => None,
        };
        if let Some(p) = password {
            params.insert("meter_password".into(), json!(p.expose()));
        }
        params
    }

    /// Checks a command built in code by the same rules as [`parse`], so a hand-built value can
    /// never bypass validation.
    pub fn validate(&self, opts: &ParseOptions) -> Result<(), ValidationError> {
        parse(self.name(), &Value::Object(self.params()), opts).map(|_| ())
    }
}
