//! The demo gateway: the simulator running in-process on 127.0.0.1, so the app works with no
//! EKM account. Its key is the docs' public demo key, so it lives in code, not in the keychain.

use push3::{MeterAddress, MeterVersion};
use push3_sim::{SimConfig, Simulator};

pub const DEMO_GATEWAY_ID: &str = "demo";

/// Points the demo gateway at a simulator someone else runs (the end-to-end tests hold one so
/// they can inspect its meters), instead of starting one in-process.
pub const DEMO_URL_ENV: &str = "PUSH3_DESK_DEMO_URL";

pub struct DemoGateway {
    pub api_url: String,
    pub meters: Vec<DemoMeter>,
    /// Kept alive for as long as the app runs; `None` when an external simulator is used.
    _simulator: Option<Simulator>,
}

pub struct DemoMeter {
    pub address: MeterAddress,
    pub name: String,
    pub version: MeterVersion,
}

impl DemoGateway {
    pub fn start(runtime: &tokio::runtime::Handle) -> std::io::Result<Self> {
        let meters = push3_sim::demo_gateway()
            .meters
            .into_iter()
            .map(|m| DemoMeter {
                address: MeterAddress::parse(&m.address).expect("demo addresses are valid"),
                name: m.name,
                version: m.version,
            })
            .collect();
        if let Ok(url) = std::env::var(DEMO_URL_ENV) {
            return Ok(Self {
                api_url: url,
                meters,
                _simulator: None,
            });
        }
        let simulator = Simulator::start_on(runtime, SimConfig::demo())?;
        Ok(Self {
            api_url: simulator.api_url(),
            meters,
            _simulator: Some(simulator),
        })
    }
}
