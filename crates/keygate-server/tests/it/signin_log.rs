//! The sign-in log (issue 16): every interactive sign-in outcome and every refused token reuse
//! is recorded with user, application, client address and browser, on SQLite and PostgreSQL,
//! and read through the console, the admin API and core filters alike.

use keygate_core::admin::SignInFilter;
use keygate_core::signin_log::SignInOutcome;
use keygate_core::store::SignInEvent;
use keygate_testkit::{
    BROWSER_USER_AGENT, Backend, Browser, PASSWORD, TestApp, TestClient, location, pkce,
};
use reqwest::Method;

use crate::console::{admin_user, console_session};

async fn log(app: &TestApp, filter: SignInFilter) -> Vec<SignInEvent> {
    let filter = SignInFilter { limit: 100, ..filter };
    app.admin().signins(&filter).await.expect("sign-in log")
}

/// Starts a sign-in for `client` and answers the login page as `username` / `password`.
async fn try_login(app: &TestApp, client: &TestClient, username: &str, password: &str) -> String {
    let browser = Browser::new();
    let (_, challenge) = pkce();
    let url = app.authorize_url(client, "openid", &challenge, &[]);
    let login = location(&browser.get(&url).await);
    let reply = app.submit_login(&browser, &login, username, password).await;
    if reply.status == 303 { location(&reply) } else { String::new() }
}

#[tokio::test]
async fn every_sign_in_outcome_is_recorded_with_user_application_address_and_browser() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(app) = TestApp::spawn_on(backend).await else { continue };
        let client = app.web_client(&["openid"]).await;
        let alice = app.user("alice").await;
        let bob = app.user("bob").await;
        app.admin().set_disabled("bob", true).await.expect("disable bob");

        try_login(&app, &client, "alice", "wrong password").await;
        try_login(&app, &client, "nobody", "wrong password").await;
        try_login(&app, &client, "bob", PASSWORD).await;
        let consent = try_login(&app, &client, "alice", PASSWORD).await;
        assert!(consent.contains("/consent"), "{backend:?}: {consent}");

        let events = log(&app, SignInFilter::default()).await;
        let outcomes: Vec<SignInOutcome> = events.iter().map(|e| e.outcome).collect();
        use SignInOutcome::*;
        assert_eq!(outcomes, [Success, Disabled, UnknownAccount, WrongPassword], "{backend:?}");
        let users: Vec<Option<&str>> = events.iter().map(|e| e.user_id.as_deref()).collect();
        assert_eq!(users, [Some(&*alice.id), Some(&*bob.id), None, Some(&*alice.id)]);
        for e in &events {
            assert_eq!(e.client_id.as_deref(), Some(client.id.as_str()));
            assert_eq!(e.ip.as_deref(), Some("127.0.0.1"));
            assert_eq!(e.user_agent.as_deref(), Some(BROWSER_USER_AGENT));
        }
        let stored = format!("{events:?}");
        assert!(!stored.contains("wrong password") && !stored.contains(PASSWORD));
        assert!(!stored.contains("nobody"), "what was typed as a username is not kept");
    }
}

#[tokio::test]
async fn throttled_sign_ins_consent_denied_and_code_replay_are_recorded() {
    let app = TestApp::spawn_with(Backend::Sqlite, |s| s.login_max_failures_per_account = 1)
        .await
        .expect("sqlite");
    let client = app.web_client(&["openid"]).await;
    let carol = app.user("carol").await;
    try_login(&app, &client, "carol", "wrong password").await;
    try_login(&app, &client, "carol", "wrong password").await;
    let throttled = SignInFilter { outcomes: vec!["throttled".into()], ..Default::default() };
    let events = log(&app, throttled).await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].user_id.as_deref(), Some(carol.id.as_str()));

    let dave = app.user("dave").await;
    let browser = Browser::new();
    let (_, challenge) = pkce();
    let login =
        location(&browser.get(&app.authorize_url(&client, "openid", &challenge, &[])).await);
    let consent = location(&app.submit_login(&browser, &login, "dave", PASSWORD).await);
    let denied = location(&app.submit_consent(&browser, &consent, "deny").await);
    assert!(denied.contains("error=access_denied"), "{denied}");
    let by_dave = SignInFilter { user: Some("dave@example.com".into()), ..Default::default() };
    let outcomes: Vec<SignInOutcome> = log(&app, by_dave).await.iter().map(|e| e.outcome).collect();
    assert_eq!(outcomes, [SignInOutcome::ConsentDenied, SignInOutcome::Success]);

    let flow = app.code_flow(&Browser::new(), &client, "dave", "openid").await;
    app.exchange(&client, &flow.code, &flow.verifier).await.assert_ok();
    app.exchange(&client, &flow.code, &flow.verifier)
        .await
        .assert_oauth_error(400, "invalid_grant");
    let reuse = SignInFilter { outcomes: vec!["token_reuse".into()], ..Default::default() };
    let events = log(&app, reuse).await;
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0].user_id.as_deref(), Some(dave.id.as_str()));
    assert_eq!(events[0].client_id.as_deref(), Some(client.id.as_str()));
    assert_eq!(events[0].detail.as_deref(), Some("an authorization code presented again"));
}

#[tokio::test]
async fn filters_name_users_and_applications_and_report_every_problem_at_once() {
    let app = TestApp::spawn().await;
    let client = app.web_client(&["openid"]).await;
    app.user("erin").await;
    try_login(&app, &client, "erin", "wrong password").await;
    let by_name = SignInFilter { application: Some("photo printer".into()), ..Default::default() };
    assert_eq!(log(&app, by_name).await.len(), 1, "an application is found by its name");
    let today = keygate_core::clock::format_utc(app.provider.now())[..10].to_owned();
    let today_only =
        SignInFilter { since: Some(today.clone()), until: Some(today), ..Default::default() };
    assert_eq!(log(&app, today_only).await.len(), 1, "a bare until date includes its day");

    let bad = SignInFilter {
        user: Some("ghost".into()),
        application: Some("No Such App".into()),
        outcomes: vec!["success,sideways".into()],
        since: Some("yesterday".into()),
        limit: 10,
        ..Default::default()
    };
    let Err(keygate_core::admin::AdminError::Invalid(problems)) = app.admin().signins(&bad).await
    else {
        panic!("a bad filter is refused");
    };
    assert_eq!(problems.len(), 4, "{problems:?}");
    assert!(problems.iter().any(|p| p.contains("no user 'ghost'")), "{problems:?}");
    assert!(problems.iter().any(|p| p.contains("'sideways' is not an outcome")));
}

#[tokio::test]
async fn the_admin_api_and_the_console_show_the_sign_in_log() {
    let app = TestApp::spawn().await;
    let client = app.web_client(&["openid"]).await;
    app.user("frank").await;
    try_login(&app, &client, "frank", "wrong password").await;

    let token = app.admin_token(&["admin:read"]).await;
    let path = "/signins?outcome=wrong_password,unknown_account";
    let page = app.admin_call(Method::GET, path, Some(&token), None, &[]).await.assert_ok();
    let items = page["items"].as_array().expect("items");
    assert_eq!(items.len(), 1, "{page}");
    assert_eq!(items[0]["outcome"], "wrong_password");
    assert_eq!(items[0]["client_id"], client.id);
    let bad = app.admin_call(Method::GET, "/signins?since=soon", Some(&token), None, &[]).await;
    assert_eq!(bad.status, 422, "{}", bad.body);

    admin_user(&app, "root").await;
    let (browser, _) = console_session(&app, "root").await;
    let page = browser.get(&app.url("/admin/signins?outcome=failures")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let wrong = r#"<span class="badge off">Wrong password</span>"#;
    assert!(page.body.contains(wrong), "{}", page.body);
    assert!(page.body.contains(">frank</a>"), "the user by name");
    assert!(page.body.contains(">Photo Printer</a>"), "the application by name");
    assert!(page.body.replace("&#x2f;", "/").contains(BROWSER_USER_AGENT));
    let success = browser.get(&app.url("/admin/signins?outcome=success&user=root")).await;
    assert!(!success.body.contains(wrong), "filtered to the operator's own sign-in");
    assert!(success.body.contains(r#"<span class="badge">Signed in</span>"#));
    let bad = browser.get(&app.url("/admin/signins?since=2026-02-30")).await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("is not a date"), "{}", bad.body);
}

#[tokio::test]
async fn a_callback_that_belongs_to_no_sign_in_writes_nothing_to_the_log() {
    let app = TestApp::spawn().await;
    let long = "x".repeat(2000);
    for path in
        [format!("/federation/{long}/callback"), "/federation/corp/callback?state=forged".into()]
    {
        let reply = Browser::new().get(&app.url(&path)).await;
        assert!(reply.status.as_u16() >= 400, "{path}: {}", reply.status);
    }
    assert!(log(&app, SignInFilter::default()).await.is_empty(), "anyone's request is not logged");
}
