//! OAuth 2.0 Token Exchange (RFC 8693): a client presents a token it received (the subject)
//! and gets an access token for another audience, acting as the subject (impersonation) or,
//! with its own `actor_token`, on the subject's behalf (delegation, `act`, §4.1).
//!
//! Keygate's policy: the client must be allowed the grant; the audience (`resource` and
//! `audience`) must be among the client's allowed APIs (`invalid_target`); the scope can only
//! narrow: within the subject token's scope when it has one, and within what the client may
//! have for that audience (`invalid_scope`). No refresh token is issued. Every exchange is in
//! the audit log.

use std::borrow::Cow;

use keygate_types::TokenResponse;
use serde_json::{Value, json};

use super::presented::Presented;
use crate::access_token::AccessTokenGrant;
use crate::api::Api;
use crate::params::Params;
use crate::store::AuditEvent;
use crate::{Client, OAuthError, Provider};

pub use crate::client::TOKEN_EXCHANGE_GRANT;
/// RFC 8693 §3: an OAuth 2.0 access token.
pub const ACCESS_TOKEN_TYPE: &str = "urn:ietf:params:oauth:token-type:access_token";
/// RFC 8693 §3: an OpenID Connect ID token.
pub const ID_TOKEN_TYPE: &str = "urn:ietf:params:oauth:token-type:id_token";
/// RFC 8693 §3: a JWT.
pub const JWT_TOKEN_TYPE: &str = "urn:ietf:params:oauth:token-type:jwt";

fn invalid_request(text: impl Into<Cow<'static, str>>) -> OAuthError {
    OAuthError::InvalidRequest(text.into())
}

impl Provider {
    /// RFC 8693 §2.1–§2.2: checks the request, the subject token and the actor token, then
    /// mints an access token for the subject, with `act` naming the actor (§4.1).
    pub(super) async fn token_exchange_grant(
        &self,
        client: &Client,
        params: &Params,
        jkt: Option<&str>,
    ) -> Result<TokenResponse, OAuthError> {
        let issued_type = requested_token_type(params.single("requested_token_type")?)?;
        let subject =
            self.presented_token(params, "subject_token", "subject_token_type", jkt).await?;
        let subject = subject.ok_or_else(|| invalid_request("subject_token is missing"))?;
        let actor = self.presented_token(params, "actor_token", "actor_token_type", jkt).await?;
        if let Some(actor) = &actor {
            subject.check_may_act(actor)?;
        }
        let apis = self.apis().await?;
        let aud = exchange_audience(params, &super::policy::allowed_resources(client, &apis))?;
        let scope = exchange_scope(params.single("scope")?, &subject, client, &aud, &apis)?;
        let act = delegation(actor.as_ref(), subject.act.clone());
        let grant = subject.grant.as_ref();
        let policy = self.access_token_policy(client, &aud).await?;
        let (access_token, claims) = self.mint_access_token(AccessTokenGrant {
            sub: &subject.sub,
            client_id: &client.client_id,
            aud,
            scope: &scope,
            grant_id: grant.map(|g| g.id.as_str()),
            policy,
            authorization_details: Vec::new(),
            authentication: grant.map(|g| (g.auth_time, g.amr.as_slice())),
            jkt,
            act,
        })?;
        self.audit_exchange(client, &subject, actor.as_ref(), &claims).await?;
        Ok(super::policy::access_token_only(access_token, claims, jkt, Some(issued_type)))
    }

    /// The token in `name` with its type in `type_name` (RFC 8693 §2.1: the type is required
    /// with the token and forbidden without it), checked; `None` when absent. `jkt`: the key of
    /// the request's DPoP proof, which a DPoP-bound token must be bound to.
    async fn presented_token(
        &self,
        params: &Params,
        name: &'static str,
        type_name: &'static str,
        jkt: Option<&str>,
    ) -> Result<Option<Presented>, OAuthError> {
        match (params.single(name)?, params.single(type_name)?) {
            (None, None) => Ok(None),
            (Some(_), None) => Err(invalid_request(format!("{type_name} is missing"))),
            (None, Some(_)) => Err(invalid_request(format!("{type_name} without {name}"))),
            (Some(token), Some(token_type)) => {
                let presented = self.presented(token, token_type, jkt).await?;
                let why = format!("{name} is not valid (expired, revoked, or not trusted)");
                presented.map(Some).ok_or_else(|| invalid_request(why))
            }
        }
    }

    /// Every exchange, in the audit log: who exchanged, for whom, acting as whom, for what.
    async fn audit_exchange(
        &self,
        client: &Client,
        subject: &Presented,
        actor: Option<&Presented>,
        claims: &crate::access_token::AccessTokenClaims,
    ) -> Result<(), OAuthError> {
        let event = AuditEvent {
            seq: 0,
            at: self.now(),
            actor: format!("client:{}", client.client_id),
            action: if actor.is_some() { "token.exchange.delegation" } else { "token.exchange" }
                .to_owned(),
            target: format!("subject:{}", subject.sub),
            ip: None,
            details: json!({
                "subject_issuer": subject.issuer,
                "subject_client_id": subject.client_id,
                "actor": actor.map(|a| &a.sub),
                "aud": claims.aud,
                "scope": claims.scope,
                "jti": claims.jti,
            }),
        };
        self.store().append_audit(&event).await?;
        tracing::info!(client_id = %client.client_id, jti = %claims.jti, "token exchanged");
        Ok(())
    }
}

/// RFC 8693 §2.1 `requested_token_type`: an access token (the default) or a JWT, which a
/// Keygate access token is; anything else cannot be issued.
fn requested_token_type(requested: Option<&str>) -> Result<&'static str, OAuthError> {
    match requested {
        None | Some(ACCESS_TOKEN_TYPE) => Ok(ACCESS_TOKEN_TYPE),
        Some(JWT_TOKEN_TYPE) => Ok(JWT_TOKEN_TYPE),
        Some(other) => Err(invalid_request(format!(
            "requested_token_type '{other}' cannot be issued: access_token or jwt only"
        ))),
    }
}

/// RFC 8693 §2.1: the `resource` and `audience` values, each one of the client's allowed
/// APIs (`invalid_target`, §2.2.2); the client's first one when none is named.
fn exchange_audience(params: &Params, allowed: &[String]) -> Result<Vec<String>, OAuthError> {
    let mut audience: Vec<String> = Vec::new();
    for target in params.all("resource").chain(params.all("audience")) {
        if !allowed.iter().any(|a| a == target) {
            return Err(OAuthError::InvalidTarget(Cow::Owned(format!(
                "'{target}' is not an audience this client may exchange tokens for"
            ))));
        }
        if !audience.iter().any(|a| a == target) {
            audience.push(target.to_owned());
        }
    }
    if audience.is_empty() {
        let first = allowed.first().ok_or_else(|| {
            OAuthError::InvalidTarget("this client has no API to exchange tokens for".into())
        })?;
        audience.push(first.clone());
    }
    Ok(audience)
}

/// The scope can only narrow: what the client may have for the audience (its own scopes and
/// those the APIs granted it), within the subject token's scope when it has one. Without
/// `scope`, all of that.
fn exchange_scope(
    requested: Option<&str>,
    subject: &Presented,
    client: &Client,
    aud: &[String],
    apis: &[Api],
) -> Result<Vec<String>, OAuthError> {
    let mut allowed = super::policy::allowed_scopes(client, aud, apis);
    if let Some(held) = &subject.scope {
        allowed.retain(|s| held.contains(s));
    }
    let why = "is not within the subject token's scope and this client's";
    super::policy::requested_scope(requested, allowed, why)
}

/// RFC 8693 §4.1: with an actor, `act` names it, the subject token's own `act` (earlier
/// actors) nested inside; without one (impersonation), the subject's `act` is kept.
fn delegation(actor: Option<&Presented>, earlier: Option<Value>) -> Option<Value> {
    let Some(actor) = actor else { return earlier };
    let mut act = json!({ "sub": actor.sub });
    if let Some(client_id) = &actor.client_id {
        act["client_id"] = Value::String(client_id.clone());
    }
    if actor.issuer.is_some() {
        act["iss"] = json!(actor.issuer);
    }
    if let Some(earlier) = earlier {
        act["act"] = earlier;
    }
    Some(act)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn presented(sub: &str, act: Option<Value>) -> Presented {
        Presented { sub: sub.to_owned(), act, ..Presented::default() }
    }

    #[test]
    fn rfc8693_4_1_the_current_actor_is_outermost_and_earlier_ones_nested() {
        let first = delegation(Some(&presented("svc-a", None)), None);
        assert_eq!(first, Some(json!({ "sub": "svc-a" })));
        let second = delegation(Some(&presented("svc-b", None)), first.clone());
        assert_eq!(second, Some(json!({ "sub": "svc-b", "act": { "sub": "svc-a" } })));
        assert_eq!(delegation(None, first.clone()), first, "impersonation keeps the chain");
    }

    #[test]
    fn rfc8693_2_1_only_access_tokens_and_jwts_are_issued() {
        assert_eq!(requested_token_type(None).ok(), Some(ACCESS_TOKEN_TYPE));
        assert_eq!(requested_token_type(Some(JWT_TOKEN_TYPE)).ok(), Some(JWT_TOKEN_TYPE));
        let refresh = "urn:ietf:params:oauth:token-type:refresh_token";
        assert!(requested_token_type(Some(refresh)).is_err());
    }
}
