//! Every meter constant the commands are validated against (reference §3), in one place.
//!
//! The API's own "settings constants" page could not be read, so these come from EKM's meter
//! libraries (G1). The UI consumes them through [`crate::tables::export`] rather than retyping
//! them.

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
}
