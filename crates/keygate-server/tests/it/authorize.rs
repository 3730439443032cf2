//! The authorization endpoint, the login and consent pages, and SSO sessions.

use keygate_core::client::{AuthMethod, ClientType};
use keygate_testkit::{Browser, PASSWORD, TestApp, TestClient, location, pkce, query_param};

#[tokio::test]
async fn oidc_core_3_1_2_login_and_consent_lead_to_a_code_with_state_and_iss() {
    let app = TestApp::spawn().await;
    let client = app.web_client(&["openid", "profile", "email"]).await;
    app.user("ada").await;
    let browser = Browser::new();
    let (_, challenge) = pkce();
    let reply =
        browser.get(&app.authorize_url(&client, "openid profile email", &challenge, &[])).await;
    let login_url = location(&reply);
    assert!(login_url.starts_with(&app.url("/login?req=")), "{login_url}");

    let page = browser.get(&login_url).await;
    assert!(page.body.contains("Photo Printer"), "the application's name is shown");
    assert_eq!(page.header("x-frame-options"), Some("DENY"));
    assert!(
        page.header("content-security-policy")
            .is_some_and(|c| c.contains("frame-ancestors 'none'"))
    );
    assert_eq!(page.header("cache-control"), Some("no-store"));

    let reply = app.submit_login(&browser, &login_url, "ada", PASSWORD).await;
    assert_eq!(reply.status, 303, "RFC 9700 §4.12: 303 after posting credentials");
    let consent_url = location(&reply);
    assert!(consent_url.starts_with(&app.url("/consent?req=")));
    let page = browser.get(&consent_url).await;
    for words in ["Confirm who you are", "See your name and username", "See your email address"] {
        assert!(page.body.contains(words), "consent page lists '{words}'");
    }
    let reply = app.submit_consent(&browser, &consent_url, "allow").await;
    let callback = location(&reply);
    assert!(callback.starts_with(&client.redirect_uri));
    assert!(query_param(&callback, "code").is_some_and(|c| c.len() >= 43));
    assert_eq!(query_param(&callback, "state").as_deref(), Some("xyz"));
    assert_eq!(query_param(&callback, "iss").as_deref(), Some(app.issuer.as_str()), "RFC 9207");
}

#[tokio::test]
async fn rfc6749_4_1_2_1_unknown_client_or_redirect_uri_is_shown_not_redirected() {
    let app = TestApp::spawn().await;
    let client = app.web_client(&["openid"]).await;
    let browser = Browser::new();
    let (_, challenge) = pkce();
    let mut evil = client.clone();
    evil.redirect_uri = "https://evil.example/callback".to_owned();
    let reply = browser.get(&app.authorize_url(&evil, "openid", &challenge, &[])).await;
    assert_eq!(reply.status, 400);
    assert!(reply.header("location").is_none());
    assert!(reply.body.contains("not registered"));
    let mut unknown = client.clone();
    unknown.id = "nobody".to_owned();
    let reply = browser.get(&app.authorize_url(&unknown, "openid", &challenge, &[])).await;
    assert_eq!(reply.status, 400);
    assert!(reply.header("location").is_none());
}

#[tokio::test]
async fn rfc9207_errors_after_verification_redirect_with_state_and_iss() {
    let app = TestApp::spawn().await;
    let client = app.web_client(&["openid"]).await;
    let browser = Browser::new();
    let (_, challenge) = pkce();
    let cases: [(&[(&str, &str)], &str); 5] = [
        (&[("response_type", "token")], "unsupported_response_type"),
        (&[("request_uri", "https://app.example/r")], "request_uri_not_supported"),
        (&[("prompt", "none login")], "invalid_request"),
        (&[("max_age", "-5")], "invalid_request"),
        (&[("code_challenge_method", "plain")], "invalid_request"),
    ];
    for (extra, error) in cases {
        let mut url = app.authorize_url(&client, "openid", &challenge, &[]);
        for (k, v) in extra {
            url = replace_param(&url, k, v);
        }
        let callback = location(&browser.get(&url).await);
        assert!(callback.starts_with(&client.redirect_uri), "{extra:?}: {callback}");
        assert_eq!(query_param(&callback, "error").as_deref(), Some(error), "{extra:?}");
        assert_eq!(query_param(&callback, "state").as_deref(), Some("xyz"));
        assert_eq!(query_param(&callback, "iss").as_deref(), Some(app.issuer.as_str()));
    }
    let callback =
        location(&browser.get(&app.authorize_url(&client, "openid admin", &challenge, &[])).await);
    assert_eq!(query_param(&callback, "error").as_deref(), Some("invalid_scope"));
}

fn replace_param(url: &str, name: &str, value: &str) -> String {
    let mut parsed = url::Url::parse(url).unwrap();
    let pairs: Vec<(String, String)> = parsed
        .query_pairs()
        .filter(|(k, _)| k != name)
        .map(|(k, v)| (k.into(), v.into()))
        .collect();
    parsed.query_pairs_mut().clear().extend_pairs(pairs).append_pair(name, value);
    parsed.to_string()
}

#[tokio::test]
async fn rfc7636_4_4_1_public_clients_must_use_pkce() {
    let app = TestApp::spawn().await;
    let spa = app.user_client(ClientType::Spa, AuthMethod::None, &["openid"], false).await;
    let browser = Browser::new();
    let url = app.authorize_url(&spa, "openid", "unused", &[]);
    let url = url.replace("&code_challenge=unused&code_challenge_method=S256", "");
    let callback = location(&browser.get(&url).await);
    assert_eq!(query_param(&callback, "error").as_deref(), Some("invalid_request"));
    assert!(query_param(&callback, "error_description").unwrap().contains("PKCE"));
}

#[tokio::test]
async fn rfc8252_7_3_native_loopback_redirect_accepts_any_port() {
    let app = TestApp::spawn().await;
    let mut native = app.user_client(ClientType::Native, AuthMethod::None, &["openid"], true).await;
    app.user("ada").await;
    native.redirect_uri = "http://127.0.0.1:49152/callback".to_owned();
    let browser = Browser::new();
    let result = app.code_flow(&browser, &native, "ada", "openid").await;
    assert!(result.callback.starts_with("http://127.0.0.1:49152/callback?"));
    app.exchange(&native, &result.code, &result.verifier).await.assert_ok();
}

#[tokio::test]
async fn oidc_core_3_1_2_1_prompt_none_without_session_is_login_required() {
    let app = TestApp::spawn().await;
    let client = app.web_client(&["openid"]).await;
    let (_, challenge) = pkce();
    let url = app.authorize_url(&client, "openid", &challenge, &[("prompt", "none")]);
    let callback = location(&Browser::new().get(&url).await);
    assert_eq!(query_param(&callback, "error").as_deref(), Some("login_required"));
    assert_eq!(query_param(&callback, "state").as_deref(), Some("xyz"));
}

#[tokio::test]
async fn oidc_core_3_1_2_1_prompt_none_with_session_returns_a_code_silently() {
    let app = TestApp::spawn().await;
    let client = app.web_client(&["openid"]).await;
    app.user("ada").await;
    let browser = Browser::new();
    app.code_flow(&browser, &client, "ada", "openid").await;
    let (_, challenge) = pkce();
    let url = app.authorize_url(&client, "openid", &challenge, &[("prompt", "none")]);
    let callback = location(&browser.get(&url).await);
    assert!(query_param(&callback, "code").is_some(), "{callback}");
    // A scope not consented to yet needs the consent page: prompt=none cannot show it.
    let other = app.web_client(&["openid", "email"]).await;
    let url = app.authorize_url(&other, "openid email", &challenge, &[("prompt", "none")]);
    let callback = location(&browser.get(&url).await);
    assert_eq!(query_param(&callback, "error").as_deref(), Some("consent_required"));
}

#[tokio::test]
async fn sso_session_skips_the_login_page_and_remembered_consent_skips_consent() {
    let app = TestApp::spawn().await;
    let client = app.web_client(&["openid", "profile"]).await;
    app.user("ada").await;
    let browser = Browser::new();
    app.code_flow(&browser, &client, "ada", "openid profile").await;
    let (_, challenge) = pkce();
    let reply = browser.get(&app.authorize_url(&client, "openid profile", &challenge, &[])).await;
    assert!(location(&reply).starts_with(&client.redirect_uri), "straight back with a code");
    // prompt=consent asks again.
    let url = app.authorize_url(&client, "openid", &challenge, &[("prompt", "consent")]);
    assert!(location(&browser.get(&url).await).starts_with(&app.url("/consent")));
    // prompt=login asks for the password again.
    let url = app.authorize_url(&client, "openid", &challenge, &[("prompt", "login")]);
    assert!(location(&browser.get(&url).await).starts_with(&app.url("/login")));
}

#[tokio::test]
async fn a_remembered_consent_expires_after_consent_ttl() {
    let app = TestApp::spawn_with(keygate_testkit::Backend::Sqlite, |s| {
        s.consent_ttl = Some(3600);
        s.session_ttl = 86_400;
    })
    .await
    .unwrap();
    let client = app.web_client(&["openid", "profile"]).await;
    app.user("ada").await;
    let browser = Browser::new();
    app.code_flow(&browser, &client, "ada", "openid profile").await;
    app.clock.advance(3599);
    let (_, challenge) = pkce();
    let url = app.authorize_url(&client, "openid profile", &challenge, &[]);
    assert!(location(&browser.get(&url).await).starts_with(&client.redirect_uri), "remembered");
    app.clock.advance(1);
    let reply = browser.get(&url).await;
    assert!(location(&reply).starts_with(&app.url("/consent")), "an hour later: asked again");
    // The cleanup removes it too.
    app.provider.purge_expired().await.unwrap();
    let user = app.admin().user("ada").await.unwrap();
    assert!(app.admin().user_consents(&user.id).await.unwrap().is_empty());
}

#[tokio::test]
async fn oidc_core_3_1_2_1_max_age_forces_a_fresh_login() {
    let app = TestApp::spawn().await;
    let client = app.web_client(&["openid"]).await;
    app.user("ada").await;
    let browser = Browser::new();
    app.code_flow(&browser, &client, "ada", "openid").await;
    app.clock.advance(120);
    let (_, challenge) = pkce();
    let url = app.authorize_url(&client, "openid", &challenge, &[("max_age", "300")]);
    assert!(location(&browser.get(&url).await).starts_with(&client.redirect_uri));
    let (verifier, challenge) = pkce();
    let url = app.authorize_url(&client, "openid", &challenge, &[("max_age", "60")]);
    let login = location(&browser.get(&url).await);
    assert!(login.starts_with(&app.url("/login")));
    let reply = app.submit_login(&browser, &login, "ada", PASSWORD).await;
    let callback = location(&reply);
    assert!(callback.starts_with(&client.redirect_uri), "consent is remembered");
    let code = query_param(&callback, "code").unwrap();
    let tokens = app.exchange(&client, &code, &verifier).await.assert_ok();
    let (_, claims) =
        crate::support::verify_with_jwks(&app, tokens["id_token"].as_str().unwrap()).await;
    assert_eq!(claims["auth_time"], keygate_testkit::T0 + 120, "a newer auth_time");
}

#[tokio::test]
async fn first_party_clients_skip_consent() {
    let app = TestApp::spawn().await;
    let client =
        app.user_client(ClientType::Web, AuthMethod::ClientSecretBasic, &["openid"], true).await;
    app.user("ada").await;
    let browser = Browser::new();
    let (_, challenge) = pkce();
    let login =
        location(&browser.get(&app.authorize_url(&client, "openid", &challenge, &[])).await);
    let reply = app.submit_login(&browser, &login, "ada", PASSWORD).await;
    assert!(location(&reply).starts_with(&client.redirect_uri));
}

#[tokio::test]
async fn rfc6749_4_1_2_1_denied_consent_is_access_denied() {
    let app = TestApp::spawn().await;
    let client = app.web_client(&["openid"]).await;
    app.user("ada").await;
    let browser = Browser::new();
    let (_, challenge) = pkce();
    let login =
        location(&browser.get(&app.authorize_url(&client, "openid", &challenge, &[])).await);
    let consent = location(&app.submit_login(&browser, &login, "ada", PASSWORD).await);
    let callback = location(&app.submit_consent(&browser, &consent, "deny").await);
    assert_eq!(query_param(&callback, "error").as_deref(), Some("access_denied"));
    assert_eq!(query_param(&callback, "state").as_deref(), Some("xyz"));
}

#[tokio::test]
async fn login_failures_are_generic_and_throttled() {
    let app = TestApp::spawn().await;
    let client = app.web_client(&["openid"]).await;
    app.user("ada").await;
    let browser = Browser::new();
    let (_, challenge) = pkce();
    let login =
        location(&browser.get(&app.authorize_url(&client, "openid", &challenge, &[])).await);
    let wrong = app.submit_login(&browser, &login, "ada", "wrong password").await;
    let unknown = app.submit_login(&browser, &login, "nobody", "wrong password").await;
    assert_eq!(wrong.status, 200);
    assert_eq!(unknown.status, 200);
    for reply in [&wrong, &unknown] {
        assert!(reply.body.contains("The username or password is incorrect."));
    }
    for _ in 0..4 {
        app.submit_login(&browser, &login, "ada", "wrong password").await;
    }
    let throttled = app.submit_login(&browser, &login, "ada", PASSWORD).await;
    assert_eq!(throttled.status, 429);
    assert!(throttled.body.contains("try again"));
    app.clock.advance(app.provider.settings().login_window + 1);
    let reply = app.submit_login(&browser, &login, "ada", PASSWORD).await;
    assert_eq!(reply.status, 303, "the window has passed");
}

#[tokio::test]
async fn login_form_needs_its_csrf_token_and_the_same_browser() {
    let app = TestApp::spawn().await;
    let client = app.web_client(&["openid"]).await;
    app.user("ada").await;
    let browser = Browser::new();
    let (_, challenge) = pkce();
    let login =
        location(&browser.get(&app.authorize_url(&client, "openid", &challenge, &[])).await);
    let page = browser.get(&login).await;
    let req = keygate_testkit::form_field(&page.body, "req").unwrap();
    let forged =
        [("req", req.as_str()), ("csrf", "forged"), ("username", "ada"), ("password", PASSWORD)];
    let reply = browser.post_form(&app.url("/login"), &forged).await;
    assert_eq!(reply.status, 400);
    assert!(reply.header("set-cookie").is_none(), "no session was started");
    // Another browser (no binding cookie) cannot use the request either.
    let csrf = keygate_testkit::form_field(&page.body, "csrf").unwrap();
    let stolen = [
        ("req", req.as_str()),
        ("csrf", csrf.as_str()),
        ("username", "ada"),
        ("password", PASSWORD),
    ];
    let reply = Browser::new().post_form(&app.url("/login"), &stolen).await;
    assert_eq!(reply.status, 400);
}

#[tokio::test]
async fn form_post_response_mode_posts_the_code_to_the_client() {
    let app = TestApp::spawn().await;
    let client =
        app.user_client(ClientType::Web, AuthMethod::ClientSecretBasic, &["openid"], true).await;
    app.user("ada").await;
    let browser = Browser::new();
    let (_, challenge) = pkce();
    let url = app.authorize_url(&client, "openid", &challenge, &[("response_mode", "form_post")]);
    let login = location(&browser.get(&url).await);
    let reply = app.submit_login(&browser, &login, "ada", PASSWORD).await;
    assert_eq!(reply.status, 200);
    let html = reply.body.replace("&#x2f;", "/");
    assert!(html.contains(&format!("action=\"{}\"", client.redirect_uri)), "{html}");
    assert!(keygate_testkit::form_field(&reply.body, "code").is_some());
    assert_eq!(keygate_testkit::form_field(&reply.body, "state").as_deref(), Some("xyz"));
    assert!(
        reply.header("content-security-policy").is_some_and(|c| c.contains("script-src 'sha256-"))
    );
    // Without JavaScript it is a styled page for phones too.
    assert!(html.contains("name=\"viewport\""), "{html}");
    assert!(html.contains("/assets/keygate.css"), "{html}");
    assert!(
        reply.header("content-security-policy").is_some_and(|c| c.contains("style-src 'self'"))
    );
}

#[tokio::test]
async fn login_hint_prefills_the_username() {
    let app = TestApp::spawn().await;
    let client = app.web_client(&["openid"]).await;
    let browser = Browser::new();
    let (_, challenge) = pkce();
    let url =
        app.authorize_url(&client, "openid", &challenge, &[("login_hint", "ada@example.com")]);
    let page = browser.get(&location(&browser.get(&url).await)).await;
    assert!(page.body.contains("value=\"ada@example.com\""));
}

#[tokio::test]
async fn rfc6749_3_1_2_4_a_refused_redirect_uri_gets_a_page_with_a_reference_and_developer_detail()
{
    let app = TestApp::spawn().await;
    let client = app.web_client(&["openid"]).await;
    let mut stored = app.admin().client(&client.id).await.unwrap();
    stored.metadata.client_uri = Some("https://app.example/home".into());
    app.admin().save_client(&stored).await.unwrap();
    let (_, challenge) = pkce();
    let bad = TestClient { redirect_uri: "https://evil.example/cb".into(), ..client.clone() };
    let reply = Browser::new().get(&app.authorize_url(&bad, "openid", &challenge, &[])).await;
    assert_eq!(reply.status, 400);
    assert!(reply.header("location").is_none(), "nothing is sent to an unregistered address");
    let html = reply.body.replace("&#x2f;", "/").replace("&#x27;", "'");
    assert!(html.contains("Details for the application's developer"), "{html}");
    assert!(html.contains("redirect_uri 'https://evil.example/cb' is not registered"), "{html}");
    let reference = reply.header("x-request-id").expect("a request id").to_owned();
    assert!(html.contains(&format!("<code>{reference}</code>")), "{html}");
    assert_eq!(
        keygate_testkit::link_href(&reply.body, "button").as_deref(),
        Some("https://app.example/home")
    );
}
