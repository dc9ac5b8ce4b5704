//! Values of the TOU program's parts for property tests: valid ones, with unused slots among
//! them, as the meter and the editors produce them.

// Each test file uses a subset of these.
#![allow(dead_code)]

use proptest::prelude::*;
use push3::undocumented::{Holiday, Period, Season};

pub fn period() -> impl Strategy<Value = Period> {
    prop_oneof![
        Just(Period::UNUSED),
        (0u8..24, 0u8..60, 1u8..=4).prop_map(|(hour, minute, tariff)| Period {
            hour,
            minute,
            tariff
        }),
    ]
}

/// A month and a day that exists in it in every year.
pub fn month_day() -> impl Strategy<Value = (u8, u8)> {
    (1u8..=12, 1u8..=28)
}

pub fn holiday() -> impl Strategy<Value = Holiday> {
    prop_oneof![
        Just(Holiday::UNUSED),
        month_day().prop_map(|(month, day)| Holiday { month, day }),
    ]
}

pub fn season() -> impl Strategy<Value = Season> {
    prop_oneof![
        Just(Season::UNUSED),
        (month_day(), 1u8..=6).prop_map(|((month, day), schedule)| Season {
            month,
            day,
            schedule
        }),
    ]
}
