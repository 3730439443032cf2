//! Compact JWS (RFC 7515 §7.1) around aws-lc-rs signatures, and verification of Keygate's own
//! tokens through `jsonwebtoken` with an explicit algorithm per key.

use std::collections::HashSet;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use jsonwebtoken::{Algorithm, Validation, decode, decode_header};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::keys::{KeyPair, Keyring, SigningAlg};

#[derive(Serialize)]
struct Header<'a> {
    alg: &'static str,
    typ: &'a str,
    kid: &'a str,
}

/// Signs `claims` as a compact JWS with the `typ` header (RFC 9068 §2.1: `at+jwt`).
pub fn sign_jwt(key: &KeyPair, typ: &str, claims: &impl Serialize) -> anyhow::Result<String> {
    let header = serde_json::to_vec(&Header { alg: key.alg().as_str(), typ, kid: key.kid() })?;
    let payload = serde_json::to_vec(claims)?;
    let mut out = String::with_capacity(512);
    B64.encode_string(header, &mut out);
    out.push('.');
    B64.encode_string(payload, &mut out);
    let signature = key.sign(out.as_bytes())?;
    out.push('.');
    B64.encode_string(signature, &mut out);
    Ok(out)
}

/// The asymmetric algorithms Keygate accepts in JWTs signed by others (client assertions,
/// request objects, exchanged tokens): never `none` or a shared-secret HMAC.
pub fn is_asymmetric(alg: Algorithm) -> bool {
    matches!(alg, Algorithm::RS256 | Algorithm::PS256 | Algorithm::ES256 | Algorithm::EdDSA)
}

/// A string claim of a JWT read before verification, only to find the keys that verify it
/// (`sub` of a client assertion, `iss` of an exchanged token).
pub fn unverified_claim(jwt: &str, name: &str) -> Option<String> {
    let payload = jwt.split('.').nth(1)?;
    let value: serde_json::Value = serde_json::from_slice(&B64.decode(payload).ok()?).ok()?;
    value.get(name)?.as_str().map(str::to_owned)
}

/// Verifies a JWT Keygate issued: known `kid`, the algorithm that key is for (never the header's
/// say-so), signature, `typ` in `accepted_typ`, and `iss`. Expiry is left to the caller, who holds
/// the injected clock. `None` for anything that does not verify.
pub fn verify_jwt<T: DeserializeOwned>(
    keyring: &Keyring,
    token: &str,
    accepted_typ: &[&str],
    issuer: &str,
) -> Option<T> {
    let header = decode_header(token).ok()?;
    let typ = header.typ.as_deref()?;
    if !accepted_typ.iter().any(|t| t.eq_ignore_ascii_case(typ)) {
        return None;
    }
    let (alg, key) = keyring.verifier(header.kid.as_deref()?)?;
    let mut validation = Validation::new(jose_alg(*alg));
    validation.validate_exp = false;
    validation.validate_aud = false;
    validation.required_spec_claims = HashSet::from(["exp".to_owned(), "iss".to_owned()]);
    validation.set_issuer(&[issuer]);
    decode::<T>(token, key, &validation).ok().map(|data| data.claims)
}

fn jose_alg(alg: SigningAlg) -> Algorithm {
    match alg {
        SigningAlg::RS256 => Algorithm::RS256,
        SigningAlg::ES256 => Algorithm::ES256,
        SigningAlg::EdDSA => Algorithm::EdDSA,
    }
}
