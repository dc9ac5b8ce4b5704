//! Push3 Desk: the Tauri shell around the push3 core.

pub mod commands;
pub mod error;

pub fn run() {
    tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![
            commands::app::app_info,
            commands::meters::check_meter_address,
        ])
        .run(tauri::generate_context!("tauri.conf.json"))
        .expect("error while running Push3 Desk");
}
