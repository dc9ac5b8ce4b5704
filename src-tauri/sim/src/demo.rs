//! The demo gateway the app and `push3-sim` serve when there is no EKM account.

use crate::config::{GatewayConfig, MeterConfig, SimConfig};
use push3::MeterVersion;
use std::time::Duration;

/// The public demo key from EKM's docs (base64 of `1010:2020`, reference §1.2). Never a real key.
pub const DEMO_KEY: &str = "MTAxMDoyMDIw";

/// The demo tenant's non-factory meter password, shown in that meter's name so a user can try it.
pub const DEMO_TENANT_PASSWORD: &str = "12345678";

/// A handful of meters of each version with plausible names. `000350000900` is the seed's
/// example meter, a V4 on the factory password.
pub fn demo_gateway() -> GatewayConfig {
    GatewayConfig::new(
        "Demo gateway (simulated)",
        DEMO_KEY,
        vec![
            MeterConfig::new("000350000900", MeterVersion::V4, "Main service panel"),
            MeterConfig::new("000300004127", MeterVersion::V4, "Rooftop HVAC"),
            MeterConfig::new("000000030001", MeterVersion::V3, "Warehouse lighting"),
            MeterConfig::new("000400012345", MeterVersion::V5, "EV chargers"),
            MeterConfig::new("000350001234", MeterVersion::V4, "Tenant suite 2B")
                .with_password(DEMO_TENANT_PASSWORD),
        ],
    )
}

/// What the demo gateway takes per meter command when it plays a real one: a Push3 gateway
/// runs commands one at a time over its RS-485 bus, a few hundred milliseconds each.
pub const DEMO_SERVICE_TIME: Duration = Duration::from_millis(300);

impl SimConfig {
    /// The demo gateway on any free port, no faults, answering at once: for tests.
    pub fn demo() -> Self {
        Self::with_gateways(vec![demo_gateway()])
    }

    /// The demo gateway as the app and `push3-sim` serve it to people: one command at a time,
    /// [`DEMO_SERVICE_TIME`] each, so a bulk job shows its pacing in everyday use.
    pub fn demo_realistic() -> Self {
        let mut config = Self::demo();
        config.faults.latency = DEMO_SERVICE_TIME;
        config.faults.concurrent = false;
        config
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_realistic_demo_runs_one_command_at_a_time_at_a_gateways_pace() {
        let faults = SimConfig::demo_realistic().faults;
        assert_eq!(
            (faults.latency, faults.concurrent),
            (DEMO_SERVICE_TIME, false)
        );
        assert!((200..=500).contains(&DEMO_SERVICE_TIME.as_millis()));
    }

    #[test]
    fn demo_has_the_seed_meter_and_every_version() {
        let config = SimConfig::demo();
        let gateway = &config.gateways[0];
        assert_eq!(gateway.key, "MTAxMDoyMDIw");
        let seed_meter = gateway
            .meters
            .iter()
            .find(|m| m.address == "000350000900")
            .unwrap();
        assert_eq!(seed_meter.version, MeterVersion::V4);
        assert_eq!(seed_meter.password, "00000000");
        for version in MeterVersion::ALL {
            assert!(
                gateway.meters.iter().any(|m| m.version == version),
                "{version}"
            );
        }
    }
}
