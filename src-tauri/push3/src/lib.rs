//! Push3: a Tauri-free client for EKM's Push3 Device Settings API.
//!
//! It knows HTTP, JSON and Push3, and nothing of windows: the app, the `push3` CLI and the
//! simulator all build on it.

pub mod address;
pub mod error;
pub mod secret;
pub mod version;

pub use address::MeterAddress;
pub use error::ValidationError;
pub use secret::Secret;
pub use version::MeterVersion;
