//! Secrets: redacted in `Debug`, never `Display`ed or serialized, stored as SHA-256 and compared
//! in constant time. Client secrets, codes and tokens are 256-bit random values, so a plain
//! hash is as strong as a slow KDF and costs nothing on the hot path.

use aws_lc_rs::digest::{SHA256, digest};
use aws_lc_rs::rand::{SecureRandom, SystemRandom};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use subtle::ConstantTimeEq;

/// A secret value (client secret, password). Read it only through [`Secret::expose_secret`].
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// A fresh random secret of `bytes` bytes of entropy, base64url-encoded.
    pub fn generate(bytes: usize) -> Self {
        Self(random_string(bytes))
    }

    /// The secret itself. Grep for this call to audit where secrets flow.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// `bytes` random bytes from the operating system's CSPRNG, base64url without padding.
pub fn random_string(bytes: usize) -> String {
    URL_SAFE_NO_PAD.encode(random_bytes(bytes))
}

/// RFC 7636 §4.2 S256: BASE64URL(SHA256(ASCII(verifier))).
pub fn pkce_s256(verifier: &str) -> String {
    let hashed = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, verifier.as_bytes());
    URL_SAFE_NO_PAD.encode(hashed)
}

/// A random identifier (client id, user id): 128 bits as lowercase hex, so that it never begins
/// with `-` (which a shell tool would read as a flag) and survives any URL or form unescaped.
pub fn random_id() -> String {
    random_bytes(16).iter().map(|b| format!("{b:02x}")).collect()
}

/// `len` random bytes from the operating system's CSPRNG.
pub fn random_bytes(len: usize) -> Vec<u8> {
    let mut buf = vec![0u8; len];
    // The OS RNG failing is unrecoverable: there is no safe fallback for key material.
    #[allow(clippy::expect_used)]
    SystemRandom::new()
        .fill(&mut buf)
        .expect("the operating system's random number generator failed");
    buf
}

/// The SHA-256 hash of a secret, as stored.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretHash([u8; 32]);

impl SecretHash {
    /// Hashes a presented or generated secret.
    pub fn of(secret: &str) -> Self {
        let mut out = [0u8; 32];
        out.copy_from_slice(digest(&SHA256, secret.as_bytes()).as_ref());
        Self(out)
    }

    /// Rebuilds a hash read from storage.
    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        <[u8; 32]>::try_from(bytes).ok().map(Self)
    }

    /// The raw hash, for storage.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// Whether `presented` hashes to this value, compared in constant time.
    pub fn verify(&self, presented: &str) -> bool {
        Self::of(presented).0.ct_eq(&self.0).into()
    }
}

impl std::fmt::Debug for SecretHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretHash(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_secrets_carry_256_bits_and_differ() {
        let a = Secret::generate(32);
        let b = Secret::generate(32);
        assert_eq!(a.expose_secret().len(), 43);
        assert_ne!(a, b);
    }

    #[test]
    fn ids_are_128_bit_hex() {
        let id = random_id();
        assert_eq!(id.len(), 32);
        assert!(id.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
    }

    #[test]
    fn debug_never_shows_the_secret() {
        let s = Secret::new("hunter2");
        assert!(!format!("{s:?}").contains("hunter2"));
        assert!(!format!("{:?}", SecretHash::of("hunter2")).contains("hunter2"));
    }

    #[test]
    fn hash_verifies_only_the_same_secret() {
        let h = SecretHash::of("correct horse");
        assert!(h.verify("correct horse"));
        assert!(!h.verify("correct horse "));
        assert_eq!(SecretHash::from_bytes(h.as_bytes()), Some(h));
    }
}
