//! Form parameters of a protocol request, with the RFC 6749 §3.2 rule that a parameter must
//! not be sent more than once.

use std::borrow::Cow;

use crate::OAuthError;

/// The decoded `application/x-www-form-urlencoded` parameters of one request.
#[derive(Debug, Default, Clone)]
pub struct Params(Vec<(String, String)>);

impl Params {
    /// Parses a form body or query string.
    pub fn parse(body: &[u8]) -> Self {
        Self(
            url::form_urlencoded::parse(body)
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        )
    }

    /// Parameters from name-value pairs (a request object's members).
    pub fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        Self(pairs)
    }

    /// The value of a parameter that may appear at most once. An empty value counts as absent
    /// (RFC 6749 §3.1: "Parameters sent without a value MUST be treated as if they were
    /// omitted"); a repeated parameter is `invalid_request` (RFC 6749 §3.2).
    pub fn single(&self, name: &'static str) -> Result<Option<&str>, OAuthError> {
        let mut found = None;
        for (k, v) in &self.0 {
            if k == name && !v.is_empty() {
                if found.is_some() {
                    return Err(OAuthError::InvalidRequest(Cow::Owned(format!(
                        "parameter '{name}' was sent more than once"
                    ))));
                }
                found = Some(v.as_str());
            }
        }
        Ok(found)
    }

    /// Like [`Params::single`], but absent is `invalid_request`.
    pub fn required(&self, name: &'static str) -> Result<&str, OAuthError> {
        self.single(name)?.ok_or_else(|| {
            OAuthError::InvalidRequest(Cow::Owned(format!("parameter '{name}' is missing")))
        })
    }

    /// The first value of a page form's field, empty or not (`None`: the field was not sent).
    pub fn field<'a>(&'a self, name: &str) -> Option<&'a str> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// Every non-empty value of a parameter that may repeat (RFC 8707 `resource`).
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.0.iter().filter(move |(k, v)| k == name && !v.is_empty()).map(|(_, v)| v.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc6749_3_2_repeated_parameter_is_invalid_request() {
        let p = Params::parse(b"grant_type=a&grant_type=b");
        assert!(matches!(p.single("grant_type"), Err(OAuthError::InvalidRequest(_))));
    }

    #[test]
    fn rfc6749_3_1_empty_parameter_counts_as_absent() {
        let p = Params::parse(b"scope=&grant_type=x");
        assert_eq!(p.single("scope").ok().flatten(), None);
        assert!(p.required("scope").is_err());
        assert_eq!(p.required("grant_type").ok(), Some("x"));
    }

    #[test]
    fn repeatable_parameters_are_all_returned() {
        let p = Params::parse(b"resource=https%3A%2F%2Fa&resource=https%3A%2F%2Fb");
        assert_eq!(p.all("resource").collect::<Vec<_>>(), ["https://a", "https://b"]);
    }
}
