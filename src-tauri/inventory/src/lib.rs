//! Push3 Desk's inventory: the gateways and meters a facility manager works with, kept in the one
//! store (`push3-store`, a SQLite database in the app's data dir), with every secret (gateway
//! key, API token, meter password) in the OS keychain instead.
//!
//! This is the domain layer under the app's Tauri commands and the `push3` CLI; it knows nothing
//! of Tauri. What it returns to callers ([`Gateway`], [`Meter`]) carries at most a masked hint of
//! a secret; the secrets themselves leave it only through [`Inventory::credentials`] and
//! [`Inventory::meter_password`], for the Rust code that sends commands.

mod error;
mod inventory;
mod keychain;
mod known;
mod meters;
mod model;
mod pending_secrets;
mod profiles;
mod tables;
mod validation;

pub use error::{InventoryError, Result};
pub use inventory::Inventory;
pub use keychain::{
    keychain_error, Keychain, KeychainEntry, SystemKeychain, LOCKED_ADVICE, UNAVAILABLE_ADVICE,
};
pub use known::KnownStore;
pub use meters::DEFAULT_METER_PASSWORD;
pub use model::{
    Gateway, GatewayCredentials, GatewayEdit, GatewayId, Meter, MeterEdit, MeterFilter,
    MeterPasswordChange, NewGateway, NewMeter, DEFAULT_API_URL,
};
pub use profiles::LoadedProfile;
pub use tables::{default_data_dir, APP_IDENTIFIER};
pub use validation::{
    CREDENTIAL_MAX_CHARS, METER_PASSWORD_DIGITS, NAME_MAX_CHARS, NOTE_MAX_CHARS, TAG_MAX_CHARS,
};

// Re-exported so callers name one crate for the types in this API.
pub use push3::{MeterAddress, MeterVersion, Secret, ValidationError};
