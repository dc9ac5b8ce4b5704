//! Where the CLI finds the inventory: `--data-dir`, `$PUSH3_DATA_DIR`, or the app's own data dir,
//! so the CLI and the app share one list of gateways and meters.

use crate::exit::Exit;
use push3_inventory::Inventory;
use std::path::PathBuf;

pub const DATA_DIR_VARIABLE: &str = "PUSH3_DATA_DIR";

/// The inventory in `data_dir`, or in the app's data dir when none was given. Nothing is read or
/// created until the first operation.
pub fn open_inventory(data_dir: Option<PathBuf>) -> Result<Inventory, Exit> {
    let dir = match data_dir {
        Some(dir) => dir,
        None => push3_inventory::default_data_dir()?,
    };
    Ok(Inventory::open(dir))
}
