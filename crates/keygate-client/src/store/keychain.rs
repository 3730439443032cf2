//! [`KeychainStore`]: tokens as one secret in the OS keychain, through the `keyring` crate
//! (Secret Service over D-Bus on Linux, in pure Rust; Keychain Services on macOS; Credential
//! Manager on Windows).

use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Duration;

use keyring::Entry;

use crate::error::{Error, Result};
use crate::store::{StoreLock, TokenStore};
use crate::tokens::Tokens;

/// How long the keychain may take to answer the probe (a session bus without a Secret
/// Service can otherwise hang until D-Bus's own 25-second timeout).
const PROBE_TIMEOUT: Duration = Duration::from_secs(3);

/// Tokens in the OS keychain under (`service`, `account`).
#[derive(Debug, Clone)]
pub struct KeychainStore {
    service: String,
    account: String,
    lock_file: Option<PathBuf>,
}

impl KeychainStore {
    /// The entry (`service`, `account`).
    pub fn new(service: &str, account: &str) -> Self {
        Self { service: service.to_owned(), account: account.to_owned(), lock_file: None }
    }

    /// Uses `path` as the refresh lock (see [`TokenStore::lock`]).
    pub fn with_lock_file(mut self, path: PathBuf) -> Self {
        self.lock_file = Some(path);
        self
    }

    fn entry(&self) -> Result<Entry> {
        Entry::new(&self.service, &self.account).map_err(keychain_error)
    }
}

fn keychain_error(e: keyring::Error) -> Error {
    Error::Storage(format!("OS keychain: {e}"))
}

impl TokenStore for KeychainStore {
    fn load(&self) -> Result<Option<Tokens>> {
        match self.entry()?.get_password() {
            Ok(json) => serde_json::from_str(&json)
                .map(Some)
                .map_err(|e| Error::Storage(format!("OS keychain entry: {e}"))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(keychain_error(e)),
        }
    }

    fn save(&self, tokens: &Tokens) -> Result<()> {
        let json = serde_json::to_string(tokens)
            .map_err(|e| Error::Storage(format!("serializing tokens: {e}")))?;
        self.entry()?.set_password(&json).map_err(keychain_error)
    }

    fn clear(&self) -> Result<()> {
        match self.entry()?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(keychain_error(e)),
        }
    }

    fn describe(&self) -> String {
        format!("the OS keychain (service {}, account {})", self.service, self.account)
    }

    fn lock(&self) -> Result<Option<StoreLock>> {
        self.lock_file.as_deref().map(StoreLock::acquire).transpose()
    }
}

/// Whether the keychain answers a read of the entry (missing is fine), within
/// [`PROBE_TIMEOUT`].
pub(crate) fn probe(service: &str, account: &str) -> std::result::Result<(), String> {
    let (tx, rx) = mpsc::channel();
    let (service, account) = (service.to_owned(), account.to_owned());
    std::thread::spawn(move || {
        let answer = match Entry::store_status() {
            Err(e) => Err(e.to_string()),
            Ok(()) => match Entry::new(&service, &account).and_then(|e| e.get_password()) {
                Ok(_) | Err(keyring::Error::NoEntry) => Ok(()),
                Err(e) => Err(e.to_string()),
            },
        };
        let _ = tx.send(answer);
    });
    match rx.recv_timeout(PROBE_TIMEOUT) {
        Ok(answer) => answer,
        Err(_) => Err(format!("no answer within {} s", PROBE_TIMEOUT.as_secs())),
    }
}
