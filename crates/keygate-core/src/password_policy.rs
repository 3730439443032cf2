//! Passwords: the rules a new one must meet, and the Argon2id parameters that hash and verify
//! it (RFC 9106), run on the hashing threads of [`crate::hashing`].

use argon2::password_hash::phc::{Output, Salt};
use argon2::{Algorithm, Argon2, Params, PasswordHash, Version};

use crate::secret::Secret;

/// Passwords: the rules a new one must meet, and the Argon2id parameters that hash it.
///
/// The defaults are one of OWASP's equivalent minimum configurations for Argon2id: 12 MiB,
/// 3 passes, 1 lane (Password Storage Cheat Sheet; it lists 19 MiB/2, 12 MiB/3, 9 MiB/4 and
/// 7 MiB/5 as "an equal level of defense", trading memory for passes). Keygate used
/// 19 MiB/2 until issue 22: the same CPU per hash, but every hashing thread keeps its memory,
/// so 12 MiB/3 saves 7 MiB per thread. Hashes made with other parameters keep working and are
/// rehashed at the next successful sign-in ([`PasswordPolicy::needs_rehash`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PasswordPolicy {
    /// Memory in KiB.
    pub memory_kib: u32,
    /// Passes over memory.
    pub iterations: u32,
    /// Lanes.
    pub parallelism: u32,
    /// Fewest characters of a new password (at least 8; default 12).
    pub min_length: usize,
    /// Password hashing threads; 0 picks [`PasswordPolicy::hashing_threads`]'s default.
    pub hashing_threads: usize,
}

/// The memory the default number of hashing threads may keep in all: 64 MiB.
pub const HASHING_MEMORY_BUDGET_KIB: u32 = 64 * 1024;

impl Default for PasswordPolicy {
    fn default() -> Self {
        Self {
            memory_kib: 12_288,
            iterations: 3,
            parallelism: 1,
            min_length: crate::password_rules::DEFAULT_MIN_LENGTH,
            hashing_threads: 0,
        }
    }
}

impl PasswordPolicy {
    /// Every problem with a new `password` for the account known by `names` (see
    /// [`crate::password_rules`]).
    pub fn problems(&self, password: &Secret, names: &[&str]) -> Vec<String> {
        let rules = crate::password_rules::PasswordRules { min_length: self.min_length };
        rules.problems(password.expose_secret(), names)
    }

    /// How many threads hash passwords: the configured number, else one per core but no more
    /// than fit in [`HASHING_MEMORY_BUDGET_KIB`] (at least one). Each keeps `memory_kib`.
    pub fn hashing_threads(&self, cores: usize) -> usize {
        if self.hashing_threads > 0 {
            return self.hashing_threads;
        }
        let fit = (HASHING_MEMORY_BUDGET_KIB / self.memory_kib.max(1)) as usize;
        cores.min(fit).max(1)
    }

    /// Whether a stored hash was made with other than this policy's algorithm, version or
    /// costs, so the password should be hashed again when it is next known (at sign-in).
    pub fn needs_rehash(&self, phc: &str) -> bool {
        let Ok(parsed) = PasswordHash::new(phc) else { return false };
        let Ok(params) = Params::try_from(&parsed) else { return false };
        parsed.algorithm.as_str() != Algorithm::Argon2id.as_ref()
            || parsed.version != Some(Version::V0x13.into())
            || params.m_cost() != self.memory_kib
            || params.t_cost() != self.iterations
            || params.p_cost() != self.parallelism
    }

    fn params(&self) -> Result<Params, String> {
        Params::new(self.memory_kib, self.iterations, self.parallelism, None)
            .map_err(|e| format!("invalid Argon2 parameters: {e}"))
    }

    /// Hashes a password into a PHC string with a fresh random salt (RFC 9106 §3.1; 16 bytes,
    /// its recommended length). CPU-heavy: call it on the hashing threads
    /// ([`crate::hashing::HashPool`]), where its memory is reused.
    pub fn hash(&self, password: &Secret) -> Result<String, String> {
        let params = self.params()?;
        let salt = crate::secret::random_bytes(Salt::RECOMMENDED_LENGTH);
        let hasher = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
        let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
        self.argon2(&hasher, password, &salt, &mut out)?;
        let phc = || -> Result<String, Box<dyn std::error::Error>> {
            Ok(PasswordHash {
                algorithm: Algorithm::Argon2id.ident(),
                version: Some(Version::V0x13.into()),
                params: (&params).try_into()?,
                salt: Some(Salt::new(&salt)?),
                hash: Some(Output::new(&out)?),
            }
            .to_string())
        };
        phc().map_err(|e| format!("password hashing failed: {e}"))
    }

    /// Verifies a password against a stored PHC string: its own algorithm, version and costs
    /// apply, and the outputs are compared in constant time.
    pub fn verify(&self, password: &Secret, phc: &str) -> bool {
        let Ok(parsed) = PasswordHash::new(phc) else { return false };
        let (Some(salt), Some(expected)) = (&parsed.salt, &parsed.hash) else { return false };
        let Ok(algorithm) = Algorithm::try_from(parsed.algorithm.as_str()) else { return false };
        let version = parsed.version.map_or(Ok(Version::default()), Version::try_from);
        let (Ok(version), Ok(params)) = (version, Params::try_from(&parsed)) else { return false };
        let mut out = vec![0u8; expected.len()];
        let hasher = Argon2::new(algorithm, version, params);
        self.argon2(&hasher, password, salt.as_ref(), &mut out).is_ok()
            && Output::new(&out).is_ok_and(|computed| computed == *expected)
    }

    /// One Argon2 computation into `out`, in the hashing thread's reused memory when the costs
    /// are at most this policy's.
    fn argon2(
        &self,
        hasher: &Argon2<'_>,
        password: &Secret,
        salt: &[u8],
        out: &mut [u8],
    ) -> Result<(), String> {
        let keep = self.params().map_or(0, |p| p.block_count());
        crate::hashing::with_argon2_memory(hasher.params().block_count(), keep, |memory| {
            hasher.hash_password_into_with_memory(
                password.expose_secret().as_bytes(),
                salt,
                out,
                memory,
            )
        })
        .map_err(|e| format!("password hashing failed: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argon2id_round_trip() {
        let policy = PasswordPolicy {
            memory_kib: 1024,
            iterations: 1,
            parallelism: 1,
            ..Default::default()
        };
        let pw = Secret::new("correct horse battery");
        let phc = policy.hash(&pw).unwrap_or_default();
        assert!(phc.starts_with("$argon2id$"));
        assert!(policy.verify(&pw, &phc));
        assert!(!policy.verify(&Secret::new("wrong"), &phc));
    }

    #[test]
    fn rfc_9106_hashes_of_the_argon2_crate_and_ours_verify_each_other() {
        use argon2::{PasswordHasher, PasswordVerifier};
        let policy = PasswordPolicy { memory_kib: 1024, iterations: 2, ..Default::default() };
        let pw = Secret::new("correct horse battery");
        let params = Params::new(1024, 2, 1, None).unwrap_or_default();
        let theirs = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
        let stored = theirs.hash_password(pw.expose_secret().as_bytes()).map(|h| h.to_string());
        let stored = stored.unwrap_or_default();
        assert!(policy.verify(&pw, &stored) && !policy.verify(&Secret::new("nope"), &stored));
        let ours = policy.hash(&pw).unwrap_or_default();
        let parsed = PasswordHash::new(&ours);
        assert!(parsed.is_ok_and(|h| theirs.verify_password(b"correct horse battery", &h).is_ok()));
        // Argon2i and Argon2d hashes verify too (the stored string names its algorithm).
        let argon2i = Argon2::new(Algorithm::Argon2i, Version::V0x13, params);
        let stored_i = argon2i.hash_password(b"correct horse battery").map(|h| h.to_string());
        assert!(policy.verify(&pw, &stored_i.unwrap_or_default()));
        assert!(!policy.verify(&pw, "$argon2id$v=19$m=1024,t=2,p=1$bm90YmFzZTY0"), "no hash");
        assert!(!policy.verify(&pw, "not a phc string"));
    }

    #[test]
    fn a_hash_with_other_costs_needs_a_rehash() {
        let policy = PasswordPolicy { memory_kib: 1024, iterations: 2, ..Default::default() };
        let pw = Secret::new("correct horse battery");
        let same = policy.hash(&pw).unwrap_or_default();
        assert!(!policy.needs_rehash(&same));
        for other in [
            PasswordPolicy { memory_kib: 2048, ..policy },
            PasswordPolicy { iterations: 3, ..policy },
            PasswordPolicy { parallelism: 2, ..policy },
        ] {
            assert!(policy.needs_rehash(&other.hash(&pw).unwrap_or_default()), "{other:?}");
        }
        assert!(!policy.needs_rehash("garbage"), "nothing to rehash from");
    }

    #[test]
    fn the_default_hashing_threads_fit_in_the_memory_budget() {
        let policy = PasswordPolicy::default();
        assert_eq!(policy.hashing_threads(2), 2);
        assert_eq!(policy.hashing_threads(16), 5, "5 × 12 MiB within 64 MiB");
        let big = PasswordPolicy { memory_kib: 128 * 1024, ..policy };
        assert_eq!(big.hashing_threads(8), 1, "at least one");
        assert_eq!(PasswordPolicy { hashing_threads: 3, ..big }.hashing_threads(1), 3);
    }
}
