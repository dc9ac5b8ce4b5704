//! A Secret Service that is running but cannot be used: its login collection locked, or no login
//! keyring at all. Either way adding a gateway fails with a specific code and a message saying
//! what to do, and nothing is written to the data dir.
//!
//! Each case gets a private session bus (`dbus-run-session`) with its own gnome-keyring and its
//! own keyrings folder, so locking it cannot disturb the Secret Service the other tests share.
//! `DISPLAY` is removed so GNOME Keyring's unlock prompter cannot open a window and wait forever
//! for a password nobody types: the prompt fails, as it does for a headless user.

mod common;

use common::*;
use push3_inventory::{
    Inventory, NewGateway, Secret, SystemKeychain, LOCKED_ADVICE, UNAVAILABLE_ADVICE,
};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

const KEY: &str = "LockedKey-0c4d1b8e93";
const TEST_NAME: &str = "a_locked_or_missing_keyring_fails_with_its_own_code_and_writes_nothing";

/// Lock the login collection over D-Bus, as a screen lock or `secret-tool lock` would.
const LOCK: &str = "dbus-send --session --print-reply --dest=org.freedesktop.secrets \
    /org/freedesktop/secrets org.freedesktop.Secret.Service.Lock \
    array:objpath:/org/freedesktop/secrets/collection/login >/dev/null";

fn add_gateway_and_report(data_dir: &Path) {
    let inventory = Inventory::with_keychain(
        data_dir,
        SystemKeychain::new(format!(
            "com.push3desk.Push3Desk.test.locked.{}",
            uuid::Uuid::new_v4().simple()
        )),
    );
    let report = match inventory.add_gateway(NewGateway::new("Main", Secret::new(KEY))) {
        Ok(gateway) => serde_json::json!({"unexpected_success": gateway}),
        Err(e) => serde_json::to_value(&e).unwrap(),
    };
    println!("\n{CHILD_RESULT_MARKER}{report}");
}

/// This test, run as a child inside a private bus after `setup` prepared its keyring.
fn child_in_private_bus(setup: &str, data_dir: &Path, scratch: &Path) -> Command {
    let child = this_test_as_child(TEST_NAME, data_dir);
    let mut script = format!("{setup} exec \"$0\"");
    for arg in child.get_args() {
        script.push_str(&format!(" '{}'", arg.to_str().unwrap()));
    }
    let mut command = Command::new("dbus-run-session");
    command
        .args(["--", "sh", "-c", &script])
        .arg(child.get_program())
        .env(CHILD_DATA_DIR_ENV, data_dir)
        // Its own keyrings folder, and its own runtime dir so `--unlock` cannot find and reuse
        // the control socket of a gnome-keyring already running for the other tests.
        .env("XDG_DATA_HOME", scratch.join("xdg-data"))
        .env("XDG_RUNTIME_DIR", scratch)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env_remove("DBUS_SESSION_BUS_ADDRESS");
    command
}

#[test]
#[ignore = "needs a Secret Service: run by ./x test"]
fn a_locked_or_missing_keyring_fails_with_its_own_code_and_writes_nothing() {
    if let Some(data_dir) = std::env::var_os(CHILD_DATA_DIR_ENV) {
        add_gateway_and_report(Path::new(&data_dir));
        return;
    }
    let unlock_then_lock = format!(
        "echo -n pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1 && {LOCK} &&"
    );
    // No login keyring yet and nobody to create one: D-Bus starts gnome-keyring on demand, and it
    // has no collection to store into.
    let nothing_unlocked = String::new();
    let cases = [
        (
            "login collection locked",
            unlock_then_lock,
            "keychain_locked",
            LOCKED_ADVICE,
        ),
        (
            "no login keyring",
            nothing_unlocked,
            "keychain_unavailable",
            UNAVAILABLE_ADVICE,
        ),
    ];
    for (case, setup, code, advice) in cases {
        let scratch = tempfile::tempdir().unwrap();
        let data_dir = scratch.path().join("app-data");
        let child = child_in_private_bus(&setup, &data_dir, scratch.path());
        let output = run_with_limit(child, Duration::from_secs(60));
        let error = child_result(&output);

        assert_eq!(error["code"], code, "{case}: {error}");
        let message = error["message"].as_str().unwrap();
        assert!(message.starts_with(advice), "{case}: {message}");
        eprintln!("{case}: {message}");
        // The store may have been created by the attempt, but holds no gateway.
        let inventory = Inventory::with_keychain(&data_dir, SystemKeychain::new("unused"));
        assert!(
            inventory.list_gateways().unwrap().is_empty(),
            "{case}: a gateway was written: {:?}",
            everything_under(&data_dir)
        );
        assert!(
            files_containing(scratch.path(), KEY).is_empty(),
            "{case}: the key was written"
        );
    }
}
