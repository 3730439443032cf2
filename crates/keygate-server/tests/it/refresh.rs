//! The refresh token grant: rotation, reuse detection and one chain per grant (RFC 6749 §6,
//! RFC 9700 §4.14.2), on SQLite and PostgreSQL.

use keygate_testkit::{Auth, Backend, Browser, TestApp, TestClient};
use serde_json::Value;

use crate::code_grant::signed_in;

async fn refresh(app: &TestApp, client: &TestClient, token: &str) -> keygate_testkit::Reply {
    let form = [("grant_type", "refresh_token"), ("refresh_token", token)];
    app.post_form("/token", Auth::Basic(&client.id, &client.secret), &form).await
}

fn refresh_token(tokens: &Value) -> String {
    tokens["refresh_token"].as_str().expect("a refresh token").to_owned()
}

async fn active(app: &TestApp, client: &TestClient, token: &str) -> bool {
    let auth = Auth::Basic(&client.id, &client.secret);
    let body = app.post_form("/introspect", auth, &[("token", token)]).await.assert_ok();
    body["active"] == true
}

async fn both_backends(grace: i64, test: impl AsyncFn(TestApp)) {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let adjust = |s: &mut keygate_core::Settings| s.refresh_reuse_grace = grace;
        if let Some(app) = TestApp::spawn_with(backend, adjust).await {
            test(app).await;
        }
    }
}

#[tokio::test]
async fn rfc9700_4_14_2_reuse_of_a_rotated_refresh_token_revokes_the_grant_at_once() {
    both_backends(0, async |app| {
        let (client, tokens) = signed_in(&app, "openid offline_access").await;
        let first = refresh_token(&tokens);
        let rotated = refresh(&app, &client, &first).await.assert_ok();
        let second = refresh_token(&rotated);
        assert_ne!(first, second, "a new refresh token on every use");
        assert!(rotated["id_token"].as_str().is_some());
        // No grace by default: the very next second, even the same second, is a replay.
        refresh(&app, &client, &first).await.assert_oauth_error(400, "invalid_grant");
        refresh(&app, &client, &second).await.assert_oauth_error(400, "invalid_grant");
        let access = rotated["access_token"].as_str().unwrap();
        assert!(!active(&app, &client, access).await, "the grant's access tokens die too");
    })
    .await;
}

#[tokio::test]
async fn rfc9700_4_14_2_a_grace_reuse_supersedes_the_successor_one_chain_per_grant() {
    both_backends(10, async |app| {
        let (client, tokens) = signed_in(&app, "openid offline_access").await;
        let r1 = refresh_token(&tokens);
        let r2 = refresh_token(&refresh(&app, &client, &r1).await.assert_ok());
        // Another tab uses r1 inside the window: it gets r3, and r2 is retired.
        app.clock.advance(5);
        let r3 = refresh_token(&refresh(&app, &client, &r1).await.assert_ok());
        assert!(!active(&app, &client, &r2).await, "r2 was superseded");
        assert!(active(&app, &client, &r3).await, "r3 is the one live token");
        // The chain goes on from r3; r1 can no longer take it over, even inside the window.
        let r4 = refresh_token(&refresh(&app, &client, &r3).await.assert_ok());
        refresh(&app, &client, &r1).await.assert_oauth_error(400, "invalid_grant");
        refresh(&app, &client, &r4).await.assert_oauth_error(400, "invalid_grant");
    })
    .await;
}

#[tokio::test]
async fn rfc9700_4_14_2_a_superseded_refresh_token_revokes_the_grant() {
    both_backends(10, async |app| {
        let (client, tokens) = signed_in(&app, "openid offline_access").await;
        let r1 = refresh_token(&tokens);
        let r2 = refresh_token(&refresh(&app, &client, &r1).await.assert_ok());
        let r3 = refresh_token(&refresh(&app, &client, &r1).await.assert_ok());
        // r2 was retired by the reuse: presenting it is theft or a lost race, and ends the grant.
        refresh(&app, &client, &r2).await.assert_oauth_error(400, "invalid_grant");
        refresh(&app, &client, &r3).await.assert_oauth_error(400, "invalid_grant");
        // After the window, a reuse of a rotated token revokes as well.
        let flow = app.code_flow(&Browser::new(), &client, "ada", "openid offline_access").await;
        let r1 =
            refresh_token(&app.exchange(&client, &flow.code, &flow.verifier).await.assert_ok());
        let r2 = refresh_token(&refresh(&app, &client, &r1).await.assert_ok());
        app.clock.advance(11);
        refresh(&app, &client, &r1).await.assert_oauth_error(400, "invalid_grant");
        refresh(&app, &client, &r2).await.assert_oauth_error(400, "invalid_grant");
    })
    .await;
}

#[tokio::test]
async fn rfc6749_6_another_clients_refresh_attempt_consumes_nothing() {
    both_backends(0, async |app| {
        let (client, tokens) = signed_in(&app, "openid offline_access").await;
        let other = app.web_client(&["openid", "offline_access"]).await;
        let token = refresh_token(&tokens);
        refresh(&app, &other, &token).await.assert_oauth_error(400, "invalid_grant");
        refresh(&app, &client, &token).await.assert_ok();
    })
    .await;
}

#[tokio::test]
async fn rfc6749_6_a_widened_scope_is_refused_before_the_refresh_token_is_consumed() {
    let app = TestApp::spawn().await;
    let (client, tokens) = signed_in(&app, "openid email offline_access").await;
    let auth = Auth::Basic(&client.id, &client.secret);
    let token = refresh_token(&tokens);
    let form =
        [("grant_type", "refresh_token"), ("refresh_token", &token), ("scope", "openid profile")];
    app.post_form("/token", auth, &form).await.assert_oauth_error(400, "invalid_scope");
    // Not consumed: with no grace window, a consumed token would now revoke the grant.
    let token = refresh_token(&refresh(&app, &client, &token).await.assert_ok());
    let form = [("grant_type", "refresh_token"), ("refresh_token", &token), ("scope", "openid")];
    let narrowed = app.post_form("/token", auth, &form).await.assert_ok();
    assert_eq!(narrowed["scope"], "openid");
    // The new refresh token keeps the original grant's scope.
    let token = refresh_token(&narrowed);
    let form =
        [("grant_type", "refresh_token"), ("refresh_token", &token), ("scope", "openid email")];
    app.post_form("/token", auth, &form).await.assert_ok();
}

#[tokio::test]
async fn rfc6749_4_1_3_another_clients_code_exchange_does_not_burn_the_code() {
    let app = TestApp::spawn().await;
    let client = app.web_client(&["openid"]).await;
    let other = app.web_client(&["openid"]).await;
    app.user("ada").await;
    let flow = app.code_flow(&Browser::new(), &client, "ada", "openid").await;
    app.exchange(&other, &flow.code, &flow.verifier).await.assert_oauth_error(400, "invalid_grant");
    app.exchange(&client, &flow.code, &flow.verifier).await.assert_ok();
}

#[tokio::test]
async fn rfc7662_2_2_a_live_refresh_token_introspects_to_its_own_client() {
    both_backends(0, async |app| {
        let (client, tokens) = signed_in(&app, "openid offline_access").await;
        let token = refresh_token(&tokens);
        let auth = Auth::Basic(&client.id, &client.secret);
        let form = [("token", token.as_str()), ("token_type_hint", "refresh_token")];
        let body = app.post_form("/introspect", auth, &form).await.assert_ok();
        assert_eq!(body["active"], true, "{body}");
        assert_eq!(body["token_type"], "refresh_token");
        assert_eq!(body["client_id"], client.id.as_str());
        assert_eq!(body["scope"], "openid offline_access");
        assert!(body["sub"].is_string() && body["exp"].is_i64() && body["iat"].is_i64());
        // The hint is an optimization only: a wrong one finds the token all the same.
        let form = [("token", token.as_str()), ("token_type_hint", "access_token")];
        assert_eq!(app.post_form("/introspect", auth, &form).await.assert_ok()["active"], true);
        // Another client learns nothing about it.
        let other = app.web_client(&["openid"]).await;
        let other_auth = Auth::Basic(&other.id, &other.secret);
        let body = app.post_form("/introspect", other_auth, &[("token", &token)]).await;
        assert_eq!(body.assert_ok(), serde_json::json!({"active": false}));
        // Rotated out, it is inactive.
        refresh(&app, &client, &token).await.assert_ok();
        assert!(!active(&app, &client, &token).await);
    })
    .await;
}
