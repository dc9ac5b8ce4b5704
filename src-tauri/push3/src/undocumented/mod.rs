//! ASSUMPTION — the one adapter for shapes EKM does not document.
//!
//! The seed lists SetHolidayDates, SetSchedule, GetSchedules and GetTariffData without their
//! parameters or payloads, and seasons have no API command at all. Everything guessed about those
//! shapes lives here, so a correction from a live gateway touches this module only:
//!
//! * [`tou`]: the params of SetSchedule (G26), SetHolidayDates (G25, candidate 1 of §2.12) and the
//!   experimental SetSeasonSchedules (G27), and the values inside them.
//! * [`payloads`]: the `data` of GetSchedules and GetTariffData (G29), parsed tolerantly.
//! * [`flat`]: GetSchedules' `data` in the meter's flat layout (`Schedule_1_Period_1_Hour`, …),
//!   in either numbering.
//! * [`profile`]: the wire profiles that put the Set… params of [`tou`] into a gateway's shape:
//!   data, two built in, more loadable from a file.
//!
//! The simulator serializes [`SchedulesData`] and [`TariffData`] from its state and the client
//! parses them with the same types.

pub mod flat;
pub mod payloads;
pub mod profile;
pub mod tou;

pub use payloads::{MonthKwh, Schedule, SchedulesData, TariffData};
pub use profile::WireProfile;
pub use tou::{Holiday, Period, Season};
