//! The wire profiles a gateway may speak: the built-in ones, compiled into `push3`, and the files
//! users loaded, kept in the store's `wire_profiles` table so the app and the CLI see the same.

use crate::error::{InventoryError, Result};
use crate::inventory::Inventory;
use crate::keychain::Keychain;
use crate::tables::InventoryDocument;
use push3::undocumented::WireProfile;

impl<K: Keychain> Inventory<K> {
    /// Every profile a gateway may choose: the built-in ones first, then the loaded ones by id.
    pub fn wire_profiles(&self) -> Result<Vec<WireProfile>> {
        let mut profiles = WireProfile::built_in().to_vec();
        for json in self.tables.profile_jsons()? {
            profiles.push(stored(&json)?);
        }
        Ok(profiles)
    }

    /// The profile with this id, built in or loaded.
    pub fn wire_profile(&self, id: &str) -> Result<WireProfile> {
        if let Some(profile) = WireProfile::built_in_by_id(id) {
            return Ok(profile.clone());
        }
        match self.tables.profile_json(id)? {
            Some(json) => stored(&json),
            None => Err(unknown(id)),
        }
    }

    /// Checks a profile file and keeps it. One with the id of a loaded profile replaces it, and
    /// every gateway on that id speaks the corrected shapes from its next command: that is how
    /// a fix for a live gateway reaches it without a new release. What it replaced, and for
    /// whom, is told, so no replacement goes unnoticed. A file that fails a check is refused
    /// with its first bad field, and nothing is kept.
    pub fn load_wire_profile(&self, text: &str) -> Result<LoadedProfile> {
        let profile = WireProfile::parse(text).map_err(InventoryError::Invalid)?;
        let change = self.tables.change()?;
        let document = change.document().clone();
        let replaced = document.loaded_profiles.contains(&profile.id);
        let spoken_by = speakers(&document, &profile.id);
        change.put_profile(&profile.id, &profile.to_file())?;
        change.save(&document)?;
        Ok(LoadedProfile {
            profile,
            replaced,
            spoken_by,
        })
    }

    /// Forgets a loaded profile. A built-in one cannot go, and neither can one a gateway speaks:
    /// that gateway's next command would have no shape to go out in. The gateways are named, so
    /// the user knows which to set to another profile first.
    pub fn remove_wire_profile(&self, id: &str) -> Result<()> {
        let id = id.trim();
        if WireProfile::built_in_by_id(id).is_some() {
            return Err(InventoryError::Invalid(push3::ValidationError::new(
                "wire_profile",
                format!("{id:?}"),
                "only a loaded profile can be removed; the built-in ones stay",
            )));
        }
        let change = self.tables.change()?;
        let document = change.document().clone();
        let id = known_profile(&document, id)?;
        let speaking = speakers(&document, &id);
        if !speaking.is_empty() {
            let (who, them) = match speaking.len() {
                1 => ("gateway", "it"),
                _ => ("gateways", "them"),
            };
            return Err(InventoryError::InUse {
                message: format!(
                    "Wire profile {id} is spoken by {who} {}: set {them} to another profile \
                     first, then remove it",
                    speaking.join(", ")
                ),
            });
        }
        change.delete_profile(&id)?;
        change.save(&document)
    }
}

/// A profile file just loaded.
#[derive(Debug, Clone)]
pub struct LoadedProfile {
    pub profile: WireProfile,
    /// A loaded profile of its id was there before, and is gone.
    pub replaced: bool,
    /// The gateways on its id, by name: they speak it from their next command.
    pub spoken_by: Vec<String>,
}

/// The names of the gateways that speak `id`.
fn speakers(document: &InventoryDocument, id: &str) -> Vec<String> {
    document
        .gateways
        .iter()
        .filter(|g| g.wire_profile == id)
        .map(|g| g.name.clone())
        .collect()
}

/// `id` if a gateway may be set to it (built in, or loaded before this change began).
pub(crate) fn known_profile(document: &InventoryDocument, id: &str) -> Result<String> {
    let id = id.trim();
    if WireProfile::built_in_by_id(id).is_some() || document.loaded_profiles.iter().any(|p| p == id)
    {
        Ok(id.to_string())
    } else {
        Err(unknown(id))
    }
}

fn unknown(id: &str) -> InventoryError {
    let built_in: Vec<&str> = WireProfile::built_in()
        .iter()
        .map(|p| p.id.as_str())
        .collect();
    InventoryError::Invalid(push3::ValidationError::new(
        "wire_profile",
        format!("{id:?}"),
        format!(
            "a built-in profile ({}) or one loaded from a file",
            built_in.join(", ")
        ),
    ))
}

/// A stored profile file, checked again: one this version cannot read is named, not guessed at.
fn stored(json: &str) -> Result<WireProfile> {
    WireProfile::parse(json).map_err(|e| {
        InventoryError::Store(push3_store::StoreError::Corrupt {
            message: format!("a stored wire profile cannot be read ({e}); load it again"),
        })
    })
}
