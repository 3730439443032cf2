//! Client ID Metadata Document clients users signed in to, and the operator's blocks on them.

use async_trait::async_trait;
use keygate_core::registration::document::covers;
use keygate_core::store::{DocumentBlock, DocumentClientStore, SeenDocumentClient, StoreResult};

use crate::db::{Row, Tx, query};
use crate::{SqlStore, backend, bump_revision, conflict_or_backend};

fn seen_from_row(row: &Row) -> StoreResult<SeenDocumentClient> {
    Ok(SeenDocumentClient {
        client_id: row.try_get("client_id").map_err(backend)?,
        host: row.try_get("host").map_err(backend)?,
        name: row.try_get("name").map_err(backend)?,
        first_grant_at: row.try_get("first_grant_at").map_err(backend)?,
        last_grant_at: row.try_get("last_grant_at").map_err(backend)?,
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

/// Every client id that may be a document client's and holds a grant not revoked, a consent or
/// a place in the list; [`keygate_core::registration::document::covers`] picks those a block
/// covers. Registered clients whose id is a URL are never covered.
const CANDIDATES: &str = "SELECT id FROM (SELECT client_id AS id FROM grants \
     WHERE revoked_at IS NULL UNION SELECT client_id FROM consents UNION \
     SELECT client_id FROM document_clients) ids \
     WHERE id LIKE 'http%' AND id NOT IN (SELECT client_id FROM clients)";

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
            "INSERT INTO document_clients (client_id, host, name, first_grant_at, \
             last_grant_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (client_id) DO UPDATE \
             SET name = excluded.name, last_grant_at = excluded.last_grant_at",
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
            "SELECT d.client_id, d.host, d.name, d.first_grant_at, d.last_grant_at, \
             (SELECT COUNT(*) FROM grants g WHERE g.client_id = d.client_id \
             AND g.revoked_at IS NULL) AS live_grants FROM document_clients d \
             ORDER BY d.client_id",
        )
        .fetch_all(&self.db)
        .await
        .map_err(backend)?;
        rows.iter().map(seen_from_row).collect()
    }

    async fn live_grants_covered(&self, target: &str) -> StoreResult<i64> {
        let rows = query(
            "SELECT client_id, COUNT(*) AS n FROM grants WHERE revoked_at IS NULL \
             AND client_id LIKE 'http%' AND client_id NOT IN (SELECT client_id FROM clients) \
             GROUP BY client_id",
        )
        .fetch_all(&self.db)
        .await
        .map_err(backend)?;
        let mut total = 0;
        for row in &rows {
            let id: String = row.try_get("client_id").map_err(backend)?;
            if covers(target, &id) {
                total += row.try_get::<i64, _>("n").map_err(backend)?;
            }
        }
        Ok(total)
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

    async fn delete_document_block(&self, target: &str, now: i64) -> StoreResult<bool> {
        let mut tx = self.db.begin().await.map_err(backend)?;
        let done = query("DELETE FROM document_blocks WHERE target = $1")
            .bind(target)
            .execute(&mut tx)
            .await
            .map_err(backend)?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        // While the block stood no grant could be made, but one made while it was on its way
        // to every node (or missed by the block's own transaction) may remain: it ends now,
        // with its consent, so that no user is signed in to an unblocked client without
        // being asked again.
        end_covered_grants(&mut tx, target, now).await?;
        bump_revision(&mut tx).await?;
        tx.commit().await.map_err(backend)?;
        Ok(true)
    }
}

/// The client ids of [`CANDIDATES`] a block on `target` covers.
async fn covered(tx: &mut Tx, target: &str) -> StoreResult<Vec<String>> {
    let rows = query(CANDIDATES).fetch_all(&mut *tx).await.map_err(backend)?;
    let mut ids = Vec::new();
    for row in &rows {
        let id: String = row.try_get(0).map_err(backend)?;
        if covers(target, &id) {
            ids.push(id);
        }
    }
    Ok(ids)
}

/// Revokes the grants of the document clients `target` covers and deletes their consents, so
/// that an unblocked client asks users again: how many grants it revoked.
async fn end_covered_grants(tx: &mut Tx, target: &str, now: i64) -> StoreResult<u64> {
    let mut revoked = 0;
    for id in covered(tx, target).await? {
        revoked += crate::clients::end_client_access(tx, &id, now).await?;
    }
    Ok(revoked)
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
         document_clients d WHERE d.last_grant_at <= $1 AND NOT EXISTS \
         (SELECT 1 FROM grants g WHERE g.client_id = d.client_id) LIMIT $2)",
    )
    .bind(before)
    .bind(limit)
    .execute(&mut *tx)
    .await
    .map_err(backend)?;
    Ok(done.rows_affected())
}
