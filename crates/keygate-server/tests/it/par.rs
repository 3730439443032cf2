//! Pushed authorization requests (RFC 9126).

use keygate_core::client::{AuthMethod, ClientSpec, ClientType};
use keygate_testkit::{
    Auth, Backend, Browser, Reply, TestApp, TestClient, location, pkce, query_param,
};

const PREFIX: &str = "urn:ietf:params:oauth:request_uri:";

/// The parameters of a code request with PKCE, `state=xyz` and `extra`.
fn request_params<'a>(
    client: &'a TestClient,
    challenge: &'a str,
    extra: &[(&'a str, &'a str)],
) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![
        ("response_type", "code"),
        ("client_id", client.id.as_str()),
        ("redirect_uri", client.redirect_uri.as_str()),
        ("scope", "openid"),
        ("state", "xyz"),
        ("nonce", "n-0S6"),
        ("code_challenge", challenge),
        ("code_challenge_method", "S256"),
    ];
    for (name, value) in extra {
        form.retain(|(k, _)| k != name);
        form.push((name, value));
    }
    form
}

/// Pushes a request for `client` (HTTP Basic for a confidential client).
async fn push(
    app: &TestApp,
    client: &TestClient,
    challenge: &str,
    extra: &[(&str, &str)],
) -> Reply {
    let form = request_params(client, challenge, extra);
    let auth =
        if client.secret.is_empty() { Auth::None } else { Auth::Basic(&client.id, &client.secret) };
    app.post_form("/par", auth, &form).await
}

fn authorize_with(app: &TestApp, client_id: &str, request_uri: &str, extra: &str) -> String {
    let mut url = url::Url::parse(&app.url("/authorize")).unwrap();
    url.query_pairs_mut()
        .append_pair("client_id", client_id)
        .append_pair("request_uri", request_uri);
    format!("{url}{extra}")
}

async fn pushed_flow(backend: Backend) {
    let Some(app) = TestApp::spawn_on(backend).await else { return };
    let client = app.web_client(&["openid", "email"]).await;
    app.user("ada").await;
    let (verifier, challenge) = pkce();
    let reply = push(&app, &client, &challenge, &[("scope", "openid email")]).await;
    assert_eq!(reply.status, 201, "RFC 9126 §2.2: 201 Created: {}", reply.body);
    assert_eq!(reply.header("cache-control"), Some("no-store"));
    let body = reply.json();
    let request_uri = body["request_uri"].as_str().unwrap().to_owned();
    assert!(request_uri.starts_with(PREFIX), "{request_uri}");
    assert!(request_uri.len() > PREFIX.len() + 40, "a reference nobody can guess");
    assert_eq!(body["expires_in"], 60, "60 s by default");

    let browser = Browser::new();
    let url = authorize_with(&app, &client.id, &request_uri, "");
    let callback = app.walk_to_callback(&browser, &client, "ada", &url).await;
    assert_eq!(query_param(&callback, "state").as_deref(), Some("xyz"));
    assert_eq!(query_param(&callback, "iss").as_deref(), Some(app.issuer.as_str()));
    let code = query_param(&callback, "code").unwrap();
    let tokens = app.exchange(&client, &code, &verifier).await.assert_ok();
    assert_eq!(tokens["scope"], "openid email", "the pushed scope was granted");
}

#[tokio::test]
async fn rfc9126_2_a_pushed_request_leads_to_a_code_sqlite() {
    pushed_flow(Backend::Sqlite).await;
}

#[tokio::test]
async fn rfc9126_2_a_pushed_request_leads_to_a_code_postgres() {
    pushed_flow(Backend::Postgres).await;
}

async fn used_once(backend: Backend) {
    let Some(app) = TestApp::spawn_on(backend).await else { return };
    let client = app.web_client(&["openid", "email"]).await;
    app.user("ada").await;
    let (_, challenge) = pkce();
    let reply = push(&app, &client, &challenge, &[]).await;
    let request_uri = reply.json()["request_uri"].as_str().unwrap().to_owned();
    let browser = Browser::new();
    // RFC 9126 §4: the pushed request is used; other parameters in the URL are ignored.
    let tampered =
        "&scope=openid%20email&state=forged&redirect_uri=https%3A%2F%2Fevil.example%2Fcb";
    let url = authorize_with(&app, &client.id, &request_uri, tampered);
    let callback = app.walk_to_callback(&browser, &client, "ada", &url).await;
    assert!(callback.starts_with(&client.redirect_uri), "{callback}");
    assert_eq!(query_param(&callback, "state").as_deref(), Some("xyz"), "the pushed state");
    // Used once: the same reference again is refused on Keygate's page.
    let again = browser.get(&url).await;
    assert_eq!(again.status, 400, "{}", again.body);
    assert!(again.header("location").is_none());
    assert!(again.body.contains("invalid_request_uri"), "{}", again.body);
}

#[tokio::test]
async fn rfc9126_4_a_request_uri_is_used_once_and_other_parameters_are_ignored_sqlite() {
    used_once(Backend::Sqlite).await;
}

#[tokio::test]
async fn rfc9126_4_a_request_uri_is_used_once_and_other_parameters_are_ignored_postgres() {
    used_once(Backend::Postgres).await;
}

#[tokio::test]
async fn rfc9126_4_a_request_uri_belongs_to_its_client_and_expires() {
    let app = TestApp::spawn().await;
    let client = app.web_client(&["openid"]).await;
    let other = app.web_client(&["openid"]).await;
    let (_, challenge) = pkce();
    let request_uri = push(&app, &client, &challenge, &[]).await.json()["request_uri"]
        .as_str()
        .unwrap()
        .to_owned();
    let browser = Browser::new();
    let theirs = browser.get(&authorize_with(&app, &other.id, &request_uri, "")).await;
    assert_eq!(theirs.status, 400);
    assert!(theirs.body.contains("invalid_request_uri"));
    // Another client's attempt does not burn it; time does.
    app.clock.advance(61);
    let late = browser.get(&authorize_with(&app, &client.id, &request_uri, "")).await;
    assert_eq!(late.status, 400);
    assert!(late.body.contains("invalid_request_uri"));
    let without_client =
        browser.get(&app.url(&format!("/authorize?request_uri={request_uri}"))).await;
    assert_eq!(without_client.status, 400, "client_id is required with request_uri");
}

#[tokio::test]
async fn rfc9126_2_1_the_client_authenticates_as_at_the_token_endpoint() {
    let app = TestApp::spawn().await;
    let client = app.web_client(&["openid"]).await;
    let (_, challenge) = pkce();
    let form = request_params(&client, &challenge, &[]);
    app.post_form("/par", Auth::None, &form).await.assert_oauth_error(401, "invalid_client");
    let wrong = app.post_form("/par", Auth::Basic(&client.id, "wrong"), &form).await;
    wrong.assert_oauth_error(401, "invalid_client");
    assert!(wrong.header("www-authenticate").is_some());
    // client_secret_post is not this client's method.
    let post = request_params(&client, &challenge, &[]);
    let post: Vec<_> = post.into_iter().filter(|(k, _)| *k != "client_id").collect();
    let reply = app.post_form("/par", Auth::Post(&client.id, &client.secret), &post).await;
    reply.assert_oauth_error(401, "invalid_client");
    // A public client identifies itself with client_id (RFC 9126 §2.1, RFC 6749 §2.3).
    let spa = app.user_client(ClientType::Spa, AuthMethod::None, &["openid"], false).await;
    assert_eq!(push(&app, &spa, &challenge, &[]).await.status, 201);
    // The body's client_id is the authenticated client's.
    let reply = push(&app, &client, &challenge, &[("client_id", spa.id.as_str())]).await;
    assert_eq!(reply.status, 400, "{}", reply.body);
}

#[tokio::test]
async fn rfc9126_2_3_refusals_are_json_errors_with_the_authorize_codes() {
    let app = TestApp::spawn().await;
    let client = app.web_client(&["openid"]).await;
    let (_, challenge) = pkce();
    let cases: [(&[(&str, &str)], &str); 7] = [
        (&[("redirect_uri", "https://evil.example/cb")], "invalid_request"),
        (&[("response_type", "token")], "unsupported_response_type"),
        (&[("scope", "openid admin")], "invalid_scope"),
        (&[("code_challenge_method", "plain")], "invalid_request"),
        (&[("request_uri", "urn:ietf:params:oauth:request_uri:x")], "invalid_request"),
        (&[("request", "eyJhbGciOiJub25lIn0.e30.")], "invalid_request_object"),
        (&[("prompt", "none login")], "invalid_request"),
    ];
    for (extra, error) in cases {
        let reply = push(&app, &client, &challenge, extra).await;
        reply.assert_oauth_error(400, error);
        assert!(reply.header("location").is_none(), "{extra:?}");
    }
}

#[tokio::test]
async fn rfc9126_5_a_client_can_be_required_to_push_its_requests() {
    let app = TestApp::spawn().await;
    let client = app.web_client(&["openid"]).await;
    app.user("ada").await;
    let mut metadata = app.admin().client(&client.id).await.unwrap().metadata;
    metadata.require_pushed_authorization_requests = true;
    let spec = ClientSpec { metadata: Some(metadata), ..Default::default() };
    app.admin().update_client(&client.id, spec).await.unwrap();
    let (_, challenge) = pkce();
    let browser = Browser::new();
    let direct = browser.get(&app.authorize_url(&client, "openid", &challenge, &[])).await;
    let callback = location(&direct);
    assert!(callback.starts_with(&client.redirect_uri), "{callback}");
    assert_eq!(query_param(&callback, "error").as_deref(), Some("invalid_request"));
    assert!(query_param(&callback, "error_description").unwrap().contains("RFC 9126"));
    let request_uri = push(&app, &client, &challenge, &[]).await.json()["request_uri"]
        .as_str()
        .unwrap()
        .to_owned();
    let url = authorize_with(&app, &client.id, &request_uri, "");
    let callback = app.walk_to_callback(&browser, &client, "ada", &url).await;
    assert!(query_param(&callback, "code").is_some());
}

#[tokio::test]
async fn rfc9126_5_every_client_can_be_required_to_push_and_discovery_says_so() {
    let adjust = |s: &mut keygate_core::Settings| {
        s.requests.require_pushed = true;
        s.requests.pushed_lifetime = 30;
    };
    let app = TestApp::spawn_with(Backend::Sqlite, adjust).await.unwrap();
    let metadata = app.get("/.well-known/openid-configuration").await.json();
    assert_eq!(metadata["pushed_authorization_request_endpoint"], app.url("/par"));
    assert_eq!(metadata["require_pushed_authorization_requests"], true);
    let client = app.web_client(&["openid"]).await;
    let (_, challenge) = pkce();
    let direct = Browser::new().get(&app.authorize_url(&client, "openid", &challenge, &[])).await;
    assert_eq!(query_param(&location(&direct), "error").as_deref(), Some("invalid_request"));
    assert_eq!(push(&app, &client, &challenge, &[]).await.json()["expires_in"], 30);
}
