//! `keygate apis ...`, `keygate audit`, `keygate events`, `keygate bootstrap`,
//! `keygate registration ...`.

use std::process::ExitCode;

use keygate_core::SystemClock;
use keygate_core::admin::{Admin, AdminError, SignInFilter};
use keygate_core::api::{Api, ApiScope, ApiSpec};
use keygate_core::authorization_details::DetailsType;
use keygate_core::store::AuditQuery;
use keygate_server::Config;
use keygate_server::boot::open_store;

use super::{format_time, print_json, read_secret_stdin, report};
use crate::cli_admin::{ApisCommand, AuditArgs, BootstrapArgs, EventsArgs, RegistrationCommand};

/// `NAME=DESCRIPTION` flags as scopes, `NAME@TAG=DESCRIPTION` as their words in other
/// languages.
fn parse_scopes(flags: &[String]) -> Result<Vec<ApiScope>, AdminError> {
    let mut problems = Vec::new();
    let mut entries = Vec::new();
    for f in flags {
        match f.split_once('=') {
            Some((name, description)) => entries.push((name.to_owned(), description.to_owned())),
            None => problems.push(format!("--scope '{f}' must be NAME=DESCRIPTION")),
        }
    }
    let scopes = keygate_core::api::scopes_from_entries(entries, &mut problems);
    if problems.is_empty() { Ok(scopes) } else { Err(AdminError::Invalid(problems)) }
}

/// `--details-type TYPE=DESCRIPTION` and `--details-action "TYPE ACTION=DESCRIPTION"` flags.
fn parse_details_types(
    types: &[String],
    actions: &[String],
) -> Result<Vec<DetailsType>, AdminError> {
    let bad = |text: String| AdminError::Invalid(vec![text]);
    let mut out = Vec::new();
    for flag in types {
        let (name, description) = flag
            .split_once('=')
            .ok_or_else(|| bad(format!("--details-type '{flag}' must be TYPE=DESCRIPTION")))?;
        out.push(DetailsType {
            name: name.to_owned(),
            description: description.to_owned(),
            actions: Vec::new(),
        });
    }
    for flag in actions {
        let parsed = flag.split_once('=').and_then(|(head, d)| {
            head.split_once(' ').map(|(t, a)| (t.to_owned(), a.trim().to_owned(), d.to_owned()))
        });
        let (kind, action, description) = parsed.ok_or_else(|| {
            bad(format!("--details-action '{flag}' must be \"TYPE ACTION=DESCRIPTION\""))
        })?;
        let target = out
            .iter_mut()
            .find(|t| t.name == kind)
            .ok_or_else(|| bad(format!("--details-action '{flag}': no --details-type {kind}")))?;
        target.actions.push(ApiScope::new(action, description));
    }
    Ok(out)
}

fn show(api: &Api, json: bool) -> anyhow::Result<()> {
    if json {
        return print_json(api);
    }
    println!("id:          {}", api.id);
    println!("identifier:  {}", api.identifier);
    println!("name:        {}", api.name);
    for scope in &api.scopes {
        println!("scope:       {:<20} {}", scope.name, scope.description);
    }
    for t in &api.authorization_details_types {
        let actions: Vec<&str> = t.actions.iter().map(|a| a.name.as_str()).collect();
        println!("details:     {:<20} {} ({})", t.name, t.description, actions.join(", "));
    }
    for (client, scopes) in &api.client_grants {
        println!("client:      {client} may get {}", scopes.join(" "));
    }
    for client in &api.introspection_clients {
        println!("credentials: {client} (introspection)");
    }
    Ok(())
}

fn show_credentials(client_id: &str, secret: &str, json: bool) -> anyhow::Result<()> {
    if json {
        return print_json(&serde_json::json!({ "client_id": client_id, "client_secret": secret }));
    }
    println!("client_id:     {client_id}");
    println!("client_secret: {secret}   (shown once: Keygate keeps only its hash)");
    Ok(())
}

/// Runs an apis command.
pub async fn run(config: &Config, command: ApisCommand) -> anyhow::Result<ExitCode> {
    let store = open_store(config).await?;
    let clock = SystemClock;
    let admin = Admin::new(&store, &clock);
    let outcome = match command {
        ApisCommand::Create {
            identifier,
            name,
            scopes,
            details_types,
            details_actions,
            access_token_ttl,
            open,
            json,
        } => {
            let parsed = parse_scopes(&scopes)
                .and_then(|s| Ok((s, parse_details_types(&details_types, &details_actions)?)));
            match parsed {
                Ok((scopes, types)) => {
                    let spec = ApiSpec {
                        identifier: Some(identifier),
                        name: Some(name),
                        scopes: Some(scopes),
                        authorization_details_types: Some(types),
                        access_token_ttl: Some(access_token_ttl),
                        signing_alg: None,
                        open: Some(open),
                    };
                    admin.create_api(spec).await.map(|a| show(&a, json))
                }
                Err(e) => Err(e),
            }
        }
        ApisCommand::List { json } => admin.apis().await.map(|apis| {
            if json {
                return print_json(&apis);
            }
            println!("{:<34} {:<40} NAME", "ID", "IDENTIFIER");
            for a in &apis {
                println!("{:<34} {:<40} {}", a.id, a.identifier, a.name);
            }
            Ok(())
        }),
        ApisCommand::Show { api, json } => admin.api(&api).await.map(|a| show(&a, json)),
        ApisCommand::Open { api, closed } => {
            let spec = ApiSpec { open: Some(!closed), ..ApiSpec::default() };
            match admin.api(&api).await {
                Ok(found) => admin.update_api(&found.id, spec).await.map(|a| {
                    let state = if a.open { "open to any application" } else { "closed" };
                    println!("{} is {state}.", a.identifier);
                    Ok(())
                }),
                Err(e) => Err(e),
            }
        }
        ApisCommand::Grant { api, client_id, scopes } => admin
            .set_api_client_grant(&api, &client_id, Some(scopes))
            .await
            .map(|a| show(&a, false)),
        ApisCommand::Ungrant { api, client_id } => {
            admin.set_api_client_grant(&api, &client_id, None).await.map(|a| show(&a, false))
        }
        ApisCommand::Credentials { api, json } => {
            admin.create_api_credentials(&api).await.map(|(_, client, secret)| {
                show_credentials(&client.client_id, secret.expose_secret(), json)
            })
        }
        ApisCommand::DeleteCredentials { api, client_id } => {
            admin.delete_api_credentials(&api, &client_id).await.map(|a| show(&a, false))
        }
        ApisCommand::Delete { api } => admin.delete_api(&api).await.map(|()| {
            println!("Deleted API {api}");
            Ok(())
        }),
    };
    store.close().await;
    match outcome {
        Ok(printed) => printed.map(|()| ExitCode::SUCCESS),
        Err(e) => Ok(report(e)),
    }
}

/// `keygate audit`: the audit log, newest first.
pub async fn audit(config: &Config, args: AuditArgs) -> anyhow::Result<ExitCode> {
    let store = open_store(config).await?;
    let clock = SystemClock;
    let query = AuditQuery {
        actor: args.actor,
        action: args.action,
        target: args.target,
        before: None,
        limit: args.limit,
    };
    let events = Admin::new(&store, &clock).audit(&query).await;
    store.close().await;
    let events = match events {
        Ok(e) => e,
        Err(e) => return Ok(report(e)),
    };
    if args.json {
        print_json(&events)?;
    } else {
        for e in &events {
            let ip = e.ip.as_deref().unwrap_or("-");
            println!(
                "{}  {:<24} {:<22} {:<40} {ip}",
                format_time(e.at),
                e.actor,
                e.action,
                e.target
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `keygate events`: the sign-in log.
pub async fn events(config: &Config, args: EventsArgs) -> anyhow::Result<ExitCode> {
    let store = open_store(config).await?;
    let clock = SystemClock;
    let filter = SignInFilter {
        user: args.user,
        application: args.application,
        outcomes: args.outcome,
        since: args.since,
        until: args.until,
        before: None,
        limit: args.limit,
    };
    let events = Admin::new(&store, &clock).signins(&filter).await;
    store.close().await;
    let events = match events {
        Ok(e) => e,
        Err(e) => return Ok(report(e)),
    };
    if args.json {
        print_json(&events)?;
        return Ok(ExitCode::SUCCESS);
    }
    for e in &events {
        let dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".to_owned());
        let mut line = format!(
            "{}  {:<34} user {:<24} app {:<24} from {}",
            format_time(e.at),
            e.outcome.describe(),
            dash(&e.user_id),
            dash(&e.client_id),
            dash(&e.ip)
        );
        if let Some(detail) = &e.detail {
            line.push_str(&format!("  ({detail})"));
        }
        println!("{line}");
    }
    if events.is_empty() {
        println!("No sign-ins match.");
    }
    Ok(ExitCode::SUCCESS)
}

/// `keygate bootstrap`: the first administrator.
pub async fn bootstrap(config: &Config, args: BootstrapArgs) -> anyhow::Result<ExitCode> {
    let password = if args.password_stdin { Some(read_secret_stdin()?) } else { None };
    let store = open_store(config).await?;
    let clock = SystemClock;
    let made = Admin::new(&store, &clock)
        .bootstrap(&args.username, &args.email, password, &config.settings.passwords)
        .await;
    store.close().await;
    match made {
        Ok(Some(made)) => {
            print_admin_sign_in(config, &made.user.username, Some(made.password.expose_secret()));
            Ok(ExitCode::SUCCESS)
        }
        Ok(None) => {
            println!("An administrator exists already; nothing was changed.");
            println!("Sign in to the console at {}/admin", config.settings.issuer);
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => Ok(report(e)),
    }
}

/// How to sign in to the console.
pub fn print_admin_sign_in(config: &Config, username: &str, password: Option<&str>) {
    println!("Admin console: {}/admin", config.settings.issuer);
    println!("  username: {username}");
    if let Some(password) = password {
        println!("  password: {password}");
        println!("  (shown once: change it after signing in, under Users)");
    }
}

/// `keygate registration create-token`.
pub async fn registration(
    config: &Config,
    command: RegistrationCommand,
) -> anyhow::Result<ExitCode> {
    let RegistrationCommand::CreateToken { note, ttl } = command;
    let store = open_store(config).await?;
    let clock = SystemClock;
    let now = keygate_core::Clock::now(&clock);
    let token =
        keygate_core::registration::create_initial_access_token(&store, now, &note, ttl).await;
    store.close().await;
    match token {
        Ok(token) => {
            if !config.settings.registration.enabled {
                eprintln!("note: dynamic registration is off; set [registration] enabled = true");
            }
            println!(
                "Initial access token (shown once; send it as a Bearer token to {}/register):",
                config.settings.issuer
            );
            println!("{}", token.expose_secret());
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => Ok(report(e)),
    }
}
