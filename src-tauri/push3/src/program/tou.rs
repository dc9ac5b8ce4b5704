//! A whole time-of-use program (6 schedules × 4 periods, 20 holidays, weekend and holiday
//! schedules, optional seasons), how it reads back from GetSchedules, and how two compare.

use crate::limits::{HOLIDAYS, PERIODS_PER_SCHEDULE, SCHEDULES};
use crate::undocumented::{flat, Holiday, Period, SchedulesData, Season};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use ts_rs::TS;

/// Every TOU value of a meter. `schedules[n - 1]` is schedule n; `seasons` is `None` when the
/// program does not manage seasons (they are experimental, G27).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TouProgram {
    // Plain arrays in TypeScript: the editors build them from the limits table, and Rust
    // checks every length when it reads a program.
    #[ts(as = "Vec<Vec<Period>>")]
    pub schedules: Vec<[Period; PERIODS_PER_SCHEDULE]>,
    pub holidays: Vec<Holiday>,
    pub weekend_schedule: u8,
    pub holiday_schedule: u8,
    #[ts(as = "Option<Vec<Season>>")]
    pub seasons: Option<[Season; crate::limits::SEASONS]>,
}

/// GetSchedules' `data` as far as its shape is known (ASSUMPTION G29). `program` is `None` when
/// the payload does not have the assumed shape; `extra` keeps every key not understood.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct SchedulesReading {
    pub program: Option<TouProgram>,
    pub extra: Map<String, Value>,
}

/// One value that is not what it should be, for people and for the UI to mark the field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Difference {
    /// Program path: `schedules[1][2]`, `holidays[3]`, `weekend_schedule`, `seasons[0]`.
    pub path: String,
    pub label: String,
    pub expected: String,
    pub actual: String,
}

impl TouProgram {
    /// The program as [`super::plan`], a TOU template and the Time of use editor hold it:
    /// `{"kind": "tou", "tou": …}`.
    pub fn to_program(&self) -> Value {
        serde_json::json!({ "kind": "tou", "tou": self })
    }

    /// Reads GetSchedules' `data`, in the nested layout we guessed ([`SchedulesData`]) or the
    /// meter's flat one ([`flat`], numbered from 1 or 0). Never fails: what fits neither is
    /// returned raw in `extra`, so an unexpected payload is shown, not refused.
    pub fn from_reading(data: &Value) -> SchedulesReading {
        if let Some(flat) = data.as_object().filter(|d| flat::is_flat(d)) {
            return match flat::schedules_from_flat(flat)
                .and_then(|(parsed, _)| Some((Self::from_schedules_data(&parsed)?, parsed.extra)))
            {
                Some((program, extra)) => SchedulesReading {
                    program: Some(program),
                    extra,
                },
                None => SchedulesReading {
                    program: None,
                    extra: flat.clone(),
                },
            };
        }
        let Ok(parsed) = SchedulesData::from_data(data) else {
            let mut extra = Map::new();
            extra.insert("data".into(), data.clone());
            return SchedulesReading {
                program: None,
                extra,
            };
        };
        match Self::from_schedules_data(&parsed) {
            Some(program) => SchedulesReading {
                program: Some(program),
                extra: parsed.extra,
            },
            None => SchedulesReading {
                program: None,
                extra: data.as_object().cloned().unwrap_or_default(),
            },
        }
    }

    fn from_schedules_data(data: &SchedulesData) -> Option<Self> {
        if data.schedules.len() != usize::from(SCHEDULES) || data.holiday_dates.len() > HOLIDAYS {
            return None;
        }
        // A schedule numbered 0 means the gateway counts from 0 (§9): then every schedule
        // number in the reading does, as the flat layout's do.
        let from_zero = data.schedules.iter().any(|s| s.schedule == 0);
        let ours = |n: u8| if from_zero { n.checked_add(1) } else { Some(n) };
        let mut schedules = vec![[Period::UNUSED; PERIODS_PER_SCHEDULE]; data.schedules.len()];
        for schedule in &data.schedules {
            let slot = usize::from(ours(schedule.schedule)?).checked_sub(1)?;
            *schedules.get_mut(slot)? = schedule.periods.clone().try_into().ok()?;
        }
        let seasons = match data.seasons.len() {
            0 => None,
            _ => {
                let seasons = data
                    .seasons
                    .iter()
                    .map(|s| match *s == Season::UNUSED {
                        true => Some(*s),
                        false => Some(Season {
                            schedule: ours(s.schedule)?,
                            ..*s
                        }),
                    })
                    .collect::<Option<Vec<_>>>()?;
                Some(seasons.try_into().ok()?)
            }
        };
        let program = Self {
            schedules,
            holidays: padded_holidays(&data.holiday_dates),
            weekend_schedule: ours(data.weekend_schedule)?,
            holiday_schedule: ours(data.holiday_schedule)?,
            seasons,
        };
        program.is_valid().then_some(program)
    }

    fn is_valid(&self) -> bool {
        let schedule_number = |n: u8| (1..=SCHEDULES).contains(&n);
        self.schedules.iter().flatten().all(|p| p.check().is_ok())
            && self.holidays.iter().all(|h| h.check().is_ok())
            && self.seasons.iter().flatten().all(|s| s.check().is_ok())
            && schedule_number(self.weekend_schedule)
            && schedule_number(self.holiday_schedule)
    }

    /// What differs between what should be (`self`) and what is (`actual`). Seasons are compared
    /// only when `self` manages them.
    pub fn differences(&self, actual: &TouProgram) -> Vec<Difference> {
        let mut out = Vec::new();
        for (s, (want, have)) in self.schedules.iter().zip(&actual.schedules).enumerate() {
            for (p, (want, have)) in want.iter().zip(have).enumerate() {
                if want != have {
                    out.push(Difference {
                        path: format!("schedules[{s}][{p}]"),
                        label: format!("Schedule {}, period {}", s + 1, p + 1),
                        expected: show_period(want),
                        actual: show_period(have),
                    });
                }
            }
        }
        let have_holidays = padded_holidays(&actual.holidays);
        for (k, (want, have)) in padded_holidays(&self.holidays)
            .iter()
            .zip(&have_holidays)
            .enumerate()
        {
            if want != have {
                out.push(Difference {
                    path: format!("holidays[{k}]"),
                    label: format!("Holiday slot {}", k + 1),
                    expected: show_holiday(want),
                    actual: show_holiday(have),
                });
            }
        }
        let mut number = |path: &str, label: &str, want: u8, have: u8| {
            if want != have {
                out.push(Difference {
                    path: path.into(),
                    label: label.into(),
                    expected: format!("schedule {want}"),
                    actual: format!("schedule {have}"),
                });
            }
        };
        number(
            "weekend_schedule",
            "Weekend schedule",
            self.weekend_schedule,
            actual.weekend_schedule,
        );
        number(
            "holiday_schedule",
            "Holiday schedule",
            self.holiday_schedule,
            actual.holiday_schedule,
        );
        if let Some(want) = &self.seasons {
            for (i, want) in want.iter().enumerate() {
                let have = actual.seasons.as_ref().map(|s| s[i]);
                if have != Some(*want) {
                    out.push(Difference {
                        path: format!("seasons[{i}]"),
                        label: format!("Season {}", i + 1),
                        expected: show_season(want),
                        actual: have.map_or("not read back".into(), |s| show_season(&s)),
                    });
                }
            }
        }
        out
    }
}

/// The holiday table always has 20 slots; a shorter list means the rest are unused.
pub(crate) fn padded_holidays(holidays: &[Holiday]) -> Vec<Holiday> {
    let mut all = holidays.to_vec();
    all.resize(HOLIDAYS.max(holidays.len()), Holiday::UNUSED);
    all
}

pub(crate) fn show_period(p: &Period) -> String {
    if *p == Period::UNUSED {
        return "unused".into();
    }
    format!("{:02}:{:02} T{}", p.hour, p.minute, p.tariff)
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

pub(crate) fn show_holiday(h: &Holiday) -> String {
    if *h == Holiday::UNUSED {
        return "unused".into();
    }
    show_month_day(h.month, h.day)
}

pub(crate) fn show_season(s: &Season) -> String {
    if *s == Season::UNUSED {
        return "unused".into();
    }
    format!(
        "from {} schedule {}",
        show_month_day(s.month, s.day),
        s.schedule
    )
}

fn show_month_day(month: u8, day: u8) -> String {
    match MONTHS.get(usize::from(month).wrapping_sub(1)) {
        Some(name) => format!("{day} {name}"),
        None => format!("{month}/{day}"),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use serde_json::json;

    pub(crate) fn sample() -> TouProgram {
        let mut schedules = vec![[Period::UNUSED; 4]; 6];
        for (i, s) in schedules.iter_mut().enumerate() {
            s[0] = Period {
                hour: 0,
                minute: 0,
                tariff: 1,
            };
            s[1] = Period {
                hour: 7 + i as u8,
                minute: 30,
                tariff: 2,
            };
        }
        let mut holidays = vec![Holiday::UNUSED; 20];
        holidays[0] = Holiday { month: 1, day: 1 };
        holidays[1] = Holiday { month: 12, day: 25 };
        TouProgram {
            schedules,
            holidays,
            weekend_schedule: 2,
            holiday_schedule: 3,
            seasons: None,
        }
    }

    fn as_reading(p: &TouProgram) -> Value {
        json!({
            "schedules": p.schedules.iter().enumerate()
                .map(|(i, periods)| json!({"schedule": i + 1, "periods": periods}))
                .collect::<Vec<_>>(),
            "holiday_dates": p.holidays,
            "weekend_schedule": p.weekend_schedule,
            "holiday_schedule": p.holiday_schedule,
            "seasons": p.seasons.map(|s| s.to_vec()).unwrap_or_default(),
        })
    }

    #[test]
    fn a_reading_of_the_assumed_shape_becomes_a_program_and_keeps_unknown_keys() {
        let program = sample();
        let mut data = as_reading(&program);
        data["Firmware"] = json!("45");
        let reading = TouProgram::from_reading(&data);
        assert_eq!(reading.program, Some(program));
        assert_eq!(reading.extra["Firmware"], "45");
    }

    #[test]
    fn schedules_may_come_in_any_order_and_holidays_short() {
        let program = sample();
        let mut data = as_reading(&program);
        data["schedules"].as_array_mut().unwrap().reverse();
        data["holiday_dates"].as_array_mut().unwrap().truncate(2);
        assert_eq!(TouProgram::from_reading(&data).program, Some(program));
    }

    #[test]
    fn a_nested_reading_numbered_from_0_is_read_as_from_1() {
        let program = sample();
        let mut data = as_reading(&program);
        for schedule in data["schedules"].as_array_mut().unwrap() {
            let n = schedule["schedule"].as_u64().unwrap();
            schedule["schedule"] = json!(n - 1);
        }
        for field in ["weekend_schedule", "holiday_schedule"] {
            data[field] = json!(data[field].as_u64().unwrap() - 1);
        }
        if let Some(seasons) = data["seasons"].as_array_mut() {
            for season in seasons.iter_mut().filter(|s| s["month"] != 0) {
                season["schedule"] = json!(season["schedule"].as_u64().unwrap() - 1);
            }
        }
        assert_eq!(TouProgram::from_reading(&data).program, Some(program));
    }

    #[test]
    fn another_shape_is_kept_raw_and_never_an_error() {
        let other = json!({"Schedule_1_Period_1_Hour": "07"});
        let reading = TouProgram::from_reading(&other);
        assert_eq!(reading.program, None);
        assert_eq!(reading.extra["Schedule_1_Period_1_Hour"], "07");
        let wrong_count = json!({"schedules": [{"schedule": 1, "periods": []}]});
        assert_eq!(TouProgram::from_reading(&wrong_count).program, None);
        let out_of_range = {
            let mut d = as_reading(&sample());
            d["weekend_schedule"] = json!(9);
            d
        };
        assert_eq!(TouProgram::from_reading(&out_of_range).program, None);
        let not_an_object = TouProgram::from_reading(&json!([1, 2]));
        assert_eq!(not_an_object.extra["data"], json!([1, 2]));
    }

    #[test]
    fn differences_name_each_value_in_words() {
        let want = sample();
        assert!(want.differences(&want).is_empty());
        let mut have = want.clone();
        have.schedules[1][2] = Period {
            hour: 19,
            minute: 0,
            tariff: 3,
        };
        have.holidays[1] = Holiday::UNUSED;
        have.weekend_schedule = 1;
        let diffs = want.differences(&have);
        assert_eq!(
            diffs,
            vec![
                Difference {
                    path: "schedules[1][2]".into(),
                    label: "Schedule 2, period 3".into(),
                    expected: "unused".into(),
                    actual: "19:00 T3".into(),
                },
                Difference {
                    path: "holidays[1]".into(),
                    label: "Holiday slot 2".into(),
                    expected: "25 Dec".into(),
                    actual: "unused".into(),
                },
                Difference {
                    path: "weekend_schedule".into(),
                    label: "Weekend schedule".into(),
                    expected: "schedule 2".into(),
                    actual: "schedule 1".into(),
                },
            ]
        );
    }

    #[test]
    fn seasons_are_compared_only_when_managed() {
        let mut want = sample();
        let have = sample();
        assert!(want.differences(&have).is_empty());
        want.seasons = Some(
            [Season {
                month: 6,
                day: 1,
                schedule: 2,
            }; 4],
        );
        let diffs = want.differences(&have);
        assert_eq!(diffs.len(), 4);
        assert_eq!(diffs[0].expected, "from 1 Jun schedule 2");
        assert_eq!(diffs[0].actual, "not read back");
    }
}
