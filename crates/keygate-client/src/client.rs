//! [`Client`]: a public (native) OpenID Connect client of one provider. Discovery, the token
//! endpoint (code, refresh and device grants), UserInfo, revocation and the end-session URL.

use std::sync::Arc;

use keygate_types::{ErrorResponse, JwkSet, ProviderMetadata, TokenResponse};
use serde_json::{Map, Value};
use url::Url;

use crate::clock::{Clock, SystemClock};
use crate::error::{Error, Result};
use crate::id_token::{self, IdTokenClaims};
use crate::tokens::Tokens;

/// A public client of one OpenID Connect provider (RFC 8252 §8.4: native apps are public
/// clients; they prove possession with PKCE, not a secret).
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    metadata: Arc<ProviderMetadata>,
    client_id: String,
    clock: Arc<dyn Clock>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("issuer", &self.metadata.issuer)
            .field("client_id", &self.client_id)
            .finish_non_exhaustive()
    }
}

/// Options for [`Client::discover_with`].
pub struct ClientOptions {
    /// The HTTP client; it must not follow redirects to other hosts with credentials. The
    /// default follows no redirects at all.
    pub http: reqwest::Client,
    /// The clock for expiry checks and polling waits.
    pub clock: Arc<dyn Clock>,
}

impl Default for ClientOptions {
    fn default() -> Self {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("keygate-client/", env!("CARGO_PKG_VERSION")))
            .build()
            .unwrap_or_default();
        Self { http, clock: Arc::new(SystemClock) }
    }
}

impl Client {
    /// Reads the provider's metadata from `{issuer}/.well-known/openid-configuration` and
    /// checks that it names `issuer` (OpenID Connect Discovery 1.0 §4.3).
    pub async fn discover(issuer: &str, client_id: &str) -> Result<Self> {
        Self::discover_with(issuer, client_id, ClientOptions::default()).await
    }

    /// [`Client::discover`] with a given HTTP client and clock.
    pub async fn discover_with(
        issuer: &str,
        client_id: &str,
        options: ClientOptions,
    ) -> Result<Self> {
        let issuer = issuer.trim_end_matches('/');
        let url = format!("{issuer}/.well-known/openid-configuration");
        let reply = options.http.get(&url).send().await?;
        if !reply.status().is_success() {
            return Err(Error::InvalidResponse(format!("{url} answered {}", reply.status())));
        }
        let metadata: ProviderMetadata = reply
            .json()
            .await
            .map_err(|e| Error::InvalidResponse(format!("discovery document: {e}")))?;
        if metadata.issuer != issuer {
            return Err(Error::InvalidResponse(format!(
                "discovery at {issuer} names another issuer, {} (OpenID Connect Discovery §4.3)",
                metadata.issuer
            )));
        }
        Ok(Self {
            http: options.http,
            metadata: Arc::new(metadata),
            client_id: client_id.to_owned(),
            clock: options.clock,
        })
    }

    /// The provider's metadata.
    pub fn metadata(&self) -> &ProviderMetadata {
        &self.metadata
    }

    /// The issuer identifier.
    pub fn issuer(&self) -> &str {
        &self.metadata.issuer
    }

    /// This client's `client_id`.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// The client's clock.
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.http
    }

    /// The provider's signing keys (read at each validation, so key rotation needs nothing).
    pub async fn jwks(&self) -> Result<JwkSet> {
        let reply = self.http.get(&self.metadata.jwks_uri).send().await?;
        if !reply.status().is_success() {
            return Err(Error::InvalidResponse(format!("jwks_uri answered {}", reply.status())));
        }
        reply.json().await.map_err(|e| Error::InvalidResponse(format!("JWKS: {e}")))
    }

    /// Validates an ID token (OpenID Connect Core 1.0 §3.1.3.7): signature through the JWKS,
    /// `iss`, `aud`, `azp`, `exp`, `iat`, and `nonce` when one was sent.
    pub async fn validate_id_token(
        &self,
        id_token: &str,
        nonce: Option<&str>,
    ) -> Result<IdTokenClaims> {
        let jwks = self.jwks().await?;
        let expected = id_token::Expected {
            issuer: &self.metadata.issuer,
            client_id: &self.client_id,
            nonce,
            now: self.clock.now(),
        };
        id_token::validate(id_token, &jwks, &expected)
    }

    /// A token request (RFC 6749 §3.2) as a public client: `client_id` in the body (§2.3,
    /// §3.2.1). Returns the raw response, for callers that handle the errors themselves.
    pub(crate) async fn token_request(
        &self,
        form: &[(&str, &str)],
    ) -> Result<Result<TokenResponse, ErrorResponse>> {
        let mut pairs = form.to_vec();
        pairs.push(("client_id", &self.client_id));
        let reply = self.http.post(&self.metadata.token_endpoint).form(&pairs).send().await?;
        let status = reply.status();
        let body = reply.bytes().await?;
        if status.is_success() {
            let tokens: TokenResponse = serde_json::from_slice(&body)
                .map_err(|e| Error::InvalidResponse(format!("token response: {e}")))?;
            if !tokens.token_type.eq_ignore_ascii_case("bearer") {
                return Err(Error::InvalidResponse(format!(
                    "token_type {} is not Bearer",
                    tokens.token_type
                )));
            }
            return Ok(Ok(tokens));
        }
        match serde_json::from_slice::<ErrorResponse>(&body) {
            Ok(error) => Ok(Err(error)),
            Err(_) => Err(Error::InvalidResponse(format!(
                "the token endpoint answered {status} without an OAuth error"
            ))),
        }
    }

    /// [`Client::token_request`], with an OAuth error as [`Error::OAuth`].
    async fn token_request_ok(&self, form: &[(&str, &str)]) -> Result<TokenResponse> {
        self.token_request(form).await?.map_err(oauth_error)
    }

    /// Exchanges an authorization code (RFC 6749 §4.1.3) with its PKCE verifier (RFC 7636
    /// §4.5) and validates the ID token against `nonce`.
    pub async fn exchange_code(
        &self,
        code: &str,
        redirect_uri: &str,
        verifier: &str,
        nonce: &str,
    ) -> Result<Tokens> {
        let form = [
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", redirect_uri),
            ("code_verifier", verifier),
        ];
        let response = self.token_request_ok(&form).await?;
        self.accept(response, Some(nonce), None).await
    }

    /// Uses a refresh token (RFC 6749 §6). The answer carries its replacement (rotation); the
    /// old one must not be used again (Keygate revokes the grant if it is: OAuth 2.0 Security
    /// BCP §4.14.2).
    pub async fn refresh(&self, previous: &Tokens) -> Result<Tokens> {
        let Some(refresh_token) = previous.refresh_token.as_deref() else {
            return Err(Error::LoginRequired("the sign-in has expired".to_owned()));
        };
        let form = [("grant_type", "refresh_token"), ("refresh_token", refresh_token)];
        let response = self.token_request_ok(&form).await?;
        self.accept(response, None, Some(previous)).await
    }

    /// Checks a token response and turns it into [`Tokens`]: the ID token is validated
    /// (§3.1.3.7; after a refresh, OIDC Core §12.2: same `iss` and `sub`, no nonce check),
    /// and what the response leaves out is kept from `previous`.
    pub(crate) async fn accept(
        &self,
        response: TokenResponse,
        nonce: Option<&str>,
        previous: Option<&Tokens>,
    ) -> Result<Tokens> {
        let claims = match response.id_token.as_deref() {
            Some(id_token) => Some(self.validate_id_token(id_token, nonce).await?),
            None if nonce.is_some() => {
                return Err(Error::InvalidResponse(
                    "no ID token in the answer to an OpenID Connect request".to_owned(),
                ));
            }
            None => None,
        };
        let old = previous.and_then(|p| p.claims.as_ref());
        if let (Some(new), Some(old)) = (&claims, old)
            && new.sub != old.sub
        {
            return Err(Error::IdToken(
                "the refreshed ID token is for another user (OIDC Core §12.2)".to_owned(),
            ));
        }
        let now = self.clock.now();
        let expires_in = i64::try_from(response.expires_in).unwrap_or(i64::MAX);
        Ok(Tokens {
            issuer: self.metadata.issuer.clone(),
            client_id: self.client_id.clone(),
            access_token: response.access_token,
            expires_at: now.saturating_add(expires_in),
            refresh_token: response
                .refresh_token
                .or_else(|| previous.and_then(|p| p.refresh_token.clone())),
            id_token: response.id_token.or_else(|| previous.and_then(|p| p.id_token.clone())),
            claims: claims.or_else(|| previous.and_then(|p| p.claims.clone())),
            scope: response.scope.or_else(|| previous.and_then(|p| p.scope.clone())),
        })
    }

    /// The UserInfo claims of the token's user (OpenID Connect Core 1.0 §5.3); checks that
    /// `sub` is the ID token's (§5.3.2) when `expected_sub` is given.
    pub async fn userinfo(
        &self,
        access_token: &str,
        expected_sub: Option<&str>,
    ) -> Result<Map<String, Value>> {
        let endpoint = self.metadata.userinfo_endpoint.as_deref().ok_or_else(|| {
            Error::InvalidResponse("the provider has no userinfo_endpoint".to_owned())
        })?;
        let reply = self.http.get(endpoint).bearer_auth(access_token).send().await?;
        if !reply.status().is_success() {
            let challenge = reply
                .headers()
                .get("www-authenticate")
                .and_then(|h| h.to_str().ok())
                .unwrap_or("")
                .to_owned();
            return Err(Error::InvalidResponse(format!(
                "userinfo answered {} {challenge}",
                reply.status()
            )));
        }
        let claims: Map<String, Value> =
            reply.json().await.map_err(|e| Error::InvalidResponse(format!("userinfo: {e}")))?;
        if let Some(sub) = expected_sub
            && claims.get("sub").and_then(Value::as_str) != Some(sub)
        {
            return Err(Error::InvalidResponse(
                "userinfo is about another user than the ID token (OIDC Core §5.3.2)".to_owned(),
            ));
        }
        Ok(claims)
    }

    /// Revokes a token (RFC 7009 §2.1), a public client naming itself with `client_id`. The
    /// server answers 200 also for tokens that were already invalid (§2.2).
    pub async fn revoke(&self, token: &str, hint: TokenTypeHint) -> Result<()> {
        let form = [
            ("token", token),
            ("token_type_hint", hint.as_str()),
            ("client_id", self.client_id.as_str()),
        ];
        let reply = self.http.post(&self.metadata.revocation_endpoint).form(&form).send().await?;
        if reply.status().is_success() {
            return Ok(());
        }
        let status = reply.status();
        match reply.json::<ErrorResponse>().await {
            Ok(error) => Err(oauth_error(error)),
            Err(_) => Err(Error::InvalidResponse(format!("revocation answered {status}"))),
        }
    }

    /// The RP-Initiated Logout 1.0 §2 request that ends the user's session at the provider,
    /// for the browser: `id_token_hint`, `client_id`, and `post_logout_redirect_uri` with
    /// `state` when given. `None` when the provider has no `end_session_endpoint`.
    pub fn end_session_url(
        &self,
        id_token_hint: Option<&str>,
        post_logout_redirect_uri: Option<&str>,
        state: Option<&str>,
    ) -> Option<Url> {
        let mut url = Url::parse(self.metadata.end_session_endpoint.as_deref()?).ok()?;
        {
            let mut query = url.query_pairs_mut();
            if let Some(hint) = id_token_hint {
                query.append_pair("id_token_hint", hint);
            }
            query.append_pair("client_id", &self.client_id);
            if let Some(uri) = post_logout_redirect_uri {
                query.append_pair("post_logout_redirect_uri", uri);
                if let Some(state) = state {
                    query.append_pair("state", state);
                }
            }
        }
        Some(url)
    }
}

/// RFC 7009 §2.1 `token_type_hint`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenTypeHint {
    /// `access_token`.
    AccessToken,
    /// `refresh_token`.
    RefreshToken,
}

impl TokenTypeHint {
    /// The value on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AccessToken => "access_token",
            Self::RefreshToken => "refresh_token",
        }
    }
}

pub(crate) fn oauth_error(error: ErrorResponse) -> Error {
    Error::OAuth { code: error.error, description: error.error_description }
}
