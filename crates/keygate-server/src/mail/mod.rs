//! Mail transports and the background sender ([`keygate_core::mail`] holds the outbox).
//!
//! - [`settings`]: the `[mail]` section: an SMTP server, or files for development.
//! - [`smtp`]: SMTP through lettre, with implicit TLS (`smtps://`) or required STARTTLS.
//! - [`files`]: the development transport: each message written to `<data_dir>/mail/`.
//! - [`spawn_sender`]: delivers due messages, woken when one is queued on this node.

pub mod files;
pub mod settings;
pub mod smtp;

use std::sync::Arc;
use std::time::Duration;

use keygate_core::Provider;
use keygate_core::mail::OutboxMessage;
use lettre::Message;
use lettre::message::{Mailbox, MultiPart, SinglePart};

pub use settings::{MailConfig, RawMail};

/// How often the sender looks for due messages (retries, and messages queued by other nodes
/// or the CLI) when nothing wakes it sooner.
pub const POLL_INTERVAL: Duration = Duration::from_secs(1);
/// How often the outbox is counted for the metrics when the sender changed nothing.
const COUNT_INTERVAL: Duration = Duration::from_secs(10);
/// The most messages delivered in one run before the sender yields.
const RUN_LIMIT: usize = 100;

/// Delivers due messages every [`POLL_INTERVAL`], and at once when one is queued here.
pub fn spawn_sender(
    provider: Arc<Provider>,
    metrics: Arc<crate::serving::ServingState>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        if provider.mailer().transport().is_none() {
            return;
        }
        let mut counted: Option<tokio::time::Instant> = None;
        loop {
            let changed = match provider.deliver_due_mail(RUN_LIMIT).await {
                Ok(run) => {
                    metrics.metrics.mail_run(&run);
                    run.sent + run.retried + run.failed > 0
                }
                Err(e) => {
                    tracing::warn!(error = %e, "could not deliver mail");
                    false
                }
            };
            // The outbox gauges: after a run that changed something, else every COUNT_INTERVAL
            // (messages queued or resent elsewhere), not one count query per poll.
            let stale = counted.is_none_or(|at| at.elapsed() >= COUNT_INTERVAL);
            if metrics.metrics.is_on() && (changed || stale) {
                match provider.store().count_mail().await {
                    Ok(counts) => metrics.metrics.mail_counts(&counts),
                    Err(e) => tracing::warn!(error = %e, "could not count the mail outbox"),
                }
                counted = Some(tokio::time::Instant::now());
            }
            provider.mailer().wait(POLL_INTERVAL).await;
        }
    })
}

/// Gives `provider` the transport `config` describes, and checks it in the background: a
/// server that cannot be reached or refuses the login is a clear warning at start, not a
/// surprise at the first password reset. Returns the transport's description.
pub fn install(provider: &Provider, config: &MailConfig) -> anyhow::Result<String> {
    let transport = config.transport()?;
    let description = transport.describe();
    provider.mailer().set_transport(transport.clone());
    let checked = description.clone();
    tokio::spawn(async move {
        match transport.check().await {
            Ok(()) => tracing::info!(transport = %checked, "mail transport ready"),
            Err(e) => tracing::warn!(
                transport = %checked,
                error = %e,
                "MAIL CANNOT BE SENT: the mail server cannot be reached or refused Keygate. \
                 Messages wait in the outbox and are retried; check [mail] smtp_url and the \
                 credentials, then `keygate mail test ADDRESS`"
            ),
        }
    });
    Ok(description)
}

/// The message in MIME form: plain text and HTML alternatives, the stable `Message-ID`.
pub(crate) fn mime(
    message: &OutboxMessage,
    from: &Mailbox,
    domain: &str,
) -> Result<Message, keygate_core::mail::DeliveryError> {
    use keygate_core::mail::DeliveryError::Permanent;
    let to: Mailbox = message
        .to
        .parse()
        .map_err(|e| Permanent(format!("the address '{}' is not valid: {e}", message.to)))?;
    let builder = Message::builder()
        .from(from.clone())
        .to(to)
        .subject(message.subject.clone())
        .message_id(Some(message.message_id(domain)));
    let built = match &message.html {
        Some(html) => {
            builder.multipart(MultiPart::alternative_plain_html(message.text.clone(), html.clone()))
        }
        None => builder.singlepart(SinglePart::plain(message.text.clone())),
    };
    built.map_err(|e| Permanent(format!("the message cannot be built: {e}")))
}
