//! Storage traits, one per aggregate. `keygate-store` implements them on SQLite and PostgreSQL;
//! domain code never knows which. Every write that changes what nodes cache (clients, keys)
//! bumps the store's revision, which each node polls to drop its caches.

use async_trait::async_trait;

use crate::client::Client;
use crate::keys::StoredKey;
use crate::user::User;

/// A storage failure.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// A unique value (client id, username, email, active key) is already taken.
    #[error("{0} already exists")]
    Conflict(&'static str),
    /// The database failed.
    #[error(transparent)]
    Backend(#[from] anyhow::Error),
}

/// Result of a storage call.
pub type StoreResult<T> = Result<T, StoreError>;

/// Registered applications.
#[async_trait]
pub trait ClientStore: Send + Sync {
    /// Inserts a new client; `Conflict` if the id is taken.
    async fn insert_client(&self, client: &Client) -> StoreResult<()>;
    /// Replaces a client's row; `false` if there is none.
    async fn update_client(&self, client: &Client) -> StoreResult<bool>;
    /// One client by id.
    async fn find_client(&self, client_id: &str) -> StoreResult<Option<Client>>;
    /// Every client, ordered by id.
    async fn list_clients(&self) -> StoreResult<Vec<Client>>;
    /// Deletes a client; `false` if there was none.
    async fn delete_client(&self, client_id: &str) -> StoreResult<bool>;
}

/// User accounts.
#[async_trait]
pub trait UserStore: Send + Sync {
    /// Inserts a user; `Conflict` if the username or email is taken (case-insensitively).
    async fn insert_user(&self, user: &User) -> StoreResult<()>;
    /// Replaces a user's row; `false` if there is none.
    async fn update_user(&self, user: &User) -> StoreResult<bool>;
    /// One user by id, or by username or email (case-insensitive).
    async fn find_user(&self, id_or_login: &str) -> StoreResult<Option<User>>;
    /// Every user, ordered by username.
    async fn list_users(&self) -> StoreResult<Vec<User>>;
    /// Deletes a user; `false` if there was none.
    async fn delete_user(&self, id: &str) -> StoreResult<bool>;
}

/// Whether a new key replaces the active key of its algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyInsert {
    /// First key for the algorithm: `Conflict` if another node made one meanwhile.
    First,
    /// Rotation: the active key of the algorithm retires at `now`, atomically.
    Rotate {
        /// Retirement time of the old key.
        now: i64,
    },
}

/// Signing keys.
#[async_trait]
pub trait KeyStore: Send + Sync {
    /// Every stored key, newest first.
    async fn list_keys(&self) -> StoreResult<Vec<StoredKey>>;
    /// Adds a key as the active key of its algorithm.
    async fn insert_key(&self, key: &StoredKey, mode: KeyInsert) -> StoreResult<()>;
}

/// Revoked self-contained (JWT) access tokens, kept until they would have expired.
#[async_trait]
pub trait RevocationStore: Send + Sync {
    /// Records a revoked token id.
    async fn revoke_jti(&self, jti: &str, client_id: &str, expires_at: i64) -> StoreResult<()>;
    /// Whether a token id was revoked.
    async fn is_jti_revoked(&self, jti: &str) -> StoreResult<bool>;
}

/// The whole storage of a Keygate deployment.
#[async_trait]
pub trait Store:
    ClientStore + UserStore + KeyStore + RevocationStore + Send + Sync + 'static
{
    /// A counter bumped by every change to cached data (clients, keys).
    async fn revision(&self) -> StoreResult<i64>;
    /// Which backend this is, for start-up lines (`sqlite`, `postgres`).
    fn backend(&self) -> &'static str;
}
