//! Keychain changes made by an operation that has not finished yet.
//!
//! Every operation changes the keychain first and the inventory file last. If anything fails in
//! between, dropping the uncommitted [`PendingSecrets`] puts each touched entry back as it was, so
//! a failed operation leaves neither an orphaned secret nor a file that points at a missing one.

use crate::error::Result;
use crate::keychain::{Keychain, KeychainEntry};
use push3::Secret;

pub(crate) struct PendingSecrets<'a, K: Keychain> {
    keychain: &'a K,
    /// Each touched entry with what it held before, oldest first.
    previous: Vec<(KeychainEntry, Option<Secret>)>,
    committed: bool,
}

impl<'a, K: Keychain> PendingSecrets<'a, K> {
    pub fn new(keychain: &'a K) -> Self {
        Self {
            keychain,
            previous: Vec::new(),
            committed: false,
        }
    }

    /// Stores `secret` under `entry`, remembering what was there.
    pub fn store(&mut self, entry: KeychainEntry, secret: &Secret) -> Result<()> {
        let previous = self.keychain.read(&entry)?;
        self.keychain.store(&entry, secret)?;
        self.previous.push((entry, previous));
        Ok(())
    }

    /// Deletes `entry`, remembering what was there.
    pub fn delete(&mut self, entry: KeychainEntry) -> Result<()> {
        let previous = self.keychain.read(&entry)?;
        if previous.is_some() {
            self.keychain.delete(&entry)?;
        }
        self.previous.push((entry, previous));
        Ok(())
    }

    /// The operation finished: keep the changes.
    pub fn commit(mut self) {
        self.committed = true;
    }
}

impl<K: Keychain> Drop for PendingSecrets<'_, K> {
    fn drop(&mut self) {
        if self.committed {
            return;
        }
        // Best effort: the operation already failed with its own error, which is what the caller
        // needs to see; a keychain that fails here too is the same keychain that just failed.
        for (entry, previous) in self.previous.drain(..).rev() {
            let _ = match previous {
                Some(secret) => self.keychain.store(&entry, &secret),
                None => self.keychain.delete(&entry),
            };
        }
    }
}
