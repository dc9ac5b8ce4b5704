//! How a [`super::Client`] reaches the API: base URL, key, token, transport and deadline.

use super::error::{ClientError, ErrorKind};
use crate::limits::DEFAULT_TIMEOUT_SECS;
use crate::secret::Secret;
use crate::stream::{is_loopback, Transport};
use crate::undocumented::WireProfile;
use crate::wire::CLIENT_NAME;
use std::sync::Arc;
use std::time::Duration;

/// The documented API host (G2).
pub const DEFAULT_API_URL: &str = "https://api.ekmpush.com";

/// Where the gateway key goes. The query string is common to every auth variant (G3); the seed
/// also allows a body field (named `key`, an ASSUMPTION).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum KeyPlacement {
    #[default]
    Query,
    Body,
}

#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// Base URL; `https://`, or `http://` for a loopback host only (e.g. the simulator).
    pub api_url: String,
    /// The Push3 gateway key; `None` for a gateway reached by its API token alone (the newest
    /// API page asks for the token, §9).
    pub key: Option<Secret>,
    pub key_placement: KeyPlacement,
    /// Sent as `Authorization: Bearer …` when set (auth variant C, G3).
    pub bearer_token: Option<Secret>,
    /// The gateway MAC, sent as `gateway=` only when the user gave one (variant D, G3).
    pub gateway_mac: Option<String>,
    /// `client` in every request (G39).
    pub client_name: String,
    pub transport: Transport,
    /// How long to wait for the response before the outcome is Unconfirmed (G9).
    pub timeout: Duration,
    /// How long a subscription stays open after its last pending command, for the next one.
    pub linger: Duration,
    /// The shapes of the undocumented Set… commands this gateway takes.
    pub profile: Arc<WireProfile>,
}

impl ClientConfig {
    /// Defaults: the documented API URL, key in the query, transport `auto`, 60 s deadline.
    pub fn new(key: Secret) -> Self {
        Self::with_credentials(Some(key), None)
    }

    /// A key, a bearer token or both; [`Client::new`](super::Client::new) refuses neither.
    pub fn with_credentials(key: Option<Secret>, bearer_token: Option<Secret>) -> Self {
        Self {
            api_url: DEFAULT_API_URL.to_string(),
            key,
            key_placement: KeyPlacement::Query,
            bearer_token,
            gateway_mac: None,
            client_name: CLIENT_NAME.to_string(),
            transport: Transport::Auto,
            timeout: Duration::from_secs(DEFAULT_TIMEOUT_SECS),
            linger: Duration::from_secs(5),
            profile: Arc::new(WireProfile::default_profile().clone()),
        }
    }

    pub fn with_api_url(mut self, api_url: impl Into<String>) -> Self {
        self.api_url = api_url.into();
        self
    }

    pub fn with_transport(mut self, transport: Transport) -> Self {
        self.transport = transport;
        self
    }

    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    pub fn with_profile(mut self, profile: WireProfile) -> Self {
        self.profile = Arc::new(profile);
        self
    }

    /// The checked `sendCommand` URL (without the key) and whether it is plain HTTP.
    pub(crate) fn send_command_url(&self) -> Result<(reqwest::Url, bool), ClientError> {
        let invalid =
            |why: &str| ClientError::new(ErrorKind::InvalidConfig, format!("API URL: {why}"));
        let base =
            reqwest::Url::parse(self.api_url.trim()).map_err(|_| invalid("not a valid URL"))?;
        let plain = match base.scheme() {
            "https" => false,
            "http" if is_loopback(&base) => true,
            "http" => {
                return Err(invalid(
                    "plain http:// is allowed only for localhost/127.0.0.1; use https://",
                ))
            }
            _ => return Err(invalid("must start with https://")),
        };
        if !base.username().is_empty() || base.password().is_some() || base.query().is_some() {
            return Err(invalid("must not carry credentials or a query"));
        }
        let mut url = base;
        let path = format!("{}/sendCommand", url.path().trim_end_matches('/'));
        url.set_path(&path);
        Ok((url, plain))
    }

    pub(crate) fn check(&self) -> Result<(), ClientError> {
        self.send_command_url()?;
        let unusable =
            |s: &Secret| s.expose().is_empty() || s.expose().chars().any(char::is_whitespace);
        // G38: no format check beyond this.
        if self.key.as_ref().is_some_and(unusable) {
            return Err(ClientError::new(
                ErrorKind::InvalidConfig,
                "the gateway key is empty or contains whitespace",
            ));
        }
        if self.bearer_token.as_ref().is_some_and(unusable) {
            return Err(ClientError::new(
                ErrorKind::InvalidConfig,
                "the API token is empty or contains whitespace",
            ));
        }
        if self.key.is_none() && self.bearer_token.is_none() {
            return Err(ClientError::new(
                ErrorKind::InvalidConfig,
                "no gateway key and no API token: the API needs one of them",
            ));
        }
        if self.client_name.trim().is_empty() {
            return Err(ClientError::new(
                ErrorKind::InvalidConfig,
                "the client name is empty",
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(url: &str) -> ClientConfig {
        ClientConfig::new(Secret::new("MTAxMDoyMDIw")).with_api_url(url)
    }

    #[test]
    fn https_anywhere_and_http_only_on_loopback() {
        let (url, plain) = config(DEFAULT_API_URL).send_command_url().unwrap();
        assert_eq!(
            (url.as_str(), plain),
            ("https://api.ekmpush.com/sendCommand", false)
        );
        let (url, plain) = config("http://127.0.0.1:8080/").send_command_url().unwrap();
        assert_eq!(
            (url.as_str(), plain),
            ("http://127.0.0.1:8080/sendCommand", true)
        );
        assert!(config("http://localhost:1").send_command_url().unwrap().1);
        assert!(config("http://[::1]:1").send_command_url().unwrap().1);
        for bad in [
            "http://api.ekmpush.com",
            "ftp://x",
            "api.ekmpush.com",
            "https://u:p@h",
            "https://h/?key=1",
        ] {
            let e = config(bad).send_command_url().unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidConfig, "{bad}");
        }
    }

    #[test]
    fn a_base_path_is_kept() {
        let (url, _) = config("https://appsrv.example.com/api/")
            .send_command_url()
            .unwrap();
        assert_eq!(url.as_str(), "https://appsrv.example.com/api/sendCommand");
    }

    #[test]
    fn empty_or_spaced_keys_are_refused_without_showing_them() {
        let e = ClientConfig::new(Secret::new("ab cd")).check().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidConfig);
        assert!(!e.message().contains("ab cd"));
        assert!(ClientConfig::new(Secret::new("")).check().is_err());
        assert!(ClientConfig::new(Secret::new("MTAxMDoyMDIw"))
            .check()
            .is_ok());
    }

    #[test]
    fn a_token_alone_will_do_but_nothing_at_all_will_not() {
        let token_only = ClientConfig::with_credentials(None, Some(Secret::new("tok-123")));
        assert!(token_only.check().is_ok());
        let neither = ClientConfig::with_credentials(None, None)
            .check()
            .unwrap_err();
        assert_eq!(neither.kind(), ErrorKind::InvalidConfig);
        assert!(
            neither.message().contains("API token"),
            "{}",
            neither.message()
        );
        let spaced = ClientConfig::with_credentials(None, Some(Secret::new("t o k")));
        assert!(!spaced.check().unwrap_err().message().contains("t o k"));
    }
}
