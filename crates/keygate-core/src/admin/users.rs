//! User accounts: profile, password, roles and claims, sessions and consents.

use serde_json::{Map, Value, json};

use super::{Admin, AdminError, check};
use crate::password_policy::PasswordPolicy;
use crate::secret::{Secret, random_id};
use crate::store::{Consent, Session, UserQuery};
use crate::user::{User, validate_claims, validate_email, validate_username};

/// A new user account.
#[derive(Debug, Default)]
pub struct NewUser {
    /// Login name.
    pub username: String,
    /// Email address.
    pub email: String,
    /// Whether the email is verified.
    pub email_verified: bool,
    /// Full name.
    pub name: Option<String>,
    /// Given name.
    pub given_name: Option<String>,
    /// Family name.
    pub family_name: Option<String>,
    /// Roles.
    pub roles: Vec<String>,
    /// Further standard claims.
    pub claims: Map<String, Value>,
}

/// The settable fields of a user: `None` keeps the current value.
#[derive(Debug, Default, Clone)]
pub struct UserSpec {
    /// Login name.
    pub username: Option<String>,
    /// Email.
    pub email: Option<String>,
    /// Email verified.
    pub email_verified: Option<bool>,
    /// Full name (`Some(None)` clears it).
    pub name: Option<Option<String>>,
    /// Given name.
    pub given_name: Option<Option<String>>,
    /// Family name.
    pub family_name: Option<Option<String>>,
    /// Disabled.
    pub disabled: Option<bool>,
    /// Roles.
    pub roles: Option<Vec<String>>,
    /// Further standard claims, replaced as a whole.
    pub claims: Option<Map<String, Value>>,
    /// Require a second factor of this user (they add one at their next sign-in).
    pub require_mfa: Option<bool>,
}

fn target(user_id: &str) -> String {
    format!("user:{user_id}")
}

fn user_problems(user: &User) -> Vec<String> {
    let mut problems = Vec::new();
    problems.extend(validate_username(&user.username).err());
    problems.extend(validate_email(&user.email).err());
    problems.extend(validate_claims(&user.claims));
    let names = [
        ("name", &user.name),
        ("given name", &user.given_name),
        ("family name", &user.family_name),
    ];
    for (what, value) in names {
        let value = value.as_deref().unwrap_or_default();
        problems.extend(crate::text::too_long(what, value, crate::text::MAX_NAME));
    }
    for role in &user.roles {
        if role.is_empty() || role.len() > 64 || !role.bytes().all(|b| b.is_ascii_graphic()) {
            problems.push(format!("role '{role}' must be 1 to 64 visible ASCII characters"));
        }
    }
    problems
}

impl Admin<'_> {
    /// Creates a user with a password (hashed with Argon2id).
    pub async fn create_user(
        &self,
        new: NewUser,
        password: &Secret,
        policy: &PasswordPolicy,
    ) -> Result<User, AdminError> {
        let now = self.now();
        let mut user = User {
            id: random_id(),
            username: new.username,
            email: new.email,
            email_verified: new.email_verified,
            name: new.name,
            given_name: new.given_name,
            family_name: new.family_name,
            password_hash: None,
            disabled: false,
            require_mfa: false,
            roles: new.roles,
            claims: new.claims,
            created_at: now,
            updated_at: now,
        };
        let mut problems = user_problems(&user);
        problems.extend(policy.problems(password, &[&user.username, &user.email]));
        check(problems)?;
        user.password_hash = Some(policy.hash(password).map_err(anyhow::Error::msg)?);
        self.store.insert_user(&user).await?;
        self.record("user.create", &target(&user.id), json!({ "username": user.username })).await?;
        Ok(user)
    }

    /// One user, by id, username or email.
    pub async fn user(&self, id_or_login: &str) -> Result<User, AdminError> {
        self.store
            .find_user(id_or_login)
            .await?
            .ok_or_else(|| AdminError::NotFound(format!("user '{id_or_login}'")))
    }

    /// The usernames of the users with these ids (repeats allowed), by id; ids of no user are
    /// left out.
    pub async fn usernames<'i>(
        &self,
        ids: impl IntoIterator<Item = &'i str>,
    ) -> Result<std::collections::BTreeMap<String, String>, AdminError> {
        let ids = super::distinct(ids);
        Ok(self.store.usernames(&ids).await?.into_iter().collect())
    }

    /// Every user.
    pub async fn users(&self) -> Result<Vec<User>, AdminError> {
        Ok(self.store.list_users().await?)
    }

    /// A page of users matching `query`.
    pub async fn search_users(&self, query: &UserQuery) -> Result<Vec<User>, AdminError> {
        Ok(self.store.search_users(query).await?)
    }

    /// Changes the given fields of a user.
    pub async fn update_user(&self, id_or_login: &str, spec: UserSpec) -> Result<User, AdminError> {
        let before = self.user(id_or_login).await?;
        let mut user = before.clone();
        let UserSpec {
            username,
            email,
            email_verified,
            name,
            given_name,
            family_name,
            disabled,
            roles,
            claims,
            require_mfa,
        } = spec;
        macro_rules! set {
            ($($field:ident),*) => {$( if let Some(v) = $field { user.$field = v; } )*};
        }
        set!(
            username,
            email,
            email_verified,
            name,
            given_name,
            family_name,
            disabled,
            roles,
            claims,
            require_mfa
        );
        let mut problems = user_problems(&user);
        problems.extend(self.lockout_problems(&before, Some(&user)).await?);
        check(problems)?;
        let user = self.save_user(user).await?;
        self.record("user.update", &target(&user.id), json!({ "username": user.username })).await?;
        Ok(user)
    }

    /// Sets a user's password and ends their access: every SSO session is closed and every
    /// grant revoked (with its refresh and access tokens), since whoever knew the old password
    /// may be signed in (RFC 9700 §4.14.2: refresh tokens are revoked on password change).
    pub async fn set_password(
        &self,
        id_or_login: &str,
        password: &Secret,
        policy: &PasswordPolicy,
    ) -> Result<User, AdminError> {
        let mut user = self.user(id_or_login).await?;
        check(policy.problems(password, &[&user.username, &user.email]))?;
        user.password_hash = Some(policy.hash(password).map_err(anyhow::Error::msg)?);
        let user = self.save_user(user).await?;
        let (sessions, grants) =
            crate::account::end_access(self.store, &user.id, self.now()).await?;
        let details = json!({ "sessions_ended": sessions, "grants_revoked": grants });
        self.record("user.set_password", &target(&user.id), details).await?;
        Ok(user)
    }

    /// Disables or re-enables a user. Disabling also revokes every grant the user made.
    pub async fn set_disabled(
        &self,
        id_or_login: &str,
        disabled: bool,
    ) -> Result<User, AdminError> {
        let before = self.user(id_or_login).await?;
        let user = User { disabled, ..before.clone() };
        check(self.lockout_problems(&before, Some(&user)).await?)?;
        let user = self.save_user(user).await?;
        if disabled {
            self.store.revoke_user_grants(&user.id, None, self.now()).await?;
        }
        let action = if disabled { "user.disable" } else { "user.enable" };
        self.record(action, &target(&user.id), json!({})).await?;
        Ok(user)
    }

    async fn save_user(&self, mut user: User) -> Result<User, AdminError> {
        user.updated_at = self.now();
        match self.store.update_user(&user).await? {
            true => Ok(user),
            false => Err(AdminError::NotFound(format!("user '{}'", user.id))),
        }
    }

    /// Deletes a user, ending their sessions and revoking their grants first.
    pub async fn delete_user(&self, id_or_login: &str) -> Result<(), AdminError> {
        let user = self.user(id_or_login).await?;
        check(self.lockout_problems(&user, None).await?)?;
        crate::account::end_access(self.store, &user.id, self.now()).await?;
        for consent in self.store.consents_for_user(&user.id).await? {
            self.store.delete_consent(&user.id, &consent.client_id).await?;
        }
        if !self.store.delete_user(&user.id).await? {
            return Err(AdminError::NotFound(format!("user '{id_or_login}'")));
        }
        self.record("user.delete", &target(&user.id), json!({ "username": user.username })).await
    }

    /// A user's SSO sessions.
    pub async fn user_sessions(&self, user_id: &str) -> Result<Vec<Session>, AdminError> {
        Ok(self.store.sessions_for_user(user_id).await?)
    }

    /// Ends one of a user's sessions without notifying clients (the server's end-session path
    /// also sends back-channel logout tokens).
    pub async fn end_session(&self, user_id: &str, sid: &str) -> Result<(), AdminError> {
        let session = self.user_session(user_id, sid).await?;
        crate::logout::close_session(self.store, &session.sid, self.now()).await?;
        self.record_session_end(user_id, sid).await
    }

    /// One of a user's sessions.
    pub async fn user_session(&self, user_id: &str, sid: &str) -> Result<Session, AdminError> {
        let sessions = self.store.sessions_for_user(user_id).await?;
        sessions
            .into_iter()
            .find(|s| s.sid == sid)
            .ok_or_else(|| AdminError::NotFound(format!("session '{sid}'")))
    }

    /// Records that an administrator ended one of a user's sessions.
    pub async fn record_session_end(&self, user_id: &str, sid: &str) -> Result<(), AdminError> {
        self.record("user.end_session", &target(user_id), json!({ "sid": sid })).await
    }

    /// A user's remembered consents.
    pub async fn user_consents(&self, user_id: &str) -> Result<Vec<Consent>, AdminError> {
        Ok(self.store.consents_for_user(user_id).await?)
    }

    /// Withdraws a consent: the client must ask again, and every grant the user made to it is
    /// revoked (with its refresh and access tokens).
    pub async fn revoke_consent(&self, user_id: &str, client_id: &str) -> Result<(), AdminError> {
        let had_consent = self.store.delete_consent(user_id, client_id).await?;
        let revoked = self.store.revoke_user_grants(user_id, Some(client_id), self.now()).await?;
        if !had_consent && revoked == 0 {
            return Err(AdminError::NotFound(format!(
                "consent of user '{user_id}' for client '{client_id}'"
            )));
        }
        let details = json!({ "client_id": client_id, "grants_revoked": revoked });
        self.record("user.revoke_consent", &target(user_id), details).await
    }
}

/// The first administrator, made by `keygate bootstrap` or the first `keygate serve`.
#[derive(Debug)]
pub struct Bootstrapped {
    /// The new admin user.
    pub user: User,
    /// Their password: generated unless one was given; shown once.
    pub password: Secret,
}

impl Admin<'_> {
    /// Creates an administrator if no user holds the admin role yet; `None` if one does.
    pub async fn bootstrap(
        &self,
        username: &str,
        email: &str,
        password: Option<Secret>,
        policy: &PasswordPolicy,
    ) -> Result<Option<Bootstrapped>, AdminError> {
        let users = self.store.list_users().await?;
        if users.iter().any(|u| u.has_role(crate::user::ADMIN_ROLE)) {
            return Ok(None);
        }
        let password = password.unwrap_or_else(|| Secret::generate(12));
        let new = NewUser {
            username: username.to_owned(),
            email: email.to_owned(),
            email_verified: true,
            name: Some("Administrator".to_owned()),
            roles: vec![crate::user::ADMIN_ROLE.to_owned()],
            ..NewUser::default()
        };
        let user = self.create_user(new, &password, policy).await?;
        Ok(Some(Bootstrapped { user, password }))
    }
}
