//! The one validator: command name + params JSON → a typed [`Command`], or the first violation
//! with the field, the value and what is allowed. Nothing is sent before this has passed.

use super::catalog::{self, params_of, METER_PASSWORD};
use super::reader::{array, integer, show, string, ParamReader};
use super::{
    Command, CommandKind, DemandPeriod, DemandResetInterval, LcdItem, MeterTime, Relay, RelayStatus,
};
use crate::error::ValidationError;
use crate::limits::*;
use crate::password::MeterPassword;
use crate::undocumented::{tou, WireProfile};
use serde_json::Value;

/// What validation needs to know beyond the params themselves.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParseOptions {
    /// Accept the undocumented `SetSeasonSchedules` (G27).
    pub experimental_seasons: bool,
    /// The meter's CT ratio, which limits the pulse output ratio (§3.6, G23). When unknown, any
    /// value valid for some CT ratio is accepted.
    pub current_ct_ratio: Option<u16>,
}

/// A validated command and the meter password that came with it, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedCommand {
    pub command: Command,
    pub meter_password: Option<MeterPassword>,
}

impl ParsedCommand {
    /// The params in the canonical shape, the default wire profile's, with the meter password.
    pub fn wire_params(&self) -> serde_json::Map<String, Value> {
        self.command
            .params_with_password(self.meter_password.as_ref())
    }

    /// The params as they go on the wire to a gateway that speaks `profile`: what the client
    /// sends, and what the audit log records as sent.
    pub fn params_for(&self, profile: &WireProfile) -> serde_json::Map<String, Value> {
        profile.to_wire(self.command.name(), self.wire_params())
    }
}

/// Validates `params` for the command `name`, strictly: unknown command, unknown, missing or
/// mistyped parameters and out-of-range values are each refused, naming the field.
pub fn parse(
    name: &str,
    params: &Value,
    opts: &ParseOptions,
) -> Result<ParsedCommand, ValidationError> {
    let kind = command_kind(name, opts)?;
    let known: Vec<&str> = params_of(kind)
        .iter()
        .map(|p| p.name)
        .chain([METER_PASSWORD.name])
        .collect();
    let reader = ParamReader::new(name, params, &known)?;
    let fields = Fields { kind, reader, opts };
    let meter_password = fields
        .reader
        .optional(METER_PASSWORD.name)
        .map(|v| fields.password(METER_PASSWORD.name, v))
        .transpose()?;
    let command = fields.command()?;
    Ok(ParsedCommand {
        command,
        meter_password,
    })
}

fn command_kind(name: &str, opts: &ParseOptions) -> Result<CommandKind, ValidationError> {
    let kind = CommandKind::from_name(name).ok_or_else(|| {
        let names: Vec<&str> = CommandKind::ALL.iter().map(|k| k.name()).collect();
        ValidationError::new(
            "command",
            format!("{name:?}"),
            format!("one of {}", names.join(", ")),
        )
    })?;
    if kind.is_experimental() && !opts.experimental_seasons {
        return Err(ValidationError::new(
            "command",
            format!("{name:?}"),
            "SetSeasonSchedules only with experimental seasons switched on (no documented API command, G27)",
        ));
    }
    Ok(kind)
}

/// The params of one command being read.
struct Fields<'a> {
    kind: CommandKind,
    reader: ParamReader<'a>,
    opts: &'a ParseOptions,
}

impl<'a> Fields<'a> {
    fn allowed(&self, field: &str) -> String {
        catalog::allowed(self.kind, field, self.opts)
    }

    fn value(&self, field: &str) -> Result<&'a Value, ValidationError> {
        self.reader.required(field, || self.allowed(field))
    }

    fn integer(&self, field: &str, min: i64, max: i64) -> Result<i64, ValidationError> {
        integer(field, self.value(field)?, min, max, &self.allowed(field))
    }

    fn string(&self, field: &str) -> Result<&'a str, ValidationError> {
        string(field, self.value(field)?, &self.allowed(field))
    }

    /// A value from a fixed set, looked up by `pick`; anything else is refused.
    fn choice<T>(
        &self,
        field: &str,
        value: &Value,
        pick: impl FnOnce(&Value) -> Option<T>,
    ) -> Result<T, ValidationError> {
        pick(value).ok_or_else(|| ValidationError::new(field, show(value), self.allowed(field)))
    }

    fn password(&self, field: &str, value: &Value) -> Result<MeterPassword, ValidationError> {
        let text = string(field, value, &self.allowed(field)).map_err(|e| ValidationError {
            // Never echo even a mistyped password.
            value: "a hidden non-string value".into(),
            ..e
        })?;
        MeterPassword::parse(text).map_err(|e| ValidationError {
            field: field.into(),
            allowed: self.allowed(field),
            ..e
        })
    }

    /// A zero-padded decimal string of exactly `width` digits (G13).
    fn padded(&self, field: &str, width: usize) -> Result<u16, ValidationError> {
        let value = self.value(field)?;
        let text = string(field, value, &self.allowed(field))?;
        match text.parse::<u16>() {
            Ok(n) if text.len() == width && text.bytes().all(|b| b.is_ascii_digit()) => Ok(n),
            _ => Err(ValidationError::new(
                field,
                show(value),
                self.allowed(field),
            )),
        }
    }

    fn command(&self) -> Result<Command, ValidationError> {
        Ok(match self.kind {
            CommandKind::SetMeterPassword => {
                let new_password = self.password("new_password", self.value("new_password")?)?;
                Command::SetMeterPassword { new_password }
            }
            CommandKind::SetCTRatio => {
                let value = self.value("ct_ratio")?;
                let text = self.string("ct_ratio")?;
                let ct_ratio = self.choice("ct_ratio", value, |_| {
                    CT_RATIOS.iter().copied().find(|c| c.to_string() == text)
                })?;
                Command::SetCTRatio { ct_ratio }
            }
            CommandKind::SetTime => Command::SetTime(self.meter_time()?),
            CommandKind::SetMaxDemandResetInterval => {
                let value = self.value("interval")?;
                let interval = self.choice("interval", value, |v| {
                    v.as_i64().and_then(DemandResetInterval::from_code)
                })?;
                Command::SetMaxDemandResetInterval { interval }
            }
            CommandKind::SetMaxDemandResetNow => Command::SetMaxDemandResetNow,
            CommandKind::SetMaxDemandPeriod => {
                let value = self.value("max_demand_period")?;
                let period = self.choice("max_demand_period", value, |v| {
                    v.as_i64().and_then(DemandPeriod::from_code)
                })?;
                Command::SetMaxDemandPeriod { period }
            }
            CommandKind::SetLCD => Command::SetLCD {
                display_fields: self.lcd_items()?,
            },
            CommandKind::SetPulseInputRatio => Command::SetPulseInputRatio {
                line: self.integer("pulse_line", 1, i64::from(PULSE_LINES))? as u8,
                ratio: self.integer(
                    "pulse_input_ratio",
                    i64::from(MIN_PULSE_INPUT_RATIO),
                    i64::from(MAX_PULSE_INPUT_RATIO),
                )? as u16,
            },
            CommandKind::SetPulseOutputRatio => {
                let line = i64::from(PULSE_OUTPUT_LINE);
                self.integer("pulse_line", line, line)?;
                let valid = self
                    .opts
                    .current_ct_ratio
                    .and_then(pulse_output_ratios_for)
                    .unwrap_or(ANY_PULSE_OUTPUT_RATIO);
                let value = self.value("pulse_output_ratio")?;
                let ratio = self.choice("pulse_output_ratio", value, |v| {
                    v.as_i64()
                        .and_then(|n| valid.iter().copied().find(|r| i64::from(*r) == n))
                })?;
                Command::SetPulseOutputRatio { ratio }
            }
            CommandKind::SetZeroResettableKWH => Command::SetZeroResettableKWH,
            CommandKind::SetRelay => {
                let relay = self.choice("relay", self.value("relay")?, |v| {
                    v.as_str().and_then(Relay::from_wire)
                })?;
                let status = self.choice("status", self.value("status")?, |v| {
                    v.as_str().and_then(RelayStatus::from_wire)
                })?;
                let duration = self.integer("duration", 0, i64::from(MAX_RELAY_DURATION))? as u16;
                Command::SetRelay {
                    relay,
                    status,
                    duration,
                }
            }
            CommandKind::SetHolidayDates => Command::SetHolidayDates {
                holidays: tou::parse_holiday_dates(&self.reader)?,
            },
            CommandKind::SetSchedule => {
                let (schedule, periods) = tou::parse_schedule(&self.reader)?;
                Command::SetSchedule { schedule, periods }
            }
            CommandKind::SetWeekendHolidaySchedules => Command::SetWeekendHolidaySchedules {
                weekend_schedule: tou::read_schedule_number(&self.reader, "weekend_schedule")?,
                holiday_schedule: tou::read_schedule_number(&self.reader, "holiday_schedule")?,
            },
            CommandKind::GetSchedules => Command::GetSchedules,
            CommandKind::GetTariffData => Command::GetTariffData,
            CommandKind::SetSeasonSchedules => Command::SetSeasonSchedules {
                seasons: tou::parse_seasons(&self.reader)?,
            },
        })
    }

    fn meter_time(&self) -> Result<MeterTime, ValidationError> {
        let year = self.padded("year", 4)?;
        let [month, day, hour, minute, second] =
            ["month", "day", "hour", "minutes", "seconds"].map(|field| self.padded(field, 2));
        // Two-digit strings are below 100, so the narrowing casts are exact.
        let time = MeterTime {
            year,
            month: month? as u8,
            day: day? as u8,
            hour: hour? as u8,
            minute: minute? as u8,
            second: second? as u8,
        };
        time.check().map_err(|e| ValidationError {
            allowed: self.allowed(&e.field),
            ..e
        })?;
        Ok(time)
    }

    /// LCD items by name (G22); numeric codes are accepted too, for a gateway that turns out to
    /// want codes, and normalised to names.
    fn lcd_items(&self) -> Result<Vec<LcdItem>, ValidationError> {
        let field = "display_fields";
        let allowed = self.allowed(field);
        let list = array(field, self.value(field)?, &allowed)?;
        if !(MIN_LCD_ITEMS..=MAX_LCD_ITEMS).contains(&list.len()) {
            return Err(ValidationError::new(
                field,
                format!("a list of {} items", list.len()),
                allowed,
            ));
        }
        list.iter()
            .enumerate()
            .map(|(i, v)| {
                let item = match v {
                    Value::String(name) => LcdItem::from_name(name),
                    Value::Number(_) => v.as_i64().and_then(LcdItem::from_code),
                    _ => None,
                };
                item.ok_or_else(|| {
                    ValidationError::new(format!("{field}[{i}]"), show(v), allowed.clone())
                })
            })
            .collect()
    }
}
