use crate::diagnostics;
use push3_domain::ui_errors::{UiErrorReport, UiErrors};
use push3_domain::IpcError;
use tauri::AppHandle;

/// Puts the support report (version, OS, the end of the log, secrets redacted) on the clipboard
/// and returns it.
/// Async: it reads the log files, off the main thread.
#[tauri::command]
pub async fn copy_diagnostics(app: AppHandle) -> Result<String, IpcError> {
    diagnostics::copy_report(&app)
}

/// Logs an error thrown in the window (redacted like every log line), within a burst limit.
#[tauri::command]
pub async fn log_ui_error(
    errors: tauri::State<'_, UiErrors>,
    report: UiErrorReport,
) -> Result<(), IpcError> {
    if let Some(line) = errors.line(&report) {
        log::error!(target: "webview", "{line}");
    }
    Ok(())
}

/// Opens the app's log folder in the file manager.
#[tauri::command]
pub async fn open_log_folder(app: AppHandle) -> Result<(), IpcError> {
    diagnostics::open_log_folder(&app)
}
