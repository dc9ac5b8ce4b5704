//! A URDB tariff made into a meter's time-of-use program, and what the meter cannot hold.
//!
//! The meter has 4 tariff registers, 6 schedules of up to 4 periods (switch times), up to 4
//! seasons (a schedule for weekdays from a date on), one weekend schedule, one holiday schedule
//! and 20 holidays. A rate has periods, each with its price, laid out month by hour for
//! weekdays and weekends. In order:
//!
//! 1. **Registers.** Periods share a register when they never occur in the same month: the
//!    meter's tariff data is kept per month, so each month's kWh per register still belongs to
//!    one period. Periods that occur together get different registers (a graph colouring). A
//!    month that needs more than 4 counts its rarest period with the period nearest in price.
//! 2. **Switches.** A day profile with more than 4 runs of one register loses its shortest run
//!    to the neighbour nearest in price, until 4 are left.
//! 3. **Weekends.** The meter has one weekend schedule: the weekend profile of most weekend
//!    days is kept, and the other months' weekends follow it.
//! 4. **Seasons.** Runs of months with the same weekday profile become seasons (they wrap
//!    around the new year, as the meter's seasons do). More than 4 runs: the shortest joins the
//!    neighbour whose profile is closest.
//! 5. **Schedules.** One per distinct weekday profile, plus the weekend's when it is not one of
//!    them; the holiday schedule is the weekend's; the chosen holiday set fills the holidays.
//!
//! Each approximation says by how many hours a year the meter's register then differs from the
//! rate's period. At the end the whole year is counted again through the meter's own calendar
//! rule (`push3::program::calendar`), and each cell of the month-by-hour grids is marked exact
//! or not.

// Months and hours index several grids at once (the rate's, the meter's, day counts), which
// reads plainer as indices than as zipped iterators.
#![allow(clippy::needless_range_loop)]

use crate::holidays::HolidaySet;
use crate::urdb::{Tariff, HOURS, MONTHS};
use chrono::{Datelike, NaiveDate, Weekday};
use push3::limits::{HOLIDAYS, PERIODS_PER_SCHEDULE, SCHEDULES, SEASONS};
use push3::program::calendar;
use push3::program::TouProgram;
use push3::undocumented::{Holiday, Period, Season};
use serde::Serialize;
use ts_rs::TS;

/// The meter's tariff registers, T1 to T4.
pub const REGISTERS: usize = 4;

/// A month-by-hour grid of registers (1-4; 0 where none applies).
pub type Grid = [[u8; HOURS]; MONTHS];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// The year the hours are counted in, and the holidays computed for: one of [`YEARS`].
    pub year: i32,
    pub holidays: Option<HolidaySet>,
}

/// The years a translation counts hours in.
pub const YEARS: std::ops::RangeInclusive<i32> = 1970..=2100;

/// `year` if a translation can count its hours, else why not.
pub fn check_year(year: i32) -> Result<i32, String> {
    if YEARS.contains(&year) {
        Ok(year)
    } else {
        Err(format!(
            "{year}: a year from {} to {}",
            YEARS.start(),
            YEARS.end()
        ))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename = "RateDayType")]
pub enum DayType {
    Weekday,
    Weekend,
}

/// One thing the meter cannot hold exactly.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Approximation {
    pub what: ApproximationKind,
    /// For people: what was done instead.
    pub message: String,
    /// Hours of the year in which this makes the meter's register differ from the rate's.
    pub hours_per_year: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum ApproximationKind {
    /// More than 4 periods occur in one month.
    TooManyRegisters { month: u8 },
    /// More than 4 switches in a day.
    TooManySwitches { month: u8, day: DayType },
    /// The weekend profile differs by month; the meter has one weekend schedule.
    WeekendByMonth { months: Vec<u8> },
    /// More than 4 runs of months with one weekday profile.
    TooManySeasons { months: Vec<u8> },
    /// A period has tiers; the meter keeps one rate per register (no hour differs).
    Tiers { periods: Vec<usize> },
}

/// The rate and the meter side by side, month by hour.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Grids {
    /// The rate's register in each cell: its period's register.
    #[ts(as = "Vec<Vec<u8>>")]
    pub rate: Grid,
    /// The meter's register in each cell, through its calendar.
    #[ts(as = "Vec<Vec<u8>>")]
    pub meter: Grid,
    /// Whether each cell is exact: the meter counts the hour in the register of the rate's
    /// own period, and that register holds no other period that month.
    #[ts(as = "Vec<Vec<bool>>")]
    pub exact: [[bool; HOURS]; MONTHS],
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RateImport {
    pub name: String,
    pub utility: Option<String>,
    pub program: TouProgram,
    /// Per rate period (URDB's index), the register it is counted in; 0 when none.
    pub registers: Vec<u8>,
    /// Per month, per register (T1 first), the price of a kWh there ($/kWh, first tier): the
    /// cost estimate's factor. `None` where no period is counted in that register that month.
    #[ts(as = "Vec<Vec<Option<f64>>>")]
    pub prices: [[Option<f64>; REGISTERS]; MONTHS],
    pub weekday: Grids,
    pub weekend: Grids,
    pub approximations: Vec<Approximation>,
    /// Hours of `year` in which the meter's register is not the rate's period's.
    pub hours_differing: u32,
    /// The hours counted: every hour of `year`.
    pub hours_in_year: u32,
    pub year: i32,
    /// The holidays set, as month, day and name.
    pub holidays: Vec<(u8, u8, String)>,
}

impl RateImport {
    pub fn is_exact(&self) -> bool {
        self.hours_differing == 0
    }
}

/// Days of each type in each month of `year`, holidays counted as weekend days (they follow the
/// weekend rate and the holiday schedule, which is the weekend's).
struct DayCounts([[u32; 2]; MONTHS]);

impl DayCounts {
    fn of(year: i32, holidays: &[NaiveDate]) -> Self {
        let mut counts = [[0u32; 2]; MONTHS];
        for date in days_of(year) {
            let t = day_type(date, holidays) as usize;
            counts[date.month0() as usize][t] += 1;
        }
        Self(counts)
    }

    fn get(&self, month: usize, day: DayType) -> u32 {
        self.0[month][day as usize]
    }
}

fn days_of(year: i32) -> impl Iterator<Item = NaiveDate> {
    let first = NaiveDate::from_ymd_opt(year, 1, 1).expect("1 January");
    first.iter_days().take_while(move |d| d.year() == year)
}

fn day_type(date: NaiveDate, holidays: &[NaiveDate]) -> DayType {
    if matches!(date.weekday(), Weekday::Sat | Weekday::Sun) || holidays.contains(&date) {
        DayType::Weekend
    } else {
        DayType::Weekday
    }
}

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn month_list(months: &[u8]) -> String {
    months
        .iter()
        .map(|m| MONTH_NAMES[usize::from(*m) - 1])
        .collect::<Vec<_>>()
        .join(", ")
}

/// The rate's periods in effect, cell by cell, as the translation changes them.
struct Work<'a> {
    tariff: &'a Tariff,
    /// [day type][month][hour] → period, after step 1's merges.
    periods: [[[usize; HOURS]; MONTHS]; 2],
    counts: DayCounts,
    approximations: Vec<Approximation>,
}

impl<'a> Work<'a> {
    fn price(&self, period: usize) -> f64 {
        self.tariff.first_tier_price(period)
    }

    fn periods_in(&self, month: usize) -> Vec<usize> {
        let mut seen: Vec<usize> = (0..2)
            .flat_map(|t| self.periods[t][month].iter().copied())
            .collect();
        seen.sort_unstable();
        seen.dedup();
        seen
    }

    /// Hours of the year in `month`'s `day`-type cells where `changed` holds.
    fn hours(&self, month: usize, day: DayType, changed: usize) -> u32 {
        self.counts.get(month, day) * changed as u32
    }
}

/// Step 1: until every month has at most 4 periods, the month with the most loses its rarest
/// period to the period nearest in price; then a colouring of the periods that meet in a month.
fn assign_registers(work: &mut Work) -> Vec<u8> {
    for month in 0..MONTHS {
        loop {
            let present = work.periods_in(month);
            if present.len() <= REGISTERS {
                break;
            }
            let hours_of = |p: usize| -> u32 {
                [DayType::Weekday, DayType::Weekend]
                    .iter()
                    .map(|&t| {
                        let cells = work.periods[t as usize][month].iter().filter(|&&c| c == p);
                        work.hours(month, t, cells.count())
                    })
                    .sum()
            };
            let rarest = *present
                .iter()
                .min_by_key(|&&p| (hours_of(p), std::cmp::Reverse(p)))
                .expect("more than 4 periods");
            let nearest = *present
                .iter()
                .filter(|&&p| p != rarest)
                .min_by(|&&a, &&b| {
                    let d = |p: usize| (work.price(p) - work.price(rarest)).abs();
                    d(a).total_cmp(&d(b)).then(a.cmp(&b))
                })
                .expect("another period");
            let hours = hours_of(rarest);
            for t in 0..2 {
                for cell in work.periods[t][month].iter_mut().filter(|c| **c == rarest) {
                    *cell = nearest;
                }
            }
            work.approximations.push(Approximation {
                what: ApproximationKind::TooManyRegisters {
                    month: month as u8 + 1,
                },
                message: format!(
                    "{} has {} periods and the meter 4 registers: period {rarest} (${:.4}/kWh) is \
                     counted with period {nearest} (${:.4}/kWh)",
                    MONTH_NAMES[month],
                    present.len(),
                    work.price(rarest),
                    work.price(nearest)
                ),
                hours_per_year: hours,
            });
        }
    }
    colour(work)
}

/// Registers for the periods: periods that occur in the same month differ. Each month has at
/// most 4 periods by now, which does not by itself make 4 registers enough (periods can chain
/// across months), so a search tries the periods most in conflict first. When no colouring
/// exists, a greedy one is used and periods left sharing a register in a month are reported by
/// the caller (real rates, whose periods repeat by season, do not get there).
fn colour(work: &Work) -> Vec<u8> {
    let n = work.tariff.periods.len();
    let mut meets = vec![vec![false; n]; n];
    let mut used = vec![false; n];
    for month in 0..MONTHS {
        let present = work.periods_in(month);
        for &a in &present {
            used[a] = true;
            for &b in &present {
                meets[a][b] |= a != b;
            }
        }
    }
    let mut order: Vec<usize> = (0..n).filter(|&p| used[p]).collect();
    order.sort_by_key(|&p| {
        (
            std::cmp::Reverse(meets[p].iter().filter(|&&m| m).count()),
            p,
        )
    });
    let mut colours = vec![0u8; n];
    fn search(i: usize, order: &[usize], meets: &[Vec<bool>], colours: &mut [u8]) -> bool {
        let Some(&p) = order.get(i) else {
            return true;
        };
        for c in 1..=REGISTERS as u8 {
            if order[..i]
                .iter()
                .all(|&q| !(meets[p][q] && colours[q] == c))
            {
                colours[p] = c;
                if search(i + 1, order, meets, colours) {
                    return true;
                }
            }
        }
        colours[p] = 0;
        false
    }
    if !search(0, &order, &meets, &mut colours) {
        // Greedy, then the conflicts are resolved by merging in the months where they meet.
        for (i, &p) in order.iter().enumerate() {
            colours[p] = (1..=REGISTERS as u8)
                .find(|&c| {
                    order[..i]
                        .iter()
                        .all(|&q| !(meets[p][q] && colours[q] == c))
                })
                .unwrap_or(1);
        }
    }
    // Registers in order of price, T1 the cheapest: the colours renumbered by their periods'
    // lowest price.
    let mut classes: Vec<(f64, u8)> = (1..=REGISTERS as u8)
        .filter_map(|c| {
            (0..n)
                .filter(|&p| colours[p] == c)
                .map(|p| work.price(p))
                .min_by(f64::total_cmp)
                .map(|price| (price, c))
        })
        .collect();
    classes.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let renumber = |c: u8| {
        classes
            .iter()
            .position(|&(_, k)| k == c)
            .map_or(0, |i| i as u8 + 1)
    };
    colours
        .iter()
        .map(|&c| if c == 0 { 0 } else { renumber(c) })
        .collect()
}

/// A day profile: the register of each hour.
type Profile = [u8; HOURS];

/// Runs of one register in a profile, as (start hour, length, register).
fn runs(profile: &Profile) -> Vec<(usize, usize, u8)> {
    let mut out: Vec<(usize, usize, u8)> = Vec::new();
    for (h, &r) in profile.iter().enumerate() {
        match out.last_mut() {
            Some(last) if last.2 == r => last.1 += 1,
            _ => out.push((h, 1, r)),
        }
    }
    out
}

/// Step 2: at most 4 runs a day, by giving the shortest run to its neighbour nearest in price.
fn fit_switches(
    profile: &mut Profile,
    month: usize,
    day: DayType,
    price_of: impl Fn(u8) -> Option<f64>,
    work: &mut Work,
) {
    let before = *profile;
    while runs(profile).len() > PERIODS_PER_SCHEDULE {
        let rs = runs(profile);
        let (i, &(start, len, register)) = rs
            .iter()
            .enumerate()
            .min_by_key(|(i, r)| (r.1, *i))
            .expect("runs");
        let distance = |j: usize| {
            let (Some(a), Some(b)) = (price_of(register), price_of(rs[j].2)) else {
                return f64::INFINITY;
            };
            (a - b).abs()
        };
        let neighbour = match (i.checked_sub(1), (i + 1 < rs.len()).then_some(i + 1)) {
            (Some(a), Some(b)) => {
                if distance(b) < distance(a) {
                    b
                } else {
                    a
                }
            }
            (Some(a), None) => a,
            (None, Some(b)) => b,
            (None, None) => unreachable!("more than 4 runs"),
        };
        for cell in &mut profile[start..start + len] {
            *cell = rs[neighbour].2;
        }
    }
    let changed = before
        .iter()
        .zip(profile.iter())
        .filter(|(a, b)| a != b)
        .count();
    if changed > 0 {
        work.approximations.push(Approximation {
            what: ApproximationKind::TooManySwitches {
                month: month as u8 + 1,
                day,
            },
            message: format!(
                "{} {}s switch tariff {} times and the meter's schedules 4: the shortest runs \
                 follow their neighbours, {changed} hours a day",
                MONTH_NAMES[month],
                match day {
                    DayType::Weekday => "weekday",
                    DayType::Weekend => "weekend day",
                },
                runs(&before).len()
            ),
            hours_per_year: work.hours(month, day, changed),
        });
    }
}

fn differing(a: &Profile, b: &Profile) -> usize {
    a.iter().zip(b).filter(|(x, y)| x != y).count()
}

/// Makes the program for `tariff`. `options.year` must be one of [`YEARS`] ([`check_year`]).
pub fn translate(tariff: &Tariff, options: Options) -> RateImport {
    assert!(YEARS.contains(&options.year), "a checked year");
    let holiday_dates: Vec<(NaiveDate, &str)> = options
        .holidays
        .map(|set| set.dates(options.year))
        .unwrap_or_default();
    let holiday_dates: Vec<(NaiveDate, &str)> = holiday_dates.into_iter().take(HOLIDAYS).collect();
    let holidays_only: Vec<NaiveDate> = holiday_dates.iter().map(|(d, _)| *d).collect();
    let mut work = Work {
        tariff,
        periods: [tariff.weekday, tariff.weekend],
        counts: DayCounts::of(options.year, &holidays_only),
        approximations: Vec::new(),
    };

    let tiered: Vec<usize> = (0..tariff.periods.len())
        .filter(|&p| tariff.periods[p].len() > 1)
        .collect();
    if !tiered.is_empty() {
        work.approximations.push(Approximation {
            message: format!(
                "period{} {} ha{} tiers; the meter counts kWh per register only, so the cost \
                 estimate uses the first tier",
                if tiered.len() == 1 { "" } else { "s" },
                tiered
                    .iter()
                    .map(usize::to_string)
                    .collect::<Vec<_>>()
                    .join(", "),
                if tiered.len() == 1 { "s" } else { "ve" }
            ),
            what: ApproximationKind::Tiers { periods: tiered },
            hours_per_year: 0,
        });
    }

    // 1. Registers.
    let registers = assign_registers(&mut work);
    // Which period each register holds in each month: one, unless no colouring existed.
    let mut holder = [[None::<usize>; REGISTERS + 1]; MONTHS];
    for (month, holds) in holder.iter_mut().enumerate() {
        let mut shared = Vec::new();
        for p in work.periods_in(month) {
            let r = usize::from(registers[p]);
            match holds[r] {
                None => holds[r] = Some(p),
                Some(_) => shared.push(p),
            }
        }
        if !shared.is_empty() {
            let hours = [DayType::Weekday, DayType::Weekend]
                .iter()
                .map(|&t| {
                    let cells = work.periods[t as usize][month]
                        .iter()
                        .filter(|p| shared.contains(p))
                        .count();
                    work.hours(month, t, cells)
                })
                .sum();
            work.approximations.push(Approximation {
                what: ApproximationKind::TooManyRegisters {
                    month: month as u8 + 1,
                },
                message: format!(
                    "the rate's periods follow each other across the year so that 4 registers \
                     cannot keep them apart: in {} period{} {} share{} a register with another",
                    MONTH_NAMES[month],
                    if shared.len() == 1 { "" } else { "s" },
                    shared
                        .iter()
                        .map(usize::to_string)
                        .collect::<Vec<_>>()
                        .join(", "),
                    if shared.len() == 1 { "s" } else { "" },
                ),
                hours_per_year: hours,
            });
        }
    }
    let price_in = |month: usize, register: u8| {
        holder[month][usize::from(register)].map(|p| tariff.first_tier_price(p))
    };

    let mut profiles: [[Profile; MONTHS]; 2] = [[[0; HOURS]; MONTHS]; 2];
    for (t, by_month) in profiles.iter_mut().enumerate() {
        for (month, profile) in by_month.iter_mut().enumerate() {
            for (h, cell) in profile.iter_mut().enumerate() {
                *cell = registers[work.periods[t][month][h]];
            }
        }
    }

    // 2. Switches.
    for (t, day) in [(0, DayType::Weekday), (1, DayType::Weekend)] {
        for month in 0..MONTHS {
            let mut profile = profiles[t][month];
            fit_switches(&mut profile, month, day, |r| price_in(month, r), &mut work);
            profiles[t][month] = profile;
        }
    }

    // 3. One weekend profile: the one of most weekend days.
    let weekend = {
        let mut candidates: Vec<(Profile, u32)> = Vec::new();
        for month in 0..MONTHS {
            let days = work.counts.get(month, DayType::Weekend);
            match candidates
                .iter_mut()
                .find(|(p, _)| *p == profiles[1][month])
            {
                Some(c) => c.1 += days,
                None => candidates.push((profiles[1][month], days)),
            }
        }
        let chosen = candidates
            .iter()
            .enumerate()
            .max_by_key(|(i, c)| (c.1, std::cmp::Reverse(*i)))
            .map(|(_, c)| c.0)
            .expect("twelve months");
        let others: Vec<u8> = (0..MONTHS)
            .filter(|&m| profiles[1][m] != chosen)
            .map(|m| m as u8 + 1)
            .collect();
        if !others.is_empty() {
            let hours = others
                .iter()
                .map(|&m| {
                    let m = usize::from(m) - 1;
                    work.hours(m, DayType::Weekend, differing(&profiles[1][m], &chosen))
                })
                .sum();
            work.approximations.push(Approximation {
                message: format!(
                    "the weekend profile differs by month and the meter has one weekend \
                     schedule: weekends in {} follow the profile of the other months",
                    month_list(&others)
                ),
                what: ApproximationKind::WeekendByMonth { months: others },
                hours_per_year: hours,
            });
        }
        chosen
    };

    // 4. Seasons: circular runs of months with one weekday profile.
    let mut month_profile: [Profile; MONTHS] = profiles[0];
    let season_runs = loop {
        let runs = circular_runs(&month_profile);
        if runs.len() <= SEASONS {
            break runs;
        }
        // The shortest run (fewest weekdays) joins the neighbour whose profile is closest.
        let weekdays = |run: &[usize]| -> u32 {
            run.iter()
                .map(|&m| work.counts.get(m, DayType::Weekday))
                .sum()
        };
        let i = (0..runs.len())
            .min_by_key(|&i| (weekdays(&runs[i]), i))
            .expect("runs");
        let (prev, next) = ((i + runs.len() - 1) % runs.len(), (i + 1) % runs.len());
        let profile = month_profile[runs[i][0]];
        let to = if differing(&profile, &month_profile[runs[next][0]])
            < differing(&profile, &month_profile[runs[prev][0]])
        {
            month_profile[runs[next][0]]
        } else {
            month_profile[runs[prev][0]]
        };
        let hours = runs[i]
            .iter()
            .map(|&m| work.hours(m, DayType::Weekday, differing(&month_profile[m], &to)))
            .sum();
        let months: Vec<u8> = runs[i].iter().map(|&m| m as u8 + 1).collect();
        for &m in &runs[i] {
            month_profile[m] = to;
        }
        work.approximations.push(Approximation {
            message: format!(
                "the weekday profile changes more often in the year than the meter's 4 seasons \
                 allow: weekdays in {} follow the neighbouring months' profile",
                month_list(&months)
            ),
            what: ApproximationKind::TooManySeasons { months },
            hours_per_year: hours,
        });
    };

    // 5. Schedules.
    let mut schedule_profiles: Vec<Profile> = Vec::new();
    let mut schedule_of = |profile: Profile| -> u8 {
        match schedule_profiles.iter().position(|p| *p == profile) {
            Some(i) => i as u8 + 1,
            None => {
                schedule_profiles.push(profile);
                schedule_profiles.len() as u8
            }
        }
    };
    // In calendar order, so schedule 1 is January's weekdays (and the plain weekday schedule
    // when there is a single run).
    let mut ordered_runs = season_runs.clone();
    ordered_runs.sort_by_key(|run| *run.iter().min().expect("a month"));
    let mut seasons: Vec<Season> = ordered_runs
        .iter()
        .map(|run| Season {
            month: run[0] as u8 + 1,
            day: 1,
            schedule: schedule_of(month_profile[run[0]]),
        })
        .collect();
    let weekend_schedule = schedule_of(weekend);
    debug_assert!(schedule_profiles.len() <= usize::from(SCHEDULES));
    seasons.sort_by_key(|s| (s.month, s.day));

    let mut schedules = vec![[Period::UNUSED; PERIODS_PER_SCHEDULE]; usize::from(SCHEDULES)];
    for (i, profile) in schedule_profiles.iter().enumerate() {
        for (j, (start, _, register)) in runs(profile).into_iter().enumerate() {
            schedules[i][j] = Period {
                hour: start as u8,
                minute: 0,
                tariff: register.max(1),
            };
        }
    }
    // The unused schedules as a new program has them: T1 all day.
    for schedule in schedules.iter_mut().skip(schedule_profiles.len()) {
        schedule[0] = Period {
            hour: 0,
            minute: 0,
            tariff: 1,
        };
    }
    let mut holidays = vec![Holiday::UNUSED; HOLIDAYS];
    for (slot, (date, _)) in holidays.iter_mut().zip(&holiday_dates) {
        *slot = Holiday {
            month: date.month() as u8,
            day: date.day() as u8,
        };
    }
    let program = TouProgram {
        schedules,
        holidays,
        weekend_schedule,
        holiday_schedule: weekend_schedule,
        seasons: (season_runs.len() > 1).then(|| {
            let mut all = [Season::UNUSED; SEASONS];
            all[..seasons.len()].copy_from_slice(&seasons);
            all
        }),
    };

    // The year counted through the meter's own calendar, against the rate.
    let exact_at = |month: usize, original: usize, register: u8| {
        register != 0
            && registers[original] == register
            && holder[month][usize::from(register)] == Some(original)
    };
    let mut hours_differing = 0;
    let mut hours_in_year = 0;
    for date in days_of(options.year) {
        let month = date.month0() as usize;
        let t = day_type(date, &holidays_only) as usize;
        for hour in 0..HOURS {
            hours_in_year += 1;
            let original = [tariff.weekday, tariff.weekend][t][month][hour];
            let register = calendar::tariff_at(&program, date, hour as u8, 0);
            if !exact_at(month, original, register) {
                hours_differing += 1;
            }
        }
    }
    let grids = |t: usize| {
        // A typical day of the type in each month: its first one in the year that is not a
        // holiday (or, for weekends, its first Saturday).
        let mut g = Grids {
            rate: [[0; HOURS]; MONTHS],
            meter: [[0; HOURS]; MONTHS],
            exact: [[false; HOURS]; MONTHS],
        };
        for month in 0..MONTHS {
            let date = days_of(options.year)
                .filter(|d| d.month0() as usize == month && !holidays_only.contains(d))
                .find(|d| (day_type(*d, &[]) as usize) == t)
                .expect("every month has weekdays and weekends");
            for hour in 0..HOURS {
                let original = [tariff.weekday, tariff.weekend][t][month][hour];
                let register = calendar::tariff_at(&program, date, hour as u8, 0);
                g.rate[month][hour] = registers[original];
                g.meter[month][hour] = register;
                g.exact[month][hour] = exact_at(month, original, register);
            }
        }
        g
    };
    let (weekday, weekend) = (grids(0), grids(1));
    let mut prices = [[None; REGISTERS]; MONTHS];
    for (month, row) in prices.iter_mut().enumerate() {
        for (r, price) in row.iter_mut().enumerate() {
            *price = price_in(month, r as u8 + 1);
        }
    }
    RateImport {
        name: tariff.name.clone(),
        utility: tariff.utility.clone(),
        program,
        registers,
        prices,
        weekday,
        weekend,
        approximations: work.approximations,
        hours_differing,
        hours_in_year,
        year: options.year,
        holidays: holiday_dates
            .iter()
            .map(|(d, name)| (d.month() as u8, d.day() as u8, (*name).to_owned()))
            .collect(),
    }
}

/// Runs of consecutive months with one profile, December joined to January when they match;
/// each run lists its months in calendar order from its start.
fn circular_runs(profiles: &[Profile; MONTHS]) -> Vec<Vec<usize>> {
    let mut runs: Vec<Vec<usize>> = Vec::new();
    for m in 0..MONTHS {
        match runs.last_mut() {
            Some(run) if profiles[run[0]] == profiles[m] => run.push(m),
            _ => runs.push(vec![m]),
        }
    }
    if runs.len() > 1 && profiles[0] == profiles[MONTHS - 1] {
        let first = runs.remove(0);
        runs.last_mut().expect("another run").extend(first);
    }
    runs
}

impl RateImport {
    /// The report for a terminal: whether the meter holds the rate exactly, each approximation
    /// with its hours, and the month-by-hour weekday grids of the rate and the meter, with the
    /// differing cells marked.
    pub fn report_text(&self) -> String {
        use std::fmt::Write;
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{}{}",
            self.name,
            self.utility
                .as_ref()
                .map(|u| format!(" ({u})"))
                .unwrap_or_default()
        );
        let registers: Vec<String> = self
            .registers
            .iter()
            .enumerate()
            .map(|(p, &r)| match r {
                0 => format!("period {p} → none"),
                r => format!("period {p} → T{r}"),
            })
            .collect();
        let _ = writeln!(out, "Registers: {}", registers.join(", "));
        if self.approximations.is_empty() {
            let _ = writeln!(out, "The meter holds this rate exactly.");
        } else {
            let _ = writeln!(
                out,
                "The meter cannot hold this rate exactly: its tariff differs from the rate in \
                 {} of the {} hours of {} ({:.1}%).",
                self.hours_differing,
                self.hours_in_year,
                self.year,
                100.0 * f64::from(self.hours_differing) / f64::from(self.hours_in_year)
            );
            for a in &self.approximations {
                let _ = writeln!(out, "  - {} ({} h/year)", a.message, a.hours_per_year);
            }
        }
        for (title, grids) in [("Weekdays", &self.weekday), ("Weekends", &self.weekend)] {
            let _ = writeln!(
                out,
                "\n{title}, hour 0 to 23: the rate's register, then the meter's (* = differs; \
                 0 = a period with no register)"
            );
            for m in 0..MONTHS {
                let cells = |g: &Grid| g[m].iter().map(|r| r.to_string()).collect::<String>();
                let marks: String = grids.exact[m]
                    .iter()
                    .map(|&e| if e { ' ' } else { '*' })
                    .collect();
                let _ = writeln!(
                    out,
                    "  {:<3} {}  {}",
                    &MONTH_NAMES[m][..3],
                    cells(&grids.rate),
                    cells(&grids.meter)
                );
                if marks.contains('*') {
                    let _ = writeln!(out, "      {}  {marks}", " ".repeat(HOURS));
                }
            }
        }
        if !self.holidays.is_empty() {
            let days: Vec<String> = self
                .holidays
                .iter()
                .map(|(m, d, name)| format!("{}/{} {name}", m, d))
                .collect();
            let _ = writeln!(
                out,
                "\nHolidays (the weekend schedule): {}",
                days.join("; ")
            );
        }
        out
    }
}
