//! Pages people see: login (and its second step, [`mfa`]), consent, errors, and the
//! form_post response. Templates are
//! compiled into the binary and rendered with HTML auto-escaping; every page is sent with
//! anti-framing and no-cache headers.

pub mod consent;
pub mod cookies;
pub mod device;
pub mod federation;
pub mod i18n;
pub mod login;
pub mod mfa;
pub mod passkey;
pub mod reset;
pub mod signup;
pub mod theme;
pub mod verify;

use std::sync::Arc;

use aws_lc_rs::digest::{SHA256, digest};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use base64::Engine;
use keygate_core::authorize::{AuthorizationResponse, AuthorizeError, Next, ResponseMode};
use keygate_core::client::Departure;
use minijinja::{Environment, context};
use url::Url;

use crate::state::AppState;

/// The script of the form_post page, allowed by its hash in the page's CSP.
const FORM_POST_SCRIPT: &str = "document.forms[0].submit();";

/// The pages: their templates and assets (the theme), languages and branding.
#[derive(Debug)]
pub struct Pages {
    theme: Arc<theme::Theme>,
    form_post_csp: String,
    catalogs: Arc<i18n::Catalogs>,
    brand: Brand,
}

/// The operator's branding of every page (`[ui]`).
#[derive(Debug, Clone)]
pub struct Brand {
    /// The product's name in titles and "Secured by ...".
    pub product: String,
    /// The product's logo above the card.
    pub logo: Option<String>,
    /// The pages' icon.
    pub favicon: Option<String>,
    /// Where users get help.
    pub support_url: Option<String>,
    /// The stylesheet of the operator's colors and background.
    pub style: String,
}

impl Brand {
    /// The branding `[ui]` and the product's name describe.
    pub fn new(ui: &keygate_core::settings::UiSettings, product: &str) -> Self {
        Self {
            product: product.to_owned(),
            logo: ui.logo.clone(),
            favicon: ui.favicon.clone(),
            support_url: ui.support_url.clone(),
            style: ui.look.stylesheet(),
        }
    }
}

impl Pages {
    /// The pages in the languages of `catalogs`, drawn with the templates (the built-in ones,
    /// replaced by those of `[ui] theme_dir`, which is then watched for changes).
    pub fn new(
        ui: &keygate_core::settings::UiSettings,
        product: &str,
        catalogs: Arc<i18n::Catalogs>,
    ) -> anyhow::Result<Arc<Self>> {
        let build = drawing(catalogs.clone(), product.to_owned(), ui.theme_dir.clone());
        let theme = theme::Theme::load(ui.theme_dir.as_deref(), build)
            .map_err(|problems| anyhow::anyhow!(problems.join("\n")))?;
        let theme = Arc::new(theme);
        theme::Theme::watch(&theme);
        let hash = base64::engine::general_purpose::STANDARD
            .encode(digest(&SHA256, FORM_POST_SCRIPT.as_bytes()));
        let form_post_csp = format!(
            "default-src 'none'; script-src 'sha256-{hash}'; style-src 'self'; frame-ancestors 'none'; base-uri 'none'"
        );
        let brand = Brand::new(ui, product);
        Ok(Arc::new(Self { theme, form_post_csp, catalogs, brand }))
    }

    /// The languages of the pages.
    pub fn catalogs(&self) -> &i18n::Catalogs {
        &self.catalogs
    }

    /// The operator's branding.
    pub fn brand(&self) -> &Brand {
        &self.brand
    }

    /// The live theme.
    pub fn theme(&self) -> &theme::Theme {
        &self.theme
    }

    /// Renders `name` with `ctx`.
    pub fn render(&self, name: &str, ctx: minijinja::Value) -> Result<String, minijinja::Error> {
        self.theme.drawn().env.get_template(name)?.render(ctx)
    }
}

/// How the pages are drawn from a theme folder's files: the end-user templates (the theme's
/// in place of the built-in ones) with the translation functions, the console's templates,
/// and the assets.
fn drawing(
    catalogs: Arc<i18n::Catalogs>,
    product: String,
    dir: Option<std::path::PathBuf>,
) -> Box<theme::Builder> {
    Box::new(move |files: &theme::Files| {
        let mut env = Environment::new();
        // A theme's template that names something a page does not have renders it empty.
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Chainable);
        env.add_function("t", i18n::translator(catalogs.clone(), product.clone()));
        env.add_function("tr", i18n::text_translator(catalogs.clone()));
        env.add_filter("isolate", i18n::isolate);
        env.add_filter("in_language", i18n::in_language);
        let problems = theme::add_templates(&mut env, &files.templates, dir.as_deref());
        if !problems.is_empty() {
            return Err(problems);
        }
        crate::console::add_templates(&mut env)
            .map_err(|e| vec![format!("console template: {e}")])?;
        let mut assets: std::collections::BTreeMap<String, theme::Asset> = theme::ASSETS
            .iter()
            .map(|(name, text)| ((*name).to_owned(), theme::Asset::built_in(name, text)))
            .collect();
        assets.extend(files.assets.iter().map(|(n, a)| (n.clone(), a.clone())));
        Ok(theme::Drawn { env, assets })
    })
}

/// Every problem with the theme folder `dir`: unreadable files, templates that do not parse
/// or render (with file and line). For `keygate config check` and start-up.
pub fn check_theme(dir: &std::path::Path) -> Vec<String> {
    let catalogs = match i18n::Catalogs::load(None) {
        Ok(catalogs) => Arc::new(catalogs),
        Err(e) => return vec![e.to_string()],
    };
    let build = drawing(catalogs, "Keygate".to_owned(), Some(dir.to_path_buf()));
    match theme::read(dir) {
        Ok(files) => build(&files).err().unwrap_or_default(),
        Err(problems) => problems,
    }
}

/// `GET /assets/{name}`: the stylesheet, the passkey script and a theme's assets; revalidated
/// when a theme is in use (it may change while running), else cached for an hour.
pub async fn asset(
    axum::extract::State(state): axum::extract::State<AppState>,
    axum::extract::Path(name): axum::extract::Path<String>,
    headers: HeaderMap,
) -> Response {
    let drawn = state.pages.theme().drawn();
    let Some(asset) = drawn.assets.get(&name) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let cache = if state.pages.theme().is_themed() { "no-cache" } else { "public, max-age=3600" };
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|tags| tags.split(',').any(|t| t.trim() == asset.etag));
    let mut response = if fresh {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        ([(header::CONTENT_TYPE, asset.content_type)], asset.bytes.clone()).into_response()
    };
    let h = response.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    if let Ok(etag) = HeaderValue::from_str(&asset.etag) {
        h.insert(header::ETAG, etag);
    }
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    response
}

/// Headers for every HTML page: no framing (RFC 9700 §4.16 clickjacking), no caching, a strict
/// CSP that allows only our stylesheet and scripts, and no referrer (the URL may carry a request id).
pub fn page_headers(headers: &mut HeaderMap, csp: &str) {
    let csp = HeaderValue::from_str(csp)
        .unwrap_or_else(|_| HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'"));
    headers.insert(header::CONTENT_SECURITY_POLICY, csp);
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
}

/// The CSP of ordinary pages. No `form-action`: browsers apply it to the redirect that follows a
/// form post, which must reach the client's redirect URI.
pub const PAGE_CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; frame-ancestors 'none'; base-uri 'none'";

/// Renders a page with the standard headers, in the language negotiated for the request
/// ([`i18n`]) and with the operator's branding, and the application's where the page has one
/// (`app.style`).
pub fn page(state: &AppState, status: StatusCode, name: &str, ctx: minijinja::Value) -> Response {
    let issuer = state.provider.issuer();
    let assets = format!("{issuer}/assets");
    let asked = i18n::asked();
    let catalogs = state.pages.catalogs();
    let ui_locales = ctx.get_attr("ui_locales").ok().and_then(|v| v.as_str().map(str::to_owned));
    let (catalog, decided) =
        i18n::Negotiate::negotiate(catalogs, ui_locales.as_deref(), &asked, state.cookies.lang);
    // Where the request's ui_locales decided, a picked language would not show: no picker.
    let here = asked.here().filter(|_| decided != i18n::Decided::UiLocales);
    let languages = here.map(|here| i18n::picker(catalogs, catalog, issuer, here));
    let brand = state.pages.brand();
    let app_style = ctx.get_attr("app").and_then(|app| app.get_attr("style")).ok();
    let style =
        format!("{}{}", brand.style, app_style.as_ref().and_then(|s| s.as_str()).unwrap_or(""));
    let csp = style_csp(&style);
    let ctx = context! {
        assets => assets, lang => &catalog.tag, dir => catalog.direction(), languages => languages,
        brand => context! {
            product => &brand.product, logo => &brand.logo, favicon => &brand.favicon,
            support_url => &brand.support_url,
        },
        brand_style => minijinja::Value::from_safe_string(style),
        ..ctx
    };
    match state.pages.render(name, ctx) {
        Ok(html) => {
            let mut response = (status, Html(html)).into_response();
            page_headers(response.headers_mut(), &csp);
            response
        }
        Err(e) => {
            tracing::error!(error = %e, template = name, "page rendering failed");
            let mut response =
                (StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong.").into_response();
            page_headers(response.headers_mut(), PAGE_CSP);
            response
        }
    }
}

/// The page CSP allowing, besides the stylesheet, the page's one `<style>` element of
/// branding (`style`) by its hash (CSP Level 3 §8.3, hash-source).
fn style_csp(style: &str) -> std::borrow::Cow<'static, str> {
    if style.is_empty() {
        return PAGE_CSP.into();
    }
    let hash = base64::engine::general_purpose::STANDARD.encode(digest(&SHA256, style.as_bytes()));
    PAGE_CSP.replace("style-src 'self'", &format!("style-src 'self' 'sha256-{hash}'")).into()
}

/// Scopes as `scope.html` shows them: an API's own words (in the page's language when the API
/// translated them), else Keygate's message for its own scopes (`scope-openid`, ...) or for
/// any other (`scope-other`), in the page's language.
pub fn scope_view(lines: &[keygate_core::scope::ScopeLine]) -> Vec<minijinja::Value> {
    lines
        .iter()
        .map(|l| {
            let standard = keygate_core::scope::STANDARD_SCOPES.contains(&l.scope.as_str());
            let message = standard.then(|| format!("scope-{}", l.scope));
            // An API's translations by the catalogs' spelling of their tags (`pt-br` → `pt-BR`).
            let translations: std::collections::BTreeMap<String, String> = l
                .translations
                .iter()
                .filter_map(|(tag, text)| {
                    Some((i18n::language_tag(tag)?.to_string(), text.clone()))
                })
                .collect();
            context! { name => &l.scope, words => &l.api_words, translations, message }
        })
        .collect()
}

/// What the login and consent pages show of an application besides its name: its logo and
/// links to its privacy policy and terms (RFC 7591 §2 `logo_uri`, `policy_uri`, `tos_uri`).
/// An unverified application (open registration, a Client ID Metadata Document) shows no logo:
/// the image would come from its own server, which could change it to look like someone else's
/// and see each user who opens the page (CIMD §8.8 and §9.2; RFC 9700 §4.11.2).
pub fn app_branding(client: &keygate_core::Client) -> minijinja::Value {
    let m = &client.metadata;
    let host = client.redirect_uris.first().and_then(|u| url::Url::parse(u).ok());
    let host = host.and_then(|u| u.host_str().map(str::to_owned));
    // A logo that fails to load shows the application's initial instead (`img.logo::after`).
    let initial =
        client.name.chars().find(|c| c.is_alphanumeric()).map(|c| c.to_uppercase().to_string());
    // A Client ID Metadata Document client is known only by its URL: its host is its name.
    let document_host = url::Url::parse(&client.client_id)
        .ok()
        .filter(|u| matches!(u.scheme(), "https" | "http"))
        .and_then(|u| u.host_str().map(str::to_owned));
    // MCP authorization (Client ID Metadata Documents): anyone can name a real client's
    // document with a redirect to their own machine, so a client that returns only to
    // loopback addresses gets a further warning.
    let loopback_only = document_host.is_some()
        && !client.redirect_uris.is_empty()
        && client.redirect_uris.iter().all(|uri| {
            let url = url::Url::parse(uri).ok();
            keygate_core::registration::document::is_loopback_host(
                url.as_ref().and_then(|u| u.host_str()),
            )
        });
    let style = m.look().stylesheet();
    context! {
        style => (!style.is_empty()).then_some(style),
        logo_uri => m.logo_uri.as_ref().filter(|_| !m.unverified),
        policy_uri => &m.policy_uri, tos_uri => &m.tos_uri,
        unverified => m.unverified, host => host, initial => initial.unwrap_or_else(|| "?".into()),
        document_host => document_host, loopback_only => loopback_only,
    }
}

/// Keygate's error page.
pub fn error_page(state: &AppState, status: StatusCode, title: &str, message: &str) -> Response {
    error_page_with(state, status, title, message, None, None)
}

/// An error page with a folded block for the application's developer (`detail`, also logged
/// at INFO with the request id) and a way back (`back`, the application's home page). Every
/// error page shows the request id to quote to support.
pub fn error_page_with(
    state: &AppState,
    status: StatusCode,
    title: &str,
    message: &str,
    detail: Option<&str>,
    back: Option<&str>,
) -> Response {
    if let Some(detail) = detail {
        tracing::info!(detail, "request refused");
    }
    let request_id = crate::request_id::current();
    let ctx = context! { title, message, detail, back, request_id };
    page(state, status, "error.html", ctx)
}

/// The error page for an incomplete or malformed form.
pub fn bad_form(state: &AppState) -> Response {
    error_page(
        state,
        StatusCode::BAD_REQUEST,
        "This request cannot be completed",
        "The form is incomplete. Go back to the application and try again.",
    )
}

/// The pending request named by `?req=` for a page, or the response to show instead.
pub async fn pending_from_query(
    state: &AppState,
    headers: &HeaderMap,
    query: Option<String>,
) -> Result<keygate_core::authorize::PageRequest, Response> {
    let params = keygate_core::Params::parse(query.unwrap_or_default().as_bytes());
    let Ok(Some(id)) = params.single("req") else { return Err(bad_form(state)) };
    let browser = cookies::read(headers, state.cookies.browser);
    state
        .provider
        .pending_request(id, browser, None)
        .await
        .map_err(|e| next_response(state, Err(e)))
}

/// The `ui_locales` (OIDC Core §3.1.2.1) of the pending authorization request `req`, for the
/// pages its login page leads to (sign-up, forgotten password): they speak the request's
/// language too. `None` when there is no such request for this browser.
pub async fn request_ui_locales(
    state: &AppState,
    browser: Option<&str>,
    req: Option<&str>,
) -> Option<String> {
    let pending = state.provider.pending_request(req?, browser, None).await.ok()?;
    pending.request.ui_locales
}

/// Where a sign-in comes from, for the sign-in log: the client address, the browser's
/// `User-Agent` and the application.
pub fn attempt<'a>(
    ip: &'a str,
    headers: &'a HeaderMap,
    client_id: Option<&'a str>,
) -> keygate_core::signin_log::Attempt<'a> {
    let user_agent = headers.get(axum::http::header::USER_AGENT).and_then(|v| v.to_str().ok());
    keygate_core::signin_log::Attempt { ip: Some(ip), user_agent, client_id }
}

/// The browser-binding cookie, and a fresh one to set when the browser had none.
pub fn browser_cookie(state: &AppState, headers: &HeaderMap) -> (String, Option<String>) {
    match cookies::read(headers, state.cookies.browser) {
        Some(existing) => (existing.to_owned(), None),
        None => {
            let fresh = keygate_core::Secret::generate(32).expose_secret().to_owned();
            (fresh.clone(), Some(fresh))
        }
    }
}

/// `response` with the browser-binding cookie set, when a fresh one was made for it.
pub fn with_cookie(state: &AppState, mut response: Response, fresh: Option<String>) -> Response {
    if let Some(value) = fresh {
        cookies::append(&mut response, &state.cookies.set(state.cookies.browser, &value, None));
    }
    response
}

/// Starts an SSO session for `user` who just proved a password, continues the pending
/// authorization request, and sets the session cookie on the answer.
pub async fn sign_in_and_continue(
    state: &AppState,
    pending: keygate_core::authorize::PageRequest,
    user: keygate_core::User,
    browser: Option<&str>,
) -> Response {
    let amr = [keygate_core::session::AMR_PASSWORD];
    sign_in_with(state, pending, user, browser, &amr).await
}

/// Starts the SSO session of `user`, who signed in with `amr` (RFC 8176), and continues the
/// pending request.
pub async fn sign_in_with(
    state: &AppState,
    pending: keygate_core::authorize::PageRequest,
    user: keygate_core::User,
    browser: Option<&str>,
    amr: &[&str],
) -> Response {
    let (cookie, session) = match state.provider.start_session(&user, amr).await {
        Ok(started) => started,
        Err(e) => return next_response(state, Err(e.into())),
    };
    let next = state.provider.continue_after_login(pending, session, user, browser).await;
    let mut response = next_response(state, next);
    let ttl = state.provider.settings().session_ttl;
    let set = state.cookies.set(state.cookies.session, cookie.expose_secret(), Some(ttl));
    cookies::append(&mut response, &set);
    response
}

/// A page form posted for a pending authorization request (its `req` and `csrf` fields): the
/// form and the request, checked to belong to this browser; or the page saying what is wrong.
pub async fn pending_form(
    state: &AppState,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<(keygate_core::Params, keygate_core::authorize::PageRequest), Response> {
    let Some(form) = crate::extract::read_page_form(headers, body) else {
        return Err(bad_form(state));
    };
    let (Ok(Some(id)), Ok(Some(csrf))) = (form.single("req"), form.single("csrf")) else {
        return Err(bad_form(state));
    };
    let browser = cookies::read(headers, state.cookies.browser);
    match state.provider.pending_request(id, browser, Some(csrf)).await {
        Ok(p) => Ok((form, p)),
        Err(e) => Err(next_response(state, Err(e))),
    }
}

/// Whether a page form's `csrf` field is the token for `purpose` bound to this browser's
/// cookie.
pub fn page_csrf_ok(
    state: &AppState,
    headers: &HeaderMap,
    form: &keygate_core::Params,
    purpose: &str,
) -> bool {
    use subtle::ConstantTimeEq;
    let (Some(browser), Ok(Some(csrf))) =
        (cookies::read(headers, state.cookies.browser), form.single("csrf"))
    else {
        return false;
    };
    let expected = keygate_core::authorize::csrf_token(browser, purpose);
    bool::from(expected.as_bytes().ct_eq(csrf.as_bytes()))
}

/// A pending request id as Keygate makes them (from a query or a form), or nothing.
pub fn request_id_param(req: Option<&str>) -> Option<&str> {
    req.filter(|r| {
        !r.is_empty()
            && r.len() <= 64
            && r.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    })
}

/// A 303 to `location` (RFC 9700 §4.12: never 307 after a form with credentials).
pub fn see_other(location: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The response for an authorization step.
pub fn next_response(state: &AppState, next: Result<Next, AuthorizeError>) -> Response {
    let issuer = state.provider.issuer();
    match next {
        // Initiating User Registration §4.1: `prompt=create` starts with the sign-up page.
        Ok(Next::Login(p)) if p.request.has_prompt(keygate_core::authorize::Prompt::Create) => {
            signup::to_sign_up(state, &p.request_id)
        }
        Ok(Next::Login(p)) => see_other(&format!("{issuer}/login?req={}", p.request_id)),
        Ok(Next::Consent(p)) => see_other(&format!("{issuer}/consent?req={}", p.request_id)),
        Ok(Next::SecondFactor(p)) => see_other(&format!("{issuer}/login/mfa?req={}", p.request_id)),
        Ok(Next::Respond(r)) | Err(AuthorizeError::Redirect(r)) => client_response(state, r),
        Ok(Next::Device(outcome)) => device::outcome_page(state, outcome),
        Err(AuthorizeError::Page { message, detail, back }) => error_page_with(
            state,
            StatusCode::BAD_REQUEST,
            "This request cannot be completed",
            &message,
            detail.as_deref(),
            back.as_deref(),
        ),
        Err(AuthorizeError::Server(e)) => {
            tracing::error!(error = ?e, "authorization failed");
            error_page(
                state,
                StatusCode::INTERNAL_SERVER_ERROR,
                "Something went wrong",
                "Keygate could not complete the request. Please try again.",
            )
        }
    }
}

/// Sends a code or an error to the client: query parameters on the redirect URI, or an
/// auto-submitted form (OAuth 2.0 Form Post Response Mode §2).
fn client_response(state: &AppState, r: AuthorizationResponse) -> Response {
    const TITLE: &str = "The request was not completed";
    const MESSAGE: &str = "The application that sent you here gets the answer.";
    match r.response_mode {
        ResponseMode::Query => {
            let Ok(mut url) = Url::parse(&r.redirect_uri) else {
                return error_page(
                    state,
                    StatusCode::BAD_REQUEST,
                    "Invalid redirect",
                    "The redirect URI is invalid.",
                );
            };
            url.query_pairs_mut().extend_pairs(r.params.iter());
            let departure = Departure { url: url.into(), confirm_host: r.confirm_host };
            leave(state, departure, TITLE, MESSAGE)
        }
        ResponseMode::FormPost if r.confirm_host.is_some() => {
            let host = r.confirm_host.unwrap_or_default();
            leaving_page(state, &host, &r.redirect_uri, Some(&r.params), TITLE, MESSAGE)
        }
        ResponseMode::FormPost => {
            let ctx = context! {
                redirect_uri => r.redirect_uri,
                params => r.params,
                script => FORM_POST_SCRIPT,
                assets => format!("{}/assets", state.provider.issuer()),
            };
            match state.pages.render("form_post.html", ctx) {
                Ok(html) => {
                    let mut response = Html(html).into_response();
                    page_headers(response.headers_mut(), &state.pages.form_post_csp);
                    response
                }
                Err(e) => {
                    tracing::error!(error = %e, "form_post rendering failed");
                    StatusCode::INTERNAL_SERVER_ERROR.into_response()
                }
            }
        }
    }
}

/// Sends the browser out of Keygate: at once, or for an unverified client through a page that
/// names the destination host, so that open registration makes no open redirector
/// (RFC 9700 §4.11.2). `title` and `message` say what happened before leaving.
pub fn leave(state: &AppState, departure: Departure, title: &str, message: &str) -> Response {
    match departure.confirm_host {
        None => see_other(&departure.url),
        Some(host) => leaving_page(state, &host, &departure.url, None, title, message),
    }
}

/// The confirmation page: a link to `url`, or with `params` a form that posts them there.
fn leaving_page(
    state: &AppState,
    host: &str,
    url: &str,
    params: Option<&[(String, String)]>,
    title: &str,
    message: &str,
) -> Response {
    let params = params.map(<[(String, String)]>::to_vec);
    let ctx = context! { host, url, params, title, message };
    page(state, StatusCode::OK, "leaving.html", ctx)
}

/// `/` and every path nothing else answers: a page instead of a bare 404. Under the admin API
/// an unknown path stays an RFC 9457 problem.
pub async fn fallback(
    axum::extract::State(state): axum::extract::State<AppState>,
    uri: axum::http::Uri,
) -> Response {
    let issuer_path = Url::parse(state.provider.issuer())
        .map(|u| u.path().trim_end_matches('/').to_owned())
        .unwrap_or_default();
    let path = uri.path().strip_prefix(issuer_path.as_str()).unwrap_or(uri.path());
    if path.starts_with(crate::admin_api::BASE) {
        let problem =
            crate::admin_api::problem::Problem::new(StatusCode::NOT_FOUND, "no such resource");
        return problem.into_response();
    }
    if path.is_empty() || path == "/" {
        let console = format!("{}{}", state.provider.issuer(), crate::console::BASE);
        let account = format!("{}/account", state.provider.issuer());
        return page(&state, StatusCode::OK, "home.html", context! { console, account });
    }
    error_page(
        &state,
        StatusCode::NOT_FOUND,
        "Page not found",
        "There is nothing at this address. If an application sent you here, go back to it and \
         try again.",
    )
}
