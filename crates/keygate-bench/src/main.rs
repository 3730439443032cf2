//! `keygate-bench`: drives complete user flows against a running Keygate over real HTTP and
//! prints throughput and latency. Used by `bench/bench.py`; figures go in docs/performance.md.
//! It finds the endpoints by discovery and fills in whatever login and consent forms it is shown
//! ([`pages`]), so the same load runs against another provider for a side-by-side comparison.
//!
//! Scenarios:
//! - `login`: authorize -> login page -> password (Argon2id) -> consent page -> code -> token,
//!   a new browser each time (`prompt=consent` makes every flow show the consent page);
//! - `session`: authorize with an existing SSO session -> code -> token;
//! - `refresh`: refresh grant with rotation;
//! - `userinfo`: GET /userinfo with a bearer token.
//!
//! The measured operations of `session`, `refresh` and `userinfo` go through [`wire`], a
//! minimal keep-alive HTTP/1.1 client, so that the load generator takes as little as it can of
//! the cores it shares with the server, and so do the code exchanges; the provider's pages
//! (set-up, `login`) go through `reqwest`.
//!
//! With `--ops N` each worker does exactly N operations instead of running for a duration, and
//! with `--pause` the workers first get their tokens, then the tool prints `READY` and waits
//! for a line on stdin before the measured operations: `bench/instructions.py` turns the
//! server's instruction counting on in between, so set-up (a password sign-in) is not counted.

// Wall-clock durations are what a benchmark measures; the protocol Clock does not apply here.
#![allow(clippy::disallowed_methods)]

use std::io::BufRead;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use aws_lc_rs::digest::{SHA256, digest};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use clap::Parser;
use reqwest::cookie::{CookieStore, Jar};
use serde_json::Value;

mod pages;
mod wire;

/// Command-line options.
#[derive(Debug, Parser, Clone)]
struct Args {
    /// The issuer, e.g. http://127.0.0.1:8080.
    #[arg(long)]
    issuer: String,
    /// A web client with the code and refresh grants.
    #[arg(long)]
    client_id: String,
    /// Its secret.
    #[arg(long)]
    client_secret: String,
    /// Its redirect URI.
    #[arg(long)]
    redirect_uri: String,
    /// A user; `{worker}` in it becomes the worker's number, so that each worker signs in as
    /// its own user (Keygate limits the sign-ins in flight per account).
    #[arg(long)]
    username: String,
    /// The user's password.
    #[arg(long)]
    password: String,
    /// login, session, refresh or userinfo.
    #[arg(long)]
    scenario: String,
    /// Concurrent workers.
    #[arg(long, default_value_t = 16)]
    concurrency: usize,
    /// Seconds to run.
    #[arg(long, default_value_t = 10)]
    duration: u64,
    /// Operations per worker, instead of a duration.
    #[arg(long)]
    ops: Option<usize>,
    /// After the workers' set-up, print READY and wait for a line on stdin.
    #[arg(long)]
    pause: bool,
    /// The algorithm the set-up's ID token must be signed with (a comparison that changes the
    /// providers' defaults checks that both took it).
    #[arg(long)]
    id_token_alg: Option<String>,
}

/// The provider's endpoints, from its discovery document (OIDC Discovery §3).
#[derive(Debug, Clone)]
struct Endpoints {
    authorization: String,
    token: String,
    userinfo: String,
}

async fn discover(issuer: &str) -> anyhow::Result<Endpoints> {
    let url = format!("{issuer}/.well-known/openid-configuration");
    let meta: Value = reqwest::get(&url).await?.error_for_status()?.json().await?;
    let text = |name: &str| {
        meta[name].as_str().map(str::to_owned).with_context(|| format!("no {name} in {url}"))
    };
    Ok(Endpoints {
        authorization: text("authorization_endpoint")?,
        token: text("token_endpoint")?,
        userinfo: text("userinfo_endpoint")?,
    })
}

/// A cookie-keeping browser that follows redirects, except the one to the client; its cookie
/// jar.
fn browser(redirect_uri: &str) -> anyhow::Result<(reqwest::Client, Arc<Jar>)> {
    let callback = redirect_uri.to_owned();
    let policy = reqwest::redirect::Policy::custom(move |attempt| {
        if attempt.url().as_str().starts_with(&callback) || attempt.previous().len() > 10 {
            attempt.stop()
        } else {
            attempt.follow()
        }
    });
    let jar = Arc::new(Jar::default());
    let client =
        reqwest::Client::builder().cookie_provider(jar.clone()).redirect(policy).build()?;
    Ok((client, jar))
}

/// An authorization request with a fresh PKCE verifier (RFC 7636 §4.1–4.3); the verifier.
fn authorization_request(a: &Args, e: &Endpoints) -> anyhow::Result<(url::Url, String)> {
    let verifier = URL_SAFE_NO_PAD.encode(
        aws_lc_rs::rand::generate::<[u8; 32]>(&aws_lc_rs::rand::SystemRandom::new())
            .map_err(|_| anyhow::anyhow!("rng"))?
            .expose(),
    );
    let challenge = URL_SAFE_NO_PAD.encode(digest(&SHA256, verifier.as_bytes()));
    let mut url = url::Url::parse(&e.authorization)?;
    url.query_pairs_mut()
        .append_pair("response_type", "code")
        .append_pair("client_id", &a.client_id)
        .append_pair("redirect_uri", &a.redirect_uri)
        .append_pair("scope", "openid profile email offline_access")
        .append_pair("state", "s")
        .append_pair("code_challenge", &challenge)
        .append_pair("code_challenge_method", "S256");
    if a.scenario != "session" {
        // OIDC Core §11: offline access needs consent asked for; every login shows the page.
        url.query_pairs_mut().append_pair("prompt", "consent");
    }
    Ok((url, verifier))
}

/// The `code` of a redirect to the client.
fn code_of(location: &str) -> anyhow::Result<String> {
    url::Url::parse(location)?
        .query_pairs()
        .find(|(k, _)| k == "code")
        .map(|(_, v)| v.into_owned())
        .with_context(|| format!("no code in {location}"))
}

/// One authorize round: fills in whatever login and consent pages the provider shows until it
/// sends the browser to the client; returns the code and the PKCE verifier.
async fn authorize(
    a: &Args,
    e: &Endpoints,
    http: &reqwest::Client,
) -> anyhow::Result<(String, String)> {
    let (url, verifier) = authorization_request(a, e)?;
    let mut response = http.get(url).send().await?;
    for _ in 0..6 {
        if let Some(next) = response.headers().get("location") {
            return Ok((code_of(next.to_str()?)?, verifier));
        }
        let page_url = response.url().to_string();
        let html = response.error_for_status()?.text().await?;
        let form = pages::fill(&html, &page_url, &a.username, &a.password)?;
        response = http.post(&form.action).form(&form.fields).send().await?;
    }
    bail!("the provider never sent the browser back to the client")
}

/// A complete code flow: the provider's pages through `http`, the code exchanged through `m`.
async fn code_flow(
    a: &Args,
    e: &Endpoints,
    http: &reqwest::Client,
    m: &mut Measured,
) -> anyhow::Result<Value> {
    let (code, verifier) = authorize(a, e, http).await?;
    m.exchange(a, &code, &verifier).await
}

/// Workers meet here after their set-up, and again when the measured operations may start.
struct Start {
    ready: tokio::sync::Barrier,
    go: tokio::sync::Barrier,
}

/// What a worker's measured operations send, prepared once: its connection, the endpoints'
/// request targets, its client authentication and its cookies.
struct Measured {
    conn: wire::Conn,
    token: String,
    userinfo: String,
    basic: String,
    cookies: Vec<String>,
}

/// `path?query` of `url`, the request target of an origin-form request (RFC 9112 §3.2.1).
fn target(url: &url::Url) -> String {
    match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_owned(),
    }
}

impl Measured {
    fn new(a: &Args, e: &Endpoints) -> anyhow::Result<Self> {
        let token = url::Url::parse(&e.token)?;
        let credentials = format!("{}:{}", a.client_id, a.client_secret);
        Ok(Measured {
            conn: wire::Conn::new(&token)?,
            token: target(&token),
            userinfo: target(&url::Url::parse(&e.userinfo)?),
            basic: format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(credentials)
            ),
            cookies: Vec::new(),
        })
    }

    /// Takes the cookies the browser `jar` holds for the authorization endpoint (the session).
    fn take_cookies(&mut self, e: &Endpoints, jar: &Jar) -> anyhow::Result<()> {
        let authorization = url::Url::parse(&e.authorization)?;
        if let Some(header) = jar.cookies(&authorization) {
            self.cookies = header.to_str()?.split("; ").map(str::to_owned).collect();
        }
        Ok(())
    }

    /// The code exchanged for tokens (RFC 6749 §4.1.3, RFC 7636 §4.5).
    async fn exchange(&mut self, a: &Args, code: &str, verifier: &str) -> anyhow::Result<Value> {
        let form = [
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", a.redirect_uri.as_str()),
            ("code_verifier", verifier),
        ];
        self.token(&form).await
    }

    /// A token request (RFC 6749 §4.1.3, §6) with HTTP Basic client authentication.
    async fn token(&mut self, form: &[(&str, &str)]) -> anyhow::Result<Value> {
        let body = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(form).finish();
        let headers = [
            ("Authorization", self.basic.as_str()),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ];
        let req = wire::Request {
            method: "POST",
            target: &self.token,
            headers: &headers,
            body: body.as_bytes(),
        };
        let reply = self.conn.send(&req).await?;
        if reply.status != 200 {
            bail!("token endpoint: {} {}", reply.status, String::from_utf8_lossy(&reply.body));
        }
        Ok(serde_json::from_slice(&reply.body)?)
    }

    /// The authorization request with the session cookies, then the code exchanged.
    async fn session(&mut self, a: &Args, e: &Endpoints) -> anyhow::Result<Value> {
        let (url, verifier) = authorization_request(a, e)?;
        let cookie = self.cookies.join("; ");
        let headers = [("Cookie", cookie.as_str())];
        let req =
            wire::Request { method: "GET", target: &target(&url), headers: &headers, body: b"" };
        let reply = self.conn.send(&req).await?;
        for set in reply.cookies {
            let name = set.split('=').next().unwrap_or_default().to_owned();
            self.cookies.retain(|c| c.split('=').next() != Some(name.as_str()));
            self.cookies.push(set);
        }
        let location = reply
            .location
            .with_context(|| format!("authorize answered {} without a redirect", reply.status))?;
        self.exchange(a, &code_of(&location)?, &verifier).await
    }

    /// A refresh grant with `tokens`' refresh token; the response.
    async fn refresh(&mut self, tokens: &Value) -> anyhow::Result<Value> {
        let rt = tokens["refresh_token"].as_str().context("refresh token")?;
        let next = self.token(&[("grant_type", "refresh_token"), ("refresh_token", rt)]).await?;
        // Both sides of a comparison must rotate (RFC 9700 §4.14.2).
        if next["refresh_token"].as_str() == Some(rt) {
            bail!("the refresh token was not rotated");
        }
        Ok(next)
    }

    /// GET userinfo with `tokens`' access token (OIDC Core §5.3.1).
    async fn userinfo(&mut self, tokens: &Value) -> anyhow::Result<()> {
        let bearer = format!("Bearer {}", tokens["access_token"].as_str().context("access token")?);
        let headers = [("Authorization", bearer.as_str())];
        let req =
            wire::Request { method: "GET", target: &self.userinfo, headers: &headers, body: b"" };
        let reply = self.conn.send(&req).await?;
        if reply.status != 200 {
            bail!("userinfo: {}", reply.status);
        }
        Ok(())
    }
}

/// `tokens` if their ID token is signed with `--id-token-alg` (when given; JWS §4.1.1).
fn check_id_token_alg(a: &Args, tokens: Value) -> anyhow::Result<Value> {
    let Some(expected) = &a.id_token_alg else { return Ok(tokens) };
    let id_token = tokens["id_token"].as_str().context("no id_token")?;
    let header = URL_SAFE_NO_PAD.decode(id_token.split('.').next().unwrap_or_default())?;
    let alg: Value = serde_json::from_slice(&header)?;
    if alg["alg"].as_str() != Some(expected.as_str()) {
        bail!("the ID token is signed with {}, not {expected}", alg["alg"]);
    }
    Ok(tokens)
}

/// One worker: after its set-up, runs its scenario for `--duration` seconds (or `--ops`
/// times), returning each operation's latency.
async fn worker(
    a: Args,
    index: usize,
    e: Endpoints,
    start: Arc<Start>,
) -> anyhow::Result<Vec<Duration>> {
    let a = Args { username: a.username.replace("{worker}", &index.to_string()), ..a };
    let mut latencies = Vec::new();
    let (http, jar) = browser(&a.redirect_uri)?;
    // Errors wait until every worker is at the barrier, which would wait for this one forever.
    let set_up = async {
        let mut m = Measured::new(&a, &e)?;
        if a.scenario == "login" {
            return Ok((m, Value::Null));
        }
        let tokens = check_id_token_alg(&a, code_flow(&a, &e, &http, &mut m).await?)?;
        m.take_cookies(&e, &jar)?;
        Ok::<_, anyhow::Error>((m, tokens))
    }
    .await;
    start.ready.wait().await;
    start.go.wait().await;
    let deadline = Instant::now() + Duration::from_secs(a.duration);
    let (mut m, mut tokens) = set_up?;
    let more = |done: usize| match a.ops {
        Some(n) => done < n,
        None => Instant::now() < deadline,
    };
    while more(latencies.len()) {
        let started = Instant::now();
        match a.scenario.as_str() {
            "login" => {
                code_flow(&a, &e, &browser(&a.redirect_uri)?.0, &mut m).await?;
            }
            "session" => {
                m.session(&a, &e).await?;
            }
            "refresh" => tokens = m.refresh(&tokens).await?,
            "userinfo" => m.userinfo(&tokens).await?,
            other => bail!("unknown scenario {other}"),
        }
        latencies.push(started.elapsed());
    }
    Ok(latencies)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let endpoints = discover(&args.issuer).await?;
    let start = Arc::new(Start {
        ready: tokio::sync::Barrier::new(args.concurrency + 1),
        go: tokio::sync::Barrier::new(args.concurrency + 1),
    });
    let workers: Vec<_> = (0..args.concurrency)
        .map(|i| tokio::spawn(worker(args.clone(), i, endpoints.clone(), start.clone())))
        .collect();
    start.ready.wait().await;
    if args.pause {
        println!("READY");
        tokio::task::spawn_blocking(|| std::io::stdin().lock().lines().next()).await?;
    }
    let started = Instant::now();
    start.go.wait().await;
    let mut all = Vec::new();
    for w in workers {
        all.extend(w.await??);
    }
    let elapsed = started.elapsed().as_secs_f64();
    all.sort();
    let pct = |p: f64| {
        all.get(((all.len() as f64 * p) as usize).min(all.len().saturating_sub(1)))
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    println!(
        "{{\"scenario\": \"{}\", \"ops\": {}, \"per_second\": {:.1}, \"p50_ms\": {:.2}, \"p99_ms\": {:.2}}}",
        args.scenario,
        all.len(),
        all.len() as f64 / elapsed,
        pct(0.50),
        pct(0.99)
    );
    Ok(())
}
