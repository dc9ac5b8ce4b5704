//! Sending a command for the UI: resolve the gateway's credentials and the meter's password on
//! the Rust side, validate, send once, and report each step. A command whose fate is unknown is
//! reported as unconfirmed and never sent again from here.

use super::route::GatewayRoute;
use super::Desk;
use crate::error::IpcError;
use crate::records::{elapsed_ms, Unsent};
use crate::StoreChange;
use push3::{
    Client, Command, MeterAddress, MeterPassword, MeterVersion, Outcome, ParseOptions,
    ParsedCommand,
};
use push3_audit::{NewEntry, Source};
use push3_fleet::{Sent, Turn};
use serde::Serialize;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;
use ts_rs::TS;

/// One client per gateway, so every command to a gateway shares its response subscription.
#[derive(Default)]
pub struct Clients(Mutex<HashMap<String, Client>>);

impl Clients {
    fn get_or_insert(
        &self,
        gateway_id: &str,
        make: impl FnOnce() -> Result<Client, IpcError>,
    ) -> Result<Client, IpcError> {
        let mut map = self.0.lock().expect("clients lock");
        if let Some(client) = map.get(gateway_id) {
            return Ok(client.clone());
        }
        let client = make()?;
        map.insert(gateway_id.to_string(), client.clone());
        Ok(client)
    }

    /// Drops a gateway's client after its key or URL changed or it was removed.
    pub fn forget(&self, gateway_id: &str) {
        self.0.lock().expect("clients lock").remove(gateway_id);
    }

    /// Drops every client: the inventory changed, perhaps in another process (a key, a URL or
    /// a wire profile set with `push3 gateway set`), and the next command of each gateway must
    /// be built from it. Commands under way keep the client they hold.
    pub fn forget_all(&self) {
        self.0.lock().expect("clients lock").clear();
    }

    /// The store's subscriber: drops the clients after an inventory change, then tells the
    /// window (`notify`) until it is gone. It lives as long as the clients do.
    pub(crate) fn forgetting_on_change(
        clients: &Arc<Self>,
        notify: Option<Box<dyn Fn(StoreChange) -> bool + Send>>,
    ) -> Box<dyn Fn(StoreChange) -> bool + Send> {
        let clients = Arc::downgrade(clients);
        let window_open = AtomicBool::new(notify.is_some());
        Box::new(move |change| {
            let Some(clients) = clients.upgrade() else {
                return false;
            };
            if change.inventory {
                clients.forget_all();
            }
            if let Some(notify) = notify
                .as_ref()
                .filter(|_| window_open.load(Ordering::Relaxed))
            {
                if !notify(change) {
                    window_open.store(false, Ordering::Relaxed);
                }
            }
            true
        })
    }
}

/// What the UI hears about one command while it is under way.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(tag = "event", rename_all = "camelCase")]
pub enum CommandEvent {
    /// The API accepted the command; its response is being awaited.
    #[serde(rename_all = "camelCase")]
    Sent { msg_id: String },
    /// The end state, with the round-trip time in milliseconds.
    #[serde(rename_all = "camelCase")]
    Finished { outcome: Outcome, elapsed_ms: u64 },
}

#[derive(Debug, serde::Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CommandRequest {
    pub gateway_id: String,
    pub meter: String,
    pub command: String,
    /// The command's parameters by name; none when left out.
    #[serde(default = "empty_params")]
    #[ts(as = "Option<serde_json::Map<String, Value>>", optional)]
    pub params: Value,
}

fn empty_params() -> Value {
    Value::Object(Default::default())
}

impl Desk {
    pub async fn send_command(
        &self,
        request: CommandRequest,
        on_event: impl Fn(CommandEvent),
    ) -> Result<Outcome, IpcError> {
        let (meter, parsed) = self.check_command(&request).await?;
        let _in_flight = self
            .in_flight
            .command(meter.as_str(), parsed.command.name());
        let started = Instant::now();
        // In the gateway's line with any job's commands: timed from its turn there.
        let (paced, turn) = self.paces.send_alone(&request.gateway_id);
        let sent = self
            .send_checked(&request.gateway_id, &meter, parsed, turn, |msg_id| {
                on_event(CommandEvent::Sent {
                    msg_id: msg_id.to_string(),
                })
            })
            .await?;
        paced.ended(matches!(
            sent.outcome,
            Outcome::Confirmed { .. } | Outcome::Failed { .. }
        ));
        on_event(CommandEvent::Finished {
            outcome: sent.outcome.clone(),
            elapsed_ms: elapsed_ms(started),
        });
        Ok(sent.outcome)
    }

    /// Sends one validated command once, with the meter's stored password added, through the
    /// one audited send (`push3_domain::Records::send_on_record`: on record before it goes out,
    /// its acceptance and outcome recorded, what it teaches kept). `on_sent` hears the API's
    /// msg_id. The single-command path and the fleet engine ([`super::fleet`]) both send
    /// through here.
    pub(crate) async fn send_checked(
        &self,
        gateway_id: &str,
        meter: &MeterAddress,
        mut parsed: ParsedCommand,
        turn: Turn,
        on_sent: impl FnOnce(&str),
    ) -> Result<Sent, IpcError> {
        let route = GatewayRoute::of(gateway_id);
        parsed.meter_password = self.meter_password(&route, meter).await?;
        let client = self.client_for(&route).await?;
        let gateway_name = self.gateway_name(&route).await?;
        let entry = NewEntry::for_command(
            Source::App,
            gateway_id,
            gateway_name,
            meter,
            &parsed,
            &client.config().profile,
        );
        let sent = self
            .records
            .send_on_record(
                entry,
                client.send_retrying_reads(meter, &parsed),
                turn,
                Some(&parsed.command),
                route.learning(),
                on_sent,
            )
            .await
            .map_err(|unsent| match unsent {
                Unsent::NotRecorded(e) => IpcError::from(e),
                Unsent::Failed(e) => IpcError::from(e),
                Unsent::PasswordNotStored { error, .. } => {
                    let error = IpcError::from(error);
                    IpcError {
                        message: format!(
                            "The meter took the new password, but it could not be stored: {} \
                             Edit the meter and enter the new password, or later commands will \
                             fail.",
                            error.message
                        ),
                        ..error
                    }
                }
            })?;
        // Demo meters are not in the inventory, so a new password they took is kept here.
        if let (GatewayRoute::Demo, Command::SetMeterPassword { new_password }, true) =
            (&route, &parsed.command, sent.outcome.is_confirmed())
        {
            self.demo_passwords
                .lock()
                .expect("demo passwords lock")
                .insert(meter.clone(), *new_password);
        }
        Ok(sent)
    }

    async fn gateway_name(&self, route: &GatewayRoute) -> Result<String, IpcError> {
        match route {
            GatewayRoute::Demo => Ok(super::views::GatewayView::demo(&self.demo).name),
            GatewayRoute::Stored(id) => {
                let id = id.clone();
                Ok(self.blocking(move |inv| inv.gateway(&id)).await?.name)
            }
        }
    }

    /// Validates a request as it would be sent: its params by the one validator (with the CT
    /// ratio known for the meter, so a pulse output ratio is checked against it) and the command
    /// against the meter's version. Seasons are accepted: the UI offers them only behind its
    /// experimental switch.
    pub async fn check_command(
        &self,
        request: &CommandRequest,
    ) -> Result<(MeterAddress, ParsedCommand), IpcError> {
        let meter = MeterAddress::parse(&request.meter)?;
        let version = self.meter_version(&request.gateway_id, &meter).await?;
        let known = self.known_state(&request.gateway_id, &meter);
        let opts = ParseOptions {
            experimental_seasons: true,
            current_ct_ratio: known.ct_ratio.map(|k| k.value),
        };
        let parsed = push3::parse(&request.command, &request.params, &opts)?;
        if !parsed.command.supported_by(version) {
            return Err(IpcError::unsupported(format!(
                "{} is not available on a {version} meter",
                parsed.command.name()
            )));
        }
        Ok((meter, parsed))
    }

    async fn client_for(&self, route: &GatewayRoute) -> Result<Client, IpcError> {
        let id = match route {
            GatewayRoute::Demo => {
                let config = self
                    .demo
                    .client_config()
                    .with_timeout(self.response_timeout);
                return self
                    .clients
                    .get_or_insert(route.id(), || Ok(Client::new(config)?));
            }
            GatewayRoute::Stored(id) => id.clone(),
        };
        let credentials = self.blocking(move |inv| inv.credentials(&id)).await?;
        self.clients.get_or_insert(route.id(), || {
            let config = credentials
                .client_config()
                .with_timeout(self.response_timeout);
            Ok(Client::new(config)?)
        })
    }

    pub(crate) async fn meter_version(
        &self,
        gateway_id: &str,
        meter: &MeterAddress,
    ) -> Result<MeterVersion, IpcError> {
        if GatewayRoute::of(gateway_id) == GatewayRoute::Demo {
            return self
                .demo
                .meters
                .iter()
                .find(|m| &m.address == meter)
                .map(|m| m.version)
                .ok_or_else(|| {
                    IpcError::not_found(format!("meter {meter} is not on the demo gateway"))
                });
        }
        let address = meter.clone();
        Ok(self.blocking(move |inv| inv.meter(&address)).await?.version)
    }

    async fn meter_password(
        &self,
        route: &GatewayRoute,
        meter: &MeterAddress,
    ) -> Result<Option<MeterPassword>, IpcError> {
        if *route == GatewayRoute::Demo {
            let changed = self.demo_passwords.lock().expect("demo passwords lock");
            return Ok(changed.get(meter).copied());
        }
        let address = meter.clone();
        match self
            .blocking(move |inv| inv.meter_password(&address))
            .await?
        {
            Some(secret) => Ok(Some(MeterPassword::parse(secret.expose())?)),
            None => Ok(None),
        }
    }
}
