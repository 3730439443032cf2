use async_trait::async_trait;
use keygate_core::secret::SecretHash;
use keygate_core::store::{
    AuthRequestStore, PendingRequest, PushedRequest, Session, SessionStore, StoreResult,
};

use crate::db::{Row, query};
use crate::{SqlStore, backend, conflict_or_backend, hash_column, json_list, to_json};

const SELECT_SESSION: &str =
    "SELECT sid, user_id, auth_time, amr, created_at, expires_at, idp FROM sessions";

fn session_from_row(row: &Row) -> StoreResult<Session> {
    Ok(Session {
        sid: row.try_get("sid").map_err(backend)?,
        user_id: row.try_get("user_id").map_err(backend)?,
        auth_time: row.try_get("auth_time").map_err(backend)?,
        amr: json_list(row, "amr")?,
        created_at: row.try_get("created_at").map_err(backend)?,
        expires_at: row.try_get("expires_at").map_err(backend)?,
        idp: row.try_get("idp").map_err(backend)?,
    })
}

#[async_trait]
impl SessionStore for SqlStore {
    async fn insert_session(&self, id_hash: &SecretHash, s: &Session) -> StoreResult<()> {
        query(
            "INSERT INTO sessions (id_hash, sid, user_id, auth_time, amr, created_at, expires_at, \
             idp) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(id_hash.as_bytes().to_vec())
        .bind(s.sid.clone())
        .bind(s.user_id.clone())
        .bind(s.auth_time)
        .bind(to_json(&s.amr)?)
        .bind(s.created_at)
        .bind(s.expires_at)
        .bind(s.idp.clone())
        .execute(&self.db)
        .await
        .map_err(conflict_or_backend("session"))?;
        Ok(())
    }

    async fn find_session(&self, id_hash: &SecretHash) -> StoreResult<Option<Session>> {
        let row = query(format!("{SELECT_SESSION} WHERE id_hash = $1"))
            .bind(id_hash.as_bytes().to_vec())
            .fetch_optional(&self.db)
            .await
            .map_err(backend)?;
        row.as_ref().map(session_from_row).transpose()
    }

    async fn sessions_for_user(&self, user_id: &str) -> StoreResult<Vec<Session>> {
        let rows =
            query(format!("{SELECT_SESSION} WHERE user_id = $1 ORDER BY created_at DESC, sid"))
                .bind(user_id.to_owned())
                .fetch_all(&self.db)
                .await
                .map_err(backend)?;
        rows.iter().map(session_from_row).collect()
    }

    async fn reauthenticate_session(
        &self,
        sid: &str,
        auth_time: i64,
        amr: &[String],
    ) -> StoreResult<bool> {
        let done = query("UPDATE sessions SET auth_time = $2, amr = $3 WHERE sid = $1")
            .bind(sid.to_owned())
            .bind(auth_time)
            .bind(to_json(amr)?)
            .execute(&self.db)
            .await
            .map_err(backend)?;
        Ok(done.rows_affected() == 1)
    }

    async fn delete_session(&self, sid: &str) -> StoreResult<bool> {
        let done = query("DELETE FROM sessions WHERE sid = $1")
            .bind(sid.to_owned())
            .execute(&self.db)
            .await
            .map_err(backend)?;
        Ok(done.rows_affected() > 0)
    }
}

#[async_trait]
impl AuthRequestStore for SqlStore {
    async fn insert_auth_request(&self, r: &PendingRequest) -> StoreResult<()> {
        query(
            "INSERT INTO auth_requests (id, browser_hash, request, expires_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(r.id.clone())
        .bind(r.browser_hash.as_bytes().to_vec())
        .bind(r.request.clone())
        .bind(r.expires_at)
        .execute(&self.db)
        .await
        .map_err(conflict_or_backend("authorization request"))?;
        Ok(())
    }

    async fn find_auth_request(&self, id: &str) -> StoreResult<Option<PendingRequest>> {
        let row = query(
            "SELECT id, browser_hash, request, expires_at FROM auth_requests \
             WHERE id = $1",
        )
        .bind(id.to_owned())
        .fetch_optional(&self.db)
        .await
        .map_err(backend)?;
        row.map(|row| {
            Ok(PendingRequest {
                id: row.try_get("id").map_err(backend)?,
                browser_hash: hash_column(&row, "browser_hash")?,
                request: row.try_get("request").map_err(backend)?,
                expires_at: row.try_get("expires_at").map_err(backend)?,
            })
        })
        .transpose()
    }

    async fn delete_auth_request(&self, id: &str) -> StoreResult<()> {
        query("DELETE FROM auth_requests WHERE id = $1")
            .bind(id.to_owned())
            .execute(&self.db)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn insert_pushed_request(
        &self,
        uri_hash: &SecretHash,
        r: &PushedRequest,
    ) -> StoreResult<()> {
        query(
            "INSERT INTO pushed_requests (uri_hash, client_id, request, expires_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(uri_hash.as_bytes().to_vec())
        .bind(r.client_id.clone())
        .bind(r.request.clone())
        .bind(r.expires_at)
        .execute(&self.db)
        .await
        .map_err(conflict_or_backend("pushed authorization request"))?;
        Ok(())
    }

    async fn take_pushed_request(
        &self,
        uri_hash: &SecretHash,
        client_id: &str,
        now: i64,
    ) -> StoreResult<Option<PushedRequest>> {
        let row = query(
            "DELETE FROM pushed_requests WHERE uri_hash = $1 AND client_id = $2 \
             AND expires_at > $3 RETURNING client_id, request, expires_at",
        )
        .bind(uri_hash.as_bytes().to_vec())
        .bind(client_id.to_owned())
        .bind(now)
        .fetch_optional(&self.db)
        .await
        .map_err(backend)?;
        row.map(|row| {
            Ok(PushedRequest {
                client_id: row.try_get("client_id").map_err(backend)?,
                request: row.try_get("request").map_err(backend)?,
                expires_at: row.try_get("expires_at").map_err(backend)?,
            })
        })
        .transpose()
    }
}
