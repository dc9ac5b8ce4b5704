//! The exact list of `sendCommand` requests received, so a test can assert what a client sent
//! (or that it sent nothing).

use std::collections::BTreeMap;
use std::sync::Mutex;

/// Headers a test may want to check; everything else is left out.
const HEADERS_OF_INTEREST: [&str; 5] = [
    "content-type",
    "authorization",
    "accept",
    "user-agent",
    "host",
];

/// One `POST /sendCommand` as it arrived, valid or not.
#[derive(Debug, Clone, PartialEq)]
pub struct ReceivedRequest {
    pub method: String,
    pub path: String,
    /// The raw query string, e.g. `key=MTAxMDoyMDIw` (empty if none).
    pub query: String,
    /// Lower-case header names from a fixed list (content-type, authorization, accept,
    /// user-agent, host).
    pub headers: BTreeMap<String, String>,
    /// The body parsed as JSON, or `None` when it was not JSON.
    pub body: Option<serde_json::Value>,
    /// The body as text (lossy UTF-8), for bodies that were not JSON.
    pub raw_body: String,
}

impl ReceivedRequest {
    pub(crate) fn new(
        method: &str,
        path: &str,
        query: Option<&str>,
        headers: &axum::http::HeaderMap,
        raw_body: &[u8],
    ) -> Self {
        let headers = HEADERS_OF_INTEREST
            .iter()
            .filter_map(|name| {
                let value = headers.get(*name)?.to_str().ok()?;
                Some((name.to_string(), value.to_string()))
            })
            .collect();
        Self {
            method: method.to_string(),
            path: path.to_string(),
            query: query.unwrap_or_default().to_string(),
            headers,
            body: serde_json::from_slice(raw_body).ok(),
            raw_body: String::from_utf8_lossy(raw_body).into_owned(),
        }
    }

    /// The value of `name` in the query string (no percent-decoding beyond what keys need).
    pub fn query_param(&self, name: &str) -> Option<String> {
        query_param(&self.query, name)
    }

    /// The `command` field of the body, if any.
    pub fn command(&self) -> Option<&str> {
        self.body.as_ref()?.get("command")?.as_str()
    }
}

/// Finds `name=value` in a raw query string, decoding `%XX` and `+`.
pub(crate) fn query_param(query: &str, name: &str) -> Option<String> {
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (percent_decode(k) == name).then(|| percent_decode(v))
    })
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The log itself, shared by the server and [`crate::Simulator::requests`].
#[derive(Default)]
pub(crate) struct RequestLog(Mutex<Vec<ReceivedRequest>>);

impl RequestLog {
    pub fn record(&self, request: ReceivedRequest) {
        self.0.lock().expect("request log poisoned").push(request);
    }

    pub fn snapshot(&self) -> Vec<ReceivedRequest> {
        self.0.lock().expect("request log poisoned").clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_params_are_found_and_decoded() {
        assert_eq!(
            query_param("key=MTAxMDoyMDIw", "key").as_deref(),
            Some("MTAxMDoyMDIw")
        );
        assert_eq!(
            query_param("a=1&key=ab%3D%3D", "key").as_deref(),
            Some("ab==")
        );
        assert_eq!(query_param("a=1", "key"), None);
        assert_eq!(query_param("key=%zz", "key").as_deref(), Some("%zz"));
    }
}
