use async_trait::async_trait;
use keygate_core::scope::split_scope;
use keygate_core::secret::SecretHash;
use keygate_core::store::{
    AuthorizationCode, Consumed, Grant, GrantStore, RefreshToken, StoreError, StoreResult,
};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::{SqlStore, backend, json_list, to_json};

fn code_from_row(row: &AnyRow) -> StoreResult<AuthorizationCode> {
    Ok(AuthorizationCode {
        grant_id: row.try_get("grant_id").map_err(backend)?,
        client_id: row.try_get("client_id").map_err(backend)?,
        redirect_uri: row.try_get("redirect_uri").map_err(backend)?,
        code_challenge: row.try_get("code_challenge").map_err(backend)?,
        nonce: row.try_get("nonce").map_err(backend)?,
        expires_at: row.try_get("expires_at").map_err(backend)?,
    })
}

fn refresh_from_row(row: &AnyRow) -> StoreResult<RefreshToken> {
    let scope: String = row.try_get("scope").map_err(backend)?;
    Ok(RefreshToken {
        grant_id: row.try_get("grant_id").map_err(backend)?,
        client_id: row.try_get("client_id").map_err(backend)?,
        scope: split_scope(&scope),
        created_at: row.try_get("created_at").map_err(backend)?,
        expires_at: row.try_get("expires_at").map_err(backend)?,
        used_at: row.try_get("used_at").map_err(backend)?,
        successor: optional_hash(row, "successor_hash")?,
        superseded_at: row.try_get("superseded_at").map_err(backend)?,
    })
}

fn optional_hash(row: &AnyRow, column: &str) -> StoreResult<Option<SecretHash>> {
    let bytes: Option<Vec<u8>> = row.try_get(column).map_err(backend)?;
    bytes
        .map(|b| {
            SecretHash::from_bytes(&b)
                .ok_or_else(|| StoreError::Backend(anyhow::anyhow!("{column} is not a hash")))
        })
        .transpose()
}

const SELECT_GRANT: &str = "SELECT id, client_id, user_id, scope, resources, claims, sid, \
     auth_time, amr, created_at, revoked_at, authorization_details, idp FROM grants";

fn grant_from_row(row: &AnyRow) -> StoreResult<Grant> {
    let scope: String = row.try_get("scope").map_err(backend)?;
    let details: Option<String> = row.try_get("authorization_details").map_err(backend)?;
    Ok(Grant {
        id: row.try_get("id").map_err(backend)?,
        client_id: row.try_get("client_id").map_err(backend)?,
        user_id: row.try_get("user_id").map_err(backend)?,
        scope: split_scope(&scope),
        resources: json_list(row, "resources")?,
        claims: row.try_get("claims").map_err(backend)?,
        sid: row.try_get("sid").map_err(backend)?,
        auth_time: row.try_get("auth_time").map_err(backend)?,
        amr: json_list(row, "amr")?,
        created_at: row.try_get("created_at").map_err(backend)?,
        revoked_at: row.try_get("revoked_at").map_err(backend)?,
        authorization_details: match details {
            Some(text) => serde_json::from_str(&text).map_err(|e| StoreError::Backend(e.into()))?,
            None => Vec::new(),
        },
        idp: row.try_get("idp").map_err(backend)?,
    })
}

const CODE_COLUMNS: &str = "grant_id, client_id, redirect_uri, code_challenge, nonce, expires_at";
const REFRESH_COLUMNS: &str =
    "grant_id, client_id, scope, created_at, expires_at, used_at, successor_hash, superseded_at";

#[async_trait]
impl GrantStore for SqlStore {
    async fn insert_grant(&self, g: &Grant) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO grants (id, client_id, user_id, scope, resources, claims, sid, auth_time, \
             amr, created_at, revoked_at, authorization_details, idp) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        )
        .bind(g.id.clone())
        .bind(g.client_id.clone())
        .bind(g.user_id.clone())
        .bind(g.scope.join(" "))
        .bind(to_json(&g.resources)?)
        .bind(g.claims.clone())
        .bind(g.sid.clone())
        .bind(g.auth_time)
        .bind(to_json(&g.amr)?)
        .bind(g.created_at)
        .bind(g.revoked_at)
        .bind(if g.authorization_details.is_empty() {
            None
        } else {
            Some(to_json(&g.authorization_details)?)
        })
        .bind(g.idp.clone())
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn find_grant(&self, id: &str) -> StoreResult<Option<Grant>> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!("{SELECT_GRANT} WHERE id = $1")))
            .bind(id.to_owned())
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)?;
        row.as_ref().map(grant_from_row).transpose()
    }

    async fn grants_for_session(&self, sid: &str) -> StoreResult<Vec<Grant>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "{SELECT_GRANT} WHERE sid = $1 AND revoked_at IS NULL ORDER BY created_at"
        )))
        .bind(sid.to_owned())
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        rows.iter().map(grant_from_row).collect()
    }

    async fn revoke_grant(&self, id: &str, now: i64) -> StoreResult<()> {
        sqlx::query("UPDATE grants SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL")
            .bind(id.to_owned())
            .bind(now)
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn revoke_user_grants(
        &self,
        user_id: &str,
        client_id: Option<&str>,
        now: i64,
    ) -> StoreResult<u64> {
        let done = sqlx::query(
            "UPDATE grants SET revoked_at = $3 WHERE user_id = $1 \
             AND ($2 IS NULL OR client_id = $2) AND revoked_at IS NULL",
        )
        .bind(user_id.to_owned())
        .bind(client_id.map(str::to_owned))
        .bind(now)
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(done.rows_affected())
    }

    async fn insert_code(&self, hash: &SecretHash, c: &AuthorizationCode) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO authorization_codes (code_hash, grant_id, client_id, redirect_uri, \
             code_challenge, nonce, expires_at, consumed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, NULL)",
        )
        .bind(hash.as_bytes().to_vec())
        .bind(c.grant_id.clone())
        .bind(c.client_id.clone())
        .bind(c.redirect_uri.clone())
        .bind(c.code_challenge.clone())
        .bind(c.nonce.clone())
        .bind(c.expires_at)
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn consume_code(
        &self,
        hash: &SecretHash,
        client_id: &str,
        now: i64,
    ) -> StoreResult<Consumed<AuthorizationCode>> {
        let sql = format!(
            "UPDATE authorization_codes SET consumed_at = $2 \
             WHERE code_hash = $1 AND consumed_at IS NULL AND client_id = $3 RETURNING {CODE_COLUMNS}"
        );
        let consumed = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(hash.as_bytes().to_vec())
            .bind(now)
            .bind(client_id.to_owned())
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)?;
        if let Some(row) = consumed {
            return Ok(Consumed::Fresh(code_from_row(&row)?));
        }
        let sql = format!("SELECT {CODE_COLUMNS} FROM authorization_codes WHERE code_hash = $1");
        let earlier = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(hash.as_bytes().to_vec())
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)?;
        Ok(match earlier {
            Some(row) => Consumed::AlreadyUsed(code_from_row(&row)?),
            None => Consumed::Missing,
        })
    }

    async fn insert_refresh_token(&self, hash: &SecretHash, t: &RefreshToken) -> StoreResult<()> {
        // A successor retired before it was stored (a reuse raced its rotation) stays retired.
        sqlx::query(
            "INSERT INTO refresh_tokens (token_hash, grant_id, client_id, scope, created_at, \
             expires_at, used_at, successor_hash, superseded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (token_hash) DO NOTHING",
        )
        .bind(hash.as_bytes().to_vec())
        .bind(t.grant_id.clone())
        .bind(t.client_id.clone())
        .bind(t.scope.join(" "))
        .bind(t.created_at)
        .bind(t.expires_at)
        .bind(t.used_at)
        .bind(t.successor.as_ref().map(|h| h.as_bytes().to_vec()))
        .bind(t.superseded_at)
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn rotate_refresh_token(
        &self,
        hash: &SecretHash,
        client_id: &str,
        successor: &SecretHash,
        now: i64,
    ) -> StoreResult<Consumed<RefreshToken>> {
        let sql = format!(
            "UPDATE refresh_tokens SET used_at = $2, successor_hash = $3 \
             WHERE token_hash = $1 AND used_at IS NULL AND client_id = $4 RETURNING {REFRESH_COLUMNS}"
        );
        let rotated = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(hash.as_bytes().to_vec())
            .bind(now)
            .bind(successor.as_bytes().to_vec())
            .bind(client_id.to_owned())
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)?;
        if let Some(row) = rotated {
            return Ok(Consumed::Fresh(refresh_from_row(&row)?));
        }
        Ok(match self.find_refresh_token(hash).await? {
            Some(token) => Consumed::AlreadyUsed(token),
            None => Consumed::Missing,
        })
    }

    async fn replace_refresh_successor(
        &self,
        hash: &SecretHash,
        expected: &SecretHash,
        successor: &SecretHash,
        now: i64,
    ) -> StoreResult<bool> {
        let mut tx = self.pool.begin().await.map_err(backend)?;
        let moved = sqlx::query(
            "UPDATE refresh_tokens SET successor_hash = $3 \
             WHERE token_hash = $1 AND successor_hash = $2 AND superseded_at IS NULL",
        )
        .bind(hash.as_bytes().to_vec())
        .bind(expected.as_bytes().to_vec())
        .bind(successor.as_bytes().to_vec())
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
        if moved.rows_affected() != 1 {
            return Ok(false);
        }
        // Retire the expected successor: update it if it is unused, or store it retired if its
        // rotation has not stored it yet; if it was used, the chain moved on.
        let retired = sqlx::query(
            "INSERT INTO refresh_tokens (token_hash, grant_id, client_id, scope, created_at, \
             expires_at, used_at, successor_hash, superseded_at) \
             SELECT $2, grant_id, client_id, scope, $3, expires_at, $3, NULL, $3 \
             FROM refresh_tokens WHERE token_hash = $1 \
             ON CONFLICT (token_hash) DO UPDATE SET used_at = $3, superseded_at = $3 \
             WHERE refresh_tokens.used_at IS NULL",
        )
        .bind(hash.as_bytes().to_vec())
        .bind(expected.as_bytes().to_vec())
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
        if retired.rows_affected() != 1 {
            return Ok(false);
        }
        tx.commit().await.map_err(backend)?;
        Ok(true)
    }

    async fn find_refresh_token(&self, hash: &SecretHash) -> StoreResult<Option<RefreshToken>> {
        let sql = format!("SELECT {REFRESH_COLUMNS} FROM refresh_tokens WHERE token_hash = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(hash.as_bytes().to_vec())
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)?;
        row.as_ref().map(refresh_from_row).transpose()
    }
}
