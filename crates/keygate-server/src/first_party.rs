//! Keygate's own applications, the admin console and the account page, are first-party public
//! clients of Keygate itself. They sign in with the authorization code flow and PKCE S256
//! (RFC 7636) and redeem the code in-process. Their tokens live in an HttpOnly cookie sealed
//! with the master key (AES-256-GCM), so the browser can neither read nor alter them. Signing
//! out goes through RP-initiated logout with the ID token as hint.

use aws_lc_rs::digest::{SHA256, digest};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use keygate_core::Params;
use keygate_core::admin::{Actor, Admin, NewClient, admin_audience};
use keygate_core::client::{AuthMethod, ClientSpec, ClientType, GrantType};
use keygate_core::secret::random_string;
use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;

use crate::extract::read_page_form;
use crate::state::AppState;
use crate::ui::cookies::{self, CookieNames};
use crate::ui::{error_page, see_other};

/// How long a sign-in may take between the login redirect and the callback.
const FLOW_TTL: i64 = 600;

/// One of Keygate's own applications.
#[derive(Debug)]
pub struct FirstParty {
    /// Its client id.
    pub client_id: &'static str,
    /// Its name, as the consent and logout pages would show it.
    pub name: &'static str,
    /// Its path under the issuer (`/admin`, `/account`).
    pub base: &'static str,
    /// The scopes it asks for.
    pub scopes: &'static [&'static str],
    /// Whether its tokens are for the admin API.
    pub admin_api: bool,
    /// The sealing context of its cookie.
    pub seal_context: &'static str,
    /// Its cookie's name.
    pub cookie: fn(&CookieNames) -> &'static str,
    /// Its sign-in-in-progress cookie's name.
    pub flow_cookie: fn(&CookieNames) -> &'static str,
}

/// What the cookie holds.
#[derive(Serialize, Deserialize)]
pub struct Tokens {
    /// The access token.
    pub access_token: String,
    /// The ID token, the hint for logout.
    pub id_token: Option<String>,
}

impl FirstParty {
    /// Its redirect URI and home page.
    pub fn urls(&self, issuer: &str) -> (String, String) {
        (format!("{issuer}{}/callback", self.base), format!("{issuer}{}", self.base))
    }

    /// Registers (or corrects) its client at start-up.
    pub async fn ensure_client(&self, state: &AppState) -> anyhow::Result<()> {
        let provider = &state.provider;
        let (callback, home) = self.urls(provider.issuer());
        let spec = ClientSpec {
            name: Some(self.name.to_owned()),
            redirect_uris: Some(vec![callback]),
            post_logout_redirect_uris: Some(vec![home]),
            grant_types: Some(vec![GrantType::AuthorizationCode]),
            scopes: Some(self.scopes.iter().map(|s| (*s).to_owned()).collect()),
            resources: self.admin_api.then(|| vec![admin_audience(provider.issuer())]),
            auth_method: Some(AuthMethod::None),
            first_party: Some(true),
            ..Default::default()
        };
        let admin = Admin::new(provider.store(), provider.clock())
            .for_issuer(provider.issuer())
            .acting_as(Actor { id: keygate_core::admin::SYSTEM_ACTOR.to_owned(), ip: None });
        match provider.store().find_client(self.client_id).await? {
            None => {
                let new = NewClient {
                    client_type: ClientType::Spa,
                    client_id: Some(self.client_id.to_owned()),
                    secret: None,
                    spec,
                };
                admin.create_client(new).await?;
            }
            Some(current)
                if current.redirect_uris != spec.redirect_uris.clone().unwrap_or_default() =>
            {
                admin.update_client(self.client_id, spec).await?;
            }
            Some(_) => {}
        }
        Ok(())
    }

    /// The form token of a session: derived from the sealed cookie, which pages cannot read.
    pub fn csrf_of(&self, cookie: &str) -> String {
        let d = digest(&SHA256, format!("{}-csrf:{cookie}", self.client_id).as_bytes());
        d.as_ref()[..16].iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Whether a form carries the CSRF token of the session in `cookie`.
    pub fn csrf_ok(&self, cookie: &str, form: &Params) -> bool {
        let expected = self.csrf_of(cookie);
        form.single("csrf")
            .ok()
            .flatten()
            .is_some_and(|c| c.as_bytes().ct_eq(expected.as_bytes()).into())
    }

    /// The tokens in the request's cookie, with the cookie's value.
    pub fn tokens<'a>(
        &self,
        state: &AppState,
        headers: &'a HeaderMap,
    ) -> Option<(Tokens, &'a str)> {
        let cookie = cookies::read(headers, (self.cookie)(&state.cookies))?;
        let tokens = URL_SAFE_NO_PAD
            .decode(cookie)
            .ok()
            .and_then(|sealed| state.provider.master_key().open(&sealed, self.seal_context).ok())
            .and_then(|json| serde_json::from_slice::<Tokens>(&json).ok())?;
        Some((tokens, cookie))
    }

    /// The redirect to its sign-in page.
    pub fn to_login(&self, state: &AppState) -> Response {
        see_other(&format!("{}{}/login", state.provider.issuer(), self.base))
    }

    /// `GET {base}/login`: starts the code flow with PKCE.
    pub fn login(&self, state: &AppState) -> Response {
        let issuer = state.provider.issuer();
        let (callback, _) = self.urls(issuer);
        let flow_state = random_string(16);
        let verifier = random_string(32);
        let challenge = URL_SAFE_NO_PAD.encode(digest(&SHA256, verifier.as_bytes()));
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        query
            .append_pair("response_type", "code")
            .append_pair("client_id", self.client_id)
            .append_pair("redirect_uri", &callback)
            .append_pair("scope", &self.scopes.join(" "))
            .append_pair("state", &flow_state)
            .append_pair("code_challenge", &challenge)
            .append_pair("code_challenge_method", "S256");
        if self.admin_api {
            query.append_pair("resource", &admin_audience(issuer));
        }
        let mut response = see_other(&format!("{issuer}/authorize?{}", query.finish()));
        let flow = format!("{flow_state}.{verifier}");
        let name = (self.flow_cookie)(&state.cookies);
        cookies::append(&mut response, &state.cookies.set(name, &flow, Some(FLOW_TTL)));
        response
    }

    /// The callback: checks `state`, redeems the code in-process; the tokens and the sealed
    /// cookie value, or the error page to show.
    pub async fn redeem(
        &self,
        state: &AppState,
        headers: &HeaderMap,
        query: Option<String>,
    ) -> Result<(Tokens, String), Response> {
        let failed =
            |title: &str, message: &str| error_page(state, StatusCode::BAD_REQUEST, title, message);
        let params = Params::parse(query.unwrap_or_default().as_bytes());
        let flow = cookies::read(headers, (self.flow_cookie)(&state.cookies))
            .and_then(|f| f.split_once('.'));
        let returned = params.single("state").ok().flatten();
        let Some((_, verifier)) = flow.filter(|(s, _)| Some(*s) == returned) else {
            return Err(failed("Sign-in expired", "Start again."));
        };
        if let Ok(Some(error)) = params.single("error") {
            return Err(error_page(
                state,
                StatusCode::FORBIDDEN,
                "Sign-in did not complete",
                error,
            ));
        }
        let Ok(Some(code)) = params.single("code") else {
            return Err(failed("Sign-in failed", "No code was returned."));
        };
        let (callback, _) = self.urls(state.provider.issuer());
        let form = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("grant_type", "authorization_code")
            .append_pair("code", code)
            .append_pair("redirect_uri", &callback)
            .append_pair("code_verifier", verifier)
            .append_pair("client_id", self.client_id)
            .finish();
        let tokens = match state.provider.token(None, &Params::parse(form.as_bytes()), None).await {
            Ok(t) => Tokens { access_token: t.access_token, id_token: t.id_token },
            Err(e) => {
                tracing::warn!(error = %e, client = self.client_id, "first-party code exchange failed");
                return Err(failed("Sign-in failed", "Start again."));
            }
        };
        let sealed = serde_json::to_vec(&tokens)
            .map_err(anyhow::Error::from)
            .and_then(|json| state.provider.master_key().seal(&json, self.seal_context));
        let Ok(sealed) = sealed else {
            return Err(error_page(
                state,
                StatusCode::INTERNAL_SERVER_ERROR,
                "Sign-in failed",
                "Try again.",
            ));
        };
        Ok((tokens, URL_SAFE_NO_PAD.encode(sealed)))
    }

    /// Sets the session cookie (`value` from [`FirstParty::redeem`]) and forgets the flow.
    pub fn keep(&self, state: &AppState, response: &mut Response, value: &str) {
        let (cookie, flow) = ((self.cookie)(&state.cookies), (self.flow_cookie)(&state.cookies));
        cookies::append(response, &state.cookies.set(cookie, value, None));
        cookies::append(response, &state.cookies.clear(flow));
    }

    /// `POST {base}/logout`: forgets the tokens and ends the Keygate session through
    /// RP-initiated logout, with the ID token as hint so no confirmation is needed. Without
    /// the session's CSRF token, back home.
    pub fn logout(&self, state: &AppState, headers: &HeaderMap, body: &[u8]) -> Response {
        let issuer = state.provider.issuer();
        let (_, home) = self.urls(issuer);
        let form = read_page_form(headers, body).unwrap_or_else(|| Params::parse(b""));
        let Some((tokens, cookie)) = self.tokens(state, headers) else { return see_other(&home) };
        if !self.csrf_ok(cookie, &form) {
            return see_other(&home);
        }
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        query
            .append_pair("client_id", self.client_id)
            .append_pair("post_logout_redirect_uri", &home);
        if let Some(hint) = &tokens.id_token {
            query.append_pair("id_token_hint", hint);
        }
        let mut response = see_other(&format!("{issuer}/logout?{}", query.finish()));
        cookies::append(&mut response, &state.cookies.clear((self.cookie)(&state.cookies)));
        response
    }
}
