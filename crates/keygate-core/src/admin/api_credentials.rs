//! An API's own credentials, for token introspection (RFC 7662 §4): a confidential client with
//! no grant, listed on the API. Introspection answers such a caller about tokens whose audience
//! is its API, and about nothing else.

use serde_json::json;

use super::{Admin, AdminError, NewClient};
use crate::api::Api;
use crate::client::{Client, ClientSpec, ClientType};
use crate::secret::Secret;

fn target(id: &str) -> String {
    format!("api:{id}")
}

impl Admin<'_> {
    /// Creates credentials for an API; returns the API, the client and (once) its secret.
    pub async fn create_api_credentials(
        &self,
        id_or_identifier: &str,
    ) -> Result<(Api, Client, Secret), AdminError> {
        let mut api = self.api(id_or_identifier).await?;
        let spec = ClientSpec {
            name: Some(format!("{} (introspection)", api.name)),
            grant_types: Some(Vec::new()),
            scopes: Some(Vec::new()),
            ..ClientSpec::default()
        };
        let new = NewClient { client_type: ClientType::M2m, client_id: None, secret: None, spec };
        let (client, secret) = self.create_client(new).await?;
        let secret = secret.ok_or_else(|| AdminError::from(anyhow::anyhow!("no secret made")))?;
        api.introspection_clients.push(client.client_id.clone());
        api.updated_at = self.now();
        self.store_api(&api).await?;
        let details = json!({ "identifier": api.identifier, "client_id": client.client_id });
        self.record("api.credentials_create", &target(&api.id), details).await?;
        Ok((api, client, secret))
    }

    /// Deletes one of an API's credentials (the client goes too).
    pub async fn delete_api_credentials(
        &self,
        id_or_identifier: &str,
        client_id: &str,
    ) -> Result<Api, AdminError> {
        let mut api = self.api(id_or_identifier).await?;
        let before = api.introspection_clients.len();
        api.introspection_clients.retain(|c| c != client_id);
        if api.introspection_clients.len() == before {
            return Err(AdminError::NotFound(format!(
                "credentials '{client_id}' of API '{id_or_identifier}'"
            )));
        }
        api.updated_at = self.now();
        self.store_api(&api).await?;
        self.remove_client(client_id).await?;
        let details = json!({ "identifier": api.identifier, "client_id": client_id });
        self.record("api.credentials_delete", &target(&api.id), details).await?;
        Ok(api)
    }

    async fn store_api(&self, api: &Api) -> Result<(), AdminError> {
        if !self.store.update_api(api).await? {
            return Err(AdminError::NotFound(format!("API '{}'", api.id)));
        }
        Ok(())
    }
}
