//! OAuth Client ID Metadata Documents (draft-ietf-oauth-client-id-metadata-document-02, as
//! the MCP authorization specification uses them): a `client_id` that is an https URL names
//! the client's metadata, which Keygate fetches (through the outbound request policy: no
//! redirects, no internal addresses, 5 KiB at most), checks, and keeps for as long as the
//! response's `Cache-Control` allows within bounds. Such a client is public or uses
//! `private_key_jwt`, gets no API of its own, and is always shown as unverified.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use keygate_types::ClientMetadataRequest;
use serde_json::Value;

use crate::admin::NewClient;
use crate::client::Client;
use crate::store::DocumentBlock;
use crate::{OAuthError, Provider};

/// The shortest time a fetched document is kept, whatever its `Cache-Control` says.
pub const MIN_CACHE: i64 = 60;
/// The longest.
pub const MAX_CACHE: i64 = 24 * 3600;
/// How long a document without caching headers is kept.
pub const DEFAULT_CACHE: i64 = 300;
/// How long a document client is listed after its last fetch once it holds no grant (30 days).
pub const REMEMBERED: i64 = 30 * 24 * 3600;
/// How many documents are kept at once.
const CAPACITY: usize = 1024;

/// A fetched document: its JSON and how long its response said it may be kept, if it did.
#[derive(Debug, Clone)]
pub struct FetchedDocument {
    /// The document.
    pub document: Value,
    /// `Cache-Control: max-age` (0 for `no-store` or `no-cache`).
    pub max_age: Option<i64>,
}

/// Clients built from fetched documents, by `client_id`, each with when it expires.
#[derive(Default)]
pub struct DocumentCache(Mutex<HashMap<String, (Arc<Client>, i64)>>);

impl DocumentCache {
    fn get(&self, url: &str, now: i64) -> Option<Arc<Client>> {
        let cache = self.0.lock().ok()?;
        cache.get(url).filter(|(_, until)| *until > now).map(|(client, _)| client.clone())
    }

    fn put(&self, url: &str, client: Arc<Client>, until: i64, now: i64) {
        let Ok(mut cache) = self.0.lock() else { return };
        if cache.len() >= CAPACITY {
            cache.retain(|_, (_, expires)| *expires > now);
        }
        if cache.len() < CAPACITY {
            cache.insert(url.to_owned(), (client, until));
        }
    }
}

/// The host of a URL as blocks compare it: as the URL parser writes it (lower case, IDNs in
/// ASCII), without a trailing dot (`app.example.` is `app.example`).
pub fn host_of(url: &str) -> Option<String> {
    let url = url::Url::parse(url).ok()?;
    url.host_str().map(|h| h.strip_suffix('.').unwrap_or(h).to_owned())
}

/// A document URL as blocks compare it: scheme, host (see [`host_of`]), the port unless it is
/// the scheme's default, and the path as parsed. The query and fragment are left out, so that a
/// blocked document cannot come back under another query string. (A host that wants to dodge
/// a block on one URL can serve the document at another path: that takes a host block.)
pub fn document_key(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url).ok()?;
    let host = host_of(url)?;
    let port = parsed.port().map(|p| format!(":{p}")).unwrap_or_default();
    Some(format!("{}://{host}{port}{}", parsed.scheme(), parsed.path()))
}

/// Whether a block on `target` covers the document client `client_id`: the same document
/// (compared by [`document_key`]), every document of a host (`app.example`), or with `*.`
/// every document of a domain and its subdomains (`*.app.example`): the operator's own policy
/// on the domains used as client ids (§8.9, which names `*.example.com` patterns). Client ids
/// still compare as exact strings (§3); a block compares loosely on purpose, so that another
/// spelling of a blocked URL stays blocked. This is the one rule: the request path, the
/// store's revocation and the console's preview all ask it.
pub fn covers(target: &str, client_id: &str) -> bool {
    if target.contains("://") {
        let key = document_key(target);
        return key.is_some() && key == document_key(client_id);
    }
    let Some(host) = host_of(client_id) else { return false };
    match target.strip_prefix("*.") {
        Some(domain) => {
            host == domain || host.strip_suffix(domain).is_some_and(|sub| sub.ends_with('.'))
        }
        None => host == target,
    }
}

/// The block among `blocks` that covers the document client `client_id`, if any.
pub fn covering<'a>(blocks: &'a [DocumentBlock], client_id: &str) -> Option<&'a DocumentBlock> {
    blocks.iter().find(|b| covers(&b.target, client_id))
}

/// Whether `host` is a loopback name or address (`localhost`, `127.0.0.1`, `[::1]`).
pub fn is_loopback_host(host: Option<&str>) -> bool {
    matches!(host, Some("localhost" | "127.0.0.1" | "[::1]"))
}

/// §3: whether `client_id` is a Client ID Metadata Document URL: https, a path other than
/// `/`, no dot segments, fragment or credentials (a query is tolerated, as §3 only advises
/// against it). With `development` (Keygate's own issuer on loopback, §8.6's exception for
/// development servers), `http` on a loopback host too.
pub fn is_document_url(client_id: &str, development: bool) -> bool {
    let Ok(url) = url::Url::parse(client_id) else { return false };
    let loopback = is_loopback_host(url.host_str());
    let rest = match client_id.strip_prefix("https://") {
        Some(rest) => rest,
        None if development && loopback => match client_id.strip_prefix("http://") {
            Some(rest) => rest,
            None => return false,
        },
        None => return false,
    };
    let path = rest.find('/').map_or("", |i| &rest[i..]);
    let path = path.split(['?', '#']).next().unwrap_or("");
    let dot_segment = path.split('/').any(|s| s == "." || s == "..");
    url.host_str().is_some()
        && path.len() > 1
        && !dot_segment
        && !client_id.contains('#')
        && url.username().is_empty()
        && url.password().is_none()
}

impl Provider {
    /// Whether `client_id` names a metadata document (see [`is_document_url`]).
    pub fn is_document_client_id(&self, client_id: &str) -> bool {
        let issuer = url::Url::parse(self.issuer()).ok();
        let development =
            issuer.is_some_and(|u| u.scheme() == "http" && is_loopback_host(u.host_str()));
        is_document_url(client_id, development)
    }

    /// The client a metadata document URL names, fetched when not cached: `None` when
    /// documents are off, the host is not allowed, or the document cannot be fetched or is
    /// not acceptable (each logged, and never cached, §5.2).
    pub(crate) async fn document_client(
        &self,
        url: &str,
    ) -> Result<Option<Arc<Client>>, OAuthError> {
        let policy = &self.settings().client_metadata_documents;
        let Some(host) = host_of(url) else { return Ok(None) };
        let host_allowed = policy.hosts.is_empty() || policy.hosts.contains(&host);
        if !policy.enabled || !host_allowed {
            return Ok(None);
        }
        if let Some(block) = self.document_block(url).await? {
            tracing::debug!(client_id = url, block = %block.target, "client metadata document blocked");
            return Ok(None);
        }
        let now = self.now();
        if let Some(client) = self.documents().get(url, now) {
            return Ok(Some(client));
        }
        let fetched = match self.remote_jwks().fetch_client_metadata(url).await {
            Ok(fetched) => fetched,
            Err(e) => {
                tracing::info!(client_id = url, error = %e, "could not fetch a client metadata document");
                return Ok(None);
            }
        };
        let apis = self.apis().await?;
        match self.client_from_document(url, &fetched.document, &apis) {
            Ok(client) => {
                // Blocked while it was being fetched: read the blocks afresh, not the cache.
                let blocks = self.store().list_document_blocks().await?;
                if covering(&blocks, url).is_some() {
                    return Ok(None);
                }
                let client = Arc::new(client);
                let keep = fetched.max_age.unwrap_or(DEFAULT_CACHE).clamp(MIN_CACHE, MAX_CACHE);
                self.documents().put(url, client.clone(), now + keep, now);
                Ok(Some(client))
            }
            Err(problem) => {
                tracing::info!(client_id = url, problem, "client metadata document refused");
                Ok(None)
            }
        }
    }

    /// Notes a document client that has just been given a grant (a user signed in to it): what
    /// the operator's list of document clients shows. Registered clients are not noted. The
    /// grant is already stored, so a failure here is logged, not the sign-in's: the list then
    /// misses the client until its next grant, and blocks cover its grants all the same.
    pub(crate) async fn note_document_grant(&self, client: &Client) {
        let id = &client.client_id;
        if !client.metadata.unverified || !self.is_document_client_id(id) {
            return;
        }
        let host = host_of(id).unwrap_or_default();
        let name = Some(client.name.as_str()).filter(|n| !n.is_empty());
        if let Err(e) = self.store().note_document_client(id, &host, name, self.now()).await {
            tracing::warn!(client_id = %id, error = %e, "could not list a document client");
        }
    }

    /// The operator's block that covers the document at `url`, if any.
    pub async fn document_block(&self, url: &str) -> Result<Option<DocumentBlock>, OAuthError> {
        let (cache, revision) = self.document_block_cache();
        let load =
            || async { Ok::<_, OAuthError>(Some(self.store().list_document_blocks().await?)) };
        let blocks = cache.get_or_load(revision, &(), load).await?.unwrap_or_default();
        Ok(covering(&blocks, url).cloned())
    }

    /// §4, §4.1: the document names itself (`client_id` is the URL, exactly), holds no
    /// secret, and authenticates with `none` (the default here) or `private_key_jwt`; the
    /// rest is RFC 7591 metadata, checked as dynamic registration checks it.
    fn client_from_document(
        &self,
        url: &str,
        document: &Value,
        apis: &[crate::api::Api],
    ) -> Result<Client, String> {
        let mut members =
            document.as_object().cloned().ok_or("the document is not a JSON object")?;
        if members.get("client_id").and_then(Value::as_str) != Some(url) {
            return Err("its client_id is not the URL it was fetched from".to_owned());
        }
        if members.contains_key("client_secret") || members.contains_key("client_secret_expires_at")
        {
            return Err("it contains a client secret".to_owned());
        }
        let method = members
            .entry("token_endpoint_auth_method")
            .or_insert_with(|| Value::String("none".to_owned()));
        if !matches!(method.as_str(), Some("none" | "private_key_jwt")) {
            return Err("token_endpoint_auth_method must be none or private_key_jwt".to_owned());
        }
        let request: ClientMetadataRequest = serde_json::from_value(Value::Object(members))
            .map_err(|e| format!("its metadata is malformed: {e}"))?;
        let (client_type, mut spec) =
            super::metadata::requested(&request, url, super::registrable(apis)).map_err(|e| {
                e.description().unwrap_or("its metadata is not acceptable").to_owned()
            })?;
        super::check_open_name(spec.name.as_deref())
            .map_err(|_| "its client_name imitates Keygate".to_owned())?;
        let mut metadata = spec.metadata.take().unwrap_or_default();
        metadata.unverified = true;
        spec.metadata = Some(metadata);
        let new = NewClient { client_type, client_id: Some(url.to_owned()), secret: None, spec };
        let admin = super::admin(self, None);
        let (client, _) = admin.build_client(new).map_err(|e| e.to_string())?;
        Ok(client)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cimd_3_a_client_id_url_is_https_with_a_path_and_nothing_unsafe() {
        for good in ["https://app.example/client.json", "https://app.example:8443/oauth/client"] {
            assert!(is_document_url(good, false), "{good}");
        }
        for bad in [
            "http://app.example/client.json",
            "https://app.example",
            "https://app.example/",
            "https://app.example/a/../client.json",
            "https://app.example/./client.json",
            "https://app.example/client.json#x",
            "https://user:pw@app.example/client.json",
            "my-client",
        ] {
            assert!(!is_document_url(bad, false), "{bad}");
        }
        // §8.6: loopback only for a development Keygate.
        assert!(is_document_url("http://127.0.0.1:5000/client.json", true));
        assert!(!is_document_url("http://127.0.0.1:5000/client.json", false));
        assert!(!is_document_url("http://app.example/client.json", true));
    }
}
