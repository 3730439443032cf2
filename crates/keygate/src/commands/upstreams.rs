//! `keygate upstreams ...`.

use std::process::ExitCode;

use keygate_core::SystemClock;
use keygate_core::admin::{Admin, AdminError};
use keygate_core::federation::{
    ClaimMapping, TokenAuth, UpstreamKind, UpstreamProvider, UpstreamSpec, merge_upstreams,
};
use keygate_server::Config;
use keygate_server::boot::open_store;
use keygate_server::oauth::upstream_http::HttpUpstream;
use keygate_server::outbound::{Outbound, OutboundPolicy};
use serde_json::json;

use super::{print_json, read_secret_stdin, report};
use crate::cli_upstreams::{UpstreamArgs, UpstreamsCommand};

/// Runs an upstreams command against the configured database.
pub async fn run(config: &Config, command: UpstreamsCommand) -> anyhow::Result<ExitCode> {
    let store = open_store(config).await?;
    let clock = SystemClock;
    let policy = OutboundPolicy::for_settings(&config.settings)?;
    let http = HttpUpstream(Outbound::new(policy)?);
    let check = match &command {
        UpstreamsCommand::Add(args) | UpstreamsCommand::Update(args) => !args.no_check,
        _ => false,
    };
    let admin = Admin::new(&store, &clock)
        .checking_upstreams(check.then_some(&http as &dyn keygate_core::federation::UpstreamHttp));
    let master = config.master_key.load()?;
    let outcome = match command {
        UpstreamsCommand::List { json } => match admin.upstreams(&master).await {
            Ok(stored) => {
                let all = merge_upstreams(&config.settings.upstreams, stored);
                print_list(config, &all, json).map(|()| Ok(()))?
            }
            Err(e) => Err(e),
        },
        UpstreamsCommand::Add(args) => {
            let json = args.json;
            let made = match spec(args)?.build() {
                Ok(u) => admin.create_upstream(u, &master).await,
                Err(problems) => Err(AdminError::Invalid(problems)),
            };
            made.and_then(|u| print_one(config, &u, json).map_err(AdminError::Internal))
        }
        UpstreamsCommand::Update(args) => {
            let json = args.json;
            let id = args.id.clone().unwrap_or_default();
            let updated = match admin.upstream(&id, &master).await {
                Ok(current) => match spec(args)?.apply(current) {
                    Ok(u) => admin.update_upstream(u, &master).await,
                    Err(problems) => Err(AdminError::Invalid(problems)),
                },
                Err(e) => Err(e),
            };
            updated.and_then(|u| print_one(config, &u, json).map_err(AdminError::Internal))
        }
        UpstreamsCommand::Remove { id } => admin.delete_upstream(&id).await.map(|()| {
            println!("Removed upstream {id}");
        }),
        UpstreamsCommand::Links { user } => match admin.user(&user).await {
            Ok(user) => admin.linked_identities(&user.id).await.map(|links| {
                for l in links {
                    println!("{}\t{}\t{}", l.provider_id, l.subject, l.email.unwrap_or_default());
                }
            }),
            Err(e) => Err(e),
        },
        UpstreamsCommand::Unlink { user, provider, subject } => match admin.user(&user).await {
            Ok(user) => admin.unlink_identity(&user.id, &provider, &subject).await.map(|()| {
                println!("Unlinked {provider}/{subject} from {}", user.username);
            }),
            Err(e) => Err(e),
        },
    };
    store.close().await;
    match outcome {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(e) => Ok(report(e)),
    }
}

/// The spec of the options given; the secret comes from standard input.
fn spec(a: UpstreamArgs) -> anyhow::Result<UpstreamSpec> {
    let client_secret = if a.client_secret_stdin {
        Some(read_secret_stdin()?.expose_secret().to_owned())
    } else {
        None
    };
    let token_auth = match a.token_auth.as_deref() {
        None => None,
        Some("client_secret_basic") => Some(TokenAuth::ClientSecretBasic),
        Some("client_secret_post") => Some(TokenAuth::ClientSecretPost),
        Some(other) => anyhow::bail!(
            "--token-auth must be client_secret_basic or client_secret_post, not {other}"
        ),
    };
    Ok(UpstreamSpec {
        id: a.id,
        preset: a.preset,
        tenant: a.tenant,
        display_name: a.name,
        issuer: a.oidc_issuer,
        authorization_endpoint: a.authorization_endpoint,
        token_endpoint: a.token_endpoint,
        userinfo_endpoint: a.userinfo_endpoint,
        emails_endpoint: a.emails_endpoint,
        client_id: a.client_id,
        client_secret,
        client_secret_env: None,
        token_auth,
        scopes: (!a.scopes.is_empty()).then_some(a.scopes),
        pkce: a.pkce,
        enabled: a.enabled,
        jit_provisioning: a.jit_provisioning,
        link_verified_email: a.link_verified_email,
        upstream_logout: a.upstream_logout,
        mapping: mapping(&a.mapping)?,
    })
}

/// `--map CLAIM=PATH` options as a claim mapping (`None` when there are none).
fn mapping(pairs: &[String]) -> anyhow::Result<Option<ClaimMapping>> {
    if pairs.is_empty() {
        return Ok(None);
    }
    let mut map = serde_json::Map::new();
    for pair in pairs {
        let Some((claim, path)) = pair.split_once('=') else {
            anyhow::bail!("--map {pair}: expected CLAIM=PATH, e.g. email=mail");
        };
        map.insert(claim.trim().to_owned(), serde_json::Value::String(path.trim().to_owned()));
    }
    let mapping = serde_json::from_value(serde_json::Value::Object(map))
        .map_err(|e| anyhow::anyhow!("--map: {e}"))?;
    Ok(Some(mapping))
}

fn describe(config: &Config, u: &UpstreamProvider) -> serde_json::Value {
    let endpoint = match &u.kind {
        UpstreamKind::Oidc { issuer } => issuer.clone(),
        UpstreamKind::Oauth2 { authorization_endpoint, .. } => authorization_endpoint.clone(),
    };
    json!({
        "id": u.id, "display_name": u.display_name, "kind": if u.is_oidc() { "oidc" } else { "oauth2" },
        "endpoint": endpoint, "client_id": u.client_id, "enabled": u.enabled,
        "jit_provisioning": u.jit_provisioning, "link_verified_email": u.link_verified_email,
        "upstream_logout": u.upstream_logout, "mapping": u.mapping, "pkce": u.pkce, "source": if u.from_config { "config" } else { "store" },
        "redirect_uri": format!("{}/federation/{}/callback", config.settings.issuer, u.id),
    })
}

fn print_one(config: &Config, u: &UpstreamProvider, json: bool) -> anyhow::Result<()> {
    if json {
        return print_json(&describe(config, u));
    }
    println!("Upstream {} ({})", u.id, u.display_name);
    println!("  Register this redirect URI at the provider:");
    println!("    {}/federation/{}/callback", config.settings.issuer, u.id);
    Ok(())
}

fn print_list(config: &Config, all: &[UpstreamProvider], json: bool) -> anyhow::Result<()> {
    if json {
        return print_json(&all.iter().map(|u| describe(config, u)).collect::<Vec<_>>());
    }
    if all.is_empty() {
        println!(
            "No upstream providers. Add one with: keygate upstreams add --preset google --client-id ID --client-secret-stdin"
        );
    }
    for u in all {
        let d = describe(config, u);
        println!(
            "{}\t{}\t{}\t{}\t{}",
            u.id,
            u.display_name,
            d["kind"].as_str().unwrap_or_default(),
            if u.enabled { "enabled" } else { "disabled" },
            d["source"].as_str().unwrap_or_default()
        );
    }
    Ok(())
}
