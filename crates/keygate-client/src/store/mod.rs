//! Token storage: tokens are never written in plain text.
//!
//! - [`KeychainStore`] (feature `keychain`): the OS keychain (Secret Service on Linux,
//!   Keychain on macOS, Credential Manager on Windows) through the `keyring` crate.
//! - [`EncryptedFileStore`]: a file sealed with AES-256-GCM under a key derived from a
//!   passphrase (Argon2id) or held in the keychain; mode 0600.
//! - [`open_default_store`]: the keychain when one answers, else the encrypted file, saying
//!   which and why.

mod file;
#[cfg(feature = "keychain")]
mod keychain;

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use file::{EncryptedFileStore, FileKey, KdfParams, Passphrase};
#[cfg(feature = "keychain")]
pub use keychain::KeychainStore;

use crate::error::{Error, Result};
use crate::tokens::Tokens;

/// Somewhere tokens are kept between runs. Implementations block (file system, keychain):
/// async callers run them on a blocking thread, as [`Session`](crate::Session) does.
pub trait TokenStore: Send + Sync {
    /// The stored tokens, if any.
    fn load(&self) -> Result<Option<Tokens>>;
    /// Replaces the stored tokens.
    fn save(&self, tokens: &Tokens) -> Result<()>;
    /// Deletes the stored tokens (no error if there were none).
    fn clear(&self) -> Result<()>;
    /// Where the tokens are, for the user (e.g. `encrypted file ~/.config/...`).
    fn describe(&self) -> String;
    /// An exclusive lock held while refreshing, so that two processes sharing the store do
    /// not both present the same refresh token (which rotation treats as theft). `None` when
    /// the store has no lock.
    fn lock(&self) -> Result<Option<StoreLock>> {
        Ok(None)
    }
}

/// An exclusive advisory lock on a file, released when dropped.
#[derive(Debug)]
pub struct StoreLock {
    _file: File,
}

impl StoreLock {
    /// Waits for the exclusive lock on `path` (created with mode 0600 if missing).
    pub fn acquire(path: &Path) -> Result<Self> {
        let file = file::open_lock_file(path)
            .map_err(|e| Error::Storage(format!("{}: {e}", path.display())))?;
        file.lock().map_err(|e| Error::Storage(format!("locking {}: {e}", path.display())))?;
        Ok(Self { _file: file })
    }
}

/// Which store [`open_default_store`] uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StorePreference {
    /// The keychain if it answers, else the encrypted file.
    #[default]
    Auto,
    /// The keychain only: fail if it is unavailable.
    Keychain,
    /// The encrypted file only.
    File,
}

/// Where [`open_default_store`] looks.
#[derive(Debug, Clone)]
pub struct DefaultStoreOptions {
    /// The keychain service name, e.g. `keygate-native-app`.
    pub service: String,
    /// The keychain account, e.g. `{issuer} {client_id}`.
    pub account: String,
    /// The encrypted file's path.
    pub file: PathBuf,
    /// Which store to use.
    pub preference: StorePreference,
}

/// The decision of [`choose_store`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreChoice {
    /// The OS keychain.
    Keychain,
    /// The encrypted file, with the reason the keychain was not used.
    EncryptedFile {
        /// Why not the keychain.
        reason: String,
    },
}

/// Decides between the keychain and the encrypted file from `preference` and whether the
/// keychain answered (`keychain`: `Ok` or why not).
pub fn choose_store(
    preference: StorePreference,
    keychain: std::result::Result<(), String>,
) -> Result<StoreChoice> {
    match (preference, keychain) {
        (StorePreference::File, _) => {
            Ok(StoreChoice::EncryptedFile { reason: "the file store was asked for".to_owned() })
        }
        (_, Ok(())) => Ok(StoreChoice::Keychain),
        (StorePreference::Keychain, Err(why)) => {
            Err(Error::Storage(format!("the OS keychain is unavailable: {why}")))
        }
        (StorePreference::Auto, Err(why)) => Ok(StoreChoice::EncryptedFile {
            reason: format!("the OS keychain is unavailable ({why})"),
        }),
    }
}

/// Whether the OS keychain answers (`Err` says why not). Without the `keychain` feature it
/// never does.
pub fn probe_keychain(service: &str, account: &str) -> std::result::Result<(), String> {
    #[cfg(feature = "keychain")]
    {
        keychain::probe(service, account)
    }
    #[cfg(not(feature = "keychain"))]
    {
        let _ = (service, account);
        Err("this build has no keychain support (feature `keychain`)".to_owned())
    }
}

/// Opens the default store: the OS keychain when it answers, else the encrypted file, whose
/// passphrase is asked for (through `passphrase`) only then. Returns the store and a sentence
/// saying which one is used and why.
pub fn open_default_store(
    options: &DefaultStoreOptions,
    passphrase: impl FnOnce() -> Result<Passphrase>,
) -> Result<(Arc<dyn TokenStore>, String)> {
    let probe = match options.preference {
        StorePreference::File => Ok(()),
        _ => probe_keychain(&options.service, &options.account),
    };
    match choose_store(options.preference, probe)? {
        #[cfg(feature = "keychain")]
        StoreChoice::Keychain => {
            let store = KeychainStore::new(&options.service, &options.account)
                .with_lock_file(lock_path_for(&options.file));
            let said = format!("Tokens are kept in {}.", store.describe());
            Ok((Arc::new(store), said))
        }
        #[cfg(not(feature = "keychain"))]
        StoreChoice::Keychain => Err(Error::Storage("no keychain support in this build".into())),
        StoreChoice::EncryptedFile { reason } => {
            let store = EncryptedFileStore::new(&options.file, passphrase()?)?;
            let said = format!("Tokens are kept in {}: {reason}.", store.describe());
            Ok((Arc::new(store), said))
        }
    }
}

/// `<file>.lock` beside a token file.
pub(crate) fn lock_path_for(file: &Path) -> PathBuf {
    let mut name = file.file_name().unwrap_or_default().to_os_string();
    name.push(".lock");
    file.with_file_name(name)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn default_store_falls_back_to_the_file_and_says_why() {
        let choice = choose_store(StorePreference::Auto, Err("no D-Bus session".into())).unwrap();
        let StoreChoice::EncryptedFile { reason } = choice else { panic!("{choice:?}") };
        assert!(reason.contains("no D-Bus session"), "{reason}");
        assert_eq!(choose_store(StorePreference::Auto, Ok(())).unwrap(), StoreChoice::Keychain);
        assert!(choose_store(StorePreference::Keychain, Err("none".into())).is_err());
        assert!(matches!(
            choose_store(StorePreference::File, Ok(())).unwrap(),
            StoreChoice::EncryptedFile { .. }
        ));
    }
}
