//! A minimal push service that has no websocket endpoint: `sendCommand` answers on its own host,
//! `/sub/` streams whatever the test scripted, and `/ws/` does not exist (404). It lets tests
//! check the websocket-to-HTTP fallback and framings the simulator does not produce.

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};
use std::net::SocketAddr;
use std::sync::Arc;

pub const MSG_ID: &str = "0123456789abcdef0123456789abcdef";

/// The chunks `/sub/` sends, in order (then the stream stays open).
#[derive(Clone)]
pub struct Script {
    pub chunks: Vec<Vec<u8>>,
}

pub struct PushServer {
    pub addr: SocketAddr,
    task: tokio::task::JoinHandle<()>,
}

impl PushServer {
    pub async fn start(script: Script) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let addr = listener.local_addr().expect("local addr");
        let state = Arc::new((script, addr));
        let app = Router::new()
            .route("/sendCommand", post(send_command))
            .route("/sub/{channel}", get(stream))
            .with_state(state);
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.expect("serve");
        });
        Self { addr, task }
    }

    pub fn api_url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for PushServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn send_command(
    State(state): State<Arc<(Script, SocketAddr)>>,
    Json(_body): Json<Value>,
) -> Json<Value> {
    Json(
        json!({"msg_id": MSG_ID, "response_channel_id": "response_test", "response_channel_host": state.1.to_string()}),
    )
}

async fn stream(State(state): State<Arc<(Script, SocketAddr)>>) -> Body {
    let chunks: Vec<Result<Bytes, std::io::Error>> = state
        .0
        .chunks
        .iter()
        .map(|c| Ok(Bytes::from(c.clone())))
        .collect();
    // Keep the stream open after the script, like a real push stream.
    let forever = futures_util::stream::pending::<Result<Bytes, std::io::Error>>();
    Body::from_stream(futures_util::StreamExt::chain(
        futures_util::stream::iter(chunks),
        forever,
    ))
}
