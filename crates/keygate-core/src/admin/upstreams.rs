//! Upstream identity providers kept in the store (those of the configuration file are
//! read-only), and the upstream identities linked to users.

use serde_json::json;

use super::{Admin, AdminError, check};
use crate::federation::UpstreamProvider;
use crate::keys::MasterKey;
use crate::store::LinkedIdentity;

fn target(id: &str) -> String {
    format!("upstream:{id}")
}

impl Admin<'_> {
    /// Every stored upstream, secrets unsealed.
    pub async fn upstreams(&self, master: &MasterKey) -> Result<Vec<UpstreamProvider>, AdminError> {
        self.store
            .list_upstreams()
            .await?
            .iter()
            .map(|s| UpstreamProvider::from_stored(s, master).map_err(AdminError::Internal))
            .collect()
    }

    /// One stored upstream.
    pub async fn upstream(
        &self,
        id: &str,
        master: &MasterKey,
    ) -> Result<UpstreamProvider, AdminError> {
        self.upstreams(master)
            .await?
            .into_iter()
            .find(|u| u.id == id)
            .ok_or_else(|| AdminError::NotFound(format!("upstream '{id}'")))
    }

    /// Adds an upstream; it needs a client secret.
    pub async fn create_upstream(
        &self,
        upstream: UpstreamProvider,
        master: &MasterKey,
    ) -> Result<UpstreamProvider, AdminError> {
        let mut problems = upstream.problems();
        if upstream.client_secret.is_none() {
            problems.push("client_secret is required".to_owned());
        }
        check(problems)?;
        if upstream.enabled {
            self.ask_upstream(&upstream).await?;
        }
        let now = self.now();
        self.store.insert_upstream(&upstream.to_stored(master, now, now)?).await?;
        self.record("upstream.create", &target(&upstream.id), summary(&upstream)).await?;
        Ok(upstream)
    }

    /// Replaces a stored upstream's settings; without a new secret the old one stays.
    pub async fn update_upstream(
        &self,
        mut upstream: UpstreamProvider,
        master: &MasterKey,
    ) -> Result<UpstreamProvider, AdminError> {
        let rows = self.store.list_upstreams().await?;
        let Some(current) = rows.iter().find(|r| r.id == upstream.id) else {
            return Err(AdminError::NotFound(format!("upstream '{}'", upstream.id)));
        };
        if upstream.client_secret.is_none() {
            upstream.client_secret = UpstreamProvider::from_stored(current, master)?.client_secret;
        }
        check(upstream.problems())?;
        // Asked when it is to be shown on the login page with an issuer not known to work:
        // turning a broken upstream off, or renaming it, needs no answer from it.
        let before = UpstreamProvider::from_stored(current, master)?;
        if upstream.enabled && (!before.enabled || before.kind != upstream.kind) {
            self.ask_upstream(&upstream).await?;
        }
        let stored = upstream.to_stored(master, current.created_at, self.now())?;
        if !self.store.update_upstream(&stored).await? {
            return Err(AdminError::NotFound(format!("upstream '{}'", upstream.id)));
        }
        self.record("upstream.update", &target(&upstream.id), summary(&upstream)).await?;
        Ok(upstream)
    }

    /// With [`Admin::checking_upstreams`]: the upstream answers as an OpenID provider.
    async fn ask_upstream(&self, upstream: &UpstreamProvider) -> Result<(), AdminError> {
        match self.upstream_http {
            Some(http) => check(crate::federation::discovery_problems(http, upstream).await),
            None => Ok(()),
        }
    }

    /// Removes a stored upstream. Identities linked through it stay linked, so that an upstream
    /// added again under the same id finds its users.
    pub async fn delete_upstream(&self, id: &str) -> Result<(), AdminError> {
        if !self.store.delete_upstream(id).await? {
            return Err(AdminError::NotFound(format!("upstream '{id}'")));
        }
        self.record("upstream.delete", &target(id), json!({})).await
    }

    /// The upstream identities linked to a user.
    pub async fn linked_identities(
        &self,
        user_id: &str,
    ) -> Result<Vec<LinkedIdentity>, AdminError> {
        Ok(self.store.linked_identities(user_id).await?)
    }

    /// Unlinks an upstream identity from a user.
    pub async fn unlink_identity(
        &self,
        user_id: &str,
        provider_id: &str,
        subject: &str,
    ) -> Result<(), AdminError> {
        let link = self.store.find_linked_identity(provider_id, subject).await?;
        if link.is_none_or(|l| l.user_id != user_id)
            || !self.store.delete_linked_identity(provider_id, subject).await?
        {
            return Err(AdminError::NotFound(format!("linked identity {provider_id}/{subject}")));
        }
        let details = json!({ "provider": provider_id });
        self.record("identity.unlink", &format!("user:{user_id}"), details).await
    }
}

/// What the audit log keeps of an upstream (never the secret).
fn summary(u: &UpstreamProvider) -> serde_json::Value {
    json!({ "display_name": u.display_name, "client_id": u.client_id, "enabled": u.enabled,
        "jit_provisioning": u.jit_provisioning, "link_verified_email": u.link_verified_email,
        "preset": u.preset })
}
