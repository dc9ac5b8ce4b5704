use crate::error::IpcError;

/// Normalises what the user typed into the 12-digit address the API expects, or says why not.
#[tauri::command]
pub fn check_meter_address(input: String) -> Result<String, IpcError> {
    Ok(push3::MeterAddress::parse(&input)?.to_string())
}
