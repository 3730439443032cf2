//! Second factors: authenticator apps and recovery codes.

use async_trait::async_trait;
use keygate_core::secret::SecretHash;
use keygate_core::store::{MfaStore, StoreResult, TotpFactor};
use sqlx::Row;

use crate::{SqlStore, backend};

#[async_trait]
impl MfaStore for SqlStore {
    async fn put_totp(&self, f: &TotpFactor) -> StoreResult<()> {
        let mut tx = self.pool.begin().await.map_err(backend)?;
        sqlx::query("DELETE FROM mfa_totp WHERE user_id = $1")
            .bind(f.user_id.clone())
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        sqlx::query(
            "INSERT INTO mfa_totp (user_id, sealed_key, last_step, created_at, last_used_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(f.user_id.clone())
        .bind(f.sealed_key.clone())
        .bind(f.last_step)
        .bind(f.created_at)
        .bind(f.last_used_at)
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
        tx.commit().await.map_err(backend)
    }

    async fn find_totp(&self, user_id: &str) -> StoreResult<Option<TotpFactor>> {
        let row = sqlx::query(
            "SELECT user_id, sealed_key, last_step, created_at, last_used_at FROM mfa_totp \
             WHERE user_id = $1",
        )
        .bind(user_id.to_owned())
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)?;
        let Some(row) = row else { return Ok(None) };
        Ok(Some(TotpFactor {
            user_id: row.try_get("user_id").map_err(backend)?,
            sealed_key: row.try_get("sealed_key").map_err(backend)?,
            last_step: row.try_get("last_step").map_err(backend)?,
            created_at: row.try_get("created_at").map_err(backend)?,
            last_used_at: row.try_get("last_used_at").map_err(backend)?,
        }))
    }

    async fn use_totp_step(&self, user_id: &str, step: i64, now: i64) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE mfa_totp SET last_step = $2, last_used_at = $3 \
             WHERE user_id = $1 AND last_step < $2",
        )
        .bind(user_id.to_owned())
        .bind(step)
        .bind(now)
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(done.rows_affected() == 1)
    }

    async fn delete_totp(&self, user_id: &str) -> StoreResult<bool> {
        let done = sqlx::query("DELETE FROM mfa_totp WHERE user_id = $1")
            .bind(user_id.to_owned())
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(done.rows_affected() == 1)
    }

    async fn replace_recovery_codes(
        &self,
        user_id: &str,
        hashes: &[SecretHash],
    ) -> StoreResult<()> {
        let mut tx = self.pool.begin().await.map_err(backend)?;
        sqlx::query("DELETE FROM mfa_recovery_codes WHERE user_id = $1")
            .bind(user_id.to_owned())
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        for hash in hashes {
            sqlx::query("INSERT INTO mfa_recovery_codes (user_id, code_hash) VALUES ($1, $2)")
                .bind(user_id.to_owned())
                .bind(hash.as_bytes().to_vec())
                .execute(&mut *tx)
                .await
                .map_err(backend)?;
        }
        tx.commit().await.map_err(backend)
    }

    async fn use_recovery_code(
        &self,
        user_id: &str,
        hash: &SecretHash,
        now: i64,
    ) -> StoreResult<Option<i64>> {
        let done = sqlx::query(
            "UPDATE mfa_recovery_codes SET used_at = $3 \
             WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL",
        )
        .bind(user_id.to_owned())
        .bind(hash.as_bytes().to_vec())
        .bind(now)
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        if done.rows_affected() != 1 {
            return Ok(None);
        }
        Ok(Some(self.count_recovery_codes(user_id).await?))
    }

    async fn count_recovery_codes(&self, user_id: &str) -> StoreResult<i64> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n FROM mfa_recovery_codes WHERE user_id = $1 AND used_at IS NULL",
        )
        .bind(user_id.to_owned())
        .fetch_one(&self.pool)
        .await
        .map_err(backend)?;
        row.try_get("n").map_err(backend)
    }
}
