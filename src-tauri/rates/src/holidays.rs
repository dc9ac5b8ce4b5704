//! Holiday sets a rate import can fill the meter's 20 holiday slots with. Computed for the year
//! asked, never a table per year: the rules are the calendar's.

use chrono::{Datelike, Duration, NaiveDate, Weekday};

/// A holiday set the user can choose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HolidaySet {
    /// The eleven US federal holidays (5 U.S.C. 6103), on the days they are observed: one that
    /// falls on a Saturday is observed the Friday before, on a Sunday the Monday after, as
    /// utilities that bill holidays at the off-peak rate follow them.
    UsFederal,
}

impl HolidaySet {
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "us-federal" => Some(HolidaySet::UsFederal),
            _ => None,
        }
    }

    pub const NAMES: [&'static str; 1] = ["us-federal"];

    /// The set's dates in `year`, in calendar order, with their names.
    pub fn dates(self, year: i32) -> Vec<(NaiveDate, &'static str)> {
        match self {
            HolidaySet::UsFederal => us_federal(year),
        }
    }
}

fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("a calendar date")
}

/// The `n`th (1-based) `weekday` of the month.
fn nth(year: i32, month: u32, weekday: Weekday, n: u32) -> NaiveDate {
    NaiveDate::from_weekday_of_month_opt(year, month, weekday, n as u8).expect("the nth weekday")
}

/// The last `weekday` of the month.
fn last(year: i32, month: u32, weekday: Weekday) -> NaiveDate {
    let next = if month == 12 {
        date(year + 1, 1, 1)
    } else {
        date(year, month + 1, 1)
    };
    let mut d = next - Duration::days(1);
    while d.weekday() != weekday {
        d -= Duration::days(1);
    }
    d
}

/// A fixed-date holiday on the day it is observed.
fn observed(d: NaiveDate) -> NaiveDate {
    match d.weekday() {
        Weekday::Sat => d - Duration::days(1),
        Weekday::Sun => d + Duration::days(1),
        _ => d,
    }
}

fn us_federal(year: i32) -> Vec<(NaiveDate, &'static str)> {
    use Weekday::{Mon, Thu};
    let mut days = vec![
        (observed(date(year, 1, 1)), "New Year's Day"),
        (nth(year, 1, Mon, 3), "Birthday of Martin Luther King, Jr."),
        (nth(year, 2, Mon, 3), "Washington's Birthday"),
        (last(year, 5, Mon), "Memorial Day"),
        (
            observed(date(year, 6, 19)),
            "Juneteenth National Independence Day",
        ),
        (observed(date(year, 7, 4)), "Independence Day"),
        (nth(year, 9, Mon, 1), "Labor Day"),
        (nth(year, 10, Mon, 2), "Columbus Day"),
        (observed(date(year, 11, 11)), "Veterans Day"),
        (nth(year, 11, Thu, 4), "Thanksgiving Day"),
        (observed(date(year, 12, 25)), "Christmas Day"),
    ];
    // New Year's Day of `year` on a Saturday is observed on 31 December of the year before;
    // the meter's holidays are month/day for every year, so that one is left out rather than
    // put on this year's 31 December.
    days.retain(|(d, _)| d.year() == year);
    days.sort();
    days
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(days: &[(NaiveDate, &str)]) -> Vec<(u32, u32)> {
        days.iter().map(|(d, _)| (d.month(), d.day())).collect()
    }

    #[test]
    fn the_us_federal_holidays_of_2026_as_observed() {
        // OPM's 2026 list: Jan 1, Jan 19, Feb 16, May 25, Jun 19, Jul 3 (the 4th is a Saturday),
        // Sep 7, Oct 12, Nov 11, Nov 26, Dec 25.
        assert_eq!(
            md(&HolidaySet::UsFederal.dates(2026)),
            [
                (1, 1),
                (1, 19),
                (2, 16),
                (5, 25),
                (6, 19),
                (7, 3),
                (9, 7),
                (10, 12),
                (11, 11),
                (11, 26),
                (12, 25)
            ]
        );
    }

    #[test]
    fn a_sunday_holiday_moves_to_monday_and_a_saturday_new_year_leaves_the_year() {
        // 2027: Jun 19 and Dec 25 are Saturdays (observed Jun 18, Dec 24); Jul 4 a Sunday (Jul 5).
        let days = md(&HolidaySet::UsFederal.dates(2027));
        assert!(days.contains(&(6, 18)) && days.contains(&(7, 5)) && days.contains(&(12, 24)));
        // 2022: Jan 1 was a Saturday, observed 31 Dec 2021: not in 2022's set.
        let days = md(&HolidaySet::UsFederal.dates(2022));
        assert_eq!(days.len(), 10);
        assert_eq!(days[0], (1, 17));
    }
}
