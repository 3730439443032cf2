use keygate_core::client::{AuthMethod, ClientType};
use keygate_testkit::{Auth, TestApp};

#[tokio::test]
async fn rfc7662_2_2_active_token_introspects_with_its_claims() {
    let app = TestApp::spawn().await;
    let (id, secret) = app.m2m_client(&["read"], &["https://api.example/"]).await;
    let (rs, rs_secret) = app.api_credentials("https://api.example/").await;
    let token = app.cc_token(&id, &secret, &[]).await;
    let reply =
        app.post_form("/introspect", Auth::Basic(&rs, &rs_secret), &[("token", &token)]).await;
    let body = reply.assert_ok();
    assert_eq!(reply.header("cache-control"), Some("no-store"));
    assert_eq!(body["active"], true);
    assert_eq!(body["client_id"], id.as_str());
    assert_eq!(body["sub"], id.as_str());
    assert_eq!(body["scope"], "read");
    assert_eq!(body["aud"], "https://api.example/");
    assert_eq!(body["iss"], app.issuer.as_str());
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["exp"], keygate_testkit::T0 + 3600);
}

#[tokio::test]
async fn rfc7662_2_2_expired_token_is_inactive() {
    let app = TestApp::spawn().await;
    let (id, secret) = app.m2m_client(&[], &[]).await;
    let token = app.cc_token(&id, &secret, &[]).await;
    app.clock.advance(3599);
    let body = app.post_form("/introspect", Auth::Basic(&id, &secret), &[("token", &token)]).await;
    assert_eq!(body.assert_ok()["active"], true);
    app.clock.advance(1);
    let body = app.post_form("/introspect", Auth::Basic(&id, &secret), &[("token", &token)]).await;
    assert_eq!(body.assert_ok(), serde_json::json!({"active": false}));
}

#[tokio::test]
async fn rfc7662_2_2_revoked_token_is_inactive() {
    let app = TestApp::spawn().await;
    let (id, secret) = app.m2m_client(&[], &[]).await;
    let token = app.cc_token(&id, &secret, &[]).await;
    app.post_form("/revoke", Auth::Basic(&id, &secret), &[("token", &token)]).await.assert_ok();
    let body = app.post_form("/introspect", Auth::Basic(&id, &secret), &[("token", &token)]).await;
    assert_eq!(body.assert_ok(), serde_json::json!({"active": false}));
}

#[tokio::test]
async fn rfc7662_2_2_unknown_or_forged_token_is_inactive() {
    let app = TestApp::spawn().await;
    let (id, secret) = app.m2m_client(&[], &[]).await;
    let token = app.cc_token(&id, &secret, &[]).await;
    let (head, rest) = token.split_once('.').unwrap();
    let (_, sig) = rest.split_once('.').unwrap();
    // Same header and signature, claims swapped for another subject.
    let forged_claims = base64_url(br#"{"iss":"x","sub":"admin","exp":9999999999}"#);
    let forged = format!("{head}.{forged_claims}.{sig}");
    for bad in ["garbage", "a.b.c", forged.as_str()] {
        let reply =
            app.post_form("/introspect", Auth::Basic(&id, &secret), &[("token", bad)]).await;
        assert_eq!(reply.assert_ok(), serde_json::json!({"active": false}), "{bad}");
    }
}

#[tokio::test]
async fn rfc7662_2_1_client_authentication_is_required() {
    let app = TestApp::spawn().await;
    let (id, secret) = app.m2m_client(&[], &[]).await;
    let token = app.cc_token(&id, &secret, &[]).await;
    let reply = app.post_form("/introspect", Auth::None, &[("token", &token)]).await;
    reply.assert_oauth_error(401, "invalid_client");
    let reply = app.post_form("/introspect", Auth::Basic(&id, "wrong"), &[("token", &token)]).await;
    reply.assert_oauth_error(401, "invalid_client");
    // A public client has no credentials to present.
    let (spa, _) = app.client_with(ClientType::Spa, AuthMethod::None, &["openid"], &[]).await;
    let form = [("token", token.as_str()), ("client_id", spa.as_str())];
    app.post_form("/introspect", Auth::None, &form).await.assert_oauth_error(401, "invalid_client");
}

#[tokio::test]
async fn rfc7662_2_1_missing_token_is_invalid_request() {
    let app = TestApp::spawn().await;
    let (id, secret) = app.m2m_client(&[], &[]).await;
    let reply = app.post_form("/introspect", Auth::Basic(&id, &secret), &[]).await;
    reply.assert_oauth_error(400, "invalid_request");
}

#[tokio::test]
async fn token_of_a_deleted_client_is_inactive() {
    let app = TestApp::spawn().await;
    let (id, secret) = app.m2m_client(&[], &["https://api.example/"]).await;
    let (rs, rs_secret) = app.api_credentials("https://api.example/").await;
    let token = app.cc_token(&id, &secret, &[]).await;
    app.admin().delete_client(&id).await.unwrap();
    app.provider.sync().await.unwrap();
    let reply =
        app.post_form("/introspect", Auth::Basic(&rs, &rs_secret), &[("token", &token)]).await;
    assert_eq!(reply.assert_ok()["active"], false);
}

fn base64_url(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

#[tokio::test]
async fn rfc7662_4_only_the_tokens_client_or_an_api_of_its_audience_learns_about_it() {
    let app = TestApp::spawn().await;
    let (id, secret) = app.m2m_client(&["read"], &["https://api.example/"]).await;
    let token = app.cc_token(&id, &secret, &[]).await;
    let ask = |who: (String, String)| {
        let token = token.clone();
        let app = &app;
        async move {
            let form = [("token", token.as_str())];
            app.post_form("/introspect", Auth::Basic(&who.0, &who.1), &form).await.assert_ok()
        }
    };
    assert_eq!(ask((id.clone(), secret.clone())).await["active"], true, "its own client");
    assert_eq!(ask(app.api_credentials("https://api.example/").await).await["active"], true);
    let bystander = ask(app.m2m_client(&[], &[]).await).await;
    assert_eq!(bystander, serde_json::json!({"active": false}), "another client learns nothing");
    let other_api = ask(app.api_credentials("https://other.example/").await).await;
    assert_eq!(other_api, serde_json::json!({"active": false}), "an API not in its audience");
}

#[tokio::test]
async fn api_credentials_get_no_tokens_and_leave_with_their_api() {
    let app = TestApp::spawn().await;
    let (rs, rs_secret) = app.api_credentials("https://api.example/").await;
    let form = [("grant_type", "client_credentials")];
    let reply = app.post_form("/token", Auth::Basic(&rs, &rs_secret), &form).await;
    reply.assert_oauth_error(400, "unauthorized_client");
    app.admin().delete_api("https://api.example/").await.unwrap();
    assert!(app.admin().client(&rs).await.is_err(), "the credentials went with the API");
}
