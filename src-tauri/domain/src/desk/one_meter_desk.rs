//! For the desk's unit tests: an app on a fresh store in a temporary folder, with one simulated
//! gateway of one V4 meter added through the desk, as the dialogs add them.

use super::Desk;
use crate::store::LocalStore;
use crate::test_keychain::MemoryKeychain;
use push3_sim::{GatewayConfig, MeterConfig, SimConfig, Simulator, DEMO_KEY};
use serde_json::json;
use std::sync::Arc;

pub const METER: &str = "000350000900";

pub struct OneMeterDesk {
    pub sim: Simulator,
    pub desk: Desk,
    pub gateway_id: String,
    /// Kept for the store's life.
    _dir: tempfile::TempDir,
}

impl OneMeterDesk {
    /// `configure` adjusts the simulator (faults, wire profile) before it starts.
    pub async fn start(name: &str, configure: impl FnOnce(&mut SimConfig)) -> Self {
        let mut config = SimConfig::with_gateways(vec![GatewayConfig::new(
            name,
            DEMO_KEY,
            vec![MeterConfig::new(METER, push3::MeterVersion::V4, "Boiler")],
        )]);
        configure(&mut config);
        let sim = Simulator::start(config).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let store = LocalStore::with_keychain(dir.path(), MemoryKeychain::default());
        let desk = Desk::on_store(Arc::new(store), &tokio::runtime::Handle::current()).unwrap();
        let gateway = desk
            .add_gateway(
                serde_json::from_value(json!({
                    "name": name, "apiUrl": sim.api_url(), "key": DEMO_KEY
                }))
                .unwrap(),
            )
            .await
            .unwrap();
        desk.add_meter(
            serde_json::from_value(json!({
                "gatewayId": gateway.id, "address": METER, "version": "V4"
            }))
            .unwrap(),
        )
        .await
        .unwrap();
        Self {
            sim,
            desk,
            gateway_id: gateway.id,
            _dir: dir,
        }
    }

    /// The store's folder, for a second handle on it (another process's view).
    pub fn dir(&self) -> &std::path::Path {
        self._dir.path()
    }
}
