//! Keygate's storage: the `keygate-core` storage traits on SQLite (the embedded default) and
//! PostgreSQL (for several nodes), through one SQL implementation (`db`: SQLite in place through
//! rusqlite, PostgreSQL through sqlx).
//!
//! - [`SqlStore`]: opening a database, its pool and per-backend setup.
//! - `db`: how the SQL runs: a query builder, rows and transactions over SQLite in place
//!   (rusqlite, on the calling thread) and PostgreSQL (sqlx).
//! - `migrate`: the embedded migrations of each backend and the runner.
//! - `clients`, `users`, `keys`, `revocations`: one trait implementation each; `mail`: the
//!   outbox and the account tokens its messages carry.
//! - `documents`: Client ID Metadata Document clients as fetched, and the operator's blocks.
//!
//! The SQL is written once, portably: `$N` placeholders, TEXT ids, BIGINT epoch seconds, BLOB /
//! BYTEA hashes, `ON CONFLICT` and partial unique indexes, all of which both engines support.
//! Only connection setup and migrations differ by backend.

mod apis;
mod audit;
mod clients;
mod cols;
mod consents;
mod db;
mod devices;
mod documents;
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
use db::{Db, DbError, Row, SqliteDb, Tx, query};
use keygate_core::store::{PoolUse, Store, StoreError, StoreResult};

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
    db: Db,
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
        let backend = Backend::from_url(url)?;
        let cannot_open = |e: DbError| anyhow::anyhow!("cannot open database: {e}");
        let db = match backend {
            // One connection writes, the others read. Statements run on the calling thread and
            // a reading connection is held only while one runs, so no more are ever opened
            // than threads that run statements at once.
            Backend::Sqlite => {
                let readers = max_connections.max(2) as usize - 1;
                Db::Sqlite(std::sync::Arc::new(SqliteDb::open(url, readers).map_err(cannot_open)?))
            }
            Backend::Postgres => Db::Postgres(
                sqlx::postgres::PgPoolOptions::new()
                    .max_connections(max_connections.max(1))
                    .connect(url)
                    .await
                    .map_err(|e| cannot_open(e.into()))?,
            ),
        };
        Ok(Self { db, backend, url: DatabaseUrl(url.into()) })
    }

    /// Connects and applies pending migrations.
    pub async fn open(url: &str, max_connections: u32) -> anyhow::Result<Self> {
        let store = Self::connect(url, max_connections).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// Applies the embedded migrations that have not run yet; returns how many ran.
    pub async fn migrate(&self) -> anyhow::Result<usize> {
        migrate::run(&self.db, self.backend).await
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
        query("VACUUM INTO $1").bind(target.to_owned()).execute(&self.db).await?;
        Ok(())
    }

    /// The newest migration applied (0 for an empty database).
    pub async fn schema_version(&self) -> anyhow::Result<i64> {
        let row =
            query("SELECT MAX(version) FROM kg_schema_migrations").fetch_one(&self.db).await?;
        Ok(row.try_get::<Option<i64>, _>(0)?.unwrap_or(0))
    }

    /// Closes the pool, waiting for connections to be returned.
    pub async fn close(&self) {
        match &self.db {
            Db::Sqlite(db) => db.close(),
            Db::Postgres(pool) => pool.close().await,
        }
    }
}

#[async_trait]
impl Store for SqlStore {
    async fn revision(&self) -> StoreResult<i64> {
        let row = query("SELECT revision FROM kg_meta WHERE id = 1")
            .fetch_one(&self.db)
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
        Some(match &self.db {
            Db::Sqlite(db) => {
                let (size, idle, max) = db.use_counts();
                PoolUse { size, idle, max }
            }
            Db::Postgres(pool) => PoolUse {
                size: pool.size(),
                idle: u32::try_from(pool.num_idle()).unwrap_or(u32::MAX),
                max: pool.options().get_max_connections(),
            },
        })
    }
}

/// Bumps the revision that nodes poll to drop their caches; run inside the changing transaction.
async fn bump_revision(tx: &mut Tx) -> StoreResult<()> {
    query("UPDATE kg_meta SET revision = revision + 1 WHERE id = 1")
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
    Ok(())
}

/// The lengths of the id lists [`names_by_id`] sends (longer lists go in several).
const ID_LIST_SIZES: [usize; 3] = [8, 32, 128];

/// `(id, name)` of the rows whose id is one of `ids`: `select` is a statement up to the id
/// column (`SELECT id, name FROM t WHERE id`), completed with `IN (...)`. What pages that name
/// many users or applications need, in one query per 128 ids.
async fn names_by_id(db: &Db, select: &str, ids: &[&str]) -> StoreResult<Vec<(String, String)>> {
    let mut found = Vec::new();
    for chunk in ids.chunks(ID_LIST_SIZES[ID_LIST_SIZES.len() - 1]) {
        // A few fixed list lengths, padded with an id no row has, so that each length is one
        // statement text in the engines' statement caches, not one per count of ids.
        let size = ID_LIST_SIZES.iter().copied().find(|n| *n >= chunk.len());
        let size = size.unwrap_or(chunk.len());
        let placeholders: Vec<String> = (1..=size).map(|n| format!("${n}")).collect();
        let sql = format!("{select} IN ({})", placeholders.join(", "));
        let padding = std::iter::repeat_n("", size - chunk.len());
        let rows = chunk
            .iter()
            .copied()
            .chain(padding)
            .fold(query(sql), |q, id| q.bind(id))
            .fetch_all(db)
            .await
            .map_err(backend)?;
        for row in &rows {
            found.push((row.try_get(0).map_err(backend)?, row.try_get(1).map_err(backend)?));
        }
    }
    Ok(found)
}

/// A database error as a store error: unique violations become `Conflict(what)`.
fn conflict_or_backend(what: &'static str) -> impl Fn(DbError) -> StoreError {
    move |err| if err.is_unique_violation() { StoreError::Conflict(what) } else { backend(err) }
}

fn backend(err: DbError) -> StoreError {
    StoreError::Backend(anyhow::Error::new(err))
}

/// A stored SHA-256 hash.
fn hash_column(row: &Row, column: &str) -> StoreResult<keygate_core::secret::SecretHash> {
    let bytes: Vec<u8> = row.try_get(column).map_err(backend)?;
    keygate_core::secret::SecretHash::from_bytes(&bytes)
        .ok_or_else(|| StoreError::Backend(anyhow::anyhow!("column {column}: bad hash length")))
}

/// A stored JSON list of strings.
fn json_list(row: &Row, column: &str) -> StoreResult<Vec<String>> {
    let text: String = row.try_get(column).map_err(backend)?;
    serde_json::from_str(&text).map_err(|e| StoreError::Backend(e.into()))
}

/// A JSON list for storage.
fn to_json(values: &[impl serde::Serialize]) -> StoreResult<String> {
    serde_json::to_string(values).map_err(|e| StoreError::Backend(e.into()))
}

/// A stored enum value.
fn parse_column<T: FromStr<Err = String>>(row: &Row, column: &str) -> StoreResult<T> {
    let text: String = row.try_get(column).map_err(backend)?;
    text.parse().map_err(|e: String| StoreError::Backend(anyhow::anyhow!("column {column}: {e}")))
}
