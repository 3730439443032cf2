//! [`ProofKey`]: the client's side of DPoP (RFC 9449 §4): an ES256 key pair that makes
//! proofs, kept as PKCS#8 so a client can store it with its tokens.

use aws_lc_rs::rand::{SecureRandom, SystemRandom};
use aws_lc_rs::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, KeyPair};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value, json};

use crate::{DPOP_TYP, access_token_hash, thumbprint};

/// The key could not be made, read or used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyError(pub &'static str);

impl std::fmt::Display for KeyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

impl std::error::Error for KeyError {}

/// What a proof is for (RFC 9449 §4.2): the request's method and URI, and optionally the
/// access token it accompanies (`ath`) and the server's nonce (§8, §9).
#[derive(Debug, Clone, Copy)]
pub struct ProofFor<'a> {
    /// `htm`: the HTTP method.
    pub htm: &'a str,
    /// `htu`: the URI, without query and fragment (they are removed here if present).
    pub htu: &'a str,
    /// `iat`: seconds since the epoch.
    pub iat: i64,
    /// The access token sent with the proof, hashed into `ath`.
    pub access_token: Option<&'a str>,
    /// The latest `DPoP-Nonce` of the server.
    pub nonce: Option<&'a str>,
}

/// A client's DPoP key: ES256 (P-256), the one algorithm every DPoP server accepts in
/// practice. `Debug` shows only the thumbprint.
pub struct ProofKey {
    pair: EcdsaKeyPair,
    pkcs8: Vec<u8>,
    jwk: Map<String, Value>,
    jkt: String,
}

impl std::fmt::Debug for ProofKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProofKey").field("jkt", &self.jkt).finish_non_exhaustive()
    }
}

impl ProofKey {
    /// A new key from the system's random source.
    pub fn generate() -> Result<Self, KeyError> {
        let rng = SystemRandom::new();
        let document = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng)
            .map_err(|_| KeyError("could not generate a DPoP key"))?;
        Self::from_pkcs8(document.as_ref())
    }

    /// A key read back from [`ProofKey::pkcs8`].
    pub fn from_pkcs8(pkcs8: &[u8]) -> Result<Self, KeyError> {
        let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8)
            .map_err(|_| KeyError("the DPoP key is not a P-256 PKCS#8 key"))?;
        // An uncompressed point: 0x04, then x and y of 32 bytes each (SEC 1 §2.3.3).
        let point = pair.public_key().as_ref();
        let (Some(x), Some(y)) = (point.get(1..33), point.get(33..65)) else {
            return Err(KeyError("the DPoP key's public point is malformed"));
        };
        let jwk = json!({
            "kty": "EC", "crv": "P-256",
            "x": URL_SAFE_NO_PAD.encode(x), "y": URL_SAFE_NO_PAD.encode(y),
        });
        let jwk = jwk.as_object().cloned().unwrap_or_default();
        let jkt = thumbprint(&jwk).ok_or(KeyError("the DPoP key has no thumbprint"))?;
        Ok(Self { pair, pkcs8: pkcs8.to_vec(), jwk, jkt })
    }

    /// The private key as PKCS#8 (a secret: store it as carefully as the tokens).
    pub fn pkcs8(&self) -> &[u8] {
        &self.pkcs8
    }

    /// The public key as a JWK (RFC 7517), as the proof header carries it.
    pub fn public_jwk(&self) -> &Map<String, Value> {
        &self.jwk
    }

    /// The RFC 7638 thumbprint: `dpop_jkt` at the authorization endpoint, `cnf.jkt` in
    /// bound tokens.
    pub fn jkt(&self) -> &str {
        &self.jkt
    }

    /// A proof (RFC 9449 §4.2) with a fresh random `jti`.
    pub fn proof(&self, target: ProofFor<'_>) -> Result<String, KeyError> {
        let rng = SystemRandom::new();
        let mut id = [0u8; 16];
        rng.fill(&mut id).map_err(|_| KeyError("no randomness for the proof's jti"))?;
        let header = json!({ "typ": DPOP_TYP, "alg": "ES256", "jwk": self.jwk });
        let htu = target.htu.split(['?', '#']).next().unwrap_or(target.htu);
        let mut claims = json!({
            "jti": URL_SAFE_NO_PAD.encode(id), "htm": target.htm, "htu": htu, "iat": target.iat,
        });
        if let Some(token) = target.access_token {
            claims["ath"] = Value::String(access_token_hash(token));
        }
        if let Some(nonce) = target.nonce {
            claims["nonce"] = Value::String(nonce.to_owned());
        }
        let part = |value: &Value| URL_SAFE_NO_PAD.encode(value.to_string());
        let input = format!("{}.{}", part(&header), part(&claims));
        let signature = self
            .pair
            .sign(&rng, input.as_bytes())
            .map_err(|_| KeyError("could not sign the DPoP proof"))?;
        Ok(format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature.as_ref())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check_proof;

    #[test]
    fn rfc9449_4_2_proofs_pass_the_servers_checks_and_the_key_round_trips() {
        let Ok(key) = ProofKey::generate() else { panic!("key") };
        let target = ProofFor {
            htm: "GET",
            htu: "https://api.example/things?page=2",
            iat: 1_000,
            access_token: Some("token"),
            nonce: Some("n-1"),
        };
        let Ok(proof) = key.proof(target) else { panic!("proof") };
        let checked =
            check_proof(&proof, "GET", "https://api.example/things", 1_000, Some("token"));
        let Ok(checked) = checked else { panic!("{checked:?}") };
        assert_eq!(checked.jkt, key.jkt());
        assert_eq!(checked.nonce.as_deref(), Some("n-1"));
        let Ok(again) = ProofKey::from_pkcs8(key.pkcs8()) else { panic!("read back") };
        assert_eq!(again.jkt(), key.jkt());
        let Ok(second) = again.proof(target) else { panic!("proof") };
        let Ok(second) = check_proof(&second, "GET", "https://api.example/things", 1_000, None)
        else {
            panic!("second proof")
        };
        assert_ne!(second.jti, checked.jti, "each proof has its own jti (§4.2)");
    }

    #[test]
    fn a_foreign_key_is_refused_when_read() {
        assert!(ProofKey::from_pkcs8(b"not a key").is_err());
    }
}
