//! Delivery: claim one due message at a time, hand it to the transport, record the outcome.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use super::{AttemptOutcome, DeliveryError, MailTransport, NewMail, OutboxMessage};
use crate::Provider;
use crate::store::StoreError;

/// Attempts before a message that keeps failing temporarily is marked failed (with the
/// backoff below, about four hours of trying).
pub const MAX_ATTEMPTS: i64 = 10;
/// Seconds before the first retry; each further retry waits twice as long.
pub const FIRST_RETRY: i64 = 30;
/// The longest wait between two attempts, seconds.
pub const MAX_RETRY: i64 = 3600;
/// How long one delivery may take by default before it counts as a temporary failure,
/// seconds. A claimed message's lease is twice this: past it, the claim is considered
/// abandoned (its node stopped).
pub const DELIVERY_TIMEOUT: u64 = 30;

/// The wait before the attempt after `attempts` failed ones: 30 s, 1 min, 2 min, ... 1 h.
pub fn backoff(attempts: i64) -> i64 {
    let doublings = u32::try_from((attempts - 1).clamp(0, 16)).unwrap_or(16);
    FIRST_RETRY.saturating_mul(1_i64 << doublings).min(MAX_RETRY)
}

/// The transport of this node and the signal that wakes its sender.
#[derive(Default)]
pub struct Mailer {
    transport: OnceLock<Arc<dyn MailTransport>>,
    wake: tokio::sync::Notify,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer")
            .field("transport", &self.transport().map(|t| t.describe()))
            .finish()
    }
}

impl Mailer {
    /// Sets the transport (once; later calls are ignored).
    pub fn set_transport(&self, transport: Arc<dyn MailTransport>) {
        let _ = self.transport.set(transport);
    }

    /// The transport, once set. Without one, messages wait in the outbox.
    pub fn transport(&self) -> Option<&Arc<dyn MailTransport>> {
        self.transport.get()
    }

    /// Waits until a message is queued on this node, or `period` passes.
    pub async fn wait(&self, period: Duration) {
        let _ = tokio::time::timeout(period, self.wake.notified()).await;
    }
}

/// What one delivery run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeliveryRun {
    /// Messages the server accepted.
    pub sent: u64,
    /// Messages that failed temporarily and wait for another attempt.
    pub retried: u64,
    /// Messages refused for good, or given up on.
    pub failed: u64,
}

impl Provider {
    /// Queues a message and wakes this node's sender: its id, or `None` if its key was queued
    /// before.
    pub async fn queue_mail(&self, mail: &NewMail) -> Result<Option<i64>, StoreError> {
        let queued = self.store().enqueue_mail(mail, self.now()).await?;
        self.mailer().wake.notify_one();
        Ok(queued)
    }

    /// Wakes this node's sender (after a message was queued in a transaction of its own).
    pub fn wake_mail_sender(&self) {
        self.mailer().wake.notify_one();
    }

    /// Delivers due messages one at a time, at most `max`, until none is due. Does nothing
    /// without a transport.
    pub async fn deliver_due_mail(&self, max: usize) -> Result<DeliveryRun, StoreError> {
        let mut run = DeliveryRun::default();
        let Some(transport) = self.mailer().transport().cloned() else { return Ok(run) };
        let timeout = self.settings().mail.delivery_timeout.max(1);
        let lease = i64::try_from(timeout.saturating_mul(2)).unwrap_or(i64::MAX);
        for _ in 0..max {
            let now = self.now();
            let Some(message) = self.store().claim_mail(now, now.saturating_add(lease)).await?
            else {
                break;
            };
            let result = deliver_once(transport.as_ref(), &message, timeout).await;
            let outcome = self.outcome(&message, result);
            match &outcome {
                AttemptOutcome::Sent(_) => run.sent += 1,
                AttemptOutcome::Retry(..) => run.retried += 1,
                AttemptOutcome::Failed(_) => run.failed += 1,
            }
            log_outcome(&message, &outcome);
            self.store().finish_mail(message.id, &outcome).await?;
        }
        Ok(run)
    }

    fn outcome(
        &self,
        message: &OutboxMessage,
        result: Result<(), DeliveryError>,
    ) -> AttemptOutcome {
        let now = self.now();
        match result {
            Ok(()) => AttemptOutcome::Sent(now),
            Err(DeliveryError::Temporary(why)) if message.attempts < MAX_ATTEMPTS => {
                AttemptOutcome::Retry(now + backoff(message.attempts), why)
            }
            Err(DeliveryError::Temporary(why)) => AttemptOutcome::Failed(format!(
                "gave up after {} attempts; the last: {why}",
                message.attempts
            )),
            Err(DeliveryError::Permanent(why)) => AttemptOutcome::Failed(why),
        }
    }
}

/// One attempt, bounded by `seconds`.
async fn deliver_once(
    transport: &dyn MailTransport,
    message: &OutboxMessage,
    seconds: u64,
) -> Result<(), DeliveryError> {
    let limit = Duration::from_secs(seconds);
    match tokio::time::timeout(limit, transport.deliver(message)).await {
        Ok(result) => result,
        Err(_) => Err(DeliveryError::Temporary(format!("no answer within {seconds} seconds"))),
    }
}

fn log_outcome(message: &OutboxMessage, outcome: &AttemptOutcome) {
    let (id, kind, attempt) = (message.id, message.kind.as_str(), message.attempts);
    match outcome {
        AttemptOutcome::Sent(_) => tracing::info!(id, kind, attempt, "mail sent"),
        AttemptOutcome::Retry(at, why) => {
            tracing::warn!(id, kind, attempt, retry_at = at, error = %why, "mail not sent; will retry")
        }
        AttemptOutcome::Failed(why) => {
            tracing::error!(id, kind, attempt, error = %why, "mail failed for good")
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_thirty_seconds_up_to_an_hour() {
        let waits: Vec<i64> = (1..=9).map(backoff).collect();
        assert_eq!(waits, [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]);
        assert_eq!(backoff(0), 30);
        assert_eq!(backoff(1000), 3600);
    }
}
