//! The demo gateway the app and `push3-sim` serve when there is no EKM account.

use crate::config::{GatewayConfig, MeterConfig, SimConfig};
use push3::MeterVersion;

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

impl SimConfig {
    /// The demo gateway on any free port, no faults.
    pub fn demo() -> Self {
        Self::with_gateways(vec![demo_gateway()])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
