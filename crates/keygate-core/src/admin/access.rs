//! What an application may ask for must exist: its scopes are OpenID Connect's, Keygate's own,
//! or scopes of an API it may call; the APIs it may call are registered ones (issue 16). An
//! operator who mistypes a scope or an API identifier is told at once, instead of finding out
//! from a failing sign-in.

use super::{ADMIN_READ, ADMIN_WRITE, Admin, AdminError};
use crate::api::Api;
use crate::client::Client;
use crate::scope::STANDARD_SCOPES;

/// The path of Keygate's own admin API under an issuer: a resource every client may name.
const ADMIN_API_PATH: &str = "/admin/api";

impl Admin<'_> {
    /// Every scope or API of `client` that does not exist, in plain words.
    pub(crate) async fn access_problems(&self, client: &Client) -> Result<Vec<String>, AdminError> {
        let apis = self.store.list_apis().await?;
        let admin_api = self.issuer.map(super::admin_audience);
        Ok(access_problems(client, &apis, admin_api.as_deref()))
    }

    /// The problems of `after` that `before` did not have: a change that leaves an older
    /// problem alone (an API deleted since, say) is not refused for it.
    pub(crate) async fn new_access_problems(
        &self,
        before: &Client,
        after: &Client,
    ) -> Result<Vec<String>, AdminError> {
        let old = self.access_problems(before).await?;
        let new = self.access_problems(after).await?;
        Ok(new.into_iter().filter(|p| !old.contains(p)).collect())
    }
}

/// [`Admin::access_problems`] against the registered `apis`; `admin_api` is the issuer's own
/// admin API (any `.../admin/api` when the issuer is not known, as in tests of core alone).
pub fn access_problems(client: &Client, apis: &[Api], admin_api: Option<&str>) -> Vec<String> {
    let mut problems = Vec::new();
    let mut callable: Vec<&Api> = Vec::new();
    let is_admin_api = |r: &str| admin_api.map_or(r.ends_with(ADMIN_API_PATH), |a| a == r);
    for resource in &client.resources {
        match apis.iter().find(|api| &api.identifier == resource) {
            Some(api) => callable.push(api),
            None if is_admin_api(resource) => {}
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

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::api::ApiScope;

    fn api(identifier: &str, scopes: &[&str]) -> Api {
        Api {
            id: identifier.to_owned(),
            identifier: identifier.to_owned(),
            name: identifier.to_owned(),
            scopes: scopes.iter().map(|s| ApiScope::new((*s).to_owned(), String::new())).collect(),
            authorization_details_types: Vec::new(),
            access_token_ttl: None,
            signing_alg: None,
            client_grants: BTreeMap::new(),
            introspection_clients: Vec::new(),
            open: false,
            created_at: 0,
            updated_at: 0,
        }
    }

    fn client(scopes: &[&str], resources: &[&str]) -> Client {
        let owned = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect();
        Client {
            client_id: "app".into(),
            name: "App".into(),
            client_type: crate::client::ClientType::M2m,
            secret_hash: None,
            auth_method: crate::client::AuthMethod::ClientSecretBasic,
            redirect_uris: Vec::new(),
            post_logout_redirect_uris: Vec::new(),
            grant_types: vec![crate::client::GrantType::ClientCredentials],
            scopes: owned(scopes),
            resources: owned(resources),
            first_party: false,
            id_token_alg: None,
            backchannel_logout_uri: None,
            metadata: crate::client::ClientMetadata::default(),
            registration_token_hash: None,
            unused_until: None,
            created_at: 0,
            updated_at: 0,
        }
    }

    #[test]
    fn scopes_must_be_oidc_keygate_or_of_a_callable_api() {
        let apis = [api("https://todo.example/", &["todo:read"])];
        assert!(access_problems(&client(&["openid", "admin:read"], &[]), &apis, None).is_empty());
        let ok = client(&["todo:read"], &["https://todo.example/"]);
        assert!(access_problems(&ok, &apis, None).is_empty());
        assert_eq!(access_problems(&client(&["todo:read"], &[]), &apis, None).len(), 1);
        let mut granted = client(&["todo:read"], &[]);
        let mut with_grant = apis.clone();
        with_grant[0].client_grants.insert(granted.client_id.clone(), vec!["todo:read".into()]);
        assert!(
            access_problems(&granted, &with_grant, None).is_empty(),
            "a grant makes it callable"
        );
        granted.resources = vec!["https://nope.example/".into(), "http://x/admin/api".into()];
        let problems = access_problems(&granted, &with_grant, None);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].contains("not a registered API"));
        let exact = access_problems(&granted, &with_grant, Some("https://id.example/admin/api"));
        assert_eq!(exact.len(), 2, "only the issuer's own admin API: {exact:?}");
    }
}
