use push3::Outcome;
use push3_domain::desk::dispatch::{CommandEvent, CommandRequest};
use push3_domain::desk::Desk;
use push3_domain::IpcError;
use tauri::ipc::Channel;
use tauri::State;

/// Sends one command; progress (sent, then the outcome) streams over `on_event`.
#[tauri::command]
pub async fn send_command(
    desk: State<'_, Desk>,
    request: CommandRequest,
    on_event: Channel<CommandEvent>,
) -> Result<Outcome, IpcError> {
    desk.send_command(request, |event| {
        // A closed window drops its channel; the command's fate is unaffected.
        let _ = on_event.send(event);
    })
    .await
}

/// Every constant the editors validate against (CT ratios, LCD items, ranges), from the Rust
/// tables, so the UI never retypes them.
#[tauri::command]
pub fn meter_limits() -> serde_json::Value {
    push3::tables::export()
}
