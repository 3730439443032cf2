//! Password sign-in with throttling per account and per client address. Unknown users cost the
//! same Argon2id verification as known ones and get the same answer (no user enumeration).

use std::sync::OnceLock;

use crate::secret::Secret;
use crate::signin_log::{Attempt, SignInOutcome};
use crate::{OAuthError, Provider, User};

/// Why a sign-in failed, as the login page may tell it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginFailure {
    /// Wrong username, email or password (which one is never said).
    InvalidCredentials,
    /// Too many recent failures for this account or address: try again later.
    Throttled,
    /// The password is right but the account is disabled. Said only after the password was
    /// verified, so it tells nothing to someone who does not know it.
    Disabled,
    /// The password is right but the email address is not confirmed, and the operator requires
    /// that (`[signup] require_verified_email`). Carries the account, to send a new link.
    Unverified(Box<User>),
}

/// A stand-in hash verified for unknown users, so both paths take the same time.
static DUMMY_PHC: OnceLock<String> = OnceLock::new();

impl Provider {
    /// Checks a username, email or user id and a password.
    ///
    /// Failures count per resolved account (whichever identifier was typed) and per client
    /// address. Each attempt is counted *before* the password is hashed, in one atomic
    /// statement, so concurrent guesses (on any number of nodes sharing the database) cannot
    /// all slip under the limit: only the first `max` of a window are ever checked. A success
    /// clears the account's count and hands back the address's reservation. Every outcome
    /// goes to the sign-in log.
    pub async fn password_login(
        &self,
        login: &str,
        password: Secret,
        from: &Attempt<'_>,
    ) -> Result<Result<User, LoginFailure>, OAuthError> {
        let client_ip = from.ip;
        let settings = self.settings();
        let now = self.now();
        let window_start_after = now - settings.login_window;
        let store = self.store();
        let user = store.find_user(login.trim()).await?;
        let account_key = match &user {
            Some(user) => format!("account:{}", user.id),
            None => format!("account:{}", login.trim().to_lowercase()),
        };
        let ip_key = client_ip.map(|ip| format!("ip:{ip}"));
        let account_attempts = store.record_failure(&account_key, now, window_start_after).await?;
        let ip_attempts = match &ip_key {
            Some(key) => store.record_failure(key, now, window_start_after).await?,
            None => 0,
        };
        if account_attempts > settings.login_max_failures_per_account
            || ip_attempts > settings.login_max_failures_per_ip
        {
            tracing::info!(ip = client_ip.unwrap_or("-"), "sign-in throttled");
            let user_id = user.as_ref().map(|u| u.id.as_str());
            self.record_signin(SignInOutcome::Throttled, user_id, from, None).await;
            return Ok(Err(LoginFailure::Throttled));
        }
        let phc = match user.as_ref().and_then(|u| u.password_hash.clone()) {
            Some(phc) => phc,
            None => self.dummy_phc().await?,
        };
        let verified = self.verify_password(password.clone(), phc.clone()).await?;
        match user {
            Some(user) if verified && user.disabled => {
                tracing::info!(ip = client_ip.unwrap_or("-"), user = %user.id, "disabled account");
                self.record_signin(SignInOutcome::Disabled, Some(&user.id), from, None).await;
                Ok(Err(LoginFailure::Disabled))
            }
            Some(user)
                if verified
                    && self.settings().signup.require_verified_email
                    && !user.email_verified =>
            {
                tracing::info!(ip = client_ip.unwrap_or("-"), user = %user.id, "unconfirmed email");
                store.clear_failures(&account_key).await?;
                if let Some(key) = &ip_key {
                    store.release_attempt(key).await?;
                }
                self.record_signin(SignInOutcome::Unverified, Some(&user.id), from, None).await;
                Ok(Err(LoginFailure::Unverified(Box::new(user))))
            }
            Some(user) if verified => {
                self.rehash_if_needed(&user.id, password, &phc).await;
                store.clear_failures(&account_key).await?;
                if let Some(key) = &ip_key {
                    store.release_attempt(key).await?;
                }
                // With a second factor, the sign-in is not done yet: that step records it.
                let outcome = if self.has_second_factor(&user.id).await? {
                    SignInOutcome::SecondFactorNeeded
                } else {
                    SignInOutcome::Success
                };
                let factor = Some("password".to_owned());
                self.record_signin(outcome, Some(&user.id), from, factor).await;
                Ok(Ok(user))
            }
            known => {
                tracing::info!(ip = client_ip.unwrap_or("-"), "failed sign-in");
                let (outcome, user_id) = match &known {
                    Some(user) => (SignInOutcome::WrongPassword, Some(user.id.as_str())),
                    None => (SignInOutcome::UnknownAccount, None),
                };
                self.record_signin(outcome, user_id, from, None).await;
                Ok(Err(LoginFailure::InvalidCredentials))
            }
        }
    }

    /// Hashes a just-verified password again when its stored hash was made with other
    /// parameters than the policy's ([`crate::password_policy::PasswordPolicy::needs_rehash`]), so a change of
    /// costs reaches every account that signs in. A failure is logged, not the sign-in's.
    async fn rehash_if_needed(&self, user_id: &str, password: Secret, phc: &str) {
        let policy = self.settings().passwords;
        if !policy.needs_rehash(phc) {
            return;
        }
        let new = match self.hash_pool().run(move || policy.hash(&password)).await {
            Ok(Ok(new)) => new,
            Ok(Err(e)) => return tracing::warn!(error = %e, "cannot rehash a password"),
            Err(e) => return tracing::warn!(error = %e, "cannot rehash a password"),
        };
        match self.store().rehash_password(user_id, phc, &new).await {
            Ok(true) => tracing::info!(user = %user_id, "password rehashed with the current costs"),
            Ok(false) => {} // changed in between: the new password's hash stays
            Err(e) => tracing::warn!(error = %e, "cannot store a rehashed password"),
        }
    }

    /// The stand-in hash, made once on a hashing thread (whose memory it reuses).
    async fn dummy_phc(&self) -> Result<String, OAuthError> {
        if let Some(phc) = DUMMY_PHC.get() {
            return Ok(phc.clone());
        }
        let policy = self.settings().passwords;
        let phc = self
            .hash_pool()
            .run(move || policy.hash(&Secret::new("keygate-dummy-password")))
            .await
            .map_err(OAuthError::Server)?
            .map_err(|e| OAuthError::Server(anyhow::anyhow!(e)))?;
        Ok(DUMMY_PHC.get_or_init(|| phc).clone())
    }

    /// Argon2id verification on the hashing threads ([`crate::hashing::HashPool`]), so that a
    /// burst of logins neither starves the async executor nor multiplies memory.
    async fn verify_password(&self, password: Secret, phc: String) -> Result<bool, OAuthError> {
        let policy = self.settings().passwords;
        self.hash_pool()
            .run(move || policy.verify(&password, &phc))
            .await
            .map_err(OAuthError::Server)
    }
}
