//! Upstream identity providers, linked identities and federation states.

use async_trait::async_trait;
use keygate_core::secret::SecretHash;
use keygate_core::store::{
    FederationState, FederationStore, LinkedIdentity, StoreResult, StoredUpstream,
};

use crate::db::{Row, query};
use crate::{SqlStore, backend, bump_revision, conflict_or_backend};

fn upstream_from_row(row: &Row) -> StoreResult<StoredUpstream> {
    Ok(StoredUpstream {
        id: row.try_get("id").map_err(backend)?,
        config: row.try_get("config").map_err(backend)?,
        sealed_secret: row.try_get("sealed_secret").map_err(backend)?,
        created_at: row.try_get("created_at").map_err(backend)?,
        updated_at: row.try_get("updated_at").map_err(backend)?,
    })
}

fn link_from_row(row: &Row) -> StoreResult<LinkedIdentity> {
    Ok(LinkedIdentity {
        provider_id: row.try_get("provider_id").map_err(backend)?,
        subject: row.try_get("subject").map_err(backend)?,
        user_id: row.try_get("user_id").map_err(backend)?,
        email: row.try_get("email").map_err(backend)?,
        created_at: row.try_get("created_at").map_err(backend)?,
    })
}

const LINK_COLUMNS: &str = "provider_id, subject, user_id, email, created_at";

#[async_trait]
impl FederationStore for SqlStore {
    async fn list_upstreams(&self) -> StoreResult<Vec<StoredUpstream>> {
        let rows = query(
            "SELECT id, config, sealed_secret, created_at, updated_at FROM upstream_providers \
             ORDER BY id",
        )
        .fetch_all(&self.db)
        .await
        .map_err(backend)?;
        rows.iter().map(upstream_from_row).collect()
    }

    async fn insert_upstream(&self, u: &StoredUpstream) -> StoreResult<()> {
        let mut tx = self.db.begin().await.map_err(backend)?;
        query(
            "INSERT INTO upstream_providers (id, config, sealed_secret, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(u.id.clone())
        .bind(u.config.clone())
        .bind(u.sealed_secret.clone())
        .bind(u.created_at)
        .bind(u.updated_at)
        .execute(&mut tx)
        .await
        .map_err(conflict_or_backend("upstream provider"))?;
        bump_revision(&mut tx).await?;
        tx.commit().await.map_err(backend)?;
        Ok(())
    }

    async fn update_upstream(&self, u: &StoredUpstream) -> StoreResult<bool> {
        let mut tx = self.db.begin().await.map_err(backend)?;
        let done = query(
            "UPDATE upstream_providers SET config = $2, sealed_secret = $3, updated_at = $4 \
             WHERE id = $1",
        )
        .bind(u.id.clone())
        .bind(u.config.clone())
        .bind(u.sealed_secret.clone())
        .bind(u.updated_at)
        .execute(&mut tx)
        .await
        .map_err(backend)?;
        bump_revision(&mut tx).await?;
        tx.commit().await.map_err(backend)?;
        Ok(done.rows_affected() == 1)
    }

    async fn delete_upstream(&self, id: &str) -> StoreResult<bool> {
        let mut tx = self.db.begin().await.map_err(backend)?;
        let done = query("DELETE FROM upstream_providers WHERE id = $1")
            .bind(id.to_owned())
            .execute(&mut tx)
            .await
            .map_err(backend)?;
        bump_revision(&mut tx).await?;
        tx.commit().await.map_err(backend)?;
        Ok(done.rows_affected() == 1)
    }

    async fn find_linked_identity(
        &self,
        provider_id: &str,
        subject: &str,
    ) -> StoreResult<Option<LinkedIdentity>> {
        let row = query(format!(
            "SELECT {LINK_COLUMNS} FROM linked_identities WHERE provider_id = $1 AND subject = $2"
        ))
        .bind(provider_id.to_owned())
        .bind(subject.to_owned())
        .fetch_optional(&self.db)
        .await
        .map_err(backend)?;
        row.as_ref().map(link_from_row).transpose()
    }

    async fn insert_linked_identity(&self, l: &LinkedIdentity) -> StoreResult<()> {
        query(format!(
            "INSERT INTO linked_identities ({LINK_COLUMNS}) VALUES ($1, $2, $3, $4, $5)"
        ))
        .bind(l.provider_id.clone())
        .bind(l.subject.clone())
        .bind(l.user_id.clone())
        .bind(l.email.clone())
        .bind(l.created_at)
        .execute(&self.db)
        .await
        .map_err(conflict_or_backend("linked identity"))?;
        Ok(())
    }

    async fn linked_identities(&self, user_id: &str) -> StoreResult<Vec<LinkedIdentity>> {
        let rows = query(format!(
            "SELECT {LINK_COLUMNS} FROM linked_identities WHERE user_id = $1 \
             ORDER BY provider_id, subject"
        ))
        .bind(user_id.to_owned())
        .fetch_all(&self.db)
        .await
        .map_err(backend)?;
        rows.iter().map(link_from_row).collect()
    }

    async fn delete_linked_identity(&self, provider_id: &str, subject: &str) -> StoreResult<bool> {
        let done = query("DELETE FROM linked_identities WHERE provider_id = $1 AND subject = $2")
            .bind(provider_id.to_owned())
            .bind(subject.to_owned())
            .execute(&self.db)
            .await
            .map_err(backend)?;
        Ok(done.rows_affected() == 1)
    }

    async fn put_federation_state(
        &self,
        hash: &SecretHash,
        state: &FederationState,
    ) -> StoreResult<()> {
        query(
            "INSERT INTO federation_states (state_hash, kind, data, expires_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(hash.as_bytes().to_vec())
        .bind(state.kind.clone())
        .bind(state.data.clone())
        .bind(state.expires_at)
        .execute(&self.db)
        .await
        .map_err(conflict_or_backend("federation state"))?;
        Ok(())
    }

    async fn take_federation_state(
        &self,
        hash: &SecretHash,
    ) -> StoreResult<Option<FederationState>> {
        let row = query(
            "DELETE FROM federation_states WHERE state_hash = $1 \
             RETURNING kind, data, expires_at",
        )
        .bind(hash.as_bytes().to_vec())
        .fetch_optional(&self.db)
        .await
        .map_err(backend)?;
        row.map(|row| {
            Ok(FederationState {
                kind: row.try_get("kind").map_err(backend)?,
                data: row.try_get("data").map_err(backend)?,
                expires_at: row.try_get("expires_at").map_err(backend)?,
            })
        })
        .transpose()
    }
}
