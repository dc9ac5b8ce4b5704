//! Where the CLI finds the store (inventory, audit log, known settings): `--data-dir`,
//! `$PUSH3_DATA_DIR`, or the app's own data dir, so the CLI and the app share one list of
//! gateways and meters and one record of what was sent.

use crate::exit::Exit;
use push3_domain::store::{LocalStore, Store};
use push3_domain::Records;
use std::path::PathBuf;
use std::sync::Arc;

pub const DATA_DIR_VARIABLE: &str = "PUSH3_DATA_DIR";

/// `data_dir`, or the app's data dir when none was given. Nothing is read or created.
pub fn resolve(data_dir: Option<PathBuf>) -> Result<PathBuf, Exit> {
    match data_dir {
        Some(dir) => Ok(dir),
        None => Ok(push3_inventory::default_data_dir()?),
    }
}

/// The store in `data_dir` (see [`resolve`]), the app's own. Nothing is read or created until
/// a part of it is first used.
pub fn open_store(data_dir: Option<PathBuf>) -> Result<Arc<dyn Store>, Exit> {
    Ok(Arc::new(LocalStore::open(&resolve(data_dir)?)))
}

/// The one audited send on `store`. Without an audit log nothing may be sent, the app's rule
/// too, so this refuses with exit 2.
pub fn open_records(store: &Arc<dyn Store>) -> Result<Records, Exit> {
    Records::new(Arc::clone(store), |warning| {
        eprintln!("push3: warning: {warning}")
    })
    .map_err(|e| {
        Exit::Refused(format!(
            "nothing was sent: every command goes on record first, and the audit log cannot \
             be opened: {}",
            e.message()
        ))
    })
}
