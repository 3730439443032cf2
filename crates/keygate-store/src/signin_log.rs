//! The sign-in log ([`keygate_core::signin_log`]).

use async_trait::async_trait;
use keygate_core::signin_log::SignInOutcome;
use keygate_core::store::{SignInEvent, SignInLogStore, SignInQuery, StoreError, StoreResult};

use crate::db::{Row, query};
use crate::{SqlStore, backend};

#[async_trait]
impl SignInLogStore for SqlStore {
    async fn append_signin(&self, e: &SignInEvent) -> StoreResult<()> {
        query(
            "INSERT INTO signin_events (at, outcome, user_id, client_id, ip, user_agent, detail) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(e.at)
        .bind(e.outcome.as_str())
        .bind(e.user_id.clone())
        .bind(e.client_id.clone())
        .bind(e.ip.clone())
        .bind(e.user_agent.clone())
        .bind(e.detail.clone())
        .execute(&self.db)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn list_signins(&self, q: &SignInQuery) -> StoreResult<Vec<SignInEvent>> {
        // The outcome names come from the enum, never from input: safe to write inline.
        let outcomes = if q.outcomes.is_empty() {
            String::new()
        } else {
            let names: Vec<String> =
                q.outcomes.iter().map(|o| format!("'{}'", o.as_str())).collect();
            format!("AND outcome IN ({}) ", names.join(", "))
        };
        let sql = format!(
            "SELECT seq, at, outcome, user_id, client_id, ip, user_agent, detail \
             FROM signin_events WHERE ($1 IS NULL OR seq < $1) \
             AND ($2 IS NULL OR user_id = $2) AND ($3 IS NULL OR client_id = $3) \
             AND ($4 IS NULL OR at >= $4) AND ($5 IS NULL OR at < $5) {outcomes}\
             ORDER BY seq DESC LIMIT $6"
        );
        let rows = query(sql)
            .bind(q.before)
            .bind(q.user_id.clone())
            .bind(q.client_id.clone())
            .bind(q.since)
            .bind(q.until)
            .bind(q.limit.clamp(1, 1000))
            .fetch_all(&self.db)
            .await
            .map_err(backend)?;
        rows.iter().map(from_row).collect()
    }
}

fn from_row(row: &Row) -> StoreResult<SignInEvent> {
    let outcome: String = row.try_get("outcome").map_err(backend)?;
    let outcome = SignInOutcome::parse(&outcome).ok_or_else(|| {
        StoreError::Backend(anyhow::anyhow!("unknown sign-in outcome '{outcome}' stored"))
    })?;
    Ok(SignInEvent {
        seq: row.try_get("seq").map_err(backend)?,
        at: row.try_get("at").map_err(backend)?,
        outcome,
        user_id: row.try_get("user_id").map_err(backend)?,
        client_id: row.try_get("client_id").map_err(backend)?,
        ip: row.try_get("ip").map_err(backend)?,
        user_agent: row.try_get("user_agent").map_err(backend)?,
        detail: row.try_get("detail").map_err(backend)?,
    })
}
