//! The simulator over real sockets on 127.0.0.1, spoken to in the raw protocol (reqwest and
//! tokio-tungstenite), never through the core client.

mod binary;
mod commands;
mod faults;
mod gateway;
mod streaming;
mod support;
mod validation;
