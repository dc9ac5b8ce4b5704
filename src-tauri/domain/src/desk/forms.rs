//! What the gateway and meter dialogs send, and how each form maps onto inventory operations.
//! Secrets travel into Rust here, once, as `Secret` (which has no `Serialize`), and never back.

use crate::error::IpcError;
use crate::store::InventoryStore;
use push3::{MeterVersion, Secret};
use push3_inventory::{Gateway, GatewayEdit, GatewayId, MeterEdit, MeterPasswordChange};
use serde::Deserialize;
use ts_rs::TS;

/// The add-gateway dialog.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct GatewayForm {
    pub name: String,
    pub api_url: Option<String>,
    /// `None` for a gateway reached by its API token alone.
    #[ts(as = "Option<String>")]
    pub key: Option<Secret>,
    #[ts(as = "Option<String>")]
    pub token: Option<Secret>,
    #[serde(default)]
    #[ts(as = "Option<String>", optional)]
    pub note: String,
    /// A wire profile id; none for the default.
    #[ts(optional)]
    pub wire_profile: Option<String>,
}

/// "Test connection" in the gateway dialog: what is typed, before it is saved. A blank key or
/// token box of a stored gateway stands for the stored one, as it does on Save.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct GatewayTestForm {
    /// The gateway being edited; none while adding one.
    pub gateway_id: Option<String>,
    /// As typed, for the history's entry.
    pub name: Option<String>,
    pub api_url: String,
    #[ts(as = "Option<String>")]
    pub key: Option<Secret>,
    #[ts(as = "Option<String>")]
    pub token: Option<Secret>,
    #[serde(default)]
    #[ts(as = "Option<bool>", optional)]
    pub clear_token: bool,
    /// The meter to read; a stored gateway's first meter when blank.
    pub meter: Option<String>,
}

/// The add-meter dialog.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct MeterForm {
    pub gateway_id: String,
    pub address: String,
    pub version: MeterVersion,
    #[serde(default)]
    #[ts(as = "Option<String>", optional)]
    pub nickname: String,
    #[serde(default)]
    #[ts(as = "Option<Vec<String>>", optional)]
    pub tags: Vec<String>,
    #[ts(as = "Option<String>")]
    pub password: Option<Secret>,
}

/// The edit-gateway dialog: an absent field keeps its current value, so an empty "Replace key"
/// box sends no key at all rather than an empty one.
#[derive(Debug, Default, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename = "GatewayEdit", optional_fields)]
pub struct GatewayEditForm {
    pub name: Option<String>,
    pub api_url: Option<String>,
    pub note: Option<String>,
    pub wire_profile: Option<String>,
    #[ts(as = "Option<String>")]
    pub key: Option<Secret>,
    #[ts(as = "Option<String>")]
    pub token: Option<Secret>,
    #[serde(default)]
    #[ts(as = "Option<bool>", optional)]
    pub clear_token: bool,
}

/// The edit-meter dialog; as for gateways, an absent field keeps its value.
#[derive(Debug, Default, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename = "MeterEdit", optional_fields)]
pub struct MeterEditForm {
    pub nickname: Option<String>,
    pub version: Option<MeterVersion>,
    pub tags: Option<Vec<String>>,
    #[ts(as = "Option<String>")]
    pub password: Option<Secret>,
    #[serde(default)]
    #[ts(as = "Option<bool>", optional)]
    pub clear_password: bool,
}

/// An edit-gateway form split into the inventory's operations: the key and the token each touch
/// the keychain, the other fields only the file.
#[derive(Debug)]
pub struct GatewayChanges {
    fields: Option<GatewayEdit>,
    key: Option<Secret>,
    /// `Some(None)` removes the token.
    token: Option<Option<Secret>>,
}

impl GatewayEditForm {
    pub fn into_changes(self) -> Result<GatewayChanges, IpcError> {
        let token = match (self.token, self.clear_token) {
            (Some(_), true) => return Err(both("token", "clearToken")),
            (Some(token), false) => Some(Some(token)),
            (None, true) => Some(None),
            (None, false) => None,
        };
        let fields = GatewayEdit {
            name: self.name,
            api_url: self.api_url,
            note: self.note,
            wire_profile: self.wire_profile,
        };
        Ok(GatewayChanges {
            fields: (fields != GatewayEdit::default()).then_some(fields),
            key: self.key,
            token,
        })
    }
}

impl GatewayChanges {
    /// Runs the changes one inventory operation at a time, secrets first: a missing or locked
    /// keychain then fails the edit before anything is written. A later failure (say, a name
    /// already taken) leaves the earlier parts applied; sending the same form again finishes
    /// the job, which is why the dialog keeps what was typed when an error comes back.
    pub fn apply(
        self,
        inventory: &dyn InventoryStore,
        id: &GatewayId,
    ) -> push3_inventory::Result<Gateway> {
        if let Some(key) = self.key {
            inventory.change_gateway_key(id, key)?;
        }
        if let Some(token) = self.token {
            inventory.set_gateway_token(id, token)?;
        }
        match self.fields {
            Some(fields) => inventory.edit_gateway(id, fields),
            None => inventory.gateway(id),
        }
    }
}

impl MeterEditForm {
    pub fn into_edit(self) -> Result<MeterEdit, IpcError> {
        let password = match (self.password, self.clear_password) {
            (Some(_), true) => return Err(both("password", "clearPassword")),
            (Some(password), false) => MeterPasswordChange::Set(password),
            (None, true) => MeterPasswordChange::Clear,
            (None, false) => MeterPasswordChange::Keep,
        };
        Ok(MeterEdit {
            nickname: self.nickname,
            version: self.version,
            gateway_id: None,
            tags: self.tags,
            password,
        })
    }
}

fn both(field: &str, clear: &str) -> IpcError {
    IpcError {
        field: Some(field.to_string()),
        ..IpcError::new(
            crate::error::ErrorCode::InvalidInput,
            format!("{field}: give a new {field} or {clear}, not both"),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_keychain::MemoryKeychain;
    use push3_inventory::{Inventory, NewGateway};

    fn form(json: serde_json::Value) -> GatewayEditForm {
        serde_json::from_value(json).unwrap()
    }

    fn inventory_with_site_a() -> (tempfile::TempDir, Inventory<MemoryKeychain>, GatewayId) {
        let dir = tempfile::tempdir().unwrap();
        let inventory = Inventory::with_keychain(dir.path(), MemoryKeychain::default());
        let mut new = NewGateway::new("Site A", Secret::new("old-key-0001"));
        new.token = Some(Secret::new("old-token-01"));
        let id = inventory.add_gateway(new).unwrap().id;
        (dir, inventory, id)
    }

    #[test]
    fn one_form_renames_replaces_the_key_and_removes_the_token() {
        let (_dir, inventory, id) = inventory_with_site_a();
        let edited = form(serde_json::json!({
            "name": "Site B", "key": "new-key-0002", "clearToken": true
        }))
        .into_changes()
        .unwrap()
        .apply(&inventory, &id)
        .unwrap();
        assert_eq!(edited.name, "Site B");
        assert_eq!(edited.key_hint, "••••0002");
        assert!(!edited.has_token);
        let credentials = inventory.credentials(&id).unwrap();
        assert_eq!(credentials.key.unwrap().expose(), "new-key-0002");
        assert!(credentials.token.is_none());
    }

    #[test]
    fn an_empty_form_changes_nothing() {
        let (_dir, inventory, id) = inventory_with_site_a();
        let before = inventory.gateway(&id).unwrap();
        let after = GatewayEditForm::default()
            .into_changes()
            .unwrap()
            .apply(&inventory, &id)
            .unwrap();
        assert_eq!(after, before);
        assert_eq!(
            inventory.credentials(&id).unwrap().key.unwrap().expose(),
            "old-key-0001"
        );
    }

    #[test]
    fn a_new_token_and_remove_token_together_are_refused_before_anything_changes() {
        let e = form(serde_json::json!({"token": "t-123456789", "clearToken": true}))
            .into_changes()
            .unwrap_err();
        assert_eq!(e.code, crate::error::ErrorCode::InvalidInput);
        assert_eq!(e.field.as_deref(), Some("token"));
    }

    #[test]
    fn meter_password_is_kept_set_or_cleared() {
        let edit = |json| {
            serde_json::from_value::<MeterEditForm>(json)
                .unwrap()
                .into_edit()
        };
        assert_eq!(
            edit(serde_json::json!({"nickname": "Pump"}))
                .unwrap()
                .password,
            MeterPasswordChange::Keep
        );
        assert_eq!(
            edit(serde_json::json!({"password": "12345678"}))
                .unwrap()
                .password,
            MeterPasswordChange::Set(Secret::new("12345678"))
        );
        assert_eq!(
            edit(serde_json::json!({"clearPassword": true}))
                .unwrap()
                .password,
            MeterPasswordChange::Clear
        );
        let both = edit(serde_json::json!({"password": "12345678", "clearPassword": true}));
        assert_eq!(both.unwrap_err().field.as_deref(), Some("password"));
    }
}
