//! Standard claims about a user, released by scope (OIDC Core §5.4) and by the `claims` request
//! parameter (§5.5).

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
    if let Some(Value::Object(wanted)) = requested.as_ref().and_then(|r| r.get(member)) {
        names.extend(wanted.keys().map(String::as_str).filter(|name| granted.contains(name)));
    }
    for name in names {
        if let Some(value) = claim_value(user, name) {
            out.insert(name.to_owned(), value);
        }
    }
    out
}
