// The app's own commands get explicit allow-* permissions, so the webview can call exactly the
// commands that capabilities/default.json grants and nothing else (no shell, no file system).
const APP_COMMANDS: &[&str] = &[
    "app_info",
    "watch_store",
    "watch_close",
    "quit",
    "zoom_step",
    "list_gateways",
    "add_gateway",
    "edit_gateway",
    "remove_gateway",
    "check_meter_address",
    "list_meters",
    "add_meter",
    "edit_meter",
    "remove_meter",
    "send_command",
    "meter_limits",
    "check_command",
    "plan_program",
    "known_state",
    "parse_schedules",
    "compare_tou",
    "parse_tariff_data",
    "meter_clock_now",
    "time_zones",
    "list_drafts",
    "save_draft",
    "discard_draft",
    "list_templates",
    "save_template",
    "remove_template",
    "import_template",
    "export_template",
    "preview_bulk",
    "start_relay_groups",
    "run_job",
    "pause_job",
    "resume_job",
    "stop_job",
    "retry_job",
    "export_job_report",
    "drift_report",
    "history",
    "history_count",
    "export_history",
    "copy_diagnostics",
    "log_ui_error",
    "open_log_folder",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(APP_COMMANDS)),
    )
    .expect("failed to run tauri-build");
}
