//! Client ID Metadata Document clients: the ones users signed in to, and the operator's blocks
//! on one document URL, every document of a host, or of a domain and its subdomains (CIMD
//! §8.9: the authorization server's own policy on the domains used as client ids). A block is
//! checked before the cache and any fetch, on every node within its next poll of the store; it
//! revokes the grants of the clients it covers and deletes their consents. Removing it lets
//! the documents in again, and users are asked to consent anew.

use serde_json::json;

use super::{Admin, AdminError, check};
use crate::registration::document::{covering, document_key, host_of, is_document_url};
use crate::store::{DocumentBlock, SeenDocumentClient};

/// The longest reason a block keeps.
pub const REASON_MAX: usize = 500;

/// A seen document client, and the block that covers it, if any.
#[derive(Debug, Clone)]
pub struct DocumentClientView {
    /// The client, as noted at its last grant.
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

/// A block's target as stored, or the problems: a document URL as [`document_key`] writes it;
/// a host as the URL parser writes it (lower case, IDNs in ASCII, no trailing dot); or `*.` and
/// a domain, for the domain and its subdomains.
pub fn block_target(target: &str) -> Result<String, Vec<String>> {
    let target = target.trim();
    if target.is_empty() {
        return Err(vec!["target: give a document URL or a host".to_owned()]);
    }
    if target.contains("://") {
        let key = document_key(target).filter(|_| is_document_url(target, true));
        return key.ok_or_else(|| {
            vec![format!("target: '{target}' is not a metadata document URL (https, with a path)")]
        });
    }
    let (wildcard, host) = match target.strip_prefix("*.") {
        Some(domain) => ("*.", domain),
        None => ("", target),
    };
    let bracketed = host.starts_with('[') && host.ends_with(']');
    let plain =
        !host.contains(['/', '?', '#', '@', '*', '\\']) && (bracketed || !host.contains(':'));
    let parsed = format!("https://{host}/");
    let domain = |u: url::Url| matches!(u.host(), Some(url::Host::Domain(_)));
    let is_domain = url::Url::parse(&parsed).ok().is_some_and(domain);
    match plain.then(|| host_of(&parsed)).flatten() {
        Some(host) if !host.is_empty() && (wildcard.is_empty() || is_domain) => {
            Ok(format!("{wildcard}{host}"))
        }
        _ => Err(vec![format!(
            "target: '{target}' is neither a metadata document URL nor a host name (a host has no \
             port or path; *.domain covers the domain and its subdomains)"
        )]),
    }
}

impl Admin<'_> {
    /// Every document client seen, each with the block that covers it.
    pub async fn document_clients(&self) -> Result<Vec<DocumentClientView>, AdminError> {
        Ok(self.document_clients_and_blocks().await?.0)
    }

    /// [`Admin::document_clients`] and every block, reading the blocks once.
    pub async fn document_clients_and_blocks(
        &self,
    ) -> Result<(Vec<DocumentClientView>, Vec<DocumentBlock>), AdminError> {
        let blocks = self.store.list_document_blocks().await?;
        let seen = self.store.list_document_clients().await?;
        let views = seen
            .into_iter()
            .map(|client| {
                let blocked_by = covering(&blocks, &client.client_id).map(|b| b.target.clone());
                DocumentClientView { client, blocked_by }
            })
            .collect();
        Ok((views, blocks))
    }

    /// Every block, by target.
    pub async fn document_blocks(&self) -> Result<Vec<DocumentBlock>, AdminError> {
        Ok(self.store.list_document_blocks().await?)
    }

    /// What a block on `target` (as [`block_target`] stores it) would do: how many grants it
    /// would revoke, and the registered applications it names but leaves alone (a registered
    /// client id always wins over a document).
    pub async fn block_preview(&self, target: &str) -> Result<(i64, Vec<String>), AdminError> {
        let grants = self.store.live_grants_covered(target).await?;
        let clients = self.store.list_clients().await?;
        let registered = clients
            .into_iter()
            .filter(|c| crate::registration::document::covers(target, &c.client_id))
            .map(|c| c.name)
            .collect();
        Ok((grants, registered))
    }

    /// Blocks a document URL, a host or `*.domain` with its subdomains; every problem is
    /// reported at once.
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
        if !self.store.delete_document_block(&stored, self.now()).await? {
            return Err(AdminError::NotFound(format!("block on '{}'", target.trim())));
        }
        self.record("document.unblock", &format!("document:{stored}"), json!({})).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_block_names_a_document_url_a_bare_host_or_a_domain() {
        let stored = |t: &str| block_target(t).ok();
        let url = "https://app.example/client.json";
        assert_eq!(stored(" https://App.Example.:443/client.json?v=2 ").as_deref(), Some(url));
        assert_eq!(stored("App.Example.").as_deref(), Some("app.example"));
        assert_eq!(stored("*.App.Example").as_deref(), Some("*.app.example"));
        assert_eq!(stored("127.0.0.1").as_deref(), Some("127.0.0.1"));
        assert_eq!(stored("[::1]").as_deref(), Some("[::1]"));
        for bad in [
            "",
            "https://app.example/",
            "ftp://app.example/client.json",
            "app.example:8443",
            "app.example:443",
            ":pw@app.example",
            "app.example?x",
            "app.example#x",
            "app.example/client.json",
            "user@app.example",
            "exa mple.com",
            "*.",
            "*.127.0.0.1",
            "a.*.example",
        ] {
            assert!(block_target(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_block_covers_its_document_its_host_or_its_domain_however_spelled() {
        use crate::registration::document::covers;
        let doc = "https://app.example/client.json";
        for same in
            [doc, "https://APP.example./client.json?v=2", "https://app.example:443/client.json"]
        {
            assert!(covers(doc, same), "{same}");
            assert!(covers("app.example", same), "{same}");
            assert!(covers("*.app.example", same), "{same}");
        }
        assert!(!covers(doc, "https://app.example/other.json"), "another path");
        assert!(covers("app.example", "https://app.example:8443/x"), "any port");
        assert!(
            !covers("app.example", "https://sub.app.example/x"),
            "a host is not its subdomains"
        );
        assert!(covers("*.app.example", "https://a.b.app.example/x"));
        assert!(!covers("*.app.example", "https://evilapp.example/x"), "a label boundary");
        assert!(!covers("app.example", "app.example"), "a registered id is not a document");
    }
}
