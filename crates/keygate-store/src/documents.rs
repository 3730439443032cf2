//! Client ID Metadata Document clients as fetched, and the operator's blocks on them.

use async_trait::async_trait;
use keygate_core::store::{DocumentBlock, DocumentClientStore, SeenDocumentClient, StoreResult};

use crate::db::{Row, Tx, query};
use crate::{SqlStore, backend, bump_revision, conflict_or_backend};

fn seen_from_row(row: &Row) -> StoreResult<SeenDocumentClient> {
    Ok(SeenDocumentClient {
        client_id: row.try_get("client_id").map_err(backend)?,
        host: row.try_get("host").map_err(backend)?,
        name: row.try_get("name").map_err(backend)?,
        first_fetched_at: row.try_get("first_fetched_at").map_err(backend)?,
        last_fetched_at: row.try_get("last_fetched_at").map_err(backend)?,
        live_grants: row.try_get("live_grants").map_err(backend)?,
    })
}

fn block_from_row(row: &Row) -> StoreResult<DocumentBlock> {
    Ok(DocumentBlock {
        target: row.try_get("target").map_err(backend)?,
        reason: row.try_get("reason").map_err(backend)?,
        created_at: row.try_get("created_at").map_err(backend)?,
        created_by: row.try_get("created_by").map_err(backend)?,
    })
}

/// The document clients a block covers: the one its URL names, or those seen on its host.
const COVERED: &str = "SELECT client_id FROM document_clients WHERE client_id = $1 OR host = $1";

#[async_trait]
impl DocumentClientStore for SqlStore {
    async fn note_document_client(
        &self,
        client_id: &str,
        host: &str,
        name: Option<&str>,
        now: i64,
    ) -> StoreResult<()> {
        query(
            "INSERT INTO document_clients (client_id, host, name, first_fetched_at, \
             last_fetched_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (client_id) DO UPDATE \
             SET name = excluded.name, last_fetched_at = excluded.last_fetched_at",
        )
        .bind(client_id)
        .bind(host)
        .bind(name)
        .bind(now)
        .bind(now)
        .execute(&self.db)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn list_document_clients(&self) -> StoreResult<Vec<SeenDocumentClient>> {
        let rows = query(
            "SELECT d.client_id, d.host, d.name, d.first_fetched_at, d.last_fetched_at, \
             (SELECT COUNT(*) FROM grants g WHERE g.client_id = d.client_id \
             AND g.revoked_at IS NULL) AS live_grants FROM document_clients d \
             ORDER BY d.client_id",
        )
        .fetch_all(&self.db)
        .await
        .map_err(backend)?;
        rows.iter().map(seen_from_row).collect()
    }

    async fn list_document_blocks(&self) -> StoreResult<Vec<DocumentBlock>> {
        let rows = query(
            "SELECT target, reason, created_at, created_by FROM document_blocks ORDER BY target",
        )
        .fetch_all(&self.db)
        .await
        .map_err(backend)?;
        rows.iter().map(block_from_row).collect()
    }

    async fn insert_document_block(&self, block: &DocumentBlock, now: i64) -> StoreResult<u64> {
        let mut tx = self.db.begin().await.map_err(backend)?;
        query(
            "INSERT INTO document_blocks (target, reason, created_at, created_by) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(block.target.as_str())
        .bind(block.reason.as_str())
        .bind(block.created_at)
        .bind(block.created_by.as_str())
        .execute(&mut tx)
        .await
        .map_err(conflict_or_backend("a block on this target"))?;
        let revoked = end_covered_grants(&mut tx, &block.target, now).await?;
        bump_revision(&mut tx).await?;
        tx.commit().await.map_err(backend)?;
        Ok(revoked)
    }

    async fn delete_document_block(&self, target: &str) -> StoreResult<bool> {
        let mut tx = self.db.begin().await.map_err(backend)?;
        let done = query("DELETE FROM document_blocks WHERE target = $1")
            .bind(target)
            .execute(&mut tx)
            .await
            .map_err(backend)?;
        bump_revision(&mut tx).await?;
        tx.commit().await.map_err(backend)?;
        Ok(done.rows_affected() == 1)
    }
}

/// Revokes the grants of the document clients `target` covers and deletes their consents, so
/// that an unblocked client asks users again: how many grants it revoked.
async fn end_covered_grants(tx: &mut Tx, target: &str, now: i64) -> StoreResult<u64> {
    let revoked = query(format!(
        "UPDATE grants SET revoked_at = $2 WHERE revoked_at IS NULL AND client_id IN ({COVERED})"
    ))
    .bind(target)
    .bind(now)
    .execute(&mut *tx)
    .await
    .map_err(backend)?;
    query(format!("DELETE FROM consents WHERE client_id IN ({COVERED})"))
        .bind(target)
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
    Ok(revoked.rows_affected())
}

/// Deletes at most `limit` document clients last fetched at or before `before` that hold no
/// grant, revoked or not (a revoked grant is kept a while to recognise late replays).
pub(crate) async fn purge_document_clients(
    tx: &mut Tx,
    before: i64,
    limit: i64,
) -> StoreResult<u64> {
    let done = query(
        "DELETE FROM document_clients WHERE client_id IN (SELECT d.client_id FROM \
         document_clients d WHERE d.last_fetched_at <= $1 AND NOT EXISTS \
         (SELECT 1 FROM grants g WHERE g.client_id = d.client_id) LIMIT $2)",
    )
    .bind(before)
    .bind(limit)
    .execute(&mut *tx)
    .await
    .map_err(backend)?;
    Ok(done.rows_affected())
}
