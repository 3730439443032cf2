//! Signing in to the console through Keygate itself: the console is a first-party public client
//! (`keygate-console`) using the authorization code flow with PKCE S256 (RFC 7636), asking for
//! the admin API audience with `admin:read admin:write`. Its tokens live in an HttpOnly cookie,
//! sealed with the master key (AES-256-GCM), so the browser can neither read nor alter them.

use axum::body::Bytes;
use axum::extract::{FromRequestParts, RawQuery, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use keygate_core::Params;
use keygate_core::admin::{ADMIN_READ, ADMIN_WRITE, Admin};
use minijinja::context;

use super::CONSOLE_CLIENT_ID;
use crate::admin_api::auth::AdminCaller;
use crate::first_party::FirstParty;
use crate::serving::client_ip;
use crate::state::AppState;
use crate::ui::{error_page, page, see_other};

/// The console as a client of Keygate.
pub const CONSOLE: FirstParty = FirstParty {
    client_id: CONSOLE_CLIENT_ID,
    name: "Keygate admin console",
    base: super::BASE,
    scopes: &["openid", "profile", ADMIN_READ, ADMIN_WRITE],
    admin_api: true,
    seal_context: "keygate-console-session",
    cookie: |c| c.console,
    flow_cookie: |c| c.console_flow,
};

/// Registers (or corrects) the console's own client at start-up.
pub async fn ensure_console_client(state: &AppState) -> anyhow::Result<()> {
    CONSOLE.ensure_client(state).await
}

/// A signed-in console operator.
#[derive(Debug, Clone)]
pub struct Console {
    /// Their admin API identity and scopes.
    pub caller: AdminCaller,
    /// The form token for this session: derived from the sealed cookie, which pages cannot read.
    pub csrf: String,
    cookie: String,
}

impl Console {
    /// Whether a submitted form carries this session's CSRF token.
    pub fn check_csrf(&self, form: &Params) -> bool {
        CONSOLE.csrf_ok(&self.cookie, form)
    }
}

impl FromRequestParts<AppState> for Console {
    type Rejection = Response;

    /// The operator behind the console cookie, or a redirect to sign in.
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let Some((tokens, cookie)) = CONSOLE.tokens(state, &parts.headers) else {
            return Err(CONSOLE.to_login(state));
        };
        let ip = client_ip(&parts.extensions).map(|ip| ip.to_string());
        match AdminCaller::authenticate(state, &tokens.access_token, ip).await {
            Ok(caller) => {
                Ok(Self { caller, csrf: CONSOLE.csrf_of(cookie), cookie: cookie.to_owned() })
            }
            Err(_) => Err(CONSOLE.to_login(state)),
        }
    }
}

/// `GET /admin/login`: starts the code flow with PKCE.
pub async fn login(State(state): State<AppState>) -> Response {
    CONSOLE.login(&state)
}

/// `GET /admin/callback`: checks `state`, redeems the code in-process, keeps the tokens sealed;
/// a user without the admin role is told so.
pub async fn callback(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let (tokens, cookie) = match CONSOLE.redeem(&state, &headers, query).await {
        Ok(redeemed) => redeemed,
        Err(response) => return response,
    };
    let (_, home) = CONSOLE.urls(state.provider.issuer());
    let mut response = match AdminCaller::authenticate(&state, &tokens.access_token, None).await {
        Ok(_) => see_other(&home),
        Err(_) => {
            let ctx = context! {
                message => "Your account cannot manage Keygate. Ask an administrator to give you the admin role.",
                action => format!("{home}/logout"),
                csrf => CONSOLE.csrf_of(&cookie),
            };
            page(&state, StatusCode::FORBIDDEN, "denied.html", ctx)
        }
    };
    CONSOLE.keep(&state, &mut response, &cookie);
    response
}

/// `POST /admin/logout`: forgets the console tokens and ends the Keygate session.
pub async fn logout(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    CONSOLE.logout(&state, &headers, &body)
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

    /// Who the audit log names for a change (with `admin:write`), or a 403 page.
    pub fn actor(&self, state: &AppState) -> Result<keygate_core::admin::Actor, Response> {
        self.caller.write_actor().map_err(|p| forbidden(state, &p))
    }
}

fn forbidden(state: &AppState, p: &crate::admin_api::problem::Problem) -> Response {
    error_page(state, StatusCode::FORBIDDEN, p.title, p.detail.as_deref().unwrap_or(""))
}
