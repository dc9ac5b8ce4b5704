//! The gateway's command loop: wait until online, take the next command, run it on the meter
//! after the configured latency, publish the answer (reordered when that fault is on). With the
//! `concurrent` fault each command waits out its own latency, side by side with the others.

use super::publish::{Answer, ResponsePublisher};
use super::{Meters, QueuedCommand};
use crate::faults::Faults;
use crate::meter::{execute, RelayRevert};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::sync::{mpsc, watch};

pub(super) struct GatewayWorker {
    pub queue: mpsc::UnboundedReceiver<QueuedCommand>,
    pub online: watch::Receiver<bool>,
    pub meters: Meters,
    pub publisher: Arc<ResponsePublisher>,
    pub shutdown: watch::Receiver<bool>,
}

fn epoch_seconds() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or_default()
}

impl GatewayWorker {
    pub async fn run(mut self) {
        let mut shutdown = self.shutdown.clone();
        tokio::select! {
            _ = shutdown.wait_for(|stopping| *stopping) => {}
            _ = self.serve() => {}
        }
    }

    async fn serve(&mut self) {
        while let Some(first) = self.queue.recv().await {
            if self.online.wait_for(|online| *online).await.is_err() {
                return;
            }
            // The gateway "receives" a command when it picks it up, which for an offline
            // gateway is when it comes back (G10, G12).
            let received_at = epoch_seconds();
            let faults = first.faults.clone();
            if faults.reorder {
                tokio::time::sleep(faults.reorder_window()).await;
                let mut batch = vec![(first, received_at)];
                while let Ok(next) = self.queue.try_recv() {
                    batch.push((next, epoch_seconds()));
                }
                // Run in arrival order (the meter sees them as sent), answer newest first.
                let answers: Vec<(Answer, Faults)> = batch
                    .into_iter()
                    .map(|(c, at)| run_command(&self.meters, &self.shutdown, c, at))
                    .collect();
                for (answer, faults) in answers.iter().rev() {
                    self.publisher.publish(answer, faults);
                }
            } else if faults.concurrent {
                let delay = faults.answer_delay();
                let meters = self.meters.clone();
                let publisher = self.publisher.clone();
                let shutdown = self.shutdown.clone();
                let mut stopping = self.shutdown.clone();
                tokio::spawn(async move {
                    tokio::select! {
                        _ = stopping.wait_for(|stopping| *stopping) => {}
                        () = tokio::time::sleep(delay) => {
                            let (answer, faults) = run_command(&meters, &shutdown, first, received_at);
                            publisher.publish(&answer, &faults);
                        }
                    }
                });
            } else {
                // At zero latency answer at once: a zero-length tokio sleep still waits for the
                // next 1 ms timer tick. An instant answer is also the hardest case for clients,
                // whose stream may not be listening yet (see BENCHMARKS.md, "Finding").
                let delay = faults.answer_delay();
                if !delay.is_zero() {
                    tokio::time::sleep(delay).await;
                }
                let (answer, faults) =
                    run_command(&self.meters, &self.shutdown, first, received_at);
                self.publisher.publish(&answer, &faults);
            }
        }
    }
}

fn run_command(
    meters: &Meters,
    shutdown: &watch::Receiver<bool>,
    queued: QueuedCommand,
    received_at: f64,
) -> (Answer, Faults) {
    let outcome = {
        let mut meters = meters.lock().expect("meters lock poisoned");
        execute(&mut meters, &queued.target_id, &queued.command)
    };
    let (outcome, revert) = match outcome {
        Ok(done) => (Ok(in_layout(done.data, queued.layout)), done.relay_revert),
        Err(text) => (Err(text), None),
    };
    if let Some(revert) = revert {
        schedule_revert(meters, shutdown, revert, queued.target_id.clone());
    }
    let answer = Answer {
        msg_id: queued.msg_id,
        channel: queued.channel,
        timestamp: received_at,
        outcome,
    };
    (answer, queued.faults)
}

/// GetSchedules' and GetTariffData's data in the gateway's layout; other data as it is.
fn in_layout(
    data: Option<serde_json::Value>,
    layout: crate::PayloadLayout,
) -> Option<serde_json::Value> {
    use push3::undocumented::{flat, SchedulesData, TariffData};
    use serde_json::Value;
    let crate::PayloadLayout::Flat(numbering) = layout else {
        return data;
    };
    let data = data?;
    if data.get("schedules").is_some() {
        if let Ok(schedules) = SchedulesData::from_data(&data) {
            return Some(Value::Object(flat::schedules_to_flat(
                &schedules, numbering,
            )));
        }
    }
    if data.get("forward").is_some() {
        if let Ok(tariffs) = TariffData::from_data(&data) {
            return Some(Value::Object(flat::tariffs_to_flat(&tariffs)));
        }
    }
    Some(data)
}

/// A timed SetRelay lasts `duration` seconds, then the relay returns to the opposite state
/// (G19) unless a newer SetRelay on that relay came first.
fn schedule_revert(
    meters: &Meters,
    shutdown: &watch::Receiver<bool>,
    revert: RelayRevert,
    address: String,
) {
    let meters = meters.clone();
    let mut shutdown = shutdown.clone();
    tokio::spawn(async move {
        tokio::select! {
            _ = shutdown.wait_for(|stopping| *stopping) => {}
            _ = tokio::time::sleep(Duration::from_secs(revert.after_seconds)) => {
                let mut meters = meters.lock().expect("meters lock poisoned");
                if let Some(meter) = meters.get_mut(&address) {
                    revert.apply(meter);
                }
            }
        }
    });
}
