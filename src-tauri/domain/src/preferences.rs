//! The user's app preferences that are not about meters: kept in `preferences.json` in the app's
//! config folder, next to the window's size and zoom, the desktop's place for such things. A
//! missing or damaged file gives the defaults, so a bad preference never stops the app.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use ts_rs::TS;

pub const FILE_NAME: &str = "preferences.json";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct Preferences {
    /// Look for a new version quietly a few seconds after start.
    pub check_for_updates_at_start: bool,
}

impl Default for Preferences {
    fn default() -> Self {
        Self {
            check_for_updates_at_start: true,
        }
    }
}

impl Preferences {
    pub fn file(config_dir: &Path) -> PathBuf {
        config_dir.join(FILE_NAME)
    }

    /// The preferences kept in `config_dir`; the defaults when there are none, and when the file
    /// cannot be read (with the reason, for the log).
    pub fn load(config_dir: &Path) -> (Self, Option<String>) {
        let path = Self::file(config_dir);
        match std::fs::read(&path) {
            Ok(bytes) => match serde_json::from_slice(&bytes) {
                Ok(prefs) => (prefs, None),
                Err(e) => (
                    Self::default(),
                    Some(format!("{} is ignored: {e}", path.display())),
                ),
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => (Self::default(), None),
            Err(e) => (
                Self::default(),
                Some(format!("{} is ignored: {e}", path.display())),
            ),
        }
    }

    /// As [`Preferences::save`], with the failure in words for the window.
    pub fn save_in(&self, config_dir: &Path) -> Result<(), crate::IpcError> {
        self.save(config_dir).map_err(|e| {
            crate::IpcError::io(format!(
                "Cannot save the preferences in {}: {e}",
                config_dir.display()
            ))
        })
    }

    /// Writes the preferences whole: to a temporary file first, renamed over the old one, so a
    /// crash mid-write leaves the old file, never half a new one.
    pub fn save(&self, config_dir: &Path) -> std::io::Result<()> {
        std::fs::create_dir_all(config_dir)?;
        let path = Self::file(config_dir);
        let temp = path.with_extension("json.tmp");
        std::fs::write(&temp, serde_json::to_vec_pretty(self).expect("plain JSON"))?;
        std::fs::rename(&temp, &path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_file_gives_the_defaults_and_a_saved_choice_comes_back() {
        let dir = tempfile::tempdir().unwrap();
        let (prefs, problem) = Preferences::load(dir.path());
        assert_eq!(prefs, Preferences::default());
        assert!(prefs.check_for_updates_at_start);
        assert_eq!(problem, None);

        let off = Preferences {
            check_for_updates_at_start: false,
        };
        off.save(dir.path()).unwrap();
        assert_eq!(Preferences::load(dir.path()), (off, None));
        assert!(!dir.path().join("preferences.json.tmp").exists());
    }

    #[test]
    fn a_damaged_file_gives_the_defaults_and_says_why() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(Preferences::file(dir.path()), "{not json").unwrap();
        let (prefs, problem) = Preferences::load(dir.path());
        assert_eq!(prefs, Preferences::default());
        assert!(problem.unwrap().contains("preferences.json is ignored"));
    }

    #[test]
    fn a_file_from_another_version_keeps_what_it_knows() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            Preferences::file(dir.path()),
            r#"{"checkForUpdatesAtStart": false, "somethingNewer": 3}"#,
        )
        .unwrap();
        assert!(!Preferences::load(dir.path()).0.check_for_updates_at_start);
    }
}
