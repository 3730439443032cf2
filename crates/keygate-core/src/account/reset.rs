//! Password reset by email (OWASP Forgot Password Cheat Sheet): the same answer for known and
//! unknown addresses, a single-use link that expires (30 minutes by default) and is stored
//! hashed, throttled per address and per account; the reset ends every session and revokes
//! every refresh token (RFC 9700 §4.14.2), and a message tells the user.

use serde_json::json;

use super::{end_access, purpose};
use crate::mail::NewMail;
use crate::secret::{Secret, SecretHash};
use crate::store::{AccountToken, Consumed};
use crate::{OAuthError, Provider, User};

/// What a reset request did. Never shown: every outcome gets the same page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResetRequested {
    /// A link was queued for the account's address.
    Sent,
    /// No usable account has this address or name (unknown, disabled, or without an email).
    NoAccount,
    /// Too many requests for this address or account lately.
    Throttled,
}

/// Why a new password was not set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResetFailure {
    /// The link is unknown, used, or expired, or its account is disabled.
    InvalidLink,
    /// The password breaks the policy; the link still works.
    Rejected(Vec<String>),
}

impl Provider {
    /// Queues a reset link for the account with this email address (or username), unless
    /// throttled. The caller answers the same whatever this returns, and should run it off the
    /// request path so that the answer's timing says nothing either.
    pub async fn request_password_reset(
        &self,
        address: &str,
    ) -> Result<ResetRequested, OAuthError> {
        let address = address.trim().to_lowercase();
        if address.is_empty() {
            return Ok(ResetRequested::NoAccount);
        }
        if self.reset_throttled(&format!("reset:{address}")).await? {
            return Ok(ResetRequested::Throttled);
        }
        let user = self.store().find_user(&address).await?;
        let Some(user) = user.filter(|u| !u.disabled && u.email.contains('@')) else {
            return Ok(ResetRequested::NoAccount);
        };
        if self.reset_throttled(&format!("reset:account:{}", user.id)).await? {
            return Ok(ResetRequested::Throttled);
        }
        self.queue_reset_link(&user).await.map_err(OAuthError::Server)?;
        Ok(ResetRequested::Sent)
    }

    /// Makes a reset link for `user` and queues the message that carries it.
    pub(crate) async fn queue_reset_link(&self, user: &User) -> anyhow::Result<()> {
        let ttl = self.settings().mail.reset_ttl;
        let extra = minijinja::context! {};
        self.send_token_link(user, purpose::PASSWORD_RESET, ttl, "/reset", extra, None).await
    }

    /// Counts a reset request for `key`; whether it is over the limit.
    async fn reset_throttled(&self, key: &str) -> Result<bool, OAuthError> {
        self.over_limit(key, self.settings().mail.reset_max_per_address).await
    }

    /// The account a reset link is for, while the link works.
    pub async fn reset_link_user(&self, token: &str) -> Result<Option<User>, OAuthError> {
        Ok(self.usable_reset_token(token).await?.map(|(_, user)| user))
    }

    async fn usable_reset_token(
        &self,
        token: &str,
    ) -> Result<Option<(AccountToken, User)>, OAuthError> {
        let hash = SecretHash::of(token);
        let found = self.store().find_account_token(&hash).await?;
        let Some(found) =
            found.filter(|t| t.purpose == purpose::PASSWORD_RESET && t.expires_at > self.now())
        else {
            return Ok(None);
        };
        let user = self.store().find_user(&found.user_id).await?;
        Ok(user.filter(|u| !u.disabled).map(|u| (found, u)))
    }

    /// Sets a new password through a reset link: checks the password against the policy
    /// first (a rejected password leaves the link usable), then uses the link once, sets the
    /// password, marks the address verified (the link reached it), ends every session and
    /// grant, and queues a message saying the password changed.
    pub async fn reset_password(
        &self,
        token: &str,
        password: Secret,
    ) -> Result<Result<User, ResetFailure>, OAuthError> {
        let Some((_, user)) = self.usable_reset_token(token).await? else {
            return Ok(Err(ResetFailure::InvalidLink));
        };
        let policy = self.settings().passwords;
        let problems = policy.problems(&password, &[&user.username, &user.email]);
        if !problems.is_empty() {
            return Ok(Err(ResetFailure::Rejected(problems)));
        }
        let hash = SecretHash::of(token);
        let Consumed::Fresh(used) = self.store().consume_account_token(&hash, self.now()).await?
        else {
            return Ok(Err(ResetFailure::InvalidLink));
        };
        let phc = self.hash_new_password(password).await?;
        let mut user = user;
        user.password_hash = Some(phc);
        user.email_verified = user.email_verified || used.email.eq_ignore_ascii_case(&user.email);
        user.updated_at = self.now();
        self.store().update_user(&user).await?;
        let (sessions, grants) = end_access(self.store(), &user.id, self.now()).await?;
        self.store().clear_failures(&format!("account:{}", user.id)).await?;
        self.audit_self(
            &user,
            "user.password_reset",
            json!({
                "sessions_ended": sessions, "grants_revoked": grants,
            }),
        )
        .await?;
        let changed = self.password_changed_mail(&user, &hash).map_err(OAuthError::Server)?;
        self.queue_mail(&changed).await?;
        Ok(Ok(user))
    }

    fn password_changed_mail(&self, user: &User, link: &SecretHash) -> anyhow::Result<NewMail> {
        let key: String = link.as_bytes().iter().map(|b| format!("{b:02x}")).collect();
        let key = format!("password_changed:{key}");
        self.mail_to(user, "password_changed", key, minijinja::context! {})
    }

    /// Records a change a user made to their own account in the audit log.
    pub(crate) async fn audit_self(
        &self,
        user: &User,
        action: &str,
        details: serde_json::Value,
    ) -> Result<(), OAuthError> {
        let target = format!("user:{}", user.id);
        self.as_user(user, None)
            .record(action, &target, details)
            .await
            .map_err(|e| OAuthError::Server(anyhow::anyhow!(e)))
    }
}
