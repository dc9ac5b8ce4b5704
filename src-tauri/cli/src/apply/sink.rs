//! Where `push3 apply` sends: the named gateway's client, each meter's stored password, and
//! every command through the one audited send (`push3_domain::Records::send_on_record`), as
//! `push3 send` and the app do.

use push3::{Client, Command, MeterAddress, MeterPassword, ParsedCommand};
use push3_audit::{NewEntry, Source};
use push3_domain::{Learning, Records, Unsent};
use push3_fleet::{CommandSink, SendError, Sent, Turn};
use push3_inventory::Gateway;
use std::collections::HashMap;

pub struct RecordedSink<'r> {
    records: &'r Records,
    gateway: Gateway,
    client: Client,
    passwords: HashMap<MeterAddress, MeterPassword>,
}

impl<'r> RecordedSink<'r> {
    pub fn new(
        records: &'r Records,
        gateway: Gateway,
        client: Client,
        passwords: HashMap<MeterAddress, MeterPassword>,
    ) -> Self {
        Self {
            records,
            gateway,
            client,
            passwords,
        }
    }
}

impl CommandSink for RecordedSink<'_> {
    async fn send(
        &self,
        gateway_id: &str,
        meter: &MeterAddress,
        command: &Command,
        turn: Turn,
    ) -> Result<Sent, SendError> {
        if gateway_id != self.gateway.id.as_str() {
            return Err(SendError::new(
                "not_found",
                format!("no client for gateway {gateway_id:?}"),
            ));
        }
        let parsed = ParsedCommand {
            command: command.clone(),
            meter_password: self.passwords.get(meter).copied(),
        };
        let entry = NewEntry::for_command(
            Source::Cli,
            gateway_id,
            &self.gateway.name,
            meter,
            &parsed,
            &self.client.config().profile,
        );
        self.records
            .send_on_record(
                entry,
                self.client.send_retrying_reads(meter, &parsed),
                turn,
                Some(command),
                Learning::Stored,
                |_| {},
            )
            .await
            .map_err(|unsent| match unsent {
                Unsent::NotRecorded(e) => SendError::new(
                    "not_recorded",
                    format!(
                        "it could not be put on record in the audit log: {}",
                        e.message()
                    ),
                ),
                Unsent::Failed(e) => e.into(),
                Unsent::PasswordNotStored { error, .. } => {
                    SendError::new(error.code(), error.message())
                }
            })
    }
}
