//! Push3 Desk's domain, under both the app's Tauri commands and the `push3` CLI, knowing nothing
//! of Tauri: what it means to send a command on record ([`Records::send_on_record`]), and how the
//! app hears of changes other processes make to the store ([`StoreWatcher`]).
//!
//! The app's other domain code (`src-tauri/src/desk/`) is to move here too; until it has, this
//! crate holds the part both callers must share word for word.

mod records;
mod store_watch;

pub use records::{Learning, Records, Unsent};
pub use store_watch::{StoreWatcher, POLL_INTERVAL};
