//! The routes, the session cookie, and what every page shares.

mod auth;
mod pages;

use axum::Router;
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, LOCATION, REFERRER_POLICY, SET_COOKIE,
    X_CONTENT_TYPE_OPTIONS,
};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::WebApp;
use crate::pages::Failure;
use crate::sessions::Session;

/// The session cookie: a random id and nothing else.
pub(crate) const COOKIE: &str = "webapp_session";

pub(crate) fn router(app: WebApp) -> Router {
    let header =
        |name, value| SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value));
    Router::new()
        .route("/", get(pages::home))
        .route("/login", get(auth::login))
        .route("/callback", get(auth::callback))
        .route("/logout", get(auth::logout_page).post(auth::logout))
        .route("/profile", get(pages::profile))
        .route("/todos", get(pages::todos).post(pages::add_todo))
        .route("/style.css", get(pages::style))
        .layer(axum::middleware::map_response_with_state(
            app.clone(),
            crate::pages::render_failures,
        ))
        .layer(header(CACHE_CONTROL, "no-store"))
        .layer(header(
            CONTENT_SECURITY_POLICY,
            "default-src 'none'; style-src 'self'; frame-ancestors 'none'",
        ))
        .layer(header(X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(header(REFERRER_POLICY, "no-referrer"))
        .with_state(app)
}

/// A 303 to `location`, setting `cookie` if given.
pub(crate) fn see_other(location: &str, cookie: Option<HeaderValue>) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(LOCATION, value);
    }
    if let Some(cookie) = cookie {
        response.headers_mut().insert(SET_COOKIE, cookie);
    }
    response
}

/// The session id the browser sent, if any.
fn cookie_id(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value)
}

/// `bytes` random bytes as base64url.
fn random(bytes: usize) -> Result<String, Failure> {
    crate::seal::random_token(bytes).ok_or_else(|| Failure::internal("no randomness"))
}

/// Rejects a form whose CSRF token is not the session's.
fn check_csrf(session: &Session, presented: &str) -> Result<(), Failure> {
    if session.csrf.is_empty() || !crate::seal::same(&session.csrf, presented) {
        return Err(Failure::page(
            StatusCode::FORBIDDEN,
            "Form expired",
            "This form was not sent from this app's page, or it is too old. Please try again.",
        ));
    }
    Ok(())
}

impl WebApp {
    pub(crate) fn now(&self) -> i64 {
        (self.0.clock)()
    }

    /// The browser's live session: its id and contents.
    pub(crate) fn session(&self, headers: &HeaderMap) -> Option<(String, Session)> {
        let id = cookie_id(headers)?;
        let session = self.0.sessions.load(id, self.now())?;
        Some((id.to_owned(), session))
    }

    /// The session of a signed-in browser, or [`Failure::SignIn`].
    pub(crate) fn signed_in(&self, headers: &HeaderMap) -> Result<(String, Session), Failure> {
        self.session(headers).filter(|(_, s)| s.user.is_some()).ok_or(Failure::SignIn)
    }

    /// Saves `session` under `id`, or under a new id when `None`: then returns the
    /// `Set-Cookie` that gives the browser that id.
    pub(crate) fn persist(
        &self,
        id: Option<&str>,
        session: &Session,
    ) -> Result<Option<HeaderValue>, Failure> {
        let now = self.now();
        let unsaved = || Failure::internal("the session could not be sealed");
        match id {
            Some(id) => self.0.sessions.save(id, session, now).map(|()| None).ok_or_else(unsaved),
            None => {
                let id = self.0.sessions.create(session, now).ok_or_else(unsaved)?;
                let secure = if self.0.secure_cookies { "; Secure" } else { "" };
                let cookie = format!("{COOKIE}={id}; Path=/; HttpOnly; SameSite=Lax{secure}");
                HeaderValue::from_str(&cookie).map(Some).map_err(|_| unsaved())
            }
        }
    }
}
