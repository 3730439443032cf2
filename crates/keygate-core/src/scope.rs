//! Scopes (RFC 6749 §3.3): a space-delimited list of case-sensitive tokens.

use std::borrow::Cow;

use crate::OAuthError;

/// Whether `token` is a valid scope token: `1*( %x21 / %x23-5B / %x5D-7E )` (RFC 6749 §3.3).
pub fn is_scope_token(token: &str) -> bool {
    !token.is_empty()
        && token
            .bytes()
            .all(|b| b == 0x21 || (0x23..=0x5B).contains(&b) || (0x5D..=0x7E).contains(&b))
}

/// Parses a `scope` parameter into its distinct tokens, in order (RFC 6749 §3.3).
pub fn parse_scope(value: &str) -> Result<Vec<String>, OAuthError> {
    let mut out: Vec<String> = Vec::new();
    for token in value.split(' ').filter(|t| !t.is_empty()) {
        if !is_scope_token(token) {
            return Err(OAuthError::InvalidScope(Cow::Borrowed(
                "scope contains a character RFC 6749 §3.3 does not allow",
            )));
        }
        if !out.iter().any(|t| t == token) {
            out.push(token.to_owned());
        }
    }
    Ok(out)
}

/// Splits a stored, already-validated scope string into its tokens.
pub fn split_scope(text: &str) -> Vec<String> {
    text.split(' ').filter(|t| !t.is_empty()).map(str::to_owned).collect()
}

/// Joins scope tokens with single spaces.
pub fn join_scope(tokens: &[String]) -> String {
    tokens.join(" ")
}

/// What a scope lets an application do, in plain words for the consent page.
pub fn describe_scope(scope: &str) -> std::borrow::Cow<'static, str> {
    use std::borrow::Cow::{Borrowed, Owned};
    match scope {
        "openid" => Borrowed("Confirm who you are"),
        "profile" => Borrowed("See your name and username"),
        "email" => Borrowed("See your email address"),
        "address" => Borrowed("See your postal address"),
        "phone" => Borrowed("See your phone number"),
        "offline_access" => Borrowed("Keep access while you are away, until you revoke it"),
        other => Owned(format!("Use the permission \u{201c}{other}\u{201d}")),
    }
}

/// A scope as a page shows it: its name, and its API's words for it when it has them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ScopeLine {
    /// The scope.
    pub scope: String,
    /// The description its API gives it.
    pub api_words: Option<String>,
    /// That description in other languages, by BCP 47 tag.
    pub translations: std::collections::BTreeMap<String, String>,
}

/// The scopes Keygate describes (advertised as `scopes_supported`).
pub const STANDARD_SCOPES: &[&str] =
    &["openid", "profile", "email", "address", "phone", "offline_access"];

/// Scope names an API may not define: the OpenID Connect scopes (OIDC Core §5.4, §11) and
/// Keygate's own `admin:*` scopes. Their meaning, and their words on the consent page, belong
/// to Keygate.
pub fn is_reserved_scope(scope: &str) -> bool {
    STANDARD_SCOPES.contains(&scope) || scope.starts_with("admin:")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc6749_3_3_scope_tokens_are_space_delimited_and_deduplicated() {
        let s = parse_scope("read  write read").ok();
        assert_eq!(s, Some(vec!["read".to_owned(), "write".to_owned()]));
    }

    #[test]
    fn oidc_and_admin_scope_names_are_reserved() {
        for name in ["openid", "offline_access", "email", "admin:read", "admin:anything"] {
            assert!(is_reserved_scope(name), "{name}");
        }
        assert!(!is_reserved_scope("todo:read"));
        assert!(!is_reserved_scope("administer"));
    }

    #[test]
    fn rfc6749_3_3_scope_rejects_quote_and_backslash() {
        assert!(parse_scope("a\"b").is_err());
        assert!(parse_scope("a\\b").is_err());
        assert!(is_scope_token("todo:read"));
    }
}
