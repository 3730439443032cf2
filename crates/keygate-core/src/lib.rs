//! Keygate's protocol and domain logic. No HTTP framework and no database driver: the server
//! calls into this crate, and storage is reached through the traits in [`store`].
//!
//! - [`provider`]: [`Provider`], the settings, store, keys and caches that endpoints share.
//! - [`authorize`]: the authorization endpoint, login/consent decisions, codes.
//! - [`grants`]: the token endpoint and its grants (authorization code, refresh token, client
//!   credentials, device code, token exchange per RFC 8693); [`device`]: the device
//!   authorization endpoint (RFC 8628); [`dpop`]: DPoP proofs
//!   and sender-constrained tokens (RFC 9449).
//! - [`session`], [`login`], [`logout`]: SSO sessions, password sign-in with throttling,
//!   RP-initiated and back-channel logout; [`mfa`]: second factors (authenticator apps,
//!   recovery codes, passkeys); [`webauthn`]: the WebAuthn relying party's checks.
//! - [`id_token`], [`claims`], [`userinfo`]: OpenID Connect identity.
//! - [`introspection`], [`revocation`]: RFC 7662 and RFC 7009; [`revocation_watch`]: what a
//!   node knows of revocations made anywhere; [`token_cache`]: access tokens already verified.
//! - [`client_auth`]: client authentication (RFC 6749 §2.3); [`client_assertion`]:
//!   `private_key_jwt` (RFC 7523).
//! - [`access_token`], [`jwt`]: RFC 9068 access tokens as compact JWS.
//! - [`keys`]: signing keys, their sealing under the master key, the keyring and JWKS.
//! - [`client`], [`redirect`], [`resource`], [`scope`], [`user`]: the domain model and its rules;
//!   [`api`]: APIs (resource servers); [`authorization_details`]: RFC 9396 rich authorization;
//!   [`password_rules`]: what a new password must be (NIST SP 800-63B); [`password_policy`]:
//!   those rules with the Argon2id costs that hash and verify it; [`text`]: length limits
//!   on names and descriptions.
//! - [`federation`]: sign-in through upstream OpenID Connect and OAuth 2.0 providers.
//! - [`transfer`]: export and import of clients, APIs, users and upstreams as JSON.
//! - [`admin`]: the operations behind the CLI, the admin API and the console;
//!   [`signin_log`]: the record of sign-ins and refused token reuse that operators read.
//! - [`mail`]: the durable email outbox and its delivery; [`account`]: the self-service flows
//!   that email carries (password reset).
//! - [`i18n`]: the languages (Fluent catalogs) of the pages and the emails; [`branding`]: the
//!   colors and pictures pages are branded with, checked for contrast.
//! - [`registration`]: dynamic client registration and management (RFC 7591, RFC 7592).
//! - [`revision_cache`]: caches of stored data kept while the store's revision stands.
//! - [`params`], [`secret`], [`clock`], [`settings`], [`error`], [`store`]: the plumbing;
//!   [`hashing`]: the password-hashing threads; [`maintenance`]: cleanup of expired rows;
//!   [`ticket`]: sealed short-lived values carried by page forms.

pub mod access_token;
pub mod account;
pub mod admin;
pub mod api;
pub mod authorization_details;
pub mod authorize;
pub mod branding;
pub mod claims;
pub mod client;
pub mod client_assertion;
pub mod client_auth;
pub mod clock;
pub mod device;
pub mod dpop;
pub mod error;
pub mod federation;
pub mod grants;
pub mod hashing;
pub mod i18n;
pub mod id_token;
pub mod introspection;
pub mod jwt;
pub mod keys;
pub mod login;
pub mod logout;
pub mod mail;
pub mod maintenance;
pub mod mfa;
pub mod params;
pub mod password_policy;
pub mod password_rules;
pub mod provider;
pub mod redirect;
pub mod registration;
pub mod resource;
pub mod revision_cache;
pub mod revocation;
pub mod revocation_watch;
pub mod scope;
pub mod secret;
pub mod session;
pub mod settings;
pub mod signin_log;
pub mod store;
pub mod text;
pub mod ticket;
pub mod token_cache;
pub mod transfer;
pub mod user;
pub mod userinfo;
pub mod webauthn;

pub use client::Client;
pub use clock::{Clock, ManualClock, SystemClock};
pub use error::OAuthError;
pub use params::Params;
pub use provider::Provider;
pub use secret::Secret;
pub use settings::Settings;
pub use user::User;
