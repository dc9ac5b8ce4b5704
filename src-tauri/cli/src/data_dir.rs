//! Where the CLI finds the inventory, the audit log and the known settings: `--data-dir`,
//! `$PUSH3_DATA_DIR`, or the app's own data dir, so the CLI and the app share one list of
//! gateways and meters and one record of what was sent.

use crate::exit::Exit;
use push3_inventory::Inventory;
use std::path::PathBuf;

pub const DATA_DIR_VARIABLE: &str = "PUSH3_DATA_DIR";

/// `data_dir`, or the app's data dir when none was given. Nothing is read or created.
pub fn resolve(data_dir: Option<PathBuf>) -> Result<PathBuf, Exit> {
    match data_dir {
        Some(dir) => Ok(dir),
        None => Ok(push3_inventory::default_data_dir()?),
    }
}

/// The inventory in `data_dir` (see [`resolve`]). Nothing is read or created until the first
/// operation.
pub fn open_inventory(data_dir: Option<PathBuf>) -> Result<Inventory, Exit> {
    Ok(Inventory::open(resolve(data_dir)?))
}
