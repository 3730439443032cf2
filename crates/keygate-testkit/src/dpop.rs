//! A DPoP client key (RFC 9449) that makes proofs, right or deliberately wrong.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use keygate_core::keys::{KeyPair, SigningAlg};
use serde_json::{Value, json};

/// A client's DPoP key pair.
pub struct DpopKey {
    key: KeyPair,
}

impl DpopKey {
    /// A new key for `alg`.
    pub fn new(alg: SigningAlg) -> Self {
        Self { key: KeyPair::generate(alg).expect("key").0 }
    }

    /// The public key as a JWK.
    pub fn public_jwk(&self) -> Value {
        serde_json::to_value(self.key.public_jwk()).expect("jwk")
    }

    /// The RFC 7638 thumbprint, as `cnf.jkt` holds it.
    pub fn jkt(&self) -> String {
        let jwk = self.public_jwk();
        keygate_core::dpop::thumbprint(jwk.as_object().expect("object")).expect("thumbprint")
    }

    /// A proof for `htm` `htu` made at `iat`, with `ath` for `access_token`.
    pub fn proof(&self, htm: &str, htu: &str, iat: i64, access_token: Option<&str>) -> String {
        let mut claims = json!({
            "jti": keygate_core::secret::random_id(), "htm": htm, "htu": htu, "iat": iat,
        });
        if let Some(token) = access_token {
            claims["ath"] = json!(keygate_core::dpop::access_token_hash(token));
        }
        self.signed(self.header(), &claims)
    }

    /// A proof for `htm` `htu` made at `iat` carrying the server's `nonce` (RFC 9449 §8).
    pub fn proof_with_nonce(&self, htm: &str, htu: &str, iat: i64, nonce: &str) -> String {
        let claims = json!({
            "jti": keygate_core::secret::random_id(), "htm": htm, "htu": htu, "iat": iat,
            "nonce": nonce,
        });
        self.signed(self.header(), &claims)
    }

    /// The proof header: `typ` `dpop+jwt`, the alg, and the public key.
    pub fn header(&self) -> Value {
        json!({ "typ": "dpop+jwt", "alg": self.key.alg().as_str(), "jwk": self.public_jwk() })
    }

    /// `claims` signed under `header`, whatever they say.
    pub fn signed(&self, header: Value, claims: &Value) -> String {
        let part = |v: &Value| URL_SAFE_NO_PAD.encode(serde_json::to_vec(v).expect("json"));
        let input = format!("{}.{}", part(&header), part(claims));
        let signature = self.key.sign(input.as_bytes()).expect("sign");
        format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature))
    }
}
