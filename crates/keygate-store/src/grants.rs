use async_trait::async_trait;
use keygate_core::scope::split_scope;
use keygate_core::secret::SecretHash;
use keygate_core::store::{
    AuthorizationCode, Consumed, Grant, GrantStore, RefreshContext, RefreshToken, StoreError,
    StoreResult,
};
use std::sync::LazyLock;

use keygate_core::user::User;

use crate::cols::{Cols, aliased};
use crate::db::{Query, Row, query};
use crate::{Backend, SqlStore, backend, to_json};

fn code_from_row(row: &Row) -> StoreResult<AuthorizationCode> {
    Ok(AuthorizationCode {
        grant_id: row.try_get("grant_id").map_err(backend)?,
        client_id: row.try_get("client_id").map_err(backend)?,
        redirect_uri: row.try_get("redirect_uri").map_err(backend)?,
        code_challenge: row.try_get("code_challenge").map_err(backend)?,
        nonce: row.try_get("nonce").map_err(backend)?,
        expires_at: row.try_get("expires_at").map_err(backend)?,
        dpop_jkt: row.try_get("dpop_jkt").map_err(backend)?,
    })
}

fn refresh_from_row(row: &Row) -> StoreResult<RefreshToken> {
    refresh_from(Cols::plain(row))
}

fn refresh_from(c: Cols<'_>) -> StoreResult<RefreshToken> {
    let scope: String = c.get("scope")?;
    let successor: Option<Vec<u8>> = c.get("successor_hash")?;
    Ok(RefreshToken {
        grant_id: c.get("grant_id")?,
        client_id: c.get("client_id")?,
        scope: split_scope(&scope),
        created_at: c.get("created_at")?,
        expires_at: c.get("expires_at")?,
        used_at: c.get("used_at")?,
        successor: successor
            .map(|b| {
                SecretHash::from_bytes(&b).ok_or_else(|| {
                    StoreError::Backend(anyhow::anyhow!("successor_hash is not a hash"))
                })
            })
            .transpose()?,
        superseded_at: c.get("superseded_at")?,
        dpop_jkt: c.get("dpop_jkt")?,
    })
}

const GRANT_COLUMNS: &str = "id, client_id, user_id, scope, resources, claims, sid, \
     auth_time, amr, created_at, revoked_at, authorization_details, idp";
const SELECT_GRANT: &str = "SELECT id, client_id, user_id, scope, resources, claims, sid, \
     auth_time, amr, created_at, revoked_at, authorization_details, idp FROM grants";

fn grant_from_row(row: &Row) -> StoreResult<Grant> {
    grant_from(Cols::plain(row))
}

fn grant_from(c: Cols<'_>) -> StoreResult<Grant> {
    let scope: String = c.get("scope")?;
    let details: Option<String> = c.get("authorization_details")?;
    Ok(Grant {
        id: c.get("id")?,
        client_id: c.get("client_id")?,
        user_id: c.get("user_id")?,
        scope: split_scope(&scope),
        resources: c.json_list("resources")?,
        claims: c.get("claims")?,
        sid: c.get("sid")?,
        auth_time: c.get("auth_time")?,
        amr: c.json_list("amr")?,
        created_at: c.get("created_at")?,
        revoked_at: c.get("revoked_at")?,
        authorization_details: match details {
            Some(text) => serde_json::from_str(&text).map_err(|e| StoreError::Backend(e.into()))?,
            None => Vec::new(),
        },
        idp: c.get("idp")?,
    })
}

/// The grant and user columns of a joined row (`g_`, `u_`); `None` where the join found none.
fn grant_and_user(row: &Row) -> StoreResult<Option<(Grant, Option<User>)>> {
    let grant_id: Option<String> = Cols::prefixed(row, "g_").get("id")?;
    if grant_id.is_none() {
        return Ok(None);
    }
    let grant = grant_from(Cols::prefixed(row, "g_"))?;
    let user_id: Option<String> = Cols::prefixed(row, "u_").get("id")?;
    let user = match user_id {
        Some(_) => Some(crate::users::user_from(Cols::prefixed(row, "u_"))?),
        None => None,
    };
    Ok(Some((grant, user)))
}

/// A grant joined with its user, columns prefixed `g_` and `u_`.
static GRANT_WITH_USER: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT {}, {} FROM grants g LEFT JOIN users u ON u.id = g.user_id WHERE g.id = $1",
        aliased("g", "g_", GRANT_COLUMNS),
        aliased("u", "u_", crate::users::COLUMNS)
    )
});

/// A refresh token joined with its grant and the grant's user (`r_`, `g_`, `u_`).
static REFRESH_WITH_GRANT: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT {}, {}, {} FROM refresh_tokens r LEFT JOIN grants g ON g.id = r.grant_id \
         LEFT JOIN users u ON u.id = g.user_id WHERE r.token_hash = $1",
        aliased("r", "r_", REFRESH_COLUMNS),
        aliased("g", "g_", GRANT_COLUMNS),
        aliased("u", "u_", crate::users::COLUMNS)
    )
});

/// Marks an unused refresh token of the client used and names its successor:
/// `$1` token, `$2` now, `$3` successor, `$4` client.
static ROTATE_REFRESH: LazyLock<String> = LazyLock::new(|| {
    format!(
        "UPDATE refresh_tokens SET used_at = $2, successor_hash = $3 \
         WHERE token_hash = $1 AND used_at IS NULL AND client_id = $4 RETURNING {REFRESH_COLUMNS}"
    )
});

/// PostgreSQL's rotation that stores the successor too, in one statement: the insert is a
/// data-modifying CTE on the rotated row, so nothing is stored when nothing rotated.
static ROTATE_REFRESH_STORING_SUCCESSOR: LazyLock<String> = LazyLock::new(|| {
    format!(
        "WITH rotated AS ({}), stored AS (INSERT INTO refresh_tokens (token_hash, grant_id, \
         client_id, scope, created_at, expires_at, used_at, successor_hash, superseded_at, \
         dpop_jkt) SELECT $3, $5, $6, $7, $8, $9, NULL, NULL, NULL, $10 FROM rotated \
         ON CONFLICT (token_hash) DO NOTHING) SELECT {REFRESH_COLUMNS} FROM rotated",
        ROTATE_REFRESH.as_str()
    )
});

/// Stores a new grant.
fn insert_grant(g: &Grant) -> StoreResult<Query> {
    let details = if g.authorization_details.is_empty() {
        None
    } else {
        Some(to_json(&g.authorization_details)?)
    };
    Ok(query(
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
    .bind(details)
    .bind(g.idp.clone()))
}

/// Stores an authorization code by hash, unconsumed.
fn insert_code(hash: &SecretHash, c: &AuthorizationCode) -> Query {
    query(
        "INSERT INTO authorization_codes (code_hash, grant_id, client_id, redirect_uri, \
         code_challenge, nonce, expires_at, consumed_at, dpop_jkt) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, $8)",
    )
    .bind(hash.as_bytes().to_vec())
    .bind(c.grant_id.clone())
    .bind(c.client_id.clone())
    .bind(c.redirect_uri.clone())
    .bind(c.code_challenge.clone())
    .bind(c.nonce.clone())
    .bind(c.expires_at)
    .bind(c.dpop_jkt.clone())
}

/// Stores a refresh token. A successor retired before it was stored (a reuse raced its
/// rotation) stays retired.
fn insert_refresh(hash: &SecretHash, t: &RefreshToken) -> Query {
    query(
        "INSERT INTO refresh_tokens (token_hash, grant_id, client_id, scope, created_at, \
         expires_at, used_at, successor_hash, superseded_at, dpop_jkt) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (token_hash) DO NOTHING",
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
    .bind(t.dpop_jkt.clone())
}

const CODE_COLUMNS: &str =
    "grant_id, client_id, redirect_uri, code_challenge, nonce, expires_at, dpop_jkt";
const REFRESH_COLUMNS: &str = "grant_id, client_id, scope, created_at, expires_at, used_at, \
     successor_hash, superseded_at, dpop_jkt";

#[async_trait]
impl GrantStore for SqlStore {
    async fn insert_grant(&self, g: &Grant) -> StoreResult<()> {
        insert_grant(g)?.execute(&self.db).await.map_err(backend)?;
        Ok(())
    }

    async fn find_grant(&self, id: &str) -> StoreResult<Option<Grant>> {
        let row = query(format!("{SELECT_GRANT} WHERE id = $1"))
            .bind(id.to_owned())
            .fetch_optional(&self.db)
            .await
            .map_err(backend)?;
        row.as_ref().map(grant_from_row).transpose()
    }

    async fn grants_for_session(&self, sid: &str) -> StoreResult<Vec<Grant>> {
        let rows = query(format!(
            "{SELECT_GRANT} WHERE sid = $1 AND revoked_at IS NULL ORDER BY created_at"
        ))
        .bind(sid.to_owned())
        .fetch_all(&self.db)
        .await
        .map_err(backend)?;
        rows.iter().map(grant_from_row).collect()
    }

    async fn revoke_grant(&self, id: &str, now: i64) -> StoreResult<()> {
        query("UPDATE grants SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL")
            .bind(id.to_owned())
            .bind(now)
            .execute(&self.db)
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
        let done = query(
            "UPDATE grants SET revoked_at = $3 WHERE user_id = $1 \
             AND ($2 IS NULL OR client_id = $2) AND revoked_at IS NULL",
        )
        .bind(user_id.to_owned())
        .bind(client_id.map(str::to_owned))
        .bind(now)
        .execute(&self.db)
        .await
        .map_err(backend)?;
        Ok(done.rows_affected())
    }

    async fn insert_code(&self, hash: &SecretHash, c: &AuthorizationCode) -> StoreResult<()> {
        insert_code(hash, c).execute(&self.db).await.map_err(backend)?;
        Ok(())
    }

    async fn insert_grant_with_code(
        &self,
        grant: &Grant,
        hash: &SecretHash,
        c: &AuthorizationCode,
    ) -> StoreResult<()> {
        match self.backend {
            // One transaction on the writing connection: one commit instead of two.
            Backend::Sqlite => {
                let mut tx = self.db.begin().await.map_err(backend)?;
                insert_grant(grant)?.execute(&mut tx).await.map_err(backend)?;
                insert_code(hash, c).execute(&mut tx).await.map_err(backend)?;
                tx.commit().await.map_err(backend)?;
            }
            // Two statements, two round trips (a transaction would be four).
            Backend::Postgres => {
                insert_grant(grant)?.execute(&self.db).await.map_err(backend)?;
                insert_code(hash, c).execute(&self.db).await.map_err(backend)?;
            }
        }
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
        let consumed = query(sql)
            .bind(hash.as_bytes().to_vec())
            .bind(now)
            .bind(client_id.to_owned())
            .fetch_optional(&self.db)
            .await
            .map_err(backend)?;
        if let Some(row) = consumed {
            return Ok(Consumed::Fresh(code_from_row(&row)?));
        }
        let sql = format!("SELECT {CODE_COLUMNS} FROM authorization_codes WHERE code_hash = $1");
        let earlier = query(sql)
            .bind(hash.as_bytes().to_vec())
            .fetch_optional(&self.db)
            .await
            .map_err(backend)?;
        Ok(match earlier {
            Some(row) => Consumed::AlreadyUsed(code_from_row(&row)?),
            None => Consumed::Missing,
        })
    }

    async fn insert_refresh_token(&self, hash: &SecretHash, t: &RefreshToken) -> StoreResult<()> {
        insert_refresh(hash, t).execute(&self.db).await.map_err(backend)?;
        Ok(())
    }

    async fn rotate_refresh_token(
        &self,
        hash: &SecretHash,
        client_id: &str,
        successor: (&SecretHash, Option<&RefreshToken>),
        now: i64,
    ) -> StoreResult<Consumed<RefreshToken>> {
        let bind = |sql: &'static str| {
            query(sql)
                .bind(hash.as_bytes().to_vec())
                .bind(now)
                .bind(successor.0.as_bytes().to_vec())
                .bind(client_id.to_owned())
        };
        let rotate = bind(ROTATE_REFRESH.as_str());
        let rotated = match (successor.1, self.backend) {
            (None, _) => rotate.fetch_optional(&self.db).await.map_err(backend)?,
            (Some(next), Backend::Postgres) => {
                let rotate = bind(ROTATE_REFRESH_STORING_SUCCESSOR.as_str());
                let rotate = rotate.bind(next.grant_id.clone()).bind(next.client_id.clone());
                let rotate = rotate.bind(next.scope.join(" ")).bind(next.created_at);
                let rotate = rotate.bind(next.expires_at).bind(next.dpop_jkt.clone());
                rotate.fetch_optional(&self.db).await.map_err(backend)?
            }
            // SQLite: one transaction on the writing connection, so one commit.
            (Some(next), Backend::Sqlite) => {
                let mut tx = self.db.begin().await.map_err(backend)?;
                let row = rotate.fetch_optional(&mut tx).await.map_err(backend)?;
                if row.is_some() {
                    insert_refresh(successor.0, next).execute(&mut tx).await.map_err(backend)?;
                    tx.commit().await.map_err(backend)?;
                }
                row
            }
        };
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
        let mut tx = self.db.begin().await.map_err(backend)?;
        let moved = query(
            "UPDATE refresh_tokens SET successor_hash = $3 \
             WHERE token_hash = $1 AND successor_hash = $2 AND superseded_at IS NULL",
        )
        .bind(hash.as_bytes().to_vec())
        .bind(expected.as_bytes().to_vec())
        .bind(successor.as_bytes().to_vec())
        .execute(&mut tx)
        .await
        .map_err(backend)?;
        if moved.rows_affected() != 1 {
            return Ok(false);
        }
        // Retire the expected successor: update it if it is unused, or store it retired if its
        // rotation has not stored it yet; if it was used, the chain moved on.
        let retired = query(
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
        .execute(&mut tx)
        .await
        .map_err(backend)?;
        if retired.rows_affected() != 1 {
            return Ok(false);
        }
        tx.commit().await.map_err(backend)?;
        Ok(true)
    }

    async fn find_grant_with_user(&self, id: &str) -> StoreResult<Option<(Grant, Option<User>)>> {
        let row = query(GRANT_WITH_USER.as_str())
            .bind(id.to_owned())
            .fetch_optional(&self.db)
            .await
            .map_err(backend)?;
        match row {
            Some(row) => grant_and_user(&row),
            None => Ok(None),
        }
    }

    async fn find_refresh_with_grant(
        &self,
        hash: &SecretHash,
    ) -> StoreResult<Option<RefreshContext>> {
        let row = query(REFRESH_WITH_GRANT.as_str())
            .bind(hash.as_bytes().to_vec())
            .fetch_optional(&self.db)
            .await
            .map_err(backend)?;
        match row {
            Some(row) => {
                Ok(Some((refresh_from(Cols::prefixed(&row, "r_"))?, grant_and_user(&row)?)))
            }
            None => Ok(None),
        }
    }

    async fn find_refresh_token(&self, hash: &SecretHash) -> StoreResult<Option<RefreshToken>> {
        let sql = format!("SELECT {REFRESH_COLUMNS} FROM refresh_tokens WHERE token_hash = $1");
        let row = query(sql)
            .bind(hash.as_bytes().to_vec())
            .fetch_optional(&self.db)
            .await
            .map_err(backend)?;
        row.as_ref().map(refresh_from_row).transpose()
    }
}
