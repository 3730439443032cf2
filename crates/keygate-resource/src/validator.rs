//! Validating RFC 9068 JWT access tokens (RFC 9068 §4).

use std::sync::Arc;
use std::time::Duration;

use jsonwebtoken::{Algorithm, Validation, decode, decode_header};
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::introspect::Introspector;
use crate::jwks::KeyCache;
use crate::{Caller, Error};

/// RFC 9068 §4: the `typ` of a JWT access token, with and without the `application/` prefix.
const ACCESS_TOKEN_TYPES: [&str; 2] = ["at+jwt", "application/at+jwt"];

/// The asymmetric algorithms accepted by default. `none` and HMAC are never accepted: an API
/// holds no shared key with the issuer, and a public key must not verify an HMAC.
pub const DEFAULT_ALGORITHMS: [Algorithm; 4] =
    [Algorithm::ES256, Algorithm::RS256, Algorithm::PS256, Algorithm::EdDSA];

/// How many DPoP proofs the replay check remembers (each for about six minutes).
const REPLAY_CAPACITY: usize = 100_000;

/// The current time, seconds since the epoch.
pub type Clock = Arc<dyn Fn() -> i64 + Send + Sync>;

/// Validates bearer tokens for one API (audience) of one issuer.
pub struct Validator {
    pub(crate) issuer: String,
    pub(crate) audience: String,
    algorithms: Vec<Algorithm>,
    leeway: i64,
    keys: Option<KeyCache>,
    introspector: Option<Introspector>,
    pub(crate) clock: Clock,
    /// The RFC 6750 realm of challenges.
    pub realm: String,
    /// RFC 9728 §5.1: the URL of this API's protected-resource metadata, for challenges.
    pub resource_metadata: Option<String>,
    /// The scope named in `401` challenges ([`ValidatorBuilder::challenge_scope`]).
    pub challenge_scope: Option<String>,
    /// Where clients call this API, without a trailing slash: the start of a DPoP proof's `htu`.
    pub(crate) public_url: String,
    /// DPoP proofs seen, for the replay check (RFC 9449 §11.1).
    pub(crate) replay: keygate_dpop::ReplayCache,
}

impl std::fmt::Debug for Validator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Validator")
            .field("issuer", &self.issuer)
            .field("audience", &self.audience)
            .finish()
    }
}

/// Settings for a [`Validator`].
pub struct ValidatorBuilder {
    issuer: String,
    audience: String,
    algorithms: Vec<Algorithm>,
    leeway: Duration,
    min_refresh: Duration,
    jwks_uri: Option<String>,
    introspection: Option<(String, String, Duration)>,
    http: Option<reqwest::Client>,
    clock: Option<Clock>,
    realm: Option<String>,
    resource_metadata: Option<String>,
    challenge_scope: Option<String>,
    public_url: Option<String>,
}

#[derive(Deserialize)]
struct Metadata {
    issuer: String,
    jwks_uri: Option<String>,
    introspection_endpoint: Option<String>,
}

impl Validator {
    /// A validator for tokens from `issuer` whose `aud` includes `audience` (this API's
    /// identifier). Finish with [`ValidatorBuilder::build`].
    pub fn builder(issuer: impl Into<String>, audience: impl Into<String>) -> ValidatorBuilder {
        ValidatorBuilder {
            issuer: issuer.into().trim_end_matches('/').to_owned(),
            audience: audience.into(),
            algorithms: DEFAULT_ALGORITHMS.to_vec(),
            leeway: Duration::from_secs(30),
            min_refresh: Duration::from_secs(10),
            jwks_uri: None,
            introspection: None,
            http: None,
            clock: None,
            realm: None,
            resource_metadata: None,
            challenge_scope: None,
            public_url: None,
        }
    }

    /// Validates the value of an `Authorization` header (RFC 6750 §2.1): `Bearer <token>`. A
    /// DPoP-bound token is refused here (RFC 9449 §7.2): use [`Validator::validate_request`].
    pub async fn validate_header(&self, authorization: Option<&str>) -> Result<Caller, Error> {
        match crate::dpop::token_of(authorization)? {
            (_, crate::Scheme::Dpop) => Err(Error::InvalidRequest(
                "DPoP tokens need the request's proof: validate the whole request".into(),
            )),
            (_, crate::Scheme::Bearer) => {
                let presentation =
                    crate::Presentation { authorization, dpop: None, method: "", path: "" };
                self.validate_request(presentation).await
            }
        }
    }

    /// Validates an access token: by introspection when configured, else as an RFC 9068 JWT.
    pub async fn validate(&self, token: &str) -> Result<Caller, Error> {
        match &self.introspector {
            Some(introspector) => introspector.validate(self, token).await,
            None => self.validate_jwt(token).await,
        }
    }

    /// RFC 9068 §4: `typ` `at+jwt`; an allowed algorithm; a signature by the issuer's key
    /// named by `kid`; `iss` equal to the issuer; `aud` containing this API; `exp` and `nbf`
    /// within the leeway.
    async fn validate_jwt(&self, token: &str) -> Result<Caller, Error> {
        let invalid = |why: &str| Error::InvalidToken(why.to_owned());
        let header = decode_header(token).map_err(|_| invalid("the token is not a JWT"))?;
        let typ = header.typ.as_deref().unwrap_or_default();
        if !ACCESS_TOKEN_TYPES.iter().any(|t| t.eq_ignore_ascii_case(typ)) {
            return Err(invalid("the token is not a JWT access token (typ at+jwt)"));
        }
        if !self.algorithms.contains(&header.alg) {
            return Err(invalid("the token's algorithm is not accepted"));
        }
        let keys = self.keys.as_ref().ok_or_else(|| Error::Unavailable("no JWKS".into()))?;
        let kid = header.kid.as_deref().ok_or_else(|| invalid("the token names no key"))?;
        let key = keys.key(kid, self.now()).await?;
        if key.alg.is_some_and(|alg| alg != header.alg) {
            return Err(invalid("the token's algorithm is not its key's"));
        }
        let mut validation = Validation::new(header.alg);
        validation.set_issuer(&[self.issuer.as_str()]);
        validation.set_audience(&[self.audience.as_str()]);
        validation.validate_exp = false; // checked below against the configured clock
        validation.required_spec_claims =
            ["exp", "iss", "aud", "sub"].iter().map(|c| (*c).to_owned()).collect();
        let claims = decode::<Map<String, Value>>(token, &key.key, &validation)
            .map_err(|e| Error::InvalidToken(format!("the token does not verify: {e}")))?
            .claims;
        self.check_times(&claims)?;
        Caller::from_claims(claims)
    }

    /// `exp` must be in the future and `nbf`, if present, in the past, each within the leeway.
    pub(crate) fn check_times(&self, claims: &Map<String, Value>) -> Result<(), Error> {
        let now = self.now();
        let exp = claims.get("exp").and_then(Value::as_i64).unwrap_or(0);
        if exp + self.leeway <= now {
            return Err(Error::InvalidToken("the token has expired".into()));
        }
        if claims.get("nbf").and_then(Value::as_i64).is_some_and(|nbf| nbf - self.leeway > now) {
            return Err(Error::InvalidToken("the token is not valid yet".into()));
        }
        Ok(())
    }

    pub(crate) fn now(&self) -> i64 {
        (self.clock)()
    }
}

impl ValidatorBuilder {
    /// Accept only these algorithms (asymmetric ones only; HMAC and `none` are dropped).
    pub fn algorithms(mut self, algorithms: &[Algorithm]) -> Self {
        let symmetric =
            |a: &Algorithm| matches!(a, Algorithm::HS256 | Algorithm::HS384 | Algorithm::HS512);
        self.algorithms = algorithms.iter().copied().filter(|a| !symmetric(a)).collect();
        self
    }

    /// Clock skew tolerated on `exp` and `nbf` (default 30 s).
    pub fn leeway(mut self, leeway: Duration) -> Self {
        self.leeway = leeway;
        self
    }

    /// The shortest time between two JWKS fetches for unknown keys (default 10 s).
    pub fn min_jwks_refresh(mut self, interval: Duration) -> Self {
        self.min_refresh = interval;
        self
    }

    /// Use this JWKS URI instead of the one discovery names.
    pub fn jwks_uri(mut self, uri: impl Into<String>) -> Self {
        self.jwks_uri = Some(uri.into());
        self
    }

    /// Validate by RFC 7662 introspection with this API's introspection credentials (Keygate
    /// answers an API only about tokens for its audience, RFC 7662 §4), caching positive answers for
    /// `cache_for` (at most until the token expires). For opaque tokens, or when a revoked
    /// token must stop working at once.
    pub fn introspection(
        mut self,
        client_id: &str,
        client_secret: &str,
        cache_for: Duration,
    ) -> Self {
        self.introspection = Some((client_id.to_owned(), client_secret.to_owned(), cache_for));
        self
    }

    /// The HTTP client for discovery, JWKS and introspection.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// The clock (seconds since the epoch); the system clock by default.
    pub fn clock(mut self, clock: Clock) -> Self {
        self.clock = Some(clock);
        self
    }

    /// The realm of `WWW-Authenticate` challenges (default: the audience).
    pub fn realm(mut self, realm: impl Into<String>) -> Self {
        self.realm = Some(realm.into());
        self
    }

    /// RFC 9728 §5.1: the URL of this API's protected-resource metadata, added to challenges.
    pub fn resource_metadata(mut self, url: impl Into<String>) -> Self {
        self.resource_metadata = Some(url.into());
        self
    }

    /// The scope a basic request needs, named in `401` challenges (RFC 6750 §3), so that a
    /// client that signs in because of one asks for it (the MCP authorization spec's scope
    /// selection) rather than for every scope the metadata lists.
    pub fn challenge_scope(mut self, scope: impl Into<String>) -> Self {
        self.challenge_scope = Some(scope.into());
        self
    }

    /// Where clients call this API (scheme, host, port and any path prefix), the start of the
    /// URL a DPoP proof names in `htu` (default: the audience).
    pub fn public_url(mut self, url: impl Into<String>) -> Self {
        self.public_url = Some(url.into());
        self
    }

    /// Reads the issuer's metadata (OpenID Connect Discovery, else RFC 8414) unless the JWKS URI
    /// was given, checks that it names the same issuer, and returns the validator.
    pub async fn build(self) -> Result<Validator, Error> {
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .timeout(Duration::from_secs(10))
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .map_err(|e| Error::Unavailable(e.to_string()))?,
        };
        let needs_metadata = self.jwks_uri.is_none() || self.introspection.is_some();
        let metadata =
            if needs_metadata { Some(discover(&http, &self.issuer).await?) } else { None };
        let jwks_uri = self.jwks_uri.or_else(|| metadata.as_ref().and_then(|m| m.jwks_uri.clone()));
        let introspector = match self.introspection {
            Some((id, secret, ttl)) => {
                let endpoint = metadata
                    .as_ref()
                    .and_then(|m| m.introspection_endpoint.clone())
                    .ok_or_else(|| {
                        Error::Unavailable("the issuer advertises no introspection endpoint".into())
                    })?;
                Some(Introspector::new(http.clone(), endpoint, id, secret, ttl))
            }
            None => None,
        };
        let public_url = self.public_url.as_ref().unwrap_or(&self.audience);
        let public_url = public_url.trim_end_matches('/').to_owned();
        Ok(Validator {
            realm: self.realm.unwrap_or_else(|| self.audience.clone()),
            issuer: self.issuer,
            audience: self.audience,
            algorithms: self.algorithms,
            leeway: i64::try_from(self.leeway.as_secs()).unwrap_or(60),
            keys: jwks_uri.map(|uri| KeyCache::new(http, uri, self.min_refresh)),
            introspector,
            clock: self.clock.unwrap_or_else(|| Arc::new(system_now)),
            resource_metadata: self.resource_metadata,
            challenge_scope: self.challenge_scope,
            public_url,
            replay: keygate_dpop::ReplayCache::new(REPLAY_CAPACITY),
        })
    }
}

/// OpenID Connect Discovery §4, then RFC 8414 §3; the document's `issuer` must be ours.
async fn discover(http: &reqwest::Client, issuer: &str) -> Result<Metadata, Error> {
    for path in ["/.well-known/openid-configuration", "/.well-known/oauth-authorization-server"] {
        let Ok(response) = http.get(format!("{issuer}{path}")).send().await else { continue };
        let Ok(metadata) = response.error_for_status().map_err(drop) else { continue };
        let Ok(metadata) = metadata.json::<Metadata>().await else { continue };
        if metadata.issuer.trim_end_matches('/') != issuer {
            return Err(Error::Unavailable(format!(
                "the metadata names another issuer: {}",
                metadata.issuer
            )));
        }
        return Ok(metadata);
    }
    Err(Error::Unavailable(format!("no metadata found for {issuer}")))
}

/// The system clock: this library has no other, and time checks need the real one.
#[allow(clippy::disallowed_methods)]
fn system_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}
