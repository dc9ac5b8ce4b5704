//! Updates of the app itself: what a check found, and, when an update is refused, why, in words
//! a user can act on. The check, the download and the signature check are the updater plugin's;
//! this is what the window and the log are told.
//!
//! An update is offered only once it is downloaded and its signature verified against the key
//! built into the app, so "ready to install" never turns into a refusal at the last click.

use crate::error::{ErrorCode, IpcError};
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "status", rename_all = "camelCase")]
pub enum UpdateCheck {
    /// No check was made: the quiet check at start is turned off, or this build has nowhere to
    /// look (a development build).
    #[serde(rename_all = "camelCase")]
    Skipped { reason: String },
    #[serde(rename_all = "camelCase")]
    UpToDate { current: String },
    /// Downloaded and verified; installing it restarts the app.
    #[serde(rename_all = "camelCase")]
    Ready {
        current: String,
        version: String,
        notes: Option<String>,
        /// RFC 3339, as the release manifest gives it.
        date: Option<String>,
    },
}

/// Why no update could be offered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The download does not match its signature under the app's update key: it was altered,
    /// or signed with another key.
    BadSignature {
        version: String,
        detail: String,
    },
    /// The signature is good but names another version than the manifest announces: the
    /// manifest was altered to pass an old release off as new.
    SignedForAnotherVersion {
        signed: String,
        announced: String,
    },
    /// The signature carries no version, which this app requires.
    UnversionedSignature {
        version: String,
    },
    /// The update server could not be reached or did not answer well.
    Unreachable {
        detail: String,
    },
    /// The manifest has no build for this system.
    NoBuild {
        targets: String,
    },
    /// The update server answered something that is not a release manifest.
    NoRelease,
    Other {
        detail: String,
    },
}

impl From<Refusal> for IpcError {
    fn from(refusal: Refusal) -> Self {
        match refusal {
            Refusal::BadSignature { version, detail } => IpcError::new(
                ErrorCode::UpdateRefused,
                format!(
                    "The update to {version} was refused: its signature does not match this \
                     app's update key, so it may have been altered. Nothing was installed. \
                     ({detail})"
                ),
            ),
            Refusal::SignedForAnotherVersion { signed, announced } => IpcError::new(
                ErrorCode::UpdateRefused,
                format!(
                    "The update was refused: the server announced version {announced}, but the \
                     file is signed as version {signed}. Nothing was installed."
                ),
            ),
            Refusal::UnversionedSignature { version } => IpcError::new(
                ErrorCode::UpdateRefused,
                format!(
                    "The update to {version} was refused: its signature does not say which \
                     version it is for. Nothing was installed."
                ),
            ),
            Refusal::Unreachable { detail } => IpcError::new(
                ErrorCode::Network,
                format!("The update server could not be reached: {detail}"),
            ),
            Refusal::NoBuild { targets } => IpcError::new(
                ErrorCode::Unsupported,
                format!("The new version has no build for this system ({targets})."),
            ),
            Refusal::NoRelease => IpcError::new(
                ErrorCode::BadResponse,
                "The update server did not answer with a release.",
            ),
            Refusal::Other { detail } => {
                IpcError::internal(format!("The update check failed: {detail}"))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_signature_is_refused_in_plain_words_with_its_own_code() {
        let e = IpcError::from(Refusal::BadSignature {
            version: "0.2.0".into(),
            detail: "Invalid signature".into(),
        });
        assert_eq!(e.code, ErrorCode::UpdateRefused);
        assert!(e
            .message
            .starts_with("The update to 0.2.0 was refused: its signature"));
        assert!(e.message.contains("Nothing was installed"));
    }

    #[test]
    fn a_version_swap_names_both_versions() {
        let e = IpcError::from(Refusal::SignedForAnotherVersion {
            signed: "0.1.5".into(),
            announced: "0.9.0".into(),
        });
        assert_eq!(e.code, ErrorCode::UpdateRefused);
        assert!(e.message.contains("announced version 0.9.0"));
        assert!(e.message.contains("signed as version 0.1.5"));
    }

    #[test]
    fn a_check_says_what_it_found_in_the_shape_the_window_reads() {
        let ready = UpdateCheck::Ready {
            current: "0.1.0".into(),
            version: "0.2.0".into(),
            notes: Some("Faster".into()),
            date: None,
        };
        assert_eq!(
            serde_json::to_value(&ready).unwrap(),
            serde_json::json!({
                "status": "ready", "current": "0.1.0", "version": "0.2.0",
                "notes": "Faster", "date": null
            })
        );
    }
}
