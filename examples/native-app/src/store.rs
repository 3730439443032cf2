//! Where the app keeps its tokens: the OS keychain when one answers, else an encrypted file
//! whose passphrase comes from `NATIVE_APP_PASSPHRASE` or a prompt.

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use keygate_client::store::StorePreference;
use keygate_client::{
    Client, DefaultStoreOptions, Error, Passphrase, TokenStore, open_default_store,
};

use crate::Cli;

/// The keychain service name.
const SERVICE: &str = "keygate-native-app";

/// `--store-kind`.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Kind {
    /// The OS keychain if it answers, else the encrypted file.
    Auto,
    /// The OS keychain only.
    Keychain,
    /// The encrypted file only.
    File,
}

/// Opens the store for this issuer and client; returns it and a sentence saying which it is.
pub fn open(cli: &Cli, client: &Client) -> anyhow::Result<(Arc<dyn TokenStore>, String)> {
    let file = match &cli.store {
        Some(path) => path.clone(),
        None => default_file()?,
    };
    let preference = match cli.store_kind {
        Kind::Auto => StorePreference::Auto,
        Kind::Keychain => StorePreference::Keychain,
        Kind::File => StorePreference::File,
    };
    let options = DefaultStoreOptions {
        service: SERVICE.to_owned(),
        account: format!("{} {}", client.issuer(), client.client_id()),
        file,
        preference,
    };
    Ok(open_default_store(&options, passphrase)?)
}

/// `$XDG_CONFIG_HOME/keygate-native-app/tokens.enc` (or `~/.config/...`, or `%APPDATA%\...`).
fn default_file() -> anyhow::Result<PathBuf> {
    let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty()).map(PathBuf::from);
    let config = var("XDG_CONFIG_HOME")
        .or_else(|| var("HOME").map(|home| home.join(".config")))
        .or_else(|| var("APPDATA"))
        .context("no config directory: set --store FILE or NATIVE_APP_STORE")?;
    Ok(config.join(SERVICE).join("tokens.enc"))
}

/// The file store's passphrase: `NATIVE_APP_PASSPHRASE`, or asked on the terminal (not echoed).
fn passphrase() -> keygate_client::Result<Passphrase> {
    if let Ok(passphrase) = std::env::var("NATIVE_APP_PASSPHRASE") {
        return Ok(Passphrase::new(passphrase));
    }
    rpassword::prompt_password("Passphrase for the token file: ").map(Passphrase::new).map_err(|e| {
        Error::Storage(format!(
            "no passphrase for the token file ({e}): set NATIVE_APP_PASSPHRASE or run in a terminal"
        ))
    })
}
