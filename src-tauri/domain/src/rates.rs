//! A utility's rate imported into the Time of use editor: the file's text translated by
//! push3-rates, its first bad field made the IPC error the editor shows. The same translation
//! as `push3 rate import`.

use crate::IpcError;
use push3_rates::holidays::HolidaySet;
use push3_rates::{check_year, translate, Options, RateImport, Tariff};
use serde::Deserialize;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RateOptions {
    /// The year the hours are counted in and the holidays computed for.
    pub year: i32,
    /// A holiday set's name (`us-federal`), or none.
    pub holidays: Option<String>,
}

/// The program for the rate in `text` (a URDB record or API answer), with its report. A bad
/// file is refused with its first bad field, and nothing is made.
pub fn import(text: &str, options: &RateOptions) -> Result<RateImport, IpcError> {
    let holidays = match options.holidays.as_deref() {
        None => None,
        Some(name) => Some(HolidaySet::parse(name).ok_or_else(|| {
            IpcError::invalid_field(
                "holidays",
                format!("{name:?}: one of {}", HolidaySet::NAMES.join(", ")),
            )
        })?),
    };
    let year = check_year(options.year).map_err(|e| IpcError::invalid_field("year", e))?;
    let tariff = Tariff::from_json(text).map_err(|e| {
        let field = if e.field.is_empty() {
            "file"
        } else {
            e.field.as_str()
        };
        IpcError::invalid_field(field, format!("{e}. Nothing was imported."))
    })?;
    Ok(translate(&tariff, Options { year, holidays }))
}

#[cfg(test)]
mod tests {
    use super::*;

    const RATE: &str = include_str!("../../rates/tests/tariffs/two_period_peak.json");

    fn options(holidays: Option<&str>) -> RateOptions {
        RateOptions {
            year: 2026,
            holidays: holidays.map(str::to_owned),
        }
    }

    #[test]
    fn a_rate_is_translated_with_the_holidays_asked_for() {
        let import = import(RATE, &options(Some("us-federal"))).unwrap();
        assert_eq!(import.holidays.len(), 11);
        assert!(import.is_exact());
    }

    #[test]
    fn a_bad_file_names_its_field_and_an_unknown_holiday_set_is_refused() {
        let bad = RATE.replacen("\"energyweekdayschedule\"", "\"energyweekdayschedul\"", 1);
        let e = import(&bad, &options(None)).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("energyweekdayschedule"));
        assert!(
            e.message.ends_with("Nothing was imported."),
            "{}",
            e.message
        );
        let e = import(RATE, &options(Some("uk-bank"))).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("holidays"));
        let e = import("[]", &options(None)).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("file"));
        let e = import(
            RATE,
            &RateOptions {
                year: 1969,
                holidays: None,
            },
        )
        .unwrap_err();
        assert_eq!(e.field.as_deref(), Some("year"));
    }
}
