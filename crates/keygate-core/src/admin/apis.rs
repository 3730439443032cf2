//! APIs (resource servers), their scopes, and which machine-to-machine clients may use them.

use std::collections::BTreeMap;

use serde_json::json;

use super::{Admin, AdminError, check};
use crate::api::{Api, ApiSpec, validate_api};
use crate::secret::random_id;

fn target(id: &str) -> String {
    format!("api:{id}")
}

impl Admin<'_> {
    /// Registers an API.
    pub async fn create_api(&self, spec: ApiSpec) -> Result<Api, AdminError> {
        let now = self.now();
        let mut api = Api {
            id: random_id(),
            identifier: String::new(),
            name: String::new(),
            scopes: Vec::new(),
            authorization_details_types: Vec::new(),
            access_token_ttl: None,
            signing_alg: None,
            client_grants: BTreeMap::new(),
            introspection_clients: Vec::new(),
            open: false,
            created_at: now,
            updated_at: now,
        };
        spec.apply(&mut api);
        self.check_api(&api).await?;
        self.store.insert_api(&api).await?;
        let details = json!({ "identifier": api.identifier, "name": api.name,
            "authorization_details_types": api.authorization_details_types });
        self.record("api.create", &target(&api.id), details).await?;
        Ok(api)
    }

    /// Every API.
    pub async fn apis(&self) -> Result<Vec<Api>, AdminError> {
        Ok(self.store.list_apis().await?)
    }

    /// One API, by id or identifier.
    pub async fn api(&self, id_or_identifier: &str) -> Result<Api, AdminError> {
        self.apis()
            .await?
            .into_iter()
            .find(|a| a.id == id_or_identifier || a.identifier == id_or_identifier)
            .ok_or_else(|| AdminError::NotFound(format!("API '{id_or_identifier}'")))
    }

    /// Changes the given fields of an API. Client grants keep only scopes the API still defines.
    pub async fn update_api(&self, id: &str, spec: ApiSpec) -> Result<Api, AdminError> {
        let mut api = self.api(id).await?;
        spec.apply(&mut api);
        let defined: Vec<String> = api.scopes.iter().map(|s| s.name.clone()).collect();
        for scopes in api.client_grants.values_mut() {
            scopes.retain(|s| defined.contains(s));
        }
        self.save_api(api, "api.update").await
    }

    /// Allows a machine-to-machine client the given scopes of an API, or, with `None`, removes
    /// its access.
    pub async fn set_api_client_grant(
        &self,
        id: &str,
        client_id: &str,
        scopes: Option<Vec<String>>,
    ) -> Result<Api, AdminError> {
        let mut api = self.api(id).await?;
        match scopes {
            Some(scopes) => {
                let client = self.client(client_id).await?;
                if !client.allows_grant(crate::client::GrantType::ClientCredentials) {
                    return Err(AdminError::Invalid(vec![format!(
                        "client '{client_id}' cannot use the client_credentials grant"
                    )]));
                }
                api.client_grants.insert(client_id.to_owned(), scopes);
            }
            None => {
                if api.client_grants.remove(client_id).is_none() {
                    return Err(AdminError::NotFound(format!(
                        "grant of API '{id}' to client '{client_id}'"
                    )));
                }
            }
        }
        self.save_api(api, "api.client_grant").await
    }

    async fn save_api(&self, mut api: Api, action: &str) -> Result<Api, AdminError> {
        api.updated_at = self.now();
        self.check_api(&api).await?;
        if !self.store.update_api(&api).await? {
            return Err(AdminError::NotFound(format!("API '{}'", api.id)));
        }
        let details = json!({ "identifier": api.identifier, "client_grants": api.client_grants,
            "authorization_details_types": api.authorization_details_types });
        self.record(action, &target(&api.id), details).await?;
        Ok(api)
    }

    /// Every problem of `api`, including authorization details types another API defines
    /// (a type must name one API, RFC 9396 §2).
    async fn check_api(&self, api: &Api) -> Result<(), AdminError> {
        let mut problems = validate_api(api);
        let others = self.store.list_apis().await?;
        for t in &api.authorization_details_types {
            if let Some(other) = others.iter().find(|o| {
                o.id != api.id && o.authorization_details_types.iter().any(|ot| ot.name == t.name)
            }) {
                problems
                    .push(format!("type '{}' is already defined by {}", t.name, other.identifier));
            }
        }
        check(problems)
    }

    /// Deletes an API, and its introspection credentials with it.
    pub async fn delete_api(&self, id: &str) -> Result<(), AdminError> {
        let api = self.api(id).await?;
        if !self.store.delete_api(&api.id).await? {
            return Err(AdminError::NotFound(format!("API '{id}'")));
        }
        for client_id in &api.introspection_clients {
            match self.remove_client(client_id).await {
                Ok(()) | Err(AdminError::NotFound(_)) => {}
                Err(e) => return Err(e),
            }
        }
        self.record("api.delete", &target(&api.id), json!({ "identifier": api.identifier })).await
    }
}
