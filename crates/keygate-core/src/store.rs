//! Storage traits, one per aggregate. `keygate-store` implements them on SQLite and PostgreSQL;
//! domain code never knows which. Every write that changes what nodes cache (clients, keys)
//! bumps the store's revision, which each node polls to drop its caches.

use async_trait::async_trait;

use crate::api::Api;
use crate::client::Client;
use crate::keys::StoredKey;
use crate::secret::SecretHash;
use crate::user::User;

/// A storage failure.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// A unique value (client id, username, email, active key) is already taken.
    #[error("{0} already exists")]
    Conflict(&'static str),
    /// The database failed.
    #[error(transparent)]
    Backend(#[from] anyhow::Error),
}

/// Result of a storage call.
pub type StoreResult<T> = Result<T, StoreError>;

/// Registered applications.
#[async_trait]
pub trait ClientStore: Send + Sync {
    /// Inserts a new client; `Conflict` if the id is taken.
    async fn insert_client(&self, client: &Client) -> StoreResult<()>;
    /// Replaces a client's row; `false` if there is none.
    async fn update_client(&self, client: &Client) -> StoreResult<bool>;
    /// One client by id.
    async fn find_client(&self, client_id: &str) -> StoreResult<Option<Client>>;
    /// Every client, ordered by id.
    async fn list_clients(&self) -> StoreResult<Vec<Client>>;
    /// The names of the clients with these ids (those that exist), in one query: what pages
    /// that name many applications (the audit log, a user's consents) show.
    async fn client_names(&self, ids: &[&str]) -> StoreResult<Vec<(String, String)>>;
    /// Deletes a client and the consents users gave it, and revokes its grants (and so every
    /// refresh and access token issued under them) at `now`, in one transaction; `false` if
    /// there was no such client.
    async fn delete_client(&self, client_id: &str, now: i64) -> StoreResult<bool>;
    /// Clears the client's `unused_until`: it got a token and is no longer deleted as unused.
    async fn mark_client_used(&self, client_id: &str) -> StoreResult<()>;
}

/// User accounts.
#[async_trait]
pub trait UserStore: Send + Sync {
    /// Inserts a user; `Conflict` if the username or email is taken (case-insensitively).
    async fn insert_user(&self, user: &User) -> StoreResult<()>;
    /// Replaces a user's row; `false` if there is none.
    async fn update_user(&self, user: &User) -> StoreResult<bool>;
    /// Replaces a user's password hash with the same password hashed anew, only if it is still
    /// `old` (a password change in between wins); `false` if it was not.
    async fn rehash_password(&self, id: &str, old: &str, new: &str) -> StoreResult<bool>;
    /// One user by id, or by username or email (case-insensitive), in that order. Usernames
    /// have neither an `@` nor an id's shape, so at most one user can match.
    async fn find_user(&self, id_or_login: &str) -> StoreResult<Option<User>>;
    /// The usernames of the users with these ids (those that exist), in one query: what pages
    /// that name many users (the audit and sign-in logs) show.
    async fn usernames(&self, ids: &[&str]) -> StoreResult<Vec<(String, String)>>;
    /// Every user, ordered by username.
    async fn list_users(&self) -> StoreResult<Vec<User>>;
    /// A page of users ordered by username (case-insensitive), filtered by `query`.
    async fn search_users(&self, query: &UserQuery) -> StoreResult<Vec<User>>;
    /// Deletes a user; `false` if there was none.
    async fn delete_user(&self, id: &str) -> StoreResult<bool>;
}

/// A filter and page over users.
#[derive(Debug, Clone, Default)]
pub struct UserQuery {
    /// Case-insensitive text found in the username or email, or an exact user id.
    pub text: Option<String>,
    /// Only users after this username key (lower-cased username): the page cursor.
    pub after: Option<String>,
    /// At most this many users.
    pub limit: i64,
}

/// Registered APIs (resource servers).
#[async_trait]
pub trait ApiStore: Send + Sync {
    /// Inserts an API; `Conflict` if the identifier is taken.
    async fn insert_api(&self, api: &Api) -> StoreResult<()>;
    /// Replaces an API's row; `false` if there is none; `Conflict` on a taken identifier.
    async fn update_api(&self, api: &Api) -> StoreResult<bool>;
    /// Every API, ordered by identifier.
    async fn list_apis(&self) -> StoreResult<Vec<Api>>;
    /// Deletes an API; `false` if there was none.
    async fn delete_api(&self, id: &str) -> StoreResult<bool>;
}

/// One recorded administrative change.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AuditEvent {
    /// Sequence number, increasing; assigned by the store.
    pub seq: i64,
    /// When.
    pub at: i64,
    /// Who: `user:<id>`, `client:<id>`, `cli`, `registration`.
    pub actor: String,
    /// What, e.g. `client.create`.
    pub action: String,
    /// The object changed, e.g. `client:abc`.
    pub target: String,
    /// From where: the caller's IP address, when known.
    pub ip: Option<String>,
    /// Details as JSON (never secrets).
    pub details: serde_json::Value,
}

/// A filter and page over the audit log, newest first.
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    /// Only this actor.
    pub actor: Option<String>,
    /// Only actions starting with this prefix (`client.` or `client.create`).
    pub action: Option<String>,
    /// Only this target.
    pub target: Option<String>,
    /// Only events with a smaller sequence number: the page cursor.
    pub before: Option<i64>,
    /// At most this many events.
    pub limit: i64,
}

/// The audit log: append-only.
#[async_trait]
pub trait AuditStore: Send + Sync {
    /// Appends an event (its `seq` is ignored).
    async fn append_audit(&self, event: &AuditEvent) -> StoreResult<()>;
    /// Events matching `query`, newest first.
    async fn list_audit(&self, query: &AuditQuery) -> StoreResult<Vec<AuditEvent>>;
}

/// One entry of the sign-in log ([`crate::signin_log`]).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SignInEvent {
    /// Sequence number, increasing; assigned by the store.
    pub seq: i64,
    /// When.
    pub at: i64,
    /// What happened.
    pub outcome: crate::signin_log::SignInOutcome,
    /// The account, when one was identified.
    pub user_id: Option<String>,
    /// The application, when known.
    pub client_id: Option<String>,
    /// The client address.
    pub ip: Option<String>,
    /// The browser's user agent, shortened.
    pub user_agent: Option<String>,
    /// More about a failure (the upstream provider and its error), never a secret.
    pub detail: Option<String>,
}

/// A filter and page over the sign-in log, newest first.
#[derive(Debug, Clone, Default)]
pub struct SignInQuery {
    /// Only this user's events.
    pub user_id: Option<String>,
    /// Only this application's events.
    pub client_id: Option<String>,
    /// Only these outcomes (all when empty).
    pub outcomes: Vec<crate::signin_log::SignInOutcome>,
    /// Only events at or after this time.
    pub since: Option<i64>,
    /// Only events before this time.
    pub until: Option<i64>,
    /// Only events with a smaller sequence number: the page cursor.
    pub before: Option<i64>,
    /// At most this many events.
    pub limit: i64,
}

/// The sign-in log: appended by sign-ins, read by operators, purged by age.
#[async_trait]
pub trait SignInLogStore: Send + Sync {
    /// Appends an event (its `seq` is ignored).
    async fn append_signin(&self, event: &SignInEvent) -> StoreResult<()>;
    /// Events matching `query`, newest first.
    async fn list_signins(&self, query: &SignInQuery) -> StoreResult<Vec<SignInEvent>>;
}

/// RFC 7591 §3 initial access tokens, stored by hash.
#[async_trait]
pub trait RegistrationStore: Send + Sync {
    /// Stores an initial access token.
    async fn insert_initial_token(
        &self,
        hash: &SecretHash,
        note: &str,
        created_at: i64,
        expires_at: Option<i64>,
    ) -> StoreResult<()>;
    /// Whether an initial access token exists and has not expired at `now`.
    async fn initial_token_valid(&self, hash: &SecretHash, now: i64) -> StoreResult<bool>;
}

/// Whether a new key replaces the active key of its algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyInsert {
    /// First key for the algorithm: `Conflict` if another node made one meanwhile.
    First,
    /// Rotation: the active key of the algorithm retires at `now`, atomically.
    Rotate {
        /// Retirement time of the old key.
        now: i64,
    },
}

/// A client that describes itself with a Client ID Metadata Document, which users signed in to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeenDocumentClient {
    /// The document's URL.
    pub client_id: String,
    /// The URL's host (lower case).
    pub host: String,
    /// The document's `client_name`.
    pub name: Option<String>,
    /// When it first got a grant (a user signed in to it).
    pub first_grant_at: i64,
    /// When it was last.
    pub last_grant_at: i64,
    /// How many of its grants are not revoked.
    pub live_grants: i64,
}

/// An operator's block on Client ID Metadata Document clients.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DocumentBlock {
    /// A document URL (that client), or a host (every document on it, whatever the port).
    pub target: String,
    /// Why, in the operator's words.
    pub reason: String,
    /// When it was made.
    pub created_at: i64,
    /// Who made it (an audit actor id).
    pub created_by: String,
}

/// Clients known by their Client ID Metadata Document, and the operator's blocks on them.
#[async_trait]
pub trait DocumentClientStore: Send + Sync {
    /// Records that the document client `client_id` got a grant at `now`.
    async fn note_document_client(
        &self,
        client_id: &str,
        host: &str,
        name: Option<&str>,
        now: i64,
    ) -> StoreResult<()>;
    /// Every document client seen, by client id.
    async fn list_document_clients(&self) -> StoreResult<Vec<SeenDocumentClient>>;
    /// Every block, by target.
    async fn list_document_blocks(&self) -> StoreResult<Vec<DocumentBlock>>;
    /// Adds a block and, in the same transaction, revokes the grants of the seen document
    /// clients it covers and deletes the consents users gave them: how many grants it revoked.
    /// `Conflict` if the target is blocked already.
    async fn insert_document_block(&self, block: &DocumentBlock, now: i64) -> StoreResult<u64>;
    /// Removes a block; `false` if there was none. Grants of the clients it covered that are
    /// still live (made while the block spread to every node) are revoked at `now`, and their
    /// consents deleted, in the same transaction.
    async fn delete_document_block(&self, target: &str, now: i64) -> StoreResult<bool>;
    /// How many grants not revoked a block on `target` would revoke (listed clients or not).
    async fn live_grants_covered(&self, target: &str) -> StoreResult<i64>;
}

/// Signing keys.
#[async_trait]
pub trait KeyStore: Send + Sync {
    /// Every stored key, newest first.
    async fn list_keys(&self) -> StoreResult<Vec<StoredKey>>;
    /// Adds a key as the active key of its algorithm.
    async fn insert_key(&self, key: &StoredKey, mode: KeyInsert) -> StoreResult<()>;
}

/// Revoked self-contained (JWT) access tokens, kept until they would have expired.
#[async_trait]
pub trait RevocationStore: Send + Sync {
    /// Records a revoked (or used) token id in one atomic insert; `true` if this call recorded
    /// it, `false` if it was recorded before, so that of concurrent calls exactly one is first.
    async fn revoke_jti(&self, jti: &str, client_id: &str, expires_at: i64) -> StoreResult<bool>;
    /// Whether a token id was revoked.
    async fn is_jti_revoked(&self, jti: &str) -> StoreResult<bool>;
    /// Starts a feed of the revocations committed from now on by any process sharing this
    /// database (other nodes, the CLI): revoked token ids, and grants revoked or deleted.
    async fn revocation_feed(&self) -> StoreResult<Box<dyn RevocationFeed>>;
}

/// One revocation seen on a [`RevocationFeed`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Revoked {
    /// A token id (`jti`) was revoked.
    Token(String),
    /// A grant was revoked or deleted, and with it every token issued under it.
    Grant(String),
}

/// Revocations as they are committed, in any process.
#[async_trait]
pub trait RevocationFeed: Send {
    /// Waits for the next revocation. An error means the feed broke and revocations made
    /// meanwhile may never arrive: the caller starts a new feed and forgets what it confirmed.
    async fn next(&mut self) -> StoreResult<Revoked>;
}

/// The whole storage of a Keygate deployment.
#[async_trait]
pub trait Store:
    ClientStore
    + UserStore
    + KeyStore
    + RevocationStore
    + SessionStore
    + AuthRequestStore
    + GrantStore
    + ConsentStore
    + ThrottleStore
    + DeviceStore
    + MaintenanceStore
    + ApiStore
    + AuditStore
    + SignInLogStore
    + RegistrationStore
    + FederationStore
    + MailStore
    + AccountTokenStore
    + MfaStore
    + PasskeyStore
    + DocumentClientStore
    + Send
    + Sync
    + 'static
{
    /// A counter bumped by every change to cached data (clients, keys).
    async fn revision(&self) -> StoreResult<i64>;
    /// Which backend this is, for start-up lines (`sqlite`, `postgres`).
    fn backend(&self) -> &'static str;
    /// How the connection pool is used now, for metrics; `None` where there is no pool.
    fn pool_use(&self) -> Option<PoolUse> {
        None
    }
}

/// A snapshot of a connection pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolUse {
    /// Open connections, idle or in use.
    pub size: u32,
    /// Open connections waiting for work.
    pub idle: u32,
    /// The most connections the pool opens.
    pub max: u32,
}

/// A single sign-on session at Keygate (OIDC Core §3.1.2.3: the End-User's authentication).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// Public session id, the `sid` claim (OIDC Front/Back-Channel Logout).
    pub sid: String,
    /// The signed-in user.
    pub user_id: String,
    /// When the user last authenticated (`auth_time`).
    pub auth_time: i64,
    /// Authentication methods used (`amr`, RFC 8176).
    pub amr: Vec<String>,
    /// Creation time.
    pub created_at: i64,
    /// Absolute expiry.
    pub expires_at: i64,
    /// The upstream identity provider the user signed in through, if any.
    pub idp: Option<String>,
}

/// An authorization request waiting for the user to sign in or consent, bound to the browser
/// that started it (the hash of its binding cookie).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingRequest {
    /// Random id carried in the login and consent URLs.
    pub id: String,
    /// Hash of the browser-binding cookie.
    pub browser_hash: SecretHash,
    /// The validated request, as JSON.
    pub request: String,
    /// Expiry.
    pub expires_at: i64,
}

/// A pushed authorization request (RFC 9126 §2.2), waiting for `/authorize` to take it once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushedRequest {
    /// The client that pushed it; only this client's `/authorize` request may take it.
    pub client_id: String,
    /// The validated request, as JSON.
    pub request: String,
    /// Expiry.
    pub expires_at: i64,
}

/// What a user authorized a client to do; codes, refresh tokens and access tokens hang off it,
/// and revoking it revokes them all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    /// Random id.
    pub id: String,
    /// The client.
    pub client_id: String,
    /// The user.
    pub user_id: String,
    /// Granted scopes.
    pub scope: Vec<String>,
    /// Audiences of its access tokens (RFC 8707).
    pub resources: Vec<String>,
    /// The `claims` request parameter (OIDC Core §5.5), JSON.
    pub claims: Option<String>,
    /// The SSO session it came from.
    pub sid: Option<String>,
    /// Authentication time.
    pub auth_time: i64,
    /// Authentication methods.
    pub amr: Vec<String>,
    /// Creation time.
    pub created_at: i64,
    /// Revocation time.
    pub revoked_at: Option<i64>,
    /// RFC 9396 authorization details the user granted (empty when none).
    pub authorization_details: Vec<keygate_types::AuthorizationDetail>,
    /// The upstream identity provider, when its id goes into ID tokens as `idp`.
    pub idp: Option<String>,
}

/// An authorization code (RFC 6749 §4.1.2), stored by hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorizationCode {
    /// The grant.
    pub grant_id: String,
    /// The client it was issued to.
    pub client_id: String,
    /// The redirect URI of the request (RFC 6749 §4.1.3).
    pub redirect_uri: String,
    /// PKCE S256 challenge (RFC 7636 §4.2).
    pub code_challenge: Option<String>,
    /// The request's `nonce` (OIDC Core §3.1.2.1).
    pub nonce: Option<String>,
    /// Expiry.
    pub expires_at: i64,
    /// RFC 9449 §10: the DPoP key the code is bound to (`dpop_jkt` of the request).
    pub dpop_jkt: Option<String>,
}

/// A refresh token (RFC 6749 §6), stored by hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefreshToken {
    /// The grant.
    pub grant_id: String,
    /// The client.
    pub client_id: String,
    /// Scopes it may be exchanged for.
    pub scope: Vec<String>,
    /// Creation time.
    pub created_at: i64,
    /// Expiry.
    pub expires_at: i64,
    /// When it was exchanged (rotation) or retired, if it was.
    pub used_at: Option<i64>,
    /// The token that replaced it on rotation: the next link of the grant's one chain.
    pub successor: Option<SecretHash>,
    /// When a reuse of its predecessor inside the grace window retired it, if one did.
    pub superseded_at: Option<i64>,
    /// RFC 9449 §5: the DPoP key a public client's refresh token is bound to.
    pub dpop_jkt: Option<String>,
}

/// The outcome of consuming a single-use value atomically.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Consumed<T> {
    /// This call consumed it.
    Fresh(T),
    /// It exists but was consumed before (a replay).
    AlreadyUsed(T),
    /// There is no such value.
    Missing,
}

/// SSO sessions, keyed by the hash of the cookie value.
#[async_trait]
pub trait SessionStore: Send + Sync {
    /// Stores a new session.
    async fn insert_session(&self, id_hash: &SecretHash, session: &Session) -> StoreResult<()>;
    /// The session for a cookie value's hash.
    async fn find_session(&self, id_hash: &SecretHash) -> StoreResult<Option<Session>>;
    /// Ends a session by `sid`; `false` if there was none.
    async fn delete_session(&self, sid: &str) -> StoreResult<bool>;
    /// A user's sessions, newest first.
    async fn sessions_for_user(&self, user_id: &str) -> StoreResult<Vec<Session>>;
    /// Records a new authentication in session `sid` (a step-up): its time and methods.
    async fn reauthenticate_session(
        &self,
        sid: &str,
        auth_time: i64,
        amr: &[String],
    ) -> StoreResult<bool>;
}

/// Pending authorization requests.
#[async_trait]
pub trait AuthRequestStore: Send + Sync {
    /// Stores a pending request.
    async fn insert_auth_request(&self, request: &PendingRequest) -> StoreResult<()>;
    /// One pending request.
    async fn find_auth_request(&self, id: &str) -> StoreResult<Option<PendingRequest>>;
    /// Removes a finished request.
    async fn delete_auth_request(&self, id: &str) -> StoreResult<()>;
    /// Stores a pushed request under the hash of its `request_uri`.
    async fn insert_pushed_request(
        &self,
        uri_hash: &SecretHash,
        request: &PushedRequest,
    ) -> StoreResult<()>;
    /// Takes a live pushed request of `client_id` once: it is deleted in the same statement, so
    /// two nodes cannot both take it (RFC 9126 §4: a `request_uri` is used once).
    async fn take_pushed_request(
        &self,
        uri_hash: &SecretHash,
        client_id: &str,
        now: i64,
    ) -> StoreResult<Option<PushedRequest>>;
}

/// Grants, authorization codes and refresh tokens.
#[async_trait]
pub trait GrantStore: Send + Sync {
    /// Stores a grant.
    async fn insert_grant(&self, grant: &Grant) -> StoreResult<()>;
    /// One grant.
    async fn find_grant(&self, id: &str) -> StoreResult<Option<Grant>>;
    /// The grants made in an SSO session.
    async fn grants_for_session(&self, sid: &str) -> StoreResult<Vec<Grant>>;
    /// Revokes a grant (and so every token issued under it).
    async fn revoke_grant(&self, id: &str, now: i64) -> StoreResult<()>;
    /// Revokes every live grant of a user, or only those of one client; returns how many.
    async fn revoke_user_grants(
        &self,
        user_id: &str,
        client_id: Option<&str>,
        now: i64,
    ) -> StoreResult<u64>;
    /// Stores a code (of an existing grant) by hash.
    async fn insert_code(&self, hash: &SecretHash, code: &AuthorizationCode) -> StoreResult<()>;
    /// Stores a new grant and its first code, in one step where the engine makes that cheaper
    /// (one commit on SQLite).
    async fn insert_grant_with_code(
        &self,
        grant: &Grant,
        hash: &SecretHash,
        code: &AuthorizationCode,
    ) -> StoreResult<()>;
    /// Consumes a code atomically, only for the client it was issued to: of two concurrent
    /// calls, one gets `Fresh`; another client's attempt consumes nothing (`AlreadyUsed`).
    async fn consume_code(
        &self,
        hash: &SecretHash,
        client_id: &str,
        now: i64,
    ) -> StoreResult<Consumed<AuthorizationCode>>;
    /// Stores a refresh token by hash.
    async fn insert_refresh_token(
        &self,
        hash: &SecretHash,
        token: &RefreshToken,
    ) -> StoreResult<()>;
    /// Rotates a refresh token atomically (RFC 9700 §4.14.2): marks it used, names its
    /// successor and, when `Fresh`, stores the successor (`successor.1`, unless `None`) in the
    /// same step; but only if the token is unused and was issued to `client_id`. Of two
    /// concurrent calls, one gets `Fresh`; a token of another client is never consumed.
    async fn rotate_refresh_token(
        &self,
        hash: &SecretHash,
        client_id: &str,
        successor: (&SecretHash, Option<&RefreshToken>),
        now: i64,
    ) -> StoreResult<Consumed<RefreshToken>>;
    /// Hands a rotated token's chain to a new successor (a reuse inside the grace window),
    /// atomically: only if its successor is still `expected` and that successor is unused
    /// (or not stored yet), which is then retired as superseded. `false` when the chain moved
    /// on, so the reuse must revoke the grant.
    async fn replace_refresh_successor(
        &self,
        hash: &SecretHash,
        expected: &SecretHash,
        successor: &SecretHash,
        now: i64,
    ) -> StoreResult<bool>;
    /// A refresh token by hash, used or not, without changing it.
    async fn find_refresh_token(&self, hash: &SecretHash) -> StoreResult<Option<RefreshToken>>;
    /// A grant with its user (`None` when the user is gone), in one round trip.
    async fn find_grant_with_user(&self, id: &str) -> StoreResult<Option<(Grant, Option<User>)>>;
    /// A refresh token with its grant and that grant's user, in one round trip: what the
    /// refresh grant reads before anything is consumed.
    async fn find_refresh_with_grant(
        &self,
        hash: &SecretHash,
    ) -> StoreResult<Option<RefreshContext>>;
}

/// A refresh token, its grant (`None` when purged) and the grant's user (`None` when gone).
pub type RefreshContext = (RefreshToken, Option<(Grant, Option<User>)>);

/// Where a device authorization stands (RFC 8628 §3.3–3.5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeviceStatus {
    /// The user has not decided yet.
    Pending,
    /// The user allowed it: the grant the tokens come from.
    Approved {
        /// The grant.
        grant_id: String,
    },
    /// The user refused.
    Denied,
}

/// A device authorization, stored under the hash of its device code (RFC 8628 §3.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceAuthorization {
    /// The user code, normalized (no separator).
    pub user_code: String,
    /// The client.
    pub client_id: String,
    /// Requested scopes.
    pub scope: Vec<String>,
    /// Token audiences.
    pub resources: Vec<String>,
    /// Expiry of both codes.
    pub expires_at: i64,
    /// Seconds the device must wait between polls.
    pub interval: i64,
    /// The last poll.
    pub last_polled_at: Option<i64>,
    /// The user's decision so far.
    pub status: DeviceStatus,
}

/// Removal of rows nobody can use any more.
#[async_trait]
pub trait MaintenanceStore: Send + Sync {
    /// Deletes, per table, at most `limit` rows that expired at or before their cutoff (see
    /// [`Cutoffs`]). Returns the rows deleted, or `None` when another node holds the cleanup
    /// lock (each run happens on one node).
    async fn purge_expired(&self, cutoffs: &Cutoffs, limit: i64) -> StoreResult<Option<u64>>;
}

/// When rows expire, for [`MaintenanceStore::purge_expired`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cutoffs {
    /// Sessions, pending requests, refresh tokens, revoked-token entries and federation states
    /// that expired at or before this.
    pub now: i64,
    /// Authorization and device codes that expired, and grants revoked, at or before this
    /// (kept a while so that a late replay is still recognised; a missing grant then refuses
    /// like a revoked one).
    pub grace: i64,
    /// Login-throttle windows that started at or before this.
    pub throttle: i64,
    /// Consents given at or before this; `None` when consents do not expire.
    pub consent: Option<i64>,
    /// Sign-in log entries recorded at or before this.
    pub signin_log: i64,
    /// Document clients whose last grant was made at or before this and that hold no grant.
    pub document_clients: i64,
}
// Openly registered clients whose `unused_until` is at or before `now` are deleted like
// `delete_client` (RFC 9700 §4.11.2).

/// Device authorizations (RFC 8628).
#[async_trait]
pub trait DeviceStore: Send + Sync {
    /// Stores a new device authorization.
    async fn insert_device_code(
        &self,
        hash: &SecretHash,
        device: &DeviceAuthorization,
    ) -> StoreResult<()>;
    /// One by device code hash.
    async fn find_device_code(&self, hash: &SecretHash)
    -> StoreResult<Option<DeviceAuthorization>>;
    /// One by (normalized) user code, with its device code hash.
    async fn find_device_by_user_code(
        &self,
        user_code: &str,
    ) -> StoreResult<Option<(SecretHash, DeviceAuthorization)>>;
    /// Records a poll and the interval from now on.
    async fn record_device_poll(
        &self,
        hash: &SecretHash,
        now: i64,
        interval: i64,
    ) -> StoreResult<()>;
    /// Records the user's decision, only while pending; false if it was decided already.
    async fn decide_device_code(
        &self,
        hash: &SecretHash,
        status: &DeviceStatus,
    ) -> StoreResult<bool>;
    /// Deletes it; true if this call removed it (so tokens are issued once).
    async fn delete_device_code(&self, hash: &SecretHash) -> StoreResult<bool>;
}

/// A remembered consent.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Consent {
    /// The client.
    pub client_id: String,
    /// The scopes consented to.
    pub scope: Vec<String>,
    /// When it was last given.
    pub updated_at: i64,
}

/// Remembered consents.
#[async_trait]
pub trait ConsentStore: Send + Sync {
    /// The scopes a user consented to for a client, if the consent was given after
    /// `given_since` (older ones have expired).
    async fn find_consent(
        &self,
        user_id: &str,
        client_id: &str,
        given_since: i64,
    ) -> StoreResult<Option<Vec<String>>>;
    /// A user's remembered consents.
    async fn consents_for_user(&self, user_id: &str) -> StoreResult<Vec<Consent>>;
    /// Forgets a consent; `false` if there was none.
    async fn delete_consent(&self, user_id: &str, client_id: &str) -> StoreResult<bool>;
    /// Records (replaces) a consent, given at `now`.
    async fn save_consent(
        &self,
        user_id: &str,
        client_id: &str,
        scope: &[String],
        now: i64,
    ) -> StoreResult<()>;
}

/// Failed-login counters, shared by every node.
#[async_trait]
pub trait ThrottleStore: Send + Sync {
    /// Records a failure (or reserves an attempt) for `key` in one atomic statement and returns
    /// the count in the current window, this one included (a window older than
    /// `window_start_after` starts over).
    async fn record_failure(
        &self,
        key: &str,
        now: i64,
        window_start_after: i64,
    ) -> StoreResult<i64>;
    /// Failures for `key` in a window that started after `window_start_after`.
    async fn failures(&self, key: &str, window_start_after: i64) -> StoreResult<i64>;
    /// Forgets `key` (after a successful login).
    async fn clear_failures(&self, key: &str) -> StoreResult<()>;
    /// Hands back one reserved attempt of `key` (an attempt that succeeded).
    async fn release_attempt(&self, key: &str) -> StoreResult<()>;
}

/// An upstream identity provider as stored (those of the configuration file are not).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredUpstream {
    /// Its id.
    pub id: String,
    /// Its settings as JSON (without the secret).
    pub config: String,
    /// The client secret sealed under the master key.
    pub sealed_secret: Option<Vec<u8>>,
    /// Creation time.
    pub created_at: i64,
    /// Last change.
    pub updated_at: i64,
}

/// An upstream identity linked to a Keygate user.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LinkedIdentity {
    /// The upstream provider's id.
    pub provider_id: String,
    /// The upstream's `sub` (or user id).
    pub subject: String,
    /// The Keygate user.
    pub user_id: String,
    /// The email the upstream gave when it was linked.
    pub email: Option<String>,
    /// When it was linked.
    pub created_at: i64,
}

/// A short-lived federation state: a sign-in at an upstream, a link ticket, an upstream logout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FederationState {
    /// `login`, `link` or `logout`.
    pub kind: String,
    /// Its data, JSON.
    pub data: String,
    /// Expiry.
    pub expires_at: i64,
}

/// Upstream providers, linked identities and federation states.
#[async_trait]
pub trait FederationStore: Send + Sync {
    /// Every stored upstream, ordered by id.
    async fn list_upstreams(&self) -> StoreResult<Vec<StoredUpstream>>;
    /// Inserts an upstream; `Conflict` if the id is taken.
    async fn insert_upstream(&self, upstream: &StoredUpstream) -> StoreResult<()>;
    /// Replaces an upstream; `false` if there is none.
    async fn update_upstream(&self, upstream: &StoredUpstream) -> StoreResult<bool>;
    /// Deletes an upstream (its linked identities stay, for a re-added upstream of that id).
    async fn delete_upstream(&self, id: &str) -> StoreResult<bool>;
    /// The link of an upstream identity.
    async fn find_linked_identity(
        &self,
        provider_id: &str,
        subject: &str,
    ) -> StoreResult<Option<LinkedIdentity>>;
    /// Links an identity; `Conflict` if it is linked already.
    async fn insert_linked_identity(&self, link: &LinkedIdentity) -> StoreResult<()>;
    /// A user's linked identities.
    async fn linked_identities(&self, user_id: &str) -> StoreResult<Vec<LinkedIdentity>>;
    /// Unlinks an identity; `false` if it was not linked.
    async fn delete_linked_identity(&self, provider_id: &str, subject: &str) -> StoreResult<bool>;
    /// Stores a state under the hash of its token.
    async fn put_federation_state(
        &self,
        hash: &SecretHash,
        state: &FederationState,
    ) -> StoreResult<()>;
    /// Removes and returns a state, atomically (a state is used once).
    async fn take_federation_state(
        &self,
        hash: &SecretHash,
    ) -> StoreResult<Option<FederationState>>;
}

/// The email outbox ([`crate::mail`]).
#[async_trait]
pub trait MailStore: Send + Sync {
    /// Queues a message, due at `now`: its id, or `None` (and nothing stored) when its
    /// idempotency key is already queued.
    async fn enqueue_mail(&self, mail: &crate::mail::NewMail, now: i64)
    -> StoreResult<Option<i64>>;
    /// Marks messages whose lease ran out `interrupted`, then claims the oldest due pending
    /// message for one attempt: `sending` until `lease_until`, attempts counted. At most one
    /// caller, on any node, gets a given message.
    async fn claim_mail(
        &self,
        now: i64,
        lease_until: i64,
    ) -> StoreResult<Option<crate::mail::OutboxMessage>>;
    /// Records how a claimed message's attempt ended; `false` if it was no longer `sending`.
    async fn finish_mail(
        &self,
        id: i64,
        outcome: &crate::mail::AttemptOutcome,
    ) -> StoreResult<bool>;
    /// Puts a failed or interrupted message back in the queue, due at `now`; `false` if it is
    /// neither.
    async fn requeue_mail(&self, id: i64, now: i64) -> StoreResult<bool>;
    /// One message.
    async fn find_mail(&self, id: i64) -> StoreResult<Option<crate::mail::OutboxMessage>>;
    /// Messages matching `query`, newest first.
    async fn list_mail(
        &self,
        query: &crate::mail::MailQuery,
    ) -> StoreResult<Vec<crate::mail::OutboxMessage>>;
    /// How many messages are in each status.
    async fn count_mail(&self) -> StoreResult<crate::mail::MailCounts>;
}

/// A single-use token sent by email (password reset, email verification), stored by hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountToken {
    /// What it allows: `password_reset`, `verify_email`.
    pub purpose: String,
    /// The account.
    pub user_id: String,
    /// The address it was sent to.
    pub email: String,
    /// Creation time.
    pub created_at: i64,
    /// Expiry.
    pub expires_at: i64,
    /// What the flow keeps until the link is used (a pending sign-up's name and password
    /// hash), JSON.
    pub data: Option<String>,
}

/// Email-borne account tokens.
#[async_trait]
pub trait AccountTokenStore: Send + Sync {
    /// Stores a token and queues the message that carries it, in one transaction: both or
    /// neither.
    async fn insert_account_token(
        &self,
        hash: &SecretHash,
        token: &AccountToken,
        mail: &crate::mail::NewMail,
        now: i64,
    ) -> StoreResult<()>;
    /// An unused token by hash (expired ones included: the caller checks).
    async fn find_account_token(&self, hash: &SecretHash) -> StoreResult<Option<AccountToken>>;
    /// Uses a token once, atomically, and with it every other unused token of the same user
    /// and purpose (a reset link makes older ones worthless).
    async fn consume_account_token(
        &self,
        hash: &SecretHash,
        now: i64,
    ) -> StoreResult<Consumed<AccountToken>>;
}

/// A user's authenticator app (RFC 6238): its key sealed under the master key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TotpFactor {
    /// The account.
    pub user_id: String,
    /// The key, sealed ([`crate::keys::MasterKey::seal`], context [`crate::mfa::TOTP_CONTEXT`]).
    pub sealed_key: Vec<u8>,
    /// The last time step whose code was accepted (none is accepted twice).
    pub last_step: i64,
    /// Enrolment time.
    pub created_at: i64,
    /// Last successful use.
    pub last_used_at: Option<i64>,
}

/// A passkey: a WebAuthn credential record (WebAuthn L3 §4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passkey {
    /// The credential id.
    pub id: Vec<u8>,
    /// The account.
    pub user_id: String,
    /// The user's name for it.
    pub name: String,
    /// The credential public key, COSE_Key CBOR.
    pub public_key: Vec<u8>,
    /// The last signature counter.
    pub sign_count: i64,
    /// User verification was done with it (`uvInitialized`).
    pub uv_initialized: bool,
    /// It may be synced to other devices (BE; fixed at registration).
    pub backup_eligible: bool,
    /// It is synced now (BS).
    pub backup_state: bool,
    /// The transports the browser reported.
    pub transports: Vec<String>,
    /// The authenticator model (AAGUID).
    pub aaguid: Vec<u8>,
    /// Registration time.
    pub created_at: i64,
    /// Last successful use.
    pub last_used_at: Option<i64>,
}

/// Second factors: authenticator apps and recovery codes.
#[async_trait]
pub trait MfaStore: Send + Sync {
    /// Stores (or replaces) the user's authenticator app.
    async fn put_totp(&self, factor: &TotpFactor) -> StoreResult<()>;
    /// The user's authenticator app.
    async fn find_totp(&self, user_id: &str) -> StoreResult<Option<TotpFactor>>;
    /// Accepts `step` for the user if it is later than every step accepted before, atomically
    /// (RFC 6238 §5.2: a code is valid once); whether it was.
    async fn use_totp_step(&self, user_id: &str, step: i64, now: i64) -> StoreResult<bool>;
    /// Removes the user's authenticator app; whether there was one.
    async fn delete_totp(&self, user_id: &str) -> StoreResult<bool>;
    /// Replaces the user's recovery codes (hashes) with these, in one transaction.
    async fn replace_recovery_codes(&self, user_id: &str, hashes: &[SecretHash])
    -> StoreResult<()>;
    /// Uses an unused recovery code once, atomically; the number still unused after it, or
    /// `None` if it is not one of the user's unused codes.
    async fn use_recovery_code(
        &self,
        user_id: &str,
        hash: &SecretHash,
        now: i64,
    ) -> StoreResult<Option<i64>>;
    /// The user's unused recovery codes.
    async fn count_recovery_codes(&self, user_id: &str) -> StoreResult<i64>;
    /// The hashes of the user's unused recovery codes (for `keygate export`).
    async fn recovery_code_hashes(&self, user_id: &str) -> StoreResult<Vec<SecretHash>>;
}

/// Passkeys (WebAuthn credential records).
#[async_trait]
pub trait PasskeyStore: Send + Sync {
    /// Stores a new passkey; `Conflict` if its credential id is registered (to anyone).
    async fn insert_passkey(&self, passkey: &Passkey) -> StoreResult<()>;
    /// The user's passkeys, oldest first.
    async fn list_passkeys(&self, user_id: &str) -> StoreResult<Vec<Passkey>>;
    /// A passkey by credential id.
    async fn find_passkey(&self, id: &[u8]) -> StoreResult<Option<Passkey>>;
    /// Records a use: the new counter, BS and UV, only if the counter grew (or both the stored
    /// and the new one are 0), atomically (WebAuthn L3 §7.2 steps 23–25); whether it did.
    async fn use_passkey(&self, id: &[u8], used: &PasskeyUse) -> StoreResult<bool>;
    /// Renames one of the user's passkeys; whether it was theirs.
    async fn rename_passkey(&self, user_id: &str, id: &[u8], name: &str) -> StoreResult<bool>;
    /// Removes one of the user's passkeys, or all of them with `None`; how many went.
    async fn delete_passkeys(&self, user_id: &str, id: Option<&[u8]>) -> StoreResult<u64>;
}

/// What one use of a passkey changes in its record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PasskeyUse {
    /// The new signature counter.
    pub sign_count: i64,
    /// BS now.
    pub backup_state: bool,
    /// UV was done this time.
    pub user_verified: bool,
    /// When.
    pub now: i64,
}
