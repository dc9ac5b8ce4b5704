//! The closed set of ways a command can fail before its response is awaited, with stable codes
//! the app and the CLI switch on. Crosses IPC as `{"code": …, "message": …}`.

use crate::error::ValidationError;
use serde::{Serialize, Serializer};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// A parameter or the meter address failed validation; nothing was sent.
    InvalidInput,
    /// The client is set up wrongly (API URL, plain HTTP to a remote host, empty key).
    InvalidConfig,
    /// The API answered 400: the `error` text, verbatim (seed).
    Rejected,
    /// The API could not be reached (connection refused, DNS, TLS, timeout).
    Network,
    /// The API answered a status other than 200 or 400 (G4).
    HttpStatus,
    /// The API answered 200 with a body that is not the documented JSON (e.g. an HTML page).
    BadResponse,
}

impl ErrorKind {
    /// The stable code, as serialized.
    pub fn code(self) -> &'static str {
        match self {
            ErrorKind::InvalidInput => "invalid_input",
            ErrorKind::InvalidConfig => "invalid_config",
            ErrorKind::Rejected => "rejected",
            ErrorKind::Network => "network",
            ErrorKind::HttpStatus => "http_status",
            ErrorKind::BadResponse => "bad_response",
        }
    }

    /// Whether a read may be tried once more (G4: never for a command that changes a meter).
    pub fn is_transient(self) -> bool {
        matches!(
            self,
            ErrorKind::Network | ErrorKind::HttpStatus | ErrorKind::BadResponse
        )
    }
}

/// A failure with its kind and a message for people. Messages never hold keys, tokens,
/// passwords or channel ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientError {
    kind: ErrorKind,
    message: String,
    validation: Option<ValidationError>,
}

impl ClientError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            validation: None,
        }
    }

    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    pub fn code(&self) -> &'static str {
        self.kind.code()
    }

    pub fn message(&self) -> &str {
        &self.message
    }

    /// The field, value and allowed values, for `invalid_input`.
    pub fn validation(&self) -> Option<&ValidationError> {
        self.validation.as_ref()
    }
}

impl From<ValidationError> for ClientError {
    fn from(e: ValidationError) -> Self {
        Self {
            kind: ErrorKind::InvalidInput,
            message: e.to_string(),
            validation: Some(e),
        }
    }
}

impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ClientError {}

impl Serialize for ClientError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("ClientError", 2)?;
        s.serialize_field("code", self.code())?;
        s.serialize_field("message", &self.message)?;
        s.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_as_code_and_message() {
        let e = ClientError::new(
            ErrorKind::HttpStatus,
            "sendCommand answered 502 Bad Gateway",
        );
        assert_eq!(
            serde_json::to_value(&e).unwrap(),
            serde_json::json!({"code": "http_status", "message": "sendCommand answered 502 Bad Gateway"})
        );
        let v: ClientError = ValidationError::new("ct_ratio", "\"250\"", "one of 100, 200").into();
        assert_eq!(serde_json::to_value(&v).unwrap()["code"], "invalid_input");
        assert_eq!(v.validation().unwrap().field, "ct_ratio");
    }

    #[test]
    fn codes_are_stable() {
        let all = [
            ErrorKind::InvalidInput,
            ErrorKind::InvalidConfig,
            ErrorKind::Rejected,
            ErrorKind::Network,
            ErrorKind::HttpStatus,
            ErrorKind::BadResponse,
        ];
        for kind in all {
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.code());
        }
        assert!(!ErrorKind::Rejected.is_transient() && ErrorKind::Network.is_transient());
    }
}
