//! The inventory file: `inventory.json` in the app's data dir. It holds gateways and meters as
//! [`Gateway`] and [`Meter`], which carry no secret, under a schema version.
//!
//! Writes are atomic: the new content goes to a temporary file in the same directory, is synced to
//! disk, and then renamed over the old file, so a crash leaves either the old file or the new one,
//! never half of one.

use crate::error::{InventoryError, Result};
use crate::model::{Gateway, Meter};
use serde::{Deserialize, Serialize};
use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The identifier the app is installed under (tauri.conf.json); its data dir is named after it.
pub const APP_IDENTIFIER: &str = "com.push3desk.Push3Desk";
pub const FILE_NAME: &str = "inventory.json";
/// Bumped on any change a previous version could misread.
pub const SCHEMA_VERSION: u32 = 1;

/// The data dir the app uses (Tauri's `app_data_dir`: the platform data dir joined with the app
/// identifier), so the CLI and the app share one inventory.
pub fn default_data_dir() -> Result<PathBuf> {
    dirs::data_dir()
        .map(|dir| dir.join(APP_IDENTIFIER))
        .ok_or_else(|| InventoryError::io("Cannot find this user's data directory (is $HOME set?)"))
}

/// The whole file, as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct InventoryDocument {
    pub schema_version: u32,
    pub gateways: Vec<Gateway>,
    pub meters: Vec<Meter>,
}

impl Default for InventoryDocument {
    fn default() -> Self {
        Self {
            schema_version: SCHEMA_VERSION,
            gateways: Vec::new(),
            meters: Vec::new(),
        }
    }
}

/// Only the schema version, read first so a newer file is refused rather than misread.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SchemaProbe {
    schema_version: u32,
}

#[derive(Debug, Clone)]
pub(crate) struct InventoryFile {
    path: PathBuf,
}

impl InventoryFile {
    pub fn in_dir(data_dir: &Path) -> Self {
        Self {
            path: data_dir.join(FILE_NAME),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The saved inventory, or an empty one when nothing was saved yet. Reading never creates the
    /// file or its directory.
    pub fn load(&self) -> Result<InventoryDocument> {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(text) => text,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Ok(InventoryDocument::default())
            }
            Err(e) => return Err(self.io_error("read", &e)),
        };
        let unreadable = |e: serde_json::Error| {
            InventoryError::io(format!(
                "The inventory file {} is damaged ({e}); restore it from a backup or move it away \
                 to start with an empty inventory",
                self.path.display()
            ))
        };
        let probe: SchemaProbe = serde_json::from_str(&text).map_err(unreadable)?;
        if probe.schema_version != SCHEMA_VERSION {
            return Err(InventoryError::io(format!(
                "The inventory file {} has schema version {}, but this Push3 Desk reads version \
                 {SCHEMA_VERSION}; update Push3 Desk",
                self.path.display(),
                probe.schema_version
            )));
        }
        serde_json::from_str(&text).map_err(unreadable)
    }

    /// Replaces the file atomically, creating the data dir if needed.
    pub fn save(&self, document: &InventoryDocument) -> Result<()> {
        let mut json = serde_json::to_vec_pretty(document)
            .map_err(|e| InventoryError::io(format!("Cannot encode the inventory: {e}")))?;
        json.push(b'\n');
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| self.io_error("create the folder of", &e))?;
        }
        replace_atomically(&self.path, |file| file.write_all(&json))
            .map_err(|e| self.io_error("write", &e))
    }

    fn io_error(&self, action: &str, e: &io::Error) -> InventoryError {
        InventoryError::io(format!(
            "Cannot {action} the inventory file {}: {e}",
            self.path.display()
        ))
    }
}

/// Writes a temporary file next to `path` with `write`, syncs it, and renames it over `path`.
/// If `write` fails (or the process dies) before the rename, `path` is untouched; the temporary
/// file is removed on failure and, after a hard crash, is a stray `.inventory.json.*` file that
/// nothing reads.
pub(crate) fn replace_atomically(
    path: &Path,
    write: impl FnOnce(&mut File) -> io::Result<()>,
) -> io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let prefix = format!(
        ".{}.",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("tmp")
    );
    let mut temp = tempfile::Builder::new()
        .prefix(&prefix)
        .suffix(".tmp")
        .tempfile_in(dir)?;
    write(temp.as_file_mut())?;
    temp.as_file().sync_all()?;
    temp.persist(path).map_err(|e| e.error)?;
    sync_dir(dir)
}

/// On Unix the rename itself is only durable once the directory is synced.
#[cfg(unix)]
fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use push3::{MeterAddress, MeterVersion};

    fn sample() -> InventoryDocument {
        InventoryDocument {
            schema_version: SCHEMA_VERSION,
            gateways: vec![Gateway {
                id: "gw1".into(),
                name: "Main".into(),
                api_url: "https://api.ekmpush.com".into(),
                note: String::new(),
                has_token: false,
                key_hint: "••••MDIw".into(),
            }],
            meters: vec![Meter {
                address: MeterAddress::parse("350000900").unwrap(),
                nickname: "Boiler".into(),
                version: MeterVersion::V5,
                gateway_id: "gw1".into(),
                tags: vec!["north".into()],
                has_password: false,
            }],
        }
    }

    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn saved_inventory_loads_back_with_its_schema_version() {
        let dir = tempfile::tempdir().unwrap();
        let file = InventoryFile::in_dir(&dir.path().join("nested"));
        file.save(&sample()).unwrap();
        assert_eq!(file.load().unwrap(), sample());
        let raw: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(file.path()).unwrap()).unwrap();
        assert_eq!(raw["schemaVersion"], 1);
        assert_eq!(entries(&dir.path().join("nested")), vec![FILE_NAME]);
    }

    #[test]
    fn loading_before_any_save_is_empty_and_creates_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let data_dir = dir.path().join("never-created");
        assert_eq!(
            InventoryFile::in_dir(&data_dir).load().unwrap(),
            InventoryDocument::default()
        );
        assert!(!data_dir.exists());
    }

    #[test]
    fn a_failed_write_keeps_the_old_file_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = InventoryFile::in_dir(dir.path());
        file.save(&sample()).unwrap();
        let before = std::fs::read(file.path()).unwrap();
        let failed = replace_atomically(file.path(), |f| {
            f.write_all(b"{\"schemaVersion\": 1, \"gatew")?;
            Err(io::Error::other("disk full"))
        });
        assert_eq!(failed.unwrap_err().to_string(), "disk full");
        assert_eq!(std::fs::read(file.path()).unwrap(), before);
        assert_eq!(entries(dir.path()), vec![FILE_NAME]);
    }

    const CRASH_DIR_ENV: &str = "PUSH3_INVENTORY_TEST_CRASH_DIR";

    /// Runs itself again as a child process that dies (abort, no unwinding, no destructors) in
    /// the middle of writing, which is what a power cut or a kill does.
    #[test]
    fn a_crash_mid_write_leaves_the_old_file_whole() {
        if let Some(dir) = std::env::var_os(CRASH_DIR_ENV) {
            let path = Path::new(&dir).join(FILE_NAME);
            let _ = replace_atomically(&path, |f| {
                f.write_all(b"{\"schemaVersion\": 1, \"gatew")?;
                f.sync_all()?;
                std::process::abort()
            });
            unreachable!("the child aborts mid-write");
        }
        let dir = tempfile::tempdir().unwrap();
        let file = InventoryFile::in_dir(dir.path());
        file.save(&sample()).unwrap();
        let status = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "store::tests::a_crash_mid_write_leaves_the_old_file_whole",
            ])
            .env(CRASH_DIR_ENV, dir.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .unwrap();
        assert!(!status.success(), "the child should have died mid-write");
        assert_eq!(file.load().unwrap(), sample());
        let names = entries(dir.path());
        assert_eq!(
            names.len(),
            2,
            "the old file and the dead writer's stray temp file: {names:?}"
        );
        assert!(
            names[0].starts_with(".inventory.json.") && names[0].ends_with(".tmp"),
            "{names:?}"
        );
        // The next save works alongside the stray file and is read back whole.
        let mut changed = sample();
        changed.gateways[0].name = "Renamed".into();
        file.save(&changed).unwrap();
        assert_eq!(file.load().unwrap(), changed);
    }

    #[test]
    fn a_file_from_a_newer_version_is_refused_not_misread() {
        let dir = tempfile::tempdir().unwrap();
        let file = InventoryFile::in_dir(dir.path());
        std::fs::write(file.path(), r#"{"schemaVersion": 2, "gateways": {}}"#).unwrap();
        let e = file.load().unwrap_err();
        assert_eq!(e.code(), "io");
        assert!(e.message().contains("schema version 2"), "{e}");
    }

    #[test]
    fn a_damaged_file_is_reported_with_its_path() {
        let dir = tempfile::tempdir().unwrap();
        let file = InventoryFile::in_dir(dir.path());
        std::fs::write(file.path(), "{\"schemaVersion\": 1, \"gatew").unwrap();
        let e = file.load().unwrap_err();
        assert_eq!(e.code(), "io");
        assert!(
            e.message().contains(&file.path().display().to_string()),
            "{e}"
        );
    }

    #[test]
    fn the_default_data_dir_is_named_after_the_app_identifier() {
        let dir = default_data_dir().unwrap();
        assert_eq!(dir.file_name().unwrap(), APP_IDENTIFIER);
    }
}
