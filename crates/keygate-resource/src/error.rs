//! Why a request is refused, and the RFC 6750 §3 response that says so.

/// A refused bearer request.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// RFC 6750 §3.1: no token was sent; the challenge carries no error code.
    #[error("an access token is required")]
    MissingToken,
    /// RFC 6750 §3.1 `invalid_request` (400): the `Authorization` header is malformed, or the
    /// token was sent more than one way.
    #[error("invalid_request: {0}")]
    InvalidRequest(String),
    /// RFC 6750 §3.1 `invalid_token` (401): expired, revoked, malformed, wrong issuer or
    /// audience, or not signed by the issuer.
    #[error("invalid_token: {0}")]
    InvalidToken(String),
    /// RFC 6750 §3.1 `insufficient_scope` (403): the token lacks `scope`.
    #[error("insufficient_scope: {scope}")]
    InsufficientScope {
        /// The scope(s) the request needs, space-separated.
        scope: String,
    },
    /// The token does not grant this particular request (403), e.g. RFC 9396 authorization
    /// details that do not cover the resource.
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// RFC 9470 §3 `insufficient_user_authentication` (401): the user must authenticate
    /// again, in one of `acr_values` and/or within `max_age` seconds, for this request.
    #[error("insufficient_user_authentication")]
    InsufficientUserAuthentication {
        /// Acceptable `acr` values, space-separated, in order of preference.
        acr_values: Option<String>,
        /// The longest acceptable time since the user authenticated, in seconds.
        max_age: Option<i64>,
    },
    /// RFC 9449 §7.1 `invalid_dpop_proof` (401): the DPoP proof is missing, invalid, replayed,
    /// or by another key than the token's.
    #[error("invalid_dpop_proof: {0}")]
    InvalidDpopProof(String),
    /// The issuer's keys or introspection endpoint could not be reached (503).
    #[error("the authorization server is unavailable: {0}")]
    Unavailable(String),
}

impl Error {
    /// The HTTP status (RFC 6750 §3.1).
    pub fn status(&self) -> u16 {
        match self {
            Self::MissingToken
            | Self::InvalidToken(_)
            | Self::InsufficientUserAuthentication { .. }
            | Self::InvalidDpopProof(_) => 401,
            Self::InvalidRequest(_) => 400,
            Self::InsufficientScope { .. } | Self::Forbidden(_) => 403,
            Self::Unavailable(_) => 503,
        }
    }

    /// The RFC 6750 §3.1 error code, if any.
    pub fn code(&self) -> Option<&'static str> {
        match self {
            Self::MissingToken | Self::Unavailable(_) => None,
            Self::InvalidRequest(_) => Some("invalid_request"),
            Self::InvalidToken(_) => Some("invalid_token"),
            Self::InsufficientScope { .. } | Self::Forbidden(_) => Some("insufficient_scope"),
            Self::InsufficientUserAuthentication { .. } => Some("insufficient_user_authentication"),
            Self::InvalidDpopProof(_) => Some("invalid_dpop_proof"),
        }
    }

    fn description(&self) -> Option<&str> {
        match self {
            Self::MissingToken | Self::InsufficientScope { .. } | Self::Unavailable(_) => None,
            Self::InvalidRequest(d)
            | Self::InvalidToken(d)
            | Self::Forbidden(d)
            | Self::InvalidDpopProof(d) => Some(d),
            Self::InsufficientUserAuthentication { .. } => {
                Some("A different authentication level is required")
            }
        }
    }

    /// The `WWW-Authenticate` value (RFC 6750 §3): `Bearer realm=...`, then `error`,
    /// `error_description`, `scope`, and RFC 9728 §5.1 `resource_metadata` when given.
    pub fn www_authenticate(&self, realm: &str, resource_metadata: Option<&str>) -> String {
        self.www_authenticate_scoped(realm, resource_metadata, None)
    }

    /// [`Error::www_authenticate`], naming `scope` in a `401` for a missing or invalid token:
    /// RFC 6750 §3 lets any challenge carry the scope a request needs, and the MCP
    /// authorization spec's clients ask for the scope of the first `401` they get.
    pub fn www_authenticate_scoped(
        &self,
        realm: &str,
        resource_metadata: Option<&str>,
        scope: Option<&str>,
    ) -> String {
        let mut params = vec![format!("realm=\"{}\"", quoted(realm))];
        if let Some(code) = self.code() {
            params.push(format!("error=\"{code}\""));
        }
        if let Some(description) = self.description() {
            params.push(format!("error_description=\"{}\"", quoted(description)));
        }
        match (self, scope) {
            (Self::InsufficientScope { scope }, _) => {
                params.push(format!("scope=\"{}\"", quoted(scope)));
            }
            (Self::MissingToken | Self::InvalidToken(_), Some(scope)) => {
                params.push(format!("scope=\"{}\"", quoted(scope)));
            }
            _ => {}
        }
        if let Self::InsufficientUserAuthentication { acr_values, max_age } = self {
            if let Some(values) = acr_values {
                params.push(format!("acr_values=\"{}\"", quoted(values)));
            }
            if let Some(max_age) = max_age {
                params.push(format!("max_age=\"{max_age}\""));
            }
        }
        if let Some(url) = resource_metadata {
            params.push(format!("resource_metadata=\"{}\"", quoted(url)));
        }
        // RFC 9449 §7.1: a proof failure is a DPoP challenge, naming the accepted algorithms.
        if let Self::InvalidDpopProof(_) = self {
            params.insert(1, format!("algs=\"{}\"", keygate_dpop::DPOP_ALGS.join(" ")));
            return format!("DPoP {}", params.join(", "));
        }
        format!("Bearer {}", params.join(", "))
    }
}

/// RFC 6750 §3: values are quoted strings; `"` and `\` are left out, and only visible ASCII
/// (the `error_description` character set) is kept.
fn quoted(text: &str) -> String {
    text.chars().filter(|c| (' '..='~').contains(c) && *c != '"' && *c != '\\').collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc9470_3_the_challenge_names_the_acr_values_and_max_age() {
        let error = Error::InsufficientUserAuthentication {
            acr_values: Some("urn:keygate:acr:mfa".into()),
            max_age: Some(300),
        };
        assert_eq!(error.status(), 401);
        assert_eq!(
            error.www_authenticate("todo", None),
            "Bearer realm=\"todo\", error=\"insufficient_user_authentication\", \
             error_description=\"A different authentication level is required\", \
             acr_values=\"urn:keygate:acr:mfa\", max_age=\"300\""
        );
    }

    #[test]
    fn rfc6750_3_challenge_without_token_has_no_error_code() {
        let value = Error::MissingToken.www_authenticate("api", None);
        assert_eq!(value, "Bearer realm=\"api\"");
    }

    #[test]
    fn rfc6750_3_1_insufficient_scope_names_the_scope_and_metadata() {
        let err = Error::InsufficientScope { scope: "todo:write".into() };
        assert_eq!(err.status(), 403);
        let value =
            err.www_authenticate("todo", Some("https://api/.well-known/oauth-protected-resource"));
        assert_eq!(
            value,
            "Bearer realm=\"todo\", error=\"insufficient_scope\", scope=\"todo:write\", \
             resource_metadata=\"https://api/.well-known/oauth-protected-resource\""
        );
    }

    #[test]
    fn rfc6750_3_a_401_may_name_the_scope_a_request_needs() {
        let value = Error::MissingToken.www_authenticate_scoped("mcp", None, Some("todo:read"));
        assert_eq!(value, "Bearer realm=\"mcp\", scope=\"todo:read\"");
        let expired = Error::InvalidToken("the token has expired".into());
        let value = expired.www_authenticate_scoped("mcp", None, Some("todo:read"));
        assert!(value.ends_with("scope=\"todo:read\""), "{value}");
        // A 403 names what the request lacks, not the basic scope.
        let lacking = Error::InsufficientScope { scope: "todo:write".into() };
        let value = lacking.www_authenticate_scoped("mcp", None, Some("todo:read"));
        assert!(value.contains("scope=\"todo:write\"") && !value.contains("todo:read"), "{value}");
    }

    #[test]
    fn rfc6750_3_descriptions_cannot_break_the_header() {
        let err = Error::InvalidToken("bad \"quote\" \\ and \u{e9}".into());
        let value = err.www_authenticate("api", None);
        assert!(value.ends_with("error_description=\"bad quote  and \""), "{value}");
    }
}
