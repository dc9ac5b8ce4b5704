//! Errors thrown in the window (an uncaught exception, a rejected promise nobody awaited) reach
//! the app's log, where the support report finds them; otherwise they would die in a webview
//! console nobody opens. The log redacts every line it writes, so a key in an error message
//! never reaches the file. A window stuck in a loop of errors is cut off, not allowed to fill
//! the log, whose files rotate at 512 KiB.

use serde::Deserialize;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use ts_rs::TS;

/// At most this many reports are logged per [`BURST_WINDOW`]; the rest are counted.
pub const BURST: usize = 10;
pub const BURST_WINDOW: Duration = Duration::from_secs(60);
/// Longest message and stack kept, in characters.
const MAX_MESSAGE_CHARS: usize = 2_000;
const MAX_STACK_CHARS: usize = 4_000;

/// What the window reports of one error.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct UiErrorReport {
    /// `error` (window.onerror) or `unhandledrejection`.
    pub kind: String,
    pub message: String,
    /// Script URL, line and column, when the browser gives them.
    pub source: Option<String>,
    pub line: Option<u32>,
    pub column: Option<u32>,
    pub stack: Option<String>,
}

/// Turns reports into log lines, within the burst limit.
#[derive(Default)]
pub struct UiErrors(Mutex<Burst>);

#[derive(Default)]
struct Burst {
    started: Option<Instant>,
    logged: usize,
    dropped: usize,
}

impl UiErrors {
    /// The line to log for `report`, or `None` when the burst limit has been reached (the next
    /// line logged after the window says how many were left out).
    pub fn line(&self, report: &UiErrorReport) -> Option<String> {
        self.line_at(report, Instant::now())
    }

    fn line_at(&self, report: &UiErrorReport, now: Instant) -> Option<String> {
        let mut burst = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let fresh = burst
            .started
            .is_none_or(|started| now.duration_since(started) >= BURST_WINDOW);
        let mut left_out = 0;
        if fresh {
            left_out = std::mem::take(&mut burst.dropped);
            burst.started = Some(now);
            burst.logged = 0;
        }
        if burst.logged >= BURST {
            burst.dropped += 1;
            return None;
        }
        burst.logged += 1;
        let mut line = format!(
            "{} in the window: {}",
            if report.kind == "unhandledrejection" {
                "unhandled promise rejection"
            } else {
                "uncaught error"
            },
            clip(&report.message, MAX_MESSAGE_CHARS)
        );
        if let Some(source) = &report.source {
            line.push_str(&format!(
                " at {}:{}:{}",
                clip(source, 200),
                report.line.unwrap_or(0),
                report.column.unwrap_or(0)
            ));
        }
        if let Some(stack) = report.stack.as_deref().filter(|s| !s.trim().is_empty()) {
            line.push_str(&format!("\n{}", clip(stack, MAX_STACK_CHARS)));
        }
        if left_out > 0 {
            line.push_str(&format!(
                "\n({left_out} more errors in the window were left out of the log)"
            ));
        }
        Some(line)
    }
}

fn clip(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(message: &str) -> UiErrorReport {
        UiErrorReport {
            kind: "error".into(),
            message: message.into(),
            source: Some("tauri://localhost/assets/index.js".into()),
            line: Some(12),
            column: Some(7),
            stack: Some("f@index.js:12:7".into()),
        }
    }

    #[test]
    fn a_report_becomes_one_line_with_where_and_the_stack() {
        let line = UiErrors::default().line(&report("x is undefined")).unwrap();
        assert_eq!(
            line,
            "uncaught error in the window: x is undefined at tauri://localhost/assets/index.js:12:7\nf@index.js:12:7"
        );
        let rejection = UiErrorReport {
            kind: "unhandledrejection".into(),
            source: None,
            stack: None,
            ..report("boom")
        };
        assert_eq!(
            UiErrors::default().line(&rejection).unwrap(),
            "unhandled promise rejection in the window: boom"
        );
    }

    #[test]
    fn a_flood_is_cut_off_and_counted_in_the_next_window() {
        let errors = UiErrors::default();
        let start = Instant::now();
        let logged = (0..25)
            .filter(|i| errors.line_at(&report(&format!("e{i}")), start).is_some())
            .count();
        assert_eq!(logged, BURST);
        let next = errors
            .line_at(&report("later"), start + BURST_WINDOW)
            .unwrap();
        assert!(
            next.ends_with("(15 more errors in the window were left out of the log)"),
            "{next}"
        );
    }

    #[test]
    fn a_huge_message_is_clipped() {
        let line = UiErrors::default()
            .line(&report(&"é".repeat(10_000)))
            .unwrap();
        assert!(line.chars().count() < 2_300, "{}", line.chars().count());
        assert!(line.contains("é…"));
    }
}
