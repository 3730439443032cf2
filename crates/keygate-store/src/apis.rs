use async_trait::async_trait;
use keygate_core::api::Api;
use keygate_core::store::{ApiStore, StoreError, StoreResult};

use crate::db::{Query, Row, query};
use crate::{SqlStore, backend, bump_revision, conflict_or_backend, to_json};

const COLUMNS: &str = "id, identifier, name, scopes, access_token_ttl, signing_alg, client_grants, \
     created_at, updated_at, authorization_details_types, introspection_clients, open_to_all";

fn json_err(e: serde_json::Error) -> StoreError {
    StoreError::Backend(e.into())
}

fn from_row(row: &Row) -> StoreResult<Api> {
    let scopes: String = row.try_get("scopes").map_err(backend)?;
    let grants: String = row.try_get("client_grants").map_err(backend)?;
    let types: String = row.try_get("authorization_details_types").map_err(backend)?;
    let introspection: String = row.try_get("introspection_clients").map_err(backend)?;
    let alg: Option<String> = row.try_get("signing_alg").map_err(backend)?;
    Ok(Api {
        id: row.try_get("id").map_err(backend)?,
        identifier: row.try_get("identifier").map_err(backend)?,
        name: row.try_get("name").map_err(backend)?,
        scopes: serde_json::from_str(&scopes).map_err(json_err)?,
        authorization_details_types: serde_json::from_str(&types).map_err(json_err)?,
        access_token_ttl: row.try_get("access_token_ttl").map_err(backend)?,
        signing_alg: alg
            .map(|a| a.parse().map_err(|e: String| StoreError::Backend(anyhow::anyhow!(e))))
            .transpose()?,
        client_grants: serde_json::from_str(&grants).map_err(json_err)?,
        introspection_clients: serde_json::from_str(&introspection).map_err(json_err)?,
        created_at: row.try_get("created_at").map_err(backend)?,
        updated_at: row.try_get("updated_at").map_err(backend)?,
        open: row.try_get::<i64, _>("open_to_all").map_err(backend)? != 0,
    })
}

fn bind_all(query: Query, api: &Api) -> StoreResult<Query> {
    Ok(query
        .bind(api.id.clone())
        .bind(api.identifier.clone())
        .bind(api.name.clone())
        .bind(to_json(&api.scopes)?)
        .bind(api.access_token_ttl)
        .bind(api.signing_alg.map(|a| a.as_str()))
        .bind(serde_json::to_string(&api.client_grants).map_err(json_err)?)
        .bind(api.created_at)
        .bind(api.updated_at)
        .bind(to_json(&api.authorization_details_types)?)
        .bind(to_json(&api.introspection_clients)?)
        .bind(i64::from(api.open)))
}

#[async_trait]
impl ApiStore for SqlStore {
    async fn insert_api(&self, api: &Api) -> StoreResult<()> {
        let mut tx = self.db.begin().await.map_err(backend)?;
        let sql = format!(
            "INSERT INTO apis ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
        );
        bind_all(query(sql), api)?
            .execute(&mut tx)
            .await
            .map_err(conflict_or_backend("an API with this identifier"))?;
        bump_revision(&mut tx).await?;
        tx.commit().await.map_err(backend)
    }

    async fn update_api(&self, api: &Api) -> StoreResult<bool> {
        let mut tx = self.db.begin().await.map_err(backend)?;
        let sql = "UPDATE apis SET identifier = $2, name = $3, scopes = $4, access_token_ttl = $5, \
             signing_alg = $6, client_grants = $7, created_at = $8, updated_at = $9, \
             authorization_details_types = $10, introspection_clients = $11, open_to_all = $12 \
             WHERE id = $1";
        let done = bind_all(query(sql), api)?
            .execute(&mut tx)
            .await
            .map_err(conflict_or_backend("an API with this identifier"))?;
        bump_revision(&mut tx).await?;
        tx.commit().await.map_err(backend)?;
        Ok(done.rows_affected() == 1)
    }

    async fn list_apis(&self) -> StoreResult<Vec<Api>> {
        let sql = format!("SELECT {COLUMNS} FROM apis ORDER BY identifier");
        let rows = query(sql).fetch_all(&self.db).await.map_err(backend)?;
        rows.iter().map(from_row).collect()
    }

    async fn delete_api(&self, id: &str) -> StoreResult<bool> {
        let mut tx = self.db.begin().await.map_err(backend)?;
        let done = query("DELETE FROM apis WHERE id = $1")
            .bind(id.to_owned())
            .execute(&mut tx)
            .await
            .map_err(backend)?;
        bump_revision(&mut tx).await?;
        tx.commit().await.map_err(backend)?;
        Ok(done.rows_affected() == 1)
    }
}
