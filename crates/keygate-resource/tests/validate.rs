//! keygate-resource against a real Keygate over HTTP.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::Duration;

use keygate_core::Clock;
use keygate_resource::{Error, Validator};
use keygate_testkit::{Auth, TestApp};

const API: &str = "https://todo.example/api";

async fn validator(
    app: &TestApp,
    build: impl FnOnce(keygate_resource::ValidatorBuilder) -> keygate_resource::ValidatorBuilder,
) -> Validator {
    let clock = app.clock.clone();
    let builder = Validator::builder(&app.issuer, API).clock(Arc::new(move || clock.now()));
    build(builder).build().await.expect("discovery")
}

async fn token(app: &TestApp, scopes: &[&str], resources: &[&str]) -> String {
    let (id, secret) = app.m2m_client(scopes, resources).await;
    app.cc_token(&id, &secret, &[]).await
}

#[tokio::test]
async fn rfc9068_4_valid_token_gives_the_caller() {
    let app = TestApp::spawn().await;
    let v = validator(&app, |b| b).await;
    let t = token(&app, &["todo:read"], &[API]).await;
    let caller = v.validate(&t).await.unwrap();
    assert_eq!(caller.scopes, ["todo:read"]);
    assert_eq!(caller.sub, caller.client_id);
    assert!(!caller.is_user());
    assert_eq!(
        caller.require_scope("todo:write"),
        Err(Error::InsufficientScope { scope: "todo:write".into() })
    );
}

#[tokio::test]
async fn rfc9068_4_other_audience_expired_or_garbled_tokens_are_invalid() {
    let app = TestApp::spawn().await;
    let v = validator(&app, |b| b).await;
    let other = token(&app, &[], &["https://other.example/"]).await;
    assert!(matches!(v.validate(&other).await, Err(Error::InvalidToken(_))), "audience");
    assert!(matches!(v.validate("not.a.jwt").await, Err(Error::InvalidToken(_))));
    let t = token(&app, &[], &[API]).await;
    let mut tampered = t.clone();
    tampered.pop();
    tampered.push(if t.ends_with('A') { 'B' } else { 'A' });
    assert!(matches!(v.validate(&tampered).await, Err(Error::InvalidToken(_))), "signature");
    app.clock.advance(3600 + 31);
    assert!(matches!(v.validate(&t).await, Err(Error::InvalidToken(_))), "expired beyond leeway");
}

#[tokio::test]
async fn rfc9068_4_typ_must_be_at_jwt_and_alg_asymmetric() {
    let app = TestApp::spawn().await;
    let v = validator(&app, |b| b).await;
    let t = token(&app, &[], &[API]).await;
    let claims: serde_json::Value = {
        use base64::Engine;
        let payload = t.split('.').nth(1).unwrap();
        serde_json::from_slice(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload).unwrap(),
        )
        .unwrap()
    };
    // The same claims, signed by Keygate's own key but typed as an ordinary JWT (e.g. an ID token).
    let keyring = app.provider.keyring();
    let key = keyring.signer(keygate_core::keys::SigningAlg::ES256).unwrap();
    let plain = keygate_core::jwt::sign_jwt(key, "JWT", &claims).unwrap();
    assert!(matches!(v.validate(&plain).await, Err(Error::InvalidToken(_))), "typ");
    // HS256 with the public key as the secret (algorithm confusion) and alg none.
    let hs = jsonwebtoken::encode(
        &jsonwebtoken::Header {
            typ: Some("at+jwt".into()),
            kid: Some(key.kid().to_owned()),
            ..Default::default()
        },
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(b"public key bytes"),
    )
    .unwrap();
    assert!(matches!(v.validate(&hs).await, Err(Error::InvalidToken(_))), "HS256");
    let parts: Vec<&str> = hs.split('.').collect();
    use base64::Engine;
    let none_header = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(br#"{"alg":"none","typ":"at+jwt"}"#);
    let none = format!("{none_header}.{}.", parts[1]);
    assert!(matches!(v.validate(&none).await, Err(Error::InvalidToken(_))), "none");
}

#[tokio::test]
async fn keys_rotated_at_the_issuer_are_fetched_without_a_restart() {
    let app = TestApp::spawn().await;
    let v = validator(&app, |b| b.min_jwks_refresh(Duration::from_secs(10))).await;
    v.validate(&token(&app, &[], &[API]).await).await.unwrap();
    app.clock.advance(10);
    let rotated = app.admin().rotate_keys(app.provider.master_key()).await.unwrap();
    // The new key signs once every node publishes it.
    app.clock.advance(keygate_core::keys::ACTIVATION_DELAY);
    app.provider.sync().await.unwrap();
    let fresh = token(&app, &[], &[API]).await;
    let kid = jsonwebtoken::decode_header(&fresh).unwrap().kid.unwrap();
    assert!(rotated.iter().any(|k| k.kid == kid), "signed with the new key");
    // Within the minimum interval the cache is kept; after it, the new key is fetched.
    app.clock.advance(11);
    v.validate(&fresh).await.unwrap();
}

#[tokio::test]
async fn rfc7662_introspection_mode_sees_revocation() {
    let app = TestApp::spawn().await;
    let (api_id, api_secret) = app.api_credentials(API).await;
    let v =
        validator(&app, |b| b.introspection(&api_id, &api_secret, Duration::from_secs(0))).await;
    let (id, secret) = app.m2m_client(&["todo:read"], &[API]).await;
    let t = app.cc_token(&id, &secret, &[]).await;
    assert_eq!(v.validate(&t).await.unwrap().scopes, ["todo:read"]);
    app.post_form("/revoke", Auth::Basic(&id, &secret), &[("token", &t)]).await;
    assert!(matches!(v.validate(&t).await, Err(Error::InvalidToken(_))));
}

/// A DPoP-bound client credentials token for `API` and the key it is bound to.
async fn bound_token(app: &TestApp) -> (String, keygate_testkit::DpopKey) {
    let (id, secret) = app.m2m_client(&["todo:read"], &[API]).await;
    let key = keygate_testkit::DpopKey::new(keygate_core::keys::SigningAlg::ES256);
    let proof = key.proof("POST", &app.url("/token"), app.clock.now(), None);
    let reply = app
        .http
        .post(app.url("/token"))
        .header("authorization", keygate_testkit::basic(&id, &secret))
        .header("dpop", proof)
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    let body: serde_json::Value = reply.json().await.unwrap();
    assert_eq!(body["token_type"], "DPoP", "{body}");
    (body["access_token"].as_str().unwrap().to_owned(), key)
}

#[tokio::test]
async fn rfc9449_7_1_a_bound_token_needs_the_dpop_scheme_and_a_proof_by_its_key() {
    let app = TestApp::spawn().await;
    let v = validator(&app, |b| b).await;
    let (token, key) = bound_token(&app).await;
    let now = app.clock.now();
    let url = format!("{API}/todos");
    let dpop_header = format!("DPoP {token}");
    let good = key.proof("GET", &url, now, Some(&token));
    let caller = v.validate_request(presented(&dpop_header, Some(&good))).await.unwrap();
    assert_eq!(caller.scopes, ["todo:read"]);
    // §11.1: the same proof again is a replay.
    let replayed = v.validate_request(presented(&dpop_header, Some(&good))).await;
    assert!(matches!(replayed, Err(Error::InvalidDpopProof(_))), "{replayed:?}");
    // §7.2: the bound token as a bearer token, in both entry points.
    let bearer = format!("Bearer {token}");
    let as_bearer = v.validate_header(Some(&bearer)).await;
    assert!(matches!(as_bearer, Err(Error::InvalidToken(_))), "{as_bearer:?}");
    let as_bearer = v.validate_request(presented(&bearer, None)).await;
    assert!(matches!(as_bearer, Err(Error::InvalidToken(_))), "{as_bearer:?}");
    let other = keygate_testkit::DpopKey::new(keygate_core::keys::SigningAlg::ES256);
    let cases = [
        ("no proof", None),
        ("another key", Some(other.proof("GET", &url, now, Some(&token)))),
        ("another method", Some(key.proof("POST", &url, now, Some(&token)))),
        ("another URL", Some(key.proof("GET", &format!("{API}/other"), now, Some(&token)))),
        ("no ath", Some(key.proof("GET", &url, now, None))),
        ("stale", Some(key.proof("GET", &url, now - 600, Some(&token)))),
    ];
    for (case, proof) in cases {
        let refused = v.validate_request(presented(&dpop_header, proof.as_deref())).await;
        let Err(error) = refused else { panic!("{case}: accepted") };
        assert_eq!(error.status(), 401, "{case}");
        assert_eq!(error.code(), Some("invalid_dpop_proof"), "{case}: {error}");
        let challenge = error.www_authenticate("todo", None);
        assert!(challenge.starts_with("DPoP realm=\"todo\", algs=\"ES256"), "{challenge}");
    }
    // A bearer token presented with the DPoP scheme is refused too.
    let plain = format!("DPoP {}", token_for_api(&app).await);
    let refused = v.validate_request(presented(&plain, Some(&good))).await;
    assert!(matches!(refused, Err(Error::InvalidToken(_))), "{refused:?}");
}

/// `GET /todos` with `authorization` and a `DPoP` header.
fn presented<'a>(
    authorization: &'a str,
    dpop: Option<&'a str>,
) -> keygate_resource::Presentation<'a> {
    keygate_resource::Presentation {
        authorization: Some(authorization),
        dpop,
        method: "GET",
        path: "/todos",
    }
}

async fn token_for_api(app: &TestApp) -> String {
    token(app, &["todo:read"], &[API]).await
}
