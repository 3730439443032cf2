//! What an administrator's change ends: a new password ends the user's sessions and grants; a
//! deleted client takes its grants and tokens with it.

use keygate_core::store::GrantStore;
use keygate_testkit::{Auth, Browser, TestApp, location, pkce, query_param};

use crate::code_grant::signed_in;
use crate::support::verify_with_jwks;

#[tokio::test]
async fn rfc9700_4_14_2_a_password_change_ends_sessions_and_revokes_refresh_tokens() {
    let app = TestApp::spawn().await;
    let client = app.web_client(&["openid", "offline_access"]).await;
    app.user("ada").await;
    let browser = Browser::new();
    let flow = app.code_flow(&browser, &client, "ada", "openid offline_access").await;
    let tokens = app.exchange(&client, &flow.code, &flow.verifier).await.assert_ok();
    let policy = app.provider.settings().passwords;
    let new_password = keygate_core::Secret::new("a brand new passphrase");
    app.admin().set_password("ada", &new_password, &policy).await.unwrap();

    let form = [
        ("grant_type", "refresh_token"),
        ("refresh_token", tokens["refresh_token"].as_str().unwrap()),
    ];
    let auth = Auth::Basic(&client.id, &client.secret);
    app.post_form("/token", auth, &form).await.assert_oauth_error(400, "invalid_grant");
    let access = tokens["access_token"].as_str().unwrap();
    let reply = app.http.get(app.url("/userinfo")).bearer_auth(access).send().await.unwrap();
    assert_eq!(reply.status(), 401, "the access token died with the grant");
    let (_, challenge) = pkce();
    let url = app.authorize_url(&client, "openid", &challenge, &[("prompt", "none")]);
    let callback = location(&browser.get(&url).await);
    assert_eq!(query_param(&callback, "error").as_deref(), Some("login_required"), "session ended");
}

#[tokio::test]
async fn deleting_a_client_revokes_its_grants_and_tokens() {
    let app = TestApp::spawn().await;
    let (client, tokens) = signed_in(&app, "openid offline_access").await;
    let (_, claims) = verify_with_jwks(&app, tokens["access_token"].as_str().unwrap()).await;
    let grant_id = claims["jti"].as_str().unwrap().split('.').next().unwrap().to_owned();
    app.admin().delete_client(&client.id).await.unwrap();
    let grant = app.store.find_grant(&grant_id).await.unwrap().expect("the grant is kept");
    assert!(grant.revoked_at.is_some(), "revoked with its client");
}
