//! Diagnostics: the app's log and the support report built from it. Nothing secret may reach
//! either: [`redact`] runs over every log line as it is written and over the report as it is
//! built, so code may log a URL, a request or an API error as it is. [`redact`] is public for
//! the same job elsewhere: any other text that is shown or stored and might carry a secret.

mod logging;
mod redact;
mod report;

pub use logging::{log_panics, plugin as log_plugin, LEVEL_ENV};
pub use redact::redact;

use push3_domain::IpcError;
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_clipboard_manager::ClipboardExt;

/// The first line every run writes: enough to tell runs and versions apart in a report.
pub fn log_startup() {
    log::info!(
        "Push3 Desk {} started on {}; rendering: {}; JavaScript: {}",
        env!("CARGO_PKG_VERSION"),
        report::os_description(),
        crate::rendering::chosen().describe(),
        crate::javascript::chosen().describe()
    );
}

/// Builds the support report, puts it on the system clipboard and returns it. The copy happens
/// here rather than in the webview, so the webview needs no clipboard permission and the copy
/// does not depend on the click's user activation surviving the IPC round trip.
pub fn copy_report<R: Runtime>(app: &AppHandle<R>) -> Result<String, IpcError> {
    let paths = app.path();
    let log_dir = paths.app_log_dir().map_err(|e| {
        IpcError::internal(format!("The log folder is unknown on this system: {e}"))
    })?;
    let text = report::render(&report::System {
        app_version: env!("CARGO_PKG_VERSION"),
        os: report::os_description(),
        webview: tauri::webview_version().unwrap_or_else(|e| format!("unknown ({e})")),
        rendering: crate::rendering::chosen().describe(),
        javascript: crate::javascript::chosen().describe(),
        log_dir,
        home_dir: paths.home_dir().ok(),
    });
    app.clipboard()
        .write_text(text.as_str())
        .map_err(IpcError::clipboard_unavailable)?;
    log::info!("diagnostics copied to the clipboard");
    Ok(text)
}

/// Opens the log folder in the system's file manager (`xdg-open` on Linux), creating it if no
/// line has been written yet. Rust opens it, so the webview is granted no opener permission and
/// no path of its choosing is ever opened.
pub fn open_log_folder<R: Runtime>(app: &AppHandle<R>) -> Result<(), IpcError> {
    use tauri_plugin_opener::OpenerExt;
    let dir = app.path().app_log_dir().map_err(|e| {
        IpcError::internal(format!("The log folder is unknown on this system: {e}"))
    })?;
    std::fs::create_dir_all(&dir)
        .map_err(|e| IpcError::io(format!("Cannot create {}: {e}", dir.display())))?;
    app.opener()
        .open_path(dir.to_string_lossy(), None::<&str>)
        .map_err(|e| IpcError::cannot_open(&dir, e))
}
