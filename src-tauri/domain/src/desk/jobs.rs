//! Fleet jobs for the UI: bulk apply and relay groups on the push3-fleet engine, which the user
//! can pause, resume, stop and retry. Every command of a job leaves through
//! [`Desk::send_checked`], so it is validated, audited, sent once and learnt from exactly like
//! a command sent from a meter's page.

use super::in_flight::JobKind;
use super::Desk;
use crate::error::IpcError;
use push3::command::{Relay, RelayStatus};
use push3::{Command, MeterAddress, ParsedCommand};
use push3_fleet::{
    BulkJob, CommandSink, Control, JobEvent, MeterRef, Paces, Preview, RelayGroups, Report,
    SendError, Sent, Target, Turn,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use ts_rs::TS;

/// The engine's commands go out through the desk, one at a time per call.
pub(super) struct DeskSink<'a>(pub(super) &'a Desk);

impl CommandSink for DeskSink<'_> {
    async fn send(
        &self,
        gateway_id: &str,
        meter: &MeterAddress,
        command: &Command,
        turn: Turn,
    ) -> Result<Sent, SendError> {
        let parsed = ParsedCommand {
            command: command.clone(),
            meter_password: None,
        };
        self.0
            .send_checked(gateway_id, meter, parsed, turn, |_| {})
            .await
            .map_err(|e| SendError::new(e.code.as_str(), e.message))
    }

    fn paces(&self) -> Option<Paces> {
        Some(self.0.paces.clone())
    }
}

/// A bulk job or relay-group run the UI can pause, resume and stop while it runs.
enum Work {
    Bulk(BulkJob),
    Relays(RelayGroups),
}

struct Job {
    /// `None` while a run has it out.
    work: Option<Work>,
    control: Control,
}

/// The jobs of this session, by id.
#[derive(Default)]
pub struct Jobs {
    next: AtomicU64,
    slots: Mutex<HashMap<u64, Arc<Mutex<Job>>>>,
}

impl Jobs {
    fn add(&self, work: Work) -> u64 {
        let id = self.next.fetch_add(1, Ordering::Relaxed) + 1;
        let job = Job {
            work: Some(work),
            control: Control::new(),
        };
        self.slots
            .lock()
            .expect("jobs lock")
            .insert(id, Arc::new(Mutex::new(job)));
        id
    }

    fn get(&self, id: u64) -> Result<Arc<Mutex<Job>>, IpcError> {
        self.slots
            .lock()
            .expect("jobs lock")
            .get(&id)
            .cloned()
            .ok_or_else(|| IpcError::not_found(format!("there is no job {id}")))
    }

    fn take(&self, id: u64) -> Result<(Work, Control), IpcError> {
        let slot = self.get(id)?;
        let mut job = slot.lock().expect("job lock");
        let work = job
            .work
            .take()
            .ok_or_else(|| IpcError::unsupported("this job is running already"))?;
        Ok((work, job.control.clone()))
    }

    fn put_back(&self, id: u64, work: Work) -> Result<(), IpcError> {
        self.get(id)?.lock().expect("job lock").work = Some(work);
        Ok(())
    }

    pub fn control(&self, id: u64) -> Result<Control, IpcError> {
        Ok(self.get(id)?.lock().expect("job lock").control.clone())
    }
}

/// A relay action for many meters, a group at a time.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RelayGroupForm {
    pub meters: Vec<MeterRef>,
    pub relay: String,
    pub status: String,
    pub duration_seconds: u16,
    pub group_size: usize,
    pub gap_seconds: u64,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BulkPreview {
    pub job_id: u64,
    pub preview: Preview,
}

impl Desk {
    pub(super) async fn targets(&self, meters: &[MeterRef]) -> Result<Vec<Target>, IpcError> {
        let mut targets = Vec::with_capacity(meters.len());
        for at in meters {
            let version = self.meter_version(&at.gateway_id, &at.meter).await?;
            let known = self.known_state(&at.gateway_id, &at.meter);
            targets.push(Target::new(&at.gateway_id, at.meter.clone(), version).with_known(known));
        }
        Ok(targets)
    }

    /// Plans a template for many meters from what is known of them, reading back TOU programs
    /// first; the job waits for [`Desk::run_job`].
    pub async fn preview_bulk(
        &self,
        template: &str,
        meters: Vec<MeterRef>,
    ) -> Result<BulkPreview, IpcError> {
        let template = self.template(template)?;
        let job = BulkJob::new(template, self.targets(&meters).await?);
        let mut job = self.hold_unanswered(job, &meters).await?;
        let preview = job.preview(&DeskSink(self), |_| {}).await;
        let job_id = self.jobs.add(Work::Bulk(job));
        Ok(BulkPreview { job_id, preview })
    }

    /// A meter whose last write got no answer, from this app or the CLI, starts the job as
    /// unconfirmed: that command may still run (G10), so nothing more is sent to it until the
    /// user has checked it and retries it.
    async fn hold_unanswered(
        &self,
        mut job: BulkJob,
        meters: &[MeterRef],
    ) -> Result<BulkJob, IpcError> {
        for at in meters {
            let meter = at.meter.clone();
            if let Some(entry) = self
                .audited(move |audit| audit.unanswered_write(&meter))
                .await?
            {
                job = job.with_unconfirmed(at, &entry.command, entry.msg_id);
            }
        }
        Ok(job)
    }

    pub async fn start_relay_groups(&self, form: RelayGroupForm) -> Result<u64, IpcError> {
        let relay = Relay::from_wire(&form.relay)
            .ok_or_else(|| IpcError::invalid_field("relay", "relay: Relay_1 or Relay_2"))?;
        let status = RelayStatus::from_wire(&form.status)
            .ok_or_else(|| IpcError::invalid_field("status", "status: open or close"))?;
        let groups = RelayGroups::new(
            self.targets(&form.meters).await?,
            relay,
            status,
            form.duration_seconds,
            form.group_size,
            Duration::from_secs(form.gap_seconds),
        )?;
        Ok(self.jobs.add(Work::Relays(groups)))
    }

    /// Runs a job until it ends or is stopped, streaming its events; what was learnt of each
    /// meter is kept whatever the outcome. Confirmed meters are never sent to again, and
    /// unconfirmed ones only through [`Desk::retry_job`], the user's decision.
    pub async fn run_job(
        &self,
        job_id: u64,
        on_event: impl FnMut(JobEvent),
    ) -> Result<Report, IpcError> {
        let (mut work, control) = self.jobs.take(job_id)?;
        control.resume();
        let sink = DeskSink(self);
        let (kind, total) = match &work {
            Work::Bulk(job) => (JobKind::Bulk, job.report().rows.len()),
            Work::Relays(groups) => (JobKind::RelayGroups, groups.report().rows.len()),
        };
        let running = self.in_flight.job(job_id, kind, total);
        let mut on_event = on_event;
        let on_event = |event: JobEvent| {
            match &event {
                JobEvent::Progress(p) => running.progress(p.finished, p.total),
                JobEvent::Paused => running.paused(),
                _ => {}
            }
            on_event(event);
        };
        let report = match &mut work {
            Work::Bulk(job) => job.run(&sink, &control, on_event).await,
            Work::Relays(groups) => groups.run(&sink, &control, on_event).await,
        };
        drop(running);
        self.jobs.put_back(job_id, work)?;
        Ok(report)
    }

    pub fn job_control(&self, job_id: u64) -> Result<Control, IpcError> {
        self.jobs.control(job_id)
    }

    /// The user's decision to try failed or unconfirmed meters once more.
    pub fn retry_job(&self, job_id: u64, meters: &[MeterRef]) -> Result<Vec<MeterRef>, IpcError> {
        let (mut work, _) = self.jobs.take(job_id)?;
        let queued = match &mut work {
            Work::Bulk(job) => job.retry(meters),
            Work::Relays(groups) => groups.retry(meters),
        };
        self.jobs.put_back(job_id, work)?;
        Ok(queued)
    }

    /// The OS notification for a job that has ended: what kind of job, and how it went.
    pub fn job_notice(&self, job_id: u64) -> Result<super::job_notice::Notice, IpcError> {
        let (work, _) = self.jobs.take(job_id)?;
        let notice = match &work {
            Work::Bulk(job) => super::job_notice::finished(JobKind::Bulk, &job.report()),
            Work::Relays(groups) => {
                super::job_notice::finished(JobKind::RelayGroups, &groups.report())
            }
        };
        self.jobs.put_back(job_id, work)?;
        Ok(notice)
    }

    pub fn job_report(&self, job_id: u64) -> Result<Report, IpcError> {
        let (work, _) = self.jobs.take(job_id)?;
        let report = match &work {
            Work::Bulk(job) => job.report(),
            Work::Relays(groups) => groups.report(),
        };
        self.jobs.put_back(job_id, work)?;
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use push3_audit::{Filter, Page};
    use push3_fleet::MeterState;
    use serde_json::json;

    const DEMO: [&str; 5] = [
        "000350000900",
        "000300004127",
        "000000030001",
        "000400012345",
        "000350001234",
    ];

    fn desk(dir: &std::path::Path) -> Desk {
        Desk::new(dir.to_path_buf(), &tokio::runtime::Handle::current()).unwrap()
    }

    fn demo_meters() -> Vec<MeterRef> {
        DEMO.iter()
            .map(|m| MeterRef::new("demo", MeterAddress::parse(m).unwrap()))
            .collect()
    }

    fn lcd() -> serde_json::Value {
        json!({"kind": "lcd", "display_fields": ["kWh_Tot", "RMS_Volts_Ln_1", "Line_Freq"]})
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn a_template_applied_to_the_demo_meters_is_sent_once_audited_and_then_complies() {
        let dir = tempfile::tempdir().unwrap();
        let desk = desk(dir.path());
        desk.save_template("Lobby display", lcd()).unwrap();
        let preview = desk
            .preview_bulk("Lobby display", demo_meters())
            .await
            .unwrap();
        assert_eq!(preview.preview.would_change, 4);
        assert_eq!(
            preview.preview.cannot_take, 1,
            "the V3 meter has no display list"
        );

        let mut progress = Vec::new();
        let report = desk
            .run_job(preview.job_id, |e| {
                if let JobEvent::Progress(p) = e {
                    progress.push(p.finished);
                }
            })
            .await
            .unwrap();
        assert_eq!(report.counts.confirmed, 3);
        assert_eq!(report.counts.skipped, 1);
        assert_eq!(
            report.counts.failed, 1,
            "Tenant suite 2B has a password the demo cannot send"
        );
        assert_eq!(progress.last(), Some(&5));
        let state = |m: &str| {
            report
                .rows
                .iter()
                .find(|r| r.at.meter.to_string() == m)
                .map(|r| r.state.clone())
                .unwrap()
        };
        assert_eq!(state(DEMO[0]), MeterState::Confirmed);
        assert!(matches!(state(DEMO[4]), MeterState::Failed { .. }));

        // Every command of the job is in the audit log, like one sent from a meter's page.
        let entries = desk
            .history(Filter::default(), Page::first(100))
            .await
            .unwrap()
            .entries;
        assert_eq!(entries.iter().filter(|e| e.command == "SetLCD").count(), 4);

        // A write whose fate is unknown holds its meter back in the next job.
        let unanswered = push3_audit::NewEntry::for_command(
            push3_audit::Source::Cli,
            "demo",
            "Demo gateway",
            &MeterAddress::parse(DEMO[1]).unwrap(),
            &push3::parse(
                "SetCTRatio",
                &json!({"ct_ratio": "400"}),
                &Default::default(),
            )
            .unwrap(),
            push3::undocumented::WireProfile::default_profile(),
        );
        desk.store.audit().unwrap().begin(unanswered).unwrap();
        let held = desk
            .preview_bulk("Lobby display", demo_meters()[..2].to_vec())
            .await
            .unwrap();
        let report = desk.run_job(held.job_id, |_| {}).await.unwrap();
        assert!(matches!(
            &report.rows[1].state,
            MeterState::Unconfirmed { command, .. } if command == "SetCTRatio"
        ));
        assert_eq!(report.rows[1].commands.len(), 0, "nothing was sent to it");

        // The meters now hold the list, so a second job has nothing to send to them.
        let confirmed = vec![demo_meters()[0].clone(), demo_meters()[3].clone()];
        let again = desk.preview_bulk("Lobby display", confirmed).await.unwrap();
        assert_eq!(again.preview.complies, 2);
        assert_eq!(again.preview.would_change, 0);
    }
}
