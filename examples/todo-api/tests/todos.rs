//! The to-do API against a real Keygate: per-user lists, and scopes enforced per request.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use keygate_testkit::{Browser, TestApp};
use reqwest::StatusCode;
use serde_json::json;

use common::{AUDIENCE, register_api};

async fn serve(app: &TestApp) -> String {
    let (validator, metadata) = todo_api::protect(&app.issuer, AUDIENCE).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, todo_api::app(validator, metadata)).await });
    base
}

async fn user_token(app: &TestApp, username: &str, scope: &str) -> String {
    let client = app.web_client(&["openid", "todo:read", "todo:write"]).await;
    let spec = keygate_core::client::ClientSpec {
        resources: Some(vec![AUDIENCE.into()]),
        ..Default::default()
    };
    app.admin().update_client(&client.id, spec).await.unwrap();
    app.provider.sync().await.unwrap();
    app.user(username).await;
    let browser = Browser::new();
    let flow =
        app.code_flow_with(&browser, &client, username, scope, &[("resource", AUDIENCE)]).await;
    let tokens = app.exchange(&client, &flow.code, &flow.verifier).await.assert_ok();
    tokens["access_token"].as_str().unwrap().to_owned()
}

async fn list(http: &reqwest::Client, base: &str, token: &str) -> serde_json::Value {
    let reply = http.get(format!("{base}/todos")).bearer_auth(token).send().await.unwrap();
    reply.json().await.unwrap()
}

#[tokio::test]
async fn each_user_has_their_own_list_and_writes_need_todo_write() {
    let app = TestApp::spawn_realtime().await;
    register_api(&app).await;
    let base = serve(&app).await;
    let http = reqwest::Client::new();
    let ada = user_token(&app, "ada", "openid todo:read todo:write").await;
    let bob = user_token(&app, "bob", "openid todo:read").await;

    let created = http
        .post(format!("{base}/todos"))
        .bearer_auth(&ada)
        .json(&json!({"title": "Buy milk"}))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), StatusCode::CREATED);
    let id = created.json::<serde_json::Value>().await.unwrap()["id"].as_u64().unwrap();
    let todos = list(&http, &base, &ada).await;
    assert_eq!(todos[0]["title"], "Buy milk");
    let done = http
        .patch(format!("{base}/todos/{id}"))
        .bearer_auth(&ada)
        .json(&json!({"done": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(done.json::<serde_json::Value>().await.unwrap()["done"], true);

    let bobs = list(&http, &base, &bob).await;
    assert_eq!(bobs, json!([]), "bob sees only his own list");
    let refused = http
        .post(format!("{base}/todos"))
        .bearer_auth(&bob)
        .json(&json!({"title": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let challenge = refused.headers()["www-authenticate"].to_str().unwrap();
    assert!(
        challenge.contains("error=\"insufficient_scope\"")
            && challenge.contains("scope=\"todo:write\""),
        "{challenge}"
    );
    let delete = http.delete(format!("{base}/todos/{id}")).bearer_auth(&bob).send().await.unwrap();
    assert_eq!(delete.status(), StatusCode::FORBIDDEN);
    let delete = http.delete(format!("{base}/todos/{id}")).bearer_auth(&ada).send().await.unwrap();
    assert_eq!(delete.status(), StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn the_consent_page_shows_the_apis_own_words() {
    let app = TestApp::spawn_realtime().await;
    register_api(&app).await;
    let client = app.web_client(&["openid", "todo:read"]).await;
    let spec = keygate_core::client::ClientSpec {
        resources: Some(vec![AUDIENCE.into()]),
        ..Default::default()
    };
    app.admin().update_client(&client.id, spec).await.unwrap();
    app.provider.sync().await.unwrap();
    app.user("cy").await;
    let browser = Browser::new();
    let (_, challenge) = keygate_testkit::pkce();
    let start = browser
        .get(&app.authorize_url(&client, "openid todo:read", &challenge, &[("resource", AUDIENCE)]))
        .await;
    let login_url = keygate_testkit::location(&start);
    let after = app.submit_login(&browser, &login_url, "cy", keygate_testkit::PASSWORD).await;
    let consent = browser.get(&keygate_testkit::location(&after)).await;
    assert!(consent.body.contains("Read your to-do list"), "{}", consent.body);
}

#[tokio::test]
async fn browser_apps_on_allowed_origins_and_no_others_may_read_its_answers() {
    const SPA: &str = "http://127.0.0.1:3005";
    let app = TestApp::spawn_realtime().await;
    register_api(&app).await;
    let base = common::serve_todo_api(&app, &[SPA]).await;
    let http = reqwest::Client::new();
    let preflight = |origin: &'static str| {
        http.request(reqwest::Method::OPTIONS, format!("{base}/todos"))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "authorization,content-type")
            .send()
    };
    let allowed = preflight(SPA).await.unwrap();
    assert!(allowed.status().is_success(), "{}", allowed.status());
    assert_eq!(allowed.headers()["access-control-allow-origin"], SPA);
    let headers = allowed.headers()["access-control-allow-headers"].to_str().unwrap();
    assert!(headers.contains("authorization") && headers.contains("content-type"), "{headers}");
    assert!(allowed.headers().get("access-control-allow-credentials").is_none(), "no cookies");
    let refused = preflight("https://evil.example").await.unwrap();
    assert!(refused.headers().get("access-control-allow-origin").is_none());

    // A 401 is readable too, challenge included, so the app knows to refresh its token.
    let reply = http.get(format!("{base}/todos")).header("origin", SPA).send().await.unwrap();
    assert_eq!(reply.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(reply.headers()["access-control-allow-origin"], SPA);
    let exposed = reply.headers()["access-control-expose-headers"].to_str().unwrap();
    assert!(exposed.contains("www-authenticate"), "{exposed}");
    let token = user_token(&app, "ada", "openid todo:read").await;
    let reply = http
        .get(format!("{base}/todos"))
        .header("origin", SPA)
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), StatusCode::OK);
    assert_eq!(reply.headers()["access-control-allow-origin"], SPA);
}

#[test]
fn an_origin_that_is_not_a_header_value_is_refused() {
    assert!(todo_api::cors(&["http://ok.example"]).is_ok());
    assert!(todo_api::cors(&["http://bad\nexample"]).is_err());
}
