use keygate_core::client::{AuthMethod, ClientType};
use keygate_testkit::{Auth, TestApp};

use crate::support::verify_with_jwks;

const CC: (&str, &str) = ("grant_type", "client_credentials");

#[tokio::test]
async fn rfc6749_4_4_client_credentials_with_basic_auth() {
    let app = TestApp::spawn().await;
    let (id, secret) = app.m2m_client(&["read"], &[]).await;
    let reply = app.post_form("/token", Auth::Basic(&id, &secret), &[CC]).await;
    let body = reply.assert_ok();
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 3600);
    assert_eq!(body["scope"], "read");
    assert_eq!(reply.header("cache-control"), Some("no-store"));
    assert_eq!(reply.header("pragma"), Some("no-cache"));
}

#[tokio::test]
async fn rfc6749_4_4_client_credentials_with_post_auth() {
    let app = TestApp::spawn().await;
    let (id, secret) =
        app.client_with(ClientType::M2m, AuthMethod::ClientSecretPost, &[], &[]).await;
    let reply = app.post_form("/token", Auth::Post(&id, &secret), &[CC]).await;
    reply.assert_ok();
}

#[tokio::test]
async fn rfc6749_4_4_3_no_refresh_token_is_issued() {
    let app = TestApp::spawn().await;
    let (id, secret) = app.m2m_client(&[], &[]).await;
    let body = app.post_form("/token", Auth::Basic(&id, &secret), &[CC]).await.assert_ok();
    assert!(body.get("refresh_token").is_none());
    assert!(body.get("id_token").is_none());
}

#[tokio::test]
async fn rfc9068_2_access_token_is_an_at_jwt_with_required_claims() {
    let app = TestApp::spawn().await;
    let (id, secret) = app.m2m_client(&["read", "write"], &["https://api.example/"]).await;
    let token = app.cc_token(&id, &secret, &[("scope", "read")]).await;
    let (header, claims) = verify_with_jwks(&app, &token).await;
    assert_eq!(header.typ.as_deref(), Some("at+jwt"));
    assert_eq!(header.alg, jsonwebtoken::Algorithm::ES256);
    assert_eq!(claims["iss"], app.issuer.as_str());
    assert_eq!(claims["sub"], id.as_str(), "RFC 9068 §2.2: sub is the client for this grant");
    assert_eq!(claims["client_id"], id.as_str());
    assert_eq!(claims["aud"], "https://api.example/");
    assert_eq!(claims["scope"], "read");
    assert_eq!(claims["iat"], keygate_testkit::T0);
    assert_eq!(claims["exp"], keygate_testkit::T0 + 3600);
    assert!(claims["jti"].as_str().is_some_and(|j| j.len() >= 16));
}

#[tokio::test]
async fn rfc6749_5_2_wrong_secret_with_basic_is_401_with_www_authenticate() {
    let app = TestApp::spawn().await;
    let (id, _) = app.m2m_client(&[], &[]).await;
    let reply = app.post_form("/token", Auth::Basic(&id, "wrong"), &[CC]).await;
    reply.assert_oauth_error(401, "invalid_client");
    assert!(reply.header("www-authenticate").is_some_and(|h| h.starts_with("Basic")));
}

#[tokio::test]
async fn rfc6749_5_2_wrong_secret_with_post_is_invalid_client() {
    let app = TestApp::spawn().await;
    let (id, _) = app.client_with(ClientType::M2m, AuthMethod::ClientSecretPost, &[], &[]).await;
    let reply = app.post_form("/token", Auth::Post(&id, "wrong"), &[CC]).await;
    reply.assert_oauth_error(401, "invalid_client");
}

#[tokio::test]
async fn rfc6749_5_2_unknown_client_is_invalid_client() {
    let app = TestApp::spawn().await;
    let reply = app.post_form("/token", Auth::Basic("nobody", "secret"), &[CC]).await;
    reply.assert_oauth_error(401, "invalid_client");
    let reply = app.post_form("/token", Auth::None, &[CC]).await;
    reply.assert_oauth_error(401, "invalid_client");
}

#[tokio::test]
async fn rfc7591_2_registered_auth_method_is_enforced() {
    let app = TestApp::spawn().await;
    let (id, secret) = app.m2m_client(&[], &[]).await; // client_secret_basic
    let reply = app.post_form("/token", Auth::Post(&id, &secret), &[CC]).await;
    reply.assert_oauth_error(401, "invalid_client");
}

#[tokio::test]
async fn rfc6749_5_2_grant_not_allowed_for_client_is_unauthorized_client() {
    let app = TestApp::spawn().await;
    let (id, secret) =
        app.client_with(ClientType::Web, AuthMethod::ClientSecretBasic, &["openid"], &[]).await;
    let reply = app.post_form("/token", Auth::Basic(&id, &secret), &[CC]).await;
    reply.assert_oauth_error(400, "unauthorized_client");
}

#[tokio::test]
async fn rfc6749_5_2_unknown_grant_type_is_unsupported_grant_type() {
    let app = TestApp::spawn().await;
    let (id, secret) = app.m2m_client(&[], &[]).await;
    for grant in ["password", "implicit", "urn:example:custom"] {
        let reply =
            app.post_form("/token", Auth::Basic(&id, &secret), &[("grant_type", grant)]).await;
        reply.assert_oauth_error(400, "unsupported_grant_type");
    }
}

#[tokio::test]
async fn rfc6749_3_2_missing_grant_type_is_invalid_request() {
    let app = TestApp::spawn().await;
    let (id, secret) = app.m2m_client(&[], &[]).await;
    let reply = app.post_form("/token", Auth::Basic(&id, &secret), &[]).await;
    reply.assert_oauth_error(400, "invalid_request");
}

#[tokio::test]
async fn rfc6749_3_2_repeated_parameter_is_invalid_request() {
    let app = TestApp::spawn().await;
    let (id, secret) = app.m2m_client(&["a", "b"], &[]).await;
    let form = [CC, ("scope", "a"), ("scope", "b")];
    let reply = app.post_form("/token", Auth::Basic(&id, &secret), &form).await;
    reply.assert_oauth_error(400, "invalid_request");
    let form = [CC, CC];
    let reply = app.post_form("/token", Auth::Basic(&id, &secret), &form).await;
    reply.assert_oauth_error(400, "invalid_request");
}

#[tokio::test]
async fn rfc6749_2_3_two_authentication_methods_are_invalid_request() {
    let app = TestApp::spawn().await;
    let (id, secret) = app.m2m_client(&[], &[]).await;
    let form = [CC, ("client_secret", secret.as_str())];
    let reply = app.post_form("/token", Auth::Basic(&id, &secret), &form).await;
    reply.assert_oauth_error(400, "invalid_request");
}

#[tokio::test]
async fn rfc6749_3_2_non_form_body_is_invalid_request() {
    let app = TestApp::spawn().await;
    let reply = app
        .http
        .post(app.url("/token"))
        .header("content-type", "application/json")
        .body(r#"{"grant_type":"client_credentials"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 400);
    let body: serde_json::Value = reply.json().await.unwrap();
    assert_eq!(body["error"], "invalid_request");
}

#[tokio::test]
async fn rfc6749_3_3_scope_beyond_allowed_is_invalid_scope() {
    let app = TestApp::spawn().await;
    let (id, secret) = app.m2m_client(&["read"], &[]).await;
    let form = [CC, ("scope", "read admin")];
    let reply = app.post_form("/token", Auth::Basic(&id, &secret), &form).await;
    reply.assert_oauth_error(400, "invalid_scope");
    let form = [CC, ("scope", "re\"ad")];
    let reply = app.post_form("/token", Auth::Basic(&id, &secret), &form).await;
    reply.assert_oauth_error(400, "invalid_scope");
}

#[tokio::test]
async fn rfc6749_3_3_omitted_scope_grants_the_clients_allowed_scopes() {
    let app = TestApp::spawn().await;
    let (id, secret) = app.m2m_client(&["read", "write"], &[]).await;
    let body = app.post_form("/token", Auth::Basic(&id, &secret), &[CC]).await.assert_ok();
    assert_eq!(body["scope"], "read write");
    let form = [CC, ("scope", "write")];
    let body = app.post_form("/token", Auth::Basic(&id, &secret), &form).await.assert_ok();
    assert_eq!(body["scope"], "write");
}

#[tokio::test]
async fn rfc8707_2_resource_chooses_the_audience() {
    let app = TestApp::spawn().await;
    let apis = ["https://a.example/", "https://b.example/"];
    let (id, secret) = app.m2m_client(&[], &apis).await;
    let token = app.cc_token(&id, &secret, &[("resource", apis[1])]).await;
    let (_, claims) = verify_with_jwks(&app, &token).await;
    assert_eq!(claims["aud"], apis[1]);
    let token = app.cc_token(&id, &secret, &[("resource", apis[0]), ("resource", apis[1])]).await;
    let (_, claims) = verify_with_jwks(&app, &token).await;
    assert_eq!(claims["aud"], serde_json::json!(apis));
    let token = app.cc_token(&id, &secret, &[]).await;
    let (_, claims) = verify_with_jwks(&app, &token).await;
    assert_eq!(claims["aud"], apis[0], "default: the first registered resource");
}

#[tokio::test]
async fn rfc8707_2_unregistered_or_malformed_resource_is_invalid_target() {
    let app = TestApp::spawn().await;
    let (id, secret) = app.m2m_client(&[], &["https://a.example/"]).await;
    for resource in ["https://evil.example/", "not a uri", "https://a.example/#frag"] {
        let form = [CC, ("resource", resource)];
        let reply = app.post_form("/token", Auth::Basic(&id, &secret), &form).await;
        reply.assert_oauth_error(400, "invalid_target");
    }
}

#[tokio::test]
async fn client_changes_take_effect_within_a_second() {
    let app = TestApp::spawn().await;
    let (id, secret) = app.m2m_client(&[], &[]).await;
    app.cc_token(&id, &secret, &[]).await; // now cached
    let new_secret = app.admin().rotate_client_secret(&id).await.unwrap();
    let mut refused = false;
    for _ in 0..30 {
        let reply = app.post_form("/token", Auth::Basic(&id, &secret), &[CC]).await;
        if reply.status == 401 {
            refused = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(refused, "the old secret must stop working once the change is seen");
    app.cc_token(&id, new_secret.expose_secret(), &[]).await;
}
