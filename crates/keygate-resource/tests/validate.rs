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
