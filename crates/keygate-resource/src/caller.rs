//! Who is calling: the identity and rights an access token carries.

use serde_json::{Map, Value};

use crate::Error;

/// The caller behind a valid access token, handed to request handlers.
#[derive(Debug, Clone, PartialEq)]
pub struct Caller {
    /// The subject: a user id, or the client's own id for client credentials (RFC 9068 §2.2).
    pub sub: String,
    /// The client the token was issued to.
    pub client_id: String,
    /// The granted scopes (RFC 9068 §2.2.3, space-separated in the token).
    pub scopes: Vec<String>,
    /// Expiry, seconds since the epoch.
    pub expires_at: i64,
    /// Every claim of the token (or of the introspection response).
    pub claims: Map<String, Value>,
}

impl Caller {
    /// Builds a caller from token claims; `sub` and `client_id` are required (RFC 9068 §2.2).
    pub fn from_claims(claims: Map<String, Value>) -> Result<Self, Error> {
        let text = |name: &str| claims.get(name).and_then(Value::as_str).map(str::to_owned);
        let missing = |name: &str| Error::InvalidToken(format!("the token has no {name}"));
        Ok(Self {
            sub: text("sub").ok_or_else(|| missing("sub"))?,
            client_id: text("client_id").ok_or_else(|| missing("client_id"))?,
            scopes: text("scope")
                .map(|s| s.split(' ').filter(|s| !s.is_empty()).map(str::to_owned).collect())
                .unwrap_or_default(),
            expires_at: claims.get("exp").and_then(Value::as_i64).ok_or_else(|| missing("exp"))?,
            claims,
        })
    }

    /// Whether the token grants `scope`.
    pub fn has_scope(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s == scope)
    }

    /// RFC 6750 §3.1: `insufficient_scope` unless the token grants `scope`.
    pub fn require_scope(&self, scope: &str) -> Result<(), Error> {
        if self.has_scope(scope) {
            Ok(())
        } else {
            Err(Error::InsufficientScope { scope: scope.to_owned() })
        }
    }

    /// The token's `acr` (RFC 9068 §2.2.1): how the user authenticated.
    pub fn acr(&self) -> Option<&str> {
        self.claims.get("acr").and_then(Value::as_str)
    }

    /// The token's `auth_time` (RFC 9068 §2.2.1): when the user authenticated.
    pub fn auth_time(&self) -> Option<i64> {
        self.claims.get("auth_time").and_then(Value::as_i64)
    }

    /// RFC 9470 §3: `insufficient_user_authentication` unless the token's `acr` is one of
    /// `acr_values` (when any are given) and its `auth_time` is at most `max_age` seconds
    /// before `now` (when given). The error names both, so the client can ask again.
    pub fn require_authentication(
        &self,
        acr_values: &[&str],
        max_age: Option<i64>,
        now: i64,
    ) -> Result<(), Error> {
        let acr_ok = acr_values.is_empty() || self.acr().is_some_and(|a| acr_values.contains(&a));
        let fresh = max_age.is_none_or(|max| self.auth_time().is_some_and(|at| now - at <= max));
        if acr_ok && fresh {
            return Ok(());
        }
        Err(Error::InsufficientUserAuthentication {
            acr_values: (!acr_values.is_empty()).then(|| acr_values.join(" ")),
            max_age,
        })
    }

    /// Whether the caller is a user (the subject is not the client itself).
    pub fn is_user(&self) -> bool {
        self.sub != self.client_id
    }

    /// RFC 9396 §9.1 `authorization_details` of the token, if any.
    pub fn authorization_details(&self) -> &[Value] {
        self.claims
            .get("authorization_details")
            .and_then(Value::as_array)
            .map_or(&[], Vec::as_slice)
    }

    /// Whether an RFC 9396 authorization details entry of type `kind` lists `location` among
    /// its `locations` and `action` among its `actions` (the common fields of RFC 9396 §2.2).
    /// Locations compare exactly: build them the way the authorization server checked them.
    pub fn allows(&self, kind: &str, location: &str, action: &str) -> bool {
        let lists = |entry: &Value, field: &str, wanted: &str| {
            entry
                .get(field)
                .and_then(Value::as_array)
                .is_some_and(|list| list.iter().any(|v| v.as_str() == Some(wanted)))
        };
        self.authorization_details().iter().any(|entry| {
            entry.get("type").and_then(Value::as_str) == Some(kind)
                && lists(entry, "locations", location)
                && lists(entry, "actions", action)
        })
    }

    /// RFC 9396 §9: a 403 unless the token's authorization details allow `action` at
    /// `location` (see [`Caller::allows`]).
    pub fn require_authorization(
        &self,
        kind: &str,
        location: &str,
        action: &str,
    ) -> Result<(), Error> {
        if self.allows(kind, location, action) {
            Ok(())
        } else {
            Err(Error::Forbidden(format!("the token does not allow {action} at {location}")))
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn caller(details: Value) -> Caller {
        let claims =
            json!({"sub": "u", "client_id": "c", "exp": 1, "authorization_details": details});
        let Value::Object(map) = claims else { unreachable!() };
        Caller::from_claims(map).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn rfc9470_3_acr_and_auth_time_must_meet_the_route() {
        let claims = json!({"sub": "u", "client_id": "c", "exp": 1,
            "acr": "urn:keygate:acr:password", "auth_time": 1000});
        let Value::Object(map) = claims else { unreachable!() };
        let c = Caller::from_claims(map).unwrap_or_else(|e| panic!("{e}"));
        let mfa = ["urn:keygate:acr:mfa"];
        assert!(c.require_authentication(&[], None, 5000).is_ok());
        assert!(c.require_authentication(&["urn:keygate:acr:password"], Some(60), 1060).is_ok());
        assert_eq!(
            c.require_authentication(&mfa, None, 1000),
            Err(Error::InsufficientUserAuthentication {
                acr_values: Some("urn:keygate:acr:mfa".into()),
                max_age: None
            })
        );
        assert!(c.require_authentication(&[], Some(60), 1061).is_err(), "too long ago");
    }

    #[test]
    fn rfc9396_9_details_allow_only_their_locations_and_actions() {
        let c = caller(json!([{"type": "folder_access",
            "locations": ["https://s/folders/diagrams"], "actions": ["read", "write"]}]));
        assert!(c.allows("folder_access", "https://s/folders/diagrams", "write"));
        assert!(!c.allows("folder_access", "https://s/folders/photos", "write"));
        assert!(!c.allows("folder_access", "https://s/folders/diagrams", "delete"));
        assert!(!c.allows("payment", "https://s/folders/diagrams", "read"));
        let err = c.require_authorization("folder_access", "https://s/folders/photos", "read");
        assert_eq!(err.map_err(|e| e.status()), Err(403));
    }
}
