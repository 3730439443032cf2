//! The email outbox ([`keygate_core::mail`]) and the account tokens its messages carry.

use async_trait::async_trait;
use keygate_core::mail::{
    AttemptOutcome, MailCounts, MailQuery, MailStatus, NewMail, OutboxMessage,
};
use keygate_core::secret::SecretHash;
use keygate_core::store::{
    AccountToken, AccountTokenStore, Consumed, MailStore, StoreError, StoreResult,
};

use crate::db::{Exec, Row, query};
use crate::{Backend, SqlStore, backend};

const MAIL_COLUMNS: &str = "id, idempotency_key, kind, recipient, user_id, subject, body_text, \
     body_html, status, attempts, next_attempt_at, last_error, created_at, sent_at";

const INSERT_MAIL: &str = "INSERT INTO mail_outbox (idempotency_key, kind, recipient, user_id, \
     subject, body_text, body_html, status, attempts, next_attempt_at, created_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', 0, $8, $8) \
     ON CONFLICT (idempotency_key) DO NOTHING RETURNING id";

/// What an interrupted delivery records as its error.
const INTERRUPTED: &str = "the sending node stopped during delivery; the server may have \
     accepted the message, so it is not sent again unless an operator resends it";

async fn insert_mail<'e>(
    executor: impl Exec<'e>,
    mail: &NewMail,
    now: i64,
) -> StoreResult<Option<i64>> {
    let done = query(INSERT_MAIL)
        .bind(mail.idempotency_key.clone())
        .bind(mail.kind.clone())
        .bind(mail.to.clone())
        .bind(mail.user_id.clone())
        .bind(mail.subject.clone())
        .bind(mail.text.clone())
        .bind(mail.html.clone())
        .bind(now)
        .fetch_optional(executor)
        .await
        .map_err(backend)?;
    done.map(|row| row.try_get::<i64, _>("id").map_err(backend)).transpose()
}

#[async_trait]
impl MailStore for SqlStore {
    async fn enqueue_mail(&self, mail: &NewMail, now: i64) -> StoreResult<Option<i64>> {
        insert_mail(&self.db, mail, now).await
    }

    async fn claim_mail(&self, now: i64, lease_until: i64) -> StoreResult<Option<OutboxMessage>> {
        query(
            "UPDATE mail_outbox SET status = 'interrupted', lease_until = NULL, last_error = $2 \
             WHERE status = 'sending' AND lease_until < $1",
        )
        .bind(now)
        .bind(INTERRUPTED)
        .execute(&self.db)
        .await
        .map_err(backend)?;
        // PostgreSQL: nodes claiming at once skip each other's rows instead of waiting.
        let skip = if self.backend == Backend::Postgres { " FOR UPDATE SKIP LOCKED" } else { "" };
        let sql = format!(
            "UPDATE mail_outbox SET status = 'sending', attempts = attempts + 1, lease_until = $2 \
             WHERE status = 'pending' AND id = (SELECT id FROM mail_outbox \
             WHERE status = 'pending' AND next_attempt_at <= $1 \
             ORDER BY next_attempt_at, id LIMIT 1{skip}) RETURNING {MAIL_COLUMNS}"
        );
        let row = query(sql)
            .bind(now)
            .bind(lease_until)
            .fetch_optional(&self.db)
            .await
            .map_err(backend)?;
        row.as_ref().map(mail_from_row).transpose()
    }

    async fn finish_mail(&self, id: i64, outcome: &AttemptOutcome) -> StoreResult<bool> {
        let (status, at, error) = match outcome {
            AttemptOutcome::Sent(at) => ("sent", Some(*at), None),
            AttemptOutcome::Retry(at, why) => ("pending", Some(*at), Some(why.clone())),
            AttemptOutcome::Failed(why) => ("failed", None, Some(why.clone())),
        };
        let done = query(
            "UPDATE mail_outbox SET status = $2, lease_until = NULL, last_error = $4, \
             sent_at = CASE WHEN $2 = 'sent' THEN $3 ELSE sent_at END, \
             next_attempt_at = CASE WHEN $2 = 'pending' THEN $3 ELSE next_attempt_at END \
             WHERE id = $1 AND status = 'sending'",
        )
        .bind(id)
        .bind(status)
        .bind(at)
        .bind(error)
        .execute(&self.db)
        .await
        .map_err(backend)?;
        Ok(done.rows_affected() == 1)
    }

    async fn requeue_mail(&self, id: i64, now: i64) -> StoreResult<bool> {
        let done = query(
            "UPDATE mail_outbox SET status = 'pending', attempts = 0, next_attempt_at = $2 \
             WHERE id = $1 AND status IN ('failed', 'interrupted')",
        )
        .bind(id)
        .bind(now)
        .execute(&self.db)
        .await
        .map_err(backend)?;
        Ok(done.rows_affected() == 1)
    }

    async fn find_mail(&self, id: i64) -> StoreResult<Option<OutboxMessage>> {
        let sql = format!("SELECT {MAIL_COLUMNS} FROM mail_outbox WHERE id = $1");
        let row = query(sql).bind(id).fetch_optional(&self.db).await.map_err(backend)?;
        row.as_ref().map(mail_from_row).transpose()
    }

    async fn list_mail(&self, q: &MailQuery) -> StoreResult<Vec<OutboxMessage>> {
        // The status names come from the enum, never from input: safe to write inline.
        let statuses = if q.statuses.is_empty() {
            String::new()
        } else {
            let names: Vec<String> =
                q.statuses.iter().map(|s| format!("'{}'", s.as_str())).collect();
            format!("AND status IN ({}) ", names.join(", "))
        };
        let sql = format!(
            "SELECT {MAIL_COLUMNS} FROM mail_outbox WHERE ($1 IS NULL OR id < $1) \
             AND ($2 IS NULL OR user_id = $2) {statuses}ORDER BY id DESC LIMIT $3"
        );
        let rows = query(sql)
            .bind(q.before)
            .bind(q.user_id.clone())
            .bind(q.limit.clamp(1, 1000))
            .fetch_all(&self.db)
            .await
            .map_err(backend)?;
        rows.iter().map(mail_from_row).collect()
    }

    async fn count_mail(&self) -> StoreResult<MailCounts> {
        let rows = query("SELECT status, COUNT(*) AS n FROM mail_outbox GROUP BY status")
            .fetch_all(&self.db)
            .await
            .map_err(backend)?;
        let mut counts: MailCounts = MailStatus::ALL.iter().map(|s| (*s, 0)).collect();
        for row in rows {
            let status: String = row.try_get("status").map_err(backend)?;
            let n: i64 = row.try_get("n").map_err(backend)?;
            if let Some(entry) = counts.iter_mut().find(|(s, _)| s.as_str() == status) {
                entry.1 = n;
            }
        }
        Ok(counts)
    }
}

fn mail_from_row(row: &Row) -> StoreResult<OutboxMessage> {
    let status: String = row.try_get("status").map_err(backend)?;
    let status = MailStatus::parse(&status).ok_or_else(|| {
        StoreError::Backend(anyhow::anyhow!("unknown mail status '{status}' stored"))
    })?;
    Ok(OutboxMessage {
        id: row.try_get("id").map_err(backend)?,
        idempotency_key: row.try_get("idempotency_key").map_err(backend)?,
        kind: row.try_get("kind").map_err(backend)?,
        to: row.try_get("recipient").map_err(backend)?,
        user_id: row.try_get("user_id").map_err(backend)?,
        subject: row.try_get("subject").map_err(backend)?,
        text: row.try_get("body_text").map_err(backend)?,
        html: row.try_get("body_html").map_err(backend)?,
        status,
        attempts: row.try_get("attempts").map_err(backend)?,
        next_attempt_at: row.try_get("next_attempt_at").map_err(backend)?,
        last_error: row.try_get("last_error").map_err(backend)?,
        created_at: row.try_get("created_at").map_err(backend)?,
        sent_at: row.try_get("sent_at").map_err(backend)?,
    })
}

const TOKEN_COLUMNS: &str = "purpose, user_id, email, created_at, expires_at, data";

#[async_trait]
impl AccountTokenStore for SqlStore {
    async fn insert_account_token(
        &self,
        hash: &SecretHash,
        token: &AccountToken,
        mail: &NewMail,
        now: i64,
    ) -> StoreResult<()> {
        let mut tx = self.db.begin().await.map_err(backend)?;
        query(
            "INSERT INTO account_tokens (token_hash, purpose, user_id, email, created_at, \
             expires_at, data) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(hash.as_bytes().to_vec())
        .bind(token.purpose.clone())
        .bind(token.user_id.clone())
        .bind(token.email.clone())
        .bind(token.created_at)
        .bind(token.expires_at)
        .bind(token.data.clone())
        .execute(&mut tx)
        .await
        .map_err(backend)?;
        insert_mail(&mut tx, mail, now).await?;
        tx.commit().await.map_err(backend)
    }

    async fn find_account_token(&self, hash: &SecretHash) -> StoreResult<Option<AccountToken>> {
        let sql = format!(
            "SELECT {TOKEN_COLUMNS} FROM account_tokens WHERE token_hash = $1 AND used_at IS NULL"
        );
        let row = query(sql)
            .bind(hash.as_bytes().to_vec())
            .fetch_optional(&self.db)
            .await
            .map_err(backend)?;
        row.as_ref().map(token_from_row).transpose()
    }

    async fn consume_account_token(
        &self,
        hash: &SecretHash,
        now: i64,
    ) -> StoreResult<Consumed<AccountToken>> {
        let mut tx = self.db.begin().await.map_err(backend)?;
        let sql = format!(
            "UPDATE account_tokens SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL \
             RETURNING {TOKEN_COLUMNS}"
        );
        let row = query(sql)
            .bind(hash.as_bytes().to_vec())
            .bind(now)
            .fetch_optional(&mut tx)
            .await
            .map_err(backend)?;
        let Some(row) = row else {
            let sql = format!("SELECT {TOKEN_COLUMNS} FROM account_tokens WHERE token_hash = $1");
            let earlier = query(sql)
                .bind(hash.as_bytes().to_vec())
                .fetch_optional(&mut tx)
                .await
                .map_err(backend)?;
            return Ok(match earlier {
                Some(row) => Consumed::AlreadyUsed(token_from_row(&row)?),
                None => Consumed::Missing,
            });
        };
        let token = token_from_row(&row)?;
        query(
            "UPDATE account_tokens SET used_at = $3 \
             WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL",
        )
        .bind(token.user_id.clone())
        .bind(token.purpose.clone())
        .bind(now)
        .execute(&mut tx)
        .await
        .map_err(backend)?;
        tx.commit().await.map_err(backend)?;
        Ok(Consumed::Fresh(token))
    }
}

fn token_from_row(row: &Row) -> StoreResult<AccountToken> {
    Ok(AccountToken {
        purpose: row.try_get("purpose").map_err(backend)?,
        user_id: row.try_get("user_id").map_err(backend)?,
        email: row.try_get("email").map_err(backend)?,
        created_at: row.try_get("created_at").map_err(backend)?,
        expires_at: row.try_get("expires_at").map_err(backend)?,
        data: row.try_get("data").map_err(backend)?,
    })
}
