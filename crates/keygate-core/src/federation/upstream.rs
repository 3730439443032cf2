//! Talking to an upstream: its metadata (OIDC Discovery §4, cached for an hour), the token
//! request (RFC 6749 §4.1.3), ID token validation (OIDC Core §3.1.3.7) and the user API.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, OnceLock};

use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode, decode_header};
use serde_json::Value;

use super::{TokenAuth, UpstreamKind, UpstreamProvider};
use crate::Provider;

/// How long fetched upstream metadata is used.
const METADATA_TTL: i64 = 3600;
/// Allowed clock difference with the upstream, in seconds.
const LEEWAY: i64 = 60;

/// Outgoing HTTP to upstreams; the server implements it (timeouts, size limits, no redirects).
#[async_trait::async_trait]
pub trait UpstreamHttp: Send + Sync {
    /// GETs a JSON document, with `Authorization: Bearer` when `bearer` is given. Non-2xx
    /// answers are errors.
    async fn get_json(&self, url: &str, bearer: Option<&str>) -> anyhow::Result<Value>;
    /// POSTs a form (to a token endpoint) with HTTP Basic credentials when given; returns the
    /// status and the JSON body, whatever the status.
    async fn post_form(
        &self,
        url: &str,
        form: &[(&str, &str)],
        basic: Option<(&str, &str)>,
    ) -> anyhow::Result<(u16, Value)>;
}

/// What Keygate needs to know of an upstream, discovered or configured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpstreamMetadata {
    /// The issuer (OIDC only; may contain Microsoft's `{tenantid}` template).
    pub issuer: Option<String>,
    /// Authorization endpoint.
    pub authorization_endpoint: String,
    /// Token endpoint.
    pub token_endpoint: String,
    /// Userinfo or user API endpoint.
    pub userinfo_endpoint: Option<String>,
    /// GitHub-style emails endpoint.
    pub emails_endpoint: Option<String>,
    /// The JWK Set (OIDC).
    pub jwks_uri: Option<String>,
    /// RP-Initiated Logout endpoint.
    pub end_session_endpoint: Option<String>,
    /// RFC 9207 §3: the upstream sends `iss` with its authorization responses.
    pub iss_parameter: bool,
}

/// Shared state of federation: outgoing HTTP and the metadata cache.
#[derive(Default)]
pub struct Upstreams {
    http: OnceLock<Arc<dyn UpstreamHttp>>,
    metadata: Mutex<HashMap<String, (UpstreamMetadata, i64)>>,
}

impl Upstreams {
    /// Installs the HTTP client (once, at start-up).
    pub fn set_http(&self, http: Arc<dyn UpstreamHttp>) {
        let _ = self.http.set(http);
    }

    pub(super) fn http(&self) -> anyhow::Result<&Arc<dyn UpstreamHttp>> {
        self.http.get().ok_or_else(|| anyhow::anyhow!("no HTTP client for upstreams"))
    }
}

fn text(doc: &Value, field: &str) -> Option<String> {
    doc.get(field).and_then(Value::as_str).map(str::to_owned)
}

/// What keeps `upstream` from working, found by asking it: an OpenID Connect issuer must serve
/// a discovery document that names it (OIDC Discovery §4.1, §4.3). Plain OAuth 2.0 upstreams
/// have nothing to fetch. Operators get this before a broken button reaches the login page.
pub async fn discovery_problems(
    http: &dyn UpstreamHttp,
    upstream: &UpstreamProvider,
) -> Vec<String> {
    let UpstreamKind::Oidc { issuer } = &upstream.kind else { return Vec::new() };
    let issuer = issuer.trim_end_matches('/');
    let url = format!("{issuer}/.well-known/openid-configuration");
    match http.get_json(&url, None).await.and_then(|doc| parse_discovery(issuer, &doc)) {
        Ok(_) => Vec::new(),
        Err(e) => vec![format!(
            "issuer: {issuer} did not answer as an OpenID provider ({e:#}). Check the URL, and that Keygate may reach it ([outbound] allow for internal hosts)."
        )],
    }
}

impl Provider {
    /// The client for requests to upstreams, once the server installed it.
    pub fn upstream_http(&self) -> Option<&dyn UpstreamHttp> {
        self.federation().http().ok().map(|h| h.as_ref())
    }

    /// The endpoints of `upstream`: configured for plain OAuth 2.0, discovered for OIDC.
    pub async fn upstream_metadata(
        &self,
        upstream: &UpstreamProvider,
    ) -> anyhow::Result<UpstreamMetadata> {
        let issuer = match &upstream.kind {
            UpstreamKind::Oauth2 {
                authorization_endpoint,
                token_endpoint,
                userinfo_endpoint,
                emails_endpoint,
            } => {
                return Ok(UpstreamMetadata {
                    issuer: None,
                    authorization_endpoint: authorization_endpoint.clone(),
                    token_endpoint: token_endpoint.clone(),
                    userinfo_endpoint: Some(userinfo_endpoint.clone()),
                    emails_endpoint: emails_endpoint.clone(),
                    jwks_uri: None,
                    end_session_endpoint: None,
                    iss_parameter: false,
                });
            }
            UpstreamKind::Oidc { issuer } => issuer.trim_end_matches('/'),
        };
        let now = self.now();
        let upstreams = self.federation();
        if let Ok(cache) = upstreams.metadata.lock()
            && let Some((meta, at)) = cache.get(issuer)
            && now - at < METADATA_TTL
        {
            return Ok(meta.clone());
        }
        let url = format!("{issuer}/.well-known/openid-configuration");
        let doc = upstreams.http()?.get_json(&url, None).await?;
        let meta = parse_discovery(issuer, &doc)?;
        if let Ok(mut cache) = upstreams.metadata.lock() {
            cache.insert(issuer.to_owned(), (meta.clone(), now));
        }
        Ok(meta)
    }

    /// RFC 6749 §4.1.3: exchanges the code; returns the token response.
    pub(super) async fn upstream_token(
        &self,
        upstream: &UpstreamProvider,
        meta: &UpstreamMetadata,
        code: &str,
        redirect_uri: &str,
        verifier: Option<&str>,
    ) -> anyhow::Result<Value> {
        let secret = upstream.client_secret.as_ref().map(|s| s.expose_secret()).unwrap_or("");
        let mut form = vec![
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", redirect_uri),
        ];
        form.extend(verifier.map(|v| ("code_verifier", v)));
        let basic = match upstream.token_auth {
            TokenAuth::ClientSecretBasic => Some((upstream.client_id.as_str(), secret)),
            TokenAuth::ClientSecretPost => {
                form.push(("client_id", &upstream.client_id));
                form.push(("client_secret", secret));
                None
            }
        };
        let http = self.federation().http()?;
        let (status, body) = http.post_form(&meta.token_endpoint, &form, basic).await?;
        // GitHub answers errors with 200 and an `error` member.
        if let Some(error) = body.get("error").and_then(Value::as_str) {
            anyhow::bail!("the token endpoint answered {status} {error}");
        }
        anyhow::ensure!((200..300).contains(&status), "the token endpoint answered {status}");
        let bearer = body
            .get("token_type")
            .and_then(Value::as_str)
            .is_some_and(|t| t.eq_ignore_ascii_case("bearer"));
        anyhow::ensure!(bearer, "the token response has no Bearer token_type");
        Ok(body)
    }

    /// OIDC Core §3.1.3.7: the ID token's signature (an asymmetric algorithm, a key of the
    /// upstream's JWK Set), `iss`, `aud` (and `azp` when there are several audiences), `exp`,
    /// `iat` and `nonce`. Returns its claims.
    pub(super) async fn validate_upstream_id_token(
        &self,
        upstream: &UpstreamProvider,
        meta: &UpstreamMetadata,
        id_token: &str,
        nonce: &str,
    ) -> anyhow::Result<Value> {
        let header = decode_header(id_token)?;
        let allowed = [
            Algorithm::RS256,
            Algorithm::RS384,
            Algorithm::RS512,
            Algorithm::PS256,
            Algorithm::PS384,
            Algorithm::PS512,
            Algorithm::ES256,
            Algorithm::ES384,
            Algorithm::EdDSA,
        ];
        anyhow::ensure!(allowed.contains(&header.alg), "ID token algorithm {:?}", header.alg);
        let jwks_uri = meta.jwks_uri.as_deref().ok_or_else(|| anyhow::anyhow!("no jwks_uri"))?;
        let now = self.now();
        let keys = self
            .remote_jwks()
            .keys_for(jwks_uri, header.kid.as_deref(), now)
            .await
            .ok_or_else(|| anyhow::anyhow!("the upstream JWK Set is unavailable"))?;
        let jwk = match header.kid.as_deref() {
            Some(kid) => keys.find(kid),
            None if keys.keys.len() == 1 => keys.keys.first(),
            None => None,
        }
        .ok_or_else(|| anyhow::anyhow!("no upstream key for the ID token"))?;
        let mut validation = Validation::new(header.alg);
        validation.validate_exp = false; // the provider's clock decides, below
        validation.set_audience(&[upstream.client_id.as_str()]);
        validation.required_spec_claims =
            HashSet::from(["iss", "sub", "aud", "exp", "iat"].map(str::to_owned));
        let claims = decode::<Value>(id_token, &DecodingKey::from_jwk(jwk)?, &validation)?.claims;
        check_id_token_claims(&claims, upstream, meta, nonce, now)?;
        Ok(claims)
    }

    /// The user API (or userinfo) answer for an access token.
    pub(super) async fn upstream_user(
        &self,
        url: &str,
        access_token: &str,
    ) -> anyhow::Result<Value> {
        self.federation().http()?.get_json(url, Some(access_token)).await
    }
}

/// The checks `jsonwebtoken` does not do: `iss` (with Microsoft's `{tenantid}` template filled
/// from `tid`), `azp`, `exp`/`iat` against the provider's clock, `nonce`.
fn check_id_token_claims(
    claims: &Value,
    upstream: &UpstreamProvider,
    meta: &UpstreamMetadata,
    nonce: &str,
    now: i64,
) -> anyhow::Result<()> {
    let iss = text(claims, "iss").unwrap_or_default();
    let expected = meta.issuer.clone().unwrap_or_default();
    let expected = match text(claims, "tid") {
        Some(tid) if expected.contains("{tenantid}") => expected.replace("{tenantid}", &tid),
        _ => expected,
    };
    // Google documents `accounts.google.com` without the scheme as an alternative `iss`.
    let google = expected == "https://accounts.google.com" && iss == "accounts.google.com";
    anyhow::ensure!(iss == expected || google, "ID token iss '{iss}' is not '{expected}'");
    let several = claims.get("aud").and_then(Value::as_array).is_some_and(|a| a.len() > 1);
    if several || claims.get("azp").is_some() {
        anyhow::ensure!(
            text(claims, "azp").as_deref() == Some(upstream.client_id.as_str()),
            "ID token azp is not Keygate's client id"
        );
    }
    let exp = claims.get("exp").and_then(Value::as_i64).unwrap_or(0);
    anyhow::ensure!(exp + LEEWAY > now, "the ID token expired");
    let iat = claims.get("iat").and_then(Value::as_i64).unwrap_or(i64::MAX);
    anyhow::ensure!(iat <= now + LEEWAY, "the ID token was issued in the future");
    anyhow::ensure!(text(claims, "nonce").as_deref() == Some(nonce), "ID token nonce mismatch");
    Ok(())
}

/// OIDC Discovery §4.3: the document's `issuer` must be the issuer it was fetched for
/// (Microsoft's multi-tenant documents carry a `{tenantid}` template instead).
fn parse_discovery(issuer: &str, doc: &Value) -> anyhow::Result<UpstreamMetadata> {
    let found = text(doc, "issuer").unwrap_or_default();
    let matches = found.trim_end_matches('/') == issuer
        || (found.contains("{tenantid}")
            && issuer.starts_with("https://login.microsoftonline.com/"));
    anyhow::ensure!(matches, "the discovery document's issuer '{found}' is not '{issuer}'");
    let required = |field: &str| {
        text(doc, field).ok_or_else(|| anyhow::anyhow!("the discovery document has no {field}"))
    };
    Ok(UpstreamMetadata {
        issuer: Some(found),
        authorization_endpoint: required("authorization_endpoint")?,
        token_endpoint: required("token_endpoint")?,
        userinfo_endpoint: text(doc, "userinfo_endpoint"),
        emails_endpoint: None,
        jwks_uri: Some(required("jwks_uri")?),
        end_session_endpoint: text(doc, "end_session_endpoint"),
        iss_parameter: doc
            .get("authorization_response_iss_parameter_supported")
            .and_then(Value::as_bool)
            .unwrap_or(false),
    })
}
