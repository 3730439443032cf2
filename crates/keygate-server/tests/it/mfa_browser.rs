//! Two-step sign-in in a real browser (headless Chromium): adding an authenticator app when
//! the policy requires one, the recovery codes, and the code asked at the next sign-in, each
//! page checked with axe-core at desktop and phone sizes.

use keygate_core::Clock;
use keygate_core::mfa::totp;
use keygate_core::settings::MfaPolicy;
use keygate_testkit::{Backend, PASSWORD, TestApp, WebDriver, pkce, query_param};

/// From the application's request to the page after the password, as `ada`.
async fn password_step(browser: &WebDriver, app: &TestApp, client: &keygate_testkit::TestClient) {
    let (_, challenge) = pkce();
    browser.goto(&app.authorize_url(client, "openid", &challenge, &[])).await;
    browser.wait_for_url(|u| u.contains("/login")).await;
    browser.type_into("#username", "ada").await;
    browser.type_into("#password", PASSWORD).await;
    browser.click("button[type=submit]").await;
}

#[tokio::test]
async fn chromium_adds_an_authenticator_app_at_sign_in_then_signs_in_with_its_code() {
    let Some(browser) = WebDriver::start().await else { return };
    let app = TestApp::spawn_with(Backend::Sqlite, |s| s.mfa_policy = MfaPolicy::Required);
    let app = app.await.unwrap();
    app.user("ada").await;
    let client = crate::browser::photo_printer(&app, &["openid"]).await;
    let callback = client.redirect_uri.clone();

    password_step(&browser, &app, &client).await;
    browser.wait_for_url(|u| u.contains("/login/mfa")).await;
    browser.wait_for_element("figure.qr svg").await;
    browser.assert_accessible("mfa-enrol").await;
    browser.screenshot("mfa-enrol").await;
    let key = browser.text("p code").await;
    let key = totp::base32_decode(&key).expect("the key as base32");
    browser.type_into("#code", &totp::code_at(&key, totp::step_of(app.clock.now()))).await;
    browser.click("button[type=submit]").await;
    browser.wait_for_element("ul.codes").await;
    browser.assert_accessible("mfa-recovery-codes").await;
    browser.screenshot("mfa-recovery-codes").await;
    browser.click("a.button").await;
    browser.wait_for_url(|u| u.contains("/consent")).await;
    browser.click("button[value=allow]").await;
    let landed = browser.wait_for_url(|u| u.starts_with(&callback)).await;
    assert!(query_param(&landed, "code").is_some(), "{landed}");

    // Signed out, the next sign-in asks for the app's code after the password.
    browser.goto(&app.url("/account")).await;
    browser.wait_for_element("form[action$='/account/logout'] button").await;
    browser.click("form[action$='/account/logout'] button").await;
    browser.wait_for_url(|u| !u.ends_with("/account")).await;
    app.clock.advance(totp::PERIOD);
    password_step(&browser, &app, &client).await;
    browser.wait_for_element("#code").await;
    browser.assert_accessible("mfa-code").await;
    browser.resize(390, 844).await;
    browser.assert_accessible("mfa-code-phone").await;
    browser.screenshot("mfa-code-phone").await;
    browser.type_into("#code", &totp::code_at(&key, totp::step_of(app.clock.now()))).await;
    browser.click("button[type=submit]").await;
    let landed = browser.wait_for_url(|u| u.starts_with(&callback)).await;
    assert!(query_param(&landed, "code").is_some(), "{landed}");
}
