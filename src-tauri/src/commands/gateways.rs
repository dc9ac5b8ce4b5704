use crate::desk::views::GatewayView;
use crate::desk::{Desk, GatewayForm};
use crate::error::IpcError;
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

#[tauri::command]
pub async fn remove_gateway(desk: State<'_, Desk>, id: String) -> Result<(), IpcError> {
    desk.remove_gateway(id).await
}
