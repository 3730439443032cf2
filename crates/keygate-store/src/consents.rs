use async_trait::async_trait;
use keygate_core::store::{Consent, ConsentStore, StoreResult, ThrottleStore};

use crate::db::query;
use crate::{SqlStore, backend};

#[async_trait]
impl ConsentStore for SqlStore {
    async fn find_consent(
        &self,
        user_id: &str,
        client_id: &str,
        given_since: i64,
    ) -> StoreResult<Option<Vec<String>>> {
        let row = query(
            "SELECT scope FROM consents WHERE user_id = $1 AND client_id = $2 AND updated_at > $3",
        )
        .bind(user_id.to_owned())
        .bind(client_id.to_owned())
        .bind(given_since)
        .fetch_optional(&self.db)
        .await
        .map_err(backend)?;
        row.map(|row| {
            let scope: String = row.try_get("scope").map_err(backend)?;
            Ok(keygate_core::scope::split_scope(&scope))
        })
        .transpose()
    }

    async fn consents_for_user(&self, user_id: &str) -> StoreResult<Vec<Consent>> {
        let rows = query(
            "SELECT client_id, scope, updated_at FROM consents WHERE user_id = $1 ORDER BY client_id",
        )
        .bind(user_id.to_owned())
        .fetch_all(&self.db)
        .await
        .map_err(backend)?;
        rows.iter()
            .map(|row| {
                let scope: String = row.try_get("scope").map_err(backend)?;
                Ok(Consent {
                    client_id: row.try_get("client_id").map_err(backend)?,
                    scope: keygate_core::scope::split_scope(&scope),
                    updated_at: row.try_get("updated_at").map_err(backend)?,
                })
            })
            .collect()
    }

    async fn delete_consent(&self, user_id: &str, client_id: &str) -> StoreResult<bool> {
        let done = query("DELETE FROM consents WHERE user_id = $1 AND client_id = $2")
            .bind(user_id.to_owned())
            .bind(client_id.to_owned())
            .execute(&self.db)
            .await
            .map_err(backend)?;
        Ok(done.rows_affected() == 1)
    }

    async fn save_consent(
        &self,
        user_id: &str,
        client_id: &str,
        scope: &[String],
        now: i64,
    ) -> StoreResult<()> {
        query(
            "INSERT INTO consents (user_id, client_id, scope, updated_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (user_id, client_id) DO UPDATE SET scope = $3, updated_at = $4",
        )
        .bind(user_id.to_owned())
        .bind(client_id.to_owned())
        .bind(scope.join(" "))
        .bind(now)
        .execute(&self.db)
        .await
        .map_err(backend)?;
        Ok(())
    }
}

#[async_trait]
impl ThrottleStore for SqlStore {
    async fn record_failure(
        &self,
        key: &str,
        now: i64,
        window_start_after: i64,
    ) -> StoreResult<i64> {
        let row = query(
            "INSERT INTO login_throttle (throttle_key, failures, window_start) VALUES ($1, 1, $2) \
             ON CONFLICT (throttle_key) DO UPDATE SET \
               failures = CASE WHEN login_throttle.window_start <= $3 THEN 1 \
                               ELSE login_throttle.failures + 1 END, \
               window_start = CASE WHEN login_throttle.window_start <= $3 THEN $2 \
                                   ELSE login_throttle.window_start END \
             RETURNING failures",
        )
        .bind(key.to_owned())
        .bind(now)
        .bind(window_start_after)
        .fetch_one(&self.db)
        .await
        .map_err(backend)?;
        row.try_get::<i64, _>(0).map_err(backend)
    }

    async fn failures(&self, key: &str, window_start_after: i64) -> StoreResult<i64> {
        let row = query(
            "SELECT failures FROM login_throttle WHERE throttle_key = $1 AND window_start > $2",
        )
        .bind(key.to_owned())
        .bind(window_start_after)
        .fetch_optional(&self.db)
        .await
        .map_err(backend)?;
        row.map(|r| r.try_get::<i64, _>(0).map_err(backend))
            .transpose()
            .map(Option::unwrap_or_default)
    }

    async fn release_attempt(&self, key: &str) -> StoreResult<()> {
        query(
            "UPDATE login_throttle SET failures = failures - 1 \
             WHERE throttle_key = $1 AND failures > 0",
        )
        .bind(key.to_owned())
        .execute(&self.db)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn clear_failures(&self, key: &str) -> StoreResult<()> {
        query("DELETE FROM login_throttle WHERE throttle_key = $1")
            .bind(key.to_owned())
            .execute(&self.db)
            .await
            .map_err(backend)?;
        Ok(())
    }
}
