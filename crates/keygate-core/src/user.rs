//! End users (resource owners) and their password hashing (Argon2id).

use argon2::password_hash::phc::{Output, Salt};
use argon2::{Algorithm, Argon2, Params, PasswordHash, Version};
use serde::Serialize;

use crate::secret::Secret;

/// A user account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct User {
    /// Stable subject identifier (`sub`).
    pub id: String,
    /// Login name, unique without regard to case.
    pub username: String,
    /// Email address, unique without regard to case.
    pub email: String,
    /// Whether the email address was verified (OIDC Core §5.1 `email_verified`).
    pub email_verified: bool,
    /// Full name (`name`).
    pub name: Option<String>,
    /// `given_name`.
    pub given_name: Option<String>,
    /// `family_name`.
    pub family_name: Option<String>,
    /// Argon2id PHC string; `None` for accounts without a password.
    #[serde(skip)]
    pub password_hash: Option<String>,
    /// A disabled user cannot sign in.
    pub disabled: bool,
    /// An administrator requires a second factor of this user: without one, they add one at
    /// their next sign-in.
    #[serde(default)]
    pub require_mfa: bool,
    /// Roles, e.g. `admin` (may use the admin console and API).
    pub roles: Vec<String>,
    /// Further standard claims (OIDC Core §5.1), e.g. `picture`, `locale`, `phone_number`.
    pub claims: serde_json::Map<String, serde_json::Value>,
    /// Creation time.
    pub created_at: i64,
    /// Last change.
    pub updated_at: i64,
}

/// The role that may use the admin console and API.
pub const ADMIN_ROLE: &str = "admin";

/// Claims an operator may set beyond the columns (OIDC Core §5.1), with the scope releasing each.
pub const EXTRA_CLAIMS: &[(&str, &str)] = &[
    ("middle_name", "profile"),
    ("nickname", "profile"),
    ("profile", "profile"),
    ("picture", "profile"),
    ("website", "profile"),
    ("gender", "profile"),
    ("birthdate", "profile"),
    ("zoneinfo", "profile"),
    ("locale", "profile"),
    ("phone_number", "phone"),
    ("phone_number_verified", "phone"),
    ("address", "address"),
];

/// Checks extra claims: known names (OIDC Core §5.1), and the JSON type each one has there.
pub fn validate_claims(claims: &serde_json::Map<String, serde_json::Value>) -> Vec<String> {
    let mut problems = Vec::new();
    for (name, value) in claims {
        // OIDC Core §5.2: `family_name#ja-Kana-JP`, a value in another language or script.
        if let Some((base, tag)) = name.split_once('#') {
            problems.extend(localized_claim_problem(name, base, tag, value));
            continue;
        }
        let type_ok = match name.as_str() {
            "phone_number_verified" => value.is_boolean(),
            "address" => value.is_object(),
            _ => value.is_string(),
        };
        if !EXTRA_CLAIMS.iter().any(|(n, _)| n == name) {
            problems.push(format!(
                "claim '{name}' cannot be set (settable: {})",
                EXTRA_CLAIMS.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
            ));
        } else if !type_ok {
            problems.push(format!("claim '{name}' has the wrong JSON type (OIDC Core §5.1)"));
        } else if let Some(text) = value.as_str() {
            problems.extend(claim_value_problem(name, text));
        }
    }
    problems
}

/// The problem with `name` (`base#tag`), a claim value in another language or script.
fn localized_claim_problem(
    name: &str,
    base: &str,
    tag: &str,
    value: &serde_json::Value,
) -> Option<String> {
    if !crate::claims::LOCALIZABLE.contains(&base) {
        return Some(format!(
            "claim '{name}': only {} may have values in other languages",
            crate::claims::LOCALIZABLE.join(", ")
        ));
    }
    if !is_language_tag(tag) {
        return Some(format!("claim '{name}': '{tag}' is not a language tag such as ja-Kana-JP"));
    }
    match value.as_str() {
        Some(text) => claim_value_problem(base, text),
        None => Some(format!("claim '{name}' has the wrong JSON type (OIDC Core §5.1)")),
    }
}

/// Claims users may be allowed to edit themselves (`[account] editable_claims`): the string
/// claims of [`EXTRA_CLAIMS`]; `phone_number_verified` and `address` are not theirs to set.
pub fn user_editable_claims() -> impl Iterator<Item = &'static str> {
    EXTRA_CLAIMS
        .iter()
        .map(|(name, _)| *name)
        .filter(|name| !matches!(*name, "phone_number_verified" | "address"))
}

/// The problem with a string claim's value, by the format OIDC Core §5.1 gives it: URLs for
/// `profile`, `picture` and `website`; `YYYY-MM-DD` or `YYYY` for `birthdate`; a time zone
/// database name for `zoneinfo`; a BCP 47 tag for `locale`; E.164 (`+` and digits, RFC 3966
/// `;ext=`) for `phone_number`.
pub fn claim_value_problem(name: &str, value: &str) -> Option<String> {
    let ok = match name {
        "profile" | "picture" | "website" => is_web_url(value),
        "birthdate" => is_birthdate(value),
        "zoneinfo" => {
            value.len() <= 64
                && value.starts_with(|c: char| c.is_ascii_alphabetic())
                && value.bytes().all(|b| b.is_ascii_alphanumeric() || b"/_+-".contains(&b))
        }
        "locale" => is_language_tag(value),
        "phone_number" => is_e164(value),
        _ => return crate::text::too_long(name, value, crate::text::MAX_NAME),
    };
    (!ok).then(|| {
        let expected = match name {
            "profile" | "picture" | "website" => "an http or https URL",
            "birthdate" => "a date as YYYY-MM-DD, or a year as YYYY",
            "zoneinfo" => "a time zone such as Europe/Paris",
            "locale" => "a language tag such as en-GB",
            _ => "+ and the country code and number, such as +14155550100",
        };
        format!("claim '{name}' must be {expected}")
    })
}

fn is_web_url(value: &str) -> bool {
    value.len() <= 2048
        && url::Url::parse(value)
            .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
}

fn is_birthdate(value: &str) -> bool {
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    let parts: Vec<&str> = value.split('-').collect();
    match parts.as_slice() {
        [year] => digits(year, 4),
        [year, month, day] if digits(year, 4) && digits(month, 2) && digits(day, 2) => {
            let (m, d) = (month.parse::<u32>().unwrap_or(0), day.parse::<u32>().unwrap_or(0));
            (1..=12).contains(&m) && (1..=31).contains(&d)
        }
        _ => false,
    }
}

fn is_language_tag(value: &str) -> bool {
    let mut parts = value.split(['-', '_']);
    let primary = parts.next().unwrap_or("");
    value.len() <= 35
        && (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

fn is_e164(value: &str) -> bool {
    let (number, extension) = value.split_once(";ext=").unwrap_or((value, "0"));
    let digits = number.strip_prefix('+').unwrap_or("");
    (7..=15).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !extension.is_empty()
        && extension.len() <= 10
        && extension.bytes().all(|b| b.is_ascii_digit())
}

impl User {
    /// Whether the user holds `role`.
    pub fn has_role(&self, role: &str) -> bool {
        self.roles.iter().any(|r| r == role)
    }

    /// How pages address the user: the full name, or the username.
    pub fn display_name(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.username)
    }
}

/// Checks a username: 1 to 64 characters, no whitespace or control characters, no `@` and not
/// shaped like a user id, so that whatever is typed at sign-in (id, username or email) names
/// at most one account: ids are 32 hex digits and every email has an `@`.
pub fn validate_username(username: &str) -> Result<(), String> {
    let len = username.chars().count();
    if len == 0 || len > 64 || username.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("username must be 1 to 64 characters without spaces".to_owned());
    }
    if username.contains('@') {
        return Err("username cannot contain '@' (that would read as an email address)".to_owned());
    }
    if looks_like_user_id(username) {
        return Err(
            "username cannot be 32 hexadecimal digits (that would read as a user id)".to_owned()
        );
    }
    Ok(())
}

/// A username made from `text`: the part before any `@`, without whitespace or control
/// characters, at most 48 characters; `fallback` followed by the rest when that would be empty
/// or read as a user id. The result passes [`validate_username`].
pub fn username_from(text: &str, fallback: &str) -> String {
    let local = text.split('@').next().unwrap_or("");
    let cleaned: String =
        local.chars().filter(|c| !c.is_whitespace() && !c.is_control()).take(48).collect();
    if cleaned.is_empty() || looks_like_user_id(&cleaned) {
        format!("{fallback}-{cleaned}user")
    } else {
        cleaned
    }
}

/// Whether `text` has the shape of a user id ([`crate::secret::random_id`]).
pub fn looks_like_user_id(text: &str) -> bool {
    text.len() == 32 && text.bytes().all(|b| b.is_ascii_hexdigit())
}

/// A plausibility check of an email address (one `@`, non-empty local part and domain).
pub fn validate_email(email: &str) -> Result<(), String> {
    match email.split_once('@') {
        Some((local, domain))
            if !local.is_empty()
                && domain.contains('.')
                && !domain.contains('@')
                && email.len() <= 254
                && !email.chars().any(char::is_whitespace) =>
        {
            Ok(())
        }
        _ => Err(format!("'{email}' is not a valid email address")),
    }
}

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
    fn oidc_core_5_2_a_name_may_have_values_in_other_languages_and_scripts() {
        let ok = serde_json::json!({"family_name#ja-Kana-JP": "ヤマダ", "nickname#de": "Ada"});
        assert!(validate_claims(ok.as_object().unwrap_or(&Default::default())).is_empty());
        let bad = serde_json::json!({
            "email#de": "x@example.com",
            "name#not a tag": "x",
            "given_name#fr": 7,
        });
        let problems = validate_claims(bad.as_object().unwrap_or(&Default::default()));
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems.iter().any(|p| p.contains("only name, given_name")), "{problems:?}");
    }

    #[test]
    fn oidc_core_5_1_claim_values_have_their_standard_forms() {
        let good = [
            ("picture", "https://pics.example/a.png"),
            ("website", "http://ada.example"),
            ("birthdate", "1815-12-10"),
            ("birthdate", "1815"),
            ("birthdate", "0000-12-10"),
            ("zoneinfo", "America/Argentina/Buenos_Aires"),
            ("zoneinfo", "UTC"),
            ("locale", "en-GB"),
            ("locale", "fr_CA"),
            ("phone_number", "+14155550100"),
            ("phone_number", "+14155550100;ext=5678"),
            ("nickname", "Ada"),
        ];
        for (name, value) in good {
            assert_eq!(claim_value_problem(name, value), None, "{name}={value}");
        }
        let bad = [
            ("picture", "javascript:alert(1)"),
            ("website", "ada.example"),
            ("birthdate", "10.12.1815"),
            ("birthdate", "1815-13-01"),
            ("zoneinfo", "CET; drop"),
            ("locale", "english"),
            ("phone_number", "0301234567"),
            ("phone_number", "+1 415 555 0100"),
        ];
        for (name, value) in bad {
            assert!(claim_value_problem(name, value).is_some(), "{name}={value}");
        }
        assert!(claim_value_problem("nickname", &"x".repeat(101)).is_some());
    }

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

    #[test]
    fn emails_and_usernames_are_checked() {
        assert!(validate_email("a@b.example").is_ok());
        assert!(validate_email("ab.example").is_err());
        assert!(validate_username("alice").is_ok());
        assert!(validate_username("al ice").is_err());
    }

    #[test]
    fn one_identifier_names_one_account_usernames_are_neither_emails_nor_ids() {
        assert!(validate_username("victim@example.com").is_err());
        assert!(validate_username("0123456789abcdef0123456789abcdef").is_err());
        assert!(validate_username("0123456789abcdef").is_ok());
    }
}
