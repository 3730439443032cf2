//! Token introspection (RFC 7662).

use keygate_types::IntrospectionResponse;
use serde_json::Value;

use crate::params::Params;
use crate::secret::SecretHash;
use crate::store::RefreshToken;
use crate::{Client, OAuthError, Provider};

impl Provider {
    /// RFC 7662 §2.1–§2.2. The caller must be an authenticated confidential client. An unknown,
    /// expired, revoked or foreign token answers `{"active": false}` and nothing more.
    ///
    /// RFC 7662 §4: a caller learns about a token only if it is the token's own client, or the
    /// credentials of a registered API in the token's audience; to anyone else the token is
    /// `{"active": false}`, so a client cannot mine other clients' tokens for who, what and for
    /// whom.
    ///
    /// Access tokens are recognised by their signature and refresh tokens by their stored hash;
    /// `token_type_hint` is accepted and, as §2.1 allows, not needed: every kind is looked at.
    pub async fn introspect(
        &self,
        authorization: Option<&str>,
        params: &Params,
    ) -> Result<IntrospectionResponse, OAuthError> {
        let caller = self.authenticate_confidential_client(authorization, params).await?;
        let token = params.required("token")?;
        // RFC 7662 §2.1: the hint may be ignored; it must still not be repeated.
        params.single("token_type_hint")?;
        if let Some(claims) = self.active_access_token(token).await? {
            if !self.may_introspect(&caller, &claims.client_id, &claims.aud).await? {
                tracing::info!(caller = %caller.client_id, "introspection of a foreign token");
                return Ok(IntrospectionResponse::default());
            }
            tracing::debug!(caller = %caller.client_id, jti = %claims.jti, "introspected token");
            let aud = match claims.aud.as_slice() {
                [one] => Value::String(one.clone()),
                many => Value::from(many.to_vec()),
            };
            return Ok(IntrospectionResponse {
                active: true,
                scope: claims.scope,
                client_id: Some(claims.client_id),
                token_type: Some(
                    crate::access_token::token_type(claims.cnf.as_ref().map(|c| c.jkt.as_str()))
                        .to_owned(),
                ),
                exp: Some(claims.exp),
                iat: Some(claims.iat),
                sub: Some(claims.sub),
                aud: Some(aud),
                iss: Some(claims.iss),
                jti: Some(claims.jti),
                authorization_details: crate::authorization_details::non_empty(
                    claims.authorization_details,
                ),
                auth_time: claims.auth_time,
                acr: claims.acr,
                cnf: claims.cnf.map(|c| serde_json::json!({ "jkt": c.jkt })),
                act: claims.act,
            });
        }
        self.introspect_refresh_token(&caller, token).await
    }

    /// RFC 7662 §2.2 for a refresh token: active while it is the grant's live token (unused,
    /// unexpired, grant not revoked, user still allowed in), and only to the client it was
    /// issued to, the one party that may use it. `token_type` is `refresh_token`, the RFC 7009
    /// §2.1 name for the kind.
    async fn introspect_refresh_token(
        &self,
        caller: &Client,
        token: &str,
    ) -> Result<IntrospectionResponse, OAuthError> {
        let inactive = Ok(IntrospectionResponse::default());
        let Some(stored) = self.store().find_refresh_token(&SecretHash::of(token)).await? else {
            return inactive;
        };
        if stored.client_id != caller.client_id || !self.refresh_token_is_live(&stored) {
            return inactive;
        }
        let (grant, user) = match self.live_grant(&stored.grant_id).await {
            Ok(live) => live,
            Err(OAuthError::InvalidGrant(_)) => return inactive,
            Err(other) => return Err(other),
        };
        Ok(IntrospectionResponse {
            active: true,
            scope: Some(stored.scope.join(" ")),
            client_id: Some(stored.client_id),
            token_type: Some("refresh_token".to_owned()),
            exp: Some(stored.expires_at),
            iat: Some(stored.created_at),
            sub: Some(user.id),
            iss: Some(self.settings().issuer.clone()),
            authorization_details: crate::authorization_details::non_empty(
                grant.authorization_details,
            ),
            ..IntrospectionResponse::default()
        })
    }

    /// RFC 7662 §4: the token's own client, or an API of its audience through its credentials.
    async fn may_introspect(
        &self,
        caller: &Client,
        token_client: &str,
        aud: &[String],
    ) -> Result<bool, OAuthError> {
        if caller.client_id == token_client {
            return Ok(true);
        }
        Ok(self.apis().await?.iter().any(|api| {
            aud.contains(&api.identifier) && api.introspection_clients.contains(&caller.client_id)
        }))
    }

    fn refresh_token_is_live(&self, token: &RefreshToken) -> bool {
        token.used_at.is_none() && token.expires_at > self.now()
    }
}
