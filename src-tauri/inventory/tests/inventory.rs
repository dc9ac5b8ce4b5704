//! Gateways and meters through their whole life against the real Secret Service: the secrets go
//! to the keychain and nowhere else, follow every change, and leave with the gateway.

mod common;

use common::*;
use push3_inventory::{
    GatewayEdit, Inventory, InventoryError, MeterAddress, MeterEdit, MeterFilter,
    MeterPasswordChange, MeterVersion, NewGateway, NewMeter, Secret, SystemKeychain,
};
use std::path::{Path, PathBuf};

const KEY: &str = "MTAxMDoyMDIwKey-4f7a";
const NEW_KEY: &str = "NewGatewayKey-93c1d";
const TOKEN: &str = "ApiToken-b8e2f5a6c7";
const METER_PASSWORD: &str = "24681357";

fn address(digits: &str) -> MeterAddress {
    MeterAddress::parse(digits).unwrap()
}

fn inventory_in(dir: &Path, test: &TestKeychain) -> Inventory<SystemKeychain> {
    Inventory::with_keychain(dir.join("com.push3desk.Push3Desk"), test.keychain.clone())
}

fn assert_no_secret_in(dir: &Path) {
    for secret in [KEY, NEW_KEY, TOKEN, METER_PASSWORD] {
        assert_eq!(
            files_containing(dir, secret),
            Vec::<PathBuf>::new(),
            "{secret} was written"
        );
    }
}

#[test]
#[ignore = "needs a Secret Service: run by ./x test"]
fn a_gateway_and_its_meters_come_and_go_leaving_no_secret_behind() {
    let test = TestKeychain::new("lifecycle");
    let scratch = tempfile::tempdir().unwrap();
    let inventory = inventory_in(scratch.path(), &test);

    let mut new = NewGateway::new("Main", Secret::new(KEY));
    new.token = Some(Secret::new(TOKEN));
    new.note = "Roof, next to the boiler".into();
    let gateway = inventory.add_gateway(new).unwrap();
    assert_eq!(gateway.api_url, "https://api.ekmpush.com");
    assert!(gateway.has_token);
    assert_eq!(gateway.key_hint, "••••4f7a");
    let id = gateway.id.clone();
    let key_user = format!("gateway:{id}:key");
    let token_user = format!("gateway:{id}:token");
    assert_eq!(
        test.secret_in_secret_service(&key_user).as_deref(),
        Some(KEY)
    );
    assert_eq!(
        test.secret_in_secret_service(&token_user).as_deref(),
        Some(TOKEN)
    );

    let mut boiler = NewMeter::new(address("350000900"), MeterVersion::V4, id.clone());
    boiler.nickname = "Boiler room".into();
    boiler.tags = vec!["north".into(), "hvac".into()];
    boiler.password = Some(Secret::new(METER_PASSWORD));
    let boiler = inventory.add_meter(boiler).unwrap();
    assert!(boiler.has_password);
    let lobby = inventory
        .add_meter(NewMeter::new(
            address("350000901"),
            MeterVersion::V3,
            id.clone(),
        ))
        .unwrap();
    assert!(!lobby.has_password);
    let mut users = vec![
        key_user.clone(),
        token_user.clone(),
        "meter:000350000900:password".into(),
    ];
    users.sort();
    assert_eq!(test.users_in_secret_service(), users);

    let credentials = inventory.credentials(&id).unwrap();
    assert_eq!(credentials.key.unwrap().expose(), KEY);
    assert_eq!(credentials.token.as_ref().map(Secret::expose), Some(TOKEN));
    assert_eq!(
        inventory
            .meter_password(&boiler.address)
            .unwrap()
            .as_ref()
            .map(Secret::expose),
        Some(METER_PASSWORD)
    );
    assert_eq!(inventory.meter_password(&lobby.address).unwrap(), None);

    // Renaming keeps the id, so the keychain entries still belong to the gateway.
    let renamed = inventory.rename_gateway(&id, "Main building").unwrap();
    assert_eq!(
        (renamed.id.clone(), renamed.name.as_str()),
        (id.clone(), "Main building")
    );
    assert_eq!(
        inventory.credentials(&id).unwrap().key.unwrap().expose(),
        KEY
    );

    let rekeyed = inventory
        .change_gateway_key(&id, Secret::new(NEW_KEY))
        .unwrap();
    assert_eq!(rekeyed.key_hint, "••••3c1d");
    assert_eq!(
        test.secret_in_secret_service(&key_user).as_deref(),
        Some(NEW_KEY)
    );
    assert_eq!(
        inventory.credentials(&id).unwrap().key.unwrap().expose(),
        NEW_KEY
    );

    let tokenless = inventory.set_gateway_token(&id, None).unwrap();
    assert!(!tokenless.has_token);
    assert_eq!(test.secret_in_secret_service(&token_user), None);
    assert_eq!(inventory.credentials(&id).unwrap().token, None);

    // What callers get back, printed or serialized for the webview, shows no secret either.
    let shown = format!(
        "{:?} {} {:?} {}",
        inventory.list_gateways().unwrap(),
        serde_json::to_string(&inventory.list_gateways().unwrap()).unwrap(),
        inventory.list_meters(&MeterFilter::default()).unwrap(),
        serde_json::to_string(&inventory.list_meters(&MeterFilter::default()).unwrap()).unwrap(),
    );
    for secret in [KEY, NEW_KEY, TOKEN, METER_PASSWORD] {
        assert!(!shown.contains(secret), "{secret} shown in {shown}");
    }
    assert!(inventory.file_path().exists());
    assert_no_secret_in(scratch.path());

    inventory.remove_gateway(&id).unwrap();
    assert!(
        test.users_in_secret_service().is_empty(),
        "{:?}",
        test.users_in_secret_service()
    );
    assert!(inventory.list_gateways().unwrap().is_empty());
    assert!(inventory
        .list_meters(&MeterFilter::default())
        .unwrap()
        .is_empty());
    assert_eq!(inventory.credentials(&id).unwrap_err().code(), "not_found");
    assert_no_secret_in(scratch.path());
}

#[test]
#[ignore = "needs a Secret Service: run by ./x test"]
fn names_and_addresses_are_unique_and_mistakes_get_specific_errors() {
    let test = TestKeychain::new("unique");
    let scratch = tempfile::tempdir().unwrap();
    let inventory = inventory_in(scratch.path(), &test);
    let main = inventory
        .add_gateway(NewGateway::new("Main", Secret::new(KEY)))
        .unwrap();
    let annex = inventory
        .add_gateway(NewGateway::new("Annex", Secret::new(NEW_KEY)))
        .unwrap();

    let clash = inventory
        .add_gateway(NewGateway::new(" main ", Secret::new(TOKEN)))
        .unwrap_err();
    assert_eq!(clash.code(), "duplicate");
    assert_eq!(
        clash.message(),
        "A gateway named \"Main\" already exists; choose another name"
    );
    assert_eq!(
        test.users_in_secret_service().len(),
        2,
        "the refused gateway's key was not stored"
    );
    assert_eq!(
        inventory
            .rename_gateway(&annex.id, "MAIN")
            .unwrap_err()
            .code(),
        "duplicate"
    );
    assert_eq!(
        inventory.rename_gateway(&main.id, "main").unwrap().name,
        "main",
        "a gateway may recase its own name"
    );

    let mut meter = NewMeter::new(address("30001"), MeterVersion::V5, main.id.clone());
    meter.nickname = "Pump".into();
    inventory.add_meter(meter.clone()).unwrap();
    let again = inventory
        .add_meter(NewMeter {
            gateway_id: annex.id.clone(),
            ..meter.clone()
        })
        .unwrap_err();
    assert_eq!(again.code(), "duplicate");
    assert_eq!(
        again.message(),
        "Meter 000000030001 is already in the inventory, on gateway \"main\""
    );
    let same_nickname = NewMeter {
        address: address("30002"),
        ..meter.clone()
    };
    assert_eq!(
        inventory
            .add_meter(same_nickname.clone())
            .unwrap_err()
            .code(),
        "duplicate"
    );
    inventory
        .add_meter(NewMeter {
            gateway_id: annex.id.clone(),
            ..same_nickname
        })
        .unwrap();

    let unknown = inventory
        .credentials(&"no-such-gateway".into())
        .unwrap_err();
    assert_eq!(unknown.code(), "not_found");
    let orphan = NewMeter::new(address("30003"), MeterVersion::V4, "no-such-gateway".into());
    assert_eq!(inventory.add_meter(orphan).unwrap_err().code(), "not_found");
    assert_eq!(
        inventory.remove_meter(&address("999")).unwrap_err().code(),
        "not_found"
    );

    let mut plain_http = NewGateway::new("Remote", Secret::new(TOKEN));
    plain_http.api_url = Some("http://api.ekmpush.com".into());
    match inventory.add_gateway(plain_http).unwrap_err() {
        InventoryError::Invalid(e) => assert_eq!(e.field, "api_url"),
        other => panic!("expected invalid, got {other:?}"),
    }
    let mut bad_password = NewMeter::new(address("30004"), MeterVersion::V4, main.id.clone());
    bad_password.password = Some(Secret::new("2468135"));
    let refused = inventory.add_meter(bad_password).unwrap_err();
    assert_eq!(
        (refused.code(), refused.message().contains("2468135")),
        ("invalid", false)
    );
    assert_eq!(
        test.users_in_secret_service().len(),
        2,
        "refused requests stored nothing"
    );
}

#[test]
#[ignore = "needs a Secret Service: run by ./x test"]
fn meters_are_listed_by_gateway_and_tag_and_their_passwords_follow_edits() {
    let test = TestKeychain::new("meters");
    let scratch = tempfile::tempdir().unwrap();
    let inventory = inventory_in(scratch.path(), &test);
    let main = inventory
        .add_gateway(NewGateway::new("Main", Secret::new(KEY)))
        .unwrap();
    let annex = inventory
        .add_gateway(NewGateway::new("Annex", Secret::new(NEW_KEY)))
        .unwrap();
    for (digits, gateway, tags) in [
        ("1", &main, vec!["hvac"]),
        ("2", &main, vec!["lights"]),
        ("3", &annex, vec!["hvac"]),
    ] {
        let mut meter = NewMeter::new(address(digits), MeterVersion::V4, gateway.id.clone());
        meter.tags = tags.into_iter().map(String::from).collect();
        inventory.add_meter(meter).unwrap();
    }
    let listed = |filter: MeterFilter| -> Vec<String> {
        inventory
            .list_meters(&filter)
            .unwrap()
            .iter()
            .map(|m| m.address.to_string())
            .collect()
    };
    assert_eq!(
        listed(MeterFilter::on_gateway(main.id.clone())),
        ["000000000001", "000000000002"]
    );
    assert_eq!(
        listed(MeterFilter::tagged("hvac")),
        ["000000000001", "000000000003"]
    );

    // Move meter 2 to the annex, retag it and give it a password; then clear the password.
    let password_user = "meter:000000000002:password".to_string();
    let edit = MeterEdit {
        gateway_id: Some(annex.id.clone()),
        tags: Some(vec!["hvac".into()]),
        version: Some(MeterVersion::V5),
        password: MeterPasswordChange::Set(Secret::new(METER_PASSWORD)),
        ..MeterEdit::default()
    };
    let moved = inventory.edit_meter(&address("2"), edit).unwrap();
    assert_eq!(
        (moved.gateway_id.clone(), moved.version, moved.has_password),
        (annex.id.clone(), MeterVersion::V5, true)
    );
    assert_eq!(
        listed(MeterFilter {
            gateway_id: Some(annex.id.clone()),
            tag: Some("hvac".into())
        }),
        ["000000000002", "000000000003"]
    );
    assert_eq!(
        test.secret_in_secret_service(&password_user).as_deref(),
        Some(METER_PASSWORD)
    );

    let cleared = MeterEdit {
        password: MeterPasswordChange::Clear,
        ..MeterEdit::default()
    };
    assert!(
        !inventory
            .edit_meter(&address("2"), cleared)
            .unwrap()
            .has_password
    );
    assert_eq!(test.secret_in_secret_service(&password_user), None);
    assert_eq!(
        inventory.meter(&address("2")).unwrap().tags,
        ["hvac"],
        "unchanged fields are kept"
    );

    // Removing the annex takes its meters with it; the main gateway keeps its own.
    let set_again = MeterEdit {
        password: MeterPasswordChange::Set(Secret::new(METER_PASSWORD)),
        ..MeterEdit::default()
    };
    inventory.edit_meter(&address("3"), set_again).unwrap();
    inventory.remove_gateway(&annex.id).unwrap();
    assert_eq!(listed(MeterFilter::default()), ["000000000001"]);
    assert_eq!(
        test.users_in_secret_service(),
        vec![format!("gateway:{}:key", main.id)]
    );
    let edit_note = GatewayEdit {
        note: Some("Basement".into()),
        ..GatewayEdit::default()
    };
    assert_eq!(
        inventory.edit_gateway(&main.id, edit_note).unwrap().note,
        "Basement"
    );
    assert_no_secret_in(scratch.path());
}

#[test]
#[ignore = "needs a Secret Service: run by ./x test"]
fn the_app_and_the_cli_share_one_inventory() {
    let test = TestKeychain::new("shared");
    let scratch = tempfile::tempdir().unwrap();
    let app = inventory_in(scratch.path(), &test);
    let cli = inventory_in(scratch.path(), &test);
    let gateway = cli
        .add_gateway(NewGateway::new("Main", Secret::new(KEY)))
        .unwrap();
    assert_eq!(app.gateway_by_name("MAIN").unwrap(), gateway);
    assert_eq!(
        app.credentials(&gateway.id).unwrap().key.unwrap().expose(),
        KEY
    );
    app.remove_gateway(&gateway.id).unwrap();
    assert_eq!(cli.gateway_by_name("Main").unwrap_err().code(), "not_found");
}

/// Makes every later write of a gateway row fail, as a full or failing disk would, after the
/// keychain has already been changed.
fn break_gateway_writes(inventory: &Inventory<SystemKeychain>) {
    let conn = push3_store::connect(inventory.file_path()).unwrap();
    conn.execute_batch(
        "CREATE TRIGGER broken_insert BEFORE INSERT ON gateways
           BEGIN SELECT RAISE(ABORT, 'disk I/O error (simulated)'); END;
         CREATE TRIGGER broken_update BEFORE UPDATE ON gateways
           BEGIN SELECT RAISE(ABORT, 'disk I/O error (simulated)'); END;",
    )
    .unwrap();
}

#[test]
#[ignore = "needs a Secret Service: run by ./x test"]
fn when_the_store_cannot_be_written_the_keychain_is_put_back() {
    let test = TestKeychain::new("rollback");
    let scratch = tempfile::tempdir().unwrap();
    let data_dir = scratch.path().join("com.push3desk.Push3Desk");
    let inventory = Inventory::with_keychain(&data_dir, test.keychain.clone());
    let main = inventory
        .add_gateway(NewGateway::new("Main", Secret::new(KEY)))
        .unwrap();
    break_gateway_writes(&inventory);

    let failed = inventory
        .change_gateway_key(&main.id, Secret::new(NEW_KEY))
        .unwrap_err();
    assert_eq!(failed.code(), "database", "{failed}");
    assert!(failed.message().contains("disk I/O error"), "{failed}");
    let key_user = format!("gateway:{}:key", main.id);
    assert_eq!(
        test.secret_in_secret_service(&key_user).as_deref(),
        Some(KEY),
        "the old key is back"
    );
    assert_eq!(inventory.gateway(&main.id).unwrap(), main, "and its hint");

    // A new gateway whose write fails leaves no orphaned key in the keychain.
    let failed = inventory
        .add_gateway(NewGateway::new("Annex", Secret::new(NEW_KEY)))
        .unwrap_err();
    assert_eq!(failed.code(), "database", "{failed}");
    assert_eq!(test.users_in_secret_service(), vec![key_user]);
    assert_eq!(inventory.list_gateways().unwrap(), vec![main]);
}

#[test]
#[ignore = "needs a Secret Service: run by ./x test"]
fn a_gateway_may_hold_an_api_token_and_no_key() {
    let test = TestKeychain::new("token-only");
    let scratch = tempfile::tempdir().unwrap();
    let inventory = inventory_in(scratch.path(), &test);

    let mut new = NewGateway::new("Cloud", Secret::new(KEY));
    new.key = None;
    new.token = Some(Secret::new(TOKEN));
    let gateway = inventory.add_gateway(new).unwrap();
    assert!(gateway.has_token && !gateway.has_key());
    assert_eq!(gateway.key_hint, "");
    let id = gateway.id.clone();
    assert_eq!(
        test.users_in_secret_service(),
        [format!("gateway:{id}:token")]
    );
    let credentials = inventory.credentials(&id).unwrap();
    assert_eq!(credentials.key, None);
    assert_eq!(credentials.token.as_ref().map(Secret::expose), Some(TOKEN));

    // The token is its only way in: clearing it is refused and nothing changes.
    let e = inventory.set_gateway_token(&id, None).unwrap_err();
    assert_eq!(e.code(), InventoryError::INVALID);
    assert!(e.message().contains("no key"), "{}", e.message());
    assert!(inventory.gateway(&id).unwrap().has_token);
    assert_eq!(
        test.secret_in_secret_service(&format!("gateway:{id}:token"))
            .as_deref(),
        Some(TOKEN)
    );

    // Given a key, it may drop the token.
    inventory
        .change_gateway_key(&id, Secret::new(NEW_KEY))
        .unwrap();
    let keyed = inventory.set_gateway_token(&id, None).unwrap();
    assert!(keyed.has_key() && !keyed.has_token);
    assert_eq!(
        inventory.credentials(&id).unwrap().key.unwrap().expose(),
        NEW_KEY
    );

    // Neither key nor token: refused before anything is stored.
    let mut neither = NewGateway::new("Nothing", Secret::new(KEY));
    neither.key = None;
    let e = inventory.add_gateway(neither).unwrap_err();
    assert_eq!(e.code(), InventoryError::INVALID);
    assert_eq!(inventory.list_gateways().unwrap().len(), 1);
    assert_no_secret_in(scratch.path());
}
