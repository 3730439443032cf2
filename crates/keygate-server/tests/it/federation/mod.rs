//! Sign-in through upstream identity providers. The upstream OpenID Provider is a second
//! Keygate with its own database and issuer, reached through a small pass-through proxy (so the
//! upstream has a host of its own for cookies, and a test can tamper with its token responses).

mod account_link;
mod admin;
mod chromium;
mod oauth2;
mod oidc;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use axum::body::Bytes;
use axum::http::{HeaderMap, Method, Uri};
use axum::response::{IntoResponse, Response};
use keygate_core::client::{ClientSpec, ClientType, GrantType};
use keygate_core::federation::UpstreamSpec;
use keygate_testkit::{
    Browser, PASSWORD, Reply, TestApp, TestClient, form_field, location, pkce, query_param,
};

/// The upstream's id at the downstream Keygate.
pub const UPSTREAM: &str = "corp";

/// Two Keygates: `down` signs users in through `up`.
pub struct Federation {
    /// The upstream OpenID Provider (its issuer is the proxy, on `localhost`).
    pub up: TestApp,
    /// The Keygate the application uses (on `127.0.0.1`).
    pub down: TestApp,
    /// The application registered at `down`.
    pub client: TestClient,
    /// Makes the proxy corrupt the signature of the upstream's ID tokens.
    pub tamper: Arc<AtomicBool>,
}

/// Forwards every request to `target`; with `tamper` set, flips the ID token signature in
/// token responses.
async fn proxy(
    target: std::net::SocketAddr,
    tamper: Arc<AtomicBool>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build();
    let http = http.unwrap();
    let sent = keygate_testkit::forward(&http, target, &method, &uri, &headers, body).await;
    let (status, out_headers, mut bytes) = sent.unwrap();
    if uri.path() == "/token" && tamper.load(Ordering::SeqCst) {
        let mut json: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        if let Some(token) = json.get("id_token").and_then(|t| t.as_str()) {
            let (signed, signature) = token.rsplit_once('.').unwrap();
            let flipped = if signature.starts_with('A') { 'B' } else { 'A' };
            let forged = format!("{signed}.{flipped}{}", &signature[1..]);
            json["id_token"] = serde_json::Value::String(forged);
        }
        bytes = serde_json::to_vec(&json).unwrap();
    }
    (status, out_headers, bytes).into_response()
}

impl Federation {
    /// Both Keygates, the upstream registered at `down` with `adjust` applied to its spec.
    pub async fn start(adjust: impl FnOnce(&mut UpstreamSpec)) -> Self {
        Self::start_with(|_| {}, adjust).await
    }

    /// [`Federation::start`] with `down`'s settings adjusted.
    pub async fn start_with(
        down_settings: impl FnOnce(&mut keygate_core::Settings),
        adjust: impl FnOnce(&mut UpstreamSpec),
    ) -> Self {
        let front = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let front_port = front.local_addr().unwrap().port();
        let up_issuer = format!("http://localhost:{front_port}");
        let up = TestApp::spawn_with(keygate_testkit::Backend::Sqlite, |s| s.issuer = up_issuer)
            .await
            .unwrap();
        let tamper = Arc::new(AtomicBool::new(false));
        let (target, flag) = (up.addr, tamper.clone());
        let app =
            axum::Router::new().fallback(move |m, u, h, b| proxy(target, flag.clone(), m, u, h, b));
        tokio::spawn(async move { axum::serve(front, app).await });
        let down =
            TestApp::spawn_with(keygate_testkit::Backend::Sqlite, down_settings).await.unwrap();

        let callback = down.provider.federation_redirect_uri(UPSTREAM);
        let spec = ClientSpec {
            name: Some("Keygate downstream".into()),
            redirect_uris: Some(vec![callback]),
            post_logout_redirect_uris: Some(vec![down.url("/federation/logged-out")]),
            scopes: Some(vec!["openid".into(), "email".into(), "profile".into()]),
            grant_types: Some(vec![GrantType::AuthorizationCode]),
            ..Default::default()
        };
        let new = keygate_core::admin::NewClient {
            client_type: ClientType::Web,
            client_id: None,
            secret: None,
            spec,
        };
        let (registered, secret) = up.admin().create_client(new).await.unwrap();
        let mut upstream = UpstreamSpec {
            id: Some(UPSTREAM.into()),
            display_name: Some("Corp".into()),
            issuer: Some(up.issuer.clone()),
            client_id: Some(registered.client_id),
            client_secret: Some(secret.unwrap().expose_secret().to_owned()),
            ..Default::default()
        };
        adjust(&mut upstream);
        let upstream = upstream.build().unwrap();
        down.admin().create_upstream(upstream, down.provider.master_key()).await.unwrap();
        let client = down.web_client(&["openid", "email", "profile"]).await;
        Self { up, down, client, tamper }
    }

    /// From the application's authorization request at `down`, through the upstream's login
    /// (as `username`) and consent, back to `down`'s callback; returns `down`'s answer to it
    /// and the PKCE verifier of the application's request.
    pub async fn via_upstream(&self, browser: &Browser, username: &str) -> (Reply, String) {
        let (verifier, challenge) = pkce();
        let url = self.down.authorize_url(&self.client, "openid email profile", &challenge, &[]);
        let login = location(&browser.get(&url).await);
        let up_authorize = location(&self.press_button(browser, &login).await);
        let callback = self.at_upstream(browser, &up_authorize, username).await;
        (browser.get(&callback).await, verifier)
    }

    /// Presses the upstream's button on `down`'s login page at `login_url`.
    pub async fn press_button(&self, browser: &Browser, login_url: &str) -> Reply {
        let page = browser.get(login_url).await;
        assert_eq!(page.status, 200, "{}", page.body);
        assert!(page.body.contains("Sign in with Corp"), "{}", page.body);
        let req = form_field(&page.body, "req").unwrap();
        let csrf = form_field(&page.body, "csrf").unwrap();
        let start = self.down.url(&format!("/federation/{UPSTREAM}/start"));
        browser.post_form(&start, &[("req", &req), ("csrf", &csrf)]).await
    }

    /// Signs in and consents at the upstream; returns the redirect to `down`'s callback.
    pub async fn at_upstream(&self, browser: &Browser, authorize: &str, username: &str) -> String {
        assert!(authorize.starts_with(&self.up.url("/authorize")), "{authorize}");
        let mut next = location(&browser.get(authorize).await);
        if next.starts_with(&self.up.url("/login")) {
            next = location(&self.up.submit_login(browser, &next, username, PASSWORD).await);
        }
        if next.starts_with(&self.up.url("/consent")) {
            next = location(&self.up.submit_consent(browser, &next, "allow").await);
        }
        assert!(next.starts_with(&self.down.url("/federation/")), "{next}");
        next
    }

    /// From `down`'s answer to the callback, through its consent, to the application's code;
    /// returns the token response.
    pub async fn finish(
        &self,
        browser: &Browser,
        reply: &Reply,
        verifier: &str,
    ) -> serde_json::Value {
        let mut next = location(reply);
        if next.starts_with(&self.down.url("/consent")) {
            next = location(&self.down.submit_consent(browser, &next, "allow").await);
        }
        let code = query_param(&next, "code").unwrap_or_else(|| panic!("no code in {next}"));
        self.down.exchange(&self.client, &code, verifier).await.assert_ok()
    }

    /// An upstream user whose email the upstream has or has not verified.
    pub async fn upstream_user(&self, username: &str, email: &str, verified: bool) {
        let new = keygate_core::admin::NewUser {
            username: username.into(),
            email: email.into(),
            email_verified: verified,
            name: Some(format!("{username} Upstream")),
            ..Default::default()
        };
        let policy = self.up.provider.settings().passwords;
        let password = keygate_core::Secret::new(PASSWORD);
        self.up.admin().create_user(new, &password, &policy).await.unwrap();
    }

    /// The number of users at `down`.
    pub async fn down_users(&self) -> usize {
        self.down.admin().users().await.unwrap().len()
    }
}
