//! What the About line shows: the app's name and this build's version.

use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct AppInfo {
    pub name: String,
    pub version: String,
}

impl AppInfo {
    /// The workspace shares one version, so this crate's is the app's.
    pub fn of_this_build() -> Self {
        Self {
            name: "Push3 Desk".into(),
            version: env!("CARGO_PKG_VERSION").into(),
        }
    }
}
