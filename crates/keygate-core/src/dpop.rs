//! DPoP (RFC 9449) on the server: the proof checks of [`keygate_dpop`] plus the single use of
//! each proof's `jti` (§11.1) recorded in the shared store, so a replay fails on every node.

pub use keygate_dpop::{
    DPOP_ALGS, DPOP_TYP, DpopProof, IAT_FUTURE, IAT_PAST, access_token_hash, check_proof,
    thumbprint,
};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::{OAuthError, Provider};

impl Provider {
    /// A proof for `POST` or `GET` (`htm`) to `path` below the issuer: RFC 9449 §4.3, then its
    /// `jti` recorded once for as long as its `iat` is acceptable (§11.1), so a replayed proof
    /// fails on every node. Errors are `invalid_dpop_proof`.
    ///
    /// At the token and pushed request endpoints (no `access_token`), with `[dpop]
    /// require_nonce`, the proof must carry a nonce from [`Provider::dpop_nonce`] of the last
    /// two minutes, else `use_dpop_nonce` (§8).
    pub async fn dpop_proof(
        &self,
        proof: &str,
        htm: &str,
        path: &str,
        access_token: Option<&str>,
    ) -> Result<DpopProof, OAuthError> {
        let htu = format!("{}{path}", self.issuer());
        let checked = check_proof(proof, htm, &htu, self.now(), access_token)
            .map_err(|why| OAuthError::Refused(keygate_types::ErrorCode::InvalidDpopProof, why))?;
        if access_token.is_none()
            && self.settings().dpop_require_nonce
            && !checked.nonce.as_deref().is_some_and(|n| self.fresh_dpop_nonce(n))
        {
            return Err(OAuthError::Refused(
                keygate_types::ErrorCode::UseDpopNonce,
                "use the nonce in the DPoP-Nonce header (RFC 9449 §8)".into(),
            ));
        }
        let key = format!("dpop:{}:{}", checked.jkt, checked.jti);
        let until = checked.iat + IAT_PAST + IAT_FUTURE;
        if !self.store().revoke_jti(&key, "", until).await? {
            let why = "the proof was used before (jti)";
            return Err(OAuthError::Refused(
                keygate_types::ErrorCode::InvalidDpopProof,
                why.into(),
            ));
        }
        Ok(checked)
    }

    /// A DPoP nonce for `DPoP-Nonce` (RFC 9449 §8): the current minute sealed with the master
    /// key, so every node sharing it accepts it, for about two minutes, without storing it.
    pub fn dpop_nonce(&self) -> String {
        let window = (self.now().div_euclid(NONCE_WINDOW)).to_be_bytes();
        match self.master_key().seal(&window, NONCE_PURPOSE) {
            Ok(sealed) => URL_SAFE_NO_PAD.encode(sealed),
            Err(_) => String::new(),
        }
    }

    /// Whether `nonce` is one [`Provider::dpop_nonce`] gave in this minute or the last.
    fn fresh_dpop_nonce(&self, nonce: &str) -> bool {
        let Ok(sealed) = URL_SAFE_NO_PAD.decode(nonce) else { return false };
        let Ok(plain) = self.master_key().open(&sealed, NONCE_PURPOSE) else { return false };
        let Ok(bytes) = <[u8; 8]>::try_from(plain.as_slice()) else { return false };
        let window = i64::from_be_bytes(bytes);
        let now = self.now().div_euclid(NONCE_WINDOW);
        window == now || window == now - 1
    }
}

/// The span of one nonce's minute, in seconds.
const NONCE_WINDOW: i64 = 60;
/// The master key's context for nonces.
const NONCE_PURPOSE: &str = "keygate-dpop-nonce";
