//! The refresh token grant (RFC 6749 §6) with rotation and reuse detection (RFC 9700 §4.14.2).

use std::borrow::Cow;

use keygate_types::TokenResponse;

use super::user_tokens::UserTokens;
use crate::params::Params;
use crate::scope::parse_scope;
use crate::secret::SecretHash;
use crate::store::Consumed;
use crate::{Client, OAuthError, Provider};

fn invalid(text: &'static str) -> OAuthError {
    OAuthError::InvalidGrant(Cow::Borrowed(text))
}

impl Provider {
    /// Every use returns a new refresh token and retires the old one. Presenting a retired token
    /// again revokes the whole grant, unless it happens within the configured grace window (two
    /// tabs refreshing at once). The scope may be narrowed, never widened (RFC 6749 §6).
    pub(super) async fn refresh_token_grant(
        &self,
        client: &Client,
        params: &Params,
    ) -> Result<TokenResponse, OAuthError> {
        let presented = params.required("refresh_token")?;
        let requested_scope = params.single("scope")?;
        let now = self.now();
        let token = match self.store().use_refresh_token(&SecretHash::of(presented), now).await? {
            Consumed::Fresh(token) => token,
            Consumed::AlreadyUsed(token) if token.client_id != client.client_id => {
                return Err(invalid("the refresh token was issued to another client"));
            }
            Consumed::AlreadyUsed(token) => {
                let used_at = token.used_at.unwrap_or(0);
                if now - used_at > self.settings().refresh_reuse_grace {
                    self.revoke_grant(&token.grant_id).await?;
                    tracing::warn!(client_id = %client.client_id, grant = %token.grant_id,
                        "refresh token reused: grant revoked");
                    return Err(invalid("the refresh token was already used"));
                }
                token
            }
            Consumed::Missing => return Err(invalid("unknown refresh token")),
        };
        if token.client_id != client.client_id {
            return Err(invalid("the refresh token was issued to another client"));
        }
        if token.expires_at <= now {
            return Err(invalid("the refresh token has expired"));
        }
        let scope = match requested_scope {
            Some(text) => {
                let scope = parse_scope(text)?;
                if let Some(extra) = scope.iter().find(|s| !token.scope.contains(s)) {
                    return Err(OAuthError::InvalidScope(Cow::Owned(format!(
                        "scope '{extra}' was not granted"
                    ))));
                }
                scope
            }
            None => token.scope.clone(),
        };
        let (grant, user) = self.live_grant(&token.grant_id).await?;
        self.user_token_response(UserTokens {
            client,
            grant: &grant,
            user: &user,
            scope: &scope,
            refresh_scope: &token.scope,
            nonce: None,
            requested_details: params.single("authorization_details")?,
        })
        .await
    }
}
