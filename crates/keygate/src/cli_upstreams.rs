//! `keygate upstreams ...`: upstream identity providers ("sign in with ...").

use clap::{Args, Subcommand};

/// `keygate upstreams ...`
#[derive(Debug, Subcommand)]
pub enum UpstreamsCommand {
    /// List upstream providers (the configuration file's and the stored ones).
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Add an upstream provider: a preset with a client id and secret, an OpenID Connect
    /// issuer, or a plain OAuth 2.0 server's endpoints. The client secret is read from
    /// standard input.
    Add(UpstreamArgs),
    /// Change an upstream provider; only the options given change. With
    /// `--client-secret-stdin` the secret is replaced.
    Update(UpstreamArgs),
    /// Remove an upstream provider (identities linked through it stay linked).
    Remove {
        /// Its id.
        id: String,
    },
    /// The upstream identities linked to a user.
    Links {
        /// Id, username or email.
        user: String,
    },
    /// Unlink an upstream identity from a user.
    Unlink {
        /// Id, username or email.
        user: String,
        /// The upstream's id.
        provider: String,
        /// The upstream's subject.
        subject: String,
    },
}

/// The settable fields of an upstream.
#[derive(Debug, Args)]
pub struct UpstreamArgs {
    /// Its id (lower-case letters, digits, `-`; default: the preset's name).
    #[arg(long)]
    pub id: Option<String>,
    /// `google`, `microsoft`, `facebook`, `github` or `gitlab`.
    #[arg(long)]
    pub preset: Option<String>,
    /// Microsoft's tenant (default `common`).
    #[arg(long)]
    pub tenant: Option<String>,
    /// The button text ("Sign in with NAME").
    #[arg(long)]
    pub name: Option<String>,
    /// An OpenID Provider's issuer (`--issuer` is Keygate's own).
    #[arg(long)]
    pub oidc_issuer: Option<String>,
    /// Plain OAuth 2.0: the authorization endpoint.
    #[arg(long)]
    pub authorization_endpoint: Option<String>,
    /// Plain OAuth 2.0: the token endpoint.
    #[arg(long)]
    pub token_endpoint: Option<String>,
    /// Plain OAuth 2.0: the user API.
    #[arg(long)]
    pub userinfo_endpoint: Option<String>,
    /// Plain OAuth 2.0: a GitHub-style emails API.
    #[arg(long)]
    pub emails_endpoint: Option<String>,
    /// Keygate's client id at the upstream.
    #[arg(long)]
    pub client_id: Option<String>,
    /// Read Keygate's client secret at the upstream from standard input.
    #[arg(long)]
    pub client_secret_stdin: bool,
    /// `client_secret_basic` or `client_secret_post`.
    #[arg(long)]
    pub token_auth: Option<String>,
    /// A scope to ask for (repeat the option; replaces the defaults).
    #[arg(long = "scope")]
    pub scopes: Vec<String>,
    /// Send a PKCE challenge (default true).
    #[arg(long)]
    pub pkce: Option<bool>,
    /// Where a claim is in the upstream's JSON, e.g. `subject=id`, `email=mail`,
    /// `name=profile.full_name` (repeat; replaces the mapping, and claims not given take their
    /// standard OpenID Connect names: `sub`, `email`, `email_verified`, `name`, ...).
    #[arg(long = "map", value_name = "CLAIM=PATH")]
    pub mapping: Vec<String>,
    /// Offer it on the login page (`--enabled false` hides it).
    #[arg(long)]
    pub enabled: Option<bool>,
    /// Create a user on the first sign-in.
    #[arg(long)]
    pub jit_provisioning: Option<bool>,
    /// Link to an existing account by an email the upstream verified.
    #[arg(long)]
    pub link_verified_email: Option<bool>,
    /// Log out at the upstream too (OpenID Connect RP-Initiated Logout).
    #[arg(long)]
    pub upstream_logout: Option<bool>,
    /// Save without asking an OpenID Connect issuer for its discovery document first (for a
    /// provider this machine cannot reach yet).
    #[arg(long)]
    pub no_check: bool,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}
