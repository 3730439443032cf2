//! SMTP over TLS against the testkit's sink speaking TLS with a test certificate: `smtps://`
//! (RFC 8314 §3.3), `smtp://` with STARTTLS required (RFC 3207), the login only once encrypted
//! (RFC 4954 §4), the server's certificate checked against the system's roots plus
//! `[mail] smtp_ca_file`, and the start-up check's words when something is wrong.

use std::path::Path;
use std::time::Duration;

use keygate_core::mail::{MailStatus, NewMail};
use keygate_core::settings::MailSettings;
use keygate_core::store::MailStore;
use keygate_server::mail::{MailConfig, RawMail};
use keygate_testkit::{Serve, SinkSecurity, SinkTls, SmtpSink, TempDir, TestApp, TestCert};

const USER: &str = "keygate";
const PASSWORD: &str = "relay password";

fn note(n: u32) -> NewMail {
    NewMail {
        idempotency_key: format!("tls:{n}"),
        kind: "test".to_owned(),
        to: "ann@example.com".to_owned(),
        user_id: None,
        subject: format!("Over TLS {n}"),
        text: "Sent encrypted.\n".to_owned(),
        html: None,
    }
}

/// `[mail]` for `url`, logging in, trusting `ca` when given.
fn config(url: &str, ca: Option<&Path>, password: &str) -> MailConfig {
    let raw = RawMail {
        smtp_url: Some(url.to_owned()),
        smtp_username: Some(USER.to_owned()),
        smtp_password: Some(password.to_owned()),
        smtp_ca_file: ca.map(Path::to_path_buf),
        from: Some("no-reply@keygate.test".to_owned()),
        ..RawMail::default()
    };
    let mut problems = Vec::new();
    let mut settings = MailSettings::default();
    let config = MailConfig::resolve(
        &raw,
        "http://keygate.test",
        Path::new("/tmp"),
        &mut settings,
        &mut problems,
    );
    assert!(problems.is_empty(), "{problems:?}");
    config.expect("a valid [mail]")
}

/// A sink speaking `tls` with a fresh certificate (written to a CA file) and a required login.
async fn tls_sink(tls: SinkTls) -> (SmtpSink, TempDir) {
    let cert = TestCert::new("sink.test");
    let dir = TempDir::new("kgsmtptls");
    std::fs::write(dir.0.join("ca.pem"), &cert.cert_pem).unwrap();
    let security = SinkSecurity::new(tls, &cert, Some((USER, PASSWORD)));
    (SmtpSink::start_secured(Some(security)).await, dir)
}

async fn delivered_over(tls: SinkTls, scheme: &str) {
    let (sink, dir) = tls_sink(tls).await;
    let url = format!("{scheme}://localhost:{}", sink.addr().port());
    let mail = config(&url, Some(&dir.0.join("ca.pem")), PASSWORD);
    let app = TestApp::spawn_serving(Serve { mail: Some(mail), ..Serve::default() }, |_| {}).await;
    let id = app.provider.queue_mail(&note(1)).await.unwrap().unwrap();
    let got = sink.wait_for(1, Duration::from_secs(10)).await;
    assert_eq!(got.len(), 1, "delivered");
    assert!(got[0].tls, "the message came over an encrypted connection");
    assert_eq!(got[0].user.as_deref(), Some(USER), "after logging in");
    assert!(
        keygate_testkit::within_a_second(|| async {
            app.store.find_mail(id).await.unwrap().unwrap().status == MailStatus::Sent
        })
        .await
    );
}

#[tokio::test]
async fn rfc8314_3_3_smtps_sends_over_tls_from_the_first_byte_and_logs_in() {
    delivered_over(SinkTls::Implicit, "smtps").await;
}

#[tokio::test]
async fn rfc3207_smtp_urls_upgrade_with_starttls_before_logging_in() {
    delivered_over(SinkTls::StartTls, "smtp").await;
}

/// The last error of the only message once the sender tried it, and what the sink got.
async fn refused_delivery(sink: &SmtpSink, mail: MailConfig) -> String {
    let app = TestApp::spawn_serving(Serve { mail: Some(mail), ..Serve::default() }, |_| {}).await;
    let id = app.provider.queue_mail(&note(2)).await.unwrap().unwrap();
    let mut tried = None;
    for _ in 0..100 {
        let message = app.store.find_mail(id).await.unwrap().unwrap();
        if message.attempts > 0 && message.status != MailStatus::Sending {
            tried = Some(message);
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let message = tried.expect("the sender tried");
    assert_eq!(message.status, MailStatus::Pending, "kept for a retry: {message:?}");
    assert!(sink.messages().is_empty(), "nothing reached the sink");
    message.last_error.unwrap_or_default()
}

#[tokio::test]
async fn rfc3207_4_a_server_without_starttls_never_gets_the_message_in_plain_text() {
    let sink = SmtpSink::start().await;
    let url = format!("smtp://127.0.0.1:{}", sink.addr().port());
    let error = refused_delivery(&sink, config(&url, None, PASSWORD)).await;
    assert!(error.to_ascii_lowercase().contains("starttls"), "{error}");
}

#[tokio::test]
async fn an_smtp_certificate_no_trusted_authority_signed_is_refused() {
    let (sink, _dir) = tls_sink(SinkTls::Implicit).await;
    let url = format!("smtps://localhost:{}", sink.addr().port());
    let error = refused_delivery(&sink, config(&url, None, PASSWORD)).await;
    assert!(error.to_ascii_lowercase().contains("certificate"), "{error}");
}

#[tokio::test]
async fn the_start_up_check_names_a_refused_login_and_an_untrusted_certificate() {
    let (sink, dir) = tls_sink(SinkTls::StartTls).await;
    let url = format!("smtp://localhost:{}", sink.addr().port());
    let ca = dir.0.join("ca.pem");
    let right = config(&url, Some(&ca), PASSWORD).transport().unwrap();
    assert_eq!(right.check().await, Ok(()));
    let wrong = config(&url, Some(&ca), "not the password").transport().unwrap();
    let refused = wrong.check().await.unwrap_err();
    assert!(refused.contains("535"), "the server's refusal: {refused}");
    let untrusted = config(&url, None, PASSWORD).transport().unwrap();
    let error = untrusted.check().await.unwrap_err();
    assert!(error.to_ascii_lowercase().contains("certificate"), "{error}");
}

#[test]
fn a_ca_file_without_a_certificate_is_a_configuration_problem() {
    let dir = TempDir::new("kgsmtptls");
    let file = dir.0.join("ca.pem");
    std::fs::write(&file, "not a certificate").unwrap();
    let raw = RawMail {
        smtp_url: Some("smtps://mail.example".to_owned()),
        smtp_ca_file: Some(file),
        ..RawMail::default()
    };
    let mut problems = Vec::new();
    let mut settings = MailSettings::default();
    MailConfig::resolve(
        &raw,
        "http://keygate.test",
        Path::new("/tmp"),
        &mut settings,
        &mut problems,
    );
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].contains("smtp_ca_file") && problems[0].contains("no PEM certificate"));
    let missing = RawMail { smtp_ca_file: Some(dir.0.join("absent.pem")), ..raw };
    problems.clear();
    MailConfig::resolve(
        &missing,
        "http://keygate.test",
        Path::new("/tmp"),
        &mut settings,
        &mut problems,
    );
    assert!(problems[0].contains("absent.pem"), "{problems:?}");
}
