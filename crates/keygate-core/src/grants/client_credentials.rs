//! The client credentials grant (RFC 6749 §4.4).

use keygate_types::TokenResponse;

use crate::access_token::AccessTokenGrant;
use crate::params::Params;
use crate::resource::select_audience;
use crate::{Client, OAuthError, Provider};

impl Provider {
    /// RFC 6749 §4.4.2–§4.4.3: a confidential client gets an access token for itself.
    ///
    /// The audience comes from RFC 8707 `resource`: one of the client's registered resources or
    /// an API that granted the client access (`invalid_target` otherwise); with none, the first
    /// of those. Scopes must be among the client's own scopes or those the audience APIs granted
    /// it (`invalid_scope`); with no `scope` parameter all of them are granted (RFC 6749 §3.3
    /// lets the server pick a documented default). No refresh token is issued (RFC 6749 §4.4.3).
    pub(crate) async fn client_credentials_grant(
        &self,
        client: &Client,
        params: &Params,
        jkt: Option<&str>,
    ) -> Result<TokenResponse, OAuthError> {
        let apis = self.apis().await?;
        let resources = super::policy::allowed_resources(client, &apis);
        // RFC 9396 §6: the client's policy is the APIs that granted it access.
        let details = match params.single("authorization_details")? {
            Some(text) => crate::authorization_details::parse(text, &apis, |api| {
                api.client_grants.contains_key(&client.client_id)
            })?,
            None => Vec::new(),
        };
        let selected = select_audience(params.all("resource"), &resources, self.issuer());
        let aud = crate::authorize::audience(params, &details, selected, &apis)?;
        let allowed = super::policy::allowed_scopes(client, &aud, &apis);
        let why = "is not allowed for this client";
        let scope = super::policy::requested_scope(params.single("scope")?, allowed, why)?;
        let policy = self.access_token_policy(client, &aud).await?;
        let (access_token, claims) = self.mint_access_token(AccessTokenGrant {
            sub: &client.client_id,
            client_id: &client.client_id,
            aud,
            scope: &scope,
            grant_id: None,
            policy,
            authorization_details: details,
            authentication: None,
            jkt,
            act: None,
        })?;
        tracing::info!(client_id = %client.client_id, jti = %claims.jti, "issued client_credentials token");
        Ok(super::policy::access_token_only(access_token, claims, jkt, None))
    }
}
