//! What needs no Secret Service: with none reachable, `push3 gateway add` fails with the
//! keychain_unavailable message and stores nothing; invalid input and unknown gateways exit 2
//! before any keychain is touched; `--help` documents the exit codes.

mod common;

use common::*;
use push3_inventory::UNAVAILABLE_ADVICE;

const KEY: &str = "cli-test-key-nobus-4c2e8a6d";

#[test]
fn without_a_secret_service_gateway_add_exits_2_with_advice_and_stores_nothing() {
    let mut inventory = TestInventory::new("nobus");
    inventory.set_env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent");
    inventory.remove_env("DISPLAY");
    inventory.remove_env("WAYLAND_DISPLAY");

    let out = inventory.push3(&["gateway", "add", "Office"], &format!("{KEY}\n"));
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains(UNAVAILABLE_ADVICE), "{err}");
    assert!(stdout(&out).is_empty());
    assert!(!err.contains(KEY));
    // The store may exist by now, but holds nothing, and no file holds the key.
    assert_eq!(inventory.gateways_and_meters(), "[] []");
    assert!(files_containing(inventory.data_dir().parent().unwrap(), KEY).is_empty());
}

#[test]
fn invalid_input_exits_2_before_the_keychain_is_touched() {
    let inventory = TestInventory::new("invalid");
    let cases: [(&[&str], &str, &str); 7] = [
        (
            &["gateway", "add", "Office"],
            "",
            "stdin ended before the gateway key",
        ),
        (
            &["gateway", "add", "Office"],
            "\n",
            "the gateway key is empty",
        ),
        (
            &["gateway", "add", "Office", "--with-token"],
            "k-1234567890\n",
            "stdin ended before the API token",
        ),
        (&["gateway", "add", "  "], "k-1234567890\n", "name: "),
        (
            &[
                "gateway",
                "add",
                "Office",
                "--api-url",
                "http://example.com",
            ],
            "k-1234567890\n",
            "api_url",
        ),
        (
            &[
                "meter",
                "add",
                "1234567890123",
                "--gateway",
                "Office",
                "--version",
                "V4",
            ],
            "",
            "meter address: target_id",
        ),
        (
            &[
                "meter",
                "add",
                "1",
                "--gateway",
                "Office",
                "--version",
                "V6",
            ],
            "",
            "V3, V4 or V5",
        ),
    ];
    for (args, stdin, expected) in cases {
        let out = inventory.push3(args, stdin);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains(expected),
            "{args:?}: {}",
            stderr(&out)
        );
        assert!(
            !stderr(&out).contains("k-1234567890"),
            "{args:?}: the key was printed"
        );
    }
    assert!(everything_under(&inventory.data_dir()).is_empty());
}

#[test]
fn send_through_an_unknown_gateway_exits_2_and_the_key_variable_is_not_used() {
    let mut inventory = TestInventory::new("unknown");
    inventory.set_env("PUSH3_KEY", KEY);
    let out = inventory.push3(
        &[
            "send",
            "GetSchedules",
            "--meter",
            "350000900",
            "--gateway",
            "Office",
            "--api-url",
            "http://127.0.0.1:9",
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("There is no gateway named \"Office\""),
        "{}",
        stderr(&out)
    );
    let out = inventory.push3(&["gateway", "list"], "");
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("No gateways yet"), "{}", stdout(&out));
    let out = inventory.push3(&["meter", "list", "--json"], "");
    assert_eq!(stdout(&out).trim(), "[]");
    assert!(inventory.audit_entries().is_empty(), "nothing is on record");
}

#[test]
fn help_documents_the_exit_codes_and_that_keys_come_from_stdin() {
    let inventory = TestInventory::new("help");
    for (args, expected) in [
        (&["--help"][..], "no usable keychain"),
        (&["gateway", "--help"], "Exit codes"),
        (&["meter", "--help"], "Exit codes"),
        (&["gateway", "add", "--help"], "never a flag"),
        (&["meter", "add", "--help"], "--with-password"),
        (&["send", "--help"], "--gateway NAME"),
    ] {
        let out = inventory.push3(args, "");
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        assert!(
            stdout(&out).contains(expected),
            "{args:?}: {}",
            stdout(&out)
        );
    }
}
