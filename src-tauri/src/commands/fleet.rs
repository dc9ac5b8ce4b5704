use crate::file_dialog::{pick, save_as, Pick};
use crate::job_desktop::JobOnDesktop;
use push3_audit::{EntryPage, Filter, Page};
use push3_domain::desk::jobs::{BulkPreview, RelayGroupForm};
use push3_domain::desk::templates::TemplateInfo;
use push3_domain::desk::Desk;
use push3_domain::IpcError;
use push3_fleet::{DriftRow, JobEvent, MeterRef, Report};
use tauri::ipc::Channel;
use tauri::{AppHandle, State, WebviewWindow};

// Commands that touch the store or a file are async: Tauri runs them off the main thread, so a
// store busy with another process's write never freezes the window.
#[tauri::command]
pub async fn list_templates(desk: State<'_, Desk>) -> Result<Vec<TemplateInfo>, IpcError> {
    desk.templates()
}

#[tauri::command]
pub async fn save_template(
    desk: State<'_, Desk>,
    name: String,
    program: serde_json::Value,
) -> Result<TemplateInfo, IpcError> {
    desk.save_template(&name, program)
}

#[tauri::command]
pub async fn remove_template(desk: State<'_, Desk>, name: String) -> Result<(), IpcError> {
    desk.remove_template(&name)
}

/// Asks for a template file and adds it; `None` when the user cancels. A foreign or invalid
/// file fails with the first bad field and changes nothing.
#[tauri::command]
pub async fn import_template(
    app: AppHandle,
    desk: State<'_, Desk>,
) -> Result<Option<TemplateInfo>, IpcError> {
    let template = Pick::Open {
        filter: "Push3 Desk template",
        extensions: &["json"],
    };
    let Some(path) = pick(&app, template).await else {
        return Ok(None);
    };
    let text = std::fs::read_to_string(&path)
        .map_err(|e| IpcError::io(format!("Cannot read {}: {e}", path.display())))?;
    desk.import_template(&text).map(Some)
}

/// Writes a template to a file the user picks; returns where, or `None` when cancelled.
#[tauri::command]
pub async fn export_template(
    app: AppHandle,
    desk: State<'_, Desk>,
    name: String,
) -> Result<Option<String>, IpcError> {
    let json = desk.template_json(&name)?;
    save_as(&app, &format!("{name}.json"), json).await
}

#[tauri::command]
pub async fn preview_bulk(
    desk: State<'_, Desk>,
    template: String,
    meters: Vec<MeterRef>,
) -> Result<BulkPreview, IpcError> {
    desk.preview_bulk(&template, meters).await
}

#[tauri::command]
pub async fn start_relay_groups(
    desk: State<'_, Desk>,
    form: RelayGroupForm,
) -> Result<u64, IpcError> {
    desk.start_relay_groups(form).await
}

/// Runs a job; per-meter states and progress stream over `on_event`.
#[tauri::command]
pub async fn run_job(
    desk: State<'_, Desk>,
    window: WebviewWindow,
    job_id: u64,
    on_event: Channel<JobEvent>,
) -> Result<Report, IpcError> {
    let mut desktop = JobOnDesktop::new(window);
    let report = desk
        .run_job(job_id, |event| {
            desktop.on_event(&event);
            // A closed window drops its channel; the job goes on and its report is kept.
            let _ = on_event.send(event);
        })
        .await;
    match desk.job_notice(job_id) {
        Ok(notice) => desktop.finished(notice),
        Err(e) => log::warn!("no notice for job {job_id}: {}", e.message),
    }
    report
}

#[tauri::command]
pub fn pause_job(desk: State<'_, Desk>, job_id: u64) -> Result<(), IpcError> {
    desk.job_control(job_id).map(|c| c.pause())
}

#[tauri::command]
pub fn resume_job(desk: State<'_, Desk>, job_id: u64) -> Result<(), IpcError> {
    desk.job_control(job_id).map(|c| c.resume())
}

#[tauri::command]
pub fn stop_job(desk: State<'_, Desk>, job_id: u64) -> Result<(), IpcError> {
    desk.job_control(job_id).map(|c| c.stop())
}

#[tauri::command]
pub fn retry_job(
    desk: State<'_, Desk>,
    job_id: u64,
    meters: Vec<MeterRef>,
) -> Result<Vec<MeterRef>, IpcError> {
    desk.retry_job(job_id, &meters)
}

/// Writes a job's report as CSV or JSON (by the extension the user picks).
#[tauri::command]
pub async fn export_job_report(
    app: AppHandle,
    desk: State<'_, Desk>,
    job_id: u64,
    format: String,
) -> Result<Option<String>, IpcError> {
    let report = desk.job_report(job_id)?;
    let (name, text) = match format.as_str() {
        "json" => ("report.json", report.to_json()),
        _ => ("report.csv", report.to_csv()),
    };
    save_as(&app, name, text).await
}

#[tauri::command]
pub async fn drift_report(
    desk: State<'_, Desk>,
    template: String,
    meters: Vec<MeterRef>,
) -> Result<Vec<DriftRow>, IpcError> {
    desk.drift_report(&template, meters).await
}

#[tauri::command]
pub async fn history(
    desk: State<'_, Desk>,
    filter: Filter,
    page: Page,
) -> Result<EntryPage, IpcError> {
    desk.history(filter, page).await
}

#[tauri::command]
pub async fn history_count(desk: State<'_, Desk>, filter: Filter) -> Result<u64, IpcError> {
    desk.history_count(filter).await
}

#[tauri::command]
pub async fn export_history(
    app: AppHandle,
    desk: State<'_, Desk>,
    filter: Filter,
) -> Result<Option<String>, IpcError> {
    let csv = desk.history_csv(filter).await?;
    save_as(&app, "push3-history.csv", csv).await
}
