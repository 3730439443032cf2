//! What a new password must be, after NIST SP 800-63B §3.1.1.2 (memorized secrets):
//! - at least [`PasswordRules::min_length`] characters (never under 8; Keygate's default is 12)
//!   and at most [`MAX_LENGTH`];
//! - not a commonly used password (the bundled list), also with digits or symbols added at its
//!   end;
//! - not one character repeated, a run of consecutive characters (`abcdef…`, `987654…`) or a
//!   keyboard row;
//! - not the account's own username or email name, or the service's name.
//!
//! No composition rules (a digit, a capital…) and no expiry: §3.1.1.2 advises against both.

/// The shortest minimum an operator may configure (NIST SP 800-63B §3.1.1.2).
pub const MIN_LENGTH_FLOOR: usize = 8;
/// Keygate's default minimum length.
pub const DEFAULT_MIN_LENGTH: usize = 12;
/// The longest password accepted: enough for any passphrase, bounded for hashing.
pub const MAX_LENGTH: usize = 256;

const COMMON: &str = include_str!("common_passwords.txt");
const KEYBOARD_ROWS: [&str; 4] = ["1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm"];

/// The length rule in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PasswordRules {
    /// Fewest characters.
    pub min_length: usize,
}

impl Default for PasswordRules {
    fn default() -> Self {
        Self { min_length: DEFAULT_MIN_LENGTH }
    }
}

impl PasswordRules {
    /// Every problem with `password` for an account known by `names` (username, email), in
    /// words for the person choosing it. Each starts with "the password" so that forms can
    /// show it at the password field.
    pub fn problems(&self, password: &str, names: &[&str]) -> Vec<String> {
        let length = password.chars().count();
        if length < self.min_length {
            return vec![format!(
                "the password must have at least {} characters (it has {length}); a few \
                 unrelated words make a good one",
                self.min_length
            )];
        }
        if length > MAX_LENGTH {
            return vec![format!("the password must have at most {MAX_LENGTH} characters")];
        }
        let lower = password.to_lowercase();
        if is_common(&lower) {
            return vec![
                "the password is too common: it is on a list of passwords that \
                         attackers try first"
                    .to_owned(),
            ];
        }
        if is_pattern(&lower) {
            return vec![
                "the password is a simple pattern (one character repeated, a run \
                         like abcdef or 987654, or a keyboard row)"
                    .to_owned(),
            ];
        }
        if names.iter().filter_map(|n| own_name(n)).any(|n| lower.contains(&n)) {
            return vec!["the password must not contain the username or email name".to_owned()];
        }
        Vec::new()
    }
}

/// Whether `lower`, or `lower` without trailing digits and symbols, is on the bundled list.
fn is_common(lower: &str) -> bool {
    let stem = lower.trim_end_matches(|c: char| !c.is_alphabetic());
    let listed =
        |candidate: &str| COMMON.lines().any(|line| !line.starts_with('#') && line == candidate);
    listed(lower) || (stem.chars().count() >= 4 && listed(stem))
}

/// One character repeated, consecutive characters up or down, or part of a keyboard row.
fn is_pattern(lower: &str) -> bool {
    let chars: Vec<char> = lower.chars().collect();
    let steps: Vec<i64> =
        chars.windows(2).map(|w| i64::from(u32::from(w[1])) - i64::from(u32::from(w[0]))).collect();
    let constant_step =
        steps.windows(2).all(|w| w[0] == w[1]) && steps.first().is_some_and(|s| s.abs() <= 1);
    let on_a_row = KEYBOARD_ROWS.iter().any(|row| {
        let doubled = row.repeat(3);
        doubled.contains(lower) || doubled.chars().rev().collect::<String>().contains(lower)
    });
    constant_step || on_a_row
}

/// The part of a username or email worth refusing inside a password (4 characters or more).
fn own_name(name: &str) -> Option<String> {
    let name = name.split('@').next().unwrap_or(name).to_lowercase();
    (name.chars().count() >= 4).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(password: &str, words: &str) {
        let problems = PasswordRules::default().problems(password, &["ada", "ada.lovelace@ex.com"]);
        assert!(problems.iter().any(|p| p.contains(words)), "{password}: {problems:?}");
    }

    #[test]
    fn nist_800_63b_3_1_1_2_length_at_least_the_minimum() {
        refused("short pass", "at least 12 characters (it has 10)");
        let eight = PasswordRules { min_length: MIN_LENGTH_FLOOR };
        assert!(eight.problems("lantern7", &[]).is_empty());
        refused(&"x".repeat(MAX_LENGTH + 1), "at most 256");
    }

    #[test]
    fn nist_800_63b_3_1_1_2_common_passwords_are_refused() {
        refused("passwordpassword", "too common");
        refused("Password123456", "too common");
        refused("iloveyou2024!!", "too common");
        refused("QWERTYUIOP123", "too common");
    }

    #[test]
    fn nist_800_63b_3_1_1_2_patterns_and_own_names_are_refused() {
        refused("aaaaaaaaaaaa", "simple pattern");
        refused("abcdefghijklm", "simple pattern");
        refused("987654321098", "simple pattern");
        refused("asdfghjklasd", "simple pattern");
        refused("ada.lovelace-rules", "username or email name");
    }

    #[test]
    fn passphrases_pass() {
        let rules = PasswordRules::default();
        for good in ["correct horse battery staple", "a new long password", "lantern orbit 42"] {
            assert_eq!(rules.problems(good, &["ada"]), Vec::<String>::new(), "{good}");
        }
    }
}
