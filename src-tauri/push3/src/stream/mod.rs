//! The response push stream: where it is, how to reach it, and how to read it.
//!
//! The stream is reached at `{host}/sub/{channel}.b20` (HTTP streaming) or `{host}/ws/{channel}.b20`
//! (websocket), with the host and channel from `sendCommand`'s answer (seed; §1.4, §1.5). The
//! `.b20` backtrack replays recent messages, which closes the race of a response published before
//! we subscribe (G6) and lets a reconnect pick up what it missed (G7).

pub(crate) mod connect;
pub mod objects;

pub use objects::ObjectReader;

use crate::limits::STREAM_BACKTRACK;
use std::fmt;
use std::str::FromStr;

/// How the response stream is read.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Transport {
    /// Websocket only.
    Ws,
    /// HTTP streaming only.
    Http,
    /// Websocket, falling back to HTTP streaming when the websocket cannot connect (G8).
    #[default]
    Auto,
}

impl FromStr for Transport {
    type Err = crate::error::ValidationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "ws" => Ok(Transport::Ws),
            "http" => Ok(Transport::Http),
            "auto" => Ok(Transport::Auto),
            _ => Err(crate::error::ValidationError::new(
                "transport",
                format!("{s:?}"),
                "ws, http or auto",
            )),
        }
    }
}

impl fmt::Display for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Transport::Ws => "ws",
            Transport::Http => "http",
            Transport::Auto => "auto",
        })
    }
}

/// One response channel on one host: what a subscription is keyed by.
///
/// The channel id is semi-secret (anyone who knows it can probably read it, G5), so `Debug`
/// hides it and nothing here is ever logged.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct StreamEndpoint {
    host: String,
    channel: String,
    /// `https`/`wss`; plain only when the API itself is plain and the host is loopback.
    secure: bool,
}

impl fmt::Debug for StreamEndpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StreamEndpoint")
            .field("host", &self.host)
            .field("channel", &"***")
            .field("secure", &self.secure)
            .finish()
    }
}

impl StreamEndpoint {
    /// `host` is `response_channel_host` (checked to be a bare `host[:port]`), `channel` is
    /// `response_channel_id` (percent-encoded into the path). Returns `None` for a host that is
    /// not a plain host name.
    pub fn new(host: &str, channel: &str, api_is_plain: bool) -> Option<Self> {
        let url = reqwest::Url::parse(&format!("https://{host}/")).ok()?;
        let bare = url.host_str().is_some()
            && url.path() == "/"
            && url.username().is_empty()
            && url.password().is_none()
            && url.query().is_none()
            && !host.contains(['/', '\\', '@', '?', '#'])
            && !channel.is_empty();
        if !bare {
            return None;
        }
        let secure = !(api_is_plain && is_loopback(&url));
        Some(Self {
            host: host.to_string(),
            channel: channel.to_string(),
            secure,
        })
    }

    fn path(&self, kind: &str, backtrack: usize) -> String {
        format!(
            "/{kind}/{}.b{backtrack}",
            encode_path_segment(&self.channel)
        )
    }

    /// The HTTP stream URL with the seed's `.b20` backtrack.
    pub fn http_url(&self) -> String {
        self.http_url_with_backtrack(STREAM_BACKTRACK as usize)
    }

    /// The websocket URL with the seed's `.b20` backtrack.
    pub fn ws_url(&self) -> String {
        self.ws_url_with_backtrack(STREAM_BACKTRACK as usize)
    }

    pub fn http_url_with_backtrack(&self, backtrack: usize) -> String {
        let scheme = if self.secure { "https" } else { "http" };
        format!("{scheme}://{}{}", self.host, self.path("sub", backtrack))
    }

    pub fn ws_url_with_backtrack(&self, backtrack: usize) -> String {
        let scheme = if self.secure { "wss" } else { "ws" };
        format!("{scheme}://{}{}", self.host, self.path("ws", backtrack))
    }
}

/// `localhost` or a loopback IP: the only hosts plain HTTP is allowed to.
/// Whether `url` parses and names this machine (127.0.0.0/8, ::1 or `localhost`).
pub fn is_loopback_url(url: &str) -> bool {
    reqwest::Url::parse(url).is_ok_and(|u| is_loopback(&u))
}

pub(crate) fn is_loopback(url: &reqwest::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// Channel ids are opaque (base64-like in the seed); anything outside a safe set is escaped so it
/// cannot change the path.
fn encode_path_segment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_use_the_seeds_paths_and_backtrack() {
        let e = StreamEndpoint::new("psrv1.ekmmetering.com", "response_NjUy", false).unwrap();
        assert_eq!(
            e.http_url(),
            "https://psrv1.ekmmetering.com/sub/response_NjUy.b20"
        );
        assert_eq!(
            e.ws_url(),
            "wss://psrv1.ekmmetering.com/ws/response_NjUy.b20"
        );
    }

    #[test]
    fn plain_only_when_the_api_is_plain_and_the_host_is_loopback() {
        let local = StreamEndpoint::new("127.0.0.1:8080", "c", true).unwrap();
        assert_eq!(local.ws_url(), "ws://127.0.0.1:8080/ws/c.b20");
        let remote = StreamEndpoint::new("psrv1.ekmmetering.com", "c", true).unwrap();
        assert!(remote.http_url().starts_with("https://"));
        let local_but_secure_api = StreamEndpoint::new("localhost:1", "c", false).unwrap();
        assert!(local_but_secure_api.http_url().starts_with("https://"));
    }

    #[test]
    fn hosts_with_paths_or_credentials_and_odd_channels_are_handled() {
        for bad in ["", "evil.com/x", "user@evil.com", "a b", "host?q"] {
            assert!(StreamEndpoint::new(bad, "c", false).is_none(), "{bad:?}");
        }
        assert!(StreamEndpoint::new("h", "", false).is_none());
        let e = StreamEndpoint::new("h", "a/b?c#d e", false).unwrap();
        assert_eq!(e.http_url(), "https://h/sub/a%2Fb%3Fc%23d%20e.b20");
        assert!(!format!("{e:?}").contains("a/b"));
    }

    #[test]
    fn transport_parses_from_its_cli_spelling() {
        assert_eq!("ws".parse::<Transport>().unwrap(), Transport::Ws);
        assert_eq!("auto".parse::<Transport>().unwrap(), Transport::Auto);
        assert_eq!("WS".parse::<Transport>().unwrap_err().field, "transport");
    }
}
