use push3::ConnectionTest;
use push3_domain::desk::forms::{GatewayEditForm, GatewayForm, GatewayTestForm};
use push3_domain::desk::views::{GatewayView, LoadedProfileView, WireProfileView};
use push3_domain::desk::Desk;
use push3_domain::IpcError;
use tauri::State;

#[tauri::command]
pub async fn list_gateways(desk: State<'_, Desk>) -> Result<Vec<GatewayView>, IpcError> {
    desk.gateways().await
}

#[tauri::command]
pub async fn add_gateway(
    desk: State<'_, Desk>,
    form: GatewayForm,
) -> Result<GatewayView, IpcError> {
    desk.add_gateway(form).await
}

/// Changes what the form holds; an absent key or token keeps the stored one.
#[tauri::command]
pub async fn edit_gateway(
    desk: State<'_, Desk>,
    id: String,
    form: GatewayEditForm,
) -> Result<GatewayView, IpcError> {
    desk.edit_gateway(id, form).await
}

/// Tests a gateway as the dialog holds it, unsaved: one read to one meter, on record.
#[tauri::command]
pub async fn test_gateway(
    desk: State<'_, Desk>,
    form: GatewayTestForm,
) -> Result<ConnectionTest, IpcError> {
    desk.test_gateway(form).await
}

/// The wire profiles a gateway may speak: built in, then loaded.
#[tauri::command]
pub async fn list_wire_profiles(desk: State<'_, Desk>) -> Result<Vec<WireProfileView>, IpcError> {
    desk.wire_profiles().await
}

/// Picks a profile file, then checks and keeps it; `None` when the dialog was cancelled.
#[tauri::command]
pub async fn load_wire_profile(
    app: tauri::AppHandle,
    desk: State<'_, Desk>,
) -> Result<Option<LoadedProfileView>, IpcError> {
    use crate::file_dialog::{pick, Pick};
    let file = Pick::Open {
        filter: "Push3 wire profile (JSON)",
        extensions: &["json"],
    };
    let Some(path) = pick(&app, file).await else {
        return Ok(None);
    };
    let text = std::fs::read_to_string(&path)
        .map_err(|e| IpcError::io(format!("Cannot read {}: {e}", path.display())))?;
    desk.load_wire_profile(text).await.map(Some)
}

/// Forgets a loaded wire profile that no gateway speaks.
#[tauri::command]
pub async fn remove_wire_profile(desk: State<'_, Desk>, id: String) -> Result<(), IpcError> {
    desk.remove_wire_profile(id).await
}

/// Removes the gateway, its meters and all their keychain entries.
#[tauri::command]
pub async fn remove_gateway(desk: State<'_, Desk>, id: String) -> Result<(), IpcError> {
    desk.remove_gateway(id).await
}
