//! Helpers shared by the integration tests: a keychain under a service name no other test uses,
//! what `secret-tool` (libsecret's own client, not our code) sees under it, a search of a whole
//! directory for a secret's text, and running this test binary again as a child process.

// Each test file uses a different subset of these helpers.
#![allow(dead_code)]

use push3_inventory::SystemKeychain;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

/// A keychain whose service name is unique to one test, so parallel tests never see each other's
/// entries and nothing touches the release or development service. Whatever a failing test left
/// behind is cleared when it is dropped.
pub struct TestKeychain {
    pub keychain: SystemKeychain,
}

impl TestKeychain {
    pub fn new(test: &str) -> Self {
        let service = format!(
            "com.push3desk.Push3Desk.test.{test}.{}",
            uuid::Uuid::new_v4().simple()
        );
        Self {
            keychain: SystemKeychain::new(service),
        }
    }

    pub fn service(&self) -> &str {
        self.keychain.service()
    }

    /// The user names of the items under this service, as `secret-tool search --all` lists them.
    pub fn users_in_secret_service(&self) -> Vec<String> {
        let mut users: Vec<String> = secret_tool_search(self.service())
            .lines()
            .filter_map(|line| line.trim().strip_prefix("attribute.username = "))
            .map(str::to_string)
            .collect();
        users.sort();
        users
    }

    /// The secret text `secret-tool` reads for one user under this service.
    pub fn secret_in_secret_service(&self, user: &str) -> Option<String> {
        let out = Command::new("secret-tool")
            .args(["lookup", "service", self.service(), "username", user])
            .output()
            .expect("secret-tool is installed (libsecret-tools)");
        out.status
            .success()
            .then(|| String::from_utf8(out.stdout).unwrap())
    }
}

impl Drop for TestKeychain {
    fn drop(&mut self) {
        let _ = Command::new("secret-tool")
            .args(["clear", "service", self.service()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

/// `secret-tool search --all service <svc>`, stdout and stderr together: it prints the label and
/// the secret on one and the attributes on the other.
fn secret_tool_search(service: &str) -> String {
    let out = Command::new("secret-tool")
        .args(["search", "--all", "service", service])
        .output()
        .expect("secret-tool is installed (libsecret-tools)");
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Every file under `dir` (recursively) whose bytes contain `needle`.
pub fn files_containing(dir: &Path, needle: &str) -> Vec<PathBuf> {
    let mut hits = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return hits;
    };
    for entry in entries {
        let entry = entry.unwrap();
        let path = entry.path();
        let kind = entry.file_type().unwrap();
        if kind.is_dir() {
            hits.extend(files_containing(&path, needle));
        } else if kind.is_file() {
            let bytes = std::fs::read(&path).unwrap();
            if bytes.windows(needle.len()).any(|w| w == needle.as_bytes()) {
                hits.push(path);
            }
        }
    }
    hits
}

/// Everything under `dir`, for "nothing was written" checks.
pub fn everything_under(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return found;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(everything_under(&path));
        }
        found.push(path);
    }
    found
}

/// Set in a child process to the data dir it should work in.
pub const CHILD_DATA_DIR_ENV: &str = "PUSH3_INVENTORY_TEST_CHILD_DATA_DIR";
/// The child prints its answer on one line after this marker.
pub const CHILD_RESULT_MARKER: &str = "CHILD-RESULT ";

/// A command that runs one test of this very binary, in child mode.
pub fn this_test_as_child(test_name: &str, data_dir: &Path) -> Command {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command
        .args([
            "--exact",
            test_name,
            "--include-ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_DATA_DIR_ENV, data_dir);
    command
}

/// Runs `command` to the end, or kills it after `limit`: a keychain call that hangs (waiting for
/// a prompt nobody can answer) must fail the test, not stall the suite.
pub fn run_with_limit(mut command: Command, limit: Duration) -> Output {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let stderr = child.stderr.take().unwrap();
    let (done_tx, done_rx) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        let read = |mut pipe: Box<dyn std::io::Read>| {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            bytes
        };
        let err_reader = std::thread::spawn(move || read(Box::new(stderr)));
        let out = read(Box::new(stdout));
        let err = err_reader.join().unwrap();
        let _ = done_tx.send(());
        (out, err)
    });
    if done_rx.recv_timeout(limit).is_err() {
        let _ = child.kill();
        let _ = child.wait();
        panic!("the child process did not finish within {limit:?}: a keychain call hung");
    }
    let (stdout, stderr) = reader.join().unwrap();
    let status = child.wait().unwrap();
    Output {
        status,
        stdout,
        stderr,
    }
}

/// The JSON the child printed after [`CHILD_RESULT_MARKER`].
pub fn child_result(output: &Output) -> serde_json::Value {
    let stdout = String::from_utf8_lossy(&output.stdout);
    // The test harness prints "test NAME ... " before the child's own output on the same line.
    let line = stdout
        .lines()
        .find_map(|l| l.split_once(CHILD_RESULT_MARKER).map(|(_, r)| r))
        .unwrap_or_else(|| {
            panic!(
                "the child printed no result.\nstatus: {}\nstdout:\n{stdout}\nstderr:\n{}",
                output.status,
                String::from_utf8_lossy(&output.stderr)
            )
        });
    serde_json::from_str(line).unwrap()
}
