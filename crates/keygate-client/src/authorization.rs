//! The authorization request (RFC 6749 §4.1.1, OpenID Connect Core 1.0 §3.1.2.1) with PKCE
//! S256 (RFC 7636), `state` and `nonce`, and the checks on its response: `state` (RFC 6749
//! §10.12), `iss` (RFC 9207 §2.4) and `error` (§4.1.2.1).

use keygate_types::ErrorCode;
use keygate_types::token::PushedAuthorizationResponse;
use url::Url;

use crate::client::Client;
use crate::dpop::DpopKey;
use crate::error::{Error, Result};
use crate::random;
use crate::step_up::StepUp;
use crate::tokens::Tokens;

/// A pending authorization request: the URL for the browser and the values that only this
/// app knows (`state`, `nonce`, the PKCE verifier). `Debug` hides the verifier.
#[derive(Clone)]
pub struct AuthorizationRequest {
    url: Url,
    redirect_uri: String,
    state: String,
    nonce: String,
    verifier: String,
    dpop_key: Option<DpopKey>,
}

impl std::fmt::Debug for AuthorizationRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthorizationRequest")
            .field("url", &self.url.as_str())
            .field("redirect_uri", &self.redirect_uri)
            .finish_non_exhaustive()
    }
}

/// What the redirect to the client carried (RFC 6749 §4.1.2, §4.1.2.1; RFC 9207 §2).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuthorizationResponse {
    /// `code`, on success.
    pub code: Option<String>,
    /// `state`, echoed.
    pub state: Option<String>,
    /// `iss`, the issuer that answered (RFC 9207).
    pub iss: Option<String>,
    /// `error`, on failure.
    pub error: Option<String>,
    /// `error_description`, on failure.
    pub error_description: Option<String>,
}

impl AuthorizationResponse {
    /// Reads the response parameters from a redirect URL's query.
    pub fn from_url(url: &Url) -> Self {
        let mut response = Self::default();
        for (name, value) in url.query_pairs() {
            let slot = match name.as_ref() {
                "code" => &mut response.code,
                "state" => &mut response.state,
                "iss" => &mut response.iss,
                "error" => &mut response.error,
                "error_description" => &mut response.error_description,
                _ => continue,
            };
            *slot = Some(value.into_owned());
        }
        response
    }
}

impl Client {
    /// A new authorization request for `redirect_uri` asking for `scope` (and RFC 8707
    /// `resource` values, so the access token is for those APIs), with a fresh `state`,
    /// `nonce` and PKCE S256 challenge (RFC 7636 §4.1–4.3; RFC 8252 §8.1 makes PKCE a must for
    /// native apps).
    pub fn authorization_request(
        &self,
        redirect_uri: &str,
        scope: &str,
        resources: &[String],
    ) -> Result<AuthorizationRequest> {
        self.authorization_request_with(redirect_uri, scope, resources, &StepUp::default())
    }

    /// [`Client::authorization_request`] asking for an authentication that meets `step_up`
    /// (OIDC Core §3.1.2.1 `acr_values` and `max_age`, as RFC 9470 §4 has the client send
    /// after an API's challenge).
    pub fn authorization_request_with(
        &self,
        redirect_uri: &str,
        scope: &str,
        resources: &[String],
        step_up: &StepUp,
    ) -> Result<AuthorizationRequest> {
        let endpoint = self.metadata().authorization_endpoint.as_deref().ok_or_else(|| {
            Error::InvalidResponse("the provider has no authorization_endpoint".to_owned())
        })?;
        let mut url = Url::parse(endpoint)
            .map_err(|e| Error::InvalidResponse(format!("authorization_endpoint: {e}")))?;
        let state = random::token()?;
        let nonce = random::token()?;
        let verifier = random::token()?;
        let dpop_key = self.new_dpop_key()?;
        {
            let mut query = url.query_pairs_mut();
            query
                .append_pair("response_type", "code")
                .append_pair("client_id", self.client_id())
                .append_pair("redirect_uri", redirect_uri)
                .append_pair("scope", scope)
                .append_pair("state", &state)
                .append_pair("nonce", &nonce)
                .append_pair("code_challenge", &random::s256(&verifier))
                .append_pair("code_challenge_method", "S256");
            for resource in resources {
                query.append_pair("resource", resource);
            }
            if let Some(acr_values) = &step_up.acr_values {
                query.append_pair("acr_values", acr_values);
            }
            if let Some(max_age) = step_up.max_age {
                query.append_pair("max_age", &max_age.to_string());
            }
            // RFC 9449 §10: the code is bound to the key, so only its holder can redeem it.
            if let Some(key) = &dpop_key {
                query.append_pair("dpop_jkt", key.jkt());
            }
        }
        Ok(AuthorizationRequest {
            url,
            redirect_uri: redirect_uri.to_owned(),
            state,
            nonce,
            verifier,
            dpop_key,
        })
    }

    /// Pushes `request` to the provider's pushed authorization request endpoint (RFC 9126
    /// §2.1) and returns it with a URL that carries only `client_id` and the `request_uri` the
    /// provider answered (§4): nothing of the request can be read or changed in the browser.
    pub async fn push_authorization_request(
        &self,
        request: AuthorizationRequest,
    ) -> Result<AuthorizationRequest> {
        let endpoint =
            self.metadata().pushed_authorization_request_endpoint.as_deref().ok_or_else(|| {
                Error::InvalidResponse(
                    "the provider has no pushed_authorization_request_endpoint".to_owned(),
                )
            })?;
        let form: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
        let pushed = self.pushed_request(endpoint, &form).await?;
        let mut url = request.url.clone();
        url.query_pairs_mut()
            .clear()
            .append_pair("client_id", self.client_id())
            .append_pair("request_uri", &pushed.request_uri);
        Ok(AuthorizationRequest { url, ..request })
    }

    /// Completes a sign-in: checks `response` against `request` (see
    /// [`AuthorizationRequest::code_from`]), exchanges the code and validates the ID token.
    pub async fn finish_authorization(
        &self,
        request: &AuthorizationRequest,
        response: &AuthorizationResponse,
    ) -> Result<Tokens> {
        let iss_required = self.metadata().authorization_response_iss_parameter_supported;
        let code = request.code_from(response, self.issuer(), iss_required)?;
        let key = request.dpop_key.as_ref();
        self.exchange_code(code, &request.redirect_uri, &request.verifier, &request.nonce, key)
            .await
    }
}

impl AuthorizationRequest {
    /// The URL to open in the browser.
    pub fn url(&self) -> &Url {
        &self.url
    }

    /// The `redirect_uri` sent.
    pub fn redirect_uri(&self) -> &str {
        &self.redirect_uri
    }

    /// Whether `state` is this request's (compared in constant time).
    pub fn is_own_state(&self, state: Option<&str>) -> bool {
        state.is_some_and(|s| random::same(s, &self.state))
    }

    /// The code in `response`, after the checks a client must make before using it:
    /// `state` is this request's (RFC 6749 §10.12), `iss` is the issuer (RFC 9207 §2.4: when
    /// the provider advertises it, it must be there), and there is no `error`
    /// (RFC 6749 §4.1.2.1).
    pub fn code_from<'r>(
        &self,
        response: &'r AuthorizationResponse,
        issuer: &str,
        iss_required: bool,
    ) -> Result<&'r str> {
        if !self.is_own_state(response.state.as_deref()) {
            return Err(Error::Callback(
                "its state is not this sign-in's (RFC 6749 §10.12)".to_owned(),
            ));
        }
        match response.iss.as_deref() {
            Some(iss) if iss != issuer => {
                return Err(Error::Callback(format!(
                    "it comes from issuer {iss}, not {issuer} (RFC 9207 §2.4)"
                )));
            }
            None if iss_required => {
                return Err(Error::Callback(
                    "it lacks the iss parameter the provider promises (RFC 9207 §2.4)".to_owned(),
                ));
            }
            _ => {}
        }
        if let Some(error) = response.error.as_deref() {
            let description = response.error_description.clone();
            return Err(match parse_code(error) {
                Some(ErrorCode::AccessDenied) => Error::AccessDenied(description),
                Some(code) => Error::OAuth { code, description },
                None => Error::Callback(format!("error {error}{}", describe(&description))),
            });
        }
        response
            .code
            .as_deref()
            .ok_or_else(|| Error::Callback("it carries neither code nor error".to_owned()))
    }
}

fn describe(description: &Option<String>) -> String {
    description.as_deref().map(|d| format!(": {d}")).unwrap_or_default()
}

/// An `error` value as a known code.
pub(crate) fn parse_code(error: &str) -> Option<ErrorCode> {
    serde_json::from_value(serde_json::Value::String(error.to_owned())).ok()
}

impl Client {
    /// `POST` to the pushed authorization request endpoint: `201` with a `request_uri`
    /// (RFC 9126 §2.2), or an OAuth error (§2.3).
    async fn pushed_request(
        &self,
        endpoint: &str,
        form: &[(String, String)],
    ) -> Result<PushedAuthorizationResponse> {
        let reply = self.http().post(endpoint).form(form).send().await?;
        let status = reply.status();
        let body = reply.bytes().await?;
        if status.is_success() {
            let pushed: PushedAuthorizationResponse = serde_json::from_slice(&body)
                .map_err(|e| Error::InvalidResponse(format!("pushed request response: {e}")))?;
            if pushed.request_uri.is_empty() {
                return Err(Error::InvalidResponse("the request_uri is empty".to_owned()));
            }
            return Ok(pushed);
        }
        match serde_json::from_slice::<keygate_types::ErrorResponse>(&body) {
            Ok(error) => Err(crate::client::oauth_error(error)),
            Err(_) => Err(Error::InvalidResponse(format!(
                "the pushed authorization request endpoint answered {status} without an OAuth error"
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn request() -> AuthorizationRequest {
        AuthorizationRequest {
            url: Url::parse("https://id.example/authorize").unwrap(),
            redirect_uri: "http://127.0.0.1:5000/callback".to_owned(),
            state: "s-1".to_owned(),
            nonce: "n-1".to_owned(),
            verifier: "v".to_owned(),
            dpop_key: None,
        }
    }

    fn response(query: &str) -> AuthorizationResponse {
        AuthorizationResponse::from_url(&Url::parse(&format!("http://x/cb?{query}")).unwrap())
    }

    #[test]
    fn rfc6749_10_12_wrong_state_is_rejected() {
        let r = request();
        let wrong = response("code=c&state=s-2");
        let err = r.code_from(&wrong, "https://id.example", false);
        assert!(matches!(err, Err(Error::Callback(_))));
        let missing = response("code=c");
        let err = r.code_from(&missing, "https://id.example", false);
        assert!(matches!(err, Err(Error::Callback(_))));
        assert_eq!(
            r.code_from(&response("code=c&state=s-1"), "https://id.example", false).unwrap(),
            "c"
        );
    }

    #[test]
    fn rfc9207_2_4_iss_must_be_the_issuer() {
        let r = request();
        let mixed = response("code=c&state=s-1&iss=https%3A%2F%2Fevil.example");
        assert!(matches!(r.code_from(&mixed, "https://id.example", true), Err(Error::Callback(_))));
        let missing = response("code=c&state=s-1");
        assert!(r.code_from(&missing, "https://id.example", true).is_err());
        let good = response("code=c&state=s-1&iss=https%3A%2F%2Fid.example");
        assert_eq!(r.code_from(&good, "https://id.example", true).unwrap(), "c");
    }

    #[test]
    fn rfc6749_4_1_2_1_error_response_is_reported() {
        let r = request();
        let denied = response("error=access_denied&error_description=no&state=s-1");
        let err = r.code_from(&denied, "https://id.example", false).unwrap_err();
        assert!(matches!(err, Error::AccessDenied(Some(ref d)) if d == "no"), "{err}");
        let other = response("error=invalid_scope&state=s-1");
        let err = r.code_from(&other, "https://id.example", false).unwrap_err();
        assert_eq!(err.oauth_code(), Some(ErrorCode::InvalidScope));
    }
}
