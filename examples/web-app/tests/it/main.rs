//! web-app against a real Keygate and a real todo-api, all in this process: HTTP-level tests
//! of the sign-in, the pages, token refresh and sign-out, and one in headless Chromium.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod browser;
mod flow;
#[path = "../../../todo-api/tests/common/mod.rs"]
mod todo_support;

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use keygate_core::Clock as _;
use keygate_core::admin::NewClient;
use keygate_core::client::{ClientSpec, ClientType, GrantType};
use keygate_testkit::{Browser, TestApp, TestClient, location};
pub use todo_support::AUDIENCE;
use todo_support::{register_api, serve_todo_api};

/// Keygate, todo-api and web-app running; the web app's clock runs `lag` seconds behind
/// Keygate's (and todo-api's) manual clock.
pub struct Setup {
    pub app: TestApp,
    pub web: String,
    pub webapp: web_app::WebApp,
    pub client: TestClient,
    pub lag: Arc<AtomicI64>,
}

impl Setup {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.web)
    }

    /// Moves Keygate's and todo-api's clock forward; the web app follows unless it lags.
    pub fn advance(&self, seconds: i64) {
        self.app.clock.advance(seconds);
    }

    /// Makes the web app's clock run `seconds` behind.
    pub fn set_lag(&self, seconds: i64) {
        self.lag.store(seconds, Ordering::SeqCst);
    }
}

/// The app registered as the README says: a confidential `web` client with the code and
/// refresh grants, its callback and post-logout URIs, the to-do scopes and audience.
async fn register_client(app: &TestApp, web: &str) -> TestClient {
    let scopes = web_app::SCOPE.split(' ').map(str::to_owned).collect();
    let spec = ClientSpec {
        name: Some("To-do web app".into()),
        redirect_uris: Some(vec![format!("{web}/callback")]),
        post_logout_redirect_uris: Some(vec![format!("{web}/")]),
        grant_types: Some(vec![GrantType::AuthorizationCode, GrantType::RefreshToken]),
        scopes: Some(scopes),
        resources: Some(vec![AUDIENCE.into()]),
        ..Default::default()
    };
    let new = NewClient { client_type: ClientType::Web, client_id: None, secret: None, spec };
    let (client, secret) = app.admin().create_client(new).await.unwrap();
    app.provider.sync().await.unwrap();
    TestClient {
        id: client.client_id,
        secret: secret.unwrap().expose_secret().to_owned(),
        redirect_uri: format!("{web}/callback"),
    }
}

/// Everything running, with the user `ada`.
pub async fn setup() -> Setup {
    let app = TestApp::spawn_realtime().await;
    register_api(&app).await;
    let todo = serve_todo_api(&app, &[]).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let web = format!("http://{}", listener.local_addr().unwrap());
    let client = register_client(&app, &web).await;
    app.user("ada").await;
    let (clock, lag) = (app.clock.clone(), Arc::new(AtomicI64::new(0)));
    let behind = lag.clone();
    let config = web_app::Config {
        issuer: app.issuer.clone(),
        client_id: client.id.clone(),
        client_secret: client.secret.clone(),
        app_url: web.clone(),
        todo_api: todo,
        todo_audience: AUDIENCE.into(),
        session_key: None,
        clock: Arc::new(move || clock.now() - behind.load(Ordering::SeqCst)),
    };
    let webapp = web_app::WebApp::new(config).await.unwrap();
    let router = webapp.router();
    tokio::spawn(async move { axum::serve(listener, router).await });
    Setup { app, web, webapp, client, lag }
}

/// The session id in a `Set-Cookie` header.
pub fn session_cookie(set_cookie: &str) -> String {
    let (pair, _) = set_cookie.split_once(';').unwrap_or((set_cookie, ""));
    let (name, value) = pair.split_once('=').unwrap();
    assert_eq!(name, "webapp_session");
    value.to_owned()
}

/// Signs `ada` in through the web app: `/login`, Keygate's login and consent pages, then
/// `/callback`. Returns the new session id.
pub async fn sign_in(s: &Setup, browser: &Browser) -> String {
    let start = browser.get(&s.url("/login")).await;
    let authorize = location(&start);
    let callback = s.app.walk_to_callback(browser, &s.client, "ada", &authorize).await;
    let done = browser.get(&callback).await;
    assert_eq!(location(&done), "/", "{}", done.body);
    session_cookie(done.header("set-cookie").expect("a new session at sign-in"))
}
