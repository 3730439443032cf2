//! Token introspection (RFC 7662).

use keygate_types::IntrospectionResponse;
use serde_json::Value;

use crate::params::Params;
use crate::{OAuthError, Provider};

impl Provider {
    /// RFC 7662 §2.1–§2.2. The caller must be an authenticated confidential client. An unknown,
    /// expired, revoked or foreign token answers `{"active": false}` and nothing more.
    pub async fn introspect(
        &self,
        authorization: Option<&str>,
        params: &Params,
    ) -> Result<IntrospectionResponse, OAuthError> {
        let caller = self.authenticate_confidential_client(authorization, params).await?;
        let token = params.required("token")?;
        // RFC 7662 §2.1: the hint may be ignored; it must still not be repeated.
        params.single("token_type_hint")?;
        let Some(claims) = self.active_access_token(token).await? else {
            return Ok(IntrospectionResponse::default());
        };
        tracing::debug!(caller = %caller.client_id, jti = %claims.jti, "introspected active token");
        let aud = match claims.aud.as_slice() {
            [one] => Value::String(one.clone()),
            many => Value::from(many.to_vec()),
        };
        Ok(IntrospectionResponse {
            active: true,
            scope: claims.scope,
            client_id: Some(claims.client_id),
            token_type: Some("Bearer".to_owned()),
            exp: Some(claims.exp),
            iat: Some(claims.iat),
            sub: Some(claims.sub),
            aud: Some(aud),
            iss: Some(claims.iss),
            jti: Some(claims.jti),
            authorization_details: crate::authorization_details::non_empty(
                claims.authorization_details,
            ),
        })
    }
}
