//! The main window across launches: one running instance, the size and position it had when it
//! was last closed, and when it first shows.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use tauri::plugin::TauriPlugin;
use tauri::webview::{PageLoadEvent, PageLoadPayload};
use tauri::{AppHandle, Manager, Runtime, Webview};
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

/// How long the window may stay hidden waiting for its page. Past this it shows as it is, so a
/// page that never finishes loading still gives the user a window.
pub const SHOW_AT_THE_LATEST: Duration = Duration::from_secs(3);

/// The window starts hidden (tauri.conf.json) and shows once its page has loaded. So no blank
/// white frame comes before the first paint, which the dark theme would show as a flash. And with
/// compositing off (crate::rendering), it avoids a wait of about half a second that WebKitGTK adds
/// to about half the launches when the window maps before the page is ready (BENCHMARKS.md).
pub fn show_when_loaded<R: Runtime>(webview: &Webview<R>, payload: &PageLoadPayload<'_>) {
    if matches!(payload.event(), PageLoadEvent::Finished) {
        show(webview.app_handle(), "its page has loaded");
    }
}

/// Shows the window after [`SHOW_AT_THE_LATEST`] if its page has not loaded by then.
pub fn show_at_the_latest<R: Runtime>(app: &AppHandle<R>) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(SHOW_AT_THE_LATEST).await;
        show(&app, "its page had not loaded after 3 s");
    });
}

/// Whether [`show`] has run: the window is shown once, by whichever comes first.
static SHOWN: AtomicBool = AtomicBool::new(false);

/// Shows the window and its webview, the first time only. It does not ask whether the window
/// already shows: something else may have mapped it (WebDriver's Set Window Rect does) while its
/// webview, created hidden with it, still is not.
fn show<R: Runtime>(app: &AppHandle<R>, why: &str) {
    let Some(window) = app.get_webview_window(LABEL) else {
        return;
    };
    if SHOWN.swap(true, Ordering::SeqCst) {
        return;
    }
    log::info!("showing the window: {why}");
    if let Err(e) = window.show() {
        log::warn!("could not show the window: {e}");
    }
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
