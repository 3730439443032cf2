//! Second factors: authenticator apps and recovery codes.

use async_trait::async_trait;
use keygate_core::secret::SecretHash;
use keygate_core::store::{MfaStore, Passkey, PasskeyStore, PasskeyUse, StoreResult, TotpFactor};

use crate::cols::Cols;
use crate::db::{Row, query};
use crate::{SqlStore, backend, conflict_or_backend};

#[async_trait]
impl MfaStore for SqlStore {
    async fn put_totp(&self, f: &TotpFactor) -> StoreResult<()> {
        let mut tx = self.db.begin().await.map_err(backend)?;
        query("DELETE FROM mfa_totp WHERE user_id = $1")
            .bind(f.user_id.clone())
            .execute(&mut tx)
            .await
            .map_err(backend)?;
        query(
            "INSERT INTO mfa_totp (user_id, sealed_key, last_step, created_at, last_used_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(f.user_id.clone())
        .bind(f.sealed_key.clone())
        .bind(f.last_step)
        .bind(f.created_at)
        .bind(f.last_used_at)
        .execute(&mut tx)
        .await
        .map_err(backend)?;
        tx.commit().await.map_err(backend)
    }

    async fn find_totp(&self, user_id: &str) -> StoreResult<Option<TotpFactor>> {
        let row = query(
            "SELECT user_id, sealed_key, last_step, created_at, last_used_at FROM mfa_totp \
             WHERE user_id = $1",
        )
        .bind(user_id.to_owned())
        .fetch_optional(&self.db)
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
        let done = query(
            "UPDATE mfa_totp SET last_step = $2, last_used_at = $3 \
             WHERE user_id = $1 AND last_step < $2",
        )
        .bind(user_id.to_owned())
        .bind(step)
        .bind(now)
        .execute(&self.db)
        .await
        .map_err(backend)?;
        Ok(done.rows_affected() == 1)
    }

    async fn delete_totp(&self, user_id: &str) -> StoreResult<bool> {
        let done = query("DELETE FROM mfa_totp WHERE user_id = $1")
            .bind(user_id.to_owned())
            .execute(&self.db)
            .await
            .map_err(backend)?;
        Ok(done.rows_affected() == 1)
    }

    async fn replace_recovery_codes(
        &self,
        user_id: &str,
        hashes: &[SecretHash],
    ) -> StoreResult<()> {
        let mut tx = self.db.begin().await.map_err(backend)?;
        query("DELETE FROM mfa_recovery_codes WHERE user_id = $1")
            .bind(user_id.to_owned())
            .execute(&mut tx)
            .await
            .map_err(backend)?;
        for hash in hashes {
            query("INSERT INTO mfa_recovery_codes (user_id, code_hash) VALUES ($1, $2)")
                .bind(user_id.to_owned())
                .bind(hash.as_bytes().to_vec())
                .execute(&mut tx)
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
        let done = query(
            "UPDATE mfa_recovery_codes SET used_at = $3 \
             WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL",
        )
        .bind(user_id.to_owned())
        .bind(hash.as_bytes().to_vec())
        .bind(now)
        .execute(&self.db)
        .await
        .map_err(backend)?;
        if done.rows_affected() != 1 {
            return Ok(None);
        }
        Ok(Some(self.count_recovery_codes(user_id).await?))
    }

    async fn count_recovery_codes(&self, user_id: &str) -> StoreResult<i64> {
        let row = query(
            "SELECT COUNT(*) AS n FROM mfa_recovery_codes WHERE user_id = $1 AND used_at IS NULL",
        )
        .bind(user_id.to_owned())
        .fetch_one(&self.db)
        .await
        .map_err(backend)?;
        row.try_get("n").map_err(backend)
    }

    async fn recovery_code_hashes(&self, user_id: &str) -> StoreResult<Vec<SecretHash>> {
        let rows = query(
            "SELECT code_hash FROM mfa_recovery_codes WHERE user_id = $1 AND used_at IS NULL \
             ORDER BY code_hash",
        )
        .bind(user_id.to_owned())
        .fetch_all(&self.db)
        .await
        .map_err(backend)?;
        rows.iter().map(|row| crate::hash_column(row, "code_hash")).collect()
    }
}

const PASSKEY_COLUMNS: &str = "id, user_id, name, public_key, sign_count, uv_initialized, \
     backup_eligible, backup_state, transports, aaguid, created_at, last_used_at";

fn passkey_from_row(row: &Row) -> StoreResult<Passkey> {
    let c = Cols::plain(row);
    let flag = |col: &'static str| c.get::<i64>(col).map(|v| v != 0);
    let transports: String = c.get("transports")?;
    Ok(Passkey {
        id: c.get("id")?,
        user_id: c.get("user_id")?,
        name: c.get("name")?,
        public_key: c.get("public_key")?,
        sign_count: c.get("sign_count")?,
        uv_initialized: flag("uv_initialized")?,
        backup_eligible: flag("backup_eligible")?,
        backup_state: flag("backup_state")?,
        transports: transports.split_whitespace().map(str::to_owned).collect(),
        aaguid: c.get("aaguid")?,
        created_at: c.get("created_at")?,
        last_used_at: c.get("last_used_at")?,
    })
}

#[async_trait]
impl PasskeyStore for SqlStore {
    async fn insert_passkey(&self, p: &Passkey) -> StoreResult<()> {
        let sql = format!(
            "INSERT INTO passkeys ({PASSKEY_COLUMNS}) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
        );
        query(sql)
            .bind(p.id.clone())
            .bind(p.user_id.clone())
            .bind(p.name.clone())
            .bind(p.public_key.clone())
            .bind(p.sign_count)
            .bind(i64::from(p.uv_initialized))
            .bind(i64::from(p.backup_eligible))
            .bind(i64::from(p.backup_state))
            .bind(p.transports.join(" "))
            .bind(p.aaguid.clone())
            .bind(p.created_at)
            .bind(p.last_used_at)
            .execute(&self.db)
            .await
            .map_err(conflict_or_backend("passkey"))?;
        Ok(())
    }

    async fn list_passkeys(&self, user_id: &str) -> StoreResult<Vec<Passkey>> {
        let sql = format!(
            "SELECT {PASSKEY_COLUMNS} FROM passkeys WHERE user_id = $1 ORDER BY created_at, id"
        );
        let rows =
            query(sql).bind(user_id.to_owned()).fetch_all(&self.db).await.map_err(backend)?;
        rows.iter().map(passkey_from_row).collect()
    }

    async fn find_passkey(&self, id: &[u8]) -> StoreResult<Option<Passkey>> {
        let sql = format!("SELECT {PASSKEY_COLUMNS} FROM passkeys WHERE id = $1");
        let row = query(sql).bind(id.to_vec()).fetch_optional(&self.db).await.map_err(backend)?;
        row.as_ref().map(passkey_from_row).transpose()
    }

    async fn use_passkey(&self, id: &[u8], used: &PasskeyUse) -> StoreResult<bool> {
        let done = query(
            "UPDATE passkeys SET sign_count = $2, backup_state = $3, last_used_at = $4, \
             uv_initialized = CASE WHEN $5 = 1 THEN 1 ELSE uv_initialized END \
             WHERE id = $1 AND (sign_count < $2 OR (sign_count = 0 AND $2 = 0))",
        )
        .bind(id.to_vec())
        .bind(used.sign_count)
        .bind(i64::from(used.backup_state))
        .bind(used.now)
        .bind(i64::from(used.user_verified))
        .execute(&self.db)
        .await
        .map_err(backend)?;
        Ok(done.rows_affected() == 1)
    }

    async fn rename_passkey(&self, user_id: &str, id: &[u8], name: &str) -> StoreResult<bool> {
        let done = query("UPDATE passkeys SET name = $3 WHERE user_id = $1 AND id = $2")
            .bind(user_id.to_owned())
            .bind(id.to_vec())
            .bind(name.to_owned())
            .execute(&self.db)
            .await
            .map_err(backend)?;
        Ok(done.rows_affected() == 1)
    }

    async fn delete_passkeys(&self, user_id: &str, id: Option<&[u8]>) -> StoreResult<u64> {
        let done = match id {
            Some(id) => query("DELETE FROM passkeys WHERE user_id = $1 AND id = $2")
                .bind(user_id.to_owned())
                .bind(id.to_vec()),
            None => query("DELETE FROM passkeys WHERE user_id = $1").bind(user_id.to_owned()),
        }
        .execute(&self.db)
        .await
        .map_err(backend)?;
        Ok(done.rows_affected())
    }
}
