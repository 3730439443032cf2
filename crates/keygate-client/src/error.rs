//! The one error type of the library.

pub use keygate_types::ErrorCode;

/// Everything that can go wrong signing in, refreshing or storing tokens.
///
/// The `Display` text is meant for the person at the terminal: it says what happened and,
/// where there is one, what to do next.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The provider could not be reached, or the connection failed mid-way.
    #[error("the identity provider could not be reached: {0}")]
    Http(#[from] reqwest::Error),
    /// The provider answered with an OAuth 2.0 error (RFC 6749 §5.2).
    #[error("the identity provider refused: {code}{}", describe(.description))]
    OAuth {
        /// The error code, e.g. `invalid_grant`.
        code: ErrorCode,
        /// The provider's explanation, if any.
        description: Option<String>,
    },
    /// The provider's answer does not follow the specifications (unexpected status, body or
    /// metadata).
    #[error("unexpected answer from the identity provider: {0}")]
    InvalidResponse(String),
    /// The ID token failed validation (OpenID Connect Core 1.0 §3.1.3.7).
    #[error("the ID token is not valid: {0}")]
    IdToken(String),
    /// The authorization response does not belong to this sign-in or this provider (RFC 6749
    /// §10.12 `state`, RFC 9207 `iss`).
    #[error("the sign-in response was rejected: {0}")]
    Callback(String),
    /// The user (or the provider) refused the authorization request (RFC 6749 §4.1.2.1,
    /// RFC 8628 §3.5 `access_denied`).
    #[error("access was denied{}", describe(.0))]
    AccessDenied(Option<String>),
    /// Nobody completed the sign-in in time: the loopback redirect never came (RFC 8252 §7.3)
    /// or the device code expired (RFC 8628 §3.5 `expired_token`).
    #[error("the sign-in timed out: {0}")]
    TimedOut(String),
    /// There is no usable sign-in any more (none stored, or the refresh token was refused:
    /// revoked, expired, or reused after rotation). Stored tokens have been deleted.
    #[error("{0}: please log in again")]
    LoginRequired(String),
    /// Tokens could not be stored, read or decrypted.
    #[error("token storage: {0}")]
    Storage(String),
    /// A local I/O failure (the loopback listener, files).
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

fn describe(description: &Option<String>) -> String {
    description.as_deref().map(|d| format!(" ({d})")).unwrap_or_default()
}

impl Error {
    /// The OAuth error code, when the provider answered with one.
    pub fn oauth_code(&self) -> Option<ErrorCode> {
        match self {
            Self::OAuth { code, .. } => Some(*code),
            _ => None,
        }
    }

    /// Whether the user has to sign in again (see [`Error::LoginRequired`]).
    pub fn is_login_required(&self) -> bool {
        matches!(self, Self::LoginRequired(_))
    }
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
