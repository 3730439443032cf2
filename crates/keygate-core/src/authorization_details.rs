//! RFC 9396 Rich Authorization Requests: the types APIs define, parsing and checking the
//! `authorization_details` parameter, comparing requests with grants, and the consent words.
//!
//! Keygate knows a type through the API (resource server) that defines it: its actions, each
//! with the words the consent page shows, and its locations, which must lie under the API's
//! identifier. A request names only fields its type defines (RFC 9396 §5: the server refuses
//! details that do not conform to their type).

use std::borrow::Cow;

pub use keygate_types::AuthorizationDetail;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use url::Url;

use crate::OAuthError;
use crate::api::{Api, ApiScope};
use crate::scope::is_scope_token;

/// The most entries one request may carry.
pub const MAX_ENTRIES: usize = 16;
/// The longest `authorization_details` value accepted, in bytes.
pub const MAX_LENGTH: usize = 8 * 1024;

/// An authorization details type an API defines (RFC 9396 §2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DetailsType {
    /// The type (RFC 9396 §2), e.g. `folder_access`.
    #[serde(rename = "type")]
    pub name: String,
    /// What its locations are, for the consent page, e.g. "Folders in your drive".
    pub description: String,
    /// The actions it allows, each with the words the consent page shows.
    pub actions: Vec<ApiScope>,
}

/// One entry as the consent page shows it, in plain words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConsentLine {
    /// The API's name.
    pub api: String,
    /// The type's description.
    pub what: String,
    /// What the application may do, one phrase per action.
    pub actions: Vec<String>,
    /// Where, relative to the API (e.g. `/folders/diagrams`).
    pub locations: Vec<String>,
}

fn invalid(text: impl Into<Cow<'static, str>>) -> OAuthError {
    OAuthError::InvalidAuthorizationDetails(text.into())
}

/// The API that defines the type `kind`, and the definition.
pub fn find_type<'a>(apis: &'a [Api], kind: &str) -> Option<(&'a Api, &'a DetailsType)> {
    apis.iter().find_map(|api| {
        api.authorization_details_types.iter().find(|t| t.name == kind).map(|t| (api, t))
    })
}

/// Every type the registered APIs define (RFC 9396 §10: `authorization_details_types_supported`).
pub fn supported_types(apis: &[Api]) -> Vec<String> {
    apis.iter().flat_map(|a| a.authorization_details_types.iter().map(|t| t.name.clone())).collect()
}

/// Parses and checks an `authorization_details` value (RFC 9396 §2, §3, §5): a non-empty JSON
/// array of objects of registered types, with only the fields the type defines, its actions,
/// and locations under the defining API. `may_use` says whether the client may ask for an
/// API's types. Every failure is `invalid_authorization_details`.
pub fn parse(
    text: &str,
    apis: &[Api],
    may_use: impl Fn(&Api) -> bool,
) -> Result<Vec<AuthorizationDetail>, OAuthError> {
    if text.len() > MAX_LENGTH {
        return Err(invalid(format!("authorization_details is longer than {MAX_LENGTH} bytes")));
    }
    let value: Value = serde_json::from_str(text)
        .map_err(|_| invalid("authorization_details is not JSON (RFC 9396 §2)"))?;
    let Value::Array(entries) = value else {
        return Err(invalid("authorization_details must be a JSON array (RFC 9396 §2)"));
    };
    if entries.is_empty() || entries.len() > MAX_ENTRIES {
        return Err(invalid(format!("authorization_details must hold 1 to {MAX_ENTRIES} entries")));
    }
    entries.iter().map(|entry| parse_entry(entry, apis, &may_use)).collect()
}

fn parse_entry(
    entry: &Value,
    apis: &[Api],
    may_use: &impl Fn(&Api) -> bool,
) -> Result<AuthorizationDetail, OAuthError> {
    let object = entry.as_object().ok_or_else(|| invalid("each entry must be a JSON object"))?;
    let kind = object
        .get("type")
        .and_then(Value::as_str)
        .ok_or_else(|| invalid("each entry needs a string 'type' (RFC 9396 §2)"))?;
    let (api, definition) = find_type(apis, kind)
        .ok_or_else(|| invalid(format!("unknown authorization details type '{kind}'")))?;
    if !may_use(api) {
        return Err(invalid(format!("this client may not ask for '{kind}'")));
    }
    if let Some(field) = object.keys().find(|k| !["type", "locations", "actions"].contains(&&***k))
    {
        return Err(invalid(format!("'{field}' is not a field of type '{kind}'")));
    }
    let actions = string_list(object, "actions", kind)?;
    if let Some(unknown) =
        actions.iter().find(|a| !definition.actions.iter().any(|d| d.name == **a))
    {
        return Err(invalid(format!("type '{kind}' has no action '{unknown}'")));
    }
    let locations = string_list(object, "locations", kind)?;
    if let Some(outside) = locations.iter().find(|l| !location_under(&api.identifier, l)) {
        return Err(invalid(format!(
            "location '{outside}' is not a canonical URI under {}",
            api.identifier
        )));
    }
    Ok(AuthorizationDetail { kind: kind.to_owned(), locations, actions })
}

/// A required, non-empty array of strings, without repeats.
fn string_list(
    object: &Map<String, Value>,
    field: &'static str,
    kind: &str,
) -> Result<Vec<String>, OAuthError> {
    let bad = || invalid(format!("type '{kind}' needs '{field}' as a non-empty array of strings"));
    let items = object.get(field).and_then(Value::as_array).ok_or_else(bad)?;
    let mut list: Vec<String> = Vec::with_capacity(items.len());
    for item in items {
        let text = item.as_str().ok_or_else(bad)?;
        if !list.iter().any(|l| l == text) {
            list.push(text.to_owned());
        }
    }
    if list.is_empty() {
        return Err(bad());
    }
    Ok(list)
}

/// Whether `location` is an absolute URI, written in canonical form (so no `..`, no
/// alternative spellings of the same path), without query or fragment, strictly under the
/// API's `identifier`.
pub fn location_under(identifier: &str, location: &str) -> bool {
    let Ok(url) = Url::parse(location) else { return false };
    if url.as_str() != location || url.query().is_some() || url.fragment().is_some() {
        return false;
    }
    let base = identifier.trim_end_matches('/');
    location.strip_prefix(base).is_some_and(|rest| rest.len() > 1 && rest.starts_with('/'))
}

/// The identifiers of the APIs the details are for: the token's audiences (RFC 9396 §9.1).
pub fn audiences(details: &[AuthorizationDetail], apis: &[Api]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for detail in details {
        if let Some((api, _)) = find_type(apis, &detail.kind)
            && !out.contains(&api.identifier)
        {
            out.push(api.identifier.clone());
        }
    }
    out
}

/// The details for a token under a grant (RFC 9396 §6, §6.1): all of the grant's when the
/// token request names none; else the requested ones, each within a granted entry.
pub fn narrow(
    requested: Option<&str>,
    granted: &[AuthorizationDetail],
    apis: &[Api],
) -> Result<Vec<AuthorizationDetail>, OAuthError> {
    let Some(text) = requested else { return Ok(granted.to_vec()) };
    let requested = parse(text, apis, |_| true)?;
    if let Some(extra) = requested.iter().find(|r| !granted.iter().any(|g| r.within(g))) {
        return Err(invalid(format!(
            "the '{}' entry asks for more than was granted (RFC 9396 §6)",
            extra.kind
        )));
    }
    Ok(requested)
}

/// `Some` for a non-empty list: how the token and introspection responses carry details
/// (RFC 9396 §7, §9.2), absent when there are none.
pub fn non_empty(details: Vec<AuthorizationDetail>) -> Option<Vec<AuthorizationDetail>> {
    (!details.is_empty()).then_some(details)
}

/// The details in plain words for the consent page.
pub fn describe(details: &[AuthorizationDetail], apis: &[Api]) -> Vec<ConsentLine> {
    details
        .iter()
        .filter_map(|detail| {
            let (api, definition) = find_type(apis, &detail.kind)?;
            let base = api.identifier.trim_end_matches('/');
            let action_words = |name: &String| {
                definition
                    .actions
                    .iter()
                    .find(|a| a.name == *name)
                    .map_or_else(|| name.clone(), |a| a.description.clone())
            };
            Some(ConsentLine {
                api: api.name.clone(),
                what: definition.description.clone(),
                actions: detail.actions.iter().map(action_words).collect(),
                locations: detail
                    .locations
                    .iter()
                    .map(|l| l.strip_prefix(base).unwrap_or(l).to_owned())
                    .collect(),
            })
        })
        .collect()
}

/// Checks the types an API defines and returns every problem.
pub fn type_problems(types: &[DetailsType]) -> Vec<String> {
    let mut problems = Vec::new();
    for (i, t) in types.iter().enumerate() {
        if !is_scope_token(&t.name) {
            problems.push(format!("'{}' is not a valid authorization details type", t.name));
        } else if types[..i].iter().any(|o| o.name == t.name) {
            problems.push(format!("type '{}' is listed twice", t.name));
        }
        if t.description.trim().is_empty() {
            problems.push(format!("type '{}' needs a description", t.name));
        }
        if t.actions.is_empty() {
            problems.push(format!("type '{}' needs at least one action", t.name));
        }
        for (j, a) in t.actions.iter().enumerate() {
            if !is_scope_token(&a.name) || t.actions[..j].iter().any(|o| o.name == a.name) {
                problems
                    .push(format!("type '{}': action '{}' is invalid or repeated", t.name, a.name));
            }
            if a.description.trim().is_empty() {
                problems
                    .push(format!("type '{}': action '{}' needs a description", t.name, a.name));
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests;
