//! The official MCP client SDKs against this MCP server and a real Keygate, each left to do
//! all of OAuth itself: the TypeScript SDK in both revisions (`@modelcontextprotocol/sdk` 1.x,
//! `@modelcontextprotocol/client` 2.x, `interop/node/mcp-sdk.mjs`) and the Python SDK (`mcp`,
//! `interop/python/mcp_sdk.py`). Each discovers Keygate from the server's `401` and RFC 9728
//! metadata, registers (a Client ID Metadata Document served over https, or dynamic client
//! registration), signs the user in through Keygate's login and consent pages with PKCE and
//! `resource`, calls tools, steps up when a tool's `403` names `todo:write`, and carries on
//! past the access token's expiry (a refresh, for the SDKs that ask for `offline_access`).
//!
//! `.ci/run` installs the SDKs; without them these tests fail under `CI=true` and skip with
//! the reason elsewhere.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use std::time::Duration;

use keygate_core::settings::RegistrationSettings;
use keygate_testkit::interop::{Script, node_package_ready, python_modules_ready};
use keygate_testkit::{PASSWORD, TestApp, TestCert};
use serde_json::{Value, json};

/// How long Keygate's access tokens live here, so that the scripts outlive one.
const ACCESS_TOKEN_SECONDS: i64 = 4;
/// Where the SDKs say they listen for the callback (nothing does: the scripts take it).
const REDIRECT_URI: &str = "http://127.0.0.1:47613/callback";

/// Keygate (open registration, short access tokens, trusting the documents' CA), the MCP
/// server as an open API, and a client's metadata document on https.
struct World {
    app: TestApp,
    mcp: String,
    document_url: String,
}

async fn world() -> World {
    let documents_ca = TestCert::new("MCP client documents");
    let pem = documents_ca.cert_pem.clone().into_bytes();
    let app = TestApp::spawn_realtime_with(move |s| {
        s.access_token_ttl = ACCESS_TOKEN_SECONDS;
        s.registration =
            RegistrationSettings { enabled: true, open: true, unused_client_ttl: None };
        s.outbound_ca_pem = Some(pem);
    })
    .await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let mcp = format!("http://{}/mcp", listener.local_addr().unwrap());
    common::register_server(&app, &mcp).await;
    // No clock skew allowance, so that an expired token is refused at once.
    let (builder, metadata) = mcp_server::validator(&app.issuer, &mcp);
    let validator = std::sync::Arc::new(builder.leeway(Duration::ZERO).build().await.unwrap());
    tokio::spawn(async move { axum::serve(listener, mcp_server::app(validator, metadata)).await });
    let document_url = serve_document(&documents_ca).await;
    World { app, mcp, document_url }
}

/// Serves an MCP client's metadata document over https with `cert`; returns its URL.
async fn serve_document(cert: &TestCert) -> String {
    let url = std::sync::Arc::new(std::sync::OnceLock::<String>::new());
    let served = url.clone();
    let route = axum::routing::get(move || async move {
        let id = served.get().cloned().unwrap_or_default();
        axum::Json(json!({ "client_id": id, "client_name": "Interop MCP client",
            "redirect_uris": ["http://127.0.0.1/callback"], "application_type": "native",
            "grant_types": ["authorization_code", "refresh_token"], "response_types": ["code"],
            "token_endpoint_auth_method": "none" }))
    });
    let base = cert.serve(axum::Router::new().route("/mcp/client.json", route)).await;
    let document_url = format!("{base}/mcp/client.json");
    url.set(document_url.clone()).unwrap();
    document_url
}

/// Runs an SDK script against the world; `document` registers by metadata document.
async fn run(w: &World, program: &str, script: &str, sdk: &str, document: bool) -> Value {
    let wait = (ACCESS_TOKEN_SECONDS + 1) * 1000;
    let mut run = Script::new(program, script)
        .env("MCP_SDK", sdk)
        .env("MCP_URL", &w.mcp)
        .env("KEYGATE_ISSUER", &w.app.issuer)
        .env("REDIRECT_URI", REDIRECT_URI)
        .env("USERNAME", "ada")
        .env("PASSWORD", PASSWORD)
        .env("EXPIRY_WAIT_MS", wait.to_string());
    if document {
        run = run.env("CLIENT_METADATA_URL", &w.document_url);
    }
    run.run().await
}

fn text(v: &Value) -> &str {
    v.as_str().unwrap_or_default()
}

fn words(v: &Value) -> Vec<&str> {
    text(v).split(' ').collect()
}

/// What every SDK must have done, whatever its revision.
fn assert_common(w: &World, s: &Value, document: bool) {
    let first = &s["first_authorization"];
    // RFC 7636 S256, RFC 8707 resource = the server's URL, the scope of the 401 (MCP scope
    // selection) and not everything the metadata lists.
    assert_eq!(first["code_challenge_method"], "S256", "{s}");
    assert_eq!(first["resource"], w.mcp.as_str(), "{s}");
    assert!(words(&first["scope"]).contains(&"todo:read"), "{s}");
    assert!(!words(&first["scope"]).contains(&"todo:write"), "{s}");
    let client_id = text(&s["client_id"]);
    if document {
        assert_eq!(client_id, w.document_url, "{s}");
    } else {
        assert!(!client_id.is_empty() && !client_id.starts_with("http"), "{s}");
    }
    assert_eq!(first["client_id"], client_id, "{s}");
    assert_eq!(s["tools"], json!(["list_todos", "add_todo", "complete_todo"]), "{s}");
    assert_eq!(s["listed"]["text"], "You have no to-dos.", "{s}");
    // Step-up: the 403 named todo:write; the SDK asked the user again and the call went through.
    let step_up = &s["step_up"];
    assert!(words(&step_up["authorization"]["scope"]).contains(&"todo:write"), "{s}");
    assert_eq!(step_up["added"]["authorizations"], 1, "{s}");
    assert_eq!(step_up["added"]["text"], "Added #1: Buy milk", "{s}");
    assert_eq!(s["after_expiry"]["text"], "#1 [ ] Buy milk", "{s}");
}

/// SDKs that ask for `offline_access` (the MCP spec's refresh-token guidance) keep the scopes
/// they had on step-up and refresh past the access token's expiry without the user.
fn assert_refreshes(s: &Value) {
    assert!(words(&s["first_authorization"]["scope"]).contains(&"offline_access"), "{s}");
    assert!(words(&s["step_up"]["authorization"]["scope"]).contains(&"todo:read"), "{s}");
    let later = &s["after_expiry"];
    assert_eq!(later["had_refresh_token"], true, "{s}");
    assert_eq!(later["authorizations"], 0, "refreshed, not signed in again: {s}");
    assert_eq!(later["refresh_token_rotated"], true, "RFC 9700 §4.14.2: {s}");
}

#[tokio::test]
async fn mcp_typescript_sdk_1_registers_dynamically_signs_in_steps_up_and_signs_in_again_after_expiry()
 {
    if !node_package_ready("@modelcontextprotocol/sdk") {
        return;
    }
    let w = world().await;
    let s = run(&w, "node", "interop/node/mcp-sdk.mjs", "v1", false).await;
    assert!(text(&s["version"]).starts_with("1."), "{s}");
    assert_common(&w, &s, false);
    // 1.x asks for the challenge's scope alone: no offline_access, so no refresh token
    // (Keygate, like most servers, issues one only for offline_access); past the expiry the
    // SDK sends the user through Keygate again, where the session makes it one redirect.
    assert_eq!(s["first_authorization"]["scope"], "todo:read", "{s}");
    assert_eq!(s["after_expiry"]["had_refresh_token"], false, "{s}");
    assert_eq!(s["after_expiry"]["authorizations"], 1, "{s}");
}

#[tokio::test]
async fn mcp_typescript_sdk_2_uses_a_client_id_metadata_document_steps_up_and_refreshes() {
    if !node_package_ready("@modelcontextprotocol/client") {
        return;
    }
    let w = world().await;
    let s = run(&w, "node", "interop/node/mcp-sdk.mjs", "v2", true).await;
    assert!(text(&s["version"]).starts_with("2."), "{s}");
    assert_common(&w, &s, true);
    assert_refreshes(&s);
}

#[tokio::test]
async fn mcp_python_sdk_uses_a_client_id_metadata_document_steps_up_and_refreshes() {
    if !python_modules_ready("mcp, httpx2, requests") {
        return;
    }
    let w = world().await;
    let s = run(&w, "python3", "interop/python/mcp_sdk.py", "python", true).await;
    assert!(text(&s["version"]).starts_with("2."), "{s}");
    assert_common(&w, &s, true);
    assert_refreshes(&s);
}

#[tokio::test]
async fn mcp_python_sdk_registers_dynamically_steps_up_and_refreshes() {
    if !python_modules_ready("mcp, httpx2, requests") {
        return;
    }
    let w = world().await;
    let s = run(&w, "python3", "interop/python/mcp_sdk.py", "python", false).await;
    assert_common(&w, &s, false);
    assert_refreshes(&s);
}
