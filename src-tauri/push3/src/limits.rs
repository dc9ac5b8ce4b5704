//! Every meter constant the commands are validated against (reference §3), in one place.
//!
//! The API's own "settings constants" page could not be read, so these come from EKM's meter
//! libraries (G1). The UI consumes them through [`export`] rather than retyping them.

use serde_json::{json, Value};

/// CT ratios in amps (§3.1), sent as a decimal string in `ct_ratio` (G13).
pub const CT_RATIOS: &[u16] = &[
    100, 200, 400, 600, 800, 1000, 1200, 1500, 2000, 3000, 4000, 5000,
];

/// Valid `pulse_output_ratio` values for each CT ratio (§3.6, from EKM's newer library D).
pub const PULSE_OUTPUT_RATIOS_BY_CT: &[(u16, &[u16])] = &[
    (
        100,
        &[
            1, 2, 4, 5, 8, 10, 16, 20, 25, 32, 40, 50, 64, 80, 100, 160, 200, 320, 400, 800, 1600,
        ],
    ),
    (
        200,
        &[
            1, 2, 4, 5, 8, 10, 16, 20, 25, 32, 40, 50, 80, 100, 160, 200, 400, 800,
        ],
    ),
    (
        400,
        &[1, 2, 4, 5, 8, 10, 16, 20, 25, 40, 50, 80, 100, 200, 400],
    ),
    (
        600,
        &[
            1, 2, 4, 5, 8, 10, 16, 20, 25, 32, 40, 50, 80, 100, 160, 200, 400, 800,
        ],
    ),
    (800, &[1, 2, 4, 5, 8, 10, 20, 25, 40, 50, 100, 200]),
    (1000, &[1, 2, 4, 5, 8, 10, 16, 20, 32, 40, 80, 160]),
    (
        1200,
        &[1, 2, 4, 5, 8, 10, 16, 20, 25, 40, 50, 80, 100, 200, 400],
    ),
    (1500, &[1, 2, 4, 5, 8, 10, 16, 20, 32, 40, 64, 80, 160, 320]),
    (2000, &[1, 2, 4, 5, 8, 10, 16, 20, 40, 80]),
    (3000, &[1, 2, 4, 5, 8, 10, 16, 20, 32, 40, 80, 160]),
    (4000, &[1, 2, 4, 5, 8, 10, 20, 40]),
    (5000, &[1, 2, 4, 8, 16, 32]),
];

/// Every value that is valid for at least one CT ratio, ascending: what is accepted for
/// `pulse_output_ratio` when the meter's current CT ratio is not known.
pub const ANY_PULSE_OUTPUT_RATIO: &[u16] = &[
    1, 2, 4, 5, 8, 10, 16, 20, 25, 32, 40, 50, 64, 80, 100, 160, 200, 320, 400, 800, 1600,
];

/// The pulse output ratios valid with CT ratio `ct` (§3.6), or `None` if `ct` is not a CT ratio.
pub fn pulse_output_ratios_for(ct: u16) -> Option<&'static [u16]> {
    PULSE_OUTPUT_RATIOS_BY_CT
        .iter()
        .find(|(ratio, _)| *ratio == ct)
        .map(|(_, outputs)| *outputs)
}

/// LCD display items (§3.7): code and the name sent in `display_fields` (G22).
/// Codes 43-45, 47 and 51 are newer; older firmware may refuse them (the meter's error is shown).
pub const LCD_ITEMS: &[(u8, &str)] = &[
    (1, "kWh_Tot"),
    (2, "Rev_kWh_Tot"),
    (3, "RMS_Volts_Ln_1"),
    (4, "RMS_Volts_Ln_2"),
    (5, "RMS_Volts_Ln_3"),
    (6, "Amps_Ln_1"),
    (7, "Amps_Ln_2"),
    (8, "Amps_Ln_3"),
    (9, "RMS_Watts_Ln_1"),
    (10, "RMS_Watts_Ln_2"),
    (11, "RMS_Watts_Ln_3"),
    (12, "RMS_Watts_Tot"),
    (13, "Power_Factor_Ln_1"),
    (14, "Power_Factor_Ln_2"),
    (15, "Power_Factor_Ln_3"),
    (16, "kWh_Tariff_1"),
    (17, "kWh_Tariff_2"),
    (18, "kWh_Tariff_3"),
    (19, "kWh_Tariff_4"),
    (20, "Rev_kWh_Tariff_1"),
    (21, "Rev_kWh_Tariff_2"),
    (22, "Rev_kWh_Tariff_3"),
    (23, "Rev_kWh_Tariff_4"),
    (24, "Reactive_Pwr_Ln_1"),
    (25, "Reactive_Pwr_Ln_2"),
    (26, "Reactive_Pwr_Ln_3"),
    (27, "Reactive_Pwr_Tot"),
    (28, "Line_Freq"),
    (29, "Pulse_Cnt_1"),
    (30, "Pulse_Cnt_2"),
    (31, "Pulse_Cnt_3"),
    (32, "kWh_Ln_1"),
    (33, "Rev_kWh_Ln_1"),
    (34, "kWh_Ln_2"),
    (35, "Rev_kWh_Ln_2"),
    (36, "kWh_Ln_3"),
    (37, "Rev_kWh_Ln_3"),
    (38, "Reactive_Energy_Tot"),
    (39, "kWh_Rst"),
    (40, "Rev_kWh_Rst"),
    (41, "State_Inputs"),
    (42, "Max_Demand"),
    (43, "Raw_Pulse_1"),
    (44, "Raw_Pulse_2"),
    (45, "Raw_Pulse_3"),
    (47, "CT_Ratio"),
    (51, "Calc_Fwd_kWh"),
];

/// LCD item groups, in the order the display editor lists them.
pub const LCD_GROUPS: &[&str] = &[
    "Energy",
    "Tariffs",
    "Power",
    "Volts",
    "Amps",
    "Power factor",
    "Frequency",
    "Pulses",
    "Demand",
    "Meter",
];

/// How each LCD item reads for people: wire name, label, group (one of [`LCD_GROUPS`]) and unit.
/// The names and codes are EKM's (§3.7); the labels and groups are ours.
pub const LCD_ITEM_LABELS: &[(&str, &str, &str, &str)] = &[
    ("kWh_Tot", "Total kWh", "Energy", "kWh"),
    ("Rev_kWh_Tot", "Total reverse kWh", "Energy", "kWh"),
    ("RMS_Volts_Ln_1", "Volts L1", "Volts", "V"),
    ("RMS_Volts_Ln_2", "Volts L2", "Volts", "V"),
    ("RMS_Volts_Ln_3", "Volts L3", "Volts", "V"),
    ("Amps_Ln_1", "Amps L1", "Amps", "A"),
    ("Amps_Ln_2", "Amps L2", "Amps", "A"),
    ("Amps_Ln_3", "Amps L3", "Amps", "A"),
    ("RMS_Watts_Ln_1", "Watts L1", "Power", "W"),
    ("RMS_Watts_Ln_2", "Watts L2", "Power", "W"),
    ("RMS_Watts_Ln_3", "Watts L3", "Power", "W"),
    ("RMS_Watts_Tot", "Total watts", "Power", "W"),
    ("Power_Factor_Ln_1", "Power factor L1", "Power factor", ""),
    ("Power_Factor_Ln_2", "Power factor L2", "Power factor", ""),
    ("Power_Factor_Ln_3", "Power factor L3", "Power factor", ""),
    ("kWh_Tariff_1", "kWh in tariff T1", "Tariffs", "kWh"),
    ("kWh_Tariff_2", "kWh in tariff T2", "Tariffs", "kWh"),
    ("kWh_Tariff_3", "kWh in tariff T3", "Tariffs", "kWh"),
    ("kWh_Tariff_4", "kWh in tariff T4", "Tariffs", "kWh"),
    (
        "Rev_kWh_Tariff_1",
        "Reverse kWh in tariff T1",
        "Tariffs",
        "kWh",
    ),
    (
        "Rev_kWh_Tariff_2",
        "Reverse kWh in tariff T2",
        "Tariffs",
        "kWh",
    ),
    (
        "Rev_kWh_Tariff_3",
        "Reverse kWh in tariff T3",
        "Tariffs",
        "kWh",
    ),
    (
        "Rev_kWh_Tariff_4",
        "Reverse kWh in tariff T4",
        "Tariffs",
        "kWh",
    ),
    ("Reactive_Pwr_Ln_1", "Reactive power L1", "Power", "VAR"),
    ("Reactive_Pwr_Ln_2", "Reactive power L2", "Power", "VAR"),
    ("Reactive_Pwr_Ln_3", "Reactive power L3", "Power", "VAR"),
    ("Reactive_Pwr_Tot", "Total reactive power", "Power", "VAR"),
    ("Line_Freq", "Line frequency", "Frequency", "Hz"),
    ("Pulse_Cnt_1", "Pulse count, input 1", "Pulses", ""),
    ("Pulse_Cnt_2", "Pulse count, input 2", "Pulses", ""),
    ("Pulse_Cnt_3", "Pulse count, input 3", "Pulses", ""),
    ("kWh_Ln_1", "kWh L1", "Energy", "kWh"),
    ("Rev_kWh_Ln_1", "Reverse kWh L1", "Energy", "kWh"),
    ("kWh_Ln_2", "kWh L2", "Energy", "kWh"),
    ("Rev_kWh_Ln_2", "Reverse kWh L2", "Energy", "kWh"),
    ("kWh_Ln_3", "kWh L3", "Energy", "kWh"),
    ("Rev_kWh_Ln_3", "Reverse kWh L3", "Energy", "kWh"),
    (
        "Reactive_Energy_Tot",
        "Total reactive energy",
        "Energy",
        "kVARh",
    ),
    ("kWh_Rst", "Resettable kWh", "Energy", "kWh"),
    ("Rev_kWh_Rst", "Resettable reverse kWh", "Energy", "kWh"),
    ("State_Inputs", "Pulse input states", "Pulses", ""),
    ("Max_Demand", "Max demand", "Demand", "W"),
    ("Raw_Pulse_1", "Raw pulses, input 1", "Pulses", ""),
    ("Raw_Pulse_2", "Raw pulses, input 2", "Pulses", ""),
    ("Raw_Pulse_3", "Raw pulses, input 3", "Pulses", ""),
    ("CT_Ratio", "CT ratio", "Meter", "A"),
    ("Calc_Fwd_kWh", "Calculated forward kWh", "Energy", "kWh"),
];

/// The label, group and unit of an LCD item's wire name.
pub fn lcd_item_label(name: &str) -> Option<(&'static str, &'static str, &'static str)> {
    LCD_ITEM_LABELS
        .iter()
        .find(|(n, ..)| *n == name)
        .map(|(_, label, group, unit)| (*label, *group, *unit))
}

/// The meter's display list has 40 slots (§3.7; L's wrapper allows 45, a defect, G42).
pub const MAX_LCD_ITEMS: usize = 40;
pub const MIN_LCD_ITEMS: usize = 1;

/// Time-of-use structure (§3.8). Schedule numbers are 1-based on the API (G28).
pub const SCHEDULES: u8 = 6;
pub const PERIODS_PER_SCHEDULE: usize = 4;
pub const TARIFFS: u8 = 4;
pub const HOLIDAYS: usize = 20;
pub const SEASONS: usize = 4;
/// Months of tariff history the meter keeps, forward and reverse (G32).
pub const HISTORY_MONTHS: usize = 6;

/// Pulse inputs 1-3 (§3.5); the input ratio is 1-9999 (minimum 1 is G24).
pub const PULSE_LINES: u8 = 3;
pub const MIN_PULSE_INPUT_RATIO: u16 = 1;
pub const MAX_PULSE_INPUT_RATIO: u16 = 9999;
/// The meter has one output ratio; the seed still lists `pulse_line`, so 1 is sent (G23).
pub const PULSE_OUTPUT_LINE: u8 = 1;

/// Relays (§3.4): names, states and a duration of 0-9999 s where 0 holds the state (G18).
pub const RELAYS: &[&str] = &["Relay_1", "Relay_2"];
pub const RELAY_STATUSES: &[&str] = &["open", "close"];
pub const MAX_RELAY_DURATION: u16 = 9999;

/// Max demand period: wire code and minutes. 60 min is code 4 as in library D, not L's 3 (G20).
pub const DEMAND_PERIODS: &[(u8, u16)] = &[(1, 15), (2, 30), (4, 60)];

/// Max demand reset interval: wire code and meaning (§3.3).
pub const DEMAND_RESET_INTERVALS: &[(u8, &str)] = &[
    (0, "Off"),
    (1, "Monthly"),
    (2, "Weekly"),
    (3, "Daily"),
    (4, "Hourly"),
];

/// The meter keeps a 2-digit year (G34).
pub const MIN_YEAR: u16 = 2000;
pub const MAX_YEAR: u16 = 2099;

/// Meter passwords are exactly 8 digits; meters ship with `00000000` (§3.9).
pub const PASSWORD_DIGITS: usize = 8;
pub const FACTORY_PASSWORD: &str = "00000000";

/// Meter addresses are 12 digits; shorter input is zero-padded (G37).
pub const ADDRESS_DIGITS: usize = 12;

/// How long a command waits for its response before it is shown as unconfirmed (G9).
pub const DEFAULT_TIMEOUT_SECS: u64 = 60;
/// Backtrack requested on every subscription, as in the seed's `.b20` (G6).
pub const STREAM_BACKTRACK: u32 = 20;

/// All constants above as one JSON object, for the UI (exported to TypeScript, never retyped).
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
        "commands": crate::command::CommandKind::ALL
            .iter()
            .map(|k| json!({
                "name": k.name(),
                "v3": k.supported_by(crate::MeterVersion::V3),
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

    #[test]
    fn every_ct_ratio_has_a_pulse_output_row_and_the_union_is_complete() {
        for ct in CT_RATIOS {
            let outputs = pulse_output_ratios_for(*ct).expect("row for every CT ratio");
            assert!(
                outputs.windows(2).all(|w| w[0] < w[1]),
                "ascending for {ct}"
            );
            assert!(outputs.iter().all(|o| ANY_PULSE_OUTPUT_RATIO.contains(o)));
        }
        assert_eq!(PULSE_OUTPUT_RATIOS_BY_CT.len(), CT_RATIOS.len());
        for any in ANY_PULSE_OUTPUT_RATIO {
            assert!(
                PULSE_OUTPUT_RATIOS_BY_CT
                    .iter()
                    .any(|(_, o)| o.contains(any)),
                "{any}"
            );
        }
        assert_eq!(pulse_output_ratios_for(250), None);
        assert_eq!(
            pulse_output_ratios_for(5000),
            Some(&[1, 2, 4, 8, 16, 32][..])
        );
    }

    #[test]
    fn lcd_items_have_unique_codes_and_names() {
        let mut codes: Vec<u8> = LCD_ITEMS.iter().map(|(c, _)| *c).collect();
        let mut names: Vec<&str> = LCD_ITEMS.iter().map(|(_, n)| *n).collect();
        codes.dedup();
        names.sort();
        names.dedup();
        assert_eq!(codes.len(), LCD_ITEMS.len());
        assert_eq!(names.len(), LCD_ITEMS.len());
        assert_eq!(LCD_ITEMS.len(), 47);
        assert!(!codes.iter().any(|c| [0, 46, 48, 49, 50].contains(c)));
    }

    #[test]
    fn every_lcd_item_has_a_label_in_a_known_group() {
        assert_eq!(LCD_ITEM_LABELS.len(), LCD_ITEMS.len());
        for (_, name) in LCD_ITEMS {
            let (label, group, _) = lcd_item_label(name).unwrap_or_else(|| panic!("{name}"));
            assert!(!label.is_empty());
            assert!(LCD_GROUPS.contains(&group), "{name}: {group}");
        }
        for group in LCD_GROUPS {
            assert!(
                LCD_ITEM_LABELS.iter().any(|(_, _, g, _)| g == group),
                "{group} is empty"
            );
        }
    }

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
            "{} is stale: run UPDATE_FIXTURES=1 cargo test -p push3 --lib limits",
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
