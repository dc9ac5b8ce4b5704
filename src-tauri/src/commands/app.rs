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
