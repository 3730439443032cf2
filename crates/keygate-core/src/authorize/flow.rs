//! What follows a valid authorization request: the login page, the consent page, or a code;
//! and picking the request up again after each page.

use std::borrow::Cow;
use std::sync::Arc;

use aws_lc_rs::digest::{SHA256, digest};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use subtle::ConstantTimeEq;

use keygate_types::ErrorCode;

use super::acr::AcrNeed;
use super::{AuthorizationRequest, AuthorizationResponse, AuthorizeError, Prompt, ReturnTo};
use crate::params::Params;
use crate::secret::{Secret, SecretHash, random_id, random_string};
use crate::settings::{AUTHORIZATION_CODE_TTL, PENDING_REQUEST_TTL};
use crate::store::{AuthorizationCode, Grant, PendingRequest, Session};
use crate::{Client, Provider, User};

/// A pending request as a login or consent page shows it.
#[derive(Debug, Clone)]
pub struct PageRequest {
    /// The pending request's id (in the page URL and form).
    pub request_id: String,
    /// The client asking.
    pub client: Arc<Client>,
    /// The request.
    pub request: AuthorizationRequest,
    /// The CSRF token for the page's form.
    pub csrf: String,
}

/// What the browser should see next.
#[derive(Debug)]
pub enum Next {
    /// The login page.
    Login(PageRequest),
    /// The second-factor page, to step the session up to the `acr` the request asks for.
    SecondFactor(PageRequest),
    /// The consent page.
    Consent(PageRequest),
    /// Back to the client with a code or an error.
    Respond(AuthorizationResponse),
    /// The device flow is done on this side: tell the user to return to the device.
    Device(DeviceOutcome),
}

/// How a device authorization ended on the verification page (RFC 8628 §3.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeviceOutcome {
    /// Allowed: the device gets its tokens at its next poll.
    Approved,
    /// Refused: the device gets `access_denied`.
    Denied,
    /// The code expired or was used meanwhile.
    Expired,
}

/// The user's decision on the consent page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsentDecision {
    /// Allow the requested access.
    Allow,
    /// Refuse it: the client gets `access_denied`.
    Deny,
}

/// The cookies an authorization step reads.
#[derive(Debug, Default, Clone, Copy)]
pub struct BrowserCookies<'a> {
    /// The SSO session cookie.
    pub session: Option<&'a str>,
    /// The cookie that binds pending requests to this browser.
    pub browser: Option<&'a str>,
}

/// The CSRF token of a page: derived from the browser-binding cookie (HttpOnly, unknown to other
/// sites) and the request id, so a form posted from elsewhere cannot carry it.
pub fn csrf_token(browser_cookie: &str, request_id: &str) -> String {
    let input = format!("keygate-csrf\0{browser_cookie}\0{request_id}");
    URL_SAFE_NO_PAD.encode(digest(&SHA256, input.as_bytes()))
}

fn expired_page() -> AuthorizeError {
    AuthorizeError::Page {
        message: Cow::Borrowed(
            "This sign-in request has expired or was started in another browser. \
             Go back to the application and try again.",
        ),
        detail: Some("the pending authorization request is unknown or expired".to_owned()),
        back: None,
    }
}

impl Provider {
    /// `GET`/`POST /authorize`. `browser` is the binding cookie (the caller sets it when absent
    /// and passes the value it set).
    pub async fn authorize(
        &self,
        params: &Params,
        cookies: BrowserCookies<'_>,
    ) -> Result<Next, AuthorizeError> {
        let (client, request) = match params.single("request_uri") {
            Ok(Some(uri)) if uri.starts_with(super::par::REQUEST_URI_PREFIX) => {
                self.pushed_request(params, uri).await?
            }
            _ => self.validate_authorization_request(params).await?,
        };
        let session = self.current_session(cookies.session).await?;
        self.decide(client, request, session, false, None, cookies.browser).await
    }

    /// Chooses login, consent or a code. `fresh_login` is true right after the login page, which
    /// satisfies `prompt=login`, `max_age` and `select_account` (OIDC Core §3.1.2.1).
    async fn decide(
        &self,
        client: Arc<Client>,
        request: AuthorizationRequest,
        session: Option<(Session, User)>,
        fresh_login: bool,
        pending_id: Option<String>,
        browser: Option<&str>,
    ) -> Result<Next, AuthorizeError> {
        let needs_login = match &session {
            None => true,
            Some((s, user)) => {
                let reauth = request.has_prompt(Prompt::Login)
                    || request.has_prompt(Prompt::SelectAccount)
                    || request.has_prompt(Prompt::Create)
                    || request.max_age.is_some_and(|max| self.now() - s.auth_time > max);
                (!fresh_login && reauth)
                    || request.hint_sub.as_ref().is_some_and(|sub| *sub != user.id)
            }
        };
        if needs_login {
            if request.has_prompt(Prompt::None) {
                return self.request_error(
                    &client,
                    &request,
                    ErrorCode::LoginRequired,
                    "the user must sign in",
                );
            }
            let page = self.page_request(client, request, pending_id, browser).await?;
            return Ok(Next::Login(page));
        }
        let Some((session, user)) = session else { return Err(expired_page()) };
        match self.acr_need(&client, &request, &session, &user).await? {
            AcrNeed::Met => {}
            AcrNeed::SecondFactor if request.has_prompt(Prompt::None) => {
                let text = "the requested acr needs the user's second factor";
                return self.request_error(&client, &request, ErrorCode::LoginRequired, text);
            }
            AcrNeed::SecondFactor => {
                let page = self.page_request(client, request, pending_id, browser).await?;
                return Ok(Next::SecondFactor(page));
            }
            AcrNeed::Unmet => {
                let text = "the essential acr cannot be met for this user";
                return self.request_error(&client, &request, ErrorCode::AccessDenied, text);
            }
        }
        if self.needs_consent(&client, &request, &user).await? {
            if request.has_prompt(Prompt::None) {
                return self.request_error(
                    &client,
                    &request,
                    ErrorCode::ConsentRequired,
                    "the user must consent",
                );
            }
            let page = self.page_request(client, request, pending_id, browser).await?;
            return Ok(Next::Consent(page));
        }
        if let Some(id) = pending_id {
            self.store().delete_auth_request(&id).await?;
        }
        Ok(Next::Respond(self.issue_code(&client, &request, &session, &user).await?))
    }

    /// What the session lacks for this request: OIDC Core §3.1.2.1 `acr_values` and §5.5.1.1
    /// an essential `acr` (step up, or fail), and `[mfa] policy = "required"` or the
    /// application's own rule (a second factor, added first by users without one). The user's
    /// factors are read only when the request or the policy asks for more than a password.
    async fn acr_need(
        &self,
        client: &Client,
        request: &AuthorizationRequest,
        session: &Session,
        user: &User,
    ) -> Result<AcrNeed, crate::OAuthError> {
        let has_mfa = session.amr.iter().any(|m| m == crate::mfa::AMR_MFA);
        if self.mfa_required_for(client, user) && !has_mfa {
            return Ok(AcrNeed::SecondFactor);
        }
        if request.acr.values.is_empty() {
            return Ok(AcrNeed::Met);
        }
        let best = match self.settings().mfa_policy {
            crate::settings::MfaPolicy::Off => None,
            _ => crate::mfa::Factors::of(self.store(), &user.id).await?.best_acr(),
        };
        Ok(request.acr.need(&session.amr, best))
    }

    /// `POST /device` with a valid user code (RFC 8628 §3.3): sign-in if needed, then consent,
    /// always, for the device's client and scopes.
    pub async fn authorize_device(
        &self,
        user_code: &str,
        cookies: BrowserCookies<'_>,
    ) -> Result<Next, AuthorizeError> {
        let Some((_, device)) = self.pending_device(user_code).await? else {
            return Ok(Next::Device(DeviceOutcome::Expired));
        };
        let client = self.client(&device.client_id).await?.ok_or_else(expired_page)?;
        let request = AuthorizationRequest {
            client_id: client.client_id.clone(),
            return_to: ReturnTo::Device { user_code: device.user_code },
            state: None,
            nonce: None,
            scope: device.scope,
            code_challenge: None,
            prompt: Vec::new(),
            max_age: None,
            login_hint: None,
            ui_locales: None,
            claims_locales: None,
            idp_hint: None,
            hint_sub: None,
            claims: None,
            acr: Default::default(),
            resources: device.resources,
            authorization_details: Vec::new(),
            requested_at: self.now(),
            dpop_jkt: None,
        };
        let session = self.current_session(cookies.session).await?;
        self.decide(client, request, session, false, None, cookies.browser).await
    }

    /// Records the user's decision on a device authorization; an approval makes the grant the
    /// device's tokens will come from.
    async fn decide_device(
        &self,
        client: &Client,
        request: &AuthorizationRequest,
        user_code: &str,
        decision: ConsentDecision,
        session: &Session,
        user: &User,
    ) -> Result<DeviceOutcome, AuthorizeError> {
        let Some((hash, _)) = self.pending_device(user_code).await? else {
            return Ok(DeviceOutcome::Expired);
        };
        let status = match decision {
            ConsentDecision::Deny => crate::store::DeviceStatus::Denied,
            ConsentDecision::Allow => {
                let grant = self.new_grant(client, request, session, user);
                self.store().insert_grant(&grant).await?;
                self.note_document_grant(client).await;
                crate::store::DeviceStatus::Approved { grant_id: grant.id }
            }
        };
        if !self.store().decide_device_code(&hash, &status).await? {
            return Ok(DeviceOutcome::Expired);
        }
        tracing::info!(client_id = %client.client_id, user = %user.id, ?status, "device authorization decided");
        Ok(match status {
            crate::store::DeviceStatus::Denied => DeviceOutcome::Denied,
            _ => DeviceOutcome::Approved,
        })
    }

    async fn needs_consent(
        &self,
        client: &Client,
        request: &AuthorizationRequest,
        user: &User,
    ) -> Result<bool, AuthorizeError> {
        // RFC 8628 §5.4: a device request may come from someone else's device (remote
        // phishing), so the user always sees what they approve, even for first-party clients.
        if request.device_user_code().is_some() {
            return Ok(true);
        }
        // RFC 9700 §4.11.2: anyone may have registered an unverified client, so the user
        // always sees who asks (and where they will be sent).
        if client.metadata.unverified {
            return Ok(true);
        }
        if client.first_party {
            return Ok(false);
        }
        // RFC 9396 leaves remembering consent to the server: Keygate asks for authorization
        // details every time, since a remembered scope says nothing about folders or amounts.
        if request.has_prompt(Prompt::Consent) || !request.authorization_details.is_empty() {
            return Ok(true);
        }
        let since = self.settings().consent_ttl.map_or(i64::MIN, |ttl| self.now() - ttl);
        let granted = self.store().find_consent(&user.id, &client.client_id, since).await?;
        Ok(!granted.is_some_and(|g| request.scope.iter().all(|s| g.contains(s))))
    }

    /// Stores the request (once) and returns it as a page sees it.
    async fn page_request(
        &self,
        client: Arc<Client>,
        request: AuthorizationRequest,
        pending_id: Option<String>,
        browser: Option<&str>,
    ) -> Result<PageRequest, AuthorizeError> {
        let browser =
            browser.ok_or_else(|| AuthorizeError::Server(anyhow::anyhow!("no browser cookie")))?;
        let request_id = match pending_id {
            Some(id) => id,
            None => {
                let id = random_string(24);
                let pending = PendingRequest {
                    id: id.clone(),
                    browser_hash: SecretHash::of(browser),
                    request: serde_json::to_string(&request)
                        .map_err(|e| AuthorizeError::Server(e.into()))?,
                    expires_at: self.now() + PENDING_REQUEST_TTL,
                };
                self.store().insert_auth_request(&pending).await?;
                id
            }
        };
        let csrf = csrf_token(browser, &request_id);
        Ok(PageRequest { request_id, client, request, csrf })
    }

    /// A pending request for a page: it must exist, be fresh, belong to this browser, and (for a
    /// form post) carry the right CSRF token.
    pub async fn pending_request(
        &self,
        request_id: &str,
        browser: Option<&str>,
        csrf: Option<&str>,
    ) -> Result<PageRequest, AuthorizeError> {
        let browser = browser.ok_or_else(expired_page)?;
        let pending = self.store().find_auth_request(request_id).await?.ok_or_else(expired_page)?;
        if pending.expires_at <= self.now() || !pending.browser_hash.verify(browser) {
            return Err(expired_page());
        }
        let expected = csrf_token(browser, request_id);
        if let Some(csrf) = csrf
            && !bool::from(expected.as_bytes().ct_eq(csrf.as_bytes()))
        {
            return Err(AuthorizeError::Page {
                message: Cow::Borrowed("The form could not be verified. Go back and try again."),
                detail: Some("the form's CSRF token does not match this browser".to_owned()),
                back: None,
            });
        }
        let request: AuthorizationRequest =
            serde_json::from_str(&pending.request).map_err(|e| AuthorizeError::Server(e.into()))?;
        let client = self.client(&request.client_id).await?.ok_or_else(expired_page)?;
        Ok(PageRequest { request_id: request_id.to_owned(), client, request, csrf: expected })
    }

    /// After a successful login on the page of `page`: consent or a code.
    pub async fn continue_after_login(
        &self,
        page: PageRequest,
        session: Session,
        user: User,
        browser: Option<&str>,
    ) -> Result<Next, AuthorizeError> {
        let PageRequest { request_id, client, request, .. } = page;
        self.decide(client, request, Some((session, user)), true, Some(request_id), browser).await
    }

    /// The consent page's answer. Consent is remembered for next time (unless `prompt=consent`
    /// asks again).
    pub async fn submit_consent(
        &self,
        page: PageRequest,
        decision: ConsentDecision,
        cookies: BrowserCookies<'_>,
        from: &crate::signin_log::Attempt<'_>,
    ) -> Result<Next, AuthorizeError> {
        let Some((session, user)) = self.current_session(cookies.session).await? else {
            let PageRequest { request_id, client, request, .. } = page;
            return self
                .decide(client, request, None, false, Some(request_id), cookies.browser)
                .await;
        };
        self.store().delete_auth_request(&page.request_id).await?;
        let request = &page.request;
        if let Some(user_code) = request.device_user_code() {
            let outcome =
                self.decide_device(&page.client, request, user_code, decision, &session, &user);
            return Ok(Next::Device(outcome.await?));
        }
        if decision == ConsentDecision::Deny {
            let outcome = crate::signin_log::SignInOutcome::ConsentDenied;
            self.record_signin(outcome, Some(&user.id), from, None).await;
            return self.request_error(
                &page.client,
                request,
                ErrorCode::AccessDenied,
                "the user refused access",
            );
        }
        self.store()
            .save_consent(&user.id, &page.client.client_id, &request.scope, self.now())
            .await?;
        Ok(Next::Respond(self.issue_code(&page.client, request, &session, &user).await?))
    }

    /// An error for the request's client, where its outcome goes: the redirect URI; a device
    /// authorization has none, so the user sees the error on Keygate's page.
    fn request_error(
        &self,
        client: &Client,
        r: &AuthorizationRequest,
        error: ErrorCode,
        text: &str,
    ) -> Result<Next, AuthorizeError> {
        match &r.return_to {
            ReturnTo::Client { redirect_uri, response_mode } => {
                Ok(Next::Respond(self.error_response(
                    client,
                    redirect_uri,
                    *response_mode,
                    r.state.as_deref(),
                    error,
                    text,
                )))
            }
            ReturnTo::Device { .. } => Err(AuthorizeError::Page {
                message: Cow::Borrowed("This request cannot continue."),
                detail: Some(format!("{}: {text}", error.as_str())),
                back: None,
            }),
        }
    }

    /// Records the grant and a single-use code bound to the client, redirect URI, PKCE challenge
    /// and nonce (RFC 6749 §4.1.2, RFC 7636 §4.4); answers with `code`, `state` and `iss`.
    async fn issue_code(
        &self,
        client: &Client,
        request: &AuthorizationRequest,
        session: &Session,
        user: &User,
    ) -> Result<AuthorizationResponse, AuthorizeError> {
        let ReturnTo::Client { redirect_uri, response_mode } = &request.return_to else {
            let unexpected = "a device authorization has no authorization code";
            return Err(AuthorizeError::Server(anyhow::anyhow!(unexpected)));
        };
        let now = self.now();
        let grant = self.new_grant(client, request, session, user);
        let code = Secret::generate(32);
        let stored = AuthorizationCode {
            grant_id: grant.id.clone(),
            client_id: client.client_id.clone(),
            redirect_uri: redirect_uri.clone(),
            code_challenge: request.code_challenge.clone(),
            nonce: request.nonce.clone(),
            expires_at: now + AUTHORIZATION_CODE_TTL,
            dpop_jkt: request.dpop_jkt.clone(),
        };
        self.store()
            .insert_grant_with_code(&grant, &SecretHash::of(code.expose_secret()), &stored)
            .await?;
        self.note_document_grant(client).await;
        tracing::info!(client_id = %client.client_id, user = %user.id, "issued authorization code");
        let mut params = vec![("code".to_owned(), code.expose_secret().to_owned())];
        if let Some(state) = &request.state {
            params.push(("state".to_owned(), state.clone()));
        }
        params.push(("iss".to_owned(), self.issuer().to_owned()));
        Ok(AuthorizationResponse {
            redirect_uri: redirect_uri.clone(),
            response_mode: *response_mode,
            params,
            confirm_host: None,
        })
    }

    /// The grant a user gives a client for `request` in this session.
    fn new_grant(
        &self,
        client: &Client,
        request: &AuthorizationRequest,
        session: &Session,
        user: &User,
    ) -> Grant {
        Grant {
            id: random_id(),
            client_id: client.client_id.clone(),
            user_id: user.id.clone(),
            scope: crate::admin::entitled_scope(&request.scope, user),
            resources: request.resources.clone(),
            claims: crate::claims::with_locales(
                request.claims.as_deref(),
                request.claims_locales.as_deref(),
            ),
            sid: Some(session.sid.clone()),
            auth_time: session.auth_time,
            amr: session.amr.clone(),
            created_at: self.now(),
            revoked_at: None,
            authorization_details: request.authorization_details.clone(),
            idp: session.idp.clone(),
        }
    }
}
