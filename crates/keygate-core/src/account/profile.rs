//! What users change on their own account page: their name, their password (the current one
//! required; every other session ends and every grant is revoked, RFC 9700 §4.14.2), their
//! other sessions, and the applications they gave access to. Each change is in the audit log
//! with the user as actor.

use serde_json::json;

use crate::admin::{Actor, Admin, AdminError};
use crate::secret::Secret;
use crate::{OAuthError, Provider, User};

/// The names a user may edit.
#[derive(Debug, Clone, Default)]
pub struct ProfileChange {
    /// `name`.
    pub name: Option<String>,
    /// `given_name`.
    pub given_name: Option<String>,
    /// `family_name`.
    pub family_name: Option<String>,
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
        let mut problems = Vec::new();
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
        self.audit_self(&updated, "user.update_self", json!({})).await?;
        Ok(updated)
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
        let right = match user.password_hash.clone() {
            Some(phc) => {
                let check = self.hash_pool().run(move || policy.verify(&current, &phc)).await;
                check.map_err(OAuthError::Server)?
            }
            None => false,
        };
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
