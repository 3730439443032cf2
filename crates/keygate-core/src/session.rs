//! SSO sessions: a 256-bit random cookie value, stored as its SHA-256.

use crate::secret::{Secret, SecretHash, random_id};
use crate::store::Session;
use crate::{OAuthError, Provider, User};

/// RFC 8176 `amr` value for a password.
pub const AMR_PASSWORD: &str = "pwd";

impl Provider {
    /// The live session for a cookie value, with its user; `None` if the session is unknown,
    /// expired, or its user is gone or disabled.
    pub async fn current_session(
        &self,
        cookie: Option<&str>,
    ) -> Result<Option<(Session, User)>, OAuthError> {
        let Some(cookie) = cookie.filter(|c| !c.is_empty()) else { return Ok(None) };
        let Some(session) = self.store().find_session(&SecretHash::of(cookie)).await? else {
            return Ok(None);
        };
        if session.expires_at <= self.now() {
            return Ok(None);
        }
        match self.store().find_user(&session.user_id).await? {
            Some(user) if !user.disabled && user.id == session.user_id => Ok(Some((session, user))),
            _ => Ok(None),
        }
    }

    /// Records that the user of `session` just proved `more` methods (a step-up, OIDC Core
    /// §3.1.2.1): `auth_time` moves to now and the methods join the session's `amr`.
    pub async fn step_up_session(
        &self,
        mut session: Session,
        more: &[&str],
    ) -> Result<Session, OAuthError> {
        for method in more {
            if !session.amr.iter().any(|m| m == method) {
                session.amr.push((*method).to_owned());
            }
        }
        session.auth_time = self.now();
        self.store().reauthenticate_session(&session.sid, session.auth_time, &session.amr).await?;
        Ok(session)
    }

    /// Starts a session for `user`; returns the cookie value (shown to the browser only).
    pub async fn start_session(
        &self,
        user: &User,
        amr: &[&str],
    ) -> Result<(Secret, Session), OAuthError> {
        self.start_session_via(user, amr, None).await
    }

    /// Starts a session for `user` who signed in through upstream `idp` (if any).
    pub async fn start_session_via(
        &self,
        user: &User,
        amr: &[&str],
        idp: Option<&str>,
    ) -> Result<(Secret, Session), OAuthError> {
        let cookie = Secret::generate(32);
        let now = self.now();
        let session = Session {
            sid: random_id(),
            user_id: user.id.clone(),
            auth_time: now,
            amr: amr.iter().map(|s| (*s).to_owned()).collect(),
            created_at: now,
            expires_at: now + self.settings().session_ttl,
            idp: idp.map(str::to_owned),
        };
        self.store().insert_session(&SecretHash::of(cookie.expose_secret()), &session).await?;
        Ok((cookie, session))
    }
}
