//! The command line.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Keygate: an OpenID Connect provider and OAuth 2.0 authorization server.
#[derive(Debug, Parser)]
#[command(name = "keygate", version, about)]
pub struct Cli {
    /// Configuration options shared by every command.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command accepts.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Configuration file (TOML).
    #[arg(long, global = true, env = "KEYGATE_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Data directory for the embedded database and the master key [default: ./keygate-data].
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Issuer identifier [default: http://localhost:8080].
    #[arg(long, global = true, value_name = "URL")]
    pub issuer: Option<String>,
    /// Listening address [default: 127.0.0.1:8080].
    #[arg(long, global = true, value_name = "ADDR")]
    pub listen: Option<String>,
}

/// The commands.
// Parsed once per process: the size of the largest variant does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the server.
    Serve,
    /// Apply pending database migrations.
    Migrate,
    /// Configuration tools.
    Config {
        /// The configuration command.
        #[command(subcommand)]
        command: ConfigCommand,
    },
    /// Manage applications (OAuth clients).
    Clients {
        /// The clients command.
        #[command(subcommand)]
        command: ClientsCommand,
    },
    /// Manage users.
    Users {
        /// The users command.
        #[command(subcommand)]
        command: UsersCommand,
    },
    /// Manage signing keys.
    Keys {
        /// The keys command.
        #[command(subcommand)]
        command: KeysCommand,
    },
    /// Manage APIs (resource servers) and their scopes.
    Apis {
        /// The apis command.
        #[command(subcommand)]
        command: crate::cli_admin::ApisCommand,
    },
    /// Manage upstream identity providers ("sign in with Google/GitHub/...").
    Upstreams {
        /// The upstreams command.
        #[command(subcommand)]
        command: crate::cli_upstreams::UpstreamsCommand,
    },
    /// Show the audit log.
    Audit(crate::cli_admin::AuditArgs),
    /// Show the sign-in log: sign-ins, failed sign-ins and refused token reuse.
    Events(crate::cli_admin::EventsArgs),
    /// Email: test messages, the outbox, resending, password reset links.
    Mail {
        /// The mail command.
        #[command(subcommand)]
        command: crate::cli_mail::MailCommand,
    },
    /// Create the first administrator and print how to sign in to the console.
    Bootstrap(crate::cli_admin::BootstrapArgs),
    /// A consistent copy of the SQLite database, taken while the server runs.
    Backup {
        /// Where to write it (must not exist).
        file: std::path::PathBuf,
    },
    /// Replace the SQLite database with a backup (stop the server first).
    Restore {
        /// The backup.
        file: std::path::PathBuf,
        /// Replace an existing database.
        #[arg(long)]
        force: bool,
    },
    /// Write clients, APIs, users, upstreams and linked identities as JSON (hashes and sealed
    /// secrets as stored), to move them to another database.
    Export {
        /// Write here instead of standard output.
        #[arg(long)]
        output: Option<std::path::PathBuf>,
    },
    /// Read an export into the configured database; existing rows are kept and listed.
    Import {
        /// The export.
        file: std::path::PathBuf,
    },
    /// Dynamic client registration (RFC 7591) tools.
    Registration {
        /// The registration command.
        #[command(subcommand)]
        command: crate::cli_admin::RegistrationCommand,
    },
}

/// `keygate config ...`
#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Validate the configuration and print every problem.
    Check,
}

/// Client metadata flags shared by `create` and `update`.
#[derive(Debug, Args, Default)]
pub struct ClientFields {
    /// Display name.
    #[arg(long)]
    pub name: Option<String>,
    /// Allowed redirect URI (repeat for several).
    #[arg(long = "redirect-uri", value_name = "URI")]
    pub redirect_uris: Vec<String>,
    /// Allowed post-logout redirect URI (repeat for several).
    #[arg(long = "post-logout-redirect-uri", value_name = "URI")]
    pub post_logout_redirect_uris: Vec<String>,
    /// Allowed grant type (repeat): authorization_code, refresh_token, client_credentials,
    /// device_code (RFC 8628), token_exchange (RFC 8693).
    #[arg(long = "grant-type", value_name = "GRANT")]
    pub grant_types: Vec<String>,
    /// Allowed scope (repeat).
    #[arg(long = "scope", value_name = "SCOPE")]
    pub scopes: Vec<String>,
    /// Allowed RFC 8707 resource / token audience (repeat; the first is the default).
    #[arg(long = "resource", value_name = "URI")]
    pub resources: Vec<String>,
    /// Token endpoint auth method: client_secret_basic, client_secret_post or none.
    #[arg(long = "auth-method", value_name = "METHOD")]
    pub auth_method: Option<String>,
    /// A first-party application skips the consent page (`--first-party` or `--first-party false`).
    #[arg(long, value_name = "BOOL", num_args = 0..=1, default_missing_value = "true")]
    pub first_party: Option<bool>,
    /// ID token signing algorithm for this application: RS256, ES256 or EdDSA.
    #[arg(long, value_name = "ALG")]
    pub id_token_alg: Option<String>,
    /// OIDC Back-Channel Logout URI ("" removes it).
    #[arg(long, value_name = "URI")]
    pub backchannel_logout_uri: Option<String>,
    /// Web origin allowed to call the token and userinfo endpoints from a browser (repeat).
    #[arg(long = "web-origin", value_name = "ORIGIN")]
    pub web_origins: Vec<String>,
    /// Logo shown on the login and consent pages ("" removes it).
    #[arg(long, value_name = "URI")]
    pub logo_uri: Option<String>,
    /// Primary color of this application's login and consent pages, #rrggbb ("" returns to
    /// the product's); it must be dark enough for white text.
    #[arg(long, value_name = "COLOR")]
    pub primary_color: Option<String>,
    /// Picture behind this application's login and consent pages ("" removes it).
    #[arg(long, value_name = "URI")]
    pub background_uri: Option<String>,
    /// Privacy policy link ("" removes it).
    #[arg(long, value_name = "URI")]
    pub policy_uri: Option<String>,
    /// Terms of service link ("" removes it).
    #[arg(long, value_name = "URI")]
    pub tos_uri: Option<String>,
    /// Access token lifetime in seconds (0 returns to the default).
    #[arg(long, value_name = "SECONDS")]
    pub access_token_ttl: Option<i64>,
    /// Refresh token lifetime in seconds (0 returns to the default).
    #[arg(long, value_name = "SECONDS")]
    pub refresh_token_ttl: Option<i64>,
    /// Let a legacy confidential client use the code flow without PKCE (true), or require
    /// PKCE again (false, the default for every client).
    #[arg(long, value_name = "BOOL")]
    pub pkce_optional: Option<bool>,
    /// Require a second factor of everyone signing in to this application (true), or leave it
    /// to `[mfa] policy` (false).
    #[arg(long, value_name = "BOOL")]
    pub require_mfa: Option<bool>,
    /// Accept this application's authorization requests only when pushed to `/par` first
    /// (RFC 9126 §6), or from `/authorize` too (false, the default).
    #[arg(long, value_name = "BOOL")]
    pub require_par: Option<bool>,
    /// Accept this application's authorization requests only as signed request objects
    /// (RFC 9101 §10.5), or plain ones too (false, the default).
    #[arg(long, value_name = "BOOL")]
    pub require_signed_request_object: Option<bool>,
    /// The one algorithm of this application's request objects: RS256, PS256, ES256, EdDSA,
    /// or none to accept unsigned ones ("" removes it).
    #[arg(long, value_name = "ALG")]
    pub request_object_alg: Option<String>,
    /// Require a DPoP proof with every token request, so that every access token is bound to
    /// the application's key (RFC 9449 §5.2), or accept plain bearer requests (false).
    #[arg(long, value_name = "BOOL")]
    pub dpop_bound: Option<bool>,
    /// Apply the FAPI 2.0 Security Profile (pushed requests, private_key_jwt, DPoP, https
    /// redirect URIs, ES256/EdDSA ID tokens), or not (false, the default).
    #[arg(long, value_name = "BOOL")]
    pub fapi2: Option<bool>,
}

impl ClientFields {
    /// The metadata flags applied over `current`; `None` when none was given.
    pub fn metadata_over(
        &self,
        current: &keygate_core::client::ClientMetadata,
    ) -> Option<keygate_core::client::ClientMetadata> {
        let given = !self.web_origins.is_empty()
            || self.logo_uri.is_some()
            || self.primary_color.is_some()
            || self.background_uri.is_some()
            || self.policy_uri.is_some()
            || self.tos_uri.is_some()
            || self.access_token_ttl.is_some()
            || self.refresh_token_ttl.is_some()
            || self.pkce_optional.is_some()
            || self.require_mfa.is_some()
            || self.require_par.is_some()
            || self.require_signed_request_object.is_some()
            || self.request_object_alg.is_some()
            || self.dpop_bound.is_some()
            || self.fapi2.is_some();
        if !given {
            return None;
        }
        let mut m = current.clone();
        let text = |v: &Option<String>, old: &Option<String>| match v {
            Some(v) if v.is_empty() => None,
            Some(v) => Some(v.clone()),
            None => old.clone(),
        };
        let ttl = |v: Option<i64>, old: Option<i64>| match v {
            Some(0) => None,
            Some(v) => Some(v),
            None => old,
        };
        if !self.web_origins.is_empty() {
            m.web_origins = self.web_origins.clone();
        }
        m.logo_uri = text(&self.logo_uri, &m.logo_uri);
        m.primary_color = text(&self.primary_color, &m.primary_color);
        m.background_uri = text(&self.background_uri, &m.background_uri);
        m.policy_uri = text(&self.policy_uri, &m.policy_uri);
        m.tos_uri = text(&self.tos_uri, &m.tos_uri);
        m.access_token_ttl = ttl(self.access_token_ttl, m.access_token_ttl);
        m.refresh_token_ttl = ttl(self.refresh_token_ttl, m.refresh_token_ttl);
        m.pkce_optional = self.pkce_optional.unwrap_or(m.pkce_optional);
        m.require_mfa = self.require_mfa.unwrap_or(m.require_mfa);
        m.require_pushed_authorization_requests =
            self.require_par.unwrap_or(m.require_pushed_authorization_requests);
        m.require_signed_request_object =
            self.require_signed_request_object.unwrap_or(m.require_signed_request_object);
        m.request_object_signing_alg =
            text(&self.request_object_alg, &m.request_object_signing_alg);
        m.dpop_bound_access_tokens = self.dpop_bound.unwrap_or(m.dpop_bound_access_tokens);
        m.fapi2 = self.fapi2.unwrap_or(m.fapi2);
        Some(m)
    }
}

/// `keygate clients ...`
#[derive(Debug, Subcommand)]
pub enum ClientsCommand {
    /// Register an application; prints its id and, once, its secret.
    Create {
        /// Application type: web, spa, native or m2m.
        #[arg(long = "type", value_name = "TYPE")]
        client_type: String,
        /// Use this client id instead of a generated one.
        #[arg(long)]
        client_id: Option<String>,
        /// Read the client secret from standard input instead of generating one.
        #[arg(long)]
        client_secret_stdin: bool,
        /// Metadata.
        #[command(flatten)]
        fields: ClientFields,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// List applications.
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Show one application.
    Show {
        /// The client id.
        client_id: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Change an application's metadata (given list flags replace the whole list).
    Update {
        /// The client id.
        client_id: String,
        /// Metadata.
        #[command(flatten)]
        fields: ClientFields,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Delete an application.
    Delete {
        /// The client id.
        client_id: String,
    },
    /// Replace a confidential application's secret; prints the new one once.
    RotateSecret {
        /// The client id.
        client_id: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Applications known by their Client ID Metadata Document, and blocks on them.
    Documents {
        #[command(subcommand)]
        command: DocumentsCommand,
    },
}

/// `keygate clients documents ...`
#[derive(Debug, Subcommand)]
pub enum DocumentsCommand {
    /// List the applications known by their metadata document that users signed in to.
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// List the blocks.
    Blocks {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Refuse a document URL, every document of a host, or of a domain and its subdomains;
    /// revokes the grants of the applications it covers.
    Block {
        /// A document URL (the client id), a host name without port, or `*.` and a domain.
        target: String,
        /// Why, for the other operators.
        #[arg(long, default_value = "")]
        reason: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Accept a blocked document URL or host again.
    Unblock {
        /// The block's target.
        target: String,
    },
}

/// `keygate users ...`
#[derive(Debug, Subcommand)]
pub enum UsersCommand {
    /// Create a user; the password is read from standard input.
    Create {
        /// Login name.
        #[arg(long)]
        username: String,
        /// Email address.
        #[arg(long)]
        email: String,
        /// Mark the email address as verified.
        #[arg(long)]
        email_verified: bool,
        /// Full name.
        #[arg(long)]
        name: Option<String>,
        /// Given name.
        #[arg(long)]
        given_name: Option<String>,
        /// Family name.
        #[arg(long)]
        family_name: Option<String>,
        /// Read the password from standard input (required: passwords never go in arguments).
        #[arg(long, required = true)]
        password_stdin: bool,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// List users.
    List {
        /// Only users whose username or email contains this text.
        #[arg(long)]
        query: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Change a user's roles or claims.
    Update {
        /// Id, username or email.
        user: String,
        /// A role (repeat; replaces the roles), e.g. `admin`.
        #[arg(long = "role", value_name = "ROLE")]
        roles: Vec<String>,
        /// Remove every role.
        #[arg(long, conflicts_with = "roles")]
        no_roles: bool,
        /// A standard claim as `NAME=VALUE` (repeat; replaces the claims), e.g. `locale=en-GB`;
        /// VALUE is JSON when it parses as JSON.
        #[arg(long = "claim", value_name = "NAME=VALUE")]
        claims: Vec<String>,
        /// Require a second factor of the user (`true`: they add one at their next sign-in).
        #[arg(long, value_name = "BOOL")]
        require_mfa: Option<bool>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// List a user's sessions and remembered consents.
    Access {
        /// Id, username or email.
        user: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// End one of a user's sessions (signs them out there; clients are not notified).
    EndSession {
        /// Id, username or email.
        user: String,
        /// The session id (`sid`), from `keygate users access`.
        #[arg(long)]
        sid: String,
    },
    /// Withdraw a user's consent to an application and revoke its tokens.
    RevokeConsent {
        /// Id, username or email.
        user: String,
        /// The client id.
        #[arg(long)]
        client_id: String,
    },
    /// Show a user's second factors (authenticator app, recovery codes left).
    Factors {
        /// Id, username or email.
        user: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Remove a user's authenticator app and recovery codes (a lost phone).
    RemoveFactors {
        /// Id, username or email.
        user: String,
    },
    /// Show one user (by id, username or email).
    Show {
        /// Id, username or email.
        user: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Set a user's password, read from standard input.
    SetPassword {
        /// Id, username or email.
        user: String,
        /// Read the password from standard input.
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// Disable a user: they can no longer sign in.
    Disable {
        /// Id, username or email.
        user: String,
    },
    /// Enable a disabled user.
    Enable {
        /// Id, username or email.
        user: String,
    },
    /// Delete a user.
    Delete {
        /// Id, username or email.
        user: String,
    },
}

/// `keygate keys ...`
#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// List signing keys and their state.
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Make new signing keys; old public keys stay published until their tokens expire.
    Rotate {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}
