//! The HTTP side of the simulated cloud: `POST /sendCommand`, `GET /sub/{channel}` and
//! `GET /ws/{channel}` on one axum router.

mod send_command;
mod subscribe;

use crate::config::Framing;
use crate::gateway::{Gateway, ResponsePublisher};
use crate::requests::RequestLog;
use axum::routing::{get, post};
use axum::Router;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

/// What every handler can see.
pub(crate) struct SimShared {
    pub publisher: Arc<ResponsePublisher>,
    pub gateways: Vec<Gateway>,
    pub requests: RequestLog,
    pub bearer_token: Option<String>,
    pub framing: Framing,
    pub ping_interval: Duration,
    pub experimental_seasons: bool,
    pub layout: crate::PayloadLayout,
    pub wire_profile: push3::undocumented::WireProfile,
    /// `127.0.0.1:PORT`, returned as `response_channel_host`.
    pub host: String,
    pub shutdown: watch::Receiver<bool>,
}

impl SimShared {
    pub fn gateway_by_key(&self, key: &str) -> Option<&Gateway> {
        self.gateways.iter().find(|g| g.key == key)
    }
}

pub(crate) fn router(shared: Arc<SimShared>) -> Router {
    Router::new()
        .route("/sendCommand", post(send_command::send_command))
        .route("/sub/{channel}", get(subscribe::http_stream))
        .route("/ws/{channel}", get(subscribe::websocket))
        .with_state(shared)
}
