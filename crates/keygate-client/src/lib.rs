//! An OpenID Connect client for native and command-line apps, for Keygate (and any provider
//! that follows the same specifications). Depends on `keygate-types` and `keygate-dpop`.
//!
//! - [`client`]: [`Client`], discovery (OpenID Connect Discovery 1.0), the token endpoint
//!   (code, refresh), UserInfo, revocation (RFC 7009), the end-session URL (RP-Initiated
//!   Logout 1.0).
//! - [`authorization`]: the authorization request with PKCE S256, `state` and `nonce`, and the
//!   checks on its response (`state`, RFC 9207 `iss`, errors).
//! - [`loopback`]: native-app sign-in per RFC 8252: the system browser and a one-shot HTTP
//!   listener on `127.0.0.1` on an ephemeral port (§7.3).
//! - [`device`]: the device authorization grant (RFC 8628), polling as §3.5 says.
//! - [`dpop`]: DPoP (RFC 9449): a key per sign-in, kept with the tokens, proofs for the
//!   token endpoint and APIs, and the servers' nonces. On with [`ClientOptions::dpop`].
//! - [`id_token`]: ID token validation (OpenID Connect Core 1.0 §3.1.3.7) through the JWKS.
//! - [`store`]: token storage, never in plain text: the OS keychain (feature `keychain`) or
//!   a file sealed with AES-256-GCM under an Argon2id passphrase key, mode 0600.
//! - [`session`]: [`Session`], a client with its store: access tokens refreshed shortly
//!   before expiry; a refused refresh token (revoked, rotation reuse) means logging in again.
//! - [`step_up`]: RFC 9470: an API's `insufficient_user_authentication` challenge, and
//!   signing in again with the `acr_values` and `max_age` it asks for.
//! - [`clock`]: the injected clock and sleep.
//! - [`error`]: the [`Error`] type.
//!
//! # Example
//!
//! Sign in through the system browser, keep the tokens in an encrypted file, and call an API:
//!
//! ```no_run
//! use std::sync::Arc;
//! use keygate_client::{Client, EncryptedFileStore, LoginOptions, LoopbackLogin, Passphrase, Session};
//!
//! # async fn run() -> Result<(), keygate_client::Error> {
//! let client = Client::discover("http://localhost:8080", "my-native-app").await?;
//! let login = LoopbackLogin::start(&client, LoginOptions::default()).await?;
//! println!("Sign in at {}", login.authorization_url());
//! login.open_browser()?; // or only print the URL (SSH sessions)
//! let tokens = login.wait().await?;
//!
//! let store = EncryptedFileStore::new("tokens.enc", Passphrase::new("correct horse"))?;
//! let session = Session::new(client, Arc::new(store));
//! session.save(tokens).await?;
//! // Later, in any run: a fresh access token (refreshed if about to expire).
//! let access_token = session.access_token().await?;
//! # let _ = access_token;
//! # Ok(())
//! # }
//! ```

pub mod authorization;
pub mod client;
pub mod clock;
pub mod device;
pub mod dpop;
pub mod error;
pub mod id_token;
pub mod loopback;
mod random;
pub mod session;
pub mod step_up;
pub mod store;
mod tokens;

pub use authorization::{AuthorizationRequest, AuthorizationResponse};
pub use client::{Client, ClientOptions, TokenTypeHint};
pub use clock::{Clock, SystemClock};
pub use device::{DeviceAuthorization, PollEvent};
pub use dpop::DpopKey;
pub use error::{Error, Result};
pub use id_token::IdTokenClaims;
pub use loopback::{LoginOptions, LoopbackLogin, open_browser};
pub use random::s256;
pub use session::{Logout, Session};
pub use step_up::StepUp;
#[cfg(feature = "keychain")]
pub use store::KeychainStore;
pub use store::{
    DefaultStoreOptions, EncryptedFileStore, FileKey, KdfParams, Passphrase, StorePreference,
    TokenStore, open_default_store,
};
pub use tokens::{TokenType, Tokens};
