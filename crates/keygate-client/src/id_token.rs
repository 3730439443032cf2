//! ID token validation (OpenID Connect Core 1.0 §3.1.3.7): the signature with the issuer's key
//! named by `kid` and that key's own algorithm, then the claims.

use std::str::FromStr;

use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode, decode_header};
use keygate_types::{Jwk, JwkSet};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::{Error, Result};

/// Asymmetric algorithms only: `none` and HMAC (keyed with a public client's nothing) are
/// refused (§3.1.3.7 items 6–8).
const ACCEPTED: [Algorithm; 5] =
    [Algorithm::ES256, Algorithm::RS256, Algorithm::PS256, Algorithm::EdDSA, Algorithm::ES384];

/// Clock skew tolerated on `exp` and `iat`, in seconds.
pub const LEEWAY: i64 = 60;

/// `aud`: one audience or several (RFC 7519 §4.1.3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Audience {
    /// A single audience.
    One(String),
    /// Several audiences.
    Many(Vec<String>),
}

impl Audience {
    /// The audiences, as a slice-like iterator.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        let all: &[String] = match self {
            Self::One(one) => std::slice::from_ref(one),
            Self::Many(many) => many,
        };
        all.iter().map(String::as_str)
    }
}

/// The claims of a validated ID token (OpenID Connect Core 1.0 §2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdTokenClaims {
    /// The issuer.
    pub iss: String,
    /// The user's identifier at the issuer.
    pub sub: String,
    /// The audience: this client.
    pub aud: Audience,
    /// Expiry, seconds since the epoch.
    pub exp: i64,
    /// Issue time, seconds since the epoch.
    pub iat: i64,
    /// The nonce of the authorization request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nonce: Option<String>,
    /// The authorized party.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub azp: Option<String>,
    /// When the user authenticated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_time: Option<i64>,
    /// The provider's session id (Front-/Back-Channel Logout).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
    /// Every other claim (`name`, `email`, ...).
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// What the ID token must say.
pub(crate) struct Expected<'a> {
    pub issuer: &'a str,
    pub client_id: &'a str,
    /// `None` after a refresh, where the nonce is not checked (OIDC Core §12.2).
    pub nonce: Option<&'a str>,
    pub now: i64,
}

fn invalid(why: impl Into<String>) -> Error {
    Error::IdToken(why.into())
}

/// A verification key from a JWK, through the JWK's own members (RFC 7518 §6, RFC 8037 §2).
fn decoding_key(jwk: &Jwk) -> Result<DecodingKey> {
    let member = |value: &Option<String>, name: &str| {
        value.clone().ok_or_else(|| invalid(format!("JWK {} lacks `{name}`", jwk.kid)))
    };
    let key = match jwk.kty.as_str() {
        "EC" => DecodingKey::from_ec_components(&member(&jwk.x, "x")?, &member(&jwk.y, "y")?),
        "RSA" => DecodingKey::from_rsa_components(&member(&jwk.n, "n")?, &member(&jwk.e, "e")?),
        "OKP" => DecodingKey::from_ed_components(&member(&jwk.x, "x")?),
        other => return Err(invalid(format!("JWK {} has unsupported kty {other}", jwk.kid))),
    };
    key.map_err(|e| invalid(format!("JWK {} is unusable: {e}", jwk.kid)))
}

/// Validates `token` against `jwks` and `expected`; returns its claims.
pub(crate) fn validate(
    token: &str,
    jwks: &JwkSet,
    expected: &Expected<'_>,
) -> Result<IdTokenClaims> {
    let header = decode_header(token).map_err(|_| invalid("it is not a JWT"))?;
    if !ACCEPTED.contains(&header.alg) {
        return Err(invalid(format!("algorithm {:?} is not accepted", header.alg)));
    }
    let kid = header.kid.as_deref().ok_or_else(|| invalid("its header names no key (kid)"))?;
    let jwk = jwks
        .keys
        .iter()
        .find(|k| k.kid == kid)
        .ok_or_else(|| invalid(format!("its key {kid} is not in the issuer's JWKS")))?;
    // The key's algorithm decides, never the header alone (RFC 8725 §3.1).
    let key_alg = Algorithm::from_str(&jwk.alg)
        .map_err(|_| invalid(format!("JWK {kid} has unknown alg {}", jwk.alg)))?;
    if key_alg != header.alg {
        return Err(invalid("the header's algorithm is not its key's"));
    }
    let key = decoding_key(jwk)?;
    let mut validation = Validation::new(key_alg);
    validation.set_issuer(&[expected.issuer]);
    validation.set_audience(&[expected.client_id]);
    // exp and iat are checked below against the injected clock.
    validation.validate_exp = false;
    validation.set_required_spec_claims(&["iss", "sub", "aud", "exp"]);
    let claims = decode::<IdTokenClaims>(token, &key, &validation)
        .map_err(|e| invalid(format!("it does not verify: {e}")))?
        .claims;
    check_claims(&claims, expected)?;
    Ok(claims)
}

/// §3.1.3.7 items 3–5, 9, 10 and 11 on claims whose signature has been verified.
fn check_claims(claims: &IdTokenClaims, expected: &Expected<'_>) -> Result<()> {
    if claims.iss != expected.issuer {
        return Err(invalid("iss is not the issuer"));
    }
    if !claims.aud.iter().any(|a| a == expected.client_id) {
        return Err(invalid("aud does not contain this client"));
    }
    // Items 4–5: with several audiences (or any azp), azp must be this client.
    let several = claims.aud.iter().count() > 1;
    if (several || claims.azp.is_some()) && claims.azp.as_deref() != Some(expected.client_id) {
        return Err(invalid("azp is not this client"));
    }
    if claims.exp.saturating_add(LEEWAY) <= expected.now {
        return Err(invalid("it has expired (exp)"));
    }
    if claims.iat.saturating_sub(LEEWAY) > expected.now {
        return Err(invalid("it was issued in the future (iat)"));
    }
    if let Some(nonce) = expected.nonce {
        let got = claims.nonce.as_deref().unwrap_or("");
        if !crate::random::same(got, nonce) {
            return Err(invalid("the nonce is not the one this sign-in sent"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    fn expected(nonce: Option<&str>) -> Expected<'_> {
        Expected { issuer: "https://id.example", client_id: "app", nonce, now: 10_000 }
    }

    fn claims(extra: Value) -> IdTokenClaims {
        let mut base = json!({"iss": "https://id.example", "aud": "app", "sub": "u1",
            "exp": 10_300, "iat": 10_000, "nonce": "n-1"});
        base.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        serde_json::from_value(base).unwrap()
    }

    #[test]
    fn oidc_core_3_1_3_7_claims_are_checked() {
        let n = Some("n-1");
        assert!(check_claims(&claims(json!({})), &expected(n)).is_ok());
        assert!(check_claims(&claims(json!({"nonce": "n-2"})), &expected(n)).is_err());
        assert!(check_claims(&claims(json!({"exp": 9_900})), &expected(n)).is_err());
        assert!(check_claims(&claims(json!({"exp": 9_990})), &expected(n)).is_ok(), "leeway");
        assert!(check_claims(&claims(json!({"iat": 10_100})), &expected(n)).is_err());
        assert!(check_claims(&claims(json!({"aud": "other"})), &expected(n)).is_err());
        assert!(check_claims(&claims(json!({"iss": "https://x"})), &expected(n)).is_err());
    }

    #[test]
    fn oidc_core_3_1_3_7_azp_is_required_with_several_audiences() {
        let n = Some("n-1");
        let two = json!({"aud": ["app", "api"]});
        assert!(check_claims(&claims(two), &expected(n)).is_err());
        let with_azp = json!({"aud": ["app", "api"], "azp": "app"});
        assert!(check_claims(&claims(with_azp), &expected(n)).is_ok());
        let other_azp = json!({"azp": "other"});
        assert!(check_claims(&claims(other_azp), &expected(n)).is_err());
    }

    #[test]
    fn oidc_core_12_2_no_nonce_check_after_refresh() {
        assert!(check_claims(&claims(json!({"nonce": null})), &expected(None)).is_ok());
    }

    #[test]
    fn rfc8725_3_1_unsigned_tokens_are_refused() {
        // {"alg":"none"}.{"sub":"u1"}.
        let token = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ1MSJ9.";
        let err = validate(token, &JwkSet::default(), &expected(None)).unwrap_err();
        assert!(matches!(err, Error::IdToken(_)), "{err}");
    }
}
