//! Tauri commands: one-line forwards into the domain, grouped by topic. Each command here must
//! also be listed in build.rs and granted in capabilities/default.json.

pub mod app;
pub mod meters;
