//! Confirming an account's email address (OIDC Core §5.1 `email_verified`): a single-use link
//! (24 hours by default), sent by an administrator or, where the operator requires confirmed
//! addresses (`[signup] require_verified_email`), when the user signs in with the right
//! password; throttled per account. The link confirms the address only if the account still
//! has it.

use serde_json::json;

use super::purpose;
use crate::secret::SecretHash;
use crate::store::Consumed;
use crate::{OAuthError, Provider, User};

/// The sealing context of the ticket that lets a refused sign-in ask for a new link.
const RESEND_CONTEXT: &str = "keygate-verify-resend";
/// How long such a ticket works, seconds.
const RESEND_TTL: i64 = 900;

impl Provider {
    /// Queues a confirmation link for `user`'s address, unless three were sent for the account
    /// within the login window. Returns whether one was queued.
    pub async fn send_verification(&self, user: &User) -> Result<bool, OAuthError> {
        let key = format!("verify:{}", user.id);
        if self.over_limit(&key, self.settings().mail.reset_max_per_address).await? {
            return Ok(false);
        }
        let ttl = self.settings().signup.confirm_ttl;
        let extra = minijinja::context! { hours => ttl / 3600 };
        self.send_token_link(user, purpose::VERIFY_EMAIL, ttl, "/verify", extra, None)
            .await
            .map_err(OAuthError::Server)?;
        Ok(true)
    }

    /// A sealed ticket naming `user`, for the "send the link again" button of a sign-in that
    /// was refused for an unconfirmed address (the password was right).
    pub fn resend_ticket(&self, user: &User) -> Result<String, OAuthError> {
        self.seal_ticket(RESEND_CONTEXT, &[&user.id], RESEND_TTL)
    }

    /// The account a resend ticket names, while it works.
    pub async fn resend_ticket_user(&self, ticket: &str) -> Result<Option<User>, OAuthError> {
        let Some(fields) = self.open_ticket(RESEND_CONTEXT, ticket) else { return Ok(None) };
        let Some(id) = fields.first() else { return Ok(None) };
        let user = self.store().find_user(id).await?;
        Ok(user.filter(|u| !u.disabled && !u.email_verified))
    }

    /// Whether a confirmation link (of an address, or of a new address) still works.
    pub async fn verify_link_works(&self, token: &str) -> Result<bool, OAuthError> {
        let found = self.store().find_account_token(&SecretHash::of(token)).await?;
        let purposes = [purpose::VERIFY_EMAIL, purpose::CHANGE_EMAIL];
        Ok(found
            .is_some_and(|t| purposes.contains(&t.purpose.as_str()) && t.expires_at > self.now()))
    }

    /// Uses a confirmation link. For an address: confirmed if the account still has it. For a
    /// new address: it replaces the account's (confirmed), unless another account took it
    /// meanwhile, and the old address is told. Returns the account, or `None` for a link that
    /// does not work.
    pub async fn confirm_email(&self, token: &str) -> Result<Option<User>, OAuthError> {
        if !self.verify_link_works(token).await? {
            return Ok(None);
        }
        let hash = SecretHash::of(token);
        let Consumed::Fresh(used) = self.store().consume_account_token(&hash, self.now()).await?
        else {
            return Ok(None);
        };
        let Some(mut user) = self.store().find_user(&used.user_id).await? else { return Ok(None) };
        if used.purpose == purpose::CHANGE_EMAIL {
            return self.change_email(user, used.data.as_deref()).await;
        }
        if !user.email.eq_ignore_ascii_case(&used.email) {
            return Ok(None);
        }
        if !user.email_verified {
            user.email_verified = true;
            user.updated_at = self.now();
            self.store().update_user(&user).await?;
            self.audit_self(&user, "user.verify_email", json!({ "email": user.email })).await?;
        }
        Ok(Some(user))
    }

    async fn change_email(
        &self,
        user: User,
        data: Option<&str>,
    ) -> Result<Option<User>, OAuthError> {
        let change: super::profile::EmailChange = serde_json::from_str(data.unwrap_or("{}"))
            .map_err(|e| {
                OAuthError::Server(anyhow::anyhow!("an address change is unreadable: {e}"))
            })?;
        if self.store().find_user(&change.new_email).await?.is_some() {
            return Ok(None);
        }
        let old = user.clone();
        let changed = User {
            email: change.new_email.clone(),
            email_verified: true,
            updated_at: self.now(),
            ..user
        };
        match self.store().update_user(&changed).await {
            Ok(_) => {}
            Err(crate::store::StoreError::Conflict(_)) => return Ok(None),
            Err(e) => return Err(e.into()),
        }
        let details = json!({ "from": old.email, "to": changed.email });
        self.audit_self(&changed, "user.email_change", details).await?;
        let key = format!("email_changed:{}:{}", old.id, crate::secret::random_id());
        let extra = minijinja::context! { new_email => &changed.email };
        let notice = self.mail_to(&old, "email_changed", key, extra).map_err(OAuthError::Server)?;
        self.queue_mail(&notice).await?;
        Ok(Some(changed))
    }
}
