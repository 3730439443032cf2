//! What an application may ask for must exist: its scopes are OpenID Connect's, Keygate's own,
//! or scopes of an API it may call; the APIs it may call are registered ones (issue 16). An
//! operator who mistypes a scope or an API identifier is told at once, instead of finding out
//! from a failing sign-in.

use super::{ADMIN_READ, ADMIN_WRITE, Admin, AdminError};
use crate::api::Api;
use crate::client::Client;
use crate::scope::STANDARD_SCOPES;

/// The path of Keygate's own admin API under any issuer: a resource every client may name.
const ADMIN_API_PATH: &str = "/admin/api";

impl Admin<'_> {
    /// Every scope or API of `client` that does not exist, in plain words.
    pub(crate) async fn access_problems(&self, client: &Client) -> Result<Vec<String>, AdminError> {
        let apis = self.store.list_apis().await?;
        Ok(access_problems(client, &apis))
    }
}

/// [`Admin::access_problems`] against the registered `apis`.
pub fn access_problems(client: &Client, apis: &[Api]) -> Vec<String> {
    let mut problems = Vec::new();
    let mut callable: Vec<&Api> = Vec::new();
    for resource in &client.resources {
        match apis.iter().find(|api| &api.identifier == resource) {
            Some(api) => callable.push(api),
            None if resource.ends_with(ADMIN_API_PATH) => {}
            None => problems.push(format!(
                "'{resource}' is not a registered API: register it under APIs first, or remove it."
            )),
        }
    }
    callable.extend(apis.iter().filter(|api| api.client_grants.contains_key(&client.client_id)));
    for scope in &client.scopes {
        let known = STANDARD_SCOPES.contains(&scope.as_str())
            || [ADMIN_READ, ADMIN_WRITE].contains(&scope.as_str())
            || callable.iter().any(|api| api.scopes.iter().any(|s| &s.name == scope));
        if !known {
            problems.push(format!(
                "Scope '{scope}' is not a scope of OpenID Connect or of an API this application may call."
            ));
        }
    }
    problems
}

/// The scopes an application may be given: OpenID Connect's and those of the registered APIs,
/// for the console to offer as choices.
pub fn offered_scopes(apis: &[Api]) -> Vec<(String, Vec<String>)> {
    let mut offered = vec![(
        "OpenID Connect".to_owned(),
        STANDARD_SCOPES.iter().map(|s| (*s).to_owned()).collect(),
    )];
    for api in apis {
        let names = api.scopes.iter().map(|s| s.name.clone()).collect();
        offered.push((api.identifier.clone(), names));
    }
    offered
}
