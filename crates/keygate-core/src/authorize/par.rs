//! Pushed authorization requests (RFC 9126): the client sends its authorization request to
//! `/par` directly and authenticated, Keygate runs the same checks as `/authorize`, and the
//! browser then carries only a one-time reference to the stored request.

use std::borrow::Cow;
use std::sync::Arc;

use keygate_types::token::PushedAuthorizationResponse;

use super::{AuthorizationRequest, AuthorizeError};
use crate::params::Params;
use crate::secret::{SecretHash, random_string};
use crate::store::PushedRequest;
use crate::{Client, OAuthError, Provider};

/// RFC 9126 §2.2: the URN prefix of the references `/par` hands out.
pub const REQUEST_URI_PREFIX: &str = "urn:ietf:params:oauth:request_uri:";

impl Provider {
    /// `POST /par` (RFC 9126 §2.1): authenticates the client as the token endpoint does, checks
    /// the request as `/authorize` would, and stores it for one use within
    /// `[requests] pushed_lifetime` seconds (§2.2). Every refusal is a JSON error (§2.3).
    ///
    /// A DPoP proof sent along binds the code to its key, like `dpop_jkt` (RFC 9449 §10.1);
    /// with both, they must name the same key.
    pub async fn push_authorization_request(
        &self,
        authorization: Option<&str>,
        params: &Params,
        dpop: Option<&str>,
    ) -> Result<PushedAuthorizationResponse, OAuthError> {
        let client = self.authenticate_client(authorization, params).await?;
        self.check_fapi2_authentication(&client)?;
        check_pushed_params(params)?;
        let mut request = self
            .check_authorization_request(&client, params, true)
            .await
            .map_err(super::checks::Refusal::into_oauth_error)?;
        if let Some(proof) = dpop {
            let jkt = self.dpop_proof(proof, "POST", "/par", None).await?.jkt;
            if request.dpop_jkt.as_ref().is_some_and(|bound| *bound != jkt) {
                let why = "dpop_jkt and the DPoP proof name different keys (RFC 9449 §10.1)";
                return Err(OAuthError::Refused(
                    keygate_types::ErrorCode::InvalidDpopProof,
                    why.into(),
                ));
            }
            request.dpop_jkt = Some(jkt);
        }
        let request_uri = format!("{REQUEST_URI_PREFIX}{}", random_string(32));
        let lifetime = self.settings().requests.pushed_lifetime;
        let pushed = PushedRequest {
            client_id: client.client_id.clone(),
            request: serde_json::to_string(&request).map_err(|e| OAuthError::Server(e.into()))?,
            expires_at: self.now() + lifetime,
        };
        self.store().insert_pushed_request(&SecretHash::of(&request_uri), &pushed).await?;
        tracing::info!(client_id = %client.client_id, "pushed authorization request stored");
        Ok(PushedAuthorizationResponse { request_uri, expires_in: lifetime })
    }

    /// Whether `client` must push its requests: `[requests] require_pushed` for everyone, or
    /// its own `require_pushed_authorization_requests` (RFC 9126 §5, §6).
    pub(crate) fn requires_pushed_requests(&self, client: &Client) -> bool {
        self.settings().requests.require_pushed
            || client.metadata.require_pushed_authorization_requests
            || self.fapi2(client)
    }

    /// Whether the FAPI 2.0 Security Profile applies to `client`: its own `fapi2`, or
    /// `[requests] profile = "fapi2"` for every client. Then, together: pushed requests,
    /// PKCE S256, `private_key_jwt` with the issuer alone as assertion `aud`, DPoP-bound
    /// tokens, ES256/PS256/EdDSA only, https redirect URIs (FAPI 2.0 SP §5.3.2).
    pub fn fapi2(&self, client: &Client) -> bool {
        self.settings().requests.fapi2 || client.metadata.fapi2
    }

    /// Whether `client` must sign its requests: `[requests] require_signed` for everyone, or
    /// its own `require_signed_request_object` (RFC 9101 §10.5).
    pub(crate) fn requires_signed_request_objects(&self, client: &Client) -> bool {
        self.settings().requests.require_signed || client.metadata.require_signed_request_object
    }

    /// `/authorize` with a `request_uri` from `/par` (RFC 9126 §4): the pushed request of the
    /// client named by `client_id`, taken once; the request's other parameters are ignored.
    /// A reference that is unknown, used, expired or another client's is `invalid_request_uri`
    /// on Keygate's page: without the pushed request there is no verified redirect URI.
    pub(crate) async fn pushed_request(
        &self,
        params: &Params,
        request_uri: &str,
    ) -> Result<(Arc<Client>, AuthorizationRequest), AuthorizeError> {
        let client = self.requesting_client(params).await?;
        let hash = SecretHash::of(request_uri);
        let taken = self.store().take_pushed_request(&hash, &client.client_id, self.now()).await?;
        let Some(pushed) = taken else {
            return Err(AuthorizeError::Page {
                message: Cow::Borrowed(
                    "This sign-in request has expired or was already used. \
                     Go back to the application and try again.",
                ),
                detail: Some(
                    "invalid_request_uri: the request_uri is unknown, expired, already used, or \
                     was pushed by another client (RFC 9126 §4)"
                        .to_owned(),
                ),
                back: client.metadata.client_uri.clone(),
            });
        };
        let mut request: AuthorizationRequest =
            serde_json::from_str(&pushed.request).map_err(|e| AuthorizeError::Server(e.into()))?;
        // `prompt=login` is satisfied by an authentication after the browser arrived.
        request.requested_at = self.now();
        Ok((client, request))
    }
}

/// RFC 9126 §2.1: a pushed request cannot itself refer to another by `request_uri`. (That
/// `client_id` names the authenticated client, client authentication checks already.)
fn check_pushed_params(params: &Params) -> Result<(), OAuthError> {
    if params.all("request_uri").next().is_some() {
        return Err(OAuthError::InvalidRequest(
            "request_uri cannot be pushed (RFC 9126 §2.1)".into(),
        ));
    }
    Ok(())
}
