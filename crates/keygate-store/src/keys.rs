use async_trait::async_trait;
use keygate_core::keys::StoredKey;
use keygate_core::store::{KeyInsert, KeyStore, StoreError, StoreResult};

use crate::db::query;
use crate::{SqlStore, backend, bump_revision, conflict_or_backend, parse_column};

#[async_trait]
impl KeyStore for SqlStore {
    async fn list_keys(&self) -> StoreResult<Vec<StoredKey>> {
        let rows = query(
            "SELECT kid, alg, sealed_private, public_jwk, created_at, retired_at \
             FROM signing_keys ORDER BY created_at DESC, kid",
        )
        .fetch_all(&self.db)
        .await
        .map_err(backend)?;
        rows.iter()
            .map(|row| {
                Ok(StoredKey {
                    kid: row.try_get("kid").map_err(backend)?,
                    alg: parse_column(row, "alg")?,
                    sealed_private: row.try_get("sealed_private").map_err(backend)?,
                    public_jwk: row.try_get("public_jwk").map_err(backend)?,
                    created_at: row.try_get("created_at").map_err(backend)?,
                    retired_at: row.try_get("retired_at").map_err(backend)?,
                })
            })
            .collect()
    }

    async fn insert_key(&self, key: &StoredKey, mode: KeyInsert) -> StoreResult<()> {
        if key.retired_at.is_some() {
            return Err(StoreError::Backend(anyhow::anyhow!("a new key must be active")));
        }
        let mut tx = self.db.begin().await.map_err(backend)?;
        if let KeyInsert::Rotate { now } = mode {
            query("UPDATE signing_keys SET retired_at = $1 WHERE alg = $2 AND retired_at IS NULL")
                .bind(now)
                .bind(key.alg.as_str())
                .execute(&mut tx)
                .await
                .map_err(backend)?;
        }
        query(
            "INSERT INTO signing_keys (kid, alg, sealed_private, public_jwk, created_at, retired_at) \
             VALUES ($1, $2, $3, $4, $5, NULL)",
        )
        .bind(key.kid.clone())
        .bind(key.alg.as_str())
        .bind(key.sealed_private.clone())
        .bind(key.public_jwk.clone())
        .bind(key.created_at)
        .execute(&mut tx)
        .await
        .map_err(conflict_or_backend("an active signing key for this algorithm"))?;
        bump_revision(&mut tx).await?;
        tx.commit().await.map_err(backend)
    }
}
