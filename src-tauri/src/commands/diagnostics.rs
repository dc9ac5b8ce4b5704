use crate::diagnostics;
use push3_domain::IpcError;
use tauri::AppHandle;

/// Puts the support report (version, OS, the end of the log, secrets redacted) on the clipboard
/// and returns it.
#[tauri::command]
pub fn copy_diagnostics(app: AppHandle) -> Result<String, IpcError> {
    diagnostics::copy_report(&app)
}
