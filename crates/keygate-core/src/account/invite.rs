//! Invitations: an administrator invites an email address; the link in the message (a week by
//! default, single use) opens the sign-up form with that address, and the account it creates is
//! confirmed (the link reached the address). Works in every `[signup] mode` but `off`, and is
//! the only way in with `mode = "invite"`.

use serde_json::json;

use super::purpose;
use super::signup::SignUpForm;
use crate::admin::{Actor, Admin, AdminError, check, plausible_address};
use crate::secret::SecretHash;
use crate::store::{AccountToken, Consumed};
use crate::{OAuthError, Provider, User};

/// What accepting an invitation did.
#[derive(Debug)]
pub enum Accepted {
    /// The account exists.
    Created(Box<User>),
    /// The form has problems; the invitation still works.
    Rejected(Vec<String>),
    /// The invitation is unknown, used or expired, or its address got an account meanwhile.
    InvalidLink,
}

impl Provider {
    /// Invites `email`: queues the message with the link, in `locale` (a tag Keygate has a
    /// translation for, which the new account keeps as its `locale` claim), else in English,
    /// whichever door (console, admin API, CLI) and whatever language the inviting request
    /// asked for. Refused when invitations are off, the address has an account, or Keygate
    /// does not speak `locale`; every problem at once.
    pub async fn invite(
        &self,
        email: &str,
        locale: Option<&str>,
        actor: Actor,
    ) -> Result<(), AdminError> {
        let email = email.trim();
        let locale = locale.map(str::trim).filter(|l| !l.is_empty());
        let mut problems = Vec::new();
        if !self.settings().signup.invitations() {
            problems
                .push("Invitations are off: set [signup] mode to invite, domain or open.".into());
        }
        if !plausible_address(email) {
            problems.push(format!("'{email}' is not an email address."));
        } else if self.store().find_user(email).await?.is_some() {
            problems.push(format!("{email} has an account already."));
        }
        let catalogs = self.catalogs();
        let catalog = locale.map_or(Some(catalogs.english()), |tag| catalogs.get(tag));
        if let (Some(tag), None) = (locale, catalog) {
            let known = catalogs.tags().join(", ");
            problems.push(format!("Keygate has no '{tag}' translation; one of: {known}."));
        }
        check(problems)?;
        let tag = catalog.unwrap_or(catalogs.english()).tag.as_str();
        let mut future = self.provisional_user(email, None);
        future.username = email.to_owned();
        future.claims.insert("locale".to_owned(), tag.into());
        let data = locale.map(|_| json!({ "locale": tag }).to_string());
        let ttl = self.settings().signup.invite_ttl;
        let extra = minijinja::context! { days => ttl / 86_400 };
        self.send_token_link(&future, purpose::INVITE, ttl, "/signup/invite", extra, data)
            .await
            .map_err(|e| AdminError::Internal(e.context("invitation")))?;
        let admin = Admin::new(self.store(), self.clock()).acting_as(actor);
        let details = json!({ "email": email, "language": tag });
        admin.record("user.invite", &format!("invite:{email}"), details).await
    }

    /// The invitation a link carries, while it works.
    pub async fn invitation(&self, token: &str) -> Result<Option<AccountToken>, OAuthError> {
        let found = self.store().find_account_token(&SecretHash::of(token)).await?;
        Ok(found.filter(|t| t.purpose == purpose::INVITE && t.expires_at > self.now()))
    }

    /// Creates the invited account from the form (the address is the invitation's, confirmed).
    pub async fn accept_invitation(
        &self,
        token: &str,
        form: SignUpForm,
    ) -> Result<Accepted, OAuthError> {
        let Some(invitation) = self.invitation(token).await? else {
            return Ok(Accepted::InvalidLink);
        };
        let form = SignUpForm { email: invitation.email.clone(), ..form };
        let problems = self.password_and_name_problems(&form);
        if !problems.is_empty() {
            return Ok(Accepted::Rejected(problems));
        }
        let hash = SecretHash::of(token);
        let Consumed::Fresh(_) = self.store().consume_account_token(&hash, self.now()).await?
        else {
            return Ok(Accepted::InvalidLink);
        };
        let password_hash = self.hash_new_password(form.password).await?;
        let name = form.name.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty());
        let mut user = self.provisional_user(&invitation.email, name);
        if let Some(locale) = invited_language(invitation.data.as_deref()) {
            user.claims.insert("locale".to_owned(), locale.into());
        }
        user.id = invitation.user_id;
        user.email_verified = true;
        user.password_hash = Some(password_hash);
        match self.create_account(user, true).await? {
            Some(user) => Ok(Accepted::Created(Box::new(user))),
            None => Ok(Accepted::InvalidLink),
        }
    }
}

/// The language an invitation was sent in, when the inviter chose it: the account's `locale`.
fn invited_language(data: Option<&str>) -> Option<String> {
    let data: serde_json::Value = serde_json::from_str(data?).ok()?;
    data.get("locale")?.as_str().map(str::to_owned)
}
