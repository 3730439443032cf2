//! Sealing session data with AES-256-GCM, and the random values the sign-in flow needs.

use aws_lc_rs::aead::{AES_256_GCM, Aad, NONCE_LEN, Nonce, RandomizedNonceKey};
use aws_lc_rs::digest::{SHA256, digest};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};

/// The 256-bit key that seals sessions. Printed as `<redacted>`.
#[derive(Clone)]
pub struct SessionKey([u8; 32]);

impl std::fmt::Debug for SessionKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SessionKey(<redacted>)")
    }
}

/// A session key that could not be made or read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// `SESSION_KEY` is not the base64 of exactly 32 bytes.
    #[error("SESSION_KEY must be 32 bytes in base64 (e.g. `openssl rand -base64 32`)")]
    Malformed,
    /// The system's random generator failed.
    #[error("no randomness available")]
    Random,
}

impl SessionKey {
    /// A fresh random key: sessions sealed with it do not survive a restart.
    pub fn generate() -> Result<Self, KeyError> {
        let mut key = [0u8; 32];
        aws_lc_rs::rand::fill(&mut key).map_err(|_| KeyError::Random)?;
        Ok(Self(key))
    }

    /// A key from its standard base64 form (the `SESSION_KEY` variable).
    pub fn from_base64(text: &str) -> Result<Self, KeyError> {
        let bytes = STANDARD.decode(text.trim()).map_err(|_| KeyError::Malformed)?;
        Ok(Self(bytes.try_into().map_err(|_| KeyError::Malformed)?))
    }
}

/// Seals and opens values under one [`SessionKey`]. Each value gets a random 96-bit nonce,
/// stored in front of the ciphertext; the associated data binds a value to where it is kept.
pub struct Sealer {
    key: RandomizedNonceKey,
}

impl Sealer {
    /// A sealer for `key`.
    pub fn new(key: &SessionKey) -> Result<Self, KeyError> {
        let key = RandomizedNonceKey::new(&AES_256_GCM, &key.0).map_err(|_| KeyError::Random)?;
        Ok(Self { key })
    }

    /// `nonce || ciphertext || tag` of `plaintext`, bound to `aad`.
    pub fn seal(&self, aad: &[u8], plaintext: &[u8]) -> Option<Vec<u8>> {
        let mut in_out = plaintext.to_vec();
        let nonce = self.key.seal_in_place_append_tag(Aad::from(aad), &mut in_out).ok()?;
        let mut sealed = nonce.as_ref().to_vec();
        sealed.extend_from_slice(&in_out);
        Some(sealed)
    }

    /// The plaintext of a value sealed with the same key and `aad`; `None` if it was changed,
    /// moved, or sealed under another key.
    pub fn open(&self, aad: &[u8], sealed: &[u8]) -> Option<Vec<u8>> {
        if sealed.len() < NONCE_LEN {
            return None;
        }
        let (nonce, ciphertext) = sealed.split_at(NONCE_LEN);
        let nonce = Nonce::try_assume_unique_for_key(nonce).ok()?;
        let mut in_out = ciphertext.to_vec();
        let plaintext = self.key.open_in_place(nonce, Aad::from(aad), &mut in_out).ok()?;
        Some(plaintext.to_vec())
    }
}

/// `bytes` random bytes in base64url: state, nonce, PKCE verifier, session ids, CSRF tokens.
pub fn random_token(bytes: usize) -> Option<String> {
    let mut buf = vec![0u8; bytes];
    aws_lc_rs::rand::fill(&mut buf).ok()?;
    Some(URL_SAFE_NO_PAD.encode(buf))
}

/// The PKCE S256 challenge of a verifier: base64url(SHA-256(verifier)) (RFC 7636 §4.2).
pub fn s256(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(digest(&SHA256, verifier.as_bytes()))
}

/// Compares two secrets in constant time.
pub fn same(a: &str, b: &str) -> bool {
    aws_lc_rs::constant_time::verify_slices_are_equal(a.as_bytes(), b.as_bytes()).is_ok()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn sealed_values_open_only_with_the_same_key_and_place() {
        let sealer = Sealer::new(&SessionKey::generate().unwrap()).unwrap();
        let sealed = sealer.seal(b"here", b"secret token").unwrap();
        assert!(!sealed.windows(6).any(|w| w == b"secret"));
        assert_eq!(sealer.open(b"here", &sealed).unwrap(), b"secret token");
        assert!(sealer.open(b"elsewhere", &sealed).is_none(), "bound to its place");
        let other = Sealer::new(&SessionKey::generate().unwrap()).unwrap();
        assert!(other.open(b"here", &sealed).is_none(), "bound to its key");
        let mut tampered = sealed.clone();
        tampered[NONCE_LEN] ^= 1;
        assert!(sealer.open(b"here", &tampered).is_none());
    }

    #[test]
    fn session_key_must_be_32_bytes_of_base64() {
        assert!(SessionKey::from_base64(&STANDARD.encode([7u8; 32])).is_ok());
        assert!(SessionKey::from_base64(&STANDARD.encode([7u8; 16])).is_err());
        assert!(SessionKey::from_base64("not base64!").is_err());
    }

    #[test]
    fn rfc7636_appendix_b_s256_challenge() {
        let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        assert_eq!(s256(verifier), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    }
}
