//! The resolved settings the protocol code needs (the server resolves them from config).

use crate::keys::SigningAlg;
use crate::password_policy::PasswordPolicy;

/// Lifetime of an authorization code: RFC 6749 §4.1.2 recommends at most ten minutes; a minute
/// is plenty for a redirect.
pub const AUTHORIZATION_CODE_TTL: i64 = 60;
/// How long a user has to finish signing in and consenting.
pub const PENDING_REQUEST_TTL: i64 = 1800;

/// Protocol settings, validated before they get here.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The issuer identifier, without a trailing slash.
    pub issuer: String,
    /// Access token lifetime in seconds.
    pub access_token_ttl: i64,
    /// Algorithm for RFC 9068 access tokens.
    pub access_token_alg: SigningAlg,
    /// ID token lifetime in seconds.
    pub id_token_ttl: i64,
    /// Default ID token algorithm (OIDC Core §15.1: RS256).
    pub id_token_alg: SigningAlg,
    /// Argon2id parameters for user passwords.
    pub passwords: PasswordPolicy,
    /// Refresh token lifetime in seconds.
    pub refresh_token_ttl: i64,
    /// How long after a rotation the previous refresh token may be used again (two tabs
    /// refreshing at once), superseding its successor; 0 (the default) revokes the grant on any
    /// reuse (RFC 9700 §4.14.2).
    pub refresh_reuse_grace: i64,
    /// SSO session lifetime in seconds.
    pub session_ttl: i64,
    /// How long a remembered consent lasts, in seconds; `None`: until withdrawn.
    pub consent_ttl: Option<i64>,
    /// Failed logins per account within [`Settings::login_window`] before sign-in is paused.
    pub login_max_failures_per_account: i64,
    /// Failed logins per client IP within the window before sign-in is paused.
    pub login_max_failures_per_ip: i64,
    /// The throttling window in seconds.
    pub login_window: i64,
    /// Dynamic client registration (RFC 7591, RFC 7592).
    pub registration: RegistrationSettings,
    /// Whether the login page offers the password form (upstream providers may be the only way).
    pub password_login: bool,
    /// Upstream identity providers from the configuration file.
    pub upstreams: Vec<crate::federation::UpstreamProvider>,
    /// Put the upstream provider's id in ID tokens as the `idp` claim.
    pub idp_claim: bool,
    /// Host names, addresses and CIDR ranges that outbound requests (client JWKS, back-channel
    /// logout, upstream providers) may reach although they are internal.
    pub outbound_allow: Vec<String>,
    /// Certificate authorities (PEM) that outbound https trusts besides the system's roots,
    /// from `[outbound] ca_file` (an internal identity provider's or documents' private CA).
    pub outbound_ca_pem: Option<Vec<u8>>,
    /// The end-user pages' languages, theme and branding (`[ui]`).
    pub ui: UiSettings,
    /// How long sign-in log entries are kept, in seconds ([`crate::signin_log`]).
    pub signin_log_retention: i64,
    /// Email and the self-service account flows it carries.
    pub mail: MailSettings,
    /// Self-service sign-up.
    pub signup: SignupSettings,
    /// Whether users may delete their own account on the account page.
    pub allow_account_delete: bool,
    /// The standard claims users may edit on their account page, besides their names (from
    /// [`crate::user::user_editable_claims`]).
    pub editable_claims: Vec<String>,
    /// Second factors: off, optional, or required of every sign-in.
    pub mfa_policy: MfaPolicy,
    /// The WebAuthn RP ID of passkeys, when not the issuer's host (`[mfa] passkey_rp_id`): a
    /// registrable suffix of that host (WebAuthn L3 §5.1.2).
    pub passkey_rp_id: Option<String>,
    /// How authorization requests may arrive (`[requests]`).
    pub requests: RequestSettings,
    /// DPoP proofs to the token and pushed request endpoints must carry a nonce Keygate gave
    /// (RFC 9449 §8; `[dpop] require_nonce`).
    pub dpop_require_nonce: bool,
    /// Issuers whose JWTs may be exchanged (`[token_exchange] trusted_issuers`); none by
    /// default, so only Keygate's own tokens are.
    pub token_exchange_issuers: Vec<TrustedIssuer>,
    /// Client ID Metadata Documents (`[client_metadata_documents]`).
    pub client_metadata_documents: DocumentPolicy,
}

/// Rules for authorization requests (`[requests]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestSettings {
    /// Every client must push its requests first (RFC 9126 §5
    /// `require_pushed_authorization_requests`).
    pub require_pushed: bool,
    /// Seconds a pushed request's `request_uri` lives (RFC 9126 §2.2 `expires_in`; 60 by
    /// default).
    pub pushed_lifetime: i64,
    /// Every client must send signed request objects (RFC 9101 §10.5
    /// `require_signed_request_object`).
    pub require_signed: bool,
    /// The FAPI 2.0 Security Profile for every client (`[requests] profile = "fapi2"`).
    pub fapi2: bool,
    /// Origins (`https://host[:port]`) whose `request_uri` values Keygate fetches (RFC 9101
    /// §5.2.3, §10.4.1); none by default.
    pub request_uri_origins: Vec<String>,
}

impl Default for RequestSettings {
    fn default() -> Self {
        Self {
            require_pushed: false,
            pushed_lifetime: 60,
            require_signed: false,
            fapi2: false,
            request_uri_origins: Vec::new(),
        }
    }
}

/// An issuer whose JWTs clients may exchange (RFC 8693 §2.1 with `jwt` tokens), verified with
/// the keys at its `jwks_uri` (`[token_exchange] trusted_issuers`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustedIssuer {
    /// Its `iss`.
    pub issuer: String,
    /// Where its signing keys are.
    pub jwks_uri: String,
}

/// Which `client_id` URLs Keygate resolves as Client ID Metadata Documents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentPolicy {
    /// Whether at all (on by default, as the MCP authorization specification expects).
    pub enabled: bool,
    /// Only clients on these hosts; any host when empty.
    pub hosts: Vec<String>,
}

/// Whether users have a second factor (`[mfa] policy`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum MfaPolicy {
    /// No second factors: none offered, none asked.
    Off,
    /// Users may add one on their account page; then it is asked at every sign-in.
    #[default]
    Optional,
    /// Every sign-in needs one: users without one add it at their next sign-in.
    Required,
}

/// Who may create an account themselves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignupMode {
    /// Nobody: administrators create accounts.
    Off,
    /// Only people an administrator invited (by a link mailed to their address).
    Invite,
    /// Anyone whose email address is at one of the allowed domains.
    Domain,
    /// Anyone.
    Open,
}

/// Self-service sign-up ([`crate::account::signup`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignupSettings {
    /// Who may sign up.
    pub mode: SignupMode,
    /// The email domains allowed in [`SignupMode::Domain`], lower case.
    pub domains: Vec<String>,
    /// How long a confirmation link works, seconds (default a day).
    pub confirm_ttl: i64,
    /// How long an invitation works, seconds (default a week).
    pub invite_ttl: i64,
    /// Sign-ups per email address and per client address within the login window.
    pub max_per_address: i64,
    /// Refuse password sign-in until the account's email address is confirmed.
    pub require_verified_email: bool,
}

impl Default for SignupSettings {
    fn default() -> Self {
        Self {
            mode: SignupMode::Off,
            domains: Vec::new(),
            confirm_ttl: 86_400,
            invite_ttl: 7 * 86_400,
            max_per_address: 3,
            require_verified_email: false,
        }
    }
}

impl SignupSettings {
    /// Whether anyone may start a sign-up (and `prompt=create` is supported).
    pub fn enabled(&self) -> bool {
        matches!(self.mode, SignupMode::Domain | SignupMode::Open)
    }

    /// Whether invitations can be sent and accepted (every mode but off).
    pub fn invitations(&self) -> bool {
        self.mode != SignupMode::Off
    }
}

/// The end-user pages' languages, theme and branding (`[ui]`). The product's name is
/// [`MailSettings::product_name`], shared by the pages and the messages.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UiSettings {
    /// Page catalogs (`{tag}.ftl`) that add languages or replace built-in messages.
    pub locales_dir: Option<std::path::PathBuf>,
    /// A folder whose templates and assets replace the built-in ones file by file, reloaded
    /// when they change.
    pub theme_dir: Option<std::path::PathBuf>,
    /// The product's logo (https URL) above every page's card.
    pub logo: Option<String>,
    /// The pages' icon (https URL).
    pub favicon: Option<String>,
    /// Where users get help (https or mailto URL), linked in every page's footer.
    pub support_url: Option<String>,
    /// Primary color, background color and picture of every page.
    pub look: crate::branding::Look,
}

/// Email ([`crate::mail`]) and the account flows that send it ([`crate::account`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailSettings {
    /// A folder whose files replace built-in message templates of the same name.
    pub templates_dir: Option<std::path::PathBuf>,
    /// The product name in messages and pages.
    pub product_name: String,
    /// How long a password reset link works, seconds (default 30 minutes).
    pub reset_ttl: i64,
    /// Reset requests per address and per account within the login window.
    pub reset_max_per_address: i64,
    /// Seconds one delivery attempt may take; a claim is abandoned (the node stopped) after
    /// twice this.
    pub delivery_timeout: u64,
}

impl Default for MailSettings {
    fn default() -> Self {
        Self {
            templates_dir: None,
            product_name: "Keygate".to_owned(),
            reset_ttl: 1800,
            reset_max_per_address: 3,
            delivery_timeout: crate::mail::sender::DELIVERY_TIMEOUT,
        }
    }
}

/// Dynamic client registration (RFC 7591 §3): off unless the operator turns it on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RegistrationSettings {
    /// Whether `POST {issuer}/register` and the RFC 7592 configuration endpoint exist.
    pub enabled: bool,
    /// Open registration: anyone may register. Otherwise an initial access token is required
    /// (RFC 7591 §3: the registration endpoint as an OAuth 2.0 protected resource).
    pub open: bool,
    /// Seconds an openly registered client may go without getting a token before it is deleted
    /// (RFC 9700 §4.11.2: open registration must not pile up abandoned redirect URIs); `None`
    /// keeps them.
    pub unused_client_ttl: Option<i64>,
}

/// How many days sign-in log entries are kept by default.
pub const SIGNIN_LOG_DAYS: i64 = 30;

/// How long an openly registered client may stay unused by default: a week.
pub const UNUSED_CLIENT_TTL: i64 = 7 * 86_400;

impl Default for RegistrationSettings {
    fn default() -> Self {
        Self { enabled: false, open: false, unused_client_ttl: Some(UNUSED_CLIENT_TTL) }
    }
}

impl Settings {
    /// Settings for `issuer` with Keygate's defaults.
    pub fn new(issuer: impl Into<String>) -> Self {
        Self {
            issuer: issuer.into().trim_end_matches('/').to_owned(),
            access_token_ttl: 3600,
            access_token_alg: SigningAlg::ES256,
            id_token_ttl: 3600,
            id_token_alg: SigningAlg::RS256,
            passwords: PasswordPolicy::default(),
            refresh_token_ttl: 30 * 86_400,
            refresh_reuse_grace: 0,
            session_ttl: 7 * 86_400,
            consent_ttl: None,
            login_max_failures_per_account: 5,
            login_max_failures_per_ip: 50,
            login_window: 900,
            registration: RegistrationSettings::default(),
            password_login: true,
            upstreams: Vec::new(),
            idp_claim: false,
            outbound_allow: Vec::new(),
            outbound_ca_pem: None,
            ui: UiSettings::default(),
            signin_log_retention: SIGNIN_LOG_DAYS * 86_400,
            mail: MailSettings::default(),
            signup: SignupSettings::default(),
            allow_account_delete: false,
            editable_claims: Vec::new(),
            mfa_policy: MfaPolicy::Optional,
            passkey_rp_id: None,
            requests: RequestSettings::default(),
            token_exchange_issuers: Vec::new(),
            client_metadata_documents: DocumentPolicy { enabled: true, hosts: Vec::new() },
            dpop_require_nonce: false,
        }
    }

    /// How long a retired key stays published: the longest token lifetime (APIs and clients
    /// may set up to [`crate::api::MAX_TOKEN_TTL`]) plus five minutes of clock skew, so that every
    /// token it signed verifies until it expires.
    pub fn key_retention(&self) -> i64 {
        self.access_token_ttl.max(self.id_token_ttl).max(crate::api::MAX_TOKEN_TTL) + 300
    }
}
