//! The typed values inside documented commands: relays, demand codes, LCD items, meter time.
//! (The time-of-use values of the undocumented commands live in [`crate::undocumented`].)

use crate::error::ValidationError;
use crate::limits;
use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use serde::{Deserialize, Serialize};

/// One of the two relays of a V4/V5 meter. Spelled `Relay_1`/`Relay_2` on the wire (G16).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Relay {
    #[serde(rename = "Relay_1")]
    Relay1,
    #[serde(rename = "Relay_2")]
    Relay2,
}

impl Relay {
    pub const ALL: [Relay; 2] = [Relay::Relay1, Relay::Relay2];

    pub fn wire(self) -> &'static str {
        match self {
            Relay::Relay1 => limits::RELAYS[0],
            Relay::Relay2 => limits::RELAYS[1],
        }
    }

    pub fn from_wire(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.wire() == name)
    }
}

/// `open` or `close`, exactly as the seed spells them (G17).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RelayStatus {
    Open,
    Close,
}

impl RelayStatus {
    pub const ALL: [RelayStatus; 2] = [RelayStatus::Open, RelayStatus::Close];

    pub fn wire(self) -> &'static str {
        match self {
            RelayStatus::Open => limits::RELAY_STATUSES[0],
            RelayStatus::Close => limits::RELAY_STATUSES[1],
        }
    }

    pub fn from_wire(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.wire() == name)
    }
}

/// The max demand period. 60 minutes is sent as code 4, as in EKM's newer library (G20).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DemandPeriod {
    Minutes15,
    Minutes30,
    Minutes60,
}

impl DemandPeriod {
    pub const ALL: [DemandPeriod; 3] = [
        DemandPeriod::Minutes15,
        DemandPeriod::Minutes30,
        DemandPeriod::Minutes60,
    ];

    fn index(self) -> usize {
        self as usize
    }

    pub fn code(self) -> u8 {
        limits::DEMAND_PERIODS[self.index()].0
    }

    pub fn minutes(self) -> u16 {
        limits::DEMAND_PERIODS[self.index()].1
    }

    pub fn from_code(code: i64) -> Option<Self> {
        Self::ALL.into_iter().find(|p| i64::from(p.code()) == code)
    }
}

/// When the meter resets its max demand by itself (V4 only, §3.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DemandResetInterval {
    Off,
    Monthly,
    Weekly,
    Daily,
    Hourly,
}

impl DemandResetInterval {
    pub const ALL: [DemandResetInterval; 5] = [
        DemandResetInterval::Off,
        DemandResetInterval::Monthly,
        DemandResetInterval::Weekly,
        DemandResetInterval::Daily,
        DemandResetInterval::Hourly,
    ];

    pub fn code(self) -> u8 {
        limits::DEMAND_RESET_INTERVALS[self as usize].0
    }

    pub fn label(self) -> &'static str {
        limits::DEMAND_RESET_INTERVALS[self as usize].1
    }

    pub fn from_code(code: i64) -> Option<Self> {
        Self::ALL.into_iter().find(|i| i64::from(i.code()) == code)
    }
}

/// One item of the meter's LCD list (§3.7). Only items of [`limits::LCD_ITEMS`] exist.
/// Serialized as its name, the form sent in `display_fields` (G22).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LcdItem {
    code: u8,
    name: &'static str,
}

impl LcdItem {
    pub fn from_name(name: &str) -> Option<Self> {
        limits::LCD_ITEMS
            .iter()
            .find(|(_, n)| *n == name)
            .map(|&(code, name)| Self { code, name })
    }

    pub fn from_code(code: i64) -> Option<Self> {
        limits::LCD_ITEMS
            .iter()
            .find(|(c, _)| i64::from(*c) == code)
            .map(|&(code, name)| Self { code, name })
    }

    /// Every item, in code order.
    pub fn all() -> impl Iterator<Item = LcdItem> {
        limits::LCD_ITEMS
            .iter()
            .map(|&(code, name)| Self { code, name })
    }

    pub fn code(self) -> u8 {
        self.code
    }

    pub fn name(self) -> &'static str {
        self.name
    }
}

impl Serialize for LcdItem {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name)
    }
}

impl<'de> Deserialize<'de> for LcdItem {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        Self::from_name(&name)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown LCD item {name:?}")))
    }
}

/// The meter's wall-clock time for SetTime. The meter has no time zone or DST (G33), so this is
/// the local time the tariffs should follow. Use [`MeterTime::new`] to get a checked value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MeterTime {
    pub year: u16,
    pub month: u8,
    pub day: u8,
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
}

impl MeterTime {
    /// Checks a real calendar date in 2000-2099 (G34) and a valid time of day.
    pub fn new(
        year: u16,
        month: u8,
        day: u8,
        hour: u8,
        minute: u8,
        second: u8,
    ) -> Result<Self, ValidationError> {
        let time = Self {
            year,
            month,
            day,
            hour,
            minute,
            second,
        };
        time.check()?;
        Ok(time)
    }

    pub fn from_naive(at: NaiveDateTime) -> Result<Self, ValidationError> {
        // Each component is range-checked by chrono; the narrowing casts cannot truncate.
        Self::new(
            u16::try_from(at.year()).unwrap_or(u16::MAX),
            at.month() as u8,
            at.day() as u8,
            at.hour() as u8,
            at.minute() as u8,
            at.second() as u8,
        )
    }

    /// The first field that is out of range, with its wire name.
    pub fn check(&self) -> Result<(), ValidationError> {
        let (min_year, max_year) = (limits::MIN_YEAR, limits::MAX_YEAR);
        if !(min_year..=max_year).contains(&self.year) {
            return Err(ValidationError::new(
                "year",
                format!("\"{}\"", self.year),
                format!("\"YYYY\", {min_year}-{max_year} (the meter keeps two digits)"),
            ));
        }
        if !(1..=12).contains(&self.month) {
            return Err(ValidationError::new(
                "month",
                format!("\"{:02}\"", self.month),
                "\"MM\", 01-12",
            ));
        }
        let date = NaiveDate::from_ymd_opt(
            i32::from(self.year),
            u32::from(self.month),
            u32::from(self.day),
        );
        if date.is_none() {
            return Err(ValidationError::new(
                "day",
                format!("\"{:02}\"", self.day),
                format!(
                    "\"DD\", a day that exists in {}-{:02}",
                    self.year, self.month
                ),
            ));
        }
        let clock = [
            ("hour", self.hour, 23, "HH"),
            ("minutes", self.minute, 59, "mm"),
            ("seconds", self.second, 59, "ss"),
        ];
        for (field, value, max, pattern) in clock {
            if value > max {
                return Err(ValidationError::new(
                    field,
                    format!("\"{value:02}\""),
                    format!("\"{pattern}\", 00-{max}"),
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_are_the_seeds() {
        assert_eq!(Relay::Relay1.wire(), "Relay_1");
        assert_eq!(
            Relay::from_wire("relay_1"),
            None,
            "older lower-case form is not sent (G16)"
        );
        assert_eq!(RelayStatus::Close.wire(), "close");
        assert_eq!(
            RelayStatus::from_wire("closed"),
            None,
            "retired API's word (G17)"
        );
        assert_eq!(serde_json::to_value(Relay::Relay2).unwrap(), "Relay_2");
    }

    #[test]
    fn sixty_minute_demand_is_code_four() {
        assert_eq!(DemandPeriod::Minutes60.code(), 4);
        assert_eq!(DemandPeriod::from_code(3), None);
        assert_eq!(DemandPeriod::Minutes30.minutes(), 30);
        assert_eq!(
            DemandResetInterval::from_code(4),
            Some(DemandResetInterval::Hourly)
        );
        assert_eq!(DemandResetInterval::Weekly.label(), "Weekly");
    }

    #[test]
    fn lcd_items_look_up_by_name_and_code() {
        let item = LcdItem::from_name("Line_Freq").unwrap();
        assert_eq!(item.code(), 28);
        assert_eq!(LcdItem::from_code(28), Some(item));
        assert_eq!(LcdItem::from_code(46), None);
        assert_eq!(LcdItem::from_name("line_freq"), None);
        assert_eq!(LcdItem::all().count(), limits::LCD_ITEMS.len());
    }

    #[test]
    fn meter_time_refuses_impossible_dates_and_out_of_range_years() {
        assert!(MeterTime::new(2024, 2, 29, 23, 59, 59).is_ok());
        assert_eq!(
            MeterTime::new(2023, 2, 29, 0, 0, 0).unwrap_err().field,
            "day"
        );
        assert_eq!(
            MeterTime::new(2100, 1, 1, 0, 0, 0).unwrap_err().field,
            "year"
        );
        assert_eq!(
            MeterTime::new(1999, 1, 1, 0, 0, 0).unwrap_err().field,
            "year"
        );
        assert_eq!(
            MeterTime::new(2024, 13, 1, 0, 0, 0).unwrap_err().field,
            "month"
        );
        assert_eq!(
            MeterTime::new(2024, 1, 1, 24, 0, 0).unwrap_err().field,
            "hour"
        );
        assert_eq!(
            MeterTime::new(2024, 1, 1, 0, 60, 0).unwrap_err().field,
            "minutes"
        );
        assert_eq!(
            MeterTime::new(2024, 1, 1, 0, 0, 60).unwrap_err().field,
            "seconds"
        );
    }
}
