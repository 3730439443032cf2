//! The token endpoint (RFC 6749 §3.2) and its grants, one file each.

mod authorization_code;
mod client_credentials;
mod refresh_token;
mod user_tokens;

use std::borrow::Cow;

use keygate_types::TokenResponse;

use crate::client::GrantType;
use crate::params::Params;
use crate::{OAuthError, Provider};

impl Provider {
    /// Handles a token request: the grant type, then client authentication, then the grant.
    pub async fn token(
        &self,
        authorization: Option<&str>,
        params: &Params,
    ) -> Result<TokenResponse, OAuthError> {
        let grant = match params.required("grant_type")? {
            "authorization_code" => GrantType::AuthorizationCode,
            "refresh_token" => GrantType::RefreshToken,
            "client_credentials" => GrantType::ClientCredentials,
            crate::client::DEVICE_CODE_GRANT => GrantType::DeviceCode,
            other => {
                return Err(OAuthError::UnsupportedGrantType(Cow::Owned(format!(
                    "grant type '{other}' is not supported"
                ))));
            }
        };
        let client = self.authenticate_client(authorization, params).await?;
        if !client.allows_grant(grant) {
            return Err(OAuthError::UnauthorizedClient(Cow::Owned(format!(
                "this client may not use the {grant} grant"
            ))));
        }
        match grant {
            GrantType::ClientCredentials => self.client_credentials_grant(&client, params).await,
            GrantType::AuthorizationCode => self.authorization_code_grant(&client, params).await,
            GrantType::RefreshToken => self.refresh_token_grant(&client, params).await,
            GrantType::DeviceCode => self.device_code_grant(&client, params).await,
        }
    }
}
