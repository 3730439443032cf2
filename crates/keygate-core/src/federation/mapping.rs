//! Mapping an upstream's claims (ID token and userinfo, or a user API's JSON) to Keygate's.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::UpstreamKind;

/// Where each Keygate claim is found in the upstream's JSON: a field name, or a dotted path
/// into nested objects (`data.attributes.email`). Unset fields are not mapped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ClaimMapping {
    /// The stable upstream user id (`sub` for OIDC, `id` for GitHub). Numbers are turned into
    /// text.
    pub subject: String,
    /// Email address.
    pub email: Option<String>,
    /// Whether the upstream verified the email (a boolean, or the text `"true"`).
    pub email_verified: Option<String>,
    /// Full name.
    pub name: Option<String>,
    /// Given name.
    pub given_name: Option<String>,
    /// Family name.
    pub family_name: Option<String>,
    /// Preferred username: the first choice of username for a new account.
    pub preferred_username: Option<String>,
    /// Picture URL.
    pub picture: Option<String>,
}

impl Default for ClaimMapping {
    fn default() -> Self {
        Self::standard("sub")
    }
}

impl ClaimMapping {
    /// The OIDC Core §5.1 standard claim names, with `subject` as the id field.
    pub fn standard(subject: &str) -> Self {
        Self {
            subject: subject.to_owned(),
            email: Some("email".into()),
            email_verified: Some("email_verified".into()),
            name: Some("name".into()),
            given_name: Some("given_name".into()),
            family_name: Some("family_name".into()),
            preferred_username: Some("preferred_username".into()),
            picture: Some("picture".into()),
        }
    }

    /// The default for a kind: standard claims for OIDC; `id`, `login`, `name`, `email`,
    /// `avatar_url` (the common user-API shape) for plain OAuth 2.0, whose email is never taken
    /// as verified unless mapped.
    pub fn for_kind(kind: &UpstreamKind) -> Self {
        match kind {
            UpstreamKind::Oidc { .. } => Self::standard("sub"),
            UpstreamKind::Oauth2 { .. } => Self {
                subject: "id".into(),
                email: Some("email".into()),
                email_verified: None,
                name: Some("name".into()),
                given_name: None,
                family_name: None,
                preferred_username: Some("login".into()),
                picture: Some("avatar_url".into()),
            },
        }
    }

    /// Problems with the paths.
    pub fn problems(&self) -> Vec<String> {
        let paths = [
            Some(&self.subject),
            self.email.as_ref(),
            self.email_verified.as_ref(),
            self.name.as_ref(),
            self.given_name.as_ref(),
            self.family_name.as_ref(),
            self.preferred_username.as_ref(),
            self.picture.as_ref(),
        ];
        paths
            .into_iter()
            .flatten()
            .filter(|p| p.is_empty() || p.split('.').any(str::is_empty) || p.len() > 200)
            .map(|p| format!("claim mapping path '{p}' is not a field name or dotted path"))
            .collect()
    }

    /// The identity in `claims`; `None` when the subject is missing or empty.
    pub fn apply(&self, provider_id: &str, claims: &Value) -> Option<UpstreamIdentity> {
        let subject = lookup(claims, &self.subject).and_then(as_text).filter(|s| !s.is_empty())?;
        let text = |path: &Option<String>| {
            path.as_deref()
                .and_then(|p| lookup(claims, p))
                .and_then(as_text)
                .filter(|s| !s.is_empty())
        };
        let email_verified = self
            .email_verified
            .as_deref()
            .and_then(|p| lookup(claims, p))
            .is_some_and(|v| v.as_bool() == Some(true) || v.as_str() == Some("true"));
        Some(UpstreamIdentity {
            provider_id: provider_id.to_owned(),
            subject,
            email: text(&self.email).map(|e| e.trim().to_owned()),
            email_verified,
            name: text(&self.name),
            given_name: text(&self.given_name),
            family_name: text(&self.family_name),
            preferred_username: text(&self.preferred_username),
            picture: text(&self.picture),
            amr: Vec::new(),
        })
    }
}

fn lookup<'a>(value: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(value, |v, key| v.get(key))
}

fn as_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Who the upstream says signed in, in Keygate's terms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpstreamIdentity {
    /// The upstream provider's id in Keygate.
    pub provider_id: String,
    /// The upstream's stable user id (`sub`).
    pub subject: String,
    /// Email, as the upstream gave it.
    pub email: Option<String>,
    /// Whether the upstream asserted the email verified.
    pub email_verified: bool,
    /// Full name.
    pub name: Option<String>,
    /// Given name.
    pub given_name: Option<String>,
    /// Family name.
    pub family_name: Option<String>,
    /// Preferred username.
    pub preferred_username: Option<String>,
    /// Picture URL.
    pub picture: Option<String>,
    /// The upstream ID token's `amr`, if any.
    #[serde(default)]
    pub amr: Vec<String>,
}
