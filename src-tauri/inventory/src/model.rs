//! Gateways and meters as the rest of Push3 Desk sees them, and the requests that change them.
//!
//! Everything here that derives `Serialize` is safe to send to the webview and to write to the
//! inventory file: it carries `has_token`, `key_hint` and `has_password`, never a secret. The
//! request types that do carry secrets hold them as [`Secret`], whose `Debug` prints nothing.

use push3::undocumented::WireProfile;
use push3::{MeterAddress, MeterVersion, Secret};
use serde::{Deserialize, Serialize};
use std::fmt;

/// EKM's API host (reference G2); the user may point a gateway elsewhere, e.g. the simulator.
pub const DEFAULT_API_URL: &str = "https://api.ekmpush.com";

/// A gateway's stable id. It is generated once and never derived from the name, so renaming a
/// gateway keeps its keychain entries and its meters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct GatewayId(String);

impl GatewayId {
    pub(crate) fn generate() -> Self {
        Self(uuid::Uuid::new_v4().simple().to_string())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Ids arrive from the webview and the CLI as text; an unknown id is answered with `not_found`.
impl From<String> for GatewayId {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for GatewayId {
    fn from(value: &str) -> Self {
        Self(value.to_string())
    }
}

impl fmt::Display for GatewayId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A Push3 gateway, without its key or token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Gateway {
    pub id: GatewayId,
    pub name: String,
    pub api_url: String,
    pub note: String,
    pub has_token: bool,
    /// The key's last four characters behind a mask (`••••MDIw`), for telling keys apart;
    /// empty for a gateway reached by its API token alone.
    pub key_hint: String,
    /// The id of the wire profile it speaks (`push3::undocumented::profile`).
    #[serde(default = "default_wire_profile")]
    pub wire_profile: String,
}

fn default_wire_profile() -> String {
    push3::undocumented::profile::DEFAULT_PROFILE_ID.to_string()
}

impl Gateway {
    /// Whether a gateway key is stored; without one the API token is the only credential.
    pub fn has_key(&self) -> bool {
        !self.key_hint.is_empty()
    }
}

/// An Omnimeter reached through one gateway, without its meter password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Meter {
    pub address: MeterAddress,
    pub nickname: String,
    pub version: MeterVersion,
    pub gateway_id: GatewayId,
    pub tags: Vec<String>,
    /// True when a non-default meter password is stored in the keychain.
    pub has_password: bool,
}

/// What it takes to send a command through a gateway. Only the Rust side ever holds one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GatewayCredentials {
    pub api_url: String,
    /// `None` for a token-only gateway.
    pub key: Option<Secret>,
    pub token: Option<Secret>,
    /// The wire profile it speaks, resolved.
    pub profile: WireProfile,
}

impl GatewayCredentials {
    /// The client settings these credentials give: one place that knows a gateway may have a
    /// key, a token or both.
    pub fn client_config(self) -> push3::ClientConfig {
        push3::ClientConfig::with_credentials(self.key, self.token)
            .with_api_url(self.api_url)
            .with_profile(self.profile)
    }
}

/// A gateway to add. `api_url: None` means EKM's own host. It needs a key, a token or both.
#[derive(Debug, Clone)]
pub struct NewGateway {
    pub name: String,
    pub api_url: Option<String>,
    pub key: Option<Secret>,
    pub token: Option<Secret>,
    pub note: String,
    /// A wire profile id; `None` is the default profile.
    pub wire_profile: Option<String>,
}

impl NewGateway {
    /// A gateway on EKM's host with no token and no note.
    pub fn new(name: impl Into<String>, key: Secret) -> Self {
        Self {
            name: name.into(),
            api_url: None,
            key: Some(key),
            token: None,
            note: String::new(),
            wire_profile: None,
        }
    }
}

/// Changes to a gateway's non-secret fields; `None` keeps the current value. The key and the
/// token change through their own operations because they touch the keychain.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GatewayEdit {
    pub name: Option<String>,
    pub api_url: Option<String>,
    pub note: Option<String>,
    pub wire_profile: Option<String>,
}

/// A meter to add to a gateway. `password: None` means the factory default `00000000`, which is
/// not stored at all.
#[derive(Debug, Clone)]
pub struct NewMeter {
    pub address: MeterAddress,
    pub nickname: String,
    pub version: MeterVersion,
    pub gateway_id: GatewayId,
    pub tags: Vec<String>,
    pub password: Option<Secret>,
}

impl NewMeter {
    /// A meter with no nickname, no tags and the default password.
    pub fn new(address: MeterAddress, version: MeterVersion, gateway_id: GatewayId) -> Self {
        Self {
            address,
            nickname: String::new(),
            version,
            gateway_id,
            tags: Vec::new(),
            password: None,
        }
    }
}

/// What to do with a meter's stored password when editing it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum MeterPasswordChange {
    #[default]
    Keep,
    /// Store a non-default password (8 digits).
    Set(Secret),
    /// Forget the stored password: the meter is back on the default.
    Clear,
}

/// Changes to a meter; `None` keeps the current value. Setting `gateway_id` moves the meter.
#[derive(Debug, Clone, Default)]
pub struct MeterEdit {
    pub nickname: Option<String>,
    pub version: Option<MeterVersion>,
    pub gateway_id: Option<GatewayId>,
    pub tags: Option<Vec<String>>,
    pub password: MeterPasswordChange,
}

/// Which meters to list: all of them by default, or those on one gateway and/or with one tag.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MeterFilter {
    pub gateway_id: Option<GatewayId>,
    pub tag: Option<String>,
}

impl MeterFilter {
    pub fn on_gateway(gateway_id: GatewayId) -> Self {
        Self {
            gateway_id: Some(gateway_id),
            tag: None,
        }
    }

    pub fn tagged(tag: impl Into<String>) -> Self {
        Self {
            gateway_id: None,
            tag: Some(tag.into()),
        }
    }

    pub fn matches(&self, meter: &Meter) -> bool {
        self.gateway_id
            .as_ref()
            .is_none_or(|id| &meter.gateway_id == id)
            && self
                .tag
                .as_ref()
                .is_none_or(|tag| meter.tags.iter().any(|t| t == tag.trim()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meter(gateway: &str, tags: &[&str]) -> Meter {
        Meter {
            address: MeterAddress::parse("350000900").unwrap(),
            nickname: "Boiler room".into(),
            version: MeterVersion::V4,
            gateway_id: gateway.into(),
            tags: tags.iter().map(|t| t.to_string()).collect(),
            has_password: true,
        }
    }

    #[test]
    fn meters_cross_ipc_in_camel_case_without_any_password() {
        assert_eq!(
            serde_json::to_value(meter("gw1", &["north"])).unwrap(),
            serde_json::json!({
                "address": "000350000900", "nickname": "Boiler room", "version": "V4",
                "gatewayId": "gw1", "tags": ["north"], "hasPassword": true
            })
        );
    }

    #[test]
    fn credentials_debug_shows_no_secret() {
        let c = GatewayCredentials {
            api_url: DEFAULT_API_URL.into(),
            key: Some(Secret::new("MTAxMDoyMDIw")),
            token: Some(Secret::new("tok-abcdef-123456")),
            profile: WireProfile::default_profile().clone(),
        };
        let printed = format!("{c:?}");
        assert!(
            !printed.contains("MTAx") && !printed.contains("tok-"),
            "{printed}"
        );
    }

    #[test]
    fn filter_by_gateway_and_tag() {
        let m = meter("gw1", &["north", "hvac"]);
        assert!(MeterFilter::default().matches(&m));
        assert!(MeterFilter::on_gateway("gw1".into()).matches(&m));
        assert!(!MeterFilter::on_gateway("gw2".into()).matches(&m));
        assert!(MeterFilter::tagged("hvac").matches(&m));
        assert!(!MeterFilter::tagged("south").matches(&m));
        let both = MeterFilter {
            gateway_id: Some("gw1".into()),
            tag: Some("south".into()),
        };
        assert!(!both.matches(&m));
    }

    #[test]
    fn generated_gateway_ids_are_distinct() {
        assert_ne!(GatewayId::generate(), GatewayId::generate());
    }
}
