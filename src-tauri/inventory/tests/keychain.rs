//! The real keychain: entries land in the Secret Service where libsecret's own `secret-tool`
//! sees them, and are gone after deletion.

mod common;

use common::*;
use push3_inventory::{GatewayId, Keychain, KeychainEntry, MeterAddress, Secret};

#[test]
#[ignore = "needs a Secret Service: run by ./x test"]
fn a_key_is_stored_read_replaced_and_deleted_in_the_secret_service() {
    let test = TestKeychain::new("roundtrip");
    let entry = KeychainEntry::GatewayKey(GatewayId::from("gw-roundtrip"));
    assert_eq!(test.keychain.read(&entry).unwrap(), None);

    test.keychain
        .store(&entry, &Secret::new("FirstKey-a1b2c3d4"))
        .unwrap();
    assert_eq!(
        test.keychain.read(&entry).unwrap(),
        Some(Secret::new("FirstKey-a1b2c3d4"))
    );
    assert_eq!(
        test.users_in_secret_service(),
        vec!["gateway:gw-roundtrip:key"]
    );
    assert_eq!(
        test.secret_in_secret_service("gateway:gw-roundtrip:key")
            .as_deref(),
        Some("FirstKey-a1b2c3d4")
    );

    test.keychain
        .store(&entry, &Secret::new("SecondKey-e5f6a7b8"))
        .unwrap();
    assert_eq!(
        test.keychain.read(&entry).unwrap(),
        Some(Secret::new("SecondKey-e5f6a7b8"))
    );
    assert_eq!(
        test.users_in_secret_service(),
        vec!["gateway:gw-roundtrip:key"],
        "replaced, not added"
    );
    assert_eq!(
        test.secret_in_secret_service("gateway:gw-roundtrip:key")
            .as_deref(),
        Some("SecondKey-e5f6a7b8")
    );

    test.keychain.delete(&entry).unwrap();
    assert_eq!(test.keychain.read(&entry).unwrap(), None);
    assert!(test.users_in_secret_service().is_empty());
    // Deleting what is already gone is not an error: removal can be retried.
    test.keychain.delete(&entry).unwrap();
}

#[test]
#[ignore = "needs a Secret Service: run by ./x test"]
fn one_service_never_sees_another_services_entries() {
    let release_like = TestKeychain::new("isolation-a");
    let development_like = TestKeychain::new("isolation-b");
    let entry = KeychainEntry::MeterPassword(MeterAddress::parse("350000900").unwrap());
    release_like
        .keychain
        .store(&entry, &Secret::new("12345678"))
        .unwrap();

    assert_eq!(development_like.keychain.read(&entry).unwrap(), None);
    development_like.keychain.delete(&entry).unwrap();
    assert_eq!(
        release_like.keychain.read(&entry).unwrap(),
        Some(Secret::new("12345678"))
    );
    assert_eq!(
        release_like.users_in_secret_service(),
        vec!["meter:000350000900:password"]
    );
    assert!(development_like.users_in_secret_service().is_empty());
}
