//! Second factors: an authenticator app ([`totp`], RFC 6238) and ten single-use recovery
//! codes. Users enrol on their account page: the key travels in a sealed ticket until a code
//! from the app confirms it, and only then is it stored (sealed under the master key). At
//! sign-in, an account with an app is asked for a code after its password; a code's time step
//! is accepted once (RFC 6238 §5.2), recovery codes are stored as SHA-256 and used once, and
//! wrong codes are throttled per account like passwords. The session's `amr` then says
//! `pwd`, `otp` and `mfa` (RFC 8176 §2).

pub mod passkey;
pub mod totp;

use serde_json::json;

use crate::login::LoginFailure;
use crate::secret::{Secret, SecretHash, random_bytes};
use crate::settings::MfaPolicy;
use crate::signin_log::{Attempt, SignInOutcome};
use crate::store::{Passkey, TotpFactor};
use crate::{OAuthError, Provider, User};

/// The master-key context of stored authenticator keys.
pub const TOTP_CONTEXT: &str = "keygate-totp";
/// The ticket purpose of a key being enrolled.
const ENROL_PURPOSE: &str = "keygate-totp-enrol";
/// Seconds to scan the code and type the first code.
const ENROL_TTL: i64 = 900;
/// Recovery codes made at a time.
pub const RECOVERY_CODES: usize = 10;
/// RFC 8176 `amr` for a one-time password.
pub const AMR_OTP: &str = "otp";
/// RFC 8176 `amr` for more than one factor.
pub const AMR_MFA: &str = "mfa";

/// A key being enrolled: shown to the user, and sealed in the form that confirms it.
#[derive(Debug)]
pub struct TotpEnrolment {
    /// The key in base32, grouped by four.
    pub key_text: String,
    /// The `otpauth://` URI the QR code holds.
    pub uri: String,
    /// The QR code, SVG.
    pub qr_svg: String,
    /// The sealed key, for the confirming form.
    pub ticket: String,
}

/// A user's second factors.
#[derive(Debug, Clone, Default)]
pub struct Factors {
    /// The authenticator app, if enrolled.
    pub totp: Option<TotpFactor>,
    /// Unused recovery codes.
    pub recovery_codes: i64,
    /// Passkeys.
    pub passkeys: Vec<Passkey>,
}

impl Factors {
    /// The factors `user_id` has in `store`.
    pub async fn of(
        store: &dyn crate::store::Store,
        user_id: &str,
    ) -> Result<Self, crate::store::StoreError> {
        let totp = store.find_totp(user_id).await?;
        let recovery_codes = store.count_recovery_codes(user_id).await?;
        let passkeys = store.list_passkeys(user_id).await?;
        Ok(Self { totp, recovery_codes, passkeys })
    }

    /// The strongest `acr` these factors reach at a sign-in (a passkey is phishing-resistant).
    pub fn best_acr(&self) -> Option<&'static str> {
        if !self.passkeys.is_empty() {
            Some(crate::id_token::ACR_PHISHING_RESISTANT)
        } else if self.totp.is_some() {
            Some(crate::id_token::ACR_MFA)
        } else {
            None
        }
    }
}

/// The second factor that was accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecondFactor {
    /// A code from the authenticator app.
    Totp,
    /// A recovery code; this many remain.
    RecoveryCode {
        /// Unused codes left.
        remaining: i64,
    },
}

impl Provider {
    /// The user's second factors.
    pub async fn factors(&self, user_id: &str) -> Result<Factors, OAuthError> {
        Ok(Factors::of(self.store(), user_id).await?)
    }

    /// Whether signing in as the user takes a second factor: they have one (an authenticator
    /// app or a passkey), and the operator did not turn second factors off.
    pub async fn has_second_factor(&self, user_id: &str) -> Result<bool, OAuthError> {
        if self.settings().mfa_policy == MfaPolicy::Off {
            return Ok(false);
        }
        let store = self.store();
        Ok(store.find_totp(user_id).await?.is_some()
            || !store.list_passkeys(user_id).await?.is_empty())
    }

    /// Whether `user` signing in to `client` needs a second factor whether or not they have
    /// one (`[mfa] policy = "required"`, the application requires it, or an administrator
    /// requires it of the user): users without one add it first.
    pub fn mfa_required_for(&self, client: &crate::Client, user: &User) -> bool {
        match self.settings().mfa_policy {
            MfaPolicy::Off => false,
            MfaPolicy::Optional => client.metadata.require_mfa || user.require_mfa,
            MfaPolicy::Required => true,
        }
    }

    /// A new key for `user` to add to an authenticator app; nothing is stored yet.
    pub fn begin_totp(&self, user: &User) -> Result<TotpEnrolment, OAuthError> {
        let key = random_bytes(totp::KEY_LEN);
        let key_text = totp::base32(&key);
        let issuer = self.settings().mail.product_name.clone();
        let uri = totp::otpauth_uri(&issuer, &user.email, &key);
        let qr_svg = totp::qr_svg(&uri).map_err(|e| OAuthError::Server(anyhow::anyhow!(e)))?;
        let ticket = self.seal_ticket(ENROL_PURPOSE, &[&user.id, &key_text], ENROL_TTL)?;
        Ok(TotpEnrolment { key_text: totp::grouped(&key_text), uri, qr_svg, ticket })
    }

    /// Confirms an enrolment with a code from the app: the key is stored and, if the user has
    /// no recovery codes, ten are made and returned (shown once). Wrong codes are throttled per
    /// account like those of the second step. Problems leave nothing
    /// changed.
    pub async fn confirm_totp(
        &self,
        user: &User,
        ticket: &str,
        code: &str,
        ip: Option<String>,
    ) -> Result<Result<Option<Vec<String>>, Vec<String>>, OAuthError> {
        if self.settings().mfa_policy == MfaPolicy::Off {
            return Ok(Err(vec!["Two-step sign-in is turned off here.".to_owned()]));
        }
        let fields = self.open_ticket(ENROL_PURPOSE, ticket).unwrap_or_default();
        let (Some(user_id), Some(key_text)) = (fields.first(), fields.get(1)) else {
            return Ok(Err(vec!["This set-up has expired: start again.".to_owned()]));
        };
        let Some(key) = totp::base32_decode(key_text).filter(|_| *user_id == user.id) else {
            return Ok(Err(vec!["This set-up has expired: start again.".to_owned()]));
        };
        // Wrong codes count against the account like wrong sign-in codes.
        let (now, settings) = (self.now(), self.settings());
        let throttle = format!("mfa:{}", user.id);
        let store = self.store();
        let attempts = store.record_failure(&throttle, now, now - settings.login_window).await?;
        if attempts > settings.login_max_failures_per_account {
            return Ok(Err(vec![
                "Too many attempts. Wait a few minutes, then try again.".to_owned(),
            ]));
        }
        let Some(step) = totp::matching_step(&key, code, now) else {
            return Ok(Err(vec![
                "code: this is not the app's current code; check the phone's clock".to_owned(),
            ]));
        };
        store.clear_failures(&throttle).await?;
        let sealed_key = self.master_key().seal(&key, TOTP_CONTEXT).map_err(OAuthError::Server)?;
        let factor = TotpFactor {
            user_id: user.id.clone(),
            sealed_key,
            last_step: step,
            created_at: self.now(),
            last_used_at: Some(self.now()),
        };
        self.store().put_totp(&factor).await?;
        self.audit_mfa(user, ip.clone(), "user.mfa.totp_add").await?;
        if self.store().count_recovery_codes(&user.id).await? > 0 {
            return Ok(Ok(None));
        }
        Ok(Ok(Some(self.new_recovery_codes(user, ip).await?)))
    }

    /// Makes ten new recovery codes for `user`, voiding the old ones; returns them (shown once,
    /// stored hashed).
    pub async fn new_recovery_codes(
        &self,
        user: &User,
        ip: Option<String>,
    ) -> Result<Vec<String>, OAuthError> {
        let codes: Vec<String> = (0..RECOVERY_CODES).map(|_| recovery_code()).collect();
        let hashes: Vec<SecretHash> = codes.iter().map(|c| SecretHash::of(&normalize(c))).collect();
        self.store().replace_recovery_codes(&user.id, &hashes).await?;
        self.audit_mfa(user, ip, "user.mfa.recovery_codes").await?;
        Ok(codes)
    }

    /// Removes the user's own authenticator app and recovery codes, with their password (or,
    /// without one, a current code).
    pub async fn remove_own_totp(
        &self,
        user: &User,
        proof: Secret,
        ip: Option<String>,
    ) -> Result<Result<(), Vec<String>>, OAuthError> {
        if self.settings().mfa_policy == MfaPolicy::Required || user.require_mfa {
            return Ok(Err(vec![
                "Two-step sign-in is required here: it cannot be turned off.".to_owned(),
            ]));
        }
        let proven = if user.password_hash.is_some() {
            self.password_is(user, proof).await?
        } else {
            self.totp_step(user, proof.expose_secret()).await?.is_some()
        };
        if !proven {
            let what = if user.password_hash.is_some() { "password" } else { "code" };
            return Ok(Err(vec![format!("current {what}: this is not right")]));
        }
        self.store().delete_totp(&user.id).await?;
        self.store().replace_recovery_codes(&user.id, &[]).await?;
        self.audit_mfa(user, ip, "user.mfa.remove").await?;
        Ok(Ok(()))
    }

    /// The second step of a sign-in: a code from the app or a recovery code. Wrong codes count
    /// against the account like wrong passwords; every outcome goes to the sign-in log.
    pub async fn check_second_factor(
        &self,
        user: &User,
        code: &str,
        from: &Attempt<'_>,
    ) -> Result<Result<SecondFactor, LoginFailure>, OAuthError> {
        let settings = self.settings();
        let now = self.now();
        let key = format!("mfa:{}", user.id);
        let store = self.store();
        let attempts = store.record_failure(&key, now, now - settings.login_window).await?;
        if attempts > settings.login_max_failures_per_account {
            self.record_signin(SignInOutcome::Throttled, Some(&user.id), from, None).await;
            return Ok(Err(LoginFailure::Throttled));
        }
        let accepted = if let Some(step) = self.totp_step(user, code).await? {
            store.use_totp_step(&user.id, step, now).await?.then_some(SecondFactor::Totp)
        } else {
            let hash = SecretHash::of(&normalize(code));
            let used = store.use_recovery_code(&user.id, &hash, now).await?;
            used.map(|remaining| SecondFactor::RecoveryCode { remaining })
        };
        let Some(factor) = accepted else {
            self.record_signin(SignInOutcome::WrongCode, Some(&user.id), from, None).await;
            return Ok(Err(LoginFailure::InvalidCredentials));
        };
        store.clear_failures(&key).await?;
        let detail = match factor {
            SecondFactor::Totp => "authenticator app".to_owned(),
            SecondFactor::RecoveryCode { remaining } => {
                format!("recovery code ({remaining} left)")
            }
        };
        self.record_signin(SignInOutcome::Success, Some(&user.id), from, Some(detail)).await;
        Ok(Ok(factor))
    }

    /// The time step whose code `code` is for the user's app, if any (not yet checked for
    /// reuse).
    async fn totp_step(&self, user: &User, code: &str) -> Result<Option<i64>, OAuthError> {
        let Some(factor) = self.store().find_totp(&user.id).await? else { return Ok(None) };
        let key = self.master_key().open(&factor.sealed_key, TOTP_CONTEXT);
        let key = key.map_err(OAuthError::Server)?;
        Ok(totp::matching_step(&key, code, self.now()))
    }

    async fn audit_mfa(
        &self,
        user: &User,
        ip: Option<String>,
        action: &str,
    ) -> Result<(), OAuthError> {
        self.as_user(user, ip)
            .record(action, &format!("user:{}", user.id), json!({}))
            .await
            .map_err(|e| OAuthError::Server(anyhow::anyhow!(e)))
    }
}

/// A recovery code: 16 characters of an alphabet without look-alikes (80 bits), in four
/// groups.
fn recovery_code() -> String {
    const ALPHABET: &[u8; 32] = b"abcdefghjkmnpqrstuvwxyz123456789";
    let bytes = random_bytes(16);
    let chars: Vec<char> =
        bytes.iter().map(|b| char::from(ALPHABET[usize::from(b & 31)])).collect();
    chars.chunks(4).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join("-")
}

/// A typed recovery code as stored: lower case, without spaces and dashes.
fn normalize(code: &str) -> String {
    code.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_lowercase()).collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn base32_round_trips_and_recovery_codes_are_80_bits_in_four_groups() {
        for bytes in [&b""[..], b"f", b"foobar", b"12345678901234567890"] {
            assert_eq!(totp::base32_decode(&totp::base32(bytes)).unwrap(), bytes);
        }
        assert_eq!(totp::base32_decode("not base32!"), None);
        let code = recovery_code();
        assert_eq!(code.len(), 19);
        assert_eq!(code.matches('-').count(), 3);
        assert_eq!(normalize(&code.to_uppercase().replace('-', " ")), normalize(&code));
    }
}
