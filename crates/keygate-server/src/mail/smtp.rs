//! SMTP through lettre's connection API: one connection per message, TLS as configured,
//! replies classified as RFC 5321 §4.2.1 says (4yz transient, 5yz permanent).
//!
//! The message and its final `<CRLF>.<CRLF>` go out in one write. Written separately (as
//! lettre's `send` does), the small terminator waits for the acknowledgement of the body
//! (Nagle), which the server delays (delayed ACK): about 40 ms per message on Linux.

use std::fmt;
use std::time::Duration;

use async_trait::async_trait;
use keygate_core::mail::{DeliveryError, MailTransport, OutboxMessage};
use lettre::message::Mailbox;
use lettre::transport::smtp::Error as SmtpError;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{AsyncSmtpConnection, Certificate, TlsParameters};
use lettre::transport::smtp::commands::{Data, Mail, Rcpt};
use lettre::transport::smtp::extension::ClientId;

use super::settings::{SmtpServer, SmtpTls};

/// An SMTP server as a [`MailTransport`].
pub struct SmtpMail {
    server: SmtpServer,
    tls: Option<TlsParameters>,
    from: Mailbox,
    domain: String,
    timeout: Duration,
}

impl SmtpMail {
    /// A transport to `server`, sending as `from`, with `Message-ID`s in `domain`.
    pub fn new(
        server: &SmtpServer,
        from: Mailbox,
        domain: &str,
        delivery_timeout: u64,
    ) -> anyhow::Result<Self> {
        let tls = match server.tls {
            SmtpTls::Implicit | SmtpTls::StartTls => {
                let mut tls = TlsParameters::builder(server.host.clone());
                if let Some(pem) = &server.ca_pem {
                    tls = tls.add_root_certificate(Certificate::from_pem(pem)?);
                }
                Some(tls.build()?)
            }
            SmtpTls::None => None,
        };
        Ok(Self {
            server: server.clone(),
            tls,
            from,
            domain: domain.to_owned(),
            timeout: Duration::from_secs(delivery_timeout.max(1)),
        })
    }

    /// Connects, greets, secures the connection and logs in, as configured.
    async fn open(&self) -> Result<AsyncSmtpConnection, SmtpError> {
        let hello = ClientId::default();
        let address = (self.server.host.as_str(), self.server.port);
        let implicit = self.tls.clone().filter(|_| self.server.tls == SmtpTls::Implicit);
        let mut connection = AsyncSmtpConnection::connect_tokio1(
            address,
            Some(self.timeout),
            &hello,
            implicit,
            None,
        )
        .await?;
        if let (SmtpTls::StartTls, Some(tls)) = (self.server.tls, &self.tls) {
            // RFC 3207 §4: required, so a server without STARTTLS is an error, never plain text.
            connection.starttls(tls.clone(), &hello).await?;
        }
        if let Some((user, password)) = &self.server.credentials {
            let credentials = Credentials::new(user.clone(), password.clone());
            connection.auth(&[Mechanism::Plain, Mechanism::Login], &credentials).await?;
        }
        Ok(connection)
    }

    async fn send(&self, message: &OutboxMessage) -> Result<(), DeliveryError> {
        let mime = super::mime(message, &self.from, &self.domain)?;
        let envelope = mime.envelope().clone();
        if !message.to.is_ascii() {
            return Err(DeliveryError::Permanent(format!(
                "the address '{}' is not ASCII, which needs SMTPUTF8 (not supported)",
                message.to
            )));
        }
        let body = DataBody::new(&mime.formatted());
        let mut connection = self.open().await.map_err(|e| classify(&e))?;
        let sent = async {
            connection.command(Mail::new(envelope.from().cloned(), vec![])).await?;
            for to in envelope.to() {
                connection.command(Rcpt::new(to.clone(), vec![])).await?;
            }
            connection.command(Data).await?;
            connection.command(body).await
        };
        let result = sent.await.map(|_| ()).map_err(|e| classify(&e));
        // The message is accepted or refused by now; a failed QUIT changes neither.
        let _ = connection.quit().await;
        result
    }
}

#[async_trait]
impl MailTransport for SmtpMail {
    async fn deliver(&self, message: &OutboxMessage) -> Result<(), DeliveryError> {
        self.send(message).await
    }

    async fn check(&self) -> Result<(), String> {
        let mut connection = self.open().await.map_err(|e| e.to_string())?;
        let _ = connection.quit().await;
        Ok(())
    }

    fn describe(&self) -> String {
        let scheme = match self.server.tls {
            SmtpTls::Implicit => "smtps",
            SmtpTls::StartTls => "smtp with STARTTLS",
            SmtpTls::None => "smtp without TLS",
        };
        format!("{scheme} to {}:{}", self.server.host, self.server.port)
    }
}

/// The message after `DATA`: dot-stuffed (RFC 5321 §4.5.2), CRLF line ends, and the final
/// `.` line, written as one piece.
struct DataBody(String);

impl DataBody {
    fn new(formatted: &[u8]) -> Self {
        let text = String::from_utf8_lossy(formatted);
        let mut out = String::with_capacity(text.len() + 16);
        for line in text.split_inclusive('\n') {
            let line = line.strip_suffix('\n').unwrap_or(line);
            let line = line.strip_suffix('\r').unwrap_or(line);
            if line.starts_with('.') {
                out.push('.');
            }
            out.push_str(line);
            out.push_str("\r\n");
        }
        out.push_str(".\r\n");
        Self(out)
    }
}

impl fmt::Display for DataBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A 5yz reply is permanent (RFC 5321 §4.2.1); everything else (4yz, no connection, a
/// timeout, a dropped connection, a TLS failure) may pass and is retried.
fn classify(e: &SmtpError) -> DeliveryError {
    let text = e.to_string();
    if e.is_permanent() { DeliveryError::Permanent(text) } else { DeliveryError::Temporary(text) }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn rfc5321_4_5_2_lines_starting_with_a_dot_are_stuffed_and_the_body_ends_with_a_dot_line() {
        let body = DataBody::new(b"Subject: x\r\n\r\n.hidden\r\nplain\n..two");
        assert_eq!(body.0, "Subject: x\r\n\r\n..hidden\r\nplain\r\n...two\r\n.\r\n");
    }
}
