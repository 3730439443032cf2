//! ID token validation (OpenID Connect Core 1.0 §3.1.3.7).

use std::str::FromStr;

use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode, decode_header};
use serde_json::{Map, Value};

use crate::oidc::OidcError;

/// The asymmetric algorithms Keygate signs ID tokens with; HMAC and `none` are refused.
const ALGORITHMS: [Algorithm; 4] =
    [Algorithm::ES256, Algorithm::RS256, Algorithm::PS256, Algorithm::EdDSA];

/// Clock skew tolerated on `exp` and `iat`, in seconds.
const LEEWAY: i64 = 60;

/// What the ID token must say.
pub struct Expected<'a> {
    /// `iss`: the issuer from discovery.
    pub issuer: &'a str,
    /// `aud` (and `azp` when there are several audiences): this client.
    pub client_id: &'a str,
    /// The `nonce` sent with the authorization request.
    pub nonce: &'a str,
    /// The time now, seconds since the epoch.
    pub now: i64,
}

fn invalid(why: impl Into<String>) -> OidcError {
    OidcError::Invalid(format!("ID token: {}", why.into()))
}

/// Checks the signature with the issuer's key named by `kid` (and that key's algorithm, never
/// only the header's), then `iss`, `aud`, `azp`, `exp`, `iat` and `nonce`; returns the claims.
pub fn validate(
    token: &str,
    jwks: &JwkSet,
    expected: &Expected<'_>,
) -> Result<Map<String, Value>, OidcError> {
    let header = decode_header(token).map_err(|_| invalid("not a JWT"))?;
    if !ALGORITHMS.contains(&header.alg) {
        return Err(invalid(format!("algorithm {:?} is not accepted", header.alg)));
    }
    let kid = header.kid.as_deref().ok_or_else(|| invalid("it names no key"))?;
    let jwk = jwks.find(kid).ok_or_else(|| invalid("its key is not in the JWKS"))?;
    let key_alg = jwk.common.key_algorithm.and_then(|a| Algorithm::from_str(&a.to_string()).ok());
    if key_alg.is_some_and(|alg| alg != header.alg) {
        return Err(invalid("its algorithm is not its key's"));
    }
    let key = DecodingKey::from_jwk(jwk).map_err(|e| invalid(format!("unusable key: {e}")))?;
    let mut validation = Validation::new(header.alg);
    validation.set_issuer(&[expected.issuer]);
    validation.set_audience(&[expected.client_id]);
    validation.validate_exp = false; // checked below, against the app's clock
    validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
    let claims = decode::<Map<String, Value>>(token, &key, &validation)
        .map_err(|e| invalid(format!("does not verify: {e}")))?
        .claims;
    check_claims(&claims, expected)?;
    Ok(claims)
}

/// The checks on the verified claims that `jsonwebtoken` leaves to the client.
fn check_claims(claims: &Map<String, Value>, expected: &Expected<'_>) -> Result<(), OidcError> {
    let number = |name: &str| claims.get(name).and_then(Value::as_i64);
    if number("exp").is_none_or(|exp| exp + LEEWAY <= expected.now) {
        return Err(invalid("it has expired"));
    }
    if number("iat").is_none_or(|iat| iat - LEEWAY > expected.now) {
        return Err(invalid("its iat is missing or in the future"));
    }
    // §3.1.3.7 items 4 and 5: with several audiences, `azp` must name this client.
    let audiences = claims.get("aud").and_then(Value::as_array).map_or(1, Vec::len);
    let azp = claims.get("azp").and_then(Value::as_str);
    if (audiences > 1 || azp.is_some()) && azp != Some(expected.client_id) {
        return Err(invalid("azp is not this client"));
    }
    let nonce = claims.get("nonce").and_then(Value::as_str).unwrap_or_default();
    if !crate::seal::same(nonce, expected.nonce) {
        return Err(invalid("the nonce is not the one this sign-in sent"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    fn expected() -> Expected<'static> {
        Expected { issuer: "https://id.example", client_id: "app", nonce: "n-1", now: 1_000 }
    }

    fn claims(extra: Value) -> Map<String, Value> {
        let mut base = json!({"iss": "https://id.example", "aud": "app", "sub": "u1",
            "exp": 2_000, "iat": 990, "nonce": "n-1"});
        base.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        base.as_object().unwrap().clone()
    }

    #[test]
    fn oidc_core_3_1_3_7_claim_checks() {
        assert!(check_claims(&claims(json!({})), &expected()).is_ok());
        assert!(check_claims(&claims(json!({"nonce": "other"})), &expected()).is_err());
        assert!(check_claims(&claims(json!({"exp": 900})), &expected()).is_err());
        assert!(check_claims(&claims(json!({"iat": 1_200})), &expected()).is_err());
        let two = json!({"aud": ["app", "api"]});
        assert!(check_claims(&claims(two), &expected()).is_err(), "azp needed");
        let with_azp = json!({"aud": ["app", "api"], "azp": "app"});
        assert!(check_claims(&claims(with_azp), &expected()).is_ok());
    }
}
