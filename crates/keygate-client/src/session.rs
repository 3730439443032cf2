//! [`Session`]: a client and its token store. Hands out access tokens, refreshing them
//! shortly before they expire; when the provider refuses the refresh token (revoked, expired,
//! or reused after rotation) it deletes the stored tokens and says to log in again.

use std::sync::Arc;

use keygate_types::ErrorCode;
use url::Url;

use crate::client::{Client, TokenTypeHint};
use crate::error::{Error, Result};
use crate::store::TokenStore;
use crate::tokens::Tokens;

/// Refresh this many seconds before the access token expires, by default.
pub const DEFAULT_REFRESH_MARGIN: i64 = 60;

/// A client with its stored sign-in.
#[derive(Clone)]
pub struct Session {
    client: Client,
    store: Arc<dyn TokenStore>,
    margin: i64,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("client", &self.client)
            .field("store", &self.store.describe())
            .finish_non_exhaustive()
    }
}

/// What [`Session::logout`] did.
#[derive(Debug)]
pub struct Logout {
    /// Whether there were stored tokens.
    pub was_signed_in: bool,
    /// The revocation's outcome (RFC 7009), `Ok` also when there was nothing to revoke.
    pub revocation: Result<()>,
    /// The URL that ends the user's session at the provider, for the browser
    /// (RP-Initiated Logout 1.0 §2).
    pub end_session_url: Option<Url>,
}

impl Session {
    /// A session of `client` over `store`.
    pub fn new(client: Client, store: Arc<dyn TokenStore>) -> Self {
        Self { client, store, margin: DEFAULT_REFRESH_MARGIN }
    }

    /// Refreshes `seconds` before expiry instead of [`DEFAULT_REFRESH_MARGIN`].
    pub fn with_refresh_margin(mut self, seconds: i64) -> Self {
        self.margin = seconds;
        self
    }

    /// The client.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The store.
    pub fn store(&self) -> &Arc<dyn TokenStore> {
        &self.store
    }

    /// Runs a store operation on a blocking thread.
    async fn blocking<T: Send + 'static>(
        &self,
        op: impl FnOnce(&dyn TokenStore) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let store = self.store.clone();
        tokio::task::spawn_blocking(move || op(store.as_ref()))
            .await
            .map_err(|e| Error::Storage(format!("the store task failed: {e}")))?
    }

    /// Stores the tokens of a new sign-in.
    pub async fn save(&self, tokens: Tokens) -> Result<()> {
        self.blocking(move |store| store.save(&tokens)).await
    }

    /// The stored tokens as they are (no refresh); [`Error::LoginRequired`] if there are none
    /// or they belong to another provider or client.
    pub async fn stored(&self) -> Result<Tokens> {
        let tokens = self
            .blocking(|store| store.load())
            .await?
            .ok_or_else(|| Error::LoginRequired("you are not logged in".to_owned()))?;
        if tokens.issuer != self.client.issuer() || tokens.client_id != self.client.client_id() {
            return Err(Error::LoginRequired(format!(
                "the stored sign-in is for {} (client {}), not this provider and client",
                tokens.issuer, tokens.client_id
            )));
        }
        Ok(tokens)
    }

    /// The stored tokens, refreshed first if the access token expires within the margin.
    pub async fn tokens(&self) -> Result<Tokens> {
        let tokens = self.stored().await?;
        if !tokens.expires_within(self.client.clock().now(), self.margin) {
            return Ok(tokens);
        }
        self.refresh_locked(false).await
    }

    /// A valid access token (see [`Session::tokens`]).
    pub async fn access_token(&self) -> Result<String> {
        Ok(self.tokens().await?.access_token)
    }

    /// Sends `request` with a valid access token (see [`Session::tokens`] and
    /// [`Client::send`]: `Bearer`, or `DPoP` with a proof for bound tokens).
    pub async fn send(&self, request: reqwest::RequestBuilder) -> Result<reqwest::Response> {
        let tokens = self.tokens().await?;
        self.client.send(&tokens, request).await
    }

    /// Refreshes now, whatever the expiry.
    pub async fn refresh(&self) -> Result<Tokens> {
        self.refresh_locked(true).await
    }

    /// Refreshes under the store's lock. Another process may have refreshed while this one
    /// waited for the lock: then its tokens are used (unless `force`), so that a rotated-out
    /// refresh token is never presented again.
    async fn refresh_locked(&self, force: bool) -> Result<Tokens> {
        let _lock = self.blocking(|store| store.lock()).await?;
        let tokens = self.stored().await?;
        if !force && !tokens.expires_within(self.client.clock().now(), self.margin) {
            return Ok(tokens);
        }
        match self.client.refresh(&tokens).await {
            Ok(fresh) => {
                self.save(fresh.clone()).await?;
                Ok(fresh)
            }
            Err(e) => {
                let why = match &e {
                    Error::OAuth { code: ErrorCode::InvalidGrant, description } => format!(
                        "your sign-in has ended: the provider refused the refresh token ({})",
                        description.as_deref().unwrap_or("invalid_grant")
                    ),
                    Error::LoginRequired(why) => why.clone(),
                    _ => return Err(e),
                };
                self.blocking(|store| store.clear()).await?;
                Err(Error::LoginRequired(why))
            }
        }
    }

    /// Signs out: revokes the refresh token (RFC 7009; Keygate then ends the whole grant,
    /// access tokens included), deletes the stored tokens whatever the revocation's outcome,
    /// and returns the end-session URL with `id_token_hint` (RP-Initiated Logout 1.0 §2) for
    /// the browser, which holds the provider's session cookie.
    pub async fn logout(&self) -> Result<Logout> {
        let Some(tokens) = self.blocking(|store| store.load()).await? else {
            let end_session_url = self.client.end_session_url(None, None, None);
            return Ok(Logout { was_signed_in: false, revocation: Ok(()), end_session_url });
        };
        let revocation = match &tokens.refresh_token {
            Some(refresh) => self.client.revoke(refresh, TokenTypeHint::RefreshToken).await,
            None => self.client.revoke(&tokens.access_token, TokenTypeHint::AccessToken).await,
        };
        self.blocking(|store| store.clear()).await?;
        let end_session_url = self.client.end_session_url(tokens.id_token.as_deref(), None, None);
        Ok(Logout { was_signed_in: true, revocation, end_session_url })
    }
}
