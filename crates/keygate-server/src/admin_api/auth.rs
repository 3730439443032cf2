//! Who calls the admin API: a Keygate access token for the admin API audience (RFC 6750 §2.1
//! bearer header), with `admin:read` or `admin:write` (RFC 6750 §3.1 errors otherwise).

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use keygate_core::admin::{ADMIN_READ, ADMIN_WRITE, Actor, Admin, admin_audience};
use keygate_core::user::ADMIN_ROLE;

use super::problem::Problem;
use crate::serving::client_ip;
use crate::state::AppState;

/// RFC 6750 §3: the realm of the admin API's challenges.
const REALM: &str = "keygate-admin";

/// An authenticated admin API caller.
#[derive(Debug, Clone)]
pub struct AdminCaller {
    /// The token's scopes.
    pub scope: Vec<String>,
    /// Who the audit log names.
    pub actor: Actor,
}

/// RFC 6750 §3.1: 401 `invalid_token`, or a bare challenge when no token was sent.
fn unauthorized(error: Option<&str>, detail: &str) -> Problem {
    let challenge = match error {
        Some(code) => {
            format!("Bearer realm=\"{REALM}\", error=\"{code}\", error_description=\"{detail}\"")
        }
        None => format!("Bearer realm=\"{REALM}\""),
    };
    Problem::new(StatusCode::UNAUTHORIZED, detail).with_challenge(challenge)
}

impl FromRequestParts<AppState> for AdminCaller {
    type Rejection = Problem;

    /// RFC 6750 §2.1 `Authorization: Bearer`; the token must be active, for the admin API
    /// audience, and, for a user's token, the user must still be an enabled admin.
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Problem> {
        let Some(value) = parts.headers.get(header::AUTHORIZATION) else {
            return Err(unauthorized(None, "an access token for the admin API is required"));
        };
        let token = value
            .to_str()
            .ok()
            .and_then(|v| v.split_once(' '))
            .filter(|(scheme, t)| scheme.eq_ignore_ascii_case("bearer") && !t.is_empty())
            .map(|(_, t)| t.trim())
            .ok_or_else(|| {
                Problem::new(StatusCode::BAD_REQUEST, "malformed Authorization header")
                    .with_challenge(format!("Bearer realm=\"{REALM}\", error=\"invalid_request\""))
            })?;
        let ip = client_ip(&parts.extensions).map(|ip| ip.to_string());
        Self::authenticate(state, token, ip).await
    }
}

impl AdminCaller {
    /// Checks an access token presented to the admin API or the console: active, for the admin
    /// API audience, and, for a user's token, the user must still be an enabled admin.
    pub async fn authenticate(
        state: &AppState,
        token: &str,
        ip: Option<String>,
    ) -> Result<Self, Problem> {
        let provider = &state.provider;
        let Some((claims, grant)) = provider.active_access_token_with_grant(token).await? else {
            return Err(unauthorized(Some("invalid_token"), "the access token is not active"));
        };
        if !claims.aud.contains(&admin_audience(provider.issuer())) {
            return Err(unauthorized(Some("invalid_token"), "the token is not for the admin API"));
        }
        let id = match grant {
            Some(grant) => {
                let user = provider
                    .store()
                    .find_user(&grant.user_id)
                    .await
                    .map_err(|e| Problem::from(keygate_core::admin::AdminError::from(e)))?;
                if !user.is_some_and(|u| u.has_role(ADMIN_ROLE) && !u.disabled) {
                    return Err(unauthorized(Some("invalid_token"), "the user is not an admin"));
                }
                format!("user:{}", grant.user_id)
            }
            None => format!("client:{}", claims.client_id),
        };
        let scope =
            claims.scope.as_deref().map(keygate_core::scope::split_scope).unwrap_or_default();
        Ok(Self { scope, actor: Actor { id, ip } })
    }

    /// RFC 6750 §3.1: 403 `insufficient_scope` naming the scope needed.
    pub fn require(&self, scope: &str) -> Result<(), Problem> {
        if self.scope.iter().any(|s| s == scope) {
            return Ok(());
        }
        let challenge =
            format!("Bearer realm=\"{REALM}\", error=\"insufficient_scope\", scope=\"{scope}\"");
        Err(Problem::new(StatusCode::FORBIDDEN, format!("this call needs the {scope} scope"))
            .with_challenge(challenge))
    }

    /// Checks `admin:read` and returns the operations, acting as the caller.
    pub fn reader<'a>(&self, state: &'a AppState) -> Result<Admin<'a>, Problem> {
        self.require(ADMIN_READ)?;
        Ok(self.admin(state))
    }

    /// Checks `admin:write` and returns the operations, acting as the caller.
    pub fn writer<'a>(&self, state: &'a AppState) -> Result<Admin<'a>, Problem> {
        self.require(ADMIN_WRITE)?;
        Ok(self.admin(state))
    }

    /// Checks `admin:write` and returns who the caller is, for operations that need the whole
    /// provider (templates, mail) rather than the store.
    pub fn write_actor(&self) -> Result<Actor, Problem> {
        self.require(ADMIN_WRITE)?;
        Ok(self.actor.clone())
    }

    fn admin<'a>(&self, state: &'a AppState) -> Admin<'a> {
        let p = &state.provider;
        Admin::new(p.store(), p.clock())
            .acting_as(self.actor.clone())
            .for_issuer(p.issuer())
            .checking_upstreams(p.upstream_http())
    }
}
