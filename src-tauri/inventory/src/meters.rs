//! The meter operations of [`Inventory`]. A meter is known by its address, which is unique in
//! the whole inventory: it is the meter's serial number, and one meter answers through one
//! gateway. Its nickname, when it has one, is unique on its gateway.

use crate::error::{InventoryError, Result};
use crate::inventory::{gateway_in, Inventory};
use crate::keychain::{Keychain, KeychainEntry};
use crate::model::{GatewayId, Meter, MeterEdit, MeterFilter, MeterPasswordChange, NewMeter};
use crate::pending_secrets::PendingSecrets;
use crate::tables::InventoryDocument;
use crate::validation;
use push3::{MeterAddress, Secret};

/// The factory password (reference §3.9); it is the same on every meter, so it is never stored.
pub const DEFAULT_METER_PASSWORD: &str = "00000000";

impl<K: Keychain> Inventory<K> {
    /// The meters that match `filter`, by address.
    pub fn list_meters(&self, filter: &MeterFilter) -> Result<Vec<Meter>> {
        let mut meters: Vec<Meter> = self
            .tables
            .load()?
            .meters
            .into_iter()
            .filter(|m| filter.matches(m))
            .collect();
        meters.sort_by(|a, b| a.address.cmp(&b.address));
        Ok(meters)
    }

    pub fn meter(&self, address: &MeterAddress) -> Result<Meter> {
        self.tables
            .meter(address)?
            .ok_or_else(|| unknown_meter(address))
    }

    /// Adds a meter to a gateway; a non-default password goes to the keychain first.
    pub fn add_meter(&self, new: NewMeter) -> Result<Meter> {
        let nickname = validation::nickname(&new.nickname)?;
        let tags = validation::tags(&new.tags)?;
        let password = new
            .password
            .as_ref()
            .map(validation::meter_password)
            .transpose()?;
        let password = password.filter(|p| p.expose() != DEFAULT_METER_PASSWORD);
        let change = self.tables.change()?;
        let mut document = change.document().clone();
        gateway_in(&document, &new.gateway_id)?;
        if let Some(existing) = document.meters.iter().find(|m| m.address == new.address) {
            let gateway = gateway_in(&document, &existing.gateway_id).map(|g| g.name.as_str());
            return Err(InventoryError::duplicate(format!(
                "Meter {} is already in the inventory, on gateway {:?}",
                new.address,
                gateway.unwrap_or("?")
            )));
        }
        ensure_nickname_free(&document, &nickname, &new.gateway_id, None)?;

        let meter = Meter {
            address: new.address,
            nickname,
            version: new.version,
            gateway_id: new.gateway_id,
            tags,
            has_password: password.is_some(),
        };
        // A meter on the default password needs no keychain, so it can be added while the
        // keychain is unavailable.
        let mut pending = PendingSecrets::new(&self.keychain);
        if let Some(password) = &password {
            pending.store(
                KeychainEntry::MeterPassword(meter.address.clone()),
                password,
            )?;
        }
        document.meters.push(meter.clone());
        change.save(&document)?;
        pending.commit();
        Ok(meter)
    }

    /// Changes a meter's nickname, version, gateway, tags or password.
    pub fn edit_meter(&self, address: &MeterAddress, edit: MeterEdit) -> Result<Meter> {
        let nickname = edit
            .nickname
            .as_deref()
            .map(validation::nickname)
            .transpose()?;
        let tags = edit.tags.as_deref().map(validation::tags).transpose()?;
        let password = match &edit.password {
            MeterPasswordChange::Set(p) => {
                let p = validation::meter_password(p)?;
                if p.expose() == DEFAULT_METER_PASSWORD {
                    MeterPasswordChange::Clear
                } else {
                    MeterPasswordChange::Set(p)
                }
            }
            other => other.clone(),
        };
        let change = self.tables.change()?;
        let mut document = change.document().clone();
        let current = meter_in(&document, address)?.clone();
        let gateway_id = edit.gateway_id.unwrap_or(current.gateway_id);
        gateway_in(&document, &gateway_id)?;
        let nickname = nickname.unwrap_or(current.nickname);
        ensure_nickname_free(&document, &nickname, &gateway_id, Some(address))?;

        let mut pending = PendingSecrets::new(&self.keychain);
        let entry = KeychainEntry::MeterPassword(address.clone());
        let has_password = match &password {
            MeterPasswordChange::Keep => current.has_password,
            MeterPasswordChange::Set(p) => {
                pending.store(entry, p)?;
                true
            }
            MeterPasswordChange::Clear => {
                pending.delete(entry)?;
                false
            }
        };
        let meter = Meter {
            address: address.clone(),
            nickname,
            version: edit.version.unwrap_or(current.version),
            gateway_id,
            tags: tags.unwrap_or(current.tags),
            has_password,
        };
        for stored in document.meters.iter_mut().filter(|m| &m.address == address) {
            *stored = meter.clone();
        }
        change.save(&document)?;
        pending.commit();
        Ok(meter)
    }

    /// Removes a meter and deletes its stored password.
    pub fn remove_meter(&self, address: &MeterAddress) -> Result<()> {
        let change = self.tables.change()?;
        let mut document = change.document().clone();
        let has_password = meter_in(&document, address)?.has_password;
        let mut pending = PendingSecrets::new(&self.keychain);
        if has_password {
            pending.delete(KeychainEntry::MeterPassword(address.clone()))?;
        }
        document.meters.retain(|m| &m.address != address);
        change.save(&document)?;
        pending.commit();
        Ok(())
    }

    /// The meter's non-default password, or `None` when it uses the factory default. Rust side
    /// only, for sending a command.
    pub fn meter_password(&self, address: &MeterAddress) -> Result<Option<Secret>> {
        if !self.meter(address)?.has_password {
            return Ok(None);
        }
        match self
            .keychain
            .read(&KeychainEntry::MeterPassword(address.clone()))?
        {
            Some(password) => Ok(Some(password)),
            None => Err(InventoryError::not_found(format!(
                "The password of meter {address} is missing from the keychain; enter it again"
            ))),
        }
    }
}

fn meter_in<'d>(document: &'d InventoryDocument, address: &MeterAddress) -> Result<&'d Meter> {
    document
        .meters
        .iter()
        .find(|m| &m.address == address)
        .ok_or_else(|| unknown_meter(address))
}

fn unknown_meter(address: &MeterAddress) -> InventoryError {
    InventoryError::not_found(format!("Meter {address} is not in the inventory"))
}

fn ensure_nickname_free(
    document: &InventoryDocument,
    nickname: &str,
    gateway_id: &GatewayId,
    except: Option<&MeterAddress>,
) -> Result<()> {
    if nickname.is_empty() {
        return Ok(());
    }
    let clash = document.meters.iter().find(|m| {
        &m.gateway_id == gateway_id
            && m.nickname.to_lowercase() == nickname.to_lowercase()
            && Some(&m.address) != except
    });
    match clash {
        Some(other) => Err(InventoryError::duplicate(format!(
            "Meter {} on this gateway is already called {:?}; choose another nickname",
            other.address, other.nickname
        ))),
        None => Ok(()),
    }
}
