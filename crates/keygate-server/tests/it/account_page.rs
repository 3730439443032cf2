//! The account page: signing in through Keygate like any application, then the user's own
//! changes: names, password (the current one required; other devices signed out, tokens
//! revoked), other sessions, and the applications that have access.

use keygate_core::store::{ConsentStore, UserStore};
use keygate_testkit::{Auth, Browser, PASSWORD, TestApp, form_field, location, pkce, query_param};

/// Opens `/account` in `browser`, which has an SSO session: the first-party sign-in runs
/// without a page. Returns the page.
pub async fn open_account(app: &TestApp, browser: &Browser) -> keygate_testkit::Reply {
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

pub async fn post(
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

#[tokio::test]
async fn a_new_address_takes_effect_when_its_link_is_used_and_the_old_one_is_told() {
    use keygate_testkit::{Backend, SmtpSink};
    use std::time::Duration;
    let sink = SmtpSink::start().await;
    let app = TestApp::spawn_with_mail(Backend::Sqlite, &sink, |_| {}).await.unwrap();
    let user = app.user("bea").await;
    app.user("cat").await;
    let browser = Browser::new();
    let client = app.web_client(&["openid"]).await;
    app.code_flow(&browser, &client, "bea", "openid").await;
    let page = open_account(&app, &browser).await;
    let csrf = form_field(&page.body, "csrf").unwrap();
    let url = app.url("/account/email");
    let wrong = post(
        &browser,
        &url,
        &csrf,
        &[("new_email", "bea@new.example"), ("current_password", "nope")],
    )
    .await;
    assert_eq!(wrong.status, 422);
    let taken = post(
        &browser,
        &url,
        &csrf,
        &[("new_email", "cat@example.com"), ("current_password", PASSWORD)],
    )
    .await;
    assert_eq!(taken.status, 303, "the same answer for an address another account has");
    let asked = post(
        &browser,
        &url,
        &csrf,
        &[("new_email", "bea@new.example"), ("current_password", PASSWORD)],
    )
    .await;
    assert_eq!(asked.status, 303);
    let message = sink.wait_for(1, Duration::from_secs(20)).await;
    assert_eq!(message.len(), 1, "nothing went to the taken address");
    assert_eq!(message[0].to, ["bea@new.example"]);
    assert_eq!(
        app.store.find_user(&user.id).await.unwrap().unwrap().email,
        "bea@example.com",
        "not yet"
    );
    let link = message[0].link(&app.url("/verify?token=")).unwrap();
    let confirm = browser.get(&link).await;
    let (csrf2, token) =
        (form_field(&confirm.body, "csrf").unwrap(), form_field(&confirm.body, "token").unwrap());
    let done = browser.post_form(&app.url("/verify"), &[("csrf", &csrf2), ("token", &token)]).await;
    assert!(done.body.contains("bea@new.example"), "{}", done.body);
    let changed = app.store.find_user(&user.id).await.unwrap().unwrap();
    assert_eq!((changed.email.as_str(), changed.email_verified), ("bea@new.example", true));
    let notice = sink.wait_for(2, Duration::from_secs(20)).await;
    assert_eq!(notice[1].to, ["bea@example.com"], "the old address is told");
}

#[tokio::test]
async fn deleting_ones_account_needs_the_operators_permission_and_the_password() {
    let app = TestApp::spawn().await;
    app.user("dan").await;
    let browser = Browser::new();
    let client = app.web_client(&["openid"]).await;
    app.code_flow(&browser, &client, "dan", "openid").await;
    let page = open_account(&app, &browser).await;
    assert!(!page.body.contains("Delete your account"));
    let csrf = form_field(&page.body, "csrf").unwrap();
    let refused =
        post(&browser, &app.url("/account/delete"), &csrf, &[("current_password", PASSWORD)]).await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("Ask an administrator"));

    let app =
        TestApp::spawn_with(keygate_testkit::Backend::Sqlite, |s| s.allow_account_delete = true)
            .await
            .unwrap();
    let user = app.user("eli").await;
    let browser = Browser::new();
    let client = app.web_client(&["openid"]).await;
    app.code_flow(&browser, &client, "eli", "openid").await;
    let page = open_account(&app, &browser).await;
    assert!(page.body.contains("Delete your account"));
    let csrf = form_field(&page.body, "csrf").unwrap();
    let wrong =
        post(&browser, &app.url("/account/delete"), &csrf, &[("current_password", "nope")]).await;
    assert_eq!(wrong.status, 422);
    let deleted =
        post(&browser, &app.url("/account/delete"), &csrf, &[("current_password", PASSWORD)]).await;
    assert_eq!(deleted.status, 200, "{}", deleted.body);
    assert!(deleted.body.contains("Account deleted"));
    assert!(app.store.find_user(&user.id).await.unwrap().is_none());
}

#[tokio::test]
async fn a_linked_sign_in_is_unlinked_only_while_another_way_to_sign_in_remains() {
    use keygate_core::store::{FederationStore, LinkedIdentity};
    let app = TestApp::spawn().await;
    let user = app.user("fay").await;
    let link = LinkedIdentity {
        provider_id: "corp".into(),
        subject: "s-1".into(),
        user_id: user.id.clone(),
        email: Some("fay@corp.example".into()),
        created_at: 0,
    };
    app.store.insert_linked_identity(&link).await.unwrap();
    let browser = Browser::new();
    let client = app.web_client(&["openid"]).await;
    app.code_flow(&browser, &client, "fay", "openid").await;
    // Without a password, the only link stays.
    let mut passwordless = app.store.find_user(&user.id).await.unwrap().unwrap();
    passwordless.password_hash = None;
    app.store.update_user(&passwordless).await.unwrap();
    let page = open_account(&app, &browser).await;
    assert!(page.body.contains("fay@corp.example"));
    let csrf = form_field(&page.body, "csrf").unwrap();
    let url = app.url("/account/identities/corp/s-1/unlink");
    let kept = post(&browser, &url, &csrf, &[]).await;
    assert_eq!(kept.status, 422);
    assert!(kept.body.contains("only way to sign in"));
    app.store.update_user(&user).await.unwrap();
    let unlinked = post(&browser, &url, &csrf, &[]).await;
    assert_eq!(unlinked.status, 303, "{}", unlinked.body);
    assert!(app.store.linked_identities(&user.id).await.unwrap().is_empty());
}

#[tokio::test]
async fn oidc_core_5_1_users_edit_the_claims_the_operator_allows_in_their_standard_forms() {
    use keygate_core::account::profile::ProfileChange;
    let editable = ["nickname", "picture", "birthdate", "phone_number"];
    let app = TestApp::spawn_with(keygate_testkit::Backend::Sqlite, |s| {
        s.editable_claims = editable.iter().map(|c| (*c).to_owned()).collect();
    })
    .await
    .unwrap();
    let mut user = app.user("ida").await;
    user.claims.insert("phone_number".into(), "+4930123456".into());
    user.claims.insert("phone_number_verified".into(), true.into());
    user.claims.insert("locale".into(), "de-DE".into());
    app.store.update_user(&user).await.unwrap();
    let browser = Browser::new();
    let client = app.web_client(&["openid"]).await;
    app.code_flow(&browser, &client, "ida", "openid").await;
    let page = open_account(&app, &browser).await;
    for label in ["Nickname", "Picture", "Birthdate", "Phone number"] {
        assert!(page.body.contains(&format!(">{label}</label>")), "{label}: {}", page.body);
    }
    assert!(page.body.contains("value=\"+4930123456\""), "the current value is shown");
    assert!(!page.body.contains(">Language</label>"), "locale is not editable here");
    let csrf = form_field(&page.body, "csrf").unwrap();
    let url = app.url("/account/profile");
    let bad = [("nickname", "Ida"), ("picture", "not a url"), ("birthdate", "1815-13-10")];
    let refused = post(&browser, &url, &csrf, &bad).await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("claim &#x27;picture&#x27; must be an http or https URL"));
    assert!(refused.body.contains("claim &#x27;birthdate&#x27; must be a date"));
    let unchanged = app.store.find_user(&user.id).await.unwrap().unwrap();
    assert_eq!(unchanged.claims, user.claims, "nothing changed");

    let good = [
        ("nickname", "Ida"),
        ("picture", "https://pics.example/ida.png"),
        ("birthdate", "1815-12-10"),
        ("phone_number", "+4930999999"),
        ("locale", "fr-FR"),
    ];
    let saved = post(&browser, &url, &csrf, &good).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let changed = app.store.find_user(&user.id).await.unwrap().unwrap();
    assert_eq!(changed.claims["nickname"], "Ida");
    assert_eq!(changed.claims["picture"], "https://pics.example/ida.png");
    assert_eq!(changed.claims["birthdate"], "1815-12-10");
    assert_eq!(changed.claims["phone_number"], "+4930999999");
    assert!(!changed.claims.contains_key("phone_number_verified"), "a new number is unverified");
    assert_eq!(changed.claims["locale"], "de-DE", "a claim not allowed is left alone");

    // An empty field removes the claim; a claim not allowed is refused in core.
    let cleared = [("nickname", ""), ("picture", "https://pics.example/ida.png")];
    assert_eq!(post(&browser, &url, &csrf, &cleared).await.status, 303);
    let changed = app.store.find_user(&user.id).await.unwrap().unwrap();
    assert!(!changed.claims.contains_key("nickname"));
    let locale =
        ProfileChange { claims: vec![("locale".into(), "en".into())], ..Default::default() };
    let refused = app.provider.update_own_profile(&changed, locale).await.unwrap_err();
    assert!(refused.to_string().contains("'locale' cannot be changed here"), "{refused}");
}
