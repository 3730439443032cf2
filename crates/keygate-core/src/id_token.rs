//! ID tokens (OIDC Core §2, §3.1.3.6).

use aws_lc_rs::digest::{SHA256, SHA512, digest};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::claims::user_claims;
use crate::jwt::{sign_jwt, verify_jwt};
use crate::keys::SigningAlg;
use crate::store::Grant;
use crate::{Client, OAuthError, Provider, User};

/// The `acr` Keygate asserts for a password sign-in.
pub const ACR_PASSWORD: &str = "urn:keygate:acr:password";
/// The `acr` Keygate asserts for a sign-in through an upstream identity provider.
pub const ACR_FEDERATED: &str = "urn:keygate:acr:federated";
/// The `acr` Keygate asserts for a sign-in with a password and a second factor.
pub const ACR_MFA: &str = "urn:keygate:acr:mfa";
/// `acr`: a passkey, alone with user verification or after a password; phishing-resistant
/// (the key signs for Keygate's origin only).
pub const ACR_PHISHING_RESISTANT: &str = "urn:keygate:acr:phishing-resistant";

/// The claims of an ID token.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IdTokenClaims {
    /// Issuer.
    pub iss: String,
    /// Subject: the user's stable id.
    pub sub: String,
    /// Audience: the client.
    pub aud: String,
    /// Expiry.
    pub exp: i64,
    /// Issue time.
    pub iat: i64,
    /// When the user authenticated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auth_time: Option<i64>,
    /// The request's nonce.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nonce: Option<String>,
    /// Authentication context class.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub acr: Option<String>,
    /// Authentication methods (RFC 8176).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amr: Option<Vec<String>>,
    /// Authorized party: the client (OIDC Core §2).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub azp: Option<String>,
    /// Session id (OIDC Back-Channel Logout §2.1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
    /// Access token hash (OIDC Core §3.1.3.6).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at_hash: Option<String>,
    /// User claims released by scope or `claims`.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// OIDC Core §3.1.3.6: the left half of the hash of the access token's ASCII octets, with the
/// hash of the ID token's algorithm (SHA-256 for RS256/ES256; SHA-512 for Ed25519, whose
/// signature hash it is).
pub fn at_hash(alg: SigningAlg, access_token: &str) -> String {
    let hashed = match alg {
        SigningAlg::RS256 | SigningAlg::ES256 => digest(&SHA256, access_token.as_bytes()),
        SigningAlg::EdDSA => digest(&SHA512, access_token.as_bytes()),
    };
    let bytes = hashed.as_ref();
    URL_SAFE_NO_PAD.encode(&bytes[..bytes.len() / 2])
}

/// What an ID token is issued for.
#[derive(Debug)]
pub struct IdTokenFor<'a> {
    /// The client (audience).
    pub client: &'a Client,
    /// The grant (scope, claims request, session).
    pub grant: &'a Grant,
    /// The user.
    pub user: &'a User,
    /// The scope of this response.
    pub scope: &'a [String],
    /// The nonce of the authorization request (none on refresh).
    pub nonce: Option<String>,
    /// The access token issued alongside.
    pub access_token: &'a str,
}

/// The `acr` (OIDC Core §2) for how the user signed in (its RFC 8176 `amr`): more than one
/// factor, through an upstream provider, or a password.
pub fn acr_of(amr: &[String]) -> &'static str {
    let has = |m: &str| amr.iter().any(|a| a == m);
    let key = has(crate::mfa::passkey::AMR_HWK) || has(crate::mfa::passkey::AMR_SWK);
    if key && has(crate::mfa::AMR_MFA) {
        ACR_PHISHING_RESISTANT
    } else if has(crate::mfa::AMR_MFA) {
        ACR_MFA
    } else if has(crate::federation::AMR_FEDERATED) {
        ACR_FEDERATED
    } else {
        ACR_PASSWORD
    }
}

impl Provider {
    /// Signs an ID token with the client's `id_token_signed_response_alg` or the default.
    pub fn mint_id_token(&self, input: IdTokenFor<'_>) -> Result<String, OAuthError> {
        let alg = input.client.id_token_alg.unwrap_or(self.settings().id_token_alg);
        // FAPI 2.0 SP §5.4.1: not RS256 (a global profile may cover clients registered before).
        let alg = match alg {
            crate::keys::SigningAlg::RS256 if self.fapi2(input.client) => {
                crate::keys::SigningAlg::ES256
            }
            alg => alg,
        };
        let now = self.now();
        let mut extra =
            user_claims(input.user, input.scope, input.grant.claims.as_deref(), "id_token");
        if let Some(idp) = input.grant.idp.as_ref().filter(|_| self.settings().idp_claim) {
            extra.insert("idp".to_owned(), Value::String(idp.clone()));
        }
        let claims = IdTokenClaims {
            iss: self.issuer().to_owned(),
            sub: input.user.id.clone(),
            aud: input.client.client_id.clone(),
            exp: now + self.settings().id_token_ttl,
            iat: now,
            auth_time: Some(input.grant.auth_time),
            nonce: input.nonce,
            acr: Some(acr_of(&input.grant.amr).to_owned()),
            amr: Some(input.grant.amr.clone()),
            azp: Some(input.client.client_id.clone()),
            sid: input.grant.sid.clone(),
            at_hash: Some(at_hash(alg, input.access_token)),
            extra,
        };
        let keyring = self.keyring();
        let key = keyring
            .signer(alg)
            .ok_or_else(|| OAuthError::Server(anyhow::anyhow!("no active {alg} signing key")))?;
        sign_jwt(key, "JWT", &claims).map_err(OAuthError::Server)
    }

    /// The claims of an ID token Keygate issued whose signature verifies, expired or not
    /// (for `id_token_hint`, OIDC Core §3.1.2.1 and RP-Initiated Logout §2).
    pub fn verified_id_token(&self, token: &str) -> Option<IdTokenClaims> {
        verify_jwt(&self.keyring(), token, &["JWT"], self.issuer())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oidc_core_3_1_3_6_at_hash_is_the_left_half_of_sha256() {
        // The example of OIDC Core Appendix A.3 / A.4 style: 16 bytes -> 22 base64url characters.
        let h = at_hash(SigningAlg::RS256, "jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y");
        assert_eq!(h, "77QmUPtjPfzWtF2AnpK9RQ");
        assert_eq!(at_hash(SigningAlg::EdDSA, "x").len(), 43);
    }
}
