//! Fleet work for the UI: templates on disk, bulk apply and relay groups on the push3-fleet
//! engine, drift reports, and the audit history. Every command of a job leaves through
//! [`Desk::send_checked`], so it is validated, audited, sent once and learnt from exactly like
//! a command sent from a meter's page.

use super::Desk;
use crate::error::IpcError;
use push3::command::{Relay, RelayStatus};
use push3::{Command, MeterAddress, ParsedCommand};
use push3_audit::{EntryPage, Filter, Page};
use push3_fleet::{
    drift, BulkJob, CommandSink, Control, DriftRow, JobEvent, MeterRef, Preview, RelayGroups,
    Report, SendError, Sent, Target, Template,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The engine's commands go out through the desk, one at a time per call.
struct DeskSink<'a>(&'a Desk);

impl CommandSink for DeskSink<'_> {
    async fn send(
        &self,
        gateway_id: &str,
        meter: &MeterAddress,
        command: &Command,
    ) -> Result<Sent, SendError> {
        let parsed = ParsedCommand {
            command: command.clone(),
            meter_password: None,
        };
        self.0
            .send_checked(gateway_id, meter, parsed, |_| {})
            .await
            .map_err(|e| SendError::new(e.code, e.message))
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
            .ok_or_else(|| IpcError::new("not_found", format!("there is no job {id}")))
    }

    fn take(&self, id: u64) -> Result<(Work, Control), IpcError> {
        let slot = self.get(id)?;
        let mut job = slot.lock().expect("job lock");
        let work = job
            .work
            .take()
            .ok_or_else(|| IpcError::new(IpcError::UNSUPPORTED, "this job is running already"))?;
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

/// A template as the UI lists it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TemplateInfo {
    pub name: String,
    pub kind: push3_fleet::TemplateKind,
    pub program: serde_json::Value,
}

impl From<&Template> for TemplateInfo {
    fn from(t: &Template) -> Self {
        Self {
            name: t.name().to_string(),
            kind: t.kind(),
            program: t.program().clone(),
        }
    }
}

/// A relay action for many meters, a group at a time.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RelayGroupForm {
    pub meters: Vec<MeterRef>,
    pub relay: String,
    pub status: String,
    pub duration_seconds: u16,
    pub group_size: usize,
    pub gap_seconds: u64,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BulkPreview {
    pub job_id: u64,
    pub preview: Preview,
}

impl Desk {
    fn templates_dir(&self) -> PathBuf {
        self.data_dir.join("templates")
    }

    pub fn templates(&self) -> Result<Vec<TemplateInfo>, IpcError> {
        let mut out = Vec::new();
        let Ok(entries) = std::fs::read_dir(self.templates_dir()) else {
            return Ok(out);
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "json") {
                // A file someone broke by hand is skipped here; importing it names the problem.
                if let Ok(template) = read_template(&path) {
                    out.push(TemplateInfo::from(&template));
                }
            }
        }
        out.sort_by_key(|t| t.name.to_lowercase());
        Ok(out)
    }

    /// Validates and saves a template under its name, replacing one of the same name.
    pub fn save_template(
        &self,
        name: &str,
        program: serde_json::Value,
    ) -> Result<TemplateInfo, IpcError> {
        let template = Template::new(name, program).map_err(template_error)?;
        self.write_template(&template)
    }

    /// Reads a template file (an import): a foreign or invalid file changes nothing.
    pub fn import_template(&self, text: &str) -> Result<TemplateInfo, IpcError> {
        let template = Template::from_json(text).map_err(template_error)?;
        self.write_template(&template)
    }

    pub fn template_json(&self, name: &str) -> Result<String, IpcError> {
        Ok(self.template(name)?.to_json())
    }

    pub fn remove_template(&self, name: &str) -> Result<(), IpcError> {
        std::fs::remove_file(self.template_path(name)).map_err(|e| io_error("remove", name, &e))
    }

    fn template(&self, name: &str) -> Result<Template, IpcError> {
        read_template(&self.template_path(name))
    }

    fn write_template(&self, template: &Template) -> Result<TemplateInfo, IpcError> {
        let dir = self.templates_dir();
        std::fs::create_dir_all(&dir).map_err(|e| io_error("save", template.name(), &e))?;
        let path = self.template_path(template.name());
        std::fs::write(&path, template.to_json())
            .map_err(|e| io_error("save", template.name(), &e))?;
        Ok(TemplateInfo::from(template))
    }

    /// One file per template; the name is kept inside, the file name only has to be unique.
    fn template_path(&self, name: &str) -> PathBuf {
        let stem: String = name
            .chars()
            .map(|c| {
                if c.is_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .collect();
        let digest = name.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
        self.templates_dir()
            .join(format!("{stem}-{:08x}.json", digest as u32))
    }

    async fn targets(&self, meters: &[MeterRef]) -> Result<Vec<Target>, IpcError> {
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
        let report = match &mut work {
            Work::Bulk(job) => job.run(&sink, &control, on_event).await,
            Work::Relays(groups) => groups.run(&sink, &control, on_event).await,
        };
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

    pub fn job_report(&self, job_id: u64) -> Result<Report, IpcError> {
        let (work, _) = self.jobs.take(job_id)?;
        let report = match &work {
            Work::Bulk(job) => job.report(),
            Work::Relays(groups) => groups.report(),
        };
        self.jobs.put_back(job_id, work)?;
        Ok(report)
    }

    /// Which meters differ from a template (TOU read back now, the rest from what is known).
    pub async fn drift_report(
        &self,
        template: &str,
        meters: Vec<MeterRef>,
    ) -> Result<Vec<DriftRow>, IpcError> {
        let template = self.template(template)?;
        let report = drift(
            self.targets(&meters).await?,
            &template,
            &DeskSink(self),
            |_| {},
        )
        .await;
        Ok(report.rows)
    }

    pub async fn history(&self, filter: Filter, page: Page) -> Result<EntryPage, IpcError> {
        self.audited(move |audit| audit.query(&filter, &page)).await
    }

    pub async fn history_count(&self, filter: Filter) -> Result<u64, IpcError> {
        self.audited(move |audit| audit.count(&filter)).await
    }

    pub async fn history_csv(&self, filter: Filter) -> Result<String, IpcError> {
        let bytes = self
            .audited(move |audit| {
                let mut out = Vec::new();
                audit.export_csv(&filter, &mut out)?;
                Ok(out)
            })
            .await?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }
}

fn read_template(path: &std::path::Path) -> Result<Template, IpcError> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        let name = path.file_stem().and_then(|s| s.to_str()).unwrap_or("?");
        io_error("read", name, &e)
    })?;
    Template::from_json(&text).map_err(template_error)
}

fn template_error(e: push3_fleet::TemplateError) -> IpcError {
    IpcError::invalid_field(&e.field, e.message)
}

fn io_error(action: &str, name: &str, e: &std::io::Error) -> IpcError {
    IpcError::new("io", format!("Cannot {action} the template {name:?}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
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
    async fn templates_are_saved_listed_and_a_foreign_import_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let desk = desk(dir.path());
        desk.save_template("Lobby display", lcd()).unwrap();
        let e = desk
            .save_template("Bad", json!({"kind": "lcd", "display_fields": ["Nope"]}))
            .unwrap_err();
        assert_eq!(e.field.as_deref(), Some("program.display_fields[0]"));

        let exported = desk.template_json("Lobby display").unwrap();
        desk.remove_template("Lobby display").unwrap();
        assert!(desk.templates().unwrap().is_empty());
        let imported = desk.import_template(&exported).unwrap();
        assert_eq!(imported.name, "Lobby display");

        let foreign = r#"{"schema": "someone-else", "version": 1, "name": "x", "program": {}}"#;
        let e = desk.import_template(foreign).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("schema"));
        let names: Vec<_> = desk
            .templates()
            .unwrap()
            .into_iter()
            .map(|t| t.name)
            .collect();
        assert_eq!(names, ["Lobby display"]);
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
        );
        desk.records.audit().begin(unanswered).unwrap();
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
