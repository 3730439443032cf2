//! The tokens a client presents for exchange (RFC 8693 §2.1 `subject_token`, `actor_token`):
//! access and ID tokens Keygate issued, and JWTs of issuers an operator trusts
//! (`[token_exchange] trusted_issuers`), verified with their published keys.

use std::collections::HashSet;

use jsonwebtoken::{Validation, decode, decode_header};
use serde::Deserialize;
use serde_json::Value;

use super::token_exchange::{ACCESS_TOKEN_TYPE, ID_TOKEN_TYPE, JWT_TOKEN_TYPE};
use crate::store::Grant;
use crate::{OAuthError, Provider};

/// A presented token that passed its checks: who it is about and what it carries.
#[derive(Debug, Default, Clone)]
pub(crate) struct Presented {
    /// The subject (`sub`).
    pub sub: String,
    /// The scope it carries, when it is an access token or a JWT with `scope`.
    pub scope: Option<Vec<String>>,
    /// RFC 8693 §4.1: the actors it was already delegated through.
    pub act: Option<Value>,
    /// RFC 8693 §4.4: who may act for its subject.
    pub may_act: Option<Value>,
    /// The client it was issued to (`client_id`, or an ID token's `aud`).
    pub client_id: Option<String>,
    /// Its issuer, when another than Keygate.
    pub issuer: Option<String>,
    /// The user's grant a Keygate access token was issued under: the exchanged token lives
    /// under it too, so that revoking the grant ends both.
    pub grant: Option<Grant>,
}

#[derive(Deserialize)]
struct ForeignClaims {
    sub: String,
    exp: i64,
    #[serde(default)]
    scope: Option<String>,
    #[serde(default)]
    act: Option<Value>,
    #[serde(default)]
    may_act: Option<Value>,
    #[serde(default)]
    client_id: Option<String>,
    /// RFC 7800 `cnf`: a key the token is bound to.
    #[serde(default)]
    cnf: Option<Value>,
}

impl Provider {
    /// `token` checked as `token_type` (RFC 8693 §3); `None` when it is not valid. A type
    /// Keygate does not accept is `invalid_request`. `proof_jkt` is the thumbprint of the key
    /// whose DPoP proof came with the request, if any.
    pub(super) async fn presented(
        &self,
        token: &str,
        token_type: &str,
        proof_jkt: Option<&str>,
    ) -> Result<Option<Presented>, OAuthError> {
        match token_type {
            ACCESS_TOKEN_TYPE => self.presented_access_token(token, proof_jkt).await,
            ID_TOKEN_TYPE => Ok(self.presented_id_token(token)),
            JWT_TOKEN_TYPE => Ok(match self.presented_access_token(token, proof_jkt).await? {
                Some(presented) => Some(presented),
                None => match self.presented_id_token(token) {
                    Some(presented) => Some(presented),
                    None => self.presented_foreign_jwt(token, proof_jkt).await,
                },
            }),
            other => Err(OAuthError::InvalidRequest(
                format!(
                    "token type '{other}' is not accepted: access_token, id_token or jwt (RFC 8693 §3)"
                )
                .into(),
            )),
        }
    }

    /// An active Keygate access token (not expired, not revoked, its grant live). A
    /// DPoP-bound token (RFC 9449 §6) is usable only with its key's proofs, so it is exchanged
    /// only when the exchange request carries a DPoP proof of that same key (`proof_jkt`): a
    /// stolen bound token cannot be traded for one its thief can use.
    async fn presented_access_token(
        &self,
        token: &str,
        proof_jkt: Option<&str>,
    ) -> Result<Option<Presented>, OAuthError> {
        let Some((claims, grant)) = self.active_access_token_with_grant(token).await? else {
            return Ok(None);
        };
        if claims.cnf.as_ref().is_some_and(|cnf| Some(cnf.jkt.as_str()) != proof_jkt) {
            return Ok(None);
        }
        Ok(Some(Presented {
            sub: claims.sub,
            scope: Some(claims.scope.map(|s| crate::scope::split_scope(&s)).unwrap_or_default()),
            act: claims.act,
            may_act: None,
            client_id: Some(claims.client_id),
            issuer: None,
            grant,
        }))
    }

    /// An unexpired ID token Keygate issued.
    fn presented_id_token(&self, token: &str) -> Option<Presented> {
        let claims = self.verified_id_token(token).filter(|c| c.exp > self.now())?;
        Some(Presented { sub: claims.sub, client_id: Some(claims.aud), ..Presented::default() })
    }

    /// A JWT from a trusted issuer: signed (asymmetric algorithms only) by a key of the
    /// issuer's `jwks_uri`, `aud` naming Keygate's issuer, not expired. Never one in Keygate's
    /// own name (its tokens are checked above, revocation included). A token bound to a key
    /// (`cnf`) is taken only as [`Provider::presented_access_token`] takes a bound one: with a
    /// DPoP proof of that key (`cnf.jkt`); any other kind of binding is refused.
    async fn presented_foreign_jwt(
        &self,
        token: &str,
        proof_jkt: Option<&str>,
    ) -> Option<Presented> {
        let issuer = crate::jwt::unverified_claim(token, "iss")?;
        if issuer == self.issuer() {
            return None;
        }
        let trusted = self.settings().token_exchange_issuers.iter().find(|t| t.issuer == issuer)?;
        let header = decode_header(token).ok()?;
        if !crate::jwt::is_asymmetric(header.alg) {
            return None;
        }
        let kid = header.kid.as_deref();
        let jwks = self.remote_jwks().keys_for(&trusted.jwks_uri, kid, self.now()).await?;
        let key = crate::client_assertion::client_key(&jwks, kid)?;
        let mut validation = Validation::new(header.alg);
        validation.validate_exp = false; // against the provider's clock below
        validation.set_issuer(&[trusted.issuer.as_str()]);
        validation.set_audience(&[self.issuer()]);
        validation.required_spec_claims =
            HashSet::from(["exp", "iss", "aud", "sub"].map(str::to_owned));
        let claims = decode::<ForeignClaims>(token, &key, &validation).ok()?.claims;
        if claims.exp <= self.now() || !bound_to(claims.cnf.as_ref(), proof_jkt) {
            return None;
        }
        Some(Presented {
            sub: claims.sub,
            scope: claims.scope.map(|s| crate::scope::split_scope(&s)),
            act: claims.act,
            may_act: claims.may_act,
            client_id: claims.client_id,
            issuer: Some(trusted.issuer.clone()),
            grant: None,
        })
    }
}

/// Whether a token's `cnf` (RFC 7800) is satisfied by the request: no binding, or a DPoP key
/// (`jkt`, RFC 9449 §6) whose proof came with it. Other confirmation methods are not.
fn bound_to(cnf: Option<&Value>, proof_jkt: Option<&str>) -> bool {
    let Some(cnf) = cnf else { return true };
    let jkt = cnf.as_object().filter(|c| c.len() == 1).and_then(|c| c.get("jkt"));
    jkt.and_then(Value::as_str).is_some_and(|jkt| Some(jkt) == proof_jkt)
}

impl Presented {
    /// RFC 8693 §4.4: when the subject token names who may act for it (`may_act`), the
    /// actor must be that party: every claim `may_act` has must be the actor's.
    pub(super) fn check_may_act(&self, actor: &Presented) -> Result<(), OAuthError> {
        let Some(may_act) = self.may_act.as_ref().and_then(Value::as_object) else {
            return Ok(());
        };
        let actor_claim = |name: &str| match name {
            "sub" => Some(actor.sub.as_str()),
            "client_id" => actor.client_id.as_deref(),
            "iss" => actor.issuer.as_deref(),
            _ => None,
        };
        let allowed = may_act.iter().all(|(name, value)| actor_claim(name) == value.as_str());
        if allowed {
            Ok(())
        } else {
            Err(OAuthError::InvalidRequest(
                "the actor is not one the subject token allows to act for it (may_act)".into(),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rfc9449_6_a_bound_foreign_token_needs_a_proof_of_its_key() {
        let bound = json!({ "jkt": "abc" });
        assert!(bound_to(None, None), "not bound");
        assert!(bound_to(Some(&bound), Some("abc")));
        assert!(!bound_to(Some(&bound), None), "no proof");
        assert!(!bound_to(Some(&bound), Some("xyz")), "another key");
        let mtls = json!({ "x5t#S256": "abc" });
        assert!(!bound_to(Some(&mtls), Some("abc")), "a binding Keygate cannot check");
    }

    #[test]
    fn rfc8693_4_4_may_act_names_the_only_actor_allowed() {
        let subject =
            Presented { may_act: Some(json!({ "sub": "svc-a" })), ..Presented::default() };
        let svc_a = Presented { sub: "svc-a".into(), ..Presented::default() };
        let svc_b = Presented { sub: "svc-b".into(), ..Presented::default() };
        assert!(subject.check_may_act(&svc_a).is_ok());
        assert!(subject.check_may_act(&svc_b).is_err());
        assert!(Presented::default().check_may_act(&svc_b).is_ok(), "no may_act: no limit");
    }
}
