use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{
    ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, Ed25519KeyPair, KeyPair as _, RSA_PKCS1_SHA256,
};
use aws_lc_rs::{digest, rsa};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use keygate_types::Jwk;

use super::SigningAlg;

enum Inner {
    Rsa(rsa::KeyPair),
    Ec(EcdsaKeyPair),
    Ed(Ed25519KeyPair),
}

/// A parsed private key, kept parsed so that signing costs only the signature
/// (re-parsing PKCS#8 per token costs 2x for ES256, more for RS256).
pub struct KeyPair {
    inner: Inner,
    alg: SigningAlg,
    kid: String,
    jwk: Jwk,
}

impl std::fmt::Debug for KeyPair {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyPair").field("alg", &self.alg).field("kid", &self.kid).finish()
    }
}

impl KeyPair {
    /// Generates a new key for `alg` and returns it with its PKCS#8 DER encoding.
    pub fn generate(alg: SigningAlg) -> anyhow::Result<(Self, Vec<u8>)> {
        let rng = SystemRandom::new();
        let pkcs8 = match alg {
            SigningAlg::RS256 => rsa::KeyPair::generate(rsa::KeySize::Rsa2048)
                .map_err(|_| anyhow::anyhow!("RSA key generation failed"))?
                .as_der()
                .map_err(|_| anyhow::anyhow!("RSA key encoding failed"))?
                .as_ref()
                .to_vec(),
            SigningAlg::ES256 => {
                EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng)
                    .map_err(|_| anyhow::anyhow!("EC key generation failed"))?
                    .as_ref()
                    .to_vec()
            }
            SigningAlg::EdDSA => Ed25519KeyPair::generate_pkcs8(&rng)
                .map_err(|_| anyhow::anyhow!("Ed25519 key generation failed"))?
                .as_ref()
                .to_vec(),
        };
        Ok((Self::from_pkcs8(alg, &pkcs8)?, pkcs8))
    }

    /// Parses a PKCS#8 private key. The `kid` is the key's RFC 7638 JWK thumbprint.
    pub fn from_pkcs8(alg: SigningAlg, pkcs8: &[u8]) -> anyhow::Result<Self> {
        let bad = |_| anyhow::anyhow!("stored {alg} key is not valid PKCS#8");
        let inner = match alg {
            SigningAlg::RS256 => Inner::Rsa(rsa::KeyPair::from_pkcs8(pkcs8).map_err(bad)?),
            SigningAlg::ES256 => Inner::Ec(
                EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8).map_err(bad)?,
            ),
            SigningAlg::EdDSA => Inner::Ed(Ed25519KeyPair::from_pkcs8(pkcs8).map_err(bad)?),
        };
        let (kty, members) = public_members(&inner)?;
        let kid = thumbprint(kty, &members);
        let get = |name: &str| members.iter().find(|(k, _)| *k == name).map(|(_, v)| v.clone());
        let jwk = Jwk {
            kty: kty.to_owned(),
            kid: kid.clone(),
            use_: "sig".to_owned(),
            alg: alg.as_str().to_owned(),
            n: get("n"),
            e: get("e"),
            crv: get("crv"),
            x: get("x"),
            y: get("y"),
        };
        Ok(Self { inner, alg, kid, jwk })
    }

    /// The algorithm.
    pub fn alg(&self) -> SigningAlg {
        self.alg
    }

    /// The key id (RFC 7638 thumbprint).
    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// The public key as a JWK.
    pub fn public_jwk(&self) -> &Jwk {
        &self.jwk
    }

    /// Signs `message` and returns the JWS signature bytes (RFC 7518 §3.3, §3.4, RFC 8037 §3.1).
    pub fn sign(&self, message: &[u8]) -> anyhow::Result<Vec<u8>> {
        let rng = SystemRandom::new();
        match &self.inner {
            Inner::Rsa(k) => {
                let mut sig = vec![0u8; k.public_modulus_len()];
                k.sign(&RSA_PKCS1_SHA256, &rng, message, &mut sig)
                    .map_err(|_| anyhow::anyhow!("RSA signing failed"))?;
                Ok(sig)
            }
            Inner::Ec(k) => Ok(k
                .sign(&rng, message)
                .map_err(|_| anyhow::anyhow!("ECDSA signing failed"))?
                .as_ref()
                .to_vec()),
            Inner::Ed(k) => Ok(k.sign(message).as_ref().to_vec()),
        }
    }
}

type Members = Vec<(&'static str, String)>;

/// The required public members of the JWK, in the lexicographic order RFC 7638 §3.2 wants.
fn public_members(inner: &Inner) -> anyhow::Result<(&'static str, Members)> {
    Ok(match inner {
        Inner::Rsa(k) => {
            let public = k.public_key();
            let e = B64.encode(public.exponent().big_endian_without_leading_zero());
            let n = B64.encode(public.modulus().big_endian_without_leading_zero());
            ("RSA", vec![("e", e), ("kty", "RSA".into()), ("n", n)])
        }
        Inner::Ec(k) => {
            // Uncompressed SEC1 point: 0x04 || x (32 bytes) || y (32 bytes).
            let point = k.public_key().as_ref();
            anyhow::ensure!(point.len() == 65 && point[0] == 4, "unexpected EC point encoding");
            let (x, y) = (B64.encode(&point[1..33]), B64.encode(&point[33..]));
            ("EC", vec![("crv", "P-256".into()), ("kty", "EC".into()), ("x", x), ("y", y)])
        }
        Inner::Ed(k) => {
            let x = B64.encode(k.public_key().as_ref());
            ("OKP", vec![("crv", "Ed25519".into()), ("kty", "OKP".into()), ("x", x)])
        }
    })
}

/// RFC 7638 §3: SHA-256 over the required members, sorted, without whitespace.
fn thumbprint(_kty: &str, members: &Members) -> String {
    let body =
        members.iter().map(|(k, v)| format!("\"{k}\":\"{v}\"")).collect::<Vec<_>>().join(",");
    B64.encode(digest::digest(&digest::SHA256, format!("{{{body}}}").as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_algorithm_generates_parses_and_signs() {
        for alg in SigningAlg::ALL {
            let (key, pkcs8) = KeyPair::generate(alg).unwrap_or_else(|e| panic!("{alg}: {e}"));
            let again = KeyPair::from_pkcs8(alg, &pkcs8).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(key.kid(), again.kid(), "thumbprint is stable");
            assert!(!key.sign(b"message").unwrap_or_default().is_empty());
            assert_eq!(key.public_jwk().alg, alg.as_str());
        }
    }

    #[test]
    fn rfc7638_3_1_thumbprint_example() {
        // The RSA key of RFC 7638 §3.1 and its published thumbprint.
        let n = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";
        let members: Members = vec![("e", "AQAB".into()), ("kty", "RSA".into()), ("n", n.into())];
        assert_eq!(thumbprint("RSA", &members), "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
    }
}
