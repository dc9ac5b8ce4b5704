//! Push3: a Tauri-free client for EKM's Push3 Device Settings API.
//!
//! It knows HTTP, JSON and Push3, and nothing of windows: the app, the `push3` CLI and the
//! simulator all build on it.
//!
//! * [`limits`]: every meter constant (reference §3), exported to the UI as JSON.
//! * [`command`]: the commands as types and the one validator, [`command::parse`].
//! * [`program`]: whole meter programs (TOU, display, settings), planned against what is known.
//! * [`undocumented`]: ASSUMPTION — the guessed shapes of undocumented params and payloads.
//! * [`wire`]: the JSON bodies of `sendCommand` and the response stream.
//! * [`client`]: validate, send, and wait for the outcome; [`stream`] and `subscription` read
//!   the response push stream, one shared subscription per channel.

pub mod address;
pub mod client;
pub mod command;
pub mod error;
pub mod limits;
pub mod net;
pub mod password;
pub mod program;
pub mod secret;
pub mod stream;
mod subscription;
pub mod tables;
pub mod undocumented;
pub mod version;
pub mod wire;

pub use address::MeterAddress;
pub use client::{
    Client, ClientConfig, ClientError, ConnectionTest, ErrorKind, KeyPlacement, Outcome,
    PendingCommand, ProbeProblem, ProbeStep,
};
pub use command::{parse, Command, CommandKind, ParseOptions, ParsedCommand};
pub use error::ValidationError;
pub use password::MeterPassword;
pub use secret::Secret;
pub use stream::Transport;
pub use subscription::StreamStats;
pub use version::MeterVersion;
