//! Random values (state, nonce, PKCE verifier, salts), constant-time comparison and the PKCE
//! S256 transform.

use aws_lc_rs::digest::{SHA256, digest};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::error::{Error, Result};

/// `n` random bytes from the operating system's generator.
pub(crate) fn bytes<const N: usize>() -> Result<[u8; N]> {
    let mut out = [0u8; N];
    aws_lc_rs::rand::fill(&mut out)
        .map_err(|_| Error::Storage("the system random generator failed".to_owned()))?;
    Ok(out)
}

/// 32 random bytes as base64url (43 characters): 256 bits, also a valid PKCE verifier
/// (RFC 7636 §4.1: 43–128 unreserved characters).
pub(crate) fn token() -> Result<String> {
    Ok(URL_SAFE_NO_PAD.encode(bytes::<32>()?))
}

/// RFC 7636 §4.2: `BASE64URL(SHA256(ASCII(code_verifier)))`.
pub fn s256(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(digest(&SHA256, verifier.as_bytes()))
}

/// Compares two strings in constant time (for `state` and `nonce`).
pub(crate) fn same(a: &str, b: &str) -> bool {
    aws_lc_rs::constant_time::verify_slices_are_equal(a.as_bytes(), b.as_bytes()).is_ok()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn rfc7636_appendix_b_s256_example() {
        let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        assert_eq!(s256(verifier), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    }

    #[test]
    fn rfc7636_4_1_verifier_has_43_unreserved_characters() {
        let t = token().unwrap();
        assert_eq!(t.len(), 43);
        assert!(t.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b)));
        assert_ne!(t, token().unwrap());
    }
}
