//! Test support for the examples that run todo-api against a real Keygate (todo-api's own
//! tests, and web-app's and spa's, which include this file by path): the API's registration
//! in Keygate, a todo-api on port 0, and the browser steps the two apps share.

// Each test crate uses part of this file.
#![allow(dead_code)]

use std::sync::Arc;

use keygate_core::Clock as _;
use keygate_core::api::{ApiScope, ApiSpec};
use keygate_resource::{ProtectedResourceMetadata, Validator};
use keygate_testkit::TestApp;

/// todo-api's identifier in Keygate.
pub const AUDIENCE: &str = "http://127.0.0.1/todo";

/// The API registered in Keygate with its scopes, as the README does with `keygate apis create`.
pub async fn register_api(app: &TestApp) {
    let scopes = [("todo:read", "Read your to-do list"), ("todo:write", "Change your to-do list")]
        .map(|(n, d)| ApiScope::new(n, d))
        .to_vec();
    let spec = ApiSpec {
        identifier: Some(AUDIENCE.into()),
        name: Some("To-do API".into()),
        scopes: Some(scopes),
        ..Default::default()
    };
    app.admin().create_api(spec).await.unwrap();
}

/// todo-api on port 0, answering CORS for `origins`, reading the time from Keygate's manual
/// clock (so a test can make tokens expire); returns its base URL.
pub async fn serve_todo_api(app: &TestApp, origins: &[&str]) -> String {
    let clock = app.clock.clone();
    let validator = Validator::builder(&app.issuer, AUDIENCE)
        .clock(Arc::new(move || clock.now()))
        .build()
        .await
        .unwrap();
    let scopes = [todo_api::READ, todo_api::WRITE];
    let metadata = ProtectedResourceMetadata::new(AUDIENCE, &app.issuer, &scopes);
    let router =
        todo_api::app(Arc::new(validator), metadata).layer(todo_api::cors(origins).unwrap());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await });
    base
}

/// In Chromium, on Keygate's pages (the browser is already there): signs in as `username`,
/// saves a screenshot of the consent page as `consent_screenshot`, and allows.
pub async fn allow_on_keygate(
    driver: &keygate_testkit::WebDriver,
    username: &str,
    consent_screenshot: &str,
) {
    driver.wait_for_url(|u| u.contains("/login?")).await;
    driver.type_into("#username", username).await;
    driver.type_into("#password", keygate_testkit::PASSWORD).await;
    driver.click("button[type=submit]").await;
    driver.wait_for_element("button[value=allow]").await;
    driver.screenshot(consent_screenshot).await;
    driver.click("button[value=allow]").await;
}

/// In Chromium, on an example app's to-do page: adds `title` with the form (`#title`, `#add`)
/// and waits until the list (`#todos`) shows `count` items, the new one among them.
pub async fn add_todo(driver: &keygate_testkit::WebDriver, title: &str, count: usize) {
    driver.type_into("#title", title).await;
    driver.click("#add").await;
    let selector = vec!["#todos li"; count].join(" + ");
    driver.wait_for_element(&selector).await;
    let list = driver.text("#todos").await;
    assert!(list.contains(title), "{title} not in {list:?}: {}", driver.source().await);
}
