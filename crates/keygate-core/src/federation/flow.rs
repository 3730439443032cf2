//! The redirect to the upstream and the callback (OIDC Core §3.1.2, RFC 6749 §4.1): a one-time
//! `state` stored by hash (RFC 9700 §4.7 CSRF, bound to the browser through the pending
//! authorization request it names), a `nonce` for the ID token (OIDC Core §3.1.2.1), PKCE S256
//! (RFC 7636), one redirect URI per upstream against mix-up (RFC 9700 §4.4.2) and the RFC 9207
//! `iss` response parameter when the upstream sends it.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{UpstreamIdentity, UpstreamProvider};
use crate::Provider;
use crate::client::Departure;
use crate::secret::{SecretHash, random_string};
use crate::store::FederationState;

/// How long the user has at the upstream.
const STATE_TTL: i64 = 600;

/// State kinds in the federation-state table.
pub(super) const KIND_LOGIN: &str = "login";
pub(super) const KIND_LINK: &str = "link";
pub(super) const KIND_LOGOUT: &str = "logout";

/// Why federation failed; each is shown on an error page and logged, and none of them creates or
/// changes an account.
#[derive(Debug, thiserror::Error)]
pub enum FederationError {
    /// No enabled upstream with this id.
    #[error("unknown upstream provider")]
    UnknownProvider,
    /// The state is unknown, used, expired, or for another upstream.
    #[error("the sign-in expired or was already used")]
    Expired,
    /// The user declined at the upstream (`access_denied`).
    #[error("the user declined at the upstream")]
    Denied,
    /// The upstream answered the authorization request with another error.
    #[error("the upstream answered {0}")]
    Upstream(String),
    /// The upstream is unreachable, misconfigured, or sent something invalid (ID token, token
    /// response, user API).
    #[error("upstream failure: {0:#}")]
    Unavailable(#[source] anyhow::Error),
    /// Keygate's own storage failed.
    #[error("server failure: {0:#}")]
    Server(#[source] anyhow::Error),
}

impl From<crate::store::StoreError> for FederationError {
    fn from(e: crate::store::StoreError) -> Self {
        Self::Server(e.into())
    }
}

impl From<crate::OAuthError> for FederationError {
    fn from(e: crate::OAuthError) -> Self {
        Self::Server(anyhow::anyhow!(e))
    }
}

/// What the login state remembers until the callback.
#[derive(Debug, Serialize, Deserialize)]
struct LoginState {
    provider_id: String,
    /// The authorization request signing in (empty when linking).
    request_id: String,
    /// The user linking this upstream from the account page, instead of signing in.
    #[serde(default)]
    link_user: Option<String>,
    nonce: String,
    verifier: Option<String>,
}

/// The query of the callback.
#[derive(Debug, Default, Clone)]
pub struct Callback {
    /// `state`.
    pub state: Option<String>,
    /// `code`.
    pub code: Option<String>,
    /// `error`.
    pub error: Option<String>,
    /// RFC 9207 `iss`.
    pub iss: Option<String>,
}

/// A pending callback: the state checked, the code not yet exchanged.
#[derive(Debug)]
pub struct PendingCallback {
    /// The upstream.
    pub upstream: UpstreamProvider,
    /// The authorization request the user came from (the server checks the browser owns it).
    pub request_id: String,
    /// The user who asked to link this upstream on their account page (the server checks the
    /// browser is signed in to it as them); `None` for a sign-in.
    pub link_user: Option<String>,
    nonce: String,
    verifier: Option<String>,
    callback: Callback,
}

impl Provider {
    /// The redirect URI Keygate registers at upstream `id`.
    pub fn federation_redirect_uri(&self, id: &str) -> String {
        format!("{}/federation/{id}/callback", self.issuer())
    }

    /// Starts signing in at `provider_id` for pending request `request_id` (already checked to
    /// belong to this browser); returns the upstream authorization URL.
    pub async fn start_federation(
        &self,
        provider_id: &str,
        request_id: &str,
        login_hint: Option<&str>,
    ) -> Result<String, FederationError> {
        self.start_at(provider_id, request_id, None, login_hint).await
    }

    /// Starts linking upstream `provider_id` to `user` (signed in on their account page):
    /// the same redirect as a sign-in, whose callback links instead of signing in.
    pub async fn start_federation_link(
        &self,
        provider_id: &str,
        user: &crate::User,
    ) -> Result<String, FederationError> {
        self.start_at(provider_id, "", Some(user.id.clone()), None).await
    }

    async fn start_at(
        &self,
        provider_id: &str,
        request_id: &str,
        link_user: Option<String>,
        login_hint: Option<&str>,
    ) -> Result<String, FederationError> {
        let upstream = self.enabled_upstream(provider_id).await?;
        let meta = self.upstream_metadata(&upstream).await.map_err(FederationError::Unavailable)?;
        let state = random_string(32);
        let nonce = random_string(32);
        let verifier = upstream.pkce.then(|| random_string(32));
        let data = LoginState {
            provider_id: upstream.id.clone(),
            request_id: request_id.to_owned(),
            link_user,
            nonce: nonce.clone(),
            verifier: verifier.clone(),
        };
        self.put_state(&state, KIND_LOGIN, &data).await?;
        let mut url = url::Url::parse(&meta.authorization_endpoint)
            .map_err(|e| FederationError::Unavailable(e.into()))?;
        {
            let mut q = url.query_pairs_mut();
            q.append_pair("response_type", "code")
                .append_pair("client_id", &upstream.client_id)
                .append_pair("redirect_uri", &self.federation_redirect_uri(&upstream.id))
                .append_pair("state", &state);
            if !upstream.scopes.is_empty() {
                q.append_pair("scope", &upstream.scopes.join(" "));
            }
            if upstream.is_oidc() {
                q.append_pair("nonce", &nonce);
                if let Some(hint) = login_hint.filter(|h| !h.is_empty()) {
                    q.append_pair("login_hint", hint);
                }
            }
            if let Some(verifier) = &verifier {
                q.append_pair("code_challenge", &crate::secret::pkce_s256(verifier))
                    .append_pair("code_challenge_method", "S256");
            }
        }
        Ok(url.into())
    }

    /// Takes the one-time state of a callback at `provider_id`.
    pub async fn federation_callback(
        &self,
        provider_id: &str,
        callback: Callback,
    ) -> Result<PendingCallback, FederationError> {
        let state = callback.state.as_deref().ok_or(FederationError::Expired)?;
        let data: LoginState =
            self.take_state(state, KIND_LOGIN).await?.ok_or(FederationError::Expired)?;
        // RFC 9700 §4.4.2: the response came to the redirect URI of the upstream it was sent to.
        if data.provider_id != provider_id {
            return Err(FederationError::Expired);
        }
        let upstream = self.enabled_upstream(provider_id).await?;
        Ok(PendingCallback {
            upstream,
            request_id: data.request_id,
            link_user: data.link_user,
            nonce: data.nonce,
            verifier: data.verifier,
            callback,
        })
    }

    /// Finishes a callback whose browser was checked: the upstream's error, or the code
    /// exchanged and the user identified.
    pub async fn complete_federation(
        &self,
        pending: &PendingCallback,
    ) -> Result<UpstreamIdentity, FederationError> {
        let PendingCallback { upstream, nonce, verifier, callback, .. } = pending;
        if let Some(error) = &callback.error {
            return Err(if error == "access_denied" {
                FederationError::Denied
            } else {
                FederationError::Upstream(error.chars().take(64).collect())
            });
        }
        let meta = self.upstream_metadata(upstream).await.map_err(FederationError::Unavailable)?;
        // RFC 9207 §2.4: a present `iss` must be the upstream's; a required one must be present.
        let iss_ok = match (&callback.iss, &meta.issuer) {
            (Some(iss), Some(expected)) => iss == expected,
            (Some(_), None) => false,
            (None, _) => !meta.iss_parameter,
        };
        if !iss_ok {
            return Err(FederationError::Unavailable(anyhow::anyhow!(
                "the authorization response's iss is not the upstream's (RFC 9207)"
            )));
        }
        let code = callback.code.as_deref().ok_or_else(|| {
            FederationError::Unavailable(anyhow::anyhow!("the callback has no code"))
        })?;
        let redirect_uri = self.federation_redirect_uri(&upstream.id);
        let tokens = self
            .upstream_token(upstream, &meta, code, &redirect_uri, verifier.as_deref())
            .await
            .map_err(FederationError::Unavailable)?;
        self.identify(upstream, &meta, &tokens, nonce).await.map_err(FederationError::Unavailable)
    }

    /// The identity from the token response: the validated ID token, completed by userinfo
    /// (OIDC); the user API, and the emails API if any (plain OAuth 2.0).
    async fn identify(
        &self,
        upstream: &UpstreamProvider,
        meta: &super::UpstreamMetadata,
        tokens: &Value,
        nonce: &str,
    ) -> anyhow::Result<UpstreamIdentity> {
        let access_token = tokens.get("access_token").and_then(Value::as_str);
        let mut claims = if upstream.is_oidc() {
            let id_token = tokens
                .get("id_token")
                .and_then(Value::as_str)
                .ok_or_else(|| anyhow::anyhow!("the token response has no id_token"))?;
            self.validate_upstream_id_token(upstream, meta, id_token, nonce).await?
        } else {
            let url = meta.userinfo_endpoint.as_deref().unwrap_or_default();
            let token = access_token.ok_or_else(|| anyhow::anyhow!("no access_token"))?;
            self.upstream_user(url, token).await?
        };
        if upstream.is_oidc()
            && let (Some(url), Some(token)) = (&meta.userinfo_endpoint, access_token)
        {
            merge_userinfo(&mut claims, self.upstream_user(url, token).await);
        }
        let verified_email = match (&meta.emails_endpoint, access_token) {
            (Some(url), Some(token)) => verified_email(&self.upstream_user(url, token).await?),
            _ => None,
        };
        let mut identity = upstream
            .mapping
            .apply(&upstream.id, &claims)
            .ok_or_else(|| anyhow::anyhow!("the upstream user has no subject"))?;
        if let Some(email) = verified_email {
            identity.email = Some(email);
            identity.email_verified = true;
        }
        identity.amr = claims
            .get("amr")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).map(str::to_owned).collect())
            .unwrap_or_default();
        Ok(identity)
    }

    /// An enabled upstream by id.
    pub async fn enabled_upstream(&self, id: &str) -> Result<UpstreamProvider, FederationError> {
        match self.upstream(id).await? {
            Some(u) if u.enabled => Ok(u),
            _ => Err(FederationError::UnknownProvider),
        }
    }

    pub(super) async fn put_state(
        &self,
        token: &str,
        kind: &str,
        data: &impl Serialize,
    ) -> Result<(), FederationError> {
        let state = FederationState {
            kind: kind.to_owned(),
            data: serde_json::to_string(data).map_err(|e| FederationError::Server(e.into()))?,
            expires_at: self.now() + STATE_TTL,
        };
        self.store().put_federation_state(&SecretHash::of(token), &state).await?;
        Ok(())
    }

    /// Takes (deletes) a state of `kind`; `None` if unknown, of another kind, or expired.
    pub(super) async fn take_state<T: for<'de> Deserialize<'de>>(
        &self,
        token: &str,
        kind: &str,
    ) -> Result<Option<T>, FederationError> {
        let Some(state) = self.store().take_federation_state(&SecretHash::of(token)).await? else {
            return Ok(None);
        };
        if state.kind != kind || state.expires_at <= self.now() {
            return Ok(None);
        }
        Ok(serde_json::from_str(&state.data).ok())
    }

    /// OIDC RP-Initiated Logout §2 at the upstream of a federated session: its end-session URL,
    /// when the operator turned it on and the upstream has an `end_session_endpoint`. The
    /// browser goes there, then back to `{issuer}/federation/logged-out`, which forwards to `then` (the client's
    /// post-logout redirect) or Keygate's logged-out page.
    pub async fn upstream_logout(
        &self,
        idp: &str,
        then: Option<Departure>,
    ) -> Result<Option<String>, FederationError> {
        let Some(upstream) = self.upstream(idp).await? else { return Ok(None) };
        if !upstream.upstream_logout || !upstream.is_oidc() {
            return Ok(None);
        }
        let meta = match self.upstream_metadata(&upstream).await {
            Ok(meta) => meta,
            Err(e) => {
                tracing::warn!(upstream = idp, error = %e, "upstream logout skipped");
                return Ok(None);
            }
        };
        let Some(endpoint) = meta.end_session_endpoint else { return Ok(None) };
        let token = random_string(32);
        self.put_state(&token, KIND_LOGOUT, &then).await?;
        let mut url =
            url::Url::parse(&endpoint).map_err(|e| FederationError::Unavailable(e.into()))?;
        url.query_pairs_mut()
            .append_pair("client_id", &upstream.client_id)
            .append_pair(
                "post_logout_redirect_uri",
                &format!("{}/federation/logged-out", self.issuer()),
            )
            .append_pair("state", &token);
        Ok(Some(url.into()))
    }

    /// Back from the upstream's logout: where to go next (`None`: Keygate's logged-out page).
    pub async fn upstream_logged_out(&self, state: Option<&str>) -> Option<Departure> {
        let token = state?;
        self.take_state::<Option<Departure>>(token, KIND_LOGOUT).await.ok().flatten().flatten()
    }
}

fn merge_userinfo(claims: &mut Value, userinfo: anyhow::Result<Value>) {
    let userinfo = match userinfo {
        Ok(v) => v,
        Err(e) => {
            tracing::warn!(error = %e, "upstream userinfo failed; using the ID token's claims");
            return;
        }
    };
    // OIDC Core §5.3.4: the userinfo `sub` must be the ID token's, else it is not used.
    if userinfo.get("sub") != claims.get("sub") {
        tracing::warn!("upstream userinfo sub differs from the ID token's; ignored");
        return;
    }
    if let (Some(target), Some(source)) = (claims.as_object_mut(), userinfo.as_object()) {
        for (k, v) in source {
            target.entry(k.clone()).or_insert_with(|| v.clone());
        }
    }
}

/// GitHub style: the primary verified address, else any verified one, is the user's verified
/// email.
fn verified_email(emails: &Value) -> Option<String> {
    let list = emails.as_array().map(Vec::as_slice).unwrap_or_default();
    let verified = |e: &&Value| e.get("verified").and_then(Value::as_bool) == Some(true);
    let primary = |e: &&Value| e.get("primary").and_then(Value::as_bool) == Some(true);
    let chosen = list.iter().filter(verified).find(primary).or_else(|| list.iter().find(verified));
    chosen.and_then(|e| e.get("email")).and_then(Value::as_str).map(str::to_owned)
}
