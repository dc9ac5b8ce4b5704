//! `push3 gateway add|list|set|remove|test`: the gateways of the inventory the app uses, with each key in
//! the OS keychain. The key is read from a hidden prompt or from stdin and never printed: listings
//! show its last four characters behind a mask.

use crate::exit::Exit;
use crate::listing::columns;
use crate::secret_input::SecretInput;
use clap::{Args, Subcommand};
use push3::{Client, ProbeProblem, ProbeStep, Transport};
use push3_audit::Source;
use push3_domain::connection::meter_to_test;
use push3_domain::store::{InventoryStore, Store};
use push3_inventory::{Gateway, GatewayEdit, InventoryError, MeterFilter, NewGateway};
use std::sync::Arc;

#[derive(Subcommand)]
pub enum GatewayCommand {
    /// Add a gateway; its key is read from stdin (a hidden prompt at a terminal) and kept in the
    /// OS keychain.
    #[command(
        after_help = "The key is never a flag. At a terminal it is asked for without echo; \
otherwise it is the first line of stdin, and with --with-token the API token is the second. With \
--token-only the API token is the only line, for an account reached by its token:\n  \
printf '%s\\n' \"$KEY\" | push3 gateway add Office"
    )]
    Add(AddArgs),
    /// List the gateways: name, API URL, a masked hint of the key, whether a token is stored,
    /// the wire profile.
    List(ListArgs),
    /// Change a gateway's name, API URL, note or wire profile (its key and token are not
    /// touched).
    Set(SetArgs),
    /// Remove a gateway and its meters, and delete its key, token and meter passwords from the
    /// keychain.
    Remove(RemoveArgs),
    /// Test a gateway without changing any meter: one read (GetTariffData) to one of its
    /// meters proves the key and token, then its answer on the response stream proves the
    /// stream. Each failure is named: DNS, TLS, a refused key or token, a 403 on the stream, no
    /// answer.
    #[command(
        after_help = "Exit codes: 0 every step passed, 1 a step failed (the reason on stderr), \
2 unknown gateway or meter, no keychain or no audit log (nothing sent), 3 the API took the read but \
no answer came (the gateway may be offline or busy). The read is recorded in the history."
    )]
    Test(TestArgs),
}

#[derive(Args)]
pub struct TestArgs {
    /// The gateway's name (ignoring case).
    name: String,
    /// The meter to read [default: the gateway's first meter by address].
    #[arg(long, value_name = "ADDRESS")]
    meter: Option<String>,
    /// How to read the response stream.
    #[arg(long, value_name = "ws|http|auto", default_value = "auto")]
    transport: String,
    /// Seconds to wait for the meter's answer.
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0)]
    timeout: f64,
    /// Print the result as JSON (the same fields the app shows).
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct AddArgs {
    /// A name to pick the gateway by, e.g. in `push3 send --gateway NAME` (1-64 characters,
    /// unique ignoring case).
    name: String,
    /// The API base URL; http:// only for localhost (e.g. the simulator).
    #[arg(long, value_name = "URL", default_value = push3_inventory::DEFAULT_API_URL)]
    api_url: String,
    /// A note for yourself, e.g. where the gateway is.
    #[arg(long, value_name = "TEXT", default_value = "")]
    note: String,
    /// Also read a bearer token for the API (after the key).
    #[arg(long, conflicts_with = "token_only")]
    with_token: bool,
    /// Read only a bearer token, no gateway key: the newest API page's way in.
    #[arg(long)]
    token_only: bool,
    /// The wire profile it speaks (see `push3 profile list`) [default: nested-from-1].
    #[arg(long, value_name = "ID")]
    wire_profile: Option<String>,
}

#[derive(Args)]
pub struct SetArgs {
    /// The gateway's name (ignoring case).
    name: String,
    /// A new name.
    #[arg(long, value_name = "NAME")]
    rename: Option<String>,
    /// A new API base URL.
    #[arg(long, value_name = "URL")]
    api_url: Option<String>,
    /// A new note.
    #[arg(long, value_name = "TEXT")]
    note: Option<String>,
    /// The wire profile it speaks from its next command (see `push3 profile list`).
    #[arg(long, value_name = "ID")]
    wire_profile: Option<String>,
}

#[derive(Args)]
pub struct ListArgs {
    /// Print the gateways as JSON (the same fields the app shows; never a key).
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct RemoveArgs {
    /// The gateway's name (ignoring case).
    name: String,
}

/// The gateway a `--gateway NAME` flag names; the message of an unknown one names the flag.
pub fn named(inventory: &dyn InventoryStore, name: &str) -> Result<Gateway, Exit> {
    inventory.gateway_by_name(name).map_err(|e| match e {
        InventoryError::NotFound { .. } => Exit::Refused(format!("--gateway: {}", e.message())),
        other => other.into(),
    })
}

pub fn run(command: GatewayCommand, inventory: &dyn InventoryStore) -> Result<Exit, Exit> {
    match command {
        GatewayCommand::Add(args) => add(args, inventory, &mut SecretInput::stdin()),
        GatewayCommand::List(args) => list(&args, inventory),
        GatewayCommand::Set(args) => set(args, inventory),
        GatewayCommand::Remove(args) => remove(&args, inventory),
        GatewayCommand::Test(_) => unreachable!("main runs the test: it needs the records"),
    }
}

/// `push3 gateway test NAME`: the app's connection test, on the record of the data dir.
pub async fn test(args: TestArgs, store: Arc<dyn Store>) -> Result<Exit, Exit> {
    let transport: Transport = args
        .transport
        .parse()
        .map_err(|e| Exit::invalid(format!("--transport: {e}")))?;
    let timeout = crate::send::response_timeout(args.timeout)?;
    let inventory = store.inventory();
    let gateway = named(inventory, &args.name)?;
    let meter = meter_to_test(inventory, &gateway.id, &gateway.name, args.meter.as_deref())
        .map_err(|e| match e {
            InventoryError::Invalid(e) => Exit::invalid(format!("--meter: {e}")),
            other => Exit::Refused(other.message()),
        })?;
    let config = inventory
        .credentials(&gateway.id)?
        .client_config()
        .with_transport(transport)
        .with_timeout(timeout);
    let client = Client::new(config).map_err(|e| Exit::invalid(e.to_string()))?;
    let records = crate::data_dir::open_records(&store)?;
    let test = records
        .test_on_record(
            Source::Cli,
            (gateway.id.as_str(), &gateway.name),
            &meter,
            &client,
            // One command from this process: no line of its own to wait in.
            push3_fleet::Turn::now(),
        )
        .await
        .map_err(|e| {
            Exit::Refused(format!(
                "nothing was sent: the audit log refused the entry: {}",
                e.message()
            ))
        })?;
    let shown = if args.json {
        serde_json::to_string(&test).expect("a connection test serializes")
    } else {
        test.checks
            .iter()
            .map(|c| {
                format!(
                    "{:<4}  {:<6}  {}",
                    if c.passed { "pass" } else { "FAIL" },
                    step_name(c.step),
                    c.message
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    Ok(match test.problem() {
        None => Exit::Success(shown),
        Some(problem) => {
            println!("{shown}");
            let why = test
                .checks
                .iter()
                .find(|c| !c.passed)
                .map(|c| c.message.clone())
                .unwrap_or_default();
            if problem == ProbeProblem::NoAnswer {
                Exit::Unconfirmed(why)
            } else {
                Exit::failure(format!("gateway {:?} failed its test: {why}", gateway.name))
            }
        }
    })
}

fn step_name(step: ProbeStep) -> &'static str {
    match step {
        ProbeStep::Api => "API",
        ProbeStep::Stream => "Stream",
        ProbeStep::Meter => "Meter",
    }
}

fn add(
    args: AddArgs,
    inventory: &dyn InventoryStore,
    input: &mut SecretInput,
) -> Result<Exit, Exit> {
    let key = if args.token_only {
        None
    } else {
        Some(input.read("gateway key")?)
    };
    let token = if args.with_token || args.token_only {
        Some(input.read("API token")?)
    } else {
        None
    };
    let gateway = inventory.add_gateway(NewGateway {
        name: args.name,
        api_url: Some(args.api_url),
        key,
        token,
        note: args.note,
        wire_profile: args.wire_profile,
    })?;
    let (credentials, kept) = match (gateway.has_key(), gateway.has_token) {
        (true, true) => (format!("key {}, API token", gateway.key_hint), "its key is"),
        (true, false) => (format!("key {}", gateway.key_hint), "its key is"),
        _ => ("API token only".to_string(), "its token is"),
    };
    Ok(Exit::Success(format!(
        "Added gateway {:?} ({}, {credentials}, wire profile {}); {kept} in the OS keychain",
        gateway.name, gateway.api_url, gateway.wire_profile,
    )))
}

fn set(args: SetArgs, inventory: &dyn InventoryStore) -> Result<Exit, Exit> {
    let gateway = named(inventory, &args.name)?;
    let edit = GatewayEdit {
        name: args.rename,
        api_url: args.api_url,
        note: args.note,
        wire_profile: args.wire_profile,
    };
    if edit == GatewayEdit::default() {
        return Err(Exit::invalid(
            "nothing to change: give --rename, --api-url, --note or --wire-profile",
        ));
    }
    let edited = inventory.edit_gateway(&gateway.id, edit)?;
    Ok(Exit::Success(format!(
        "Gateway {:?}: {}, wire profile {}",
        edited.name, edited.api_url, edited.wire_profile
    )))
}

fn list(args: &ListArgs, inventory: &dyn InventoryStore) -> Result<Exit, Exit> {
    let gateways = inventory.list_gateways()?;
    if args.json {
        let json = serde_json::to_string(&gateways).expect("gateways serialize");
        return Ok(Exit::Success(json));
    }
    if gateways.is_empty() {
        return Ok(Exit::Success(
            "No gateways yet: add one with `push3 gateway add NAME`".to_string(),
        ));
    }
    let rows: Vec<Vec<String>> = gateways.iter().map(row).collect();
    Ok(Exit::Success(columns(
        &["NAME", "API URL", "KEY", "TOKEN", "PROFILE", "NOTE"],
        &rows,
    )))
}

fn row(gateway: &Gateway) -> Vec<String> {
    vec![
        gateway.name.clone(),
        gateway.api_url.clone(),
        if gateway.has_key() {
            gateway.key_hint.clone()
        } else {
            "none".to_string()
        },
        if gateway.has_token { "yes" } else { "no" }.to_string(),
        gateway.wire_profile.clone(),
        gateway.note.clone(),
    ]
}

fn remove(args: &RemoveArgs, inventory: &dyn InventoryStore) -> Result<Exit, Exit> {
    let gateway = inventory.gateway_by_name(&args.name)?;
    let meters = inventory
        .list_meters(&MeterFilter::on_gateway(gateway.id.clone()))?
        .len();
    inventory.remove_gateway(&gateway.id)?;
    let meters = match meters {
        0 => String::new(),
        1 => " and its 1 meter".to_string(),
        n => format!(" and its {n} meters"),
    };
    Ok(Exit::Success(format!(
        "Removed gateway {:?}{meters}; its secrets are deleted from the OS keychain",
        gateway.name
    )))
}
