//! Passkeys in a real browser: headless Chromium with its virtual authenticator (WebAuthn L3
//! §11) adds a passkey on the account page, signs in with it and no password, then with the
//! password and the passkey as the second step, and removes it; the pages are checked with
//! axe-core. The issuer is `http://localhost:PORT`, since a WebAuthn RP ID is
//! a domain, never an IP address.

use keygate_testkit::{Backend, PASSWORD, TestApp, WebDriver, pkce, query_param};

#[tokio::test]
async fn chromium_adds_a_passkey_signs_in_with_it_alone_and_after_a_password_then_removes_it() {
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
    // Sign-out ends on the account page's own login page: wait for it, lest it overtake ours.
    browser.wait_for_url(|u| u.contains("/login?req=")).await;
    let (_, challenge) = pkce();
    browser.goto(&app.authorize_url(&client, "openid", &challenge, &[])).await;
    browser.wait_for_url(|u| u.contains("/login")).await;
    browser.wait_for_element("form.passkey:not([hidden]) button").await;
    // The username field's autofill (conditional mediation) may sign in before the button.
    if browser.url().await.contains("/login") {
        browser.click("form.passkey button").await;
    }
    let landed = browser.wait_for_url(|u| u.starts_with(&callback)).await;
    assert!(query_param(&landed, "code").is_some(), "{landed}");
    let used = app.provider.passkeys(&ada.id).await.unwrap();
    assert!(used[0].last_used_at.is_some());

    // Signed out again: the password, then the passkey as the second step. The passkey is
    // taken out of the browser meanwhile, or the login page's autofill would sign in with it.
    let held = browser.virtual_credentials(&authenticator).await;
    browser.remove_virtual_authenticator(&authenticator).await;
    browser.goto(&app.url("/account")).await;
    browser.wait_for_element("form[action$='/account/logout'] button").await;
    browser.click("form[action$='/account/logout'] button").await;
    // Sign-out ends on the account page's own login page: wait for it, lest it overtake ours.
    browser.wait_for_url(|u| u.contains("/login?req=")).await;
    let (_, challenge) = pkce();
    browser.goto(&app.authorize_url(&client, "openid", &challenge, &[])).await;
    browser.wait_for_url(|u| u.contains("/login")).await;
    browser.wait_for_element("#password").await;
    browser.type_into("#username", "ada").await;
    browser.type_into("#password", PASSWORD).await;
    browser.click("form:not(.passkey) button[type=submit]").await;
    browser.wait_for_element("form.passkey[action$='/login/mfa']:not([hidden]) button").await;
    browser.assert_accessible("mfa-passkey").await;
    browser.screenshot("mfa-passkey").await;
    let authenticator = browser.add_virtual_authenticator(true).await;
    browser.add_virtual_credential(&authenticator, &held[0]).await;
    browser.click("form.passkey button").await;
    let landed = browser.wait_for_url(|u| u.starts_with(&callback)).await;
    assert!(query_param(&landed, "code").is_some(), "{landed}");

    // Removed on the account page, it no longer signs in.
    browser.goto(&app.url("/account")).await;
    browser.wait_for_element("form[action$='/remove'] button").await;
    browser.click("form[action$='/remove'] button").await;
    browser.wait_for_url(|u| u.contains("done=passkey_removed")).await;
    assert!(browser.source().await.contains("You have no passkey yet"));
    assert!(app.provider.passkeys(&ada.id).await.unwrap().is_empty());
}
