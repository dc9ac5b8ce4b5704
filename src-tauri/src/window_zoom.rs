//! The window's zoom, remembered across launches in the app's config folder (next to the window
//! size the window-state plugin keeps there). Rust keeps it rather than the webview's storage,
//! which WebKit writes a second or so late and a crash would lose.

use push3_domain::{zoom, IpcError};
use std::path::PathBuf;
use std::sync::Mutex;
use tauri::{AppHandle, Manager, Runtime, WebviewWindow};

const FILE_NAME: &str = "zoom";

/// The zoom the window is at.
pub struct WindowZoom(Mutex<f64>);

impl Default for WindowZoom {
    fn default() -> Self {
        Self(Mutex::new(1.0))
    }
}

fn file<R: Runtime>(app: &AppHandle<R>) -> Option<PathBuf> {
    app.path()
        .app_config_dir()
        .ok()
        .map(|dir| dir.join(FILE_NAME))
}

/// Sets the window to the zoom it had when last changed. A file that does not hold a zoom step
/// is ignored, with a warning: the window opens at 100%.
pub fn restore<R: Runtime>(app: &AppHandle<R>, window: &WebviewWindow<R>) {
    let Some(text) = file(app).and_then(|f| std::fs::read_to_string(f).ok()) else {
        return;
    };
    let remembered = text.trim().parse::<f64>().map_err(|e| e.to_string());
    match remembered.and_then(|f| zoom::check(f).map_err(|e| e.message)) {
        Ok(factor) if factor != 1.0 => {
            if let Err(e) = window.set_zoom(factor) {
                log::warn!("could not restore the zoom: {e}");
                return;
            }
            *app.state::<WindowZoom>().0.lock().expect("zoom lock") = factor;
        }
        Ok(_) => {}
        Err(e) => log::warn!("the remembered zoom is ignored: {e}"),
    }
}

/// One step in (1), out (−1) or back to 100% (0); answers the new zoom and remembers it.
pub fn step<R: Runtime>(
    app: &AppHandle<R>,
    window: &WebviewWindow<R>,
    direction: i8,
) -> Result<f64, IpcError> {
    let state = app.state::<WindowZoom>();
    let mut current = state.0.lock().expect("zoom lock");
    let next = zoom::after_key(*current, direction);
    window
        .set_zoom(next)
        .map_err(|e| IpcError::internal(format!("could not zoom the window: {e}")))?;
    *current = next;
    if let Some(path) = file(app) {
        // Written whole, then renamed, so a crash mid-write leaves the old zoom, not a torn file.
        let kept = path
            .parent()
            .map(std::fs::create_dir_all)
            .transpose()
            .and_then(|_| {
                let partial = path.with_extension("partial");
                std::fs::write(&partial, next.to_string())?;
                std::fs::rename(&partial, &path)
            });
        if let Err(e) = kept {
            log::warn!("the zoom will not be remembered: {e}");
        }
    }
    Ok(next)
}
