//! Rough edges of the real service, switched on per test (reference §1.4, §1.7, §5.1).

use crate::ids::random_below;
use std::time::Duration;

/// How `sendCommand` fails instead of answering (reference G4: undocumented statuses and bodies).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SendFailure {
    /// `502 Bad Gateway` with the HTML error page a fronting nginx would send.
    Status5xx,
    /// `200 OK` with an HTML maintenance page instead of JSON.
    HtmlBody,
}

/// Faults in force. `Faults::default()` is a well-behaved service with zero latency.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Faults {
    /// Time a gateway takes to run a command and answer.
    pub latency: Duration,
    /// Extra random delay in `0..=jitter` added to `latency`.
    pub jitter: Duration,
    /// Answer each command `latency` after the gateway picks it up, without waiting for the
    /// commands before it, as if the latency were all transit. Off, a gateway runs one command
    /// at a time (one RS-485 bus), so N commands take N × `latency`.
    pub concurrent: bool,
    /// Hold answers while more commands arrive (for `latency`, at least 100 ms) and publish
    /// them newest first. Commands still run in arrival order; only their answers are reordered.
    pub reorder: bool,
    /// Publish another client's response (an unknown `msg_id`) before each answer.
    pub foreign_messages: bool,
    /// Publish every answer twice.
    pub duplicates: bool,
    /// Publish junk frames before each answer: a truncated object, `[1,2]`, `42`.
    pub malformed_frames: bool,
    /// Drop every subscriber of the channel once, just before the next answer is published.
    pub drop_stream: bool,
    /// Answer `403` to a subscriber while its channel has no stored message.
    pub forbid_until_first_message: bool,
    /// Fail every `sendCommand` this way (after recording the request).
    pub send_failure: Option<SendFailure>,
    /// Accept commands and run them on the meter, but lose every answer.
    pub silent: bool,
    /// Hold each `sendCommand` this long after receiving it, before accepting it: a slow API, in
    /// whose hands a command is neither accepted nor refused yet.
    pub accept_delay: Duration,
}

impl Faults {
    /// The delay before the next answer: `latency` plus a random share of `jitter`.
    pub fn answer_delay(&self) -> Duration {
        let jitter_ms = self.jitter.as_millis() as u64;
        self.latency + Duration::from_millis(random_below(jitter_ms + 1))
    }

    /// How long a reordering gateway collects answers before publishing them newest first.
    pub fn reorder_window(&self) -> Duration {
        self.answer_delay().max(Duration::from_millis(100))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_is_no_fault_and_no_delay() {
        let f = Faults::default();
        assert_eq!(f.answer_delay(), Duration::ZERO);
        assert!(!f.reorder && !f.silent && f.send_failure.is_none());
    }

    #[test]
    fn delay_stays_within_latency_plus_jitter() {
        let f = Faults {
            latency: Duration::from_millis(50),
            jitter: Duration::from_millis(20),
            ..Faults::default()
        };
        for _ in 0..200 {
            let d = f.answer_delay();
            assert!(
                d >= Duration::from_millis(50) && d <= Duration::from_millis(70),
                "{d:?}"
            );
        }
    }
}
