//! With no Secret Service to talk to, adding a gateway fails with `keychain_unavailable` and a
//! message telling the user what to do, and nothing is written: no inventory file, no folder,
//! and certainly no plain-file fallback holding the key.
//!
//! The keychain is reached through the session bus named in the environment, which a test must
//! not change for its siblings running in the same process; so the operation runs in a child
//! process of this test binary, with its own environment.

mod common;

use common::*;
use push3_inventory::{Inventory, NewGateway, Secret, SystemKeychain, UNAVAILABLE_ADVICE};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

const KEY: &str = "NoBusKey-5f1e9c2a7b";
const TEST_NAME: &str = "without_a_secret_service_adding_a_gateway_fails_and_writes_nothing";

/// Child side: try to add a gateway in the given data dir and print the error as IPC would.
fn add_gateway_and_report(data_dir: &Path) {
    let inventory = Inventory::with_keychain(
        data_dir,
        SystemKeychain::new(format!(
            "com.push3desk.Push3Desk.test.nobus.{}",
            uuid::Uuid::new_v4().simple()
        )),
    );
    let result = inventory.add_gateway(NewGateway::new("Main", Secret::new(KEY)));
    let report = match result {
        Ok(gateway) => serde_json::json!({"unexpected_success": gateway}),
        Err(e) => serde_json::to_value(&e).unwrap(),
    };
    println!("\n{CHILD_RESULT_MARKER}{report}");
}

/// Environments in which libdbus cannot reach any session bus: a bus address naming a socket
/// that does not exist, and no address at all (libdbus then looks in $XDG_RUNTIME_DIR/bus and
/// tries to autolaunch a bus, which it cannot do without $DISPLAY).
fn without_a_bus(mut command: Command, case: &str, runtime_dir: &Path) -> Command {
    command
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env("XDG_RUNTIME_DIR", runtime_dir);
    match case {
        "socket that does not exist" => {
            command.env(
                "DBUS_SESSION_BUS_ADDRESS",
                "unix:path=/nonexistent/push3-test-bus",
            );
        }
        _ => {
            command.env_remove("DBUS_SESSION_BUS_ADDRESS");
        }
    }
    command
}

#[test]
fn without_a_secret_service_adding_a_gateway_fails_and_writes_nothing() {
    if let Some(data_dir) = std::env::var_os(CHILD_DATA_DIR_ENV) {
        add_gateway_and_report(Path::new(&data_dir));
        return;
    }
    for case in [
        "socket that does not exist",
        "no bus address and no display",
    ] {
        let scratch = tempfile::tempdir().unwrap();
        let data_dir = scratch.path().join("com.push3desk.Push3Desk");
        let runtime_dir = scratch.path().join("runtime");
        std::fs::create_dir(&runtime_dir).unwrap();
        let child = without_a_bus(this_test_as_child(TEST_NAME, &data_dir), case, &runtime_dir);
        let output = run_with_limit(child, Duration::from_secs(60));
        let error = child_result(&output);

        assert_eq!(error["code"], "keychain_unavailable", "{case}: {error}");
        let message = error["message"].as_str().unwrap();
        assert!(message.starts_with(UNAVAILABLE_ADVICE), "{case}: {message}");
        eprintln!("{case}: {message}");
        assert!(!message.contains(KEY), "{case}: the message shows the key");
        assert!(
            output.status.success(),
            "{case}: the child crashed: {output:?}"
        );
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
