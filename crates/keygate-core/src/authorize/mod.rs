//! The authorization endpoint (RFC 6749 §4.1.1, OpenID Connect Core §3.1.2).
//!
//! - `checks`: validation as a list of named checks, in order. Until the client and redirect URI
//!   are verified, errors are shown on Keygate's own page; after that they go back to the client
//!   (RFC 6749 §4.1.2.1).
//! - `redirect_match`: exact redirect URI matching, with RFC 8252 §7.3's port rule for loopback.
//! - `flow`: what happens next (login, a second factor, consent, or a code), and resuming
//!   after each page.
//! - `par`: pushed authorization requests (RFC 9126), checked like the others and taken once.
//! - `request_object`: signed request objects (RFC 9101), whose members replace the parameters.
//! - [`acr`]: the authentication context a request asks for, and stepping a session up to it.

pub mod acr;
mod checks;
mod flow;
mod par;
mod redirect_match;
mod request_object;

use serde::{Deserialize, Serialize};

pub(crate) use checks::audience;
pub use flow::{BrowserCookies, ConsentDecision, DeviceOutcome, Next, PageRequest, csrf_token};
pub use par::REQUEST_URI_PREFIX;
pub use redirect_match::redirect_uri_matches;
pub use request_object::REQUEST_OBJECT_ALGS;

/// How the response reaches the client (OAuth 2.0 Multiple Response Type Encoding Practices §2.1,
/// OAuth 2.0 Form Post Response Mode).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResponseMode {
    /// Parameters in the redirect URI's query (the default for `code`).
    Query,
    /// An auto-submitted HTML form POSTed to the redirect URI.
    FormPost,
}

/// A `prompt` value (OIDC Core §3.1.2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Prompt {
    /// No UI at all: fail with `login_required` / `consent_required` instead.
    None,
    /// Re-authenticate even with a session.
    Login,
    /// Ask for consent even if it was given before.
    Consent,
    /// Let the user pick an account (Keygate keeps one per browser: shows the login page).
    SelectAccount,
    /// Start with account creation (Initiating User Registration 1.0 §4.1).
    Create,
}

/// A validated authorization request, kept server-side while the user signs in and consents;
/// the pages never carry it in hidden fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorizationRequest {
    /// The client.
    pub client_id: String,
    /// Where the outcome goes.
    #[serde(flatten)]
    pub return_to: ReturnTo,
    /// Opaque client state, returned unchanged.
    pub state: Option<String>,
    /// OIDC nonce, put in the ID token.
    pub nonce: Option<String>,
    /// Requested scopes (all allowed for the client).
    pub scope: Vec<String>,
    /// PKCE S256 challenge.
    pub code_challenge: Option<String>,
    /// `prompt` values.
    pub prompt: Vec<Prompt>,
    /// `max_age` in seconds.
    pub max_age: Option<i64>,
    /// `login_hint`, to prefill the login form.
    pub login_hint: Option<String>,
    /// `ui_locales` (OIDC Core §3.1.2.1): the user's preferred languages for the pages, in
    /// order (BCP 47 tags, space-separated).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ui_locales: Option<String>,
    /// `claims_locales` (OIDC Core §5.2): the languages and scripts wanted for claim values,
    /// in order (BCP 47 tags, space-separated).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claims_locales: Option<String>,
    /// `idp_hint` (or Keycloak's `kc_idp_hint`): the upstream provider to sign in with right
    /// away, skipping the login page.
    #[serde(default)]
    pub idp_hint: Option<String>,
    /// The subject of a valid `id_token_hint`.
    pub hint_sub: Option<String>,
    /// The `claims` parameter (OIDC Core §5.5), validated JSON.
    pub claims: Option<String>,
    /// The authentication context asked for (`acr_values`, or an essential `acr` claim).
    #[serde(default)]
    pub acr: acr::AcrRequest,
    /// Token audiences (RFC 8707 `resource`, and the APIs of the authorization details).
    pub resources: Vec<String>,
    /// RFC 9396 authorization details, checked against the types the APIs define.
    #[serde(default)]
    pub authorization_details: Vec<keygate_types::AuthorizationDetail>,
    /// When the request arrived: a `prompt=login` is satisfied by an authentication after it.
    pub requested_at: i64,
    /// RFC 9449 §10: the DPoP key the authorization code is bound to.
    #[serde(default)]
    pub dpop_jkt: Option<String>,
}

/// Where the outcome of an authorization goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "return_to", rename_all = "snake_case")]
pub enum ReturnTo {
    /// The client's verified redirect URI, as sent (RFC 6749 §4.1.2).
    Client {
        /// The redirect URI.
        redirect_uri: String,
        /// How the parameters travel.
        response_mode: ResponseMode,
    },
    /// The device that showed the user code (RFC 8628 §3.3): the user approves or denies on
    /// the verification page and the device learns it at its next poll; no redirect at all.
    Device {
        /// The user code being approved.
        user_code: String,
    },
}

impl AuthorizationRequest {
    /// The user code, for a device authorization.
    pub fn device_user_code(&self) -> Option<&str> {
        match &self.return_to {
            ReturnTo::Device { user_code } => Some(user_code),
            ReturnTo::Client { .. } => None,
        }
    }

    /// Whether `prompt` contains `p`.
    pub fn has_prompt(&self, p: Prompt) -> bool {
        self.prompt.contains(&p)
    }

    /// Whether this is an OpenID Connect request (scope contains `openid`).
    pub fn is_openid(&self) -> bool {
        self.scope.iter().any(|s| s == "openid")
    }
}

/// A response for the client's redirect URI: a code, or an error (RFC 6749 §4.1.2, §4.1.2.1),
/// always with `state` and `iss` (RFC 9207).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorizationResponse {
    /// Where to send it.
    pub redirect_uri: String,
    /// How.
    pub response_mode: ResponseMode,
    /// The parameters, in order.
    pub params: Vec<(String, String)>,
    /// Set for an error to a client that anyone may have registered: the host the user is asked
    /// to confirm before being sent there (RFC 9700 §4.11.2).
    pub confirm_host: Option<String>,
}

/// A failed authorization request.
#[derive(Debug)]
pub enum AuthorizeError {
    /// Shown on Keygate's error page: the client or redirect URI could not be verified, so
    /// nothing may be sent to it (RFC 6749 §4.1.2.1, RFC 9700 §4.11).
    Page {
        /// What went wrong, for the user.
        message: std::borrow::Cow<'static, str>,
        /// For the application's developer: the error code and what was refused (for example
        /// the redirect URI); shown folded on the page and logged.
        detail: Option<String>,
        /// The application's home page (`client_uri`), when the client is known.
        back: Option<String>,
    },
    /// Sent back to the client.
    Redirect(AuthorizationResponse),
    /// An internal failure.
    Server(anyhow::Error),
}

impl From<crate::store::StoreError> for AuthorizeError {
    fn from(err: crate::store::StoreError) -> Self {
        Self::Server(err.into())
    }
}

/// A protocol error where no redirect target is at hand: Keygate's error page with the code
/// for the developer, never a 500 (only internal failures are `server_error`).
impl From<crate::OAuthError> for AuthorizeError {
    fn from(err: crate::OAuthError) -> Self {
        match err {
            crate::OAuthError::Server(e) => Self::Server(e),
            other => Self::Page {
                message: "This request cannot continue.".into(),
                detail: Some(format!("{}: {}", other.code(), other.description().unwrap_or(""))),
                back: None,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::AuthorizeError;

    #[test]
    fn protocol_errors_without_a_redirect_target_are_pages_never_server_errors() {
        let refused: AuthorizeError = crate::OAuthError::InvalidScope("scope 'x'".into()).into();
        let AuthorizeError::Page { detail: Some(detail), .. } = refused else {
            panic!("a page for the user, with the code for the developer")
        };
        assert_eq!(detail, "invalid_scope: scope 'x'");
        let failed: AuthorizeError = crate::OAuthError::Server(anyhow::anyhow!("disk")).into();
        assert!(matches!(failed, AuthorizeError::Server(_)));
    }
}
