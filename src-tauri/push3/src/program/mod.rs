//! Meter programs: the whole of what an editor (or a template) wants a meter to hold, and the
//! plan of commands that takes a meter there from what is known of it.
//!
//! A program arrives as JSON from the UI or a file. It is checked by the one validator,
//! [`crate::command::parse`], command by command, and an error names the program path of the
//! bad value (`schedules[1][2].tariff`, `pulse_input_ratios[0]`), so the UI can show it next to
//! the field. Only the parts that differ from the [`KnownState`] are planned, unless forced.

pub mod calendar;
mod known;
mod labels;
mod plan;
mod slot_shift;
mod summary;
mod tou;

pub use known::{Known, KnownSource, KnownState};
pub use labels::path_label;
pub use plan::{plan, Plan, PlannedCommand};
pub use slot_shift::SlotShift;
pub use summary::summary;
pub use tou::{Difference, SchedulesReading, TouProgram};
