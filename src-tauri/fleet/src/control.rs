//! Pause, resume and stop a running job from elsewhere (the UI's buttons, Ctrl-C in the CLI).

use serde::Serialize;
use std::sync::Arc;
use tokio::sync::watch;

/// What a job should be doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum RunMode {
    /// Start meters as slots free up.
    Running,
    /// Start no new meter; those under way finish their commands.
    Paused,
    /// Like paused, and the run returns once nothing is under way. Meters not started are
    /// `Stopped`; a later run (after [`Control::resume`]) starts them.
    Stopped,
}

/// A cheap, cloneable handle on a job's run mode.
#[derive(Debug, Clone)]
pub struct Control {
    mode: Arc<watch::Sender<RunMode>>,
}

impl Default for Control {
    fn default() -> Self {
        Self::new()
    }
}

impl Control {
    /// Starts in [`RunMode::Running`].
    pub fn new() -> Self {
        Self {
            mode: Arc::new(watch::Sender::new(RunMode::Running)),
        }
    }

    pub fn pause(&self) {
        self.mode.send_replace(RunMode::Paused);
    }

    pub fn resume(&self) {
        self.mode.send_replace(RunMode::Running);
    }

    pub fn stop(&self) {
        self.mode.send_replace(RunMode::Stopped);
    }

    pub fn mode(&self) -> RunMode {
        *self.mode.borrow()
    }

    pub(crate) fn watch(&self) -> watch::Receiver<RunMode> {
        self.mode.subscribe()
    }
}
