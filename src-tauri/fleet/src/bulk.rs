//! Bulk apply: one template to many meters. Preview first (from read-back where the API can
//! read), then run with bounded concurrency per gateway, pause, stop and resume; a meter whose
//! fate is unknown is listed for the user and never sent again without their word.

use crate::control::Control;
use crate::driver::{drive, Admission};
use crate::event::JobEvent;
use crate::meter_run::{MeterRuns, MeterState, SkipReason};
use crate::read_back::{read_tou_programs, ReadProgress};
use crate::report::Report;
use crate::sink::CommandSink;
use crate::target::{MeterRef, Target};
use crate::template::{Template, TemplateKind};
use push3::program::Plan;
use push3::Command;
use serde::Serialize;
use ts_rs::TS;

/// Meters under way at once per gateway unless told otherwise.
///
/// * Throughput: the budget is 1,000 meters over 4 gateways in 3 s at 200 ms per command, so
///   250 meters per gateway need at least 250 × 0.2 s / 3 s ≈ 17 in flight; 32 takes 8 rounds
///   (1.6 s) and leaves room for the sends themselves (measured 1.7 s, `benches/bulk.rs`).
/// * Answers not lost: a gateway never has more than 32 commands outstanding, so at most 32
///   answers can be published while its response subscription (re)connects, well within the
///   100 a channel is assumed to keep for backtrack. A burst of 250 at once on a cold client
///   loses the oldest answers beyond that (measured, see the crate docs).
/// * Queueing: a gateway that runs one command at a time holds up to 32 in its queue; with the
///   60 s deadline (G9) that allows about 1.9 s per command before a queued command is
///   reported unconfirmed. Use [`BulkJob::with_per_gateway`] for slower gateways.
pub const DEFAULT_PER_GATEWAY: usize = 32;

/// A template, the meters it goes to, and where each one stands.
#[derive(Debug, Clone)]
pub struct BulkJob {
    template: Template,
    runs: MeterRuns,
    per_gateway: usize,
}

/// What a run would do to one meter, from what is known of it after the read-back.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(tag = "verdict", rename_all = "camelCase")]
pub enum Verdict {
    /// These commands would be sent.
    WouldChange { plan: Plan },
    /// The meter holds all of it: skipped.
    Complies { unchanged: Vec<String> },
    /// Its version lacks a command, or a value does not fit what is known of it.
    CannotTake { reason: String },
    /// The TOU program could not be read back; `plan` is what would be sent from what was
    /// known before (everything, when nothing was).
    ReadFailed { error: String, plan: Plan },
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(rename = "JobPreviewRow")]
#[serde(rename_all = "camelCase")]
pub struct PreviewRow {
    pub at: MeterRef,
    pub verdict: Verdict,
}

/// The verdict for every meter the next run would start.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(rename = "JobPreview")]
#[serde(rename_all = "camelCase")]
pub struct Preview {
    pub rows: Vec<PreviewRow>,
    pub would_change: usize,
    pub complies: usize,
    pub cannot_take: usize,
    pub read_failed: usize,
}

impl Preview {
    fn new(rows: Vec<PreviewRow>) -> Self {
        let count = |f: fn(&Verdict) -> bool| rows.iter().filter(|r| f(&r.verdict)).count();
        Self {
            would_change: count(|v| matches!(v, Verdict::WouldChange { .. })),
            complies: count(|v| matches!(v, Verdict::Complies { .. })),
            cannot_take: count(|v| matches!(v, Verdict::CannotTake { .. })),
            read_failed: count(|v| matches!(v, Verdict::ReadFailed { .. })),
            rows,
        }
    }
}

impl BulkJob {
    pub fn new(template: Template, targets: Vec<Target>) -> Self {
        Self {
            template,
            runs: MeterRuns::new(targets),
            per_gateway: DEFAULT_PER_GATEWAY,
        }
    }

    /// At most `limit` meters under way at once on each gateway (at least 1).
    pub fn with_per_gateway(mut self, limit: usize) -> Self {
        self.per_gateway = limit.max(1);
        self
    }

    /// Holds back a meter whose last command, sent before this job (by an earlier job, the app
    /// or the CLI), got no answer: it may still run (G10), so the meter starts unconfirmed and no
    /// run sends it anything until the user's [`BulkJob::retry`], as if this job had sent it.
    pub fn with_unconfirmed(
        mut self,
        at: &MeterRef,
        command: &str,
        msg_id: Option<String>,
    ) -> Self {
        self.runs.hold_unconfirmed(at, command, msg_id);
        self
    }

    pub fn template(&self) -> &Template {
        &self.template
    }

    /// Reads back what can be read (the TOU program of each meter, for a TOU template) and says
    /// what the next run would do to each meter it would start. What was read becomes the
    /// meter's known state, so the run plans from it.
    pub async fn preview<S: CommandSink>(
        &mut self,
        sink: &S,
        mut on_progress: impl FnMut(ReadProgress),
    ) -> Preview {
        let mut read_errors = vec![None; self.runs.0.len()];
        if self.template.kind() == TemplateKind::Tou {
            let (indices, mut targets): (Vec<usize>, Vec<&mut Target>) = self
                .runs
                .0
                .iter_mut()
                .enumerate()
                .filter(|(_, run)| run.state.is_startable())
                .map(|(i, run)| (i, &mut run.target))
                .unzip();
            let errors =
                read_tou_programs(&mut targets, sink, self.per_gateway, &mut on_progress).await;
            for (index, error) in indices.into_iter().zip(errors) {
                read_errors[index] = error;
            }
        }
        let rows = self
            .runs
            .0
            .iter()
            .zip(read_errors)
            .filter(|(run, _)| run.state.is_startable())
            .map(|(run, read_error)| {
                let verdict = match (
                    self.template
                        .plan_for(run.target.version, &run.target.known),
                    read_error,
                ) {
                    (Err(e), _) => Verdict::CannotTake {
                        reason: e.to_string(),
                    },
                    (Ok(plan), Some(error)) => Verdict::ReadFailed { error, plan },
                    (Ok(plan), None) if plan.commands.is_empty() => Verdict::Complies {
                        unchanged: plan.unchanged,
                    },
                    (Ok(plan), None) => Verdict::WouldChange { plan },
                };
                PreviewRow {
                    at: run.target.at.clone(),
                    verdict,
                }
            })
            .collect();
        Preview::new(rows)
    }

    /// Runs every meter not tried yet (pending, or stopped before it started), planning each
    /// from what is known of it when it starts. Returns when all are done or the run is stopped;
    /// run again after [`Control::resume`] to go on where it stopped.
    pub async fn run<S: CommandSink>(
        &mut self,
        sink: &S,
        control: &Control,
        mut on_event: impl FnMut(JobEvent),
    ) -> Report {
        let template = &self.template;
        let plan = |target: &Target| plan_commands(template, target);
        drive(
            &mut self.runs,
            Admission::PerGateway {
                limit: self.per_gateway,
            },
            &plan,
            sink,
            control,
            &mut on_event,
        )
        .await;
        self.report()
    }

    /// The user's decision to try these failed or unconfirmed meters again on the next run.
    /// An unconfirmed command may still run late (G10): check the meter first.
    pub fn retry(&mut self, meters: &[MeterRef]) -> Vec<MeterRef> {
        self.runs.retry(meters)
    }

    pub fn report(&self) -> Report {
        Report::of(&self.runs)
    }

    /// The targets with what is now known of them, for the caller to keep.
    pub fn targets(&self) -> impl Iterator<Item = &Target> {
        self.runs.targets()
    }

    pub fn state_of(&self, at: &MeterRef) -> Option<&MeterState> {
        self.runs.state_of(at)
    }
}

fn plan_commands(template: &Template, target: &Target) -> Result<Vec<Command>, SkipReason> {
    match template.plan_for(target.version, &target.known) {
        Ok(plan) => Ok(plan.commands.into_iter().map(|c| c.command).collect()),
        Err(e) => Err(SkipReason::CannotTake {
            reason: e.to_string(),
        }),
    }
}
