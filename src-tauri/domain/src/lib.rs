//! Push3 Desk's domain, under both the app's Tauri commands and the `push3` CLI, knowing nothing
//! of Tauri: what it means to send a command on record ([`Records::send_on_record`]).
//!
//! The app's other domain code (`src-tauri/src/desk/`) is to move here too; until it has, this
//! crate holds the part both callers must share word for word.

mod records;

pub use records::{Learning, Records, Unsent};
