//! The inventory: gateways and meters in the store, their secrets in the keychain, and the
//! operations that keep the two consistent. This file has the gateway operations; `meters.rs` the
//! meter ones.
//!
//! Every change follows one order: validate, take the store's write lock and read, change the
//! keychain, write and commit. So a keychain that is missing or locked fails the operation before
//! anything is written, and a store that cannot be written rolls the keychain back (see
//! [`PendingSecrets`]). Two processes changing the inventory at once take turns at the lock.

use crate::error::{InventoryError, Result};
use crate::keychain::{Keychain, KeychainEntry, SystemKeychain};
use crate::model::{
    Gateway, GatewayCredentials, GatewayEdit, GatewayId, NewGateway, DEFAULT_API_URL,
};
use crate::pending_secrets::PendingSecrets;
use crate::tables::{InventoryDocument, InventoryTables};
use crate::validation;
use push3::Secret;
use std::path::{Path, PathBuf};

/// Gateways and meters of one user. Each operation reads the store, so the app and the CLI see
/// each other's changes.
pub struct Inventory<K: Keychain = SystemKeychain> {
    data_dir: PathBuf,
    pub(crate) tables: InventoryTables,
    pub(crate) keychain: K,
}

impl Inventory<SystemKeychain> {
    /// The inventory in `data_dir`, with secrets in this build's keychain service
    /// ([`SystemKeychain::for_this_build`]). Nothing is read or created until the first operation.
    pub fn open(data_dir: impl Into<PathBuf>) -> Self {
        Self::with_keychain(data_dir, SystemKeychain::for_this_build())
    }
}

impl<K: Keychain> Inventory<K> {
    pub fn with_keychain(data_dir: impl Into<PathBuf>, keychain: K) -> Self {
        let data_dir = data_dir.into();
        Self {
            tables: InventoryTables::in_dir(&data_dir),
            data_dir,
            keychain,
        }
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// The database's path, for messages and diagnostics.
    pub fn file_path(&self) -> &Path {
        self.tables.path()
    }

    /// All gateways, by name.
    pub fn list_gateways(&self) -> Result<Vec<Gateway>> {
        let mut gateways = self.tables.load()?.gateways;
        gateways.sort_by_key(|g| g.name.to_lowercase());
        Ok(gateways)
    }

    pub fn gateway(&self, id: &GatewayId) -> Result<Gateway> {
        self.tables.gateway(id)?.ok_or_else(|| unknown_gateway(id))
    }

    /// The gateway with this name, ignoring case (as the CLI's `--gateway NAME` needs).
    pub fn gateway_by_name(&self, name: &str) -> Result<Gateway> {
        let document = self.tables.load()?;
        document
            .gateways
            .iter()
            .find(|g| same_name(&g.name, name))
            .cloned()
            .ok_or_else(|| {
                InventoryError::not_found(format!("There is no gateway named {:?}", name.trim()))
            })
    }

    /// Adds a gateway and stores its key (and token) in the keychain. If the keychain fails,
    /// nothing is written to the store.
    pub fn add_gateway(&self, new: NewGateway) -> Result<Gateway> {
        let name = validation::gateway_name(&new.name)?;
        let api_url = validation::api_url(new.api_url.as_deref().unwrap_or(DEFAULT_API_URL))?;
        let note = validation::note(&new.note)?;
        let key = new
            .key
            .as_ref()
            .map(|k| validation::credential("key", k))
            .transpose()?;
        let token = new
            .token
            .as_ref()
            .map(|t| validation::credential("token", t))
            .transpose()?;
        if key.is_none() && token.is_none() {
            return Err(InventoryError::Invalid(push3::ValidationError::new(
                "key",
                "none, and no API token",
                "a gateway key, an API token, or both",
            )));
        }
        let change = self.tables.change()?;
        let mut document = change.document().clone();
        ensure_name_free(&document, &name, None)?;
        let wire_profile = match new.wire_profile {
            Some(id) => crate::profiles::known_profile(&document, &id)?,
            None => push3::undocumented::profile::DEFAULT_PROFILE_ID.to_string(),
        };

        let gateway = Gateway {
            id: GatewayId::generate(),
            name,
            api_url,
            note,
            has_token: token.is_some(),
            key_hint: key.as_ref().map(Secret::hint).unwrap_or_default(),
            wire_profile,
        };
        let mut pending = PendingSecrets::new(&self.keychain);
        if let Some(key) = &key {
            pending.store(KeychainEntry::GatewayKey(gateway.id.clone()), key)?;
        }
        if let Some(token) = &token {
            pending.store(KeychainEntry::GatewayToken(gateway.id.clone()), token)?;
        }
        document.gateways.push(gateway.clone());
        change.save(&document)?;
        pending.commit();
        Ok(gateway)
    }

    /// Changes a gateway's name, API URL or note; the keychain is not touched.
    pub fn edit_gateway(&self, id: &GatewayId, edit: GatewayEdit) -> Result<Gateway> {
        let change = self.tables.change()?;
        let mut document = change.document().clone();
        let name = edit
            .name
            .as_deref()
            .map(validation::gateway_name)
            .transpose()?;
        let api_url = edit
            .api_url
            .as_deref()
            .map(validation::api_url)
            .transpose()?;
        let note = edit.note.as_deref().map(validation::note).transpose()?;
        if let Some(name) = &name {
            ensure_name_free(&document, name, Some(id))?;
        }
        let wire_profile = edit
            .wire_profile
            .as_deref()
            .map(|p| crate::profiles::known_profile(&document, p))
            .transpose()?;
        let gateway = gateway_in_mut(&mut document, id)?;
        if let Some(name) = name {
            gateway.name = name;
        }
        if let Some(api_url) = api_url {
            gateway.api_url = api_url;
        }
        if let Some(note) = note {
            gateway.note = note;
        }
        if let Some(wire_profile) = wire_profile {
            gateway.wire_profile = wire_profile;
        }
        let gateway = gateway.clone();
        change.save(&document)?;
        Ok(gateway)
    }

    pub fn rename_gateway(&self, id: &GatewayId, name: &str) -> Result<Gateway> {
        self.edit_gateway(
            id,
            GatewayEdit {
                name: Some(name.to_string()),
                ..GatewayEdit::default()
            },
        )
    }

    /// Replaces the gateway's key in the keychain and its hint in the store.
    pub fn change_gateway_key(&self, id: &GatewayId, key: Secret) -> Result<Gateway> {
        let key = validation::credential("key", &key)?;
        let change = self.tables.change()?;
        let mut document = change.document().clone();
        gateway_in(&document, id)?;
        let mut pending = PendingSecrets::new(&self.keychain);
        pending.store(KeychainEntry::GatewayKey(id.clone()), &key)?;
        let gateway = gateway_in_mut(&mut document, id)?;
        gateway.key_hint = key.hint();
        let gateway = gateway.clone();
        change.save(&document)?;
        pending.commit();
        Ok(gateway)
    }

    /// Stores (`Some`) or forgets (`None`) the gateway's bearer token.
    pub fn set_gateway_token(&self, id: &GatewayId, token: Option<Secret>) -> Result<Gateway> {
        let token = token
            .as_ref()
            .map(|t| validation::credential("token", t))
            .transpose()?;
        let change = self.tables.change()?;
        let mut document = change.document().clone();
        if token.is_none() && !gateway_in(&document, id)?.has_key() {
            return Err(InventoryError::Invalid(push3::ValidationError::new(
                "token",
                "cleared",
                "a token: this gateway has no key, so the token is its only way in (give it a \
                 key first)",
            )));
        }
        let mut pending = PendingSecrets::new(&self.keychain);
        let entry = KeychainEntry::GatewayToken(id.clone());
        match &token {
            Some(token) => pending.store(entry, token)?,
            None => pending.delete(entry)?,
        }
        let gateway = gateway_in_mut(&mut document, id)?;
        gateway.has_token = token.is_some();
        let gateway = gateway.clone();
        change.save(&document)?;
        pending.commit();
        Ok(gateway)
    }

    /// Removes a gateway with its meters, and deletes its key, its token and its meters'
    /// passwords from the keychain. If the keychain fails, the gateway stays, so the user can
    /// retry instead of leaving secrets behind that nothing lists anymore.
    pub fn remove_gateway(&self, id: &GatewayId) -> Result<()> {
        let change = self.tables.change()?;
        let mut document = change.document().clone();
        gateway_in(&document, id)?;
        let mut pending = PendingSecrets::new(&self.keychain);
        pending.delete(KeychainEntry::GatewayKey(id.clone()))?;
        pending.delete(KeychainEntry::GatewayToken(id.clone()))?;
        for meter in document.meters.iter().filter(|m| &m.gateway_id == id) {
            pending.delete(KeychainEntry::MeterPassword(meter.address.clone()))?;
        }
        document.gateways.retain(|g| &g.id != id);
        document.meters.retain(|m| &m.gateway_id != id);
        change.save(&document)?;
        pending.commit();
        Ok(())
    }

    /// The gateway's API URL, key and token, for sending a command. Rust side only: nothing that
    /// reaches the webview may carry this.
    pub fn credentials(&self, id: &GatewayId) -> Result<GatewayCredentials> {
        let gateway = self.gateway(id)?;
        let missing = |what: &str, fix: &str| {
            InventoryError::not_found(format!(
                "The {what} of gateway {:?} is missing from the keychain; {fix}",
                gateway.name
            ))
        };
        let key = if gateway.has_key() {
            let key = self.keychain.read(&KeychainEntry::GatewayKey(id.clone()))?;
            Some(key.ok_or_else(|| missing("key", "enter it again with Change key"))?)
        } else {
            None
        };
        let token = if gateway.has_token {
            let token = self
                .keychain
                .read(&KeychainEntry::GatewayToken(id.clone()))?;
            Some(token.ok_or_else(|| missing("API token", "enter it again or clear it"))?)
        } else {
            None
        };
        Ok(GatewayCredentials {
            api_url: gateway.api_url.clone(),
            key,
            token,
            profile: self.wire_profile(&gateway.wire_profile)?,
        })
    }
}

pub(crate) fn gateway_in<'d>(
    document: &'d InventoryDocument,
    id: &GatewayId,
) -> Result<&'d Gateway> {
    document
        .gateways
        .iter()
        .find(|g| &g.id == id)
        .ok_or_else(|| unknown_gateway(id))
}

fn gateway_in_mut<'d>(
    document: &'d mut InventoryDocument,
    id: &GatewayId,
) -> Result<&'d mut Gateway> {
    document
        .gateways
        .iter_mut()
        .find(|g| &g.id == id)
        .ok_or_else(|| unknown_gateway(id))
}

fn unknown_gateway(id: &GatewayId) -> InventoryError {
    InventoryError::not_found(format!(
        "There is no gateway with id {id}; it may have been removed"
    ))
}

/// Names differ only in case look the same in a list and on the command line, so they clash.
fn same_name(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

fn ensure_name_free(
    document: &InventoryDocument,
    name: &str,
    except: Option<&GatewayId>,
) -> Result<()> {
    match document
        .gateways
        .iter()
        .find(|g| same_name(&g.name, name) && Some(&g.id) != except)
    {
        Some(existing) => Err(InventoryError::duplicate(format!(
            "A gateway named {:?} already exists; choose another name",
            existing.name
        ))),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_inventory_can_be_shared_between_threads_as_app_state() {
        fn shareable<T: Send + Sync + 'static>() {}
        shareable::<Inventory<SystemKeychain>>();
        let inventory = Inventory::open("/nonexistent/push3-data");
        assert_eq!(
            inventory.file_path(),
            Path::new("/nonexistent/push3-data/push3-desk.sqlite3")
        );
        assert_eq!(inventory.data_dir(), Path::new("/nonexistent/push3-data"));
    }

    #[test]
    fn listing_a_new_inventory_needs_no_keychain() {
        let dir = tempfile::tempdir().unwrap();
        let data_dir = dir.path().join("app");
        // A service nobody uses: listing must not touch the keychain at all.
        let inventory = Inventory::with_keychain(&data_dir, SystemKeychain::new("unused"));
        assert!(inventory.list_gateways().unwrap().is_empty());
        assert_eq!(
            inventory.gateway_by_name("Main").unwrap_err().code(),
            "not_found"
        );
        assert_eq!(
            inventory.credentials(&"x".into()).unwrap_err().code(),
            "not_found"
        );
    }
}
