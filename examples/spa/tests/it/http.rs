//! What the static server sends, and the calls the script makes, over HTTP.

use keygate_testkit::{Browser, pkce, query_param};
use reqwest::Method;
use serde_json::Value;

use crate::{AUDIENCE, Setup, setup};

#[tokio::test]
async fn the_server_sends_the_page_the_script_and_where_keygate_is() {
    let s = setup().await;
    let http = reqwest::Client::new();
    for path in ["/", "/callback?code=x&state=y"] {
        let page = http.get(s.url(path)).send().await.unwrap();
        assert_eq!(page.headers()["content-type"], "text/html; charset=utf-8");
        assert_eq!(page.headers()["referrer-policy"], "no-referrer", "the code must not leak");
        let csp = page.headers()["content-security-policy"].to_str().unwrap().to_owned();
        assert!(
            csp.contains(&format!("connect-src 'self' {} {}", s.app.issuer, s.todo_api)),
            "{csp}"
        );
        assert!(csp.contains("script-src 'self'"), "{csp}");
        assert!(page.text().await.unwrap().contains(r#"<script type="module" src="/app.js">"#));
    }
    let script = http.get(s.url("/app.js")).send().await.unwrap();
    assert_eq!(script.headers()["content-type"], "text/javascript; charset=utf-8");
    let config: Value = http.get(s.url("/config.json")).send().await.unwrap().json().await.unwrap();
    assert_eq!(config["issuer"], s.app.issuer);
    assert_eq!(config["client_id"], s.client.id);
    assert_eq!(config["todo_api"], s.todo_api);
    assert_eq!(config["todo_audience"], AUDIENCE);
    assert_eq!(config["scope"], spa::SCOPE);
}

#[test]
fn the_script_keeps_tokens_in_memory_only() {
    let code: Vec<&str> = include_str!("../../static/app.js")
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect();
    for storage in ["localStorage", "document.cookie", "indexedDB"] {
        assert!(!code.iter().any(|l| l.contains(storage)), "{storage}");
    }
    let stored: Vec<&&str> = code.iter().filter(|l| l.contains("sessionStorage.setItem")).collect();
    assert_eq!(stored.len(), 2, "only the sign-in and sign-out round trips: {stored:?}");
    assert!(stored.iter().all(|l| !l.contains("token")), "{stored:?}");
}

#[test]
fn the_script_is_valid_javascript() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/static/app.js");
    match std::process::Command::new("node").arg("--check").arg(path).output() {
        Ok(out) => assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr)),
        Err(_) => eprintln!("SKIPPED: node is not installed"),
    }
}

async fn preflight(url: &str, origin: &str) -> reqwest::Response {
    reqwest::Client::new()
        .request(Method::OPTIONS, url)
        .header("origin", origin)
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "authorization,content-type")
        .send()
        .await
        .unwrap()
}

/// A token request as the script sends it: from the SPA's origin, `client_id` in the body and
/// no secret.
async fn token_request(s: &Setup, form: &[(&str, &str)]) -> (Value, Option<String>) {
    let mut form = form.to_vec();
    form.push(("client_id", &s.client.id));
    let reply = s
        .app
        .http
        .post(s.app.url("/token"))
        .header("origin", &s.spa)
        .form(&form)
        .send()
        .await
        .unwrap();
    let allowed =
        reply.headers().get("access-control-allow-origin").map(|v| v.to_str().unwrap().to_owned());
    (reply.json().await.unwrap(), allowed)
}

#[tokio::test]
async fn keygate_and_todo_api_answer_the_spa_origin_and_no_other() {
    let s = setup().await;
    for url in [
        s.app.url("/token"),
        s.app.url("/userinfo"),
        s.app.url("/revoke"),
        format!("{}/todos", s.todo_api),
    ] {
        let ok = preflight(&url, &s.spa).await;
        assert_eq!(ok.headers()["access-control-allow-origin"].to_str().unwrap(), s.spa, "{url}");
        let other = preflight(&url, "https://evil.example").await;
        assert!(other.headers().get("access-control-allow-origin").is_none(), "{url}");
    }

    let browser = Browser::new();
    let (verifier, challenge) = pkce();
    let extra = [("resource", AUDIENCE)];
    let url = s.app.authorize_url(&s.client, spa::SCOPE, &challenge, &extra);
    let callback = s.app.walk_to_callback(&browser, &s.client, "ada", &url).await;
    let code = query_param(&callback, "code").unwrap();
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", s.client.redirect_uri.as_str()),
        ("code_verifier", verifier.as_str()),
    ];
    let (tokens, allowed) = token_request(&s, &form).await;
    assert_eq!(allowed.as_deref(), Some(s.spa.as_str()), "{tokens}");
    let first = tokens["refresh_token"].as_str().unwrap().to_owned();

    let refresh = [("grant_type", "refresh_token"), ("refresh_token", first.as_str())];
    let (renewed, allowed) = token_request(&s, &refresh).await;
    assert_eq!(allowed.as_deref(), Some(s.spa.as_str()));
    assert_ne!(renewed["refresh_token"].as_str().unwrap(), first, "rotated");

    let access = renewed["access_token"].as_str().unwrap();
    let todos = s
        .app
        .http
        .get(format!("{}/todos", s.todo_api))
        .header("origin", &s.spa)
        .bearer_auth(access);
    let todos = todos.send().await.unwrap();
    assert_eq!(todos.status(), 200);
    assert_eq!(todos.headers()["access-control-allow-origin"].to_str().unwrap(), s.spa);
    let userinfo =
        s.app.http.get(s.app.url("/userinfo")).header("origin", &s.spa).bearer_auth(access);
    let userinfo = userinfo.send().await.unwrap();
    assert_eq!(userinfo.headers()["access-control-allow-origin"].to_str().unwrap(), s.spa);
    assert_eq!(userinfo.json::<Value>().await.unwrap()["name"], "ada Example");
}
