//! Client ID Metadata Document clients: the ones Keygate has fetched, and the operator's blocks
//! on one document URL or on every document of a host. A block refuses the document at once
//! on every node (before the cache and before any fetch), revokes the grants of the clients
//! it covers and deletes their consents; removing it lets the document in again, and users
//! are asked to consent anew.

use serde_json::json;

use super::{Admin, AdminError, check};
use crate::registration::document::{covering, is_document_url};
use crate::store::{DocumentBlock, SeenDocumentClient};

/// The longest reason a block keeps.
pub const REASON_MAX: usize = 500;

/// A seen document client, and the block that covers it, if any.
#[derive(Debug, Clone)]
pub struct DocumentClientView {
    /// The client as last fetched.
    pub client: SeenDocumentClient,
    /// The block that refuses it.
    pub blocked_by: Option<String>,
}

/// What [`Admin::block_documents`] did.
#[derive(Debug, Clone)]
pub struct BlockMade {
    /// The block, its target normalized.
    pub block: DocumentBlock,
    /// How many grants it revoked.
    pub revoked_grants: u64,
}

/// A block's target as stored: a document URL as given (client ids compare exactly), or a
/// host as the URL parser writes it (lower case, IDNs in ASCII); the problems otherwise.
pub fn block_target(target: &str) -> Result<String, Vec<String>> {
    let target = target.trim();
    if target.is_empty() {
        return Err(vec!["target: give a document URL or a host".to_owned()]);
    }
    if target.contains("://") {
        return if is_document_url(target, true) {
            Ok(target.to_owned())
        } else {
            Err(vec![format!(
                "target: '{target}' is not a metadata document URL (https, with a path)"
            )])
        };
    }
    let url = url::Url::parse(&format!("https://{target}/")).ok();
    let bare = |u: &url::Url| {
        u.path() == "/" && u.port().is_none() && u.username().is_empty() && !target.contains('/')
    };
    match url.as_ref().filter(|u| bare(u)).and_then(url::Url::host_str) {
        Some(host) => Ok(host.to_owned()),
        None => Err(vec![format!(
            "target: '{target}' is neither a metadata document URL nor a host name (no port or path)"
        )]),
    }
}

impl Admin<'_> {
    /// Every document client seen, each with the block that covers it.
    pub async fn document_clients(&self) -> Result<Vec<DocumentClientView>, AdminError> {
        let blocks = self.store.list_document_blocks().await?;
        let seen = self.store.list_document_clients().await?;
        Ok(seen
            .into_iter()
            .map(|client| {
                let blocked_by = covering(&blocks, &client.client_id).map(|b| b.target.clone());
                DocumentClientView { client, blocked_by }
            })
            .collect())
    }

    /// Every block, by target.
    pub async fn document_blocks(&self) -> Result<Vec<DocumentBlock>, AdminError> {
        Ok(self.store.list_document_blocks().await?)
    }

    /// Blocks a document URL or a host; every problem is reported at once.
    pub async fn block_documents(
        &self,
        target: &str,
        reason: &str,
    ) -> Result<BlockMade, AdminError> {
        let reason = reason.trim();
        let target = block_target(target);
        let mut problems = target.as_ref().err().cloned().unwrap_or_default();
        if reason.chars().count() > REASON_MAX {
            problems.push(format!("reason: at most {REASON_MAX} characters"));
        }
        check(problems)?;
        let target = target.map_err(AdminError::Invalid)?;
        let block = DocumentBlock {
            target: target.clone(),
            reason: reason.to_owned(),
            created_at: self.now(),
            created_by: self.actor.id.clone(),
        };
        let revoked_grants = match self.store.insert_document_block(&block, self.now()).await {
            Err(crate::store::StoreError::Conflict(_)) => {
                return Err(AdminError::Conflict(format!("'{target}' is blocked already")));
            }
            other => other?,
        };
        let details = json!({ "reason": reason, "revoked_grants": revoked_grants });
        self.record("document.block", &format!("document:{target}"), details).await?;
        Ok(BlockMade { block, revoked_grants })
    }

    /// Removes a block: the documents it covered are fetched and accepted again.
    pub async fn unblock_documents(&self, target: &str) -> Result<(), AdminError> {
        let stored = block_target(target).unwrap_or_else(|_| target.trim().to_owned());
        if !self.store.delete_document_block(&stored).await? {
            return Err(AdminError::NotFound(format!("block on '{}'", target.trim())));
        }
        self.record("document.unblock", &format!("document:{stored}"), json!({})).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_block_names_a_document_url_or_a_bare_host() {
        assert_eq!(
            block_target(" https://app.example/client.json ").as_deref(),
            Ok("https://app.example/client.json")
        );
        assert_eq!(block_target("App.Example").as_deref(), Ok("app.example"));
        assert_eq!(block_target("127.0.0.1").as_deref(), Ok("127.0.0.1"));
        assert_eq!(block_target("[::1]").as_deref(), Ok("[::1]"));
        for bad in [
            "",
            "https://app.example/",
            "ftp://app.example/client.json",
            "app.example:8443",
            "app.example/client.json",
            "user@app.example",
            "exa mple.com",
        ] {
            assert!(block_target(bad).is_err(), "{bad:?}");
        }
    }
}
