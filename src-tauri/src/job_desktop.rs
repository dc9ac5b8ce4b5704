//! A fleet job's presence outside the window: the taskbar or dock progress bar while it runs, and
//! an OS notification with its result when it ends while the window is not focused. What to show
//! is decided in the domain (`push3_domain::desk::job_notice`); this only hands it to the OS.

use push3_domain::desk::job_notice::{Notice, Taskbar};
use push3_fleet::JobEvent;
use tauri::window::{ProgressBarState, ProgressBarStatus};
use tauri::{Manager, Runtime, WebviewWindow};
use tauri_plugin_notification::NotificationExt;

pub struct JobOnDesktop<R: Runtime> {
    window: WebviewWindow<R>,
    shown: Option<Taskbar>,
}

impl<R: Runtime> JobOnDesktop<R> {
    pub fn new(window: WebviewWindow<R>) -> Self {
        Self {
            window,
            shown: None,
        }
    }

    pub fn on_event(&mut self, event: &JobEvent) {
        let Some(bar) = Taskbar::after(self.shown, event) else {
            return;
        };
        if self.shown == Some(bar) {
            return;
        }
        self.set(bar);
    }

    /// The job has ended: the bar goes, and unless the user is looking at the window, the OS
    /// shows `notice`.
    pub fn finished(mut self, notice: Notice) {
        self.set(Taskbar::Cleared);
        // An unknown focus counts as away: a notice too many beats a result nobody sees.
        if self.window.is_focused().unwrap_or(false) {
            log::info!("not notified: the window is in front");
            return;
        }
        let shown = self
            .window
            .app_handle()
            .notification()
            .builder()
            .title(&notice.title)
            .body(&notice.body)
            .show();
        match shown {
            Ok(()) => log::info!("notified: {}: {}", notice.title, notice.body),
            // Not every desktop runs a notification service; the result is in the window anyway.
            Err(e) => log::warn!("could not show the job's notification: {e}"),
        }
    }

    fn set(&mut self, bar: Taskbar) {
        let (status, progress) = match bar {
            Taskbar::Running { percent } => (ProgressBarStatus::Normal, Some(percent)),
            Taskbar::Troubled { percent } => (ProgressBarStatus::Error, Some(percent)),
            Taskbar::Paused { percent } => (ProgressBarStatus::Paused, Some(percent)),
            Taskbar::Cleared => (ProgressBarStatus::None, None),
        };
        let state = ProgressBarState {
            status: Some(status),
            progress: progress.map(u64::from),
        };
        if let Err(e) = self.window.set_progress_bar(state) {
            log::warn!("could not set the taskbar progress: {e}");
        }
        // Logged once per change of state, not per percent: enough for a support log (and the
        // end-to-end test) to tell that the bar was driven.
        if self.shown.map(Taskbar::state) != Some(bar.state()) {
            log::info!("taskbar progress: {}", bar.state());
        }
        self.shown = Some(bar);
    }
}
