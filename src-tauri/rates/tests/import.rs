//! The translation of four URDB tariffs, checked cell by cell against the meter's month-by-hour
//! result, and a property: whatever importable rate, every weekday hour the import calls exact
//! is counted by the meter, through its own calendar rule, in the register of the rate's period.

use chrono::{Datelike, NaiveDate, Weekday};
use proptest::prelude::*;
use push3::program::{calendar, KnownState};
use push3::undocumented::{Period, Season};
use push3::MeterVersion;
use push3_rates::holidays::HolidaySet;
use push3_rates::translate::ApproximationKind;
use push3_rates::{translate, Options, RateImport, Tariff};

const YEAR: i32 = 2026;

fn import(file: &str) -> RateImport {
    let path = format!("{}/tests/tariffs/{file}", env!("CARGO_MANIFEST_DIR"));
    let tariff = Tariff::from_json(&std::fs::read_to_string(path).unwrap()).unwrap();
    translate(
        &tariff,
        Options {
            year: YEAR,
            holidays: None,
        },
    )
}

/// A grid row written as 24 register digits.
fn row(text: &str) -> [u8; 24] {
    let digits: Vec<u8> = text
        .bytes()
        .filter(|b| b.is_ascii_digit())
        .map(|b| b - b'0')
        .collect();
    digits
        .try_into()
        .unwrap_or_else(|d: Vec<u8>| panic!("{} digits in {text:?}", d.len()))
}

/// The expected meter rows, month by month, from a row per run of months.
fn months(spec: &[(std::ops::RangeInclusive<usize>, &str)]) -> [[u8; 24]; 12] {
    let mut out = [[0u8; 24]; 12];
    for (range, text) in spec {
        for m in range.clone() {
            out[m - 1] = row(text);
        }
    }
    assert!(
        out.iter().all(|r| r.iter().all(|&c| c > 0)),
        "every month given"
    );
    out
}

fn period(hour: u8, tariff: u8) -> Period {
    Period {
        hour,
        minute: 0,
        tariff,
    }
}

#[test]
fn a_simple_two_period_weekday_peak() {
    let i = import("two_period_peak.json");
    assert_eq!(i.name, "Residential Time-of-Use (TOU-4-9)");
    assert_eq!(i.registers, [1, 2]);
    assert_eq!(
        i.weekday.meter,
        months(&[(1..=12, "1111 1111 1111 1111 2222 2111")])
    );
    assert_eq!(
        i.weekend.meter,
        months(&[(1..=12, "1111 1111 1111 1111 1111 1111")])
    );
    assert_eq!(i.weekday.meter, i.weekday.rate);
    assert!(i.weekday.exact.iter().flatten().all(|&e| e));
    assert_eq!(
        i.program.schedules[0],
        [period(0, 1), period(16, 2), period(21, 1), Period::UNUSED]
    );
    assert_eq!(i.program.weekend_schedule, 2);
    assert_eq!(i.program.holiday_schedule, 2);
    assert_eq!(i.program.seasons, None, "one weekday profile all year");
    assert!(i.approximations.is_empty(), "{:?}", i.approximations);
    assert!(i.is_exact());
    assert_eq!(i.hours_in_year, 365 * 24);
    assert_eq!(i.prices[0], [Some(0.10), Some(0.30), None, None]);
}

#[test]
fn a_summer_winter_rate_becomes_two_seasons_with_shared_registers() {
    let i = import("summer_winter.json");
    // Winter off-peak and summer off-peak never meet in a month: both T1; both peaks T2.
    assert_eq!(i.registers, [1, 2, 1, 2]);
    let winter = "1111 1111 1111 1111 1222 1111";
    let summer = "1111 1111 1111 1122 2221 1111";
    assert_eq!(
        i.weekday.meter,
        months(&[(1..=5, winter), (6..=9, summer), (10..=12, winter)])
    );
    assert_eq!(
        i.weekend.meter,
        months(&[(1..=12, "1111 1111 1111 1111 1111 1111")])
    );
    assert!(i
        .weekday
        .exact
        .iter()
        .chain(&i.weekend.exact)
        .flatten()
        .all(|&e| e));
    // Schedule 1 is January's; the seasons wrap the new year as the meter's do.
    assert_eq!(
        i.program.seasons,
        Some([
            Season {
                month: 6,
                day: 1,
                schedule: 2
            },
            Season {
                month: 10,
                day: 1,
                schedule: 1
            },
            Season::UNUSED,
            Season::UNUSED
        ])
    );
    assert_eq!(
        i.program.schedules[1],
        [period(0, 1), period(14, 2), period(19, 1), Period::UNUSED]
    );
    assert_eq!(i.program.weekend_schedule, 3);
    assert!(i.approximations.is_empty(), "{:?}", i.approximations);
    assert_eq!(i.hours_differing, 0);
    // Per month, each register's price is its own period's: the estimate can tell them apart.
    assert_eq!(i.prices[0], [Some(0.09), Some(0.20), None, None]);
    assert_eq!(i.prices[6], [Some(0.11), Some(0.35), None, None]);
}

#[test]
fn six_periods_in_a_year_fit_three_registers_by_sharing() {
    let i = import("six_periods_shared.json");
    assert_eq!(i.registers, [1, 2, 3, 1, 2, 3]);
    let winter = "1111 1112 2222 2222 2333 3111";
    let summer = "1111 1111 1111 2233 3333 1111";
    assert_eq!(
        i.weekday.meter,
        months(&[(1..=5, winter), (6..=9, summer), (10..=12, winter)])
    );
    assert!(i.weekday.exact.iter().flatten().all(|&e| e));
    assert!(i.is_exact(), "{:?}", i.approximations);
    assert_eq!(i.prices[7], [Some(0.08), Some(0.16), Some(0.38), None]);
    assert_eq!(i.prices[11], [Some(0.07), Some(0.12), Some(0.22), None]);
}

#[test]
fn a_rate_the_meter_cannot_hold_is_approximated_and_every_approximation_is_reported() {
    let i = import("critical_peak.json");
    // Period 4 (critical peak, July only) is counted with period 3: it has no register.
    assert_eq!(i.registers, [1, 2, 3, 4, 0]);
    assert_eq!(
        i.weekday.meter,
        months(&[
            (1..=6, "1111 1111 1111 1111 3333 1111"),
            (7..=7, "1111 1111 2222 2224 4444 1111"),
            (8..=8, "1111 1111 2222 2223 3333 1111"),
            (9..=12, "1111 1111 1111 1111 3333 1111"),
        ])
    );
    // What the rate asks, for comparison: shoulder 8–12 most months, July's 5 periods.
    assert_eq!(i.weekday.rate[0], row("1111 1111 2222 1111 3333 1111"));
    assert_eq!(i.weekday.rate[6], row("1111 1111 2222 2224 4033 1111"));
    let inexact = |g: &[[bool; 24]; 12], m: usize| -> Vec<usize> {
        (0..24).filter(|&h| !g[m - 1][h]).collect()
    };
    assert_eq!(inexact(&i.weekday.exact, 1), [8, 9, 10, 11]);
    assert_eq!(inexact(&i.weekday.exact, 7), [17, 18, 19]);
    assert_eq!(inexact(&i.weekday.exact, 8), [15, 16]);
    assert_eq!(inexact(&i.weekend.exact, 7), [16, 17, 18, 19]);
    assert_eq!(inexact(&i.weekend.exact, 3), Vec::<usize>::new());

    let kinds: Vec<&ApproximationKind> = i.approximations.iter().map(|a| &a.what).collect();
    assert!(kinds.contains(&&ApproximationKind::Tiers { periods: vec![0] }));
    assert!(kinds.contains(&&ApproximationKind::TooManyRegisters { month: 7 }));
    assert!(kinds.contains(&&ApproximationKind::WeekendByMonth { months: vec![7, 8] }));
    let switches = kinds
        .iter()
        .filter(|k| matches!(k, ApproximationKind::TooManySwitches { .. }))
        .count();
    assert_eq!(switches, 12, "every month's weekdays switch 5 times");
    let critical = i
        .approximations
        .iter()
        .find(|a| a.what == ApproximationKind::TooManyRegisters { month: 7 })
        .unwrap();
    assert!(critical
        .message
        .contains("period 4 ($0.6000/kWh) is counted with period 3"));
    // July 2026 has 23 weekdays: the critical hour on each.
    assert_eq!(critical.hours_per_year, 23);
    // Each differing hour is reported once: the report adds up to the year's count.
    let reported: u32 = i.approximations.iter().map(|a| a.hours_per_year).sum();
    assert_eq!(reported, i.hours_differing);
    assert!(i.hours_differing > 0);
    // The meter's registers for July are the four it has; the estimate prices them as July's.
    assert_eq!(
        i.prices[6],
        [Some(0.08), Some(0.15), Some(0.30), Some(0.50)]
    );
}

#[test]
fn a_holiday_set_fills_the_holiday_slots_and_holidays_follow_the_weekend_schedule() {
    let path = format!(
        "{}/tests/tariffs/two_period_peak.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let tariff = Tariff::from_json(&std::fs::read_to_string(path).unwrap()).unwrap();
    let i = translate(
        &tariff,
        Options {
            year: YEAR,
            holidays: Some(HolidaySet::UsFederal),
        },
    );
    assert_eq!(i.holidays.len(), 11);
    assert_eq!(i.holidays[5], (7, 3, "Independence Day".to_owned()));
    let used = i.program.holidays.iter().filter(|h| h.month > 0).count();
    assert_eq!(used, 11);
    // 3 July 2026, a Friday, is a holiday: off-peak all day, as the rate's weekends.
    let date = NaiveDate::from_ymd_opt(2026, 7, 3).unwrap();
    assert_eq!(calendar::tariff_at(&i.program, date, 17, 0), 1);
    assert!(i.is_exact(), "holidays are weekend days on both sides");
}

// ---- the property ----

/// A rate with 1–8 periods in up to 3 seasons of months, each with its own weekday and weekend
/// profiles of up to 6 runs.
fn any_tariff() -> impl Strategy<Value = Tariff> {
    let profile = |periods: usize| {
        (
            prop::collection::vec(1usize..23, 0..5),
            prop::collection::vec(0..periods, 6),
        )
            .prop_map(|(mut cuts, ps)| {
                cuts.sort_unstable();
                cuts.dedup();
                let mut row = [0usize; 24];
                let mut run = 0;
                for (h, cell) in row.iter_mut().enumerate() {
                    if cuts.get(run).is_some_and(|&c| h >= c) {
                        run += 1;
                    }
                    *cell = ps[run.min(ps.len() - 1)];
                }
                row
            })
    };
    (1usize..=8).prop_flat_map(move |n| {
        (
            prop::collection::vec((profile(n), profile(n)), 1..=3),
            prop::collection::vec(0usize..3, 12),
            prop::collection::vec(0.01f64..1.0, n),
        )
            .prop_map(move |(seasons, month_season, prices)| {
                let mut weekday = [[0usize; 24]; 12];
                let mut weekend = [[0usize; 24]; 12];
                for m in 0..12 {
                    let s = &seasons[month_season[m] % seasons.len()];
                    weekday[m] = s.0;
                    weekend[m] = s.1;
                }
                Tariff {
                    name: "any".into(),
                    utility: None,
                    weekday,
                    weekend,
                    periods: prices
                        .iter()
                        .map(|&rate| {
                            vec![push3_rates::urdb::Tier {
                                rate,
                                adj: 0.0,
                                max: None,
                                unit: None,
                            }]
                        })
                        .collect(),
                }
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn every_weekday_hour_reported_exact_is_the_rates_period_on_the_meter(
        tariff in any_tariff(),
        year in 2024i32..2030,
    ) {
        let i = translate(&tariff, Options { year, holidays: None });
        let first = NaiveDate::from_ymd_opt(year, 1, 1).unwrap();
        for date in first.iter_days().take_while(|d| d.year() == year) {
            if matches!(date.weekday(), Weekday::Sat | Weekday::Sun) {
                continue;
            }
            let m = date.month0() as usize;
            for hour in 0..24usize {
                if !i.weekday.exact[m][hour] {
                    continue;
                }
                let period = tariff.weekday[m][hour];
                let register = calendar::tariff_at(&i.program, date, hour as u8, 0);
                prop_assert_eq!(register, i.registers[period], "{} {}:00", date, hour);
            }
        }
        // In a month, the periods with an exact hour each have a register of their own: the
        // month's kWh per register then belong to one period each.
        for m in 0..12 {
            let mut exact_periods: Vec<usize> = (0..24)
                .filter(|&h| i.weekday.exact[m][h])
                .map(|h| tariff.weekday[m][h])
                .chain((0..24).filter(|&h| i.weekend.exact[m][h]).map(|h| tariff.weekend[m][h]))
                .collect();
            exact_periods.sort_unstable();
            exact_periods.dedup();
            let mut registers: Vec<u8> = exact_periods.iter().map(|&p| i.registers[p]).collect();
            registers.sort_unstable();
            registers.dedup();
            prop_assert_eq!(registers.len(), exact_periods.len(), "month {}", m + 1);
        }
        // The program is one a meter takes: the one validator plans it.
        let planned = push3::program::plan(&i.program.to_program(), MeterVersion::V4, &KnownState::default(), true);
        prop_assert!(planned.is_ok(), "{:?}", planned.err());
        prop_assert!(i.hours_differing <= i.hours_in_year);
    }
}

/// The import dialog's component tests show this translation (the critical-peak rate, which
/// has every kind of approximation), so they test against what Rust answers rather than a
/// retyped copy. `UPDATE_FIXTURES=1` rewrites it.
#[test]
fn the_ui_fixture_is_this_translation() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../ui/src/test/rateImport.fixture.json");
    let expected = serde_json::to_string(&import("critical_peak.json")).unwrap() + "\n";
    if std::env::var_os("UPDATE_FIXTURES").is_some() {
        std::fs::write(&path, &expected).unwrap();
    }
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "{} is stale: run UPDATE_FIXTURES=1 cargo test -p push3-rates --test import",
        path.display()
    );
}

#[test]
fn more_runs_of_months_than_the_meters_four_seasons_are_merged_and_reported() {
    // Weekday profiles alternate A, B, A, B, … month by month: 12 runs (wrapping, 12) for 4
    // seasons. Each merge gives the shortest run the closest neighbouring profile.
    let a = [0usize; 24];
    let mut b = [0usize; 24];
    for cell in &mut b[16..20] {
        *cell = 1;
    }
    let mut weekday = [[0usize; 24]; 12];
    for (m, row) in weekday.iter_mut().enumerate() {
        *row = if m % 2 == 0 { a } else { b };
    }
    let tariff = Tariff {
        name: "alternating".into(),
        utility: None,
        weekday,
        weekend: [[0usize; 24]; 12],
        periods: vec![
            vec![push3_rates::urdb::Tier {
                rate: 0.1,
                adj: 0.0,
                max: None,
                unit: None,
            }],
            vec![push3_rates::urdb::Tier {
                rate: 0.3,
                adj: 0.0,
                max: None,
                unit: None,
            }],
        ],
    };
    let i = translate(
        &tariff,
        Options {
            year: YEAR,
            holidays: None,
        },
    );
    let seasons = i.program.seasons.expect("seasons");
    let used = seasons.iter().filter(|s| s.month > 0).count();
    assert!((2..=4).contains(&used), "{seasons:?}");
    let merged: Vec<&push3_rates::Approximation> = i
        .approximations
        .iter()
        .filter(|a| matches!(a.what, ApproximationKind::TooManySeasons { .. }))
        .collect();
    assert!(!merged.is_empty());
    assert!(merged.iter().all(|a| a.hours_per_year > 0));
    // Each merged month's weekdays lost or gained the 4 peak hours, and nothing else differs.
    let reported: u32 = i.approximations.iter().map(|a| a.hours_per_year).sum();
    assert_eq!(reported, i.hours_differing);
    assert!(!i.is_exact());
}
