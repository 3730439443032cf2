//! JWT-secured authorization requests (RFC 9101, OIDC Core §6.1).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use keygate_core::Clock as _;
use keygate_core::client::{ClientMetadata, ClientSpec};
use keygate_core::jwt::sign_jwt;
use keygate_core::keys::{KeyPair, SigningAlg};
use keygate_testkit::{Auth, Backend, Browser, TestApp, TestClient, location, pkce, query_param};
use serde_json::{Value, json};

const TYP: &str = "oauth-authz-req+jwt";

/// A web client that registered `key`'s public half, with `adjust` applied to its metadata.
async fn keyed_client(
    app: &TestApp,
    key: &KeyPair,
    adjust: impl FnOnce(&mut ClientMetadata),
) -> TestClient {
    let client = app.web_client(&["openid", "email"]).await;
    let mut metadata =
        ClientMetadata { jwks: Some(json!({ "keys": [key.public_jwk()] })), ..Default::default() };
    adjust(&mut metadata);
    let spec = ClientSpec { metadata: Some(metadata), ..Default::default() };
    app.admin().update_client(&client.id, spec).await.unwrap();
    client
}

/// The claims of a request object for `client`: the envelope plus a code request.
fn claims(app: &TestApp, client: &TestClient, challenge: &str) -> Value {
    let now = app.clock.now();
    json!({
        "iss": client.id, "aud": app.issuer, "exp": now + 300, "nbf": now - 5,
        "jti": keygate_core::secret::random_id(),
        "client_id": client.id, "response_type": "code", "redirect_uri": client.redirect_uri,
        "scope": "openid email", "state": "from-object", "nonce": "n-1",
        "code_challenge": challenge, "code_challenge_method": "S256",
    })
}

fn authorize_with_object(app: &TestApp, client: &TestClient, object: &str) -> String {
    let mut url = url::Url::parse(&app.url("/authorize")).unwrap();
    url.query_pairs_mut()
        .append_pair("client_id", &client.id)
        .append_pair("request", object)
        // Outside the object: ignored (RFC 9101 §6.3).
        .append_pair("scope", "openid")
        .append_pair("state", "outside");
    url.to_string()
}

async fn signed_request(backend: Backend) {
    let Some(app) = TestApp::spawn_on(backend).await else { return };
    let (key, _) = KeyPair::generate(SigningAlg::ES256).unwrap();
    let client = keyed_client(&app, &key, |_| {}).await;
    app.user("ada").await;
    let (verifier, challenge) = pkce();
    let object = sign_jwt(&key, TYP, &claims(&app, &client, &challenge)).unwrap();
    let browser = Browser::new();
    let url = authorize_with_object(&app, &client, &object);
    let callback = app.walk_to_callback(&browser, &client, "ada", &url).await;
    assert_eq!(query_param(&callback, "state").as_deref(), Some("from-object"));
    let code = query_param(&callback, "code").unwrap();
    let tokens = app.exchange(&client, &code, &verifier).await.assert_ok();
    assert_eq!(tokens["scope"], "openid email", "the object's scope, not the outside one");
    // The jti is used once.
    let again = browser.get(&url).await;
    assert_eq!(again.status, 400);
    assert!(again.body.contains("invalid_request_object"), "{}", again.body);
}

#[tokio::test]
async fn rfc9101_6_3_a_signed_request_objects_members_are_the_request_sqlite() {
    signed_request(Backend::Sqlite).await;
}

#[tokio::test]
async fn rfc9101_6_3_a_signed_request_objects_members_are_the_request_postgres() {
    signed_request(Backend::Postgres).await;
}

/// A JWT with `header` and `claims` and a made-up signature.
fn forged(header: Value, claims: &Value) -> String {
    let part = |v: &Value| URL_SAFE_NO_PAD.encode(serde_json::to_vec(v).unwrap());
    format!("{}.{}.{}", part(&header), part(claims), URL_SAFE_NO_PAD.encode(b"signature"))
}

#[tokio::test]
async fn rfc9101_6_2_objects_that_fail_verification_are_refused_before_any_redirect() {
    let app = TestApp::spawn().await;
    let (key, _) = KeyPair::generate(SigningAlg::ES256).unwrap();
    let (stranger, _) = KeyPair::generate(SigningAlg::ES256).unwrap();
    let client = keyed_client(&app, &key, |_| {}).await;
    let (_, challenge) = pkce();
    let good = claims(&app, &client, &challenge);
    let with = |name: &str, value: Value| {
        let mut c = good.clone();
        c[name] = value;
        c
    };
    let without = |name: &str| {
        let mut c = good.clone();
        c.as_object_mut().unwrap().remove(name);
        c
    };
    let now = app.clock.now();
    let sign = |c: &Value| sign_jwt(&key, TYP, c).unwrap();
    let cases = [
        ("another key", sign_jwt(&stranger, TYP, &good).unwrap()),
        ("another audience", sign(&with("aud", json!("https://elsewhere.example")))),
        ("another issuer", sign(&with("iss", json!("someone-else")))),
        ("expired", sign(&with("exp", json!(now - 1)))),
        ("exp too far", sign(&with("exp", json!(now + 7200)))),
        ("no exp", sign(&without("exp"))),
        ("nbf in the future", sign(&with("nbf", json!(now + 600)))),
        ("another client_id", sign(&with("client_id", json!("other")))),
        ("nested request", sign(&with("request", json!("x")))),
        ("wrong typ", sign_jwt(&key, "JWT+other", &good).unwrap()),
        (
            "alg none",
            format!("{}.", forged(json!({"alg": "none"}), &good).rsplit_once('.').unwrap().0),
        ),
        ("HS256", forged(json!({"alg": "HS256", "typ": TYP}), &good)),
        ("encrypted", "a.b.c.d.e".to_owned()),
        ("not a JWT", "hello".to_owned()),
    ];
    let browser = Browser::new();
    for (case, object) in cases {
        let reply = browser.get(&authorize_with_object(&app, &client, &object)).await;
        assert_eq!(reply.status, 400, "{case}: {}", reply.body);
        assert!(reply.header("location").is_none(), "{case}: never to an unverified redirect URI");
        assert!(reply.body.contains("invalid_request_object"), "{case}: {}", reply.body);
    }
}

#[tokio::test]
async fn rfc9101_10_5_a_client_can_be_required_to_sign_its_requests() {
    let app = TestApp::spawn().await;
    let (key, _) = KeyPair::generate(SigningAlg::EdDSA).unwrap();
    let client = keyed_client(&app, &key, |m| m.require_signed_request_object = true).await;
    app.user("ada").await;
    let (_, challenge) = pkce();
    let browser = Browser::new();
    let plain = browser.get(&app.authorize_url(&client, "openid", &challenge, &[])).await;
    let callback = location(&plain);
    assert_eq!(query_param(&callback, "error").as_deref(), Some("invalid_request"));
    assert!(query_param(&callback, "error_description").unwrap().contains("RFC 9101"));
    let object = sign_jwt(&key, TYP, &claims(&app, &client, &challenge)).unwrap();
    let url = authorize_with_object(&app, &client, &object);
    let callback = app.walk_to_callback(&browser, &client, "ada", &url).await;
    assert!(query_param(&callback, "code").is_some());
}

#[tokio::test]
async fn rfc9126_3_a_signed_request_object_can_be_pushed() {
    let app = TestApp::spawn().await;
    let (key, _) = KeyPair::generate(SigningAlg::RS256).unwrap();
    let client = keyed_client(&app, &key, |m| m.require_signed_request_object = true).await;
    app.user("ada").await;
    let (verifier, challenge) = pkce();
    let object = sign_jwt(&key, TYP, &claims(&app, &client, &challenge)).unwrap();
    let auth = Auth::Basic(&client.id, &client.secret);
    let form = [("client_id", client.id.as_str()), ("request", object.as_str())];
    let pushed = app.post_form("/par", auth, &form).await;
    assert_eq!(pushed.status, 201, "{}", pushed.body);
    let request_uri = pushed.json()["request_uri"].as_str().unwrap().to_owned();
    let mut url = url::Url::parse(&app.url("/authorize")).unwrap();
    url.query_pairs_mut()
        .append_pair("client_id", &client.id)
        .append_pair("request_uri", &request_uri);
    let callback = app.walk_to_callback(&Browser::new(), &client, "ada", url.as_str()).await;
    assert_eq!(query_param(&callback, "state").as_deref(), Some("from-object"));
    let code = query_param(&callback, "code").unwrap();
    app.exchange(&client, &code, &verifier).await.assert_ok();
    // A pushed object that fails verification is a JSON error (RFC 9126 §2.3).
    let (stranger, _) = KeyPair::generate(SigningAlg::RS256).unwrap();
    let bad = sign_jwt(&stranger, TYP, &claims(&app, &client, &challenge)).unwrap();
    let form = [("client_id", client.id.as_str()), ("request", bad.as_str())];
    app.post_form("/par", auth, &form).await.assert_oauth_error(400, "invalid_request_object");
    // A plain pushed request from a client that must sign is refused too.
    let form = [
        ("response_type", "code"),
        ("redirect_uri", client.redirect_uri.as_str()),
        ("scope", "openid"),
        ("code_challenge", challenge.as_str()),
        ("code_challenge_method", "S256"),
    ];
    app.post_form("/par", auth, &form).await.assert_oauth_error(400, "invalid_request");
}

#[tokio::test]
async fn oidc_registration_2_request_object_signing_alg_none_accepts_unsigned_objects_only() {
    let app = TestApp::spawn().await;
    let (key, _) = KeyPair::generate(SigningAlg::ES256).unwrap();
    let client =
        keyed_client(&app, &key, |m| m.request_object_signing_alg = Some("none".into())).await;
    app.user("ada").await;
    let (_, challenge) = pkce();
    let body = claims(&app, &client, &challenge);
    let unsigned =
        format!("{}.", forged(json!({"alg": "none"}), &body).rsplit_once('.').unwrap().0);
    let browser = Browser::new();
    let url = authorize_with_object(&app, &client, &unsigned);
    let callback = app.walk_to_callback(&browser, &client, "ada", &url).await;
    assert!(query_param(&callback, "code").is_some());
    let signed = sign_jwt(&key, TYP, &claims(&app, &client, &challenge)).unwrap();
    let reply = browser.get(&authorize_with_object(&app, &client, &signed)).await;
    assert!(reply.body.contains("invalid_request_object"), "only none is registered");
}

#[tokio::test]
async fn rfc9101_10_5_signing_needs_keys_and_discovery_lists_the_algorithms() {
    let app = TestApp::spawn().await;
    let client = app.web_client(&["openid"]).await;
    let metadata = ClientMetadata { require_signed_request_object: true, ..Default::default() };
    let spec = ClientSpec { metadata: Some(metadata), ..Default::default() };
    let refused = app.admin().update_client(&client.id, spec).await.unwrap_err();
    assert!(refused.to_string().contains("jwks"), "{refused}");
    let metadata =
        ClientMetadata { request_object_signing_alg: Some("HS256".into()), ..Default::default() };
    let spec = ClientSpec { metadata: Some(metadata), ..Default::default() };
    let refused = app.admin().update_client(&client.id, spec).await.unwrap_err();
    assert!(refused.to_string().contains("HS256"), "{refused}");
    let discovery = app.get("/.well-known/openid-configuration").await.json();
    assert_eq!(discovery["request_parameter_supported"], true);
    assert_eq!(
        discovery["request_object_signing_alg_values_supported"],
        json!(["RS256", "PS256", "ES256", "EdDSA"])
    );
    assert_eq!(discovery["require_signed_request_object"], false);
}

/// A loopback server that answers `GET /objects/1` with whatever `object` holds, counting the
/// requests; anything else is 404.
async fn object_server() -> (String, std::sync::Arc<std::sync::Mutex<String>>, Arc<AtomicUsize>) {
    let object = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let hits = Arc::new(AtomicUsize::new(0));
    let (served, counter) = (object.clone(), hits.clone());
    let route = axum::routing::get(move || {
        counter.fetch_add(1, Ordering::SeqCst);
        let body = served.lock().unwrap().clone();
        async move { ([("content-type", "application/oauth-authz-req+jwt")], body) }
    });
    let router = axum::Router::new().route("/objects/1", route);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await });
    (base, object, hits)
}

#[tokio::test]
async fn rfc9101_5_2_a_request_uri_on_an_allow_listed_origin_is_fetched_and_verified() {
    let (base, object, hits) = object_server().await;
    let origin = base.clone();
    let adjust =
        move |s: &mut keygate_core::Settings| s.requests.request_uri_origins = vec![origin];
    let app = TestApp::spawn_with(Backend::Sqlite, adjust).await.unwrap();
    let doc = app.get("/.well-known/openid-configuration").await.assert_ok();
    assert_eq!(doc["request_uri_parameter_supported"], true, "an origin is allow-listed");
    let (key, _) = KeyPair::generate(SigningAlg::ES256).unwrap();
    let client = keyed_client(&app, &key, |_| {}).await;
    app.user("ada").await;
    let (verifier, challenge) = pkce();
    *object.lock().unwrap() = sign_jwt(&key, TYP, &claims(&app, &client, &challenge)).unwrap();
    let by_reference = |uri: &str| {
        let mut url = url::Url::parse(&app.url("/authorize")).unwrap();
        url.query_pairs_mut()
            .append_pair("client_id", &client.id)
            .append_pair("request_uri", uri)
            .append_pair("scope", "openid")
            .append_pair("response_type", "code");
        url.to_string()
    };

    // §5.2.3: fetched, verified like an object by value, its members the request.
    let browser = Browser::new();
    let url = by_reference(&format!("{base}/objects/1"));
    let callback = app.walk_to_callback(&browser, &client, "ada", &url).await;
    assert_eq!(query_param(&callback, "state").as_deref(), Some("from-object"));
    let code = query_param(&callback, "code").unwrap();
    let tokens = app.exchange(&client, &code, &verifier).await.assert_ok();
    assert_eq!(tokens["scope"], "openid email");
    assert_eq!(hits.load(Ordering::SeqCst), 1);

    // Nothing there: invalid_request_uri, on Keygate's page (no redirect URI is trusted).
    let missing = browser.get(&by_reference(&format!("{base}/objects/2"))).await;
    assert_eq!(missing.status, 400);
    assert!(missing.body.contains("invalid_request_uri"), "{}", missing.body);
    // Another origin: not fetched; request_uri_not_supported to the client.
    let mut url = url::Url::parse(&app.authorize_url(&client, "openid", &challenge, &[])).unwrap();
    url.query_pairs_mut().append_pair("request_uri", "https://elsewhere.example/objects/1");
    let refused = location(&browser.get(url.as_str()).await);
    assert_eq!(query_param(&refused, "error").as_deref(), Some("request_uri_not_supported"));
    // §5: request and request_uri together are refused.
    let mut both = url::Url::parse(&by_reference(&format!("{base}/objects/1"))).unwrap();
    both.query_pairs_mut().append_pair("request", "x.y.z");
    let reply = browser.get(both.as_str()).await;
    assert_eq!(reply.status, 400);
    assert!(reply.body.contains("invalid_request"), "{}", reply.body);
    assert_eq!(hits.load(Ordering::SeqCst), 1, "fetched once, never cached nor refetched");
}
