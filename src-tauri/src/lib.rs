//! Push3 Desk: the Tauri shell around the push3 core.

pub mod close_guard;
pub mod commands;
pub mod diagnostics;
pub mod file_dialog;
pub mod heap;
pub mod javascript;
pub mod job_desktop;
mod linux_default;
pub mod main_window;
pub mod preferences;
pub mod rendering;
pub mod updates;
pub mod window_zoom;

use tauri::Manager;

pub fn run() {
    tauri::Builder::default()
        // Single-instance first: a second launch hands over before any other plugin starts.
        .plugin(main_window::single_instance())
        .plugin(diagnostics::log_plugin())
        .plugin(main_window::window_state())
        .plugin(tauri_plugin_clipboard_manager::init())
        // File dialogs are opened from Rust only (templates, utility rates, exports); the
        // webview gets no dialog or file-system permission.
        .plugin(tauri_plugin_dialog::init())
        // Used from Rust only (the log folder, exported files); the webview is granted none of
        // its commands.
        .plugin(tauri_plugin_opener::init())
        // Used from Rust only (a fleet job's result); the webview is granted none of its commands.
        .plugin(tauri_plugin_notification::init())
        // Used from Rust only (src-tauri/src/updates.rs); the webview is granted none of its
        // commands, so only Rust decides what is downloaded and installed.
        .plugin(tauri_plugin_updater::Builder::new().build())
        .on_page_load(main_window::show_when_loaded)
        .on_window_event(close_guard::on_window_event)
        .manage(close_guard::CloseQuestion::default())
        .manage(push3_domain::ui_errors::UiErrors::default())
        .manage(window_zoom::WindowZoom::default())
        .manage(push3_domain::exported::ExportedFiles::default())
        .manage(updates::ReadyUpdate::default())
        .setup(|app| {
            diagnostics::log_panics();
            diagnostics::log_startup();
            main_window::show_at_the_latest(app.handle());
            if let Some(window) = app.get_webview_window("main") {
                window_zoom::restore(app.handle(), &window);
            }
            tauri::async_runtime::spawn(heap::trim_after_startup());
            let data_dir = app.path().app_data_dir()?;
            let runtime = tauri::async_runtime::handle();
            // Without its store the app cannot keep a record, so it does not start; the reason
            // (a damaged file to import, a database from a newer version) goes to the log.
            let desk =
                push3_domain::desk::Desk::new(data_dir, runtime.inner()).inspect_err(|e| {
                    log::error!("cannot open the data folder: {e}");
                })?;
            app.manage(desk);
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::app::app_info,
            commands::app::watch_store,
            commands::app::watch_close,
            commands::app::quit,
            commands::app::zoom_step,
            commands::app::show_in_folder,
            commands::app::check_for_updates,
            commands::app::install_update,
            commands::app::preferences,
            commands::app::set_preferences,
            commands::gateways::list_gateways,
            commands::gateways::add_gateway,
            commands::gateways::test_gateway,
            commands::gateways::list_wire_profiles,
            commands::gateways::load_wire_profile,
            commands::gateways::remove_wire_profile,
            commands::gateways::edit_gateway,
            commands::gateways::remove_gateway,
            commands::meters::check_meter_address,
            commands::meters::list_meters,
            commands::meters::add_meter,
            commands::meters::edit_meter,
            commands::meters::remove_meter,
            commands::send::send_command,
            commands::send::meter_limits,
            commands::programs::check_command,
            commands::programs::plan_program,
            commands::programs::known_state,
            commands::programs::parse_schedules,
            commands::programs::compare_tou,
            commands::programs::parse_tariff_data,
            commands::programs::meter_clock_now,
            commands::programs::time_zones,
            commands::programs::pick_rate_file,
            commands::programs::translate_rate,
            commands::programs::remember_rate,
            commands::programs::estimate_costs,
            commands::drafts::list_drafts,
            commands::drafts::save_draft,
            commands::drafts::discard_draft,
            commands::fleet::list_templates,
            commands::fleet::save_template,
            commands::fleet::remove_template,
            commands::fleet::import_template,
            commands::fleet::export_template,
            commands::fleet::preview_bulk,
            commands::fleet::start_relay_groups,
            commands::fleet::run_job,
            commands::fleet::pause_job,
            commands::fleet::resume_job,
            commands::fleet::stop_job,
            commands::fleet::retry_job,
            commands::fleet::export_job_report,
            commands::fleet::drift_report,
            commands::fleet::history,
            commands::fleet::history_count,
            commands::fleet::export_history,
            commands::diagnostics::copy_diagnostics,
            commands::diagnostics::log_ui_error,
            commands::diagnostics::open_log_folder,
        ])
        .build(tauri::generate_context!("tauri.conf.json"))
        .expect("error while building Push3 Desk")
        .run(|app, event| close_guard::on_run_event(app, &event));
}
