//! `push3 profile list|show|load|remove`: the wire profiles gateways speak (push3's
//! `undocumented::profile`), the same ones the app's gateway dialog offers.

use crate::exit::Exit;
use crate::listing::columns;
use clap::{Args, Subcommand};
use push3_domain::store::InventoryStore;
use push3_inventory::{InventoryError, LoadedProfile};
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum ProfileCommand {
    /// List the profiles: built in, then loaded from files.
    List,
    /// Print a profile's file, to copy and correct (then `push3 profile load`).
    Show(ShowArgs),
    /// Check a profile file and keep it; one with the id of a loaded profile replaces it, and
    /// every gateway on that id speaks it from its next command.
    Load(LoadArgs),
    /// Forget a loaded profile; refused while a gateway speaks it, naming the gateways.
    Remove(RemoveArgs),
}

#[derive(Args)]
pub struct ShowArgs {
    id: String,
}

#[derive(Args)]
pub struct RemoveArgs {
    id: String,
}

#[derive(Args)]
pub struct LoadArgs {
    /// The profile file (JSON).
    file: PathBuf,
}

pub fn run(command: ProfileCommand, inventory: &dyn InventoryStore) -> Result<Exit, Exit> {
    match command {
        ProfileCommand::List => {
            let rows: Vec<Vec<String>> = inventory
                .wire_profiles()?
                .iter()
                .map(|p| {
                    vec![
                        p.id.clone(),
                        format!("from {}", p.schedule_numbering),
                        if p.is_built_in() {
                            "built in"
                        } else {
                            "loaded"
                        }
                        .to_string(),
                        p.name.clone(),
                    ]
                })
                .collect();
            Ok(Exit::Success(columns(
                &["ID", "SCHEDULES", "SOURCE", "NAME"],
                &rows,
            )))
        }
        ProfileCommand::Show(args) => {
            let profile = inventory
                .wire_profile(args.id.trim())
                .map_err(|e| match e {
                    InventoryError::Invalid(e) => {
                        Exit::Refused(format!("{e} (see `push3 profile list`)"))
                    }
                    other => other.into(),
                })?;
            Ok(Exit::Success(profile.to_file()))
        }
        ProfileCommand::Remove(args) => {
            let id = args.id.trim();
            inventory.remove_wire_profile(id)?;
            Ok(Exit::Success(format!("Removed wire profile {id}")))
        }
        ProfileCommand::Load(args) => {
            let text = std::fs::read_to_string(&args.file)
                .map_err(|e| Exit::invalid(format!("{}: {e}", args.file.display())))?;
            let loaded = inventory.load_wire_profile(&text).map_err(|e| match e {
                InventoryError::Invalid(e) => {
                    Exit::invalid(format!("{}: {e}", args.file.display()))
                }
                other => other.into(),
            })?;
            Ok(Exit::Success(loaded_message(&loaded)))
        }
    }
}

/// What `push3 profile load` did, with a replacement and the gateways it reaches said outright.
fn loaded_message(loaded: &LoadedProfile) -> String {
    let profile = &loaded.profile;
    let done = if loaded.replaced {
        "Replaced the loaded wire profile"
    } else {
        "Loaded wire profile"
    };
    let next = match loaded.spoken_by.as_slice() {
        [] => format!(
            "set a gateway to it with `push3 gateway set NAME --wire-profile {}`",
            profile.id
        ),
        [one] => format!("gateway {one} speaks it from its next command"),
        many => format!(
            "gateways {} speak it from their next command",
            many.join(", ")
        ),
    };
    format!("{done} {} ({}); {next}", profile.id, profile.name)
}
