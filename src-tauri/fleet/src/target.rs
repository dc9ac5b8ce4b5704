//! The meters a fleet operation addresses: where each is, what it is, and what is known of it.

use push3::program::KnownState;
use push3::{MeterAddress, MeterVersion};
use serde::{Deserialize, Serialize};
use std::fmt;
use ts_rs::TS;

/// One meter on one gateway. Gateways are named by the caller's id (the app's inventory id);
/// keys and passwords stay with the [`crate::CommandSink`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[ts(rename = "FleetMeterRef")]
#[serde(rename_all = "camelCase")]
pub struct MeterRef {
    pub gateway_id: String,
    #[ts(as = "String")]
    pub meter: MeterAddress,
}

impl MeterRef {
    pub fn new(gateway_id: &str, meter: MeterAddress) -> Self {
        Self {
            gateway_id: gateway_id.to_string(),
            meter,
        }
    }
}

impl fmt::Display for MeterRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} on {}", self.meter, self.gateway_id)
    }
}

/// A meter to work on: its place, its version (the API does not report it, G40) and what is
/// known of its settings. The engine keeps `known` up to date as commands are confirmed or
/// go unconfirmed, so the caller can persist it afterwards.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Target {
    #[serde(flatten)]
    pub at: MeterRef,
    pub version: MeterVersion,
    #[serde(default)]
    pub known: KnownState,
}

impl Target {
    pub fn new(gateway_id: &str, meter: MeterAddress, version: MeterVersion) -> Self {
        Self {
            at: MeterRef::new(gateway_id, meter),
            version,
            known: KnownState::default(),
        }
    }

    pub fn with_known(mut self, known: KnownState) -> Self {
        self.known = known;
        self
    }
}
