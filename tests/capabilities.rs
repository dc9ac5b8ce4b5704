//! The window's permissions stay narrow: it may call the app's own commands, each granted by
//! name, and no plugin's. The notification, opener, updater and dialog plugins are used from Rust
//! only, so a page that went wrong cannot notify, open paths, install updates or pick files.

use std::collections::BTreeSet;
use std::path::PathBuf;

fn read(path: &str) -> String {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(root.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The names in the `APP_COMMANDS` list of src-tauri/build.rs.
fn app_commands() -> BTreeSet<String> {
    let build = read("src-tauri/build.rs");
    let start = build.find("const APP_COMMANDS").unwrap();
    let list = &build[start..start + build[start..].find("];").unwrap()];
    list.lines()
        .filter_map(|l| l.trim().strip_prefix('"'))
        .map(|l| l.trim_end_matches(&['"', ','][..]).to_owned())
        .collect()
}

/// The commands `tauri::generate_handler!` registers in src-tauri/src/lib.rs.
fn registered() -> BTreeSet<String> {
    let lib = read("src-tauri/src/lib.rs");
    let start = lib.find("generate_handler![").unwrap();
    let list = &lib[start..start + lib[start..].find("])").unwrap()];
    list.lines()
        .filter_map(|l| l.trim().strip_prefix("commands::"))
        .map(|l| {
            l.rsplit("::")
                .next()
                .unwrap()
                .trim_end_matches(',')
                .to_owned()
        })
        .collect()
}

#[test]
fn the_window_is_granted_each_app_command_by_name_and_no_plugin_command() {
    let capability: serde_json::Value =
        serde_json::from_str(&read("capabilities/default.json")).unwrap();
    assert_eq!(capability["windows"], serde_json::json!(["main"]));
    let granted: Vec<&str> = capability["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().expect("a plain permission name, no scope"))
        .collect();
    for permission in &granted {
        assert!(
            !permission.contains(':'),
            "{permission}: the window is granted no plugin permission"
        );
    }
    let granted: BTreeSet<String> = granted
        .iter()
        .map(|p| {
            p.strip_prefix("allow-")
                .unwrap_or_else(|| panic!("{p}: only allow-<command>"))
                .replace('-', "_")
        })
        .collect();
    let commands = app_commands();
    assert_eq!(granted, commands, "granted and declared in build.rs");
    assert_eq!(
        registered(),
        commands,
        "registered in lib.rs and declared in build.rs"
    );
    for command in [
        "show_in_folder",
        "check_for_updates",
        "install_update",
        "set_preferences",
    ] {
        assert!(commands.contains(command), "{command}");
    }
}
