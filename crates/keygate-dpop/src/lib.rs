//! DPoP (RFC 9449) proofs, shared by the Keygate server and `keygate-resource`.
//!
//! - [`check_proof`]: RFC 9449 §4.3 as a pure function: a proof for a method and URI, made
//!   recently, signed by the public key it carries, with `ath` for a presented access token.
//! - [`thumbprint`]: RFC 7638 JWK SHA-256 thumbprints, as `cnf.jkt` holds them.
//! - [`access_token_hash`]: RFC 9449 §4.2 `ath`.
//! - [`ReplayCache`]: a bounded in-memory record of used proofs for one process (§11.1); the
//!   server records them in its shared store instead.
//! - [`key`]: [`ProofKey`], the client's side: an ES256 key that makes proofs and can be
//!   stored as PKCS#8 with the tokens it binds.

pub mod key;

pub use key::{KeyError, ProofFor, ProofKey};

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Mutex;

use aws_lc_rs::digest::{SHA256, digest};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode, decode_header};
use serde::Deserialize;
use serde_json::{Map, Value};

/// `dpop_signing_alg_values_supported` (RFC 9449 §5.1): asymmetric algorithms only (§4.3).
pub const DPOP_ALGS: [&str; 4] = ["ES256", "RS256", "PS256", "EdDSA"];
/// The proof's `typ` (RFC 9449 §4.2).
pub const DPOP_TYP: &str = "dpop+jwt";
/// How old a proof's `iat` may be, in seconds.
pub const IAT_PAST: i64 = 300;
/// How far ahead of the server's clock a proof's `iat` may be (clock skew).
pub const IAT_FUTURE: i64 = 60;
/// The longest `jti` kept for the replay check.
const MAX_JTI: usize = 128;

/// A proof that passed RFC 9449 §4.3.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DpopProof {
    /// The JWK SHA-256 thumbprint of the proof's key (RFC 7638), as `cnf.jkt` holds it.
    pub jkt: String,
    /// The proof's unique id.
    pub jti: String,
    /// When the client made it.
    pub iat: i64,
    /// The server-provided nonce it carries (RFC 9449 §8), if any.
    pub nonce: Option<String>,
}

#[derive(Deserialize)]
struct ProofClaims {
    jti: String,
    htm: String,
    htu: String,
    iat: i64,
    #[serde(default)]
    ath: Option<String>,
    #[serde(default)]
    nonce: Option<String>,
}

/// RFC 9449 §4.3: the checks of a proof for a request with method `htm` to `htu`, at `now`;
/// with `access_token`, its `ath` must be that token's hash (§4.2). The error says why.
pub fn check_proof(
    proof: &str,
    htm: &str,
    htu: &str,
    now: i64,
    access_token: Option<&str>,
) -> Result<DpopProof, Cow<'static, str>> {
    // Steps 2–6: a JWS with typ dpop+jwt, an asymmetric alg, and a public key in its header.
    let raw_header = proof
        .split('.')
        .next()
        .and_then(|part| URL_SAFE_NO_PAD.decode(part).ok())
        .and_then(|bytes| serde_json::from_slice::<Map<String, Value>>(&bytes).ok())
        .ok_or("the proof is not a JWT")?;
    let header = decode_header(proof).map_err(|_| "the proof's header is malformed")?;
    if header.typ.as_deref() != Some(DPOP_TYP) {
        return Err("typ must be dpop+jwt (RFC 9449 §4.2)".into());
    }
    if !matches!(
        header.alg,
        Algorithm::ES256 | Algorithm::RS256 | Algorithm::PS256 | Algorithm::EdDSA
    ) {
        return Err("the proof's alg is not accepted (dpop_signing_alg_values_supported)".into());
    }
    let jwk_json =
        raw_header.get("jwk").and_then(Value::as_object).ok_or("the proof has no jwk")?;
    if jwk_json.contains_key("d") || jwk_json.contains_key("k") {
        return Err("the proof's jwk must be a public key".into());
    }
    let jwk = header.jwk.as_ref().ok_or("the proof has no jwk")?;
    let key = DecodingKey::from_jwk(jwk).map_err(|_| "the proof's jwk is not a usable key")?;
    let mut validation = Validation::new(header.alg);
    validation.validate_exp = false;
    validation.validate_aud = false;
    validation.required_spec_claims.clear();
    let claims = decode::<ProofClaims>(proof, &key, &validation)
        .map_err(|_| "the proof's signature or claims are not valid")?
        .claims;
    // Steps 7–11: jti, htm, htu, iat; ath for a presented access token.
    if claims.jti.is_empty() || claims.jti.len() > MAX_JTI {
        return Err("the proof's jti is missing or too long".into());
    }
    if claims.htm != htm {
        return Err(Cow::Owned(format!("htm must be {htm}")));
    }
    if !same_target(&claims.htu, htu) {
        return Err(Cow::Owned(format!("htu must be {htu}")));
    }
    if claims.iat < now - IAT_PAST || claims.iat > now + IAT_FUTURE {
        return Err("the proof's iat is not recent".into());
    }
    if let Some(token) = access_token
        && claims.ath.as_deref() != Some(access_token_hash(token).as_str())
    {
        return Err("ath is not the hash of the access token".into());
    }
    let jkt = thumbprint(jwk_json).ok_or("the proof's jwk lacks required members")?;
    Ok(DpopProof { jkt, jti: claims.jti, iat: claims.iat, nonce: claims.nonce })
}

/// RFC 9449 §4.2 `ath`: the base64url SHA-256 of the access token.
pub fn access_token_hash(token: &str) -> String {
    URL_SAFE_NO_PAD.encode(digest(&SHA256, token.as_bytes()))
}

/// RFC 7638 §3: the SHA-256 of the key's required members, in order, as compact JSON.
pub fn thumbprint(jwk: &Map<String, Value>) -> Option<String> {
    let members: &[&str] = match jwk.get("kty")?.as_str()? {
        "EC" => &["crv", "kty", "x", "y"],
        "RSA" => &["e", "kty", "n"],
        "OKP" => &["crv", "kty", "x"],
        _ => return None,
    };
    let mut canonical = Map::new();
    for name in members {
        let value = jwk.get(*name)?.as_str()?;
        canonical.insert((*name).to_owned(), Value::String(value.to_owned()));
    }
    let text = serde_json::to_string(&canonical).ok()?;
    Some(URL_SAFE_NO_PAD.encode(digest(&SHA256, text.as_bytes())))
}

/// RFC 9449 §4.3 step 9: `htu` names the request's URI without query and fragment (compared
/// after RFC 3986 §6.2.2–6.2.3 normalization: scheme and host case, default port).
fn same_target(claimed: &str, expected: &str) -> bool {
    let (Ok(a), Ok(b)) = (url::Url::parse(claimed), url::Url::parse(expected)) else {
        return false;
    };
    a.scheme() == b.scheme()
        && a.host_str() == b.host_str()
        && a.port_or_known_default() == b.port_or_known_default()
        && a.path() == b.path()
}

/// Proofs seen by this process, each kept until its `iat` is no longer acceptable, so a
/// replay within that window is refused (RFC 9449 §11.1). Bounded: when full, expired entries
/// are dropped, and if none are, the proof is refused rather than the memory grown.
#[derive(Debug)]
pub struct ReplayCache {
    seen: Mutex<HashMap<(String, String), i64>>,
    capacity: usize,
}

impl ReplayCache {
    /// A cache of at most `capacity` proofs.
    pub fn new(capacity: usize) -> Self {
        Self { seen: Mutex::new(HashMap::new()), capacity }
    }

    /// Records `proof` at `now`; `false` when it was seen before (or there is no room).
    pub fn first_use(&self, proof: &DpopProof, now: i64) -> bool {
        let Ok(mut seen) = self.seen.lock() else { return false };
        if seen.len() >= self.capacity {
            seen.retain(|_, until| *until > now);
        }
        if seen.len() >= self.capacity {
            return false;
        }
        let key = (proof.jkt.clone(), proof.jti.clone());
        let until = proof.iat + IAT_PAST + IAT_FUTURE;
        match seen.get(&key) {
            Some(previous) if *previous > now => false,
            _ => {
                seen.insert(key, until);
                true
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rfc9449_11_1_a_proof_is_used_once_and_the_cache_stays_bounded() {
        let cache = ReplayCache::new(2);
        let proof =
            |jti: &str| DpopProof { jkt: "k".into(), jti: jti.into(), iat: 100, nonce: None };
        assert!(cache.first_use(&proof("a"), 100));
        assert!(!cache.first_use(&proof("a"), 101), "replayed");
        assert!(cache.first_use(&proof("b"), 101));
        assert!(!cache.first_use(&proof("c"), 102), "full of live entries: refused");
        assert!(cache.first_use(&proof("c"), 100 + IAT_PAST + IAT_FUTURE + 1), "expired dropped");
    }

    #[test]
    fn rfc7638_3_1_the_example_rsa_thumbprint() {
        let jwk = json!({
            "kty": "RSA",
            "n": "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw",
            "e": "AQAB", "alg": "RS256", "kid": "2011-04-29"
        });
        let jwk = jwk.as_object().cloned().unwrap_or_default();
        assert_eq!(
            thumbprint(&jwk).as_deref(),
            Some("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs")
        );
    }

    #[test]
    fn rfc9449_4_3_htu_ignores_query_fragment_and_case() {
        assert!(same_target("https://AS.example/token?x=1#f", "https://as.example/token"));
        assert!(same_target("https://as.example:443/token", "https://as.example/token"));
        assert!(!same_target("https://as.example/token2", "https://as.example/token"));
        assert!(!same_target("http://as.example/token", "https://as.example/token"));
    }

    #[test]
    fn rfc9449_4_2_ath_is_the_base64url_sha256_of_the_token() {
        // SHA-256 of the empty string.
        assert_eq!(access_token_hash(""), "47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 256, failure_persistence: None, ..Default::default()
        })]

        /// Whatever arrives as a DPoP header, the answer is a checked proof or a reason.
        #[test]
        fn rfc9449_4_3_any_text_is_refused_with_a_reason(text in "[A-Za-z0-9_.=-]{0,120}|.{0,60}") {
            let checked = check_proof(&text, "POST", "https://as.example/token", 0, None);
            proptest::prop_assert!(checked.is_err());
        }
    }
}
