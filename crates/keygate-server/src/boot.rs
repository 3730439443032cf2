//! Opening a configured deployment: data directory, database, migrations, master key, provider.

use std::sync::Arc;

use keygate_core::{Clock, Provider};
use keygate_store::SqlStore;

use crate::config::{Config, ensure_data_dir};

/// Connects to the database of `config` (creating the data directory for SQLite).
pub async fn connect_store(config: &Config) -> anyhow::Result<SqlStore> {
    if config.is_sqlite() {
        ensure_data_dir(&config.data_dir)?;
    }
    SqlStore::connect(&config.database_url, config.max_connections).await
}

/// Opens the database of `config` and applies pending migrations.
pub async fn open_store(config: &Config) -> anyhow::Result<SqlStore> {
    let store = connect_store(config).await?;
    store.migrate().await?;
    Ok(store)
}

/// Opens the store and the provider (making signing keys on first start).
pub async fn open_provider(
    config: &Config,
    clock: Arc<dyn Clock>,
) -> anyhow::Result<(Arc<Provider>, SqlStore)> {
    let store = open_store(config).await?;
    if matches!(config.master_key, crate::config::MasterKeySource::File(_)) {
        ensure_data_dir(&config.data_dir)?;
    }
    let master = config.master_key.load()?;
    let provider =
        Provider::new(config.settings.clone(), Arc::new(store.clone()), clock, master).await?;
    Ok((Arc::new(provider), store))
}
