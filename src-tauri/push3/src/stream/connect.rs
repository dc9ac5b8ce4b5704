//! Opening the response stream over HTTP streaming or websocket, and reading raw chunks from it.

use super::StreamEndpoint;
use crate::net::Proxies;
use bytes::Bytes;
use futures_util::{Stream, StreamExt};
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;
use tokio_tungstenite::tungstenite::{self, Message};
use tokio_tungstenite::Connector;

/// Bounds a connection attempt; the overall deadline is the pending commands' business.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Why a subscription could not be opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ConnectError {
    /// `403`: with `push_stream_authorized_channels_only` the channel has no stored message
    /// yet. Not an error: try again shortly (G7).
    NotYet,
    /// Anything else: refused, unreachable, not a stream. The text never holds the URL (the
    /// channel id is semi-secret).
    Unavailable(String),
}

/// What arrived on an open stream.
pub(crate) enum Chunk {
    /// Bytes of the HTTP stream, cut anywhere.
    Bytes(Bytes),
    /// One websocket text (or binary) frame: normally one message, or a blank ping.
    Frame(Bytes),
}

type ByteStream = Pin<Box<dyn Stream<Item = reqwest::Result<Bytes>> + Send>>;
type WsStream =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// What a websocket needs to connect as `sendCommand` does: the same TLS trust and proxy.
#[derive(Clone)]
pub(crate) struct WsConnector {
    pub tls: Arc<rustls::ClientConfig>,
    pub proxies: Proxies,
}

/// An open response stream of either kind.
pub(crate) enum StreamSource {
    Http(ByteStream),
    Ws(Box<WsStream>),
}

impl StreamSource {
    pub async fn open_http(
        http: &reqwest::Client,
        endpoint: &StreamEndpoint,
        backtrack: usize,
    ) -> Result<Self, ConnectError> {
        let request = http
            .get(endpoint.http_url_with_backtrack(backtrack))
            .header(reqwest::header::ACCEPT, "application/json")
            .send();
        let response = match tokio::time::timeout(CONNECT_TIMEOUT, request).await {
            Err(_) => return Err(ConnectError::Unavailable("timed out connecting".into())),
            Ok(Err(e)) => {
                let e = e.without_url();
                let mut why = vec![e.to_string()];
                why.extend(crate::net::causes(&e));
                return Err(ConnectError::Unavailable(why.join(": ")));
            }
            Ok(Ok(response)) => response,
        };
        match response.status().as_u16() {
            200..=299 => Ok(StreamSource::Http(Box::pin(response.bytes_stream()))),
            403 => Err(ConnectError::NotYet),
            status => Err(ConnectError::Unavailable(format!(
                "stream answered {status}"
            ))),
        }
    }

    pub async fn open_ws(
        connector: &WsConnector,
        endpoint: &StreamEndpoint,
        backtrack: usize,
    ) -> Result<Self, ConnectError> {
        let url = endpoint.ws_url_with_backtrack(backtrack);
        let connect = async {
            let tcp = connector
                .proxies
                .connect(&url)
                .await
                .map_err(|e| ConnectError::Unavailable(e.0))?;
            let tls = Some(Connector::Rustls(connector.tls.clone()));
            Ok::<_, ConnectError>(
                tokio_tungstenite::client_async_tls_with_config(url.as_str(), tcp, None, tls).await,
            )
        };
        let handshake = match tokio::time::timeout(CONNECT_TIMEOUT, connect).await {
            Err(_) => return Err(ConnectError::Unavailable("timed out connecting".into())),
            Ok(reached) => reached?,
        };
        match handshake {
            Ok((socket, _)) => Ok(StreamSource::Ws(Box::new(socket))),
            Err(tungstenite::Error::Http(response)) if response.status().as_u16() == 403 => {
                Err(ConnectError::NotYet)
            }
            Err(tungstenite::Error::Http(response)) => Err(ConnectError::Unavailable(format!(
                "websocket answered {}",
                response.status().as_u16()
            ))),
            Err(e) => Err(ConnectError::Unavailable(format!(
                "websocket failed: {}",
                ws_error_kind(&e)
            ))),
        }
    }

    /// The next chunk, or `None` when the stream ended or broke.
    pub async fn next_chunk(&mut self) -> Option<Chunk> {
        match self {
            StreamSource::Http(body) => match body.next().await {
                Some(Ok(bytes)) => Some(Chunk::Bytes(bytes)),
                Some(Err(_)) | None => None,
            },
            StreamSource::Ws(socket) => loop {
                match socket.next().await {
                    Some(Ok(Message::Text(text))) => return Some(Chunk::Frame(Bytes::from(text))),
                    Some(Ok(Message::Binary(bytes))) => return Some(Chunk::Frame(bytes)),
                    // Control frames: tungstenite answers pings itself.
                    Some(Ok(Message::Ping(_) | Message::Pong(_) | Message::Frame(_))) => continue,
                    Some(Ok(Message::Close(_))) | Some(Err(_)) | None => return None,
                }
            },
        }
    }
}

/// A short description of a websocket error that cannot carry the URL: the kind, and for I/O
/// and TLS the OS's or rustls's own words (refused, unknown issuer), which hold no URL either.
fn ws_error_kind(e: &tungstenite::Error) -> String {
    match e {
        tungstenite::Error::Io(io) => format!("connection error: {io}"),
        tungstenite::Error::Tls(tls) => format!("TLS error: {tls}"),
        tungstenite::Error::Url(_) => "bad address".into(),
        tungstenite::Error::Protocol(_) => "protocol error".into(),
        _ => "handshake error".into(),
    }
}
