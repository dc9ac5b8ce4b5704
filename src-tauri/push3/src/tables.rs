//! The tables the validators check against, as one JSON object: the limits (`limits.rs`) and
//! each command's kind. Kept apart from both so that the commands can use the limits without the
//! limits knowing the commands.

use crate::command::CommandKind;
use crate::limits::*;
use crate::version::MeterVersion;
use serde_json::{json, Value};

/// Every limit and every command's kind as one JSON object, for the UI (exported, never
/// retyped) and `push3 commands`.
pub fn export() -> Value {
    json!({
        "ct_ratios": CT_RATIOS,
        "pulse_output_ratios_by_ct": PULSE_OUTPUT_RATIOS_BY_CT
            .iter()
            .map(|(ct, outputs)| (ct.to_string(), json!(outputs)))
            .collect::<serde_json::Map<String, Value>>(),
        "any_pulse_output_ratio": ANY_PULSE_OUTPUT_RATIO,
        "lcd_items": LCD_ITEMS
            .iter()
            .map(|(code, name)| {
                let (label, group, unit) = lcd_item_label(name).unwrap_or((name, "Other", ""));
                json!({"code": code, "name": name, "label": label, "group": group, "unit": unit})
            })
            .collect::<Vec<_>>(),
        "lcd_groups": LCD_GROUPS,
        "min_lcd_items": MIN_LCD_ITEMS,
        "max_lcd_items": MAX_LCD_ITEMS,
        "schedules": SCHEDULES,
        "periods_per_schedule": PERIODS_PER_SCHEDULE,
        "tariffs": TARIFFS,
        "holidays": HOLIDAYS,
        "seasons": SEASONS,
        "history_months": HISTORY_MONTHS,
        "pulse_lines": PULSE_LINES,
        "min_pulse_input_ratio": MIN_PULSE_INPUT_RATIO,
        "max_pulse_input_ratio": MAX_PULSE_INPUT_RATIO,
        "pulse_output_line": PULSE_OUTPUT_LINE,
        "relays": RELAYS,
        "relay_statuses": RELAY_STATUSES,
        "max_relay_duration": MAX_RELAY_DURATION,
        "demand_periods": DEMAND_PERIODS
            .iter()
            .map(|(code, minutes)| json!({"code": code, "minutes": minutes}))
            .collect::<Vec<_>>(),
        "demand_reset_intervals": DEMAND_RESET_INTERVALS
            .iter()
            .map(|(code, name)| json!({"code": code, "name": name}))
            .collect::<Vec<_>>(),
        "min_year": MIN_YEAR,
        "max_year": MAX_YEAR,
        "password_digits": PASSWORD_DIGITS,
        "factory_password": FACTORY_PASSWORD,
        "address_digits": ADDRESS_DIGITS,
        "default_timeout_secs": DEFAULT_TIMEOUT_SECS,
        "stream_backtrack": STREAM_BACKTRACK,
        "commands": CommandKind::ALL
            .iter()
            .map(|k| json!({
                "name": k.name(),
                "v3": k.supported_by(MeterVersion::V3),
                "read": k.is_read(),
                "destructive": k.is_destructive(),
                "experimental": k.is_experimental(),
            }))
            .collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The UI's component tests read the limits from this file, so they test against the Rust
    /// tables rather than a retyped copy. `UPDATE_FIXTURES=1` rewrites it after a table changes.
    #[test]
    fn the_ui_fixture_is_the_export() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../ui/src/test/limits.fixture.json");
        let expected = serde_json::to_string_pretty(&export()).unwrap() + "\n";
        if std::env::var_os("UPDATE_FIXTURES").is_some() {
            std::fs::write(&path, &expected).unwrap();
        }
        let actual = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            actual == expected,
            "{} is stale: run UPDATE_FIXTURES=1 cargo test -p push3 --lib tables",
            path.display()
        );
    }

    #[test]
    fn export_carries_the_tables_the_ui_needs() {
        let e = export();
        assert_eq!(e["ct_ratios"][1], 200);
        assert_eq!(
            e["pulse_output_ratios_by_ct"]["5000"],
            json!([1, 2, 4, 8, 16, 32])
        );
        assert_eq!(
            e["lcd_items"][27],
            json!({"code": 28, "name": "Line_Freq", "label": "Line frequency", "group": "Frequency", "unit": "Hz"})
        );
        assert_eq!(e["max_lcd_items"], 40);
        assert_eq!(e["demand_periods"][2], json!({"code": 4, "minutes": 60}));
        assert_eq!(e["max_year"], 2099);
        assert_eq!(e["schedules"], 6);
        assert_eq!(e["holidays"], 20);
        assert_eq!(
            e["commands"][3],
            json!({"name": "SetMaxDemandResetInterval", "v3": false, "read": false, "destructive": false, "experimental": false})
        );
        assert_eq!(e["commands"].as_array().unwrap().len(), 17);
    }
}
