use push3_domain::desk::programs::MeterRef;
use push3_domain::desk::Desk;
use push3_domain::store::{Draft, DraftPart};
use push3_domain::IpcError;
use serde_json::Value;
use tauri::State;

#[tauri::command]
pub async fn list_drafts(desk: State<'_, Desk>) -> Result<Vec<Draft>, IpcError> {
    desk.drafts().await
}

#[tauri::command]
pub async fn save_draft(
    desk: State<'_, Desk>,
    target: MeterRef,
    part: DraftPart,
    value: Value,
) -> Result<Draft, IpcError> {
    desk.save_draft(target, part, value).await
}

#[tauri::command]
pub async fn discard_draft(
    desk: State<'_, Desk>,
    target: MeterRef,
    part: DraftPart,
) -> Result<(), IpcError> {
    desk.discard_draft(target, part).await
}
