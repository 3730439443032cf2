//! Dynamic client registration (RFC 7591); management (RFC 7592) is in `management`.

mod departure;
mod expiry;
mod management;

use keygate_core::Clock;
use keygate_core::jwt::sign_jwt;
use keygate_core::keys::{KeyPair, SigningAlg};
use keygate_core::registration::create_initial_access_token;
use keygate_core::settings::RegistrationSettings;
use keygate_core::store::AuditQuery;
use keygate_testkit::{Auth, Backend, Browser, REDIRECT_URI, Reply, T0, TestApp, TestClient};
use reqwest::Method;
use serde_json::{Value, json};

async fn app(open: bool) -> TestApp {
    TestApp::spawn_with(Backend::Sqlite, |s| {
        s.registration = RegistrationSettings { enabled: true, open, ..Default::default() };
    })
    .await
    .unwrap()
}

async fn initial_token(app: &TestApp, ttl: Option<i64>) -> String {
    let token = create_initial_access_token(&app.store, app.clock.now(), "test", ttl).await;
    token.unwrap().expose_secret().to_owned()
}

async fn call(
    app: &TestApp,
    method: Method,
    url: &str,
    token: Option<&str>,
    body: &Value,
) -> Reply {
    let mut req = app.http.request(method.clone(), url);
    if let Some(token) = token {
        req = req.bearer_auth(token);
    }
    if method == Method::POST || method == Method::PUT {
        req = req.json(body);
    }
    let resp = req.send().await.unwrap();
    let (status, headers) = (resp.status(), resp.headers().clone());
    Reply { status, headers, body: resp.text().await.unwrap() }
}

async fn register(app: &TestApp, token: Option<&str>, body: Value) -> Reply {
    call(app, Method::POST, &app.url("/register"), token, &body).await
}

/// Registers on an open endpoint; returns the client information.
async fn registered(app: &TestApp, body: Value) -> Value {
    let reply = register(app, None, body).await;
    assert_eq!(reply.status, 201, "{}", reply.body);
    reply.json()
}

/// The registered client of a registration response, with the test redirect URI.
fn client_of(info: &Value) -> TestClient {
    TestClient {
        id: info["client_id"].as_str().unwrap().to_owned(),
        secret: info["client_secret"].as_str().unwrap_or_default().to_owned(),
        redirect_uri: REDIRECT_URI.to_owned(),
    }
}

fn web_metadata() -> Value {
    json!({"redirect_uris": [REDIRECT_URI], "client_name": "Photo Printer", "scope": "openid profile offline_access",
        "grant_types": ["authorization_code", "refresh_token"], "logo_uri": "https://app.example/logo.png",
        "contacts": ["ops@app.example"], "software_id": "printer", "software_version": "2.1",
        "x_vendor_extension": true})
}

/// Clients that hold a registration access token, i.e. were registered dynamically.
async fn registered_count(app: &TestApp) -> usize {
    let clients = app.admin().clients().await.unwrap();
    clients.iter().filter(|c| c.registration_token_hash.is_some()).count()
}

async fn audit(app: &TestApp, action: &str) -> Vec<keygate_core::store::AuditEvent> {
    let query = AuditQuery { action: Some(action.into()), limit: 50, ..Default::default() };
    app.admin().audit(&query).await.unwrap().into_iter().filter(|e| e.action == action).collect()
}

#[tokio::test]
async fn rfc7591_3_1_registration_requires_initial_access_token() {
    let app = app(false).await;
    let missing = register(&app, None, web_metadata()).await;
    missing.assert_oauth_error(401, "invalid_token");
    assert_eq!(
        missing.header("www-authenticate"),
        Some("Bearer realm=\"keygate\""),
        "RFC 6750 §3.1"
    );
    let wrong = register(&app, Some("not-a-token"), web_metadata()).await;
    wrong.assert_oauth_error(401, "invalid_token");
    assert!(wrong.header("www-authenticate").unwrap().contains("error=\"invalid_token\""));
    let expiring = initial_token(&app, Some(60)).await;
    let token = initial_token(&app, None).await;
    assert_eq!(register(&app, Some(&token), web_metadata()).await.status, 201);
    assert_eq!(register(&app, Some(&token), web_metadata()).await.status, 201, "reusable");
    app.clock.advance(61);
    register(&app, Some(&expiring), web_metadata()).await.assert_oauth_error(401, "invalid_token");
    // Metadata is not even looked at without a token.
    register(&app, None, json!({"redirect_uris": ["nope"]}))
        .await
        .assert_oauth_error(401, "invalid_token");
}

#[tokio::test]
async fn rfc7591_3_open_registration_needs_no_token() {
    let app = app(true).await;
    assert_eq!(register(&app, None, web_metadata()).await.status, 201);
}

#[tokio::test]
async fn rfc7591_3_2_1_response_carries_client_id_secret_and_management_token() {
    let app = app(true).await;
    let reply = register(&app, None, web_metadata()).await;
    assert_eq!(reply.status, 201, "{}", reply.body);
    assert_eq!(reply.header("cache-control"), Some("no-store"));
    assert_eq!(reply.header("content-type"), Some("application/json"));
    let info = reply.json();
    let id = info["client_id"].as_str().unwrap();
    assert_eq!(info["client_id_issued_at"], T0);
    assert_eq!(info["client_secret_expires_at"], 0);
    assert_eq!(info["registration_client_uri"], app.url(&format!("/register/{id}")));
    assert_eq!(info["token_endpoint_auth_method"], "client_secret_basic", "RFC 7591 §2 default");
    assert_eq!(info["grant_types"], json!(["authorization_code", "refresh_token"]));
    assert_eq!(info["response_types"], json!(["code"]));
    assert_eq!(info["application_type"], "web");
    assert_eq!(info["client_name"], "Photo Printer");
    assert_eq!(info["redirect_uris"], json!([REDIRECT_URI]));
    assert_eq!(info["scope"], "openid profile offline_access");
    assert_eq!(info["logo_uri"], "https://app.example/logo.png");
    assert_eq!(info["contacts"], json!(["ops@app.example"]));
    assert!(info.get("x_vendor_extension").is_none(), "RFC 7591 §2: unknown metadata ignored");
    let secret = info["client_secret"].as_str().unwrap();
    let rat = info["registration_access_token"].as_str().unwrap();
    assert!(secret.len() >= 43 && rat.len() >= 43 && secret != rat);
    let stored = app.admin().client(id).await.unwrap();
    assert!(stored.secret_hash.unwrap().verify(secret));
    assert!(stored.registration_token_hash.unwrap().verify(rat), "stored only as a hash");
    assert!(!stored.first_party && stored.resources.is_empty());
    let events = audit(&app, "client.register").await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].actor, "registration");
    assert_eq!(events[0].ip.as_deref(), Some("127.0.0.1"));
    assert_eq!(events[0].target, format!("client:{id}"));
    assert!(!events[0].details.to_string().contains(secret));
}

#[tokio::test]
async fn rfc7591_2_public_clients_get_no_secret() {
    let app = app(true).await;
    let spa = registered(
        &app,
        json!({"redirect_uris": [REDIRECT_URI], "token_endpoint_auth_method": "none"}),
    )
    .await;
    assert!(spa.get("client_secret").is_none() && spa.get("client_secret_expires_at").is_none());
    assert_eq!(spa["application_type"], "web");
    let native = json!({"redirect_uris": ["com.example.app:/callback"], "application_type": "native",
        "token_endpoint_auth_method": "none"});
    let native = registered(&app, native).await;
    assert_eq!(native["application_type"], "native");
    let stored = app.admin().client(native["client_id"].as_str().unwrap()).await.unwrap();
    assert_eq!(stored.client_type, keygate_core::client::ClientType::Native);
}

#[tokio::test]
async fn rfc7591_3_2_2_invalid_redirect_uri_is_refused() {
    let app = app(true).await;
    for uris in
        [json!(["http://app.example/callback"]), json!(["https://app.example/*"]), json!([])]
    {
        let reply = register(&app, None, json!({"redirect_uris": uris})).await;
        reply.assert_oauth_error(400, "invalid_redirect_uri");
        assert!(reply.json()["error_description"].as_str().is_some_and(|d| !d.is_empty()));
    }
    assert_eq!(registered_count(&app).await, 0);
}

#[tokio::test]
async fn rfc7591_3_2_2_invalid_client_metadata_is_refused() {
    let app = app(true).await;
    let uris = json!([REDIRECT_URI]);
    for body in [
        json!({"redirect_uris": uris, "token_endpoint_auth_method": "private_key_jwt",
            "jwks_uri": "https://app.example/jwks", "jwks": {"keys": []}}),
        json!({"redirect_uris": uris, "token_endpoint_auth_method": "private_key_jwt"}),
        json!({"redirect_uris": uris, "response_types": ["code id_token"]}),
        json!({"grant_types": ["client_credentials"], "response_types": ["code"]}),
        json!({"redirect_uris": uris, "grant_types": ["password"]}),
        json!({"redirect_uris": uris, "scope": "openid admin:write"}),
        json!({"redirect_uris": uris, "logo_uri": "http://app.example/logo.png"}),
        json!({"redirect_uris": "https://app.example/callback"}),
        json!(["not", "an", "object"]),
    ] {
        register(&app, None, body).await.assert_oauth_error(400, "invalid_client_metadata");
    }
}

#[tokio::test]
async fn rfc7591_2_scopes_of_open_apis_may_be_registered_and_of_closed_ones_not() {
    use keygate_core::api::{ApiScope, ApiSpec};
    let app = app(true).await;
    let api = |id: &str, scope: &str, open: bool| ApiSpec {
        identifier: Some(id.into()),
        name: Some(id.into()),
        scopes: Some(vec![ApiScope::new(scope, "Use it")]),
        open: Some(open),
        ..Default::default()
    };
    app.admin().create_api(api("https://mcp.example/mcp", "todo:read", true)).await.unwrap();
    app.admin().create_api(api("https://vault.example/", "vault:read", false)).await.unwrap();
    app.provider.sync().await.unwrap();
    // MCP clients register the scope of the MCP server's challenge.
    let body = json!({"redirect_uris": [REDIRECT_URI], "scope": "todo:read offline_access"});
    assert_eq!(registered(&app, body).await["scope"], "todo:read offline_access");
    let closed = json!({"redirect_uris": [REDIRECT_URI], "scope": "vault:read"});
    let refused = register(&app, None, closed).await;
    refused.assert_oauth_error(400, "invalid_client_metadata");
    assert!(refused.body.contains("vault:read"), "{}", refused.body);
}

#[tokio::test]
async fn registration_is_off_by_default_and_not_advertised() {
    let off = TestApp::spawn().await;
    let doc = off.get("/.well-known/openid-configuration").await.assert_ok();
    assert!(doc.get("registration_endpoint").is_none());
    assert_eq!(register(&off, None, web_metadata()).await.status, 404);
    let on = app(false).await;
    let doc = on.get("/.well-known/oauth-authorization-server").await.assert_ok();
    assert_eq!(doc["registration_endpoint"], on.url("/register"), "RFC 8414 §2");
}

#[tokio::test]
async fn dynamically_registered_m2m_client_uses_client_credentials() {
    let app = app(true).await;
    let body = json!({"grant_types": ["client_credentials"], "token_endpoint_auth_method": "client_secret_post"});
    let info = registered(&app, body).await;
    assert_eq!(info["response_types"], json!([]), "RFC 7591 §2.1: no code without the code grant");
    let (id, secret) =
        (info["client_id"].as_str().unwrap(), info["client_secret"].as_str().unwrap());
    let reply = app
        .post_form("/token", Auth::Post(id, secret), &[("grant_type", "client_credentials")])
        .await;
    assert_eq!(reply.assert_ok()["token_type"], "Bearer");
}

#[tokio::test]
async fn dynamically_registered_web_client_completes_the_code_flow() {
    let app = app(false).await;
    let token = initial_token(&app, Some(3600)).await;
    let info = register(&app, Some(&token), web_metadata()).await.json();
    let client = client_of(&info);
    app.user("alice").await;
    let browser = Browser::new();
    let scope = "openid profile offline_access";
    let code = app.code_flow(&browser, &client, "alice", scope).await;
    let tokens = app.exchange(&client, &code.code, &code.verifier).await.assert_ok();
    assert!(tokens["id_token"].as_str().is_some());
    assert!(tokens["refresh_token"].as_str().is_some());
}

#[tokio::test]
async fn rfc7591_2_private_key_jwt_client_registers_jwks_and_signs_assertions() {
    let app = app(true).await;
    let (key, _) = KeyPair::generate(SigningAlg::ES256).unwrap();
    let body = json!({"grant_types": ["client_credentials"], "token_endpoint_auth_method": "private_key_jwt",
        "jwks": {"keys": [key.public_jwk()]}});
    let info = registered(&app, body).await;
    assert!(info.get("client_secret").is_none() && info.get("client_secret_expires_at").is_none());
    assert_eq!(info["jwks"]["keys"].as_array().map(Vec::len), Some(1));
    let id = info["client_id"].as_str().unwrap();
    let claims =
        json!({"iss": id, "sub": id, "aud": app.url("/token"), "exp": T0 + 60, "jti": "r-1"});
    let jwt = sign_jwt(&key, "JWT", &claims).unwrap();
    let form = [
        ("grant_type", "client_credentials"),
        ("client_assertion", jwt.as_str()),
        ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
    ];
    app.post_form("/token", Auth::None, &form).await.assert_ok();
}

#[tokio::test]
async fn rfc9700_4_11_2_an_openly_registered_client_is_marked_unverified_and_always_asks() {
    let open = app(true).await;
    let closed = app(false).await;
    let app = &open;
    let info = registered(app, web_metadata()).await;
    let client = client_of(&info);
    app.user("alice").await;
    let browser = Browser::new();
    app.code_flow(&browser, &client, "alice", "openid").await;
    // Consent was given once; an unverified client still asks, and says it is unverified.
    let (_, challenge) = keygate_testkit::pkce();
    let url = app.authorize_url(&client, "openid", &challenge, &[]);
    let next = keygate_testkit::location(&browser.get(&url).await);
    assert!(next.starts_with(&app.url("/consent")), "asked again: {next}");
    let page = browser.get(&next).await;
    assert!(page.body.contains("Unverified application"), "{}", page.body);
    assert!(page.body.contains("app.example"), "names where the user will be sent");
    // A client registered with an initial access token is not marked.
    let token = initial_token(&closed, None).await;
    let info = register(&closed, Some(&token), web_metadata()).await.json();
    let stored = closed.admin().client(info["client_id"].as_str().unwrap()).await.unwrap();
    assert!(!stored.metadata.unverified);
}

#[tokio::test]
async fn rfc9700_4_11_2_open_registration_refuses_names_that_imitate_keygate() {
    let app = app(true).await;
    for name in ["Keygate admin console", "KEY-GATE", "Admin"] {
        let mut body = web_metadata();
        body["client_name"] = json!(name);
        let reply = register(&app, None, body).await;
        assert_eq!(reply.status, 400, "{name}: {}", reply.body);
        assert_eq!(reply.json()["error"], "invalid_client_metadata");
    }
}

#[tokio::test]
async fn rfc9700_4_11_2_open_registration_is_limited_per_address() {
    let app = app(true).await;
    for _ in 0..keygate_core::registration::OPEN_REGISTRATIONS_PER_HOUR {
        assert_eq!(register(&app, None, web_metadata()).await.status, 201);
    }
    let reply = register(&app, None, web_metadata()).await;
    assert_eq!(reply.status, 429, "{}", reply.body);
    assert_eq!(reply.json()["error"], "temporarily_unavailable");
    // An initial access token is not limited.
    let token = initial_token(&app, None).await;
    assert_eq!(register(&app, Some(&token), web_metadata()).await.status, 201);
    app.clock.advance(3601);
    assert_eq!(register(&app, None, web_metadata()).await.status, 201, "a new hour");
}

#[tokio::test]
async fn rfc9126_6_and_rfc9101_10_5_clients_register_how_their_requests_must_arrive() {
    let app = app(true).await;
    let mut body = web_metadata();
    body["require_pushed_authorization_requests"] = json!(true);
    body["request_object_signing_alg"] = json!("none");
    let info = registered(&app, body).await;
    assert_eq!(info["require_pushed_authorization_requests"], true);
    assert_eq!(info["request_object_signing_alg"], "none");
    let stored = app.admin().client(info["client_id"].as_str().unwrap()).await.unwrap();
    assert!(stored.metadata.require_pushed_authorization_requests);
    // Signing needs keys to verify with: without jwks or jwks_uri, the metadata is refused.
    let mut body = web_metadata();
    body["require_signed_request_object"] = json!(true);
    let reply = register(&app, None, body).await;
    reply.assert_oauth_error(400, "invalid_client_metadata");
    assert!(reply.body.contains("jwks"), "{}", reply.body);
}
