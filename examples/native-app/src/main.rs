//! `native-app`: a terminal app that signs its user in with Keygate and calls private-api.
//!
//! ```text
//! native-app login [--no-browser] [--device] [--no-dpop]
//!                                              sign in (system browser + loopback, or device
//!                                              flow), tokens bound to a DPoP key by default
//! native-app whoami                            ID token claims and UserInfo
//! native-app call                              GET private-api's /private with the access token
//! native-app token                             a fresh access token, for scripts
//! native-app logout [--no-browser]             revoke, end the Keygate session, delete the tokens
//! ```
//!
//! Configuration: `KEYGATE_ISSUER` (default `http://localhost:8080`), `CLIENT_ID`,
//! `PRIVATE_API` (default `http://127.0.0.1:3001`), `--store FILE` / `NATIVE_APP_STORE`,
//! `--store-kind auto|keychain|file` / `NATIVE_APP_STORE_KIND`, and the file store's
//! passphrase from `NATIVE_APP_PASSPHRASE` or a prompt.

mod store;

use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use keygate_client::{
    Client, ClientOptions, Error, LoginOptions, LoopbackLogin, PollEvent, Session, TokenType,
    Tokens, open_browser,
};
use serde_json::Value;

/// Sign in with Keygate from a terminal, and call an API with the tokens.
#[derive(Debug, Parser)]
#[command(name = "native-app", version)]
struct Cli {
    /// Keygate's issuer URL.
    #[arg(long, env = "KEYGATE_ISSUER", default_value = "http://localhost:8080", global = true)]
    issuer: String,
    /// This app's client_id in Keygate (a native client with redirect URI
    /// http://127.0.0.1/callback).
    #[arg(long, env = "CLIENT_ID", global = true)]
    client_id: Option<String>,
    /// Where the encrypted token file is (when the OS keychain is not used).
    #[arg(long = "store", env = "NATIVE_APP_STORE", global = true)]
    store: Option<std::path::PathBuf>,
    /// Which token store: auto (keychain if available, else the encrypted file), keychain,
    /// or file.
    #[arg(long, env = "NATIVE_APP_STORE_KIND", default_value = "auto", global = true)]
    store_kind: store::Kind,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Sign in: through the system browser and a loopback redirect (RFC 8252), or with
    /// --device through the device flow (RFC 8628).
    Login {
        /// Print the sign-in URL instead of opening a browser (SSH sessions).
        #[arg(long)]
        no_browser: bool,
        /// Use the device flow: sign in on any other device with a browser.
        #[arg(long)]
        device: bool,
        /// The scope to ask for.
        #[arg(long, default_value = "openid profile email offline_access")]
        scope: String,
        /// The API the access token is for (RFC 8707); default: the client's first
        /// registered resource.
        #[arg(long, env = "API_AUDIENCE")]
        resource: Option<String>,
        /// Seconds to wait for the browser.
        #[arg(long, default_value_t = 300)]
        timeout: u64,
        /// Ask for bearer tokens instead of tokens bound to a DPoP key (RFC 9449), e.g. to
        /// use `native-app token` in scripts.
        #[arg(long)]
        no_dpop: bool,
    },
    /// Show who is signed in: the ID token's claims and the UserInfo endpoint's answer.
    Whoami,
    /// Call private-api's /private with the access token and print its message.
    Call {
        /// private-api's base URL.
        #[arg(long, env = "PRIVATE_API", default_value = "http://127.0.0.1:3001")]
        api: String,
    },
    /// Print a fresh access token (refreshed if needed), for scripts.
    Token,
    /// Sign out: revoke the refresh token, end the session at Keygate (in the browser),
    /// and delete the stored tokens.
    Logout {
        /// Print the end-session URL instead of opening a browser.
        #[arg(long)]
        no_browser: bool,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt().with_env_filter("warn").with_writer(std::io::stderr).init();
    let cli = Cli::parse();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("native-app: {e:#}");
            if e.downcast_ref::<Error>().is_some_and(Error::is_login_required) {
                eprintln!("Run `native-app login` to sign in.");
            }
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let Some(client_id) = cli.client_id.clone() else {
        bail!("no client id: set CLIENT_ID or pass --client-id");
    };
    // RFC 9449: a new sign-in binds its tokens to a new key, kept with them in the store.
    let dpop = matches!(cli.command, Command::Login { no_dpop: false, .. });
    let options = ClientOptions { dpop, ..ClientOptions::default() };
    let client = Client::discover_with(&cli.issuer, &client_id, options)
        .await
        .with_context(|| format!("discovery at {}", cli.issuer))?;
    let (store, said) = store::open(&cli, &client)?;
    let session = Session::new(client.clone(), store);
    match cli.command {
        Command::Login { no_browser, device, scope, resource, timeout, .. } => {
            eprintln!("{said}");
            let resources: Vec<String> = resource.into_iter().collect();
            let tokens = if device {
                device_login(&client, &scope, &resources).await?
            } else {
                let timeout = Duration::from_secs(timeout);
                browser_login(
                    &client,
                    LoginOptions { scope, resources, timeout, ..LoginOptions::default() },
                    no_browser,
                )
                .await?
            };
            println!("Logged in as {}.", who(&tokens));
            session.save(tokens).await?;
        }
        Command::Whoami => whoami(&session).await?,
        Command::Call { api } => call(&session, &api).await?,
        Command::Token => token(&session).await?,
        Command::Logout { no_browser } => logout(&session, no_browser).await?,
    }
    Ok(())
}

/// RFC 8252: the system browser (or a printed URL) and the loopback redirect.
async fn browser_login(
    client: &Client,
    options: LoginOptions,
    no_browser: bool,
) -> anyhow::Result<Tokens> {
    let login = LoopbackLogin::start(client, options).await?;
    let url = login.authorization_url().clone();
    if no_browser || login.open_browser().is_err() {
        println!("Open this URL in a browser on this machine to sign in:\n\n  {url}\n");
    } else {
        println!(
            "Your browser has been opened to sign in. If it did not open, visit:\n\n  {url}\n"
        );
    }
    println!("Waiting for the browser to come back to {} ...", login.redirect_uri());
    Ok(login.wait().await?)
}

/// RFC 8628: show where to go and the code, then poll.
async fn device_login(
    client: &Client,
    scope: &str,
    resources: &[String],
) -> anyhow::Result<Tokens> {
    let device = client.start_device_authorization(scope, resources).await?;
    println!("To sign in, open {} on any device", device.verification_uri);
    println!("and enter the code:\n\n  {}\n", device.user_code);
    if let Some(complete) = &device.verification_uri_complete {
        println!("(or open {complete})");
    }
    println!(
        "Waiting for you to approve (the code expires in {} minutes) ...",
        device.expires_in / 60
    );
    let tokens = client
        .poll_device_authorization_with(&device, |event| {
            if let PollEvent::SlowDown(secs) | PollEvent::Backoff(secs) = event {
                eprintln!("(polling every {secs} s)");
            }
        })
        .await?;
    Ok(tokens)
}

/// A short description of the signed-in user.
fn who(tokens: &Tokens) -> String {
    let Some(claims) = &tokens.claims else { return "(no ID token)".to_owned() };
    let text = |name: &str| claims.other.get(name).and_then(Value::as_str);
    let handle = text("preferred_username").unwrap_or(&claims.sub);
    match text("name") {
        Some(name) => format!("{handle} ({name})"),
        None => handle.to_owned(),
    }
}

async fn whoami(session: &Session) -> anyhow::Result<()> {
    let tokens = session.tokens().await?;
    println!("Signed in to {} as {}.", tokens.issuer, who(&tokens));
    if let Some(claims) = &tokens.claims {
        println!("ID token claims:\n{}", serde_json::to_string_pretty(claims)?);
    }
    let userinfo = session.client().userinfo(&tokens).await?;
    println!("UserInfo:\n{}", serde_json::to_string_pretty(&userinfo)?);
    Ok(())
}

/// A fresh access token for scripts; a DPoP-bound one works only with proofs by the key in
/// the store, which is said on stderr.
async fn token(session: &Session) -> anyhow::Result<()> {
    let tokens = session.tokens().await?;
    if tokens.token_type == TokenType::Dpop {
        eprintln!(
            "This token is bound to this app's DPoP key (RFC 9449): an API accepts it only with \
             a proof by that key. For a bearer token, log in with --no-dpop."
        );
    }
    println!("{}", tokens.access_token);
    Ok(())
}

/// `GET {api}/private` with the access token (`Bearer`, or `DPoP` with a proof).
async fn call(session: &Session, api: &str) -> anyhow::Result<()> {
    let url = format!("{}/private", api.trim_end_matches('/'));
    let http = reqwest::Client::new();
    for attempt in 0..2 {
        let reply = session.send(http.get(&url)).await.with_context(|| url.clone())?;
        let status = reply.status();
        if status.is_success() {
            let body: Value = reply.json().await?;
            let message = body.get("message").and_then(Value::as_str).unwrap_or_default();
            println!("{message}");
            return Ok(());
        }
        let challenge = reply
            .headers()
            .get("www-authenticate")
            .and_then(|h| h.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        // RFC 6750 §3.1: an invalid (e.g. revoked or expired) token: refresh once and retry.
        if status == reqwest::StatusCode::UNAUTHORIZED && attempt == 0 {
            session.refresh().await?;
            continue;
        }
        bail!("{url} answered {status} {challenge}");
    }
    bail!("{url} refused the access token")
}

async fn logout(session: &Session, no_browser: bool) -> anyhow::Result<()> {
    let logout = session.logout().await?;
    if !logout.was_signed_in {
        println!("You were not logged in; nothing stored.");
    } else {
        match &logout.revocation {
            Ok(()) => println!("Refresh token revoked."),
            Err(e) => eprintln!("warning: the refresh token could not be revoked: {e}"),
        }
        println!("Stored tokens deleted.");
    }
    if let Some(url) = &logout.end_session_url {
        if no_browser || open_browser(url).is_err() {
            println!("To end your session at Keygate in the browser, open:\n\n  {url}\n");
        } else {
            println!("Your browser has been opened to end your session at Keygate.");
        }
    }
    Ok(())
}
