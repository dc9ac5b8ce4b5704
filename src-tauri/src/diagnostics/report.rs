//! The support report: what a user pastes into a support request. Version, operating system,
//! webview and the end of the log — redacted again as it is read, so that lines written by an
//! older version without redaction cannot leak through it either.

use super::logging::LOG_FILE_STEM;
use super::redact::redact;
use std::collections::VecDeque;
use std::path::{Path, PathBuf};

/// How many of the latest log lines the report carries.
pub const RECENT_LINES: usize = 200;

/// What the report says about the machine, gathered by the caller.
pub struct System {
    pub app_version: &'static str,
    pub os: String,
    pub webview: String,
    /// How the webview composites ([`crate::rendering`]): a first question for a display fault.
    pub rendering: &'static str,
    /// How the webview runs JavaScript ([`crate::javascript`]).
    pub javascript: &'static str,
    pub log_dir: PathBuf,
    /// Replaced by `~` in paths, so the report does not carry the user's login name.
    pub home_dir: Option<PathBuf>,
}

pub fn render(system: &System) -> String {
    let lines = recent_lines(&system.log_dir, RECENT_LINES);
    let mut out = format!(
        "Push3 Desk {}\nOS: {}\nWebview: {}\nRendering: {}\nJavaScript: {}\nLog folder: {}\n\n",
        system.app_version,
        system.os,
        system.webview,
        system.rendering,
        system.javascript,
        shown_path(&system.log_dir, system.home_dir.as_deref()),
    );
    if lines.is_empty() {
        out.push_str("The log is empty.\n");
    } else {
        out.push_str(&format!(
            "Last {} log lines (secrets redacted):\n",
            lines.len()
        ));
        for line in lines {
            out.push_str(&redact(&line));
            out.push('\n');
        }
    }
    out
}

/// The operating system as precisely as can be told without asking the OS for more than a file.
pub fn os_description() -> String {
    let family = format!("{} {}", std::env::consts::OS, std::env::consts::ARCH);
    match distribution() {
        Some(details) => format!("{family}, {details}"),
        None => family,
    }
}

/// The distribution's name and the kernel release; Linux only, where support most needs to know
/// which WebKitGTK packaging it is dealing with.
#[cfg(target_os = "linux")]
fn distribution() -> Option<String> {
    let os_release = std::fs::read_to_string("/etc/os-release").ok()?;
    let name = os_release
        .lines()
        .find_map(|l| l.strip_prefix("PRETTY_NAME="))
        .map(|v| v.trim_matches('"').to_string())?;
    match std::fs::read_to_string("/proc/sys/kernel/osrelease") {
        Ok(kernel) => Some(format!("{name}, kernel {}", kernel.trim())),
        Err(_) => Some(name),
    }
}

#[cfg(not(target_os = "linux"))]
fn distribution() -> Option<String> {
    None
}

fn shown_path(path: &Path, home: Option<&Path>) -> String {
    match home.and_then(|h| path.strip_prefix(h).ok()) {
        Some(rest) => Path::new("~").join(rest).display().to_string(),
        None => path.display().to_string(),
    }
}

/// The last `max` lines across the rotated files and the current one, oldest first. Rotated
/// files are named `<stem>_<date>.log` with a sortable date, the current one `<stem>.log`.
fn recent_lines(log_dir: &Path, max: usize) -> Vec<String> {
    let current = format!("{LOG_FILE_STEM}.log");
    let mut rotated: Vec<PathBuf> = std::fs::read_dir(log_dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| {
            path.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(&format!("{LOG_FILE_STEM}_")) && n.ends_with(".log"))
        })
        .collect();
    rotated.sort();
    rotated.push(log_dir.join(current));

    let mut lines = VecDeque::with_capacity(max);
    for file in rotated {
        let Ok(bytes) = std::fs::read(&file) else {
            continue;
        };
        for line in String::from_utf8_lossy(&bytes).lines() {
            if lines.len() == max {
                lines.pop_front();
            }
            lines.push_back(line.to_string());
        }
    }
    lines.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn system(log_dir: &Path) -> System {
        System {
            app_version: "9.8.7",
            os: "linux x86_64, Debian GNU/Linux 12 (bookworm)".into(),
            webview: "2.50.6".into(),
            rendering: "compositing on (WEBKIT_DISABLE_COMPOSITING_MODE=0)",
            javascript: "as JSC_useDFGJIT says (set at launch)",
            log_dir: log_dir.to_path_buf(),
            home_dir: log_dir.parent().map(Path::to_path_buf),
        }
    }

    #[test]
    fn the_report_opens_with_the_system_and_a_home_relative_log_folder() {
        let dir = tempfile::tempdir().unwrap();
        let logs = dir.path().join("logs");
        let report = render(&system(&logs));
        assert!(report.starts_with(
            "Push3 Desk 9.8.7\nOS: linux x86_64, Debian GNU/Linux 12 (bookworm)\nWebview: 2.50.6\nRendering: compositing on (WEBKIT_DISABLE_COMPOSITING_MODE=0)\nJavaScript: as JSC_useDFGJIT says (set at launch)\nLog folder: ~/logs\n"
        ), "{report}");
        assert!(report.ends_with("The log is empty.\n"), "{report}");
    }

    #[test]
    fn the_report_carries_the_latest_lines_across_rotation_oldest_first() {
        let dir = tempfile::tempdir().unwrap();
        let logs = dir.path();
        let numbered = |from: usize, to: usize| {
            (from..to)
                .map(|i| format!("line {i}\n"))
                .collect::<String>()
        };
        std::fs::write(
            logs.join("push3-desk_2026-01-01_10-00-00.log"),
            numbered(0, 150),
        )
        .unwrap();
        std::fs::write(
            logs.join("push3-desk_2026-01-02_10-00-00.log"),
            numbered(150, 300),
        )
        .unwrap();
        std::fs::write(logs.join("push3-desk.log"), numbered(300, 350)).unwrap();
        std::fs::write(logs.join("other.log"), "not ours\n").unwrap();

        let report = render(&system(logs));
        let tail: Vec<&str> = report
            .split_once("(secrets redacted):\n")
            .unwrap()
            .1
            .lines()
            .collect();
        assert_eq!(tail.len(), RECENT_LINES);
        assert_eq!(tail.first(), Some(&"line 150"));
        assert_eq!(tail.last(), Some(&"line 349"));
        assert!(!report.contains("not ours"));
    }

    #[test]
    fn a_secret_written_to_the_log_by_anything_is_redacted_in_the_report() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("push3-desk.log"),
            "GET /sendCommand?key=e2e-Test-Key-5d41402abc4b2a76\n",
        )
        .unwrap();
        let report = render(&system(dir.path()));
        assert!(report.contains("?key=[redacted]"), "{report}");
        assert!(!report.contains("5d41402abc4b2a76"), "{report}");
    }

    #[test]
    fn the_os_is_named_with_family_and_architecture() {
        let os = os_description();
        assert!(
            os.starts_with(&format!(
                "{} {}",
                std::env::consts::OS,
                std::env::consts::ARCH
            )),
            "{os}"
        );
    }
}
