//! Shared set-up for the integration tests: a simulator on 127.0.0.1 and a client pointed at it.
#![allow(dead_code)] // each test binary uses a different subset

pub mod push_server;

use push3::{Client, ClientConfig, MeterAddress, ParseOptions, ParsedCommand, Secret, Transport};
use push3_sim::{Faults, Framing, SimConfig, Simulator, DEMO_KEY};
use serde_json::Value;
use std::time::Duration;

/// The seed's example meter: a V4 on the factory password.
pub const SEED_METER: &str = "000350000900";
pub const V4_METER: &str = "000300004127";
pub const V3_METER: &str = "000000030001";
/// A V4 whose password is `12345678`.
pub const TENANT_METER: &str = "000350001234";

/// Every way of reading the stream: (label, transport, framing of the simulator's HTTP stream).
pub const STREAMS: [(&str, Transport, Framing); 4] = [
    ("ws", Transport::Ws, Framing::Newline),
    ("http/newline", Transport::Http, Framing::Newline),
    ("http/back-to-back", Transport::Http, Framing::BackToBack),
    ("auto", Transport::Auto, Framing::BackToBack),
];

pub fn sim(faults: Faults, framing: Framing) -> Simulator {
    let config = SimConfig {
        faults,
        framing,
        ..SimConfig::demo()
    };
    Simulator::start(config).expect("simulator starts")
}

pub fn client_for(api_url: &str, transport: Transport, timeout: Duration) -> Client {
    let config = ClientConfig::new(Secret::new(DEMO_KEY))
        .with_api_url(api_url)
        .with_transport(transport)
        .with_timeout(timeout);
    Client::new(config).expect("valid client config")
}

/// A client with a deadline long enough never to matter unless a test expects Unconfirmed.
pub fn client(sim: &Simulator, transport: Transport) -> Client {
    client_for(&sim.api_url(), transport, Duration::from_secs(20))
}

pub fn meter(address: &str) -> MeterAddress {
    MeterAddress::parse(address).expect("valid address")
}

pub fn command(name: &str, params: Value) -> ParsedCommand {
    let opts = ParseOptions {
        experimental_seasons: true,
        current_ct_ratio: None,
    };
    push3::parse(name, &params, &opts).expect("valid command")
}
