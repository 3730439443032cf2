//! OpenID Connect RP-Initiated Logout 1.0 and Back-Channel Logout 1.0.

use std::sync::{Arc, Mutex};

use axum::routing::post;
use keygate_testkit::{
    Auth, Browser, SIGNED_OUT_URI, TestApp, form_field, location, pkce, query_param,
};

use crate::support::verify_with_jwks;

async fn signed_in(
    app: &TestApp,
    browser: &Browser,
    scope: &str,
) -> (keygate_testkit::TestClient, serde_json::Value) {
    let client = app.web_client(&["openid", "offline_access"]).await;
    app.user("ada").await;
    let flow = app.code_flow(browser, &client, "ada", scope).await;
    let tokens = app.exchange(&client, &flow.code, &flow.verifier).await.assert_ok();
    (client, tokens)
}

fn logout_url(app: &TestApp, pairs: &[(&str, &str)]) -> String {
    let mut url = url::Url::parse(&app.url("/logout")).unwrap();
    url.query_pairs_mut().extend_pairs(pairs.iter());
    url.to_string()
}

async fn assert_signed_out(app: &TestApp, browser: &Browser, client: &keygate_testkit::TestClient) {
    let (_, challenge) = pkce();
    let url = app.authorize_url(client, "openid", &challenge, &[("prompt", "none")]);
    let callback = location(&browser.get(&url).await);
    assert_eq!(query_param(&callback, "error").as_deref(), Some("login_required"));
}

#[tokio::test]
async fn rp_initiated_logout_2_with_id_token_hint_ends_the_session_and_redirects() {
    let app = TestApp::spawn().await;
    let browser = Browser::new();
    let (client, tokens) = signed_in(&app, &browser, "openid").await;
    let hint = tokens["id_token"].as_str().unwrap();
    let url = logout_url(
        &app,
        &[("id_token_hint", hint), ("post_logout_redirect_uri", SIGNED_OUT_URI), ("state", "bye")],
    );
    let reply = browser.get(&url).await;
    let target = location(&reply);
    assert!(target.starts_with(SIGNED_OUT_URI));
    assert_eq!(query_param(&target, "state").as_deref(), Some("bye"));
    assert!(reply.header("set-cookie").is_some_and(|c| c.contains("Max-Age=0")));
    assert_signed_out(&app, &browser, &client).await;
    // The grant had no offline_access: its tokens end with the session.
    let access = tokens["access_token"].as_str().unwrap();
    let body = app
        .post_form("/introspect", Auth::Basic(&client.id, &client.secret), &[("token", access)])
        .await;
    assert_eq!(body.assert_ok()["active"], false);
}

#[tokio::test]
async fn rp_initiated_logout_2_without_a_hint_asks_for_confirmation() {
    let app = TestApp::spawn().await;
    let browser = Browser::new();
    let (client, _) = signed_in(&app, &browser, "openid").await;
    let url = logout_url(
        &app,
        &[("client_id", &client.id), ("post_logout_redirect_uri", SIGNED_OUT_URI)],
    );
    let page = browser.get(&url).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Sign out?"));
    assert_eq!(page.header("x-frame-options"), Some("DENY"));
    let csrf = form_field(&page.body, "csrf").unwrap();
    let forged = [("csrf", "forged"), ("decision", "logout"), ("client_id", client.id.as_str())];
    assert_eq!(browser.post_form(&app.url("/logout/confirm"), &forged).await.status, 400);
    let form = [
        ("csrf", csrf.as_str()),
        ("decision", "logout"),
        ("client_id", client.id.as_str()),
        ("post_logout_redirect_uri", SIGNED_OUT_URI),
    ];
    let reply = browser.post_form(&app.url("/logout/confirm"), &form).await;
    assert!(location(&reply).starts_with(SIGNED_OUT_URI));
    assert_signed_out(&app, &browser, &client).await;
}

#[tokio::test]
async fn rp_initiated_logout_2_staying_signed_in_says_so_and_offers_the_way_back() {
    let app = TestApp::spawn().await;
    let browser = Browser::new();
    let client = app.web_client(&["openid"]).await;
    let mut stored = app.admin().client(&client.id).await.unwrap();
    stored.metadata.client_uri = Some("https://app.example/home".into());
    app.admin().save_client(&stored).await.unwrap();
    app.user("ada").await;
    app.code_flow(&browser, &client, "ada", "openid").await;
    let url = logout_url(&app, &[("client_id", &client.id)]);
    let page = browser.get(&url).await;
    let csrf = form_field(&page.body, "csrf").unwrap();
    let form = [("csrf", csrf.as_str()), ("decision", "stay"), ("client_id", client.id.as_str())];
    let reply = browser.post_form(&app.url("/logout/confirm"), &form).await;
    assert_eq!(reply.status, 200);
    assert!(reply.body.contains("<title>You are still signed in"), "title and heading agree");
    assert!(reply.body.contains("<h1>You are still signed in</h1>"), "{}", reply.body);
    let back = keygate_testkit::link_href(&reply.body, "button").expect("a way back");
    assert_eq!(back, "https://app.example/home");
    // Still signed in: a silent request gets a code.
    let (_, challenge) = pkce();
    let silent = app.authorize_url(&client, "openid", &challenge, &[("prompt", "none")]);
    let callback = location(&browser.get(&silent).await);
    assert!(query_param(&callback, "code").is_some(), "{callback}");
}

#[tokio::test]
async fn rp_initiated_logout_3_unregistered_redirect_or_mismatched_client_is_refused() {
    let app = TestApp::spawn().await;
    let browser = Browser::new();
    let (client, tokens) = signed_in(&app, &browser, "openid").await;
    let hint = tokens["id_token"].as_str().unwrap();
    let url = logout_url(
        &app,
        &[("id_token_hint", hint), ("post_logout_redirect_uri", "https://evil.example/")],
    );
    let reply = browser.get(&url).await;
    assert_eq!(reply.status, 400);
    assert!(reply.header("location").is_none());
    let other = app.web_client(&["openid"]).await;
    let url = logout_url(&app, &[("id_token_hint", hint), ("client_id", &other.id)]);
    assert_eq!(browser.get(&url).await.status, 400);
    let url = logout_url(&app, &[("post_logout_redirect_uri", SIGNED_OUT_URI)]);
    assert_eq!(browser.get(&url).await.status, 400, "no way to know the client");
    let url = logout_url(&app, &[("id_token_hint", "not.a.token")]);
    assert_eq!(browser.get(&url).await.status, 400);
    // Nothing was ended by the refused requests.
    let (_, challenge) = pkce();
    let url = app.authorize_url(&client, "openid", &challenge, &[("prompt", "none")]);
    assert!(query_param(&location(&browser.get(&url).await), "code").is_some());
}

#[tokio::test]
async fn backchannel_logout_2_5_posts_a_logout_token_to_the_client() {
    let received: Arc<Mutex<Vec<String>>> = Arc::default();
    let sink = received.clone();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let bcl_uri = format!("http://{}/backchannel", listener.local_addr().unwrap());
    let receiver = axum::Router::new().route(
        "/backchannel",
        post(move |body: String| {
            let sink = sink.clone();
            async move {
                sink.lock().unwrap().push(body);
                "ok"
            }
        }),
    );
    tokio::spawn(async move { axum::serve(listener, receiver).await });

    let app = TestApp::spawn().await;
    let browser = Browser::new();
    let (client, tokens) = signed_in(&app, &browser, "openid offline_access").await;
    let spec = keygate_core::client::ClientSpec {
        backchannel_logout_uri: Some(bcl_uri),
        ..Default::default()
    };
    app.admin().update_client(&client.id, spec).await.unwrap();
    app.provider.sync().await.unwrap();

    let hint = tokens["id_token"].as_str().unwrap();
    browser.get(&logout_url(&app, &[("id_token_hint", hint)])).await;
    let mut body = None;
    for _ in 0..50 {
        body = received.lock().unwrap().first().cloned();
        if body.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let body = body.expect("a logout token was delivered");
    let token = url::form_urlencoded::parse(body.as_bytes())
        .find(|(k, _)| k == "logout_token")
        .map(|(_, v)| v.into_owned())
        .unwrap();
    let (header, claims) = verify_with_jwks(&app, &token).await;
    assert_eq!(header.typ.as_deref(), Some("logout+jwt"));
    let (_, id_claims) = verify_with_jwks(&app, hint).await;
    assert_eq!(claims["aud"], client.id.as_str());
    assert_eq!(claims["sid"], id_claims["sid"]);
    assert_eq!(claims["sub"], id_claims["sub"]);
    assert!(claims["events"]["http://schemas.openid.net/event/backchannel-logout"].is_object());
    assert!(claims.get("nonce").is_none(), "Back-Channel Logout §2.4: no nonce");
    // Back-Channel Logout §2.7: offline_access refresh tokens survive the session.
    let form = [
        ("grant_type", "refresh_token"),
        ("refresh_token", tokens["refresh_token"].as_str().unwrap()),
    ];
    app.post_form("/token", Auth::Basic(&client.id, &client.secret), &form).await.assert_ok();
}
