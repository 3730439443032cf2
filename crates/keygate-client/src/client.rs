//! [`Client`]: a public (native) OpenID Connect client of one provider. Discovery, the token
//! endpoint (code, refresh and device grants), UserInfo, revocation and the end-session URL.

use std::sync::Arc;

use keygate_types::{ErrorCode, ErrorResponse, JwkSet, ProviderMetadata, TokenResponse};
use serde_json::{Map, Value};
use url::Url;

use crate::clock::{Clock, SystemClock};
use crate::dpop::{self, DPOP_ALG, DpopKey, Nonces};
use crate::error::{Error, Result};
use crate::id_token::{self, IdTokenClaims};
use crate::tokens::{TokenType, Tokens};

/// A public client of one OpenID Connect provider (RFC 8252 §8.4: native apps are public
/// clients; they prove possession with PKCE, not a secret).
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    metadata: Arc<ProviderMetadata>,
    client_id: String,
    clock: Arc<dyn Clock>,
    dpop: bool,
    nonces: Arc<Nonces>,
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
    /// Bind each sign-in's tokens to a new DPoP key (RFC 9449) when the provider supports
    /// ES256 proofs (`dpop_signing_alg_values_supported`). Off by default: every API the
    /// tokens are sent to must then accept the `DPoP` scheme.
    pub dpop: bool,
}

impl Default for ClientOptions {
    fn default() -> Self {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("keygate-client/", env!("CARGO_PKG_VERSION")))
            .build()
            .unwrap_or_default();
        Self { http, clock: Arc::new(SystemClock), dpop: false }
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
            dpop: options.dpop,
            nonces: Arc::default(),
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

    /// A DPoP key for a new sign-in, when this client binds tokens and the provider accepts
    /// ES256 proofs (RFC 9449 §5.1).
    pub(crate) fn new_dpop_key(&self) -> Result<Option<DpopKey>> {
        let supported =
            self.metadata.dpop_signing_alg_values_supported.iter().any(|a| a == DPOP_ALG);
        if self.dpop && supported { DpopKey::generate().map(Some) } else { Ok(None) }
    }

    /// A proof by `key` for `htm` `htu`, with the server's latest nonce.
    fn dpop_proof(
        &self,
        key: &DpopKey,
        htm: &str,
        htu: &str,
        access_token: Option<&str>,
    ) -> Result<String> {
        let nonce = self.nonces.get(htu);
        key.proof(htm, htu, self.clock.now(), access_token, nonce.as_deref())
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
    /// §3.2.1), and with `key` a DPoP proof (RFC 9449 §5), sent once more with the
    /// provider's nonce when it answers `use_dpop_nonce` (§8). Returns the raw response, for
    /// callers that handle the errors themselves.
    pub(crate) async fn token_request(
        &self,
        form: &[(&str, &str)],
        key: Option<&DpopKey>,
    ) -> Result<Result<TokenResponse, ErrorResponse>> {
        let mut pairs = form.to_vec();
        pairs.push(("client_id", &self.client_id));
        let endpoint = &self.metadata.token_endpoint;
        let mut nonce_retried = false;
        loop {
            let mut request = self.http.post(endpoint).form(&pairs);
            if let Some(key) = key {
                request = request.header("DPoP", self.dpop_proof(key, "POST", endpoint, None)?);
            }
            let reply = request.send().await?;
            let fresh_nonce = self.nonces.remember(endpoint, reply.headers());
            let status = reply.status();
            let body = reply.bytes().await?;
            if status.is_success() {
                return self.token_response(&body, key.is_some()).map(Ok);
            }
            let error = serde_json::from_slice::<ErrorResponse>(&body).map_err(|_| {
                Error::InvalidResponse(format!(
                    "the token endpoint answered {status} without an OAuth error"
                ))
            })?;
            if error.error == ErrorCode::UseDpopNonce
                && key.is_some()
                && fresh_nonce
                && !nonce_retried
            {
                nonce_retried = true;
                continue;
            }
            return Ok(Err(error));
        }
    }

    /// A successful token response: `token_type` `Bearer`, or `DPoP` when a proof was sent
    /// (RFC 9449 §5).
    fn token_response(&self, body: &[u8], sent_proof: bool) -> Result<TokenResponse> {
        let tokens: TokenResponse = serde_json::from_slice(body)
            .map_err(|e| Error::InvalidResponse(format!("token response: {e}")))?;
        let bearer = tokens.token_type.eq_ignore_ascii_case("bearer");
        let dpop = tokens.token_type.eq_ignore_ascii_case("dpop");
        if bearer || (dpop && sent_proof) {
            return Ok(tokens);
        }
        Err(Error::InvalidResponse(format!(
            "token_type {} is not Bearer{}",
            tokens.token_type,
            if sent_proof { " or DPoP" } else { "" }
        )))
    }

    /// [`Client::token_request`], with an OAuth error as [`Error::OAuth`].
    async fn token_request_ok(
        &self,
        form: &[(&str, &str)],
        key: Option<&DpopKey>,
    ) -> Result<TokenResponse> {
        self.token_request(form, key).await?.map_err(oauth_error)
    }

    /// Exchanges an authorization code (RFC 6749 §4.1.3) with its PKCE verifier (RFC 7636
    /// §4.5) and validates the ID token against `nonce`; with `key`, the tokens are bound
    /// to it (RFC 9449 §5).
    pub async fn exchange_code(
        &self,
        code: &str,
        redirect_uri: &str,
        verifier: &str,
        nonce: &str,
        key: Option<&DpopKey>,
    ) -> Result<Tokens> {
        let form = [
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", redirect_uri),
            ("code_verifier", verifier),
        ];
        let response = self.token_request_ok(&form, key).await?;
        self.accept(response, Some(nonce), None, key).await
    }

    /// Uses a refresh token (RFC 6749 §6). The answer carries its replacement (rotation); the
    /// old one must not be used again (Keygate revokes the grant if it is: OAuth 2.0 Security
    /// BCP §4.14.2). Tokens bound to a DPoP key are refreshed with a proof by that key
    /// (RFC 9449 §5: a public client's refresh token is bound to it too).
    pub async fn refresh(&self, previous: &Tokens) -> Result<Tokens> {
        let Some(refresh_token) = previous.refresh_token.as_deref() else {
            return Err(Error::LoginRequired("the sign-in has expired".to_owned()));
        };
        let form = [("grant_type", "refresh_token"), ("refresh_token", refresh_token)];
        let key = previous.dpop_key.as_ref();
        let response = self.token_request_ok(&form, key).await?;
        self.accept(response, None, Some(previous), key).await
    }

    /// Checks a token response and turns it into [`Tokens`]: the ID token is validated
    /// (§3.1.3.7; after a refresh, OIDC Core §12.2: same `iss` and `sub`, no nonce check),
    /// and what the response leaves out is kept from `previous`.
    pub(crate) async fn accept(
        &self,
        response: TokenResponse,
        nonce: Option<&str>,
        previous: Option<&Tokens>,
        key: Option<&DpopKey>,
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
            token_type: if response.token_type.eq_ignore_ascii_case("dpop") {
                TokenType::Dpop
            } else {
                TokenType::Bearer
            },
            dpop_key: key.cloned(),
            expires_at: now.saturating_add(expires_in),
            refresh_token: response
                .refresh_token
                .or_else(|| previous.and_then(|p| p.refresh_token.clone())),
            id_token: response.id_token.or_else(|| previous.and_then(|p| p.id_token.clone())),
            claims: claims.or_else(|| previous.and_then(|p| p.claims.clone())),
            scope: response.scope.or_else(|| previous.and_then(|p| p.scope.clone())),
        })
    }

    /// The UserInfo claims of the tokens' user (OpenID Connect Core 1.0 §5.3), checking that
    /// `sub` is the ID token's (§5.3.2) when there is one.
    pub async fn userinfo(&self, tokens: &Tokens) -> Result<Map<String, Value>> {
        let endpoint = self.metadata.userinfo_endpoint.as_deref().ok_or_else(|| {
            Error::InvalidResponse("the provider has no userinfo_endpoint".to_owned())
        })?;
        let reply = self.send(tokens, self.http.get(endpoint)).await?;
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
        if let Some(expected) = &tokens.claims
            && claims.get("sub").and_then(Value::as_str) != Some(expected.sub.as_str())
        {
            return Err(Error::InvalidResponse(
                "userinfo is about another user than the ID token (OIDC Core §5.3.2)".to_owned(),
            ));
        }
        Ok(claims)
    }

    /// Sends `request` with the access token: `Authorization: Bearer` (RFC 6750 §2.1), or
    /// for bound tokens `Authorization: DPoP` with a proof for the request's method and URL
    /// (RFC 9449 §7.1), sent once more with the server's nonce when it asks for one (§9).
    pub async fn send(
        &self,
        tokens: &Tokens,
        request: reqwest::RequestBuilder,
    ) -> Result<reqwest::Response> {
        let (http, request) = request.build_split();
        let mut request = request?;
        let mut retried = false;
        loop {
            let again = request.try_clone();
            let url = request.url().to_string();
            self.authorize(tokens, &mut request)?;
            let reply = http.execute(request).await?;
            let fresh_nonce = self.nonces.remember(&url, reply.headers());
            let unauthorized = reply.status() == reqwest::StatusCode::UNAUTHORIZED;
            match again {
                Some(next)
                    if tokens.dpop_key.is_some()
                        && unauthorized
                        && fresh_nonce
                        && !retried
                        && dpop::asks_for_nonce(reply.headers()) =>
                {
                    request = next;
                    retried = true;
                }
                _ => return Ok(reply),
            }
        }
    }

    /// Sets the `Authorization` header (and the `DPoP` proof for bound tokens) on `request`.
    fn authorize(&self, tokens: &Tokens, request: &mut reqwest::Request) -> Result<()> {
        let token = &tokens.access_token;
        let (scheme, proof) = match (&tokens.dpop_key, tokens.token_type) {
            (Some(key), TokenType::Dpop) => {
                let (htm, htu) = (request.method().as_str(), request.url().as_str());
                ("DPoP", Some(self.dpop_proof(key, htm, htu, Some(token))?))
            }
            _ => ("Bearer", None),
        };
        let header = |text: String| {
            reqwest::header::HeaderValue::from_str(&text).map_err(|_| {
                Error::InvalidResponse("the access token is not a header value".into())
            })
        };
        request.headers_mut().insert("authorization", header(format!("{scheme} {token}"))?);
        if let Some(proof) = proof {
            request.headers_mut().insert("dpop", header(proof)?);
        }
        Ok(())
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
