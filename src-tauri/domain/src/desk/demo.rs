//! The demo gateway: the simulator running in-process on 127.0.0.1, so the app works with no
//! EKM account. Its key is the docs' public demo key, so it lives in code, not in the keychain.

use push3::{ClientConfig, MeterAddress, MeterVersion, Secret};
use push3_sim::{SimConfig, Simulator};

pub const DEMO_GATEWAY_ID: &str = "demo";

/// Points the demo gateway at a simulator someone else runs (the end-to-end tests hold one so
/// they can inspect its meters), instead of starting one in-process. Only an address on this
/// machine is taken: the demo's promise is that nothing sent to it leaves the machine, so a
/// variable set to any other host (by mistake, or by someone else) is refused and the built-in
/// simulator runs instead.
pub const DEMO_URL_ENV: &str = "PUSH3_DESK_DEMO_URL";

/// The simulator URL `value` (of [`DEMO_URL_ENV`]) may point the demo at, if any.
fn external_simulator(value: Option<String>) -> Option<String> {
    let url = value?;
    if push3::stream::is_loopback_url(&url) {
        return Some(url);
    }
    log::warn!(
        "{DEMO_URL_ENV} is ignored: the demo gateway only talks to this machine (127.0.0.1, ::1 \
         or localhost), and {url:?} is not on it"
    );
    None
}

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
        if let Some(url) = external_simulator(std::env::var(DEMO_URL_ENV).ok()) {
            return Ok(Self {
                api_url: url,
                meters,
                _simulator: None,
            });
        }
        let simulator = Simulator::start_on(runtime, SimConfig::demo_realistic())?;
        Ok(Self {
            api_url: simulator.api_url(),
            meters,
            _simulator: Some(simulator),
        })
    }

    /// How it is reached: the docs' public key, at its simulator.
    pub fn client_config(&self) -> ClientConfig {
        ClientConfig::new(Secret::new(push3_sim::DEMO_KEY)).with_api_url(self.api_url.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_url_override_is_taken_only_for_this_machine() {
        for local in [
            "http://127.0.0.1:8080",
            "http://127.5.6.7:1",
            "http://localhost:9000",
            "http://[::1]:8080",
        ] {
            assert_eq!(
                external_simulator(Some(local.into())).as_deref(),
                Some(local)
            );
        }
        for elsewhere in [
            "https://api.ekmpush.com",
            "http://192.168.1.20:8080",
            "http://10.0.0.1",
            "http://127.0.0.1.example.com",
            "not a url",
        ] {
            assert_eq!(
                external_simulator(Some(elsewhere.into())),
                None,
                "{elsewhere}"
            );
        }
        assert_eq!(external_simulator(None), None);
    }
}
