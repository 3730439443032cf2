//! Dynamic client registration (RFC 7591) and its management protocol (RFC 7592), off unless
//! the operator enables it ([`crate::settings::RegistrationSettings`]).
//!
//! Registration builds the client with the same validation as the admin API
//! ([`Admin::build_client`]). A registrant never gets API audiences, scopes beyond
//! [`DYNAMIC_SCOPES`], or the first-party flag. Every change is audited with the actor
//! `registration` and the caller's address.

pub mod document;
mod manage;
mod metadata;
#[cfg(test)]
mod tests;

pub use manage::{delete, read, update};

use keygate_types::{ClientInformation, ClientMetadataRequest, ErrorCode};

use crate::admin::{Actor, Admin, AdminError, NewClient};
use crate::client::Client;
use crate::secret::{Secret, SecretHash, random_id};
use crate::store::{RegistrationStore, StoreError};
use crate::{OAuthError, Provider};

/// The registration endpoint below the issuer (RFC 7591 §3); the client configuration endpoint
/// of a client is this path followed by `/{client_id}` (RFC 7592 §2).
pub const REGISTRATION_PATH: &str = "/register";

/// The scopes any registrant may ask for: the OpenID Connect standard scopes. Other API
/// scopes are granted by an operator, never by registering, except those of open APIs
/// ([`registrable`]).
pub const DYNAMIC_SCOPES: &[&str] =
    &["openid", "profile", "email", "address", "phone", "offline_access"];

/// Bytes of randomness in registration and initial access tokens.
pub const TOKEN_BYTES: usize = 32;

/// The audit actor for changes made through these endpoints.
pub const ACTOR: &str = "registration";

/// Registrations without an initial access token one address may make per hour.
pub const OPEN_REGISTRATIONS_PER_HOUR: i64 = 10;

/// Why a registration or management request failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RegistrationError {
    /// RFC 7591 §3.2.2 `invalid_redirect_uri` (400).
    #[error("invalid_redirect_uri: {0}")]
    InvalidRedirectUri(String),
    /// RFC 7591 §3.2.2 `invalid_client_metadata` (400).
    #[error("invalid_client_metadata: {0}")]
    InvalidClientMetadata(String),
    /// RFC 6750 §3.1: no bearer token at all; answered 401 with a bare challenge.
    #[error("no bearer token")]
    MissingToken,
    /// RFC 6750 §3.1 `invalid_token` (401). RFC 7592 §2.1–§2.3 answer an unknown client the same
    /// way, so a caller never learns whether a client exists.
    #[error("invalid_token")]
    InvalidToken,
    /// Too many open registrations from one address (429, `temporarily_unavailable`).
    #[error("temporarily_unavailable")]
    Throttled,
    /// Anything unexpected: logged, reported as `server_error` without detail.
    #[error("server_error")]
    Server(#[source] anyhow::Error),
}

impl RegistrationError {
    /// The error code.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::InvalidRedirectUri(_) => ErrorCode::InvalidRedirectUri,
            Self::InvalidClientMetadata(_) => ErrorCode::InvalidClientMetadata,
            Self::MissingToken | Self::InvalidToken => ErrorCode::InvalidToken,
            Self::Throttled => ErrorCode::TemporarilyUnavailable,
            Self::Server(_) => ErrorCode::ServerError,
        }
    }

    /// The `error_description` a caller may see.
    pub fn description(&self) -> Option<&str> {
        match self {
            Self::InvalidRedirectUri(d) | Self::InvalidClientMetadata(d) => Some(d),
            Self::MissingToken => Some("a bearer token is required"),
            Self::InvalidToken => Some("the bearer token is not valid"),
            Self::Throttled => Some("too many registrations from this address; try again later"),
            Self::Server(_) => None,
        }
    }
}

impl From<AdminError> for RegistrationError {
    fn from(err: AdminError) -> Self {
        match err {
            AdminError::Invalid(problems) => Self::InvalidClientMetadata(problems.join("; ")),
            // Deleted meanwhile: RFC 7592 §2.2 answers a missing client with 401.
            AdminError::NotFound(_) => Self::InvalidToken,
            AdminError::Conflict(what) => Self::Server(anyhow::anyhow!(what)),
            AdminError::Internal(e) => Self::Server(e),
        }
    }
}

impl From<StoreError> for RegistrationError {
    fn from(err: StoreError) -> Self {
        Self::Server(err.into())
    }
}

/// Who calls: the bearer token of the `Authorization` header (RFC 6750 §2.1) and the address.
pub struct Caller<'a> {
    /// The bearer token, if one was sent.
    pub bearer: Option<&'a str>,
    /// The caller's IP address, for the audit log.
    pub ip: Option<String>,
}

/// Creates an RFC 7591 §3 initial access token: stored by hash, valid for `ttl` seconds from
/// `now` (forever when `None`), usable for any number of registrations until it expires.
/// Returns the token, which is shown once.
pub async fn create_initial_access_token<S: RegistrationStore + ?Sized>(
    store: &S,
    now: i64,
    note: &str,
    ttl: Option<i64>,
) -> Result<Secret, AdminError> {
    if ttl.is_some_and(|t| t <= 0) {
        return Err(AdminError::Invalid(vec!["the token lifetime must be positive".to_owned()]));
    }
    let token = Secret::generate(TOKEN_BYTES);
    let expires_at = ttl.map(|t| now.saturating_add(t));
    let hash = SecretHash::of(token.expose_secret());
    store.insert_initial_token(&hash, note.trim(), now, expires_at).await?;
    Ok(token)
}

/// The client configuration endpoint of `client_id` (RFC 7592 §3 `registration_client_uri`).
pub fn configuration_uri(issuer: &str, client_id: &str) -> String {
    format!("{issuer}{REGISTRATION_PATH}/{client_id}")
}

/// RFC 7591 §3.1: registers a client from the JSON metadata in `body`. Unless registration is
/// open, the caller must present a valid initial access token (RFC 7591 §3). Answers the
/// client information response for a 201 (RFC 7591 §3.2.1).
pub async fn register(
    provider: &Provider,
    caller: Caller<'_>,
    body: &[u8],
) -> Result<ClientInformation, RegistrationError> {
    let verified = match caller.bearer {
        Some(token) => {
            let hash = SecretHash::of(token);
            if !provider.store().initial_token_valid(&hash, provider.now()).await? {
                return Err(RegistrationError::InvalidToken);
            }
            true
        }
        None if provider.settings().registration.open => false,
        None => return Err(RegistrationError::MissingToken),
    };
    if !verified {
        throttle_open_registration(provider, caller.ip.as_deref()).await?;
    }
    let request = parse(body)?;
    let client_id = random_id();
    let apis = provider.apis().await?;
    let (client_type, mut spec) = metadata::requested(&request, &client_id, registrable(&apis))?;
    if !verified {
        check_open_name(spec.name.as_deref())?;
        let mut metadata = spec.metadata.take().unwrap_or_default();
        metadata.unverified = true;
        spec.metadata = Some(metadata);
    }
    let admin = admin(provider, caller.ip);
    let new = NewClient { client_type, client_id: Some(client_id), secret: None, spec };
    let (mut client, secret) = admin.build_client(new)?;
    let token = Secret::generate(TOKEN_BYTES);
    client.registration_token_hash = Some(SecretHash::of(token.expose_secret()));
    if !verified {
        let ttl = provider.settings().registration.unused_client_ttl;
        client.unused_until = ttl.map(|ttl| provider.now() + ttl);
    }
    provider.store().insert_client(&client).await?;
    admin.record("client.register", &target(&client), summary(&client)).await?;
    let issuer = provider.issuer();
    Ok(metadata::information(&client, issuer, token.expose_secret(), secret.as_ref()))
}

/// RFC 9700 §4.11.2: open registration lets anyone register, so each address may register
/// only [`OPEN_REGISTRATIONS_PER_HOUR`] clients an hour (counted atomically, across nodes).
async fn throttle_open_registration(
    provider: &Provider,
    ip: Option<&str>,
) -> Result<(), RegistrationError> {
    let now = provider.now();
    let key = format!("register:ip:{}", ip.unwrap_or("-"));
    let count = provider.store().record_failure(&key, now, now - 3600).await?;
    if count > OPEN_REGISTRATIONS_PER_HOUR {
        return Err(RegistrationError::Throttled);
    }
    Ok(())
}

/// An unverified registrant may not name its client like Keygate itself (its console, its
/// administrators), which a consent page would otherwise show with Keygate's authority.
pub(super) fn check_open_name(name: Option<&str>) -> Result<(), RegistrationError> {
    let name = name.unwrap_or("").to_lowercase();
    let folded: String = name.chars().filter(|c| c.is_alphanumeric()).collect();
    // "Key-Gate" is Keygate; "admin" and "console" count as words ("Badminton" is fine).
    let word = |w: &str| name.split(|c: char| !c.is_alphanumeric()).any(|part| part == w);
    if folded.contains("keygate") || ["admin", "administrator", "console"].iter().any(|w| word(w)) {
        return Err(RegistrationError::InvalidClientMetadata(
            "client_name may not imitate Keygate or its administration".to_owned(),
        ));
    }
    Ok(())
}

/// RFC 7591 §3.1: the body is a JSON object of client metadata.
fn parse(body: &[u8]) -> Result<ClientMetadataRequest, RegistrationError> {
    serde_json::from_slice(body).map_err(|e| {
        RegistrationError::InvalidClientMetadata(format!(
            "the body must be a JSON object of client metadata (RFC 7591 §3.1): {e}"
        ))
    })
}

/// Whether a registrant (dynamic registration or a metadata document) may register a scope:
/// one of [`DYNAMIC_SCOPES`], or a scope of an open API, which any application may ask users
/// for anyway (MCP clients register the scope an MCP server's challenge names).
fn registrable(apis: &[crate::api::Api]) -> impl Fn(&str) -> bool + '_ {
    move |scope| DYNAMIC_SCOPES.contains(&scope) || apis.iter().any(|a| a.open && a.defines(scope))
}

impl From<OAuthError> for RegistrationError {
    fn from(err: OAuthError) -> Self {
        Self::Server(err.into())
    }
}

fn admin<'a>(provider: &'a Provider, ip: Option<String>) -> Admin<'a> {
    Admin::new(provider.store(), provider.clock()).acting_as(Actor { id: ACTOR.to_owned(), ip })
}

fn target(client: &Client) -> String {
    format!("client:{}", client.client_id)
}

/// What the audit log keeps: the public metadata (secrets and token hashes are never
/// serialized).
fn summary(client: &Client) -> serde_json::Value {
    serde_json::to_value(client).unwrap_or_default()
}
