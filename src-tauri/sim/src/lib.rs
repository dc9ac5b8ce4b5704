//! `push3-sim`: a local stand-in for EKM's Push3 cloud, its response push stream and the
//! Omnimeters behind a gateway, for tests and for the app's demo gateway.
//!
//! It behaves as the seed and `push3-settings-api.md` describe, rough edges included (§5.1):
//! 400 `{"error"}` on bad input (validated by the core crate `push3`, the one source of truth),
//! 32-hex `msg_id`s, one `response_…` channel per key, `.bN` backtrack on `/sub/` and `/ws/`,
//! pings, answers after a delay and out of order, `success:false` for what a meter refuses, and an
//! offline gateway that runs its queue late.
//!
//! ASSUMPTION (G25-G29): the params of SetSchedule, SetHolidayDates and SetSeasonSchedules and the
//! `data` of GetSchedules and GetTariffData are undocumented. Their shapes are defined once, in
//! `push3::undocumented`; the simulator parses and serializes with those types (`meter::payload`)
//! and never restates them.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use push3_sim::{SimConfig, Simulator, DEMO_KEY};
//! let sim = Simulator::start(SimConfig::demo())?;
//! println!("POST {}/sendCommand?key={DEMO_KEY}", sim.api_url());
//! sim.shutdown().await;
//! # Ok(()) }
//! ```

mod config;
mod demo;
mod faults;
mod gateway;
mod ids;
mod meter;
mod requests;
mod server;
mod simulator;
mod stream;

pub use config::{Framing, GatewayConfig, MeterConfig, PayloadLayout, SimConfig, FACTORY_PASSWORD};
pub use demo::{demo_gateway, DEMO_KEY, DEMO_SERVICE_TIME, DEMO_TENANT_PASSWORD};
pub use faults::{Faults, SendFailure};
pub use ids::{new_msg_id, new_response_channel_id};
pub use meter::{MeterState, RelayState};
/// The value types inside [`MeterState`], re-exported from the core so tests need one import.
pub use push3::command::RelayStatus;
pub use push3::undocumented::{Holiday, MonthKwh, Period, Season};
pub use requests::ReceivedRequest;
pub use simulator::Simulator;
