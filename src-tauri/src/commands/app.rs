use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    pub name: &'static str,
    pub version: &'static str,
}

#[tauri::command]
pub fn app_info() -> AppInfo {
    AppInfo {
        name: "Push3 Desk",
        version: env!("CARGO_PKG_VERSION"),
    }
}

/// Streams a message over `on_change` whenever the store changed: another process (a `push3`
/// command) or this app wrote to it. The window re-reads what it shows. A reloaded page calls
/// this again and replaces the old channel.
#[tauri::command]
pub fn watch_store(
    desk: tauri::State<'_, push3_domain::desk::Desk>,
    on_change: tauri::ipc::Channel<()>,
) {
    desk.watch_store(move || on_change.send(()).is_ok());
}
