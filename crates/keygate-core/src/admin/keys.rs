//! Signing keys.

use serde_json::json;

use super::{Admin, AdminError};
use crate::keys::{MasterKey, SigningAlg, StoredKey};
use crate::store::KeyInsert;

impl Admin<'_> {
    /// Every stored signing key, newest first.
    pub async fn keys(&self) -> Result<Vec<StoredKey>, AdminError> {
        Ok(self.store.list_keys().await?)
    }

    /// Makes a new key the signer for every algorithm. The old public keys stay published until
    /// every token they signed has expired ([`crate::Settings::key_retention`]).
    pub async fn rotate_keys(&self, master: &MasterKey) -> Result<Vec<StoredKey>, AdminError> {
        let now = self.now();
        let mut made = Vec::new();
        for alg in SigningAlg::ALL {
            let key = StoredKey::generate(alg, master, now)?;
            self.store.insert_key(&key, KeyInsert::Rotate { now }).await?;
            made.push(key);
        }
        let kids: Vec<&str> = made.iter().map(|k| k.kid.as_str()).collect();
        self.record("keys.rotate", "keys", json!({ "new_kids": kids })).await?;
        Ok(made)
    }
}
