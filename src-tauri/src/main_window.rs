//! The main window across launches: one running instance, and the size and position it had when
//! it was last closed.

use tauri::plugin::TauriPlugin;
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_window_state::StateFlags;

/// The window's label in tauri.conf.json.
const LABEL: &str = "main";

/// On Linux the running instance owns a D-Bus name derived from this id. Debug builds take their
/// own, as they take their own keychain service, so `./x run` still opens a window while an
/// installed Push3 Desk is running.
const DBUS_ID: &str = if cfg!(debug_assertions) {
    "com.push3desk.Push3Desk.dev"
} else {
    "com.push3desk.Push3Desk"
};

/// A second launch exits at once and brings the running instance's window to the front. Must be
/// the first plugin registered, so the second process stops before anything else starts.
pub fn single_instance<R: Runtime>() -> TauriPlugin<R> {
    tauri_plugin_single_instance::Builder::new()
        .dbus_id(DBUS_ID)
        .callback(|app, _args, _cwd| focus(app))
        .build()
}

/// Size, position and maximized state, saved on exit into the app's config folder and restored
/// when the window opens. Visibility and decorations are left to tauri.conf.json.
pub fn window_state<R: Runtime>() -> TauriPlugin<R> {
    tauri_plugin_window_state::Builder::new()
        .with_state_flags(StateFlags::SIZE | StateFlags::POSITION | StateFlags::MAXIMIZED)
        .build()
}

fn focus<R: Runtime>(app: &AppHandle<R>) {
    log::info!("a second launch was handed over to the running window");
    let Some(window) = app.get_webview_window(LABEL) else {
        return;
    };
    let shown = window
        .unminimize()
        .and_then(|()| window.show())
        .and_then(|()| window.set_focus());
    if let Err(e) = shown {
        log::warn!("could not bring the window to the front: {e}");
    }
}
