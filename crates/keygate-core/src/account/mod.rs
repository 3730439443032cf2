//! Self-service account flows carried by email.
//!
//! - [`reset`]: "Forgot password?": a single-use link by email, a new password, every session
//!   and refresh token ended.
//! - [`verify`]: confirming an existing account's email address (`email_verified`), required
//!   before password sign-in when the operator says so.
//! - [`profile`]: what users change on their account page (names, password, sessions,
//!   applications).
//! - [`invite`]: invitations from administrators: a link to create an account.
//! - [`signup`]: self-service sign-up (OpenID Connect Initiating User Registration): the
//!   account is created when the link in the confirmation message is used.
//!
//! Links carry a random token; only its SHA-256 is stored ([`crate::store::AccountTokenStore`]),
//! and the token row and the message that carries it are written in one transaction, so a link
//! is never stored without its message being queued, nor sent without being stored.

pub mod invite;
pub mod profile;
pub mod reset;
pub mod signup;
pub mod verify;

use crate::Provider;
use crate::mail::NewMail;
use crate::secret::{Secret, SecretHash};
use crate::store::{AccountToken, Store, StoreResult};
use crate::user::User;

/// What an account token allows.
pub mod purpose {
    /// Choosing a new password.
    pub const PASSWORD_RESET: &str = "password_reset";
    /// Confirming the address of a pending sign-up, which creates the account.
    pub const SIGNUP: &str = "signup";
    /// Confirming an existing account's address.
    pub const VERIFY_EMAIL: &str = "verify_email";
    /// An administrator's invitation to create an account.
    pub const INVITE: &str = "invite";
    /// Confirming a new address before it replaces the account's.
    pub const CHANGE_EMAIL: &str = "change_email";
}

/// Ends everything a user is signed in with: every SSO session is closed and every grant
/// revoked (with its refresh and access tokens). Returns how many of each.
pub async fn end_access(store: &dyn Store, user_id: &str, now: i64) -> StoreResult<(usize, u64)> {
    let sessions = store.sessions_for_user(user_id).await?;
    for session in &sessions {
        store.delete_session(&session.sid).await?;
    }
    let grants = store.revoke_user_grants(user_id, None, now).await?;
    Ok((sessions.len(), grants))
}

impl Provider {
    /// Counts one request under `key` in the login window; whether it is over `max` (the
    /// per-address and per-account limits of the flows that send mail).
    pub(crate) async fn over_limit(&self, key: &str, max: i64) -> Result<bool, crate::OAuthError> {
        let now = self.now();
        let count =
            self.store().record_failure(key, now, now - self.settings().login_window).await?;
        Ok(count > max)
    }

    /// Argon2id of a new password, on the hashing threads.
    async fn hash_new_password(&self, password: Secret) -> Result<String, crate::OAuthError> {
        let policy = self.settings().passwords;
        let hashed = self.hash_pool().run(move || policy.hash(&password)).await;
        hashed
            .map_err(crate::OAuthError::Server)?
            .map_err(|e| crate::OAuthError::Server(anyhow::anyhow!(e)))
    }

    /// The values every message template may use.
    fn mail_context(&self, user: &User, extra: minijinja::Value) -> minijinja::Value {
        let locale = user.claims.get("locale").and_then(|v| v.as_str());
        let catalog = self.catalogs().for_mail(locale);
        let base = minijinja::context! {
            lang => &catalog.tag, dir => catalog.direction(),
            product => &self.settings().mail.product_name,
            issuer => self.issuer(),
            username => &user.username,
            name => user.name.as_deref().unwrap_or(&user.username),
        };
        minijinja::context! { ..extra, ..base }
    }

    /// Renders a message of `kind` to `user`.
    fn mail_to(
        &self,
        user: &User,
        kind: &str,
        key: String,
        extra: minijinja::Value,
    ) -> anyhow::Result<NewMail> {
        let rendered = self.mail_templates().render(kind, &self.mail_context(user, extra))?;
        Ok(NewMail {
            idempotency_key: key,
            kind: kind.to_owned(),
            to: user.email.clone(),
            user_id: Some(user.id.clone()),
            subject: rendered.subject,
            text: rendered.text,
            html: Some(rendered.html),
        })
    }

    /// Makes a single-use token for `user` and queues the message of `kind` carrying its link
    /// (`{issuer}{path}?token=...`), in one transaction. `data` is kept with the token.
    async fn send_token_link(
        &self,
        user: &User,
        token_purpose: &str,
        ttl: i64,
        path: &str,
        extra: minijinja::Value,
        data: Option<String>,
    ) -> anyhow::Result<()> {
        let secret = Secret::generate(32);
        let hash = SecretHash::of(secret.expose_secret());
        let link = format!("{}{path}?token={}", self.issuer(), secret.expose_secret());
        let key: String = hash.as_bytes().iter().map(|b| format!("{b:02x}")).collect();
        let extra = minijinja::context! { link => link, minutes => ttl / 60, ..extra };
        let mail = self.mail_to(user, token_purpose, format!("{token_purpose}:{key}"), extra)?;
        let now = self.now();
        let token = AccountToken {
            purpose: token_purpose.to_owned(),
            user_id: user.id.clone(),
            email: user.email.clone(),
            created_at: now,
            expires_at: now + ttl,
            data,
        };
        self.store().insert_account_token(&hash, &token, &mail, now).await?;
        self.wake_mail_sender();
        Ok(())
    }
}
