//! Passkeys: WebAuthn credentials registered on the account page, used as a passwordless first
//! factor (discoverable credentials, user verification required) or as the second factor after
//! a password (user verification preferred). Each ceremony's challenge travels in a sealed
//! ticket bound to the user or the authorization request, and is consumed on its first use, so
//! an answer cannot be replayed. A passkey session's `amr` says `hwk` for a device-bound key or
//! `swk` for a synced one (backup eligible), `user`, and `mfa` (RFC 8176 §2).

use serde_json::{Value, json};

use crate::secret::random_bytes;
use crate::settings::MfaPolicy;
use crate::signin_log::{Attempt, SignInOutcome};
use crate::store::{Passkey, PasskeyUse, StoreError};
use crate::webauthn::{
    Assertion, COSE_ALGORITHMS, RelyingParty, StoredCredential, WebauthnError, b64url,
    b64url_decode, verify_assertion, verify_registration,
};
use crate::{OAuthError, Provider, User};

/// RFC 8176 `amr`: proof of possession of a hardware-secured key.
pub const AMR_HWK: &str = "hwk";
/// RFC 8176 `amr`: proof of possession of a software-secured key (a synced passkey).
pub const AMR_SWK: &str = "swk";
/// RFC 8176 `amr`: a user presence test.
pub const AMR_USER: &str = "user";

const REGISTER_PURPOSE: &str = "keygate-passkey-register";
const SIGN_IN_PURPOSE: &str = "keygate-passkey-sign-in";
/// Seconds a ceremony may take (also its `timeout`).
const CEREMONY_TTL: i64 = 300;
/// The longest passkey name.
const MAX_NAME: usize = 64;

/// A ceremony's options for `navigator.credentials` (the JSON form of WebAuthn L3 §5.4 and
/// §5.5) and the sealed ticket its answer comes back with.
#[derive(Debug, Clone)]
pub struct PasskeyCeremony {
    /// `PublicKeyCredentialCreationOptionsJSON` or `PublicKeyCredentialRequestOptionsJSON`.
    pub options: Value,
    /// The sealed challenge.
    pub ticket: String,
}

/// A passkey that signed a sign-in in.
#[derive(Debug, Clone)]
pub struct PasskeySignIn {
    /// The account.
    pub user: User,
    /// The session's `amr`.
    pub amr: Vec<&'static str>,
}

impl Provider {
    /// The relying party passkeys are registered with: the issuer's origin, and its host or
    /// the configured RP ID.
    pub fn relying_party(&self) -> RelyingParty {
        let url = url::Url::parse(self.issuer()).ok();
        let origin = url.as_ref().map(|u| u.origin().ascii_serialization()).unwrap_or_default();
        let host = url.as_ref().and_then(|u| u.host_str().map(str::to_owned)).unwrap_or_default();
        RelyingParty { id: self.settings().passkey_rp_id.clone().unwrap_or(host), origin }
    }

    /// Whether passkeys are offered (second factors are not turned off).
    pub fn passkeys_enabled(&self) -> bool {
        self.settings().mfa_policy != MfaPolicy::Off
    }

    /// The user's passkeys.
    pub async fn passkeys(&self, user_id: &str) -> Result<Vec<Passkey>, OAuthError> {
        Ok(self.store().list_passkeys(user_id).await?)
    }

    /// Options to create a passkey for `user` (WebAuthn L3 §5.4): discoverable, user
    /// verification preferred, no attestation, none of the user's `registered` keys again.
    pub fn begin_passkey_registration(
        &self,
        user: &User,
        registered: &[Passkey],
    ) -> Result<PasskeyCeremony, OAuthError> {
        let challenge = random_bytes(32);
        let ticket =
            self.seal_ticket(REGISTER_PURPOSE, &[&user.id, &b64url(&challenge)], CEREMONY_TTL)?;
        let exclude: Vec<Value> = registered.iter().map(descriptor).collect();
        let params: Vec<Value> =
            COSE_ALGORITHMS.iter().map(|alg| json!({"type": "public-key", "alg": alg})).collect();
        let rp = self.relying_party();
        let options = json!({
            "rp": {"id": rp.id, "name": self.settings().mail.product_name},
            "user": {
                "id": b64url(user.id.as_bytes()),
                "name": if user.email.is_empty() { &user.username } else { &user.email },
                "displayName": user.name.as_deref().unwrap_or(&user.username),
            },
            "challenge": b64url(&challenge),
            "pubKeyCredParams": params,
            "timeout": CEREMONY_TTL * 1000,
            "excludeCredentials": exclude,
            "authenticatorSelection": {
                "residentKey": "required",
                "requireResidentKey": true,
                "userVerification": "preferred",
            },
            "attestation": "none",
        });
        Ok(PasskeyCeremony { options, ticket })
    }

    /// Registers the passkey the browser created for the ceremony of `ticket` (WebAuthn L3
    /// §7.1), under `name`. Problems (in plain words) leave nothing stored.
    pub async fn finish_passkey_registration(
        &self,
        user: &User,
        ticket: &str,
        response: &str,
        name: &str,
        ip: Option<String>,
    ) -> Result<Result<Passkey, Vec<String>>, OAuthError> {
        let name = name.trim();
        if name.chars().count() > MAX_NAME {
            return Ok(Err(vec![format!("name: at most {MAX_NAME} characters")]));
        }
        let fields = self.open_ticket(REGISTER_PURPOSE, ticket).unwrap_or_default();
        let challenge = match fields.as_slice() {
            [user_id, challenge] if *user_id == user.id => challenge.clone(),
            _ => return Ok(Err(vec![WebauthnError::Expired.to_string()])),
        };
        if !self.consume_challenge(&challenge).await? {
            return Ok(Err(vec![WebauthnError::Expired.to_string()]));
        }
        let challenge = b64url_decode(&challenge).unwrap_or_default();
        let rp = self.relying_party();
        let credential = match verify_registration(response, &challenge, &rp, false) {
            Ok(credential) => credential,
            Err(e) => return Ok(Err(vec![capitalized(&e)])),
        };
        let passkey = Passkey {
            id: credential.id,
            user_id: user.id.clone(),
            name: if name.is_empty() { "Passkey".to_owned() } else { name.to_owned() },
            public_key: credential.public_key,
            sign_count: i64::from(credential.sign_count),
            uv_initialized: credential.user_verified,
            backup_eligible: credential.backup_eligible,
            backup_state: credential.backup_state,
            transports: credential.transports,
            aaguid: credential.aaguid,
            created_at: self.now(),
            last_used_at: None,
        };
        // §7.1 step 26: a credential id registered to anyone is refused.
        match self.store().insert_passkey(&passkey).await {
            Ok(()) => {}
            Err(StoreError::Conflict(_)) => {
                return Ok(Err(vec![capitalized(&WebauthnError::AlreadyRegistered)]));
            }
            Err(e) => return Err(e.into()),
        }
        self.audit_passkey(user, ip, "user.mfa.passkey_add", &passkey).await?;
        Ok(Ok(passkey))
    }

    /// Options to sign in with a passkey (WebAuthn L3 §5.5) for authorization request
    /// `request_id`: passwordless (`user` is `None`: any discoverable passkey, user verification
    /// required), or as `user`'s second factor (their passkeys, verification preferred).
    pub async fn begin_passkey_sign_in(
        &self,
        request_id: &str,
        user: Option<&User>,
    ) -> Result<PasskeyCeremony, OAuthError> {
        let challenge = random_bytes(32);
        let user_id = user.map(|u| u.id.as_str()).unwrap_or("");
        let fields = [request_id, user_id, &b64url(&challenge)];
        let ticket = self.seal_ticket(SIGN_IN_PURPOSE, &fields, CEREMONY_TTL)?;
        let allow: Vec<Value> = match user {
            Some(user) => self.passkeys(&user.id).await?.iter().map(descriptor).collect(),
            None => Vec::new(),
        };
        let options = json!({
            "challenge": b64url(&challenge),
            "timeout": CEREMONY_TTL * 1000,
            "rpId": self.relying_party().id,
            "allowCredentials": allow,
            "userVerification": if user.is_some() { "preferred" } else { "required" },
        });
        Ok(PasskeyCeremony { options, ticket })
    }

    /// Checks a passkey's answer to the ceremony of `ticket` for request `request_id`
    /// (WebAuthn L3 §7.2) and records its use. Every outcome goes to the sign-in log.
    pub async fn finish_passkey_sign_in(
        &self,
        ticket: &str,
        request_id: &str,
        response: &str,
        from: &Attempt<'_>,
    ) -> Result<Result<PasskeySignIn, WebauthnError>, OAuthError> {
        let fields = self.open_ticket(SIGN_IN_PURPOSE, ticket).unwrap_or_default();
        let [ticket_request, expected_user, challenge] = fields.as_slice() else {
            return Ok(Err(WebauthnError::Expired));
        };
        if ticket_request != request_id || !self.consume_challenge(challenge).await? {
            return Ok(Err(WebauthnError::Expired));
        }
        let challenge = b64url_decode(challenge).unwrap_or_default();
        let expected = Some(expected_user.as_str()).filter(|u| !u.is_empty());
        let checked = self.check_assertion(response, &challenge, expected).await?;
        let (passkey, user) = match checked {
            Ok(found) => found,
            Err((e, user_id)) => {
                let detail = Some(e.to_string());
                let outcome = SignInOutcome::PasskeyRefused;
                self.record_signin(outcome, user_id.as_deref(), from, detail).await;
                return Ok(Err(e));
            }
        };
        if user.disabled {
            self.record_signin(SignInOutcome::Disabled, Some(&user.id), from, None).await;
            return Ok(Err(WebauthnError::UnknownCredential));
        }
        let detail = Some(format!("passkey \"{}\"", passkey.name));
        self.record_signin(SignInOutcome::Success, Some(&user.id), from, detail).await;
        let key = if passkey.backup_eligible { AMR_SWK } else { AMR_HWK };
        // Passwordless, the key was user-verified (two factors alone); otherwise it follows a
        // password.
        Ok(Ok(PasskeySignIn { user, amr: vec![key, AMR_USER, super::AMR_MFA] }))
    }

    /// §7.2 steps 5–25 against the store: the credential is registered, to the expected user
    /// (or, passwordless, to the user its handle names), its answer verifies, and its counter
    /// moves forward atomically. Refusals carry the account they were for, when known.
    async fn check_assertion(
        &self,
        response: &str,
        challenge: &[u8],
        expected: Option<&str>,
    ) -> Result<Result<(Passkey, User), (WebauthnError, Option<String>)>, OAuthError> {
        let assertion = match Assertion::from_json(response) {
            Ok(assertion) => assertion,
            Err(e) => return Ok(Err((e, expected.map(str::to_owned)))),
        };
        let passkey = self.store().find_passkey(&assertion.credential_id).await?;
        let owner_ok = |p: &Passkey| {
            let handle_ok = match &assertion.user_handle {
                Some(handle) => handle.as_slice() == p.user_id.as_bytes(),
                None => expected.is_some(),
            };
            handle_ok && expected.is_none_or(|u| u == p.user_id)
        };
        let Some(passkey) = passkey.filter(owner_ok) else {
            return Ok(Err((WebauthnError::UnknownCredential, expected.map(str::to_owned))));
        };
        let refused = |e| Ok(Err((e, Some(passkey.user_id.clone()))));
        let stored = StoredCredential {
            public_key: &passkey.public_key,
            sign_count: u32::try_from(passkey.sign_count).unwrap_or(u32::MAX),
            backup_eligible: passkey.backup_eligible,
        };
        let rp = self.relying_party();
        let checked = match verify_assertion(&assertion, stored, challenge, &rp, expected.is_none())
        {
            Ok(checked) => checked,
            Err(e) => return refused(e),
        };
        let used = PasskeyUse {
            sign_count: i64::from(checked.sign_count),
            backup_state: checked.backup_state,
            user_verified: checked.user_verified,
            now: self.now(),
        };
        if !self.store().use_passkey(&passkey.id, &used).await? {
            return refused(WebauthnError::CounterRegression);
        }
        let Some(user) = self.store().find_user(&passkey.user_id).await? else {
            return refused(WebauthnError::UnknownCredential);
        };
        Ok(Ok((passkey, user)))
    }

    /// Renames one of the user's own passkeys.
    pub async fn rename_passkey(
        &self,
        user: &User,
        id: &str,
        name: &str,
    ) -> Result<Result<(), Vec<String>>, OAuthError> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > MAX_NAME {
            return Ok(Err(vec![format!("name: 1 to {MAX_NAME} characters")]));
        }
        let id = b64url_decode(id).unwrap_or_default();
        if !self.store().rename_passkey(&user.id, &id, name).await? {
            return Ok(Err(vec!["This passkey is not yours, or was removed.".to_owned()]));
        }
        Ok(Ok(()))
    }

    /// Removes one of the user's own passkeys. The last way to sign in is kept: a passkey is
    /// not removed from an account without a password or another passkey.
    pub async fn remove_own_passkey(
        &self,
        user: &User,
        id: &str,
        ip: Option<String>,
    ) -> Result<Result<(), Vec<String>>, OAuthError> {
        let id = b64url_decode(id).unwrap_or_default();
        let passkeys = self.passkeys(&user.id).await?;
        let Some(passkey) = passkeys.iter().find(|p| p.id == id) else {
            return Ok(Err(vec!["This passkey is not yours, or was removed.".to_owned()]));
        };
        if passkeys.len() == 1 && user.password_hash.is_none() {
            return Ok(Err(vec![
                "This is your only way to sign in: set a password or add another passkey first."
                    .to_owned(),
            ]));
        }
        self.store().delete_passkeys(&user.id, Some(&id)).await?;
        self.audit_passkey(user, ip, "user.mfa.passkey_remove", passkey).await?;
        Ok(Ok(()))
    }

    /// Marks a challenge used; `false` if it was used before (a replayed answer).
    async fn consume_challenge(&self, challenge: &str) -> Result<bool, OAuthError> {
        let key = format!("webauthn:{challenge}");
        Ok(self.store().revoke_jti(&key, "passkey", self.now() + CEREMONY_TTL).await?)
    }

    async fn audit_passkey(
        &self,
        user: &User,
        ip: Option<String>,
        action: &str,
        passkey: &Passkey,
    ) -> Result<(), OAuthError> {
        self.as_user(user, ip)
            .record(action, &format!("user:{}", user.id), json!({"passkey": passkey.name}))
            .await
            .map_err(|e| OAuthError::Server(anyhow::anyhow!(e)))
    }
}

/// A `PublicKeyCredentialDescriptorJSON` (§5.8.3) of a stored passkey.
fn descriptor(p: &Passkey) -> Value {
    json!({"type": "public-key", "id": b64url(&p.id), "transports": p.transports})
}

/// An error's text as a sentence.
fn capitalized(e: &WebauthnError) -> String {
    let text = e.to_string();
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str()),
        None => text,
    }
}
