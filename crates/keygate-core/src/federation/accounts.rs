//! Which Keygate user an upstream identity is. A linked identity `(provider, sub)` names its
//! user. Otherwise an account with the same email is linked only when the upstream asserts
//! `email_verified` and the operator allowed it for that upstream; in every other case the user
//! proves the account with its password first (no account takeover through an email the
//! upstream did not verify). With no such account, a user is created (just-in-time
//! provisioning) unless the operator turned that off.

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::flow::KIND_LINK;
use super::{FederationError, UpstreamIdentity, UpstreamProvider};
use crate::secret::{Secret, random_id, random_string};
use crate::store::{AuditEvent, LinkedIdentity, StoreError};
use crate::{Provider, User};

/// The account an upstream sign-in resolves to.
#[derive(Debug)]
pub enum AccountOutcome {
    /// Signed in as this user (found, linked, or just created).
    SignedIn(Box<User>),
    /// The user must sign in with a Keygate password to link the identity first.
    NeedsLink(LinkTicket),
    /// No account may be used; the text says why, for the error page.
    Refused(&'static str),
}

/// A one-time ticket, carried by the login form, that links an upstream identity to whoever
/// signs in with a password in the same authorization request.
#[derive(Debug)]
pub struct LinkTicket {
    /// The ticket (stored by hash).
    pub token: Secret,
    /// Why linking is needed: an account with the identity's email exists.
    pub email_taken: bool,
}

/// What linking an upstream identity from the account page did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OwnLink {
    /// The identity is now the user's.
    Linked,
    /// It was the user's already.
    AlreadyLinked,
    /// Another account has it: nothing changed.
    TakenByAnother,
}

#[derive(Debug, Serialize, Deserialize)]
struct LinkState {
    request_id: String,
    identity: UpstreamIdentity,
}

impl Provider {
    /// Resolves `identity` (from `upstream`) for the pending request `request_id`.
    pub async fn resolve_upstream_account(
        &self,
        upstream: &UpstreamProvider,
        identity: &UpstreamIdentity,
        request_id: &str,
    ) -> Result<AccountOutcome, FederationError> {
        let store = self.store();
        if let Some(link) = store.find_linked_identity(&upstream.id, &identity.subject).await? {
            return Ok(match store.find_user(&link.user_id).await? {
                Some(user) if user.id == link.user_id && !user.disabled => {
                    AccountOutcome::SignedIn(Box::new(user))
                }
                _ => AccountOutcome::Refused("This account is disabled."),
            });
        }
        let existing = match identity.email.as_deref() {
            Some(email) => {
                store.find_user(email).await?.filter(|u| u.email.eq_ignore_ascii_case(email))
            }
            None => None,
        };
        match existing {
            Some(user) if identity.email_verified && upstream.link_verified_email => {
                if user.disabled {
                    return Ok(AccountOutcome::Refused("This account is disabled."));
                }
                self.link_identity(identity, &user, "email").await?;
                Ok(AccountOutcome::SignedIn(Box::new(user)))
            }
            Some(_) => {
                Ok(AccountOutcome::NeedsLink(self.link_ticket(identity, request_id, true).await?))
            }
            None if upstream.jit_provisioning => self.provision(upstream, identity).await,
            None => {
                Ok(AccountOutcome::NeedsLink(self.link_ticket(identity, request_id, false).await?))
            }
        }
    }

    async fn link_ticket(
        &self,
        identity: &UpstreamIdentity,
        request_id: &str,
        email_taken: bool,
    ) -> Result<LinkTicket, FederationError> {
        let token = random_string(32);
        let data = LinkState { request_id: request_id.to_owned(), identity: identity.clone() };
        self.put_state(&token, KIND_LINK, &data).await?;
        Ok(LinkTicket { token: Secret::new(token), email_taken })
    }

    /// After a password sign-in in request `request_id` that carried link ticket `token`: links
    /// the ticket's identity to `user`. Returns the upstream id when it linked.
    pub async fn redeem_link_ticket(
        &self,
        token: &str,
        request_id: &str,
        user: &User,
    ) -> Result<Option<String>, FederationError> {
        let Some(data) = self.take_state::<LinkState>(token, KIND_LINK).await? else {
            return Ok(None);
        };
        if data.request_id != request_id {
            return Ok(None);
        }
        self.link_identity(&data.identity, user, "password").await?;
        Ok(Some(data.identity.provider_id))
    }

    /// Links `identity`, just signed in at its upstream, to `user`, who asked for it on their
    /// account page (signed in there, so both accounts are proven). An identity can name one
    /// account only: one another account has stays with it.
    pub async fn link_own_identity(
        &self,
        user: &User,
        identity: &UpstreamIdentity,
        ip: Option<String>,
    ) -> Result<OwnLink, FederationError> {
        let store = self.store();
        if let Some(link) =
            store.find_linked_identity(&identity.provider_id, &identity.subject).await?
        {
            return Ok(if link.user_id == user.id {
                OwnLink::AlreadyLinked
            } else {
                OwnLink::TakenByAnother
            });
        }
        // Linked meanwhile, to whichever account came first.
        if !self.insert_link(identity, user).await? {
            return Ok(OwnLink::TakenByAnother);
        }
        let details = json!({ "provider": identity.provider_id, "proof": "account page" });
        self.as_user(user, ip)
            .record("identity.link", &format!("user:{}", user.id), details)
            .await
            .map_err(|e| FederationError::Server(anyhow::anyhow!(e)))?;
        Ok(OwnLink::Linked)
    }

    async fn link_identity(
        &self,
        identity: &UpstreamIdentity,
        user: &User,
        proof: &str,
    ) -> Result<(), FederationError> {
        // Linked meanwhile (a second tab): the first link stands.
        if !self.insert_link(identity, user).await? {
            return Ok(());
        }
        let details = json!({ "provider": identity.provider_id, "proof": proof });
        self.audit_federation("identity.link", &user.id, &identity.provider_id, details).await
    }

    /// Stores the link of `identity` to `user`; `false` when the identity was linked already.
    async fn insert_link(
        &self,
        identity: &UpstreamIdentity,
        user: &User,
    ) -> Result<bool, FederationError> {
        let link = LinkedIdentity {
            provider_id: identity.provider_id.clone(),
            subject: identity.subject.clone(),
            user_id: user.id.clone(),
            email: identity.email.clone(),
            created_at: self.now(),
        };
        match self.store().insert_linked_identity(&link).await {
            Ok(()) => Ok(true),
            Err(StoreError::Conflict(_)) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    /// Just-in-time provisioning: a user without a password, from the mapped claims.
    async fn provision(
        &self,
        upstream: &UpstreamProvider,
        identity: &UpstreamIdentity,
    ) -> Result<AccountOutcome, FederationError> {
        let Some(email) = identity.email.clone().filter(|e| crate::user::validate_email(e).is_ok())
        else {
            return Ok(AccountOutcome::Refused(
                "The provider did not share an email address, which a new account needs.",
            ));
        };
        let now = self.now();
        let mut claims = serde_json::Map::new();
        if let Some(picture) = &identity.picture {
            claims.insert("picture".into(), json!(picture));
        }
        let mut user = User {
            id: random_id(),
            username: String::new(),
            email,
            email_verified: identity.email_verified,
            name: identity.name.clone(),
            given_name: identity.given_name.clone(),
            family_name: identity.family_name.clone(),
            password_hash: None,
            disabled: false,
            require_mfa: false,
            roles: Vec::new(),
            claims,
            created_at: now,
            updated_at: now,
        };
        let base = username_base(identity);
        for attempt in 0..5 {
            user.username =
                if attempt == 0 { base.clone() } else { format!("{base}-{}", &random_id()[..6]) };
            match self.store().insert_user(&user).await {
                Ok(()) => {
                    self.link_identity(identity, &user, "provisioned").await?;
                    let details = json!({ "username": user.username, "provider": upstream.id });
                    self.audit_federation("user.create", &user.id, &upstream.id, details).await?;
                    return Ok(AccountOutcome::SignedIn(Box::new(user)));
                }
                // The email was taken meanwhile: link by password instead.
                Err(StoreError::Conflict(_))
                    if self.store().find_user(&user.email).await?.is_some() =>
                {
                    return Ok(AccountOutcome::Refused(
                        "An account with this email was just created. Please try again.",
                    ));
                }
                Err(StoreError::Conflict(_)) => continue,
                Err(e) => return Err(e.into()),
            }
        }
        Err(FederationError::Server(anyhow::anyhow!("no free username for a new account")))
    }

    async fn audit_federation(
        &self,
        action: &str,
        user_id: &str,
        provider_id: &str,
        details: serde_json::Value,
    ) -> Result<(), FederationError> {
        let event = AuditEvent {
            seq: 0,
            at: self.now(),
            actor: format!("upstream:{provider_id}"),
            action: action.to_owned(),
            target: format!("user:{user_id}"),
            ip: None,
            details,
        };
        self.store().append_audit(&event).await?;
        Ok(())
    }
}

/// A username from the preferred username, else the email's local part, else the provider and
/// subject; only characters a username may have (no whitespace), at most 48.
fn username_base(identity: &UpstreamIdentity) -> String {
    let from = identity
        .preferred_username
        .as_deref()
        .or(identity.email.as_deref())
        .and_then(|name| name.split('@').next())
        .map(str::to_owned)
        .unwrap_or_else(|| format!("{}-{}", identity.provider_id, identity.subject));
    // No `@` and not an id's shape (crate::user::validate_username): one identifier, one account.
    crate::user::username_from(&from, &identity.provider_id)
}
