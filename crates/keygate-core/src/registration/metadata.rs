//! Client metadata (RFC 7591 §2, OIDC Registration §2) mapped onto Keygate's client model, and
//! back into the client information response (RFC 7591 §3.2.1, RFC 7592 §3).

use keygate_types::{ClientInformation, ClientMetadataRequest};

use super::RegistrationError;
use crate::client::{AuthMethod, Client, ClientMetadata, ClientSpec, ClientType, GrantType};
use crate::keys::SigningAlg;
use crate::secret::Secret;

/// Maps a request onto a client type and the metadata to build client `client_id` from.
/// `scope_allowed` says which scopes may be registered. Every problem is reported at once:
/// redirect URI problems as `invalid_redirect_uri`, the rest as `invalid_client_metadata`
/// (RFC 7591 §3.2.2). The result still goes through [`crate::client::validate_client`].
pub(super) fn requested(
    req: &ClientMetadataRequest,
    client_id: &str,
    scope_allowed: impl Fn(&str) -> bool,
) -> Result<(ClientType, ClientSpec), RegistrationError> {
    let mut problems = Vec::new();
    let auth_method = auth_method(present(&req.token_endpoint_auth_method), &mut problems);
    let grants = grant_types(list(&req.grant_types), &mut problems);
    check_response_types(list(&req.response_types), &grants, &mut problems);
    let native = match present(&req.application_type).as_deref() {
        None | Some("web") => false,
        Some("native") => true,
        Some(other) => {
            problems.push(format!("application_type '{other}' is not web or native"));
            false
        }
    };
    let client_type = client_type(auth_method, &grants, native, &mut problems);
    let scopes = present(&req.scope).map(|scope| scopes(&scope, &scope_allowed, &mut problems));
    let id_token_alg = present(&req.id_token_signed_response_alg).and_then(|alg| {
        alg.parse::<SigningAlg>()
            .map_err(|e| problems.push(format!("id_token_signed_response_alg: {e}")))
            .ok()
    });
    if !problems.is_empty() {
        return Err(RegistrationError::InvalidClientMetadata(problems.join("; ")));
    }
    let redirect_uris = list(&req.redirect_uris);
    let post_logout_redirect_uris = list(&req.post_logout_redirect_uris);
    check_redirect_uris(&redirect_uris, &post_logout_redirect_uris, client_type, &grants)?;
    let spec = ClientSpec {
        // RFC 7591 §2: `client_name` is optional; Keygate needs a name, so the id stands in.
        name: Some(present(&req.client_name).unwrap_or_else(|| client_id.to_owned())),
        redirect_uris: Some(redirect_uris),
        post_logout_redirect_uris: Some(post_logout_redirect_uris),
        grant_types: Some(grants),
        scopes,
        // No API audiences and never first party: an operator grants those, not a registrant.
        resources: Some(Vec::new()),
        auth_method: Some(auth_method),
        first_party: Some(false),
        id_token_alg,
        backchannel_logout_uri: present(&req.backchannel_logout_uri),
        metadata: Some(ClientMetadata {
            logo_uri: present(&req.logo_uri),
            client_uri: present(&req.client_uri),
            policy_uri: present(&req.policy_uri),
            tos_uri: present(&req.tos_uri),
            contacts: list(&req.contacts).into_iter().filter(|c| !c.trim().is_empty()).collect(),
            jwks_uri: present(&req.jwks_uri),
            jwks: req.jwks.clone().filter(|v| !v.is_null()),
            require_pushed_authorization_requests: req
                .require_pushed_authorization_requests
                .unwrap_or(false),
            require_signed_request_object: req.require_signed_request_object.unwrap_or(false),
            request_object_signing_alg: present(&req.request_object_signing_alg),
            dpop_bound_access_tokens: req.dpop_bound_access_tokens.unwrap_or(false),
            ..ClientMetadata::default()
        }),
    };
    Ok((client_type, spec))
}

/// A string member; empty counts as omitted (RFC 7592 §2.2: omitted means null or empty).
fn present(value: &Option<String>) -> Option<String> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned)
}

/// An array member; `null` or absent is empty.
fn list(value: &Option<Vec<String>>) -> Vec<String> {
    value.clone().unwrap_or_default()
}

/// RFC 7591 §2 `token_endpoint_auth_method`, `client_secret_basic` when omitted.
/// `private_key_jwt` (RFC 7523 §2.2) needs the client's keys as `jwks`, which
/// [`crate::client::validate_client`] checks; such a client gets no secret.
fn auth_method(value: Option<String>, problems: &mut Vec<String>) -> AuthMethod {
    match value.as_deref().unwrap_or("client_secret_basic") {
        "client_secret_basic" => AuthMethod::ClientSecretBasic,
        "client_secret_post" => AuthMethod::ClientSecretPost,
        "private_key_jwt" => AuthMethod::PrivateKeyJwt,
        "none" => AuthMethod::None,
        other => {
            problems.push(format!("token_endpoint_auth_method '{other}' is not supported"));
            AuthMethod::ClientSecretBasic
        }
    }
}

/// RFC 7591 §2 `grant_types`, `authorization_code` when omitted; duplicates collapse.
fn grant_types(values: Vec<String>, problems: &mut Vec<String>) -> Vec<GrantType> {
    if values.is_empty() {
        return vec![GrantType::AuthorizationCode];
    }
    let mut grants = Vec::new();
    for value in values {
        match value.parse::<GrantType>() {
            Ok(grant) if !grants.contains(&grant) => grants.push(grant),
            Ok(_) => {}
            Err(_) => problems.push(format!(
                "grant type '{value}' is not supported (authorization_code, refresh_token, \
                 client_credentials)"
            )),
        }
    }
    grants
}

/// RFC 7591 §2: only `code` (no implicit or hybrid flows). §2.1: `code` goes with the
/// `authorization_code` grant, both ways, so a client cannot register an inconsistent pair.
/// Omitted, the response types follow from the grant types.
fn check_response_types(values: Vec<String>, grants: &[GrantType], problems: &mut Vec<String>) {
    if values.is_empty() {
        return;
    }
    for value in values.iter().filter(|v| *v != "code") {
        problems.push(format!("response type '{value}' is not supported (only code)"));
    }
    let code = values.iter().any(|v| v == "code");
    if code != grants.contains(&GrantType::AuthorizationCode) {
        problems.push(
            "response_types code and grant_types authorization_code go together (RFC 7591 §2.1)"
                .to_owned(),
        );
    }
}

/// Keygate's client type: no authentication is a public client (native or single-page);
/// only `client_credentials` is machine to machine; anything else is a web application.
/// A native application is registered as a public client (RFC 8252 §8.4).
fn client_type(
    auth: AuthMethod,
    grants: &[GrantType],
    native: bool,
    problems: &mut Vec<String>,
) -> ClientType {
    match auth {
        AuthMethod::None if native => ClientType::Native,
        AuthMethod::None => ClientType::Spa,
        _ if native => {
            problems.push(
                "a native application is a public client: register it with \
                 token_endpoint_auth_method none (RFC 8252 §8.4)"
                    .to_owned(),
            );
            ClientType::Native
        }
        _ if grants == [GrantType::ClientCredentials] => ClientType::M2m,
        _ => ClientType::Web,
    }
}

/// RFC 6749 §3.3 scope syntax; only the scopes `allowed` may be registered (RFC 7591 §2 lets
/// the server refuse requested values).
fn scopes(scope: &str, allowed: &impl Fn(&str) -> bool, problems: &mut Vec<String>) -> Vec<String> {
    let Ok(scopes) = crate::scope::parse_scope(scope) else {
        problems.push("scope contains a character RFC 6749 §3.3 does not allow".to_owned());
        return Vec::new();
    };
    for refused in scopes.iter().filter(|s| !allowed(s)) {
        problems.push(format!("scope '{refused}' cannot be registered dynamically"));
    }
    scopes
}

/// RFC 7591 §2: clients of redirect-based flows register their redirect URIs; each must pass
/// Keygate's rules for the client type (RFC 6749 §3.1.2, RFC 8252 §7, RFC 9700 §2.1). So must
/// the post-logout redirect URIs. Problems are `invalid_redirect_uri` (RFC 7591 §3.2.2).
fn check_redirect_uris(
    redirect_uris: &[String],
    post_logout: &[String],
    client_type: ClientType,
    grants: &[GrantType],
) -> Result<(), RegistrationError> {
    let mut problems = Vec::new();
    if grants.contains(&GrantType::AuthorizationCode) && redirect_uris.is_empty() {
        problems.push("redirect_uris is required for the authorization_code grant".to_owned());
    }
    for uri in redirect_uris.iter().chain(post_logout) {
        if let Err(p) = crate::redirect::validate_redirect_uri(uri, client_type) {
            problems.push(p);
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(RegistrationError::InvalidRedirectUri(problems.join("; ")))
    }
}

/// The client information response: all registered metadata, including what Keygate set
/// itself (RFC 7591 §3.2.1), and the management credentials (RFC 7592 §3). `secret` is sent
/// only when issued now; `client_secret_expires_at` is 0 (never) for clients with a secret.
pub(super) fn information(
    client: &Client,
    issuer: &str,
    registration_access_token: &str,
    secret: Option<&Secret>,
) -> ClientInformation {
    let code = client.allows_grant(GrantType::AuthorizationCode);
    let m = &client.metadata;
    ClientInformation {
        client_id: client.client_id.clone(),
        client_secret: secret.map(|s| s.expose_secret().to_owned()),
        client_id_issued_at: client.created_at,
        client_secret_expires_at: client.secret_hash.is_some().then_some(0),
        registration_access_token: registration_access_token.to_owned(),
        registration_client_uri: super::configuration_uri(issuer, &client.client_id),
        client_name: client.name.clone(),
        redirect_uris: client.redirect_uris.clone(),
        token_endpoint_auth_method: client.auth_method.as_str().to_owned(),
        grant_types: client.grant_types.iter().map(|g| g.as_str().to_owned()).collect(),
        response_types: if code { vec!["code".to_owned()] } else { Vec::new() },
        scope: (!client.scopes.is_empty()).then(|| client.scopes.join(" ")),
        application_type: match client.client_type {
            ClientType::Native => "native",
            _ => "web",
        }
        .to_owned(),
        post_logout_redirect_uris: client.post_logout_redirect_uris.clone(),
        backchannel_logout_uri: client.backchannel_logout_uri.clone(),
        id_token_signed_response_alg: client.id_token_alg.map(|a| a.as_str().to_owned()),
        client_uri: m.client_uri.clone(),
        logo_uri: m.logo_uri.clone(),
        tos_uri: m.tos_uri.clone(),
        policy_uri: m.policy_uri.clone(),
        contacts: m.contacts.clone(),
        jwks_uri: m.jwks_uri.clone(),
        jwks: m.jwks.clone(),
        require_pushed_authorization_requests: m.require_pushed_authorization_requests,
        require_signed_request_object: m.require_signed_request_object,
        request_object_signing_alg: m.request_object_signing_alg.clone(),
        dpop_bound_access_tokens: m.dpop_bound_access_tokens,
    }
}
