//! The JSON bodies of the Device Settings API (seed; reference §1.1, §1.6), shared by the client
//! and the simulator.

use crate::address::MeterAddress;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::fmt;

/// The only documented target (G30).
pub const TARGET_METER: &str = "meter";

/// Our `client` name (G39). The app may append a per-install id.
pub const CLIENT_NAME: &str = concat!("Push3Desk/", env!("CARGO_PKG_VERSION"));

/// The body of `POST /sendCommand`.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct SendCommandRequest {
    pub command: String,
    pub target: String,
    pub target_id: String,
    /// Optional in the seed; we always send `Push3Desk/<version>` (G39).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client: Option<String>,
    /// Never set by our client: we use the channel the API returns (G5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_channel_id: Option<String>,
    pub params: Map<String, Value>,
    /// The gateway key, when sent in the body rather than `?key=` (field name is an ASSUMPTION).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
}

impl SendCommandRequest {
    /// A request for one meter, with the key left to the query string (G3).
    pub fn to_meter(
        meter: &MeterAddress,
        command: &str,
        params: Map<String, Value>,
        client: &str,
    ) -> Self {
        Self {
            command: command.to_string(),
            target: TARGET_METER.to_string(),
            target_id: meter.as_str().to_string(),
            client: Some(client.to_string()),
            response_channel_id: None,
            params,
            key: None,
        }
    }
}

impl fmt::Debug for SendCommandRequest {
    /// Keys and passwords stay out of logs: `key` and every `*password` param are masked.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let params: Map<String, Value> = self
            .params
            .iter()
            .map(|(k, v)| {
                let v = if k.ends_with("password") {
                    Value::from("********")
                } else {
                    v.clone()
                };
                (k.clone(), v)
            })
            .collect();
        f.debug_struct("SendCommandRequest")
            .field("command", &self.command)
            .field("target", &self.target)
            .field("target_id", &self.target_id)
            .field("client", &self.client)
            .field(
                "response_channel_id",
                &self.response_channel_id.as_ref().map(|_| "***"),
            )
            .field("params", &params)
            .field("key", &self.key.as_ref().map(|_| "***"))
            .finish()
    }
}

/// The 200 answer of `sendCommand`: where to wait for the response. Channel ids are semi-secret
/// (anyone who knows one can probably read it, G5), so `Debug` hides them.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SendCommandAccepted {
    pub msg_id: String,
    pub response_channel_id: String,
    pub response_channel_host: String,
}

impl fmt::Debug for SendCommandAccepted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SendCommandAccepted")
            .field("msg_id", &self.msg_id)
            .field("response_channel_id", &"***")
            .field("response_channel_host", &self.response_channel_host)
            .finish()
    }
}

/// The 400 answer of `sendCommand`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    pub error: String,
}

/// One message of the response stream (§1.6). `timestamp` is when the gateway *received* the
/// command (G12). Missing `timestamp`, `error` or `data` are tolerated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResponseMessage {
    pub msg_id: String,
    #[serde(default)]
    pub timestamp: f64,
    pub success: bool,
    #[serde(default)]
    pub error: Option<String>,
    #[serde(default)]
    pub data: Option<Value>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn request_omits_absent_optional_fields_and_hides_the_key_in_debug() {
        let mut params = Map::new();
        params.insert("meter_password".into(), json!("12345678"));
        let req = SendCommandRequest {
            command: "SetRelay".into(),
            target: TARGET_METER.into(),
            target_id: "000350000900".into(),
            client: None,
            response_channel_id: None,
            params,
            key: Some("MTAxMDoyMDIw".into()),
        };
        let json = serde_json::to_value(&req).unwrap();
        assert_eq!(json.as_object().unwrap().len(), 5);
        assert!(json.get("client").is_none());
        let debug = format!("{req:?}");
        assert!(
            !debug.contains("MTAx") && !debug.contains("12345678"),
            "{debug}"
        );
    }

    #[test]
    fn the_seeds_response_message_parses() {
        let m: ResponseMessage = serde_json::from_str(
            r#"{"msg_id":"8fce23ce5d0b11ebb86e4c1d96d9f4c7","timestamp":1611374002.628128,"success":true,"error":null,"data":null}"#,
        )
        .unwrap();
        assert!(m.success && m.error.is_none() && m.data.is_none());
        assert_eq!(m.timestamp, 1611374002.628128);
        let accepted: SendCommandAccepted = serde_json::from_str(
            r#"{"msg_id":"8fce","response_channel_id":"response_NjUy","response_channel_host":"psrv1.ekmmetering.com"}"#,
        )
        .unwrap();
        assert!(!format!("{accepted:?}").contains("NjUy"));
    }
}
