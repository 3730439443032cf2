//! The outbox through the two other doors: the console's Mail page and the admin API. Test
//! messages, the outbox with filters, resending and reset links sent for a user.

use std::time::Duration;

use keygate_core::store::MailStore;
use keygate_testkit::{Backend, SinkBehavior, SmtpSink, TestApp, form_field};
use reqwest::Method;
use serde_json::json;

use crate::console::{admin_user, console_session};

async fn app_with_sink(sink: &SmtpSink) -> TestApp {
    TestApp::spawn_with_mail(Backend::Sqlite, sink, |_| {}).await.unwrap()
}

#[tokio::test]
async fn console_mail_sends_a_test_message_shows_failures_and_sends_again() {
    let sink = SmtpSink::start().await;
    sink.behave(SinkBehavior { reject_prefix: Some("bounce".into()), ..Default::default() });
    let app = app_with_sink(&sink).await;
    admin_user(&app, "root").await;
    let (browser, _) = console_session(&app, "root").await;
    let page = browser.get(&app.url("/admin/mail")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("smtp without TLS"), "the transport is named");
    let csrf = form_field(&page.body, "csrf").unwrap();

    let sent = browser
        .post_form(&app.url("/admin/mail/test"), &[("csrf", &csrf), ("address", "op@example.com")])
        .await;
    assert_eq!(sent.status, 303, "Post/Redirect/Get: {}", sent.body);
    assert_eq!(sink.wait_for(1, Duration::from_secs(20)).await.len(), 1);
    let bad = browser
        .post_form(&app.url("/admin/mail/test"), &[("csrf", &csrf), ("address", "not an address")])
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("is not an email address"), "{}", bad.body);

    browser
        .post_form(
            &app.url("/admin/mail/test"),
            &[("csrf", &csrf), ("address", "bounce@example.com")],
        )
        .await;
    let failed = loop {
        let page = browser.get(&app.url("/admin/mail?status=problems")).await;
        if page.body.contains("550") {
            break page;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(failed.body.contains(r#"<span class="badge off">failed</span>"#), "{}", failed.body);
    assert!(!failed.body.contains("op@example.com"), "filtered to problems");
    let query = keygate_core::mail::MailQuery { limit: 10, ..Default::default() };
    let id = app.store.list_mail(&query).await.unwrap();
    let bounced = id.iter().find(|m| m.to == "bounce@example.com").unwrap().id;
    let resend = format!("/admin/mail/{bounced}/resend");
    let again = browser.post_form(&app.url(&resend), &[("csrf", &csrf)]).await;
    assert_eq!(again.status, 303);
    let once_more = browser.post_form(&app.url("/admin/mail/999/resend"), &[("csrf", &csrf)]).await;
    assert_eq!(once_more.status, 404);
}

#[tokio::test]
async fn console_emails_a_user_a_reset_link_and_lists_their_messages() {
    let sink = SmtpSink::start().await;
    let app = app_with_sink(&sink).await;
    admin_user(&app, "root").await;
    let user = app.user("gail").await;
    let (browser, _) = console_session(&app, "root").await;
    let page = browser.get(&app.url(&format!("/admin/users/{}", user.id))).await;
    assert!(page.body.contains("Email a reset link"));
    let csrf = form_field(&page.body, "csrf").unwrap();
    let sent = browser
        .post_form(&app.url(&format!("/admin/users/{}/reset-link", user.id)), &[("csrf", &csrf)])
        .await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    let listed = browser.get(&keygate_testkit::location(&sent)).await;
    assert!(listed.body.contains("password_reset"), "{}", listed.body);
    let mail = sink.wait_for(1, Duration::from_secs(20)).await;
    assert!(mail[0].link(&app.url("/reset?token=")).is_some());
}

#[tokio::test]
async fn admin_api_mail_test_list_get_resend_and_reset_link() {
    let sink = SmtpSink::start().await;
    sink.behave(SinkBehavior { reject_prefix: Some("bounce".into()), ..Default::default() });
    let app = app_with_sink(&sink).await;
    let token = app.admin_token(&["admin:read", "admin:write"]).await;
    let reader = app.admin_token(&["admin:read"]).await;
    let call = |method, path: &'static str, body: Option<serde_json::Value>, token: String| {
        let app = &app;
        async move { app.admin_call(method, path, Some(&token), body.as_ref(), &[]).await }
    };
    let forbidden =
        call(Method::POST, "/mail/test", Some(json!({"address": "x@example.com"})), reader.clone())
            .await;
    assert_eq!(forbidden.status, 403);
    let queued = call(
        Method::POST,
        "/mail/test",
        Some(json!({"address": "bounce@example.com"})),
        token.clone(),
    )
    .await;
    assert_eq!(queued.status, 202, "{}", queued.body);
    assert_eq!(queued.json()["kind"], "test");
    let id = queued.json()["id"].as_i64().unwrap();
    let path = format!("/mail/{id}");
    let failed = loop {
        let one = app.admin_call(Method::GET, &path, Some(&reader), None, &[]).await;
        if one.json()["status"] == "failed" {
            break one.json();
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(failed["last_error"].as_str().unwrap().contains("550"));
    assert!(failed.get("text").is_none(), "bodies are never shown");
    let listed = call(Method::GET, "/mail?status=problems", None, reader.clone()).await;
    assert_eq!(listed.json()["items"].as_array().unwrap().len(), 1);
    let bad = call(Method::GET, "/mail?status=lost&user=nobody", None, reader.clone()).await;
    assert_eq!(bad.status, 422);
    let resend =
        app.admin_call(Method::POST, &format!("/mail/{id}/resend"), Some(&token), None, &[]).await;
    assert_eq!(resend.status, 200, "{}", resend.body);
    assert_eq!(resend.json()["status"], "pending");

    let user = app.user("hana").await;
    let reset = app
        .admin_call(
            Method::POST,
            &format!("/users/{}/reset-link", user.id),
            Some(&token),
            None,
            &[],
        )
        .await;
    assert_eq!(reset.status, 202, "{}", reset.body);
    let mail = sink.wait_for(1, Duration::from_secs(20)).await;
    assert_eq!(mail[0].to, ["hana@example.com"]);
    let unknown = call(Method::POST, "/users/nobody/reset-link", None, token.clone()).await;
    assert_eq!(unknown.status, 404);
    let doc = app.get("/admin/api/openapi.json").await.json();
    assert!(doc["paths"]["/admin/api/v1/mail/test"].is_object(), "documented in OpenAPI");
}
