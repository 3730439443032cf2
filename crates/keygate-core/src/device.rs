//! RFC 8628 OAuth 2.0 Device Authorization Grant: the device authorization endpoint (§3.1–3.2),
//! the user code a person types on `/device` (§3.3, §6.1), and polling at the token endpoint
//! (§3.4–3.5).

use std::borrow::Cow;

use serde::Serialize;

use crate::client::GrantType;
use crate::params::Params;
use crate::resource::select_audience;
use crate::scope::parse_scope;
use crate::secret::{Secret, SecretHash, random_bytes};
use crate::store::{DeviceAuthorization, DeviceStatus};
use crate::{OAuthError, Provider};

/// RFC 8628 §6.1: the user code alphabet, 20 consonants (no vowels, so no words; no look-alike
/// digits), upper case: case-insensitive to type.
pub const USER_CODE_ALPHABET: &[u8] = b"BCDFGHJKLMNPQRSTVWXZ";
/// Characters in a user code: 20^8 ≈ 2^34.6 codes, guessed at most a few times a minute.
pub const USER_CODE_LEN: usize = 8;
/// How long a device code lives, in seconds (RFC 8628 §3.2 `expires_in`).
pub const DEVICE_CODE_TTL: i64 = 600;
/// The minimum polling interval in seconds (RFC 8628 §3.2 `interval`, default 5).
pub const POLL_INTERVAL: i64 = 5;
/// Wrong codes allowed per client address and window on `/device` (RFC 8628 §5.1).
pub const MAX_USER_CODE_FAILURES: i64 = 10;

/// RFC 8628 §3.2: the device authorization response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeviceAuthorizationResponse {
    /// The code the device polls with.
    pub device_code: String,
    /// The code the user types, shown as `XXXX-XXXX`.
    pub user_code: String,
    /// Where the user goes.
    pub verification_uri: String,
    /// The same, with the user code filled in (for a QR code or a link).
    pub verification_uri_complete: String,
    /// Lifetime of both codes, in seconds.
    pub expires_in: i64,
    /// Seconds to wait between polls.
    pub interval: i64,
}

/// A fresh user code, uniformly drawn from [`USER_CODE_ALPHABET`] (rejection sampling: no bias).
pub fn generate_user_code() -> String {
    let mut code = String::with_capacity(USER_CODE_LEN);
    while code.len() < USER_CODE_LEN {
        for byte in random_bytes(16) {
            // 240 = 12 × 20: bytes at or above it would favour the first letters.
            if byte < 240 && code.len() < USER_CODE_LEN {
                code.push(char::from(USER_CODE_ALPHABET[usize::from(byte % 20)]));
            }
        }
    }
    code
}

/// What the user typed, normalized (RFC 8628 §6.1): case and separators ignored; `None` when it
/// cannot be a user code.
pub fn normalize_user_code(typed: &str) -> Option<String> {
    let code: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (code.len() == USER_CODE_LEN && code.bytes().all(|b| USER_CODE_ALPHABET.contains(&b)))
        .then_some(code)
}

/// `XXXX-XXXX`, easier to read and type.
pub fn display_user_code(code: &str) -> String {
    let (a, b) = code.split_at(code.len() / 2);
    format!("{a}-{b}")
}

/// Why a typed user code was not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserCodeFailure {
    /// Malformed, unknown, expired or already decided (which one is never said).
    Unknown,
    /// Too many wrong codes from this address lately (RFC 8628 §5.1).
    Throttled,
}

impl Provider {
    /// Checks a user code typed on `/device`: the normalized code if it names a pending device
    /// authorization. Wrong codes count against `client_ip`, so that guessing is limited to
    /// [`MAX_USER_CODE_FAILURES`] per login window (RFC 8628 §5.1).
    pub async fn check_user_code(
        &self,
        typed: &str,
        client_ip: &str,
    ) -> Result<Result<String, UserCodeFailure>, OAuthError> {
        let now = self.now();
        let window_start_after = now - self.settings().login_window;
        let key = format!("device:ip:{client_ip}");
        let store = self.store();
        // The attempt is counted before the code is looked up, atomically, so concurrent
        // guesses cannot all slip under the limit; a right code hands its reservation back.
        if store.record_failure(&key, now, window_start_after).await? > MAX_USER_CODE_FAILURES {
            return Ok(Err(UserCodeFailure::Throttled));
        }
        let found = match normalize_user_code(typed) {
            Some(code) => self.pending_device(&code).await?.map(|_| code),
            None => None,
        };
        match found {
            Some(code) => {
                store.release_attempt(&key).await?;
                Ok(Ok(code))
            }
            None => {
                tracing::info!(ip = client_ip, "wrong device user code");
                Ok(Err(UserCodeFailure::Unknown))
            }
        }
    }

    /// `POST /device_authorization` (RFC 8628 §3.1–3.2): the client authenticates (a public
    /// client names itself) and must be allowed the grant; `scope` and `resource` are checked as
    /// at the authorization endpoint.
    pub async fn device_authorization(
        &self,
        authorization: Option<&str>,
        params: &Params,
    ) -> Result<DeviceAuthorizationResponse, OAuthError> {
        let client = self.authenticate_client(authorization, params).await?;
        if !client.allows_grant(GrantType::DeviceCode) {
            return Err(OAuthError::UnauthorizedClient(Cow::Borrowed(
                "this client may not use the device authorization grant",
            )));
        }
        let apis = self.apis().await?;
        let scope = parse_scope(params.single("scope")?.unwrap_or(""))?;
        if let Some(extra) = scope.iter().find(|s| !crate::api::user_may_request(&client, &apis, s))
        {
            return Err(OAuthError::InvalidScope(Cow::Owned(format!(
                "scope '{extra}' is not allowed"
            ))));
        }
        let named = params.all("resource").next().is_some();
        let allowed = crate::api::user_resources(&client, &apis, named);
        let resources = select_audience(params.all("resource"), &allowed, self.issuer())?;
        let device_code = Secret::generate(32);
        let now = self.now();
        let user_code = generate_user_code();
        let stored = DeviceAuthorization {
            user_code: user_code.clone(),
            client_id: client.client_id.clone(),
            scope,
            resources,
            expires_at: now + DEVICE_CODE_TTL,
            interval: POLL_INTERVAL,
            last_polled_at: None,
            status: DeviceStatus::Pending,
        };
        let hash = SecretHash::of(device_code.expose_secret());
        self.store().insert_device_code(&hash, &stored).await?;
        let shown = display_user_code(&user_code);
        let verification_uri = format!("{}/device", self.issuer());
        Ok(DeviceAuthorizationResponse {
            device_code: device_code.expose_secret().to_owned(),
            verification_uri_complete: format!("{verification_uri}?user_code={shown}"),
            user_code: shown,
            verification_uri,
            expires_in: DEVICE_CODE_TTL,
            interval: POLL_INTERVAL,
        })
    }

    /// The pending device authorization a user code names, if it is still usable.
    pub async fn pending_device(
        &self,
        user_code: &str,
    ) -> Result<Option<(SecretHash, DeviceAuthorization)>, OAuthError> {
        let found = self.store().find_device_by_user_code(user_code).await?;
        Ok(found.filter(|(_, d)| d.status == DeviceStatus::Pending && d.expires_at > self.now()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc8628_6_1_user_codes_use_the_unambiguous_alphabet() {
        for _ in 0..50 {
            let code = generate_user_code();
            assert_eq!(code.len(), USER_CODE_LEN);
            assert!(code.bytes().all(|b| USER_CODE_ALPHABET.contains(&b)), "{code}");
        }
    }

    #[test]
    fn rfc8628_6_1_typed_codes_ignore_case_and_dashes() {
        assert_eq!(normalize_user_code("wdjb-mjht").as_deref(), Some("WDJBMJHT"));
        assert_eq!(normalize_user_code(" WDJB MJHT ").as_deref(), Some("WDJBMJHT"));
        assert_eq!(normalize_user_code("WDJB-MJH"), None);
        assert_eq!(normalize_user_code("AEIO-UAEI"), None, "vowels are never used");
        assert_eq!(display_user_code("WDJBMJHT"), "WDJB-MJHT");
    }
}
