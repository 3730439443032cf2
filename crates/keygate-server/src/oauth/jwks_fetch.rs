//! Fetching what clients publish by URL through the outbound request policy: their JWK Sets
//! from a registered `jwks_uri` (RFC 7591 §2) for `private_key_jwt` and request objects, and
//! request objects by reference (RFC 9101 §5.2.3), and Client ID Metadata Documents. No
//! redirects, a five-second timeout, at most 64 KiB (5 KiB for metadata documents, as the
//! draft recommends).

use std::time::Duration;

use keygate_core::client_assertion::JwksFetcher;
use keygate_core::registration::document::FetchedDocument;

/// The largest document Keygate reads.
const MAX_BYTES: usize = 64 * 1024;
/// The largest Client ID Metadata Document (draft §8.7 recommends 5 KB).
const MAX_DOCUMENT_BYTES: usize = 5 * 1024;

/// [`JwksFetcher`] over the server's outgoing HTTP client.
#[derive(Debug)]
pub struct HttpJwksFetcher(pub crate::outbound::Outbound);

impl HttpJwksFetcher {
    /// The body at `uri`, asking for `accept`, at most [`MAX_BYTES`].
    async fn get(&self, uri: &str, accept: &'static str) -> anyhow::Result<Vec<u8>> {
        Ok(self.get_with(uri, accept, MAX_BYTES).await?.0)
    }

    /// The body at `uri` (at most `limit` bytes) with the response's `max-age`: 0 for
    /// `no-store` or `no-cache`. Only `200 OK` is an answer (no redirects are followed).
    async fn get_with(
        &self,
        uri: &str,
        accept: &'static str,
        limit: usize,
    ) -> anyhow::Result<(Vec<u8>, Option<i64>)> {
        let mut response = self
            .0
            .get(uri)?
            .header(reqwest::header::ACCEPT, accept)
            .timeout(Duration::from_secs(5))
            .send()
            .await?
            .error_for_status()?;
        anyhow::ensure!(
            response.status() == reqwest::StatusCode::OK,
            "answered {}",
            response.status()
        );
        let max_age = response
            .headers()
            .get(reqwest::header::CACHE_CONTROL)
            .and_then(|v| v.to_str().ok())
            .and_then(max_age);
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await? {
            body.extend_from_slice(&chunk);
            anyhow::ensure!(body.len() <= limit, "the answer is larger than {limit} bytes");
        }
        Ok((body, max_age))
    }
}

#[async_trait::async_trait]
impl JwksFetcher for HttpJwksFetcher {
    async fn fetch(&self, uri: &str) -> anyhow::Result<serde_json::Value> {
        let body = self.get(uri, "application/json, application/jwk-set+json").await?;
        Ok(serde_json::from_slice(&body)?)
    }

    async fn fetch_client_metadata(&self, uri: &str) -> anyhow::Result<FetchedDocument> {
        let (body, max_age) = self.get_with(uri, "application/json", MAX_DOCUMENT_BYTES).await?;
        Ok(FetchedDocument { document: serde_json::from_slice(&body)?, max_age })
    }

    async fn fetch_request_object(&self, uri: &str) -> anyhow::Result<String> {
        let body = self.get(uri, "application/oauth-authz-req+jwt, application/jwt").await?;
        let text = String::from_utf8(body)?;
        Ok(text.trim().to_owned())
    }
}

/// RFC 9111 §5.2.2: `max-age` of a `Cache-Control` value; `no-store` and `no-cache` are 0.
fn max_age(value: &str) -> Option<i64> {
    let mut age = None;
    for directive in value.split(',').map(str::trim) {
        let lower = directive.to_ascii_lowercase();
        if lower == "no-store" || lower == "no-cache" {
            return Some(0);
        }
        if let Some(seconds) = lower.strip_prefix("max-age=") {
            age = seconds.trim_matches('"').parse().ok();
        }
    }
    age
}

#[cfg(test)]
mod tests {
    use super::max_age;

    #[test]
    fn rfc9111_5_2_2_max_age_and_no_store() {
        assert_eq!(max_age("public, max-age=600"), Some(600));
        assert_eq!(max_age("max-age=600, no-store"), Some(0));
        assert_eq!(max_age("private"), None);
        assert_eq!(max_age("max-age=abc"), None);
    }
}
