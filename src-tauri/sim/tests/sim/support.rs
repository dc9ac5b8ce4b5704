//! Raw-protocol helpers: POST /sendCommand, read the HTTP stream frame by frame, read the websocket.

use futures_util::StreamExt;
use push3_sim::{SimConfig, Simulator, DEMO_KEY};
use serde_json::{json, Value};
use std::time::Duration;
use tokio_tungstenite::tungstenite::Message;

/// The seed's example meter: a V4 on the factory password in the demo gateway.
pub const SEED_METER: &str = "000350000900";
pub const V3_METER: &str = "000000030001";
pub const V5_METER: &str = "000400012345";
pub const TENANT_METER: &str = "000350001234";

/// Long enough for a loaded 2-core machine, short enough that a hang fails fast.
pub const WAIT: Duration = Duration::from_secs(10);

pub fn demo() -> Simulator {
    Simulator::start(SimConfig::demo()).expect("simulator starts")
}

pub fn start(config: SimConfig) -> Simulator {
    Simulator::start(config).expect("simulator starts")
}

/// A sendCommand reply: status and body (JSON when it was JSON, else the text as a JSON string).
pub struct Reply {
    pub status: u16,
    pub body: Value,
}

impl Reply {
    pub fn msg_id(&self) -> String {
        assert_eq!(
            self.status, 200,
            "expected 200, got {} {}",
            self.status, self.body
        );
        self.body["msg_id"].as_str().expect("msg_id").to_string()
    }

    pub fn channel(&self) -> String {
        self.body["response_channel_id"]
            .as_str()
            .expect("channel")
            .to_string()
    }

    pub fn host(&self) -> String {
        self.body["response_channel_host"]
            .as_str()
            .expect("host")
            .to_string()
    }

    pub fn error(&self) -> String {
        assert_eq!(
            self.status, 400,
            "expected 400, got {} {}",
            self.status, self.body
        );
        self.body["error"].as_str().expect("error text").to_string()
    }
}

/// POSTs a raw body to `/sendCommand?key=<DEMO_KEY>`.
pub async fn post_raw(sim: &Simulator, query: &str, body: &str) -> Reply {
    let response = reqwest::Client::new()
        .post(format!("{}/sendCommand{query}", sim.api_url()))
        .header("Content-Type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .expect("sendCommand reachable");
    let status = response.status().as_u16();
    let text = response.text().await.expect("body");
    let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
    Reply { status, body }
}

/// Sends `command` to `meter` on the demo gateway, as the seed's example does.
pub async fn send(sim: &Simulator, command: &str, meter: &str, params: Value) -> Reply {
    let body =
        json!({ "command": command, "target": "meter", "target_id": meter, "params": params });
    post_raw(sim, &format!("?key={DEMO_KEY}"), &body.to_string()).await
}

/// An open `GET /sub/...` stream, read chunk by chunk.
pub struct HttpStream {
    response: reqwest::Response,
    buffer: Vec<u8>,
}

impl HttpStream {
    pub async fn open(host: &str, channel_path: &str) -> Self {
        let response = Self::try_open(host, channel_path).await;
        assert_eq!(response.status(), 200, "subscribe to {channel_path}");
        Self {
            response,
            buffer: Vec::new(),
        }
    }

    pub async fn try_open(host: &str, channel_path: &str) -> reqwest::Response {
        tokio::time::timeout(
            WAIT,
            reqwest::get(format!("http://{host}/sub/{channel_path}")),
        )
        .await
        .expect("stream headers in time")
        .expect("stream reachable")
    }

    /// Reads until `done` finds what it wants in the bytes so far; returns those bytes.
    async fn read_until(&mut self, done: impl Fn(&[u8]) -> bool) -> Vec<u8> {
        let deadline = tokio::time::Instant::now() + WAIT;
        while !done(&self.buffer) {
            let chunk = tokio::time::timeout_at(deadline, self.response.chunk())
                .await
                .expect("stream data in time")
                .expect("stream not broken")
                .expect("stream still open");
            self.buffer.extend_from_slice(&chunk);
        }
        std::mem::take(&mut self.buffer)
    }

    /// The next line (newline framing), without its `\n`; blank lines are pings and are returned
    /// as empty strings.
    pub async fn next_line(&mut self) -> String {
        let mut bytes = self.read_until(|b| b.contains(&b'\n')).await;
        let end = bytes.iter().position(|b| *b == b'\n').unwrap();
        self.buffer = bytes.split_off(end + 1);
        bytes.pop();
        String::from_utf8(bytes).expect("utf-8 frame")
    }

    /// The next non-blank line, parsed as JSON.
    pub async fn next_message(&mut self) -> Value {
        loop {
            let line = self.next_line().await;
            if !line.trim().is_empty() {
                return serde_json::from_str(&line).unwrap_or_else(|e| panic!("{line:?}: {e}"));
            }
        }
    }

    /// Reads until `n` JSON values parse from the bytes so far (back-to-back framing); returns
    /// the raw text and the values.
    pub async fn next_values(&mut self, n: usize) -> (String, Vec<Value>) {
        let parses = |bytes: &[u8]| {
            serde_json::Deserializer::from_slice(bytes)
                .into_iter::<Value>()
                .take_while(Result::is_ok)
                .count()
                >= n
        };
        let bytes = self.read_until(parses).await;
        let values = serde_json::Deserializer::from_slice(&bytes)
            .into_iter::<Value>()
            .take(n)
            .map(|v| v.expect("complete value"))
            .collect();
        (String::from_utf8(bytes).expect("utf-8"), values)
    }

    /// Waits for the stream to end or break; true if it broke (no clean end).
    pub async fn wait_end(mut self) -> bool {
        loop {
            match tokio::time::timeout(WAIT, self.response.chunk())
                .await
                .expect("end in time")
            {
                Ok(Some(_)) => continue,
                Ok(None) => return false,
                Err(_) => return true,
            }
        }
    }
}

pub type WsStream =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

pub async fn ws_open(host: &str, channel_path: &str) -> WsStream {
    let (socket, _) = tokio_tungstenite::connect_async(format!("ws://{host}/ws/{channel_path}"))
        .await
        .expect("websocket connects");
    socket
}

/// The next text frame (pings are empty text frames and are returned as "").
pub async fn ws_next_text(socket: &mut WsStream) -> String {
    loop {
        let message = tokio::time::timeout(WAIT, socket.next())
            .await
            .expect("websocket frame in time")
            .expect("websocket open")
            .expect("websocket healthy");
        match message {
            Message::Text(text) => return text.to_string(),
            Message::Ping(_) | Message::Pong(_) => continue,
            other => panic!("unexpected websocket message {other:?}"),
        }
    }
}

/// The next non-empty text frame, parsed as JSON.
pub async fn ws_next_message(socket: &mut WsStream) -> Value {
    loop {
        let text = ws_next_text(socket).await;
        if !text.is_empty() {
            return serde_json::from_str(&text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
        }
    }
}

/// Sends a command and waits (via backtrack) for its answer on the HTTP stream.
pub async fn run(sim: &Simulator, command: &str, meter: &str, params: Value) -> Value {
    let reply = send(sim, command, meter, params).await;
    let msg_id = reply.msg_id();
    let mut stream = HttpStream::open(&reply.host(), &format!("{}.b100", reply.channel())).await;
    loop {
        let message = stream.next_message().await;
        if message["msg_id"] == msg_id.as_str() {
            return message;
        }
    }
}

/// Like [`run`], but asserts success and returns `data`.
pub async fn run_ok(sim: &Simulator, command: &str, meter: &str, params: Value) -> Value {
    let message = run(sim, command, meter, params).await;
    assert_eq!(message["success"], true, "{command}: {message}");
    assert!(message["error"].is_null(), "{message}");
    message["data"].clone()
}

/// Like [`run`], but asserts failure and returns the error text.
pub async fn run_failed(sim: &Simulator, command: &str, meter: &str, params: Value) -> String {
    let message = run(sim, command, meter, params).await;
    assert_eq!(message["success"], false, "{command}: {message}");
    assert!(message["data"].is_null(), "{message}");
    message["error"].as_str().expect("error text").to_string()
}
