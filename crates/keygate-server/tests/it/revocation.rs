use keygate_testkit::{Auth, Browser, TestApp};

#[tokio::test]
async fn rfc7009_2_1_client_revokes_its_own_token() {
    let app = TestApp::spawn().await;
    let (id, secret) = app.m2m_client(&[], &[]).await;
    let token = app.cc_token(&id, &secret, &[]).await;
    // Introspected once, so this node remembers it as active...
    let body = app.post_form("/introspect", Auth::Basic(&id, &secret), &[("token", &token)]).await;
    assert_eq!(body.assert_ok()["active"], true);
    let form = [("token", token.as_str()), ("token_type_hint", "access_token")];
    let reply = app.post_form("/revoke", Auth::Basic(&id, &secret), &form).await;
    assert_eq!(reply.status, 200);
    assert!(reply.body.is_empty());
    // ...and still answers inactive at once after the revocation.
    let body = app.post_form("/introspect", Auth::Basic(&id, &secret), &[("token", &token)]).await;
    assert_eq!(body.assert_ok()["active"], false);
    // Revoking again is harmless.
    app.post_form("/revoke", Auth::Basic(&id, &secret), &form).await.assert_ok();
}

#[tokio::test]
async fn rfc7009_2_1_a_token_of_another_client_is_refused() {
    let app = TestApp::spawn().await;
    let (owner, owner_secret) = app.m2m_client(&[], &[]).await;
    let (other, other_secret) = app.m2m_client(&[], &[]).await;
    let token = app.cc_token(&owner, &owner_secret, &[]).await;
    let reply =
        app.post_form("/revoke", Auth::Basic(&other, &other_secret), &[("token", &token)]).await;
    reply.assert_oauth_error(400, "invalid_grant");
    let form = [("token", token.as_str())];
    let body = app.post_form("/introspect", Auth::Basic(&owner, &owner_secret), &form).await;
    assert_eq!(body.assert_ok()["active"], true, "the token must survive");
}

#[tokio::test]
async fn rfc7009_2_2_unknown_token_answers_200() {
    let app = TestApp::spawn().await;
    let (id, secret) = app.m2m_client(&[], &[]).await;
    let form = [("token", "not-a-token"), ("token_type_hint", "refresh_token")];
    app.post_form("/revoke", Auth::Basic(&id, &secret), &form).await.assert_ok();
    // An unknown hint value is ignored (RFC 7009 §2.1).
    let form = [("token", "x"), ("token_type_hint", "whatever")];
    app.post_form("/revoke", Auth::Basic(&id, &secret), &form).await.assert_ok();
}

#[tokio::test]
async fn rfc7009_2_1_client_authentication_is_required() {
    let app = TestApp::spawn().await;
    let (id, secret) = app.m2m_client(&[], &[]).await;
    let token = app.cc_token(&id, &secret, &[]).await;
    let reply = app.post_form("/revoke", Auth::Basic(&id, "wrong"), &[("token", &token)]).await;
    reply.assert_oauth_error(401, "invalid_client");
    let reply = app.post_form("/revoke", Auth::None, &[("token", &token)]).await;
    reply.assert_oauth_error(401, "invalid_client");
    let reply = app.post_form("/revoke", Auth::Basic(&id, &secret), &[]).await;
    reply.assert_oauth_error(400, "invalid_request");
}

#[tokio::test]
async fn rfc7009_2_1_revoking_a_refresh_token_revokes_its_grant() {
    let app = TestApp::spawn().await;
    let client = app.web_client(&["openid", "offline_access"]).await;
    app.user("ada").await;
    let flow = app.code_flow(&Browser::new(), &client, "ada", "openid offline_access").await;
    let tokens = app.exchange(&client, &flow.code, &flow.verifier).await.assert_ok();
    let refresh = tokens["refresh_token"].as_str().unwrap();
    let access = tokens["access_token"].as_str().unwrap();
    let auth = || Auth::Basic(&client.id, &client.secret);

    let body = app.post_form("/introspect", auth(), &[("token", access)]).await;
    assert_eq!(body.assert_ok()["active"], true, "remembered as active");
    let (other, other_secret) = app.m2m_client(&[], &[]).await;
    let form = [("token", refresh), ("token_type_hint", "refresh_token")];
    app.post_form("/revoke", Auth::Basic(&other, &other_secret), &form)
        .await
        .assert_oauth_error(400, "invalid_grant");

    assert_eq!(app.post_form("/revoke", auth(), &form).await.status, 200);
    let form = [("grant_type", "refresh_token"), ("refresh_token", refresh)];
    app.post_form("/token", auth(), &form).await.assert_oauth_error(400, "invalid_grant");
    let body = app.post_form("/introspect", auth(), &[("token", access)]).await;
    assert_eq!(body.assert_ok()["active"], false, "access tokens of the grant go too");
}
