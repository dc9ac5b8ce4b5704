//! Tauri commands: one-line forwards into the domain (push3_domain::desk), grouped by topic. Each
//! command here must also be listed in build.rs and granted in capabilities/default.json.

pub mod app;
pub mod diagnostics;
pub mod drafts;
pub mod fleet;
pub mod gateways;
pub mod meters;
pub mod programs;
pub mod send;
