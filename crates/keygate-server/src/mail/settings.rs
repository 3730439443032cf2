//! `[mail]`: where messages go, who they are from, and the texts of the account flows.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use keygate_core::mail::MailTransport;
use keygate_core::settings::MailSettings;
use lettre::message::Mailbox;
use serde::Deserialize;
use url::Url;

/// `[mail]` as written.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMail {
    /// `smtps://HOST[:PORT]` (TLS from the start, port 465), `smtp://HOST[:PORT]` (STARTTLS
    /// required, port 587), or `smtp://HOST:PORT?tls=none` (no TLS: a local relay only).
    /// Without it, messages are written to `<data_dir>/mail/` (development).
    pub smtp_url: Option<String>,
    /// SMTP user name (best from `KEYGATE_MAIL_SMTP_USERNAME`).
    pub smtp_username: Option<String>,
    /// SMTP password (best from `KEYGATE_MAIL_SMTP_PASSWORD`).
    pub smtp_password: Option<String>,
    /// A PEM file of certificate authorities to trust for the SMTP server, besides the
    /// system's (a relay with a private CA).
    pub smtp_ca_file: Option<PathBuf>,
    /// The sender, e.g. `Example ID <id@example.com>` (default `no-reply@<issuer host>`).
    pub from: Option<String>,
    /// A folder whose files replace built-in message templates of the same name.
    pub templates_dir: Option<PathBuf>,
    /// The product name in messages (default "Keygate").
    pub product_name: Option<String>,
    /// Minutes a password reset link works (default 30).
    pub reset_link_minutes: Option<i64>,
    /// Seconds one delivery attempt may take (default 30). A node that stops mid-delivery
    /// leaves its message `interrupted` after twice this.
    pub delivery_timeout: Option<u64>,
}

/// How messages leave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    /// Through an SMTP server.
    Smtp(SmtpServer),
    /// Into files in this folder, and a line in the log.
    Files(PathBuf),
}

/// Whether and how an SMTP connection is encrypted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpTls {
    /// TLS from the first byte (`smtps://`, RFC 8314 §3.3).
    Implicit,
    /// STARTTLS, required (`smtp://`, RFC 3207).
    StartTls,
    /// None (`?tls=none`): only for a relay on the same machine or network.
    None,
}

/// An SMTP server and how to log in to it.
#[derive(Clone, PartialEq, Eq)]
pub struct SmtpServer {
    /// Host name.
    pub host: String,
    /// Port.
    pub port: u16,
    /// Encryption.
    pub tls: SmtpTls,
    /// User name and password.
    pub credentials: Option<(String, String)>,
    /// Extra trusted certificate authorities (PEM), from `smtp_ca_file`.
    pub ca_pem: Option<Vec<u8>>,
}

impl std::fmt::Debug for SmtpServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpServer")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("tls", &self.tls)
            .field("credentials", &self.credentials.as_ref().map(|(user, _)| user))
            .field("extra_roots", &self.ca_pem.is_some())
            .finish()
    }
}

/// `[mail]`, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailConfig {
    /// Where messages go.
    pub delivery: Delivery,
    /// The sender.
    pub from: Mailbox,
    /// The domain of `Message-ID`s: the issuer's host.
    pub domain: String,
    /// Seconds one delivery attempt may take.
    pub delivery_timeout: u64,
}

impl MailConfig {
    /// Resolves `[mail]`, adding every problem to `problems` (`None` when the sender is not
    /// an address); also fills the account flows' settings.
    pub fn resolve(
        raw: &RawMail,
        issuer: &str,
        data_dir: &Path,
        settings: &mut MailSettings,
        problems: &mut Vec<String>,
    ) -> Option<Self> {
        let domain = issuer_host(issuer);
        let delivery = match &raw.smtp_url {
            Some(url) => match smtp_server(url, raw) {
                Ok(server) => Delivery::Smtp(server),
                Err(p) => {
                    problems.push(p);
                    Delivery::Files(data_dir.join("mail"))
                }
            },
            None => Delivery::Files(data_dir.join("mail")),
        };
        let from_text = raw.from.clone().unwrap_or_else(|| format!("no-reply@{domain}"));
        let from = match from_text.parse::<Mailbox>() {
            Ok(from) => Some(from),
            Err(e) => {
                problems.push(format!("mail.from: '{from_text}' is not an email address ({e})"));
                None
            }
        };
        settings.templates_dir = raw.templates_dir.clone();
        if let Some(name) = raw.product_name.as_ref().map(|n| n.trim()) {
            if name.is_empty() || name.len() > 100 {
                problems.push("mail.product_name must have 1 to 100 characters".to_owned());
            } else {
                settings.product_name = name.to_owned();
            }
        }
        if let Some(minutes) = raw.reset_link_minutes {
            if (5..=1440).contains(&minutes) {
                settings.reset_ttl = minutes * 60;
            } else {
                problems.push("mail.reset_link_minutes must be between 5 and 1440".to_owned());
            }
        }
        match raw.delivery_timeout {
            Some(seconds) if (1..=600).contains(&seconds) => settings.delivery_timeout = seconds,
            Some(_) => problems.push("mail.delivery_timeout must be between 1 and 600".to_owned()),
            None => {}
        }
        let templates = raw.templates_dir.as_deref().map(|dir| {
            let catalogs =
                keygate_core::i18n::Catalogs::load(None).map_err(|e| vec![e.to_string()])?;
            keygate_core::mail::templates::MailTemplates::load(Some(dir), catalogs.into())
        });
        if let Some(Err(mut found)) = templates {
            problems.append(&mut found);
        }
        let delivery_timeout = settings.delivery_timeout;
        Some(Self { delivery, from: from?, domain, delivery_timeout })
    }

    /// Messages as files in `dir`, from `from`.
    pub fn files(dir: PathBuf, from: Mailbox, issuer: &str) -> Self {
        let delivery_timeout = keygate_core::mail::sender::DELIVERY_TIMEOUT;
        Self { delivery: Delivery::Files(dir), from, domain: issuer_host(issuer), delivery_timeout }
    }

    /// Messages to an SMTP server without TLS at `addr` (a local relay or a test sink).
    pub fn plain_smtp(addr: std::net::SocketAddr, from: Mailbox, issuer: &str) -> Self {
        let server = SmtpServer {
            host: addr.ip().to_string(),
            port: addr.port(),
            tls: SmtpTls::None,
            credentials: None,
            ca_pem: None,
        };
        let delivery_timeout = keygate_core::mail::sender::DELIVERY_TIMEOUT;
        Self {
            delivery: Delivery::Smtp(server),
            from,
            domain: issuer_host(issuer),
            delivery_timeout,
        }
    }

    /// The transport this configuration describes.
    pub fn transport(&self) -> anyhow::Result<Arc<dyn MailTransport>> {
        Ok(match &self.delivery {
            Delivery::Smtp(server) => {
                let (from, timeout) = (self.from.clone(), self.delivery_timeout);
                Arc::new(super::smtp::SmtpMail::new(server, from, &self.domain, timeout)?)
            }
            Delivery::Files(dir) => {
                Arc::new(super::files::FileMail::new(dir.clone(), self.from.clone(), &self.domain))
            }
        })
    }
}

/// The issuer's host, the domain of `Message-ID`s and of the default sender.
fn issuer_host(issuer: &str) -> String {
    Url::parse(issuer)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_else(|| "localhost".to_owned())
}

fn smtp_server(url: &str, raw: &RawMail) -> Result<SmtpServer, String> {
    let parsed = Url::parse(url).map_err(|e| format!("mail.smtp_url: not a URL ({e})"))?;
    let host = parsed
        .host_str()
        .filter(|h| !h.is_empty())
        .ok_or_else(|| "mail.smtp_url: no host".to_owned())?
        .to_owned();
    let tls_param = parsed.query_pairs().find(|(k, _)| k == "tls").map(|(_, v)| v.into_owned());
    let (tls, default_port) = match (parsed.scheme(), tls_param.as_deref()) {
        ("smtps", None) => (SmtpTls::Implicit, 465),
        ("smtp", None | Some("starttls")) => (SmtpTls::StartTls, 587),
        ("smtp", Some("none")) => (SmtpTls::None, 25),
        (scheme, param) => {
            return Err(format!(
                "mail.smtp_url: '{scheme}://' with tls={} is not supported; use smtps://HOST, \
                 smtp://HOST (STARTTLS) or smtp://HOST?tls=none",
                param.unwrap_or("-")
            ));
        }
    };
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err("mail.smtp_url: put the user name and password in mail.smtp_username and \
                    mail.smtp_password (or KEYGATE_MAIL_SMTP_USERNAME/_PASSWORD), not the URL"
            .to_owned());
    }
    let credentials = match (&raw.smtp_username, &raw.smtp_password) {
        (Some(user), Some(password)) => Some((user.clone(), password.clone())),
        (None, None) => None,
        _ => return Err("mail: set both smtp_username and smtp_password, or neither".to_owned()),
    };
    let ca_file = raw.smtp_ca_file.as_deref();
    let ca_pem =
        ca_file.map(|p| crate::config::read_ca_file(p, "mail.smtp_ca_file")).transpose()?;
    Ok(SmtpServer { host, port: parsed.port().unwrap_or(default_port), tls, credentials, ca_pem })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn resolve(raw: RawMail) -> (Option<MailConfig>, Vec<String>) {
        let mut problems = Vec::new();
        let mut settings = MailSettings::default();
        let config = MailConfig::resolve(
            &raw,
            "https://id.example",
            Path::new("/data"),
            &mut settings,
            &mut problems,
        );
        (config, problems)
    }

    fn smtp(url: &str) -> Result<SmtpServer, String> {
        smtp_server(url, &RawMail::default())
    }

    #[test]
    fn smtp_urls_name_tls_and_default_ports() {
        let implicit = smtp("smtps://mail.example").unwrap();
        assert_eq!((implicit.tls, implicit.port), (SmtpTls::Implicit, 465));
        let starttls = smtp("smtp://mail.example").unwrap();
        assert_eq!((starttls.tls, starttls.port), (SmtpTls::StartTls, 587));
        let plain = smtp("smtp://127.0.0.1:2525?tls=none").unwrap();
        assert_eq!((plain.tls, plain.port), (SmtpTls::None, 2525));
        assert!(smtp("http://mail.example").is_err());
        assert!(smtp("smtps://mail.example?tls=none").is_err());
        assert!(smtp("smtp://user:pw@mail.example").unwrap_err().contains("smtp_password"));
    }

    #[test]
    fn without_a_server_messages_go_to_files_from_the_issuer_host() {
        let (config, problems) = resolve(RawMail::default());
        assert!(problems.is_empty(), "{problems:?}");
        let config = config.unwrap();
        assert_eq!(config.delivery, Delivery::Files(PathBuf::from("/data/mail")));
        assert_eq!(config.from.to_string(), "no-reply@id.example");
    }

    #[test]
    fn every_mail_problem_is_reported_at_once() {
        let raw = RawMail {
            smtp_url: Some("ftp://x".to_owned()),
            from: Some("not an address".to_owned()),
            reset_link_minutes: Some(1),
            smtp_username: Some("u".to_owned()),
            ..RawMail::default()
        };
        let (_, problems) = resolve(raw);
        assert_eq!(problems.len(), 3, "{problems:?}");
    }
}
