//! Which proxy a connection goes through, and the CONNECT tunnel the websocket opens through it.
//!
//! The rule is reqwest's own: hyper-util's system matcher reads `HTTPS_PROXY`, `HTTP_PROXY`,
//! `ALL_PROXY` and `NO_PROXY` (either case), and on macOS and Windows the OS proxy settings when
//! no variable is set. reqwest builds the same matcher for `sendCommand` and the HTTP stream, so
//! both transports agree by construction; this module only applies it to the websocket.

use hyper_util::client::legacy::connect::proxy::Tunnel;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::proxy::matcher::Matcher;
use std::sync::Arc;
use tokio::net::TcpStream;
use tower_service::Service;

/// The proxy settings of this process, read once per client.
#[derive(Clone)]
pub struct Proxies {
    matcher: Arc<Matcher>,
}

impl std::fmt::Debug for Proxies {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The matcher may hold proxy credentials.
        f.write_str("Proxies")
    }
}

/// Why a tunnel could not be opened. The text never holds a URL or credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TunnelError(pub String);

impl Proxies {
    pub fn from_system() -> Self {
        Self {
            matcher: Arc::new(Matcher::from_system()),
        }
    }

    /// The proxy for `url` (`ws://` or `wss://`), judged as reqwest judges its `http://` or
    /// `https://` twin, since the websocket handshake is an HTTP request to the same host.
    fn intercept(&self, url: &str) -> Option<hyper_util::client::proxy::matcher::Intercept> {
        let twin = if let Some(rest) = url.strip_prefix("wss://") {
            format!("https://{rest}")
        } else if let Some(rest) = url.strip_prefix("ws://") {
            format!("http://{rest}")
        } else {
            url.to_string()
        };
        let uri: http::Uri = twin.parse().ok()?;
        self.matcher.intercept(&uri)
    }

    /// A TCP stream to `host:port` of `url`: direct, or a CONNECT tunnel through the proxy,
    /// with the proxy's credentials when its URL carries them. TLS, if any, is the caller's,
    /// end to end through the tunnel.
    pub async fn connect(&self, url: &str) -> Result<TcpStream, TunnelError> {
        let target: http::Uri = url.parse().map_err(|_| TunnelError("bad address".into()))?;
        let host = target
            .host()
            .ok_or_else(|| TunnelError("bad address".into()))?
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_string();
        let secure = matches!(target.scheme_str(), Some("wss" | "https"));
        let port = target.port_u16().unwrap_or(if secure { 443 } else { 80 });
        let Some(intercept) = self.intercept(url) else {
            return TcpStream::connect((host.as_str(), port))
                .await
                .map_err(|e| TunnelError(format!("connection error: {}", e.kind())));
        };
        let proxy = intercept.uri().clone();
        if !matches!(proxy.scheme_str(), Some("http") | None) {
            return Err(TunnelError(format!(
                "the proxy {} is not an http:// proxy; the response stream supports HTTP CONNECT proxies",
                show_proxy(&proxy)
            )));
        }
        let mut connector = HttpConnector::new();
        connector.set_nodelay(true);
        let mut tunnel = Tunnel::new(proxy.clone(), connector);
        if let Some(auth) = intercept.basic_auth() {
            tunnel = tunnel.with_auth(auth.clone());
        }
        let authority: http::Uri = format!("http://{}:{port}", authority_host(&host))
            .parse()
            .map_err(|_| TunnelError("bad address".into()))?;
        std::future::poll_fn(|cx| tunnel.poll_ready(cx))
            .await
            .map_err(|e| tunnel_error(&proxy, e))?;
        let io = tunnel
            .call(authority)
            .await
            .map_err(|e| tunnel_error(&proxy, e))?;
        Ok(io.into_inner())
    }
}

fn authority_host(host: &str) -> String {
    if host.contains(':') {
        format!("[{host}]")
    } else {
        host.to_string()
    }
}

/// `http://host:port` of a proxy, without any credentials.
fn show_proxy(uri: &http::Uri) -> String {
    let scheme = uri.scheme_str().unwrap_or("http");
    let host = uri.host().unwrap_or("?");
    match uri.port_u16() {
        Some(port) => format!("{scheme}://{host}:{port}"),
        None => format!("{scheme}://{host}"),
    }
}

fn tunnel_error(proxy: &http::Uri, e: impl std::fmt::Debug) -> TunnelError {
    // TunnelError's Display says little ("tunnel error: unsuccessful"); its Debug names the
    // variant, which is what a person needs: refused, auth required, or the proxy said no.
    let what = format!("{e:?}");
    let why = if what.contains("ProxyAuthRequired") {
        "asked for credentials (407); put them in the proxy URL"
    } else if what.contains("TunnelUnsuccessful") {
        "refused the tunnel"
    } else if what.contains("ConnectFailed") {
        "could not be reached"
    } else {
        "broke off the tunnel"
    };
    TunnelError(format!("the proxy {} {why}", show_proxy(proxy)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proxies(all: Option<&str>, https: Option<&str>, no: Option<&str>) -> Proxies {
        let mut b = Matcher::builder();
        if let Some(v) = all {
            b = b.all(v.to_string());
        }
        if let Some(v) = https {
            b = b.https(v.to_string());
        }
        if let Some(v) = no {
            b = b.no(v.to_string());
        }
        Proxies {
            matcher: Arc::new(b.build()),
        }
    }

    /// Where a websocket to `url` goes first, as `connect` decides it: the proxy as shown, or
    /// `None` for direct.
    fn route(p: &Proxies, url: &str) -> Option<String> {
        p.intercept(url).map(|i| show_proxy(i.uri()))
    }

    #[test]
    fn wss_follows_https_proxy_and_ws_follows_http() {
        let p = proxies(None, Some("http://user:pw@proxy.corp:3128"), None);
        assert_eq!(
            route(&p, "wss://psrv1.ekmmetering.com/ws/c.b20").as_deref(),
            Some("http://proxy.corp:3128"),
            "credentials never shown"
        );
        assert_eq!(route(&p, "ws://psrv1.ekmmetering.com/ws/c.b20"), None);
        let all = proxies(Some("http://proxy.corp:8080"), None, None);
        assert!(route(&all, "ws://h/ws/c").is_some());
    }

    #[test]
    fn no_proxy_is_honoured() {
        let p = proxies(
            Some("http://proxy.corp:8080"),
            None,
            Some("ekmmetering.com,10.0.0.0/8"),
        );
        assert_eq!(route(&p, "wss://psrv1.ekmmetering.com/ws/c"), None);
        assert_eq!(route(&p, "wss://10.1.2.3:443/ws/c"), None);
        assert!(route(&p, "wss://example.org/ws/c").is_some());
    }
}
