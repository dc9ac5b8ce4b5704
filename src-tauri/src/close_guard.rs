//! Closing the window while work is under way asks first. A fleet job stopped mid-way leaves
//! meters half done, and a command waiting for its answer leaves its fate unknown until someone
//! checks, so the window (which has been listening since it loaded) is told what would stop and
//! asks; quitting anyway is then the user's explicit choice. With nothing under way, or no window
//! listening, it closes at once: the editors' drafts are in the store already.

use push3_domain::desk::in_flight::WorkInFlight;
use push3_domain::desk::Desk;
use std::sync::Mutex;
use tauri::ipc::Channel;
use tauri::{Manager, Runtime, Window, WindowEvent};

/// The page's channel for "the user asked to close; this would stop".
#[derive(Default)]
pub struct CloseQuestion(Mutex<Option<Channel<WorkInFlight>>>);

impl CloseQuestion {
    /// A reloaded page listens again and replaces the old channel.
    pub fn listen(&self, channel: Channel<WorkInFlight>) {
        *self.0.lock().expect("close question lock") = Some(channel);
    }

    /// Whether the page took the question; a page gone or never loaded cannot answer it.
    fn ask(&self, work: WorkInFlight) -> bool {
        let channel = self.0.lock().expect("close question lock");
        channel.as_ref().is_some_and(|c| c.send(work).is_ok())
    }
}

/// Handles a close request (the title bar's button, Alt+F4, the window manager) before the
/// window goes.
pub fn on_window_event<R: Runtime>(window: &Window<R>, event: &WindowEvent) {
    let WindowEvent::CloseRequested { api, .. } = event else {
        return;
    };
    let work = window.state::<Desk>().work_in_flight();
    if work.is_empty() {
        return;
    }
    if window.state::<CloseQuestion>().ask(work.clone()) {
        log::info!(
            "close requested with {} job(s) and {} command(s) under way: asking first",
            work.jobs.len(),
            work.commands.len()
        );
        api.prevent_close();
    } else {
        log::warn!("closing with work under way: the window could not be asked");
    }
}
