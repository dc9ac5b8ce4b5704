//! Running the built `push3` against one test's own inventory: a data dir in a temp folder and a
//! keychain service no other test uses, plus what libsecret's own `secret-tool` (not our code)
//! sees under that service and a search of the data dir for a secret's text.

// Each test file uses a different subset of these helpers.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

/// A keychain call that waits for a prompt nobody can answer must fail the test, not stall it.
const RUN_LIMIT: Duration = Duration::from_secs(60);

/// One test's inventory: a fresh data dir and a unique keychain service. Whatever a failing test
/// left in the keychain is cleared on drop.
pub struct TestInventory {
    dir: tempfile::TempDir,
    service: String,
    /// Extra environment for every run, e.g. a D-Bus address that leads nowhere.
    env: Vec<(String, Option<String>)>,
}

impl TestInventory {
    pub fn new(test: &str) -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
            service: format!(
                "com.push3desk.Push3Desk.test.cli.{test}.{}",
                uuid::Uuid::new_v4().simple()
            ),
            env: Vec::new(),
        }
    }

    /// The data dir passed as `PUSH3_DATA_DIR`; it does not exist until push3 writes to it.
    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("push3-data")
    }

    pub fn service(&self) -> &str {
        &self.service
    }

    pub fn set_env(&mut self, name: &str, value: &str) {
        self.env.push((name.into(), Some(value.into())));
    }

    pub fn remove_env(&mut self, name: &str) {
        self.env.push((name.into(), None));
    }

    /// `push3 ARGS` with `stdin` piped in, against this inventory. `PUSH3_KEY` and `PUSH3_TOKEN`
    /// are unset so only the keychain can supply a key. Blocking: call it through `spawn_blocking` from async
    /// tests so the simulator keeps serving.
    pub fn push3(&self, args: &[&str], stdin: &str) -> Output {
        run_with_limit(self.push3_command(args), stdin.as_bytes())
    }

    /// `push3 ARGS` against this inventory, for a test that runs it itself.
    pub fn push3_command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_push3"));
        command
            .args(args)
            .env_remove("PUSH3_KEY")
            .env_remove("PUSH3_TOKEN")
            .env("PUSH3_DATA_DIR", self.data_dir())
            .env("PUSH3_KEYCHAIN_SERVICE", &self.service);
        for (name, value) in &self.env {
            match value {
                Some(value) => command.env(name, value),
                None => command.env_remove(name),
            };
        }
        command
    }

    /// Everything the inventory holds, as the app would list it.
    pub fn gateways_and_meters(&self) -> String {
        let inventory = push3_inventory::Inventory::with_keychain(
            self.data_dir(),
            push3_inventory::SystemKeychain::new(self.service()),
        );
        format!(
            "{:?} {:?}",
            inventory.list_gateways().unwrap(),
            inventory
                .list_meters(&push3_inventory::MeterFilter::default())
                .unwrap()
        )
    }

    /// The audit log push3 writes in this data dir, opened as the app would.
    pub fn audit(&self) -> push3_audit::AuditLog {
        push3_audit::AuditLog::open(self.data_dir().join(push3_audit::FILE_NAME)).unwrap()
    }

    /// Every audit entry, newest first.
    pub fn audit_entries(&self) -> Vec<push3_audit::Entry> {
        let page = push3_audit::Page::first(push3_audit::MAX_PAGE);
        self.audit()
            .query(&push3_audit::Filter::default(), &page)
            .unwrap()
            .entries
    }

    /// The user names of the items under this service, as `secret-tool search --all` lists them.
    pub fn users_in_secret_service(&self) -> Vec<String> {
        let mut users: Vec<String> = self
            .secret_tool_search()
            .lines()
            .filter_map(|line| line.trim().strip_prefix("attribute.username = "))
            .map(str::to_string)
            .collect();
        users.sort();
        users
    }

    /// Everything `secret-tool search --all service <svc>` prints, stdout and stderr together
    /// (it prints the label and the secret on one and the attributes on the other).
    pub fn secret_tool_search(&self) -> String {
        let out = Command::new("secret-tool")
            .args(["search", "--all", "service", &self.service])
            .output()
            .expect("secret-tool is installed (libsecret-tools)");
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    }

    /// The secret text `secret-tool` reads for one user under this service.
    pub fn secret_in_secret_service(&self, user: &str) -> Option<String> {
        let out = Command::new("secret-tool")
            .args(["lookup", "service", &self.service, "username", user])
            .output()
            .expect("secret-tool is installed (libsecret-tools)");
        out.status
            .success()
            .then(|| String::from_utf8(out.stdout).unwrap())
    }
}

impl Drop for TestInventory {
    fn drop(&mut self) {
        let _ = Command::new("secret-tool")
            .args(["clear", "service", &self.service])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

/// Runs `command` with `stdin` piped in, or kills it after [`RUN_LIMIT`]. The output pipes close
/// when push3 exits, which is the event waited for.
fn run_with_limit(mut command: Command, stdin: &[u8]) -> Output {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("push3 runs");
    // push3 may exit before reading stdin (invalid input); a broken pipe then is fine.
    let _ = child.stdin.take().unwrap().write_all(stdin);
    let read_all = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            bytes
        })
    };
    let out_reader = read_all(Box::new(child.stdout.take().unwrap()));
    let err_reader = read_all(Box::new(child.stderr.take().unwrap()));
    let (done_tx, done_rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let output = (out_reader.join().unwrap(), err_reader.join().unwrap());
        let _ = done_tx.send(output);
    });
    let Ok((stdout, stderr)) = done_rx.recv_timeout(RUN_LIMIT) else {
        let _ = child.kill();
        let _ = child.wait();
        panic!("push3 did not finish within {RUN_LIMIT:?}: a keychain call hung");
    };
    Output {
        status: child.wait().unwrap(),
        stdout,
        stderr,
    }
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Every file under `dir` (recursively) whose bytes contain `needle`.
pub fn files_containing(dir: &Path, needle: &str) -> Vec<PathBuf> {
    everything_under(dir)
        .into_iter()
        .filter(|path| path.is_file())
        .filter(|path| {
            let bytes = std::fs::read(path).unwrap();
            bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
        })
        .collect()
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
