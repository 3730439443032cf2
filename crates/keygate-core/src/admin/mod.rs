//! Administrative operations on clients, APIs, users and keys. The CLI, the admin API and the
//! console call these same functions, so every interface validates alike, and every change is
//! recorded in the audit log with who made it and from where.
//!
//! - `clients`: register, change, rotate secrets, delete.
//! - `apis`: APIs (resource servers), their scopes and client grants.
//! - `users`: accounts, passwords, roles and claims, sessions and consents.
//! - `keys`: signing keys.
//! - `upstreams`: upstream identity providers and users' linked identities.
//! - `documents`: Client ID Metadata Document clients seen, and blocks on them.
//! - `lockout`: the rules that keep operators from locking themselves out.
//! - `signins`: the sign-in log with filters.
//! - `mail`: the outbox, resending, test messages and reset links sent for users.

mod access;
mod api_credentials;
mod apis;
mod clients;
mod documents;
mod keys;
mod lockout;
mod mail;
mod mfa;
mod signins;
mod upstreams;
mod users;

pub use access::{access_problems, offered_scopes};
pub use documents::{BlockMade, DocumentClientView, REASON_MAX, block_target};
pub use lockout::{ACCOUNT_CLIENT_ID, CONSOLE_CLIENT_ID, SYSTEM_ACTOR, is_system_client};
pub use mail::{MailFilter, plausible_address};
pub use signins::SignInFilter;
pub use users::{NewUser, UserSpec};

use serde_json::Value;

use crate::client::{ClientSpec, ClientType};
use crate::clock::Clock;
use crate::secret::Secret;
use crate::store::{AuditEvent, AuditQuery, Store, StoreError};

/// Bits of randomness in generated client secrets (32 bytes).
pub const CLIENT_SECRET_BYTES: usize = 32;

/// Why an administrative operation failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AdminError {
    /// The input is invalid; every problem is listed.
    #[error("{}", .0.join("; "))]
    Invalid(Vec<String>),
    /// No such object.
    #[error("{0} not found")]
    NotFound(String),
    /// A unique value is taken.
    #[error("{0}")]
    Conflict(String),
    /// Storage or crypto failure.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<StoreError> for AdminError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::Conflict(what) => Self::Conflict(format!("{what} already exists")),
            StoreError::Backend(e) => Self::Internal(e),
        }
    }
}

impl From<crate::OAuthError> for AdminError {
    fn from(err: crate::OAuthError) -> Self {
        match err {
            crate::OAuthError::Server(e) => Self::Internal(e),
            other => Self::Invalid(vec![other.to_string()]),
        }
    }
}

/// A request to register a client.
#[derive(Debug)]
pub struct NewClient {
    /// The application type.
    pub client_type: ClientType,
    /// An explicit client id (for migrations and tests); generated when `None`.
    pub client_id: Option<String>,
    /// An explicit secret; generated for confidential clients when `None`.
    pub secret: Option<Secret>,
    /// The metadata; unset fields take the type's defaults.
    pub spec: ClientSpec,
}

/// The scope that reads through the admin API.
pub const ADMIN_READ: &str = "admin:read";
/// The scope that changes through the admin API.
pub const ADMIN_WRITE: &str = "admin:write";

/// The audience (RFC 8707 resource) of access tokens for the admin API.
pub fn admin_audience(issuer: &str) -> String {
    format!("{issuer}/admin/api")
}

/// The scopes a user may be granted: `admin:*` scopes only for users with the admin role. The
/// rest are dropped silently, which RFC 6749 §3.3 allows (the token response names the scope
/// actually granted).
pub fn entitled_scope(requested: &[String], user: &crate::User) -> Vec<String> {
    let admin = user.has_role(crate::user::ADMIN_ROLE);
    requested.iter().filter(|s| admin || !s.starts_with("admin:")).cloned().collect()
}

/// Who makes a change, and from where; recorded in the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// `user:<id>`, `client:<id>`, `cli`, `registration`.
    pub id: String,
    /// The caller's IP address, when known.
    pub ip: Option<String>,
}

impl Actor {
    /// The command line on this machine.
    pub fn cli() -> Self {
        Self { id: "cli".to_owned(), ip: None }
    }
}

/// Administrative operations over a store.
pub struct Admin<'a> {
    store: &'a dyn Store,
    clock: &'a dyn Clock,
    actor: Actor,
    /// Asks upstream providers before they are saved ([`Admin::checking_upstreams`]).
    upstream_http: Option<&'a dyn crate::federation::UpstreamHttp>,
    /// The issuer, whose admin API is a resource every client may name ([`Admin::for_issuer`]).
    issuer: Option<&'a str>,
}

impl<'a> Admin<'a> {
    /// Operations on `store` at the time `clock` tells, made by the CLI.
    pub fn new(store: &'a dyn Store, clock: &'a dyn Clock) -> Self {
        Self { store, clock, actor: Actor::cli(), upstream_http: None, issuer: None }
    }

    /// The same operations for the Keygate at `issuer`: its own admin API
    /// ([`admin_audience`]) is the one resource that is not a registered API.
    pub fn for_issuer(mut self, issuer: &'a str) -> Self {
        self.issuer = Some(issuer);
        self
    }

    /// The same operations, asking an OpenID Connect upstream for its discovery document
    /// before it is saved, and refusing one that does not answer.
    pub fn checking_upstreams(
        mut self,
        http: Option<&'a dyn crate::federation::UpstreamHttp>,
    ) -> Self {
        self.upstream_http = http;
        self
    }

    /// The same operations made by `actor`.
    pub fn acting_as(mut self, actor: Actor) -> Self {
        self.actor = actor;
        self
    }

    /// Appends an event to the audit log. Details never hold secrets.
    pub async fn record(
        &self,
        action: &str,
        target: &str,
        details: Value,
    ) -> Result<(), AdminError> {
        let event = AuditEvent {
            seq: 0,
            at: self.clock.now(),
            actor: self.actor.id.clone(),
            action: action.to_owned(),
            target: target.to_owned(),
            ip: self.actor.ip.clone(),
            details,
        };
        self.store.append_audit(&event).await?;
        tracing::info!(actor = %event.actor, action, target, "audit");
        Ok(())
    }

    /// Audit events, newest first.
    pub async fn audit(&self, query: &AuditQuery) -> Result<Vec<AuditEvent>, AdminError> {
        Ok(self.store.list_audit(query).await?)
    }

    fn now(&self) -> i64 {
        self.clock.now()
    }
}

/// Each id once, for the by-id lookups.
fn distinct<'i>(ids: impl IntoIterator<Item = &'i str>) -> Vec<&'i str> {
    let ids: std::collections::BTreeSet<&str> = ids.into_iter().collect();
    ids.into_iter().collect()
}

pub(crate) fn check(problems: Vec<String>) -> Result<(), AdminError> {
    if problems.is_empty() { Ok(()) } else { Err(AdminError::Invalid(problems)) }
}
