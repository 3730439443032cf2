//! Token revocation (RFC 7009).

use std::borrow::Cow;

use crate::params::Params;
use crate::secret::SecretHash;
use crate::store::Revoked;
use crate::{OAuthError, Provider};

impl Provider {
    /// RFC 7009 §2.1–§2.2: the client authenticates (a public client names itself); a token
    /// issued to another client is refused with `invalid_grant`; an unknown, malformed or
    /// expired token succeeds, since the client cannot act on the difference (§2.2).
    ///
    /// Refresh tokens are supported as §2 requires: revoking one revokes its grant, and so every
    /// refresh and access token issued under it (§2.1 "SHOULD also invalidate all access tokens
    /// based on the same authorization grant"). Access tokens are revoked by `jti`.
    pub async fn revoke(
        &self,
        authorization: Option<&str>,
        params: &Params,
    ) -> Result<(), OAuthError> {
        let caller = self.authenticate_client(authorization, params).await?;
        let token = params.required("token")?;
        // RFC 7009 §2.1: an unknown hint is ignored and the search extended.
        params.single("token_type_hint")?;
        let Some(claims) = self.verified_access_token(token) else {
            return self.revoke_refresh_token(&caller.client_id, token).await;
        };
        if claims.client_id != caller.client_id {
            // RFC 6749 §5.2: `invalid_grant` covers a token "issued to another client".
            return Err(OAuthError::InvalidGrant(Cow::Borrowed(
                "the token was not issued to this client (RFC 7009 §2.1)",
            )));
        }
        if claims.exp > self.now() {
            self.store().revoke_jti(&claims.jti, &claims.client_id, claims.exp).await?;
            self.revocation_watch().note(Revoked::Token(claims.jti.clone()));
            tracing::info!(client_id = %caller.client_id, jti = %claims.jti, "revoked access token");
        }
        Ok(())
    }

    async fn revoke_refresh_token(&self, client_id: &str, token: &str) -> Result<(), OAuthError> {
        let Some(stored) = self.store().find_refresh_token(&SecretHash::of(token)).await? else {
            return Ok(());
        };
        if stored.client_id != client_id {
            return Err(OAuthError::InvalidGrant(Cow::Borrowed(
                "the token was not issued to this client (RFC 7009 §2.1)",
            )));
        }
        self.revoke_grant(&stored.grant_id).await?;
        tracing::info!(client_id, grant = %stored.grant_id, "revoked refresh token and its grant");
        Ok(())
    }
}
