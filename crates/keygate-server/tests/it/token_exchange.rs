//! OAuth 2.0 Token Exchange (RFC 8693): impersonation and delegation with nested `act`,
//! narrowing only, the per-client policy, subject tokens of Keygate and of trusted issuers,
//! and the audit log.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use keygate_core::Clock as _;
use keygate_core::client::{ClientSpec, GrantType};
use keygate_core::jwt::sign_jwt;
use keygate_core::keys::{KeyPair, SigningAlg};
use keygate_core::store::AuditQuery;
use keygate_testkit::{Auth, Backend, Browser, TestApp};
use serde_json::{Value, json};

const TE: &str = "urn:ietf:params:oauth:grant-type:token-exchange";
const AT: &str = "urn:ietf:params:oauth:token-type:access_token";
const IDT: &str = "urn:ietf:params:oauth:token-type:id_token";
const JWT: &str = "urn:ietf:params:oauth:token-type:jwt";
const TODO_API: &str = "https://api.example/";
const BACKEND_API: &str = "https://backend.example/";

fn claims(jwt: &str) -> Value {
    let part = jwt.split('.').nth(1).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).unwrap()).unwrap()
}

/// A Keygate with `ada`, her access and ID tokens for the to-do API (`openid todo:read`), and
/// a service allowed to exchange tokens for the to-do and backend APIs.
struct World {
    app: TestApp,
    web: keygate_testkit::TestClient,
    user_token: String,
    id_token: String,
    service: (String, String),
}

/// A machine-to-machine client allowed client credentials and token exchange.
async fn exchanging_service(app: &TestApp) -> (String, String) {
    let service = app.m2m_client(&["todo:read", "backend:read"], &[TODO_API, BACKEND_API]).await;
    let grants = vec![GrantType::ClientCredentials, GrantType::TokenExchange];
    let spec = ClientSpec { grant_types: Some(grants), ..Default::default() };
    app.admin().update_client(&service.0, spec).await.unwrap();
    app.provider.sync().await.unwrap();
    service
}

async fn world(app: TestApp) -> World {
    app.register_access(&["backend:read"], &[BACKEND_API]).await;
    let web = app.web_client(&["openid", "todo:read", "todo:write"]).await;
    app.user("ada").await;
    let browser = Browser::new();
    let flow = app.code_flow(&browser, &web, "ada", "openid todo:read").await;
    let tokens = app.exchange(&web, &flow.code, &flow.verifier).await.assert_ok();
    let service = exchanging_service(&app).await;
    World {
        user_token: tokens["access_token"].as_str().unwrap().to_owned(),
        id_token: tokens["id_token"].as_str().unwrap().to_owned(),
        app,
        web,
        service,
    }
}

async fn exchange(
    app: &TestApp,
    client: &(String, String),
    form: &[(&str, &str)],
) -> keygate_testkit::Reply {
    let mut pairs = vec![("grant_type", TE)];
    pairs.extend_from_slice(form);
    app.post_form("/token", Auth::Basic(&client.0, &client.1), &pairs).await
}

/// The client's own client credentials token, to present as `actor_token`.
async fn own_token(app: &TestApp, client: &(String, String)) -> String {
    let form = [("grant_type", "client_credentials"), ("resource", TODO_API)];
    let reply = app.post_form("/token", Auth::Basic(&client.0, &client.1), &form).await;
    reply.assert_ok()["access_token"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn rfc8693_2_impersonation_gives_the_service_a_token_for_the_user_and_narrows_only() {
    let w = world(TestApp::spawn().await).await;
    let ada = claims(&w.user_token)["sub"].as_str().unwrap().to_owned();
    let form = [
        ("subject_token", w.user_token.as_str()),
        ("subject_token_type", AT),
        ("resource", TODO_API),
        ("scope", "todo:read"),
    ];
    let body = exchange(&w.app, &w.service, &form).await.assert_ok();
    // §2.2.1: issued_token_type, token_type, expires_in, scope.
    assert_eq!(body["issued_token_type"], AT);
    assert_eq!(body["token_type"], "Bearer");
    assert!(body["expires_in"].as_u64().is_some_and(|s| s > 0));
    assert!(body.get("refresh_token").is_none());
    let token = claims(body["access_token"].as_str().unwrap());
    assert_eq!(token["sub"], ada.as_str(), "the user, not the service");
    assert_eq!(token["client_id"], w.service.0.as_str());
    assert_eq!(token["aud"], TODO_API);
    assert_eq!(token["scope"], "todo:read");
    assert!(token.get("act").is_none(), "impersonation: no actor");

    // Only narrowing: a scope the subject token does not carry, or an API outside the
    // service's policy, is refused.
    let widened = [
        ("subject_token", w.user_token.as_str()),
        ("subject_token_type", AT),
        ("scope", "todo:write"),
    ];
    exchange(&w.app, &w.service, &widened).await.assert_oauth_error(400, "invalid_scope");
    let elsewhere = [
        ("subject_token", w.user_token.as_str()),
        ("subject_token_type", AT),
        ("audience", "https://payroll.example/"),
    ];
    exchange(&w.app, &w.service, &elsewhere).await.assert_oauth_error(400, "invalid_target");
    // Another API of the policy: the scope is what both the subject and the policy allow.
    let backend = [
        ("subject_token", w.user_token.as_str()),
        ("subject_token_type", AT),
        ("audience", BACKEND_API),
    ];
    let body = exchange(&w.app, &w.service, &backend).await.assert_ok();
    let token = claims(body["access_token"].as_str().unwrap());
    assert_eq!(token["aud"], BACKEND_API);
    assert_eq!(token["scope"], "todo:read", "backend:read was never the user's to give");

    // An ID token names the user too (§3); requested_token_type jwt is echoed (§2.2.1).
    let form = [
        ("subject_token", w.id_token.as_str()),
        ("subject_token_type", IDT),
        ("requested_token_type", JWT),
    ];
    let body = exchange(&w.app, &w.service, &form).await.assert_ok();
    assert_eq!(body["issued_token_type"], JWT);
    assert_eq!(claims(body["access_token"].as_str().unwrap())["sub"], ada.as_str());
}

#[tokio::test]
async fn rfc8693_4_1_delegation_names_each_actor_with_earlier_ones_nested() {
    let w = world(TestApp::spawn().await).await;
    let actor = own_token(&w.app, &w.service).await;
    let form = [
        ("subject_token", w.user_token.as_str()),
        ("subject_token_type", AT),
        ("actor_token", actor.as_str()),
        ("actor_token_type", AT),
        ("resource", TODO_API),
    ];
    let body = exchange(&w.app, &w.service, &form).await.assert_ok();
    let delegated = body["access_token"].as_str().unwrap().to_owned();
    let first = claims(&delegated);
    assert_eq!(first["sub"], claims(&w.user_token)["sub"]);
    assert_eq!(first["act"], json!({ "sub": w.service.0, "client_id": w.service.0 }));

    // A second service, further down the chain, exchanges the delegated token as itself.
    let second = exchanging_service(&w.app).await;
    let actor = own_token(&w.app, &second).await;
    let form = [
        ("subject_token", delegated.as_str()),
        ("subject_token_type", AT),
        ("actor_token", actor.as_str()),
        ("actor_token_type", AT),
    ];
    let body = exchange(&w.app, &second, &form).await.assert_ok();
    let nested = claims(body["access_token"].as_str().unwrap());
    assert_eq!(
        nested["act"],
        json!({ "sub": second.0, "client_id": second.0,
                "act": { "sub": w.service.0, "client_id": w.service.0 } }),
        "the least recent actor is the most deeply nested"
    );
    // Every exchange is in the audit log, who for whom.
    let query =
        AuditQuery { action: Some("token.exchange".into()), limit: 50, ..Default::default() };
    let events = w.app.admin().audit(&query).await.unwrap();
    assert_eq!(events.len(), 2, "{events:?}");
    assert!(events.iter().all(|e| e.action == "token.exchange.delegation"));
    assert_eq!(events[0].actor, format!("client:{}", second.0));
    assert_eq!(events[0].details["actor"], second.0.as_str());
}

#[tokio::test]
async fn rfc8693_2_2_2_policy_and_malformed_requests_are_refused() {
    let w = world(TestApp::spawn().await).await;
    let app = &w.app;
    let subject = [("subject_token", w.user_token.as_str()), ("subject_token_type", AT)];
    // A client the operator did not allow the grant.
    let plain = app.m2m_client(&["todo:read"], &[TODO_API]).await;
    exchange(app, &plain, &subject).await.assert_oauth_error(400, "unauthorized_client");
    // §2.1: the type goes with its token, and only with it.
    let cases: [&[(&str, &str)]; 6] = [
        &[("subject_token", w.user_token.as_str())],
        &[("subject_token_type", AT)],
        &[("subject_token", "not-a-token"), ("subject_token_type", AT)],
        &[("subject_token", w.user_token.as_str()), ("subject_token_type", "urn:x:saml")],
        &[
            ("subject_token", w.user_token.as_str()),
            ("subject_token_type", AT),
            ("actor_token", w.user_token.as_str()),
        ],
        &[
            ("subject_token", w.user_token.as_str()),
            ("subject_token_type", AT),
            ("requested_token_type", "urn:ietf:params:oauth:token-type:refresh_token"),
        ],
    ];
    for form in cases {
        exchange(app, &w.service, form).await.assert_oauth_error(400, "invalid_request");
    }
    // A revoked subject token is no longer exchanged (RFC 7009 by the client it was issued to).
    let web = Auth::Basic(&w.web.id, &w.web.secret);
    let revoked = app.post_form("/revoke", web, &[("token", w.user_token.as_str())]).await;
    assert_eq!(revoked.status, 200);
    exchange(app, &w.service, &subject).await.assert_oauth_error(400, "invalid_request");
    // Public clients cannot be allowed the grant at all.
    let native = app
        .user_client(
            keygate_core::client::ClientType::Native,
            keygate_core::client::AuthMethod::None,
            &["openid"],
            false,
        )
        .await;
    let spec =
        ClientSpec { grant_types: Some(vec![GrantType::TokenExchange]), ..Default::default() };
    let refused = app.admin().update_client(&native.id, spec).await;
    assert!(format!("{refused:?}").contains("token-exchange"), "{refused:?}");
}

#[tokio::test]
async fn rfc8693_3_jwts_of_a_trusted_issuer_are_exchanged_and_of_others_not() {
    let (key, _) = KeyPair::generate(SigningAlg::ES256).unwrap();
    let jwks = json!({ "keys": [key.public_jwk()] });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let jwks_uri = format!("http://{}/jwks", listener.local_addr().unwrap());
    let router = axum::Router::new()
        .route("/jwks", axum::routing::get(move || async move { axum::Json(jwks) }));
    tokio::spawn(async move { axum::serve(listener, router).await });
    let trusted = keygate_core::settings::TrustedIssuer {
        issuer: "https://partner-idp.example".into(),
        jwks_uri,
    };
    let adjust = move |s: &mut keygate_core::Settings| s.token_exchange_issuers = vec![trusted];
    let app = TestApp::spawn_with(Backend::Sqlite, adjust).await.unwrap();
    let service = exchanging_service(&app).await;
    let now = app.clock.now();
    let jwt = |iss: &str, aud: &str, signer: &KeyPair| {
        let claims = json!({ "iss": iss, "aud": aud, "sub": "partner-user-7", "exp": now + 300,
            "iat": now, "scope": "todo:read" });
        sign_jwt(signer, "JWT", &claims).unwrap()
    };
    let good = jwt("https://partner-idp.example", &app.issuer, &key);
    let body = exchange(&app, &service, &[("subject_token", &good), ("subject_token_type", JWT)])
        .await
        .assert_ok();
    let token = claims(body["access_token"].as_str().unwrap());
    assert_eq!(token["sub"], "partner-user-7");
    assert_eq!(token["scope"], "todo:read");
    // Not for Keygate, from an issuer nobody trusts, or signed by another key: refused.
    let (stranger, _) = KeyPair::generate(SigningAlg::ES256).unwrap();
    for bad in [
        jwt("https://partner-idp.example", "https://elsewhere.example", &key),
        jwt("https://unknown-idp.example", &app.issuer, &key),
        jwt("https://partner-idp.example", &app.issuer, &stranger),
    ] {
        let form = [("subject_token", bad.as_str()), ("subject_token_type", JWT)];
        exchange(&app, &service, &form).await.assert_oauth_error(400, "invalid_request");
    }
}

/// A token exchange request with a DPoP proof (RFC 9449 §5) in its `DPoP` header.
async fn exchange_with_proof(
    app: &TestApp,
    client: &(String, String),
    form: &[(&str, &str)],
    proof: &str,
) -> (u16, Value) {
    let mut pairs = vec![("grant_type", TE)];
    pairs.extend_from_slice(form);
    let request = app.http.post(app.url("/token"));
    let request = request.header("authorization", keygate_testkit::basic(&client.0, &client.1));
    let reply = request.header("dpop", proof).form(&pairs).send().await.unwrap();
    (reply.status().as_u16(), reply.json().await.unwrap_or(Value::Null))
}

/// RFC 9449 §6: a DPoP-bound token is usable only with proofs of its key, so it is exchanged
/// only on a request carrying a proof of that key (and the new token is bound to it too); a
/// thief without the key cannot trade it for a bearer token, nor for one bound to its own key.
#[tokio::test]
async fn rfc9449_6_a_dpop_bound_subject_token_is_exchanged_only_with_a_proof_of_its_key() {
    let app = TestApp::spawn().await;
    let service = exchanging_service(&app).await;
    let key = keygate_testkit::DpopKey::new(SigningAlg::ES256);
    let proof = key.proof("POST", &app.url("/token"), app.clock.now(), None);
    let form = [("grant_type", "client_credentials"), ("resource", TODO_API)];
    let request = app.http.post(app.url("/token"));
    let request = request.header("authorization", keygate_testkit::basic(&service.0, &service.1));
    let reply = request.header("dpop", proof).form(&form).send().await.unwrap();
    let body: Value = reply.json().await.unwrap();
    let bound = body["access_token"].as_str().unwrap().to_owned();
    assert_eq!(claims(&bound)["cnf"]["jkt"], key.jkt());

    let form = [("subject_token", bound.as_str()), ("subject_token_type", AT)];
    exchange(&app, &service, &form).await.assert_oauth_error(400, "invalid_request");
    let thief = keygate_testkit::DpopKey::new(SigningAlg::ES256);
    let proof = thief.proof("POST", &app.url("/token"), app.clock.now(), None);
    let (status, body) = exchange_with_proof(&app, &service, &form, &proof).await;
    assert_eq!((status, body["error"].as_str()), (400, Some("invalid_request")), "{body}");

    let proof = key.proof("POST", &app.url("/token"), app.clock.now(), None);
    let (status, body) = exchange_with_proof(&app, &service, &form, &proof).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["token_type"], "DPoP");
    let exchanged = claims(body["access_token"].as_str().unwrap());
    assert_eq!(exchanged["cnf"]["jkt"], key.jkt(), "still bound to the same key");
}
