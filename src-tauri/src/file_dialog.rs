//! The OS file dialogs, opened from Rust so the webview needs no file-system permission: a file
//! to open (a template, a utility rate) or to save an export to.

use push3_domain::exported::ExportedFiles;
use push3_domain::IpcError;
use std::path::PathBuf;
use tauri::{AppHandle, Manager};
use tauri_plugin_dialog::DialogExt;

/// What a dialog asks for: a file to open (with its filter's name and extensions), or a file
/// to save under a suggested name.
pub enum Pick<'a> {
    Open {
        filter: &'a str,
        extensions: &'a [&'a str],
    },
    Save {
        suggested: &'a str,
    },
}

/// The OS file dialog, opened from Rust so the webview needs no file-system permission. A save
/// dialog starts in the folder of the last export, else in Documents, else at home.
pub async fn pick(app: &AppHandle, what: Pick<'_>) -> Option<PathBuf> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    let dialog = app.dialog().file();
    let answer = move |path: Option<tauri_plugin_dialog::FilePath>| {
        let _ = tx.send(path.and_then(|p| p.into_path().ok()));
    };
    match what {
        Pick::Open { filter, extensions } => {
            dialog.add_filter(filter, extensions).pick_file(answer);
        }
        Pick::Save { suggested } => {
            let mut dialog = dialog.set_file_name(suggested);
            let paths = app.path();
            let start = app
                .state::<ExportedFiles>()
                .last_folder()
                .or_else(|| paths.document_dir().ok())
                .or_else(|| paths.home_dir().ok());
            if let Some(start) = start.filter(|dir| dir.is_dir()) {
                dialog = dialog.set_directory(start);
            }
            dialog.save_file(answer);
        }
    }
    rx.await.ok().flatten()
}

/// Writes `text` to a file the user picks, remembered as exported ("Show in folder"); answers
/// where, or `None` when the user cancels.
pub async fn save_as(
    app: &AppHandle,
    suggested: &str,
    text: String,
) -> Result<Option<String>, IpcError> {
    let Some(path) = pick(app, Pick::Save { suggested }).await else {
        return Ok(None);
    };
    std::fs::write(&path, text)
        .map_err(|e| IpcError::io(format!("Cannot write {}: {e}", path.display())))?;
    app.state::<ExportedFiles>().wrote(&path);
    Ok(Some(path.display().to_string()))
}
