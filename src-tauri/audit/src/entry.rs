//! One audited command: what goes in at `begin`, and what the history view reads back.

use crate::outcome::Outcome;
use crate::redact::redact;
use chrono::{DateTime, Utc};
use push3::undocumented::WireProfile;
use push3::{MeterAddress, ParsedCommand};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fmt;
use ts_rs::TS;

/// An audit entry's row id: unique and never reused, so the UI and the CLI can refer to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(transparent)]
pub struct EntryId(pub i64);

impl fmt::Display for EntryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Who sent the command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(rename = "AuditSource")]
#[serde(rename_all = "snake_case")]
pub enum Source {
    App,
    Cli,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::App => "app",
            Source::Cli => "cli",
        }
    }

    pub(crate) fn from_stored(text: &str) -> Option<Source> {
        [Source::App, Source::Cli]
            .into_iter()
            .find(|s| s.as_str() == text)
    }
}

/// A command about to be sent. `params` may hold meter passwords: they are masked before the
/// entry is stored, and `Debug` shows only the masked form.
#[derive(Clone, PartialEq)]
pub struct NewEntry {
    pub time: DateTime<Utc>,
    pub source: Source,
    pub gateway_id: String,
    pub gateway_name: String,
    pub meter: MeterAddress,
    pub command: String,
    pub params: Value,
    /// One line for people, e.g. `push3::program::summary`'s.
    pub summary: String,
}

impl NewEntry {
    /// The entry for a validated command sent now: its name, its params exactly as they go out
    /// to a gateway speaking `profile` (password included, masked on the way in), and its
    /// one-line summary, which reads the same whatever the profile.
    pub fn for_command(
        source: Source,
        gateway_id: impl Into<String>,
        gateway_name: impl Into<String>,
        meter: &MeterAddress,
        parsed: &ParsedCommand,
        profile: &WireProfile,
    ) -> Self {
        Self {
            time: Utc::now(),
            source,
            gateway_id: gateway_id.into(),
            gateway_name: gateway_name.into(),
            meter: meter.clone(),
            command: parsed.command.name().to_string(),
            params: Value::Object(parsed.params_for(profile)),
            summary: push3::program::summary(&parsed.command),
        }
    }
}

impl fmt::Debug for NewEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewEntry")
            .field("time", &self.time)
            .field("source", &self.source)
            .field("gateway_id", &self.gateway_id)
            .field("gateway_name", &self.gateway_name)
            .field("meter", &self.meter)
            .field("command", &self.command)
            .field("params", &redact(&self.params))
            .field("summary", &self.summary)
            .finish()
    }
}

/// An audit entry as stored: params are already masked.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(rename = "HistoryEntry")]
#[serde(rename_all = "camelCase")]
pub struct Entry {
    pub id: EntryId,
    pub time: DateTime<Utc>,
    pub source: Source,
    pub gateway_id: String,
    pub gateway_name: String,
    pub meter: String,
    pub command: String,
    pub params: Value,
    pub summary: String,
    pub outcome: Outcome,
    pub msg_id: Option<String>,
    pub error_text: Option<String>,
    pub round_trip_ms: Option<u64>,
    /// The response channel the API named when it accepted the command.
    pub channel: Option<String>,
    /// For a command whose outcome is not known (pending or interrupted): whether the API had
    /// accepted it, in words. The app's History and `push3 history` both show this text.
    pub fate: Option<String>,
}

impl Entry {
    /// What is known of a command without an outcome. The acceptance is recorded the moment
    /// `sendCommand` answers, so an entry without a msg_id was never acknowledged by the API:
    /// either it was not sent, or the process died while the request was on its way.
    pub(crate) fn fate_of(outcome: Outcome, msg_id: Option<&str>) -> Option<String> {
        match (outcome, msg_id) {
            (Outcome::Interrupted, Some(id)) => Some(format!(
                "sent, no answer recorded (msg_id {id}): the API accepted it, so it may still run"
            )),
            (Outcome::Interrupted, None) => Some(
                "not sent: the API never acknowledged it (at most the request was on its way \
                 when the process ended)"
                    .into(),
            ),
            (Outcome::Pending, Some(id)) => {
                Some(format!("sent (msg_id {id}), waiting for the answer"))
            }
            (Outcome::Pending, None) => Some("being sent".into()),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::redact::MASK;
    use serde_json::json;

    fn set_password() -> ParsedCommand {
        push3::parse(
            "SetMeterPassword",
            &json!({"new_password": "11223344", "meter_password": "24681357"}),
            &Default::default(),
        )
        .unwrap()
    }

    #[test]
    fn an_entry_for_a_command_carries_its_wire_params_and_summary() {
        let meter = MeterAddress::parse("350000900").unwrap();
        let entry = NewEntry::for_command(
            Source::App,
            "g1",
            "Office",
            &meter,
            &set_password(),
            WireProfile::default_profile(),
        );
        assert_eq!(entry.command, "SetMeterPassword");
        assert_eq!(entry.meter.as_str(), "000350000900");
        assert_eq!(entry.params["new_password"], "11223344");
        assert_eq!(entry.summary, "New meter password (not shown)");
    }

    #[test]
    fn debug_never_shows_a_password() {
        let meter = MeterAddress::parse("350000900").unwrap();
        let entry = NewEntry::for_command(
            Source::Cli,
            "g1",
            "Office",
            &meter,
            &set_password(),
            WireProfile::default_profile(),
        );
        let debug = format!("{entry:?}");
        assert!(!debug.contains("11223344") && !debug.contains("24681357"));
        assert!(debug.contains(MASK));
    }
}
