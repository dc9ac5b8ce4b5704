//! What the desktop shows of a fleet job outside the window: its progress on the taskbar or dock
//! while it runs, and its result as an OS notification when it ends while the user works in
//! another window. A bulk job on a hundred meters runs for minutes; nobody should have to keep
//! the window in front to learn that it finished, or that it finished with failures.

use super::in_flight::JobKind;
use push3_fleet::{Counts, JobEvent, Report};

/// The taskbar or dock entry's progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Taskbar {
    /// Meters are being worked on; `percent` of them have finished.
    Running { percent: u8 },
    /// Some meter failed or stayed unconfirmed: the bar turns to its error colour, so a glance
    /// at the taskbar tells that the report needs reading.
    Troubled { percent: u8 },
    /// Paused by the user.
    Paused { percent: u8 },
    /// No job: the bar is taken away.
    Cleared,
}

impl Taskbar {
    /// The bar after `event`, from the bar as it was (`last`); `None` when the event does not
    /// move it.
    pub fn after(last: Option<Taskbar>, event: &JobEvent) -> Option<Self> {
        match event {
            JobEvent::Progress(p) => {
                let percent = percent(p.finished, p.total);
                Some(if troubled(&p.counts) {
                    Taskbar::Troubled { percent }
                } else {
                    Taskbar::Running { percent }
                })
            }
            // Paused at the last known progress.
            JobEvent::Paused => Some(Taskbar::Paused {
                percent: match last {
                    Some(Taskbar::Running { percent })
                    | Some(Taskbar::Troubled { percent })
                    | Some(Taskbar::Paused { percent }) => percent,
                    _ => 0,
                },
            }),
            _ => None,
        }
    }
}

impl Taskbar {
    /// The bar's state, without its percent.
    pub fn state(self) -> &'static str {
        match self {
            Taskbar::Running { .. } => "running",
            Taskbar::Troubled { .. } => "troubled",
            Taskbar::Paused { .. } => "paused",
            Taskbar::Cleared => "cleared",
        }
    }
}

fn percent(finished: usize, total: usize) -> u8 {
    if total == 0 {
        return 100;
    }
    // Rounded down, so 100% means every meter has finished, never 99.6% shown as done.
    (finished.min(total) * 100 / total) as u8
}

fn troubled(counts: &Counts) -> bool {
    counts.failed + counts.unconfirmed > 0
}

/// An OS notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub title: String,
    pub body: String,
}

/// The notification for a job that ended with `report`. The title says whether the job needs
/// attention; the body gives every non-zero count, failures first, since those are what the user
/// has to act on.
pub fn finished(kind: JobKind, report: &Report) -> Notice {
    let what = match kind {
        JobKind::Bulk => "Bulk apply",
        JobKind::RelayGroups => "Relay groups",
    };
    let c = &report.counts;
    let total = report.rows.len();
    let how = if c.stopped > 0 || c.pending > 0 {
        "stopped"
    } else if troubled(c) {
        "finished with problems"
    } else {
        "finished"
    };
    let parts: Vec<String> = [
        (c.failed, "failed"),
        (c.unconfirmed, "unconfirmed"),
        (c.confirmed, "confirmed"),
        (c.skipped, "skipped"),
        (c.stopped + c.pending, "not done"),
    ]
    .iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, label)| format!("{n} {label}"))
    .collect();
    let meters = if total == 1 { "meter" } else { "meters" };
    Notice {
        title: format!("{what} {how}"),
        body: if parts.is_empty() {
            format!("{total} {meters}.")
        } else {
            format!("{} of {total} {meters}.", parts.join(", "))
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use push3_fleet::Progress;

    fn counts(confirmed: usize, failed: usize, unconfirmed: usize, stopped: usize) -> Counts {
        Counts {
            confirmed,
            failed,
            unconfirmed,
            stopped,
            ..Counts::default()
        }
    }

    fn report(counts: Counts, total: usize) -> Report {
        let mut rows = Vec::new();
        for _ in 0..total {
            rows.push(push3_fleet::ReportRow {
                at: push3_fleet::MeterRef {
                    gateway_id: "g".into(),
                    meter: "000300001234".parse().unwrap(),
                },
                state: push3_fleet::MeterState::Pending,
                commands: Vec::new(),
            });
        }
        Report { counts, rows }
    }

    #[test]
    fn a_clean_job_says_finished_with_its_count() {
        let n = finished(JobKind::Bulk, &report(counts(100, 0, 0, 0), 100));
        assert_eq!(n.title, "Bulk apply finished");
        assert_eq!(n.body, "100 confirmed of 100 meters.");
    }

    #[test]
    fn failures_come_first_and_change_the_title() {
        let n = finished(JobKind::RelayGroups, &report(counts(97, 2, 1, 0), 100));
        assert_eq!(n.title, "Relay groups finished with problems");
        assert_eq!(
            n.body,
            "2 failed, 1 unconfirmed, 97 confirmed of 100 meters."
        );
    }

    #[test]
    fn a_stopped_job_says_so_and_counts_what_was_not_done() {
        let n = finished(JobKind::Bulk, &report(counts(3, 0, 0, 7), 10));
        assert_eq!(n.title, "Bulk apply stopped");
        assert_eq!(n.body, "3 confirmed, 7 not done of 10 meters.");
    }

    #[test]
    fn one_meter_is_singular() {
        let n = finished(JobKind::Bulk, &report(counts(1, 0, 0, 0), 1));
        assert_eq!(n.body, "1 confirmed of 1 meter.");
    }

    fn progress(finished: usize, total: usize, counts: Counts) -> JobEvent {
        JobEvent::Progress(Progress {
            finished,
            total,
            in_flight: 0,
            counts,
        })
    }

    #[test]
    fn the_bar_follows_finished_meters_rounded_down() {
        let c = counts(2, 0, 0, 0);
        assert_eq!(
            Taskbar::after(None, &progress(2, 3, c)),
            Some(Taskbar::Running { percent: 66 })
        );
        assert_eq!(
            Taskbar::after(None, &progress(199, 200, c)),
            Some(Taskbar::Running { percent: 99 })
        );
        assert_eq!(
            Taskbar::after(None, &progress(0, 0, c)),
            Some(Taskbar::Running { percent: 100 })
        );
    }

    #[test]
    fn a_failure_turns_the_bar_to_trouble_until_the_end() {
        assert_eq!(
            Taskbar::after(None, &progress(5, 10, counts(4, 1, 0, 0))),
            Some(Taskbar::Troubled { percent: 50 })
        );
        assert_eq!(
            Taskbar::after(None, &progress(6, 10, counts(5, 0, 1, 0))),
            Some(Taskbar::Troubled { percent: 60 })
        );
    }

    #[test]
    fn pausing_keeps_the_last_percent() {
        let paused = &JobEvent::Paused;
        assert_eq!(
            Taskbar::after(Some(Taskbar::Troubled { percent: 40 }), paused),
            Some(Taskbar::Paused { percent: 40 })
        );
        assert_eq!(
            Taskbar::after(None, paused),
            Some(Taskbar::Paused { percent: 0 })
        );
    }
}
