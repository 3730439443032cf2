//! End users (resource owners): their record, claims and identifiers (passwords:
//! [`crate::password_policy`]).

use serde::Serialize;

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
