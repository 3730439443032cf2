//! Standard claims about a user, released by scope (OIDC Core §5.4) and by the `claims` request
//! parameter (§5.5), with their values in other languages and scripts (§5.2, `claims_locales`).

use serde_json::{Map, Value};

use crate::User;

/// Claims Keygate can release (advertised as `claims_supported`).
pub const SUPPORTED_CLAIMS: &[&str] = &[
    "sub",
    "iss",
    "aud",
    "exp",
    "iat",
    "auth_time",
    "nonce",
    "acr",
    "amr",
    "azp",
    "sid",
    "name",
    "given_name",
    "family_name",
    "preferred_username",
    "updated_at",
    "email",
    "email_verified",
    "middle_name",
    "nickname",
    "profile",
    "picture",
    "website",
    "gender",
    "birthdate",
    "zoneinfo",
    "locale",
    "phone_number",
    "phone_number_verified",
    "address",
];

/// Claims whose values may come in several languages and scripts (OIDC Core §5.2): a user may
/// have `family_name#ja-Kana-JP` beside `family_name`.
pub const LOCALIZABLE: &[&str] = &["name", "given_name", "family_name", "middle_name", "nickname"];

/// The member of a grant's stored `claims` request that keeps the request's `claims_locales`
/// (OIDC Core §5.5 lets a claims request carry members it does not define; they are ignored).
const LOCALES_MEMBER: &str = "claims_locales";

/// A grant's stored claims request: the `claims` parameter (JSON text) with the request's
/// `claims_locales` kept in it, for the ID token and UserInfo responses of the grant. A member
/// of that name the client put in its `claims` is not the parameter (OIDC Core §5.5: members it
/// does not define are ignored), so it is dropped first.
pub fn with_locales(claims: Option<&str>, locales: Option<&str>) -> Option<String> {
    let locales = locales.map(str::trim).filter(|l| !l.is_empty());
    let parsed = claims.and_then(|c| serde_json::from_str::<Map<String, Value>>(c).ok());
    if parsed.is_none() && locales.is_none() {
        return claims.map(str::to_owned);
    }
    let mut request = parsed.unwrap_or_default();
    request.remove(LOCALES_MEMBER);
    if let Some(locales) = locales {
        request.insert(LOCALES_MEMBER.to_owned(), Value::from(locales));
    }
    Some(Value::Object(request).to_string())
}

/// Whether a claim value's language `tag` is one of the `wanted` ones: the same tag, or one
/// more specific (RFC 4647 §3.3.1 basic filtering: `ja` takes `ja-Kana-JP`).
fn wanted_locale(tag: &str, wanted: &[&str]) -> bool {
    let tag = tag.to_ascii_lowercase();
    wanted
        .iter()
        .map(|w| w.to_ascii_lowercase())
        .any(|w| tag == w || tag.strip_prefix(w.as_str()).is_some_and(|rest| rest.starts_with('-')))
}

/// The user claims of a scope (OIDC Core §5.4): the column claims here, the extra claims from
/// [`crate::user::EXTRA_CLAIMS`].
fn scope_claims(scope: &str) -> impl Iterator<Item = &'static str> {
    let columns: &'static [&'static str] = match scope {
        "profile" => &["name", "given_name", "family_name", "preferred_username", "updated_at"],
        "email" => &["email", "email_verified"],
        _ => &[],
    };
    let extra = crate::user::EXTRA_CLAIMS.iter().filter(move |(_, s)| *s == scope);
    columns.iter().copied().chain(extra.map(|(name, _)| *name))
}

fn claim_value(user: &User, name: &str) -> Option<Value> {
    match name {
        "name" => user.name.clone().map(Value::from),
        "given_name" => user.given_name.clone().map(Value::from),
        "family_name" => user.family_name.clone().map(Value::from),
        "preferred_username" => Some(Value::from(user.username.clone())),
        "updated_at" => Some(Value::from(user.updated_at)),
        "email" => Some(Value::from(user.email.clone())),
        "email_verified" => Some(Value::from(user.email_verified)),
        other => user.claims.get(other).cloned(),
    }
}

/// The claims for `user` given the granted `scope` and, from a `claims` request (JSON text),
/// the member for this place (`"id_token"` or `"userinfo"`).
///
/// The `claims` parameter chooses where claims go and may ask for single claims, but it never
/// widens what the user consented to: a requested claim is released only when a granted scope
/// covers it (OIDC Core §5.5 "subject to ... the End-User's consent", RFC 6749 §3.3). The consent
/// page and the "is consent needed?" decision compare scopes, and so cover every claim
/// released.
pub fn user_claims(
    user: &User,
    scope: &[String],
    claims_request: Option<&str>,
    member: &str,
) -> Map<String, Value> {
    let mut out = Map::new();
    let granted: Vec<&str> = scope.iter().flat_map(|s| scope_claims(s)).collect();
    let mut names = granted.clone();
    let requested: Option<Value> = claims_request.and_then(|text| serde_json::from_str(text).ok());
    let asked = requested.as_ref().and_then(|r| r.get(member)).and_then(Value::as_object);
    if let Some(asked) = asked {
        names.extend(asked.keys().map(String::as_str).filter(|name| granted.contains(name)));
    }
    for name in &names {
        if let Some(value) = claim_value(user, name) {
            out.insert((*name).to_owned(), value);
        }
    }
    // OIDC Core §5.2: the values in other languages and scripts of the claims released, those
    // of the requested `claims_locales` (all of them when none were requested), and any asked
    // for by its tagged name (§5.5.2) whatever `claims_locales` says.
    let locales = requested.as_ref().and_then(|r| r.get(LOCALES_MEMBER)).and_then(Value::as_str);
    let wanted: Option<Vec<&str>> = locales.map(|l| l.split_ascii_whitespace().collect());
    for (key, value) in &user.claims {
        let Some((base, tag)) = key.split_once('#') else { continue };
        let released = names.contains(&base) && LOCALIZABLE.contains(&base);
        let by_name = asked.is_some_and(|a| a.contains_key(key));
        if released && (by_name || wanted.as_ref().is_none_or(|w| wanted_locale(tag, w))) {
            out.insert(key.clone(), value.clone());
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn taro() -> User {
        let claims = serde_json::json!({
            "family_name#ja-Kana-JP": "ヤマダ",
            "family_name#ja-Hani-JP": "山田",
            "nickname#de": "Taro der Zweite",
            "phone_number": "+81312345678",
        });
        User {
            id: "u1".into(),
            username: "taro".into(),
            email: "taro@example.com".into(),
            email_verified: true,
            name: Some("Taro Yamada".into()),
            given_name: Some("Taro".into()),
            family_name: Some("Yamada".into()),
            password_hash: None,
            disabled: false,
            require_mfa: false,
            roles: Vec::new(),
            claims: claims.as_object().cloned().unwrap(),
            created_at: 0,
            updated_at: 0,
        }
    }

    #[test]
    fn oidc_core_5_2_claims_locales_picks_the_values_in_the_languages_asked_for() {
        let scope = vec!["openid".to_owned(), "profile".to_owned()];
        let stored = with_locales(None, Some("ja-Kana-JP de")).unwrap();
        let out = user_claims(&taro(), &scope, Some(&stored), "id_token");
        assert_eq!(out["family_name"], "Yamada", "the untagged value stays");
        assert_eq!(out["family_name#ja-Kana-JP"], "ヤマダ");
        assert!(out.get("family_name#ja-Hani-JP").is_none(), "{out:?}");
        // A language range takes its more specific tags (RFC 4647 §3.3.1).
        let stored = with_locales(None, Some("ja")).unwrap();
        let out = user_claims(&taro(), &scope, Some(&stored), "id_token");
        assert!(
            out.contains_key("family_name#ja-Kana-JP")
                && out.contains_key("family_name#ja-Hani-JP")
        );
        // Without claims_locales, every language the user has.
        let out = user_claims(&taro(), &scope, None, "userinfo");
        assert_eq!(out["nickname#de"], "Taro der Zweite");
        // Never beyond the granted scopes.
        let out = user_claims(&taro(), &["openid".to_owned()], None, "userinfo");
        assert!(out.keys().all(|k| !k.contains('#')), "{out:?}");
    }

    #[test]
    fn claims_locales_travel_inside_the_stored_claims_request() {
        let claims = r#"{"id_token":{"email":null}}"#;
        let stored = with_locales(Some(claims), Some("fr ja")).unwrap();
        let value: Value = serde_json::from_str(&stored).unwrap();
        assert_eq!(value["id_token"]["email"], Value::Null);
        assert_eq!(value[LOCALES_MEMBER], "fr ja");
        assert_eq!(with_locales(Some(claims), None).as_deref(), Some(claims));
        assert_eq!(with_locales(None, Some("  ")), None);
    }

    #[test]
    fn oidc_core_5_5_a_claims_locales_member_inside_claims_is_not_the_parameter() {
        let scope = vec!["openid".to_owned(), "profile".to_owned()];
        let smuggled = r#"{"id_token":{"name":null},"claims_locales":"de"}"#;
        let stored = with_locales(Some(smuggled), None).unwrap();
        let out = user_claims(&taro(), &scope, Some(&stored), "id_token");
        assert!(out.contains_key("family_name#ja-Kana-JP"), "no claims_locales: every language");
        let stored = with_locales(Some(smuggled), Some("ja-Kana-JP")).unwrap();
        let value: Value = serde_json::from_str(&stored).unwrap();
        assert_eq!(value[LOCALES_MEMBER], "ja-Kana-JP", "the parameter, not the member");
    }

    #[test]
    fn oidc_core_5_5_2_a_claim_asked_for_by_its_tagged_name_is_released_whatever_the_locales() {
        let scope = vec!["openid".to_owned(), "profile".to_owned()];
        let claims = r#"{"id_token":{"family_name#ja-Hani-JP":null}}"#;
        let stored = with_locales(Some(claims), Some("de")).unwrap();
        let out = user_claims(&taro(), &scope, Some(&stored), "id_token");
        assert_eq!(out["family_name#ja-Hani-JP"], "山田");
        assert!(out.get("family_name#ja-Kana-JP").is_none(), "not asked for, not in de");
        assert_eq!(out["nickname#de"], "Taro der Zweite");
        // Still never beyond the granted scopes.
        let out = user_claims(&taro(), &["openid".to_owned()], Some(&stored), "id_token");
        assert!(out.keys().all(|k| !k.contains('#')), "{out:?}");
    }
}
