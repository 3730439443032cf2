//! The authorization code grant at the token endpoint (RFC 6749 §4.1.3, RFC 7636 §4.5–4.6).

use std::borrow::Cow;

use keygate_types::TokenResponse;
use subtle::ConstantTimeEq;

use crate::params::Params;
use crate::secret::SecretHash;
use crate::store::Consumed;
use crate::{Client, OAuthError, Provider};

fn invalid(text: &'static str) -> OAuthError {
    OAuthError::InvalidGrant(Cow::Borrowed(text))
}

impl Provider {
    /// Exchanges a code. The code is consumed atomically; presenting it a second time revokes
    /// the grant and every token issued from it (RFC 6749 §4.1.2, RFC 9700 §4.5).
    pub(super) async fn authorization_code_grant(
        &self,
        client: &Client,
        params: &Params,
        jkt: Option<&str>,
    ) -> Result<TokenResponse, OAuthError> {
        let code = params.required("code")?;
        let redirect_uri = params.single("redirect_uri")?;
        let verifier = params.single("code_verifier")?;
        let hash = SecretHash::of(code);
        let stored = match self.store().consume_code(&hash, &client.client_id, self.now()).await? {
            // RFC 6749 §4.1.3: the code must have been issued to the authenticated client; a
            // code presented by another client is not consumed, so it cannot be burnt.
            Consumed::AlreadyUsed(stored) if stored.client_id != client.client_id => {
                return Err(invalid("the authorization code was issued to another client"));
            }
            Consumed::Fresh(stored) => stored,
            Consumed::AlreadyUsed(stored) => {
                self.revoke_on_reuse(&stored.grant_id, client, "an authorization code").await?;
                tracing::warn!(client_id = %client.client_id, grant = %stored.grant_id,
                    "authorization code replayed: grant revoked");
                return Err(invalid("the authorization code was already used"));
            }
            Consumed::Missing => return Err(invalid("unknown authorization code")),
        };
        if stored.expires_at <= self.now() {
            return Err(invalid("the authorization code has expired"));
        }
        // RFC 6749 §4.1.3: the redirect_uri of the request must be repeated, identically.
        if redirect_uri != Some(stored.redirect_uri.as_str()) {
            return Err(invalid("redirect_uri does not match the authorization request"));
        }
        check_pkce(stored.code_challenge.as_deref(), verifier)?;
        let details = params.single("authorization_details")?;
        // RFC 9449 §10: a code bound with dpop_jkt is exchanged with a proof of that key.
        if let Some(bound) = &stored.dpop_jkt
            && jkt != Some(bound.as_str())
        {
            return Err(OAuthError::Refused(
                keygate_types::ErrorCode::InvalidDpopProof,
                "the code is bound to a DPoP key (dpop_jkt): send a proof of that key".into(),
            ));
        }
        self.first_tokens(client, &stored.grant_id, stored.nonce, details, jkt).await
    }
}

/// RFC 7636 §4.6: BASE64URL(SHA256(verifier)) must equal the challenge. A verifier for a code
/// issued without a challenge is refused too: it signals a PKCE downgrade (RFC 9700 §2.1.1).
fn check_pkce(challenge: Option<&str>, verifier: Option<&str>) -> Result<(), OAuthError> {
    match (challenge, verifier) {
        (None, None) => Ok(()),
        (None, Some(_)) => Err(invalid("code_verifier sent for a code issued without PKCE")),
        (Some(_), None) => Err(invalid("code_verifier is required")),
        (Some(challenge), Some(verifier)) => {
            // RFC 7636 §4.1: 43 to 128 characters of [A-Z a-z 0-9 - . _ ~].
            let well_formed = (43..=128).contains(&verifier.len())
                && verifier
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'));
            let computed = crate::secret::pkce_s256(verifier);
            if well_formed && bool::from(computed.as_bytes().ct_eq(challenge.as_bytes())) {
                Ok(())
            } else {
                Err(invalid("code_verifier does not match the code_challenge"))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc7636_appendix_b_example_verifies() {
        let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
        assert!(check_pkce(Some(challenge), Some(verifier)).is_ok());
        assert!(check_pkce(Some(challenge), Some("x".repeat(43).as_str())).is_err());
        assert!(check_pkce(Some(challenge), None).is_err());
    }

    #[test]
    fn rfc9700_2_1_1_verifier_without_challenge_is_a_downgrade() {
        assert!(check_pkce(None, Some("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")).is_err());
        assert!(check_pkce(None, None).is_ok());
    }
}
