//! Publishing a gateway's response onto its channel, with the stream faults in force applied:
//! lost answers, a dropped stream, junk frames, other clients' messages and duplicates.

use crate::faults::Faults;
use crate::ids::new_msg_id;
use crate::stream::{Channels, FrameKind};
use push3::wire::ResponseMessage;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};

/// A finished command, ready to publish as the seed's response message (reference §1.6).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Answer {
    pub msg_id: String,
    pub channel: String,
    /// When the gateway received the command (epoch seconds), not when it finished (G12).
    pub timestamp: f64,
    /// `Ok(data)` for `success: true`, `Err(text)` for `success: false`.
    pub outcome: Result<Option<serde_json::Value>, String>,
}

impl Answer {
    pub fn to_json(&self) -> String {
        let (success, error, data) = match &self.outcome {
            Ok(data) => (true, None, data.clone()),
            Err(text) => (false, Some(text.clone()), None),
        };
        let message = ResponseMessage {
            msg_id: self.msg_id.clone(),
            timestamp: self.timestamp,
            success,
            error,
            data,
        };
        serde_json::to_string(&message).expect("a response message serializes")
    }
}

/// Junk a real stream could carry; only the truncated object needs a delimiter to be skipped.
const MALFORMED_FRAMES: [(&str, bool); 3] =
    [(r#"{"msg_id":"#, false), ("[1,2]", true), ("42", true)];

/// The channels plus the faults that shape what lands on them. Shared by every gateway and by
/// the server (which reads the `sendCommand` and subscribe faults from it).
pub(crate) struct ResponsePublisher {
    pub channels: Channels,
    faults: RwLock<Faults>,
    /// `drop_stream` fires once per [`ResponsePublisher::set_faults`].
    drop_spent: AtomicBool,
}

impl ResponsePublisher {
    pub fn new(channels: Channels, faults: Faults) -> Arc<Self> {
        Arc::new(Self {
            channels,
            faults: RwLock::new(faults),
            drop_spent: AtomicBool::new(false),
        })
    }

    pub fn faults(&self) -> Faults {
        self.faults.read().expect("faults lock poisoned").clone()
    }

    pub fn set_faults(&self, faults: Faults) {
        *self.faults.write().expect("faults lock poisoned") = faults;
        self.drop_spent.store(false, Ordering::SeqCst);
    }

    /// Publishes `answer` shaped by `faults` (those in force when its command was accepted).
    pub fn publish(&self, answer: &Answer, faults: &Faults) {
        if faults.silent {
            return;
        }
        let channel = answer.channel.as_str();
        // Dropped just before the answer, so only a client that resubscribes with backtrack
        // sees it. Spent only when someone was actually listening.
        if faults.drop_stream
            && !self.drop_spent.load(Ordering::SeqCst)
            && self.channels.drop_subscribers(channel) > 0
        {
            self.drop_spent.store(true, Ordering::SeqCst);
        }
        if faults.malformed_frames {
            for (text, self_delimiting) in MALFORMED_FRAMES {
                self.channels.publish(
                    channel,
                    text.to_string(),
                    FrameKind::Junk { self_delimiting },
                );
            }
        }
        if faults.foreign_messages {
            let foreign = Answer {
                msg_id: new_msg_id(),
                channel: answer.channel.clone(),
                timestamp: answer.timestamp,
                outcome: Ok(None),
            };
            self.channels
                .publish(channel, foreign.to_json(), FrameKind::Message);
        }
        let text = answer.to_json();
        if faults.duplicates {
            self.channels
                .publish(channel, text.clone(), FrameKind::Message);
        }
        self.channels.publish(channel, text, FrameKind::Message);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(outcome: Result<Option<serde_json::Value>, String>) -> Answer {
        Answer {
            msg_id: "8fce23ce5d0b11ebb86e4c1d96d9f4c7".into(),
            channel: "c".into(),
            timestamp: 1611374002.628128,
            outcome,
        }
    }

    #[test]
    fn success_renders_as_the_seed_example() {
        let json: serde_json::Value = serde_json::from_str(&answer(Ok(None)).to_json()).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"msg_id":"8fce23ce5d0b11ebb86e4c1d96d9f4c7",
                "timestamp":1611374002.628128,"success":true,"error":null,"data":null})
        );
    }

    #[test]
    fn failure_carries_the_error_text_and_null_data() {
        let json: serde_json::Value =
            serde_json::from_str(&answer(Err("wrong password".into())).to_json()).unwrap();
        assert_eq!(json["success"], false);
        assert_eq!(json["error"], "wrong password");
        assert!(json["data"].is_null());
    }

    #[test]
    fn silent_publishes_nothing_and_duplicates_publish_twice() {
        let publisher = ResponsePublisher::new(Channels::new(10), Faults::default());
        let silent = Faults {
            silent: true,
            ..Faults::default()
        };
        publisher.publish(&answer(Ok(None)), &silent);
        assert!(!publisher.channels.has_stored_messages("c"));
        let duplicates = Faults {
            duplicates: true,
            ..Faults::default()
        };
        publisher.publish(&answer(Ok(None)), &duplicates);
        assert_eq!(publisher.channels.subscribe("c", 10).backlog_len(), 2);
    }
}
