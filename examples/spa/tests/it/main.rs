//! The single-page app with a real Keygate and a real todo-api, all in this process: what its
//! static server sends, the cross-origin calls its script makes, and the whole app in headless
//! Chromium.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod browser;
mod http;
#[path = "../../../todo-api/tests/common/mod.rs"]
mod todo_support;

use keygate_core::admin::NewClient;
use keygate_core::client::{AuthMethod, ClientMetadata, ClientSpec, ClientType};
use keygate_testkit::{TestApp, TestClient};
pub use todo_support::AUDIENCE;
use todo_support::{register_api, serve_todo_api};

/// Keygate, todo-api and the SPA's server running, with the user `ada`.
pub struct Setup {
    pub app: TestApp,
    /// The SPA's origin, e.g. `http://127.0.0.1:PORT`.
    pub spa: String,
    pub todo_api: String,
    pub client: TestClient,
}

impl Setup {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.spa)
    }
}

/// The SPA registered as the README says: a public `spa` client with its callback, its
/// origin as web origin (CORS), its post-logout URI, and the to-do scopes and audience.
async fn register_client(app: &TestApp, spa: &str) -> TestClient {
    let spec = ClientSpec {
        name: Some("To-do SPA".into()),
        redirect_uris: Some(vec![format!("{spa}/callback")]),
        post_logout_redirect_uris: Some(vec![format!("{spa}/")]),
        scopes: Some(spa::SCOPE.split(' ').map(str::to_owned).collect()),
        resources: Some(vec![AUDIENCE.into()]),
        auth_method: Some(AuthMethod::None),
        metadata: Some(ClientMetadata { web_origins: vec![spa.to_owned()], ..Default::default() }),
        ..Default::default()
    };
    let new = NewClient { client_type: ClientType::Spa, client_id: None, secret: None, spec };
    let (client, _) = app.admin().create_client(new).await.unwrap();
    app.provider.sync().await.unwrap();
    TestClient {
        id: client.client_id,
        secret: String::new(),
        redirect_uri: format!("{spa}/callback"),
    }
}

pub async fn setup() -> Setup {
    let app = TestApp::spawn_realtime().await;
    register_api(&app).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let spa = format!("http://{}", listener.local_addr().unwrap());
    let todo_api = serve_todo_api(&app, &[spa.as_str()]).await;
    let client = register_client(&app, &spa).await;
    app.user("ada").await;
    let config = spa::SpaConfig {
        issuer: app.issuer.clone(),
        client_id: client.id.clone(),
        todo_api: todo_api.clone(),
        todo_audience: AUDIENCE.into(),
        scope: spa::SCOPE.into(),
    };
    let router = spa::app(config).unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await });
    Setup { app, spa, todo_api, client }
}
