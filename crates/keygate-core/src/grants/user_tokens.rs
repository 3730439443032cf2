//! The token response for grants made by a user: access token, ID token, refresh token.

use keygate_types::TokenResponse;

use crate::access_token::AccessTokenGrant;
use crate::authorization_details::{narrow, non_empty};
use crate::client::GrantType;
use crate::id_token::IdTokenFor;
use crate::secret::{Secret, SecretHash};
use crate::store::{Grant, RefreshToken};
use crate::{Client, OAuthError, Provider, User};

/// The refresh token of a user token response.
pub(super) enum NextRefresh {
    /// A new one (the grant's first).
    New,
    /// The successor whose hash a rotation already recorded.
    Successor(Secret),
    /// The successor a rotation already stored (with [`Provider::refresh_record`]).
    Stored(Secret),
    /// None: the presented one stays valid (no rotation, FAPI 2.0 SP §5.3.2.1 item 10).
    Keep,
}

/// What to put in a user token response.
pub(super) struct UserTokens<'a> {
    pub client: &'a Client,
    pub grant: &'a Grant,
    pub user: &'a User,
    /// Scope of the access token (may be narrower than the grant on refresh).
    pub scope: &'a [String],
    /// Scope the refresh token carries forward (the original grant's).
    pub refresh_scope: &'a [String],
    pub nonce: Option<String>,
    /// `authorization_details` of the token request, to narrow the grant's (RFC 9396 §6).
    pub requested_details: Option<&'a str>,
    /// Which refresh token the response carries, if the client may have one.
    pub refresh: NextRefresh,
    /// The DPoP key the access token is bound to (RFC 9449 §6).
    pub jkt: Option<&'a str>,
}

impl Provider {
    /// Mints the access token, an ID token for `openid` requests, and a refresh token when the
    /// client may use the grant and `offline_access` was granted (OIDC Core §11).
    pub(super) async fn user_token_response(
        &self,
        t: UserTokens<'_>,
    ) -> Result<TokenResponse, OAuthError> {
        let policy = self.access_token_policy(t.client, &t.grant.resources).await?;
        let authorization_details = match t.requested_details {
            None => t.grant.authorization_details.clone(),
            Some(text) => narrow(Some(text), &t.grant.authorization_details, &self.apis().await?)?,
        };
        let (access_token, claims) = self.mint_access_token(AccessTokenGrant {
            sub: &t.user.id,
            client_id: &t.client.client_id,
            aud: t.grant.resources.clone(),
            scope: t.scope,
            grant_id: Some(&t.grant.id),
            policy,
            authorization_details,
            authentication: Some((t.grant.auth_time, &t.grant.amr)),
            jkt: t.jkt,
            act: None,
        })?;
        let id_token = if t.scope.iter().any(|s| s == "openid") {
            Some(self.mint_id_token(IdTokenFor {
                client: t.client,
                grant: t.grant,
                user: t.user,
                scope: t.scope,
                nonce: t.nonce,
                access_token: &access_token,
            })?)
        } else {
            None
        };
        let record = || self.refresh_record(t.client, t.grant, t.refresh_scope, t.jkt);
        let refresh_token = match t.refresh {
            _ if !wants_refresh(t.client, t.refresh_scope) => None,
            NextRefresh::Keep => None,
            NextRefresh::Stored(token) => Some(token),
            NextRefresh::New => Some(self.store_refresh(Secret::generate(32), &record()).await?),
            NextRefresh::Successor(token) => Some(self.store_refresh(token, &record()).await?),
        };
        Ok(TokenResponse {
            access_token,
            token_type: crate::access_token::token_type(t.jkt).to_owned(),
            expires_in: u64::try_from(claims.exp - claims.iat).unwrap_or(0),
            scope: claims.scope,
            refresh_token: refresh_token.map(|token| token.expose_secret().to_owned()),
            id_token,
            authorization_details: non_empty(claims.authorization_details),
            issued_token_type: None,
        })
    }

    /// Stores a new refresh token.
    async fn store_refresh(
        &self,
        token: Secret,
        record: &RefreshToken,
    ) -> Result<Secret, OAuthError> {
        self.store().insert_refresh_token(&SecretHash::of(token.expose_secret()), record).await?;
        Ok(token)
    }

    /// A new refresh token's record; a public client's is bound to the key of its DPoP proof
    /// (RFC 9449 §5), a confidential client's to its authentication.
    pub(super) fn refresh_record(
        &self,
        client: &Client,
        grant: &Grant,
        scope: &[String],
        jkt: Option<&str>,
    ) -> RefreshToken {
        let public = client.auth_method == crate::client::AuthMethod::None;
        let now = self.now();
        RefreshToken {
            grant_id: grant.id.clone(),
            client_id: client.client_id.clone(),
            scope: scope.to_vec(),
            created_at: now,
            expires_at: now
                + client.metadata.refresh_token_ttl.unwrap_or(self.settings().refresh_token_ttl),
            used_at: None,
            successor: None,
            superseded_at: None,
            dpop_jkt: jkt.filter(|_| public).map(str::to_owned),
        }
    }

    /// The first tokens of a grant (code exchange, approved device): its whole scope, and its
    /// authorization details unless the token request narrows them (RFC 9396 §6).
    pub(crate) async fn first_tokens(
        &self,
        client: &Client,
        grant_id: &str,
        nonce: Option<String>,
        requested_details: Option<&str>,
        jkt: Option<&str>,
    ) -> Result<TokenResponse, OAuthError> {
        let (grant, user) = self.live_grant(grant_id).await?;
        self.user_token_response(UserTokens {
            client,
            grant: &grant,
            user: &user,
            scope: &grant.scope,
            refresh_scope: &grant.scope,
            nonce,
            requested_details,
            refresh: NextRefresh::New,
            jkt,
        })
        .await
    }

    /// The grant and its user, if both are still good.
    pub(crate) async fn live_grant(&self, grant_id: &str) -> Result<(Grant, User), OAuthError> {
        live(self.store().find_grant_with_user(grant_id).await?)
    }
}

/// A grant that is not revoked, with a user who may still sign in.
pub(crate) fn live(found: Option<(Grant, Option<User>)>) -> Result<(Grant, User), OAuthError> {
    let invalid = || OAuthError::InvalidGrant("the grant was revoked".into());
    let (grant, user) = found.ok_or_else(invalid)?;
    if grant.revoked_at.is_some() {
        return Err(invalid());
    }
    match user {
        Some(user) if !user.disabled && user.id == grant.user_id => Ok((grant, user)),
        _ => Err(OAuthError::InvalidGrant("the user can no longer sign in".into())),
    }
}

/// Whether a user token response carries a refresh token: the client may use the refresh
/// grant and the user granted `offline_access` (OIDC Core §11).
pub(super) fn wants_refresh(client: &Client, refresh_scope: &[String]) -> bool {
    client.allows_grant(GrantType::RefreshToken)
        && refresh_scope.iter().any(|s| s == "offline_access")
}
