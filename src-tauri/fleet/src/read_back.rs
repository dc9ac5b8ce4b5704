//! Reading back the one thing this API can read, each meter's time-of-use program
//! (GetSchedules), before a preview or a drift report. The reads go through the same driver as
//! any job: bounded per gateway, and a read that fails or goes unanswered is reported, not
//! retried beyond the client's single retry of a failed send (G4).

use crate::control::Control;
use crate::driver::{drive, Admission};
use crate::event::JobEvent;
use crate::meter_run::{CommandResult, MeterRuns, MeterState};
use crate::sink::CommandSink;
use crate::target::Target;
use push3::program::{Known, KnownSource, TouProgram};
use push3::{Command, Outcome};
use serde::Serialize;

/// How far the read-back before a preview or drift report has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReadProgress {
    pub read: usize,
    pub total: usize,
}

/// Reads every target's TOU program. A program read back becomes the target's known program;
/// the result holds, per target, why it could not be read (`None` when it was).
pub(crate) async fn read_tou_programs<S: CommandSink>(
    targets: &mut [&mut Target],
    sink: &S,
    per_gateway: usize,
    on_progress: &mut impl FnMut(ReadProgress),
) -> Vec<Option<String>> {
    let total = targets.len();
    let mut reads = MeterRuns::new(targets.iter().map(|t| (**t).clone()).collect());
    let read_schedules = |_: &Target| Ok(vec![Command::GetSchedules]);
    let mut on_event = |event| {
        if let JobEvent::Progress(progress) = event {
            on_progress(ReadProgress {
                read: progress.finished,
                total,
            });
        }
    };
    drive(
        &mut reads,
        Admission::PerGateway { limit: per_gateway },
        &read_schedules,
        sink,
        &Control::new(),
        &mut on_event,
    )
    .await;
    targets
        .iter_mut()
        .zip(reads.0)
        .map(|(target, read)| {
            let data = read
                .commands
                .last()
                .and_then(|record| match &record.result {
                    CommandResult::Answered {
                        outcome: Outcome::Confirmed { data, .. },
                        ..
                    } => Some(data.clone().unwrap_or_default()),
                    _ => None,
                });
            match (&read.state, data) {
                (MeterState::Confirmed, Some(data)) => match TouProgram::from_reading(&data).program
                {
                    Some(program) => {
                        target.known.tou = Some(Known {
                            value: program,
                            at: chrono::Utc::now(),
                            source: KnownSource::ReadBack,
                        });
                        None
                    }
                    None => Some(
                        "GetSchedules answered, but not in the shape this app understands (G29)"
                            .to_string(),
                    ),
                },
                (state, _) => Some(state.detail()),
            }
        })
        .collect()
}
