//! Closing the window while work is under way asks first. A fleet job stopped mid-way leaves
//! meters half done, and a command waiting for its answer leaves its fate unknown until someone
//! checks, so the window (which has been listening since it loaded) is told what would stop and
//! asks; quitting anyway is then the user's explicit choice. With nothing under way, or no window
//! listening, it closes at once: the editors' drafts are in the store already.

use push3_domain::desk::in_flight::WorkInFlight;
use push3_domain::desk::Desk;
use std::sync::Mutex;
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, RunEvent, Runtime, Window, WindowEvent};

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
    if let WindowEvent::CloseRequested { api, .. } = event {
        if asked_first(window.app_handle(), "close") {
            api.prevent_close();
        }
    }
}

/// Handles a quit the user asked for without closing the window (Cmd+Q on macOS, the app menu's
/// Quit). A quit the app itself makes, the answer to the question ([`AppHandle::exit`]), has an
/// exit code and goes ahead.
pub fn on_run_event<R: Runtime>(app: &AppHandle<R>, event: &RunEvent) {
    if let RunEvent::ExitRequested {
        code: None, api, ..
    } = event
    {
        if asked_first(app, "quit") {
            api.prevent_exit();
        }
    }
}

/// Whether the user is being asked first, so the close or quit must wait for the answer.
fn asked_first<R: Runtime>(app: &AppHandle<R>, what: &str) -> bool {
    let Some(desk) = app.try_state::<Desk>() else {
        return false;
    };
    let work = desk.work_in_flight();
    if work.is_empty() {
        return false;
    }
    if app.state::<CloseQuestion>().ask(work.clone()) {
        log::info!(
            "{what} requested with {} job(s) and {} command(s) under way: asking first",
            work.jobs.len(),
            work.commands.len()
        );
        true
    } else {
        log::warn!("{what} with work under way: the window could not be asked");
        false
    }
}
