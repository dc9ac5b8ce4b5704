//! How both transports reach the network: one TLS configuration and one proxy rule.
//!
//! `sendCommand` goes through reqwest and the response stream through reqwest (HTTP streaming)
//! or tokio-tungstenite (websocket). Behind a company proxy that inspects TLS, a websocket that
//! trusted its own root list and ignored `HTTPS_PROXY` failed where HTTP worked. So both take
//! their trust from [`tls::client_config`] and their proxy from [`proxy::Proxies`], and neither
//! has settings of its own.

pub mod proxy;
pub mod tls;

pub use proxy::Proxies;

/// The causes under an error, outermost first: reqwest's own text ("error sending request")
/// says nothing, its causes say DNS, TLS or refused. None of them holds the URL.
pub(crate) fn causes(e: &dyn std::error::Error) -> Vec<String> {
    let mut causes = Vec::new();
    let mut source = e.source();
    while let Some(cause) = source {
        causes.push(cause.to_string());
        source = cause.source();
    }
    causes
}
