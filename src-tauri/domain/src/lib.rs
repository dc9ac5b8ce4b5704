//! Push3 Desk's domain, under both the app's Tauri commands and the `push3` CLI, knowing nothing
//! of Tauri:
//! - what it means to send a command on record ([`Records::send_on_record`]), which the app, `push3
//!   send` and `push3 apply` all call;
//! - the app's state and operations ([`desk::Desk`]): gateways and meters with the demo gateway,
//!   sending, programs, fleet jobs and history; the Tauri commands are one-line forwards onto it;
//! - the one error that crosses IPC ([`IpcError`]);
//! - the one interface to everything kept ([`store::Store`]), and how the app hears of changes
//!   other processes make to it ([`StoreWatcher`]).

mod app_info;
pub mod connection;
pub mod desk;
pub mod error;
pub mod exported;
pub mod preferences;
pub mod rates;
mod records;
pub mod store;
#[cfg(test)]
mod test_keychain;
pub mod ui_errors;
pub mod updates;
pub mod zoom;

pub use app_info::AppInfo;
pub use error::{ErrorCode, IpcError};
pub use records::{Learning, Records, Unsent};
pub use store::watch::{StoreChange, StoreWatcher, POLL_INTERVAL};
