//! Self-service sign-up (OpenID Connect Initiating User Registration 1.0): `prompt=create`,
//! accounts created only by the link in the confirmation message, no way to learn whether an
//! address is registered, domain rules, throttling, and the way back to the application.

use std::time::Duration;

use keygate_core::settings::SignupMode;
use keygate_core::store::UserStore;
use keygate_testkit::{
    Backend, Browser, Received, SmtpSink, TestApp, form_field, location, pkce, query_param,
};

const PASSPHRASE: &str = "a brand new account passphrase";

async fn open_app(backend: Backend, sink: &SmtpSink) -> Option<TestApp> {
    TestApp::spawn_with_mail(backend, sink, |s| s.signup.mode = SignupMode::Open).await
}

/// Fills the sign-up page at `url`; returns the answer.
async fn sign_up(
    browser: &Browser,
    url: &str,
    email: &str,
    password: &str,
    again: &str,
) -> keygate_testkit::Reply {
    let page = browser.get(url).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let csrf = form_field(&page.body, "csrf").unwrap();
    let mut form =
        vec![("csrf", csrf.clone()), ("email", email.into()), ("name", "Nova Example".into())];
    form.push(("password", password.into()));
    form.push(("password_again", again.into()));
    if let Some(req) = form_field(&page.body, "req") {
        form.push(("req", req));
    }
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let action = url.split('?').next().unwrap();
    browser.post_form(action, &form).await
}

async fn mail_to(sink: &SmtpSink, to: &str, n: usize) -> Received {
    for _ in 0..250 {
        let got = sink.messages_to(to);
        if got.len() >= n {
            return got[n - 1].clone();
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("no mail {n} to {to}");
}

/// Opens the confirmation link and presses its button; returns the answer.
async fn confirm(browser: &Browser, link: &str) -> keygate_testkit::Reply {
    let page = browser.get(link).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let csrf = form_field(&page.body, "csrf").unwrap();
    let token = form_field(&page.body, "token").unwrap();
    let action = link.split('?').next().unwrap();
    browser.post_form(action, &[("csrf", &csrf), ("token", &token)]).await
}

async fn create_then_return(backend: Backend) {
    let sink = SmtpSink::start().await;
    let Some(app) = open_app(backend, &sink).await else { return };
    let discovery = app.get("/.well-known/openid-configuration").await.json();
    assert!(discovery["prompt_values_supported"].as_array().unwrap().contains(&"create".into()));
    let client = app.web_client(&["openid", "email"]).await;
    let browser = Browser::new();
    let (verifier, challenge) = pkce();
    let url = app.authorize_url(&client, "openid email", &challenge, &[("prompt", "create")]);
    let to_signup = location(&browser.get(&url).await);
    assert!(to_signup.starts_with(&app.url("/signup?req=")), "{to_signup}");
    let sent = sign_up(&browser, &to_signup, "nova@example.com", PASSPHRASE, PASSPHRASE).await;
    assert_eq!(sent.status, 200, "{}", sent.body);
    assert!(sent.body.contains("Check your email"));
    assert!(app.store.find_user("nova@example.com").await.unwrap().is_none(), "not yet");

    let message = mail_to(&sink, "nova@example.com", 1).await;
    assert_eq!(
        message.header("Subject").as_deref(),
        Some("Confirm your email address for Keygate")
    );
    let link = message.link(&app.url("/signup/confirm?token=")).expect("a link");
    let created = confirm(&browser, &link).await;
    let consent = location(&created);
    assert!(
        consent.starts_with(&app.url("/consent")),
        "back into the application's flow: {consent}"
    );
    let callback = location(&app.submit_consent(&browser, &consent, "allow").await);
    let code = query_param(&callback, "code").expect("a code");
    let tokens = app.exchange(&client, &code, &verifier).await.assert_ok();
    let (_, claims) =
        crate::support::verify_with_jwks(&app, tokens["id_token"].as_str().unwrap()).await;
    assert_eq!(claims["email"], "nova@example.com");
    assert_eq!(claims["email_verified"], true, "the link proved the address");
    let user = app.store.find_user("nova@example.com").await.unwrap().unwrap();
    assert_eq!(user.username, "nova");
    assert_eq!(user.name.as_deref(), Some("Nova Example"));
    assert_eq!(confirm_again(&browser, &link).await, 400, "the link works once");
}

async fn confirm_again(browser: &Browser, link: &str) -> u16 {
    browser.get(link).await.status.as_u16()
}

#[tokio::test]
async fn prompt_create_4_1_sign_up_by_mail_then_back_to_the_application_sqlite() {
    create_then_return(Backend::Sqlite).await;
}

#[tokio::test]
async fn prompt_create_4_1_sign_up_by_mail_then_back_to_the_application_postgres() {
    create_then_return(Backend::Postgres).await;
}

#[tokio::test]
async fn sign_up_answers_the_same_for_a_registered_address_and_tells_its_owner() {
    let sink = SmtpSink::start().await;
    let app = open_app(Backend::Sqlite, &sink).await.unwrap();
    app.user("ben").await;
    let url = app.url("/signup");
    let known = sign_up(&Browser::new(), &url, "ben@example.com", PASSPHRASE, PASSPHRASE).await;
    let unknown = sign_up(&Browser::new(), &url, "bea@example.com", PASSPHRASE, PASSPHRASE).await;
    assert_eq!(known.status, unknown.status);
    assert_eq!(
        known.body.replace("ben@", "X@"),
        unknown.body.replace("bea@", "X@"),
        "the same page"
    );
    let owner = mail_to(&sink, "ben@example.com", 1).await;
    assert!(owner.header("Subject").unwrap().starts_with("Someone tried to sign up"));
    assert!(owner.link(&app.url("/signup/confirm")).is_none(), "no way to take the address over");
    mail_to(&sink, "bea@example.com", 1).await;
}

#[tokio::test]
async fn initiating_user_registration_4_1_without_sign_up_create_is_not_supported() {
    let app = TestApp::spawn().await;
    let discovery = app.get("/.well-known/openid-configuration").await.json();
    assert!(!discovery["prompt_values_supported"].as_array().unwrap().contains(&"create".into()));
    assert_eq!(Browser::new().get(&app.url("/signup")).await.status, 404);
    let client = app.web_client(&["openid"]).await;
    let (_, challenge) = pkce();
    let url = app.authorize_url(&client, "openid", &challenge, &[("prompt", "create")]);
    let callback = location(&Browser::new().get(&url).await);
    assert_eq!(query_param(&callback, "error").as_deref(), Some("invalid_request"));
}

#[tokio::test]
async fn domain_mode_form_problems_and_the_login_pages_create_account_link() {
    let sink = SmtpSink::start().await;
    let app = TestApp::spawn_with_mail(Backend::Sqlite, &sink, |s| {
        s.signup.mode = SignupMode::Domain;
        s.signup.domains = vec!["example.org".into()];
    })
    .await
    .unwrap();
    let browser = Browser::new();
    let url = app.url("/signup");
    let refused = sign_up(&browser, &url, "eve@example.com", "short", "other").await;
    assert_eq!(refused.status, 422);
    for problem in ["only addresses at example.org", "at least", "not the same"] {
        assert!(refused.body.contains(problem), "{problem}: {}", refused.body);
    }
    assert!(refused.body.contains("value=\"eve@example.com\""), "kept what was typed");
    let fine = sign_up(&browser, &url, "eve@example.org", PASSPHRASE, PASSPHRASE).await;
    assert_eq!(fine.status, 200);
    mail_to(&sink, "eve@example.org", 1).await;

    let client = app.web_client(&["openid"]).await;
    let (_, challenge) = pkce();
    let login =
        location(&browser.get(&app.authorize_url(&client, "openid", &challenge, &[])).await);
    let page = browser.get(&login).await;
    let req = query_param(&login, "req").unwrap();
    let create = format!("{}/signup?req={req}", app.issuer).replace('/', "&#x2f;");
    assert!(page.body.contains(&create), "{}", page.body);
}

#[tokio::test]
async fn a_link_opened_in_another_browser_creates_the_account_without_signing_in() {
    let sink = SmtpSink::start().await;
    let app = open_app(Backend::Sqlite, &sink).await.unwrap();
    sign_up(&Browser::new(), &app.url("/signup"), "ida@example.com", PASSPHRASE, PASSPHRASE).await;
    let link = mail_to(&sink, "ida@example.com", 1)
        .await
        .link(&app.url("/signup/confirm?token="))
        .unwrap();
    let other = Browser::new();
    let created = confirm(&other, &link).await;
    assert_eq!(created.status, 200, "{}", created.body);
    assert!(created.body.contains("Account created"));
    assert!(created.header("set-cookie").is_none_or(|c| !c.contains("session")), "no session here");
    let user = app.store.find_user("ida").await.unwrap().expect("created");
    assert!(user.email_verified);
}

#[tokio::test]
async fn sign_ups_are_throttled_per_address() {
    let sink = SmtpSink::start().await;
    let app = open_app(Backend::Sqlite, &sink).await.unwrap();
    for _ in 0..5 {
        let answer =
            sign_up(&Browser::new(), &app.url("/signup"), "jo@example.com", PASSPHRASE, PASSPHRASE)
                .await;
        assert!(answer.body.contains("Check your email"));
    }
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(sink.messages_to("jo@example.com").len(), 3);
}

#[tokio::test]
async fn an_invitation_creates_a_confirmed_account_at_the_invited_address_only() {
    let sink = SmtpSink::start().await;
    let app =
        TestApp::spawn_with_mail(Backend::Sqlite, &sink, |s| s.signup.mode = SignupMode::Invite)
            .await
            .unwrap();
    assert_eq!(Browser::new().get(&app.url("/signup")).await.status, 404, "by invitation only");
    let discovery = app.get("/.well-known/openid-configuration").await.json();
    assert!(!discovery["prompt_values_supported"].as_array().unwrap().contains(&"create".into()));
    let token = app.admin_token(&["admin:read", "admin:write"]).await;
    // The inviting request's language is not the invitee's: no locale, English.
    let body = serde_json::json!({ "email": "kai@example.com" });
    let german = [("accept-language", "de")];
    let invited = app
        .admin_call(reqwest::Method::POST, "/invitations", Some(&token), Some(&body), &german)
        .await;
    assert_eq!(invited.status, 202, "{}", invited.body);
    app.user("lee").await;
    let taken = serde_json::json!({ "email": "lee@example.com" });
    let refused = app
        .admin_call(reqwest::Method::POST, "/invitations", Some(&token), Some(&taken), &[])
        .await;
    assert_eq!(refused.status, 422, "an address with an account is not invited");

    let message = mail_to(&sink, "kai@example.com", 1).await;
    assert_eq!(message.header("Subject").as_deref(), Some("You are invited to Keygate"));
    let link = message.link(&app.url("/signup/invite?token=")).expect("a link");
    let browser = Browser::new();
    let page = browser.get(&link).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("readonly"), "the address is the invitation's");
    let csrf = form_field(&page.body, "csrf").unwrap();
    let invite = form_field(&page.body, "invite").unwrap();
    let post = |email: &'static str, again: &'static str| {
        let form = [
            ("csrf", csrf.clone()),
            ("invite", invite.clone()),
            ("email", email.to_owned()),
            ("name", "Kai".to_owned()),
            ("password", PASSPHRASE.to_owned()),
            ("password_again", again.to_owned()),
        ];
        let browser = &browser;
        let url = app.url("/signup");
        async move {
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            browser.post_form(&url, &form).await
        }
    };
    let mismatch = post("kai@example.com", "something else").await;
    assert_eq!(mismatch.status, 422);
    let created = post("someone-else@example.com", PASSPHRASE).await;
    assert_eq!(created.status, 200, "{}", created.body);
    assert!(created.body.contains("Account created"));
    assert!(created.header("set-cookie").is_some_and(|c| c.contains("session")), "signed in");
    let user =
        app.store.find_user("kai@example.com").await.unwrap().expect("at the invited address");
    assert!(user.email_verified);
    assert!(user.claims.get("locale").is_none(), "no language was chosen for the account");
    assert!(app.store.find_user("someone-else@example.com").await.unwrap().is_none());
    assert_eq!(browser.get(&link).await.status, 400, "an invitation works once");
}

#[tokio::test]
async fn with_sign_up_off_nobody_is_invited_and_the_console_offers_no_invitation() {
    let app = TestApp::spawn().await;
    let token = app.admin_token(&["admin:read", "admin:write"]).await;
    let body = serde_json::json!({ "email": "kai@example.com" });
    let refused =
        app.admin_call(reqwest::Method::POST, "/invitations", Some(&token), Some(&body), &[]).await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("Invitations are off"), "{}", refused.body);
    crate::console::admin_user(&app, "root").await;
    let (console, _) = crate::console::console_session(&app, "root").await;
    assert!(!console.get(&app.url("/admin/users")).await.body.contains("Invite someone"));
}

#[tokio::test]
async fn the_console_invites_by_email() {
    let sink = SmtpSink::start().await;
    let app =
        TestApp::spawn_with_mail(Backend::Sqlite, &sink, |s| s.signup.mode = SignupMode::Invite)
            .await
            .unwrap();
    crate::console::admin_user(&app, "root").await;
    let (console, _) = crate::console::console_session(&app, "root").await;
    let page = console.get(&app.url("/admin/users")).await;
    assert!(page.body.contains("Invite someone"));
    let csrf = form_field(&page.body, "csrf").unwrap();
    assert!(page.body.contains(r#"<option value="fr">Français (fr)</option>"#), "{}", page.body);
    let invite = |email: &'static str, locale: &'static str| {
        let (console, csrf) = (&console, &csrf);
        let url = app.url("/admin/users/invite");
        async move {
            let form =
                [("csrf", csrf.as_str()), ("invite_email", email), ("invite_locale", locale)];
            console.post_form(&url, &form).await
        }
    };
    let sent = invite("mo@example.com", "").await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    let message = mail_to(&sink, "mo@example.com", 1).await;
    assert_eq!(message.header("Subject").as_deref(), Some("You are invited to Keygate"));
    // A language chosen for the invitee: the message speaks it, and so does the new account.
    assert_eq!(invite("lea@example.com", "fr").await.status, 303);
    let message = mail_to(&sink, "lea@example.com", 1).await;
    assert!(message.text().contains("Vous êtes invité à créer"), "{}", message.text());
    let refused = invite("ola@example.com", "xx").await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("no &#x27;xx&#x27; translation"), "{}", refused.body);
    let link = message.link(&app.url("/signup/invite?token=")).expect("a link");
    let browser = Browser::new();
    let page = browser.get(&link).await;
    let form = [
        ("csrf", form_field(&page.body, "csrf").unwrap()),
        ("invite", form_field(&page.body, "invite").unwrap()),
        ("email", "lea@example.com".to_owned()),
        ("name", "Léa".to_owned()),
        ("password", PASSPHRASE.to_owned()),
        ("password_again", PASSPHRASE.to_owned()),
    ];
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(browser.post_form(&app.url("/signup"), &form).await.status, 200);
    let lea = app.store.find_user("lea@example.com").await.unwrap().unwrap();
    assert_eq!(lea.claims["locale"], "fr");
}

#[tokio::test]
async fn oidc_core_5_1_who_signs_up_in_japanese_gets_japanese_mail_and_keeps_ja_as_locale() {
    let sink = SmtpSink::start().await;
    let app = open_app(Backend::Sqlite, &sink).await.unwrap();
    let browser = Browser::speaking(Some("ja-JP, ja;q=0.9"));
    let email = "yui@example.com";
    sign_up(&browser, &app.url("/signup"), email, PASSPHRASE, PASSPHRASE).await;
    let mail = mail_to(&sink, email, 1).await;
    assert!(mail.text().contains("24 時間以内に") || mail.text().contains("時間以内に"));
    assert!(mail.html().contains(r#"lang="ja""#), "{}", mail.html());
    let link = mail.link(&app.url("/signup/confirm?token=")).unwrap();
    let created = confirm(&browser, &link).await;
    assert_eq!(created.status, 200, "{}", created.body);
    let user = app.store.find_user(email).await.unwrap().expect("created");
    assert_eq!(user.claims.get("locale").and_then(|v| v.as_str()), Some("ja"));
}
