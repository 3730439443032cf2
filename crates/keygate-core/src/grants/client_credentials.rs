//! The client credentials grant (RFC 6749 §4.4).

use std::borrow::Cow;

use keygate_types::TokenResponse;

use crate::access_token::AccessTokenGrant;
use crate::params::Params;
use crate::resource::select_audience;
use crate::scope::parse_scope;
use crate::{Client, OAuthError, Provider};

impl Provider {
    /// RFC 6749 §4.4.2–§4.4.3: a confidential client gets an access token for itself.
    /// Scopes must be among the client's allowed scopes (`invalid_scope`); with no `scope`
    /// parameter the client's allowed scopes are granted (RFC 6749 §3.3 lets the server pick a
    /// documented default). The audience comes from RFC 8707 `resource`. No refresh token is
    /// issued (RFC 6749 §4.4.3).
    pub(crate) fn client_credentials_grant(
        &self,
        client: &Client,
        params: &Params,
    ) -> Result<TokenResponse, OAuthError> {
        let scope = match params.single("scope")? {
            Some(requested) => {
                let requested = parse_scope(requested)?;
                if let Some(extra) = requested.iter().find(|s| !client.scopes.contains(s)) {
                    return Err(OAuthError::InvalidScope(Cow::Owned(format!(
                        "scope '{extra}' is not allowed for this client"
                    ))));
                }
                requested
            }
            None => client.scopes.clone(),
        };
        let aud = select_audience(params.all("resource"), &client.resources, self.issuer())?;
        let (access_token, claims) = self.mint_access_token(AccessTokenGrant {
            sub: &client.client_id,
            client_id: &client.client_id,
            aud,
            scope: &scope,
            grant_id: None,
        })?;
        tracing::info!(client_id = %client.client_id, jti = %claims.jti, "issued client_credentials token");
        Ok(TokenResponse {
            access_token,
            token_type: "Bearer".to_owned(),
            expires_in: u64::try_from(claims.exp - claims.iat).unwrap_or(0),
            scope: claims.scope,
            refresh_token: None,
            id_token: None,
        })
    }
}
