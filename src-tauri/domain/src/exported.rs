//! The files this app wrote at the user's request (templates, job reports, history), remembered
//! so "Show in folder" can open exactly those and nothing else. The window names the file to show
//! by its path; a path the app never wrote is refused, so a compromised or buggy page cannot use
//! the file manager to open arbitrary places.

use crate::IpcError;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

#[derive(Default)]
pub struct ExportedFiles(Mutex<Exports>);

#[derive(Default)]
struct Exports {
    files: HashSet<PathBuf>,
    last: Option<PathBuf>,
}

impl ExportedFiles {
    /// Remembers that the app wrote `path`.
    pub fn wrote(&self, path: &Path) {
        let mut exports = self.0.lock().expect("exported lock");
        exports.files.insert(path.to_path_buf());
        exports.last = Some(path.to_path_buf());
    }

    /// The folder of the latest export, where the next save dialog starts: exports of one task
    /// tend to go together.
    pub fn last_folder(&self) -> Option<PathBuf> {
        let exports = self.0.lock().expect("exported lock");
        exports.last.as_deref()?.parent().map(Path::to_path_buf)
    }

    /// `path` if this app exported it, and it is still there to be shown.
    pub fn to_show(&self, path: &str) -> Result<PathBuf, IpcError> {
        let path = PathBuf::from(path);
        if !self.0.lock().expect("exported lock").files.contains(&path) {
            return Err(IpcError::new(
                crate::ErrorCode::InvalidInput,
                format!(
                    "{} was not exported by Push3 Desk in this session, so it is not shown",
                    path.display()
                ),
            ));
        }
        if !path.exists() {
            return Err(IpcError::io(format!(
                "{} is no longer there: it was moved or deleted after the export",
                path.display()
            )));
        }
        Ok(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_file_the_app_wrote_is_shown() {
        let dir = tempfile::tempdir().unwrap();
        let written = dir.path().join("report.csv");
        let other = dir.path().join("other.csv");
        std::fs::write(&written, "x").unwrap();
        std::fs::write(&other, "y").unwrap();
        let exported = ExportedFiles::default();
        exported.wrote(&written);

        assert_eq!(
            exported.to_show(written.to_str().unwrap()).unwrap(),
            written
        );
        let refused = exported.to_show(other.to_str().unwrap()).unwrap_err();
        assert!(
            refused.message.contains("was not exported"),
            "{}",
            refused.message
        );
        let folder = exported.to_show(dir.path().to_str().unwrap()).unwrap_err();
        assert!(
            folder.message.contains("was not exported"),
            "{}",
            folder.message
        );
    }

    #[test]
    fn the_next_dialog_starts_where_the_last_export_went() {
        let exported = ExportedFiles::default();
        assert_eq!(exported.last_folder(), None);
        exported.wrote(Path::new("/a/one.csv"));
        exported.wrote(Path::new("/b/c/two.json"));
        assert_eq!(exported.last_folder(), Some(PathBuf::from("/b/c")));
    }

    #[test]
    fn a_file_moved_away_since_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let written = dir.path().join("t.json");
        std::fs::write(&written, "{}").unwrap();
        let exported = ExportedFiles::default();
        exported.wrote(&written);
        std::fs::remove_file(&written).unwrap();
        let gone = exported.to_show(written.to_str().unwrap()).unwrap_err();
        assert!(gone.message.contains("no longer there"), "{}", gone.message);
    }
}
