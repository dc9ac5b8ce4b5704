//! `POST {api}/sendCommand` and the mapping of its answers (seed; G3, G4).

use super::config::{ClientConfig, KeyPlacement};
use super::error::{ClientError, ErrorKind};
use crate::wire::{ApiError, SendCommandAccepted, SendCommandRequest};
use reqwest::header::{ACCEPT, AUTHORIZATION};
use reqwest::{StatusCode, Url};
use std::time::Duration;

/// Posts one request. Only a 200 with the documented JSON counts as sent; a 400 is `Rejected`
/// with the API's text verbatim; anything else is a failed send (G4).
pub(crate) async fn post(
    http: &reqwest::Client,
    config: &ClientConfig,
    url: &Url,
    mut request: SendCommandRequest,
    timeout: Duration,
) -> Result<SendCommandAccepted, ClientError> {
    let mut url = url.clone();
    {
        let mut query = url.query_pairs_mut();
        if let (KeyPlacement::Query, Some(key)) = (config.key_placement, &config.key) {
            query.append_pair("key", key.expose());
        }
        if let Some(mac) = config
            .gateway_mac
            .as_deref()
            .filter(|m| !m.trim().is_empty())
        {
            query.append_pair("gateway", mac.trim());
        }
    }
    if url.query() == Some("") {
        url.set_query(None);
    }
    if let (KeyPlacement::Body, Some(key)) = (config.key_placement, &config.key) {
        request.key = Some(key.expose().to_string());
    }
    let mut builder = http
        .post(url)
        .header(ACCEPT, "application/json")
        .json(&request)
        .timeout(timeout);
    if let Some(token) = &config.bearer_token {
        builder = builder.header(AUTHORIZATION, format!("Bearer {}", token.expose()));
    }
    let response = builder.send().await.map_err(|e| network_error(config, e))?;
    let status = response.status();
    let body = response
        .bytes()
        .await
        .map_err(|e| network_error(config, e))?;
    answer(status, &body)
}

/// Maps a status and body to the accepted channel or an error.
fn answer(status: StatusCode, body: &[u8]) -> Result<SendCommandAccepted, ClientError> {
    let status_line = format!(
        "{} {}",
        status.as_u16(),
        status.canonical_reason().unwrap_or("")
    );
    let status_line = status_line.trim_end().to_string();
    let error_text = || {
        serde_json::from_slice::<ApiError>(body)
            .ok()
            .map(|e| e.error)
    };
    match status {
        StatusCode::OK => serde_json::from_slice::<SendCommandAccepted>(body).map_err(|_| {
            ClientError::new(
                ErrorKind::BadResponse,
                format!("sendCommand answered {status_line} but not with the documented JSON (msg_id, response_channel_id, response_channel_host)"),
            )
        }),
        StatusCode::BAD_REQUEST => Err(ClientError::new(
            ErrorKind::Rejected,
            error_text().unwrap_or_else(|| format!("sendCommand answered {status_line} without an error text")),
        )),
        _ => {
            let detail = error_text().map(|t| format!(": {t}")).unwrap_or_default();
            Err(ClientError::new(ErrorKind::HttpStatus, format!("sendCommand answered {status_line}{detail}")))
        }
    }
}

/// A network failure described without the URL (it carries the key in its query).
fn network_error(config: &ClientConfig, e: reqwest::Error) -> ClientError {
    let what = if e.is_timeout() {
        "timed out"
    } else {
        "failed"
    };
    let causes = crate::net::causes(&e);
    let host = Url::parse(&config.api_url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_default();
    let detail = if causes.is_empty() {
        String::new()
    } else {
        format!(": {}", causes.join(": "))
    };
    let message = format!("sending to the Push3 API at {host} {what}{detail}");
    // Causes come from the connector and never include the query, but be certain.
    let message = [&config.key, &config.bearer_token]
        .into_iter()
        .flatten()
        .fold(message, |m, secret| m.replace(secret.expose(), "***"));
    ClientError::new(ErrorKind::Network, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_400_carries_the_apis_text_verbatim() {
        let e = answer(
            StatusCode::BAD_REQUEST,
            br#"{"error": "Invalid parameter: ct_ratio"}"#,
        )
        .unwrap_err();
        assert_eq!(
            (e.kind(), e.message()),
            (ErrorKind::Rejected, "Invalid parameter: ct_ratio")
        );
        let e = answer(StatusCode::BAD_REQUEST, b"<html>bad</html>").unwrap_err();
        assert_eq!(
            e.message(),
            "sendCommand answered 400 Bad Request without an error text"
        );
    }

    #[test]
    fn other_statuses_and_bodies_are_clear_errors_with_the_status() {
        let e = answer(StatusCode::BAD_GATEWAY, b"<html><body>502</body></html>").unwrap_err();
        assert_eq!(
            (e.kind(), e.message()),
            (
                ErrorKind::HttpStatus,
                "sendCommand answered 502 Bad Gateway"
            )
        );
        let e = answer(StatusCode::UNAUTHORIZED, br#"{"error":"bad token"}"#).unwrap_err();
        assert_eq!(
            e.message(),
            "sendCommand answered 401 Unauthorized: bad token"
        );
        for body in [
            &b"<html>maintenance</html>"[..],
            b"",
            b"\xff\xfe",
            br#"{"msg_id": "x"}"#,
        ] {
            let e = answer(StatusCode::OK, body).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::BadResponse);
            assert!(e.message().contains("200 OK"));
        }
    }

    #[test]
    fn the_documented_answer_is_accepted() {
        let ok = answer(
            StatusCode::OK,
            br#"{"msg_id":"8fce","response_channel_id":"response_x","response_channel_host":"psrv1.ekmmetering.com"}"#,
        )
        .unwrap();
        assert_eq!(ok.msg_id, "8fce");
    }
}
