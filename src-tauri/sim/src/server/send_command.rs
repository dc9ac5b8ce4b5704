//! `POST /sendCommand` (seed; reference §1.1): check the key, the fields and the parameters, queue
//! the command for its gateway and say where the answer will appear.

use super::SimShared;
use crate::faults::{Faults, SendFailure};
use crate::gateway::QueuedCommand;
use crate::ids::new_msg_id;
use crate::meter::parse_meter_command;
use crate::requests::{query_param, ReceivedRequest};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Json;
use push3::wire::{ApiError, SendCommandAccepted, TARGET_METER};
use push3::MeterAddress;
use serde_json::{Map, Value};
use std::sync::Arc;

/// Why a request was not accepted. Rendered as `{"error": "<text>"}`: the documented 400 shape,
/// which the simulator also uses for the bearer-token variant's 401.
#[derive(Debug)]
enum Refusal {
    BadRequest(String),
    Unauthorized,
}

fn bad_request(text: impl Into<String>) -> Refusal {
    Refusal::BadRequest(text.into())
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let (status, error) = match self {
            Refusal::BadRequest(error) => (StatusCode::BAD_REQUEST, error),
            Refusal::Unauthorized => (
                StatusCode::UNAUTHORIZED,
                "missing or invalid API token: send Authorization: Bearer <token>".to_string(),
            ),
        };
        (status, Json(ApiError { error })).into_response()
    }
}

fn failure(kind: SendFailure) -> Response {
    match kind {
        SendFailure::Status5xx => (
            StatusCode::BAD_GATEWAY,
            [(header::CONTENT_TYPE, "text/html")],
            "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n\
             <center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n\
             </body>\r\n</html>\r\n",
        )
            .into_response(),
        SendFailure::HtmlBody => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            "<!DOCTYPE html><html><head><title>EKM Push - Scheduled maintenance</title></head>\
             <body><h1>We'll be right back</h1><p>The service is down for maintenance.</p>\
             </body></html>",
        )
            .into_response(),
    }
}

fn required_string<'a>(body: &'a Map<String, Value>, field: &str) -> Result<&'a str, Refusal> {
    match body.get(field) {
        None | Some(Value::Null) => Err(bad_request(format!("missing required field: {field}"))),
        Some(Value::String(s)) => Ok(s),
        Some(_) => Err(bad_request(format!("field {field} must be a string"))),
    }
}

/// Whether a client-chosen channel id can be used in a `/sub/` path as it is. The API does not
/// say what it allows (G5); the simulator takes what a URL path segment carries safely, minus the
/// `.` that starts the backtrack suffix.
fn is_usable_channel_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 128
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

pub(super) async fn send_command(
    State(sim): State<Arc<SimShared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    sim.requests.record(ReceivedRequest::new(
        method.as_str(),
        uri.path(),
        uri.query(),
        &headers,
        &body,
    ));
    let faults = sim.publisher.faults();
    if !faults.accept_delay.is_zero() {
        tokio::time::sleep(faults.accept_delay).await;
    }
    if let Some(kind) = faults.send_failure {
        return failure(kind);
    }
    match accept(
        &sim,
        faults,
        uri.query().unwrap_or_default(),
        &headers,
        &body,
    ) {
        Ok(accepted) => (StatusCode::OK, Json(accepted)).into_response(),
        Err(refusal) => refusal.into_response(),
    }
}

fn accept(
    sim: &SimShared,
    faults: Faults,
    query: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<SendCommandAccepted, Refusal> {
    if let Some(expected) = &sim.bearer_token {
        if bearer_token(headers) != Some(expected.as_str()) {
            return Err(Refusal::Unauthorized);
        }
    }
    let body: Value = serde_json::from_slice(body)
        .map_err(|e| bad_request(format!("request body is not valid JSON: {e}")))?;
    let Some(body) = body.as_object() else {
        return Err(bad_request("request body must be a JSON object"));
    };
    let key = query_param(query, "key")
        .or_else(|| body.get("key").and_then(Value::as_str).map(str::to_string));
    let command = required_string(body, "command")?;
    let target = required_string(body, "target")?;
    let target_id = required_string(body, "target_id")?;
    let params = match body.get("params") {
        None | Some(Value::Null) => return Err(bad_request("missing required field: params")),
        Some(params @ Value::Object(_)) => params,
        Some(_) => return Err(bad_request("field params must be a JSON object")),
    };
    if target != TARGET_METER {
        return Err(bad_request(format!(
            "unknown target {target:?}: only \"meter\" is supported"
        )));
    }
    let address = MeterAddress::parse(target_id).map_err(|e| bad_request(e.to_string()))?;
    if address.as_str() != target_id {
        return Err(bad_request(format!(
            "target_id: {target_id:?} is not allowed; exactly 12 digits, e.g. \"000350000900\""
        )));
    }
    let gateway = match &key {
        Some(key) => sim
            .gateway_by_key(key)
            .ok_or_else(|| bad_request("invalid key: no Push3 gateway has this key"))?,
        // Variant C with an OWNER token and no key (reference §1.2, §9): the token's account
        // owns every simulated gateway, so the meter names its gateway.
        None if sim.bearer_token.is_some() => sim
            .gateways
            .iter()
            .find(|g| g.meter(target_id).is_some())
            .ok_or_else(|| bad_request("no meter of this token's account has this address"))?,
        None => {
            return Err(bad_request(
                "missing key: give the Push3 gateway key as ?key= or in the body",
            ))
        }
    };
    let current_ct_ratio = gateway.meter(target_id).map(|m| m.ct_ratio);
    let params = sim
        .wire_profile
        .to_canonical(
            command,
            params.as_object().expect("checked to be an object above"),
        )
        .map_err(|e| bad_request(e.to_string()))?;
    let command = parse_meter_command(
        command,
        &Value::Object(params),
        sim.experimental_seasons,
        current_ct_ratio,
    )
    .map_err(bad_request)?;
    let channel = match body.get("response_channel_id") {
        None | Some(Value::Null) => gateway.channel.clone(),
        Some(Value::String(id)) if is_usable_channel_id(id) => id.clone(),
        Some(other) => {
            return Err(bad_request(format!(
                "response_channel_id: {other} is not allowed; 1-128 letters, digits, _ or -"
            )))
        }
    };
    let msg_id = new_msg_id();
    gateway.submit(QueuedCommand {
        msg_id: msg_id.clone(),
        channel: channel.clone(),
        target_id: target_id.to_string(),
        command,
        faults,
        layout: sim.layout,
    });
    Ok(SendCommandAccepted {
        msg_id,
        response_channel_id: channel,
        response_channel_host: sim.host.clone(),
    })
}
