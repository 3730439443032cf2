//! Client authentication at the token, introspection and revocation endpoints
//! (RFC 6749 §2.3, RFC 7662 §2.1, RFC 7009 §2.1).

use std::borrow::Cow;
use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::client::AuthMethod;
use crate::params::Params;
use crate::secret::{Secret, SecretHash};
use crate::{Client, OAuthError, Provider};

/// The credentials a request carried.
#[derive(Debug)]
pub enum ClientCredentials {
    /// HTTP Basic (RFC 6749 §2.3.1).
    Basic {
        /// The client id.
        client_id: String,
        /// The client secret.
        secret: Secret,
    },
    /// `client_id` and `client_secret` in the body (RFC 6749 §2.3.1).
    Post {
        /// The client id.
        client_id: String,
        /// The client secret.
        secret: Secret,
    },
    /// A public client names itself with `client_id` only (RFC 6749 §2.1).
    None {
        /// The client id.
        client_id: String,
    },
    /// A JWT signed with the client's private key (RFC 7523 §2.2).
    Assertion {
        /// The client id, from the assertion's `sub`.
        client_id: String,
        /// The JWT.
        assertion: String,
    },
}

impl ClientCredentials {
    /// Reads the credentials from the `Authorization` header and the form.
    /// RFC 6749 §2.3: a client must not use more than one method in a request.
    pub fn from_request(authorization: Option<&str>, params: &Params) -> Result<Self, OAuthError> {
        let body_id = params.single("client_id")?;
        let body_secret = params.single("client_secret")?;
        if let Some(assertion) = Self::assertion(authorization, params)? {
            return Ok(assertion);
        }
        if let Some(basic) = authorization.and_then(basic_credentials) {
            let (client_id, secret) = basic.ok_or(OAuthError::InvalidClient)?;
            if body_secret.is_some() {
                return Err(OAuthError::InvalidRequest(Cow::Borrowed(
                    "the client used more than one authentication method (RFC 6749 §2.3)",
                )));
            }
            if body_id.is_some_and(|id| id != client_id) {
                return Err(OAuthError::InvalidRequest(Cow::Borrowed(
                    "client_id in the body differs from the Authorization header",
                )));
            }
            return Ok(Self::Basic { client_id, secret });
        }
        match (body_id, body_secret) {
            (Some(id), Some(secret)) => {
                Ok(Self::Post { client_id: id.to_owned(), secret: Secret::new(secret) })
            }
            (Some(id), None) => Ok(Self::None { client_id: id.to_owned() }),
            (None, _) => Err(OAuthError::InvalidClient),
        }
    }

    /// RFC 7521 §4.2: `client_assertion_type` and `client_assertion`; with `client_id` in the
    /// body it must be the assertion's subject; with any other method it is two methods at once.
    fn assertion(authorization: Option<&str>, params: &Params) -> Result<Option<Self>, OAuthError> {
        let kind = params.single("client_assertion_type")?;
        let assertion = params.single("client_assertion")?;
        let (kind, assertion) = match (kind, assertion) {
            (None, None) => return Ok(None),
            (Some(kind), Some(assertion)) => (kind, assertion),
            _ => {
                return Err(OAuthError::InvalidRequest(Cow::Borrowed(
                    "client_assertion and client_assertion_type go together (RFC 7521 §4.2)",
                )));
            }
        };
        if kind != crate::client_assertion::JWT_BEARER {
            return Err(OAuthError::InvalidClient);
        }
        if authorization.is_some_and(|a| basic_credentials(a).is_some())
            || params.single("client_secret")?.is_some()
        {
            return Err(OAuthError::InvalidRequest(Cow::Borrowed(
                "the client used more than one authentication method (RFC 6749 §2.3)",
            )));
        }
        let client_id = crate::client_assertion::assertion_subject(assertion)
            .ok_or(OAuthError::InvalidClient)?;
        if params.single("client_id")?.is_some_and(|id| id != client_id) {
            return Err(OAuthError::InvalidClient);
        }
        Ok(Some(Self::Assertion { client_id, assertion: assertion.to_owned() }))
    }

    fn client_id(&self) -> &str {
        match self {
            Self::Basic { client_id, .. }
            | Self::Post { client_id, .. }
            | Self::None { client_id }
            | Self::Assertion { client_id, .. } => client_id,
        }
    }

    fn method(&self) -> AuthMethod {
        match self {
            Self::Basic { .. } => AuthMethod::ClientSecretBasic,
            Self::Post { .. } => AuthMethod::ClientSecretPost,
            Self::None { .. } => AuthMethod::None,
            Self::Assertion { .. } => AuthMethod::PrivateKeyJwt,
        }
    }
}

/// Parses `Basic base64(urlencode(id):urlencode(secret))` (RFC 6749 §2.3.1, RFC 7617).
/// `None` when the header is another scheme, `Some(None)` when it is a malformed Basic header.
fn basic_credentials(header: &str) -> Option<Option<(String, Secret)>> {
    let (scheme, value) = header.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = STANDARD.decode(value.trim()).ok().and_then(|b| String::from_utf8(b).ok());
    let parsed = decoded.and_then(|text| {
        let (id, secret) = text.split_once(':')?;
        let id = form_decode(id)?;
        let secret = form_decode(secret)?;
        (!id.is_empty()).then(|| (id, Secret::new(secret)))
    });
    Some(parsed)
}

/// `application/x-www-form-urlencoded` decoding of one value (RFC 6749 Appendix B):
/// `+` is a space, `%XX` a byte; a `%` not followed by two hex digits stays as it is.
fn form_decode(value: &str) -> Option<String> {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push((h * 16 + l) as u8);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

/// Stands in for a real hash when the client is unknown, so both paths cost the same.
static DUMMY_HASH: std::sync::LazyLock<SecretHash> =
    std::sync::LazyLock::new(|| SecretHash::of("keygate-dummy-secret"));

impl Provider {
    /// Authenticates the client of a request. The method used must be the client's registered
    /// `token_endpoint_auth_method`; any failure is `invalid_client` (RFC 6749 §5.2).
    pub async fn authenticate_client(
        &self,
        authorization: Option<&str>,
        params: &Params,
    ) -> Result<Arc<Client>, OAuthError> {
        let credentials = ClientCredentials::from_request(authorization, params)?;
        let client = self.client(credentials.client_id()).await?;
        let secret_ok = match (&credentials, &client) {
            (
                ClientCredentials::Basic { secret, .. } | ClientCredentials::Post { secret, .. },
                c,
            ) => {
                let hash = c.as_ref().and_then(|c| c.secret_hash.as_ref());
                hash.unwrap_or(&DUMMY_HASH).verify(secret.expose_secret()) && hash.is_some()
            }
            (ClientCredentials::None { .. }, _) => true,
            (ClientCredentials::Assertion { assertion, .. }, Some(c))
                if c.auth_method == AuthMethod::PrivateKeyJwt =>
            {
                self.verify_client_assertion(c, assertion).await?
            }
            (ClientCredentials::Assertion { .. }, _) => false,
        };
        match client {
            Some(client) if secret_ok && client.auth_method == credentials.method() => Ok(client),
            _ => {
                tracing::info!(client_id = credentials.client_id(), "client authentication failed");
                Err(OAuthError::InvalidClient)
            }
        }
    }

    /// Authenticates a client that must hold a secret (introspection: RFC 7662 §2.1).
    pub async fn authenticate_confidential_client(
        &self,
        authorization: Option<&str>,
        params: &Params,
    ) -> Result<Arc<Client>, OAuthError> {
        let client = self.authenticate_client(authorization, params).await?;
        if client.auth_method == AuthMethod::None {
            return Err(OAuthError::InvalidClient);
        }
        Ok(client)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn basic(id: &str, secret: &str) -> String {
        format!("Basic {}", STANDARD.encode(format!("{id}:{secret}")))
    }

    #[test]
    fn rfc6749_2_3_1_basic_credentials_are_form_decoded() {
        let header = basic("my%3Aclient", "s%2Bc+ret");
        let creds = ClientCredentials::from_request(Some(&header), &Params::default());
        match creds {
            Ok(ClientCredentials::Basic { client_id, secret }) => {
                assert_eq!(client_id, "my:client");
                assert_eq!(secret.expose_secret(), "s+c ret");
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn rfc6749_2_3_two_authentication_methods_are_refused() {
        let header = basic("a", "b");
        let params = Params::parse(b"client_id=a&client_secret=b");
        let creds = ClientCredentials::from_request(Some(&header), &params);
        assert!(matches!(creds, Err(OAuthError::InvalidRequest(_))));
    }

    #[test]
    fn malformed_basic_header_is_invalid_client() {
        let creds = ClientCredentials::from_request(Some("Basic !!!"), &Params::default());
        assert!(matches!(creds, Err(OAuthError::InvalidClient)));
    }

    #[test]
    fn no_credentials_is_invalid_client() {
        let creds = ClientCredentials::from_request(None, &Params::default());
        assert!(matches!(creds, Err(OAuthError::InvalidClient)));
    }
}
