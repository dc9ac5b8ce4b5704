//! What became of an audited command, as stored and as the history view filters it.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The state of an audit entry. `Pending` and `Interrupted` are never written by [`Finish`]:
/// an entry is `Pending` from `begin` until `finish`, and `Interrupted` when the process that
/// began it ended first (killed, crashed, closed mid-command) — the command may or may not have
/// run, so it is never shown as failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[ts(rename = "AuditOutcome")]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Pending,
    Interrupted,
    Confirmed,
    Failed,
    Rejected,
    Unconfirmed,
    Error,
}

impl Outcome {
    pub const ALL: [Outcome; 7] = [
        Outcome::Pending,
        Outcome::Interrupted,
        Outcome::Confirmed,
        Outcome::Failed,
        Outcome::Rejected,
        Outcome::Unconfirmed,
        Outcome::Error,
    ];

    /// The text stored in the database, in the CSV export and on IPC.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Pending => "pending",
            Outcome::Interrupted => "interrupted",
            Outcome::Confirmed => "confirmed",
            Outcome::Failed => "failed",
            Outcome::Rejected => "rejected",
            Outcome::Unconfirmed => "unconfirmed",
            Outcome::Error => "error",
        }
    }

    pub fn from_stored(text: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.as_str() == text)
    }
}

/// How a command ended, as its sender knows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FinalOutcome {
    /// The gateway reported success.
    Confirmed,
    /// The gateway or the meter reported failure.
    Failed,
    /// The API refused the request (HTTP 400); nothing reached the gateway.
    Rejected,
    /// No response before the deadline; the command may still run later.
    Unconfirmed,
    /// The request could not be completed (network, TLS, authentication, a server error).
    Error,
}

impl From<FinalOutcome> for Outcome {
    fn from(o: FinalOutcome) -> Self {
        match o {
            FinalOutcome::Confirmed => Outcome::Confirmed,
            FinalOutcome::Failed => Outcome::Failed,
            FinalOutcome::Rejected => Outcome::Rejected,
            FinalOutcome::Unconfirmed => Outcome::Unconfirmed,
            FinalOutcome::Error => Outcome::Error,
        }
    }
}

/// The second half of an audit entry, written once the command's fate is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finish {
    pub outcome: FinalOutcome,
    pub msg_id: Option<String>,
    /// The gateway's, the API's or the client's error text, verbatim.
    pub error_text: Option<String>,
    pub round_trip_ms: Option<u64>,
}

impl Finish {
    /// The end of a command that was sent: `msg_id` is `None` when the API rejected it before
    /// assigning one.
    pub fn from_outcome(
        outcome: &push3::Outcome,
        msg_id: Option<&str>,
        round_trip_ms: u64,
    ) -> Self {
        let (outcome, error_text) = match outcome {
            push3::Outcome::Confirmed { .. } => (FinalOutcome::Confirmed, None),
            push3::Outcome::Failed { error, .. } => (FinalOutcome::Failed, Some(error.clone())),
            push3::Outcome::Rejected { error } => (FinalOutcome::Rejected, Some(error.clone())),
            push3::Outcome::Unconfirmed => (FinalOutcome::Unconfirmed, None),
        };
        Self {
            outcome,
            msg_id: msg_id.map(str::to_string),
            error_text,
            round_trip_ms: Some(round_trip_ms),
        }
    }

    /// The end of a command whose request failed (network, TLS, a 5xx or an HTML page).
    pub fn error(error_text: impl Into<String>, round_trip_ms: u64) -> Self {
        Self {
            outcome: FinalOutcome::Error,
            msg_id: None,
            error_text: Some(error_text.into()),
            round_trip_ms: Some(round_trip_ms),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_text_reads_back_as_the_same_outcome_and_matches_the_ipc_name() {
        for o in Outcome::ALL {
            assert_eq!(Outcome::from_stored(o.as_str()), Some(o));
            assert_eq!(serde_json::to_value(o).unwrap(), o.as_str());
        }
        assert_eq!(Outcome::from_stored("lost"), None);
    }

    #[test]
    fn the_gateways_error_text_is_kept_verbatim() {
        let failed = push3::Outcome::Failed {
            error: "Meter password incorrect".into(),
            timestamp: 1.0,
        };
        let finish = Finish::from_outcome(&failed, Some("m-1"), 812);
        assert_eq!(finish.outcome, FinalOutcome::Failed);
        assert_eq!(
            finish.error_text.as_deref(),
            Some("Meter password incorrect")
        );
        assert_eq!(finish.msg_id.as_deref(), Some("m-1"));
        assert_eq!(finish.round_trip_ms, Some(812));
        let rejected = push3::Outcome::Rejected {
            error: "bad target_id".into(),
        };
        assert_eq!(
            Finish::from_outcome(&rejected, None, 5).outcome,
            FinalOutcome::Rejected
        );
        let unconfirmed = Finish::from_outcome(&push3::Outcome::Unconfirmed, Some("m-2"), 60_000);
        assert_eq!(unconfirmed.outcome, FinalOutcome::Unconfirmed);
        assert_eq!(unconfirmed.error_text, None);
    }
}
