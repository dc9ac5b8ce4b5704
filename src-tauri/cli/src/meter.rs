//! `push3 meter add|list|remove`: the meters of the inventory, each on one gateway. A non-default
//! meter password is read like a key (hidden prompt or stdin) and kept in the OS keychain;
//! `push3 send --gateway` then uses it.

use crate::exit::Exit;
use crate::listing::columns;
use crate::secret_input::SecretInput;
use clap::{Args, Subcommand};
use push3_domain::store::InventoryStore;
use push3_inventory::{
    Gateway, GatewayId, Meter, MeterAddress, MeterFilter, MeterVersion, NewMeter,
};

#[derive(Subcommand)]
pub enum MeterCommand {
    /// Add a meter to a gateway.
    #[command(
        after_help = "With --with-password the meter password (8 digits) is asked for \
without echo at a terminal, otherwise read from the first line of stdin. Without it the meter is \
on the factory password 00000000."
    )]
    Add(AddArgs),
    /// List the meters, all or those on one gateway or with one tag.
    List(ListArgs),
    /// Remove a meter and delete its stored password from the keychain.
    Remove(RemoveArgs),
}

#[derive(Args)]
pub struct AddArgs {
    /// The meter address: 1-12 digits, zero-padded to 12.
    address: String,
    /// The gateway the meter answers through (its name).
    #[arg(long, value_name = "NAME")]
    gateway: String,
    /// The meter's version, which decides the commands it takes.
    #[arg(long, value_name = "V3|V4|V5")]
    version: String,
    /// A name for the meter, unique on its gateway.
    #[arg(long, value_name = "TEXT", default_value = "")]
    nickname: String,
    /// A tag or group for bulk work later; repeat for several.
    #[arg(long = "tag", value_name = "TAG")]
    tags: Vec<String>,
    /// Read a non-default meter password (8 digits) and store it in the OS keychain.
    #[arg(long)]
    with_password: bool,
}

#[derive(Args)]
pub struct ListArgs {
    /// Only the meters on this gateway.
    #[arg(long, value_name = "NAME")]
    gateway: Option<String>,
    /// Only the meters with this tag.
    #[arg(long, value_name = "TAG")]
    tag: Option<String>,
    /// Print the meters as JSON (never a password).
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct RemoveArgs {
    /// The meter address.
    address: String,
}

pub fn run(command: MeterCommand, inventory: &dyn InventoryStore) -> Result<Exit, Exit> {
    match command {
        MeterCommand::Add(args) => add(args, inventory, &mut SecretInput::stdin()),
        MeterCommand::List(args) => list(args, inventory),
        MeterCommand::Remove(args) => remove(&args, inventory),
    }
}

fn address(input: &str) -> Result<MeterAddress, Exit> {
    MeterAddress::parse(input).map_err(|e| Exit::invalid(format!("meter address: {e}")))
}

fn add(
    args: AddArgs,
    inventory: &dyn InventoryStore,
    input: &mut SecretInput,
) -> Result<Exit, Exit> {
    let address = address(&args.address)?;
    let version: MeterVersion = args
        .version
        .parse()
        .map_err(|e: push3_inventory::ValidationError| Exit::invalid(e.to_string()))?;
    let gateway = inventory.gateway_by_name(&args.gateway)?;
    let password = if args.with_password {
        Some(input.read("meter password")?)
    } else {
        None
    };
    let meter = inventory.add_meter(NewMeter {
        address,
        nickname: args.nickname,
        version,
        gateway_id: gateway.id,
        tags: args.tags,
        password,
    })?;
    Ok(Exit::Success(format!(
        "Added meter {} ({}) on gateway {:?}{}",
        meter.address,
        meter.version,
        gateway.name,
        if meter.has_password {
            "; its password is in the OS keychain"
        } else {
            ", on the factory password"
        }
    )))
}

fn list(args: ListArgs, inventory: &dyn InventoryStore) -> Result<Exit, Exit> {
    let gateway_id = match &args.gateway {
        Some(name) => Some(inventory.gateway_by_name(name)?.id),
        None => None,
    };
    let meters = inventory.list_meters(&MeterFilter {
        gateway_id,
        tag: args.tag,
    })?;
    if args.json {
        let json = serde_json::to_string(&meters).expect("meters serialize");
        return Ok(Exit::Success(json));
    }
    if meters.is_empty() {
        return Ok(Exit::Success(
            "No meters match: add one with `push3 meter add ADDRESS --gateway NAME --version V4`"
                .to_string(),
        ));
    }
    let gateways = inventory.list_gateways()?;
    let rows: Vec<Vec<String>> = meters.iter().map(|m| row(m, &gateways)).collect();
    Ok(Exit::Success(columns(
        &[
            "ADDRESS", "VERSION", "GATEWAY", "NICKNAME", "PASSWORD", "TAGS",
        ],
        &rows,
    )))
}

fn gateway_name<'g>(gateways: &'g [Gateway], id: &GatewayId) -> &'g str {
    gateways
        .iter()
        .find(|g| &g.id == id)
        .map_or("?", |g| g.name.as_str())
}

fn row(meter: &Meter, gateways: &[Gateway]) -> Vec<String> {
    vec![
        meter.address.to_string(),
        meter.version.to_string(),
        gateway_name(gateways, &meter.gateway_id).to_string(),
        meter.nickname.clone(),
        if meter.has_password {
            "stored"
        } else {
            "factory"
        }
        .to_string(),
        meter.tags.join(","),
    ]
}

fn remove(args: &RemoveArgs, inventory: &dyn InventoryStore) -> Result<Exit, Exit> {
    let address = address(&args.address)?;
    inventory.remove_meter(&address)?;
    Ok(Exit::Success(format!("Removed meter {address}")))
}
