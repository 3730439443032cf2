//! Keygate's storage: the `keygate-core` storage traits on SQLite (the embedded default) and
//! PostgreSQL (for several nodes), through one SQL implementation over sqlx's `Any` driver.
//!
//! - [`SqlStore`]: opening a database, its pool and per-backend setup.
//! - `migrate`: the embedded migrations of each backend and the runner.
//! - `clients`, `users`, `keys`, `revocations`: one trait implementation each; `mail`: the
//!   outbox and the account tokens its messages carry.
//!
//! The SQL is written once, portably: `$N` placeholders, TEXT ids, BIGINT epoch seconds, BLOB /
//! BYTEA hashes, `ON CONFLICT` and partial unique indexes, all of which both engines support.
//! Only connection setup and migrations differ by backend.

mod apis;
mod audit;
mod clients;
mod cols;
mod consents;
mod devices;
mod federation;
mod grants;
mod keys;
mod mail;
mod maintenance;
mod mfa;
mod migrate;
mod revocations;
mod sessions;
mod signin_log;
mod users;

use std::str::FromStr;

use async_trait::async_trait;
use keygate_core::store::{PoolUse, Store, StoreError, StoreResult};
use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{AnyPool, Executor, Row};

pub use migrate::MIGRATION_COUNT;

/// The database engine behind a [`SqlStore`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// Embedded SQLite (one node).
    Sqlite,
    /// PostgreSQL (one or many nodes).
    Postgres,
}

impl Backend {
    /// The backend a database URL names.
    pub fn from_url(url: &str) -> anyhow::Result<Self> {
        if url.starts_with("sqlite:") {
            Ok(Self::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Self::Postgres)
        } else {
            anyhow::bail!("database URL must start with sqlite: or postgres://")
        }
    }
}

/// The SQL implementation of every Keygate storage trait.
#[derive(Debug, Clone)]
pub struct SqlStore {
    pool: AnyPool,
    backend: Backend,
    url: DatabaseUrl,
}

/// The URL the store was opened with, for the PostgreSQL listener's own connection; never
/// printed, since it may hold a password.
#[derive(Clone)]
struct DatabaseUrl(std::sync::Arc<str>);

impl std::fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DatabaseUrl(..)")
    }
}

impl SqlStore {
    /// Connects to `url` (`sqlite://PATH?mode=rwc` or `postgres://...`). Does not migrate.
    pub async fn connect(url: &str, max_connections: u32) -> anyhow::Result<Self> {
        install_default_drivers();
        let backend = Backend::from_url(url)?;
        let mut options = AnyPoolOptions::new().max_connections(max_connections.max(1));
        if backend == Backend::Sqlite {
            // WAL lets readers run beside the single writer; the busy timeout makes the CLI and a
            // running server wait for each other instead of failing. Each connection has its
            // own page cache of the same file (SQLite's default is 2,000 KiB, so up to 16 MiB
            // of duplicates with the default 8 connections, filled one connection at a time
            // over a soak: issue 22); 512 KiB each keeps the hot index pages, and the
            // operating system's page cache holds the rest once for all of them.
            options = options.after_connect(|conn, _meta| {
                Box::pin(async move {
                    conn.execute(
                        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                         PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; \
                         PRAGMA cache_size = -512;",
                    )
                    .await?;
                    Ok(())
                })
            });
        }
        let pool =
            options.connect(url).await.map_err(|e| anyhow::anyhow!("cannot open database: {e}"))?;
        Ok(Self { pool, backend, url: DatabaseUrl(url.into()) })
    }

    /// Connects and applies pending migrations.
    pub async fn open(url: &str, max_connections: u32) -> anyhow::Result<Self> {
        let store = Self::connect(url, max_connections).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// Applies the embedded migrations that have not run yet; returns how many ran.
    pub async fn migrate(&self) -> anyhow::Result<usize> {
        migrate::run(&self.pool, self.backend).await
    }

    /// A consistent copy of an SQLite database at `path` (`VACUUM INTO`), taken while the server
    /// runs; `path` must not exist. PostgreSQL has `pg_dump` for this.
    pub async fn backup_sqlite(&self, path: &std::path::Path) -> anyhow::Result<()> {
        anyhow::ensure!(
            self.backend == Backend::Sqlite,
            "keygate backup is for SQLite; back PostgreSQL up with pg_dump"
        );
        anyhow::ensure!(!path.exists(), "{} exists already", path.display());
        let target = path.to_str().ok_or_else(|| anyhow::anyhow!("the path is not UTF-8"))?;
        sqlx::query("VACUUM INTO $1").bind(target.to_owned()).execute(&self.pool).await?;
        Ok(())
    }

    /// The newest migration applied (0 for an empty database).
    pub async fn schema_version(&self) -> anyhow::Result<i64> {
        let version: Option<i64> =
            sqlx::query_scalar("SELECT MAX(version) FROM kg_schema_migrations")
                .fetch_one(&self.pool)
                .await?;
        Ok(version.unwrap_or(0))
    }

    /// Closes the pool, waiting for connections to be returned.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

#[async_trait]
impl Store for SqlStore {
    async fn revision(&self) -> StoreResult<i64> {
        let row = sqlx::query("SELECT revision FROM kg_meta WHERE id = 1")
            .fetch_one(&self.pool)
            .await
            .map_err(backend)?;
        row.try_get::<i64, _>(0).map_err(backend)
    }

    fn backend(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }

    fn pool_use(&self) -> Option<PoolUse> {
        Some(PoolUse {
            size: self.pool.size(),
            idle: u32::try_from(self.pool.num_idle()).unwrap_or(u32::MAX),
            max: self.pool.options().get_max_connections(),
        })
    }
}

/// Bumps the revision that nodes poll to drop their caches; run inside the changing transaction.
async fn bump_revision(tx: &mut sqlx::Transaction<'_, sqlx::Any>) -> StoreResult<()> {
    sqlx::query("UPDATE kg_meta SET revision = revision + 1 WHERE id = 1")
        .execute(&mut **tx)
        .await
        .map_err(backend)?;
    Ok(())
}

/// A database error as a store error: unique violations become `Conflict(what)`.
fn conflict_or_backend(what: &'static str) -> impl Fn(sqlx::Error) -> StoreError {
    move |err| match &err {
        sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict(what),
        _ => backend(err),
    }
}

fn backend(err: sqlx::Error) -> StoreError {
    StoreError::Backend(anyhow::Error::new(err))
}

/// A stored JSON list of strings.
fn json_list(row: &sqlx::any::AnyRow, column: &str) -> StoreResult<Vec<String>> {
    let text: String = row.try_get(column).map_err(backend)?;
    serde_json::from_str(&text).map_err(|e| StoreError::Backend(e.into()))
}

/// A JSON list for storage.
fn to_json(values: &[impl serde::Serialize]) -> StoreResult<String> {
    serde_json::to_string(values).map_err(|e| StoreError::Backend(e.into()))
}

/// A stored enum value.
fn parse_column<T: FromStr<Err = String>>(row: &sqlx::any::AnyRow, column: &str) -> StoreResult<T> {
    let text: String = row.try_get(column).map_err(backend)?;
    text.parse().map_err(|e: String| StoreError::Backend(anyhow::anyhow!("column {column}: {e}")))
}
