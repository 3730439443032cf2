//! RFC 8707 resource indicators: which API a token is for.

use std::borrow::Cow;

use url::Url;

use crate::OAuthError;

/// RFC 8707 §2: a resource is an absolute URI without a fragment.
pub fn validate_resource(resource: &str) -> Result<(), String> {
    match Url::parse(resource) {
        Ok(url) if url.fragment().is_none() && !resource.contains('#') => Ok(()),
        Ok(_) => Err(format!("resource '{resource}' must not contain a fragment (RFC 8707 §2)")),
        Err(_) => Err(format!("resource '{resource}' is not an absolute URI (RFC 8707 §2)")),
    }
}

/// Picks the audience of an access token from the `resource` parameters a client sent
/// (RFC 8707 §2): each must be valid and registered for the client, else `invalid_target`.
/// With none requested, the client's first registered resource is used, or `fallback` (the
/// issuer) for a client with none.
pub fn select_audience<'a>(
    requested: impl Iterator<Item = &'a str>,
    allowed: &[String],
    fallback: &str,
) -> Result<Vec<String>, OAuthError> {
    let mut audience: Vec<String> = Vec::new();
    for resource in requested {
        validate_resource(resource).map_err(|p| OAuthError::InvalidTarget(Cow::Owned(p)))?;
        if !allowed.iter().any(|a| a == resource) {
            return Err(OAuthError::InvalidTarget(Cow::Owned(format!(
                "resource '{resource}' is not allowed for this client"
            ))));
        }
        if !audience.iter().any(|a| a == resource) {
            audience.push(resource.to_owned());
        }
    }
    if audience.is_empty() {
        audience.push(allowed.first().map_or(fallback, String::as_str).to_owned());
    }
    Ok(audience)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc8707_2_resource_must_be_absolute_without_fragment() {
        let allowed = vec!["https://api.example/".to_owned()];
        for bad in ["api", "https://api.example/#f"] {
            let r = select_audience([bad].into_iter(), &allowed, "https://issuer");
            assert!(matches!(r, Err(OAuthError::InvalidTarget(_))), "{bad}");
        }
    }

    #[test]
    fn rfc8707_2_unregistered_resource_is_invalid_target() {
        let r = select_audience(["https://other/"].into_iter(), &[], "https://issuer");
        assert!(matches!(r, Err(OAuthError::InvalidTarget(_))));
    }

    #[test]
    fn default_audience_is_first_registered_resource_or_issuer() {
        let allowed = vec!["https://a/".to_owned(), "https://b/".to_owned()];
        let aud = select_audience(std::iter::empty(), &allowed, "https://issuer").ok();
        assert_eq!(aud, Some(vec!["https://a/".to_owned()]));
        let aud = select_audience(std::iter::empty(), &[], "https://issuer").ok();
        assert_eq!(aud, Some(vec!["https://issuer".to_owned()]));
    }
}
