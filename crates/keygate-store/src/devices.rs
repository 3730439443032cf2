use async_trait::async_trait;
use keygate_core::scope::split_scope;
use keygate_core::secret::SecretHash;
use keygate_core::store::{
    DeviceAuthorization, DeviceStatus, DeviceStore, StoreError, StoreResult,
};

use crate::db::{Row, query};
use crate::{SqlStore, backend, json_list, to_json};

const COLUMNS: &str = "device_code_hash, user_code, client_id, scope, resources, expires_at, \
     poll_interval, last_polled_at, status, grant_id";

fn from_row(row: &Row) -> StoreResult<DeviceAuthorization> {
    let scope: String = row.try_get("scope").map_err(backend)?;
    let status: String = row.try_get("status").map_err(backend)?;
    let grant_id: Option<String> = row.try_get("grant_id").map_err(backend)?;
    let status = match (status.as_str(), grant_id) {
        ("pending", _) => DeviceStatus::Pending,
        ("denied", _) => DeviceStatus::Denied,
        ("approved", Some(grant_id)) => DeviceStatus::Approved { grant_id },
        (other, _) => {
            return Err(StoreError::Backend(anyhow::anyhow!("device code status '{other}'")));
        }
    };
    Ok(DeviceAuthorization {
        user_code: row.try_get("user_code").map_err(backend)?,
        client_id: row.try_get("client_id").map_err(backend)?,
        scope: split_scope(&scope),
        resources: json_list(row, "resources")?,
        expires_at: row.try_get("expires_at").map_err(backend)?,
        interval: row.try_get("poll_interval").map_err(backend)?,
        last_polled_at: row.try_get("last_polled_at").map_err(backend)?,
        status,
    })
}

fn hash_of(row: &Row) -> StoreResult<SecretHash> {
    crate::hash_column(row, "device_code_hash")
}

fn status_columns(status: &DeviceStatus) -> (&'static str, Option<String>) {
    match status {
        DeviceStatus::Pending => ("pending", None),
        DeviceStatus::Denied => ("denied", None),
        DeviceStatus::Approved { grant_id } => ("approved", Some(grant_id.clone())),
    }
}

#[async_trait]
impl DeviceStore for SqlStore {
    async fn insert_device_code(
        &self,
        hash: &SecretHash,
        d: &DeviceAuthorization,
    ) -> StoreResult<()> {
        let (status, grant_id) = status_columns(&d.status);
        let sql = format!(
            "INSERT INTO device_codes ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
        );
        query(sql)
            .bind(hash.as_bytes().to_vec())
            .bind(d.user_code.clone())
            .bind(d.client_id.clone())
            .bind(d.scope.join(" "))
            .bind(to_json(&d.resources)?)
            .bind(d.expires_at)
            .bind(d.interval)
            .bind(d.last_polled_at)
            .bind(status)
            .bind(grant_id)
            .execute(&self.db)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn find_device_code(
        &self,
        hash: &SecretHash,
    ) -> StoreResult<Option<DeviceAuthorization>> {
        let sql = format!("SELECT {COLUMNS} FROM device_codes WHERE device_code_hash = $1");
        let row = query(sql)
            .bind(hash.as_bytes().to_vec())
            .fetch_optional(&self.db)
            .await
            .map_err(backend)?;
        row.as_ref().map(from_row).transpose()
    }

    async fn find_device_by_user_code(
        &self,
        user_code: &str,
    ) -> StoreResult<Option<(SecretHash, DeviceAuthorization)>> {
        let sql = format!("SELECT {COLUMNS} FROM device_codes WHERE user_code = $1");
        let row = query(sql)
            .bind(user_code.to_owned())
            .fetch_optional(&self.db)
            .await
            .map_err(backend)?;
        row.as_ref().map(|r| Ok((hash_of(r)?, from_row(r)?))).transpose()
    }

    async fn record_device_poll(
        &self,
        hash: &SecretHash,
        now: i64,
        interval: i64,
    ) -> StoreResult<()> {
        query(
            "UPDATE device_codes SET last_polled_at = $2, poll_interval = $3 \
             WHERE device_code_hash = $1",
        )
        .bind(hash.as_bytes().to_vec())
        .bind(now)
        .bind(interval)
        .execute(&self.db)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn decide_device_code(
        &self,
        hash: &SecretHash,
        status: &DeviceStatus,
    ) -> StoreResult<bool> {
        let (status, grant_id) = status_columns(status);
        let done = query(
            "UPDATE device_codes SET status = $2, grant_id = $3 \
             WHERE device_code_hash = $1 AND status = 'pending'",
        )
        .bind(hash.as_bytes().to_vec())
        .bind(status)
        .bind(grant_id)
        .execute(&self.db)
        .await
        .map_err(backend)?;
        Ok(done.rows_affected() == 1)
    }

    async fn delete_device_code(&self, hash: &SecretHash) -> StoreResult<bool> {
        let done = query("DELETE FROM device_codes WHERE device_code_hash = $1")
            .bind(hash.as_bytes().to_vec())
            .execute(&self.db)
            .await
            .map_err(backend)?;
        Ok(done.rows_affected() == 1)
    }
}
