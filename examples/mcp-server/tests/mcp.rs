//! The MCP server against a real Keygate, as an MCP client meets it: a `401` pointing to the
//! RFC 9728 metadata, which names Keygate; a client identified by its Client ID Metadata
//! Document signs the user in for this server's URL (RFC 8707); tools answer within the
//! token's scope, and a tool that needs more answers `403 insufficient_scope` until the user
//! grants it.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use keygate_testkit::{Browser, TestApp, TestClient, pkce, query_param};
use serde_json::{Value, json};

/// Keygate, the MCP server (its URL registered as an open API), and a client document.
struct World {
    app: TestApp,
    mcp: String,
    client: TestClient,
}

async fn world() -> World {
    let app = TestApp::spawn_realtime().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let mcp = format!("http://{}/mcp", listener.local_addr().unwrap());
    common::register_server(&app, &mcp).await;
    let (validator, metadata) = mcp_server::protect(&app.issuer, &mcp).await.unwrap();
    tokio::spawn(async move { axum::serve(listener, mcp_server::app(validator, metadata)).await });
    let client = TestClient {
        id: client_document().await,
        secret: String::new(),
        redirect_uri: "http://127.0.0.1:4713/callback".to_owned(),
    };
    World { app, mcp, client }
}

/// Serves an MCP client's Client ID Metadata Document; returns its URL.
async fn client_document() -> String {
    use axum::response::IntoResponse;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/client.json", listener.local_addr().unwrap());
    let doc = json!({ "client_id": url, "client_name": "Test MCP client",
        "redirect_uris": ["http://127.0.0.1/callback"], "application_type": "native",
        "grant_types": ["authorization_code", "refresh_token"], "token_endpoint_auth_method": "none" });
    let route = axum::routing::get(move || async move { axum::Json(doc).into_response() });
    let router = axum::Router::new().route("/client.json", route);
    tokio::spawn(async move { axum::serve(listener, router).await });
    url
}

/// Signs `ada` in for the MCP server with `scope`; returns the access token.
async fn sign_in(w: &World, browser: &Browser, scope: &str) -> String {
    let (verifier, challenge) = pkce();
    let url = w.app.authorize_url(&w.client, scope, &challenge, &[("resource", &w.mcp)]);
    let callback = w.app.walk_to_callback(browser, &w.client, "ada", &url).await;
    let code = query_param(&callback, "code").unwrap();
    let tokens = w.app.exchange(&w.client, &code, &verifier).await.assert_ok();
    tokens["access_token"].as_str().unwrap().to_owned()
}

async fn rpc(w: &World, token: &str, method: &str, params: Value) -> reqwest::Response {
    reqwest::Client::new()
        .post(&w.mcp)
        .bearer_auth(token)
        .header("accept", "application/json, text/event-stream")
        .header("mcp-protocol-version", "2025-11-25")
        .json(&json!({ "jsonrpc": "2.0", "id": 1, "method": method, "params": params }))
        .send()
        .await
        .unwrap()
}

async fn call(w: &World, token: &str, tool: &str, arguments: Value) -> reqwest::Response {
    rpc(w, token, "tools/call", json!({ "name": tool, "arguments": arguments })).await
}

fn challenge(reply: &reqwest::Response) -> String {
    reply.headers()["www-authenticate"].to_str().unwrap().to_owned()
}

#[tokio::test]
async fn mcp_authorization_discovery_sign_in_tools_and_scope_step_up() {
    let w = world().await;
    // Without a token: 401 naming the metadata, which names Keygate (RFC 9728 §5.1).
    let anonymous = reqwest::Client::new().post(&w.mcp).json(&json!({})).send().await.unwrap();
    assert_eq!(anonymous.status(), 401);
    assert!(challenge(&anonymous).contains("scope=\"todo:read\""), "{}", challenge(&anonymous));
    let metadata_url = challenge(&anonymous)
        .split("resource_metadata=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    assert!(metadata_url.ends_with("/.well-known/oauth-protected-resource/mcp"), "{metadata_url}");
    let metadata: Value = reqwest::get(&metadata_url).await.unwrap().json().await.unwrap();
    assert_eq!(metadata["resource"], w.mcp.as_str());
    assert_eq!(metadata["authorization_servers"], json!([w.app.issuer]));

    // Signed in with todo:read for this server.
    let browser = Browser::new();
    let token = sign_in(&w, &browser, "todo:read").await;
    let init = rpc(
        &w,
        &token,
        "initialize",
        json!({ "protocolVersion": "2025-06-18",
        "capabilities": {}, "clientInfo": { "name": "test", "version": "1" } }),
    )
    .await;
    let init: Value = init.json().await.unwrap();
    assert_eq!(init["result"]["protocolVersion"], "2025-06-18");
    // Notifications are accepted without an answer; there is no event stream to GET.
    let http = reqwest::Client::new();
    let note = json!({ "jsonrpc": "2.0", "method": "notifications/initialized" });
    let accepted = http.post(&w.mcp).bearer_auth(&token).json(&note).send().await.unwrap();
    assert_eq!(accepted.status(), 202);
    assert_eq!(http.get(&w.mcp).bearer_auth(&token).send().await.unwrap().status(), 405);
    let tools: Value = rpc(&w, &token, "tools/list", json!({})).await.json().await.unwrap();
    assert_eq!(tools["result"]["tools"].as_array().unwrap().len(), 3);
    let listed: Value = call(&w, &token, "list_todos", json!({})).await.json().await.unwrap();
    assert_eq!(listed["result"]["content"][0]["text"], "You have no to-dos.");

    // A tool that needs todo:write: 403 insufficient_scope naming it (step-up).
    let refused = call(&w, &token, "add_todo", json!({ "title": "Buy milk" })).await;
    assert_eq!(refused.status(), 403);
    let words = challenge(&refused);
    assert!(words.contains("insufficient_scope") && words.contains("todo:write"), "{words}");
    let token = sign_in(&w, &browser, "todo:read todo:write").await;
    let added: Value =
        call(&w, &token, "add_todo", json!({ "title": "Buy milk" })).await.json().await.unwrap();
    assert_eq!(added["result"]["content"][0]["text"], "Added #1: Buy milk");
    let listed: Value = call(&w, &token, "list_todos", json!({})).await.json().await.unwrap();
    assert_eq!(listed["result"]["content"][0]["text"], "#1 [ ] Buy milk");
}

#[tokio::test]
async fn mcp_a_token_for_another_audience_is_refused() {
    let w = world().await;
    let browser = Browser::new();
    // Signed in without naming the server: the token is not for it.
    let (verifier, challenge_value) = pkce();
    let url = w.app.authorize_url(&w.client, "openid", &challenge_value, &[]);
    let callback = w.app.walk_to_callback(&browser, &w.client, "ada", &url).await;
    let code = query_param(&callback, "code").unwrap();
    let tokens = w.app.exchange(&w.client, &code, &verifier).await.assert_ok();
    let reply = rpc(&w, tokens["access_token"].as_str().unwrap(), "tools/list", json!({})).await;
    assert_eq!(reply.status(), 401);
    assert!(challenge(&reply).contains("invalid_token"), "{}", challenge(&reply));
}
