//! How the webview draws on Linux: WebKitGTK's accelerated compositing is off unless the user
//! turns it back on.
//!
//! Why off: composited, WebKitGTK's web process keeps GL surfaces and layer backing stores that a
//! page of forms and tables does not need. Measured under Xvfb (BENCHMARKS.md), turning it off
//! takes Push3 Desk's idle memory from 309 to 226 MiB PSS and its median first paint from 0.95 to
//! 0.39 s. It also sidesteps the blank windows WebKitGTK's GPU paths give on some drivers
//! (tauri-apps/tauri#5143). The cost: the CPU paints what a GPU would composite. This UI has no
//! WebGL, video or long animations.
//!
//! The switch is WebKitGTK's own `WEBKIT_DISABLE_COMPOSITING_MODE`: any value but `0` turns
//! compositing off. Push3 Desk sets it only when it is unset, so
//! `WEBKIT_DISABLE_COMPOSITING_MODE=0` at launch gives the GPU path back.

use crate::linux_default::LinuxDefault;
use std::ffi::OsStr;

/// WebKitGTK's switch, read when the webview is created.
pub const COMPOSITING_ENV: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";

/// How the webview composites, and who decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compositing {
    /// Off, because the variable was unset and Push3 Desk set it.
    OffByDefault,
    /// Off, because the user set the variable to something other than `0`.
    OffByUser,
    /// On, because the user set the variable to `0`.
    OnByUser,
    /// Not on Linux: the platform's webview decides.
    PlatformDefault,
}

impl Compositing {
    /// What the variable's value at launch means on Linux, read the way WebKitGTK reads it.
    pub fn on_linux(value: Option<&OsStr>) -> Self {
        match value {
            None => Self::OffByDefault,
            Some(v) if v == "0" => Self::OnByUser,
            Some(_) => Self::OffByUser,
        }
    }

    /// One line for the log and the support report.
    pub fn describe(self) -> &'static str {
        match self {
            Self::OffByDefault => {
                "compositing off (Push3 Desk's default on Linux; WEBKIT_DISABLE_COMPOSITING_MODE=0 turns it on)"
            }
            Self::OffByUser => "compositing off (WEBKIT_DISABLE_COMPOSITING_MODE is set)",
            Self::OnByUser => "compositing on (WEBKIT_DISABLE_COMPOSITING_MODE=0)",
            Self::PlatformDefault => "the webview's default",
        }
    }
}

static COMPOSITING: LinuxDefault<Compositing> = LinuxDefault::new(
    COMPOSITING_ENV,
    "1",
    Compositing::on_linux,
    Compositing::OffByDefault,
    Compositing::PlatformDefault,
);

/// Decides how the webview composites, and sets WebKitGTK's variable when Push3 Desk's default
/// applies. Call it first thing in `main`, before any thread starts (see `linux_default`).
pub fn choose() -> Compositing {
    COMPOSITING.choose()
}

/// What [`choose`] decided; the platform's default if it was never called (as in unit tests).
pub fn chosen() -> Compositing {
    COMPOSITING.chosen()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unset_means_push3_desk_turns_compositing_off() {
        assert_eq!(Compositing::on_linux(None), Compositing::OffByDefault);
    }

    #[test]
    fn zero_gives_the_gpu_path_back_and_any_other_value_keeps_it_off() {
        assert_eq!(
            Compositing::on_linux(Some(OsStr::new("0"))),
            Compositing::OnByUser
        );
        for value in ["1", "", "yes"] {
            assert_eq!(
                Compositing::on_linux(Some(OsStr::new(value))),
                Compositing::OffByUser,
                "{value:?}"
            );
        }
    }

    #[test]
    fn each_choice_says_how_to_change_it_or_who_made_it() {
        assert!(Compositing::OffByDefault
            .describe()
            .contains("WEBKIT_DISABLE_COMPOSITING_MODE=0 turns it on"));
        assert!(Compositing::OnByUser
            .describe()
            .starts_with("compositing on"));
        assert!(Compositing::OffByUser
            .describe()
            .starts_with("compositing off"));
    }
}
