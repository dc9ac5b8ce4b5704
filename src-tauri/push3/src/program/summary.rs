//! One line per command for people: what the summary before sending and the activity log show.
//! Secrets never appear: a new meter password is described, not shown.

use super::tou::{show_holiday, show_period, show_season};
use crate::command::Command;
use crate::limits::lcd_item_label;
use crate::undocumented::{Holiday, Period, Season};

pub fn summary(command: &Command) -> String {
    match command {
        Command::SetMeterPassword { .. } => "New meter password (not shown)".into(),
        Command::SetCTRatio { ct_ratio } => format!("CT ratio {ct_ratio} A"),
        Command::SetTime(t) => format!(
            "Meter clock {:04}-{:02}-{:02} {:02}:{:02}:{:02}",
            t.year, t.month, t.day, t.hour, t.minute, t.second
        ),
        Command::SetMaxDemandResetInterval { interval } => {
            format!("Max demand reset: {}", interval.label())
        }
        Command::SetMaxDemandResetNow => "Reset max demand now".into(),
        Command::SetMaxDemandPeriod { period } => {
            format!("Max demand period {} min", period.minutes())
        }
        Command::SetLCD { display_fields } => {
            let labels: Vec<&str> = display_fields
                .iter()
                .map(|i| lcd_item_label(i.name()).map_or(i.name(), |(label, ..)| label))
                .collect();
            format!(
                "Display {} item{}: {}",
                labels.len(),
                if labels.len() == 1 { "" } else { "s" },
                labels.join(", ")
            )
        }
        Command::SetPulseInputRatio { line, ratio } => {
            format!("Pulse input {line} ratio {ratio}")
        }
        Command::SetPulseOutputRatio { ratio } => format!("Pulse output ratio {ratio}"),
        Command::SetZeroResettableKWH => "Zero the resettable kWh registers".into(),
        Command::SetRelay {
            relay,
            status,
            duration,
        } => {
            let how = match duration {
                0 => "and hold".to_string(),
                d => format!("for {d} s"),
            };
            format!("{} {} {how}", status.wire(), relay.wire())
        }
        Command::SetHolidayDates { holidays } => holidays_summary(holidays),
        Command::SetSchedule { schedule, periods } => schedule_summary(*schedule, periods),
        Command::SetWeekendHolidaySchedules {
            weekend_schedule,
            holiday_schedule,
        } => format!(
            "Weekends follow schedule {weekend_schedule}, holidays schedule {holiday_schedule}"
        ),
        Command::GetSchedules => "Read the time-of-use program".into(),
        Command::GetTariffData => "Read the tariff history".into(),
        Command::SetSeasonSchedules { seasons } => seasons_summary(seasons),
    }
}

fn schedule_summary(schedule: u8, periods: &[Period]) -> String {
    let used: Vec<String> = periods
        .iter()
        .filter(|p| **p != Period::UNUSED)
        .map(show_period)
        .collect();
    let unused = periods.len() - used.len();
    let mut text = format!("Schedule {schedule}: ");
    text += &match used.is_empty() {
        true => "no periods".to_string(),
        false => used.join(", "),
    };
    if unused > 0 {
        text += &format!(" ({unused} unused)");
    }
    text
}

fn holidays_summary(holidays: &[Holiday]) -> String {
    let used: Vec<String> = holidays
        .iter()
        .filter(|h| **h != Holiday::UNUSED)
        .map(show_holiday)
        .collect();
    match used.is_empty() {
        true => "Holidays: none (all 20 slots cleared)".into(),
        false => format!(
            "Holidays: {} ({} of {} slots used)",
            used.join(", "),
            used.len(),
            crate::limits::HOLIDAYS
        ),
    }
}

fn seasons_summary(seasons: &[Season]) -> String {
    let shown: Vec<String> = seasons.iter().map(show_season).collect();
    format!("Seasons (experimental): {}", shown.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::{parse, ParseOptions};
    use serde_json::json;

    fn summary_of(name: &str, params: serde_json::Value) -> String {
        let opts = ParseOptions {
            experimental_seasons: true,
            ..Default::default()
        };
        summary(&parse(name, &params, &opts).unwrap().command)
    }

    #[test]
    fn each_kind_of_command_reads_as_one_line() {
        assert_eq!(
            summary_of("SetCTRatio", json!({"ct_ratio": "200"})),
            "CT ratio 200 A"
        );
        assert_eq!(
            summary_of(
                "SetLCD",
                json!({"display_fields": ["RMS_Volts_Ln_1", "Line_Freq"]})
            ),
            "Display 2 items: Volts L1, Line frequency"
        );
        assert_eq!(
            summary_of(
                "SetSchedule",
                json!({"schedule": 2, "periods": [
                    {"hour": 0, "minute": 0, "tariff": 1}, {"hour": 7, "minute": 5, "tariff": 2},
                    {"hour": 0, "minute": 0, "tariff": 0}, {"hour": 0, "minute": 0, "tariff": 0}]})
            ),
            "Schedule 2: 00:00 T1, 07:05 T2 (2 unused)"
        );
        assert_eq!(
            summary_of(
                "SetHolidayDates",
                json!({"holiday_dates": [{"month": 12, "day": 25}, {"month": 0, "day": 0}]})
            ),
            "Holidays: 25 Dec (1 of 20 slots used)"
        );
        assert_eq!(
            summary_of("SetMaxDemandPeriod", json!({"max_demand_period": 4})),
            "Max demand period 60 min"
        );
        assert_eq!(
            summary_of(
                "SetRelay",
                json!({"relay": "Relay_1", "status": "close", "duration": 5})
            ),
            "close Relay_1 for 5 s"
        );
    }

    #[test]
    fn a_new_password_is_never_shown() {
        let text = summary_of("SetMeterPassword", json!({"new_password": "13572468"}));
        assert!(!text.contains("13572468"), "{text}");
    }
}
