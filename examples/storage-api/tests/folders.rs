//! The storage API against a real Keygate: a drawing app granted one folder of the drive
//! (RFC 9396 authorization details) may use that folder, only as granted, and no other.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use keygate_core::api::{ApiScope, ApiSpec};
use keygate_core::authorization_details::DetailsType;
use keygate_core::client::ClientSpec;
use keygate_testkit::{Auth, Browser, TestApp, location};
use reqwest::StatusCode;
use serde_json::{Value, json};

const AUDIENCE: &str = "http://127.0.0.1/storage/";
const DIAGRAMS: &str = "http://127.0.0.1/storage/folders/diagrams";

async fn serve(app: &TestApp) -> String {
    let (validator, metadata) = storage_api::protect(&app.issuer, AUDIENCE).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let router = storage_api::app(validator, metadata, AUDIENCE);
    tokio::spawn(async move { axum::serve(listener, router).await });
    base
}

/// The API and its `folder_access` type, as the README does with `keygate apis create`.
async fn register_api(app: &TestApp) {
    let action = |n: &str, d: &str| ApiScope::new(n, d);
    let spec = ApiSpec {
        identifier: Some(AUDIENCE.into()),
        name: Some("Storage".into()),
        authorization_details_types: Some(vec![DetailsType {
            name: storage_api::FOLDER_ACCESS.into(),
            description: "the folder".into(),
            actions: vec![action("read", "open your files"), action("write", "save files")],
        }]),
        ..Default::default()
    };
    app.admin().create_api(spec).await.unwrap();
}

/// A user token for the drawing app with `details`; also returns the consent page's text.
async fn drawing_app_token(app: &TestApp, username: &str, details: &Value) -> (String, String) {
    let client = app.web_client(&["openid"]).await;
    let spec = ClientSpec { resources: Some(vec![AUDIENCE.into()]), ..Default::default() };
    app.admin().update_client(&client.id, spec).await.unwrap();
    app.provider.sync().await.unwrap();
    app.user(username).await;
    let browser = Browser::new();
    let (verifier, challenge) = keygate_testkit::pkce();
    let text = details.to_string();
    let url = app.authorize_url(&client, "openid", &challenge, &[("authorization_details", &text)]);
    let login = location(&browser.get(&url).await);
    let reply = app.submit_login(&browser, &login, username, keygate_testkit::PASSWORD).await;
    let consent = location(&reply);
    let page = browser.get(&consent).await.body;
    let callback = location(&app.submit_consent(&browser, &consent, "allow").await);
    let code = keygate_testkit::query_param(&callback, "code").unwrap();
    let tokens = app.exchange(&client, &code, &verifier).await.assert_ok();
    assert_eq!(&tokens["authorization_details"], details, "RFC 9396 §7");
    (tokens["access_token"].as_str().unwrap().to_owned(), page)
}

fn folder(location: &str, actions: &[&str]) -> Value {
    json!([{"type": "folder_access", "locations": [location], "actions": actions}])
}

#[tokio::test]
async fn the_drawing_app_may_use_its_folder_and_no_other() {
    let app = TestApp::spawn_realtime().await;
    register_api(&app).await;
    let base = serve(&app).await;
    let http = reqwest::Client::new();
    let (token, consent) =
        drawing_app_token(&app, "ada", &folder(DIAGRAMS, &["read", "write"])).await;
    assert!(consent.contains("Open your files and save files in the folder"), "{consent}");
    assert!(consent.contains("&#x2f;folders&#x2f;diagrams"), "{consent}");

    let put = |path: &str, body: &'static str| {
        http.put(format!("{base}{path}")).bearer_auth(&token).body(body).send()
    };
    let saved = put("/folders/diagrams/files/plan.svg", "<svg/>").await.unwrap();
    assert_eq!(saved.status(), StatusCode::CREATED);
    let listed = http.get(format!("{base}/folders/diagrams/files")).bearer_auth(&token);
    assert_eq!(listed.send().await.unwrap().json::<Value>().await.unwrap(), json!(["plan.svg"]));
    let file = http.get(format!("{base}/folders/diagrams/files/plan.svg")).bearer_auth(&token);
    assert_eq!(file.send().await.unwrap().text().await.unwrap(), "<svg/>");

    // Another folder: refused, for writing and for reading.
    let other = put("/folders/photos/files/cat.jpg", "meow").await.unwrap();
    assert_eq!(other.status(), StatusCode::FORBIDDEN);
    let challenge = other.headers()["www-authenticate"].to_str().unwrap().to_owned();
    assert!(challenge.contains("error=\"insufficient_scope\""), "{challenge}");
    assert!(challenge.contains("photos"), "{challenge}");
    let read = http.get(format!("{base}/folders/photos/files")).bearer_auth(&token);
    assert_eq!(read.send().await.unwrap().status(), StatusCode::FORBIDDEN);
    // A path that only looks like the folder.
    let sneaky = put("/folders/diagrams%2F..%2Fphotos/files/cat.jpg", "meow").await.unwrap();
    assert_eq!(sneaky.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn read_only_details_cannot_write() {
    let app = TestApp::spawn_realtime().await;
    register_api(&app).await;
    let base = serve(&app).await;
    let (token, _) = drawing_app_token(&app, "bob", &folder(DIAGRAMS, &["read"])).await;
    let http = reqwest::Client::new();
    let list = http.get(format!("{base}/folders/diagrams/files")).bearer_auth(&token);
    assert_eq!(list.send().await.unwrap().status(), StatusCode::OK);
    let write = http.put(format!("{base}/folders/diagrams/files/a.svg")).bearer_auth(&token);
    assert_eq!(write.body("x").send().await.unwrap().status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn introspection_carries_the_details_and_no_token_is_401() {
    let app = TestApp::spawn_realtime().await;
    register_api(&app).await;
    let base = serve(&app).await;
    let details = folder(DIAGRAMS, &["read"]);
    let (token, _) = drawing_app_token(&app, "cy", &details).await;
    let (rs, rs_secret) = app.api_credentials(AUDIENCE).await;
    let form = [("token", token.as_str())];
    let intro = app.post_form("/introspect", Auth::Basic(&rs, &rs_secret), &form).await;
    assert_eq!(intro.assert_ok()["authorization_details"], details, "RFC 9396 §9.2");
    let anonymous = reqwest::get(format!("{base}/folders/diagrams/files")).await.unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
}
