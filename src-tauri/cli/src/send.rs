//! `push3 send`: validate, send, wait, and map the outcome to an exit code.

use crate::exit::Exit;
use clap::Args;
use push3::{
    Client, ClientConfig, ClientError, CommandKind, ErrorKind, MeterAddress, Outcome, ParseOptions,
    ParsedCommand, Secret, Transport,
};
use serde_json::Value;
use std::time::Duration;

/// The only place the key is read from (until keychain support arrives with `--gateway`).
const KEY_VARIABLE: &str = "PUSH3_KEY";

#[derive(Args)]
#[command(
    after_help = "The gateway key is read from the environment variable PUSH3_KEY; it is never a flag.\n\
Exit codes: 0 success (the response message on stdout as one line of JSON), 1 the gateway reported failure \
or the API refused the request, 2 invalid input (nothing sent), 3 no response before the timeout (unconfirmed)."
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
    /// The API base URL; http:// only for localhost (e.g. the simulator).
    #[arg(long, value_name = "URL", default_value = push3::client::DEFAULT_API_URL)]
    api_url: String,
    /// How to read the response stream.
    #[arg(long, value_name = "ws|http|auto", default_value = "auto")]
    transport: String,
    /// Seconds to wait for the response before reporting it unconfirmed.
    #[arg(long, value_name = "SECONDS", default_value_t = push3::limits::DEFAULT_TIMEOUT_SECS as f64)]
    timeout: f64,
    /// RAW: send COMMAND and --params exactly as given, skipping parameter validation (the meter
    /// address is still checked). For commands EKM adds later or shapes we guessed wrong.
    #[arg(long)]
    raw: bool,
    /// Accept the experimental SetSeasonSchedules (no documented API command).
    #[arg(long)]
    experimental_seasons: bool,
    /// The meter's current CT ratio, to check SetPulseOutputRatio against it.
    #[arg(long, value_name = "AMPS")]
    ct_ratio: Option<u16>,
    /// Take the key of a gateway stored in the OS keychain (not available yet).
    #[arg(long, value_name = "NAME")]
    gateway: Option<String>,
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
fn prepare(args: &SendArgs) -> Result<Prepared, Exit> {
    let meter =
        MeterAddress::parse(&args.meter).map_err(|e| Exit::invalid(format!("--meter: {e}")))?;
    let params: Value = serde_json::from_str(&args.params)
        .map_err(|e| Exit::invalid(format!("--params is not valid JSON ({e})")))?;
    let parsed = if args.raw {
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
    if args.gateway.is_some() {
        return Err(Exit::invalid(format!(
            "--gateway is not available yet (keychain support comes later); set {KEY_VARIABLE} instead"
        )));
    }
    let key = std::env::var(KEY_VARIABLE)
        .ok()
        .filter(|k| !k.trim().is_empty())
        .ok_or_else(|| {
            Exit::invalid(format!(
                "no gateway key: set the environment variable {KEY_VARIABLE}"
            ))
        })?;
    let timeout = Duration::from_secs_f64(args.timeout);
    let config = ClientConfig::new(Secret::new(key))
        .with_api_url(args.api_url.clone())
        .with_transport(transport)
        .with_timeout(timeout);
    let client = Client::new(config).map_err(|e| Exit::invalid(e.to_string()))?;
    Ok(Prepared {
        client,
        meter,
        parsed,
        params,
        timeout,
    })
}

pub async fn run(args: SendArgs) -> Exit {
    let Prepared {
        client,
        meter,
        parsed,
        params,
        timeout,
    } = match prepare(&args) {
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
