//! The development transport: each message is written as an `.eml` file to a folder (by
//! default `<data_dir>/mail/`), and a line in the log names the file. The log line leaves out
//! the body, which may hold a reset link.

use std::path::PathBuf;

use async_trait::async_trait;
use keygate_core::mail::{DeliveryError, MailTransport, OutboxMessage};
use lettre::message::Mailbox;

/// A folder as a [`MailTransport`].
pub struct FileMail {
    dir: PathBuf,
    from: Mailbox,
    domain: String,
}

impl FileMail {
    /// Messages into `dir`, sent as `from`.
    pub fn new(dir: PathBuf, from: Mailbox, domain: &str) -> Self {
        Self { dir, from, domain: domain.to_owned() }
    }
}

#[async_trait]
impl MailTransport for FileMail {
    async fn deliver(&self, message: &OutboxMessage) -> Result<(), DeliveryError> {
        let mime = super::mime(message, &self.from, &self.domain)?;
        let path = self.dir.join(format!("{:06}-{}.eml", message.id, message.kind));
        let write = async {
            tokio::fs::create_dir_all(&self.dir).await?;
            tokio::fs::write(&path, mime.formatted()).await
        };
        write.await.map_err(|e| {
            DeliveryError::Temporary(format!("cannot write {}: {e}", path.display()))
        })?;
        tracing::info!(
            to = %message.to,
            subject = %message.subject,
            file = %path.display(),
            "mail written to a file (no SMTP server configured; set [mail] smtp_url)"
        );
        Ok(())
    }

    async fn check(&self) -> Result<(), String> {
        std::fs::create_dir_all(&self.dir)
            .map_err(|e| format!("cannot create {}: {e}", self.dir.display()))
    }

    fn describe(&self) -> String {
        format!("files in {}", self.dir.display())
    }
}
