//! Self-service sign-up (OpenID Connect Initiating User Registration 1.0, `prompt=create`).
//!
//! The form takes an email address, a name and a password. Nothing is created yet: the sign-up
//! waits, with its password already hashed, behind a single-use link mailed to the address
//! (24 hours by default). Using the link creates the account, with the address verified. When
//! the address already has an account, its owner gets a message saying so instead, and the
//! person signing up sees the same page either way: sign-up tells nobody whether an address is
//! registered. Sign-ups are throttled per address and per client address.

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::purpose;
use crate::secret::{Secret, SecretHash, random_id};
use crate::settings::SignupMode;
use crate::store::{Consumed, StoreError};
use crate::{OAuthError, Provider, User};

/// What a person typed on the sign-up page.
#[derive(Debug, Clone)]
pub struct SignUpForm {
    /// Their email address.
    pub email: String,
    /// Their name (optional).
    pub name: Option<String>,
    /// The password they chose.
    pub password: Secret,
}

/// Where the sign-up started, to continue there once the link is used.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignUpOrigin {
    /// The pending authorization request (`req`), if an application sent the person.
    pub request_id: Option<String>,
    /// The hash of the browser's binding cookie: only that browser is signed in by the link.
    pub browser_hash: Option<String>,
    /// The client address.
    pub ip: Option<String>,
}

/// What waits behind the link.
#[derive(Debug, Serialize, Deserialize)]
struct Pending {
    name: Option<String>,
    password_hash: String,
    origin: SignUpOrigin,
}

/// What using a confirmation link did.
#[derive(Debug)]
pub enum Confirmed {
    /// The account was created; continue where the sign-up started.
    Created(Box<User>, SignUpOrigin),
    /// The address got an account meanwhile (another sign-up, an administrator).
    AddressTaken,
    /// The link is unknown, used or expired.
    InvalidLink,
}

impl Provider {
    /// Problems with the form that may be shown (they say nothing about who is registered).
    pub fn sign_up_problems(&self, form: &SignUpForm) -> Vec<String> {
        let settings = &self.settings().signup;
        let email = form.email.trim();
        let mut problems = Vec::new();
        if let Err(e) = crate::user::validate_email(email) {
            problems.push(format!("email: {e}"));
        } else if settings.mode == SignupMode::Domain {
            let domain = email.rsplit('@').next().unwrap_or("").to_lowercase();
            if !settings.domains.contains(&domain) {
                problems.push(format!(
                    "email: only addresses at {} can sign up here",
                    settings.domains.join(", ")
                ));
            }
        }
        problems.extend(self.password_and_name_problems(form));
        problems
    }

    /// The name's length and the password policy (NIST SP 800-63B rules, not the address).
    pub(super) fn password_and_name_problems(&self, form: &SignUpForm) -> Vec<String> {
        let email = form.email.trim();
        let mut problems = Vec::new();
        if let Some(name) = &form.name {
            problems.extend(crate::text::too_long("name", name, crate::text::MAX_NAME));
        }
        let policy = self.settings().passwords;
        let local = email.split('@').next().unwrap_or("");
        let password = policy.problems(&form.password, &[email, local]);
        problems.extend(password.into_iter().map(|p| format!("password: {p}")));
        problems
    }

    /// Starts a sign-up: queues the confirmation link, or for a registered address a message
    /// to its owner. The caller shows the same page whatever happened; call it after checking
    /// [`Provider::sign_up_problems`]. Returns whether a message was queued.
    pub async fn start_sign_up(
        &self,
        form: SignUpForm,
        origin: SignUpOrigin,
    ) -> Result<bool, OAuthError> {
        if !self.settings().signup.enabled() || !self.sign_up_problems(&form).is_empty() {
            return Ok(false);
        }
        let email = form.email.trim().to_owned();
        let mut keys = vec![format!("signup:{}", email.to_lowercase())];
        keys.extend(origin.ip.as_ref().map(|ip| format!("signup-ip:{ip}")));
        for key in keys {
            if self.over_limit(&key, self.settings().signup.max_per_address).await? {
                return Ok(false);
            }
        }
        if let Some(owner) = self.store().find_user(&email).await? {
            let key = format!("signup_exists:{}:{}", owner.id, random_id());
            let mail = self.mail_to(&owner, "signup_exists", key, minijinja::context! {});
            self.queue_mail(&mail.map_err(OAuthError::Server)?).await?;
            return Ok(true);
        }
        let password_hash = self.hash_new_password(form.password).await?;
        let name = form.name.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty());
        let pending = Pending { name: name.clone(), password_hash, origin };
        let data = serde_json::to_string(&pending).map_err(|e| OAuthError::Server(e.into()))?;
        let future = self.provisional_user(&email, name);
        let ttl = self.settings().signup.confirm_ttl;
        let extra = minijinja::context! { hours => ttl / 3600 };
        self.send_token_link(&future, purpose::SIGNUP, ttl, "/signup/confirm", extra, Some(data))
            .await
            .map_err(OAuthError::Server)?;
        Ok(true)
    }

    /// The account a sign-up will create (not stored), for the message's templates.
    pub(super) fn provisional_user(&self, email: &str, name: Option<String>) -> User {
        let now = self.now();
        User {
            id: random_id(),
            username: crate::user::username_from(email, "user"),
            email: email.to_owned(),
            email_verified: false,
            name,
            given_name: None,
            family_name: None,
            password_hash: None,
            disabled: false,
            require_mfa: false,
            roles: Vec::new(),
            claims: serde_json::Map::new(),
            created_at: now,
            updated_at: now,
        }
    }

    /// Whether a confirmation link still works (shown before it is used: mail scanners open
    /// links, so only the form's POST uses it).
    pub async fn sign_up_link_works(&self, token: &str) -> Result<bool, OAuthError> {
        let found = self.store().find_account_token(&SecretHash::of(token)).await?;
        Ok(found.is_some_and(|t| t.purpose == purpose::SIGNUP && t.expires_at > self.now()))
    }

    /// Uses a confirmation link: creates the account (address verified) with a free username
    /// made from the address.
    pub async fn confirm_sign_up(&self, token: &str) -> Result<Confirmed, OAuthError> {
        if !self.sign_up_link_works(token).await? {
            return Ok(Confirmed::InvalidLink);
        }
        let Consumed::Fresh(used) =
            self.store().consume_account_token(&SecretHash::of(token), self.now()).await?
        else {
            return Ok(Confirmed::InvalidLink);
        };
        let pending: Pending =
            serde_json::from_str(used.data.as_deref().unwrap_or("{}")).map_err(|e| {
                OAuthError::Server(anyhow::anyhow!("a pending sign-up is unreadable: {e}"))
            })?;
        if self.store().find_user(&used.email).await?.is_some() {
            return Ok(Confirmed::AddressTaken);
        }
        let mut user = self.provisional_user(&used.email, pending.name);
        user.id = used.user_id;
        user.email_verified = true;
        user.password_hash = Some(pending.password_hash);
        // The language the new user confirms in becomes their `locale` (OIDC Core §5.1), which
        // their later emails speak.
        if let Some(tag) = self.catalogs().requested_language() {
            user.claims.insert("locale".to_owned(), tag.into());
        }
        match self.create_account(user, false).await? {
            Some(user) => Ok(Confirmed::Created(Box::new(user), pending.origin)),
            None => Ok(Confirmed::AddressTaken),
        }
    }

    /// Stores a new account with the first free username among its own and suffixed ones, and
    /// records it; `None` when its address got an account meanwhile.
    pub(super) async fn create_account(
        &self,
        mut user: User,
        invited: bool,
    ) -> Result<Option<User>, OAuthError> {
        let base = user.username.clone();
        for attempt in 0..5 {
            if attempt > 0 {
                user.username = format!("{base}-{}", &random_id()[..6]);
            }
            match self.store().insert_user(&user).await {
                Ok(()) => {
                    let details = json!({ "username": user.username, "invited": invited });
                    self.audit_self(&user, "user.signup", details).await?;
                    return Ok(Some(user));
                }
                Err(StoreError::Conflict(_))
                    if self.store().find_user(&user.email).await?.is_some() =>
                {
                    return Ok(None);
                }
                Err(StoreError::Conflict(_)) => continue,
                Err(e) => return Err(e.into()),
            }
        }
        Err(OAuthError::Server(anyhow::anyhow!("no free username for a new account")))
    }
}
