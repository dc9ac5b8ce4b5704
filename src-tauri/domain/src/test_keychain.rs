//! A keychain in memory, for the domain's unit tests that need an inventory but not the OS's
//! Secret Service (the end-to-end and CLI tests use the real one).

use push3::Secret;
use push3_inventory::{Keychain, KeychainEntry};
use std::collections::HashMap;
use std::sync::Mutex;

#[derive(Default)]
pub struct MemoryKeychain(Mutex<HashMap<String, String>>);

impl Keychain for MemoryKeychain {
    fn store(&self, entry: &KeychainEntry, secret: &Secret) -> push3_inventory::Result<()> {
        let mut map = self.0.lock().unwrap();
        map.insert(entry.user_name(), secret.expose().to_string());
        Ok(())
    }
    fn read(&self, entry: &KeychainEntry) -> push3_inventory::Result<Option<Secret>> {
        let map = self.0.lock().unwrap();
        Ok(map.get(&entry.user_name()).map(Secret::new))
    }
    fn delete(&self, entry: &KeychainEntry) -> push3_inventory::Result<()> {
        self.0.lock().unwrap().remove(&entry.user_name());
        Ok(())
    }
}
