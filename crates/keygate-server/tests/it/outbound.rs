//! The outbound policy (server-side request forgery): URLs that clients and registrants supply
//! are never fetched when they point at internal addresses, unless an operator allowed them.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use keygate_core::client::{AuthMethod, ClientMetadata, ClientSpec, ClientType};
use keygate_core::jwt::sign_jwt;
use keygate_core::keys::{KeyPair, SigningAlg};
use keygate_testkit::{Auth, Backend, TestApp, TestCert};
use serde_json::json;

/// A loopback server that counts every request and answers with `keys`.
async fn counting_server(keys: serde_json::Value) -> (String, Arc<AtomicUsize>) {
    let hits = Arc::new(AtomicUsize::new(0));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let counter = hits.clone();
    let app = axum::Router::new().fallback(move || {
        let (counter, keys) = (counter.clone(), keys.clone());
        async move {
            counter.fetch_add(1, Ordering::SeqCst);
            axum::Json(keys)
        }
    });
    tokio::spawn(async move { axum::serve(listener, app).await });
    (base, hits)
}

async fn keyed_client(app: &TestApp, jwks_uri: String) -> String {
    let spec = ClientSpec {
        name: Some("Remote keys".into()),
        auth_method: Some(AuthMethod::PrivateKeyJwt),
        metadata: Some(ClientMetadata { jwks_uri: Some(jwks_uri), ..Default::default() }),
        ..Default::default()
    };
    let new = keygate_core::admin::NewClient {
        client_type: ClientType::M2m,
        client_id: None,
        secret: None,
        spec,
    };
    app.admin().create_client(new).await.unwrap().0.client_id
}

async fn assert_with(app: &TestApp, key: &KeyPair, id: &str) -> keygate_testkit::Reply {
    let now = keygate_core::Clock::now(app.clock.as_ref());
    let claims = json!({ "iss": id, "sub": id, "aud": app.url("/token"), "exp": now + 60, "jti": keygate_core::secret::random_id() });
    let jwt = sign_jwt(key, "JWT", &claims).unwrap();
    let form = [
        ("grant_type", "client_credentials"),
        ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
        ("client_assertion", jwt.as_str()),
    ];
    app.post_form("/token", Auth::None, &form).await
}

#[tokio::test]
async fn ssrf_a_jwks_uri_on_an_internal_address_is_never_fetched() {
    let (key, _) = KeyPair::generate(SigningAlg::ES256).unwrap();
    let (base, hits) = counting_server(json!({ "keys": [key.public_jwk()] })).await;
    let app = TestApp::spawn_with(Backend::Sqlite, |s| s.outbound_allow.clear()).await.unwrap();
    let id = keyed_client(&app, format!("{base}/jwks")).await;
    assert_with(&app, &key, &id).await.assert_oauth_error(401, "invalid_client");
    // A name that resolves to loopback is refused after resolution too.
    let port = base.rsplit(':').next().unwrap();
    let named = keyed_client(&app, format!("http://localhost:{port}/jwks")).await;
    assert_with(&app, &key, &named).await.assert_oauth_error(401, "invalid_client");
    assert_eq!(hits.load(Ordering::SeqCst), 0, "no request reached the internal server");

    // An operator who allows the range gets the fetch.
    let allowed =
        TestApp::spawn_with(Backend::Sqlite, |s| s.outbound_allow = vec!["127.0.0.1".into()]);
    let allowed = allowed.await.unwrap();
    let id = keyed_client(&allowed, format!("{base}/jwks")).await;
    assert_with(&allowed, &key, &id).await.assert_ok();
    assert_eq!(hits.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn outbound_ca_file_authorities_are_trusted_besides_the_systems() {
    let (key, _) = KeyPair::generate(SigningAlg::ES256).unwrap();
    let jwks = json!({ "keys": [key.public_jwk()] });
    let private_ca = TestCert::new("Private CA");
    let router = axum::Router::new().fallback(move || {
        let jwks = jwks.clone();
        async move { axum::Json(jwks) }
    });
    let base = private_ca.serve(router).await;
    // The system's roots do not know the private CA: the key set is not fetched.
    let untrusting = TestApp::spawn_with(Backend::Sqlite, |_| {}).await.unwrap();
    let id = keyed_client(&untrusting, format!("{base}/jwks")).await;
    assert_with(&untrusting, &key, &id).await.assert_oauth_error(401, "invalid_client");
    // `[outbound] ca_file` names it: the same fetch succeeds.
    let pem = private_ca.cert_pem.clone().into_bytes();
    let trusting = TestApp::spawn_with(Backend::Sqlite, |s| s.outbound_ca_pem = Some(pem));
    let trusting = trusting.await.unwrap();
    let id = keyed_client(&trusting, format!("{base}/jwks")).await;
    assert_with(&trusting, &key, &id).await.assert_ok();
}

#[tokio::test]
async fn ssrf_a_back_channel_logout_uri_on_an_internal_address_is_never_posted_to() {
    let (base, hits) = counting_server(json!({})).await;
    let app = TestApp::spawn_with(Backend::Sqlite, |s| s.outbound_allow.clear()).await.unwrap();
    let client = app.web_client(&["openid"]).await;
    let spec =
        ClientSpec { backchannel_logout_uri: Some(format!("{base}/bcl")), ..Default::default() };
    app.admin().update_client(&client.id, spec).await.unwrap();
    app.provider.sync().await.unwrap();
    app.user("ada").await;
    let browser = keygate_testkit::Browser::new();
    let flow = app.code_flow(&browser, &client, "ada", "openid").await;
    let tokens = app.exchange(&client, &flow.code, &flow.verifier).await.assert_ok();
    let hint = tokens["id_token"].as_str().unwrap();
    browser.get(&app.url(&format!("/logout?id_token_hint={hint}"))).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(hits.load(Ordering::SeqCst), 0, "no logout token was posted to loopback");
}
