//! JWT-secured authorization requests (RFC 9101, OIDC Core §6.1): the `request` parameter, at
//! `/authorize` or pushed to `/par`, carries the request as a JWT the client signed with one of
//! its registered keys. Once verified, its members are the request's parameters, and nothing
//! outside it counts (RFC 9101 §6.3) but `client_id`, which names the client to verify with.

use std::borrow::Cow;
use std::collections::HashSet;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Validation, decode, decode_header};
use serde_json::{Map, Value};

use crate::params::Params;
use keygate_types::ErrorCode;

use crate::{Client, Provider};

/// `request_object_signing_alg_values_supported`: asymmetric algorithms only, so that a
/// request object proves the client's private key; never `HS*`, which would make the key a
/// shared secret, and `none` only for a client registered with it.
pub const REQUEST_OBJECT_ALGS: [&str; 4] = ["RS256", "PS256", "ES256", "EdDSA"];

/// The longest a request object may be valid for (`exp` after now, `nbf` before now).
const MAX_LIFETIME: i64 = 3600;
/// Clock skew allowed on `nbf`.
const SKEW: i64 = 60;

/// The JWT claims that say who made the object, not what it asks for.
const ENVELOPE: [&str; 6] = ["iss", "aud", "exp", "nbf", "iat", "jti"];

/// The parameters to check, and whether they came from a signed request object.
pub(crate) struct RequestParams<'a> {
    /// The request's parameters.
    pub params: Cow<'a, Params>,
    /// Whether they came from a signed request object (RFC 9101 §10.5).
    pub signed: bool,
}

impl Provider {
    /// The parameters of the request `params` carries: its request object's members when it
    /// has one (by value in `request`, or by reference in a `request_uri` on an allow-listed
    /// origin), verified for `client` (RFC 9101 §5, §6.1–6.3); the parameters themselves
    /// otherwise. The error is the code and why (`invalid_request_object`,
    /// `invalid_request_uri`, `request_uri_not_supported`, `invalid_request`).
    pub(crate) async fn request_params<'a>(
        &self,
        client: &Client,
        params: &'a Params,
    ) -> Result<RequestParams<'a>, (ErrorCode, String)> {
        let invalid = |text: &str| (ErrorCode::InvalidRequest, text.to_owned());
        let by_value = params.single("request").map_err(|_| invalid("request is repeated"))?;
        let by_reference =
            params.single("request_uri").map_err(|_| invalid("request_uri is repeated"))?;
        let fetched;
        let object = match (by_value, by_reference) {
            (Some(_), Some(_)) => {
                return Err(invalid("request and request_uri cannot both be sent (RFC 9101 §5)"));
            }
            (Some(object), None) => object,
            (None, Some(uri)) if self.fetches_request_uri(uri) => {
                fetched = self.fetch_request_object(uri).await?;
                fetched.as_str()
            }
            // Any other request_uri is refused after the redirect URI is verified, so the
            // client hears of it (`request_uri_not_supported`).
            _ => return Ok(RequestParams { params: Cow::Borrowed(params), signed: false }),
        };
        let object_error = |text: String| (ErrorCode::InvalidRequestObject, text);
        let (claims, signed) =
            self.verified_request_object(client, object).await.map_err(object_error)?;
        let inner = params_from_members(&claims, &client.client_id).map_err(object_error)?;
        Ok(RequestParams { params: Cow::Owned(inner), signed })
    }

    /// Whether `uri` is on an origin an operator allow-listed for request objects by
    /// reference (`[requests] request_uri_origins`; RFC 9101 §10.4.1).
    fn fetches_request_uri(&self, uri: &str) -> bool {
        let origin = url::Url::parse(uri).ok().map(|u| u.origin().ascii_serialization());
        origin.is_some_and(|o| self.settings().requests.request_uri_origins.contains(&o))
    }

    /// RFC 9101 §5.2.3: the request object at `uri`, through the outbound request policy (no
    /// internal addresses unless allowed, a timeout, a size cap); never cached.
    async fn fetch_request_object(&self, uri: &str) -> Result<String, (ErrorCode, String)> {
        let fetched = self.remote_jwks().fetch_request_object(uri).await;
        fetched.map_err(|e| {
            tracing::info!(request_uri = uri, error = %e, "could not fetch a request object");
            let text = format!("the request object at the request_uri could not be fetched ({e})");
            (ErrorCode::InvalidRequestUri, text)
        })
    }

    /// The object's claims after RFC 9101 §6.2 (signature with the client's key, or `none` for a
    /// client registered with it) and the JWT checks: `iss` is the client, `aud` names this
    /// issuer, `exp` is in the next hour, `nbf` (if any) has passed within the hour, a `jti`
    /// (if any) is used once.
    async fn verified_request_object(
        &self,
        client: &Client,
        jwt: &str,
    ) -> Result<(Map<String, Value>, bool), String> {
        let (header, parts) = split_object(jwt)?;
        let alg = header.get("alg").and_then(Value::as_str).unwrap_or_default();
        let registered = client.metadata.request_object_signing_alg.as_deref();
        if registered.is_some_and(|r| r != alg) {
            return Err(format!(
                "this client signs request objects with {} only (request_object_signing_alg)",
                registered.unwrap_or_default()
            ));
        }
        let claims = if alg == "none" {
            if registered != Some("none") || !parts[2].is_empty() {
                return Err("unsigned request objects are not accepted from this client".to_owned());
            }
            json_part(parts[1]).and_then(|v| v.as_object().cloned()).ok_or("claims are not JSON")?
        } else if alg == "RS256" && self.fapi2(client) {
            return Err("FAPI 2.0: RS256 is not accepted".to_owned());
        } else if REQUEST_OBJECT_ALGS.contains(&alg) {
            self.signed_claims(client, jwt).await?
        } else {
            return Err(format!(
                "alg '{alg}' is not accepted (request_object_signing_alg_values_supported)"
            ));
        };
        self.check_envelope(client, &claims, alg != "none").await?;
        Ok((claims, alg != "none"))
    }

    async fn signed_claims(
        &self,
        client: &Client,
        jwt: &str,
    ) -> Result<Map<String, Value>, String> {
        let no_keys = "the client has no registered key that verifies it (jwks or jwks_uri)";
        let jwks = self.client_keys(client, jwt).await.ok_or(no_keys)?;
        let header = decode_header(jwt).map_err(|_| "the request object's header is malformed")?;
        if !crate::jwt::is_asymmetric(header.alg) {
            return Err("the algorithm is not accepted".to_owned());
        }
        let key =
            crate::client_assertion::client_key(&jwks, header.kid.as_deref()).ok_or(no_keys)?;
        let mut validation = Validation::new(header.alg);
        validation.validate_exp = false; // against the provider's clock below
        validation.set_audience(&[self.issuer()]);
        validation.set_issuer(&[client.client_id.as_str()]);
        validation.required_spec_claims = HashSet::from(["exp", "iss", "aud"].map(str::to_owned));
        decode::<Map<String, Value>>(jwt, &key, &validation).map(|d| d.claims).map_err(|e| {
            format!("the request object is not signed by the client or not for this issuer ({e})")
        })
    }

    /// `exp`, `nbf` and `jti` against the provider's clock and replay record.
    async fn check_envelope(
        &self,
        client: &Client,
        claims: &Map<String, Value>,
        signed: bool,
    ) -> Result<(), String> {
        let now = self.now();
        let exp = claims.get("exp").and_then(Value::as_i64);
        match exp {
            Some(exp) if exp <= now => return Err("the request object has expired".to_owned()),
            Some(exp) if exp > now + MAX_LIFETIME => {
                return Err("the request object's exp is more than an hour away".to_owned());
            }
            None if signed => return Err("the request object has no exp".to_owned()),
            _ => {}
        }
        if let Some(nbf) = claims.get("nbf") {
            let nbf = nbf.as_i64().ok_or("nbf is not a number")?;
            if nbf > now + SKEW || nbf < now - MAX_LIFETIME {
                return Err("the request object's nbf is not within the last hour".to_owned());
            }
        }
        if let Some(jti) = claims.get("jti") {
            let jti = jti.as_str().ok_or("jti is not a string")?;
            let key = format!("request_object:{}:{jti}", client.client_id);
            let until = exp.unwrap_or(now + MAX_LIFETIME);
            let fresh = self.store().revoke_jti(&key, &client.client_id, until).await;
            if !fresh.map_err(|_| "the request object could not be recorded")? {
                return Err("the request object was used before (jti)".to_owned());
            }
        }
        Ok(())
    }
}

/// The compact JWS's header and its three parts, before any verification: a JWE (five parts)
/// and anything but a JWS with a JSON header and an acceptable `typ` are refused.
fn split_object(jwt: &str) -> Result<(Value, Vec<&str>), String> {
    let parts: Vec<&str> = jwt.split('.').collect();
    match parts.len() {
        3 => {}
        5 => return Err("encrypted request objects are not supported".to_owned()),
        _ => return Err("the request object is not a JWT".to_owned()),
    }
    let header = parts
        .first()
        .and_then(|p| json_part(p))
        .filter(Value::is_object)
        .ok_or("the request object's header is not a JSON object")?;
    if let Some(typ) = header.get("typ")
        && !matches!(typ.as_str(), Some("oauth-authz-req+jwt" | "JWT"))
    {
        return Err("typ must be oauth-authz-req+jwt (RFC 9101 §10.8)".to_owned());
    }
    Ok((header, parts))
}

fn json_part(part: &str) -> Option<Value> {
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).ok()?).ok()
}

/// RFC 9101 §4: the members are the request's parameters: strings as they are, numbers and
/// booleans as text, `resource` arrays as repeated values, other objects and arrays (`claims`,
/// `authorization_details`) as JSON text. `client_id`, if present, is the client's (§5).
fn params_from_members(claims: &Map<String, Value>, client_id: &str) -> Result<Params, String> {
    if claims.get("client_id").is_some_and(|v| v.as_str() != Some(client_id)) {
        return Err("the request object's client_id is not the request's".to_owned());
    }
    if claims.contains_key("request") || claims.contains_key("request_uri") {
        return Err("a request object cannot contain request or request_uri".to_owned());
    }
    let mut pairs = vec![("client_id".to_owned(), client_id.to_owned())];
    for (name, value) in claims {
        if ENVELOPE.contains(&name.as_str()) || name == "client_id" {
            continue;
        }
        match value {
            Value::Null => {}
            Value::String(text) => pairs.push((name.clone(), text.clone())),
            Value::Number(_) | Value::Bool(_) => pairs.push((name.clone(), value.to_string())),
            Value::Array(items) if name == "resource" => {
                for item in items {
                    let text = item.as_str().ok_or("resource values must be strings")?;
                    pairs.push((name.clone(), text.to_owned()));
                }
            }
            Value::Array(_) | Value::Object(_) => pairs.push((name.clone(), value.to_string())),
        }
    }
    Ok(Params::from_pairs(pairs))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn members(value: Value) -> Map<String, Value> {
        value.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn rfc9101_4_members_become_parameters_and_the_envelope_does_not() {
        let claims = members(json!({
            "iss": "app", "aud": "https://op", "exp": 9, "jti": "j",
            "client_id": "app", "scope": "openid", "max_age": 0,
            "resource": ["https://a", "https://b"],
            "claims": {"id_token": {"email": null}}
        }));
        let Ok(params) = params_from_members(&claims, "app") else { panic!("accepted") };
        let one = |name| params.single(name).ok().flatten();
        assert_eq!(one("scope"), Some("openid"));
        assert_eq!(one("max_age"), Some("0"));
        assert_eq!(params.all("resource").count(), 2);
        assert_eq!(one("claims"), Some(r#"{"id_token":{"email":null}}"#));
        assert_eq!(one("iss"), None);
        assert_eq!(one("client_id"), Some("app"));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 256, failure_persistence: None, ..Default::default()
        })]

        /// Whatever arrives as `request`, splitting it answers a JWS's header or a reason.
        #[test]
        fn rfc9101_6_any_text_is_a_jws_or_a_reason(text in "[A-Za-z0-9_.=-]{0,80}|.{0,40}") {
            if let Ok((header, parts)) = split_object(&text) {
                proptest::prop_assert_eq!(parts.len(), 3);
                proptest::prop_assert!(header.is_object());
            }
        }

        /// Whatever members a verified object has, they become parameters or a reason.
        #[test]
        fn rfc9101_4_any_members_become_parameters_or_a_reason(
            names in proptest::collection::vec("[a-z_]{1,12}", 0..8),
            texts in proptest::collection::vec(".{0,20}", 0..8),
        ) {
            let mut claims = Map::new();
            for (i, name) in names.iter().enumerate() {
                let value = match i % 4 {
                    0 => json!(texts.get(i).cloned().unwrap_or_default()),
                    1 => json!(i),
                    2 => json!([texts.get(i).cloned().unwrap_or_default(), i]),
                    _ => json!({ "k": texts.get(i) }),
                };
                claims.insert(name.clone(), value);
            }
            if let Ok(params) = params_from_members(&claims, "app") {
                proptest::prop_assert_eq!(params.single("client_id").ok().flatten(), Some("app"));
            }
        }
    }

    #[test]
    fn rfc9101_5_the_objects_client_id_is_the_requests_and_objects_do_not_nest() {
        let other = members(json!({"client_id": "other"}));
        assert!(params_from_members(&other, "app").is_err());
        let nested = members(json!({"request": "x"}));
        assert!(params_from_members(&nested, "app").is_err());
        assert!(params_from_members(&members(json!({"resource": [1]})), "app").is_err());
    }
}
