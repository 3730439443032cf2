use async_trait::async_trait;
use keygate_core::secret::SecretHash;
use keygate_core::store::{
    AuditEvent, AuditQuery, AuditStore, RegistrationStore, StoreError, StoreResult,
};

use crate::db::query;
use crate::{SqlStore, backend, conflict_or_backend};

#[async_trait]
impl AuditStore for SqlStore {
    async fn append_audit(&self, e: &AuditEvent) -> StoreResult<()> {
        query(
            "INSERT INTO audit_log (at, actor, action, target, ip, details) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(e.at)
        .bind(e.actor.clone())
        .bind(e.action.clone())
        .bind(e.target.clone())
        .bind(e.ip.clone())
        .bind(e.details.to_string())
        .execute(&self.db)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn list_audit(&self, q: &AuditQuery) -> StoreResult<Vec<AuditEvent>> {
        let rows = query(
            "SELECT seq, at, actor, action, target, ip, details FROM audit_log \
             WHERE ($1 IS NULL OR seq < $1) AND ($2 IS NULL OR actor = $2) \
             AND ($3 IS NULL OR target = $3) \
             AND ($4 IS NULL OR action = $4 OR substr(action, 1, length($4)) = $4) \
             ORDER BY seq DESC LIMIT $5",
        )
        .bind(q.before)
        .bind(q.actor.clone())
        .bind(q.target.clone())
        .bind(q.action.clone())
        .bind(q.limit.clamp(1, 1000))
        .fetch_all(&self.db)
        .await
        .map_err(backend)?;
        rows.iter()
            .map(|row| {
                let details: String = row.try_get("details").map_err(backend)?;
                Ok(AuditEvent {
                    seq: row.try_get("seq").map_err(backend)?,
                    at: row.try_get("at").map_err(backend)?,
                    actor: row.try_get("actor").map_err(backend)?,
                    action: row.try_get("action").map_err(backend)?,
                    target: row.try_get("target").map_err(backend)?,
                    ip: row.try_get("ip").map_err(backend)?,
                    details: serde_json::from_str(&details)
                        .map_err(|e| StoreError::Backend(e.into()))?,
                })
            })
            .collect()
    }
}

#[async_trait]
impl RegistrationStore for SqlStore {
    async fn insert_initial_token(
        &self,
        hash: &SecretHash,
        note: &str,
        created_at: i64,
        expires_at: Option<i64>,
    ) -> StoreResult<()> {
        query(
            "INSERT INTO initial_access_tokens (token_hash, note, created_at, expires_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(hash.as_bytes().to_vec())
        .bind(note.to_owned())
        .bind(created_at)
        .bind(expires_at)
        .execute(&self.db)
        .await
        .map_err(conflict_or_backend("initial access token"))?;
        Ok(())
    }

    async fn initial_token_valid(&self, hash: &SecretHash, now: i64) -> StoreResult<bool> {
        let row = query(
            "SELECT 1 FROM initial_access_tokens WHERE token_hash = $1 \
             AND (expires_at IS NULL OR expires_at > $2)",
        )
        .bind(hash.as_bytes().to_vec())
        .bind(now)
        .fetch_optional(&self.db)
        .await
        .map_err(backend)?;
        Ok(row.is_some())
    }
}
