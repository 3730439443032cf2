//! The outbox as operators see it: messages by status and user, resending a failed or
//! interrupted one, a test message, and a reset link sent for a user. The same operations back
//! the console, the admin API and the CLI.

use serde_json::json;

use super::{Actor, Admin, AdminError, check};
use crate::Provider;
use crate::mail::{MailQuery, MailStatus, NewMail, OutboxMessage};

/// Filters over the outbox as typed in the console, the admin API or the CLI.
#[derive(Debug, Clone, Default)]
pub struct MailFilter {
    /// Status names (`pending`, `sending`, `sent`, `failed`, `interrupted`; `problems` for
    /// failed and interrupted); all when empty.
    pub statuses: Vec<String>,
    /// A user's id, username or email.
    pub user: Option<String>,
    /// The page cursor: only messages older than this id.
    pub before: Option<i64>,
    /// At most this many (1–1000).
    pub limit: i64,
}

impl Admin<'_> {
    /// Messages matching `filter`, newest first; every filter problem reported at once.
    pub async fn mail(&self, filter: &MailFilter) -> Result<Vec<OutboxMessage>, AdminError> {
        let mut problems = Vec::new();
        let statuses = parse_statuses(&filter.statuses, &mut problems);
        let user_id = self.user_filter(filter.user.as_deref(), &mut problems).await?;
        check(problems)?;
        let query = MailQuery {
            statuses,
            user_id,
            before: filter.before,
            limit: filter.limit.clamp(1, 1000),
        };
        Ok(self.store.list_mail(&query).await?)
    }

    /// Puts a failed or interrupted message back in the queue (after the operator checked that
    /// an interrupted one did not arrive).
    pub async fn resend_mail(&self, id: i64) -> Result<OutboxMessage, AdminError> {
        let Some(message) = self.store.find_mail(id).await? else {
            return Err(AdminError::NotFound(format!("message {id}")));
        };
        if !self.store.requeue_mail(id, self.now()).await? {
            return Err(AdminError::Invalid(vec![format!(
                "Message {id} is {}: only failed or interrupted messages can be sent again.",
                message.status.as_str()
            )]));
        }
        self.record("mail.resend", &format!("mail:{id}"), json!({ "kind": message.kind })).await?;
        Ok(OutboxMessage { status: MailStatus::Pending, ..message })
    }
}

fn parse_statuses(names: &[String], problems: &mut Vec<String>) -> Vec<MailStatus> {
    let mut statuses = Vec::new();
    for name in names.iter().flat_map(|n| n.split(',')).map(str::trim).filter(|n| !n.is_empty()) {
        let found: Vec<MailStatus> = match name {
            "problems" => MailStatus::ALL.into_iter().filter(|s| s.is_problem()).collect(),
            _ => MailStatus::parse(name).into_iter().collect(),
        };
        if found.is_empty() {
            let known: Vec<&str> = MailStatus::ALL.iter().map(|s| s.as_str()).collect();
            problems.push(format!(
                "'{name}' is not a status; use one of {}, or problems.",
                known.join(", ")
            ));
        }
        statuses.extend(found.into_iter().filter(|s| !statuses.contains(s)).collect::<Vec<_>>());
    }
    statuses
}

/// Whether `address` looks like an email address (one `@`, something on each side, no spaces;
/// the mail server has the last word).
pub fn plausible_address(address: &str) -> bool {
    let Some((local, domain)) = address.split_once('@') else { return false };
    !local.is_empty()
        && !domain.is_empty()
        && !domain.contains('@')
        && address.len() <= 254
        && !address.chars().any(|c| c.is_whitespace() || c.is_control())
}

impl Provider {
    /// Queues a test message to `address` through the same outbox as every other message;
    /// returns its id.
    pub async fn queue_test_mail(&self, address: &str, actor: Actor) -> Result<i64, AdminError> {
        let address = address.trim();
        if !plausible_address(address) {
            return Err(AdminError::Invalid(vec![format!("'{address}' is not an email address.")]));
        }
        let catalog = self.catalogs().for_mail(None);
        let context = minijinja::context! {
            product => &self.settings().mail.product_name, issuer => self.issuer(),
            lang => &catalog.tag, dir => catalog.direction(),
        };
        let rendered = self.mail_templates().render("test", &context)?;
        let mail = NewMail {
            idempotency_key: format!("test:{}", crate::secret::random_id()),
            kind: "test".to_owned(),
            to: address.to_owned(),
            user_id: None,
            subject: rendered.subject,
            text: rendered.text,
            html: Some(rendered.html),
        };
        let id = self.queue_mail(&mail).await?.ok_or_else(|| {
            AdminError::Internal(anyhow::anyhow!("a fresh idempotency key was taken"))
        })?;
        let admin = Admin::new(self.store(), self.clock()).acting_as(actor);
        admin.record("mail.test", &format!("mail:{id}"), json!({ "to": address })).await?;
        Ok(id)
    }

    /// Sends a user a link to confirm their email address on an administrator's behalf
    /// (throttled per account like the user's own requests).
    pub async fn send_verification_link(
        &self,
        id_or_login: &str,
        actor: Actor,
    ) -> Result<(), AdminError> {
        let admin = Admin::new(self.store(), self.clock()).acting_as(actor);
        let user = admin.user(id_or_login).await?;
        let mut problems = Vec::new();
        if user.email_verified {
            problems.push(format!("{} has confirmed {} already.", user.username, user.email));
        }
        if !plausible_address(&user.email) {
            problems.push(format!("{} has no email address to confirm.", user.username));
        }
        check(problems)?;
        // The user's language, else English: never the administrator's (see `invite`).
        let sent = crate::i18n::speaking(Vec::new(), self.send_verification(&user)).await?;
        if !sent {
            return Err(AdminError::Invalid(vec![format!(
                "Three links were sent to {} lately; wait a few minutes.",
                user.email
            )]));
        }
        admin.record("user.verification_link", &format!("user:{}", user.id), json!({})).await
    }

    /// Sends a user a password reset link on an administrator's behalf (no throttle: the
    /// administrator is known).
    pub async fn send_reset_link(&self, id_or_login: &str, actor: Actor) -> Result<(), AdminError> {
        let admin = Admin::new(self.store(), self.clock()).acting_as(actor);
        let user = admin.user(id_or_login).await?;
        let mut problems = Vec::new();
        if user.disabled {
            problems.push(format!("{} is disabled: enable the account first.", user.username));
        }
        if !plausible_address(&user.email) {
            problems.push(format!("{} has no email address to send the link to.", user.username));
        }
        check(problems)?;
        crate::i18n::speaking(Vec::new(), self.queue_reset_link(&user)).await?;
        admin.record("user.reset_link", &format!("user:{}", user.id), json!({})).await
    }
}
