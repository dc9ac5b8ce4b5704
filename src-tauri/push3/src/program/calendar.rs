//! Which tariff register a time-of-use program puts an hour of a day in: the meter's rule, as
//! the Time of use tab's year calendar shows it (ui/src/lib/editors/tou/calendar.ts holds the
//! window's copy, for 365 cells without a round trip; ui/src/test/calendar.fixture.json, written
//! from this module, holds the two to the same answers).
//!
//! - A holiday follows the holiday schedule; a Saturday or Sunday the weekend schedule.
//! - Another day follows the season in force: the last one started on or before it, and before
//!   the year's first season starts, the year's last one (seasons wrap around the new year).
//! - With no season set, schedule 1.
//! - Within a day, the period in force is the last one started at or before the time; before
//!   the day's first period starts, the previous day's last period goes on.

use super::TouProgram;
use crate::undocumented::{Holiday, Period, Season};
use chrono::{Datelike, NaiveDate, Weekday};

/// Schedule followed on weekdays when no season is set.
pub const PLAIN_WEEKDAY_SCHEDULE: u8 = 1;

fn used_date(month: u8, day: u8) -> bool {
    month >= 1 && day >= 1
}

fn day_key(month: u8, day: u8) -> u16 {
    u16::from(month) * 100 + u16::from(day)
}

/// The season in force on month/day, if any season is set.
pub fn season_in_force(seasons: &[Season], month: u8, day: u8) -> Option<Season> {
    let mut used: Vec<Season> = seasons
        .iter()
        .copied()
        .filter(|s| used_date(s.month, s.day) && s.schedule >= 1)
        .collect();
    used.sort_by_key(|s| day_key(s.month, s.day));
    let today = day_key(month, day);
    used.iter()
        .rev()
        .find(|s| day_key(s.month, s.day) <= today)
        .or(used.last())
        .copied()
}

/// The schedule (1-based) a program gives `date`.
pub fn schedule_on(program: &TouProgram, date: NaiveDate) -> u8 {
    let (month, day) = (date.month() as u8, date.day() as u8);
    let holiday = Holiday { month, day };
    if program
        .holidays
        .iter()
        .any(|h| used_date(h.month, h.day) && *h == holiday)
    {
        return program.holiday_schedule;
    }
    if matches!(date.weekday(), Weekday::Sat | Weekday::Sun) {
        return program.weekend_schedule;
    }
    program
        .seasons
        .as_ref()
        .and_then(|seasons| season_in_force(seasons, month, day))
        .map_or(PLAIN_WEEKDAY_SCHEDULE, |s| s.schedule)
}

/// The used periods of a schedule, in order of their start.
fn used_periods(periods: &[Period]) -> Vec<Period> {
    let mut used: Vec<Period> = periods.iter().copied().filter(|p| p.tariff >= 1).collect();
    used.sort_by_key(|p| (p.hour, p.minute));
    used
}

/// The tariff register (1-4) in force on `date` at `hour`:`minute`; 0 if the schedules in force
/// have no period at all.
pub fn tariff_at(program: &TouProgram, date: NaiveDate, hour: u8, minute: u8) -> u8 {
    let periods = |date: NaiveDate| {
        let schedule = usize::from(schedule_on(program, date));
        program
            .schedules
            .get(schedule.wrapping_sub(1))
            .map(|s| used_periods(s))
            .unwrap_or_default()
    };
    let today = periods(date);
    if let Some(p) = today
        .iter()
        .rev()
        .find(|p| (p.hour, p.minute) <= (hour, minute))
    {
        return p.tariff;
    }
    // Before today's first period: yesterday's last one goes on.
    let yesterday = date.pred_opt().map(periods).unwrap_or_default();
    yesterday.last().or(today.last()).map_or(0, |p| p.tariff)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn period(hour: u8, tariff: u8) -> Period {
        Period {
            hour,
            minute: 0,
            tariff,
        }
    }

    fn program() -> TouProgram {
        let mut schedules = vec![[Period::UNUSED; 4]; 6];
        schedules[0] = [period(0, 1), period(16, 2), period(21, 1), Period::UNUSED];
        schedules[1] = [period(0, 3), Period::UNUSED, Period::UNUSED, Period::UNUSED];
        schedules[2] = [period(7, 4), period(19, 1), Period::UNUSED, Period::UNUSED];
        let mut holidays = vec![Holiday::UNUSED; 20];
        holidays[0] = Holiday { month: 7, day: 3 };
        TouProgram {
            schedules,
            holidays,
            weekend_schedule: 2,
            holiday_schedule: 2,
            seasons: Some([
                Season {
                    month: 6,
                    day: 1,
                    schedule: 3,
                },
                Season {
                    month: 10,
                    day: 1,
                    schedule: 1,
                },
                Season::UNUSED,
                Season::UNUSED,
            ]),
        }
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn holidays_weekends_and_seasons_that_wrap_the_new_year() {
        let p = program();
        assert_eq!(schedule_on(&p, date(2026, 7, 3)), 2, "a holiday, a Friday");
        assert_eq!(schedule_on(&p, date(2026, 7, 4)), 2, "a Saturday");
        assert_eq!(schedule_on(&p, date(2026, 7, 6)), 3, "summer season");
        assert_eq!(schedule_on(&p, date(2026, 10, 1)), 1, "from 1 October");
        assert_eq!(
            schedule_on(&p, date(2026, 1, 5)),
            1,
            "January: last year's last season"
        );
        assert_eq!(schedule_on(&p, date(2026, 5, 29)), 1);
    }

    #[test]
    fn no_season_means_schedule_one() {
        let mut p = program();
        p.seasons = None;
        assert_eq!(schedule_on(&p, date(2026, 7, 6)), PLAIN_WEEKDAY_SCHEDULE);
        p.seasons = Some([Season::UNUSED; 4]);
        assert_eq!(schedule_on(&p, date(2026, 7, 6)), PLAIN_WEEKDAY_SCHEDULE);
    }

    #[test]
    fn the_period_started_last_is_in_force_and_before_the_first_yesterdays_last_goes_on() {
        let p = program();
        let monday = date(2026, 10, 5);
        assert_eq!(tariff_at(&p, monday, 15, 59), 1);
        assert_eq!(tariff_at(&p, monday, 16, 0), 2);
        assert_eq!(tariff_at(&p, monday, 21, 0), 1);
        // Summer: schedule 3 starts at 07:00; before it, Sunday's (schedule 2) T3 goes on.
        let summer_monday = date(2026, 7, 6);
        assert_eq!(tariff_at(&p, summer_monday, 6, 0), 3);
        assert_eq!(tariff_at(&p, summer_monday, 7, 0), 4);
        // A Tuesday: Monday's last period (T1 from 19:00) goes on until 07:00.
        assert_eq!(tariff_at(&p, date(2026, 7, 7), 3, 0), 1);
    }

    /// The window's copy of the rule (calendar.ts) is tested against this file: the schedule of
    /// every day of 2028 (a leap year) under a program with seasons that wrap the new year,
    /// holidays on a weekend and on 29 February. `UPDATE_FIXTURES=1` rewrites it.
    #[test]
    fn the_ui_fixture_is_this_rule() {
        let mut p = program();
        p.holidays[1] = Holiday { month: 2, day: 29 };
        p.holidays[2] = Holiday { month: 12, day: 26 };
        p.seasons = Some([
            Season {
                month: 11,
                day: 15,
                schedule: 4,
            },
            Season {
                month: 3,
                day: 20,
                schedule: 3,
            },
            Season {
                month: 7,
                day: 1,
                schedule: 1,
            },
            Season::UNUSED,
        ]);
        let mut days = Vec::new();
        let mut d = date(2028, 1, 1);
        while d.year() == 2028 {
            days.push(serde_json::json!([
                d.format("%Y-%m-%d").to_string(),
                schedule_on(&p, d)
            ]));
            d = d.succ_opt().unwrap();
        }
        let fixture = serde_json::json!({ "program": p, "days": days });
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../ui/src/test/calendar.fixture.json");
        let expected = serde_json::to_string(&fixture).unwrap() + "\n";
        if std::env::var_os("UPDATE_FIXTURES").is_some() {
            std::fs::write(&path, &expected).unwrap();
        }
        let actual = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            actual == expected,
            "{} is stale: run UPDATE_FIXTURES=1 cargo test -p push3 --lib calendar",
            path.display()
        );
    }
}
