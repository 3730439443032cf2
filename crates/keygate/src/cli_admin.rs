//! The command line of the administration added beside clients and users: APIs, the audit log,
//! bootstrap and registration tokens.

use clap::{Args, Subcommand};

/// `keygate apis ...`
#[derive(Debug, Subcommand)]
pub enum ApisCommand {
    /// Register an API (resource server).
    Create {
        /// The identifier: token audience, an absolute URI.
        #[arg(long)]
        identifier: String,
        /// Display name.
        #[arg(long)]
        name: String,
        /// A scope and its description, as `NAME=DESCRIPTION` (repeat); `NAME@TAG=DESCRIPTION`
        /// gives its description in another language (`todo:read@de=Ihre Aufgaben lesen`).
        #[arg(long = "scope", value_name = "NAME=DESCRIPTION")]
        scopes: Vec<String>,
        /// An RFC 9396 authorization details type and what its locations are, as
        /// `TYPE=DESCRIPTION` (repeat).
        #[arg(long = "details-type", value_name = "TYPE=DESCRIPTION")]
        details_types: Vec<String>,
        /// An action of a details type and the words the consent page shows for it, as
        /// `TYPE ACTION=DESCRIPTION` (repeat).
        #[arg(long = "details-action", value_name = "TYPE ACTION=DESCRIPTION")]
        details_actions: Vec<String>,
        /// Access token lifetime in seconds.
        #[arg(long)]
        access_token_ttl: Option<i64>,
        /// Open to any application, self-registered ones (dynamic registration, Client ID
        /// Metadata Documents, MCP clients) included: the user's consent is the only grant.
        #[arg(long)]
        open: bool,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Open an API to any application (the user's consent is the only grant), or close it
    /// again with --closed.
    Open {
        /// Id or identifier.
        api: String,
        /// Only the applications an operator gave it to.
        #[arg(long)]
        closed: bool,
    },
    /// List APIs.
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Show one API (by id or identifier).
    Show {
        /// Id or identifier.
        api: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Allow a machine-to-machine client some of the API's scopes.
    Grant {
        /// Id or identifier.
        api: String,
        /// The client id.
        #[arg(long)]
        client_id: String,
        /// A scope (repeat).
        #[arg(long = "scope", value_name = "SCOPE")]
        scopes: Vec<String>,
    },
    /// Remove a client's access to the API.
    Ungrant {
        /// Id or identifier.
        api: String,
        /// The client id.
        #[arg(long)]
        client_id: String,
    },
    /// Create credentials the API authenticates with to introspect tokens issued for it
    /// (RFC 7662); prints the client id and, once, the secret.
    Credentials {
        /// Id or identifier.
        api: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Delete one of the API's introspection credentials.
    DeleteCredentials {
        /// Id or identifier.
        api: String,
        /// The credentials' client id.
        #[arg(long)]
        client_id: String,
    },
    /// Delete an API.
    Delete {
        /// Id or identifier.
        api: String,
    },
}

/// `keygate audit`.
#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Only this actor (`user:ID`, `client:ID`, `cli`).
    #[arg(long)]
    pub actor: Option<String>,
    /// Only actions with this prefix.
    #[arg(long)]
    pub action: Option<String>,
    /// Only this object (`client:ID`, `user:ID`, `api:ID`).
    #[arg(long)]
    pub target: Option<String>,
    /// At most this many events.
    #[arg(long, default_value_t = 50)]
    pub limit: i64,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// `keygate events`: the sign-in log, newest first.
#[derive(Debug, Args)]
pub struct EventsArgs {
    /// Only this user (id, username or email).
    #[arg(long)]
    pub user: Option<String>,
    /// Only this application (client id or name).
    #[arg(long)]
    pub application: Option<String>,
    /// Only these outcomes (repeat, or comma-separated): success, wrong_password,
    /// unknown_account, throttled, disabled, upstream_failure, consent_denied, token_reuse, or
    /// failures (all but success).
    #[arg(long)]
    pub outcome: Vec<String>,
    /// From this time (2026-12-01 or 2026-12-01T10:00, UTC).
    #[arg(long)]
    pub since: Option<String>,
    /// Until this time (a bare date includes that day).
    #[arg(long)]
    pub until: Option<String>,
    /// At most this many events.
    #[arg(long, default_value_t = 50)]
    pub limit: i64,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// `keygate bootstrap`.
#[derive(Debug, Args)]
pub struct BootstrapArgs {
    /// The administrator's username.
    #[arg(long, default_value = "admin")]
    pub username: String,
    /// The administrator's email.
    #[arg(long, default_value = "admin@keygate.localhost")]
    pub email: String,
    /// Read the password from standard input instead of generating one.
    #[arg(long)]
    pub password_stdin: bool,
}

/// `keygate registration ...`
#[derive(Debug, Subcommand)]
pub enum RegistrationCommand {
    /// Make an RFC 7591 initial access token (shown once).
    CreateToken {
        /// What it is for.
        #[arg(long, default_value = "")]
        note: String,
        /// Lifetime in seconds (none: until deleted).
        #[arg(long)]
        ttl: Option<i64>,
    },
}
