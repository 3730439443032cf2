//! Keygate wire types: what travels over HTTP between Keygate, its clients and the APIs it
//! protects. No I/O and no logic beyond (de)serialization, so both the server and the small
//! client-side crates can depend on it.
//!
//! - [`error`]: OAuth 2.0 error codes (RFC 6749 §5.2, RFC 7009 §2.2.1, RFC 8707 §2) and the JSON
//!   error body.
//! - [`token`]: the token endpoint's successful response (RFC 6749 §5.1) and the pushed
//!   authorization request endpoint's (RFC 9126 §2.2).
//! - [`introspection`]: the introspection response (RFC 7662 §2.2).
//! - [`discovery`]: provider metadata (OpenID Connect Discovery 1.0 §3, RFC 8414 §2).
//! - [`jwk`]: JSON Web Keys and key sets (RFC 7517, RFC 7518 §6, RFC 8037).
//! - [`authorization_details`]: RFC 9396 authorization details objects.
//! - [`registration`]: dynamic client registration requests and responses (RFC 7591, RFC 7592).

pub mod authorization_details;
pub mod discovery;
pub mod error;
pub mod introspection;
pub mod jwk;
pub mod registration;
pub mod token;

pub use authorization_details::AuthorizationDetail;
pub use discovery::ProviderMetadata;
pub use error::{ErrorCode, ErrorResponse};
pub use introspection::IntrospectionResponse;
pub use jwk::{Jwk, JwkSet};
pub use registration::{ClientInformation, ClientMetadataRequest};
pub use token::TokenResponse;
