//! The one interface to everything Push3 Desk keeps: gateways and meters, what is known of each
//! meter's settings, templates, the editors' unsent drafts, the audit log, and word of changes
//! made by other processes.
//!
//! The app ([`crate::desk::Desk`]), the one audited send ([`crate::Records`]) and the `push3`
//! CLI reach what is kept only through [`Store`], never through a file, a table or SQL. Today
//! the one implementation is [`LocalStore`]: the SQLite file in the data folder, with secrets in
//! the OS keychain. A later team mode may implement [`Store`] on a server database; nothing
//! above this module would change.
//!
//! The methods are blocking: a write may wait on another process's transaction or on an OS
//! keychain prompt, so async callers run them on the blocking pool.

pub mod drafts;
mod local;
pub mod rates;
mod templates;
pub mod watch;

use crate::error::IpcError;
use push3::program::KnownState;
use push3::undocumented::WireProfile;
use push3::{Command, MeterAddress, Outcome, Secret};
use push3_audit::{AuditError, Entry, EntryId, EntryPage, Filter, Finish, NewEntry, Page};
use push3_fleet::Template;
use push3_inventory::{
    Gateway, GatewayCredentials, GatewayEdit, GatewayId, InventoryError, LoadedProfile, Meter,
    MeterEdit, MeterFilter, NewGateway, NewMeter,
};
use push3_store::StoreError;
use std::io::Write;
use watch::StoreChange;

pub use drafts::{Draft, DraftPart};
pub use local::LocalStore;
pub use rates::RememberedRate;

type InventoryResult<T> = Result<T, InventoryError>;
type AuditResult<T> = Result<T, AuditError>;

/// Everything kept, by part. Each part fails on its own: a damaged audit log still lets the
/// user list meters, and stops every send.
pub trait Store: Send + Sync {
    fn inventory(&self) -> &dyn InventoryStore;
    /// The audit log, opened on first use (opening settles what crashed processes left
    /// pending). Without it nothing may be sent.
    fn audit(&self) -> AuditResult<&dyn AuditStore>;
    fn known(&self) -> &dyn KnownSettingsStore;
    fn templates(&self) -> &dyn TemplateStore;
    fn drafts(&self) -> &dyn DraftStore;
    /// The utility rate imported for each meter, for cost estimates.
    fn rates(&self) -> &dyn MeterRateStore;
    /// Calls `notify` after each change by any process, until it returns false. A new
    /// subscriber replaces the old one (a reloaded window subscribes again).
    fn subscribe(&self, notify: Box<dyn Fn(StoreChange) -> bool + Send>);
}

/// Gateways and meters, with their secrets. A secret is only ever written here and read back
/// for sending ([`InventoryStore::credentials`], [`InventoryStore::meter_password`]).
pub trait InventoryStore: Send + Sync {
    fn list_gateways(&self) -> InventoryResult<Vec<Gateway>>;
    fn gateway(&self, id: &GatewayId) -> InventoryResult<Gateway>;
    fn gateway_by_name(&self, name: &str) -> InventoryResult<Gateway>;
    fn add_gateway(&self, new: NewGateway) -> InventoryResult<Gateway>;
    fn edit_gateway(&self, id: &GatewayId, edit: GatewayEdit) -> InventoryResult<Gateway>;
    fn change_gateway_key(&self, id: &GatewayId, key: Secret) -> InventoryResult<Gateway>;
    fn set_gateway_token(&self, id: &GatewayId, token: Option<Secret>) -> InventoryResult<Gateway>;
    /// Removes the gateway with its meters, their secrets and what is known of them.
    fn remove_gateway(&self, id: &GatewayId) -> InventoryResult<()>;
    fn credentials(&self, id: &GatewayId) -> InventoryResult<GatewayCredentials>;
    fn list_meters(&self, filter: &MeterFilter) -> InventoryResult<Vec<Meter>>;
    fn meter(&self, address: &MeterAddress) -> InventoryResult<Meter>;
    fn add_meter(&self, new: NewMeter) -> InventoryResult<Meter>;
    fn edit_meter(&self, address: &MeterAddress, edit: MeterEdit) -> InventoryResult<Meter>;
    /// Removes the meter with its password and what is known of it.
    fn remove_meter(&self, address: &MeterAddress) -> InventoryResult<()>;
    /// `None` when the meter uses the factory default.
    fn meter_password(&self, address: &MeterAddress) -> InventoryResult<Option<Secret>>;
    /// The built-in wire profiles, then those loaded from files.
    fn wire_profiles(&self) -> InventoryResult<Vec<WireProfile>>;
    /// The profile with this id, built in or loaded.
    fn wire_profile(&self, id: &str) -> InventoryResult<WireProfile>;
    /// Checks a profile file and keeps it (replacing a loaded one of its id).
    fn load_wire_profile(&self, text: &str) -> InventoryResult<LoadedProfile>;
    /// Forgets a loaded profile no gateway speaks.
    fn remove_wire_profile(&self, id: &str) -> InventoryResult<()>;
}

/// Every command sent, in the order [`crate::Records::send_on_record`] writes it.
pub trait AuditStore: Send + Sync {
    /// Puts a command on record as pending, before it goes out.
    fn begin(&self, entry: NewEntry) -> AuditResult<EntryId>;
    /// The API accepted the command: its msg_id and response channel.
    fn accepted(&self, id: EntryId, msg_id: &str, channel: &str) -> AuditResult<()>;
    fn finish(&self, id: EntryId, finish: &Finish) -> AuditResult<()>;
    fn query(&self, filter: &Filter, page: &Page) -> AuditResult<EntryPage>;
    fn count(&self, filter: &Filter) -> AuditResult<u64>;
    /// Writes the matching entries as CSV; answers how many.
    fn export_csv(&self, filter: &Filter, out: &mut dyn Write) -> AuditResult<u64>;
    /// The newest command to `meter` that is not a read, when its fate is unknown: the meter
    /// is held back until someone looks.
    fn unanswered_write(&self, meter: &MeterAddress) -> AuditResult<Option<Entry>>;
}

/// What is known of each meter's settings. `persistent: false` is the demo gateway's, kept in
/// memory for this process only.
pub trait KnownSettingsStore: Send + Sync {
    /// What is known of the meter; nothing when that cannot be read (an unknown value costs a
    /// re-send, a wrong one would skip a needed command).
    fn get(&self, gateway_id: &str, meter: &MeterAddress, persistent: bool) -> KnownState;
    /// Folds in what the outcome of `command` says about the meter.
    fn record(
        &self,
        gateway_id: &str,
        meter: &MeterAddress,
        persistent: bool,
        command: &Command,
        outcome: &Outcome,
    ) -> Result<(), StoreError>;
}

/// Saved templates, by exact name. Each is checked when saved and again when read.
pub trait TemplateStore: Send + Sync {
    /// Every template that reads back whole, sorted by name ignoring case; one that does not is
    /// left out here and named with its problem when it is opened.
    fn list(&self) -> Result<Vec<Template>, IpcError>;
    fn get(&self, name: &str) -> Result<Template, IpcError>;
    /// Saves `template`, replacing one of the same name.
    fn put(&self, template: &Template) -> Result<(), IpcError>;
    fn remove(&self, name: &str) -> Result<(), IpcError>;
}

/// The editors' unsent drafts, one per meter and editor.
pub trait DraftStore: Send + Sync {
    /// Every draft, newest first.
    fn list(&self) -> Result<Vec<Draft>, StoreError>;
    /// Keeps `value` as the meter's draft for `part`, replacing the one before.
    fn put(
        &self,
        gateway_id: &str,
        meter: &MeterAddress,
        part: DraftPart,
        value: &serde_json::Value,
    ) -> Result<Draft, StoreError>;
    /// Forgets the draft; forgetting one that is not there is not an error.
    fn remove(
        &self,
        gateway_id: &str,
        meter: &MeterAddress,
        part: DraftPart,
    ) -> Result<(), StoreError>;
}

/// The utility rate imported for each meter.
pub trait MeterRateStore: Send + Sync {
    fn get(
        &self,
        gateway_id: &str,
        meter: &MeterAddress,
    ) -> Result<Option<RememberedRate>, StoreError>;
    /// Remembers `rate` for the meter, replacing the one before; answers it with its time.
    fn put(
        &self,
        gateway_id: &str,
        meter: &MeterAddress,
        rate: &RememberedRate,
    ) -> Result<RememberedRate, StoreError>;
}
