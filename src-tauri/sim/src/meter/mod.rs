//! Simulated Omnimeters: their state and how they run commands.

mod execute;
mod payload;
mod state;
mod tariff_history;

pub(crate) use execute::{execute, parse_meter_command, MeterCommand, RelayRevert};
pub use state::{MeterState, RelayState};
