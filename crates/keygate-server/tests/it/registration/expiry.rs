//! RFC 9700 §4.11.2: an openly registered client that never gets a token is deleted after
//! `[registration] unused_client_ttl`, so abandoned redirect URIs do not pile up.

use keygate_core::settings::{RegistrationSettings, UNUSED_CLIENT_TTL};
use keygate_testkit::{Auth, Backend, TestApp};
use serde_json::json;

use super::{app, initial_token, register, registered};

fn m2m() -> serde_json::Value {
    json!({"grant_types": ["client_credentials"], "token_endpoint_auth_method": "client_secret_post"})
}

async fn token(app: &TestApp, info: &serde_json::Value) -> keygate_testkit::Reply {
    let (id, secret) =
        (info["client_id"].as_str().unwrap(), info["client_secret"].as_str().unwrap());
    app.post_form("/token", Auth::Post(id, secret), &[("grant_type", "client_credentials")]).await
}

async fn exists(app: &TestApp, info: &serde_json::Value) -> bool {
    app.admin().client(info["client_id"].as_str().unwrap()).await.is_ok()
}

#[tokio::test]
async fn rfc9700_4_11_2_openly_registered_clients_never_used_expire() {
    let app = app(true).await;
    let unused = registered(&app, m2m()).await;
    let used = registered(&app, m2m()).await;
    let with_token = initial_token(&app, None).await;
    let vetted = register(&app, Some(&with_token), m2m()).await.json();
    token(&app, &used).await.assert_ok();

    app.clock.advance(UNUSED_CLIENT_TTL - 1);
    app.provider.purge_expired().await.unwrap();
    assert!(exists(&app, &unused).await, "not yet");
    app.clock.advance(1);
    app.provider.purge_expired().await.unwrap();
    assert!(!exists(&app, &unused).await, "never used: deleted");
    token(&app, &unused).await.assert_oauth_error(401, "invalid_client");
    assert!(exists(&app, &used).await, "used once: kept");
    assert!(exists(&app, &vetted).await, "registered with a token: kept");
    token(&app, &used).await.assert_ok();
}

#[tokio::test]
async fn unused_client_expiry_can_be_turned_off() {
    let app = TestApp::spawn_with(Backend::Sqlite, |s| {
        s.registration =
            RegistrationSettings { enabled: true, open: true, unused_client_ttl: None };
    })
    .await
    .unwrap();
    let unused = registered(&app, m2m()).await;
    app.clock.advance(10 * UNUSED_CLIENT_TTL);
    app.provider.purge_expired().await.unwrap();
    assert!(exists(&app, &unused).await);
}
