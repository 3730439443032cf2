//! The app as a confidential OpenID Connect client of Keygate: discovery, the authorization
//! request, the token endpoint (code and refresh grants), revocation and the end-session URL.

use jsonwebtoken::jwk::JwkSet;
use serde::Deserialize;

use crate::sessions::PendingLogin;

/// A failure talking to Keygate.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OidcError {
    /// Keygate did not answer.
    #[error("Keygate could not be reached: {0}")]
    Unreachable(#[from] reqwest::Error),
    /// Keygate answered with an OAuth error (RFC 6749 §5.2).
    #[error("Keygate refused: {error}")]
    Refused {
        /// The error code, e.g. `invalid_grant`.
        error: String,
        /// Keygate's explanation, if any.
        description: Option<String>,
    },
    /// Keygate's answer was not what the specifications say.
    #[error("unexpected answer from Keygate: {0}")]
    Invalid(String),
}

/// What discovery says about Keygate (OpenID Connect Discovery 1.0 §3).
#[derive(Debug, Clone, Deserialize)]
pub struct ProviderMetadata {
    /// The issuer, equal to the one configured (§4.3).
    pub issuer: String,
    /// Where the browser is sent to sign in.
    pub authorization_endpoint: String,
    /// Where codes and refresh tokens are exchanged.
    pub token_endpoint: String,
    /// The keys that sign ID tokens.
    pub jwks_uri: String,
    /// RFC 7009 revocation.
    pub revocation_endpoint: Option<String>,
    /// RP-Initiated Logout 1.0 §2.1.
    pub end_session_endpoint: Option<String>,
}

/// A token endpoint answer (RFC 6749 §5.1, OIDC Core §3.1.3.3).
#[derive(Deserialize)]
pub struct TokenResponse {
    /// The access token.
    pub access_token: String,
    /// `Bearer`.
    pub token_type: String,
    /// Lifetime of the access token in seconds.
    pub expires_in: Option<i64>,
    /// A refresh token, new on every refresh (rotation).
    pub refresh_token: Option<String>,
    /// The ID token (code grant).
    pub id_token: Option<String>,
}

#[derive(Deserialize)]
struct ErrorResponse {
    error: String,
    error_description: Option<String>,
}

/// The client's registration and Keygate's endpoints.
pub struct OidcClient {
    http: reqwest::Client,
    /// Keygate's metadata.
    pub metadata: ProviderMetadata,
    client_id: String,
    client_secret: String,
    redirect_uri: String,
}

/// What [`OidcClient::discover`] needs.
pub struct Registration {
    /// The issuer URL.
    pub issuer: String,
    /// The registered client id.
    pub client_id: String,
    /// The client secret (client_secret_basic).
    pub client_secret: String,
    /// The registered callback, `<app>/callback`.
    pub redirect_uri: String,
}

impl OidcClient {
    /// Reads Keygate's metadata and checks it names the configured issuer (Discovery §4.3).
    pub async fn discover(http: reqwest::Client, reg: Registration) -> Result<Self, OidcError> {
        let issuer = reg.issuer.trim_end_matches('/');
        let url = format!("{issuer}/.well-known/openid-configuration");
        let metadata: ProviderMetadata =
            http.get(url).send().await?.error_for_status()?.json().await?;
        if metadata.issuer != issuer {
            return Err(OidcError::Invalid(format!("discovery names issuer {}", metadata.issuer)));
        }
        Ok(Self {
            http,
            metadata,
            client_id: reg.client_id,
            client_secret: reg.client_secret,
            redirect_uri: reg.redirect_uri,
        })
    }

    /// The client id, the audience of its ID tokens.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// The authorization request (OIDC Core §3.1.2.1) with PKCE S256 and an RFC 8707
    /// `resource`, so the access token is for that API.
    pub fn authorization_url(
        &self,
        login: &PendingLogin,
        scope: &str,
        resource: &str,
    ) -> Result<String, OidcError> {
        let mut url = url::Url::parse(&self.metadata.authorization_endpoint)
            .map_err(|e| OidcError::Invalid(format!("authorization_endpoint: {e}")))?;
        url.query_pairs_mut()
            .append_pair("response_type", "code")
            .append_pair("client_id", &self.client_id)
            .append_pair("redirect_uri", &self.redirect_uri)
            .append_pair("scope", scope)
            .append_pair("state", &login.state)
            .append_pair("nonce", &login.nonce)
            .append_pair("code_challenge", &crate::seal::s256(&login.verifier))
            .append_pair("code_challenge_method", "S256")
            .append_pair("resource", resource);
        Ok(url.into())
    }

    /// Exchanges an authorization code (RFC 6749 §4.1.3, RFC 7636 §4.5).
    pub async fn exchange_code(
        &self,
        code: &str,
        verifier: &str,
    ) -> Result<TokenResponse, OidcError> {
        let form = [
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", self.redirect_uri.as_str()),
            ("code_verifier", verifier),
        ];
        self.token_request(&form).await
    }

    /// Uses a refresh token (RFC 6749 §6); the answer carries its replacement.
    pub async fn refresh(&self, refresh_token: &str) -> Result<TokenResponse, OidcError> {
        self.token_request(&[("grant_type", "refresh_token"), ("refresh_token", refresh_token)])
            .await
    }

    async fn token_request(&self, form: &[(&str, &str)]) -> Result<TokenResponse, OidcError> {
        let reply = self.authenticated_post(&self.metadata.token_endpoint, form).await?;
        if !reply.status().is_success() {
            let body: ErrorResponse = reply
                .json()
                .await
                .map_err(|_| OidcError::Invalid("an error without an OAuth error body".into()))?;
            return Err(OidcError::Refused {
                error: body.error,
                description: body.error_description,
            });
        }
        let tokens: TokenResponse = reply.json().await?;
        if !tokens.token_type.eq_ignore_ascii_case("bearer") {
            return Err(OidcError::Invalid(format!("token_type {}", tokens.token_type)));
        }
        Ok(tokens)
    }

    /// Client authentication with HTTP Basic, id and secret form-encoded first (RFC 6749
    /// §2.3.1).
    async fn authenticated_post(
        &self,
        url: &str,
        form: &[(&str, &str)],
    ) -> Result<reqwest::Response, OidcError> {
        let encode =
            |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
        let request = self
            .http
            .post(url)
            .basic_auth(encode(&self.client_id), Some(encode(&self.client_secret)))
            .form(form);
        Ok(request.send().await?)
    }

    /// Revokes a token (RFC 7009), e.g. the refresh token when the user signs out, so it does
    /// not outlive the sign-in. Best effort: failures are logged.
    pub async fn revoke(&self, token: &str) {
        let Some(endpoint) = &self.metadata.revocation_endpoint else { return };
        let form = [("token", token), ("token_type_hint", "refresh_token")];
        match self.authenticated_post(endpoint, &form).await {
            Ok(reply) if reply.status().is_success() => {}
            Ok(reply) => tracing::warn!(status = %reply.status(), "revocation refused"),
            Err(e) => tracing::warn!(error = %e, "revocation failed"),
        }
    }

    /// The issuer's signing keys, read at each sign-in so that key rotation needs nothing.
    pub async fn jwks(&self) -> Result<JwkSet, OidcError> {
        Ok(self.http.get(&self.metadata.jwks_uri).send().await?.error_for_status()?.json().await?)
    }

    /// The RP-Initiated Logout request (§2): `id_token_hint`, `post_logout_redirect_uri` and
    /// `state`; `None` when Keygate has no end-session endpoint.
    pub fn end_session_url(&self, id_token: &str, back_to: &str, state: &str) -> Option<String> {
        let mut url = url::Url::parse(self.metadata.end_session_endpoint.as_deref()?).ok()?;
        url.query_pairs_mut()
            .append_pair("id_token_hint", id_token)
            .append_pair("post_logout_redirect_uri", back_to)
            .append_pair("state", state);
        Some(url.into())
    }
}
