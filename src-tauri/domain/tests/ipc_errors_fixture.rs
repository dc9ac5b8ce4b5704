//! The errors the UI's component tests fake are real ones: each entry of
//! `ui/src/test/ipcErrors.fixture.json` is what a command of the app answers for a given input,
//! produced here by calling the domain exactly as the Tauri command does. The Vitest helper
//! `rustError(name)` throws only these, so a test cannot fake a code, field or wording that Rust
//! does not send. `UPDATE_FIXTURES=1` rewrites the file after a message changes.

use push3_domain::desk::Desk;
use push3_domain::IpcError;
use serde_json::{json, Value};
use std::collections::BTreeMap;

fn desk(dir: &std::path::Path) -> Desk {
    Desk::new(dir.to_path_buf(), &tokio::runtime::Handle::current()).unwrap()
}

/// Keeps nothing: for a gateway whose key no test reads.
struct NoKeychain;

impl push3_inventory::Keychain for NoKeychain {
    fn store(
        &self,
        _: &push3_inventory::KeychainEntry,
        _: &push3::Secret,
    ) -> push3_inventory::Result<()> {
        Ok(())
    }
    fn read(
        &self,
        _: &push3_inventory::KeychainEntry,
    ) -> push3_inventory::Result<Option<push3::Secret>> {
        Ok(None)
    }
    fn delete(&self, _: &push3_inventory::KeychainEntry) -> push3_inventory::Result<()> {
        Ok(())
    }
}

fn from<T: serde::de::DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value).unwrap()
}

fn err<T: std::fmt::Debug>(what: &str, result: Result<T, IpcError>) -> Value {
    match result {
        Err(e) => serde_json::to_value(e).unwrap(),
        Ok(v) => panic!("{what} was expected to fail, and answered {v:?}"),
    }
}

const V4: &str = "000350000900";
const V3: &str = "000000030001";

fn tou_with_tariff(tariff: u8) -> Value {
    let period = |hour: u8, t: u8| json!({"hour": hour, "minute": 0, "tariff": t});
    let unused = json!({"hour": 0, "minute": 0, "tariff": 0});
    let flat = json!([period(0, 1), unused, unused, unused]);
    let odd = json!([period(0, 1), period(7, 2), period(19, tariff), unused]);
    json!({
        "schedules": [flat, odd, flat, flat, flat, flat],
        "holidays": [],
        "weekend_schedule": 1,
        "holiday_schedule": 1,
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn the_ui_fakes_only_errors_rust_answers() {
    let dir = tempfile::tempdir().unwrap();
    let desk = desk(dir.path());
    let check = |meter: &str, command: &str, params: Value| {
        from::<push3_domain::desk::dispatch::CommandRequest>(
            json!({"gatewayId": "demo", "meter": meter, "command": command, "params": params}),
        )
    };
    let target = |meter: &str| {
        from::<push3_domain::desk::programs::MeterRef>(json!({"gatewayId": "demo", "meter": meter}))
    };
    let mut errors = BTreeMap::new();
    let mut add = |name: &str, error: Value| {
        assert!(
            errors.insert(name.to_string(), error).is_none(),
            "{name} twice"
        );
    };

    // check_meter_address does exactly this.
    add(
        "meter_address_12x",
        err(
            "12x",
            push3::MeterAddress::parse("12x").map_err(IpcError::from),
        ),
    );
    add(
        "ct_ratio_250",
        err(
            "CT 250",
            desk.check_command(&check(V4, "SetCTRatio", json!({"ct_ratio": "250"})))
                .await,
        ),
    );
    add(
        "v3_zero_resettable_kwh",
        err(
            "V3 kWh",
            desk.check_command(&check(V3, "SetZeroResettableKWH", json!({})))
                .await,
        ),
    );
    add(
        "new_password_1234",
        err(
            "password",
            desk.check_command(&check(
                V4,
                "SetMeterPassword",
                json!({"new_password": "1234"}),
            ))
            .await,
        ),
    );
    add(
        "set_time_february_30",
        err(
            "Feb 30",
            desk.check_command(&check(
                V4,
                "SetTime",
                json!({"year": "2025", "month": "02", "day": "30", "hour": "07", "minutes": "05",
                       "seconds": "00"}),
            ))
            .await,
        ),
    );
    // An update whose file does not match its signature under the app's update key.
    add(
        "update_bad_signature",
        serde_json::to_value(IpcError::from(
            push3_domain::updates::Refusal::BadSignature {
                version: "0.2.0".into(),
                detail: "Invalid signature".into(),
            },
        ))
        .unwrap(),
    );
    // A utility rate file with a cell that names a period with no rate.
    let mut rate: serde_json::Value = serde_json::from_str(include_str!(
        "../../rates/tests/tariffs/two_period_peak.json"
    ))
    .unwrap();
    rate["energyweekdayschedule"][6][17] = serde_json::json!(7);
    add(
        "rate_bad_cell",
        serde_json::to_value(
            push3_domain::rates::import(
                &rate.to_string(),
                &push3_domain::rates::RateOptions {
                    year: 2026,
                    holidays: None,
                },
            )
            .unwrap_err(),
        )
        .unwrap(),
    );
    // Preferences that cannot be saved: the config folder is a file, as a broken home has it.
    let not_a_folder = tempfile::NamedTempFile::new().unwrap();
    let unsaved = push3_domain::preferences::Preferences::default()
        .save_in(not_a_folder.path())
        .unwrap_err();
    add(
        "preferences_unsaved",
        serde_json::to_value(IpcError::io(unsaved.message.replace(
            &not_a_folder.path().display().to_string(),
            "/home/me/.config/com.push3desk.Push3Desk",
        )))
        .unwrap(),
    );
    // What the app answers when the system will not open the log folder (no file manager).
    add(
        "cannot_open_log_folder",
        serde_json::to_value(IpcError::cannot_open(
            std::path::Path::new("/home/me/.local/share/com.push3desk.Push3Desk/logs"),
            "no file manager",
        ))
        .unwrap(),
    );
    // Test connection on a gateway being added, with no meter to read.
    add(
        "gateway_test_no_meter",
        err(
            "a test with no meter",
            desk.test_gateway(from(
                json!({"apiUrl": "https://api.ekmpush.com", "key": "MTAxMDoyMDIw"}),
            ))
            .await,
        ),
    );
    // A wire profile file whose minute key has no {n}.
    let mut profile: Value =
        serde_json::from_str(&push3::undocumented::WireProfile::built_in()[1].to_file()).unwrap();
    profile["id"] = json!("site-flat");
    profile["set_schedule"]["periods"]["keys"]["minute"] = json!("Minute");
    add(
        "wire_profile_bad_key",
        err(
            "a bad profile",
            desk.load_wire_profile(profile.to_string()).await,
        ),
    );
    // Removing a loaded profile a gateway speaks. The gateway is added by another handle on the
    // same store, with a keychain that keeps nothing: only its row matters here.
    let other = push3_inventory::Inventory::with_keychain(dir.path(), NoKeychain);
    profile["set_schedule"]["periods"]["keys"]["minute"] = json!("Min_{n}");
    other.load_wire_profile(&profile.to_string()).unwrap();
    other
        .add_gateway(push3_inventory::NewGateway {
            wire_profile: Some("site-flat".into()),
            ..push3_inventory::NewGateway::new("Site S", push3::Secret::new("MTAxMDoyMDIw"))
        })
        .unwrap();
    add(
        "wire_profile_in_use",
        err(
            "removing a profile a gateway speaks",
            desk.remove_wire_profile("site-flat".to_string()).await,
        ),
    );
    add(
        "draft_too_large",
        err(
            "draft",
            desk.save_draft(
                target(V4),
                push3_domain::store::DraftPart::Advanced,
                json!({"text": "x".repeat(push3_domain::desk::drafts::MAX_DRAFT_BYTES)}),
            )
            .await,
        ),
    );
    add(
        "settings_pulse_input_0",
        err(
            "pulse input 0",
            desk.plan_program(
                target(V4),
                json!({"kind": "settings", "settings": {"pulse_input_ratios": [null, 0, null]}}),
                false,
            )
            .await,
        ),
    );
    add(
        "tou_tariff_7",
        err(
            "tariff 7",
            desk.plan_program(
                target(V4),
                json!({"kind": "tou", "tou": tou_with_tariff(7)}),
                false,
            )
            .await,
        ),
    );
    add(
        "lcd_unknown_item",
        err(
            "LCD item",
            desk.plan_program(
                target(V4),
                json!({"kind": "lcd", "display_fields": ["kWh_Tot", "Raw_Pulse_9"]}),
                false,
            )
            .await,
        ),
    );
    add(
        "history_to_before_from",
        err(
            "history",
            desk.history(
                from(json!({"from": "2026-11-02T00:00:00Z", "to": "2026-11-01T00:00:00Z"})),
                push3_audit::Page::first(100),
            )
            .await,
        ),
    );
    add(
        "relay_groups_size_0",
        err(
            "group 0",
            desk.start_relay_groups(from(json!({
                "meters": [{"gatewayId": "demo", "meter": V4}],
                "relay": "Relay_1", "status": "close", "durationSeconds": 0,
                "groupSize": 0, "gapSeconds": 0
            })))
            .await,
        ),
    );
    add(
        "template_name_81",
        err(
            "long name",
            desk.save_template(
                &"x".repeat(81),
                json!({"kind": "lcd", "display_fields": ["kWh_Tot"]}),
            ),
        ),
    );
    add(
        "template_file_tariff_7",
        err(
            "template file",
            desk.import_template(
                &json!({"schema": "push3-desk.template", "version": 1, "name": "Winter",
                        "program": {"kind": "tou", "tou": tou_with_tariff(7)}})
                .to_string(),
            ),
        ),
    );
    add(
        "template_file_foreign",
        err(
            "foreign file",
            desk.import_template(
                r#"{"schema": "someone-else", "version": 1, "name": "x", "program": {}}"#,
            ),
        ),
    );

    // Copy diagnostics without a clipboard: the platform's text as arboard gives it on X11.
    add(
        "clipboard_unavailable",
        serde_json::to_value(IpcError::clipboard_unavailable(
            "Unknown error while interacting with the clipboard: X11 server connection timed out \
             because it was unreachable",
        ))
        .unwrap(),
    );
    // The keychain's two failures, from the texts the Secret Service gives (keychain.rs).
    let keychain = |e: keyring::Error| {
        serde_json::to_value(IpcError::from(push3_inventory::keychain_error(&e))).unwrap()
    };
    add(
        "keychain_locked",
        keychain(keyring::Error::PlatformFailure(
            "Cannot create an item in a locked collection".into(),
        )),
    );
    add(
        "keychain_unavailable",
        keychain(keyring::Error::NoStorageAccess(
            "org.freedesktop.DBus.Error.ServiceUnknown: The name org.freedesktop.secrets was not \
             provided by any .service files"
                .into(),
        )),
    );

    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../ui/src/test/ipcErrors.fixture.json");
    let expected = serde_json::to_string_pretty(&errors).unwrap() + "\n";
    if std::env::var_os("UPDATE_FIXTURES").is_some() {
        std::fs::write(&path, &expected).unwrap();
    }
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "{} is stale: run UPDATE_FIXTURES=1 cargo test -p push3-domain --test ipc_errors_fixture",
        path.display()
    );
}
