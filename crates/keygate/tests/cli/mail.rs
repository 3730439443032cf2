//! `keygate mail ...` against a running `keygate serve` and a real SMTP server (the testkit's
//! sink): one send path for test and real mail, failures visible, resending, reset links, and
//! a node killed mid-delivery on PostgreSQL that never sends a message twice.

use std::process::Command;
use std::time::Duration;

use keygate_testkit::{PgDatabase, SinkBehavior, SmtpSink, TempDir};
use serde_json::Value;

use crate::serve::Server;
use crate::{keygate, run, run_json, text};

fn with_sink(mut cmd: Command, sink: &SmtpSink) -> Command {
    cmd.env("KEYGATE_MAIL_SMTP_URL", format!("smtp://{}?tls=none", sink.addr()));
    cmd.env("KEYGATE_MAIL_FROM", "Keygate <id@keygate.test>");
    cmd
}

fn messages(cmd: Command, extra: &[&str]) -> Vec<Value> {
    let listed = run_json(cmd, &[&["mail", "list", "--json"][..], extra].concat(), "");
    listed.as_array().unwrap().clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mail_test_list_resend_and_reset_link_go_through_the_running_servers_outbox() {
    let sink = SmtpSink::start().await;
    sink.behave(SinkBehavior { reject_prefix: Some("refuse".into()), ..Default::default() });
    let dir = TempDir::new("kgmail");
    let cli = || with_sink(keygate(&dir.0), &sink);
    let _server = Server::start(cli());

    let sent = run(cli(), &["mail", "test", "ann@example.com"], "");
    let (stdout, stderr) = text(&sent);
    assert!(sent.status.success(), "{stdout}{stderr}");
    assert!(stdout.contains("Delivered"), "{stdout}");
    let got = sink.messages_to("ann@example.com");
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].header("Subject").as_deref(), Some("Keygate test message"));
    assert_eq!(got[0].from, "id@keygate.test");

    let refused = run(cli(), &["mail", "test", "refuse@example.com"], "");
    let (stdout, _) = text(&refused);
    assert!(!refused.status.success());
    assert!(stdout.contains("Failed") && stdout.contains("550"), "{stdout}");
    let failed = messages(cli(), &["--failed"]);
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert_eq!(failed[0]["status"], "failed");
    assert!(failed[0].get("text").is_none(), "bodies are never listed");
    let id = failed[0]["id"].as_i64().unwrap().to_string();
    let (stdout, _) = text(&run(cli(), &["mail", "resend", &id], ""));
    assert!(stdout.contains("queued again"), "{stdout}");
    let again = run(cli(), &["mail", "resend", "999999"], "");
    assert!(!again.status.success());

    let create =
        ["users", "create", "--username", "bo", "--email", "bo@example.com", "--password-stdin"];
    assert!(run(cli(), &create, "a long enough password\n").status.success());
    assert!(run(cli(), &["mail", "reset-link", "bo"], "").status.success());
    let reset = sink.wait_for(2, Duration::from_secs(10)).await;
    let reset = reset.iter().find(|m| m.to == ["bo@example.com"]).expect("a reset mail");
    assert!(reset.link("http://localhost:8080/reset?token=").is_some(), "{}", reset.text());
    let listed = messages(cli(), &["--user", "bo"]);
    assert_eq!(listed[0]["kind"], "password_reset");
    assert!(run(cli(), &["mail", "verify-link", "bo"], "").status.success());
    let sent = sink.wait_for(3, Duration::from_secs(10)).await;
    assert!(
        sent.iter()
            .any(|m| m.header("Subject").unwrap_or_default().starts_with("Confirm your email"))
    );
    let create =
        ["users", "create", "--username", "cy", "--email", "cy@example.com", "--email-verified"];
    assert!(
        run(cli(), &[&create[..], &["--password-stdin"]].concat(), "a long enough password\n")
            .status
            .success()
    );
    let refused = run(cli(), &["mail", "verify-link", "cy"], "");
    let (_, stderr) = text(&refused);
    assert!(!refused.status.success() && stderr.contains("confirmed"), "{stderr}");
    let invite = run(cli(), &["mail", "invite", "new@example.com", "--locale", "xx"], "");
    let (_, stderr) = text(&invite);
    assert!(
        !invite.status.success()
            && stderr.contains("Invitations are off")
            && stderr.contains("no 'xx' translation"),
        "every problem at once: {stderr}"
    );
    let bad = run(cli(), &["mail", "list", "--status", "lost", "--user", "nobody"], "");
    let (_, stderr) = text(&bad);
    assert!(
        stderr.contains("'lost' is not a status") && stderr.contains("no user 'nobody'"),
        "{stderr}"
    );
}

/// RFC 5321 §6.1 lets a client send a message twice when it cannot tell whether the server
/// accepted it; Keygate does not. A node killed after the server accepted a message and
/// before recording it leaves the message `interrupted`: the next node does not send it again,
/// and delivers everything else.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_killed_between_delivery_and_marking_never_sends_the_message_twice_postgres() {
    let Some(db) = PgDatabase::create().await else { return };
    let sink = SmtpSink::start().await;
    sink.behave(SinkBehavior { hold_reply: Some(Duration::from_secs(10)), ..Default::default() });
    let dir = TempDir::new("kgmailkill");
    let cli = || {
        let mut cmd = with_sink(keygate(&dir.0), &sink);
        cmd.env("KEYGATE_DATABASE_URL", &db.url).env("KEYGATE_MAIL_DELIVERY_TIMEOUT", "2");
        cmd
    };
    let first = Server::start(cli());
    assert!(run(cli(), &["mail", "test", "kept@example.com", "--wait", "0"], "").status.success());
    let accepted = sink.wait_for(1, Duration::from_secs(10)).await;
    assert_eq!(accepted.len(), 1, "the server accepted it and holds its reply");
    drop(first); // SIGKILL: no chance to record the outcome.
    sink.behave(SinkBehavior::default());
    let _second = Server::start(cli());
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let listed = messages(cli(), &[]);
        if listed[0]["status"] == "interrupted" {
            assert!(listed[0]["last_error"].as_str().unwrap().contains("may have accepted"));
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "never marked interrupted: {listed:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let next = run(cli(), &["mail", "test", "next@example.com"], "");
    assert!(next.status.success(), "{}", text(&next).0);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(sink.messages_to("kept@example.com").len(), 1, "sent once");
    assert_eq!(sink.messages_to("next@example.com").len(), 1);
}
