use crate::db::{Query, Row, Tx, query};
use async_trait::async_trait;
use keygate_core::client::Client;
use keygate_core::secret::SecretHash;
use keygate_core::store::{ClientStore, StoreError, StoreResult};

use crate::{
    SqlStore, backend, bump_revision, conflict_or_backend, json_list, parse_column, to_json,
};

/// The columns of `clients`, in the order `bind_all` binds them.
macro_rules! columns {
    () => {
        "client_id, name, client_type, secret_hash, auth_method, redirect_uris, \
         post_logout_redirect_uris, grant_types, scopes, resources, created_at, updated_at, \
         first_party, id_token_alg, backchannel_logout_uri, metadata, registration_token_hash"
    };
}
// `unused_until` is written on insert and cleared by `mark_client_used`, never by an update,
// which may carry a value read before the client was used.
const SELECT_ONE: &str =
    concat!("SELECT ", columns!(), ", unused_until FROM clients WHERE client_id = $1");
const SELECT_ALL: &str =
    concat!("SELECT ", columns!(), ", unused_until FROM clients ORDER BY client_id");
const INSERT: &str = concat!(
    "INSERT INTO clients (",
    columns!(),
    ", unused_until) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, \
     $16, $17, $18)"
);

fn optional_hash(row: &Row, column: &str) -> StoreResult<Option<SecretHash>> {
    let bytes: Option<Vec<u8>> = row.try_get(column).map_err(backend)?;
    bytes
        .map(|bytes| {
            SecretHash::from_bytes(&bytes).ok_or_else(|| {
                StoreError::Backend(anyhow::anyhow!("column {column}: bad hash length"))
            })
        })
        .transpose()
}

fn from_row(row: &Row) -> StoreResult<Client> {
    let metadata: String = row.try_get("metadata").map_err(backend)?;
    Ok(Client {
        client_id: row.try_get("client_id").map_err(backend)?,
        name: row.try_get("name").map_err(backend)?,
        client_type: parse_column(row, "client_type")?,
        secret_hash: optional_hash(row, "secret_hash")?,
        auth_method: parse_column(row, "auth_method")?,
        redirect_uris: json_list(row, "redirect_uris")?,
        post_logout_redirect_uris: json_list(row, "post_logout_redirect_uris")?,
        grant_types: json_list(row, "grant_types")?
            .iter()
            .map(|g| g.parse().map_err(|e: String| StoreError::Backend(anyhow::anyhow!(e))))
            .collect::<StoreResult<_>>()?,
        scopes: json_list(row, "scopes")?,
        resources: json_list(row, "resources")?,
        first_party: row.try_get::<i64, _>("first_party").map_err(backend)? != 0,
        id_token_alg: match row.try_get::<Option<String>, _>("id_token_alg").map_err(backend)? {
            Some(alg) => {
                Some(alg.parse().map_err(|e: String| StoreError::Backend(anyhow::anyhow!(e)))?)
            }
            None => None,
        },
        backchannel_logout_uri: row.try_get("backchannel_logout_uri").map_err(backend)?,
        metadata: serde_json::from_str(&metadata).map_err(|e| StoreError::Backend(e.into()))?,
        registration_token_hash: optional_hash(row, "registration_token_hash")?,
        unused_until: row.try_get("unused_until").map_err(backend)?,
        created_at: row.try_get("created_at").map_err(backend)?,
        updated_at: row.try_get("updated_at").map_err(backend)?,
    })
}

/// The values of a client row, in the order of `columns!()`.
fn bind_all(query: Query, c: &Client) -> StoreResult<Query> {
    let grants: Vec<&str> = c.grant_types.iter().map(|g| g.as_str()).collect();
    Ok(query
        .bind(c.client_id.clone())
        .bind(c.name.clone())
        .bind(c.client_type.as_str())
        .bind(c.secret_hash.as_ref().map(|h| h.as_bytes().to_vec()))
        .bind(c.auth_method.as_str())
        .bind(to_json(&c.redirect_uris)?)
        .bind(to_json(&c.post_logout_redirect_uris)?)
        .bind(to_json(&grants)?)
        .bind(to_json(&c.scopes)?)
        .bind(to_json(&c.resources)?)
        .bind(c.created_at)
        .bind(c.updated_at)
        .bind(i64::from(c.first_party))
        .bind(c.id_token_alg.map(|a| a.as_str()))
        .bind(c.backchannel_logout_uri.clone())
        .bind(serde_json::to_string(&c.metadata).map_err(|e| StoreError::Backend(e.into()))?)
        .bind(c.registration_token_hash.as_ref().map(|h| h.as_bytes().to_vec())))
}

#[async_trait]
impl ClientStore for SqlStore {
    async fn insert_client(&self, client: &Client) -> StoreResult<()> {
        let mut tx = self.db.begin().await.map_err(backend)?;
        bind_all(query(INSERT), client)?
            .bind(client.unused_until)
            .execute(&mut tx)
            .await
            .map_err(conflict_or_backend("client id"))?;
        bump_revision(&mut tx).await?;
        tx.commit().await.map_err(backend)
    }

    async fn update_client(&self, client: &Client) -> StoreResult<bool> {
        let mut tx = self.db.begin().await.map_err(backend)?;
        let sql = "UPDATE clients SET name = $2, client_type = $3, secret_hash = $4, \
             auth_method = $5, redirect_uris = $6, post_logout_redirect_uris = $7, \
             grant_types = $8, scopes = $9, resources = $10, created_at = $11, updated_at = $12, \
             first_party = $13, id_token_alg = $14, backchannel_logout_uri = $15, \
             metadata = $16, registration_token_hash = $17 WHERE client_id = $1";
        let done = bind_all(query(sql), client)?.execute(&mut tx).await.map_err(backend)?;
        bump_revision(&mut tx).await?;
        tx.commit().await.map_err(backend)?;
        Ok(done.rows_affected() == 1)
    }

    async fn find_client(&self, client_id: &str) -> StoreResult<Option<Client>> {
        let row = query(SELECT_ONE)
            .bind(client_id.to_owned())
            .fetch_optional(&self.db)
            .await
            .map_err(backend)?;
        row.as_ref().map(from_row).transpose()
    }

    async fn client_names(&self, ids: &[&str]) -> StoreResult<Vec<(String, String)>> {
        crate::names_by_id(&self.db, "SELECT client_id, name FROM clients WHERE client_id", ids)
            .await
    }

    async fn list_clients(&self) -> StoreResult<Vec<Client>> {
        let rows = query(SELECT_ALL).fetch_all(&self.db).await.map_err(backend)?;
        rows.iter().map(from_row).collect()
    }

    async fn mark_client_used(&self, client_id: &str) -> StoreResult<()> {
        let mut tx = self.db.begin().await.map_err(backend)?;
        let done = query(
            "UPDATE clients SET unused_until = NULL WHERE client_id = $1 \
             AND unused_until IS NOT NULL",
        )
        .bind(client_id.to_owned())
        .execute(&mut tx)
        .await
        .map_err(backend)?;
        if done.rows_affected() == 1 {
            // Cached copies still carry the deadline; they reload and stop asking.
            bump_revision(&mut tx).await?;
        }
        tx.commit().await.map_err(backend)
    }

    async fn delete_client(&self, client_id: &str, now: i64) -> StoreResult<bool> {
        let mut tx = self.db.begin().await.map_err(backend)?;
        let deleted = delete_client_rows(&mut tx, client_id, now).await?;
        bump_revision(&mut tx).await?;
        tx.commit().await.map_err(backend)?;
        Ok(deleted)
    }
}

/// Revokes the grants of `client_id` and deletes its consents, inside `tx`, so that its
/// tokens stop working and its users are asked again: how many grants it revoked.
pub(crate) async fn end_client_access(tx: &mut Tx, client_id: &str, now: i64) -> StoreResult<u64> {
    let revoked =
        query("UPDATE grants SET revoked_at = $2 WHERE client_id = $1 AND revoked_at IS NULL")
            .bind(client_id.to_owned())
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
    query("DELETE FROM consents WHERE client_id = $1")
        .bind(client_id.to_owned())
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
    Ok(revoked.rows_affected())
}

/// Deletes a client with its consents, and revokes its grants, inside `tx`; whether it existed.
pub(crate) async fn delete_client_rows(
    tx: &mut Tx,
    client_id: &str,
    now: i64,
) -> StoreResult<bool> {
    let done = query("DELETE FROM clients WHERE client_id = $1")
        .bind(client_id.to_owned())
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
    // Its consents go with it (a client registered later under the same id starts afresh),
    // and its grants end: no token of a deleted client outlives it by accident.
    end_client_access(tx, client_id, now).await?;
    Ok(done.rows_affected() == 1)
}
