//! The admin console at `/admin`: server-rendered pages, no JavaScript, signed in to through
//! Keygate itself ([`session`]), calling the same core operations as the admin API and the CLI.
//! Every form carries a CSRF token; destructive actions ask for confirmation first; validation
//! messages are shown next to the field they are about.
// Handlers return `Result<T, Response>` to stop early with a page; a `Response` is what axum
// handlers produce anyway, and boxing it would buy nothing on these low-traffic pages.
#![allow(clippy::result_large_err)]

pub mod session;

mod access;
mod apis;
mod apps;
mod documents;
mod flash;
mod mail;
mod misc;
mod preview;
mod signins;
mod upstreams;
mod users;

use std::collections::BTreeMap;

use axum::Router;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use keygate_core::Params;
use keygate_core::admin::AdminError;
use minijinja::{Environment, Value, context};
use serde::Serialize;

use crate::admin_api::problem::Problem;
use crate::extract::read_page_form;
use crate::state::AppState;
use crate::ui::{error_page, page};
use session::Console;

/// Any serializable value for a template.
pub fn v<T: Serialize>(value: T) -> Value {
    Value::from(minijinja::value::Serde(value))
}

/// Where the console lives, under the issuer.
pub const BASE: &str = "/admin";
/// The console's own client id.
pub use keygate_core::admin::CONSOLE_CLIENT_ID;

/// The console stylesheet.
pub const STYLESHEET: &str = include_str!("templates/console.css");
/// The console's one script: copy buttons (everything works without it).
pub const SCRIPT: &str = include_str!("templates/console.js");
/// Console pages may also run the console's own script.
const CONSOLE_CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; frame-src 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Adds the console templates to the page environment.
pub fn add_templates(env: &mut Environment<'static>) -> Result<(), minijinja::Error> {
    let templates = [
        ("console_layout.html", include_str!("templates/console_layout.html")),
        ("macros.html", include_str!("templates/macros.html")),
        ("confirm.html", include_str!("templates/confirm.html")),
        ("dashboard.html", include_str!("templates/dashboard.html")),
        ("audit_table.html", include_str!("templates/audit_table.html")),
        ("audit.html", include_str!("templates/audit.html")),
        ("signins.html", include_str!("templates/signins.html")),
        ("mail.html", include_str!("templates/mail.html")),
        ("keys.html", include_str!("templates/keys.html")),
        ("denied.html", include_str!("templates/denied.html")),
        ("apps.html", include_str!("templates/apps.html")),
        ("app.html", include_str!("templates/app.html")),
        ("app_created.html", include_str!("templates/app_created.html")),
        ("documents.html", include_str!("templates/documents.html")),
        ("document_block.html", include_str!("templates/document_block.html")),
        ("apis.html", include_str!("templates/apis.html")),
        ("api.html", include_str!("templates/api.html")),
        ("users.html", include_str!("templates/users.html")),
        ("user.html", include_str!("templates/user.html")),
        ("upstreams.html", include_str!("templates/upstreams.html")),
        ("upstream.html", include_str!("templates/upstream.html")),
        ("branding.html", include_str!("templates/branding.html")),
    ];
    for (name, source) in templates {
        env.add_template(name, source)?;
    }
    Ok(())
}

/// The console's routes, relative to the issuer path.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(BASE, get(misc::dashboard))
        .route("/admin/login", get(session::login))
        .route("/admin/callback", get(session::callback))
        .route("/admin/logout", post(session::logout))
        .route("/admin/applications", get(apps::list).post(apps::create))
        .route("/admin/applications/{id}", get(apps::show).post(apps::update))
        .route("/admin/applications/{id}/rotate", get(apps::confirm_rotate).post(apps::rotate))
        .route("/admin/applications/{id}/created", get(apps::created))
        .route("/admin/applications/{id}/new-secret", get(apps::new_secret))
        .route("/admin/applications/{id}/delete", get(apps::confirm_delete).post(apps::delete))
        .route("/admin/client-documents", get(documents::list))
        .route(
            "/admin/client-documents/block",
            get(documents::confirm_block).post(documents::block),
        )
        .route("/admin/client-documents/unblock", post(documents::unblock))
        .route("/admin/apis", get(apis::list).post(apis::create))
        .route("/admin/apis/{id}", get(apis::show).post(apis::update))
        .route("/admin/apis/{id}/grants", post(apis::add_grant))
        .route("/admin/apis/{id}/grants/{client_id}/delete", post(apis::remove_grant))
        .route("/admin/apis/{id}/credentials", post(apis::create_credentials))
        .route("/admin/apis/{id}/credentials/{client_id}/delete", post(apis::delete_credentials))
        .route("/admin/apis/{id}/delete", get(apis::confirm_delete).post(apis::delete))
        .route("/admin/users", get(users::list).post(users::create))
        .route("/admin/users/{id}", get(users::show).post(users::update))
        .route("/admin/users/{id}/password", post(users::set_password))
        .route(
            "/admin/users/{id}/sessions/{sid}/end",
            get(users::confirm_end_session).post(users::end_session),
        )
        .route(
            "/admin/users/{id}/consents/{client_id}/revoke",
            get(users::confirm_revoke).post(users::revoke_consent),
        )
        .route("/admin/users/{id}/delete", get(users::confirm_delete).post(users::delete))
        .route("/admin/upstreams", get(upstreams::list).post(upstreams::create))
        .route("/admin/upstreams/{id}", get(upstreams::show).post(upstreams::update))
        .route(
            "/admin/upstreams/{id}/delete",
            get(upstreams::confirm_delete).post(upstreams::delete),
        )
        .route("/admin/users/{id}/identities/{provider}/{subject}/unlink", post(upstreams::unlink))
        .route("/admin/users/{id}/factors/remove", post(users::remove_factors))
        .route("/admin/keys", get(misc::keys))
        .route("/admin/keys/rotate", get(misc::confirm_rotate_keys).post(misc::rotate_keys))
        .route("/admin/audit", get(misc::audit))
        .route("/admin/branding", get(preview::branding))
        .route("/admin/preview", get(preview::login))
        .route("/admin/signins", get(signins::list))
        .route("/admin/mail", get(mail::list))
        .route("/admin/mail/test", post(mail::test))
        .route("/admin/mail/{id}/resend", post(mail::resend))
        .route("/admin/users/invite", post(mail::invite))
        .route("/admin/users/{id}/reset-link", post(mail::reset_link))
        .route("/admin/users/{id}/verification-link", post(mail::verification_link))
}

#[derive(Serialize)]
struct NavItem {
    key: &'static str,
    label: &'static str,
    path: &'static str,
}

const NAV: [NavItem; 10] = [
    NavItem { key: "overview", label: "Overview", path: "" },
    NavItem { key: "applications", label: "Applications", path: "/applications" },
    NavItem { key: "apis", label: "APIs", path: "/apis" },
    NavItem { key: "users", label: "Users", path: "/users" },
    NavItem { key: "upstreams", label: "Upstreams", path: "/upstreams" },
    NavItem { key: "keys", label: "Signing keys", path: "/keys" },
    NavItem { key: "signins", label: "Sign-in log", path: "/signins" },
    NavItem { key: "mail", label: "Mail", path: "/mail" },
    NavItem { key: "branding", label: "Branding", path: "/branding" },
    NavItem { key: "audit", label: "Audit log", path: "/audit" },
];

/// Renders a console page with the layout's context.
pub fn render(
    state: &AppState,
    console: &Console,
    section: &str,
    status: StatusCode,
    template: &str,
    ctx: Value,
) -> Response {
    let ctx = context! {
        base => format!("{}{BASE}", state.provider.issuer()),
        issuer => state.provider.issuer(),
        nav => v(&NAV),
        section => section,
        csrf => &console.csrf,
        ..ctx
    };
    let mut response = page(state, status, template, ctx);
    crate::ui::page_headers(response.headers_mut(), CONSOLE_CSP);
    response
}

/// The form of a console POST, if its CSRF token is right.
pub fn console_form(
    state: &AppState,
    console: &Console,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Params, Response> {
    match read_page_form(headers, body) {
        Some(form) if console.check_csrf(&form) => Ok(form),
        _ => Err(error_page(
            state,
            StatusCode::FORBIDDEN,
            "This form has expired",
            "Reload the page and try again.",
        )),
    }
}

/// A text field of a form, empty when absent.
pub fn text(form: &Params, name: &'static str) -> String {
    form.single(name).ok().flatten().unwrap_or_default().trim().to_owned()
}

/// A textarea as a list: one non-empty line each.
pub fn lines(value: &str) -> Vec<String> {
    value.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect()
}

/// An optional number field: empty is `None`; anything else must be a whole number.
pub fn number(form: &Params, name: &'static str, problems: &mut Vec<String>) -> Option<i64> {
    let value = text(form, name);
    if value.is_empty() {
        return None;
    }
    value
        .parse()
        .map_err(|_| problems.push(format!("{name}: '{value}' is not a whole number")))
        .ok()
}

/// Validation problems sorted to the fields they are about: a problem that starts with
/// `field:` or quotes a value the field holds belongs to that field; the rest are general.
pub fn place_errors(
    problems: &[String],
    fields: &[(&str, &str)],
) -> (BTreeMap<String, Vec<String>>, Vec<String>) {
    let mut by_field: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut general = Vec::new();
    for problem in problems {
        let prefixed = fields.iter().find(|(name, _)| problem.starts_with(&format!("{name}:")));
        let quoted = problem.split('\'').nth(1).filter(|q| !q.is_empty());
        let holding = quoted.and_then(|q| {
            fields.iter().find(|(_, value)| {
                value.lines().any(|l| l.trim() == q) || value.split(' ').any(|w| w == q)
            })
        });
        let keyword = fields.iter().find(|(name, _)| problem.starts_with(&name.replace('_', " ")));
        // Next to its field, a problem needs no field name in front.
        let text = match prefixed {
            Some((name, _)) => sentence(problem[name.len() + 1..].trim()),
            None => problem.clone(),
        };
        match prefixed.or(holding).or(keyword) {
            Some((name, _)) => by_field.entry((*name).to_owned()).or_default().push(text),
            None => general.push(text),
        }
    }
    (by_field, general)
}

/// `text` with its first letter in capitals.
fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// [`place_errors`] for a form's values, with the page status: 422 when there are problems.
pub fn form_errors(
    form: &BTreeMap<&str, String>,
    problems: &[String],
) -> (BTreeMap<String, Vec<String>>, Vec<String>, StatusCode) {
    let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (errors, general) = place_errors(problems, &fields);
    let status =
        if problems.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    (errors, general, status)
}

/// After an action: to `path` on success, else the error page.
pub fn redirect_after(state: &AppState, result: Result<(), AdminError>, path: &str) -> Response {
    match result {
        Ok(()) => crate::ui::see_other(&console_url(state, path)),
        Err(e) => failure(state, e),
    }
}

/// A path segment, percent-encoded.
pub fn urlencoding(segment: &str) -> String {
    url::form_urlencoded::byte_serialize(segment.as_bytes()).collect()
}

/// A console page for an error from a core operation (not a validation problem).
pub fn failure(state: &AppState, err: AdminError) -> Response {
    let problem = Problem::from(err);
    let status = StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    error_page(state, status, problem.title, problem.detail.as_deref().unwrap_or(""))
}

/// A confirmation page for a destructive action.
pub struct Confirm<'a> {
    /// Page title, e.g. "Delete Shop?".
    pub title: String,
    /// What will happen.
    pub message: String,
    /// Where the form posts.
    pub action: String,
    /// Where Cancel goes.
    pub cancel: String,
    /// The button's words.
    pub button: &'a str,
    /// Console section for the navigation.
    pub section: &'a str,
}

/// Renders a [`Confirm`] page.
pub fn confirm(state: &AppState, console: &Console, c: Confirm<'_>) -> Response {
    let ctx = context! {
        title => c.title, message => c.message, action => c.action, cancel => c.cancel,
        button => c.button, button_class => "danger",
    };
    render(state, console, c.section, StatusCode::OK, "confirm.html", ctx)
}

/// `issuer + /admin + path`.
pub fn console_url(state: &AppState, path: &str) -> String {
    format!("{}{BASE}{path}", state.provider.issuer())
}

/// `GET /assets/console.js`.
pub async fn script() -> impl IntoResponse {
    (
        [
            (axum::http::header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (axum::http::header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        SCRIPT,
    )
}

/// `GET /assets/console.css`.
pub async fn stylesheet() -> impl IntoResponse {
    (
        [
            (axum::http::header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (axum::http::header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        STYLESHEET,
    )
}

/// Seconds since the epoch as `YYYY-MM-DD HH:MM:SS UTC`.
pub fn when(at: i64) -> String {
    keygate_core::clock::format_utc(at)
}

#[cfg(test)]
#[allow(clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn console_pages_render_with_minimal_context() {
        let pages = crate::ui::Pages::new(
            &Default::default(),
            "Keygate",
            std::sync::Arc::new(crate::ui::i18n::Catalogs::load(None).expect("catalogs")),
        )
        .expect("templates compile");
        let ctx = context! {
            base => "/admin", issuer => "http://x", nav => v(&NAV), section => "overview", csrf => "c",
            assets => "/assets", title => "T", types => BTreeMap::from([("web", "Web")]),
            form => BTreeMap::from([("type", "web")]), errors => BTreeMap::<String, Vec<String>>::new(),
            counts => context! { applications => 1 }, filter => context! {}, grant_form => context! {},
            user => context! { id => "u", username => "u", roles => Vec::<String>::new() },
            client => context! { client_id => "c", name => "n", client_type => "web", grant_types => vec!["authorization_code"] },
            api => context! { id => "a", name => "n", client_grants => BTreeMap::<String, Vec<String>>::new() },
            upstream => context! { id => "u", display_name => "U", kind => "OAuth 2.0" },
            access => context! { oidc => Vec::<String>::new(), apis => Vec::<String>::new() },
        };
        for name in [
            "dashboard.html",
            "apps.html",
            "app.html",
            "app_created.html",
            "documents.html",
            "document_block.html",
            "apis.html",
            "api.html",
            "users.html",
            "user.html",
            "upstreams.html",
            "upstream.html",
            "keys.html",
            "audit.html",
            "signins.html",
            "mail.html",
            "confirm.html",
        ] {
            if let Err(e) = pages.render(name, ctx.clone()) {
                panic!("{name}: {e:#}");
            }
        }
    }
}
