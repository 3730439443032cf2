//! DPoP (RFC 9449) on the server: the proof checks of [`keygate_dpop`] plus the single use of
//! each proof's `jti` (§11.1) recorded in the shared store, so a replay fails on every node.

pub use keygate_dpop::{
    DPOP_ALGS, DPOP_TYP, DpopProof, IAT_FUTURE, IAT_PAST, access_token_hash, check_proof,
    thumbprint,
};

use crate::{OAuthError, Provider};

impl Provider {
    /// A proof for `POST` or `GET` (`htm`) to `path` below the issuer: RFC 9449 §4.3, then its
    /// `jti` recorded once for as long as its `iat` is acceptable (§11.1), so a replayed proof
    /// fails on every node. Errors are `invalid_dpop_proof`.
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
}
