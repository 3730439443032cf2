//! RFC 8628 device authorization grant: a terminal asks for codes, the user approves on
//! `/device` in a browser, and the device polls the token endpoint.

use keygate_core::client::{AuthMethod, ClientSpec, ClientType, DEVICE_CODE_GRANT, GrantType};
use keygate_testkit::{Auth, Browser, PASSWORD, Reply, TestApp, TestClient, form_field, location};
use serde_json::Value;

/// A native (public) client allowed the device grant, and the user `ada`.
async fn device_client(app: &TestApp) -> TestClient {
    let scopes = ["openid", "profile", "offline_access"];
    let client = app.user_client(ClientType::Native, AuthMethod::None, &scopes, false).await;
    let grants = vec![GrantType::AuthorizationCode, GrantType::RefreshToken, GrantType::DeviceCode];
    let spec = ClientSpec { grant_types: Some(grants), ..Default::default() };
    app.admin().update_client(&client.id, spec).await.unwrap();
    app.provider.sync().await.unwrap();
    app.user("ada").await;
    client
}

async fn start(app: &TestApp, client: &TestClient) -> Value {
    let form = [("client_id", client.id.as_str()), ("scope", "openid offline_access")];
    let reply = app.post_form("/device_authorization", Auth::None, &form).await;
    assert_eq!(reply.header("cache-control"), Some("no-store"));
    reply.assert_ok()
}

async fn poll(app: &TestApp, client: &TestClient, device_code: &str) -> Reply {
    let form = [
        ("grant_type", DEVICE_CODE_GRANT),
        ("device_code", device_code),
        ("client_id", client.id.as_str()),
    ];
    app.post_form("/token", Auth::None, &form).await
}

/// In a browser: the link from `verification_uri_complete`, the code form, sign-in, and the
/// consent page answered with `decision`; returns the last page.
async fn user_decides(app: &TestApp, started: &Value, decision: &str) -> Reply {
    let browser = Browser::new();
    let form_page = browser.get(started["verification_uri_complete"].as_str().unwrap()).await;
    assert_eq!(form_page.status, 200);
    let user_code = started["user_code"].as_str().unwrap();
    assert_eq!(form_field(&form_page.body, "user_code").as_deref(), Some(user_code));
    let csrf = form_field(&form_page.body, "csrf").unwrap();
    // Typed by hand: lower case, no dash.
    let typed = user_code.replace('-', "").to_lowercase();
    let form = [("csrf", csrf.as_str()), ("user_code", typed.as_str())];
    let login = location(&browser.post_form(&app.url("/device"), &form).await);
    assert!(login.starts_with(&app.url("/login?")), "{login}");
    let consent = location(&app.submit_login(&browser, &login, "ada", PASSWORD).await);
    assert!(consent.starts_with(&app.url("/consent?")), "RFC 8628 §5.4: always asked: {consent}");
    let page = browser.get(&consent).await;
    assert!(
        page.body.contains(&format!("with the code <strong>{user_code}</strong>")),
        "{}",
        page.body
    );
    let done = app.submit_consent(&browser, &consent, decision).await;
    assert_eq!(done.status, 200, "{}", done.body);
    done
}

#[tokio::test]
async fn rfc8628_3_2_device_authorization_response() {
    let app = TestApp::spawn().await;
    let client = device_client(&app).await;
    let started = start(&app, &client).await;
    let user_code = started["user_code"].as_str().unwrap();
    assert_eq!(user_code.len(), 9, "XXXX-XXXX");
    assert!(user_code.chars().all(|c| c == '-' || "BCDFGHJKLMNPQRSTVWXZ".contains(c)));
    assert_eq!(started["verification_uri"], app.url("/device"));
    assert_eq!(
        started["verification_uri_complete"],
        format!("{}?user_code={user_code}", app.url("/device"))
    );
    assert_eq!(started["expires_in"], 600);
    assert_eq!(started["interval"], 5);
    assert!(started["device_code"].as_str().unwrap().len() >= 43);
}

#[tokio::test]
async fn rfc8628_3_1_client_without_the_grant_is_unauthorized() {
    let app = TestApp::spawn().await;
    let client = app.web_client(&["openid"]).await;
    let form = [("scope", "openid")];
    let auth = Auth::Basic(&client.id, &client.secret);
    let reply = app.post_form("/device_authorization", auth, &form).await;
    reply.assert_oauth_error(400, "unauthorized_client");
    let unknown = [("client_id", "nobody"), ("scope", "openid")];
    let reply = app.post_form("/device_authorization", Auth::None, &unknown).await;
    reply.assert_oauth_error(401, "invalid_client");
}

#[tokio::test]
async fn rfc8628_3_5_pending_then_slow_down() {
    let app = TestApp::spawn().await;
    let client = device_client(&app).await;
    let started = start(&app, &client).await;
    let code = started["device_code"].as_str().unwrap();
    poll(&app, &client, code).await.assert_oauth_error(400, "authorization_pending");
    poll(&app, &client, code).await.assert_oauth_error(400, "slow_down");
    // The interval is now 10 seconds: 6 is still too fast, 10 is fine.
    app.clock.advance(6);
    poll(&app, &client, code).await.assert_oauth_error(400, "slow_down");
    app.clock.advance(15);
    poll(&app, &client, code).await.assert_oauth_error(400, "authorization_pending");
}

#[tokio::test]
async fn rfc8628_3_3_user_approves_and_the_device_gets_tokens_once() {
    let app = TestApp::spawn().await;
    let client = device_client(&app).await;
    let started = start(&app, &client).await;
    let done = user_decides(&app, &started, "allow").await;
    assert!(done.body.contains("Device connected"), "{}", done.body);
    let code = started["device_code"].as_str().unwrap();
    let tokens = poll(&app, &client, code).await.assert_ok();
    assert!(tokens["access_token"].is_string());
    assert!(tokens["id_token"].is_string(), "openid was asked for");
    assert!(tokens["refresh_token"].is_string(), "offline_access was asked for");
    assert_eq!(tokens["scope"], "openid offline_access");
    poll(&app, &client, code).await.assert_oauth_error(400, "invalid_grant");
    // The refresh token works like any other.
    let form = [
        ("grant_type", "refresh_token"),
        ("refresh_token", tokens["refresh_token"].as_str().unwrap()),
        ("client_id", client.id.as_str()),
    ];
    app.post_form("/token", Auth::None, &form).await.assert_ok();
}

#[tokio::test]
async fn rfc8628_3_5_refused_is_access_denied() {
    let app = TestApp::spawn().await;
    let client = device_client(&app).await;
    let started = start(&app, &client).await;
    let done = user_decides(&app, &started, "deny").await;
    assert!(done.body.contains("Access refused"), "{}", done.body);
    let code = started["device_code"].as_str().unwrap();
    poll(&app, &client, code).await.assert_oauth_error(400, "access_denied");
}

#[tokio::test]
async fn rfc8628_3_5_expired_code_is_expired_token() {
    let app = TestApp::spawn().await;
    let client = device_client(&app).await;
    let started = start(&app, &client).await;
    app.clock.advance(600);
    let code = started["device_code"].as_str().unwrap();
    poll(&app, &client, code).await.assert_oauth_error(400, "expired_token");
    // The code can no longer be entered either.
    let browser = Browser::new();
    let page = browser.get(started["verification_uri_complete"].as_str().unwrap()).await;
    let csrf = form_field(&page.body, "csrf").unwrap();
    let user_code = started["user_code"].as_str().unwrap();
    let form = [("csrf", csrf.as_str()), ("user_code", user_code)];
    let reply = browser.post_form(&app.url("/device"), &form).await;
    assert!(reply.body.contains("not valid or has expired"));
}

#[tokio::test]
async fn rfc8628_5_1_guessing_user_codes_is_limited() {
    let app = TestApp::spawn().await;
    let browser = Browser::new();
    let page = browser.get(&app.url("/device")).await;
    let csrf = form_field(&page.body, "csrf").unwrap();
    for _ in 0..10 {
        let form = [("csrf", csrf.as_str()), ("user_code", "BCDF-GHJK")];
        let reply = browser.post_form(&app.url("/device"), &form).await;
        assert_eq!(reply.status, 200);
        assert!(reply.body.contains("not valid or has expired"));
    }
    let form = [("csrf", csrf.as_str()), ("user_code", "BCDF-GHJL")];
    assert_eq!(browser.post_form(&app.url("/device"), &form).await.status, 429);
    let forged = [("csrf", "forged"), ("user_code", "BCDF-GHJK")];
    assert_eq!(browser.post_form(&app.url("/device"), &forged).await.status, 400);
}

#[tokio::test]
async fn rfc8628_4_discovery_names_the_endpoint_and_grant() {
    let app = TestApp::spawn().await;
    let metadata = app.get("/.well-known/openid-configuration").await.json();
    assert_eq!(metadata["device_authorization_endpoint"], app.url("/device_authorization"));
    let grants = metadata["grant_types_supported"].as_array().unwrap();
    assert!(grants.iter().any(|g| g == DEVICE_CODE_GRANT));
}
