//! Credential public keys as COSE_Key (RFC 9052 §7, RFC 9053) and their signatures, verified
//! with aws-lc-rs: ES256 (P-256, DER signatures per WebAuthn §6.5.6), EdDSA (Ed25519) and RS256
//! (RSASSA-PKCS1-v1_5, at least 2048 bits).

use aws_lc_rs::signature::{
    ECDSA_P256_SHA256_ASN1, ED25519, RSA_PKCS1_2048_8192_SHA256, RsaPublicKeyComponents,
    UnparsedPublicKey,
};
use coset::cbor::value::Value;
use coset::iana::{self, EnumI64};
use coset::{AsCborValue, CborSerializable, CoseKey, KeyType, Label, RegisteredLabelWithPrivate};

use super::WebauthnError;

/// COSE `alg` ES256.
pub const ALG_ES256: i64 = -7;
/// COSE `alg` EdDSA.
pub const ALG_EDDSA: i64 = -8;
/// COSE `alg` RS256.
pub const ALG_RS256: i64 = -257;
/// The algorithms offered in `pubKeyCredParams`, most preferred first (§5.4 step "pubKeyCredParams").
pub const COSE_ALGORITHMS: [i64; 3] = [ALG_ES256, ALG_EDDSA, ALG_RS256];

/// A credential public key Keygate can verify with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct PublicKey {
    /// The COSE algorithm.
    pub alg: i64,
    key: KeyMaterial,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum KeyMaterial {
    /// SEC1 uncompressed point.
    P256(Vec<u8>),
    Ed25519(Vec<u8>),
    Rsa {
        n: Vec<u8>,
        e: Vec<u8>,
    },
}

impl PublicKey {
    /// Reads a COSE_Key as stored (its CBOR bytes).
    pub fn from_cose(bytes: &[u8]) -> Result<Self, WebauthnError> {
        let key = CoseKey::from_slice(bytes).map_err(|_| WebauthnError::Malformed("public key"))?;
        Self::from_key(&key)
    }

    /// Reads a COSE_Key value from authenticator data.
    pub fn from_value(value: Value) -> Result<(Self, Vec<u8>), WebauthnError> {
        let key =
            CoseKey::from_cbor_value(value).map_err(|_| WebauthnError::Malformed("public key"))?;
        let parsed = Self::from_key(&key)?;
        let bytes = key.to_vec().map_err(|_| WebauthnError::Malformed("public key"))?;
        Ok((parsed, bytes))
    }

    fn from_key(key: &CoseKey) -> Result<Self, WebauthnError> {
        let alg = match &key.alg {
            Some(RegisteredLabelWithPrivate::Assigned(a)) => a.to_i64(),
            _ => return Err(WebauthnError::UnsupportedAlgorithm),
        };
        let param =
            |label: i64| key.params.iter().find(|(l, _)| *l == Label::Int(label)).map(|(_, v)| v);
        let bytes = |label: i64| param(label).and_then(Value::as_bytes).cloned();
        let curve = param(-1).and_then(Value::as_integer).and_then(|i| i64::try_from(i).ok());
        let material = match (&key.kty, alg) {
            (KeyType::Assigned(iana::KeyType::EC2), ALG_ES256)
                if curve == Some(iana::EllipticCurve::P_256.to_i64()) =>
            {
                let (Some(x), Some(y)) = (bytes(-2), bytes(-3)) else {
                    return Err(WebauthnError::Malformed("public key coordinates"));
                };
                if x.len() != 32 || y.len() != 32 {
                    return Err(WebauthnError::Malformed("public key coordinates"));
                }
                KeyMaterial::P256([&[0x04][..], &x, &y].concat())
            }
            (KeyType::Assigned(iana::KeyType::OKP), ALG_EDDSA)
                if curve == Some(iana::EllipticCurve::Ed25519.to_i64()) =>
            {
                let x = bytes(-2).filter(|x| x.len() == 32);
                KeyMaterial::Ed25519(x.ok_or(WebauthnError::Malformed("public key"))?)
            }
            (KeyType::Assigned(iana::KeyType::RSA), ALG_RS256) => {
                let (Some(n), Some(e)) = (bytes(-1), bytes(-2)) else {
                    return Err(WebauthnError::Malformed("public key"));
                };
                if n.len() < 256 {
                    return Err(WebauthnError::UnsupportedAlgorithm);
                }
                KeyMaterial::Rsa { n, e }
            }
            _ => return Err(WebauthnError::UnsupportedAlgorithm),
        };
        Ok(Self { alg, key: material })
    }

    /// Verifies `signature` over `message`.
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> Result<(), WebauthnError> {
        let checked = match &self.key {
            KeyMaterial::P256(point) => {
                UnparsedPublicKey::new(&ECDSA_P256_SHA256_ASN1, point).verify(message, signature)
            }
            KeyMaterial::Ed25519(x) => {
                UnparsedPublicKey::new(&ED25519, x).verify(message, signature)
            }
            KeyMaterial::Rsa { n, e } => RsaPublicKeyComponents { n, e }.verify(
                &RSA_PKCS1_2048_8192_SHA256,
                message,
                signature,
            ),
        };
        checked.map_err(|_| WebauthnError::BadSignature)
    }
}
