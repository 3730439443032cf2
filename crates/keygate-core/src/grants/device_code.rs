//! The device code grant at the token endpoint (RFC 8628 §3.4–3.5).

use std::borrow::Cow;

use keygate_types::TokenResponse;

use crate::params::Params;
use crate::secret::SecretHash;
use crate::store::DeviceStatus;
use crate::{Client, OAuthError, Provider};

impl Provider {
    /// The token endpoint's device code grant (RFC 8628 §3.4–3.5): `authorization_pending`
    /// until the user decides, `slow_down` (and 5 more seconds of interval) when polled faster
    /// than the interval, `access_denied`, `expired_token`; once approved, the tokens, once.
    pub(super) async fn device_code_grant(
        &self,
        client: &Client,
        params: &Params,
        jkt: Option<&str>,
    ) -> Result<TokenResponse, OAuthError> {
        let hash = SecretHash::of(params.required("device_code")?);
        let unknown = || OAuthError::InvalidGrant(Cow::Borrowed("unknown device_code"));
        let device = self.store().find_device_code(&hash).await?.ok_or_else(unknown)?;
        if device.client_id != client.client_id {
            return Err(OAuthError::InvalidGrant(Cow::Borrowed(
                "the device_code was issued to another client",
            )));
        }
        let now = self.now();
        if device.expires_at <= now {
            return Err(OAuthError::ExpiredToken);
        }
        match device.status {
            DeviceStatus::Pending => {
                let too_fast = device.last_polled_at.is_some_and(|t| now - t < device.interval);
                // §3.5: after slow_down, the interval grows by 5 seconds for good.
                let interval = if too_fast { device.interval + 5 } else { device.interval };
                self.store().record_device_poll(&hash, now, interval).await?;
                Err(if too_fast { OAuthError::SlowDown } else { OAuthError::AuthorizationPending })
            }
            DeviceStatus::Denied => {
                self.store().delete_device_code(&hash).await?;
                Err(OAuthError::AccessDenied)
            }
            DeviceStatus::Approved { grant_id } => {
                if !self.store().delete_device_code(&hash).await? {
                    return Err(unknown());
                }
                self.first_tokens(client, &grant_id, None, None, jkt).await
            }
        }
    }
}
