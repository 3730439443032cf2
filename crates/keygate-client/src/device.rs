//! The device authorization grant (RFC 8628), for machines with no browser: ask for codes
//! (§3.1–3.2), show the user where to go and what to type (§3.3), and poll the token endpoint
//! (§3.4–3.5) at the given interval, five seconds slower after each `slow_down`, until the
//! user approves, refuses, or the codes expire.

use std::time::Duration;

use keygate_types::ErrorCode;
use serde::Deserialize;

use crate::client::{Client, oauth_error};
use crate::dpop::DpopKey;
use crate::error::{Error, Result};
use crate::tokens::Tokens;

/// RFC 8628 §3.4: the grant type of the token request.
pub const DEVICE_CODE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";
/// RFC 8628 §3.2: the interval when the server names none.
pub const DEFAULT_INTERVAL: u64 = 5;
/// RFC 8628 §3.5: what each `slow_down` adds to the interval.
pub const SLOW_DOWN_STEP: u64 = 5;

/// The device authorization response (RFC 8628 §3.2), with when it was received.
#[derive(Clone, Deserialize)]
pub struct DeviceAuthorization {
    device_code: String,
    /// The code the user types on the verification page.
    pub user_code: String,
    /// Where the user goes (§3.3: shown to the user).
    pub verification_uri: String,
    /// The same with the code filled in (for a link or a QR code), if the server gives one.
    #[serde(default)]
    pub verification_uri_complete: Option<String>,
    /// Lifetime of the codes, in seconds.
    pub expires_in: u64,
    /// Seconds between polls; [`DEFAULT_INTERVAL`] when absent.
    #[serde(default)]
    pub interval: Option<u64>,
    /// When the response was received (the client's clock), for `expires_in`.
    #[serde(skip)]
    pub received_at: i64,
    /// The DPoP key the tokens will be bound to, when the client uses DPoP.
    #[serde(skip)]
    dpop_key: Option<DpopKey>,
}

impl std::fmt::Debug for DeviceAuthorization {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeviceAuthorization")
            .field("device_code", &"<redacted>")
            .field("user_code", &self.user_code)
            .field("verification_uri", &self.verification_uri)
            .field("verification_uri_complete", &self.verification_uri_complete)
            .field("expires_in", &self.expires_in)
            .field("interval", &self.interval)
            .finish()
    }
}

impl DeviceAuthorization {
    /// When the codes expire (the client's clock).
    pub fn expires_at(&self) -> i64 {
        self.received_at.saturating_add(i64::try_from(self.expires_in).unwrap_or(i64::MAX))
    }
}

/// What happened at one poll, for [`Client::poll_device_authorization_with`]'s observer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PollEvent {
    /// `authorization_pending`: the user has not finished yet.
    Pending,
    /// `slow_down`: the interval is now this many seconds.
    SlowDown(u64),
    /// The connection failed; the interval is doubled to this (§3.5: exponential backoff).
    Backoff(u64),
}

impl Client {
    /// `POST device_authorization_endpoint` (RFC 8628 §3.1) as a public client, for `scope`
    /// and RFC 8707 `resource` values.
    pub async fn start_device_authorization(
        &self,
        scope: &str,
        resources: &[String],
    ) -> Result<DeviceAuthorization> {
        let endpoint =
            self.metadata().device_authorization_endpoint.as_deref().ok_or_else(|| {
                Error::InvalidResponse(
                    "the provider has no device_authorization_endpoint (RFC 8628 §4)".to_owned(),
                )
            })?;
        let mut form = vec![("client_id", self.client_id()), ("scope", scope)];
        form.extend(resources.iter().map(|r| ("resource", r.as_str())));
        let reply = self.http().post(endpoint).form(&form).send().await?;
        let status = reply.status();
        let body = reply.bytes().await?;
        if !status.is_success() {
            return Err(match serde_json::from_slice(&body) {
                Ok(error) => oauth_error(error),
                Err(_) => Error::InvalidResponse(format!("device authorization answered {status}")),
            });
        }
        let mut started: DeviceAuthorization = serde_json::from_slice(&body)
            .map_err(|e| Error::InvalidResponse(format!("device authorization response: {e}")))?;
        started.received_at = self.clock().now();
        started.dpop_key = self.new_dpop_key()?;
        Ok(started)
    }

    /// Polls the token endpoint until the user decides (RFC 8628 §3.4–3.5): waits `interval`
    /// seconds before each request, adds 5 after `slow_down`, stops with
    /// [`Error::AccessDenied`] on `access_denied` and [`Error::TimedOut`] on `expired_token` or
    /// once `expires_in` has passed.
    pub async fn poll_device_authorization(&self, device: &DeviceAuthorization) -> Result<Tokens> {
        self.poll_device_authorization_with(device, |_| {}).await
    }

    /// [`Client::poll_device_authorization`], telling `observe` about each non-final answer.
    pub async fn poll_device_authorization_with(
        &self,
        device: &DeviceAuthorization,
        mut observe: impl FnMut(PollEvent) + Send,
    ) -> Result<Tokens> {
        let mut interval = device.interval.unwrap_or(DEFAULT_INTERVAL).max(1);
        let expired =
            || Error::TimedOut("the device code expired before the sign-in was approved".into());
        let form =
            [("grant_type", DEVICE_CODE_GRANT), ("device_code", device.device_code.as_str())];
        loop {
            let now = self.clock().now();
            let wait = i64::try_from(interval).unwrap_or(i64::MAX);
            if now.saturating_add(wait) >= device.expires_at() {
                return Err(expired());
            }
            self.clock().sleep(Duration::from_secs(interval)).await;
            let key = device.dpop_key.as_ref();
            let answer = match self.token_request(&form, key).await {
                Ok(answer) => answer,
                Err(Error::Http(e)) if e.is_connect() || e.is_timeout() => {
                    interval = interval.saturating_mul(2);
                    observe(PollEvent::Backoff(interval));
                    continue;
                }
                Err(e) => return Err(e),
            };
            let error = match answer {
                Ok(response) => return self.accept(response, None, None, key).await,
                Err(error) => error,
            };
            match error.error {
                ErrorCode::AuthorizationPending => observe(PollEvent::Pending),
                ErrorCode::SlowDown => {
                    interval = interval.saturating_add(SLOW_DOWN_STEP);
                    observe(PollEvent::SlowDown(interval));
                }
                ErrorCode::AccessDenied => {
                    return Err(Error::AccessDenied(error.error_description));
                }
                ErrorCode::ExpiredToken => return Err(expired()),
                _ => return Err(oauth_error(error)),
            }
        }
    }
}
