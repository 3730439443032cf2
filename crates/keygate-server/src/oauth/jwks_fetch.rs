//! Fetching clients' JWK Sets from their registered `jwks_uri` (RFC 7591 §2) for
//! `private_key_jwt`: no redirects, a five-second timeout, at most 64 KiB, JSON only.

use std::time::Duration;

use keygate_core::client_assertion::JwksFetcher;

/// The largest JWK Set Keygate reads.
const MAX_BYTES: usize = 64 * 1024;

/// [`JwksFetcher`] over the server's outgoing HTTP client.
#[derive(Debug)]
pub struct HttpJwksFetcher(pub crate::outbound::Outbound);

#[async_trait::async_trait]
impl JwksFetcher for HttpJwksFetcher {
    async fn fetch(&self, uri: &str) -> anyhow::Result<serde_json::Value> {
        let mut response = self
            .0
            .get(uri)?
            .header(reqwest::header::ACCEPT, "application/json, application/jwk-set+json")
            .timeout(Duration::from_secs(5))
            .send()
            .await?
            .error_for_status()?;
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await? {
            body.extend_from_slice(&chunk);
            anyhow::ensure!(
                body.len() <= MAX_BYTES,
                "the JWK Set is larger than {MAX_BYTES} bytes"
            );
        }
        Ok(serde_json::from_slice(&body)?)
    }
}
