//! How the webview runs the UI's JavaScript on Linux: JavaScriptCore's optimizing JIT (DFG, and
//! FTL, which builds on it) is off unless the user turns it back on. The interpreter and the
//! baseline JIT still run everything.
//!
//! Why off: the optimizing tiers pay off on long-running hot loops. This UI runs short event
//! handlers and Svelte updates; its heavy work (validation, planning, the fleet engine) is in
//! Rust. Yet a couple of small functions called often at startup are enough to wake the DFG
//! compiler, and its code then stays resident in the web process. Measured under Xvfb
//! (BENCHMARKS.md), off takes idle memory down by 2.2–2.6 MiB with no change to first paint.
//! The cost, measured by `./x bench-tabs`: the Time of use tab, which builds 1,401 elements,
//! switches in 69 ms rather than 49; every other tab within 1 ms of what it was.
//!
//! The switch is JavaScriptCore's own `JSC_useDFGJIT`, which the web process inherits from the
//! app's environment. Push3 Desk sets it only when it is unset, so `JSC_useDFGJIT=1` at launch
//! gives the optimizing tiers back.

use crate::linux_default::LinuxDefault;
use std::ffi::OsStr;

/// JavaScriptCore's switch, read when the web process starts.
pub const OPTIMIZING_JIT_ENV: &str = "JSC_useDFGJIT";

/// Whether JavaScriptCore's optimizing JIT runs, and who decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptimizingJit {
    /// Off, because the variable was unset and Push3 Desk set it.
    OffByDefault,
    /// As the user set the variable: JavaScriptCore reads its value.
    ByUser,
    /// Not on Linux: the platform's webview decides.
    PlatformDefault,
}

impl OptimizingJit {
    /// What the variable's value at launch means on Linux.
    pub fn on_linux(value: Option<&OsStr>) -> Self {
        match value {
            None => Self::OffByDefault,
            Some(_) => Self::ByUser,
        }
    }

    /// One line for the log and the support report.
    pub fn describe(self) -> &'static str {
        match self {
            Self::OffByDefault => {
                "optimizing JIT off (Push3 Desk's default on Linux; JSC_useDFGJIT=1 turns it on)"
            }
            Self::ByUser => "as JSC_useDFGJIT says (set at launch)",
            Self::PlatformDefault => "the webview's default",
        }
    }
}

static OPTIMIZING_JIT: LinuxDefault<OptimizingJit> = LinuxDefault::new(
    OPTIMIZING_JIT_ENV,
    "0",
    OptimizingJit::on_linux,
    OptimizingJit::OffByDefault,
    OptimizingJit::PlatformDefault,
);

/// Decides whether the optimizing JIT runs, and sets JavaScriptCore's variable when Push3 Desk's
/// default applies. Call it first thing in `main`, before any thread starts
/// (see `linux_default`).
pub fn choose() -> OptimizingJit {
    OPTIMIZING_JIT.choose()
}

/// What [`choose`] decided; the platform's default if it was never called (as in unit tests).
pub fn chosen() -> OptimizingJit {
    OPTIMIZING_JIT.chosen()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unset_means_push3_desk_turns_the_optimizing_jit_off() {
        assert_eq!(OptimizingJit::on_linux(None), OptimizingJit::OffByDefault);
        assert!(OptimizingJit::OffByDefault
            .describe()
            .contains("JSC_useDFGJIT=1 turns it on"));
    }

    #[test]
    fn any_value_the_user_sets_is_left_to_javascriptcore() {
        for value in ["0", "1", "true", ""] {
            assert_eq!(
                OptimizingJit::on_linux(Some(OsStr::new(value))),
                OptimizingJit::ByUser,
                "{value:?}"
            );
        }
    }
}
