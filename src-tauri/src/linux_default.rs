//! A WebKit environment variable that Push3 Desk sets on Linux when the user left it unset, so the
//! user's own value always wins. WebKitGTK and JavaScriptCore read such variables in the app and
//! in the web processes it starts, which inherit the app's environment.

use std::ffi::OsStr;
use std::sync::OnceLock;

/// One such variable, and what its value at launch meant (`C`, for the log and the report).
pub struct LinuxDefault<C: 'static> {
    /// The variable's name.
    var: &'static str,
    /// What Push3 Desk sets it to when it is unset.
    value: &'static str,
    /// What a value at launch means; `None` for unset.
    read: fn(Option<&OsStr>) -> C,
    /// What [`Self::read`] returns for unset: the case in which Push3 Desk sets the variable.
    ours: C,
    /// Off Linux, where the platform's webview decides.
    elsewhere: C,
    chosen: OnceLock<C>,
}

impl<C: Copy + PartialEq + 'static> LinuxDefault<C> {
    pub const fn new(
        var: &'static str,
        value: &'static str,
        read: fn(Option<&OsStr>) -> C,
        ours: C,
        elsewhere: C,
    ) -> Self {
        Self {
            var,
            value,
            read,
            ours,
            elsewhere,
            chosen: OnceLock::new(),
        }
    }

    /// Reads the variable and sets it when Push3 Desk's default applies; decided once. Call it
    /// first thing in `main`, before any thread starts: changing the environment while another
    /// thread may read it is undefined behaviour in glibc.
    pub fn choose(&self) -> C {
        *self.chosen.get_or_init(|| {
            if !cfg!(target_os = "linux") {
                return self.elsewhere;
            }
            let chosen = (self.read)(std::env::var_os(self.var).as_deref());
            if chosen == self.ours {
                std::env::set_var(self.var, self.value);
            }
            chosen
        })
    }

    /// What [`Self::choose`] decided; the platform's default if it was never called (as in
    /// unit tests).
    pub fn chosen(&self) -> C {
        self.chosen.get().copied().unwrap_or(self.elsewhere)
    }
}
