//! `push3 send`: validate, send, wait, and map the outcome to an exit code.

use crate::data_dir::open_inventory;
use crate::exit::Exit;
use clap::Args;
use push3::{
    Client, ClientConfig, ClientError, CommandKind, ErrorKind, MeterAddress, MeterPassword,
    Outcome, ParseOptions, ParsedCommand, Secret, Transport,
};
use push3_inventory::Inventory;
use serde_json::Value;
use std::path::PathBuf;
use std::time::Duration;

/// Where the key is read from when no `--gateway` is given.
const KEY_VARIABLE: &str = "PUSH3_KEY";

#[derive(Args)]
#[command(
    after_help = "The gateway key is never a flag. With --gateway NAME the key, the API token and the API URL \
of that gateway come from the inventory (the key and token from the OS keychain), and so does the meter's \
password when the meter is in the inventory and --params has no meter_password. Without --gateway the key \
is read from the environment variable PUSH3_KEY.\n\
Exit codes: 0 success (the response message on stdout as one line of JSON), 1 the gateway reported failure \
or the API refused the request, 2 invalid input, unknown gateway or no usable keychain (nothing sent), \
3 no response before the timeout (unconfirmed)."
)]
pub struct SendArgs {
    /// The command name, e.g. SetRelay (see `push3 commands`).
    command: String,
    /// The meter address: 1-12 digits, zero-padded to 12.
    #[arg(long, value_name = "ADDRESS")]
    meter: String,
    /// The command parameters as a JSON object, e.g. '{"relay":"Relay_1","status":"close","duration":1}'.
    #[arg(long, value_name = "JSON", default_value = "{}")]
    params: String,
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
    /// Send through this gateway of the inventory (see `push3 gateway list`), with its key from
    /// the OS keychain.
    #[arg(long, value_name = "NAME")]
    gateway: Option<String>,
}

/// How to reach the API, and the meter password it knows of.
struct Access {
    api_url: String,
    key: Secret,
    token: Option<Secret>,
    meter_password: Option<MeterPassword>,
}

/// Everything checked before anything is sent.
struct Prepared {
    client: Client,
    meter: MeterAddress,
    /// `None` for `--raw`.
    parsed: Option<ParsedCommand>,
    params: Value,
    timeout: Duration,
}

/// Checks the input first (the most useful message), then the key and the client settings.
fn prepare(args: &SendArgs, data_dir: Option<PathBuf>) -> Result<Prepared, Exit> {
    let meter =
        MeterAddress::parse(&args.meter).map_err(|e| Exit::invalid(format!("--meter: {e}")))?;
    let params: Value = serde_json::from_str(&args.params)
        .map_err(|e| Exit::invalid(format!("--params is not valid JSON ({e})")))?;
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
        .transport
        .parse()
        .map_err(|e| Exit::invalid(format!("--transport: {e}")))?;
    if !(args.timeout.is_finite() && args.timeout > 0.0 && args.timeout <= 86_400.0) {
        return Err(Exit::invalid(
            "--timeout: a number of seconds above 0 and at most 86400",
        ));
    }
    // A password typed in --params wins; a stored one is looked up only when it would be used.
    let wants_password = parsed.as_ref().is_some_and(|p| p.meter_password.is_none());
    let access = match &args.gateway {
        Some(name) => {
            let inventory = open_inventory(data_dir)?;
            stored_access(&inventory, name, &meter, wants_password)?
        }
        None => access_from_environment()?,
    };
    if let (Some(parsed), Some(password)) = (parsed.as_mut(), access.meter_password) {
        parsed.meter_password.get_or_insert(password);
    }
    let timeout = Duration::from_secs_f64(args.timeout);
    let mut config = ClientConfig::new(access.key)
        .with_api_url(args.api_url.clone().unwrap_or(access.api_url))
        .with_transport(transport)
        .with_timeout(timeout);
    config.bearer_token = access.token;
    let client = Client::new(config).map_err(|e| Exit::invalid(e.to_string()))?;
    Ok(Prepared {
        client,
        meter,
        parsed,
        params,
        timeout,
    })
}

fn access_from_environment() -> Result<Access, Exit> {
    let key = std::env::var(KEY_VARIABLE)
        .ok()
        .filter(|k| !k.trim().is_empty())
        .ok_or_else(|| {
            Exit::invalid(format!(
                "no gateway key: set the environment variable {KEY_VARIABLE}, or name a stored \
                 gateway with --gateway NAME"
            ))
        })?;
    Ok(Access {
        api_url: push3::client::DEFAULT_API_URL.to_string(),
        key: Secret::new(key),
        token: None,
        meter_password: None,
    })
}

/// The gateway's credentials from the keychain and, when `wants_password` and the meter is in the
/// inventory with a non-default password, that password.
fn stored_access(
    inventory: &Inventory,
    gateway_name: &str,
    meter: &MeterAddress,
    wants_password: bool,
) -> Result<Access, Exit> {
    let gateway = inventory.gateway_by_name(gateway_name)?;
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
        api_url: credentials.api_url,
        key: credentials.key,
        token: credentials.token,
        meter_password,
    })
}

pub async fn run(args: SendArgs, data_dir: Option<PathBuf>) -> Exit {
    let Prepared {
        client,
        meter,
        parsed,
        params,
        timeout,
    } = match prepare(&args, data_dir) {
        Ok(p) => p,
        Err(exit) => return exit,
    };
    let pending = match &parsed {
        Some(parsed) => client.send(&meter, parsed).await,
        None => {
            eprintln!(
                "push3: warning: --raw sends {} with unvalidated parameters",
                args.command
            );
            client.send_raw(&meter, &args.command, &params).await
        }
    };
    let pending = match pending {
        Ok(pending) => pending,
        Err(e) => return sending_failed(e),
    };
    let msg_id = pending.msg_id().to_string();
    match pending.outcome().await {
        outcome @ Outcome::Confirmed { .. } => {
            let message = outcome
                .response_message(&msg_id)
                .expect("a confirmed outcome has a message");
            Exit::Success(serde_json::to_string(&message).expect("a response message serializes"))
        }
        Outcome::Failed { error, .. } => {
            Exit::failure(format!("the gateway reported failure: {error}"))
        }
        Outcome::Rejected { error } => {
            Exit::failure(format!("the API rejected the request: {error}"))
        }
        Outcome::Unconfirmed => {
            Exit::Unconfirmed(unconfirmed_text(&args.command, &msg_id, timeout))
        }
    }
}

fn sending_failed(e: ClientError) -> Exit {
    match e.kind() {
        ErrorKind::InvalidInput | ErrorKind::InvalidConfig => Exit::invalid(e.to_string()),
        ErrorKind::Rejected => Exit::failure(format!("the API rejected the request: {e}")),
        ErrorKind::Network | ErrorKind::HttpStatus | ErrorKind::BadResponse => {
            Exit::failure(e.to_string())
        }
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
