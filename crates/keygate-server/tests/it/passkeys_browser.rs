//! Passkeys in a real browser: headless Chromium with its virtual authenticator (WebAuthn L3
//! §11) adds a passkey on the account page, then signs in with it and no password; the pages
//! are checked with axe-core. The issuer is `http://localhost:PORT`, since a WebAuthn RP ID is
//! a domain, never an IP address.

use keygate_testkit::{Backend, PASSWORD, TestApp, WebDriver, pkce, query_param};

#[tokio::test]
async fn chromium_adds_a_passkey_and_signs_in_with_it_without_a_password() {
    let Some(browser) = WebDriver::start().await else { return };
    let app = TestApp::spawn_with(Backend::Sqlite, |s| {
        s.issuer = s.issuer.replace("127.0.0.1", "localhost");
    });
    let app = app.await.unwrap();
    assert!(app.issuer.starts_with("http://localhost:"), "{}", app.issuer);
    let ada = app.user("ada").await;
    let client = crate::browser::photo_printer(&app, &["openid"]).await;
    let callback = client.redirect_uri.clone();
    let authenticator = browser.add_virtual_authenticator(true).await;

    // Signed in with the password once, Ada adds a passkey on her account page.
    let (_, challenge) = pkce();
    browser.goto(&app.authorize_url(&client, "openid", &challenge, &[])).await;
    browser.wait_for_url(|u| u.contains("/login")).await;
    browser.wait_for_element("form.passkey:not([hidden]) button").await;
    browser.assert_accessible("login-with-passkey").await;
    browser.screenshot("login-with-passkey").await;
    browser.type_into("#username", "ada").await;
    browser.type_into("#password", PASSWORD).await;
    browser.click("form:not(.passkey) button[type=submit]").await;
    browser.wait_for_url(|u| u.contains("/consent")).await;
    browser.click("button[value=allow]").await;
    browser.wait_for_url(|u| u.starts_with(&callback)).await;
    browser.goto(&app.url("/account")).await;
    browser.wait_for_element("form.passkey:not([hidden]) button").await;
    browser.type_into("#passkey_name", "Chromium").await;
    browser.click("form.passkey button").await;
    browser.wait_for_url(|u| u.contains("done=passkey")).await;
    browser.wait_for_element("ul.passkeys").await;
    assert!(browser.text("ul.passkeys").await.contains("Chromium"));
    browser.assert_accessible("account-passkeys").await;
    browser.screenshot("account-passkeys").await;
    let held = browser.virtual_credentials(&authenticator).await;
    assert_eq!(held.len(), 1, "{held:?}");
    assert_eq!(held[0]["isResidentCredential"], true, "discoverable");
    let stored = app.provider.passkeys(&ada.id).await.unwrap();
    assert!(stored[0].uv_initialized, "verified at registration");

    // Signed out, the passkey alone signs in: no username, no password.
    browser.click("form[action$='/account/logout'] button").await;
    browser.wait_for_url(|u| !u.ends_with("/account")).await;
    let (_, challenge) = pkce();
    browser.goto(&app.authorize_url(&client, "openid", &challenge, &[])).await;
    browser.wait_for_url(|u| u.contains("/login")).await;
    browser.wait_for_element("form.passkey:not([hidden]) button").await;
    if browser.url().await.contains("/login") {
        browser.click("form.passkey button").await;
    }
    let landed = browser.wait_for_url(|u| u.starts_with(&callback)).await;
    assert!(query_param(&landed, "code").is_some(), "{landed}");
    let used = app.provider.passkeys(&ada.id).await.unwrap();
    assert!(used[0].last_used_at.is_some());
}
