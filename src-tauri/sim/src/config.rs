//! What a simulator serves: its port, gateways and meters, stream behaviour and initial faults.

use crate::faults::Faults;
use push3::MeterVersion;
use std::time::Duration;

/// The factory meter password (reference §3.9); also what a command without `meter_password`
/// is checked against (seed: "Defaults to \"00000000\" if not present").
pub const FACTORY_PASSWORD: &str = "00000000";

/// How JSON messages follow each other on the HTTP stream (reference §1.4, G7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Framing {
    /// Each message is followed by `\n`; pings are a bare `\n`.
    #[default]
    Newline,
    /// Messages are written back to back with nothing between them, as the nginx push stream
    /// module's default template does; pings are a single space.
    BackToBack,
}

/// One simulated Omnimeter as configured at start.
#[derive(Debug, Clone, PartialEq)]
pub struct MeterConfig {
    /// The 12-digit address (`target_id`).
    pub address: String,
    pub version: MeterVersion,
    /// The 8-digit meter password the meter starts with.
    pub password: String,
    /// A human label; the API never sees it.
    pub name: String,
}

impl MeterConfig {
    /// A meter still on the factory password.
    pub fn new(address: &str, version: MeterVersion, name: &str) -> Self {
        Self {
            address: address.to_string(),
            version,
            password: FACTORY_PASSWORD.to_string(),
            name: name.to_string(),
        }
    }

    pub fn with_password(mut self, password: &str) -> Self {
        self.password = password.to_string();
        self
    }
}

/// One Push3 gateway: the key that addresses it and the meters on its RS-485 bus.
#[derive(Debug, Clone, PartialEq)]
pub struct GatewayConfig {
    pub name: String,
    /// The gateway key accepted in `?key=` or the body's `key`.
    pub key: String,
    pub meters: Vec<MeterConfig>,
    /// An offline gateway accepts commands into its queue and runs them when it comes back (G10).
    pub online: bool,
}

impl GatewayConfig {
    pub fn new(name: &str, key: &str, meters: Vec<MeterConfig>) -> Self {
        Self {
            name: name.to_string(),
            key: key.to_string(),
            meters,
            online: true,
        }
    }
}

/// Everything [`crate::Simulator::start`] needs.
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// Port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    pub gateways: Vec<GatewayConfig>,
    pub faults: Faults,
    /// When set, `sendCommand` requires `Authorization: Bearer <token>` (variant C, reference §1.2).
    pub bearer_token: Option<String>,
    /// How many messages each channel keeps for `.bN` backtrack.
    pub backtrack_capacity: usize,
    /// How often an idle subscriber gets a keep-alive ping.
    pub ping_interval: Duration,
    pub framing: Framing,
    /// Whether the undocumented `SetSeasonSchedules` is accepted (G27). On by default so the
    /// app's experimental seasons editor has something to talk to.
    pub experimental_seasons: bool,
    /// The shape GetSchedules' and GetTariffData's `data` take (G29: undocumented).
    pub layout: PayloadLayout,
    /// The `response_channel_host` sendCommand names; `None` names the simulator itself
    /// (`127.0.0.1:PORT`). Tests put a TLS front there, as the real cloud's stream host is
    /// another machine behind TLS.
    pub stream_host: Option<String>,
    /// The shapes its gateways take the undocumented Set… commands in: a command in another
    /// shape is refused with a 400, as a real gateway would refuse it, and a schedule number is
    /// read in the profile's numbering (a from-0 gateway sent the from-1 profile's schedule 1
    /// puts it in slot 2).
    pub wire_profile: push3::undocumented::WireProfile,
}

/// GetSchedules' and GetTariffData's `data`: the nested layouts this app guessed first, or the
/// meter's flat keys as EKM's own libraries list them (reference §2.15, §2.16), with schedules
/// numbered from 1 or from 0 (§9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PayloadLayout {
    #[default]
    Nested,
    Flat(push3::undocumented::flat::Numbering),
}

impl Default for SimConfig {
    /// No gateways, no faults, any free port.
    fn default() -> Self {
        Self {
            port: 0,
            gateways: Vec::new(),
            faults: Faults::default(),
            bearer_token: None,
            backtrack_capacity: 100,
            ping_interval: Duration::from_secs(10),
            framing: Framing::Newline,
            experimental_seasons: true,
            layout: PayloadLayout::Nested,
            stream_host: None,
            wire_profile: push3::undocumented::WireProfile::default_profile().clone(),
        }
    }
}

impl SimConfig {
    /// A config serving the given gateways on any free port.
    pub fn with_gateways(gateways: Vec<GatewayConfig>) -> Self {
        Self {
            gateways,
            ..Self::default()
        }
    }
}
