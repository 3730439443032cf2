//! `private_key_jwt` client authentication (RFC 7523 §2.2 and §3, OIDC Core §9).

use keygate_core::client::{AuthMethod, ClientMetadata, ClientSpec, ClientType};
use keygate_core::jwt::sign_jwt;
use keygate_core::keys::{KeyPair, SigningAlg};
use keygate_testkit::{Auth, TestApp};
use serde_json::json;

const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

async fn keyed_client(app: &TestApp, key: &KeyPair) -> String {
    let spec = ClientSpec {
        name: Some("Keyed".into()),
        auth_method: Some(AuthMethod::PrivateKeyJwt),
        metadata: Some(ClientMetadata {
            jwks: Some(json!({ "keys": [key.public_jwk()] })),
            ..Default::default()
        }),
        ..Default::default()
    };
    let new = keygate_core::admin::NewClient {
        client_type: ClientType::M2m,
        client_id: None,
        secret: None,
        spec,
    };
    let (client, secret) = app.admin().create_client(new).await.unwrap();
    assert!(secret.is_none(), "a private_key_jwt client gets no secret");
    client.client_id
}

fn assertion(key: &KeyPair, client_id: &str, aud: &str, exp: i64, jti: &str) -> String {
    let claims = json!({ "iss": client_id, "sub": client_id, "aud": aud, "exp": exp, "iat": exp - 60, "jti": jti });
    sign_jwt(key, "JWT", &claims).unwrap()
}

#[tokio::test]
async fn rfc7523_3_signed_assertion_authenticates_the_client_once() {
    let app = TestApp::spawn().await;
    let (key, _) = KeyPair::generate(SigningAlg::ES256).unwrap();
    let id = keyed_client(&app, &key).await;
    let now = keygate_core::Clock::now(app.clock.as_ref());
    let jwt = assertion(&key, &id, &app.url("/token"), now + 60, "a-1");
    let form = [
        ("grant_type", "client_credentials"),
        ("client_assertion_type", JWT_BEARER),
        ("client_assertion", &jwt),
    ];
    app.post_form("/token", Auth::None, &form).await.assert_ok();
    // RFC 7523 §3 item 7: a jti used once is refused afterwards.
    app.post_form("/token", Auth::None, &form).await.assert_oauth_error(401, "invalid_client");
    // The issuer is an accepted audience too.
    let jwt = assertion(&key, &id, &app.issuer, now + 60, "a-2");
    let form = [
        ("grant_type", "client_credentials"),
        ("client_assertion_type", JWT_BEARER),
        ("client_assertion", &jwt),
    ];
    app.post_form("/token", Auth::None, &form).await.assert_ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rfc7523_3_7_a_replayed_assertion_is_accepted_once_under_concurrency() {
    for backend in [keygate_testkit::Backend::Sqlite, keygate_testkit::Backend::Postgres] {
        let Some(app) = TestApp::spawn_on(backend).await else { continue };
        let (key, _) = KeyPair::generate(SigningAlg::ES256).unwrap();
        let id = keyed_client(&app, &key).await;
        let now = keygate_core::Clock::now(app.clock.as_ref());
        let jwt = assertion(&key, &id, &app.url("/token"), now + 60, "race");
        let mut racers = tokio::task::JoinSet::new();
        for _ in 0..40 {
            let (http, url, jwt) = (app.http.clone(), app.url("/token"), jwt.clone());
            racers.spawn(async move {
                let form = [
                    ("grant_type", "client_credentials"),
                    ("client_assertion_type", JWT_BEARER),
                    ("client_assertion", jwt.as_str()),
                ];
                http.post(url).form(&form).send().await.unwrap().status().as_u16()
            });
        }
        let statuses = racers.join_all().await;
        assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 1, "{backend:?}: {statuses:?}");
        assert!(statuses.iter().all(|s| *s == 200 || *s == 401), "{statuses:?}");
    }
}

#[tokio::test]
async fn rfc7523_3_wrong_key_audience_or_expiry_is_invalid_client() {
    let app = TestApp::spawn().await;
    let (key, _) = KeyPair::generate(SigningAlg::ES256).unwrap();
    let (other, _) = KeyPair::generate(SigningAlg::ES256).unwrap();
    let id = keyed_client(&app, &key).await;
    let now = keygate_core::Clock::now(app.clock.as_ref());
    for (jwt, why) in [
        (assertion(&other, &id, &app.url("/token"), now + 60, "b-1"), "another key"),
        (
            assertion(&key, &id, "https://elsewhere.example/token", now + 60, "b-2"),
            "another audience",
        ),
        (assertion(&key, &id, &app.url("/token"), now - 1, "b-3"), "expired"),
        (assertion(&key, &id, &app.url("/token"), now + 7200, "b-4"), "valid too long"),
    ] {
        let form = [
            ("grant_type", "client_credentials"),
            ("client_assertion_type", JWT_BEARER),
            ("client_assertion", jwt.as_str()),
        ];
        app.post_form("/token", Auth::None, &form).await.assert_oauth_error(401, "invalid_client");
        let _ = why;
    }
    // A secret-based method for this client is refused: the registered method must be used.
    app.post_form("/token", Auth::Basic(&id, "guess"), &[("grant_type", "client_credentials")])
        .await
        .assert_oauth_error(401, "invalid_client");
}

#[tokio::test]
async fn rfc6749_2_3_assertion_with_a_secret_is_two_methods() {
    let app = TestApp::spawn().await;
    let (key, _) = KeyPair::generate(SigningAlg::ES256).unwrap();
    let id = keyed_client(&app, &key).await;
    let jwt = assertion(
        &key,
        &id,
        &app.url("/token"),
        keygate_core::Clock::now(app.clock.as_ref()) + 60,
        "c-1",
    );
    let form = [
        ("grant_type", "client_credentials"),
        ("client_assertion_type", JWT_BEARER),
        ("client_assertion", jwt.as_str()),
    ];
    app.post_form("/token", Auth::Basic(&id, "x"), &form)
        .await
        .assert_oauth_error(400, "invalid_request");
}

/// Serves whatever JWK Set is in `keys` at `http://127.0.0.1:PORT/jwks`.
async fn jwks_server(keys: std::sync::Arc<std::sync::Mutex<serde_json::Value>>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let uri = format!("http://{}/jwks", listener.local_addr().unwrap());
    let app = axum::Router::new().route(
        "/jwks",
        axum::routing::get(move || {
            let keys = keys.clone();
            async move { axum::Json(keys.lock().unwrap().clone()) }
        }),
    );
    tokio::spawn(async move { axum::serve(listener, app).await });
    uri
}

#[tokio::test]
async fn rfc7591_2_keys_come_from_jwks_uri_and_may_rotate_there() {
    let app = TestApp::spawn().await;
    let (first, _) = KeyPair::generate(SigningAlg::ES256).unwrap();
    let (second, _) = KeyPair::generate(SigningAlg::RS256).unwrap();
    let published =
        std::sync::Arc::new(std::sync::Mutex::new(json!({ "keys": [first.public_jwk()] })));
    let uri = jwks_server(published.clone()).await;
    let spec = ClientSpec {
        name: Some("Remote keys".into()),
        auth_method: Some(AuthMethod::PrivateKeyJwt),
        metadata: Some(ClientMetadata { jwks_uri: Some(uri), ..Default::default() }),
        ..Default::default()
    };
    let new = keygate_core::admin::NewClient {
        client_type: ClientType::M2m,
        client_id: None,
        secret: None,
        spec,
    };
    let id = app.admin().create_client(new).await.unwrap().0.client_id;
    let now = keygate_core::Clock::now(app.clock.as_ref());
    let app = &app;
    let token = |jwt: String| async move {
        let form = [
            ("grant_type", "client_credentials"),
            ("client_assertion_type", JWT_BEARER),
            ("client_assertion", jwt.as_str()),
        ];
        app.post_form("/token", Auth::None, &form).await
    };
    token(assertion(&first, &id, &app.url("/token"), now + 60, "r-1")).await.assert_ok();
    // The client rotates: a new kid is fetched (once the minimum interval has passed).
    *published.lock().unwrap() = json!({ "keys": [second.public_jwk()] });
    app.clock.advance(11);
    let now = now + 11;
    token(assertion(&second, &id, &app.url("/token"), now + 60, "r-2")).await.assert_ok();
    token(assertion(&first, &id, &app.url("/token"), now + 60, "r-3"))
        .await
        .assert_oauth_error(401, "invalid_client");
}
