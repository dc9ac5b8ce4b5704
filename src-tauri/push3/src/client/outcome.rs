//! What became of a command (reference §1.8 step 5, G9).

use crate::wire::ResponseMessage;
use serde::Serialize;
use serde_json::Value;
use ts_rs::TS;

/// The end state of a command. `Unconfirmed` is not a failure: the gateway may still run the
/// command later (G10), so it is never resent automatically.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Outcome {
    /// `success: true`. `timestamp` is when the gateway *received* the command (G12).
    Confirmed { data: Option<Value>, timestamp: f64 },
    /// `success: false`: the gateway's or meter's `error`, verbatim (G41).
    Failed { error: String, timestamp: f64 },
    /// The API answered 400: its `error` text, verbatim. Nothing reached the gateway.
    Rejected { error: String },
    /// No matching response before the deadline.
    Unconfirmed,
}

impl Outcome {
    pub(crate) fn from_message(message: ResponseMessage) -> Self {
        if message.success {
            Outcome::Confirmed {
                data: message.data,
                timestamp: message.timestamp,
            }
        } else {
            let error = message
                .error
                .unwrap_or_else(|| "the gateway reported failure without an error text".into());
            Outcome::Failed {
                error,
                timestamp: message.timestamp,
            }
        }
    }

    pub fn is_confirmed(&self) -> bool {
        matches!(self, Outcome::Confirmed { .. })
    }

    /// The response message as the stream carried it, for a confirmed or failed command.
    pub fn response_message(&self, msg_id: &str) -> Option<ResponseMessage> {
        match self {
            Outcome::Confirmed { data, timestamp } => Some(ResponseMessage {
                msg_id: msg_id.to_string(),
                timestamp: *timestamp,
                success: true,
                error: None,
                data: data.clone(),
            }),
            Outcome::Failed { error, timestamp } => Some(ResponseMessage {
                msg_id: msg_id.to_string(),
                timestamp: *timestamp,
                success: false,
                error: Some(error.clone()),
                data: None,
            }),
            Outcome::Rejected { .. } | Outcome::Unconfirmed => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn serializes_as_a_tagged_union_for_the_ui() {
        let c = Outcome::Confirmed {
            data: None,
            timestamp: 1.5,
        };
        assert_eq!(
            serde_json::to_value(&c).unwrap(),
            json!({"status": "confirmed", "data": null, "timestamp": 1.5})
        );
        assert_eq!(
            serde_json::to_value(Outcome::Unconfirmed).unwrap(),
            json!({"status": "unconfirmed"})
        );
    }

    #[test]
    fn a_failure_without_text_still_says_something() {
        let m = ResponseMessage {
            msg_id: "a".into(),
            timestamp: 0.0,
            success: false,
            error: None,
            data: None,
        };
        assert!(
            matches!(Outcome::from_message(m), Outcome::Failed { error, .. } if !error.is_empty())
        );
    }
}
