//! Open APIs: any application, self-registered ones included (Client ID Metadata Documents,
//! dynamic registration, as MCP clients are), may ask users for tokens to them; the user's
//! consent is the only grant. Closed APIs stay with the applications an operator gave them to.

use axum::response::IntoResponse;
use keygate_core::api::{ApiScope, ApiSpec};
use keygate_testkit::{Browser, PASSWORD, TestApp, TestClient, location, pkce, query_param};
use serde_json::{Value, json};

const TOOLS: &str = "https://mcp.example/mcp";
const VAULT: &str = "https://vault.example/";

/// Serves one Client ID Metadata Document for a native agent; returns its URL.
async fn agent_document() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/agent.json", listener.local_addr().unwrap());
    let doc = json!({ "client_id": url, "client_name": "Tool Agent",
        "redirect_uris": ["http://127.0.0.1/callback"], "application_type": "native",
        "grant_types": ["authorization_code", "refresh_token"] });
    let router = axum::Router::new().route(
        "/agent.json",
        axum::routing::get(move || async move { axum::Json(doc).into_response() }),
    );
    tokio::spawn(async move { axum::serve(listener, router).await });
    url
}

fn scope(name: &str, description: &str) -> ApiScope {
    ApiScope::new(name, description)
}

#[tokio::test]
async fn rfc8707_an_open_api_is_granted_to_a_self_registered_client_by_the_users_consent() {
    let app = TestApp::spawn().await;
    // The admin API opens the tools API; the vault stays closed.
    let token = app.admin_token(&["admin:read", "admin:write"]).await;
    let body = json!({ "identifier": TOOLS, "name": "Tools",
        "scopes": [{ "name": "mcp:tools", "description": "Use your tools" }], "open": true });
    let created =
        app.admin_call(axum::http::Method::POST, "/apis", Some(&token), Some(&body), &[]).await;
    assert_eq!(created.status, 201, "{}", created.body);
    assert_eq!(created.json()["open"], true);
    let vault = ApiSpec {
        identifier: Some(VAULT.into()),
        name: Some("Vault".into()),
        scopes: Some(vec![scope("vault:read", "Read your secrets")]),
        ..Default::default()
    };
    app.admin().create_api(vault).await.unwrap();
    app.provider.sync().await.unwrap();
    app.user("ada").await;
    let client = TestClient {
        id: agent_document().await,
        secret: String::new(),
        redirect_uri: "http://127.0.0.1:4712/callback".to_owned(),
    };
    let (verifier, challenge) = pkce();
    let url = app.authorize_url(&client, "openid mcp:tools", &challenge, &[("resource", TOOLS)]);
    let browser = Browser::new();
    let login = location(&browser.get(&url).await);
    let consent = location(&app.submit_login(&browser, &login, "ada", PASSWORD).await);
    let page = browser.get(&consent).await;
    assert!(page.body.contains("Use your tools"), "the API's own words: {}", page.body);
    let callback = location(&app.submit_consent(&browser, &consent, "allow").await);
    let code = query_param(&callback, "code").unwrap();
    let tokens: Value = app.exchange(&client, &code, &verifier).await.assert_ok();
    let access = tokens["access_token"].as_str().unwrap();
    let claims: Value = {
        use base64::Engine;
        let part = access.split('.').nth(1).unwrap();
        serde_json::from_slice(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(part).unwrap(),
        )
        .unwrap()
    };
    assert_eq!(claims["aud"], TOOLS);
    assert_eq!(claims["scope"], "openid mcp:tools");

    // The closed API: neither its audience nor its scope.
    for (scope, resource, error) in
        [("openid", VAULT, "invalid_target"), ("openid vault:read", TOOLS, "invalid_scope")]
    {
        let url = app.authorize_url(&client, scope, &challenge, &[("resource", resource)]);
        // An unverified client's error redirect goes through Keygate's "Leaving for" page.
        let refused = browser.get(&url).await;
        assert!(refused.body.contains("Leaving for"), "{}", refused.body);
        assert!(refused.body.contains(&format!("error={error}")), "{error}: {}", refused.body);
    }
}
