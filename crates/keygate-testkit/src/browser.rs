//! A browser stand-in: keeps cookies, never follows redirects, and can read the forms Keygate
//! serves, so tests walk the code flow one HTTP step at a time.

use aws_lc_rs::digest::{SHA256, digest};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use keygate_core::client::{AuthMethod, ClientSpec, ClientType, GrantType};

use crate::http::read;
use crate::{Reply, TestApp};

/// A cookie-keeping HTTP client.
pub struct Browser {
    pub http: reqwest::Client,
}

impl Default for Browser {
    fn default() -> Self {
        Self::new()
    }
}

impl Browser {
    pub fn new() -> Self {
        Self::speaking(None)
    }

    /// A browser that sends `Accept-Language: accept_language` (none for `None`).
    pub fn speaking(accept_language: Option<&str>) -> Self {
        let mut headers = reqwest::header::HeaderMap::new();
        if let Some(value) = accept_language.and_then(|v| v.parse().ok()) {
            headers.insert(reqwest::header::ACCEPT_LANGUAGE, value);
        }
        let http = reqwest::Client::builder()
            .default_headers(headers)
            .cookie_store(true)
            .user_agent(BROWSER_USER_AGENT)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("browser client");
        Self { http }
    }

    pub async fn get(&self, url: &str) -> Reply {
        read(self.http.get(url).send().await.expect("GET")).await
    }

    pub async fn post_form(&self, url: &str, form: &[(&str, &str)]) -> Reply {
        read(self.http.post(url).form(form).send().await.expect("POST")).await
    }
}

/// The `Location` of a redirect.
#[track_caller]
pub fn location(reply: &Reply) -> String {
    assert!(
        reply.status.is_redirection(),
        "expected a redirect, got {}: {}",
        reply.status,
        reply.body
    );
    reply.header("location").expect("location").to_owned()
}

/// A query parameter of a URL.
pub fn query_param(url: &str, name: &str) -> Option<String> {
    let url = url::Url::parse(url).ok()?;
    url.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned())
}

/// The `value` of the input named `name` in an HTML page.
pub fn form_field(html: &str, name: &str) -> Option<String> {
    attribute_after(html, &format!("name=\"{name}\" value=\""))
}

/// The `href` of the first link with class `class` in an HTML page.
pub fn link_href(html: &str, class: &str) -> Option<String> {
    attribute_after(html, &format!("class=\"{class}\" href=\""))
}

/// The unescaped attribute value that starts right after `needle`.
fn attribute_after(html: &str, needle: &str) -> Option<String> {
    let start = html.find(needle)? + needle.len();
    let end = html[start..].find('"')? + start;
    Some(html[start..end].replace("&amp;", "&").replace("&#x2f;", "/").replace("&#x27;", "'"))
}

/// A PKCE verifier and its S256 challenge (RFC 7636 §4.1–4.2).
pub fn pkce() -> (String, String) {
    let verifier = keygate_core::secret::random_string(32);
    let challenge = URL_SAFE_NO_PAD.encode(digest(&SHA256, verifier.as_bytes()));
    (verifier, challenge)
}

/// A registered test application.
#[derive(Debug, Clone)]
pub struct TestClient {
    pub id: String,
    pub secret: String,
    pub redirect_uri: String,
}

/// The result of walking a code flow to the client's redirect URI.
#[derive(Debug)]
pub struct CodeResult {
    pub code: String,
    pub verifier: String,
    pub callback: String,
}

pub const REDIRECT_URI: &str = "https://app.example/callback";
pub const SIGNED_OUT_URI: &str = "https://app.example/signed-out";
/// The `User-Agent` a [`Browser`] sends.
pub const BROWSER_USER_AGENT: &str = "KeygateTestBrowser/1.0";
pub const PASSWORD: &str = "correct horse battery staple";

impl TestApp {
    /// A confidential web client with the code and refresh grants.
    pub async fn web_client(&self, scopes: &[&str]) -> TestClient {
        self.user_client(ClientType::Web, AuthMethod::ClientSecretBasic, scopes, false).await
    }

    /// A client for user sign-in of any type.
    pub async fn user_client(
        &self,
        client_type: ClientType,
        auth_method: AuthMethod,
        scopes: &[&str],
        first_party: bool,
    ) -> TestClient {
        let redirect = match client_type {
            ClientType::Native => "http://127.0.0.1/callback",
            _ => REDIRECT_URI,
        };
        let resources = self.register_access(scopes, &[]).await;
        let spec = ClientSpec {
            name: Some("Photo Printer".to_owned()),
            scopes: Some(scopes.iter().map(|s| (*s).to_owned()).collect()),
            resources: Some(resources),
            redirect_uris: Some(vec![redirect.to_owned()]),
            post_logout_redirect_uris: Some(vec![SIGNED_OUT_URI.to_owned()]),
            auth_method: Some(auth_method),
            grant_types: Some(vec![GrantType::AuthorizationCode, GrantType::RefreshToken]),
            first_party: Some(first_party),
            ..Default::default()
        };
        let new =
            keygate_core::admin::NewClient { client_type, client_id: None, secret: None, spec };
        let (client, secret) = self.admin().create_client(new).await.expect("client");
        TestClient {
            id: client.client_id,
            secret: secret.map(|s| s.expose_secret().to_owned()).unwrap_or_default(),
            redirect_uri: redirect.to_owned(),
        }
    }

    /// A user with [`PASSWORD`].
    pub async fn user(&self, username: &str) -> keygate_core::User {
        let new = keygate_core::admin::NewUser {
            username: username.to_owned(),
            email: format!("{username}@example.com"),
            email_verified: true,
            name: Some(format!("{username} Example")),
            given_name: Some(username.to_owned()),
            family_name: Some("Example".to_owned()),
            ..Default::default()
        };
        let policy = self.provider.settings().passwords;
        self.admin()
            .create_user(new, &keygate_core::Secret::new(PASSWORD), &policy)
            .await
            .expect("user")
    }

    /// `/authorize?...` for `client` with PKCE, `state=xyz`, `nonce=n-0S6`, and `extra`.
    pub fn authorize_url(
        &self,
        client: &TestClient,
        scope: &str,
        challenge: &str,
        extra: &[(&str, &str)],
    ) -> String {
        let mut url = url::Url::parse(&self.url("/authorize")).expect("url");
        url.query_pairs_mut()
            .append_pair("response_type", "code")
            .append_pair("client_id", &client.id)
            .append_pair("redirect_uri", &client.redirect_uri)
            .append_pair("scope", scope)
            .append_pair("state", "xyz")
            .append_pair("nonce", "n-0S6")
            .append_pair("code_challenge", challenge)
            .append_pair("code_challenge_method", "S256")
            .extend_pairs(extra.iter());
        url.to_string()
    }

    /// Submits the login page at `login_url` with `username` and [`PASSWORD`].
    pub async fn submit_login(
        &self,
        browser: &Browser,
        login_url: &str,
        username: &str,
        password: &str,
    ) -> Reply {
        let page = browser.get(login_url).await;
        assert_eq!(page.status, 200, "login page: {}", page.body);
        let req = form_field(&page.body, "req").expect("req field");
        let csrf = form_field(&page.body, "csrf").expect("csrf field");
        let form = [
            ("req", req.as_str()),
            ("csrf", csrf.as_str()),
            ("username", username),
            ("password", password),
        ];
        browser.post_form(&self.url("/login"), &form).await
    }

    /// Answers the consent page at `consent_url`.
    pub async fn submit_consent(
        &self,
        browser: &Browser,
        consent_url: &str,
        decision: &str,
    ) -> Reply {
        let page = browser.get(consent_url).await;
        assert_eq!(page.status, 200, "consent page: {}", page.body);
        let req = form_field(&page.body, "req").expect("req field");
        let csrf = form_field(&page.body, "csrf").expect("csrf field");
        let form = [("req", req.as_str()), ("csrf", csrf.as_str()), ("decision", decision)];
        browser.post_form(&self.url("/consent"), &form).await
    }

    /// Authorize, log in as `username`, consent if asked: returns the code at the redirect URI.
    pub async fn code_flow(
        &self,
        browser: &Browser,
        client: &TestClient,
        username: &str,
        scope: &str,
    ) -> CodeResult {
        self.code_flow_with(browser, client, username, scope, &[]).await
    }

    /// [`TestApp::code_flow`] with extra authorization parameters.
    pub async fn code_flow_with(
        &self,
        browser: &Browser,
        client: &TestClient,
        username: &str,
        scope: &str,
        extra: &[(&str, &str)],
    ) -> CodeResult {
        let (verifier, challenge) = pkce();
        let url = self.authorize_url(client, scope, &challenge, extra);
        let callback = self.walk_to_callback(browser, client, username, &url).await;
        let code =
            query_param(&callback, "code").unwrap_or_else(|| panic!("no code in {callback}"));
        CodeResult { code, verifier, callback }
    }

    /// Follows an authorization URL through the login (as `username`) and consent (allow)
    /// pages, as far as the client's redirect URI; returns that URL.
    pub async fn walk_to_callback(
        &self,
        browser: &Browser,
        client: &TestClient,
        username: &str,
        url: &str,
    ) -> String {
        let mut next = location(&browser.get(url).await);
        if next.starts_with(&self.url("/login")) {
            next = location(&self.submit_login(browser, &next, username, PASSWORD).await);
        }
        if next.starts_with(&self.url("/consent")) {
            next = location(&self.submit_consent(browser, &next, "allow").await);
        }
        assert!(next.starts_with(&client.redirect_uri), "expected the callback, got {next}");
        next
    }

    /// Exchanges a code at the token endpoint.
    pub async fn exchange(&self, client: &TestClient, code: &str, verifier: &str) -> Reply {
        let form = [
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", client.redirect_uri.as_str()),
            ("code_verifier", verifier),
        ];
        let auth = if client.secret.is_empty() {
            crate::Auth::None
        } else {
            crate::Auth::Basic(&client.id, &client.secret)
        };
        let mut pairs = form.to_vec();
        if client.secret.is_empty() {
            pairs.push(("client_id", client.id.as_str()));
        }
        self.post_form("/token", auth, &pairs).await
    }
}
