//! The live preview of the login page: the product's branding and theme as users see them,
//! with an application's own logo, color and background — the saved ones, or those being
//! typed on its page (the console's script reloads the preview as they change).

use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use keygate_core::branding;
use minijinja::context;
use serde::Deserialize;

use super::session::Console;
use super::{failure, render};
use crate::state::AppState;
use crate::ui::{app_branding, page, page_headers};

/// What a preview shows: an application (else a made-up one) and values not saved yet.
#[derive(Debug, Default, Deserialize)]
pub struct PreviewQuery {
    /// The application whose login page is shown.
    client_id: Option<String>,
    /// A logo URL being typed.
    logo_uri: Option<String>,
    /// A primary color being typed.
    primary_color: Option<String>,
    /// A background picture URL being typed.
    background_uri: Option<String>,
}

/// The preview's CSP: a page's, which only the console (same origin) may frame.
fn framed_by_console(response: &mut Response) {
    let csp = response
        .headers()
        .get(header::CONTENT_SECURITY_POLICY)
        .and_then(|v| v.to_str().ok())
        .map(|csp| csp.replace("frame-ancestors 'none'", "frame-ancestors 'self'"));
    if let Some(csp) = csp {
        page_headers(response.headers_mut(), &csp);
    }
    response.headers_mut().insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("SAMEORIGIN"));
}

/// A typed value: empty clears, a valid one replaces, an invalid one keeps what is saved.
fn typed(saved: &mut Option<String>, typed: Option<String>, valid: impl Fn(&str) -> bool) {
    match typed.map(|v| v.trim().to_owned()) {
        Some(v) if v.is_empty() => *saved = None,
        Some(v) if valid(&v) => *saved = Some(v),
        _ => {}
    }
}

/// `GET /admin/preview`: the login page as users would see it, for an iframe of the console.
/// Its forms go nowhere (the frame is sandboxed).
pub async fn login(
    State(state): State<AppState>,
    console: Console,
    Query(query): Query<PreviewQuery>,
) -> Response {
    let admin = match console.reader(&state) {
        Ok(admin) => admin,
        Err(response) => return response,
    };
    let (app_name, app) = match &query.client_id {
        Some(id) => {
            let mut client = match admin.client(id).await {
                Ok(client) => client,
                Err(e) => return failure(&state, e),
            };
            let m = &mut client.metadata;
            typed(&mut m.logo_uri, query.logo_uri, |v| branding::picture_problem("", v).is_none());
            typed(&mut m.primary_color, query.primary_color, |v| {
                branding::primary_color_problem("", v).is_none()
            });
            typed(&mut m.background_uri, query.background_uri, |v| {
                branding::picture_problem("", v).is_none()
            });
            (client.name.clone(), app_branding(&client))
        }
        None => ("Example application".to_owned(), context! { initial => "E" }),
    };
    // What the real login page shows, from the same settings (`ui::login::render`), with
    // links that lead nowhere: sign-up, forgotten password, upstream providers, and a passkey
    // button that starts no ceremony (shown as is: no script runs in the preview's frame).
    let issuer = state.provider.issuer();
    let passkey = state.provider.passkeys_enabled().then(|| {
        context! {
            mode => "get", options => "{}", ticket => "", class => "secondary",
            action => format!("{issuer}{}", crate::oauth::paths::LOGIN_PASSKEY),
            label => "Sign in with a passkey", conditional => false, preview => true,
        }
    });
    let ctx = context! {
        app_name, app,
        passwords => state.provider.settings().password_login,
        action => format!("{issuer}/login"),
        forgot => format!("{issuer}/forgot"),
        create => crate::ui::signup::link_from_login(&state, "preview"),
        passkey,
        upstreams => crate::ui::login::upstream_buttons(&state).await,
    };
    let mut response = page(&state, StatusCode::OK, "login.html", ctx);
    framed_by_console(&mut response);
    response
}

/// `GET /admin/branding`: the product's branding and theme, where each is set, and the
/// preview of the login page.
pub async fn branding(State(state): State<AppState>, console: Console) -> Response {
    if let Err(response) = console.reader(&state) {
        return response;
    }
    let settings = state.provider.settings();
    let ui = &settings.ui;
    let ctx = context! {
        title => "Branding",
        product => &settings.mail.product_name,
        logo => &ui.logo, favicon => &ui.favicon, support_url => &ui.support_url,
        primary_color => &ui.look.primary_color, background_color => &ui.look.background_color,
        background_image => &ui.look.background_image,
        theme_dir => ui.theme_dir.as_ref().map(|d| d.display().to_string()),
        locales_dir => ui.locales_dir.as_ref().map(|d| d.display().to_string()),
        languages => state.pages.catalogs().tags(),
    };
    render(&state, &console, "branding", StatusCode::OK, "branding.html", ctx)
}
