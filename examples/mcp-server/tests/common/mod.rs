//! What the MCP server's tests share: its URL registered at Keygate as an open API.

use keygate_core::api::{ApiScope, ApiSpec};
use keygate_testkit::TestApp;

/// Registers the MCP server at `mcp` as the open API "To-do tools" with `todo:read` and
/// `todo:write`, and the user `ada`.
pub async fn register_server(app: &TestApp, mcp: &str) {
    let scope = |name: &str, words: &str| ApiScope::new(name, words);
    let spec = ApiSpec {
        identifier: Some(mcp.to_owned()),
        name: Some("To-do tools".into()),
        scopes: Some(vec![
            scope("todo:read", "See your to-dos"),
            scope("todo:write", "Change them"),
        ]),
        open: Some(true),
        ..Default::default()
    };
    app.admin().create_api(spec).await.unwrap();
    app.provider.sync().await.unwrap();
    app.user("ada").await;
}
