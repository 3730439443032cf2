//! A single-page application in plain JavaScript (no build step), served by a tiny static
//! server. The page signs the user in with the authorization code flow and PKCE from the
//! browser, keeps its tokens in memory only, refreshes them with rotation, and calls todo-api
//! across origins with the access token.
//!
//! This crate is only the server: `/` and `/callback` serve `static/index.html`, `/app.js` and
//! `/app.css` the script and the styles, and `/config.json` tells the script where Keygate and
//! todo-api are ([`SpaConfig`]). Every page is sent with a Content-Security-Policy that lets
//! the script talk to those two origins only, and with `Referrer-Policy: no-referrer`, so the
//! code in the callback's address never leaks.

use axum::Router;
use axum::http::HeaderValue;
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS,
};
use axum::response::{IntoResponse, Json, Response};
use axum::routing::get;
use serde::Serialize;
use tower_http::set_header::SetResponseHeaderLayer;

/// Where the app listens unless `PORT` says otherwise.
pub const DEFAULT_PORT: u16 = 3005;
/// What the app asks for: sign-in, the profile, a refresh token and the to-do scopes.
pub const SCOPE: &str = "openid profile email offline_access todo:read todo:write";

const INDEX: &str = include_str!("../static/index.html");
const SCRIPT: &str = include_str!("../static/app.js");
const STYLE: &str = include_str!("../static/app.css");

/// What the script is told, as `/config.json`.
#[derive(Debug, Clone, Serialize)]
pub struct SpaConfig {
    /// Keygate's issuer URL.
    pub issuer: String,
    /// The SPA's (public) client id.
    pub client_id: String,
    /// todo-api's base URL.
    pub todo_api: String,
    /// todo-api's identifier: the `resource` asked for.
    pub todo_audience: String,
    /// The scope asked for.
    pub scope: String,
}

/// The origin (`scheme://host[:port]`) of a URL, for the Content-Security-Policy.
fn origin(url: &str) -> anyhow::Result<String> {
    Ok(url::Url::parse(url)?.origin().ascii_serialization())
}

/// The static server for `config`.
pub fn app(config: SpaConfig) -> anyhow::Result<Router> {
    let csp = format!(
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self' {} {}; \
         frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
        origin(&config.issuer)?,
        origin(&config.todo_api)?,
    );
    let fixed = |name, value: &'static str| {
        SetResponseHeaderLayer::overriding(name, HeaderValue::from_static(value))
    };
    Ok(Router::new()
        .route("/", get(index))
        .route("/callback", get(index))
        .route("/app.js", get(|| file("text/javascript; charset=utf-8", SCRIPT)))
        .route("/app.css", get(|| file("text/css; charset=utf-8", STYLE)))
        .route("/config.json", get(move || async move { Json(config) }))
        .layer(SetResponseHeaderLayer::overriding(
            CONTENT_SECURITY_POLICY,
            HeaderValue::try_from(csp)?,
        ))
        .layer(fixed(REFERRER_POLICY, "no-referrer"))
        .layer(fixed(X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(fixed(CACHE_CONTROL, "no-cache")))
}

async fn index() -> Response {
    file("text/html; charset=utf-8", INDEX).await
}

async fn file(content_type: &'static str, body: &'static str) -> Response {
    ([(CONTENT_TYPE, content_type)], body).into_response()
}
