//! Access chosen from lists: on an application's page, the APIs it may call and their scopes
//! are ticked among the registered ones; machine-to-machine grants made on an API's page show
//! there too, and saving the application keeps both in step.

use keygate_core::admin::{Admin, AdminError};
use keygate_core::api::Api;
use keygate_core::client::Client;
use keygate_core::scope::{STANDARD_SCOPES, describe_scope};
use minijinja::{Value, context};

/// The application's access as the form shows it: its own resources and scopes, plus the APIs
/// that granted it client credentials access and the scopes they granted.
pub fn merged(client: &Client, apis: &[Api]) -> (Vec<String>, Vec<String>) {
    let mut resources = client.resources.clone();
    let mut scopes = client.scopes.clone();
    for api in apis {
        let Some(granted) = api.client_grants.get(&client.client_id) else { continue };
        if !resources.contains(&api.identifier) {
            resources.push(api.identifier.clone());
        }
        for scope in granted {
            if !scopes.contains(scope) {
                scopes.push(scope.clone());
            }
        }
    }
    (resources, scopes)
}

/// The choices of the access section, ticked as `resources` and `scopes` say.
pub fn choices(resources: &[String], scopes: &[String], apis: &[Api]) -> Value {
    let ticked = |s: &str| scopes.iter().any(|t| t == s);
    let oidc: Vec<Value> = STANDARD_SCOPES
        .iter()
        .map(|&s| context! { name => s, description => describe_scope(s), checked => ticked(s) })
        .collect();
    let mut sorted: Vec<&Api> = apis.iter().collect();
    sorted.sort_by_key(|a| a.name.to_lowercase());
    let api_rows: Vec<Value> = sorted
        .iter()
        .map(|api| {
            let api_scopes: Vec<Value> = api
                .scopes
                .iter()
                .map(|s| context! { name => &s.name, description => &s.description, checked => ticked(&s.name) })
                .collect();
            context! {
                id => &api.id, name => &api.name, identifier => &api.identifier,
                checked => resources.contains(&api.identifier), scopes => api_scopes,
            }
        })
        .collect();
    let defined = |s: &str| {
        STANDARD_SCOPES.contains(&s) || apis.iter().any(|a| a.scopes.iter().any(|d| d.name == s))
    };
    let other: Vec<String> = scopes.iter().filter(|s| !defined(s)).cloned().collect();
    let other_resources: Vec<String> =
        resources.iter().filter(|r| !apis.iter().any(|a| &a.identifier == *r)).cloned().collect();
    context! { oidc, apis => api_rows, other, other_resources }
}

/// The resources ticked on the form, in the order the application had them (the first is the
/// default audience), new ones after.
pub fn ordered(before: &[String], ticked: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = before.iter().filter(|r| ticked.contains(r)).cloned().collect();
    out.extend(ticked.into_iter().filter(|r| !before.contains(r)));
    out.dedup();
    out
}

/// The ticked scopes that stay: a scope of an API that is not ticked goes with its API
/// (unless a ticked API defines it too); OpenID Connect's, Keygate's and unknown ones stay,
/// so that core names the unknown ones.
pub fn kept_scopes(ticked: &str, resources: &[String], apis: &[Api], listed: bool) -> Vec<String> {
    let scopes = ticked.split_whitespace().map(str::to_owned);
    if !listed {
        return scopes.collect();
    }
    scopes
        .filter(|s| {
            let owners: Vec<&Api> =
                apis.iter().filter(|a| a.scopes.iter().any(|d| &d.name == s)).collect();
            owners.is_empty() || owners.iter().any(|a| resources.contains(&a.identifier))
        })
        .collect()
}

/// After the application was saved: the client credentials grants APIs made to it follow
/// what its page now says (an unticked API withdraws its grant; a ticked one grants the
/// ticked scopes it defines).
pub async fn sync_grants(admin: &Admin<'_>, client: &Client) -> Result<(), AdminError> {
    for api in admin.apis().await? {
        let Some(granted) = api.client_grants.get(&client.client_id) else { continue };
        let keep = client.resources.contains(&api.identifier);
        let scopes: Vec<String> = api
            .scopes
            .iter()
            .filter(|s| client.scopes.contains(&s.name))
            .map(|s| s.name.clone())
            .collect();
        if !keep {
            admin.set_api_client_grant(&api.id, &client.client_id, None).await?;
        } else if &scopes != granted {
            admin.set_api_client_grant(&api.id, &client.client_id, Some(scopes)).await?;
        }
    }
    Ok(())
}

/// An API's page: the applications that may be granted client credentials access (sorted by
/// name, without Keygate's own), and every application that may call the API, with the scopes
/// of the API it has and how.
pub fn api_sides(api: &Api, clients: &[Client]) -> (Vec<Value>, Vec<Value>) {
    let mut sorted: Vec<&Client> =
        clients.iter().filter(|c| !keygate_core::admin::is_system_client(c)).collect();
    sorted.sort_by_key(|c| c.name.to_lowercase());
    let grantable = sorted
        .iter()
        .filter(|c| c.allows_grant(keygate_core::client::GrantType::ClientCredentials))
        .map(|c| context! { id => &c.client_id, name => &c.name })
        .collect();
    let callers = sorted
        .iter()
        .filter(|c| c.resources.contains(&api.identifier))
        .map(|c| {
            let scopes: Vec<String> = c
                .scopes
                .iter()
                .filter(|s| api.scopes.iter().any(|d| &d.name == *s))
                .cloned()
                .collect();
            context! { id => &c.client_id, name => &c.name, scopes }
        })
        .collect();
    (grantable, callers)
}
