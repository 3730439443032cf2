//! Protect an API with Keygate (or any OAuth 2.0 authorization server issuing RFC 9068 JWT
//! access tokens).
//!
//! A [`Validator`] finds the issuer's keys through discovery, caches them, fetches them again
//! when a token names a new key (so key rotation needs no restart), and checks each token:
//! `typ` `at+jwt`, an asymmetric algorithm from an explicit allow-list, the signature, `iss`,
//! `aud` = this API, `exp`/`nbf` with a small leeway (RFC 9068 §4). It can instead introspect
//! tokens (RFC 7662) with a short positive cache, authenticating with the API's own
//! introspection credentials (`keygate apis credentials <identifier>`, the console's API page,
//! or `POST /admin/api/v1/apis/{id}/credentials`): Keygate tells an API only about tokens whose
//! audience it is (RFC 7662 §4). The result is a [`Caller`]: subject, client,
//! scopes and claims. Failures are [`Error`]s that map onto RFC 6750 §3 responses.
//!
//! With axum, [`BearerLayer`] admits only valid tokens and hands handlers the [`Caller`];
//! [`metadata_router`] serves RFC 9728 protected-resource metadata, and challenges point to it.
//! Other frameworks call [`Validator::validate_request`] (or [`Validator::validate_header`]
//! for bearer tokens only) and use [`Error::status`] and [`Error::www_authenticate`].
//!
//! DPoP-bound tokens (RFC 9449 §7) are accepted only as `Authorization: DPoP` with a proof for
//! the request's method and URL (under [`ValidatorBuilder::public_url`]) by the token's key,
//! used once; a bound token sent as `Bearer` is refused.
//!
//! ```no_run
//! use std::sync::Arc;
//! use axum::{Json, Router, routing::get};
//! use keygate_resource::{BearerLayer, Caller, ProtectedResourceMetadata, Validator, metadata_router};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let api = "https://api.example.com/";
//! let metadata = ProtectedResourceMetadata::new(api, "https://id.example.com", &["read:messages"]);
//! let validator = Validator::builder("https://id.example.com", api)
//!     .resource_metadata(metadata.url())
//!     .build()
//!     .await?;
//! let private = Router::new()
//!     .route("/private", get(|caller: Caller| async move {
//!         Json(serde_json::json!({ "hello": caller.sub }))
//!     }))
//!     .layer(BearerLayer::new(Arc::new(validator)));
//! let app = Router::new()
//!     .route("/public", get(|| async { "anyone may read this" }))
//!     .merge(private)
//!     .merge(metadata_router(metadata));
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
//! axum::serve(listener, app).await?;
//! # Ok(()) }
//! ```

#[cfg(feature = "axum")]
mod axum;
mod caller;
mod dpop;
mod error;
mod introspect;
mod jwks;
mod metadata;
mod validator;

#[cfg(feature = "axum")]
pub use crate::axum::{
    Bearer, BearerLayer, Rejection, metadata_router, require_authentication, require_scope,
};
pub use caller::Caller;
pub use dpop::{Presentation, Scheme};
pub use error::Error;
pub use jsonwebtoken::Algorithm;
pub use metadata::ProtectedResourceMetadata;
pub use validator::{Clock, DEFAULT_ALGORITHMS, Validator, ValidatorBuilder};
