use crate::close_guard::CloseQuestion;
use push3_domain::desk::in_flight::WorkInFlight;
use push3_domain::{AppInfo, StoreChange};

#[tauri::command]
pub fn app_info() -> AppInfo {
    AppInfo::of_this_build()
}

/// Streams a [`StoreChange`] over `on_change` whenever the store changed: another process (a
/// `push3` command) or this app wrote to it. The window re-reads the parts that changed. A
/// reloaded page calls this again and replaces the old channel.
#[tauri::command]
pub fn watch_store(
    desk: tauri::State<'_, push3_domain::desk::Desk>,
    on_change: tauri::ipc::Channel<StoreChange>,
) {
    desk.watch_store(move |change| on_change.send(change).is_ok());
}

/// Hears each close request made while work is under way, with what would stop; the window asks
/// the user, who keeps working or [`quit`]s.
#[tauri::command]
pub fn watch_close(
    question: tauri::State<'_, CloseQuestion>,
    on_request: tauri::ipc::Channel<WorkInFlight>,
) {
    question.listen(on_request);
}

/// Quits, stopping whatever is under way: the user's answer to the close question.
#[tauri::command]
pub fn quit(app: tauri::AppHandle) {
    log::info!("quitting at the user's word, with work under way");
    app.exit(0);
}

/// Zooms the window one step in (`direction` 1), out (−1) or back to 100% (0), and remembers
/// it; answers the new zoom.
#[tauri::command]
pub fn zoom_step(
    app: tauri::AppHandle,
    window: tauri::WebviewWindow,
    direction: i8,
) -> Result<f64, push3_domain::IpcError> {
    crate::window_zoom::step(&app, &window, direction)
}

/// Shows a file the app exported in the system's file manager, selected. Only files this app
/// wrote at the user's request are shown (push3_domain::exported).
#[tauri::command]
pub async fn show_in_folder(
    app: tauri::AppHandle,
    exported: tauri::State<'_, push3_domain::exported::ExportedFiles>,
    path: String,
) -> Result<(), push3_domain::IpcError> {
    use tauri_plugin_opener::OpenerExt;
    let path = exported.to_show(&path)?;
    app.opener()
        .reveal_item_in_dir(&path)
        .map_err(|e| push3_domain::IpcError::cannot_open(&path, e))
}

/// Looks for a newer version of the app; one that is found is downloaded and its signature
/// verified before it is offered. `quiet`: the check at start, which the user may turn off.
#[tauri::command]
pub async fn check_for_updates(
    app: tauri::AppHandle,
    quiet: bool,
) -> Result<push3_domain::updates::UpdateCheck, push3_domain::IpcError> {
    crate::updates::check(&app, quiet).await
}

/// Installs the update the last check made ready, and restarts into it. On the blocking pool:
/// on Linux the install waits for the administrator's password prompt.
#[tauri::command]
pub async fn install_update(app: tauri::AppHandle) -> Result<(), push3_domain::IpcError> {
    tauri::async_runtime::spawn_blocking(move || crate::updates::install(&app))
        .await
        .map_err(|e| push3_domain::IpcError::internal(format!("The install stopped: {e}")))?
}

#[tauri::command]
pub async fn preferences(app: tauri::AppHandle) -> push3_domain::preferences::Preferences {
    crate::preferences::load(&app)
}

#[tauri::command]
pub async fn set_preferences(
    app: tauri::AppHandle,
    preferences: push3_domain::preferences::Preferences,
) -> Result<(), push3_domain::IpcError> {
    crate::preferences::save(&app, &preferences)
}
