//! Where the CLI finds the store (inventory, audit log, known settings): `--data-dir`,
//! `$PUSH3_DATA_DIR`, or the app's own data dir, so the CLI and the app share one list of
//! gateways and meters and one record of what was sent.

use crate::exit::Exit;
use push3_domain::Records;
use push3_inventory::Inventory;
use std::path::Path;
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

/// The audit log and known settings every send goes on record in. Without an audit log nothing
/// may be sent, the app's rule too, so this refuses with exit 2.
pub fn open_records(data_dir: &Path) -> Result<Records, Exit> {
    Records::open(data_dir, |warning| eprintln!("push3: warning: {warning}")).map_err(|e| {
        Exit::Refused(format!(
            "nothing was sent: every command goes on record first, and the audit log cannot \
             be opened: {}",
            e.message()
        ))
    })
}
