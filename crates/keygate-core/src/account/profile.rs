//! What users change on their own account page: their name, their password (the current one
//! required; every other session ends and every grant is revoked, RFC 9700 §4.14.2), their
//! other sessions, and the applications they gave access to. Each change is in the audit log
//! with the user as actor.

use serde_json::json;

use crate::admin::{Actor, Admin, AdminError};
use crate::secret::Secret;
use crate::{OAuthError, Provider, User};

/// The names a user may edit, and the standard claims the operator lets them edit.
#[derive(Debug, Clone, Default)]
pub struct ProfileChange {
    /// `name`.
    pub name: Option<String>,
    /// `given_name`.
    pub given_name: Option<String>,
    /// `family_name`.
    pub family_name: Option<String>,
    /// Claims by name (OIDC Core §5.1), each one of `[account] editable_claims`; an empty
    /// value removes the claim. Claims not named here are left as they are.
    pub claims: Vec<(String, String)>,
}

impl Provider {
    /// The operations a user makes on their own account, recorded as theirs.
    pub fn as_user(&self, user: &User, ip: Option<String>) -> Admin<'_> {
        Admin::new(self.store(), self.clock())
            .acting_as(Actor { id: format!("user:{}", user.id), ip })
    }

    /// Changes the user's names; every problem reported at once.
    pub async fn update_own_profile(
        &self,
        user: &User,
        change: ProfileChange,
    ) -> Result<User, AdminError> {
        let clean = |v: Option<String>| v.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        let mut updated = User {
            name: clean(change.name),
            given_name: clean(change.given_name),
            family_name: clean(change.family_name),
            ..user.clone()
        };
        let mut problems = self.apply_editable_claims(&mut updated, change.claims);
        for (what, value) in [
            ("name", &updated.name),
            ("given name", &updated.given_name),
            ("family name", &updated.family_name),
        ] {
            let value = value.as_deref().unwrap_or_default();
            problems.extend(crate::text::too_long(what, value, crate::text::MAX_NAME));
        }
        crate::admin::check(problems)?;
        updated.updated_at = self.now();
        self.store().update_user(&updated).await?;
        let changed: std::collections::BTreeSet<&String> = updated
            .claims
            .keys()
            .chain(user.claims.keys())
            .filter(|k| updated.claims.get(*k) != user.claims.get(*k))
            .collect();
        self.audit_self(&updated, "user.update_self", json!({ "claims": changed })).await?;
        Ok(updated)
    }

    /// Sets or removes (empty) each claim of `claims` on `user`, returning the problems: a
    /// claim the operator does not let users edit, or a value of the wrong form. A changed
    /// `phone_number` is no longer verified.
    fn apply_editable_claims(&self, user: &mut User, claims: Vec<(String, String)>) -> Vec<String> {
        let editable = &self.settings().editable_claims;
        let mut problems = Vec::new();
        let mut set = serde_json::Map::new();
        for (name, value) in claims {
            let value = value.trim().to_owned();
            if !editable.contains(&name) {
                problems.push(format!("'{name}' cannot be changed here"));
            } else if value.is_empty() {
                user.claims.remove(&name);
            } else {
                set.insert(name, serde_json::Value::String(value));
            }
        }
        problems.extend(crate::user::validate_claims(&set));
        let phone = user.claims.get("phone_number").cloned();
        user.claims.extend(set);
        if user.claims.get("phone_number") != phone.as_ref() {
            user.claims.remove("phone_number_verified");
        }
        problems
    }

    /// Changes the user's password: the current one must be right and the new one follow the
    /// policy (problems are returned, nothing changed). Then every session but `keep_sid` ends,
    /// every grant is revoked, and a message tells the user.
    pub async fn change_own_password(
        &self,
        user: &User,
        current: Secret,
        new: Secret,
        keep_sid: Option<&str>,
    ) -> Result<Result<(), Vec<String>>, OAuthError> {
        let policy = self.settings().passwords;
        let mut problems: Vec<String> = policy
            .problems(&new, &[&user.username, &user.email])
            .into_iter()
            .map(|p| format!("new password: {p}"))
            .collect();
        let right = self.password_is(user, current).await?;
        if !right {
            problems.insert(0, "current password: this is not your current password".to_owned());
        }
        if !problems.is_empty() {
            return Ok(Err(problems));
        }
        let mut changed = user.clone();
        changed.password_hash = Some(self.hash_new_password(new).await?);
        changed.updated_at = self.now();
        self.store().update_user(&changed).await?;
        let mut ended = 0;
        for session in self.store().sessions_for_user(&user.id).await? {
            if Some(session.sid.as_str()) != keep_sid {
                crate::logout::close_session(self.store(), &session.sid, self.now()).await?;
                ended += 1;
            }
        }
        let grants = self.store().revoke_user_grants(&user.id, None, self.now()).await?;
        let details = json!({ "sessions_ended": ended, "grants_revoked": grants });
        self.audit_self(&changed, "user.password_change", details).await?;
        let key = format!("password_changed:{}:{}", user.id, crate::secret::random_id());
        let mail = self.mail_to(&changed, "password_changed", key, minijinja::context! {});
        self.queue_mail(&mail.map_err(OAuthError::Server)?).await?;
        Ok(Ok(()))
    }
}

/// A confirmation link's pending address change (the token's data).
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub(crate) struct EmailChange {
    pub(crate) new_email: String,
}

impl Provider {
    /// Starts changing the user's address (the current password required): a link goes to the
    /// new address, and the change takes effect only when it is used. An address another
    /// account has gets no message, and the answer is the same.
    pub async fn request_email_change(
        &self,
        user: &User,
        password: Secret,
        new_email: &str,
    ) -> Result<Result<(), Vec<String>>, OAuthError> {
        let new_email = new_email.trim();
        let mut problems = Vec::new();
        if let Err(e) = crate::user::validate_email(new_email) {
            problems.push(format!("new address: {e}"));
        } else if new_email.eq_ignore_ascii_case(&user.email) {
            problems.push("new address: this is your address already".to_owned());
        }
        if !self.password_is(user, password).await? {
            problems.push("current password: this is not your current password".to_owned());
        }
        if !problems.is_empty() {
            return Ok(Err(problems));
        }
        if self.store().find_user(new_email).await?.is_some() {
            return Ok(Ok(()));
        }
        let data = serde_json::to_string(&EmailChange { new_email: new_email.to_owned() })
            .map_err(|e| OAuthError::Server(e.into()))?;
        let recipient = User { email: new_email.to_owned(), ..user.clone() };
        let ttl = self.settings().signup.confirm_ttl;
        let extra = minijinja::context! { hours => ttl / 3600, new_email => new_email };
        self.send_token_link(
            &recipient,
            super::purpose::CHANGE_EMAIL,
            ttl,
            "/verify",
            extra,
            Some(data),
        )
        .await
        .map_err(OAuthError::Server)?;
        Ok(Ok(()))
    }

    /// Whether `password` is the user's (on the hashing threads).
    pub(crate) async fn password_is(
        &self,
        user: &User,
        password: Secret,
    ) -> Result<bool, OAuthError> {
        let Some(phc) = user.password_hash.clone() else { return Ok(false) };
        let policy = self.settings().passwords;
        self.hash_pool()
            .run(move || policy.verify(&password, &phc))
            .await
            .map_err(OAuthError::Server)
    }

    /// Unlinks an upstream sign-in from the user's account, while another way to sign in
    /// remains (a password or another linked sign-in).
    pub async fn unlink_own_identity(
        &self,
        user: &User,
        provider_id: &str,
        subject: &str,
        ip: Option<String>,
    ) -> Result<(), AdminError> {
        let links = self.store().linked_identities(&user.id).await?;
        if user.password_hash.is_none() && links.len() <= 1 {
            return Err(AdminError::Invalid(vec![
                "This is your only way to sign in: set a password or link another first.".into(),
            ]));
        }
        self.as_user(user, ip).unlink_identity(&user.id, provider_id, subject).await
    }

    /// Deletes the user's own account, where the operator allows it (`[account]
    /// allow_delete`), with the current password: sessions end, grants are revoked, consents
    /// and the account are deleted (the last administrator cannot).
    pub async fn delete_own_account(
        &self,
        user: &User,
        password: Secret,
        ip: Option<String>,
    ) -> Result<(), AdminError> {
        if !self.settings().allow_account_delete {
            return Err(AdminError::Invalid(vec![
                "Ask an administrator to delete your account.".into(),
            ]));
        }
        if !self.password_is(user, password).await? {
            return Err(AdminError::Invalid(vec![
                "current password: this is not your current password".into(),
            ]));
        }
        self.as_user(user, ip).delete_user(&user.id).await
    }
}
