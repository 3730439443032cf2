//! Fetching what clients publish by URL through the outbound request policy: their JWK Sets
//! from a registered `jwks_uri` (RFC 7591 §2) for `private_key_jwt` and request objects, and
//! request objects by reference (RFC 9101 §5.2.3). No redirects, a five-second timeout, at
//! most 64 KiB.

use std::time::Duration;

use keygate_core::client_assertion::JwksFetcher;

/// The largest document Keygate reads.
const MAX_BYTES: usize = 64 * 1024;

/// [`JwksFetcher`] over the server's outgoing HTTP client.
#[derive(Debug)]
pub struct HttpJwksFetcher(pub crate::outbound::Outbound);

impl HttpJwksFetcher {
    /// The body at `uri`, asking for `accept`, at most [`MAX_BYTES`].
    async fn get(&self, uri: &str, accept: &'static str) -> anyhow::Result<Vec<u8>> {
        let mut response = self
            .0
            .get(uri)?
            .header(reqwest::header::ACCEPT, accept)
            .timeout(Duration::from_secs(5))
            .send()
            .await?
            .error_for_status()?;
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await? {
            body.extend_from_slice(&chunk);
            anyhow::ensure!(body.len() <= MAX_BYTES, "the answer is larger than {MAX_BYTES} bytes");
        }
        Ok(body)
    }
}

#[async_trait::async_trait]
impl JwksFetcher for HttpJwksFetcher {
    async fn fetch(&self, uri: &str) -> anyhow::Result<serde_json::Value> {
        let body = self.get(uri, "application/json, application/jwk-set+json").await?;
        Ok(serde_json::from_slice(&body)?)
    }

    async fn fetch_request_object(&self, uri: &str) -> anyhow::Result<String> {
        let body = self.get(uri, "application/oauth-authz-req+jwt, application/jwt").await?;
        let text = String::from_utf8(body)?;
        Ok(text.trim().to_owned())
    }
}
