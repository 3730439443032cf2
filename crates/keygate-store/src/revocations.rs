//! Revoked token ids, and the feed of revocations that keeps every node's
//! `keygate_core::revocation_watch` current.
//!
//! Both backends record revocations with triggers (migration 0008), so that every writer is
//! covered: this node, another node, the CLI, a cascade from a deleted user. On PostgreSQL the
//! triggers `NOTIFY` the channel [`CHANNEL`], delivered to listeners when the writing
//! transaction commits. SQLite has no notifications and one writer at a time, so its triggers
//! append to `revocation_log`, whose sequence numbers follow commit order, and the feed polls it.
//!
//! Client assertion replay keys (`assertion:...`) share the `revoked_tokens` table but are not
//! access tokens; the triggers leave them out.

use std::collections::VecDeque;
use std::time::Duration;

use async_trait::async_trait;
use keygate_core::store::{RevocationFeed, RevocationStore, Revoked, StoreError, StoreResult};
use sqlx::postgres::PgListener;

use crate::db::{Db, query};

use crate::{Backend, SqlStore, backend};

/// The PostgreSQL notification channel revocations are sent on.
pub const CHANNEL: &str = "keygate_revocations";

/// How often the SQLite feed reads the log.
const SQLITE_POLL: Duration = Duration::from_millis(200);

/// The most log rows the SQLite feed reads at once.
const SQLITE_BATCH: i64 = 1_000;

#[async_trait]
impl RevocationStore for SqlStore {
    async fn revoke_jti(&self, jti: &str, client_id: &str, expires_at: i64) -> StoreResult<bool> {
        let done = query(
            "INSERT INTO revoked_tokens (jti, client_id, expires_at) VALUES ($1, $2, $3) \
             ON CONFLICT (jti) DO NOTHING",
        )
        .bind(jti.to_owned())
        .bind(client_id.to_owned())
        .bind(expires_at)
        .execute(&self.db)
        .await
        .map_err(backend)?;
        Ok(done.rows_affected() == 1)
    }

    async fn is_jti_revoked(&self, jti: &str) -> StoreResult<bool> {
        let row = query("SELECT 1 FROM revoked_tokens WHERE jti = $1")
            .bind(jti.to_owned())
            .fetch_optional(&self.db)
            .await
            .map_err(backend)?;
        Ok(row.is_some())
    }

    async fn revocation_feed(&self) -> StoreResult<Box<dyn RevocationFeed>> {
        match self.backend {
            Backend::Postgres => {
                let mut listener = PgListener::connect(&self.url.0).await.map_err(pg_error)?;
                listener.listen(CHANNEL).await.map_err(pg_error)?;
                Ok(Box::new(PgFeed(listener)))
            }
            Backend::Sqlite => {
                let row = query("SELECT MAX(seq) FROM revocation_log")
                    .fetch_one(&self.db)
                    .await
                    .map_err(backend)?;
                let last: Option<i64> = row.try_get(0).map_err(backend)?;
                let db = self.db.clone();
                Ok(Box::new(SqliteFeed { db, last: last.unwrap_or(0), due: VecDeque::new() }))
            }
        }
    }
}

/// A payload (`t:<jti>` or `g:<grant id>`, as the triggers write them) read back.
fn parse(kind: &str, id: &str) -> Option<Revoked> {
    match kind {
        "t" => Some(Revoked::Token(id.to_owned())),
        "g" => Some(Revoked::Grant(id.to_owned())),
        _ => None,
    }
}

struct PgFeed(PgListener);

#[async_trait]
impl RevocationFeed for PgFeed {
    async fn next(&mut self) -> StoreResult<Revoked> {
        loop {
            let Some(notification) = self.0.try_recv().await.map_err(pg_error)? else {
                return Err(StoreError::Backend(anyhow::anyhow!(
                    "the listener lost its connection"
                )));
            };
            let revoked = notification.payload().split_once(':').and_then(|(k, id)| parse(k, id));
            match revoked {
                Some(revoked) => return Ok(revoked),
                None => tracing::warn!(payload = notification.payload(), "unknown revocation"),
            }
        }
    }
}

struct SqliteFeed {
    db: Db,
    last: i64,
    due: VecDeque<Revoked>,
}

#[async_trait]
impl RevocationFeed for SqliteFeed {
    async fn next(&mut self) -> StoreResult<Revoked> {
        loop {
            if let Some(revoked) = self.due.pop_front() {
                return Ok(revoked);
            }
            tokio::time::sleep(SQLITE_POLL).await;
            let rows = query(
                "SELECT seq, kind, id FROM revocation_log WHERE seq > $1 ORDER BY seq LIMIT $2",
            )
            .bind(self.last)
            .bind(SQLITE_BATCH)
            .fetch_all(&self.db)
            .await
            .map_err(backend)?;
            for row in rows {
                self.last = row.try_get("seq").map_err(backend)?;
                let kind: String = row.try_get("kind").map_err(backend)?;
                let id: String = row.try_get("id").map_err(backend)?;
                self.due.extend(parse(&kind, &id));
            }
        }
    }
}

fn pg_error(err: sqlx::Error) -> StoreError {
    backend(err.into())
}
