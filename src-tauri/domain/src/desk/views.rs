//! What the webview sees of gateways and meters: names, versions and masked hints, never a key,
//! token or meter password (issue 5: the key never leaves the Rust side).

use super::demo::{DemoGateway, DEMO_GATEWAY_ID};
use push3_inventory::{Gateway, Meter};
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, TS)]
#[ts(rename = "Gateway")]
#[serde(rename_all = "camelCase")]
pub struct GatewayView {
    pub id: String,
    pub name: String,
    pub api_url: String,
    pub note: String,
    pub demo: bool,
    pub key_hint: String,
    pub has_token: bool,
    /// The id of the wire profile it speaks.
    pub wire_profile: String,
}

/// A wire profile as the gateway dialog lists it.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(rename = "WireProfileInfo")]
#[serde(rename_all = "camelCase")]
pub struct WireProfileView {
    pub id: String,
    pub name: String,
    pub notes: String,
    pub built_in: bool,
    /// The first number it gives schedule 1 (0 or 1).
    pub schedule_numbering: u8,
}

impl From<&push3::undocumented::WireProfile> for WireProfileView {
    fn from(p: &push3::undocumented::WireProfile) -> Self {
        Self {
            id: p.id.clone(),
            name: p.name.clone(),
            notes: p.notes.clone(),
            built_in: p.is_built_in(),
            schedule_numbering: p.schedule_numbering,
        }
    }
}

/// A profile file the dialog loaded: what it replaced, and for whom, is said, never silent.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(rename = "LoadedWireProfile")]
#[serde(rename_all = "camelCase")]
pub struct LoadedProfileView {
    pub profile: WireProfileView,
    /// A loaded profile of its id was replaced.
    pub replaced: bool,
    /// The gateways on its id, by name: they speak it from their next command.
    pub spoken_by: Vec<String>,
}

impl From<&push3_inventory::LoadedProfile> for LoadedProfileView {
    fn from(loaded: &push3_inventory::LoadedProfile) -> Self {
        Self {
            profile: WireProfileView::from(&loaded.profile),
            replaced: loaded.replaced,
            spoken_by: loaded.spoken_by.clone(),
        }
    }
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(rename = "Meter")]
#[serde(rename_all = "camelCase")]
pub struct MeterView {
    pub address: String,
    pub nickname: String,
    pub version: push3::MeterVersion,
    pub gateway_id: String,
    pub tags: Vec<String>,
    pub has_password: bool,
}

impl From<Gateway> for GatewayView {
    fn from(g: Gateway) -> Self {
        Self {
            id: g.id.to_string(),
            name: g.name,
            api_url: g.api_url,
            note: g.note,
            demo: false,
            key_hint: g.key_hint,
            has_token: g.has_token,
            wire_profile: g.wire_profile,
        }
    }
}

impl From<Meter> for MeterView {
    fn from(m: Meter) -> Self {
        Self {
            address: m.address.to_string(),
            nickname: m.nickname,
            version: m.version,
            gateway_id: m.gateway_id.to_string(),
            tags: m.tags,
            has_password: m.has_password,
        }
    }
}

impl GatewayView {
    pub fn demo(demo: &DemoGateway) -> Self {
        Self {
            id: DEMO_GATEWAY_ID.to_string(),
            name: "Demo gateway".to_string(),
            api_url: demo.api_url.clone(),
            note: "A simulated Push3 gateway built into Push3 Desk. Nothing here reaches a real meter."
                .to_string(),
            demo: true,
            key_hint: push3::Secret::new(push3_sim::DEMO_KEY).hint(),
            has_token: false,
            wire_profile: push3::undocumented::profile::DEFAULT_PROFILE_ID.to_string(),
        }
    }
}

impl MeterView {
    pub fn demo_meters(demo: &DemoGateway) -> Vec<MeterView> {
        demo.meters
            .iter()
            .map(|m| MeterView {
                address: m.address.to_string(),
                nickname: m.name.clone(),
                version: m.version,
                gateway_id: DEMO_GATEWAY_ID.to_string(),
                tags: vec!["demo".to_string()],
                has_password: false,
            })
            .collect()
    }
}
