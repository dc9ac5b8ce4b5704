//! What each command takes, in words built from [`crate::limits`]: the CLI's `push3 commands`
//! listing, the UI's hints and the `allowed` part of every validation error come from here.

use super::{CommandKind, ParseOptions};
use crate::limits::*;
use crate::undocumented::tou;
use serde_json::{json, Value};

/// One parameter of one command.
#[derive(Debug, Clone, Copy)]
pub struct ParamSpec {
    /// The wire name, exactly as the seed spells it.
    pub name: &'static str,
    /// The JSON type the seed gives (`string`, `int`, `list`).
    pub json_type: &'static str,
    /// What is allowed; may depend on the options (the pulse output ratio on the CT ratio).
    pub allowed: fn(&ParseOptions) -> String,
    /// Not part of the seed: the shape is our assumption (G25-G27).
    pub assumed: bool,
}

const fn spec(
    name: &'static str,
    json_type: &'static str,
    allowed: fn(&ParseOptions) -> String,
) -> ParamSpec {
    ParamSpec {
        name,
        json_type,
        allowed,
        assumed: false,
    }
}

const fn assumed(
    name: &'static str,
    json_type: &'static str,
    allowed: fn(&ParseOptions) -> String,
) -> ParamSpec {
    ParamSpec {
        name,
        json_type,
        allowed,
        assumed: true,
    }
}

/// Accepted by every command (G14); SetRelay always sends it.
pub const METER_PASSWORD: ParamSpec = spec("meter_password", "string", |_| {
    format!("exactly {PASSWORD_DIGITS} digits, the meter's current password; \"{FACTORY_PASSWORD}\" if absent (optional)")
});

fn list<T: ToString>(values: impl IntoIterator<Item = T>) -> String {
    values
        .into_iter()
        .map(|v| v.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn allowed_ct_ratio() -> String {
    format!("a string, one of {}", list(CT_RATIOS))
}

pub fn allowed_pulse_output_ratio(opts: &ParseOptions) -> String {
    match opts.current_ct_ratio.and_then(|ct| pulse_output_ratios_for(ct).map(|r| (ct, r))) {
        Some((ct, ratios)) => format!("an integer, one of {} (valid with CT ratio {ct})", list(ratios)),
        None => format!(
            "an integer, one of {} (the meter's CT ratio is not known; each CT ratio allows only some)",
            list(ANY_PULSE_OUTPUT_RATIO)
        ),
    }
}

pub fn allowed_display_fields() -> String {
    let names = list(LCD_ITEMS.iter().map(|(_, name)| name));
    format!("a list of {MIN_LCD_ITEMS}-{MAX_LCD_ITEMS} LCD item names: {names}")
}

pub fn allowed_demand_period() -> String {
    let choices = DEMAND_PERIODS
        .iter()
        .map(|(code, minutes)| format!("{code} ({minutes} min)"));
    format!("an integer: {}", list(choices))
}

pub fn allowed_reset_interval() -> String {
    let choices = DEMAND_RESET_INTERVALS
        .iter()
        .map(|(code, name)| format!("{code} ({name})"));
    format!("an integer: {}", list(choices))
}

pub fn allowed_relay() -> String {
    format!(
        "a string: {}",
        list(RELAYS.iter().map(|r| format!("{r:?}")))
    )
}

pub fn allowed_relay_status() -> String {
    format!(
        "a string: {}",
        list(RELAY_STATUSES.iter().map(|s| format!("{s:?}")))
    )
}

pub fn allowed_relay_duration() -> String {
    format!("an integer 0-{MAX_RELAY_DURATION} seconds (0 = hold until told otherwise)")
}

pub fn allowed_pulse_input_line() -> String {
    format!("an integer 1-{PULSE_LINES}")
}

pub fn allowed_pulse_output_line() -> String {
    format!("the integer {PULSE_OUTPUT_LINE} (the meter has one output ratio)")
}

pub fn allowed_pulse_input_ratio() -> String {
    format!("an integer {MIN_PULSE_INPUT_RATIO}-{MAX_PULSE_INPUT_RATIO}")
}

pub fn allowed_time_field(field: &str) -> String {
    match field {
        "year" => format!("a string \"YYYY\", {MIN_YEAR}-{MAX_YEAR}"),
        "month" => "a string \"MM\", 01-12".into(),
        "day" => "a string \"DD\", 01-31, a date that exists".into(),
        "hour" => "a string \"HH\", 00-23".into(),
        "minutes" => "a string \"mm\", 00-59".into(),
        _ => "a string \"ss\", 00-59".into(),
    }
}

const TIME_FIELDS: [&str; 6] = ["year", "month", "day", "hour", "minutes", "seconds"];

/// The parameters of `kind`, in wire order (without the optional `meter_password`).
pub fn params_of(kind: CommandKind) -> &'static [ParamSpec] {
    const NEW_PASSWORD: &[ParamSpec] = &[spec("new_password", "string", |_| {
        format!("exactly {PASSWORD_DIGITS} digits; a lost meter password cannot be recovered")
    })];
    const CT: &[ParamSpec] = &[spec("ct_ratio", "string", |_| allowed_ct_ratio())];
    const TIME: &[ParamSpec] = &[
        spec(TIME_FIELDS[0], "string", |_| allowed_time_field("year")),
        spec(TIME_FIELDS[1], "string", |_| allowed_time_field("month")),
        spec(TIME_FIELDS[2], "string", |_| allowed_time_field("day")),
        spec(TIME_FIELDS[3], "string", |_| allowed_time_field("hour")),
        spec(TIME_FIELDS[4], "string", |_| allowed_time_field("minutes")),
        spec(TIME_FIELDS[5], "string", |_| allowed_time_field("seconds")),
    ];
    const INTERVAL: &[ParamSpec] = &[spec("interval", "int", |_| allowed_reset_interval())];
    const DEMAND: &[ParamSpec] = &[spec("max_demand_period", "int", |_| {
        allowed_demand_period()
    })];
    const LCD: &[ParamSpec] = &[spec("display_fields", "list", |_| allowed_display_fields())];
    const PULSE_IN: &[ParamSpec] = &[
        spec("pulse_line", "int", |_| allowed_pulse_input_line()),
        spec("pulse_input_ratio", "int", |_| allowed_pulse_input_ratio()),
    ];
    const PULSE_OUT: &[ParamSpec] = &[
        spec("pulse_line", "int", |_| allowed_pulse_output_line()),
        spec("pulse_output_ratio", "int", allowed_pulse_output_ratio),
    ];
    const RELAY: &[ParamSpec] = &[
        spec("relay", "string", |_| allowed_relay()),
        spec("status", "string", |_| allowed_relay_status()),
        spec("duration", "int", |_| allowed_relay_duration()),
    ];
    const HOLIDAYS: &[ParamSpec] = &[assumed("holiday_dates", "list", |_| {
        tou::allowed_holiday_dates()
    })];
    const SCHEDULE: &[ParamSpec] = &[
        assumed("schedule", "int", |_| tou::allowed_schedule()),
        assumed("periods", "list", |_| tou::allowed_periods()),
    ];
    const WEEKEND: &[ParamSpec] = &[
        spec("weekend_schedule", "int", |_| tou::allowed_schedule()),
        spec("holiday_schedule", "int", |_| tou::allowed_schedule()),
    ];
    const SEASONS: &[ParamSpec] = &[assumed("seasons", "list", |_| tou::allowed_seasons())];
    match kind {
        CommandKind::SetMeterPassword => NEW_PASSWORD,
        CommandKind::SetCTRatio => CT,
        CommandKind::SetTime => TIME,
        CommandKind::SetMaxDemandResetInterval => INTERVAL,
        CommandKind::SetMaxDemandPeriod => DEMAND,
        CommandKind::SetLCD => LCD,
        CommandKind::SetPulseInputRatio => PULSE_IN,
        CommandKind::SetPulseOutputRatio => PULSE_OUT,
        CommandKind::SetRelay => RELAY,
        CommandKind::SetHolidayDates => HOLIDAYS,
        CommandKind::SetSchedule => SCHEDULE,
        CommandKind::SetWeekendHolidaySchedules => WEEKEND,
        CommandKind::SetSeasonSchedules => SEASONS,
        CommandKind::SetMaxDemandResetNow
        | CommandKind::SetZeroResettableKWH
        | CommandKind::GetSchedules
        | CommandKind::GetTariffData => &[],
    }
}

/// The `allowed` text of `field` on `kind`.
pub(crate) fn allowed(kind: CommandKind, field: &str, opts: &ParseOptions) -> String {
    params_of(kind)
        .iter()
        .chain(std::iter::once(&METER_PASSWORD))
        .find(|p| p.name == field)
        .map(|p| (p.allowed)(opts))
        .unwrap_or_default()
}

/// Every command with its parameters, for the UI and `push3 commands`.
pub fn export(opts: &ParseOptions) -> Value {
    let commands: Vec<Value> = CommandKind::ALL
        .iter()
        .map(|&kind| {
            let params: Vec<Value> = params_of(kind)
                .iter()
                .chain(std::iter::once(&METER_PASSWORD))
                .map(|p| {
                    json!({"name": p.name, "type": p.json_type, "allowed": (p.allowed)(opts),
                           "assumed": p.assumed, "required": p.name != METER_PASSWORD.name})
                })
                .collect();
            json!({
                "name": kind.name(),
                "params": params,
                "reads": kind.is_read(),
                "destructive": kind.is_destructive(),
                "experimental": kind.is_experimental(),
                "versions": crate::version::MeterVersion::ALL
                    .iter()
                    .filter(|v| kind.supported_by(**v))
                    .map(|v| v.to_string())
                    .collect::<Vec<_>>(),
            })
        })
        .collect();
    Value::Array(commands)
}
