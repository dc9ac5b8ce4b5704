//! A utility's time-of-use rate, as the OpenEI Utility Rate Database (URDB) publishes it, made
//! into a meter's time-of-use program in one step:
//!
//! - [`urdb`] reads one tariff record (or the first of an API answer's `items`), refusing a bad
//!   file with its first bad field;
//! - [`translate`] makes the program: registers for the rate's periods, schedules for its day
//!   profiles, seasons for its runs of months, the weekend and holiday schedules, and says what
//!   the meter cannot hold and by how many hours a year its tariff then differs from the rate;
//! - [`holidays`] computes holiday sets, such as the US federal holidays of a year;
//! - [`estimate`] prices a month's kWh per register with the rate, for a cost estimate.
//!
//! Tauri-free: the app and the `push3 rate import` command share it.

pub mod estimate;
pub mod holidays;
pub mod translate;
pub mod urdb;

pub use translate::{check_year, translate, Approximation, Grid, Options, RateImport, YEARS};
pub use urdb::{Tariff, UrdbError};
