//! The token endpoint (RFC 6749 §3.2) and its grants, one file each. [`GrantType`] is the
//! one list of grants: discovery, metrics, the console and this dispatcher derive from it.

mod authorization_code;
mod client_credentials;
mod device_code;
mod policy;
mod presented;
mod refresh_token;
pub mod token_exchange;
mod user_tokens;

use std::borrow::Cow;

use keygate_types::TokenResponse;

use crate::client::GrantType;
use crate::params::Params;
use crate::signin_log::{Attempt, SignInOutcome};
use crate::{Client, OAuthError, Provider};

impl Provider {
    /// Handles a token request: the grant type, then client authentication, then the grant.
    pub async fn token(
        &self,
        authorization: Option<&str>,
        params: &Params,
        dpop: Option<&str>,
    ) -> Result<TokenResponse, OAuthError> {
        let requested = params.required("grant_type")?;
        let Some(grant) = GrantType::from_grant_type(requested) else {
            return Err(OAuthError::UnsupportedGrantType(Cow::Owned(format!(
                "grant type '{requested}' is not supported"
            ))));
        };
        let client = self.authenticate_client(authorization, params).await?;
        self.check_fapi2_authentication(&client)?;
        if !client.allows_grant(grant) {
            return Err(OAuthError::UnauthorizedClient(Cow::Owned(format!(
                "this client may not use the {grant} grant"
            ))));
        }
        let jkt = self.token_binding(&client, dpop).await?;
        let jkt = jkt.as_deref();
        let response = match grant {
            GrantType::ClientCredentials => {
                self.client_credentials_grant(&client, params, jkt).await
            }
            GrantType::AuthorizationCode => {
                self.authorization_code_grant(&client, params, jkt).await
            }
            GrantType::RefreshToken => self.refresh_token_grant(&client, params, jkt).await,
            GrantType::DeviceCode => self.device_code_grant(&client, params, jkt).await,
            GrantType::TokenExchange => self.token_exchange_grant(&client, params, jkt).await,
        }?;
        if client.unused_until.is_some() {
            self.note_client_used(&client.client_id).await;
        }
        Ok(response)
    }

    /// The key the tokens are bound to: the thumbprint of a valid DPoP proof for the token
    /// endpoint (RFC 9449 §5); a client registered with `dpop_bound_access_tokens` must send
    /// one (§5.2).
    async fn token_binding(
        &self,
        client: &Client,
        dpop: Option<&str>,
    ) -> Result<Option<String>, OAuthError> {
        match dpop {
            Some(proof) => Ok(Some(self.dpop_proof(proof, "POST", "/token", None).await?.jkt)),
            None if client.metadata.dpop_bound_access_tokens || self.fapi2(client) => {
                Err(OAuthError::Refused(
                    keygate_types::ErrorCode::InvalidDpopProof,
                    "this client's tokens are DPoP-bound: send a DPoP proof (RFC 9449 §5.2)".into(),
                ))
            }
            None => Ok(None),
        }
    }

    /// FAPI 2.0 SP §5.3.2.1 item 4: a FAPI 2.0 client authenticates with `private_key_jwt`
    /// (mutual TLS is not offered), whatever its registration says under a global profile.
    pub(crate) fn check_fapi2_authentication(&self, client: &Client) -> Result<(), OAuthError> {
        if self.fapi2(client) && client.auth_method != crate::client::AuthMethod::PrivateKeyJwt {
            return Err(OAuthError::UnauthorizedClient(
                "FAPI 2.0: this client must authenticate with private_key_jwt".into(),
            ));
        }
        Ok(())
    }

    /// A used authorization code or a retired refresh token came back (`what` says which):
    /// the grant is revoked, and the sign-in log names its user and application.
    async fn revoke_on_reuse(
        &self,
        grant_id: &str,
        client: &Client,
        what: &str,
    ) -> Result<(), OAuthError> {
        self.revoke_grant(grant_id).await?;
        let user = self.store().find_grant(grant_id).await.ok().flatten().map(|g| g.user_id);
        let from = Attempt { client_id: Some(&client.client_id), ..Attempt::default() };
        let detail = Some(format!("{what} presented again"));
        self.record_signin(SignInOutcome::TokenReuse, user.as_deref(), &from, detail).await;
        Ok(())
    }

    /// An openly registered client got its first token: it is no longer deleted as unused
    /// (RFC 9700 §4.11.2). A failure here costs the client nothing now, so it is only logged.
    async fn note_client_used(&self, client_id: &str) {
        if let Err(e) = self.store().mark_client_used(client_id).await {
            tracing::warn!(client_id, error = %e, "could not record that the client was used");
        }
    }
}
