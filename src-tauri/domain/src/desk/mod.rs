//! The app's domain: gateways and meters (the inventory plus the demo gateway), and sending
//! commands through the push3 core. Tauri commands are one-line forwards onto this.

pub mod demo;
pub mod dispatch;
pub mod drafts;
pub mod drift;
pub mod forms;
mod gateway_test;
pub mod history;
pub mod in_flight;
pub mod job_notice;
pub mod jobs;
#[cfg(test)]
mod one_meter_desk;
mod profiles;
pub mod programs;
pub mod rates;
mod route;
pub mod templates;
pub mod views;

use crate::error::{ErrorCode, IpcError};
use crate::records::Records;
use crate::store::{AuditStore, InventoryStore, LocalStore, Store};
use demo::DemoGateway;
use forms::{GatewayEditForm, GatewayForm, MeterEditForm, MeterForm};
use push3::program::KnownState;
use push3::{MeterAddress, MeterPassword};
use push3_inventory::{GatewayId, MeterFilter, NewGateway, NewMeter};
use route::GatewayRoute;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::Mutex;
use std::time::Duration;
use views::{GatewayView, MeterView};

pub struct Desk {
    jobs: jobs::Jobs,
    /// Everything kept, shared with the `push3` CLI (the same store in the same data dir).
    store: Arc<dyn Store>,
    /// Every send goes through its one audited send.
    records: Records,
    /// Jobs running and commands waiting for an answer, for the close guard.
    in_flight: in_flight::InFlight,
    /// Each gateway's pace, shared by every job and every single command of this app.
    paces: push3_fleet::Paces,
    demo: DemoGateway,
    clients: Arc<dispatch::Clients>,
    /// New passwords the demo meters confirmed this session (demo meters are not in the
    /// inventory, so their passwords have no keychain entry).
    demo_passwords: Mutex<HashMap<MeterAddress, MeterPassword>>,
    /// How long to wait for a response before a command is shown as unconfirmed (G9).
    response_timeout: Duration,
}

/// Overrides the 60 s response deadline, for the end-to-end tests of unconfirmed commands.
pub const RESPONSE_TIMEOUT_ENV: &str = "PUSH3_DESK_RESPONSE_TIMEOUT_SECS";

impl Desk {
    /// The app on the store in `data_dir` ([`LocalStore`]).
    pub fn new(data_dir: PathBuf, runtime: &tokio::runtime::Handle) -> std::io::Result<Self> {
        Self::on_store(Arc::new(LocalStore::open(&data_dir)), runtime)
    }

    pub fn on_store(
        store: Arc<dyn Store>,
        runtime: &tokio::runtime::Handle,
    ) -> std::io::Result<Self> {
        let records = Records::new(Arc::clone(&store), |warning| log::warn!("{warning}"))
            .map_err(|e| std::io::Error::other(e.message()))?;
        let clients = Arc::new(dispatch::Clients::default());
        store.subscribe(dispatch::Clients::forgetting_on_change(&clients, None));
        Ok(Self {
            store,
            records,
            in_flight: in_flight::InFlight::default(),
            paces: push3_fleet::Paces::default(),
            jobs: jobs::Jobs::default(),
            demo: DemoGateway::start(runtime)?,
            clients,
            demo_passwords: Mutex::default(),
            response_timeout: std::env::var(RESPONSE_TIMEOUT_ENV)
                .ok()
                .and_then(|v| v.parse().ok())
                .map(Duration::from_secs)
                .unwrap_or(Duration::from_secs(push3::limits::DEFAULT_TIMEOUT_SECS)),
        })
    }

    /// The demo gateway first, then the user's, sorted by name.
    pub async fn gateways(&self) -> Result<Vec<GatewayView>, IpcError> {
        let mut views = vec![GatewayView::demo(&self.demo)];
        let saved = self.blocking(|inv| inv.list_gateways()).await?;
        views.extend(saved.into_iter().map(GatewayView::from));
        Ok(views)
    }

    pub async fn meters(&self) -> Result<Vec<MeterView>, IpcError> {
        let mut views = MeterView::demo_meters(&self.demo);
        let saved = self
            .blocking(|inv| inv.list_meters(&MeterFilter::default()))
            .await?;
        views.extend(saved.into_iter().map(MeterView::from));
        Ok(views)
    }

    pub async fn add_gateway(&self, form: GatewayForm) -> Result<GatewayView, IpcError> {
        let new = NewGateway {
            name: form.name,
            api_url: form.api_url,
            key: form.key,
            token: form.token,
            note: form.note,
            wire_profile: form.wire_profile,
        };
        Ok(self.blocking(move |inv| inv.add_gateway(new)).await?.into())
    }

    pub async fn edit_gateway(
        &self,
        id: String,
        form: GatewayEditForm,
    ) -> Result<GatewayView, IpcError> {
        GatewayRoute::of(&id).refuse_demo()?;
        let changes = form.into_changes()?;
        let gateway_id = GatewayId::from(id.as_str());
        let edited = self
            .blocking(move |inv| changes.apply(inv, &gateway_id))
            .await;
        // Even a half-applied edit may have changed the key, token or URL the cached client
        // was built with; the next command builds a fresh one from the inventory.
        self.clients.forget(&id);
        Ok(edited?.into())
    }

    pub async fn remove_gateway(&self, id: String) -> Result<(), IpcError> {
        GatewayRoute::of(&id).refuse_demo()?;
        self.clients.forget(&id);
        let gateway_id = GatewayId::from(id.as_str());
        self.blocking(move |inv| inv.remove_gateway(&gateway_id))
            .await?;
        Ok(())
    }

    pub async fn add_meter(&self, form: MeterForm) -> Result<MeterView, IpcError> {
        GatewayRoute::of(&form.gateway_id).refuse_demo()?;
        let mut new = NewMeter::new(
            MeterAddress::parse(&form.address)?,
            form.version,
            GatewayId::from(form.gateway_id),
        );
        new.nickname = form.nickname;
        new.tags = form.tags;
        new.password = form.password;
        Ok(self.blocking(move |inv| inv.add_meter(new)).await?.into())
    }

    pub async fn edit_meter(
        &self,
        address: String,
        form: MeterEditForm,
    ) -> Result<MeterView, IpcError> {
        let address = MeterAddress::parse(&address)?;
        let edit = form.into_edit()?;
        let target = address.clone();
        let edited = self
            .blocking(move |inv| inv.edit_meter(&target, edit))
            .await;
        Ok(self.refuse_demo_meter(&address, edited)?.into())
    }

    pub async fn remove_meter(&self, address: String) -> Result<(), IpcError> {
        let address = MeterAddress::parse(&address)?;
        let target = address.clone();
        let removed = self.blocking(move |inv| inv.remove_meter(&target)).await;
        self.refuse_demo_meter(&address, removed)?;
        Ok(())
    }

    /// What would stop if the app quit now.
    pub fn work_in_flight(&self) -> in_flight::WorkInFlight {
        self.in_flight.now()
    }

    /// `notify` hears of every change another process (or this app's own writes) made to the
    /// store, until it returns false. The store has one subscriber, so this one also keeps the
    /// gateways' clients in step with the inventory, as the one set up at start did.
    pub fn watch_store(&self, notify: impl Fn(crate::StoreChange) -> bool + Send + 'static) {
        let notify = Box::new(notify);
        self.store
            .subscribe(dispatch::Clients::forgetting_on_change(
                &self.clients,
                Some(notify),
            ));
    }

    /// What this app knows of a meter's settings; the demo gateway's are kept in memory only.
    pub fn known_state(&self, gateway_id: &str, meter: &MeterAddress) -> KnownState {
        self.store
            .known()
            .get(gateway_id, meter, GatewayRoute::of(gateway_id).persists())
    }

    /// Demo meters are not in the inventory, so the inventory answers "not found" for them; the
    /// user deserves the real reason. (Asking the inventory first keeps an own meter editable
    /// even if it shares its number with a demo meter.)
    fn refuse_demo_meter<T>(
        &self,
        address: &MeterAddress,
        result: Result<T, IpcError>,
    ) -> Result<T, IpcError> {
        match result {
            Err(e)
                if e.code == ErrorCode::NotFound
                    && self.demo.meters.iter().any(|m| &m.address == address) =>
            {
                Err(IpcError::unsupported(
                    "The demo gateway's meters are built in and cannot be changed.",
                ))
            }
            other => other,
        }
    }

    /// SQLite calls block (a checkpoint syncs to disk), so they run on the blocking pool.
    async fn audited<T: Send + 'static>(
        &self,
        op: impl FnOnce(&dyn AuditStore) -> push3_audit::Result<T> + Send + 'static,
    ) -> Result<T, IpcError> {
        self.with_store(move |store| Ok(op(store.audit()?)?)).await
    }

    /// Inventory calls may block on the OS keychain (an unlock prompt waits for the user), so
    /// they run on the blocking pool rather than an async worker.
    async fn blocking<T: Send + 'static>(
        &self,
        op: impl FnOnce(&dyn InventoryStore) -> push3_inventory::Result<T> + Send + 'static,
    ) -> Result<T, IpcError> {
        self.with_store(move |store| Ok(op(store.inventory())?))
            .await
    }

    /// Runs `op` against the store on the blocking pool: any store call may wait on another
    /// process's transaction (busy timeout) or a keychain prompt, which must not hold an async
    /// worker.
    pub(crate) async fn with_store<T: Send + 'static>(
        &self,
        op: impl FnOnce(&dyn Store) -> Result<T, IpcError> + Send + 'static,
    ) -> Result<T, IpcError> {
        let store = Arc::clone(&self.store);
        tokio::task::spawn_blocking(move || op(store.as_ref()))
            .await
            .map_err(|e| IpcError::internal(format!("store task failed: {e}")))?
    }
}
