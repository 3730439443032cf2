//! The authorization code grant, ID tokens and refresh tokens at the token endpoint.

use keygate_testkit::{Auth, Browser, TestApp, TestClient};
use serde_json::Value;

use crate::support::verify_with_jwks;

pub(crate) async fn signed_in(app: &TestApp, scope: &str) -> (TestClient, Value) {
    let client = app.web_client(&["openid", "profile", "email", "offline_access"]).await;
    app.user("ada").await;
    let result = app.code_flow(&Browser::new(), &client, "ada", scope).await;
    let tokens = app.exchange(&client, &result.code, &result.verifier).await.assert_ok();
    (client, tokens)
}

#[tokio::test]
async fn oidc_core_3_1_3_3_code_exchange_returns_access_id_and_refresh_tokens() {
    let app = TestApp::spawn().await;
    let (client, tokens) = signed_in(&app, "openid profile email offline_access").await;
    assert_eq!(tokens["token_type"], "Bearer");
    assert!(tokens["refresh_token"].as_str().is_some());
    let access = tokens["access_token"].as_str().unwrap();
    let (header, claims) = verify_with_jwks(&app, access).await;
    assert_eq!(header.typ.as_deref(), Some("at+jwt"));
    assert_eq!(claims["client_id"], client.id.as_str());
    assert_eq!(claims["aud"], app.issuer.as_str());
}

#[tokio::test]
async fn oidc_core_3_1_3_7_id_token_claims() {
    let app = TestApp::spawn().await;
    let (client, tokens) = signed_in(&app, "openid profile email").await;
    let id_token = tokens["id_token"].as_str().unwrap();
    let (header, claims) = verify_with_jwks(&app, id_token).await;
    assert_eq!(header.alg, jsonwebtoken::Algorithm::RS256, "OIDC Core §15.1 default");
    assert_eq!(claims["iss"], app.issuer.as_str());
    assert_eq!(claims["aud"], client.id.as_str());
    assert_eq!(claims["azp"], client.id.as_str());
    assert_eq!(claims["nonce"], "n-0S6");
    assert_eq!(claims["auth_time"], keygate_testkit::T0);
    assert_eq!(claims["iat"], keygate_testkit::T0);
    assert_eq!(claims["exp"], keygate_testkit::T0 + 3600);
    assert_eq!(claims["amr"], serde_json::json!(["pwd"]));
    assert!(claims["sid"].as_str().is_some());
    assert!(claims["acr"].as_str().is_some());
    let access = tokens["access_token"].as_str().unwrap();
    assert_eq!(
        claims["at_hash"],
        keygate_core::id_token::at_hash(keygate_core::keys::SigningAlg::RS256, access)
    );
    // OIDC Core §5.4: profile and email claims.
    assert_eq!(claims["email"], "ada@example.com");
    assert_eq!(claims["email_verified"], true);
    assert_eq!(claims["name"], "ada Example");
    assert_eq!(claims["preferred_username"], "ada");
    assert!(tokens.get("refresh_token").is_none(), "no offline_access, no refresh token");
}

#[tokio::test]
async fn per_client_id_token_signing_alg() {
    let app = TestApp::spawn().await;
    let client = app.web_client(&["openid"]).await;
    let spec = keygate_core::client::ClientSpec {
        id_token_alg: Some(keygate_core::keys::SigningAlg::EdDSA),
        ..Default::default()
    };
    app.admin().update_client(&client.id, spec).await.unwrap();
    app.provider.sync().await.unwrap();
    app.user("ada").await;
    let result = app.code_flow(&Browser::new(), &client, "ada", "openid").await;
    let tokens = app.exchange(&client, &result.code, &result.verifier).await.assert_ok();
    let (header, _) = verify_with_jwks(&app, tokens["id_token"].as_str().unwrap()).await;
    assert_eq!(header.alg, jsonwebtoken::Algorithm::EdDSA);
}

#[tokio::test]
async fn rfc6749_4_1_2_code_reuse_revokes_tokens() {
    let app = TestApp::spawn().await;
    let client = app.web_client(&["openid", "offline_access"]).await;
    app.user("ada").await;
    let result = app.code_flow(&Browser::new(), &client, "ada", "openid offline_access").await;
    let tokens = app.exchange(&client, &result.code, &result.verifier).await.assert_ok();
    app.exchange(&client, &result.code, &result.verifier)
        .await
        .assert_oauth_error(400, "invalid_grant");
    let access = tokens["access_token"].as_str().unwrap();
    let body = app
        .post_form("/introspect", Auth::Basic(&client.id, &client.secret), &[("token", access)])
        .await;
    assert_eq!(body.assert_ok()["active"], false, "the access token died with the grant");
    let form = [
        ("grant_type", "refresh_token"),
        ("refresh_token", tokens["refresh_token"].as_str().unwrap()),
    ];
    app.post_form("/token", Auth::Basic(&client.id, &client.secret), &form)
        .await
        .assert_oauth_error(400, "invalid_grant");
    let userinfo = app.http.get(app.url("/userinfo")).bearer_auth(access).send().await.unwrap();
    assert_eq!(userinfo.status(), 401);
}

#[tokio::test]
async fn rfc6749_4_1_2_concurrent_redemptions_cannot_both_succeed() {
    let app = TestApp::spawn().await;
    let client = app.web_client(&["openid"]).await;
    app.user("ada").await;
    let result = app.code_flow(&Browser::new(), &client, "ada", "openid").await;
    let (a, b) = tokio::join!(
        app.exchange(&client, &result.code, &result.verifier),
        app.exchange(&client, &result.code, &result.verifier)
    );
    // One redemption consumes the code; the other is a replay, which revokes the grant
    // (RFC 6749 §4.1.2). If the replay lands while the first is still issuing, the first is
    // refused too: never two token sets, and nothing issued survives the replay.
    let winners: Vec<_> = [&a, &b].into_iter().filter(|r| r.status.as_u16() == 200).collect();
    assert!(winners.len() <= 1, "both redemptions succeeded: {} / {}", a.body, b.body);
    let replayed = [&a, &b].into_iter().filter(|r| r.body.contains("already used")).count();
    assert_eq!(replayed, 1, "exactly one is the replay: {} / {}", a.body, b.body);
    for winner in winners {
        let access = winner.json()["access_token"].as_str().unwrap().to_owned();
        let reply = app.http.get(app.url("/userinfo")).bearer_auth(&access).send().await.unwrap();
        assert_eq!(reply.status(), 401, "the replay revoked what the winner got");
    }
}

#[tokio::test]
async fn rfc6749_4_1_2_code_expires_after_60_seconds() {
    let app = TestApp::spawn().await;
    let client = app.web_client(&["openid"]).await;
    app.user("ada").await;
    let result = app.code_flow(&Browser::new(), &client, "ada", "openid").await;
    app.clock.advance(61);
    app.exchange(&client, &result.code, &result.verifier)
        .await
        .assert_oauth_error(400, "invalid_grant");
}

#[tokio::test]
async fn rfc6749_4_1_3_code_is_bound_to_client_and_redirect_uri() {
    let app = TestApp::spawn().await;
    let client = app.web_client(&["openid"]).await;
    let other = app.web_client(&["openid"]).await;
    app.user("ada").await;
    let result = app.code_flow(&Browser::new(), &client, "ada", "openid").await;
    app.exchange(&other, &result.code, &result.verifier)
        .await
        .assert_oauth_error(400, "invalid_grant");

    let result = app.code_flow(&Browser::new(), &client, "ada", "openid").await;
    let mut moved = client.clone();
    moved.redirect_uri = "https://app.example/other".to_owned();
    app.exchange(&moved, &result.code, &result.verifier)
        .await
        .assert_oauth_error(400, "invalid_grant");
}

#[tokio::test]
async fn rfc7636_4_6_verifier_must_match_the_challenge() {
    let app = TestApp::spawn().await;
    let client = app.web_client(&["openid"]).await;
    app.user("ada").await;
    let result = app.code_flow(&Browser::new(), &client, "ada", "openid").await;
    let wrong = keygate_testkit::pkce().0;
    app.exchange(&client, &result.code, &wrong).await.assert_oauth_error(400, "invalid_grant");
}

/// A web client that an operator let off PKCE (OAuth 2.1 §4.1.1's legacy opt-out).
async fn legacy_client(app: &TestApp) -> TestClient {
    let client = app.web_client(&["openid"]).await;
    let metadata =
        keygate_core::client::ClientMetadata { pkce_optional: true, ..Default::default() };
    let spec = keygate_core::client::ClientSpec { metadata: Some(metadata), ..Default::default() };
    app.admin().update_client(&client.id, spec).await.unwrap();
    client
}

#[tokio::test]
async fn oauth21_4_1_1_pkce_is_required_of_confidential_clients_too() {
    let app = TestApp::spawn().await;
    let client = app.web_client(&["openid"]).await;
    let url = app.authorize_url(&client, "openid", "x", &[]);
    let url = url.replace("&code_challenge=x&code_challenge_method=S256", "");
    let callback = keygate_testkit::location(&Browser::new().get(&url).await);
    assert_eq!(
        keygate_testkit::query_param(&callback, "error").as_deref(),
        Some("invalid_request")
    );
    // The legacy opt-out lets it through.
    let legacy = legacy_client(&app).await;
    app.user("ada").await;
    let url = app.authorize_url(&legacy, "openid", "x", &[]);
    let url = url.replace("&code_challenge=x&code_challenge_method=S256", "");
    let callback = app.walk_to_callback(&Browser::new(), &legacy, "ada", &url).await;
    let code = keygate_testkit::query_param(&callback, "code").unwrap();
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", legacy.redirect_uri.as_str()),
    ];
    app.post_form("/token", Auth::Basic(&legacy.id, &legacy.secret), &form).await.assert_ok();
}

#[tokio::test]
async fn rfc9700_2_1_1_verifier_for_a_code_without_challenge_is_refused() {
    let app = TestApp::spawn().await;
    let client = legacy_client(&app).await;
    app.user("ada").await;
    let url = app.authorize_url(&client, "openid", "x", &[]);
    let url = url.replace("&code_challenge=x&code_challenge_method=S256", "");
    let callback = app.walk_to_callback(&Browser::new(), &client, "ada", &url).await;
    let code = keygate_testkit::query_param(&callback, "code").unwrap();
    let verifier = keygate_testkit::pkce().0;
    app.exchange(&client, &code, &verifier).await.assert_oauth_error(400, "invalid_grant");
}

#[tokio::test]
async fn oidc_core_5_3_userinfo_returns_claims_by_scope() {
    let app = TestApp::spawn().await;
    let (_, tokens) = signed_in(&app, "openid email").await;
    let access = tokens["access_token"].as_str().unwrap();
    let reply = app.http.get(app.url("/userinfo")).bearer_auth(access).send().await.unwrap();
    assert_eq!(reply.status(), 200);
    let claims: Value = reply.json().await.unwrap();
    assert_eq!(claims["email"], "ada@example.com");
    assert!(claims.get("name").is_none(), "profile was not granted");
    let (_, id_claims) = verify_with_jwks(&app, tokens["id_token"].as_str().unwrap()).await;
    assert_eq!(claims["sub"], id_claims["sub"], "OIDC Core §5.3.2: same sub as the ID token");
    // RFC 6750 §2.2: the form body works for POST.
    let reply =
        app.http.post(app.url("/userinfo")).form(&[("access_token", access)]).send().await.unwrap();
    assert_eq!(reply.status(), 200);
}

#[tokio::test]
async fn rfc6750_3_1_userinfo_errors() {
    let app = TestApp::spawn().await;
    let (_, tokens) = signed_in(&app, "openid").await;
    let reply = app.http.get(app.url("/userinfo")).send().await.unwrap();
    assert_eq!(reply.status(), 401);
    assert_eq!(reply.headers()["www-authenticate"], "Bearer realm=\"keygate\"");
    let reply = app.http.get(app.url("/userinfo")).basic_auth("a", Some("b")).send().await.unwrap();
    assert_eq!(reply.status(), 401, "another scheme counts as no credentials");
    assert_eq!(reply.headers()["www-authenticate"], "Bearer realm=\"keygate\"");
    let reply = app.http.get(app.url("/userinfo")).bearer_auth("garbage").send().await.unwrap();
    assert_eq!(reply.status(), 401);
    assert!(
        reply.headers()["www-authenticate"].to_str().unwrap().contains("error=\"invalid_token\"")
    );
    let access = tokens["access_token"].as_str().unwrap();
    let reply = app
        .http
        .post(app.url("/userinfo"))
        .bearer_auth(access)
        .form(&[("access_token", access)])
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 400, "two ways at once is invalid_request");
    let (m2m, secret) = app.m2m_client(&[], &[]).await;
    let cc = app.cc_token(&m2m, &secret, &[]).await;
    let reply = app.http.get(app.url("/userinfo")).bearer_auth(cc).send().await.unwrap();
    assert_eq!(reply.status(), 403);
    assert!(reply.headers()["www-authenticate"].to_str().unwrap().contains("insufficient_scope"));
}
