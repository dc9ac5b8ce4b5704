//! The stream reader under random framing and random chunking (proptest), and the client against
//! a push service without websocket (auto falls back to HTTP) that frames messages its own way.

mod support;

use proptest::prelude::*;
use push3::stream::ObjectReader;
use push3::{Outcome, Transport};
use serde_json::{json, Value};
use std::time::Duration;
use support::push_server::{PushServer, Script, MSG_ID};
use support::{client_for, command, meter, SEED_METER};

fn message() -> impl Strategy<Value = Value> {
    (
        "[0-9a-f]{32}",
        any::<bool>(),
        proptest::option::of("[ -~äé{}\\[\\]\"\\\\]{0,20}"),
        proptest::option::of(prop_oneof![Just(json!({"a": [1, {"b": "}{"}]})), Just(json!({"x": "\n{\"y\":1}"}))]),
        // Quarter seconds are exact in binary, so the comparison is not about float parsing.
        (0u32..2_000_000_000, 0u8..4).prop_map(|(s, q)| f64::from(s) + f64::from(q) * 0.25),
    )
        .prop_map(|(id, success, error, data, timestamp)| {
            json!({"msg_id": id, "timestamp": timestamp, "success": success, "error": error, "data": data})
        })
}

/// What may sit between messages: nothing, whitespace, or self-delimiting junk.
fn separator() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just(" \t ".to_string()),
        Just("\n\n\n".to_string()),
        Just("42".to_string()),
        Just("[1,2]".to_string()),
        Just("\"ping\"".to_string()),
        Just("{}".to_string()),
    ]
}

/// Splits `bytes` at the given fractions of its length.
fn chunks(bytes: &[u8], cuts: &[f64]) -> Vec<Vec<u8>> {
    let mut points: Vec<usize> = cuts
        .iter()
        .map(|c| (c * bytes.len() as f64) as usize)
        .collect();
    points.push(0);
    points.push(bytes.len());
    points.sort_unstable();
    points
        .windows(2)
        .map(|w| bytes[w[0]..w[1]].to_vec())
        .collect()
}

fn read(chunks: &[Vec<u8>]) -> Vec<Value> {
    let mut reader = ObjectReader::new();
    let mut found = Vec::new();
    for chunk in chunks {
        reader.push(chunk);
        while let Some(object) = reader.next_object() {
            found.push(Value::Object(object));
        }
    }
    found
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn every_message_is_found_whatever_the_framing_and_chunking(
        messages in proptest::collection::vec((separator(), message(), any::<bool>()), 0..8),
        trailing in separator(),
        cuts in proptest::collection::vec(0.0f64..1.0, 0..12),
    ) {
        let mut text = String::new();
        for (separator, message, pretty) in &messages {
            text.push_str(separator);
            // A space keeps a number separator from running into a number-leading message.
            if separator.ends_with(|c: char| c.is_ascii_digit()) { text.push(' '); }
            let rendered = if *pretty { serde_json::to_string_pretty(message) } else { serde_json::to_string(message) };
            text.push_str(&rendered.unwrap());
        }
        text.push_str(&trailing);
        let found: Vec<Value> = read(&chunks(text.as_bytes(), &cuts)).into_iter().filter(|v| v != &json!({})).collect();
        let expected: Vec<Value> = messages.into_iter().map(|(_, m, _)| m).collect();
        prop_assert_eq!(found, expected);
    }

    #[test]
    fn a_truncated_object_on_its_own_line_costs_only_itself(
        before in message(),
        after in message(),
        cut in 1usize..30,
        cuts in proptest::collection::vec(0.0f64..1.0, 0..6),
    ) {
        let broken = serde_json::to_vec(&before).unwrap();
        let mut bytes = broken[..cut.min(broken.len() - 1)].to_vec();
        bytes.push(b'\n');
        bytes.extend(serde_json::to_vec(&after).unwrap());
        bytes.push(b'\n');
        let found = read(&chunks(&bytes, &cuts));
        prop_assert_eq!(found.last(), Some(&after));
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400), cuts in proptest::collection::vec(0.0f64..1.0, 0..6)) {
        let _ = read(&chunks(&bytes, &cuts));
    }
}

#[tokio::test]
async fn auto_falls_back_to_http_when_there_is_no_websocket() {
    let answer = json!({"msg_id": MSG_ID, "timestamp": 1611374002.628128, "success": true, "error": null, "data": null});
    let pretty = serde_json::to_string_pretty(&answer).unwrap();
    let (head, tail) = pretty.as_bytes().split_at(pretty.len() / 2);
    let script = Script {
        chunks: vec![
            b"\r\n".to_vec(),
            br#"{"msg_id":"ffffffffffffffffffffffffffffffff","timestamp":1,"success":false,"error":"not ours","data":null}"#.to_vec(),
            head.to_vec(),
            tail.to_vec(),
        ],
    };
    let server = PushServer::start(script).await;
    let client = client_for(&server.api_url(), Transport::Auto, Duration::from_secs(20));
    let outcome = client
        .execute(
            &meter(SEED_METER),
            &command("SetMaxDemandResetNow", json!({})),
        )
        .await
        .unwrap();
    assert_eq!(
        outcome,
        Outcome::Confirmed {
            data: None,
            timestamp: 1611374002.628128
        }
    );
    let stats = client.stream_stats();
    assert_eq!((stats.http_fallbacks, stats.unclaimed), (1, 1), "{stats:?}");
}

#[tokio::test]
async fn websocket_only_gets_no_answer_from_a_service_without_websocket() {
    let server = PushServer::start(Script { chunks: vec![] }).await;
    let client = client_for(&server.api_url(), Transport::Ws, Duration::from_millis(300));
    let outcome = client
        .execute(
            &meter(SEED_METER),
            &command("SetZeroResettableKWH", json!({})),
        )
        .await
        .unwrap();
    assert_eq!(outcome, Outcome::Unconfirmed);
    assert_eq!(client.stream_stats().http_fallbacks, 0);
}
