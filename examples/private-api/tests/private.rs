//! The private API against a real Keygate, over real sockets.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use keygate_testkit::TestApp;

const AUDIENCE: &str = "http://127.0.0.1/private-api";

async fn serve(app: &TestApp) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (validator, metadata) = private_api::protect(&app.issuer, AUDIENCE, &base).await.unwrap();
    tokio::spawn(async move { axum::serve(listener, private_api::app(validator, metadata)).await });
    base
}

#[tokio::test]
async fn public_answers_anyone_and_private_only_a_valid_token() {
    let app = TestApp::spawn_realtime().await;
    let base = serve(&app).await;
    let http = reqwest::Client::new();
    let public = http.get(format!("{base}/public")).send().await.unwrap();
    assert_eq!(public.status(), 200);

    let anonymous = http.get(format!("{base}/private")).send().await.unwrap();
    assert_eq!(anonymous.status(), 401);
    let challenge = anonymous.headers()["www-authenticate"].to_str().unwrap().to_owned();
    assert!(challenge.starts_with("Bearer realm=\"private-api\""), "{challenge}");
    assert!(challenge.contains("resource_metadata=\"http://127.0.0.1/.well-known/oauth-protected-resource/private-api\""), "{challenge}");
    assert!(!challenge.contains("error="), "RFC 6750 §3.1: no error code without a token");

    let malformed =
        http.get(format!("{base}/private")).header("authorization", "Bearer").send().await.unwrap();
    assert_eq!(malformed.status(), 400);
    let forged =
        http.get(format!("{base}/private")).bearer_auth("abc.def.ghi").send().await.unwrap();
    assert_eq!(forged.status(), 401);
    assert!(
        forged.headers()["www-authenticate"].to_str().unwrap().contains("error=\"invalid_token\"")
    );

    let (id, secret) = app.m2m_client(&[], &[AUDIENCE]).await;
    let token = app.cc_token(&id, &secret, &[]).await;
    let ok = http.get(format!("{base}/private")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(ok.status(), 200);
    let body: serde_json::Value = ok.json().await.unwrap();
    assert_eq!(
        body,
        serde_json::json!({"message": "Only authenticated users can read this message"})
    );

    let (other_id, other_secret) = app.m2m_client(&[], &["https://elsewhere.example/"]).await;
    let foreign = app.cc_token(&other_id, &other_secret, &[]).await;
    let refused = http.get(format!("{base}/private")).bearer_auth(&foreign).send().await.unwrap();
    assert_eq!(refused.status(), 401, "a token for another API is refused");
}

#[tokio::test]
async fn rfc9728_metadata_names_the_issuer() {
    let app = TestApp::spawn_realtime().await;
    let base = serve(&app).await;
    let doc: serde_json::Value =
        reqwest::get(format!("{base}/.well-known/oauth-protected-resource/private-api"))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
    assert_eq!(doc["resource"], AUDIENCE);
    assert_eq!(doc["authorization_servers"], serde_json::json!([app.issuer]));
    assert_eq!(doc["bearer_methods_supported"], serde_json::json!(["header"]));
}
