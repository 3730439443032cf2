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
pub fn choices(resources: &[String], scopes: &[String], apis: &[Api], client_id: &str) -> Value {
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
                granted => api.client_grants.contains_key(client_id),
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

/// What saving an application's access section changes: its own resources and scopes, and
/// the machine-to-machine grants APIs made to it. Grants stay grants (an API's page can
/// withdraw them); only grants the page showed are changed, and only when their ticks changed.
#[derive(Debug, Default)]
pub struct Plan {
    /// The application's own resources, in its order (the first is the default audience).
    pub resources: Vec<String>,
    /// The application's own scopes.
    pub scopes: Vec<String>,
    /// Grant changes by API id: the new scopes, or `None` to withdraw the grant.
    pub grants: Vec<(String, Option<Vec<String>>)>,
}

/// The [`Plan`] for the ticked `resources` and `scopes`; `shown` names the APIs whose grants
/// the page showed (a grant made since the page was loaded is left alone).
pub fn plan(
    client: &Client,
    apis: &[Api],
    resources: Vec<String>,
    scopes: Vec<String>,
    shown: &[String],
) -> Plan {
    let granted: Vec<&Api> = apis
        .iter()
        .filter(|a| {
            a.client_grants.contains_key(&client.client_id) && shown.contains(&a.identifier)
        })
        .collect();
    let mut grants = Vec::new();
    for api in &granted {
        let now: Vec<String> = if resources.contains(&api.identifier) {
            api.scopes.iter().filter(|d| scopes.contains(&d.name)).map(|d| d.name.clone()).collect()
        } else {
            grants.push((api.id.clone(), None));
            continue;
        };
        let before = &api.client_grants[&client.client_id];
        let same = now.len() == before.len() && now.iter().all(|s| before.contains(s));
        if !same {
            grants.push((api.id.clone(), Some(now)));
        }
    }
    let is_grant = |r: &String| granted.iter().any(|a| &a.identifier == r);
    let own: Vec<String> =
        resources.into_iter().filter(|r| client.resources.contains(r) || !is_grant(r)).collect();
    let mut own_resources: Vec<String> =
        client.resources.iter().filter(|r| own.contains(r)).cloned().collect();
    own_resources.extend(own.into_iter().filter(|r| !client.resources.contains(r)));
    let defined_by =
        |s: &str| apis.iter().filter(|a| a.scopes.iter().any(|d| d.name == s)).collect::<Vec<_>>();
    let own_scopes = scopes
        .into_iter()
        .filter(|s| {
            let owners = defined_by(s);
            // OpenID Connect's, Keygate's and unknown scopes stay (core names unknown ones);
            // an API's scope stays with one of the application's own APIs.
            owners.is_empty() || owners.iter().any(|a| own_resources.contains(&a.identifier))
        })
        .collect();
    Plan { resources: own_resources, scopes: own_scopes, grants }
}

/// Applies the grant changes of a [`Plan`] after the application was saved.
pub async fn apply_grants(
    admin: &Admin<'_>,
    client_id: &str,
    grants: &[(String, Option<Vec<String>>)],
) -> Result<(), AdminError> {
    for (api_id, scopes) in grants {
        match admin.set_api_client_grant(api_id, client_id, scopes.clone()).await {
            Ok(_) | Err(AdminError::NotFound(_)) => {}
            Err(e) => return Err(e),
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
