//! Push3 Desk's domain, under both the app's Tauri commands and the `push3` CLI, knowing nothing
//! of Tauri:
//! - what it means to send a command on record ([`Records::send_on_record`]), which the app, `push3
//!   send` and `push3 apply` all call;
//! - the app's state and operations ([`desk::Desk`]): gateways and meters with the demo gateway,
//!   sending, programs, fleet jobs and history; the Tauri commands are one-line forwards onto it;
//! - the one error that crosses IPC ([`IpcError`]);
//! - how the app hears of changes other processes make to the store ([`StoreWatcher`]).

pub mod desk;
pub mod error;
mod records;
mod store_watch;

pub use error::{ErrorCode, IpcError};
pub use records::{Learning, Records, Unsent};
pub use store_watch::{StoreWatcher, POLL_INTERVAL};
