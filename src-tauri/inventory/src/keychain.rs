//! Secrets in the OS keychain: Windows Credential Manager, the macOS Keychain, or the Secret
//! Service on Linux, through `keyring` 3.
//!
//! Every entry lives under one *service* name, chosen so that test and development builds never
//! touch the entries of a release install; the entry's *user* names what it holds.

use crate::error::{InventoryError, Result};
use crate::model::GatewayId;
use push3::{MeterAddress, Secret};

// keyring 3 silently falls back to an in-memory store on a platform it has no native store for;
// a key kept there would vanish on exit, so such a build must not exist.
#[cfg(not(any(
    target_os = "linux",
    target_os = "freebsd",
    target_os = "openbsd",
    target_os = "macos",
    target_os = "windows"
)))]
compile_error!(
    "push3-inventory needs a native keychain: Linux/BSD Secret Service, macOS or Windows"
);

/// One secret the inventory keeps in the keychain.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum KeychainEntry {
    GatewayKey(GatewayId),
    GatewayToken(GatewayId),
    MeterPassword(MeterAddress),
}

impl KeychainEntry {
    /// The keychain's "user" (account) of this entry, e.g. `gateway:<id>:key`.
    pub fn user_name(&self) -> String {
        match self {
            Self::GatewayKey(id) => format!("gateway:{id}:key"),
            Self::GatewayToken(id) => format!("gateway:{id}:token"),
            Self::MeterPassword(address) => format!("meter:{address}:password"),
        }
    }
}

/// Where the inventory keeps its secrets. The real one is [`SystemKeychain`]; the trait exists so
/// the operations are written against store/read/delete and nothing platform-specific.
pub trait Keychain: Send + Sync {
    /// Stores `secret` under `entry`, replacing what was there.
    fn store(&self, entry: &KeychainEntry, secret: &Secret) -> Result<()>;
    /// The secret under `entry`, or `None` when there is no such entry.
    fn read(&self, entry: &KeychainEntry) -> Result<Option<Secret>>;
    /// Deletes `entry`; deleting an entry that does not exist is not an error.
    fn delete(&self, entry: &KeychainEntry) -> Result<()>;
}

/// The OS keychain, with all entries under one service name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SystemKeychain {
    service: String,
}

impl SystemKeychain {
    /// The service name of a release build.
    pub const RELEASE_SERVICE: &'static str = "com.push3desk.Push3Desk";
    /// The service name of a debug build, so `cargo run` never reads or overwrites a real key.
    pub const DEVELOPMENT_SERVICE: &'static str = "com.push3desk.Push3Desk.dev";
    /// An explicit service name, e.g. for a test run or a second profile.
    pub const SERVICE_ENV: &'static str = "PUSH3_KEYCHAIN_SERVICE";

    /// A keychain under an explicit service name (tests use a unique one each).
    pub fn new(service: impl Into<String>) -> Self {
        Self {
            service: service.into(),
        }
    }

    /// The keychain this build should use: `$PUSH3_KEYCHAIN_SERVICE` if set, otherwise the release
    /// or the development service name depending on how the binary was built.
    pub fn for_this_build() -> Self {
        match std::env::var(Self::SERVICE_ENV) {
            Ok(service) if !service.trim().is_empty() => Self::new(service.trim()),
            _ if cfg!(debug_assertions) => Self::new(Self::DEVELOPMENT_SERVICE),
            _ => Self::new(Self::RELEASE_SERVICE),
        }
    }

    pub fn service(&self) -> &str {
        &self.service
    }

    fn entry(&self, entry: &KeychainEntry) -> Result<keyring::Entry> {
        keyring::Entry::new(&self.service, &entry.user_name()).map_err(|e| keychain_error(&e))
    }
}

impl Keychain for SystemKeychain {
    fn store(&self, entry: &KeychainEntry, secret: &Secret) -> Result<()> {
        self.entry(entry)?
            .set_password(secret.expose())
            .map_err(|e| keychain_error(&e))
    }

    fn read(&self, entry: &KeychainEntry) -> Result<Option<Secret>> {
        match self.entry(entry)?.get_password() {
            Ok(text) => Ok(Some(Secret::new(text))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(keychain_error(&e)),
        }
    }

    fn delete(&self, entry: &KeychainEntry) -> Result<()> {
        match self.entry(entry)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(keychain_error(&e)),
        }
    }
}

/// What the user should do when there is no usable keychain, in the words of their platform.
pub const UNAVAILABLE_ADVICE: &str = if cfg!(target_os = "macos") {
    "No keychain is available: open Keychain Access, make sure your login keychain exists and is \
     unlocked, then try again"
} else if cfg!(target_os = "windows") {
    "No keychain is available: Windows Credential Manager refused access; sign in to your own \
     Windows account (not a temporary profile), then try again"
} else {
    "No keychain is available: on Linux start a Secret Service such as GNOME Keyring or KWallet \
     and unlock it, then try again"
};

/// What the user should do when the keychain is there but locked.
pub const LOCKED_ADVICE: &str = if cfg!(target_os = "macos") {
    "The keychain is locked: unlock your login keychain in Keychain Access, then try again"
} else if cfg!(target_os = "windows") {
    "The keychain is locked: unlock Windows Credential Manager by signing in again, then try again"
} else {
    "The keychain is locked: unlock your login keyring (in GNOME's Passwords and Keys, or KWallet), \
     then try again"
};

/// Maps keyring's errors onto the inventory's closed set. keyring reports a locked collection in
/// two ways that only its text tells apart from "no keychain at all": `NoStorageAccess` wrapping
/// the Secret Service's "object locked" / "unlock prompt was dismissed", and `PlatformFailure`
/// wrapping GNOME Keyring's D-Bus error "Cannot create an item in a locked collection".
/// keyring's texts carry D-Bus and OS diagnostics, never the secret, so they are kept as details.
pub fn keychain_error(error: &keyring::Error) -> InventoryError {
    let detail = error.to_string();
    match error {
        keyring::Error::NoStorageAccess(_) | keyring::Error::PlatformFailure(_)
            if is_locked_text(&detail) =>
        {
            InventoryError::KeychainLocked {
                message: format!("{LOCKED_ADVICE}. Details: {detail}"),
            }
        }
        keyring::Error::NoStorageAccess(_) | keyring::Error::PlatformFailure(_) => {
            InventoryError::KeychainUnavailable {
                message: format!("{UNAVAILABLE_ADVICE}. Details: {detail}"),
            }
        }
        keyring::Error::NoEntry => InventoryError::not_found("the keychain has no such entry"),
        keyring::Error::TooLong(..) | keyring::Error::Invalid(..) => {
            InventoryError::KeychainUnavailable {
                message: format!("The keychain refused the entry: {detail}"),
            }
        }
        // BadEncoding's text is fixed ("Data is not UTF-8 encoded") and it never shows the bytes;
        // Ambiguous means two items match one entry, which only another program can cause.
        _ => InventoryError::KeychainUnavailable {
            message: format!("The keychain entry cannot be used: {detail}"),
        },
    }
}

fn is_locked_text(detail: &str) -> bool {
    let lower = detail.to_ascii_lowercase();
    lower.contains("locked") || lower.contains("prompt was dismissed")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn platform(text: &str) -> keyring::Error {
        keyring::Error::PlatformFailure(text.to_string().into())
    }

    #[test]
    fn entry_user_names_say_what_they_hold() {
        let id = GatewayId::from("3f2a");
        assert_eq!(
            KeychainEntry::GatewayKey(id.clone()).user_name(),
            "gateway:3f2a:key"
        );
        assert_eq!(
            KeychainEntry::GatewayToken(id).user_name(),
            "gateway:3f2a:token"
        );
        let address = MeterAddress::parse("350000900").unwrap();
        assert_eq!(
            KeychainEntry::MeterPassword(address).user_name(),
            "meter:000350000900:password"
        );
    }

    #[test]
    fn an_explicit_service_is_used_as_given() {
        assert_eq!(
            SystemKeychain::new("com.push3desk.Push3Desk.test.x").service(),
            "com.push3desk.Push3Desk.test.x"
        );
    }

    #[test]
    fn test_builds_use_the_override_or_the_development_service() {
        // Tests are debug builds: without the override they must never land on the release name.
        let expected = match std::env::var(SystemKeychain::SERVICE_ENV) {
            Ok(service) if !service.trim().is_empty() => service.trim().to_string(),
            _ => SystemKeychain::DEVELOPMENT_SERVICE.to_string(),
        };
        assert_eq!(SystemKeychain::for_this_build().service(), expected);
    }

    #[test]
    fn no_secret_service_is_unavailable_with_advice() {
        let e = keychain_error(&platform(
            "DBus error: Unable to autolaunch a dbus-daemon without a $DISPLAY for X11",
        ));
        assert_eq!(e.code(), "keychain_unavailable");
        assert!(e.message().starts_with(UNAVAILABLE_ADVICE), "{e}");
        assert!(e.message().contains("Unable to autolaunch"), "{e}");
        let no_access = keyring::Error::NoStorageAccess("Secret Service: no result found".into());
        assert_eq!(keychain_error(&no_access).code(), "keychain_unavailable");
    }

    #[test]
    fn a_locked_collection_is_locked_whichever_way_keyring_reports_it() {
        let created = platform("DBus error: Cannot create an item in a locked collection");
        assert_eq!(keychain_error(&created).code(), "keychain_locked");
        let locked = keyring::Error::NoStorageAccess("Secret Service: object locked".into());
        assert_eq!(keychain_error(&locked).code(), "keychain_locked");
        let dismissed =
            keyring::Error::NoStorageAccess("Secret Service: unlock prompt was dismissed".into());
        let e = keychain_error(&dismissed);
        assert_eq!(e.code(), "keychain_locked");
        assert!(e.message().starts_with(LOCKED_ADVICE), "{e}");
    }
}
