//! `push3 send`: validate, put the command on record, send, wait, record the outcome, and map
//! it to an exit code.

use crate::data_dir::{open_records, open_store};
use crate::exit::Exit;
use clap::Args;
use push3::undocumented::WireProfile;
use push3::{
    Client, ClientError, CommandKind, ErrorKind, MeterAddress, MeterPassword, Outcome,
    ParseOptions, ParsedCommand, Secret, Transport,
};
use push3_audit::{NewEntry, Source};
use push3_domain::store::InventoryStore;
use push3_domain::{Learning, Unsent};
use push3_fleet::Turn;
use push3_inventory::{GatewayCredentials, GatewayId, InventoryError};
use serde_json::Value;
use std::path::PathBuf;
use std::time::Duration;

/// Where the key is read from when no `--gateway` is given.
const KEY_VARIABLE: &str = "PUSH3_KEY";
/// Where an API token is read from when no `--gateway` is given: with the key, or alone for an
/// account reached by its token.
const TOKEN_VARIABLE: &str = "PUSH3_TOKEN";

#[derive(Args)]
#[command(
    after_help = "The gateway key is never a flag. With --gateway NAME the key, the API token and the API URL \
of that gateway come from the inventory (the key and token from the OS keychain), and so does the meter's \
password when the meter is in the inventory and --params has no meter_password. Without --gateway the key \
is read from the environment variable PUSH3_KEY and an API token from PUSH3_TOKEN (either or both).\n\
Every command, --raw ones too, is recorded in the audit log of the data dir before it is sent and again \
when it ends (see `push3 history`), meter passwords masked; a command that cannot be recorded is not \
sent. Through --gateway, what a confirmed command set is remembered for `push3 apply` and the app, and a \
confirmed SetMeterPassword replaces the stored password.\n\
Exit codes: 0 success (the response message on stdout as one line of JSON), 1 the gateway reported failure \
or the API refused the request, 2 invalid input, unknown gateway, no usable keychain or no audit log \
(nothing sent), 3 no response before the timeout (unconfirmed)."
)]
pub struct SendArgs {
    /// The command name, e.g. SetRelay (see `push3 commands`).
    command: String,
    /// The command parameters as a JSON object, e.g. '{"relay":"Relay_1","status":"close","duration":1}'.
    #[arg(long, value_name = "JSON", default_value = "{}")]
    params: String,
    #[command(flatten)]
    connection: Connection,
    /// RAW: send COMMAND and --params exactly as given, skipping parameter validation (the meter
    /// address is still checked; no stored meter password is added). For commands EKM adds later
    /// or shapes we guessed wrong.
    #[arg(long)]
    raw: bool,
    /// Accept the experimental SetSeasonSchedules (no documented API command).
    #[arg(long)]
    experimental_seasons: bool,
    /// The meter's current CT ratio, to check SetPulseOutputRatio against it.
    #[arg(long, value_name = "AMPS")]
    ct_ratio: Option<u16>,
}

impl SendArgs {
    pub fn command(&self) -> &str {
        &self.command
    }

    /// A validated command with no parameters to `connection`'s meter: what `push3 read` sends.
    pub fn read(command: CommandKind, connection: Connection) -> Self {
        Self {
            command: command.name().to_string(),
            params: "{}".into(),
            connection,
            raw: false,
            experimental_seasons: false,
            ct_ratio: None,
        }
    }
}

/// Which meter, through which gateway, and how: `push3 send`'s and `push3 read`'s options.
#[derive(Args)]
pub struct Connection {
    /// The meter address: 1-12 digits, zero-padded to 12.
    #[arg(long, value_name = "ADDRESS")]
    meter: String,
    /// The API base URL; http:// only for localhost (e.g. the simulator) [default: the
    /// gateway's with --gateway, otherwise https://api.ekmpush.com].
    #[arg(long, value_name = "URL")]
    api_url: Option<String>,
    /// How to read the response stream.
    #[arg(long, value_name = "ws|http|auto", default_value = "auto")]
    transport: String,
    /// Seconds to wait for the response before reporting it unconfirmed.
    #[arg(long, value_name = "SECONDS", default_value_t = push3::limits::DEFAULT_TIMEOUT_SECS as f64)]
    timeout: f64,
    /// Send through this gateway of the inventory (see `push3 gateway list`), with its key from
    /// the OS keychain.
    #[arg(long, value_name = "NAME")]
    gateway: Option<String>,
    /// The wire profile for the undocumented Set… commands (see `push3 profile list`)
    /// [default: the gateway's with --gateway, otherwise nested-from-1].
    #[arg(long, value_name = "ID")]
    wire_profile: Option<String>,
}

/// How to reach the API, and the meter password it knows of.
struct Access {
    credentials: GatewayCredentials,
    meter_password: Option<MeterPassword>,
    /// `None` when the key came from [`KEY_VARIABLE`].
    gateway: Option<StoredGateway>,
}

/// The inventory gateway a command goes through.
struct StoredGateway {
    id: GatewayId,
    name: String,
}

/// Everything checked before anything is sent.
struct Prepared {
    client: Client,
    meter: MeterAddress,
    /// `None` for `--raw`.
    parsed: Option<ParsedCommand>,
    params: Value,
    timeout: Duration,
    gateway: Option<StoredGateway>,
}

/// Checks the input first (the most useful message), then the key and the client settings.
fn prepare(args: &SendArgs, inventory: &dyn InventoryStore) -> Result<Prepared, Exit> {
    let meter = MeterAddress::parse(&args.connection.meter)
        .map_err(|e| Exit::invalid(format!("--meter: {e}")))?;
    let params: Value = serde_json::from_str(&args.params)
        .map_err(|e| Exit::invalid(format!("--params is not valid JSON ({e})")))?;
    // parse refuses params that are not an object; --raw skips parse, so they are refused here,
    // before anything is put on record.
    if args.raw && !params.is_object() {
        return Err(Exit::invalid(
            "--params: a JSON object, e.g. '{\"ct_ratio\":\"200\"}'",
        ));
    }
    let mut parsed = if args.raw {
        None
    } else {
        let opts = ParseOptions {
            experimental_seasons: args.experimental_seasons,
            current_ct_ratio: args.ct_ratio,
        };
        Some(
            push3::parse(&args.command, &params, &opts)
                .map_err(|e| Exit::invalid(e.to_string()))?,
        )
    };
    let transport: Transport = args
        .connection
        .transport
        .parse()
        .map_err(|e| Exit::invalid(format!("--transport: {e}")))?;
    let timeout = response_timeout(args.connection.timeout)?;
    // A password typed in --params wins; a stored one is looked up only when it would be used.
    let wants_password = parsed.as_ref().is_some_and(|p| p.meter_password.is_none());
    let access = match &args.connection.gateway {
        Some(name) => stored_access(inventory, name, &meter, wants_password)?,
        None => access_from_environment()?,
    };
    if let (Some(parsed), Some(password)) = (parsed.as_mut(), access.meter_password) {
        parsed.meter_password.get_or_insert(password);
    }
    let mut config = access
        .credentials
        .client_config()
        .with_transport(transport)
        .with_timeout(timeout);
    if let Some(api_url) = &args.connection.api_url {
        config = config.with_api_url(api_url.clone());
    }
    if let Some(id) = &args.connection.wire_profile {
        let profile = inventory.wire_profile(id.trim()).map_err(|e| match e {
            InventoryError::Invalid(e) => Exit::invalid(format!("--wire-profile: {e}")),
            other => other.into(),
        })?;
        config = config.with_profile(profile);
    }
    let client = Client::new(config).map_err(|e| Exit::invalid(e.to_string()))?;
    Ok(Prepared {
        client,
        meter,
        parsed,
        params,
        timeout,
        gateway: access.gateway,
    })
}

/// `--timeout`, shared with `push3 apply`.
pub fn response_timeout(seconds: f64) -> Result<Duration, Exit> {
    if seconds.is_finite() && seconds > 0.0 && seconds <= 86_400.0 {
        Ok(Duration::from_secs_f64(seconds))
    } else {
        Err(Exit::invalid(
            "--timeout: a number of seconds above 0 and at most 86400",
        ))
    }
}

fn access_from_environment() -> Result<Access, Exit> {
    let read = |variable: &str| {
        std::env::var(variable)
            .ok()
            .filter(|v| !v.trim().is_empty())
            .map(Secret::new)
    };
    let (key, token) = (read(KEY_VARIABLE), read(TOKEN_VARIABLE));
    if key.is_none() && token.is_none() {
        return Err(Exit::invalid(format!(
            "no gateway key: set the environment variable {KEY_VARIABLE} (or {TOKEN_VARIABLE} for \
             an API token), or name a stored gateway with --gateway NAME"
        )));
    }
    Ok(Access {
        credentials: GatewayCredentials {
            api_url: push3::client::DEFAULT_API_URL.to_string(),
            key,
            token,
            profile: WireProfile::default_profile().clone(),
        },
        meter_password: None,
        gateway: None,
    })
}

/// The gateway's credentials from the keychain and, when `wants_password` and the meter is in the
/// inventory with a non-default password, that password.
fn stored_access(
    inventory: &dyn InventoryStore,
    gateway_name: &str,
    meter: &MeterAddress,
    wants_password: bool,
) -> Result<Access, Exit> {
    let gateway = crate::gateway::named(inventory, gateway_name)?;
    let credentials = inventory.credentials(&gateway.id)?;
    let stored_meter = inventory
        .list_meters(&Default::default())?
        .into_iter()
        .find(|m| &m.address == meter);
    if let Some(stored) = &stored_meter {
        if stored.gateway_id != gateway.id {
            eprintln!(
                "push3: warning: meter {meter} is listed under another gateway in the inventory; \
                 sending through {:?} as asked",
                gateway.name
            );
        }
    }
    let stored_password = match stored_meter {
        Some(_) if wants_password => inventory.meter_password(meter)?,
        _ => None,
    };
    // The inventory stores 8 digits only, so this refuses nothing but a hand-edited keychain.
    let meter_password = stored_password
        .map(|p| MeterPassword::parse(p.expose()))
        .transpose()
        .map_err(|e| Exit::invalid(format!("the stored password of meter {meter}: {e}")))?;
    Ok(Access {
        credentials,
        meter_password,
        gateway: Some(StoredGateway {
            id: gateway.id,
            name: gateway.name,
        }),
    })
}

pub async fn run(args: SendArgs, data_dir: Option<PathBuf>) -> Exit {
    match deliver(&args, data_dir).await {
        Ok(Delivered {
            outcome,
            msg_id,
            timeout,
        }) => exit_for(&args.command, outcome, &msg_id, timeout),
        Err(exit) => exit,
    }
}

/// A command's fate, once it is on record.
pub struct Delivered {
    pub outcome: Outcome,
    pub msg_id: String,
    pub timeout: Duration,
}

/// Checks, records, sends and waits: everything `push3 send` does before it prints.
pub async fn deliver(args: &SendArgs, data_dir: Option<PathBuf>) -> Result<Delivered, Exit> {
    let store = open_store(data_dir)?;
    let Prepared {
        client,
        meter,
        parsed,
        params,
        timeout,
        gateway,
    } = prepare(args, store.inventory())?;
    let records = open_records(&store)?;
    let (gateway_id, gateway_name) = match &gateway {
        Some(g) => (g.id.to_string(), g.name.clone()),
        // The audit log names the key's source as the gateway; an inventory id is 32 hex digits,
        // so the two never mix in a filter.
        None => (KEY_VARIABLE.into(), KEY_VARIABLE.into()),
    };
    let sent = match &parsed {
        Some(parsed) => {
            let entry = NewEntry::for_command(
                Source::Cli,
                gateway_id,
                gateway_name,
                &meter,
                parsed,
                &client.config().profile,
            );
            let learning = match &gateway {
                Some(_) => Learning::Stored,
                // A PUSH3_KEY send knows no gateway of the inventory to keep anything under.
                None => Learning::Nothing,
            };
            records
                .send_on_record(
                    entry,
                    client.send(&meter, parsed),
                    Turn::now(),
                    Some(&parsed.command),
                    learning,
                    |_| {},
                )
                .await
        }
        None => {
            eprintln!(
                "push3: warning: --raw sends {} with unvalidated parameters",
                args.command
            );
            let entry = NewEntry {
                time: chrono::Utc::now(),
                source: Source::Cli,
                gateway_id,
                gateway_name,
                meter: meter.clone(),
                command: args.command.clone(),
                // Masked by the audit log like any other: a raw command may carry anything.
                params: params.clone(),
                summary: format!("{} sent raw (parameters not validated)", args.command),
            };
            records
                .send_on_record(
                    entry,
                    client.send_raw(&meter, &args.command, &params),
                    Turn::now(),
                    None,
                    Learning::Nothing,
                    |_| {},
                )
                .await
        }
    };
    let sent = match sent {
        Ok(sent) => sent,
        Err(Unsent::NotRecorded(e)) => {
            return Err(Exit::Refused(format!(
                "nothing was sent: the command could not be put on record in the audit log: {}",
                e.message()
            )))
        }
        Err(Unsent::Failed(e)) => return Err(sending_failed(e)),
        Err(Unsent::PasswordNotStored { error, .. }) => {
            return Err(Exit::failure(format!(
                "the meter took the new password, but it could not be stored: {} Remove the \
                 meter and add it again with --with-password, or later commands through the \
                 inventory will fail.",
                error.message()
            )))
        }
    };
    Ok(Delivered {
        outcome: sent.outcome,
        msg_id: sent.msg_id.unwrap_or_default(),
        timeout,
    })
}

/// The exit for a delivered command: its response message on stdout when confirmed.
pub fn exit_for(command: &str, outcome: Outcome, msg_id: &str, timeout: Duration) -> Exit {
    match outcome {
        outcome @ Outcome::Confirmed { .. } => {
            let message = outcome
                .response_message(msg_id)
                .expect("a confirmed outcome has a message");
            Exit::Success(serde_json::to_string(&message).expect("a response message serializes"))
        }
        Outcome::Failed { error, .. } => {
            Exit::failure(format!("the gateway reported failure: {error}"))
        }
        Outcome::Rejected { error } => {
            Exit::failure(format!("the API rejected the request: {error}"))
        }
        Outcome::Unconfirmed => Exit::Unconfirmed(unconfirmed_text(command, msg_id, timeout)),
    }
}

/// A request that failed outright. A 400 is not one: it arrives as the `Rejected` outcome.
fn sending_failed(e: ClientError) -> Exit {
    match e.kind() {
        ErrorKind::InvalidInput | ErrorKind::InvalidConfig => Exit::invalid(e.to_string()),
        ErrorKind::Rejected
        | ErrorKind::Network
        | ErrorKind::HttpStatus
        | ErrorKind::BadResponse => Exit::failure(e.to_string()),
    }
}

/// Unconfirmed is not failed: the gateway may run the command later (G10).
fn unconfirmed_text(command: &str, msg_id: &str, timeout: Duration) -> String {
    let mut text = format!(
        "no response within {} s (msg_id {msg_id}); the gateway may still run the command later. Read the setting \
         back before sending it again.",
        timeout.as_secs_f64()
    );
    if CommandKind::from_name(command) == Some(CommandKind::SetRelay) {
        text.push_str(" Warning: the relay may still switch.");
    }
    text
}
