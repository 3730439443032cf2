//! "Forgot password?" over HTTP with real mail: the same answer for known and unknown
//! addresses, single-use expiring links, throttling, and a reset that ends every session and
//! refresh token (RFC 9700 §4.14.2) and tells the user by mail.

use std::time::Duration;

use keygate_testkit::{
    Auth, Backend, Browser, SmtpSink, TestApp, form_field, location, pkce, query_param,
};

const NEW_PASSWORD: &str = "a fresh passphrase after the reset";

/// Asks for a reset link for `address` the way a browser does; returns the answer page.
async fn ask_reset(app: &TestApp, browser: &Browser, address: &str) -> keygate_testkit::Reply {
    let page = browser.get(&app.url("/forgot")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let csrf = form_field(&page.body, "csrf").expect("csrf");
    browser.post_form(&app.url("/forgot"), &[("csrf", &csrf), ("address", address)]).await
}

/// Opens the link and submits `password` twice; returns the answer page.
async fn choose_password(browser: &Browser, link: &str, password: &str) -> keygate_testkit::Reply {
    let form_page = browser.get(link).await;
    assert_eq!(form_page.status, 200, "{}", form_page.body);
    let csrf = form_field(&form_page.body, "csrf").expect("csrf");
    let token = form_field(&form_page.body, "token").expect("token");
    let action = link.split('?').next().unwrap();
    let form = [
        ("csrf", csrf.as_str()),
        ("token", &token),
        ("password", password),
        ("password_again", password),
    ];
    browser.post_form(action, &form).await
}

async fn journey(backend: Backend) {
    let sink = SmtpSink::start().await;
    let Some(app) = TestApp::spawn_with_mail(backend, &sink, |_| {}).await else { return };
    let client = app.web_client(&["openid", "offline_access"]).await;
    app.user("ada").await;
    let signed_in = Browser::new();
    let flow = app.code_flow(&signed_in, &client, "ada", "openid offline_access").await;
    let tokens = app.exchange(&client, &flow.code, &flow.verifier).await.assert_ok();

    let browser = Browser::new();
    let answer = ask_reset(&app, &browser, "ADA@example.com").await;
    assert_eq!(answer.status, 200);
    assert!(answer.body.contains("Check your email"));
    let message = sink.nth_to("ada@example.com", 1).await;
    assert_eq!(message.header("Subject").as_deref(), Some("Reset your Keygate password"));
    let link = message.link(&app.url("/reset?token=")).expect("a reset link");
    assert!(message.html().contains("Choose a new password"));

    let done = choose_password(&browser, &link, NEW_PASSWORD).await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert!(done.body.contains("Password changed"), "{}", done.body);

    // The old refresh token, access token and session are gone.
    let refresh = [
        ("grant_type", "refresh_token"),
        ("refresh_token", tokens["refresh_token"].as_str().unwrap()),
    ];
    let auth = Auth::Basic(&client.id, &client.secret);
    app.post_form("/token", auth, &refresh).await.assert_oauth_error(400, "invalid_grant");
    let (_, challenge) = pkce();
    let url = app.authorize_url(&client, "openid", &challenge, &[("prompt", "none")]);
    let callback = location(&signed_in.get(&url).await);
    assert_eq!(query_param(&callback, "error").as_deref(), Some("login_required"));
    // The new password signs in; the old one does not.
    for (password, signs_in) in [(keygate_testkit::PASSWORD, false), (NEW_PASSWORD, true)] {
        let fresh = Browser::new();
        let (_, challenge) = pkce();
        let login =
            location(&fresh.get(&app.authorize_url(&client, "openid", &challenge, &[])).await);
        let answer = app.submit_login(&fresh, &login, "ada", password).await;
        assert_eq!(
            answer.status.is_redirection(),
            signs_in,
            "{password}: {} {}",
            answer.status,
            answer.body
        );
    }
    let changed = sink.nth_to("ada@example.com", 2).await;
    assert_eq!(changed.header("Subject").as_deref(), Some("Your Keygate password was changed"));
    // The link worked once.
    let again = browser.get(&link).await;
    assert_eq!(again.status, 400);
    assert!(again.body.contains("expired or was already used"));
    use keygate_core::store::AuditStore;
    let query = keygate_core::store::AuditQuery { limit: 10, ..Default::default() };
    let audit = app.store.list_audit(&query).await.unwrap();
    assert!(audit.iter().any(|e| e.action == "user.password_reset"));
}

#[tokio::test]
async fn rfc9700_4_14_2_a_password_reset_ends_sessions_and_refresh_tokens_sqlite() {
    journey(Backend::Sqlite).await;
}

#[tokio::test]
async fn rfc9700_4_14_2_a_password_reset_ends_sessions_and_refresh_tokens_postgres() {
    journey(Backend::Postgres).await;
}

#[tokio::test]
async fn forgot_password_answers_the_same_for_known_and_unknown_addresses() {
    let sink = SmtpSink::start().await;
    let app = TestApp::spawn_with_mail(Backend::Sqlite, &sink, |_| {}).await.unwrap();
    app.user("ben").await;
    let known = ask_reset(&app, &Browser::new(), "ben@example.com").await;
    let unknown = ask_reset(&app, &Browser::new(), "nobody@example.com").await;
    let by_name = ask_reset(&app, &Browser::new(), "ben").await;
    assert_eq!(known.status, unknown.status);
    assert_eq!(known.body, unknown.body, "the same page, byte for byte");
    assert_eq!(known.body, by_name.body);
    sink.nth_to("ben@example.com", 2).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(sink.messages().len(), 2, "nothing was sent for the unknown address");
}

#[tokio::test]
async fn reset_links_expire_and_a_rejected_password_keeps_the_link() {
    let sink = SmtpSink::start().await;
    let app = TestApp::spawn_with_mail(Backend::Sqlite, &sink, |_| {}).await.unwrap();
    app.user("cal").await;
    let browser = Browser::new();
    ask_reset(&app, &browser, "cal").await;
    let link = sink.nth_to("cal@example.com", 1).await.link(&app.url("/reset?token=")).unwrap();
    let weak = choose_password(&browser, &link, "short").await;
    assert_eq!(weak.status, 200);
    assert!(weak.body.contains("at least"), "{}", weak.body);
    app.clock.advance(30 * 60 + 1);
    let late = browser.get(&link).await;
    assert_eq!(late.status, 400, "a link lasts 30 minutes");
    // A second link makes the first worthless once used.
    ask_reset(&app, &browser, "cal").await;
    let second = sink.nth_to("cal@example.com", 2).await.link(&app.url("/reset?token=")).unwrap();
    ask_reset(&app, &browser, "cal").await;
    let third = sink.nth_to("cal@example.com", 3).await.link(&app.url("/reset?token=")).unwrap();
    assert_eq!(choose_password(&browser, &third, NEW_PASSWORD).await.status, 200);
    assert_eq!(browser.get(&second).await.status, 400, "older links die with the reset");
}

#[tokio::test]
async fn reset_requests_are_throttled_per_address_and_per_account() {
    let sink = SmtpSink::start().await;
    let app = TestApp::spawn_with_mail(Backend::Sqlite, &sink, |_| {}).await.unwrap();
    app.user("dot").await;
    for address in ["dot", "dot@example.com", "DOT", "dot", "dot@example.com"] {
        let answer = ask_reset(&app, &Browser::new(), address).await;
        assert!(answer.body.contains("Check your email"), "the same answer when throttled too");
    }
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(sink.messages().len(), 3, "three per account within the window");
    app.clock.advance(app.provider.settings().login_window + 1);
    ask_reset(&app, &Browser::new(), "dot").await;
    sink.nth_to("dot@example.com", 4).await;
}

#[tokio::test]
async fn the_login_page_links_to_forgot_password_and_back() {
    let app = TestApp::spawn().await;
    let client = app.web_client(&["openid"]).await;
    let browser = Browser::new();
    let (_, challenge) = pkce();
    let login =
        location(&browser.get(&app.authorize_url(&client, "openid", &challenge, &[])).await);
    let page = browser.get(&login).await;
    let req = query_param(&login, "req").unwrap();
    let forgot = format!("{}/forgot?req={req}", app.issuer);
    assert!(page.body.contains(&forgot.replace('/', "&#x2f;")), "{}", page.body);
    let form = browser.get(&forgot).await;
    assert!(form.body.contains("Back to sign in"));
    assert_eq!(form_field(&form.body, "req").as_deref(), Some(req.as_str()));
}
