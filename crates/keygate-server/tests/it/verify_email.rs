//! Confirming email addresses (OIDC Core §5.1 `email_verified`): required before password
//! sign-in when configured, with a link sent by the refused sign-in and a button for another,
//! and links an administrator sends from the console, the admin API or the CLI.

use std::time::Duration;

use keygate_core::admin::NewUser;
use keygate_core::signin_log::SignInOutcome;
use keygate_core::store::{SignInLogStore, SignInQuery, UserStore};
use keygate_testkit::{Backend, Browser, PASSWORD, SmtpSink, TestApp, form_field, location, pkce};
use reqwest::Method;

async fn unconfirmed(app: &TestApp, name: &str) -> keygate_core::User {
    let new = NewUser {
        username: name.to_owned(),
        email: format!("{name}@example.com"),
        email_verified: false,
        ..Default::default()
    };
    let policy = app.provider.settings().passwords;
    app.admin().create_user(new, &keygate_core::Secret::new(PASSWORD), &policy).await.unwrap()
}

async fn login_page(app: &TestApp, browser: &Browser) -> String {
    let client = app.web_client(&["openid"]).await;
    let (_, challenge) = pkce();
    location(&browser.get(&app.authorize_url(&client, "openid", &challenge, &[])).await)
}

async fn required(backend: Backend) {
    let sink = SmtpSink::start().await;
    let Some(app) =
        TestApp::spawn_with_mail(backend, &sink, |s| s.signup.require_verified_email = true).await
    else {
        return;
    };
    let user = unconfirmed(&app, "uma").await;
    let browser = Browser::new();
    let login = login_page(&app, &browser).await;
    let wrong = app.submit_login(&browser, &login, "uma", "not the password").await;
    assert!(wrong.body.contains("incorrect"), "a wrong password says nothing more");
    let refused = app.submit_login(&browser, &login, "uma", PASSWORD).await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert!(refused.body.contains("Confirm your email address first"));
    assert!(refused.body.contains("u•••@example.com"), "masked: {}", refused.body);
    let first = sink.wait_for(1, Duration::from_secs(10)).await;
    assert_eq!(first[0].to, ["uma@example.com"]);

    let ticket = form_field(&refused.body, "ticket").expect("the resend button");
    let resent = browser.post_form(&app.url("/verify/resend"), &[("ticket", &ticket)]).await;
    assert_eq!(resent.status, 200, "{}", resent.body);
    assert!(resent.body.contains("A new link is on its way"));
    let forged = browser.post_form(&app.url("/verify/resend"), &[("ticket", "forged")]).await;
    assert_eq!(forged.status, 400);
    let second = sink.wait_for(2, Duration::from_secs(10)).await;
    let link = second[1].link(&app.url("/verify?token=")).expect("a link");

    let page = browser.get(&link).await;
    assert_eq!(page.status, 200);
    let csrf = form_field(&page.body, "csrf").unwrap();
    let token = form_field(&page.body, "token").unwrap();
    let done = browser.post_form(&app.url("/verify"), &[("csrf", &csrf), ("token", &token)]).await;
    assert!(done.body.contains("Address confirmed"), "{}", done.body);
    assert!(app.store.find_user(&user.id).await.unwrap().unwrap().email_verified);
    let first_link = first[0].link(&app.url("/verify?token=")).unwrap();
    assert_eq!(browser.get(&first_link).await.status, 400, "older links die with the first use");

    let login = login_page(&app, &browser).await;
    let signed_in = app.submit_login(&browser, &login, "uma", PASSWORD).await;
    assert!(signed_in.status.is_redirection(), "{}", signed_in.body);
    let log =
        app.store.list_signins(&SignInQuery { limit: 20, ..Default::default() }).await.unwrap();
    assert!(log.iter().any(|e| e.outcome == SignInOutcome::Unverified));
}

#[tokio::test]
async fn oidc_core_5_1_a_required_confirmation_refuses_sign_in_until_the_link_is_used_sqlite() {
    required(Backend::Sqlite).await;
}

#[tokio::test]
async fn oidc_core_5_1_a_required_confirmation_refuses_sign_in_until_the_link_is_used_postgres() {
    required(Backend::Postgres).await;
}

#[tokio::test]
async fn unconfirmed_accounts_sign_in_unless_confirmation_is_required() {
    let app = TestApp::spawn().await;
    unconfirmed(&app, "val").await;
    let browser = Browser::new();
    let login = login_page(&app, &browser).await;
    assert!(app.submit_login(&browser, &login, "val", PASSWORD).await.status.is_redirection());
}

#[tokio::test]
async fn a_link_for_an_address_the_account_no_longer_has_confirms_nothing() {
    let sink = SmtpSink::start().await;
    let app = TestApp::spawn_with_mail(Backend::Sqlite, &sink, |_| {}).await.unwrap();
    let user = unconfirmed(&app, "wes").await;
    app.provider.send_verification(&user).await.unwrap();
    let link = sink.wait_for(1, Duration::from_secs(20)).await[0]
        .link(&app.url("/verify?token="))
        .unwrap();
    let spec = keygate_core::admin::UserSpec {
        email: Some("new-wes@example.com".into()),
        ..Default::default()
    };
    app.admin().update_user(&user.id, spec).await.unwrap();
    let token = link.split("token=").nth(1).unwrap();
    assert!(app.provider.confirm_email(token).await.unwrap().is_none());
    assert!(!app.store.find_user(&user.id).await.unwrap().unwrap().email_verified);
}

#[tokio::test]
async fn administrators_send_confirmation_links_from_the_admin_api_and_the_console() {
    let sink = SmtpSink::start().await;
    let app = TestApp::spawn_with_mail(Backend::Sqlite, &sink, |_| {}).await.unwrap();
    let user = unconfirmed(&app, "xia").await;
    let token = app.admin_token(&["admin:read", "admin:write"]).await;
    let path = format!("/users/{}/verification-link", user.id);
    let sent = app.admin_call(Method::POST, &path, Some(&token), None, &[]).await;
    assert_eq!(sent.status, 202, "{}", sent.body);
    assert_eq!(sink.wait_for(1, Duration::from_secs(20)).await[0].to, ["xia@example.com"]);
    let verified = app.user("yan").await;
    let path = format!("/users/{}/verification-link", verified.id);
    let refused = app.admin_call(Method::POST, &path, Some(&token), None, &[]).await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("confirmed"), "{}", refused.body);

    crate::console::admin_user(&app, "root").await;
    let (console, _) = crate::console::console_session(&app, "root").await;
    let page = console.get(&app.url(&format!("/admin/users/{}", user.id))).await;
    assert!(page.body.contains("Email a confirmation link"));
    let csrf = form_field(&page.body, "csrf").unwrap();
    let posted = console
        .post_form(
            &app.url(&format!("/admin/users/{}/verification-link", user.id)),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(posted.status, 303, "{}", posted.body);
    sink.wait_for(2, Duration::from_secs(20)).await;
}

/// The login page's answer without the per-request values (request id, CSRF token) and the
/// name typed, which the form shows again.
fn without_request_values(body: &str, typed: &str) -> String {
    // The request's values, and the passkey form (its challenge is new on every page).
    let per_request = ["name=\"req\"", "name=\"csrf\"", "name=\"passkey\"", "data-options="];
    let lines: String =
        body.lines().filter(|l| !per_request.iter().any(|value| l.contains(value))).collect();
    let (before, after) = lines.split_once("forgot?req=").expect("the forgot link");
    let rest = &after[after.find('"').expect("end of the link")..];
    format!("{before}forgot?req={rest}").replace(&format!("value=\"{typed}\""), "value=\"\"")
}

#[tokio::test]
async fn a_resend_is_earned_by_the_password_so_unknown_and_unconfirmed_accounts_answer_alike() {
    let sink = SmtpSink::start().await;
    let app = TestApp::spawn_with_mail(Backend::Sqlite, &sink, |s| {
        s.signup.require_verified_email = true;
    })
    .await
    .unwrap();
    unconfirmed(&app, "una").await;
    let mut answers = Vec::new();
    for who in ["una", "una@example.com", "nobody", "nobody@example.com"] {
        let browser = Browser::new();
        let login = login_page(&app, &browser).await;
        let reply = app.submit_login(&browser, &login, who, "not the password").await;
        assert!(form_field(&reply.body, "ticket").is_none(), "no resend without the password");
        answers.push((reply.status, without_request_values(&reply.body, who)));
    }
    for w in answers.windows(2) {
        assert_eq!(w[0], w[1], "the same answer for every name");
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(sink.messages().is_empty(), "and no message for any of them");
}
