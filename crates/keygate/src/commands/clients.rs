//! `keygate clients ...`.

use std::process::ExitCode;

use keygate_core::admin::{Admin, NewClient};
use keygate_core::client::{Client, ClientSpec};
use keygate_core::{Secret, SystemClock};
use keygate_server::Config;
use keygate_server::boot::open_store;
use serde_json::json;

use super::{format_time, print_json, read_secret_stdin, report};
use crate::cli::{ClientFields, ClientsCommand};

/// Runs a clients command against the configured database.
pub async fn run(config: &Config, command: ClientsCommand) -> anyhow::Result<ExitCode> {
    let store = open_store(config).await?;
    let clock = SystemClock;
    let admin = Admin::new(&store, &clock).for_issuer(&config.settings.issuer);
    let outcome = match command {
        ClientsCommand::Create { client_type, client_id, client_secret_stdin, fields, json } => {
            let secret = if client_secret_stdin { Some(read_secret_stdin()?) } else { None };
            let metadata = fields.metadata_over(&Default::default());
            let new = match (client_type.parse(), spec(fields, metadata)) {
                (Ok(client_type), Ok(spec)) => NewClient { client_type, client_id, secret, spec },
                (t, s) => {
                    let problems = t.err().into_iter().chain(s.err().unwrap_or_default()).collect();
                    return Ok(report(keygate_core::admin::AdminError::Invalid(problems)));
                }
            };
            admin.create_client(new).await.map(|(c, s)| show(&c, s.as_ref(), json))
        }
        ClientsCommand::List { json } => admin.clients().await.map(|list| list_clients(&list, json)),
        ClientsCommand::Show { client_id, json } => {
            admin.client(&client_id).await.map(|c| show(&c, None, json))
        }
        ClientsCommand::Update { client_id, fields, json } => match admin.client(&client_id).await {
            Ok(current) => {
                let metadata = fields.metadata_over(&current.metadata);
                match spec(fields, metadata) {
                    Ok(spec) => {
                        admin.update_client(&client_id, spec).await.map(|c| show(&c, None, json))
                    }
                    Err(problems) => Err(keygate_core::admin::AdminError::Invalid(problems)),
                }
            }
            Err(e) => Err(e),
        },
        ClientsCommand::Delete { client_id } => admin.delete_client(&client_id).await.map(|()| {
            println!("Deleted client {client_id}");
            Ok(())
        }),
        ClientsCommand::Documents { command } => super::documents::run(&admin, command).await,
        ClientsCommand::RotateSecret { client_id, json } => {
            admin.rotate_client_secret(&client_id).await.map(|secret| {
                if json {
                    print_json(&json!({"client_id": client_id, "client_secret": secret.expose_secret()}))
                } else {
                    println!("New secret for {client_id} (shown once, store it now; the old one no longer works):");
                    println!("client_secret: {}", secret.expose_secret());
                    Ok(())
                }
            })
        }
    };
    store.close().await;
    match outcome {
        Ok(printed) => printed.map(|()| ExitCode::SUCCESS),
        Err(e) => Ok(report(e)),
    }
}

/// The metadata given by flags; lists left empty keep their current or default value.
fn spec(
    fields: ClientFields,
    metadata: Option<keygate_core::client::ClientMetadata>,
) -> Result<ClientSpec, Vec<String>> {
    let mut problems = Vec::new();
    let list = |v: Vec<String>| (!v.is_empty()).then_some(v);
    let grant_types = fields
        .grant_types
        .iter()
        .filter_map(|g| g.parse().map_err(|e| problems.push(e)).ok())
        .collect::<Vec<_>>();
    let auth_method =
        fields.auth_method.as_deref().and_then(|m| m.parse().map_err(|e| problems.push(e)).ok());
    let id_token_alg =
        fields.id_token_alg.as_deref().and_then(|a| a.parse().map_err(|e| problems.push(e)).ok());
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(ClientSpec {
        name: fields.name,
        redirect_uris: list(fields.redirect_uris),
        post_logout_redirect_uris: list(fields.post_logout_redirect_uris),
        grant_types: (!grant_types.is_empty()).then_some(grant_types),
        scopes: list(fields.scopes),
        resources: list(fields.resources),
        auth_method,
        first_party: fields.first_party,
        id_token_alg,
        backchannel_logout_uri: fields.backchannel_logout_uri,
        metadata,
    })
}

fn show(client: &Client, secret: Option<&Secret>, json: bool) -> anyhow::Result<()> {
    if json {
        let mut value = serde_json::to_value(client)?;
        if let (Some(secret), Some(map)) = (secret, value.as_object_mut()) {
            map.insert("client_secret".into(), secret.expose_secret().into());
        }
        return print_json(&value);
    }
    let join = |v: &[String]| if v.is_empty() { "-".to_owned() } else { v.join(" ") };
    let grants: Vec<String> = client.grant_types.iter().map(|g| g.to_string()).collect();
    println!("client_id:        {}", client.client_id);
    if let Some(secret) = secret {
        println!("client_secret:    {}", secret.expose_secret());
        println!("                  (shown once: store it now, Keygate keeps only its hash)");
    }
    println!("name:             {}", client.name);
    println!("type:             {}", client.client_type);
    println!("auth method:      {}", client.auth_method);
    println!("grant types:      {}", join(&grants));
    println!("scopes:           {}", join(&client.scopes));
    println!("resources:        {}", join(&client.resources));
    println!("redirect URIs:    {}", join(&client.redirect_uris));
    println!("logout URIs:      {}", join(&client.post_logout_redirect_uris));
    println!(
        "first party:      {}",
        if client.first_party { "yes (no consent page)" } else { "no" }
    );
    if let Some(alg) = client.id_token_alg {
        println!("ID token alg:     {alg}");
    }
    let m = &client.metadata;
    if !m.web_origins.is_empty() {
        println!("web origins:      {}", join(&m.web_origins));
    }
    let shown = [
        ("logo:", &m.logo_uri),
        ("primary color:", &m.primary_color),
        ("background:", &m.background_uri),
        ("privacy policy:", &m.policy_uri),
        ("terms:", &m.tos_uri),
    ];
    for (label, value) in shown {
        if let Some(v) = value {
            println!("{label:<17} {v}");
        }
    }
    println!("created:          {}", format_time(client.created_at));
    Ok(())
}

fn list_clients(clients: &[Client], json: bool) -> anyhow::Result<()> {
    if json {
        return print_json(&clients);
    }
    if clients.is_empty() {
        println!("No applications. Create one with: keygate clients create --name NAME --type m2m");
        return Ok(());
    }
    println!("{:<34} {:<7} {:<20} NAME", "CLIENT ID", "TYPE", "AUTH METHOD");
    for c in clients {
        println!("{:<34} {:<7} {:<20} {}", c.client_id, c.client_type, c.auth_method, c.name);
    }
    Ok(())
}
