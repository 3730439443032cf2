//! What a client may get tokens for on its own authority (client credentials, token exchange):
//! its APIs and scopes, and the access-token-only response those grants answer with.

use std::borrow::Cow;

use keygate_types::TokenResponse;

use crate::access_token::AccessTokenClaims;
use crate::api::Api;
use crate::scope::parse_scope;
use crate::{Client, OAuthError};

/// The APIs `client` may get tokens for: its registered resources and the APIs that granted
/// it access.
pub(super) fn allowed_resources(client: &Client, apis: &[Api]) -> Vec<String> {
    let mut resources = client.resources.clone();
    for api in apis.iter().filter(|api| api.client_grants.contains_key(&client.client_id)) {
        if !resources.contains(&api.identifier) {
            resources.push(api.identifier.clone());
        }
    }
    resources
}

/// The scopes `client` may have for `aud`: its own and those the audience's APIs granted it.
pub(super) fn allowed_scopes(client: &Client, aud: &[String], apis: &[Api]) -> Vec<String> {
    let mut allowed = client.scopes.clone();
    for api in apis.iter().filter(|api| aud.contains(&api.identifier)) {
        allowed.extend(api.client_grants.get(&client.client_id).into_iter().flatten().cloned());
    }
    allowed
}

/// The requested scope when every value is `allowed` (`invalid_scope` naming the first that
/// is not, with `why`); without `scope`, all of `allowed` (RFC 6749 §3.3: a documented
/// default), each once.
pub(super) fn requested_scope(
    requested: Option<&str>,
    allowed: Vec<String>,
    why: &str,
) -> Result<Vec<String>, OAuthError> {
    let Some(requested) = requested else {
        let mut all: Vec<String> = Vec::new();
        for s in allowed {
            if !all.contains(&s) {
                all.push(s);
            }
        }
        return Ok(all);
    };
    let requested = parse_scope(requested)?;
    if let Some(extra) = requested.iter().find(|s| !allowed.contains(s)) {
        return Err(OAuthError::InvalidScope(Cow::Owned(format!("scope '{extra}' {why}"))));
    }
    Ok(requested)
}

/// A response with an access token only (RFC 6749 §4.4.3: no refresh token).
pub(super) fn access_token_only(
    access_token: String,
    claims: AccessTokenClaims,
    jkt: Option<&str>,
    issued_token_type: Option<&str>,
) -> TokenResponse {
    TokenResponse {
        access_token,
        token_type: crate::access_token::token_type(jkt).to_owned(),
        expires_in: u64::try_from(claims.exp - claims.iat).unwrap_or(0),
        scope: claims.scope,
        refresh_token: None,
        id_token: None,
        authorization_details: crate::authorization_details::non_empty(
            claims.authorization_details,
        ),
        issued_token_type: issued_token_type.map(str::to_owned),
    }
}
