//! [`LocalStore`]: the one SQLite file in the data folder (push3-store), with secrets in the OS
//! keychain. The parts are the crates that own their tables; this module only puts them behind
//! the [`Store`] interface.

use super::drafts::DraftShelf;
use super::rates::RateShelf;
use super::templates::TemplateShelf;
use super::watch::{StoreChange, StoreWatcher};
use super::{
    AuditResult, AuditStore, DraftStore, InventoryResult, InventoryStore, KnownSettingsStore,
    MeterRateStore, Store, TemplateStore,
};
use push3::program::KnownState;
use push3::undocumented::WireProfile;
use push3::{Command, MeterAddress, Outcome, Secret};
use push3_audit::{AuditLog, Entry, EntryId, EntryPage, Filter, Finish, NewEntry, Page};
use push3_inventory::{
    Gateway, GatewayCredentials, GatewayEdit, GatewayId, Inventory, Keychain, KnownStore,
    LoadedProfile, Meter, MeterEdit, MeterFilter, NewGateway, NewMeter, SystemKeychain,
};
use push3_store::StoreError;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

/// The store in one data folder. Nothing is opened until a part is first used, so `push3 meter
/// list` never opens the audit log.
pub struct LocalStore<K: Keychain = SystemKeychain> {
    path: PathBuf,
    inventory: Inventory<K>,
    audit: OnceLock<AuditLog>,
    /// Held while the audit log opens, so two first uses at once open it once.
    audit_opening: Mutex<()>,
    known: KnownStore,
    templates: TemplateShelf,
    drafts: DraftShelf,
    rates: RateShelf,
    watch: StoreWatcher,
}

impl LocalStore {
    /// The store in `data_dir`, with secrets in this build's keychain service
    /// ([`SystemKeychain::for_this_build`]).
    pub fn open(data_dir: &Path) -> Self {
        Self::with_keychain(data_dir, SystemKeychain::for_this_build())
    }
}

impl<K: Keychain> LocalStore<K> {
    pub fn with_keychain(data_dir: &Path, keychain: K) -> Self {
        let path = push3_store::path_in(data_dir);
        Self {
            inventory: Inventory::with_keychain(data_dir, keychain),
            audit: OnceLock::new(),
            audit_opening: Mutex::default(),
            known: KnownStore::open(data_dir),
            templates: TemplateShelf::at(&path),
            drafts: DraftShelf::at(&path),
            rates: RateShelf::at(&path),
            watch: StoreWatcher::new(&path),
            path,
        }
    }
}

impl<K: Keychain + 'static> Store for LocalStore<K> {
    fn inventory(&self) -> &dyn InventoryStore {
        &self.inventory
    }

    fn audit(&self) -> AuditResult<&dyn AuditStore> {
        if let Some(log) = self.audit.get() {
            return Ok(log);
        }
        let _opening = self.audit_opening.lock().expect("audit open lock");
        if let Some(log) = self.audit.get() {
            return Ok(log);
        }
        let log = AuditLog::open(&self.path)?;
        Ok(self.audit.get_or_init(|| log))
    }

    fn known(&self) -> &dyn KnownSettingsStore {
        &self.known
    }

    fn templates(&self) -> &dyn TemplateStore {
        &self.templates
    }

    fn rates(&self) -> &dyn MeterRateStore {
        &self.rates
    }

    fn drafts(&self) -> &dyn DraftStore {
        &self.drafts
    }

    fn subscribe(&self, notify: Box<dyn Fn(StoreChange) -> bool + Send>) {
        self.watch.subscribe(notify);
    }
}

impl<K: Keychain> InventoryStore for Inventory<K> {
    fn list_gateways(&self) -> InventoryResult<Vec<Gateway>> {
        Inventory::list_gateways(self)
    }
    fn gateway(&self, id: &GatewayId) -> InventoryResult<Gateway> {
        Inventory::gateway(self, id)
    }
    fn gateway_by_name(&self, name: &str) -> InventoryResult<Gateway> {
        Inventory::gateway_by_name(self, name)
    }
    fn add_gateway(&self, new: NewGateway) -> InventoryResult<Gateway> {
        Inventory::add_gateway(self, new)
    }
    fn edit_gateway(&self, id: &GatewayId, edit: GatewayEdit) -> InventoryResult<Gateway> {
        Inventory::edit_gateway(self, id, edit)
    }
    fn change_gateway_key(&self, id: &GatewayId, key: Secret) -> InventoryResult<Gateway> {
        Inventory::change_gateway_key(self, id, key)
    }
    fn set_gateway_token(&self, id: &GatewayId, token: Option<Secret>) -> InventoryResult<Gateway> {
        Inventory::set_gateway_token(self, id, token)
    }
    fn remove_gateway(&self, id: &GatewayId) -> InventoryResult<()> {
        Inventory::remove_gateway(self, id)
    }
    fn credentials(&self, id: &GatewayId) -> InventoryResult<GatewayCredentials> {
        Inventory::credentials(self, id)
    }
    fn list_meters(&self, filter: &MeterFilter) -> InventoryResult<Vec<Meter>> {
        Inventory::list_meters(self, filter)
    }
    fn meter(&self, address: &MeterAddress) -> InventoryResult<Meter> {
        Inventory::meter(self, address)
    }
    fn add_meter(&self, new: NewMeter) -> InventoryResult<Meter> {
        Inventory::add_meter(self, new)
    }
    fn edit_meter(&self, address: &MeterAddress, edit: MeterEdit) -> InventoryResult<Meter> {
        Inventory::edit_meter(self, address, edit)
    }
    fn remove_meter(&self, address: &MeterAddress) -> InventoryResult<()> {
        Inventory::remove_meter(self, address)
    }
    fn meter_password(&self, address: &MeterAddress) -> InventoryResult<Option<Secret>> {
        Inventory::meter_password(self, address)
    }
    fn wire_profiles(&self) -> InventoryResult<Vec<WireProfile>> {
        Inventory::wire_profiles(self)
    }
    fn wire_profile(&self, id: &str) -> InventoryResult<WireProfile> {
        Inventory::wire_profile(self, id)
    }
    fn load_wire_profile(&self, text: &str) -> InventoryResult<LoadedProfile> {
        Inventory::load_wire_profile(self, text)
    }
    fn remove_wire_profile(&self, id: &str) -> InventoryResult<()> {
        Inventory::remove_wire_profile(self, id)
    }
}

impl AuditStore for AuditLog {
    fn begin(&self, entry: NewEntry) -> AuditResult<EntryId> {
        AuditLog::begin(self, entry)
    }
    fn accepted(&self, id: EntryId, msg_id: &str, channel: &str) -> AuditResult<()> {
        AuditLog::accepted(self, id, msg_id, channel)
    }
    fn finish(&self, id: EntryId, finish: &Finish) -> AuditResult<()> {
        AuditLog::finish(self, id, finish)
    }
    fn query(&self, filter: &Filter, page: &Page) -> AuditResult<EntryPage> {
        AuditLog::query(self, filter, page)
    }
    fn count(&self, filter: &Filter) -> AuditResult<u64> {
        AuditLog::count(self, filter)
    }
    fn export_csv(&self, filter: &Filter, out: &mut dyn Write) -> AuditResult<u64> {
        AuditLog::export_csv(self, filter, out)
    }
    fn unanswered_write(&self, meter: &MeterAddress) -> AuditResult<Option<Entry>> {
        AuditLog::unanswered_write(self, meter)
    }
}

impl KnownSettingsStore for KnownStore {
    fn get(&self, gateway_id: &str, meter: &MeterAddress, persistent: bool) -> KnownState {
        KnownStore::get(self, gateway_id, meter, persistent)
    }
    fn record(
        &self,
        gateway_id: &str,
        meter: &MeterAddress,
        persistent: bool,
        command: &Command,
        outcome: &Outcome,
    ) -> Result<(), StoreError> {
        KnownStore::record(self, gateway_id, meter, persistent, command, outcome)
    }
}
