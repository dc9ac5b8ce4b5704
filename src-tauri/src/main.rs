// Keeps a console window from opening next to the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    // Before anything else, while the process has one thread: they may set environment variables.
    push3_desk_lib::rendering::choose();
    push3_desk_lib::javascript::choose();
    push3_desk_lib::run();
}
