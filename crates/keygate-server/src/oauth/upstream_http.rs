//! Outgoing HTTP to upstream identity providers: no redirects, a ten-second timeout, answers of
//! at most 256 KiB, JSON only.

use std::time::Duration;

use keygate_core::federation::UpstreamHttp;
use serde_json::Value;

/// The largest upstream answer Keygate reads.
const MAX_BYTES: usize = 256 * 1024;
const TIMEOUT: Duration = Duration::from_secs(10);

/// [`UpstreamHttp`] over the server's outgoing HTTP client.
#[derive(Debug)]
pub struct HttpUpstream(pub crate::outbound::Outbound);

async fn json_body(mut response: reqwest::Response) -> anyhow::Result<Value> {
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        body.extend_from_slice(&chunk);
        anyhow::ensure!(body.len() <= MAX_BYTES, "the answer is larger than {MAX_BYTES} bytes");
    }
    Ok(serde_json::from_slice(&body)?)
}

#[async_trait::async_trait]
impl UpstreamHttp for HttpUpstream {
    async fn get_json(&self, url: &str, bearer: Option<&str>) -> anyhow::Result<Value> {
        let mut request =
            self.0.get(url)?.header(reqwest::header::ACCEPT, "application/json").timeout(TIMEOUT);
        if let Some(token) = bearer {
            request = request.bearer_auth(token);
        }
        let response = request.send().await?;
        let status = response.status();
        anyhow::ensure!(status.is_success(), "GET {url} answered {status}");
        json_body(response).await
    }

    async fn post_form(
        &self,
        url: &str,
        form: &[(&str, &str)],
        basic: Option<(&str, &str)>,
    ) -> anyhow::Result<(u16, Value)> {
        let mut request = self
            .0
            .post(url)?
            .header(reqwest::header::ACCEPT, "application/json")
            .timeout(TIMEOUT)
            .form(form);
        if let Some((id, secret)) = basic {
            // RFC 6749 §2.3.1: both parts form-urlencoded before Basic encoding.
            let encode =
                |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
            request = request.basic_auth(encode(id), Some(encode(secret)));
        }
        let response = request.send().await?;
        let status = response.status().as_u16();
        Ok((status, json_body(response).await?))
    }
}
