//! Subscribers of the response push stream: a long-lived chunked HTTP response on `/sub/` and a
//! websocket on `/ws/`, both honouring `.bN` backtrack (reference §1.4, §1.5, G8).

use super::SimShared;
use crate::config::Framing;
use crate::stream::{parse_channel_path, FrameKind, SubscriberEvent, Subscription};
use axum::body::{Body, Bytes};
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// A subscription refused like `push_stream_authorized_channels_only` refuses it: the
/// `forbid_until_first_message` fault is on and the channel has nothing stored yet.
struct Forbidden;

impl IntoResponse for Forbidden {
    fn into_response(self) -> Response {
        (StatusCode::FORBIDDEN, "403 Forbidden").into_response()
    }
}

fn open(sim: &SimShared, path: &str) -> Result<Subscription, Forbidden> {
    let (channel, backtrack) = parse_channel_path(path);
    if sim.publisher.faults().forbid_until_first_message
        && !sim.publisher.channels.has_stored_messages(&channel)
    {
        return Err(Forbidden);
    }
    Ok(sim.publisher.channels.subscribe(&channel, backtrack))
}

/// The bytes a frame or ping takes on the HTTP stream, or `None` to leave it out.
fn http_bytes(event: &SubscriberEvent, framing: Framing) -> Option<Bytes> {
    match (event, framing) {
        // A truncated object with nothing after it to resynchronise on would swallow the next
        // message whole; a real stream without separators could not carry it either.
        (SubscriberEvent::Frame(f), Framing::BackToBack)
            if f.kind
                == (FrameKind::Junk {
                    self_delimiting: false,
                }) =>
        {
            None
        }
        (SubscriberEvent::Frame(f), Framing::Newline) => Some(Bytes::from(format!("{}\n", f.text))),
        (SubscriberEvent::Frame(f), Framing::BackToBack) => Some(Bytes::from(f.text.clone())),
        (SubscriberEvent::Ping, Framing::Newline) => Some(Bytes::from_static(b"\n")),
        (SubscriberEvent::Ping, Framing::BackToBack) => Some(Bytes::from_static(b" ")),
        (SubscriberEvent::Dropped, _) => None,
    }
}

pub(super) async fn http_stream(
    State(sim): State<Arc<SimShared>>,
    Path(path): Path<String>,
) -> Response {
    let subscription = match open(&sim, &path) {
        Ok(s) => s,
        Err(refusal) => return refusal.into_response(),
    };
    let framing = sim.framing;
    let ping_interval = sim.ping_interval;
    let shutdown = sim.shutdown.clone();
    let chunks = futures_util::stream::unfold(
        (subscription, shutdown, false),
        move |(mut sub, mut shutdown, dropped)| async move {
            if dropped {
                return None;
            }
            loop {
                let event = sub.next(ping_interval, &mut shutdown).await?;
                if let SubscriberEvent::Dropped = event {
                    // An error item makes hyper abort the connection without the final chunk:
                    // the client sees a broken stream, as when a proxy cuts it.
                    let cut = std::io::Error::other("stream dropped by the drop_stream fault");
                    return Some((Err(cut), (sub, shutdown, true)));
                }
                if let Some(bytes) = http_bytes(&event, framing) {
                    return Some((Ok(bytes), (sub, shutdown, false)));
                }
            }
        },
    );
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::CACHE_CONTROL, "no-cache")
        .body(Body::from_stream(chunks))
        .expect("static response parts are valid")
}

pub(super) async fn websocket(
    State(sim): State<Arc<SimShared>>,
    Path(path): Path<String>,
    upgrade: WebSocketUpgrade,
) -> Response {
    // Subscribe before the upgrade, so the backlog is what existed when the client connected.
    let subscription = match open(&sim, &path) {
        Ok(s) => s,
        Err(refusal) => return refusal.into_response(),
    };
    let ping_interval = sim.ping_interval;
    let shutdown = sim.shutdown.clone();
    upgrade.on_upgrade(move |socket| pump(socket, subscription, ping_interval, shutdown))
}

/// One text frame per message; an empty text frame as the ping (as the push stream module sends
/// its ping template), so clients must skip blank frames.
async fn pump(
    mut socket: WebSocket,
    mut sub: Subscription,
    ping_interval: std::time::Duration,
    mut shutdown: tokio::sync::watch::Receiver<bool>,
) {
    loop {
        tokio::select! {
            event = sub.next(ping_interval, &mut shutdown) => {
                let text = match event {
                    Some(SubscriberEvent::Frame(frame)) => frame.text.clone(),
                    Some(SubscriberEvent::Ping) => String::new(),
                    // Drop the socket without a close frame: an abrupt disconnect.
                    Some(SubscriberEvent::Dropped) => return,
                    None => {
                        let _ = socket.send(Message::Close(None)).await;
                        return;
                    }
                };
                if socket.send(Message::Text(text.into())).await.is_err() {
                    return;
                }
            }
            incoming = socket.recv() => match incoming {
                Some(Ok(Message::Close(_))) | Some(Err(_)) | None => return,
                // Subscribers have nothing to say; pongs are answered by axum itself.
                Some(Ok(_)) => {}
            },
        }
    }
}
