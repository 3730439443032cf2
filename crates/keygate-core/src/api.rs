//! APIs (resource servers): the audiences access tokens are issued for, the scopes each one
//! defines, and which machine-to-machine clients may get which of them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::authorization_details::DetailsType;
use crate::keys::SigningAlg;
use crate::scope::is_scope_token;

/// The longest access token lifetime an API or client may set, in seconds. Retired signing keys
/// stay published at least this long ([`crate::Settings::key_retention`]).
pub const MAX_TOKEN_TTL: i64 = 86_400;

/// A scope an API defines, with the words the consent page shows for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiScope {
    /// The scope token (RFC 6749 §3.3), e.g. `todo:read`.
    pub name: String,
    /// What it lets an application do, e.g. "Read your to-do list".
    pub description: String,
    /// The description in other languages, by BCP 47 tag (`de`, `pt-BR`): the consent and
    /// account pages show the one of their language, else `description`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub translations: BTreeMap<String, String>,
}

impl ApiScope {
    /// A scope described in one language.
    pub fn new(name: impl Into<String>, description: impl Into<String>) -> Self {
        Self { name: name.into(), description: description.into(), translations: BTreeMap::new() }
    }

    /// Its description for a reader of language `tag` ([`crate::i18n::lookup`]: `pt` words
    /// for `pt-BR`), else the default one.
    pub fn description_in(&self, tag: &str) -> &str {
        let wanted: Vec<_> = crate::i18n::language_tag(tag).into_iter().collect();
        let translations = self.translations.iter().map(|(t, text)| (t.as_str(), text));
        crate::i18n::lookup(&wanted, translations).map_or(&self.description, String::as_str)
    }
}

/// Scopes from `(name, words)` entries as the console and the CLI write them: `name` alone
/// defines a scope, `name@tag` translates its words into language `tag` (`todo:read@de`).
/// A translation of a scope the entries do not define is a problem.
pub fn scopes_from_entries(
    entries: Vec<(String, String)>,
    problems: &mut Vec<String>,
) -> Vec<ApiScope> {
    let (translations, definitions): (Vec<_>, Vec<_>) =
        entries.into_iter().partition(|(name, _)| name.contains('@'));
    let mut scopes: Vec<ApiScope> =
        definitions.into_iter().map(|(name, words)| ApiScope::new(name, words)).collect();
    for (key, words) in translations {
        let (name, tag) = key.split_once('@').unwrap_or((&key, ""));
        match scopes.iter_mut().find(|s| s.name == name) {
            Some(scope) => {
                scope.translations.insert(tag.to_owned(), words);
            }
            None => problems.push(format!(
                "scopes: '{key}' translates a scope that is not defined: write '{name}' with its words first"
            )),
        }
    }
    scopes
}

/// The entries [`scopes_from_entries`] reads back into `scopes`.
pub fn scope_entries(scopes: &[ApiScope]) -> Vec<(String, String)> {
    let mut entries = Vec::new();
    for scope in scopes {
        entries.push((scope.name.clone(), scope.description.clone()));
        for (tag, words) in &scope.translations {
            entries.push((format!("{}@{tag}", scope.name), words.clone()));
        }
    }
    entries
}

/// Every problem with a scope's translated descriptions: a BCP 47 tag each, and words.
fn translation_problems(scope: &ApiScope) -> Vec<String> {
    let mut problems = Vec::new();
    let mut seen = std::collections::BTreeMap::new();
    for tag in scope.translations.keys() {
        let Some(id) = crate::i18n::language_tag(tag) else { continue };
        if let Some(earlier) = seen.insert(id.to_string(), tag) {
            problems.push(format!(
                "scope '{}': '{earlier}' and '{tag}' are the same language; keep one",
                scope.name
            ));
        }
    }
    for (tag, text) in &scope.translations {
        if crate::i18n::language_tag(tag).is_none() || tag.len() > 35 {
            problems.push(format!(
                "scope '{}': '{tag}' is not a language tag such as de or pt-BR",
                scope.name
            ));
        }
        if text.trim().is_empty() {
            problems.push(format!("scope '{}' needs words in '{tag}'", scope.name));
        }
        let what = format!("the '{tag}' description of scope '{}'", scope.name);
        problems.extend(crate::text::too_long(&what, text, crate::text::MAX_DESCRIPTION));
    }
    problems
}

/// A registered API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Api {
    /// Random id.
    pub id: String,
    /// The identifier used as the token audience (RFC 8707 `resource`), an absolute URI.
    pub identifier: String,
    /// Display name.
    pub name: String,
    /// The scopes it defines.
    pub scopes: Vec<ApiScope>,
    /// The RFC 9396 authorization details types it defines.
    pub authorization_details_types: Vec<DetailsType>,
    /// Access token lifetime for this audience; the provider default when `None`.
    pub access_token_ttl: Option<i64>,
    /// Access token signing algorithm for this audience; the provider default when `None`.
    pub signing_alg: Option<SigningAlg>,
    /// Machine-to-machine clients allowed to get tokens for this API, with their scopes.
    pub client_grants: BTreeMap<String, Vec<String>>,
    /// The API's own credentials: clients it authenticates as to introspect tokens issued for
    /// it (RFC 7662 §4). They get no tokens themselves.
    #[serde(default)]
    pub introspection_clients: Vec<String>,
    /// Any application, including self-registered ones (dynamic registration, Client ID
    /// Metadata Documents, as MCP clients are), may ask users for tokens to it and its scopes;
    /// the user's consent is then the only grant. Otherwise only the applications an
    /// operator gave it to.
    #[serde(default)]
    pub open: bool,
    /// Creation time.
    pub created_at: i64,
    /// Last change.
    pub updated_at: i64,
}

impl Api {
    /// The description of one of its scopes.
    pub fn scope_description(&self, scope: &str) -> Option<&str> {
        self.scope(scope).map(|s| s.description.as_str())
    }

    /// The definition of `scope`, if the API defines it.
    pub fn scope(&self, scope: &str) -> Option<&ApiScope> {
        self.scopes.iter().find(|s| s.name == scope)
    }

    /// Whether the API defines `scope`.
    pub fn defines(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s.name == scope)
    }
}

/// The APIs `client` may ask users for (RFC 8707 `resource`): those an operator gave it, then,
/// when it names resources (`requested`), the open ones too. (The default audience, with none
/// named, stays the client's own first API.)
pub fn user_resources(client: &crate::Client, apis: &[Api], requested: bool) -> Vec<String> {
    let mut resources = client.resources.clone();
    if !requested {
        return resources;
    }
    for api in apis.iter().filter(|api| api.open) {
        if !resources.contains(&api.identifier) {
            resources.push(api.identifier.clone());
        }
    }
    resources
}

/// Whether `client` may ask users for `scope`: one of its own, or one an open API defines.
pub fn user_may_request(client: &crate::Client, apis: &[Api], scope: &str) -> bool {
    client.scopes.iter().any(|s| s == scope) || apis.iter().any(|a| a.open && a.defines(scope))
}

/// The settable fields of an API: `None` keeps the current value.
#[derive(Debug, Clone, Default)]
pub struct ApiSpec {
    /// Identifier (audience).
    pub identifier: Option<String>,
    /// Display name.
    pub name: Option<String>,
    /// Scopes.
    pub scopes: Option<Vec<ApiScope>>,
    /// Authorization details types (RFC 9396).
    pub authorization_details_types: Option<Vec<DetailsType>>,
    /// Access token lifetime (`Some(None)` returns to the default).
    pub access_token_ttl: Option<Option<i64>>,
    /// Signing algorithm (`Some(None)` returns to the default).
    pub signing_alg: Option<Option<SigningAlg>>,
    /// Open to any application (see [`Api::open`]).
    pub open: Option<bool>,
}

impl ApiSpec {
    /// Applies the set fields to `api`.
    pub fn apply(self, api: &mut Api) {
        if let Some(v) = self.identifier {
            api.identifier = v;
        }
        if let Some(v) = self.name {
            api.name = v;
        }
        if let Some(v) = self.scopes {
            api.scopes = v;
        }
        if let Some(v) = self.authorization_details_types {
            api.authorization_details_types = v;
        }
        if let Some(v) = self.access_token_ttl {
            api.access_token_ttl = v;
        }
        if let Some(v) = self.signing_alg {
            api.signing_alg = v;
        }
        if let Some(v) = self.open {
            api.open = v;
        }
    }
}

/// Checks an API as a whole and returns every problem found.
pub fn validate_api(api: &Api) -> Vec<String> {
    let mut problems = Vec::new();
    if api.name.trim().is_empty() {
        problems.push("name must not be empty".to_owned());
    }
    problems.extend(crate::text::too_long("name", &api.name, crate::text::MAX_NAME));
    if let Err(p) = crate::resource::validate_resource(&api.identifier) {
        problems.push(format!("identifier: {p}"));
    }
    for (i, scope) in api.scopes.iter().enumerate() {
        if !is_scope_token(&scope.name) {
            problems.push(format!("'{}' is not a valid scope (RFC 6749 §3.3)", scope.name));
        } else if crate::scope::is_reserved_scope(&scope.name) {
            problems.push(format!(
                "'{}' is reserved: OpenID Connect and Keygate's admin scopes cannot be an API's",
                scope.name
            ));
        } else if api.scopes[..i].iter().any(|s| s.name == scope.name) {
            problems.push(format!("scope '{}' is listed twice", scope.name));
        }
        if scope.description.trim().is_empty() {
            problems.push(format!("scope '{}' needs a description", scope.name));
        }
        let what = format!("the description of scope '{}'", scope.name);
        problems.extend(crate::text::too_long(
            &what,
            &scope.description,
            crate::text::MAX_DESCRIPTION,
        ));
        problems.extend(translation_problems(scope));
    }
    problems.extend(crate::authorization_details::type_problems(&api.authorization_details_types));
    if let Some(ttl) = api.access_token_ttl {
        problems.extend(ttl_problem("access_token_ttl", ttl));
    }
    for (client_id, scopes) in &api.client_grants {
        for scope in scopes.iter().filter(|s| !api.defines(s)) {
            problems.push(format!("client '{client_id}': the API defines no scope '{scope}'"));
        }
    }
    problems
}

/// A token lifetime must be between a minute and [`MAX_TOKEN_TTL`].
pub fn ttl_problem(field: &str, ttl: i64) -> Option<String> {
    (!(60..=MAX_TOKEN_TTL).contains(&ttl))
        .then(|| format!("{field} must be between 60 and {MAX_TOKEN_TTL} seconds"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api() -> Api {
        Api {
            id: "a".into(),
            identifier: "https://todo.example/".into(),
            name: "To-do".into(),
            scopes: vec![ApiScope::new("todo:read", "Read")],
            authorization_details_types: vec![],
            access_token_ttl: None,
            signing_alg: None,
            client_grants: BTreeMap::new(),
            introspection_clients: Vec::new(),
            open: false,
            created_at: 0,
            updated_at: 0,
        }
    }

    #[test]
    fn valid_api_has_no_problems() {
        assert!(validate_api(&api()).is_empty());
    }

    #[test]
    fn every_problem_is_listed() {
        let mut bad = api();
        bad.identifier = "todo".into();
        bad.name = " ".into();
        bad.scopes.push(bad.scopes[0].clone());
        bad.scopes.push(ApiScope::new("a b", String::new()));
        bad.access_token_ttl = Some(10);
        bad.client_grants.insert("c".into(), vec!["todo:write".into()]);
        assert_eq!(validate_api(&bad).len(), 7, "{:?}", validate_api(&bad));
    }

    #[test]
    fn oidc_core_5_4_an_api_cannot_define_openid_connect_or_admin_scopes() {
        for name in ["openid", "offline_access", "profile", "admin:read"] {
            let mut bad = api();
            bad.scopes.push(ApiScope::new(name, "Mine now"));
            let problems = validate_api(&bad);
            assert_eq!(problems.len(), 1, "{problems:?}");
            assert!(problems[0].contains("reserved"), "{problems:?}");
        }
    }

    #[test]
    fn scope_translations_come_as_name_at_tag_entries_and_bad_tags_are_named() {
        let entries = vec![
            ("todo:read@de".to_owned(), "Ihre Aufgaben lesen".to_owned()),
            ("todo:read".to_owned(), "Read your to-dos".to_owned()),
            ("todo:write@fr".to_owned(), "Écrire".to_owned()),
        ];
        let mut problems = Vec::new();
        let scopes = scopes_from_entries(entries, &mut problems);
        assert_eq!(scopes.len(), 1);
        assert_eq!(scopes[0].description_in("DE"), "Ihre Aufgaben lesen");
        assert_eq!(scopes[0].description_in("ja"), "Read your to-dos");
        assert!(problems.len() == 1 && problems[0].contains("todo:write@fr"), "{problems:?}");
        assert_eq!(scope_entries(&scopes).len(), 2, "read back as written");
        let mut bad = scopes[0].clone();
        bad.translations.insert("not a tag!".into(), "x".into());
        bad.translations.insert("es".into(), " ".into());
        assert_eq!(translation_problems(&bad).len(), 2, "{:?}", translation_problems(&bad));
        bad.translations.insert("DE".into(), "Lesen".into());
        let problems = translation_problems(&bad);
        assert!(problems.iter().any(|p| p.contains("the same language")), "{problems:?}");
    }

    #[test]
    fn rfc4647_3_4_scope_words_are_looked_up_like_the_pages_language() {
        let mut scope = ApiScope::new("todo:read", "Read your to-dos");
        scope.translations.insert("pt".into(), "Ler as suas tarefas".into());
        scope.translations.insert("de-DE".into(), "Ihre Aufgaben lesen".into());
        assert_eq!(scope.description_in("pt-BR"), "Ler as suas tarefas", "less detail");
        assert_eq!(scope.description_in("de"), "Ihre Aufgaben lesen", "other detail");
        assert_eq!(scope.description_in("ja"), "Read your to-dos");
        assert_eq!(scope.description_in("not a tag!"), "Read your to-dos");
    }
}
