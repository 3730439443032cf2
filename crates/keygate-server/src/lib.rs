//! Keygate's HTTP server: the protocol endpoints on axum. Handlers are thin: they extract,
//! call one `keygate-core` function, and map the result.
//!
//! - [`config`]: configuration, raw and resolved.
//! - [`boot`]: opening the database and the provider from a configuration.
//! - [`oauth`]: discovery, JWKS, authorize, token, userinfo, introspection, revocation, and
//!   dynamic client registration when enabled.
//! - [`ui`]: the login and consent pages, cookies, and page responses.
//! - [`extract`], [`error`]: request parsing and error responses.
//! - [`state`]: the shared application state.
//! - [`serving`]: HTTPS, HSTS, trusted proxies (the client address) and metrics;
//!   [`request_id`]: request ids in responses and logs; [`health`]: liveness and readiness.
//! - [`outbound`]: the policy every server-side request follows (SSRF defenses).
//! - [`mail`]: mail transports (SMTP, files) and the background sender of the outbox.
//! - [`admin_api`]: the admin REST API; [`console`]: the admin console pages; [`account`]:
//!   the users' own account page; [`first_party`]: how both sign in through Keygate.

/// The value of a `Result<T, Response>`, or return the response (page handlers).
macro_rules! or_respond {
    ($e:expr) => {
        match $e {
            Ok(v) => v,
            Err(response) => return response,
        }
    };
}

pub mod account;
pub mod admin_api;
pub mod boot;
pub mod config;
pub mod console;
pub mod error;
pub mod extract;
pub mod first_party;
pub mod health;
pub mod mail;
pub mod oauth;
pub mod outbound;
pub mod request_id;
pub mod serving;
pub mod state;
pub mod ui;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::routing::{get, post};
use keygate_core::Provider;
use tokio::net::TcpListener;
use tower_http::set_header::SetResponseHeaderLayer;

pub use config::{Config, RawConfig};
pub use serving::ServeOptions;
pub use state::AppState;

use oauth::paths;

/// How often each node checks the store for changes made elsewhere (CLI, other nodes).
pub const SYNC_INTERVAL: Duration = Duration::from_millis(500);

/// The application. Routes live under the issuer's path, so an issuer such as
/// `https://id.example.com/tenant` serves `/tenant/token`; RFC 8414 §3.1 metadata for such an
/// issuer is also served at `/.well-known/oauth-authorization-server/tenant`.
pub fn router(state: AppState) -> Router {
    let issuer_path = issuer_path(state.provider.issuer());
    let (admin, openapi) = admin_api::router(state.clone());
    let openapi: std::sync::Arc<str> = openapi.into();
    let public = Router::new()
        .route(paths::OPENID_CONFIGURATION, get(oauth::discovery::get))
        .route(paths::OAUTH_METADATA, get(oauth::discovery::get))
        .route(paths::JWKS, get(oauth::jwks::get))
        .layer(axum::middleware::from_fn(oauth::cors::public));
    let preflight = || async { StatusCode::NO_CONTENT };
    let browser_callable = Router::new()
        .route(paths::TOKEN, post(oauth::token::post).options(preflight))
        .route(paths::REVOKE, post(oauth::revoke::post).options(preflight))
        .route(paths::PUSHED_AUTHORIZATION_REQUEST, post(oauth::par::post).options(preflight))
        .route(
            paths::USERINFO,
            get(oauth::userinfo::get).post(oauth::userinfo::post).options(preflight),
        )
        .layer(axum::middleware::from_fn_with_state(state.clone(), oauth::cors::registered));
    let endpoints = Router::new()
        .merge(public)
        .merge(browser_callable)
        .route(paths::INTROSPECT, post(oauth::introspect::post))
        .route(paths::DEVICE_AUTHORIZATION, post(oauth::device::post))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route(paths::DEVICE, get(ui::device::show).post(ui::device::submit))
        .route(paths::AUTHORIZE, get(oauth::authorize::handle).post(oauth::authorize::handle))
        .route(paths::LOGIN, get(ui::login::show).post(ui::login::submit))
        .route(paths::LOGIN_MFA, get(ui::mfa::show).post(ui::mfa::submit))
        .route(paths::LOGIN_PASSKEY, post(ui::passkey::sign_in))
        .route(paths::FORGOT, get(ui::reset::forgot).post(ui::reset::forgot_submit))
        .route(paths::RESET, get(ui::reset::reset).post(ui::reset::reset_submit))
        .route(paths::SIGNUP, get(ui::signup::show).post(ui::signup::submit))
        .route(paths::SIGNUP_INVITE, get(ui::signup::invitation))
        .route(paths::VERIFY, get(ui::verify::show).post(ui::verify::submit))
        .route(paths::VERIFY_RESEND, post(ui::verify::resend))
        .route(paths::SIGNUP_CONFIRM, get(ui::signup::confirm).post(ui::signup::confirm_submit))
        .route(paths::FEDERATION_START, post(ui::federation::start))
        .route(paths::FEDERATION_CALLBACK, get(ui::federation::callback))
        .route(paths::FEDERATION_LOGGED_OUT, get(ui::federation::logged_out))
        .route(paths::CONSENT, get(ui::consent::show).post(ui::consent::submit))
        .route(paths::END_SESSION, get(oauth::logout::handle).post(oauth::logout::handle))
        .route(paths::END_SESSION_CONFIRM, post(oauth::logout::confirm))
        .route(paths::ASSET, get(ui::asset))
        .route(ui::i18n::PATH, get(ui::i18n::choose))
        .route("/assets/console.css", get(console::stylesheet))
        .route("/assets/console.js", get(console::script))
        .merge(account::routes())
        .merge(console::routes().layer(axum::middleware::from_fn_with_state(
            state.clone(),
            admin_api::sync_after_write,
        )))
        .merge(admin)
        .route(admin_api::OPENAPI_PATH, get(move || async move { openapi_json(&openapi) }));
    // RFC 7591 / RFC 7592 endpoints exist only when the operator enabled registration.
    let endpoints = if state.provider.settings().registration.enabled {
        endpoints.route(paths::REGISTER, post(oauth::register::post)).route(
            paths::REGISTER_CLIENT,
            get(oauth::register::get).put(oauth::register::put).delete(oauth::register::delete),
        )
    } else {
        endpoints
    };
    let app = if issuer_path.is_empty() {
        endpoints
    } else {
        let rfc8414 = format!("{}{issuer_path}", paths::OAUTH_METADATA);
        Router::new().nest(&issuer_path, endpoints).route(&rfc8414, get(oauth::discovery::get))
    };
    let app = app.fallback(ui::fallback);
    // Decision 0008: `/metrics` is on the main listener only when the operator asked for it.
    let app = if state.serving.metrics_on_main {
        app.route(serving::metrics::PATH, get(serving::metrics::scrape))
    } else {
        app
    };
    let serving = state.serving.clone();
    // Metrics off (the default): no layer at all, rather than two that pass every request on.
    let app = if serving.metrics.is_on() {
        app.route_layer(axum::middleware::from_fn(serving::metrics::keep_route))
            .layer(axum::middleware::from_fn_with_state(serving.clone(), serving::metrics::track))
    } else {
        app
    };
    app.layer(DefaultBodyLimit::max(extract::MAX_FORM_BYTES))
        .layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static("x-content-type-options"),
            HeaderValue::from_static("nosniff"),
        ))
        .layer(axum::middleware::from_fn_with_state(serving, serving::edge::edge))
        .layer(axum::middleware::from_fn_with_state(state.clone(), ui::i18n::remember))
        .layer(axum::middleware::from_fn(request_id::track))
        .with_state(state)
}

fn openapi_json(doc: &str) -> axum::response::Response {
    use axum::response::IntoResponse;
    ([(axum::http::header::CONTENT_TYPE, "application/json")], doc.to_owned()).into_response()
}

/// The path part of the issuer, without a trailing slash (`""` for a bare host).
fn issuer_path(issuer: &str) -> String {
    url::Url::parse(issuer).map(|u| u.path().trim_end_matches('/').to_owned()).unwrap_or_default()
}

/// Serves the application on `listener` until `shutdown` completes, then drains in-flight
/// requests. A background task keeps the provider in step with the store.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_with(listener, state, ServeOptions::default(), shutdown).await
}

/// [`serve`], over HTTPS when `options.tls` is set (its files watched for changes), and with
/// `/metrics` on `options.metrics_listener` when set. `shutdown` stops every listener; requests
/// still running [`serving::listen::DRAIN_TIMEOUT`] later are abandoned.
pub async fn serve_with(
    listener: TcpListener,
    state: AppState,
    options: ServeOptions,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    if let Err(e) = console::session::ensure_console_client(&state).await {
        tracing::warn!(error = %e, "the admin console is unavailable: its client could not be registered");
    }
    if let Err(e) = account::ACCOUNT.ensure_client(&state).await {
        tracing::warn!(error = %e, "the account page is unavailable: its client could not be registered");
    }
    if state.provider.settings().registration.open {
        tracing::warn!(
            "open dynamic client registration: anyone can register applications at {}{} \
             (set registration.open = false to require an initial access token)",
            state.provider.issuer(),
            paths::REGISTER
        );
    }
    let tasks = [
        spawn_sync(state.provider.clone()),
        spawn_revocation_watch(state.provider.clone()),
        health::spawn_cleanup(state.provider.clone()),
        serving::metrics::spawn_upkeep(state.serving.clone()),
        mail::spawn_sender(state.provider.clone(), state.serving.clone()),
    ];
    let result = serving::listen::run(listener, state, options, shutdown).await;
    for task in tasks {
        task.abort();
    }
    result
}

/// Keeps the provider's view of revocations current from the store's feed, so that tokens it
/// checked before are answered from memory (see `keygate_core::revocation_watch`).
pub fn spawn_revocation_watch(provider: Arc<Provider>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move { provider.revocation_watch().follow(provider.store()).await })
}

/// Polls the store's revision so that client and key changes made by the CLI or another node
/// take effect here within [`SYNC_INTERVAL`].
pub fn spawn_sync(provider: Arc<Provider>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(SYNC_INTERVAL);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(e) = provider.sync().await {
                tracing::warn!(error = %e, "could not refresh from the store");
            }
        }
    })
}
