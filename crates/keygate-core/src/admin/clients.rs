//! Registering and changing applications.

use serde_json::json;

use super::{Admin, AdminError, NewClient, check};
use crate::client::{Client, ClientMetadata, ClientSpec, defaults_for, validate_client};
use crate::secret::{Secret, SecretHash, random_id};

/// Bytes of randomness in generated client secrets.
pub const CLIENT_SECRET_BYTES: usize = 32;

impl Admin<'_> {
    /// Registers a client. Returns it with its secret, which is shown once and never stored.
    pub async fn create_client(
        &self,
        new: NewClient,
    ) -> Result<(Client, Option<Secret>), AdminError> {
        let (client, secret) = self.build_client(new)?;
        check(self.access_problems(&client).await?)?;
        self.store.insert_client(&client).await?;
        self.record("client.create", &target(&client.client_id), summary(&client)).await?;
        Ok((client, secret))
    }

    /// A validated new client and its secret, not yet stored.
    pub fn build_client(&self, new: NewClient) -> Result<(Client, Option<Secret>), AdminError> {
        let (grant_types, auth_method, scopes) = defaults_for(new.client_type);
        let now = self.now();
        let spec = new.spec;
        let mut client = Client {
            client_id: new.client_id.unwrap_or_else(random_id),
            name: spec.name.clone().unwrap_or_default(),
            client_type: new.client_type,
            secret_hash: None,
            auth_method: spec.auth_method.unwrap_or(auth_method),
            redirect_uris: Vec::new(),
            post_logout_redirect_uris: Vec::new(),
            grant_types,
            scopes,
            resources: Vec::new(),
            first_party: false,
            id_token_alg: None,
            backchannel_logout_uri: None,
            metadata: ClientMetadata::default(),
            registration_token_hash: None,
            unused_until: None,
            created_at: now,
            updated_at: now,
        };
        apply_spec(&mut client, spec);
        let holds_secret = client.client_type.is_confidential()
            && client.auth_method != crate::client::AuthMethod::PrivateKeyJwt;
        let secret = if holds_secret {
            Some(new.secret.unwrap_or_else(|| Secret::generate(CLIENT_SECRET_BYTES)))
        } else if new.secret.is_some() {
            return Err(AdminError::Invalid(vec![format!(
                "a {} client is public and cannot have a secret",
                client.client_type
            )]));
        } else {
            None
        };
        if secret.as_ref().is_some_and(|s| s.expose_secret().is_empty()) {
            return Err(AdminError::Invalid(vec!["the client secret must not be empty".into()]));
        }
        client.secret_hash = secret.as_ref().map(|s| SecretHash::of(s.expose_secret()));
        check(validate_client(&client))?;
        Ok((client, secret))
    }

    /// One client.
    pub async fn client(&self, client_id: &str) -> Result<Client, AdminError> {
        self.store
            .find_client(client_id)
            .await?
            .ok_or_else(|| AdminError::NotFound(format!("client '{client_id}'")))
    }

    /// The names of the clients with these ids (repeats allowed), by id; ids of no client are
    /// left out.
    pub async fn client_names<'i>(
        &self,
        ids: impl IntoIterator<Item = &'i str>,
    ) -> Result<std::collections::BTreeMap<String, String>, AdminError> {
        let ids = super::distinct(ids);
        Ok(self.store.client_names(&ids).await?.into_iter().collect())
    }

    /// Every client.
    pub async fn clients(&self) -> Result<Vec<Client>, AdminError> {
        Ok(self.store.list_clients().await?)
    }

    /// Changes the given fields of a client.
    pub async fn update_client(
        &self,
        client_id: &str,
        spec: ClientSpec,
    ) -> Result<Client, AdminError> {
        let before = self.client(client_id).await?;
        let (client, problems) = self.changed_client(&before, spec).await?;
        check(problems)?;
        self.save_client(&client).await?;
        self.record("client.update", &target(client_id), summary(&client)).await?;
        Ok(client)
    }

    /// Every problem [`Admin::update_client`] would report for `spec`, without saving: for
    /// forms that found problems of their own and report all of them at once.
    pub async fn client_update_problems(
        &self,
        client_id: &str,
        spec: ClientSpec,
    ) -> Result<Vec<String>, AdminError> {
        let before = self.client(client_id).await?;
        Ok(self.changed_client(&before, spec).await?.1)
    }

    /// `before` with `spec` applied, and what is wrong with the result.
    async fn changed_client(
        &self,
        before: &Client,
        spec: ClientSpec,
    ) -> Result<(Client, Vec<String>), AdminError> {
        let mut client = before.clone();
        apply_spec(&mut client, spec);
        client.updated_at = self.now();
        let mut problems = self.system_client_problems(before, Some(&client));
        problems.extend(validate_client(&client));
        problems.extend(self.new_access_problems(before, &client).await?);
        Ok((client, problems))
    }

    /// Replaces a confidential client's secret; the old one stops working at once.
    pub async fn rotate_client_secret(&self, client_id: &str) -> Result<Secret, AdminError> {
        let mut client = self.client(client_id).await?;
        if !client.client_type.is_confidential() {
            return Err(AdminError::Invalid(vec![format!(
                "client '{client_id}' is public and has no secret"
            )]));
        }
        let secret = Secret::generate(CLIENT_SECRET_BYTES);
        client.secret_hash = Some(SecretHash::of(secret.expose_secret()));
        client.updated_at = self.now();
        self.save_client(&client).await?;
        self.record("client.rotate_secret", &target(client_id), json!({})).await?;
        Ok(secret)
    }

    /// Stores a changed client as it is (for RFC 7592 management, which validated it).
    pub async fn save_client(&self, client: &Client) -> Result<(), AdminError> {
        if self.store.update_client(client).await? {
            Ok(())
        } else {
            Err(AdminError::NotFound(format!("client '{}'", client.client_id)))
        }
    }

    /// Deletes a client and its grants on APIs; its tokens stop introspecting as active.
    pub async fn delete_client(&self, client_id: &str) -> Result<(), AdminError> {
        let client = self.client(client_id).await?;
        check(self.system_client_problems(&client, None))?;
        self.remove_client(client_id).await?;
        self.record("client.delete", &target(client_id), json!({})).await
    }

    /// [`Admin::delete_client`] without the audit record, for callers that record their own
    /// action (RFC 7592 §2.3 deletion is `client.register_delete`).
    pub(crate) async fn remove_client(&self, client_id: &str) -> Result<(), AdminError> {
        if !self.store.delete_client(client_id, self.now()).await? {
            return Err(AdminError::NotFound(format!("client '{client_id}'")));
        }
        for mut api in self.store.list_apis().await? {
            if api.client_grants.remove(client_id).is_some() {
                api.updated_at = self.now();
                self.store.update_api(&api).await?;
            }
        }
        Ok(())
    }
}

fn target(client_id: &str) -> String {
    format!("client:{client_id}")
}

/// What the audit log keeps of a client: its public metadata, no secret.
fn summary(client: &Client) -> serde_json::Value {
    serde_json::to_value(client).unwrap_or_default()
}

/// Applies the set fields of `spec` to `client`.
pub fn apply_spec(client: &mut Client, spec: ClientSpec) {
    let ClientSpec {
        name,
        redirect_uris,
        post_logout_redirect_uris,
        grant_types,
        scopes,
        resources,
        auth_method,
        first_party,
        id_token_alg,
        backchannel_logout_uri,
        metadata,
    } = spec;
    if let Some(v) = name {
        client.name = v;
    }
    if let Some(v) = redirect_uris {
        client.redirect_uris = v;
    }
    if let Some(v) = post_logout_redirect_uris {
        client.post_logout_redirect_uris = v;
    }
    if let Some(v) = grant_types {
        client.grant_types = v;
    }
    if let Some(v) = scopes {
        client.scopes = v;
    }
    if let Some(v) = resources {
        client.resources = v;
    }
    if let Some(v) = auth_method {
        client.auth_method = v;
    }
    if let Some(v) = first_party {
        client.first_party = v;
    }
    if let Some(v) = id_token_alg {
        client.id_token_alg = Some(v);
    }
    if let Some(v) = backchannel_logout_uri {
        client.backchannel_logout_uri = (!v.is_empty()).then_some(v);
    }
    if let Some(v) = metadata {
        client.metadata = v;
    }
}
