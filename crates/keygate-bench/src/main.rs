//! `keygate-bench`: drives complete user flows against a running Keygate over real HTTP and
//! prints throughput and latency. Used by `bench/bench.py`; figures go in docs/performance.md.
//!
//! Scenarios:
//! - `login`: authorize -> login page -> password (Argon2id) -> consent page -> code -> token,
//!   a new browser each time (`prompt=consent` makes every flow show the consent page);
//! - `session`: authorize with an existing SSO session -> code -> token;
//! - `refresh`: refresh grant with rotation;
//! - `userinfo`: GET /userinfo with a bearer token.

// Wall-clock durations are what a benchmark measures; the protocol Clock does not apply here.
#![allow(clippy::disallowed_methods)]

use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use aws_lc_rs::digest::{SHA256, digest};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use clap::Parser;
use serde_json::Value;

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
    /// A user.
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
}

fn browser() -> anyhow::Result<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()?)
}

fn field(html: &str, name: &str) -> anyhow::Result<String> {
    let needle = format!("name=\"{name}\" value=\"");
    let start = html.find(&needle).context("form field")? + needle.len();
    let end = html[start..].find('"').context("form field end")? + start;
    Ok(html[start..end].to_owned())
}

fn location(resp: &reqwest::Response) -> anyhow::Result<String> {
    Ok(resp.headers().get("location").context("no redirect")?.to_str()?.to_owned())
}

/// One authorize round: returns the code, logging in first if the server asks.
async fn authorize(a: &Args, http: &reqwest::Client) -> anyhow::Result<(String, String)> {
    let verifier = URL_SAFE_NO_PAD.encode(
        aws_lc_rs::rand::generate::<[u8; 32]>(&aws_lc_rs::rand::SystemRandom::new())
            .map_err(|_| anyhow::anyhow!("rng"))?
            .expose(),
    );
    let challenge = URL_SAFE_NO_PAD.encode(digest(&SHA256, verifier.as_bytes()));
    let mut url = url::Url::parse(&format!("{}/authorize", a.issuer))?;
    url.query_pairs_mut()
        .append_pair("response_type", "code")
        .append_pair("client_id", &a.client_id)
        .append_pair("redirect_uri", &a.redirect_uri)
        .append_pair("scope", "openid profile email offline_access")
        .append_pair("state", "s")
        .append_pair("code_challenge", &challenge)
        .append_pair("code_challenge_method", "S256");
    if a.scenario == "login" {
        url.query_pairs_mut().append_pair("prompt", "consent");
    }
    let mut next = location(&http.get(url).send().await?)?;
    if next.contains("/login?") {
        let page = http.get(&next).send().await?.text().await?;
        let form = [
            ("req", field(&page, "req")?),
            ("csrf", field(&page, "csrf")?),
            ("username", a.username.clone()),
            ("password", a.password.clone()),
        ];
        next = location(&http.post(format!("{}/login", a.issuer)).form(&form).send().await?)?;
    }
    if next.contains("/consent?") {
        let page = http.get(&next).send().await?.text().await?;
        let form = [
            ("req", field(&page, "req")?),
            ("csrf", field(&page, "csrf")?),
            ("decision", "allow".to_owned()),
        ];
        next = location(&http.post(format!("{}/consent", a.issuer)).form(&form).send().await?)?;
    }
    let code = url::Url::parse(&next)?
        .query_pairs()
        .find(|(k, _)| k == "code")
        .map(|(_, v)| v.into_owned())
        .with_context(|| format!("no code in {next}"))?;
    Ok((code, verifier))
}

async fn token(a: &Args, http: &reqwest::Client, form: &[(&str, &str)]) -> anyhow::Result<Value> {
    let resp = http
        .post(format!("{}/token", a.issuer))
        .basic_auth(&a.client_id, Some(&a.client_secret))
        .form(form)
        .send()
        .await?;
    if !resp.status().is_success() {
        bail!("token endpoint: {}", resp.text().await?);
    }
    Ok(resp.json().await?)
}

async fn code_flow(a: &Args, http: &reqwest::Client) -> anyhow::Result<Value> {
    let (code, verifier) = authorize(a, http).await?;
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", a.redirect_uri.as_str()),
        ("code_verifier", verifier.as_str()),
    ];
    token(a, http, &form).await
}

/// One worker: runs its scenario until `deadline`, returning each operation's latency.
async fn worker(a: Args, deadline: Instant) -> anyhow::Result<Vec<Duration>> {
    let mut latencies = Vec::new();
    let http = browser()?;
    let mut tokens = if a.scenario == "login" { Value::Null } else { code_flow(&a, &http).await? };
    while Instant::now() < deadline {
        let started = Instant::now();
        match a.scenario.as_str() {
            "login" => {
                code_flow(&a, &browser()?).await?;
            }
            "session" => {
                code_flow(&a, &http).await?;
            }
            "refresh" => {
                let rt = tokens["refresh_token"].as_str().context("refresh token")?.to_owned();
                tokens =
                    token(&a, &http, &[("grant_type", "refresh_token"), ("refresh_token", &rt)])
                        .await?;
            }
            "userinfo" => {
                let at = tokens["access_token"].as_str().context("access token")?;
                let resp =
                    http.get(format!("{}/userinfo", a.issuer)).bearer_auth(at).send().await?;
                if !resp.status().is_success() {
                    bail!("userinfo: {}", resp.status());
                }
                resp.bytes().await?;
            }
            other => bail!("unknown scenario {other}"),
        }
        latencies.push(started.elapsed());
    }
    Ok(latencies)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let started = Instant::now();
    let deadline = started + Duration::from_secs(args.duration);
    let workers: Vec<_> =
        (0..args.concurrency).map(|_| tokio::spawn(worker(args.clone(), deadline))).collect();
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
