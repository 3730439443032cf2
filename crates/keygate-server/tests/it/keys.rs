use keygate_testkit::{Auth, TestApp};
use serde_json::Value;

use crate::support::verify_with_jwks;

fn kids(jwks: &Value) -> Vec<String> {
    jwks["keys"].as_array().unwrap().iter().map(|k| k["kid"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn key_rotation_signs_with_the_new_key_and_keeps_the_old_one_published() {
    let app = TestApp::spawn().await;
    let (id, secret) = app.m2m_client(&[], &[]).await;
    let before = app.cc_token(&id, &secret, &[]).await;
    let (old_header, _) = verify_with_jwks(&app, &before).await;

    app.clock.advance(10);
    let rotated = app.admin().rotate_keys(app.provider.master_key()).await.unwrap();
    app.provider.sync().await.unwrap();

    // Published at once, signing only after every node has had time to publish it too.
    let jwks = app.get("/jwks").await.assert_ok();
    assert!(rotated.iter().all(|k| kids(&jwks).contains(&k.kid)), "new keys are published");
    let during = app.cc_token(&id, &secret, &[]).await;
    let (during_header, _) = verify_with_jwks(&app, &during).await;
    assert_eq!(
        during_header.kid, old_header.kid,
        "the old key signs until the new one is everywhere"
    );
    app.clock.advance(keygate_core::keys::ACTIVATION_DELAY);
    app.provider.sync().await.unwrap();

    let after = app.cc_token(&id, &secret, &[]).await;
    let (new_header, _) = verify_with_jwks(&app, &after).await;
    assert_ne!(old_header.kid, new_header.kid, "new tokens carry the new kid");
    // The token signed before the rotation still verifies against the published JWKS...
    verify_with_jwks(&app, &before).await;
    // ...and still introspects as active.
    let body = app.post_form("/introspect", Auth::Basic(&id, &secret), &[("token", &before)]).await;
    assert_eq!(body.assert_ok()["active"], true);
    let jwks = app.get("/jwks").await.assert_ok();
    assert_eq!(kids(&jwks).len(), 6, "three active and three retired keys");
    let newest = &kids(&jwks)[..3];
    assert!(newest.contains(new_header.kid.as_ref().unwrap()), "newest keys first");
}

#[tokio::test]
async fn retired_keys_leave_the_jwks_once_their_tokens_have_expired() {
    let app = TestApp::spawn().await;
    let (id, secret) = app.m2m_client(&[], &[]).await;
    let before = app.cc_token(&id, &secret, &[]).await;
    app.admin().rotate_keys(app.provider.master_key()).await.unwrap();
    app.provider.sync().await.unwrap();
    let retention = app.provider.settings().key_retention();
    assert!(retention > app.provider.settings().access_token_ttl);
    app.clock.advance(retention);
    app.provider.sync().await.unwrap();
    let jwks = app.get("/jwks").await.assert_ok();
    assert_eq!(kids(&jwks).len(), 3, "only the active keys remain");
    let body = app.post_form("/introspect", Auth::Basic(&id, &secret), &[("token", &before)]).await;
    assert_eq!(body.assert_ok()["active"], false);
}
