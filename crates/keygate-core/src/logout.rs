//! RP-Initiated Logout 1.0 and Back-Channel Logout 1.0.

use std::borrow::Cow;
use std::sync::Arc;

use serde::Serialize;
use serde_json::{Value, json};

use crate::client::Departure;
use crate::id_token::IdTokenClaims;
use crate::jwt::sign_jwt;
use crate::params::Params;
use crate::secret::random_string;
use crate::store::{Revoked, Session};
use crate::{Client, OAuthError, Provider};

/// A validated logout request (RP-Initiated Logout 1.0 §2).
#[derive(Debug, Clone)]
pub struct LogoutRequest {
    /// The client, from `id_token_hint`'s audience or `client_id`.
    pub client: Option<Arc<Client>>,
    /// A registered post-logout redirect URI.
    pub post_logout_redirect_uri: Option<String>,
    /// Opaque client state for the redirect.
    pub state: Option<String>,
    /// The verified `id_token_hint`.
    pub hint: Option<IdTokenClaims>,
}

/// Deletes an SSO session and revokes the grants made in it that did not ask for
/// `offline_access` (Back-Channel Logout §2.7: offline access outlives the session); returns
/// every grant of the session.
pub async fn close_session(
    store: &dyn crate::store::Store,
    sid: &str,
    now: i64,
) -> crate::store::StoreResult<Vec<crate::store::Grant>> {
    store.delete_session(sid).await?;
    let grants = store.grants_for_session(sid).await?;
    for grant in grants.iter().filter(|g| ends_with_session(g)) {
        store.revoke_grant(&grant.id, now).await?;
    }
    Ok(grants)
}

/// Whether ending its session revokes a grant: not when it asked for `offline_access`
/// (Back-Channel Logout §2.7: offline access outlives the session).
pub fn ends_with_session(grant: &crate::store::Grant) -> bool {
    !grant.scope.iter().any(|s| s == "offline_access")
}

/// A logout token to POST to a client (Back-Channel Logout 1.0 §2.5).
#[derive(Debug, Clone)]
pub struct BackchannelNotice {
    /// The client's `backchannel_logout_uri`.
    pub uri: String,
    /// The signed logout token.
    pub logout_token: String,
    /// The client, for logs.
    pub client_id: String,
}

#[derive(Serialize)]
struct LogoutTokenClaims<'a> {
    iss: &'a str,
    sub: &'a str,
    aud: &'a str,
    iat: i64,
    exp: i64,
    jti: String,
    sid: &'a str,
    events: Value,
}

/// How long a logout token is valid: it is delivered at once.
const LOGOUT_TOKEN_TTL: i64 = 120;

impl Provider {
    /// RP-Initiated Logout §2–§3: checks `id_token_hint`, `client_id` and that
    /// `post_logout_redirect_uri` is registered for that client. Errors are shown to the user.
    pub async fn validate_logout(
        &self,
        params: &Params,
    ) -> Result<LogoutRequest, Cow<'static, str>> {
        let single = |name: &'static str| {
            params.single(name).map_err(|_| Cow::Owned(format!("The request repeats {name}.")))
        };
        let hint = match single("id_token_hint")? {
            Some(token) => Some(self.verified_id_token(token).ok_or(Cow::Borrowed(
                "The id_token_hint is not a valid ID token from this server.",
            ))?),
            None => None,
        };
        let client_id = match (single("client_id")?, &hint) {
            (Some(id), Some(h)) if id != h.aud => {
                return Err(Cow::Borrowed("client_id does not match the id_token_hint."));
            }
            (Some(id), _) => Some(id.to_owned()),
            (None, Some(h)) => Some(h.aud.clone()),
            (None, None) => None,
        };
        let client = match &client_id {
            Some(id) => Some(
                self.client(id)
                    .await
                    .map_err(|_| Cow::Borrowed("Keygate could not look up the application."))?
                    .ok_or(Cow::Borrowed("The application is not registered."))?,
            ),
            None => None,
        };
        let post_logout_redirect_uri = match single("post_logout_redirect_uri")? {
            Some(uri) => {
                let Some(client) = &client else {
                    return Err(Cow::Borrowed(
                        "post_logout_redirect_uri needs id_token_hint or client_id.",
                    ));
                };
                if !client.post_logout_redirect_uris.iter().any(|u| u == uri) {
                    return Err(Cow::Borrowed(
                        "The application asked to return to an address it has not registered.",
                    ));
                }
                Some(uri.to_owned())
            }
            None => None,
        };
        let state = single("state")?.map(str::to_owned);
        Ok(LogoutRequest { client, post_logout_redirect_uri, state, hint })
    }

    /// Whether the request may end `session` without asking: an `id_token_hint` issued in this
    /// session, or to its user (RP-Initiated Logout §2: the OP SHOULD ask otherwise).
    pub fn logout_is_trusted(&self, request: &LogoutRequest, session: &Session) -> bool {
        request.hint.as_ref().is_some_and(|h| {
            h.sid.as_deref() == Some(session.sid.as_str()) || h.sub == session.user_id
        })
    }

    /// Ends an SSO session: deletes it, revokes the grants made in it that did not ask for
    /// `offline_access` (Back-Channel Logout §2.7), and returns the logout tokens to deliver to
    /// the clients that registered a `backchannel_logout_uri`.
    pub async fn end_session(
        &self,
        session: &Session,
    ) -> Result<Vec<BackchannelNotice>, OAuthError> {
        let grants = close_session(self.store(), &session.sid, self.now()).await?;
        for grant in grants.iter().filter(|g| ends_with_session(g)) {
            self.revocation_watch().note(Revoked::Grant(grant.id.clone()));
        }
        let mut notices: Vec<BackchannelNotice> = Vec::new();
        for grant in &grants {
            if notices.iter().any(|n| n.client_id == grant.client_id) {
                continue;
            }
            let Some(client) = self.client(&grant.client_id).await? else { continue };
            if let Some(uri) = &client.backchannel_logout_uri {
                let logout_token = self.logout_token(&client, session)?;
                notices.push(BackchannelNotice {
                    uri: uri.clone(),
                    logout_token,
                    client_id: client.client_id.clone(),
                });
            }
        }
        tracing::info!(sid = %session.sid, clients = notices.len(), "ended session");
        Ok(notices)
    }

    /// Back-Channel Logout §2.4: `typ` `logout+jwt`, the event claim, `sid` and `sub`, no `nonce`;
    /// signed like the client's ID tokens.
    fn logout_token(&self, client: &Client, session: &Session) -> Result<String, OAuthError> {
        let alg = client.id_token_alg.unwrap_or(self.settings().id_token_alg);
        let now = self.now();
        let claims = LogoutTokenClaims {
            iss: self.issuer(),
            sub: &session.user_id,
            aud: &client.client_id,
            iat: now,
            exp: now + LOGOUT_TOKEN_TTL,
            jti: random_string(16),
            sid: &session.sid,
            events: json!({ "http://schemas.openid.net/event/backchannel-logout": {} }),
        };
        let keyring = self.keyring();
        let key = keyring
            .signer(alg)
            .ok_or_else(|| OAuthError::Server(anyhow::anyhow!("no active {alg} signing key")))?;
        sign_jwt(key, "logout+jwt", &claims).map_err(OAuthError::Server)
    }

    /// Where the browser goes after logout: the registered URI with `state`, if one was given;
    /// confirmed by the user first for an unverified client (RFC 9700 §4.11.2).
    pub fn post_logout_redirect(&self, request: &LogoutRequest) -> Option<Departure> {
        let uri = request.post_logout_redirect_uri.as_ref()?;
        let client = request.client.as_ref()?;
        let mut url = url::Url::parse(uri).ok()?;
        if let Some(state) = &request.state {
            url.query_pairs_mut().append_pair("state", state);
        }
        Some(client.departure(url.into()))
    }
}
