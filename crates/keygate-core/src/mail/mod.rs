//! Email that is never lost and never sent twice: a durable outbox and its delivery.
//!
//! A message is written to the outbox table in the same transaction as whatever it carries (a
//! reset or verification token), then delivered by a background sender through a
//! [`MailTransport`] (SMTP or, for development, files). Delivery states:
//!
//! - `pending`: waiting for its next attempt (`next_attempt_at`);
//! - `sending`: claimed by one node, under a lease; only that node delivers it;
//! - `sent`: the server accepted it (SMTP `250` after `DATA`, RFC 5321 §4.2.5);
//! - `failed`: refused for good (a 5xx reply, RFC 5321 §4.2.1), or retried too often;
//! - `interrupted`: the sending node stopped while delivering. The server may have accepted the
//!   message, so it is not sent again on its own: RFC 5321 §6.1 accepts duplicates to avoid loss,
//!   Keygate shows the message instead, and an operator resends it after checking.
//!
//! Temporary problems (connection refused, timeouts, 4xx replies) are retried with exponential
//! backoff. Each message carries an idempotency key: enqueuing the same key twice stores one
//! message, and its `Message-ID` derives from the key, so receivers can recognise a resend.
//!
//! - [`sender`]: claiming, delivering and recording outcomes.
//! - [`templates`]: the messages' subject, plain text and HTML, overridable by operators.

pub mod sender;
pub mod templates;

use async_trait::async_trait;

/// A message to put in the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMail {
    /// Unique per logical message: enqueuing the same key again stores nothing.
    pub idempotency_key: String,
    /// What it is, e.g. `password_reset`, `test`.
    pub kind: String,
    /// The recipient's address.
    pub to: String,
    /// The user it concerns, if any.
    pub user_id: Option<String>,
    /// Subject line.
    pub subject: String,
    /// Plain-text body.
    pub text: String,
    /// HTML body.
    pub html: Option<String>,
}

/// Where a message is in its delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MailStatus {
    /// Waiting for its next attempt.
    Pending,
    /// Being delivered by one node.
    Sending,
    /// Accepted by the mail server.
    Sent,
    /// Refused for good, or retried too often.
    Failed,
    /// The sending node stopped mid-delivery; not sent again without an operator.
    Interrupted,
}

impl MailStatus {
    /// Every status, in display order.
    pub const ALL: [MailStatus; 5] =
        [Self::Pending, Self::Sending, Self::Sent, Self::Failed, Self::Interrupted];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Sending => "sending",
            Self::Sent => "sent",
            Self::Failed => "failed",
            Self::Interrupted => "interrupted",
        }
    }

    /// The status a stored name names.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// Whether delivery ended without the message arriving (an operator should look).
    pub fn is_problem(self) -> bool {
        matches!(self, Self::Failed | Self::Interrupted)
    }
}

/// A message in the outbox.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct OutboxMessage {
    /// Sequence number, increasing.
    pub id: i64,
    /// The idempotency key.
    #[serde(skip)]
    pub idempotency_key: String,
    /// What it is.
    pub kind: String,
    /// The recipient.
    pub to: String,
    /// The user it concerns.
    pub user_id: Option<String>,
    /// Subject line.
    pub subject: String,
    /// Plain-text body (may hold a link with a token: never logged, never shown).
    #[serde(skip)]
    pub text: String,
    /// HTML body.
    #[serde(skip)]
    pub html: Option<String>,
    /// Delivery status.
    pub status: MailStatus,
    /// Delivery attempts so far.
    pub attempts: i64,
    /// When the next attempt is due (pending messages).
    pub next_attempt_at: i64,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    /// When it was queued.
    pub created_at: i64,
    /// When the server accepted it.
    pub sent_at: Option<i64>,
}

impl OutboxMessage {
    /// The `Message-ID` (RFC 5322 §3.6.4): the same for every attempt, derived from the
    /// idempotency key so that it reveals nothing about the message.
    pub fn message_id(&self, domain: &str) -> String {
        let digest = crate::secret::SecretHash::of(&self.idempotency_key);
        let hex: String = digest.as_bytes().iter().take(16).map(|b| format!("{b:02x}")).collect();
        format!("<{hex}@{domain}>")
    }
}

/// Why a delivery attempt failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeliveryError {
    /// Worth retrying: no connection, a timeout, a 4xx reply (RFC 5321 §4.2.1).
    #[error("temporary: {0}")]
    Temporary(String),
    /// Not worth retrying: a 5xx reply, an address the server refuses.
    #[error("permanent: {0}")]
    Permanent(String),
}

/// A way to hand messages to a mail server.
#[async_trait]
pub trait MailTransport: Send + Sync {
    /// Delivers one message; `Ok` once the server accepted it.
    async fn deliver(&self, message: &OutboxMessage) -> Result<(), DeliveryError>;
    /// Whether the server can be reached and accepts this client (connect, greet, log in).
    async fn check(&self) -> Result<(), String>;
    /// A short description for start-up lines and the console (never a password).
    fn describe(&self) -> String;
}

/// Filter and page over the outbox, newest first.
#[derive(Debug, Clone, Default)]
pub struct MailQuery {
    /// Only these statuses (all when empty).
    pub statuses: Vec<MailStatus>,
    /// Only messages about this user.
    pub user_id: Option<String>,
    /// Only messages with a smaller id: the page cursor.
    pub before: Option<i64>,
    /// At most this many.
    pub limit: i64,
}

/// How an attempt ended, as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttemptOutcome {
    /// Accepted at this time.
    Sent(i64),
    /// Try again at this time; the reason.
    Retry(i64, String),
    /// Give up; the reason.
    Failed(String),
}

/// Messages per status, for metrics and the console.
pub type MailCounts = Vec<(MailStatus, i64)>;
