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
    /// Allowed grant type (repeat): authorization_code, refresh_token, client_credentials.
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
        /// Print JSON.
        #[arg(long)]
        json: bool,
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
