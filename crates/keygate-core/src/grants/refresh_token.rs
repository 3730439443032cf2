//! The refresh token grant (RFC 6749 §6) with rotation and reuse detection (RFC 9700 §4.14.2).

use std::borrow::Cow;

use keygate_types::TokenResponse;

use super::user_tokens::{NextRefresh, UserTokens, wants_refresh};
use crate::params::Params;
use crate::scope::parse_scope;
use crate::secret::{Secret, SecretHash};
use crate::store::{Consumed, RefreshToken};
use crate::{Client, OAuthError, Provider};

fn invalid(text: &'static str) -> OAuthError {
    OAuthError::InvalidGrant(Cow::Borrowed(text))
}

impl Provider {
    /// Every use returns a new refresh token and retires the old one, so that a grant has one
    /// live refresh token at a time (RFC 9700 §4.14.2). Presenting a retired token revokes the
    /// grant; only an operator-enabled grace window lets the immediate predecessor be used
    /// again (two tabs refreshing at once), and that reuse supersedes the successor instead of
    /// starting a second chain. The scope may be narrowed, never widened (RFC 6749 §6).
    ///
    /// Everything that can refuse the request (client, expiry, scope, grant) is checked before
    /// the token is consumed, so a wrong request never burns the rightful client's token.
    /// FAPI 2.0 clients' refresh tokens do not rotate.
    pub(super) async fn refresh_token_grant(
        &self,
        client: &Client,
        params: &Params,
        jkt: Option<&str>,
    ) -> Result<TokenResponse, OAuthError> {
        let presented = SecretHash::of(params.required("refresh_token")?);
        let requested_scope = params.single("scope")?;
        let requested_details = params.single("authorization_details")?;
        let now = self.now();
        // One read: the token, its grant and the grant's user.
        let Some((token, grant)) = self.store().find_refresh_with_grant(&presented).await? else {
            return Err(invalid("unknown refresh token"));
        };
        // RFC 6749 §6: the refresh token must have been issued to the authenticated client.
        if token.client_id != client.client_id {
            return Err(invalid("the refresh token was issued to another client"));
        }
        if token.expires_at <= now {
            return Err(invalid("the refresh token has expired"));
        }
        // RFC 9449 §5: a bound refresh token is used with a proof of its key, checked before
        // the token is consumed so a thief's attempt does not burn it.
        if let Some(bound) = &token.dpop_jkt
            && jkt != Some(bound.as_str())
        {
            return Err(OAuthError::Refused(
                keygate_types::ErrorCode::InvalidDpopProof,
                "the refresh token is bound to a DPoP key: send a proof of that key".into(),
            ));
        }
        let scope = narrowed_scope(requested_scope, &token.scope)?;
        let (grant, user) = super::user_tokens::live(grant)?;
        let tokens = |refresh| UserTokens {
            client,
            grant: &grant,
            user: &user,
            scope: &scope,
            refresh_scope: &token.scope,
            nonce: None,
            requested_details,
            refresh,
            jkt,
        };
        // FAPI 2.0 SP §5.3.2.1 item 10: no rotation for a FAPI 2.0 client, whose refresh token
        // is bound to its private key: a client that lost a response retries with the same
        // token. A token an earlier rotation retired is still a replay.
        if self.fapi2(client) && token.used_at.is_none() {
            return self.user_token_response(tokens(NextRefresh::Keep)).await;
        }
        let next = Secret::generate(32);
        let next_hash = SecretHash::of(next.expose_secret());
        // The successor is stored in the rotation's own step (one write, not two).
        let record = wants_refresh(client, &token.scope)
            .then(|| self.refresh_record(client, &grant, &token.scope, jkt));
        let rotated = self
            .store()
            .rotate_refresh_token(&presented, &client.client_id, (&next_hash, record.as_ref()), now)
            .await?;
        let next = match rotated {
            Consumed::Fresh(_) => NextRefresh::Stored(next),
            Consumed::AlreadyUsed(used) => {
                self.reuse(&presented, &used, &next_hash, client).await?;
                NextRefresh::Successor(next)
            }
            Consumed::Missing => return Err(invalid("unknown refresh token")),
        };
        self.user_token_response(tokens(next)).await
    }

    /// A retired refresh token was presented. Inside the grace window, the immediate
    /// predecessor of the live token hands the chain to `next` and retires that live token;
    /// anything else is a replay (RFC 9700 §4.14.2): the grant and all its tokens are revoked.
    async fn reuse(
        &self,
        presented: &SecretHash,
        used: &RefreshToken,
        next: &SecretHash,
        client: &Client,
    ) -> Result<(), OAuthError> {
        let grace = self.settings().refresh_reuse_grace;
        let recent = used.used_at.is_some_and(|at| self.now() - at <= grace);
        if grace > 0
            && recent
            && used.superseded_at.is_none()
            && let Some(expected) = &used.successor
            && self.store().replace_refresh_successor(presented, expected, next, self.now()).await?
        {
            tracing::info!(client_id = %client.client_id, grant = %used.grant_id,
                "refresh token reused inside the grace window: successor superseded");
            return Ok(());
        }
        self.revoke_on_reuse(&used.grant_id, client, "a retired refresh token").await?;
        tracing::warn!(client_id = %client.client_id, grant = %used.grant_id,
            "retired refresh token presented: grant revoked");
        Err(invalid("the refresh token was already used"))
    }
}

/// RFC 6749 §6: the requested scope "MUST NOT include any scope not originally granted".
fn narrowed_scope(requested: Option<&str>, granted: &[String]) -> Result<Vec<String>, OAuthError> {
    let Some(text) = requested else {
        return Ok(granted.to_vec());
    };
    let scope = parse_scope(text)?;
    if let Some(extra) = scope.iter().find(|s| !granted.contains(s)) {
        return Err(OAuthError::InvalidScope(Cow::Owned(format!(
            "scope '{extra}' was not granted"
        ))));
    }
    Ok(scope)
}
