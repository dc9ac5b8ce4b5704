//! What a running job tells its caller: each meter's state as it changes, each command's
//! outcome, and the overall progress. The app forwards these over a `tauri::ipc::Channel`; the
//! CLI prints them.

use crate::meter_run::{CommandRecord, Counts, MeterState};
use crate::target::MeterRef;
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(tag = "event", rename_all = "camelCase")]
pub enum JobEvent {
    /// A meter changed state.
    Meter { at: MeterRef, state: MeterState },
    /// A command to a meter finished (or could not be sent).
    Command { at: MeterRef, record: CommandRecord },
    /// After every meter event: where the job as a whole stands.
    Progress(Progress),
    /// Paused, and no meter is under way any more.
    Paused,
    /// A gateway's share of the job changed: meters waiting for it, commands under way.
    Gateway(GatewayLoad),
}

/// One gateway's share of a job. `waiting` meters have not started because the gateway has as
/// many commands as its pace allows (`window`, crate::pacing); so a slow gateway shows as work
/// queued, not as a hang.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct GatewayLoad {
    pub gateway_id: String,
    pub waiting: usize,
    pub under_way: usize,
    pub window: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[ts(rename = "JobProgress")]
#[serde(rename_all = "camelCase")]
pub struct Progress {
    /// Meters confirmed, failed, unconfirmed or skipped.
    pub finished: usize,
    pub total: usize,
    /// Meters with a command under way.
    pub in_flight: usize,
    pub counts: Counts,
}

impl Progress {
    pub(crate) fn new(counts: Counts, total: usize) -> Self {
        Self {
            finished: counts.confirmed + counts.failed + counts.unconfirmed + counts.skipped,
            total,
            in_flight: counts.running,
            counts,
        }
    }
}
