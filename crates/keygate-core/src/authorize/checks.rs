//! Validation of an authorization request as named checks, in the order that decides where an
//! error goes: on Keygate's page until the client and redirect URI are verified, to the client
//! afterwards (RFC 6749 §4.1.2.1).

use std::borrow::Cow;

use super::{AuthorizationRequest, AuthorizationResponse, AuthorizeError, Prompt, ResponseMode};
use keygate_types::ErrorCode;

use crate::Provider;
use crate::api::Api;
use crate::authorization_details::AuthorizationDetail;
use crate::client::{AuthMethod, Client, GrantType};
use crate::params::Params;
use crate::resource::select_audience;
use crate::scope::parse_scope;

/// A check's refusal: the error code and its description, for the client.
type Checked<T> = Result<T, (ErrorCode, Cow<'static, str>)>;

fn page(message: impl Into<Cow<'static, str>>) -> AuthorizeError {
    AuthorizeError::Page { message: message.into(), detail: None, back: None }
}

/// Why a request was refused, before a destination is chosen: the door that received it decides
/// where the answer goes (`/authorize`: Keygate's page or the client's redirect URI; `/par`: a
/// JSON body, RFC 9126 §2.3).
#[derive(Debug)]
pub(crate) enum Refusal {
    /// The redirect URI could not be verified, so nothing may be sent to it (RFC 6749 §4.1.2.1).
    Unverified {
        /// For the user, on Keygate's page.
        message: &'static str,
        /// For the developer: the code and what was refused.
        code: ErrorCode,
        detail: String,
    },
    /// For the client, at its verified redirect URI.
    Client {
        /// Where and how the error travels.
        to: ErrorTarget,
        code: ErrorCode,
        description: Cow<'static, str>,
    },
    /// An internal failure (`server_error`).
    Server(anyhow::Error),
}

impl From<crate::OAuthError> for Refusal {
    fn from(err: crate::OAuthError) -> Self {
        match err {
            crate::OAuthError::Server(e) => Self::Server(e),
            other => Self::Server(other.into()),
        }
    }
}

/// A verified redirect URI, with how an error reaches it.
#[derive(Debug)]
pub(crate) struct ErrorTarget {
    redirect_uri: String,
    response_mode: ResponseMode,
    state: Option<String>,
}

impl Refusal {
    /// The JSON error of a pushed request (RFC 9126 §2.3).
    pub(crate) fn into_oauth_error(self) -> crate::OAuthError {
        match self {
            Self::Unverified { code, detail, .. } => {
                crate::OAuthError::from_code(code, Cow::Owned(detail))
            }
            Self::Client { code, description, .. } => {
                crate::OAuthError::from_code(code, description)
            }
            Self::Server(e) => crate::OAuthError::Server(e),
        }
    }
}

impl Provider {
    /// The answer of `/authorize` to a refusal: Keygate's page, or the client's redirect URI.
    pub(crate) fn refusal_response(&self, client: &Client, refusal: Refusal) -> AuthorizeError {
        match refusal {
            Refusal::Unverified { message, code, detail } => AuthorizeError::Page {
                message: Cow::Borrowed(message),
                detail: Some(format!("{}: {detail}", code.as_str())),
                back: client.metadata.client_uri.clone(),
            },
            Refusal::Client { to, code, description } => {
                AuthorizeError::Redirect(self.error_response(
                    client,
                    &to.redirect_uri,
                    to.response_mode,
                    to.state.as_deref(),
                    code,
                    &description,
                ))
            }
            Refusal::Server(e) => AuthorizeError::Server(e),
        }
    }

    /// Validates an authorization request sent to `/authorize` (OIDC Core §3.1.2.2).
    pub(crate) async fn validate_authorization_request(
        &self,
        params: &Params,
    ) -> Result<(std::sync::Arc<Client>, AuthorizationRequest), AuthorizeError> {
        let client = self.requesting_client(params).await?;
        match self.check_authorization_request(&client, params, false).await {
            Ok(request) => Ok((client, request)),
            Err(refusal) => Err(self.refusal_response(&client, refusal)),
        }
    }

    /// 1. `client_id`: without a known client there is nowhere safe to send an error.
    pub(crate) async fn requesting_client(
        &self,
        params: &Params,
    ) -> Result<std::sync::Arc<Client>, AuthorizeError> {
        let client_id = params
            .single("client_id")
            .map_err(|_| page("The request repeats client_id."))?
            .ok_or_else(|| page("The request has no client_id."))?;
        self.client(client_id).await?.ok_or_else(|| AuthorizeError::Page {
            message: "The application that sent you here is not registered.".into(),
            detail: Some(format!("invalid_client: no client is registered as '{client_id}'")),
            back: None,
        })
    }

    /// Checks 2 and on of a request from `client`, for `/authorize` or pushed (`pushed`) to
    /// `/par`, which runs the same checks (RFC 9126 §2.1).
    pub(crate) async fn check_authorization_request(
        &self,
        client: &Client,
        params: &Params,
        pushed: bool,
    ) -> Result<AuthorizationRequest, Refusal> {
        // A request object's members replace the parameters (RFC 9101 §6.3); one that cannot
        // be verified has no redirect URI to trust.
        let super::request_object::RequestParams { params, signed } = self
            .request_params(client, params)
            .await
            .map_err(|(code, detail)| Refusal::Unverified {
                message: "The application sent a sign-in request that could not be verified.",
                code,
                detail,
            })?;
        let params = params.as_ref();
        // 2. redirect_uri: must be registered, exactly (RFC 9700 §4.1.3, RFC 8252 §7.3).
        let unverified = |message, detail: String| Refusal::Unverified {
            message,
            code: ErrorCode::InvalidRequest,
            detail,
        };
        let redirect_uri = params
            .single("redirect_uri")
            .map_err(|_| {
                unverified("The request repeats redirect_uri.", "redirect_uri is repeated".into())
            })?
            .ok_or_else(|| {
                unverified("The request has no redirect_uri.", "redirect_uri is missing".into())
            })?;
        // FAPI 2.0 SP §5.3.2.2 item 11 (with RFC 9700 §2.6): https redirect URIs only.
        if self.fapi2(client) && !redirect_uri.starts_with("https://") {
            let detail = format!("FAPI 2.0: the redirect URI '{redirect_uri}' is not https");
            return Err(unverified("The application's return address is not secure.", detail));
        }
        if !super::redirect_uri_matches(client, redirect_uri) {
            let detail = format!(
                "redirect_uri '{redirect_uri}' is not registered for client '{}' \
                 (RFC 6749 §3.1.2.3: matched exactly)",
                client.client_id
            );
            let message = "The application asked to return to an address it has not registered.";
            return Err(unverified(message, detail));
        }
        // 3. response_mode decides how every later error travels.
        let (response_mode, mode_error) = match params.single("response_mode") {
            Ok(None) | Ok(Some("query")) => (ResponseMode::Query, None),
            Ok(Some("form_post")) => (ResponseMode::FormPost, None),
            Ok(Some(_)) => (ResponseMode::Query, Some("unsupported response_mode")),
            Err(_) => (ResponseMode::Query, Some("response_mode is repeated")),
        };
        let state = params.single("state").ok().flatten().map(str::to_owned);
        let to_client = |(code, description): (ErrorCode, Cow<'static, str>)| Refusal::Client {
            to: ErrorTarget {
                redirect_uri: redirect_uri.to_owned(),
                response_mode,
                state: state.clone(),
            },
            code,
            description,
        };
        if params.single("state").is_err() {
            return Err(to_client((ErrorCode::InvalidRequest, "state is repeated".into())));
        }
        if let Some(problem) = mode_error {
            return Err(to_client((ErrorCode::InvalidRequest, problem.into())));
        }
        // RFC 9126 §5: a client (or every client) may be required to push its requests.
        if !pushed && self.requires_pushed_requests(client) {
            let text = "this client must push its authorization requests to the pushed \
                        authorization request endpoint first (RFC 9126 §5)";
            return Err(to_client((ErrorCode::InvalidRequest, text.into())));
        }
        // RFC 9101 §10.5: a client (or every client) may be required to sign its requests.
        if !signed && self.requires_signed_request_objects(client) {
            let text = "this client must send its request as a signed request object in the \
                        request parameter (RFC 9101 §10.5)";
            return Err(to_client((ErrorCode::InvalidRequest, text.into())));
        }
        // 4. Everything else is reported to the client.
        let apis = self.apis().await?;
        self.check_request(client, params, redirect_uri, response_mode, &apis).map_err(to_client)
    }

    /// Checks 4 and on, in order; the error code and description go to the client.
    fn check_request(
        &self,
        client: &Client,
        params: &Params,
        redirect_uri: &str,
        response_mode: ResponseMode,
        apis: &[Api],
    ) -> Checked<AuthorizationRequest> {
        let single = |name: &'static str| {
            params.single(name).map_err(|_| {
                (ErrorCode::InvalidRequest, Cow::Owned(format!("parameter '{name}' is repeated")))
            })
        };
        check_no_request_uri(&single)?;
        check_response_type(single("response_type")?)?;
        if !client.allows_grant(GrantType::AuthorizationCode) {
            return Err((
                ErrorCode::UnauthorizedClient,
                "this client may not use the code flow".into(),
            ));
        }
        let scope = check_scope(client, apis, single("scope")?)?;
        let code_challenge = check_pkce(
            client,
            self.fapi2(client),
            single("code_challenge")?,
            single("code_challenge_method")?,
        )?;
        let prompt = check_prompt(single("prompt")?, self.settings().signup.enabled())?;
        let max_age = check_max_age(single("max_age")?)?;
        let claims = check_claims(single("claims")?)?;
        let authorization_details =
            check_authorization_details(client, single("authorization_details")?, apis)?;
        let resources = audience(
            params,
            &authorization_details,
            select_audience(
                params.all("resource"),
                &crate::api::user_resources(client, apis, params.all("resource").next().is_some()),
                self.issuer(),
            ),
            apis,
        )
        .map_err(|e| {
            (ErrorCode::InvalidTarget, Cow::Owned(e.description().unwrap_or("").to_owned()))
        })?;
        let token_hint_sub =
            match single("id_token_hint")? {
                Some(hint) => Some(self.verified_id_token(hint).map(|claims| claims.sub).ok_or(
                    (ErrorCode::InvalidRequest, Cow::Borrowed("id_token_hint is not valid")),
                )?),
                None => None,
            };
        let hint_sub = match (token_hint_sub, requested_sub(claims.as_deref())?) {
            (Some(a), Some(b)) if a != b => {
                let text = "id_token_hint and the claims parameter name different users";
                return Err((ErrorCode::InvalidRequest, Cow::Borrowed(text)));
            }
            (a, b) => a.or(b),
        };
        let acr = super::acr::AcrRequest::from_request(single("acr_values")?, claims.as_deref());
        // Accepted and not acted on (OIDC Core §3.1.2.1): display; unknown parameters are
        // ignored (§3.1.2.1, RFC 6749 §3.1). ui_locales picks the pages' language;
        // claims_locales the languages of claim values (§5.2).
        Ok(AuthorizationRequest {
            client_id: client.client_id.clone(),
            return_to: super::ReturnTo::Client {
                redirect_uri: redirect_uri.to_owned(),
                response_mode,
            },
            state: single("state")?.map(str::to_owned),
            nonce: single("nonce")?.map(str::to_owned),
            scope,
            code_challenge,
            prompt,
            max_age,
            login_hint: single("login_hint")?.map(str::to_owned),
            ui_locales: single("ui_locales")?.map(str::to_owned),
            claims_locales: single("claims_locales")?.map(str::to_owned),
            idp_hint: single("idp_hint")?.or(single("kc_idp_hint")?).map(str::to_owned),
            hint_sub,
            claims,
            acr,
            resources,
            authorization_details,
            requested_at: self.now(),
            dpop_jkt: check_dpop_jkt(single("dpop_jkt")?)?,
        })
    }

    /// An error for the client's redirect URI, with `state` and `iss` (RFC 9207 §2).
    /// For an unverified client the user confirms the destination first (RFC 9700 §4.11.2).
    pub(crate) fn error_response(
        &self,
        client: &Client,
        redirect_uri: &str,
        response_mode: ResponseMode,
        state: Option<&str>,
        error: ErrorCode,
        description: &str,
    ) -> AuthorizationResponse {
        let mut params = vec![
            ("error".to_owned(), error.as_str().to_owned()),
            ("error_description".to_owned(), description.to_owned()),
        ];
        if let Some(state) = state {
            params.push(("state".to_owned(), state.to_owned()));
        }
        params.push(("iss".to_owned(), self.issuer().to_owned()));
        let departure = client.departure(redirect_uri.to_owned());
        AuthorizationResponse {
            redirect_uri: departure.url,
            response_mode,
            params,
            confirm_host: departure.confirm_host,
        }
    }
}

/// RFC 9396 §3, §5: `authorization_details` of types the registered APIs define, for APIs the
/// client may use (RFC 8707: among its registered resources).
fn check_authorization_details(
    client: &Client,
    value: Option<&str>,
    apis: &[Api],
) -> Checked<Vec<AuthorizationDetail>> {
    let Some(text) = value else { return Ok(Vec::new()) };
    crate::authorization_details::parse(text, apis, |api| {
        client.resources.contains(&api.identifier) || api.open
    })
    .map_err(|e| {
        (
            ErrorCode::InvalidAuthorizationDetails,
            Cow::Owned(e.description().unwrap_or("").to_owned()),
        )
    })
}

/// The token audience: the requested resources (RFC 8707), plus the APIs the authorization
/// details are for (RFC 9396 §9.1); with details and no `resource`, those APIs alone.
pub(crate) fn audience(
    params: &Params,
    details: &[AuthorizationDetail],
    selected: Result<Vec<String>, crate::OAuthError>,
    apis: &[Api],
) -> Result<Vec<String>, crate::OAuthError> {
    let mut audience = if details.is_empty() || params.all("resource").next().is_some() {
        selected?
    } else {
        vec![]
    };
    for api in crate::authorization_details::audiences(details, apis) {
        if !audience.contains(&api) {
            audience.push(api);
        }
    }
    Ok(audience)
}

/// RFC 9101 §5.2 (with RFC 9126 §4 and allow-listed origins taken earlier): any other
/// `request_uri` is not fetched.
fn check_no_request_uri<'a>(
    single: &impl Fn(&'static str) -> Checked<Option<&'a str>>,
) -> Checked<()> {
    if single("request_uri")?.is_some() {
        let text = "only request_uri values from the pushed authorization request endpoint or an \
                    allow-listed origin are accepted";
        return Err((ErrorCode::RequestUriNotSupported, text.into()));
    }
    Ok(())
}

/// RFC 9449 §10: `dpop_jkt` is a JWK SHA-256 thumbprint, base64url (43 characters).
fn check_dpop_jkt(value: Option<&str>) -> Checked<Option<String>> {
    match value {
        None => Ok(None),
        Some(jkt) if is_s256_challenge(jkt) => Ok(Some(jkt.to_owned())),
        Some(_) => Err((
            ErrorCode::InvalidRequest,
            "dpop_jkt is not a base64url SHA-256 thumbprint".into(),
        )),
    }
}

/// Only `code` (OAuth 2.1 and RFC 9700 §2.1.2 drop the implicit and hybrid flows).
fn check_response_type(value: Option<&str>) -> Checked<()> {
    match value {
        Some("code") => Ok(()),
        Some(_) => {
            Err((ErrorCode::UnsupportedResponseType, "only response_type=code is supported".into()))
        }
        None => Err((ErrorCode::InvalidRequest, "response_type is missing".into())),
    }
}

/// RFC 6749 §3.3: every requested scope must be allowed for the client, or defined by an
/// open API.
fn check_scope(client: &Client, apis: &[Api], value: Option<&str>) -> Checked<Vec<String>> {
    let scope = parse_scope(value.unwrap_or(""))
        .map_err(|_| (ErrorCode::InvalidScope, Cow::Borrowed("scope is malformed")))?;
    if let Some(extra) = scope.iter().find(|s| !crate::api::user_may_request(client, apis, s)) {
        return Err((
            ErrorCode::InvalidScope,
            Cow::Owned(format!("scope '{extra}' is not allowed")),
        ));
    }
    Ok(scope)
}

/// RFC 7636 §4.3 with RFC 9700 §2.1.1: only `S256`; required for public clients.
fn check_pkce(
    client: &Client,
    fapi2: bool,
    challenge: Option<&str>,
    method: Option<&str>,
) -> Checked<Option<String>> {
    match (challenge, method) {
        (Some(_), Some(m)) if m != "S256" => {
            Err((ErrorCode::InvalidRequest, "code_challenge_method must be S256".into()))
        }
        (Some(_), None) => Err((
            ErrorCode::InvalidRequest,
            "code_challenge_method is required (plain is not supported)".into(),
        )),
        (Some(c), Some(_)) if !is_s256_challenge(c) => Err((
            ErrorCode::InvalidRequest,
            "code_challenge is not a base64url SHA-256 value".into(),
        )),
        (Some(c), Some(_)) => Ok(Some(c.to_owned())),
        (None, Some(_)) => Err((ErrorCode::InvalidRequest, "code_challenge is missing".into())),
        // OAuth 2.1 §4.1.1, RFC 9700 §2.1.1: PKCE for every client, unless an operator let a
        // legacy confidential client off (never a public one, RFC 7636 §4.4.1).
        // FAPI 2.0 SP §5.3.2.2 item 5: never for a FAPI 2.0 client.
        (None, None)
            if client.auth_method != AuthMethod::None
                && client.metadata.pkce_optional
                && !fapi2 =>
        {
            Ok(None)
        }
        (None, None) => {
            Err((ErrorCode::InvalidRequest, "PKCE (code_challenge with S256) is required".into()))
        }
    }
}

/// A base64url SHA-256 digest is 43 characters of the unreserved alphabet (RFC 7636 §4.2).
fn is_s256_challenge(value: &str) -> bool {
    value.len() == 43 && value.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// OIDC Core §3.1.2.1: space-separated values; `none` with any other is an error.
/// Initiating User Registration 1.0 §4.1: `create` when sign-up is on; a value the provider
/// does not support (not in `prompt_values_supported`) is `invalid_request`.
fn check_prompt(value: Option<&str>, create: bool) -> Checked<Vec<Prompt>> {
    let mut prompts = Vec::new();
    for word in value.unwrap_or("").split(' ').filter(|w| !w.is_empty()) {
        let p = match word {
            "none" => Prompt::None,
            "login" => Prompt::Login,
            "consent" => Prompt::Consent,
            "select_account" => Prompt::SelectAccount,
            "create" if create => Prompt::Create,
            _ => {
                return Err((
                    ErrorCode::InvalidRequest,
                    Cow::Owned(format!("unknown prompt '{word}'")),
                ));
            }
        };
        if !prompts.contains(&p) {
            prompts.push(p);
        }
    }
    if prompts.contains(&Prompt::None) && prompts.len() > 1 {
        return Err((
            ErrorCode::InvalidRequest,
            "prompt=none cannot be combined with other values".into(),
        ));
    }
    Ok(prompts)
}

/// OIDC Core §3.1.2.1: `max_age` is a non-negative number of seconds.
fn check_max_age(value: Option<&str>) -> Checked<Option<i64>> {
    value
        .map(|v| v.parse::<i64>().ok().filter(|n| *n >= 0))
        .map(|v| {
            v.ok_or((
                ErrorCode::InvalidRequest,
                Cow::Borrowed("max_age must be a non-negative integer"),
            ))
        })
        .transpose()
}

/// OIDC Core §5.5: a JSON object whose `userinfo` and `id_token` members are objects.
fn check_claims(value: Option<&str>) -> Checked<Option<String>> {
    let Some(text) = value else { return Ok(None) };
    let bad = || {
        (ErrorCode::InvalidRequest, Cow::Borrowed("claims must be a JSON object (OIDC Core §5.5)"))
    };
    let parsed: serde_json::Value = serde_json::from_str(text).map_err(|_| bad())?;
    let object = parsed.as_object().ok_or_else(bad)?;
    for member in ["userinfo", "id_token"] {
        if object.get(member).is_some_and(|m| !m.is_object()) {
            return Err(bad());
        }
    }
    Ok(Some(text.to_owned()))
}

/// OIDC Core §3.1.2.2 and §5.5.1: a `sub` requested with a `value` names the one user the
/// response may be about; the flow then treats it like the `sub` of an `id_token_hint`.
fn requested_sub(claims: Option<&str>) -> Checked<Option<String>> {
    let Some(text) = claims else { return Ok(None) };
    let parsed: serde_json::Value = serde_json::from_str(text)
        .map_err(|_| (ErrorCode::InvalidRequest, Cow::Borrowed("claims must be a JSON object")))?;
    let mut subs = ["id_token", "userinfo"]
        .iter()
        .filter_map(|member| parsed.get(member)?.get("sub")?.get("value"))
        .map(|value| value.as_str().map(str::to_owned));
    let bad =
        || (ErrorCode::InvalidRequest, Cow::Borrowed("the requested sub value must be one string"));
    match (subs.next(), subs.next()) {
        (None, _) => Ok(None),
        (Some(Some(a)), None) => Ok(Some(a)),
        (Some(Some(a)), Some(Some(b))) if a == b => Ok(Some(a)),
        _ => Err(bad()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oidc_core_3_1_2_1_prompt_none_cannot_be_combined() {
        assert!(check_prompt(Some("none login"), false).is_err());
        assert_eq!(check_prompt(Some("login consent"), false).ok().map(|p| p.len()), Some(2));
        assert!(check_prompt(Some("bogus"), false).is_err());
    }

    #[test]
    fn prompt_create_4_1_create_only_when_sign_up_is_on_and_never_with_none() {
        assert!(check_prompt(Some("create"), false).is_err(), "not in prompt_values_supported");
        assert_eq!(check_prompt(Some("create"), true).ok(), Some(vec![Prompt::Create]));
        assert!(check_prompt(Some("none create"), true).is_err());
    }

    #[test]
    fn oidc_core_3_1_2_1_max_age_is_non_negative() {
        assert_eq!(check_max_age(Some("0")).ok(), Some(Some(0)));
        assert!(check_max_age(Some("-1")).is_err());
        assert!(check_max_age(Some("soon")).is_err());
    }

    #[test]
    fn oidc_core_5_5_1_a_requested_sub_value_is_read_from_either_member() {
        let both = r#"{"id_token":{"sub":{"value":"u1"}},"userinfo":{"sub":{"value":"u1"}}}"#;
        assert_eq!(requested_sub(Some(both)).ok().flatten().as_deref(), Some("u1"));
        let none = r#"{"id_token":{"sub":{"essential":true}}}"#;
        assert_eq!(requested_sub(Some(none)).ok(), Some(None));
        let differ = r#"{"id_token":{"sub":{"value":"u1"}},"userinfo":{"sub":{"value":"u2"}}}"#;
        assert!(requested_sub(Some(differ)).is_err());
        assert!(requested_sub(Some(r#"{"id_token":{"sub":{"value":7}}}"#)).is_err());
    }

    #[test]
    fn oidc_core_5_5_claims_must_be_an_object() {
        assert!(check_claims(Some(r#"{"userinfo":{"email":{"essential":true}}}"#)).is_ok());
        assert!(check_claims(Some("[1]")).is_err());
        assert!(check_claims(Some(r#"{"id_token":3}"#)).is_err());
    }

    #[test]
    fn rfc7636_4_2_s256_challenge_shape() {
        assert!(is_s256_challenge("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"));
        assert!(!is_s256_challenge("short"));
    }
}
