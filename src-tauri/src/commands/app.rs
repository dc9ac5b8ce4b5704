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

/// Which parts of the store changed, as the window hears of it.
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StoreChange {
    pub inventory: bool,
    pub audit: bool,
    pub templates: bool,
}

/// Streams a [`StoreChange`] over `on_change` whenever the store changed: another process (a
/// `push3` command) or this app wrote to it. The window re-reads the parts that changed. A
/// reloaded page calls this again and replaces the old channel.
#[tauri::command]
pub fn watch_store(
    desk: tauri::State<'_, push3_domain::desk::Desk>,
    on_change: tauri::ipc::Channel<StoreChange>,
) {
    desk.watch_store(move |c| {
        let change = StoreChange {
            inventory: c.inventory,
            audit: c.audit,
            templates: c.templates,
        };
        on_change.send(change).is_ok()
    });
}
