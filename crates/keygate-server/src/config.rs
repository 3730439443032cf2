//! Configuration in two phases: [`RawConfig`] as written (TOML file, then `KEYGATE_*`
//! environment, then command-line flags), and [`Config`], resolved and validated, with every
//! problem reported at once.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Env, Format, Toml};
use keygate_core::Settings;
use keygate_core::keys::{MasterKey, SigningAlg};
use keygate_core::password_policy::PasswordPolicy;
use keygate_core::settings::RegistrationSettings;
use serde::Deserialize;
use url::{Host, Url};

use crate::serving::Serving;
use crate::serving::settings::{RawMetrics, RawProxy, RawServing, RawTls};

/// The configuration as written.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    /// The issuer identifier (default `http://localhost:8080`).
    pub issuer: Option<String>,
    /// The listening address (default `127.0.0.1:8080`).
    pub listen: Option<String>,
    /// The data directory for the SQLite database and the master key file.
    pub data_dir: Option<PathBuf>,
    /// The master key, base64 (else `<data_dir>/master.key`, created on first start).
    pub master_key: Option<String>,
    /// Seconds in-flight requests may run after SIGTERM/SIGINT (default 10).
    pub drain_timeout: Option<i64>,
    /// Database settings.
    #[serde(default)]
    pub database: RawDatabase,
    /// Token settings.
    #[serde(default)]
    pub tokens: RawTokens,
    /// Password hashing settings.
    #[serde(default)]
    pub passwords: RawPasswords,
    /// Sign-in sessions and throttling.
    #[serde(default)]
    pub login: RawLogin,
    /// Dynamic client registration (RFC 7591, RFC 7592).
    #[serde(default)]
    pub registration: RawRegistration,
    /// `[[upstream]]`: upstream identity providers ("sign in with ...").
    #[serde(default)]
    pub upstream: Vec<keygate_core::federation::UpstreamSpec>,
    /// HTTPS served by Keygate itself.
    #[serde(default)]
    pub tls: RawTls,
    /// Trusted reverse proxies.
    #[serde(default)]
    pub proxy: RawProxy,
    /// Prometheus metrics.
    #[serde(default)]
    pub metrics: RawMetrics,
    /// `[outbound]`.
    #[serde(default)]
    pub outbound: RawOutbound,
    /// `[mail]`: email for password resets and the other account flows.
    #[serde(default)]
    pub mail: crate::mail::RawMail,
    /// `[signup]`: self-service sign-up.
    #[serde(default)]
    pub signup: RawSignup,
    /// `[account]`: what users may do on their account page.
    #[serde(default)]
    pub account: RawAccount,
    /// `[mfa]`: second factors.
    #[serde(default)]
    pub mfa: RawMfa,
    /// `[requests]`: how authorization requests may arrive.
    #[serde(default)]
    pub requests: RawRequests,
    /// `[dpop]`: DPoP proofs (RFC 9449).
    #[serde(default)]
    pub dpop: RawDpop,
    /// `[token_exchange]`: token exchange (RFC 8693).
    #[serde(default)]
    pub token_exchange: RawTokenExchange,
    /// `[client_metadata_documents]`: https URLs as client ids.
    #[serde(default)]
    pub client_metadata_documents: RawClientMetadataDocuments,
    /// `[ui]`: the end-user pages.
    #[serde(default)]
    pub ui: RawUi,
}

/// `[ui]`.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawUi {
    /// A folder of Fluent catalogs (`{tag}.ftl`): new languages, or messages that replace the
    /// built-in ones; checked at start-up.
    pub locales_dir: Option<PathBuf>,
    /// A folder of templates (`login.html`, ...) and assets (`keygate.css`, pictures) that
    /// replace the built-in ones file by file; checked at start-up, reloaded when they change.
    pub theme_dir: Option<PathBuf>,
    /// The product's name in titles, "Secured by ..." and messages (also `[mail] product_name`).
    pub product_name: Option<String>,
    /// The product's logo above every page's card: an https URL.
    pub logo: Option<String>,
    /// The pages' icon: an https URL.
    pub favicon: Option<String>,
    /// Buttons, links and focus rings, `#rrggbb`: dark enough for white text (4.5:1).
    pub primary_color: Option<String>,
    /// Behind the card, `#rrggbb`.
    pub background_color: Option<String>,
    /// A picture behind the card: an https URL.
    pub background_image: Option<String>,
    /// Where users get help: an https or mailto URL, linked in every page's footer.
    pub support_url: Option<String>,
}

/// `[client_metadata_documents]`.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawClientMetadataDocuments {
    /// Resolve https `client_id` URLs to their metadata documents (default true).
    pub enabled: Option<bool>,
    /// Only for clients on these hosts (default: any).
    pub hosts: Option<Vec<String>>,
}

/// `[token_exchange]`.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTokenExchange {
    /// Other issuers whose JWTs clients may exchange, each with where its keys are.
    pub trusted_issuers: Option<Vec<RawTrustedIssuer>>,
}

/// One of `[token_exchange] trusted_issuers`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTrustedIssuer {
    /// Its `iss`.
    pub issuer: String,
    /// Its JWK Set URL (https).
    pub jwks_uri: String,
}

/// `[dpop]`.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDpop {
    /// Proofs to the token and pushed request endpoints must carry a nonce Keygate gave
    /// (RFC 9449 §8; default false).
    pub require_nonce: Option<bool>,
}

/// `[requests]`.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRequests {
    /// Every client must push its authorization requests first (RFC 9126 §5; default false,
    /// and a client can be required to on its own).
    pub require_pushed: Option<bool>,
    /// Seconds a pushed request's `request_uri` lives (default 60; 10 to 600).
    pub pushed_lifetime: Option<i64>,
    /// Every client must send its requests as signed request objects (RFC 9101 §10.5;
    /// default false, and a client can be required to on its own).
    pub require_signed: Option<bool>,
    /// `fapi2`: the FAPI 2.0 Security Profile for every client; `none` (default).
    pub profile: Option<String>,
    /// Origins (`https://host[:port]`) whose `request_uri` values Keygate fetches (RFC 9101
    /// §5.2.3); none by default, so only pushed requests' `request_uri` values work.
    pub request_uri_origins: Option<Vec<String>>,
}

/// `[mfa]`.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMfa {
    /// `off`, `optional` (default: users may add an authenticator app) or `required` (every
    /// sign-in needs one; users without one add it at their next sign-in).
    pub policy: Option<String>,
    /// The WebAuthn RP ID of passkeys (default: the issuer's host); a registrable suffix of
    /// the issuer's host, e.g. `example.com` for `https://login.example.com`.
    pub passkey_rp_id: Option<String>,
}

/// `[account]`.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAccount {
    /// Users may delete their own account (default false).
    pub allow_delete: Option<bool>,
    /// Standard claims users may edit there besides their names, e.g. `["nickname", "picture",
    /// "locale", "zoneinfo", "phone_number"]` (default none).
    pub editable_claims: Option<Vec<String>>,
}

/// `[account] editable_claims`: known, user-editable claim names, each once.
fn resolve_editable_claims(raw: &RawAccount, problems: &mut Vec<String>) -> Vec<String> {
    let names = raw.editable_claims.clone().unwrap_or_default();
    let allowed: Vec<&str> = keygate_core::user::user_editable_claims().collect();
    for (i, name) in names.iter().enumerate() {
        if !allowed.contains(&name.as_str()) {
            problems.push(format!(
                "account.editable_claims: '{name}' is not a claim users may edit (they may edit: {})",
                allowed.join(", ")
            ));
        } else if names[..i].contains(name) {
            problems.push(format!("account.editable_claims: '{name}' is listed twice"));
        }
    }
    names
}

/// `[signup]`: who may create an account themselves.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSignup {
    /// `off` (default), `invite` (invited addresses only), `domain` (addresses at `domains`
    /// only, and invitations) or `open`.
    pub mode: Option<String>,
    /// Email domains allowed in `domain` mode; a list, or one comma-separated string.
    pub domains: Option<crate::serving::AddressList>,
    /// Hours a confirmation link works (default 24).
    pub confirm_link_hours: Option<i64>,
    /// Refuse password sign-in until the account's email address is confirmed (default
    /// false); the login page then sends a link and offers to send another.
    pub require_verified_email: Option<bool>,
}

/// `[outbound]`: what server-side requests may reach besides public https addresses.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOutbound {
    /// Internal host names, addresses and CIDR ranges to allow (e.g. an internal identity
    /// provider); a list, or one comma-separated string from the environment.
    pub allow: Option<crate::serving::AddressList>,
    /// Certificate authorities (a PEM file) to trust for outbound https besides the system's.
    pub ca_file: Option<PathBuf>,
}

/// `[registration]`: dynamic client registration, off by default.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRegistration {
    /// Serve `POST /register` and `/register/{client_id}` (default false).
    pub enabled: Option<bool>,
    /// Let anyone register, without an initial access token (default false).
    pub open: Option<bool>,
    /// Seconds an openly registered client may go without a token before it is deleted
    /// (default a week; 0 keeps them).
    pub unused_client_ttl: Option<i64>,
}

/// `[login]`.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLogin {
    /// SSO session lifetime, seconds.
    pub session_ttl: Option<i64>,
    /// How long a remembered consent lasts, seconds (default: until the user withdraws it).
    pub consent_ttl: Option<i64>,
    /// Failed sign-ins per account within the window before sign-in pauses.
    pub max_failures_per_account: Option<i64>,
    /// Failed sign-ins per client address within the window.
    pub max_failures_per_ip: Option<i64>,
    /// Throttling window, seconds.
    pub throttle_window: Option<i64>,
    /// Offer the password form on the login page (default true).
    pub passwords: Option<bool>,
    /// Days the sign-in log keeps its entries (default 30).
    pub signin_log_days: Option<i64>,
}

/// `[database]`.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDatabase {
    /// `sqlite://PATH` or `postgres://...` (default: SQLite in the data directory).
    pub url: Option<String>,
    /// Pool size.
    pub max_connections: Option<u32>,
}

/// `[tokens]`.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTokens {
    /// Access token lifetime, seconds.
    pub access_token_ttl: Option<i64>,
    /// Access token signing algorithm.
    pub access_token_alg: Option<String>,
    /// ID token lifetime, seconds.
    pub id_token_ttl: Option<i64>,
    /// Default ID token signing algorithm.
    pub id_token_alg: Option<String>,
    /// Refresh token lifetime, seconds.
    pub refresh_token_ttl: Option<i64>,
    /// Seconds after a rotation during which the previous refresh token may be used again,
    /// superseding its successor (default 0: strict, RFC 9700 §4.14.2).
    pub refresh_reuse_grace: Option<i64>,
    /// Put the upstream provider's id in ID tokens as `idp` (default false).
    pub idp_claim: Option<bool>,
}

/// `[passwords]`.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPasswords {
    /// Argon2id memory, KiB.
    pub argon2_memory_kib: Option<u32>,
    /// Argon2id passes.
    pub argon2_iterations: Option<u32>,
    /// Argon2id lanes.
    pub argon2_parallelism: Option<u32>,
    /// Fewest characters of a new password (default 12, at least 8).
    pub min_length: Option<usize>,
    /// Password hashing threads, each keeping `argon2_memory_kib` (default: one per core, as
    /// many as fit in 64 MiB).
    pub hashing_threads: Option<usize>,
}

/// Top-level keys and sections; `KEYGATE_*` variables outside these are not configuration.
const SECTIONS: [&str; 18] = [
    "database",
    "tokens",
    "passwords",
    "login",
    "registration",
    "tls",
    "proxy",
    "metrics",
    "outbound",
    "mail",
    "signup",
    "account",
    "mfa",
    "requests",
    "dpop",
    "token_exchange",
    "client_metadata_documents",
    "ui",
];
const TOP_LEVEL: [&str; 5] = ["issuer", "listen", "data_dir", "master_key", "drain_timeout"];

/// Maps `KEYGATE_DATABASE_URL` to `database.url` (a double underscore also works as the dot).
fn env_key(key: &str) -> Option<String> {
    let key = key.to_ascii_lowercase().replace("__", ".");
    if TOP_LEVEL.contains(&key.as_str()) || key.contains('.') {
        return Some(key);
    }
    SECTIONS
        .iter()
        .find_map(|s| key.strip_prefix(&format!("{s}_")).map(|rest| format!("{s}.{rest}")))
}

impl RawConfig {
    /// Reads the TOML file (if any) and the `KEYGATE_*` environment. Errors list every problem.
    pub fn load(file: Option<&Path>) -> Result<Self, Vec<String>> {
        let mut figment = Figment::new();
        if let Some(path) = file {
            if !path.exists() {
                return Err(vec![format!("config file {} does not exist", path.display())]);
            }
            figment = figment.merge(Toml::file(path));
        }
        let env = Env::prefixed("KEYGATE_")
            .filter(|k| env_key(k.as_str()).is_some())
            .map(|k| env_key(k.as_str()).unwrap_or_default().into());
        figment.merge(env).extract().map_err(|e| e.into_iter().map(|e| e.to_string()).collect())
    }
}

/// Where the master key comes from.
#[derive(Debug, Clone)]
pub enum MasterKeySource {
    /// Given in config or environment, base64.
    Inline(String),
    /// A file, created with a new key on first start.
    File(PathBuf),
}

impl MasterKeySource {
    /// Loads (or, for a file, creates) the key.
    pub fn load(&self) -> anyhow::Result<MasterKey> {
        match self {
            Self::Inline(text) => MasterKey::from_base64(text),
            Self::File(path) => MasterKey::load_or_create(path),
        }
    }
}

/// The resolved, validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// Protocol settings (issuer, token lifetimes and algorithms, password policy).
    pub settings: Settings,
    /// The listening address.
    pub listen: SocketAddr,
    /// The data directory.
    pub data_dir: PathBuf,
    /// The database URL.
    pub database_url: String,
    /// Pool size.
    pub max_connections: u32,
    /// The master key's source.
    pub master_key: MasterKeySource,
    /// TLS, HSTS, trusted proxies and metrics.
    pub serving: Serving,
    /// How long in-flight requests may run after a shutdown signal.
    pub drain_timeout: std::time::Duration,
    /// Where email goes.
    pub mail: crate::mail::MailConfig,
}

impl Config {
    /// Validates a raw configuration, collecting every problem.
    pub fn resolve(raw: RawConfig) -> Result<Self, Vec<String>> {
        let mut problems = Vec::new();
        let issuer = raw.issuer.unwrap_or_else(|| "http://localhost:8080".to_owned());
        if let Err(p) = validate_issuer(&issuer) {
            problems.push(p);
        }
        let listen = raw.listen.unwrap_or_else(|| "127.0.0.1:8080".to_owned());
        let listen = listen.parse::<SocketAddr>().unwrap_or_else(|_| {
            problems.push(format!("listen: '{listen}' is not an address like 127.0.0.1:8080"));
            SocketAddr::from(([127, 0, 0, 1], 8080))
        });
        let data_dir = raw.data_dir.unwrap_or_else(|| PathBuf::from("./keygate-data"));
        let database_url = raw.database.url.unwrap_or_else(|| {
            format!("sqlite://{}?mode=rwc", data_dir.join("keygate.db").display())
        });
        if !(database_url.starts_with("sqlite:")
            || database_url.starts_with("postgres://")
            || database_url.starts_with("postgresql://"))
        {
            problems.push("database.url must start with sqlite: or postgres://".to_owned());
        }
        let master_key = match raw.master_key {
            Some(text) => {
                if let Err(e) = MasterKey::from_base64(&text) {
                    problems.push(format!("master_key: {e}"));
                }
                MasterKeySource::Inline(text)
            }
            None => MasterKeySource::File(data_dir.join("master.key")),
        };
        let sections = RawServing { tls: &raw.tls, proxy: &raw.proxy, metrics: &raw.metrics };
        let serving = Serving::resolve(&sections, &issuer, listen, &mut problems);
        let mut settings = Settings::new(issuer);
        resolve_tokens(&raw.tokens, &mut settings, &mut problems);
        settings.passwords = resolve_passwords(&raw.passwords, &mut problems);
        resolve_login(&raw.login, &mut settings, &mut problems);
        settings.registration = resolve_registration(&raw.registration, &mut problems);
        settings.signup = resolve_signup(&raw.signup, &mut problems);
        settings.allow_account_delete = raw.account.allow_delete.unwrap_or(false);
        settings.editable_claims = resolve_editable_claims(&raw.account, &mut problems);
        settings.mfa_policy = match raw.mfa.policy.as_deref().unwrap_or("optional") {
            "off" => keygate_core::settings::MfaPolicy::Off,
            "optional" => keygate_core::settings::MfaPolicy::Optional,
            "required" => keygate_core::settings::MfaPolicy::Required,
            other => {
                problems.push(format!("mfa.policy: '{other}' is not off, optional or required"));
                keygate_core::settings::MfaPolicy::Optional
            }
        };
        settings.passkey_rp_id = resolve_rp_id(&raw.mfa, &settings.issuer, &mut problems);
        settings.requests = resolve_requests(&raw.requests, &mut problems);
        settings.dpop_require_nonce = raw.dpop.require_nonce.unwrap_or(false);
        settings.token_exchange_issuers =
            resolve_trusted_issuers(&raw.token_exchange, &settings.issuer, &mut problems);
        settings.client_metadata_documents = keygate_core::settings::DocumentPolicy {
            enabled: raw.client_metadata_documents.enabled.unwrap_or(true),
            hosts: raw
                .client_metadata_documents
                .hosts
                .iter()
                .flatten()
                .map(|h| h.trim().to_ascii_lowercase())
                .collect(),
        };
        settings.upstreams = resolve_upstreams(raw.upstream, &mut problems);
        settings.password_login = raw.login.passwords.unwrap_or(true);
        settings.idp_claim = raw.tokens.idp_claim.unwrap_or(false);
        settings.outbound_allow = raw
            .outbound
            .allow
            .as_ref()
            .map(crate::serving::AddressList::entries)
            .unwrap_or_default();
        settings.ui = resolve_ui(&raw.ui, &mut problems);
        match raw.outbound.ca_file.as_deref().map(|p| read_ca_file(p, "outbound.ca_file")) {
            Some(Ok(pem)) => settings.outbound_ca_pem = Some(pem),
            Some(Err(problem)) => problems.push(problem),
            None => {}
        }
        let max_connections = raw.database.max_connections.unwrap_or(8);
        if !(1..=1000).contains(&max_connections) {
            problems.push("database.max_connections must be between 1 and 1000".to_owned());
        }
        let drain_timeout =
            bounded(raw.drain_timeout, "drain_timeout", 0..=3600, 10, &mut problems);
        let mail = crate::mail::MailConfig::resolve(
            &raw.mail,
            &settings.issuer,
            &data_dir,
            &mut settings.mail,
            &mut problems,
        );
        if let Some(name) = raw.ui.product_name.as_deref().map(str::trim) {
            if name.is_empty() || name.chars().count() > 100 {
                problems.push("ui.product_name must have 1 to 100 characters".to_owned());
            } else {
                settings.mail.product_name = name.to_owned();
            }
        }
        let Some(mail) = mail.filter(|_| problems.is_empty()) else {
            return Err(problems);
        };
        Ok(Self {
            settings,
            listen,
            data_dir,
            database_url,
            max_connections,
            master_key,
            serving,
            drain_timeout: std::time::Duration::from_secs(drain_timeout.unsigned_abs()),
            mail,
        })
    }

    /// Whether the database is the embedded SQLite.
    pub fn is_sqlite(&self) -> bool {
        self.database_url.starts_with("sqlite:")
    }

    /// The database for start-up lines: SQLite's file, or the URL with any password hidden.
    pub fn database_display(&self) -> String {
        if let Some(rest) = self.database_url.strip_prefix("sqlite:") {
            let path = rest.trim_start_matches("//");
            return format!("SQLite {}", path.split('?').next().unwrap_or(path));
        }
        match Url::parse(&self.database_url) {
            Ok(mut url) if url.password().is_some() => {
                let _ = url.set_password(Some("****"));
                url.to_string()
            }
            _ => self.database_url.clone(),
        }
    }
}

/// `[[upstream]]` entries: each built from its preset or fields, the secret read from
/// `client_secret_env` when given; ids must be unique.
/// `[ui]`: every problem with the languages, the theme and the branding.
fn resolve_ui(raw: &RawUi, problems: &mut Vec<String>) -> keygate_core::settings::UiSettings {
    use keygate_core::branding;
    if let Some(dir) = &raw.locales_dir
        && let Err(e) = crate::ui::i18n::Catalogs::load(Some(dir))
    {
        problems.push(format!("ui.locales_dir: {e}"));
    }
    let look = branding::Look {
        primary_color: raw.primary_color.clone(),
        background_color: raw.background_color.clone(),
        background_image: raw.background_image.clone(),
    };
    problems.extend(look.problems("ui."));
    for (field, value) in [("ui.logo", &raw.logo), ("ui.favicon", &raw.favicon)] {
        problems.extend(value.as_deref().and_then(|v| branding::picture_problem(field, v)));
    }
    if let Some(url) = &raw.support_url {
        problems.extend(branding::support_link_problem("ui.support_url", url));
    }
    if let Some(dir) = &raw.theme_dir {
        problems.extend(crate::ui::check_theme(dir));
    }
    keygate_core::settings::UiSettings {
        locales_dir: raw.locales_dir.clone(),
        theme_dir: raw.theme_dir.clone(),
        logo: raw.logo.clone(),
        favicon: raw.favicon.clone(),
        support_url: raw.support_url.clone(),
        look,
    }
}

fn resolve_upstreams(
    raw: Vec<keygate_core::federation::UpstreamSpec>,
    problems: &mut Vec<String>,
) -> Vec<keygate_core::federation::UpstreamProvider> {
    let mut upstreams: Vec<keygate_core::federation::UpstreamProvider> = Vec::new();
    for (i, mut spec) in raw.into_iter().enumerate() {
        let name = spec.id.clone().or(spec.preset.clone()).unwrap_or_else(|| format!("#{}", i + 1));
        if let Some(var) = spec.client_secret_env.take() {
            match std::env::var(&var) {
                Ok(secret) => spec.client_secret = Some(secret),
                Err(_) => problems.push(format!("upstream {name}: ${var} is not set")),
            }
        }
        match spec.build() {
            Ok(mut upstream) if upstream.client_secret.is_some() => {
                upstream.from_config = true;
                if upstreams.iter().any(|u| u.id == upstream.id) {
                    problems.push(format!("upstream {name}: the id is used twice"));
                }
                upstreams.push(upstream);
            }
            Ok(_) => problems
                .push(format!("upstream {name}: client_secret or client_secret_env is required")),
            Err(errors) => {
                problems.extend(errors.into_iter().map(|e| format!("upstream {name}: {e}")))
            }
        }
    }
    upstreams
}

/// OpenID Connect Discovery §3 / RFC 8414 §2: the issuer is an `https` URL with no query or
/// fragment. Plain `http` is accepted for loopback hosts, for development.
fn validate_issuer(issuer: &str) -> Result<(), String> {
    let url = Url::parse(issuer).map_err(|e| format!("issuer '{issuer}' is not a URL: {e}"))?;
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!("issuer '{issuer}' must not have a query or fragment (RFC 8414 §2)"));
    }
    let loopback = match url.host() {
        Some(Host::Domain(d)) => d == "localhost",
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    match url.scheme() {
        "https" => Ok(()),
        "http" if loopback => Ok(()),
        _ => Err(format!(
            "issuer '{issuer}' must use https: plain http is allowed only when the issuer's host \
             is localhost or a loopback address (development). Serve HTTPS with [tls] cert_file \
             and key_file, or behind a TLS-terminating proxy, and set an https:// issuer"
        )),
    }
}

fn resolve_tokens(raw: &RawTokens, settings: &mut Settings, problems: &mut Vec<String>) {
    let ttl = |value: Option<i64>, name: &str, default: i64, problems: &mut Vec<String>| {
        let v = value.unwrap_or(default);
        if !(60..=86_400).contains(&v) {
            problems.push(format!("tokens.{name} must be between 60 and 86400 seconds"));
        }
        v
    };
    settings.access_token_ttl =
        ttl(raw.access_token_ttl, "access_token_ttl", settings.access_token_ttl, problems);
    settings.id_token_ttl = ttl(raw.id_token_ttl, "id_token_ttl", settings.id_token_ttl, problems);
    let alg =
        |value: &Option<String>, name: &str, default: SigningAlg, p: &mut Vec<String>| match value
            .as_deref()
            .map(str::parse::<SigningAlg>)
        {
            None => default,
            Some(Ok(alg)) => alg,
            Some(Err(e)) => {
                p.push(format!("tokens.{name}: {e}"));
                default
            }
        };
    settings.access_token_alg =
        alg(&raw.access_token_alg, "access_token_alg", settings.access_token_alg, problems);
    settings.id_token_alg = alg(&raw.id_token_alg, "id_token_alg", settings.id_token_alg, problems);
    settings.refresh_token_ttl = bounded(
        raw.refresh_token_ttl,
        "tokens.refresh_token_ttl",
        300..=31_536_000,
        settings.refresh_token_ttl,
        problems,
    );
    settings.refresh_reuse_grace = bounded(
        raw.refresh_reuse_grace,
        "tokens.refresh_reuse_grace",
        0..=300,
        settings.refresh_reuse_grace,
        problems,
    );
}

/// A setting that must lie in `range`; out of range is a problem and the default is kept.
pub(crate) fn bounded(
    value: Option<i64>,
    name: &str,
    range: std::ops::RangeInclusive<i64>,
    default: i64,
    problems: &mut Vec<String>,
) -> i64 {
    match value {
        Some(v) if range.contains(&v) => v,
        Some(_) => {
            problems.push(format!("{name} must be between {} and {}", range.start(), range.end()));
            default
        }
        None => default,
    }
}

fn resolve_login(raw: &RawLogin, settings: &mut Settings, problems: &mut Vec<String>) {
    settings.consent_ttl = raw
        .consent_ttl
        .map(|ttl| bounded(Some(ttl), "login.consent_ttl", 60..=315_360_000, ttl, problems));
    settings.session_ttl = bounded(
        raw.session_ttl,
        "login.session_ttl",
        300..=31_536_000,
        settings.session_ttl,
        problems,
    );
    settings.login_max_failures_per_account = bounded(
        raw.max_failures_per_account,
        "login.max_failures_per_account",
        1..=1000,
        settings.login_max_failures_per_account,
        problems,
    );
    settings.login_max_failures_per_ip = bounded(
        raw.max_failures_per_ip,
        "login.max_failures_per_ip",
        1..=100_000,
        settings.login_max_failures_per_ip,
        problems,
    );
    settings.login_window = bounded(
        raw.throttle_window,
        "login.throttle_window",
        10..=86_400,
        settings.login_window,
        problems,
    );
    let days = keygate_core::settings::SIGNIN_LOG_DAYS;
    let days = bounded(raw.signin_log_days, "login.signin_log_days", 1..=3650, days, problems);
    settings.signin_log_retention = days * 86_400;
}

/// `[signup]`: the mode, and the domains that `domain` needs.
fn resolve_signup(
    raw: &RawSignup,
    problems: &mut Vec<String>,
) -> keygate_core::settings::SignupSettings {
    use keygate_core::settings::{SignupMode, SignupSettings};
    let mode = match raw.mode.as_deref().unwrap_or("off") {
        "off" => SignupMode::Off,
        "invite" => SignupMode::Invite,
        "domain" => SignupMode::Domain,
        "open" => SignupMode::Open,
        other => {
            problems.push(format!("signup.mode: '{other}' is not off, invite, domain or open"));
            SignupMode::Off
        }
    };
    let domains: Vec<String> = raw
        .domains
        .as_ref()
        .map(crate::serving::AddressList::entries)
        .unwrap_or_default()
        .into_iter()
        .map(|d| d.trim().trim_start_matches('@').to_lowercase())
        .filter(|d| !d.is_empty())
        .collect();
    for domain in &domains {
        if !domain.contains('.') || domain.contains(|c: char| c.is_whitespace() || c == '@') {
            problems.push(format!("signup.domains: '{domain}' is not a domain like example.com"));
        }
    }
    if mode == SignupMode::Domain && domains.is_empty() {
        problems.push("signup.mode = \"domain\" needs signup.domains".to_owned());
    }
    let hours = bounded(raw.confirm_link_hours, "signup.confirm_link_hours", 1..=720, 24, problems);
    SignupSettings {
        mode,
        domains,
        confirm_ttl: hours * 3600,
        require_verified_email: raw.require_verified_email.unwrap_or(false),
        ..SignupSettings::default()
    }
}

/// RFC 7591 §3: registration is off unless enabled, and needs an initial access token unless
/// also open. `open` without `enabled` is a mistake worth stopping for.
fn resolve_registration(raw: &RawRegistration, problems: &mut Vec<String>) -> RegistrationSettings {
    let enabled = raw.enabled.unwrap_or(false);
    let open = raw.open.unwrap_or(false);
    if open && !enabled {
        problems.push("registration.open needs registration.enabled = true".to_owned());
    }
    let unused_client_ttl = match raw.unused_client_ttl {
        None => Some(keygate_core::settings::UNUSED_CLIENT_TTL),
        Some(0) => None,
        Some(ttl) if ttl > 0 => Some(ttl),
        Some(_) => {
            problems.push("registration.unused_client_ttl must be 0 (keep) or positive".to_owned());
            None
        }
    };
    RegistrationSettings { enabled, open: open && enabled, unused_client_ttl }
}

fn resolve_passwords(raw: &RawPasswords, problems: &mut Vec<String>) -> PasswordPolicy {
    let default = PasswordPolicy::default();
    let policy = PasswordPolicy {
        memory_kib: raw.argon2_memory_kib.unwrap_or(default.memory_kib),
        iterations: raw.argon2_iterations.unwrap_or(default.iterations),
        parallelism: raw.argon2_parallelism.unwrap_or(default.parallelism),
        min_length: raw.min_length.unwrap_or(default.min_length),
        hashing_threads: raw.hashing_threads.unwrap_or(default.hashing_threads),
    };
    if policy.min_length < keygate_core::password_rules::MIN_LENGTH_FLOOR {
        problems.push(format!(
            "passwords.min_length must be at least {} (NIST SP 800-63B)",
            keygate_core::password_rules::MIN_LENGTH_FLOOR
        ));
    }
    if let Err(e) =
        argon2::Params::new(policy.memory_kib, policy.iterations, policy.parallelism, None)
    {
        problems.push(format!("passwords: invalid Argon2 parameters: {e}"));
    }
    policy
}

/// Creates the data directory (mode 0700) if it is missing.
pub fn ensure_data_dir(dir: &Path) -> anyhow::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder
        .create(dir)
        .map_err(|e| anyhow::anyhow!("cannot create data directory {}: {e}", dir.display()))
}

/// `[token_exchange] trusted_issuers`: each an issuer URL with an https `jwks_uri`.
fn resolve_trusted_issuers(
    raw: &RawTokenExchange,
    own_issuer: &str,
    problems: &mut Vec<String>,
) -> Vec<keygate_core::settings::TrustedIssuer> {
    let mut issuers = Vec::new();
    for trusted in raw.trusted_issuers.iter().flatten() {
        if trusted.issuer.trim_end_matches('/') == own_issuer.trim_end_matches('/') {
            problems.push(format!(
                "token_exchange.trusted_issuers: '{}' is Keygate's own issuer, whose tokens are \
                 always accepted with their revocation checked; remove it",
                trusted.issuer
            ));
            continue;
        }
        let issuer_ok = url::Url::parse(&trusted.issuer).is_ok();
        let keys_ok = url::Url::parse(&trusted.jwks_uri).is_ok_and(|u| u.scheme() == "https");
        if !issuer_ok || !keys_ok {
            problems.push(format!(
                "token_exchange.trusted_issuers: '{}' needs an issuer URL and an https jwks_uri",
                trusted.issuer
            ));
            continue;
        }
        issuers.push(keygate_core::settings::TrustedIssuer {
            issuer: trusted.issuer.clone(),
            jwks_uri: trusted.jwks_uri.clone(),
        });
    }
    issuers
}

/// `[requests]`: how authorization requests may arrive.
fn resolve_requests(
    raw: &RawRequests,
    problems: &mut Vec<String>,
) -> keygate_core::settings::RequestSettings {
    let fapi2 = match raw.profile.as_deref() {
        None | Some("none") => false,
        Some("fapi2") => true,
        Some(other) => {
            problems.push(format!("requests.profile: '{other}' is not none or fapi2"));
            false
        }
    };
    let mut request_uri_origins = Vec::new();
    for text in raw.request_uri_origins.iter().flatten() {
        match url::Url::parse(text) {
            Ok(url) if url.scheme() == "https" && matches!(url.path(), "" | "/") => {
                request_uri_origins.push(url.origin().ascii_serialization());
            }
            _ => problems.push(format!(
                "requests.request_uri_origins: '{text}' is not an https origin such as \
                 https://client.example"
            )),
        }
    }
    keygate_core::settings::RequestSettings {
        require_pushed: raw.require_pushed.unwrap_or(false),
        pushed_lifetime: bounded(
            raw.pushed_lifetime,
            "requests.pushed_lifetime",
            10..=600,
            60,
            problems,
        ),
        require_signed: raw.require_signed.unwrap_or(false),
        fapi2,
        request_uri_origins,
    }
}

/// The PEM file of a `*ca_file` setting (`key` names it in problems), checked to hold at
/// least one certificate, so that a wrong file fails `keygate config check`, not a request.
pub(crate) fn read_ca_file(path: &Path, key: &str) -> Result<Vec<u8>, String> {
    let shown = path.display();
    let pem = std::fs::read(path).map_err(|e| format!("{key}: {shown}: {e}"))?;
    match reqwest::Certificate::from_pem_bundle(&pem) {
        Ok(certs) if !certs.is_empty() => Ok(pem),
        _ => Err(format!("{key}: {shown} holds no PEM certificate")),
    }
}

/// `[mfa] passkey_rp_id`: the issuer's host or a suffix of it at a dot (WebAuthn L3 §5.1.2:
/// the RP ID is a registrable domain suffix of the origin's effective domain).
fn resolve_rp_id(raw: &RawMfa, issuer: &str, problems: &mut Vec<String>) -> Option<String> {
    let rp_id = raw.passkey_rp_id.as_deref()?.trim().to_ascii_lowercase();
    let host = url::Url::parse(issuer).ok().and_then(|u| u.host_str().map(str::to_owned));
    let host = host.unwrap_or_default();
    if host == rp_id || (host.ends_with(&format!(".{rp_id}")) && rp_id.contains('.')) {
        return Some(rp_id);
    }
    problems.push(format!(
        "mfa.passkey_rp_id: '{rp_id}' is not the issuer's host ({host}) or a domain it is under"
    ));
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_problem_is_reported_at_once() {
        let raw = RawConfig {
            issuer: Some("http://example.com?x=1".into()),
            listen: Some("nowhere".into()),
            master_key: Some("short".into()),
            tokens: RawTokens {
                access_token_ttl: Some(5),
                access_token_alg: Some("HS256".into()),
                ..Default::default()
            },
            registration: RawRegistration { enabled: None, open: Some(true), ..Default::default() },
            ..Default::default()
        };
        let problems = Config::resolve(raw).err().unwrap_or_default();
        assert_eq!(problems.len(), 6, "{problems:#?}");
    }

    /// RFC 8693 §3: Keygate's own tokens are checked as its own (revocation, DPoP binding);
    /// naming its issuer as a trusted foreign one would let them through the weaker check.
    #[test]
    fn rfc8693_3_keygates_own_issuer_is_not_a_trusted_foreign_issuer() {
        let trusted = |issuer: &str| RawTrustedIssuer {
            issuer: issuer.to_owned(),
            jwks_uri: "https://login.example.com/jwks".to_owned(),
        };
        let raw = RawConfig {
            issuer: Some("https://login.example.com".into()),
            token_exchange: RawTokenExchange {
                trusted_issuers: Some(vec![
                    trusted("https://login.example.com/"),
                    trusted("https://partner.example"),
                ]),
            },
            ..Default::default()
        };
        let problems = Config::resolve(raw).err().unwrap_or_default();
        assert_eq!(problems.len(), 1, "{problems:#?}");
        assert!(problems[0].contains("Keygate's own issuer"), "{problems:#?}");
    }

    #[test]
    fn outbound_ca_file_must_hold_a_certificate() {
        let dir = std::env::temp_dir().join(format!("kgca-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let file = dir.join("not-a-ca.pem");
        let _ = std::fs::write(&file, "not a certificate");
        let raw = |ca_file: PathBuf| RawConfig {
            outbound: RawOutbound { ca_file: Some(ca_file), ..Default::default() },
            ..Default::default()
        };
        let problems = Config::resolve(raw(file)).err().unwrap_or_default();
        assert_eq!(problems.len(), 1, "{problems:#?}");
        assert!(problems[0].contains("outbound.ca_file") && problems[0].contains("no PEM"));
        let problems = Config::resolve(raw(dir.join("absent.pem"))).err().unwrap_or_default();
        assert!(problems[0].contains("absent.pem"), "{problems:#?}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn rfc9101_10_4_1_request_uri_origins_are_https_origins() {
        let raw = |origins: &[&str]| RawConfig {
            requests: RawRequests {
                request_uri_origins: Some(origins.iter().map(|o| (*o).to_owned()).collect()),
                ..Default::default()
            },
            ..Default::default()
        };
        let bad = ["http://client.example", "https://client.example/objects", "client.example"];
        let problems = Config::resolve(raw(&bad)).err().unwrap_or_default();
        assert_eq!(problems.len(), 3, "{problems:#?}");
        let ok = Config::resolve(raw(&["https://Client.example:8443/", "https://b.example"]));
        let origins = ok.ok().map(|c| c.settings.requests.request_uri_origins);
        assert_eq!(
            origins,
            Some(vec!["https://client.example:8443".to_owned(), "https://b.example".to_owned()])
        );
    }

    #[test]
    fn signup_is_off_by_default_and_domain_mode_needs_real_domains() {
        let default = Config::resolve(RawConfig::default()).ok().map(|c| c.settings.signup);
        assert_eq!(default.map(|s| s.mode), Some(keygate_core::settings::SignupMode::Off));
        let raw = |mode: &str, domains: &str| RawConfig {
            signup: RawSignup {
                mode: Some(mode.into()),
                domains: Some(crate::serving::AddressList::Text(domains.into())),
                confirm_link_hours: Some(0),
                require_verified_email: None,
            },
            ..Default::default()
        };
        let problems = Config::resolve(raw("domain", "")).err().unwrap_or_default();
        assert_eq!(problems.len(), 2, "no domains, bad hours: {problems:#?}");
        let problems =
            Config::resolve(raw("sometimes", "x@y, example.org")).err().unwrap_or_default();
        assert_eq!(problems.len(), 3, "bad mode, bad domain, bad hours: {problems:#?}");
        let ok = RawConfig {
            signup: RawSignup {
                mode: Some("domain".into()),
                domains: Some(crate::serving::AddressList::Text("@Example.ORG".into())),
                confirm_link_hours: None,
                require_verified_email: Some(true),
            },
            ..Default::default()
        };
        let signup = Config::resolve(ok).ok().map(|c| c.settings.signup.domains);
        assert_eq!(signup, Some(vec!["example.org".to_owned()]));
    }

    #[test]
    fn editable_claims_are_user_editable_standard_claims_listed_once() {
        let raw = |names: &[&str]| RawConfig {
            account: RawAccount {
                allow_delete: None,
                editable_claims: Some(names.iter().map(|n| (*n).to_owned()).collect()),
            },
            ..Default::default()
        };
        let ok = Config::resolve(raw(&["nickname", "locale"])).ok().map(|c| c.settings);
        assert_eq!(ok.map(|s| s.editable_claims), Some(vec!["nickname".into(), "locale".into()]));
        let bad = raw(&["nickname", "email", "phone_number_verified", "nickname"]);
        let problems = Config::resolve(bad).err().unwrap_or_default();
        assert_eq!(problems.len(), 3, "{problems:#?}");
        assert!(problems[0].contains("'email' is not a claim users may edit"));
        assert!(problems[2].contains("listed twice"));
    }

    #[test]
    fn nist_800_63b_password_min_length_is_12_by_default_and_never_under_8() {
        let policy = Config::resolve(RawConfig::default()).ok().map(|c| c.settings.passwords);
        assert_eq!(policy.map(|p| p.min_length), Some(12));
        let raw = RawConfig {
            passwords: RawPasswords { min_length: Some(6), ..Default::default() },
            ..Default::default()
        };
        assert!(Config::resolve(raw).is_err());
    }

    #[test]
    fn registration_is_off_by_default_and_needs_a_token_unless_open() {
        let config = Config::resolve(RawConfig::default()).ok().map(|c| c.settings.registration);
        assert_eq!(config, Some(RegistrationSettings::default()));
        let raw = RawConfig {
            registration: RawRegistration { enabled: Some(true), open: None, ..Default::default() },
            ..Default::default()
        };
        let config = Config::resolve(raw).ok().map(|c| c.settings.registration);
        assert_eq!(config, Some(RegistrationSettings { enabled: true, ..Default::default() }));
    }

    #[test]
    fn consents_last_until_withdrawn_and_shutdown_drains_ten_seconds_unless_set() {
        let config = Config::resolve(RawConfig::default()).ok();
        assert_eq!(config.as_ref().map(|c| c.settings.consent_ttl), Some(None));
        assert_eq!(config.map(|c| c.drain_timeout.as_secs()), Some(10));
        let raw = RawConfig {
            drain_timeout: Some(30),
            login: RawLogin { consent_ttl: Some(86_400), ..Default::default() },
            ..Default::default()
        };
        let config = Config::resolve(raw).ok();
        assert_eq!(config.as_ref().map(|c| c.settings.consent_ttl), Some(Some(86_400)));
        assert_eq!(config.map(|c| c.drain_timeout.as_secs()), Some(30));
        let raw = RawConfig {
            drain_timeout: Some(86_400),
            login: RawLogin { consent_ttl: Some(1), ..Default::default() },
            ..Default::default()
        };
        assert_eq!(Config::resolve(raw).err().map(|p| p.len()), Some(2));
    }

    #[test]
    fn rfc8414_2_issuer_must_be_https_except_on_loopback() {
        assert!(validate_issuer("https://id.example.com").is_ok());
        assert!(validate_issuer("http://localhost:8080").is_ok());
        assert!(validate_issuer("http://127.0.0.1:9000/tenant").is_ok());
        assert!(validate_issuer("http://id.example.com").is_err());
        assert!(validate_issuer("https://id.example.com#frag").is_err());
    }

    #[test]
    fn environment_names_map_to_sections() {
        assert_eq!(env_key("DATABASE_URL").as_deref(), Some("database.url"));
        assert_eq!(env_key("DATA_DIR").as_deref(), Some("data_dir"));
        assert_eq!(env_key("TOKENS__ACCESS_TOKEN_TTL").as_deref(), Some("tokens.access_token_ttl"));
        assert_eq!(env_key("LOGIN_SESSION_TTL").as_deref(), Some("login.session_ttl"));
        assert_eq!(env_key("REGISTRATION_ENABLED").as_deref(), Some("registration.enabled"));
        assert_eq!(env_key("REGISTRATION_OPEN").as_deref(), Some("registration.open"));
        assert_eq!(env_key("TLS_CERT_FILE").as_deref(), Some("tls.cert_file"));
        assert_eq!(env_key("TLS_KEY_FILE").as_deref(), Some("tls.key_file"));
        assert_eq!(env_key("PROXY_TRUSTED").as_deref(), Some("proxy.trusted"));
        assert_eq!(env_key("METRICS_LISTEN").as_deref(), Some("metrics.listen"));
        assert_eq!(env_key("DRAIN_TIMEOUT").as_deref(), Some("drain_timeout"));
        assert_eq!(env_key("LOGIN_CONSENT_TTL").as_deref(), Some("login.consent_ttl"));
        assert_eq!(
            env_key("CLIENT_METADATA_DOCUMENTS_ENABLED").as_deref(),
            Some("client_metadata_documents.enabled")
        );
        assert_eq!(
            env_key("TOKEN_EXCHANGE_TRUSTED_ISSUERS").as_deref(),
            Some("token_exchange.trusted_issuers")
        );
        assert_eq!(env_key("CONFIG"), None);
        assert_eq!(env_key("TEST_POSTGRES_URL"), None);
    }

    #[test]
    fn webauthn_5_1_2_the_rp_id_is_the_issuers_host_or_a_domain_it_is_under() {
        let issuer = "https://login.example.com";
        let raw = |id: &str| RawMfa { passkey_rp_id: Some(id.to_owned()), ..RawMfa::default() };
        let mut problems = Vec::new();
        assert_eq!(
            resolve_rp_id(&raw("example.com"), issuer, &mut problems).as_deref(),
            Some("example.com")
        );
        assert_eq!(
            resolve_rp_id(&raw("Login.Example.com"), issuer, &mut problems).as_deref(),
            Some("login.example.com")
        );
        assert!(problems.is_empty(), "{problems:?}");
        for wrong in ["ample.com", "other.example", "com", "evil-login.example.com"] {
            assert_eq!(resolve_rp_id(&raw(wrong), issuer, &mut problems), None, "{wrong}");
        }
        assert_eq!(problems.len(), 4);
        assert!(problems[0].contains("mfa.passkey_rp_id"));
    }
}
