//! The app's log: tauri-plugin-log writing into the OS log folder (on Linux
//! `$XDG_DATA_HOME/com.push3desk.Push3Desk/logs`, on macOS
//! `~/Library/Logs/com.push3desk.Push3Desk`, on Windows
//! `%LOCALAPPDATA%\com.push3desk.Push3Desk\logs`), rotated by size, with every line passed through
//! [`redact`] before any target sees it.

use super::redact::redact;
use log::LevelFilter;
use tauri::plugin::TauriPlugin;
use tauri::Runtime;
use tauri_plugin_log::{Builder, RotationStrategy, Target, TargetKind};

/// The log file in the log folder: `push3-desk.log`, and `push3-desk_<date>.log` once rotated.
pub const LOG_FILE_STEM: &str = "push3-desk";

/// Sets the level of the app's own crates: `error`, `warn`, `info` (the default), `debug`,
/// `trace` or `off`.
pub const LEVEL_ENV: &str = "PUSH3_DESK_LOG";

/// Debug builds only: log lines as written, without [`redact`], so the end-to-end tests can show
/// that no key or password reaches the log in the first place (the redactor would hide one that
/// did). Release builds ignore it.
pub const UNREDACTED_ENV: &str = "PUSH3_DESK_LOG_UNREDACTED";

/// Four files of 512 KiB at most: weeks of lifecycle lines and warnings, and a bounded folder.
const MAX_FILE_BYTES: u128 = 512 * 1024;
const ROTATED_FILES_KEPT: usize = 3;

/// The crates whose level [`LEVEL_ENV`] sets. Everything else (tao, wry, reqwest, …) logs only
/// warnings and errors, whatever the level.
const OWN_CRATES: [&str; 8] = [
    "push3_desk_lib",
    "push3",
    "push3_domain",
    "push3_inventory",
    "push3_audit",
    "push3_fleet",
    "push3_store",
    "push3_sim",
];

pub fn plugin<R: Runtime>() -> TauriPlugin<R> {
    let level = level_from(std::env::var(LEVEL_ENV).ok().as_deref());
    let redacting = !(cfg!(debug_assertions) && std::env::var_os(UNREDACTED_ENV).is_some());
    let file = Target::new(TargetKind::LogDir {
        file_name: Some(LOG_FILE_STEM.into()),
    });
    let mut builder = Builder::new()
        .clear_targets()
        .target(file)
        .rotation_strategy(RotationStrategy::KeepSome(ROTATED_FILES_KEPT))
        .max_file_size(MAX_FILE_BYTES)
        .format(move |out, message, record| {
            let message = message.to_string();
            out.finish(format_args!(
                "{} {:<5} {}: {}",
                chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S%.3fZ"),
                record.level(),
                record.target(),
                if redacting {
                    redact(&message)
                } else {
                    message.as_str().into()
                }
            ))
        })
        .level(LevelFilter::Warn);
    for krate in OWN_CRATES {
        builder = builder.level_for(krate, level);
    }
    // A developer running `./x run` or the end-to-end tests sees the same lines on stderr.
    if cfg!(debug_assertions) {
        builder = builder.target(Target::new(TargetKind::Stderr));
    }
    builder.build()
}

/// The level named by [`LEVEL_ENV`]'s value, or info when it is unset or not a level name.
fn level_from(value: Option<&str>) -> LevelFilter {
    value
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(LevelFilter::Info)
}

/// Sends panics to the log too (release builds abort on panic, so the log is the only trace a
/// user can send), then lets the default hook print them as usual.
pub fn log_panics() {
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        log::error!("{info}");
        default_hook(info);
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_level_defaults_to_info_and_accepts_any_level_name() {
        assert_eq!(level_from(None), LevelFilter::Info);
        assert_eq!(level_from(Some("chatty")), LevelFilter::Info);
        assert_eq!(level_from(Some("DEBUG")), LevelFilter::Debug);
        assert_eq!(level_from(Some(" trace ")), LevelFilter::Trace);
        assert_eq!(level_from(Some("off")), LevelFilter::Off);
    }
}
