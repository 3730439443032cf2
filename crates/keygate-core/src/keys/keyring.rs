use std::collections::HashMap;
use std::sync::Arc;

use jsonwebtoken::DecodingKey;
use keygate_types::{Jwk, JwkSet};

use super::{KeyPair, MasterKey, SigningAlg};

/// A signing key as stored: the private key sealed under the master key, the public JWK in
/// clear so that retired keys can be published without being decrypted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredKey {
    /// Key id (RFC 7638 thumbprint).
    pub kid: String,
    /// Algorithm.
    pub alg: SigningAlg,
    /// PKCS#8 private key sealed with [`MasterKey::seal`], the kid as associated data.
    pub sealed_private: Vec<u8>,
    /// The public JWK, as JSON.
    pub public_jwk: String,
    /// When the key was made.
    pub created_at: i64,
    /// When the key stopped signing; `None` while it is the active key for its algorithm.
    pub retired_at: Option<i64>,
}

impl StoredKey {
    /// Generates a new key for `alg`, sealed under `master`.
    pub fn generate(alg: SigningAlg, master: &MasterKey, now: i64) -> anyhow::Result<Self> {
        let (pair, pkcs8) = KeyPair::generate(alg)?;
        Ok(Self {
            kid: pair.kid().to_owned(),
            alg,
            sealed_private: master.seal(&pkcs8, pair.kid())?,
            public_jwk: serde_json::to_string(pair.public_jwk())?,
            created_at: now,
            retired_at: None,
        })
    }

    /// Whether the public key is still published at `now`: active, or retired less than
    /// `retention` seconds ago (so every token it signed can still be verified until it expires).
    pub fn is_published(&self, now: i64, retention: i64) -> bool {
        self.retired_at.is_none_or(|retired| now < retired.saturating_add(retention))
    }
}

/// Seconds between a key's creation and its first signature. Every node reloads its keyring
/// within [`crate::provider`]'s sync interval of a change, so by then all of them publish the
/// new key: no node signs with a key another node does not yet publish.
pub const ACTIVATION_DELAY: i64 = 2;

/// The keys in use: one signer per algorithm, and the published public keys.
pub struct Keyring {
    signers: HashMap<SigningAlg, Arc<KeyPair>>,
    verifiers: HashMap<String, (SigningAlg, DecodingKey)>,
    jwks_json: String,
    next_activation: Option<i64>,
}

impl std::fmt::Debug for Keyring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keyring").field("signers", &self.signers.values()).finish()
    }
}

impl Keyring {
    /// Builds the keyring from stored keys: every published key becomes a verifier and a JWKS
    /// entry; per algorithm, the newest key older than [`ACTIVATION_DELAY`] signs (the newest
    /// of all when none is that old, as on first start), decrypted and parsed once.
    pub fn load(
        keys: &[StoredKey],
        master: &MasterKey,
        now: i64,
        retention: i64,
    ) -> anyhow::Result<Self> {
        let mut signers = HashMap::new();
        let mut verifiers = HashMap::new();
        let mut published: Vec<(i64, Jwk)> = Vec::new();
        let live: Vec<&StoredKey> =
            keys.iter().filter(|k| k.is_published(now, retention)).collect();
        let mut next_activation: Option<i64> = None;
        for alg in SigningAlg::ALL {
            let of_alg = || live.iter().filter(|k| k.alg == alg);
            // Newest first; of two made in the same second, the one not retired is newer.
            let age = |k: &&&StoredKey| (k.created_at, k.retired_at.is_none());
            let ready = of_alg().filter(|k| k.created_at + ACTIVATION_DELAY <= now);
            let Some(key) = ready.max_by_key(age).or(of_alg().max_by_key(age)) else {
                continue;
            };
            if let Some(at) = of_alg()
                .map(|k| k.created_at + ACTIVATION_DELAY)
                .filter(|at| *at > now && key.created_at + ACTIVATION_DELAY <= now)
                .min()
            {
                next_activation = Some(next_activation.map_or(at, |n| n.min(at)));
            }
            let pkcs8 = master.open(&key.sealed_private, &key.kid)?;
            signers.insert(alg, Arc::new(KeyPair::from_pkcs8(alg, &pkcs8)?));
        }
        for key in live {
            let jwk: Jwk = serde_json::from_str(&key.public_jwk)?;
            verifiers.insert(key.kid.clone(), (key.alg, decoding_key(&jwk)?));
            published.push((key.created_at, jwk));
        }
        // Newest first, so clients that take the first key of an algorithm pick the signer.
        published.sort_by_key(|(created_at, _)| std::cmp::Reverse(*created_at));
        let jwks = JwkSet { keys: published.into_iter().map(|(_, k)| k).collect() };
        Ok(Self { signers, verifiers, jwks_json: serde_json::to_string(&jwks)?, next_activation })
    }

    /// When a published key starts signing, so the keyring must be rebuilt then.
    pub fn next_activation(&self) -> Option<i64> {
        self.next_activation
    }

    /// The active key for `alg`.
    pub fn signer(&self, alg: SigningAlg) -> Option<&Arc<KeyPair>> {
        self.signers.get(&alg)
    }

    /// The verifying key published under `kid`.
    pub fn verifier(&self, kid: &str) -> Option<&(SigningAlg, DecodingKey)> {
        self.verifiers.get(kid)
    }

    /// The JWK Set document, serialized once per reload.
    pub fn jwks_json(&self) -> &str {
        &self.jwks_json
    }
}

fn decoding_key(jwk: &Jwk) -> anyhow::Result<DecodingKey> {
    let missing = || anyhow::anyhow!("published key {} lacks a member", jwk.kid);
    let key = match jwk.kty.as_str() {
        "RSA" => DecodingKey::from_rsa_components(
            jwk.n.as_deref().ok_or_else(missing)?,
            jwk.e.as_deref().ok_or_else(missing)?,
        )?,
        "EC" => DecodingKey::from_ec_components(
            jwk.x.as_deref().ok_or_else(missing)?,
            jwk.y.as_deref().ok_or_else(missing)?,
        )?,
        "OKP" => DecodingKey::from_ed_components(jwk.x.as_deref().ok_or_else(missing)?)?,
        other => anyhow::bail!("unsupported key type {other}"),
    };
    Ok(key)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn master() -> MasterKey {
        use base64::Engine;
        MasterKey::from_base64(&base64::engine::general_purpose::STANDARD.encode([3u8; 32]))
            .unwrap()
    }

    /// The signer's kid for ES256.
    fn signer(keys: &[StoredKey], now: i64) -> String {
        let ring = Keyring::load(keys, &master(), now, 3600).unwrap();
        ring.signer(SigningAlg::ES256).unwrap().kid().to_owned()
    }

    #[test]
    fn a_rotated_key_signs_only_after_the_activation_delay() {
        let m = master();
        let mut old = StoredKey::generate(SigningAlg::ES256, &m, 100).unwrap();
        old.retired_at = Some(1000);
        let new = StoredKey::generate(SigningAlg::ES256, &m, 1000).unwrap();
        let keys = [new.clone(), old.clone()];
        assert_eq!(signer(&keys, 1000), old.kid, "published, not signing yet");
        let ring = Keyring::load(&keys, &m, 1000, 3600).unwrap();
        assert_eq!(ring.next_activation(), Some(1000 + ACTIVATION_DELAY));
        assert!(ring.jwks_json().contains(&new.kid));
        assert_eq!(signer(&keys, 1000 + ACTIVATION_DELAY), new.kid);
    }

    #[test]
    fn of_two_keys_made_in_the_same_second_the_unretired_one_signs() {
        let m = master();
        let mut old = StoredKey::generate(SigningAlg::ES256, &m, 100).unwrap();
        old.retired_at = Some(100);
        let new = StoredKey::generate(SigningAlg::ES256, &m, 100).unwrap();
        for keys in [[new.clone(), old.clone()], [old.clone(), new.clone()]] {
            assert_eq!(signer(&keys, 100), new.kid, "first start: no delay");
            assert_eq!(signer(&keys, 200), new.kid);
        }
    }
}
