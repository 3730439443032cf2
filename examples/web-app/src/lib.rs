//! A server-side web application that signs users in with Keygate and calls todo-api on their
//! behalf: a confidential client ("Regular Web App") using the authorization code flow with
//! PKCE. The browser holds only a session cookie with a random id; the tokens stay on the
//! server, sealed with AES-256-GCM.
//!
//! - [`oidc`]: discovery, the authorization request, code and refresh grants, revocation, the
//!   end-session URL.
//! - [`id_token`]: ID token validation (signature through the JWKS, `iss`, `aud`, `exp`,
//!   `nonce`).
//! - [`seal`]: the session key, AES-256-GCM sealing, random values, PKCE S256.
//! - [`sessions`]: the server-side session store.
//! - [`todos`]: calls to todo-api, refreshing the access token when needed.
//! - `routes` and `pages`: the axum handlers and their HTML.

use std::sync::Arc;

use axum::Router;

pub mod id_token;
pub mod oidc;
mod pages;
mod routes;
pub mod seal;
pub mod sessions;
pub mod todos;

/// Where the app listens unless `PORT` says otherwise.
pub const DEFAULT_PORT: u16 = 3004;
/// What the app asks for: sign-in, the profile, a refresh token and the to-do scopes.
pub const SCOPE: &str = "openid profile email offline_access todo:read todo:write";

/// The current time, seconds since the epoch (injected so tests can move it).
pub type Clock = Arc<dyn Fn() -> i64 + Send + Sync>;

/// The system clock.
pub fn system_clock() -> Clock {
    Arc::new(|| {
        // The one place the app reads the real time; everything else gets a `Clock`.
        #[allow(clippy::disallowed_methods)]
        let now = std::time::SystemTime::now();
        now.duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
    })
}

/// How the app is set up.
pub struct Config {
    /// Keygate's issuer URL.
    pub issuer: String,
    /// The client id registered in Keygate.
    pub client_id: String,
    /// The client secret registered in Keygate.
    pub client_secret: String,
    /// Where browsers reach this app, e.g. `http://localhost:3004`: the callback is
    /// `<app_url>/callback` and the post-logout redirect `<app_url>/`.
    pub app_url: String,
    /// todo-api's base URL.
    pub todo_api: String,
    /// todo-api's identifier in Keygate: the `resource` asked for, the token's `aud`.
    pub todo_audience: String,
    /// The key sealing sessions; `None` generates one (sessions end with the process).
    pub session_key: Option<seal::SessionKey>,
    /// The clock.
    pub clock: Clock,
}

pub(crate) struct Inner {
    pub oidc: oidc::OidcClient,
    pub sessions: sessions::SessionStore,
    pub todos: todos::TodoApi,
    pub pages: pages::Pages,
    pub clock: Clock,
    pub app_url: String,
    pub todo_audience: String,
    pub secure_cookies: bool,
}

/// The running application's state; cheap to clone.
#[derive(Clone)]
pub struct WebApp(pub(crate) Arc<Inner>);

impl WebApp {
    /// Reads Keygate's metadata and prepares the app.
    pub async fn new(config: Config) -> anyhow::Result<Self> {
        let http = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(10))
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        let app_url = config.app_url.trim_end_matches('/').to_owned();
        let registration = oidc::Registration {
            issuer: config.issuer,
            client_id: config.client_id,
            client_secret: config.client_secret,
            redirect_uri: format!("{app_url}/callback"),
        };
        let oidc = oidc::OidcClient::discover(http.clone(), registration).await?;
        let key = match config.session_key {
            Some(key) => key,
            None => seal::SessionKey::generate()?,
        };
        Ok(Self(Arc::new(Inner {
            oidc,
            sessions: sessions::SessionStore::new(&key)?,
            todos: todos::TodoApi::new(http, &config.todo_api),
            pages: pages::Pages::new()?,
            clock: config.clock,
            secure_cookies: app_url.starts_with("https://"),
            app_url,
            todo_audience: config.todo_audience,
        })))
    }

    /// The HTTP routes.
    pub fn router(&self) -> Router {
        routes::router(self.clone())
    }

    /// The session store, to look at what it keeps.
    pub fn sessions(&self) -> &sessions::SessionStore {
        &self.0.sessions
    }
}
