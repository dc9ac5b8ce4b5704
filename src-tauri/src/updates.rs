//! Updates through tauri-plugin-updater: a check that downloads and verifies before it offers
//! anything, the install, and the quiet check at start that the user can turn off. Words and
//! shapes come from the domain (`push3_domain::updates`, `push3_domain::preferences`).
//!
//! Where updates come from is `plugins.updater` in tauri.conf.json, for release builds. A debug
//! build (`./x run`, the tests) has no release to update to and checks nowhere, unless the tests
//! point it at their own server and key with [`URL_ENV`] and [`PUBKEY_ENV`]; a release build
//! ignores both, so nothing in the environment can redirect an installed app's updates.

use push3_domain::updates::{Refusal, UpdateCheck};
use push3_domain::IpcError;
use std::sync::Mutex;
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_updater::{Error, Update, UpdaterExt};

/// Debug builds only: the release manifest's URL.
pub const URL_ENV: &str = "PUSH3_DESK_UPDATE_URL";
/// Debug builds only: the update key (the base64 minisign public key, as in tauri.conf.json).
pub const PUBKEY_ENV: &str = "PUSH3_DESK_UPDATE_PUBKEY";

/// The update downloaded and verified by the last check, waiting for the user's word.
#[derive(Default)]
pub struct ReadyUpdate(Mutex<Option<(Update, Vec<u8>)>>);

fn current<R: Runtime>(app: &AppHandle<R>) -> String {
    app.package_info().version.to_string()
}

fn updater<R: Runtime>(
    app: &AppHandle<R>,
) -> Result<Option<tauri_plugin_updater::Updater>, IpcError> {
    let builder = app.updater_builder();
    let builder = if cfg!(debug_assertions) {
        let (Ok(url), Ok(pubkey)) = (std::env::var(URL_ENV), std::env::var(PUBKEY_ENV)) else {
            return Ok(None);
        };
        let url = url
            .parse()
            .map_err(|e| IpcError::internal(format!("{URL_ENV}: {e}")))?;
        builder
            .endpoints(vec![url])
            .map_err(|e| IpcError::internal(e.to_string()))?
            .pubkey(pubkey)
    } else {
        builder
    };
    builder.build().map(Some).map_err(|e| refusal(e, "").into())
}

/// Looks for a newer version; when there is one, downloads it and checks its signature before
/// saying it is ready. `quiet` is the check at start: skipped when the user turned it off.
pub async fn check<R: Runtime>(app: &AppHandle<R>, quiet: bool) -> Result<UpdateCheck, IpcError> {
    let current = current(app);
    if quiet && !crate::preferences::load(app).check_for_updates_at_start {
        return Ok(UpdateCheck::Skipped {
            reason: "The check at start is turned off.".into(),
        });
    }
    let Some(updater) = updater(app)? else {
        return Ok(UpdateCheck::Skipped {
            reason: "A development build has no releases to update to.".into(),
        });
    };
    let found = updater.check().await.map_err(|e| refusal(e, ""))?;
    let Some(update) = found else {
        log::info!("update check: {current} is the latest");
        return Ok(UpdateCheck::UpToDate { current });
    };
    let version = update.version.clone();
    log::info!("update check: {version} found, downloading it");
    let bytes = update.download(|_, _| {}, || {}).await.map_err(|e| {
        let refusal = refusal(e, &version);
        log::warn!("update to {version} refused: {refusal:?}");
        refusal
    })?;
    log::info!(
        "update {version} downloaded ({} bytes), signature verified",
        bytes.len()
    );
    let ready = UpdateCheck::Ready {
        current,
        version,
        notes: update.body.clone(),
        date: update.date.map(|d| d.to_string()),
    };
    *app.state::<ReadyUpdate>().0.lock().expect("update lock") = Some((update, bytes));
    Ok(ready)
}

/// Installs the update the last check made ready, then restarts into it. The installer verifies
/// the signature once more.
pub fn install<R: Runtime>(app: &AppHandle<R>) -> Result<(), IpcError> {
    let Some((update, bytes)) = app
        .state::<ReadyUpdate>()
        .0
        .lock()
        .expect("update lock")
        .take()
    else {
        return Err(IpcError::not_found(
            "No update is ready: check for updates first.",
        ));
    };
    let version = update.version.clone();
    update
        .install(&bytes)
        .map_err(|e| IpcError::from(refusal(e, &version)))?;
    log::info!("update {version} installed; restarting");
    app.restart()
}

/// The updater's error as the domain's reason. `version` is the update's, when known.
fn refusal(error: Error, version: &str) -> Refusal {
    match error {
        Error::Minisign(e) => Refusal::BadSignature {
            version: version.to_owned(),
            detail: e.to_string(),
        },
        Error::Base64(_) | Error::SignatureUtf8(_) => Refusal::BadSignature {
            version: version.to_owned(),
            detail: "the signature is not a minisign signature".into(),
        },
        Error::SignedVersionMismatch { signed, announced } => {
            Refusal::SignedForAnotherVersion { signed, announced }
        }
        Error::MissingSignedVersion => Refusal::UnversionedSignature {
            version: version.to_owned(),
        },
        Error::Reqwest(e) => Refusal::Unreachable {
            detail: e.to_string(),
        },
        Error::Network(detail) => Refusal::Unreachable { detail },
        Error::ReleaseNotFound => Refusal::NoRelease,
        Error::TargetNotFound(t) => Refusal::NoBuild { targets: t },
        Error::TargetsNotFound(t) => Refusal::NoBuild {
            targets: t.join(", "),
        },
        other => Refusal::Other {
            detail: other.to_string(),
        },
    }
}
