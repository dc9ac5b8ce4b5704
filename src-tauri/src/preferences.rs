//! The user's app preferences (`push3_domain::preferences`), in the app's config folder.

use push3_domain::preferences::Preferences;
use push3_domain::IpcError;
use tauri::{AppHandle, Manager, Runtime};

/// The preferences as saved; the defaults when there are none or they cannot be read (logged).
pub fn load<R: Runtime>(app: &AppHandle<R>) -> Preferences {
    let Ok(dir) = app.path().app_config_dir() else {
        return Preferences::default();
    };
    let (prefs, problem) = Preferences::load(&dir);
    if let Some(problem) = problem {
        log::warn!("{problem}");
    }
    prefs
}

pub fn save<R: Runtime>(app: &AppHandle<R>, prefs: &Preferences) -> Result<(), IpcError> {
    let dir = app
        .path()
        .app_config_dir()
        .map_err(|e| IpcError::internal(format!("The config folder is unknown: {e}")))?;
    prefs.save_in(&dir)
}
