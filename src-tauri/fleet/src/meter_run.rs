//! Each meter's part in a fleet job: its state, the commands sent to it and their outcomes. The
//! states decide what a later run may do: only a meter that has not been tried (pending, or
//! stopped before it started) is ever started by a run; a failed or unconfirmed one waits for
//! the user's explicit retry.

use crate::sink::SendError;
use crate::target::{MeterRef, Target};
use push3::program::summary;
use push3::{Command, Outcome};
use serde::Serialize;
use std::collections::VecDeque;
use ts_rs::TS;

/// Where one meter stands.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(rename = "FleetMeterState")]
#[serde(tag = "state", rename_all = "camelCase")]
pub enum MeterState {
    /// Not started yet.
    Pending,
    /// `done` of `of` commands confirmed so far; the next one is under way.
    Running { done: usize, of: usize },
    /// Every planned command was confirmed.
    Confirmed,
    /// A command failed (the meter or gateway said no, the API refused it, or it could not be
    /// sent); the commands after it were not sent.
    Failed { error: String },
    /// A command got no answer before the deadline. It may still run (G10), so it is never
    /// resent automatically: the user decides.
    #[serde(rename_all = "camelCase")]
    Unconfirmed {
        command: String,
        msg_id: Option<String>,
    },
    /// Nothing to send.
    Skipped { reason: SkipReason },
    /// The job was stopped before this meter started; a later run starts it.
    Stopped,
}

impl MeterState {
    /// The one-word result, as the report's CSV writes it.
    pub fn label(&self) -> &'static str {
        match self {
            MeterState::Pending => "pending",
            MeterState::Running { .. } => "running",
            MeterState::Confirmed => "confirmed",
            MeterState::Failed { .. } => "failed",
            MeterState::Unconfirmed { .. } => "unconfirmed",
            MeterState::Skipped { .. } => "skipped",
            MeterState::Stopped => "stopped",
        }
    }

    /// Whether a run may start this meter.
    pub(crate) fn is_startable(&self) -> bool {
        matches!(self, MeterState::Pending | MeterState::Stopped)
    }

    /// In words, for the report's detail column.
    pub fn detail(&self) -> String {
        match self {
            MeterState::Pending | MeterState::Confirmed => String::new(),
            MeterState::Running { done, of } => format!("{done} of {of} commands confirmed"),
            MeterState::Failed { error } => error.clone(),
            MeterState::Unconfirmed { command, msg_id } => format!(
                "{command} got no answer (msg_id {}); it may still run: check the meter before sending again",
                msg_id.as_deref().unwrap_or("-")
            ),
            MeterState::Skipped { reason } => reason.detail(),
            MeterState::Stopped => "stopped before it started".into(),
        }
    }
}

/// Why a meter is skipped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "why", rename_all = "camelCase")]
pub enum SkipReason {
    /// The meter already holds what the job would send.
    Complies,
    /// The meter cannot take it, e.g. a V3 meter and a display list (reference §4).
    CannotTake { reason: String },
}

impl SkipReason {
    fn detail(&self) -> String {
        match self {
            SkipReason::Complies => "already complies".into(),
            SkipReason::CannotTake { reason } => format!("cannot take it: {reason}"),
        }
    }
}

/// One command sent to a meter and what became of it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CommandRecord {
    pub command: &'static str,
    pub summary: String,
    pub result: CommandResult,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(tag = "result", rename_all = "camelCase")]
pub enum CommandResult {
    #[serde(rename_all = "camelCase")]
    Answered {
        msg_id: Option<String>,
        outcome: Outcome,
        elapsed_ms: u64,
    },
    NotSent {
        error: SendError,
    },
}

impl CommandRecord {
    pub(crate) fn new(command: &Command, result: CommandResult) -> Self {
        Self {
            command: command.name(),
            summary: summary(command),
            result,
        }
    }

    pub fn msg_id(&self) -> Option<&str> {
        match &self.result {
            CommandResult::Answered { msg_id, .. } => msg_id.as_deref(),
            CommandResult::NotSent { .. } => None,
        }
    }

    pub fn is_confirmed(&self) -> bool {
        matches!(&self.result, CommandResult::Answered { outcome, .. } if outcome.is_confirmed())
    }
}

/// How many meters are in each state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, TS)]
#[ts(rename = "FleetCounts")]
#[serde(rename_all = "camelCase")]
pub struct Counts {
    pub pending: usize,
    pub running: usize,
    pub confirmed: usize,
    pub failed: usize,
    pub unconfirmed: usize,
    pub skipped: usize,
    pub stopped: usize,
}

impl Counts {
    pub(crate) fn of<'a>(states: impl Iterator<Item = &'a MeterState>) -> Self {
        let mut counts = Counts::default();
        for state in states {
            let slot = match state {
                MeterState::Pending => &mut counts.pending,
                MeterState::Running { .. } => &mut counts.running,
                MeterState::Confirmed => &mut counts.confirmed,
                MeterState::Failed { .. } => &mut counts.failed,
                MeterState::Unconfirmed { .. } => &mut counts.unconfirmed,
                MeterState::Skipped { .. } => &mut counts.skipped,
                MeterState::Stopped => &mut counts.stopped,
            };
            *slot += 1;
        }
        counts
    }
}

/// One meter of a job.
#[derive(Debug, Clone)]
pub(crate) struct MeterRun {
    pub target: Target,
    pub state: MeterState,
    pub commands: Vec<CommandRecord>,
    /// The planned commands not sent yet, while running.
    pub remaining: VecDeque<Command>,
    /// The command under way, while running.
    pub sending: Option<&'static str>,
}

/// The meters of a job, in the order they were given.
#[derive(Debug, Clone)]
pub(crate) struct MeterRuns(pub Vec<MeterRun>);

impl MeterRuns {
    pub fn new(targets: Vec<Target>) -> Self {
        Self(
            targets
                .into_iter()
                .map(|target| MeterRun {
                    target,
                    state: MeterState::Pending,
                    commands: Vec::new(),
                    remaining: VecDeque::new(),
                    sending: None,
                })
                .collect(),
        )
    }

    pub fn counts(&self) -> Counts {
        Counts::of(self.0.iter().map(|r| &r.state))
    }

    pub fn targets(&self) -> impl Iterator<Item = &Target> {
        self.0.iter().map(|r| &r.target)
    }

    pub fn state_of(&self, at: &MeterRef) -> Option<&MeterState> {
        self.0.iter().find(|r| &r.target.at == at).map(|r| &r.state)
    }

    /// Marks a meter not started yet as unconfirmed by a command sent before the job.
    pub fn hold_unconfirmed(&mut self, at: &MeterRef, command: &str, msg_id: Option<String>) {
        if let Some(run) = self
            .0
            .iter_mut()
            .find(|r| &r.target.at == at && r.state.is_startable())
        {
            run.state = MeterState::Unconfirmed {
                command: command.to_string(),
                msg_id,
            };
        }
    }

    /// The user's decision to try failed or unconfirmed meters again: they become pending and
    /// the next run starts them. Returns the meters that were put back.
    pub fn retry(&mut self, meters: &[MeterRef]) -> Vec<MeterRef> {
        let mut put_back = Vec::new();
        for run in &mut self.0 {
            let retryable = matches!(
                run.state,
                MeterState::Failed { .. } | MeterState::Unconfirmed { .. }
            );
            if retryable && meters.contains(&run.target.at) {
                run.state = MeterState::Pending;
                put_back.push(run.target.at.clone());
            }
        }
        put_back
    }
}
