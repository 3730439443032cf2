//! JSON Web Keys (RFC 7517) with the public members of RFC 7518 §6 and RFC 8037 §2.

use serde::{Deserialize, Serialize};

/// A public JSON Web Key. Private members are deliberately absent from this type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Jwk {
    /// Key type: `RSA`, `EC` or `OKP` (RFC 7518 §6.1, RFC 8037 §2).
    pub kty: String,
    /// Key id, matched against the JWS `kid` header.
    pub kid: String,
    /// Intended use: `sig`.
    #[serde(rename = "use")]
    pub use_: String,
    /// The algorithm the key is used with.
    pub alg: String,
    /// RSA modulus, base64url (RFC 7518 §6.3.1.1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub n: Option<String>,
    /// RSA public exponent, base64url (RFC 7518 §6.3.1.2).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub e: Option<String>,
    /// Curve: `P-256` or `Ed25519` (RFC 7518 §6.2.1.1, RFC 8037 §2).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub crv: Option<String>,
    /// EC or OKP x coordinate / public key, base64url.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub x: Option<String>,
    /// EC y coordinate, base64url.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub y: Option<String>,
}

/// A JWK Set document (RFC 7517 §5), as served at `jwks_uri`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JwkSet {
    /// The keys.
    pub keys: Vec<Jwk>,
}
