//! The whole self-service journey in Chromium, with real mail: sign up from an application
//! (`prompt=create`) → confirmation message → confirm → back in the application → "Forgot
//! password?" → reset message → new password → the old session is gone and the new password
//! signs in. axe-core checks every page on the way.

use std::time::Duration;

use keygate_core::settings::SignupMode;
use keygate_testkit::{Backend, Received, SmtpSink, TestApp, WebDriver, pkce, query_param};

const FIRST: &str = "my first long passphrase";
const SECOND: &str = "my second long passphrase";

async fn mail(sink: &SmtpSink, n: usize) -> Received {
    let got = sink.wait_for(n, Duration::from_secs(10)).await;
    assert!(got.len() >= n, "message {n} did not arrive");
    got[n - 1].clone()
}

#[tokio::test]
async fn chromium_sign_up_confirm_use_the_app_reset_the_password_and_old_sessions_end() {
    let Some(browser) = WebDriver::start().await else { return };
    let sink = SmtpSink::start().await;
    let app = TestApp::spawn_with_mail(Backend::Sqlite, &sink, |s| {
        s.signup.mode = SignupMode::Open;
        // The page's claim fields are checked with the rest.
        s.editable_claims = vec!["nickname".into(), "picture".into(), "locale".into()];
    })
    .await
    .unwrap();
    let client = crate::browser::photo_printer(&app, &["openid", "email"]).await;
    let callback = client.redirect_uri.clone();

    // Sign up, sent by the application.
    let (_, challenge) = pkce();
    browser
        .goto(&app.authorize_url(&client, "openid email", &challenge, &[("prompt", "create")]))
        .await;
    browser.wait_for_url(|u| u.contains("/signup")).await;
    browser.assert_accessible("signup").await;
    browser.screenshot("signup").await;
    browser.type_into("#email", "zoe@example.com").await;
    browser.type_into("#name", "Zoe Example").await;
    browser.type_into("#password", FIRST).await;
    browser.type_into("#password_again", FIRST).await;
    browser.click("button[type=submit]").await;
    browser.wait_for_element("p[role=status]").await;
    assert!(browser.source().await.contains("Check your email"));
    browser.assert_accessible("signup-sent").await;

    // Confirm from the message: back in the application's flow.
    let link = mail(&sink, 1).await.link(&app.url("/signup/confirm?token=")).unwrap();
    browser.goto(&link).await;
    browser.wait_for_element("button[type=submit]").await;
    browser.assert_accessible("signup-confirm").await;
    browser.click("button[type=submit]").await;
    browser.wait_for_url(|u| u.contains("/consent")).await;
    browser.click("button[value=allow]").await;
    let landed = browser.wait_for_url(|u| u.starts_with(&callback)).await;
    assert!(query_param(&landed, "code").is_some(), "{landed}");

    // Forgot password, from another tab's point of view: the reset page.
    browser.goto(&app.url("/forgot")).await;
    browser.wait_for_element("#address").await;
    browser.assert_accessible("forgot").await;
    browser.type_into("#address", "zoe@example.com").await;
    browser.click("button[type=submit]").await;
    browser.wait_for_element("p[role=status]").await;
    browser.assert_accessible("forgot-sent").await;
    let reset = mail(&sink, 2).await.link(&app.url("/reset?token=")).unwrap();
    browser.goto(&reset).await;
    browser.wait_for_element("#password").await;
    browser.assert_accessible("reset").await;
    browser.screenshot("reset").await;
    browser.type_into("#password", SECOND).await;
    browser.type_into("#password_again", SECOND).await;
    browser.click("button[type=submit]").await;
    browser.wait_for_element("p[role=status]").await;
    assert!(browser.source().await.contains("Password changed"));
    browser.assert_accessible("reset-done").await;

    // The session from sign-up is gone; the new password signs in.
    let (_, challenge) = pkce();
    browser.goto(&app.authorize_url(&client, "openid", &challenge, &[("prompt", "none")])).await;
    let refused = browser.wait_for_url(|u| u.starts_with(&callback)).await;
    assert_eq!(query_param(&refused, "error").as_deref(), Some("login_required"));
    let (_, challenge) = pkce();
    browser.goto(&app.authorize_url(&client, "openid", &challenge, &[])).await;
    browser.wait_for_url(|u| u.contains("/login")).await;
    browser.type_into("#username", "zoe@example.com").await;
    browser.type_into("#password", SECOND).await;
    browser.click("button[type=submit]").await;
    let back = browser.wait_for_url(|u| u.starts_with(&callback)).await;
    assert!(query_param(&back, "code").is_some(), "consent remembered: {back}");
    assert_eq!(sink.messages().len(), 3, "confirmation, reset link, password changed");

    // The account page, through the same SSO session.
    browser.goto(&app.url("/account")).await;
    browser.wait_for_url(|u| u.ends_with("/account")).await;
    browser.wait_for_element("h1").await;
    assert!(browser.source().await.contains("Photo Printer"), "the application with access");
    browser.assert_accessible("account").await;
    browser.screenshot("account").await;

    // The same pages on a phone-sized screen.
    browser.resize(390, 844).await;
    for (path, name) in
        [("/account", "account-phone"), ("/signup", "signup-phone"), ("/forgot", "forgot-phone")]
    {
        browser.goto(&app.url(path)).await;
        browser.wait_for_element("h1").await;
        browser.assert_accessible(name).await;
        browser.screenshot(name).await;
    }
}
