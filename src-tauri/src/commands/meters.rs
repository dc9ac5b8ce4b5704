use push3_domain::desk::forms::{MeterEditForm, MeterForm};
use push3_domain::desk::views::MeterView;
use push3_domain::desk::Desk;
use push3_domain::IpcError;
use tauri::State;

/// Normalises what the user typed into the 12-digit address the API expects, or says why not.
#[tauri::command]
pub fn check_meter_address(input: String) -> Result<String, IpcError> {
    Ok(push3::MeterAddress::parse(&input)?.to_string())
}

#[tauri::command]
pub async fn list_meters(desk: State<'_, Desk>) -> Result<Vec<MeterView>, IpcError> {
    desk.meters().await
}

#[tauri::command]
pub async fn add_meter(desk: State<'_, Desk>, form: MeterForm) -> Result<MeterView, IpcError> {
    desk.add_meter(form).await
}

#[tauri::command]
pub async fn edit_meter(
    desk: State<'_, Desk>,
    address: String,
    form: MeterEditForm,
) -> Result<MeterView, IpcError> {
    desk.edit_meter(address, form).await
}

#[tauri::command]
pub async fn remove_meter(desk: State<'_, Desk>, address: String) -> Result<(), IpcError> {
    desk.remove_meter(address).await
}
