//! The account page: signing in through Keygate like any application, then the user's own
//! changes: names, password (the current one required; other devices signed out, tokens
//! revoked), other sessions, and the applications that have access.

use keygate_core::store::{ConsentStore, UserStore};
use keygate_testkit::{Auth, Browser, PASSWORD, TestApp, form_field, location, pkce, query_param};

/// Opens `/account` in `browser`, which has an SSO session: the first-party sign-in runs
/// without a page. Returns the page.
async fn open_account(app: &TestApp, browser: &Browser) -> keygate_testkit::Reply {
    let start = browser.get(&app.url("/account")).await;
    if start.status == 200 {
        return start;
    }
    let login = location(&start);
    assert_eq!(login, app.url("/account/login"));
    let authorize = location(&browser.get(&login).await);
    let callback = location(&browser.get(&authorize).await);
    assert!(
        callback.starts_with(&app.url("/account/callback")),
        "no consent for Keygate's own page: {callback}"
    );
    let home = location(&browser.get(&callback).await);
    assert_eq!(home, app.url("/account"));
    let page = browser.get(&home).await;
    assert_eq!(page.status, 200, "{}", page.body);
    page
}

async fn post(
    browser: &Browser,
    url: &str,
    csrf: &str,
    fields: &[(&str, &str)],
) -> keygate_testkit::Reply {
    let mut form = vec![("csrf", csrf)];
    form.extend_from_slice(fields);
    browser.post_form(url, &form).await
}

#[tokio::test]
async fn the_account_page_changes_names_password_devices_and_applications() {
    let app = TestApp::spawn().await;
    let client = app.web_client(&["openid", "offline_access"]).await;
    let user = app.user("ada").await;
    let here = Browser::new();
    let flow = app.code_flow(&here, &client, "ada", "openid offline_access").await;
    let tokens = app.exchange(&client, &flow.code, &flow.verifier).await.assert_ok();
    let elsewhere = Browser::new();
    app.code_flow(&elsewhere, &client, "ada", "openid").await;

    let page = open_account(&app, &here).await;
    assert!(page.body.contains("Signed in as <strong>ada</strong>"));
    assert!(page.body.contains("(this device)"));
    assert!(page.body.contains("Photo Printer"), "the application with access");
    let csrf = form_field(&page.body, "csrf").unwrap();

    let forged = post(&here, &app.url("/account/profile"), "forged", &[("name", "X")]).await;
    assert_eq!(forged.status, 403, "the page's CSRF token is required");
    let saved = post(
        &here,
        &app.url("/account/profile"),
        &csrf,
        &[("name", "Ada King"), ("given_name", "Ada"), ("family_name", "King")],
    )
    .await;
    assert_eq!(saved.status, 303);
    assert!(here.get(&location(&saved)).await.body.contains("Your profile is saved."));
    assert_eq!(
        app.store.find_user(&user.id).await.unwrap().unwrap().name.as_deref(),
        Some("Ada King")
    );

    let ended = post(&here, &app.url("/account/sessions/others/end"), &csrf, &[]).await;
    assert_eq!(ended.status, 303, "{}", ended.body);
    let (_, challenge) = pkce();
    let url = app.authorize_url(&client, "openid", &challenge, &[("prompt", "none")]);
    let there = location(&elsewhere.get(&url).await);
    assert_eq!(
        query_param(&there, "error").as_deref(),
        Some("login_required"),
        "the other device is signed out"
    );

    let revoked =
        post(&here, &app.url(&format!("/account/applications/{}/revoke", client.id)), &csrf, &[])
            .await;
    assert_eq!(revoked.status, 303);
    assert!(
        app.store
            .consents_for_user(&user.id)
            .await
            .unwrap()
            .iter()
            .all(|c| c.client_id != client.id)
    );
    let refresh = [
        ("grant_type", "refresh_token"),
        ("refresh_token", tokens["refresh_token"].as_str().unwrap()),
    ];
    app.post_form("/token", Auth::Basic(&client.id, &client.secret), &refresh)
        .await
        .assert_oauth_error(400, "invalid_grant");

    let page = open_account(&app, &here).await;
    let csrf = form_field(&page.body, "csrf").unwrap();
    let wrong = post(
        &here,
        &app.url("/account/password"),
        &csrf,
        &[
            ("current_password", "not it"),
            ("new_password", "a long new passphrase"),
            ("new_password_again", "a long new passphrase"),
        ],
    )
    .await;
    assert_eq!(wrong.status, 422);
    assert!(wrong.body.contains("this is not your current password"), "{}", wrong.body);
    let changed = post(
        &here,
        &app.url("/account/password"),
        &csrf,
        &[
            ("current_password", PASSWORD),
            ("new_password", "a long new passphrase"),
            ("new_password_again", "a long new passphrase"),
        ],
    )
    .await;
    assert_eq!(changed.status, 303, "{}", changed.body);
    let again = open_account(&app, &here).await;
    assert!(again.body.contains("Signed in as"), "this device stays signed in");
    let fresh = Browser::new();
    let (_, challenge) = pkce();
    let login = location(&fresh.get(&app.authorize_url(&client, "openid", &challenge, &[])).await);
    assert!(
        app.submit_login(&fresh, &login, "ada", "a long new passphrase")
            .await
            .status
            .is_redirection()
    );
}

#[tokio::test]
async fn the_account_page_needs_a_signed_in_user_and_keygates_own_client_cannot_be_deleted() {
    let app = TestApp::spawn().await;
    let start = Browser::new().get(&app.url("/account")).await;
    assert_eq!(location(&start), app.url("/account/login"));
    let client = app.admin().client(keygate_core::admin::ACCOUNT_CLIENT_ID).await.unwrap();
    assert!(client.first_party);
    assert!(app.admin().delete_client(keygate_core::admin::ACCOUNT_CLIENT_ID).await.is_err());
}
