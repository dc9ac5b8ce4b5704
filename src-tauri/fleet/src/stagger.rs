//! Staggered relay groups: close (or open) a relay on many meters a group at a time, with a gap
//! between group starts, e.g. to bring loads back one step at a time after an outage. A group
//! starts `gap` after the previous one started and not before all of its meters answered, so
//! a slow gateway stretches the steps rather than merging them.
//!
//! SetRelay is not idempotent (§2.11): a meter is sent it once per run, and an unconfirmed one
//! is never sent it again without the user's [`RelayGroups::retry`].

use crate::control::Control;
use crate::driver::{drive, Admission};
use crate::event::JobEvent;
use crate::meter_run::{MeterRuns, MeterState, SkipReason};
use crate::report::Report;
use crate::sink::CommandSink;
use crate::target::{MeterRef, Target};
use push3::command::{Relay, RelayStatus};
use push3::{Command, ParseOptions, ValidationError};
use std::time::Duration;

/// The longest gap between group starts.
pub const MAX_GAP: Duration = Duration::from_secs(3600);

/// One relay command for many meters, in groups.
#[derive(Debug, Clone)]
pub struct RelayGroups {
    command: Command,
    group_size: usize,
    gap: Duration,
    runs: MeterRuns,
}

impl RelayGroups {
    /// `duration_seconds` 0-9999 (0 holds the state), as SetRelay takes it; `group_size` meters
    /// at a time, group starts `gap` apart (at most an hour).
    pub fn new(
        targets: Vec<Target>,
        relay: Relay,
        status: RelayStatus,
        duration_seconds: u16,
        group_size: usize,
        gap: Duration,
    ) -> Result<Self, ValidationError> {
        let command = Command::SetRelay {
            relay,
            status,
            duration: duration_seconds,
        };
        command.validate(&ParseOptions::default())?;
        if group_size == 0 {
            return Err(ValidationError::new("group_size", 0, "1 or more meters"));
        }
        if gap > MAX_GAP {
            return Err(ValidationError::new(
                "gap_seconds",
                gap.as_secs(),
                format!("0-{} seconds", MAX_GAP.as_secs()),
            ));
        }
        Ok(Self {
            command,
            group_size,
            gap,
            runs: MeterRuns::new(targets),
        })
    }

    /// Sends the relay command to every meter not tried yet, a group at a time. Returns when all
    /// are done or the run is stopped; run again after [`Control::resume`] to go on.
    pub async fn run<S: CommandSink>(
        &mut self,
        sink: &S,
        control: &Control,
        mut on_event: impl FnMut(JobEvent),
    ) -> Report {
        let command = &self.command;
        let plan = |target: &Target| {
            if command.supported_by(target.version) {
                Ok(vec![command.clone()])
            } else {
                Err(SkipReason::CannotTake {
                    reason: format!("a {} meter has no relays", target.version),
                })
            }
        };
        drive(
            &mut self.runs,
            Admission::Groups {
                size: self.group_size,
                gap: self.gap,
            },
            &plan,
            sink,
            control,
            &mut on_event,
        )
        .await;
        self.report()
    }

    /// The user's decision to send the relay command again to these failed or unconfirmed
    /// meters on the next run. An unconfirmed SetRelay may still run late (G10).
    pub fn retry(&mut self, meters: &[MeterRef]) -> Vec<MeterRef> {
        self.runs.retry(meters)
    }

    pub fn report(&self) -> Report {
        Report::of(&self.runs)
    }

    pub fn state_of(&self, at: &MeterRef) -> Option<&MeterState> {
        self.runs.state_of(at)
    }
}
