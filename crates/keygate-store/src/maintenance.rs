//! Bounded deletion of expired rows, on one node at a time.

use async_trait::async_trait;
use keygate_core::store::{Cutoffs, MaintenanceStore, StoreResult};

use crate::clients::delete_client_rows;
use crate::db::{Tx, query};
use crate::documents::purge_document_clients;
use crate::{Backend, SqlStore, backend, bump_revision};

/// An arbitrary constant naming Keygate's cleanup lock ("kgclean" in ASCII).
const PG_CLEANUP_LOCK: i64 = 0x006b_6763_6c65_616e;

/// Which cutoff a table's rows are compared with.
#[derive(Clone, Copy)]
enum Cutoff {
    Now,
    Grace,
    Throttle,
    Consent,
    SignInLog,
}

impl Cutoff {
    /// The value of this cutoff; `None` when such rows never expire.
    fn of(self, cutoffs: &Cutoffs) -> Option<i64> {
        match self {
            Cutoff::Now => Some(cutoffs.now),
            Cutoff::Grace => Some(cutoffs.grace),
            Cutoff::Throttle => Some(cutoffs.throttle),
            Cutoff::Consent => cutoffs.consent,
            Cutoff::SignInLog => Some(cutoffs.signin_log),
        }
    }
}

/// Table, primary key (its columns), expiry column, cutoff.
const TABLES: &[(&str, &str, &str, Cutoff)] = &[
    ("sessions", "id_hash", "expires_at", Cutoff::Now),
    ("auth_requests", "id", "expires_at", Cutoff::Now),
    ("pushed_requests", "uri_hash", "expires_at", Cutoff::Now),
    ("refresh_tokens", "token_hash", "expires_at", Cutoff::Now),
    ("revoked_tokens", "jti", "expires_at", Cutoff::Now),
    ("authorization_codes", "code_hash", "expires_at", Cutoff::Grace),
    ("device_codes", "device_code_hash", "expires_at", Cutoff::Grace),
    // A revoked grant answers like a missing one everywhere; kept as long as the codes.
    ("grants", "id", "revoked_at", Cutoff::Grace),
    ("federation_states", "state_hash", "expires_at", Cutoff::Now),
    ("login_throttle", "throttle_key", "window_start", Cutoff::Throttle),
    ("consents", "user_id, client_id", "updated_at", Cutoff::Consent),
    ("signin_events", "seq", "at", Cutoff::SignInLog),
    ("account_tokens", "token_hash", "expires_at", Cutoff::Now),
    // Messages are kept as long as the sign-in log, whatever became of them.
    ("mail_outbox", "id", "created_at", Cutoff::SignInLog),
];

#[async_trait]
impl MaintenanceStore for SqlStore {
    async fn purge_expired(&self, cutoffs: &Cutoffs, limit: i64) -> StoreResult<Option<u64>> {
        let mut tx = self.db.begin().await.map_err(backend)?;
        if self.backend == Backend::Postgres {
            let locked: bool = query("SELECT pg_try_advisory_xact_lock($1)")
                .bind(PG_CLEANUP_LOCK)
                .fetch_one(&mut tx)
                .await
                .and_then(|row| row.try_get(0))
                .map_err(backend)?;
            if !locked {
                return Ok(None);
            }
        }
        let mut deleted = 0;
        for (table, key, column, cutoff) in TABLES {
            let Some(before) = cutoff.of(cutoffs) else { continue };
            let sql = format!(
                "DELETE FROM {table} WHERE ({key}) IN \
                 (SELECT {key} FROM {table} WHERE {column} <= $1 LIMIT $2)"
            );
            let done =
                query(sql).bind(before).bind(limit).execute(&mut tx).await.map_err(backend)?;
            deleted += done.rows_affected();
        }
        deleted += purge_unused_clients(&mut tx, cutoffs.now, limit).await?;
        deleted += purge_document_clients(&mut tx, cutoffs.document_clients, limit).await?;
        if self.backend == Backend::Sqlite {
            // The revocation feed reads the log within a second; an hour of it is plenty.
            let done = query(
                "DELETE FROM revocation_log WHERE seq IN (SELECT seq FROM revocation_log \
                 WHERE logged_at <= CAST(strftime('%s', 'now') AS INTEGER) - 3600 LIMIT $1)",
            )
            .bind(limit)
            .execute(&mut tx)
            .await
            .map_err(backend)?;
            deleted += done.rows_affected();
        }
        tx.commit().await.map_err(backend)?;
        Ok(Some(deleted))
    }
}

/// Openly registered clients never used by their deadline go as `delete_client` removes a
/// client (RFC 9700 §4.11.2); the clients' revision moves so that every node forgets them.
async fn purge_unused_clients(tx: &mut Tx, now: i64, limit: i64) -> StoreResult<u64> {
    let ids: Vec<String> = query(
        "SELECT client_id FROM clients WHERE unused_until <= $1 ORDER BY unused_until LIMIT $2",
    )
    .bind(now)
    .bind(limit)
    .fetch_all(&mut *tx)
    .await
    .and_then(|rows| rows.iter().map(|row| row.try_get(0)).collect())
    .map_err(backend)?;
    for id in &ids {
        delete_client_rows(tx, id, now).await?;
        tracing::info!(client_id = %id, "deleted an openly registered client that was never used");
    }
    if !ids.is_empty() {
        bump_revision(tx).await?;
    }
    Ok(ids.len() as u64)
}
