//! Signing in to the console through Keygate itself: the console is a first-party public client
//! (`keygate-console`) using the authorization code flow with PKCE S256 (RFC 7636), asking for
//! the admin API audience with `admin:read admin:write`. Its tokens live in an HttpOnly cookie,
//! sealed with the master key (AES-256-GCM), so the browser can neither read nor alter them.

use aws_lc_rs::digest::{SHA256, digest};
use axum::body::Bytes;
use axum::extract::{FromRequestParts, RawQuery, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use keygate_core::Params;
use keygate_core::admin::{ADMIN_READ, ADMIN_WRITE, Actor, Admin, NewClient, admin_audience};
use keygate_core::client::{AuthMethod, ClientSpec, ClientType, GrantType};
use keygate_core::secret::random_string;
use minijinja::context;
use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;

use super::{BASE, CONSOLE_CLIENT_ID};
use crate::admin_api::auth::AdminCaller;
use crate::extract::read_page_form;
use crate::serving::client_ip;
use crate::state::AppState;
use crate::ui::{cookies, error_page, page, see_other};

/// The sealing context of the console cookie.
const SEAL_CONTEXT: &str = "keygate-console-session";
/// How long a sign-in may take between `/admin/login` and the callback.
const FLOW_TTL: i64 = 600;

/// The console client's redirect URI and home.
fn urls(issuer: &str) -> (String, String) {
    (format!("{issuer}{BASE}/callback"), format!("{issuer}{BASE}"))
}

/// Registers (or corrects) the console's own client at start-up.
pub async fn ensure_console_client(state: &AppState) -> anyhow::Result<()> {
    let provider = &state.provider;
    let (callback, home) = urls(provider.issuer());
    let spec = ClientSpec {
        name: Some("Keygate admin console".to_owned()),
        redirect_uris: Some(vec![callback]),
        post_logout_redirect_uris: Some(vec![home]),
        grant_types: Some(vec![GrantType::AuthorizationCode]),
        scopes: Some(["openid", "profile", ADMIN_READ, ADMIN_WRITE].map(String::from).to_vec()),
        resources: Some(vec![admin_audience(provider.issuer())]),
        auth_method: Some(AuthMethod::None),
        first_party: Some(true),
        ..Default::default()
    };
    let admin = Admin::new(provider.store(), provider.clock())
        .for_issuer(provider.issuer())
        .acting_as(Actor { id: keygate_core::admin::SYSTEM_ACTOR.to_owned(), ip: None });
    match provider.store().find_client(CONSOLE_CLIENT_ID).await? {
        None => {
            let new = NewClient {
                client_type: ClientType::Spa,
                client_id: Some(CONSOLE_CLIENT_ID.to_owned()),
                secret: None,
                spec,
            };
            admin.create_client(new).await?;
        }
        Some(current)
            if current.redirect_uris != spec.redirect_uris.clone().unwrap_or_default() =>
        {
            admin.update_client(CONSOLE_CLIENT_ID, spec).await?;
        }
        Some(_) => {}
    }
    Ok(())
}

/// What the console cookie holds.
#[derive(Serialize, Deserialize)]
struct Tokens {
    access_token: String,
    id_token: Option<String>,
}

/// A signed-in console operator.
#[derive(Debug, Clone)]
pub struct Console {
    /// Their admin API identity and scopes.
    pub caller: AdminCaller,
    /// The form token for this session: derived from the sealed cookie, which pages cannot read.
    pub csrf: String,
}

impl Console {
    /// Whether a submitted form carries this session's CSRF token.
    pub fn check_csrf(&self, form: &Params) -> bool {
        form.single("csrf")
            .ok()
            .flatten()
            .is_some_and(|c| c.as_bytes().ct_eq(self.csrf.as_bytes()).into())
    }
}

fn csrf_of(cookie: &str) -> String {
    let d = digest(&SHA256, format!("console-csrf:{cookie}").as_bytes());
    d.as_ref()[..16].iter().map(|b| format!("{b:02x}")).collect()
}

impl FromRequestParts<AppState> for Console {
    type Rejection = Response;

    /// The operator behind the console cookie, or a redirect to sign in.
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let login = || see_other(&format!("{}{BASE}/login", state.provider.issuer()));
        let Some(cookie) = cookies::read(&parts.headers, state.cookies.console) else {
            return Err(login());
        };
        let tokens = URL_SAFE_NO_PAD
            .decode(cookie)
            .ok()
            .and_then(|sealed| state.provider.master_key().open(&sealed, SEAL_CONTEXT).ok())
            .and_then(|json| serde_json::from_slice::<Tokens>(&json).ok());
        let Some(tokens) = tokens else { return Err(login()) };
        let ip = client_ip(&parts.extensions).map(|ip| ip.to_string());
        match AdminCaller::authenticate(state, &tokens.access_token, ip).await {
            Ok(caller) => Ok(Self { caller, csrf: csrf_of(cookie) }),
            Err(_) => Err(login()),
        }
    }
}

/// `GET /admin/login`: starts the code flow with PKCE.
pub async fn login(State(state): State<AppState>) -> Response {
    let issuer = state.provider.issuer();
    let (callback, _) = urls(issuer);
    let flow_state = random_string(16);
    let verifier = random_string(32);
    let challenge = URL_SAFE_NO_PAD.encode(digest(&SHA256, verifier.as_bytes()));
    let scope = format!("openid profile {ADMIN_READ} {ADMIN_WRITE}");
    let query = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("response_type", "code")
        .append_pair("client_id", CONSOLE_CLIENT_ID)
        .append_pair("redirect_uri", &callback)
        .append_pair("scope", &scope)
        .append_pair("resource", &admin_audience(issuer))
        .append_pair("state", &flow_state)
        .append_pair("code_challenge", &challenge)
        .append_pair("code_challenge_method", "S256")
        .finish();
    let mut response = see_other(&format!("{issuer}/authorize?{query}"));
    let flow = format!("{flow_state}.{verifier}");
    cookies::append(
        &mut response,
        &state.cookies.set(state.cookies.console_flow, &flow, Some(FLOW_TTL)),
    );
    response
}

/// `GET /admin/callback`: checks `state`, redeems the code in-process, keeps the tokens sealed.
pub async fn callback(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let params = Params::parse(query.unwrap_or_default().as_bytes());
    let flow = cookies::read(&headers, state.cookies.console_flow).and_then(|f| f.split_once('.'));
    let returned = params.single("state").ok().flatten();
    let Some((_, verifier)) = flow.filter(|(s, _)| Some(*s) == returned) else {
        return error_page(
            &state,
            StatusCode::BAD_REQUEST,
            "Sign-in expired",
            "Start again from the console.",
        );
    };
    if let Ok(Some(error)) = params.single("error") {
        return error_page(&state, StatusCode::FORBIDDEN, "Sign-in did not complete", error);
    }
    let Ok(Some(code)) = params.single("code") else {
        return error_page(
            &state,
            StatusCode::BAD_REQUEST,
            "Sign-in failed",
            "No code was returned.",
        );
    };
    let (callback, home) = urls(state.provider.issuer());
    let form = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("grant_type", "authorization_code")
        .append_pair("code", code)
        .append_pair("redirect_uri", &callback)
        .append_pair("code_verifier", verifier)
        .append_pair("client_id", CONSOLE_CLIENT_ID)
        .finish();
    let tokens = match state.provider.token(None, &Params::parse(form.as_bytes())).await {
        Ok(t) => Tokens { access_token: t.access_token, id_token: t.id_token },
        Err(e) => {
            tracing::warn!(error = %e, "console code exchange failed");
            return error_page(
                &state,
                StatusCode::BAD_REQUEST,
                "Sign-in failed",
                "Start again from the console.",
            );
        }
    };
    let sealed = serde_json::to_vec(&tokens)
        .map_err(anyhow::Error::from)
        .and_then(|json| state.provider.master_key().seal(&json, SEAL_CONTEXT));
    let Ok(sealed) = sealed else {
        return error_page(
            &state,
            StatusCode::INTERNAL_SERVER_ERROR,
            "Sign-in failed",
            "Try again.",
        );
    };
    let cookie = URL_SAFE_NO_PAD.encode(sealed);
    let mut response = match AdminCaller::authenticate(&state, &tokens.access_token, None).await {
        Ok(_) => see_other(&home),
        Err(_) => {
            let ctx = context! {
                message => "Your account cannot manage Keygate. Ask an administrator to give you the admin role.",
                action => format!("{home}/logout"),
                csrf => csrf_of(&cookie),
            };
            page(&state, StatusCode::FORBIDDEN, "denied.html", ctx)
        }
    };
    cookies::append(&mut response, &state.cookies.set(state.cookies.console, &cookie, None));
    cookies::append(&mut response, &state.cookies.clear(state.cookies.console_flow));
    response
}

/// `POST /admin/logout`: forgets the console tokens and ends the Keygate session through
/// RP-initiated logout, with the ID token as hint so no confirmation is needed.
pub async fn logout(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let issuer = state.provider.issuer();
    let cookie = cookies::read(&headers, state.cookies.console);
    let form = read_page_form(&headers, &body).unwrap_or_else(|| Params::parse(b""));
    let csrf_ok = cookie.is_some_and(|c| {
        form.single("csrf")
            .ok()
            .flatten()
            .is_some_and(|t| t.as_bytes().ct_eq(csrf_of(c).as_bytes()).into())
    });
    if !csrf_ok {
        return see_other(&format!("{issuer}{BASE}"));
    }
    let id_token = cookie
        .and_then(|c| URL_SAFE_NO_PAD.decode(c).ok())
        .and_then(|sealed| state.provider.master_key().open(&sealed, SEAL_CONTEXT).ok())
        .and_then(|json| serde_json::from_slice::<Tokens>(&json).ok())
        .and_then(|t| t.id_token);
    let (_, home) = urls(issuer);
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    query
        .append_pair("client_id", CONSOLE_CLIENT_ID)
        .append_pair("post_logout_redirect_uri", &home);
    if let Some(hint) = &id_token {
        query.append_pair("id_token_hint", hint);
    }
    let mut response = see_other(&format!("{issuer}/logout?{}", query.finish()));
    cookies::append(&mut response, &state.cookies.clear(state.cookies.console));
    response
}

impl Console {
    /// The core operations with `admin:read`, or a 403 page.
    pub fn reader<'a>(&self, state: &'a AppState) -> Result<Admin<'a>, Response> {
        self.caller.reader(state).map_err(|p| forbidden(state, &p))
    }

    /// A console POST: its form, if the CSRF token is right, and the operations with
    /// `admin:write`; else the page to show instead.
    pub fn post<'a>(
        &self,
        state: &'a AppState,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<(Params, Admin<'a>), Response> {
        let form = super::console_form(state, self, headers, body)?;
        Ok((form, self.writer(state)?))
    }

    /// The core operations with `admin:write`, or a 403 page.
    pub fn writer<'a>(&self, state: &'a AppState) -> Result<Admin<'a>, Response> {
        self.caller.writer(state).map_err(|p| forbidden(state, &p))
    }
}

fn forbidden(state: &AppState, p: &crate::admin_api::problem::Problem) -> Response {
    error_page(state, StatusCode::FORBIDDEN, p.title, p.detail.as_deref().unwrap_or(""))
}
