//! RFC 9396 Rich Authorization Requests: a drawing app asks for one folder of a drive.

use keygate_core::api::{ApiScope, ApiSpec};
use keygate_core::authorization_details::DetailsType;
use keygate_core::client::ClientSpec;
use keygate_testkit::{Auth, Browser, TestApp, TestClient, location, pkce, query_param};
use serde_json::{Value, json};

use crate::support::verify_with_jwks;

const DRIVE: &str = "https://storage.example/";
const DIAGRAMS: &str = "https://storage.example/folders/diagrams";

fn folder(location: &str, actions: &[&str]) -> Value {
    json!([{"type": "folder_access", "locations": [location], "actions": actions}])
}

async fn register_drive(app: &TestApp) {
    let action = |n: &str, d: &str| ApiScope::new(n, d);
    let spec = ApiSpec {
        identifier: Some(DRIVE.into()),
        name: Some("Drive".into()),
        authorization_details_types: Some(vec![DetailsType {
            name: "folder_access".into(),
            description: "the folder".into(),
            actions: vec![action("read", "open your files"), action("write", "save files")],
        }]),
        ..Default::default()
    };
    app.admin().create_api(spec).await.unwrap();
}

/// A drawing app allowed to ask for the drive.
async fn drawing_app(app: &TestApp) -> TestClient {
    register_drive(app).await;
    let client = app.web_client(&["openid", "offline_access"]).await;
    let spec = ClientSpec { resources: Some(vec![DRIVE.into()]), ..Default::default() };
    app.admin().update_client(&client.id, spec).await.unwrap();
    app.provider.sync().await.unwrap();
    app.user("ada").await;
    client
}

#[tokio::test]
async fn rfc9396_3_consent_shows_details_and_tokens_carry_them() {
    let app = TestApp::spawn().await;
    let client = drawing_app(&app).await;
    let browser = Browser::new();
    let (verifier, challenge) = pkce();
    let details = folder(DIAGRAMS, &["read", "write"]).to_string();
    let url = app.authorize_url(
        &client,
        "openid offline_access",
        &challenge,
        &[("authorization_details", &details)],
    );
    let login = location(&browser.get(&url).await);
    let consent =
        location(&app.submit_login(&browser, &login, "ada", keygate_testkit::PASSWORD).await);
    let page = browser.get(&consent).await;
    // Plain words, with the folder relative to the drive (`/` is escaped in HTML).
    let words = "Open your files and save files in the folder \
                 <strong>&#x2f;folders&#x2f;diagrams</strong> (Drive)";
    assert!(page.body.contains(words), "{}", page.body);
    let callback = location(&app.submit_consent(&browser, &consent, "allow").await);
    let code = query_param(&callback, "code").unwrap();
    let tokens = app.exchange(&client, &code, &verifier).await.assert_ok();
    assert_eq!(tokens["authorization_details"], folder(DIAGRAMS, &["read", "write"]));

    let (_, claims) = verify_with_jwks(&app, tokens["access_token"].as_str().unwrap()).await;
    assert_eq!(claims["authorization_details"], folder(DIAGRAMS, &["read", "write"]));
    assert_eq!(claims["aud"], DRIVE, "RFC 9396 §9.1: the token is for the drive");

    let (rs, rs_secret) = app.api_credentials(DRIVE).await;
    let token = tokens["access_token"].as_str().unwrap();
    let form = [("token", token)];
    let intro = app.post_form("/introspect", Auth::Basic(&rs, &rs_secret), &form).await;
    assert_eq!(intro.assert_ok()["authorization_details"], folder(DIAGRAMS, &["read", "write"]));
}

#[tokio::test]
async fn rfc9396_5_nonconforming_details_redirect_with_invalid_authorization_details() {
    let app = TestApp::spawn().await;
    let client = drawing_app(&app).await;
    let (_, challenge) = pkce();
    for bad in [
        json!([{"type": "payment_initiation", "actions": ["pay"]}]),
        folder("https://storage.example/folders/diagrams/../photos", &["read"]),
        folder(DIAGRAMS, &["delete"]),
        json!({"type": "folder_access"}),
    ] {
        let text = bad.to_string();
        let url =
            app.authorize_url(&client, "openid", &challenge, &[("authorization_details", &text)]);
        let redirect = location(&Browser::new().get(&url).await);
        assert!(redirect.starts_with(&client.redirect_uri), "{redirect}");
        assert_eq!(
            query_param(&redirect, "error").as_deref(),
            Some("invalid_authorization_details"),
            "{bad}"
        );
        assert_eq!(query_param(&redirect, "state").as_deref(), Some("xyz"));
    }
}

#[tokio::test]
async fn rfc9396_5_client_not_registered_for_the_api_is_refused() {
    let app = TestApp::spawn().await;
    let _ = drawing_app(&app).await;
    let other = app.web_client(&["openid"]).await;
    let (_, challenge) = pkce();
    let text = folder(DIAGRAMS, &["read"]).to_string();
    let url = app.authorize_url(&other, "openid", &challenge, &[("authorization_details", &text)]);
    let redirect = location(&Browser::new().get(&url).await);
    assert_eq!(query_param(&redirect, "error").as_deref(), Some("invalid_authorization_details"));
}

#[tokio::test]
async fn rfc9396_6_token_requests_narrow_never_widen() {
    let app = TestApp::spawn().await;
    let client = drawing_app(&app).await;
    let details = folder(DIAGRAMS, &["read", "write"]);
    let text = details.to_string();
    let flow = app
        .code_flow_with(
            &Browser::new(),
            &client,
            "ada",
            "openid offline_access",
            &[("authorization_details", &text)],
        )
        .await;
    let read_only = folder(DIAGRAMS, &["read"]).to_string();
    let form = [
        ("grant_type", "authorization_code"),
        ("code", flow.code.as_str()),
        ("redirect_uri", client.redirect_uri.as_str()),
        ("code_verifier", flow.verifier.as_str()),
        ("authorization_details", read_only.as_str()),
    ];
    let auth = Auth::Basic(&client.id, &client.secret);
    let tokens = app.post_form("/token", auth, &form).await.assert_ok();
    assert_eq!(tokens["authorization_details"], folder(DIAGRAMS, &["read"]));

    // The refresh token carries the grant: without the parameter, all of it again.
    let refresh = tokens["refresh_token"].as_str().unwrap();
    let form = [("grant_type", "refresh_token"), ("refresh_token", refresh)];
    let again =
        app.post_form("/token", Auth::Basic(&client.id, &client.secret), &form).await.assert_ok();
    assert_eq!(again["authorization_details"], details);

    let photos = folder("https://storage.example/folders/photos", &["read"]).to_string();
    let refresh = again["refresh_token"].as_str().unwrap();
    let form = [
        ("grant_type", "refresh_token"),
        ("refresh_token", refresh),
        ("authorization_details", photos.as_str()),
    ];
    app.post_form("/token", Auth::Basic(&client.id, &client.secret), &form)
        .await
        .assert_oauth_error(400, "invalid_authorization_details");
}

#[tokio::test]
async fn rfc9396_consent_is_asked_each_time_details_are_requested() {
    let app = TestApp::spawn().await;
    let client = drawing_app(&app).await;
    let browser = Browser::new();
    let text = folder(DIAGRAMS, &["read"]).to_string();
    let extra = [("authorization_details", text.as_str())];
    app.code_flow_with(&browser, &client, "ada", "openid", &extra).await;
    let (_, challenge) = pkce();
    let url = app.authorize_url(&client, "openid", &challenge, &[extra[0], ("prompt", "none")]);
    let redirect = location(&browser.get(&url).await);
    assert_eq!(query_param(&redirect, "error").as_deref(), Some("consent_required"));
}

#[tokio::test]
async fn rfc9396_6_client_credentials_get_details_their_api_granted() {
    let app = TestApp::spawn().await;
    register_drive(&app).await;
    let (id, secret) = app.m2m_client(&[], &[]).await;
    let text = folder(DIAGRAMS, &["read"]).to_string();
    let form = [("grant_type", "client_credentials"), ("authorization_details", text.as_str())];
    app.provider.sync().await.unwrap();
    app.post_form("/token", Auth::Basic(&id, &secret), &form)
        .await
        .assert_oauth_error(400, "invalid_authorization_details");
    app.admin().set_api_client_grant(DRIVE, &id, Some(vec![])).await.unwrap();
    app.provider.sync().await.unwrap();
    let tokens = app.post_form("/token", Auth::Basic(&id, &secret), &form).await.assert_ok();
    assert_eq!(tokens["authorization_details"], folder(DIAGRAMS, &["read"]));
    let (_, claims) = verify_with_jwks(&app, tokens["access_token"].as_str().unwrap()).await;
    assert_eq!(claims["aud"], DRIVE);
}

#[tokio::test]
async fn rfc9396_10_discovery_lists_the_types_apis_define() {
    let app = TestApp::spawn().await;
    let before = app.get("/.well-known/openid-configuration").await.json();
    assert!(before.get("authorization_details_types_supported").is_none());
    register_drive(&app).await;
    app.provider.sync().await.unwrap();
    let after = app.get("/.well-known/oauth-authorization-server").await.json();
    assert_eq!(after["authorization_details_types_supported"], json!(["folder_access"]));
}
