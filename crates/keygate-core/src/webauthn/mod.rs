//! Web Authentication (WebAuthn Level 3): the relying party's checks of a new credential
//! (§7.1) and of an assertion (§7.2). Parsing is CBOR through `coset`, signatures are verified
//! with aws-lc-rs; no cryptography is written here. Attestation is not asked for
//! (`attestation: "none"`): a `none` statement is accepted, and a `packed` self-attestation is
//! verified with the new credential's own key; statements that would need a trust anchor are
//! refused, since Keygate keeps none.

mod ceremony;
mod cose;

pub use ceremony::{
    Assertion, AssertionChecked, NewCredential, StoredCredential, verify_assertion,
    verify_registration,
};
pub use cose::{ALG_EDDSA, ALG_ES256, ALG_RS256, COSE_ALGORITHMS};

/// Who the credentials are for: the RP ID (a registrable domain, §5.1.2 `rp.id`) and the one
/// origin the browser must report (§7.1 step 9, §7.2 step 13).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelyingParty {
    /// The RP ID: the issuer's host unless configured.
    pub id: String,
    /// The issuer's origin, `scheme://host[:port]`.
    pub origin: String,
}

/// Why a WebAuthn response was refused, in words a user or operator can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WebauthnError {
    /// The response could not be read.
    #[error("the passkey's answer could not be read ({0})")]
    Malformed(&'static str),
    /// `clientDataJSON.type` is not the ceremony's (§7.1 step 7, §7.2 step 11).
    #[error("the passkey answered a different request type")]
    WrongType,
    /// The challenge is not the one sent (§7.1 step 8, §7.2 step 12).
    #[error("the passkey answered a different challenge")]
    WrongChallenge,
    /// The origin is not Keygate's, or the page was framed (§7.1 steps 9–10, §7.2 steps 13–14).
    #[error("the passkey was used on another site ({0})")]
    WrongOrigin(String),
    /// The RP ID hash is not this RP ID's (§7.1 step 13, §7.2 step 15).
    #[error("the passkey belongs to another site")]
    WrongRpId,
    /// User presence is not set (§7.1 step 14, §7.2 step 16).
    #[error("the authenticator did not confirm that someone was present")]
    NotPresent,
    /// User verification was required and not done (§7.1 step 15, §7.2 step 17).
    #[error("the authenticator did not verify you (PIN, fingerprint or face)")]
    NotVerified,
    /// BS set without BE, or BE changed since registration (§7.1 step 16, §7.2 steps 18–19).
    #[error("the passkey's backup flags are inconsistent")]
    BackupFlags,
    /// The key's algorithm is not one Keygate asked for (§7.1 step 19).
    #[error("the passkey uses an algorithm Keygate does not accept")]
    UnsupportedAlgorithm,
    /// An attestation Keygate cannot verify (§7.1 steps 21–22).
    #[error("the authenticator's attestation format {0} is not accepted")]
    UnsupportedAttestation(String),
    /// A signature did not verify (§7.1 step 22 for self attestation, §7.2 step 22).
    #[error("the passkey's signature is not valid")]
    BadSignature,
    /// The credential is not one the ceremony allowed, or not this user's (§7.2 steps 5–6).
    #[error("this passkey is not registered here for this account")]
    UnknownCredential,
    /// The signature counter did not grow: the authenticator may be cloned (§7.2 step 23).
    #[error("the passkey's counter went backwards; it may have been copied")]
    CounterRegression,
    /// The credential id is already registered (§7.1 step 26).
    #[error("this passkey is registered already")]
    AlreadyRegistered,
    /// The ceremony's challenge was used or expired.
    #[error("this passkey request expired or was used already; try again")]
    Expired,
}

/// Authenticator data flags (§6.1).
pub mod flags {
    /// User present.
    pub const UP: u8 = 0x01;
    /// User verified.
    pub const UV: u8 = 0x04;
    /// Backup eligible.
    pub const BE: u8 = 0x08;
    /// Backup state.
    pub const BS: u8 = 0x10;
    /// Attested credential data included.
    pub const AT: u8 = 0x40;
    /// Extension data included.
    pub const ED: u8 = 0x80;
}

/// The base64url (no padding) encoding WebAuthn's JSON forms use (§5.1.2's `toJSON`).
pub fn b64url(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Decodes base64url, with or without padding.
pub fn b64url_decode(text: &str) -> Option<Vec<u8>> {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(text.trim_end_matches('=')).ok()
}
