//! Provider metadata (OpenID Connect Discovery 1.0 §3, RFC 8414 §2). Only what Keygate
//! implements is advertised: grow this document with each endpoint, never ahead of it.

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use keygate_core::Settings;
use keygate_core::keys::SigningAlg;
use keygate_types::ProviderMetadata;

use super::paths;
use crate::state::AppState;

/// The metadata document for the issuer of `settings`.
pub fn metadata(settings: &Settings) -> ProviderMetadata {
    let issuer = settings.issuer.as_str();
    let url = |path: &str| format!("{issuer}{path}");
    let secret_methods =
        || strings(&["client_secret_basic", "client_secret_post", "private_key_jwt"]);
    ProviderMetadata {
        issuer: issuer.to_owned(),
        authorization_endpoint: Some(url(paths::AUTHORIZE)),
        userinfo_endpoint: Some(url(paths::USERINFO)),
        end_session_endpoint: Some(url(paths::END_SESSION)),
        backchannel_logout_supported: true,
        backchannel_logout_session_supported: true,
        token_endpoint: url(paths::TOKEN),
        jwks_uri: url(paths::JWKS),
        introspection_endpoint: url(paths::INTROSPECT),
        revocation_endpoint: url(paths::REVOKE),
        // RFC 8414 §2: advertised only when dynamic registration (RFC 7591 §3) is enabled.
        registration_endpoint: settings.registration.enabled.then(|| url(paths::REGISTER)),
        device_authorization_endpoint: Some(url(paths::DEVICE_AUTHORIZATION)),
        pushed_authorization_request_endpoint: Some(url(paths::PUSHED_AUTHORIZATION_REQUEST)),
        require_pushed_authorization_requests: settings.requests.require_pushed,
        client_id_metadata_document_supported: settings.client_metadata_documents.enabled,
        // Filled in from the page catalogs by `AppState::new`.
        ui_locales_supported: Vec::new(),
        claims_locales_supported: Vec::new(),
        scopes_supported: strings(keygate_core::scope::STANDARD_SCOPES),
        response_types_supported: strings(&["code"]),
        response_modes_supported: strings(&["query", "form_post"]),
        grant_types_supported: strings(&keygate_core::client::GrantType::ALL.map(|g| g.as_str())),
        code_challenge_methods_supported: strings(&["S256"]),
        // Initiating User Registration §4.2: `create` only when sign-up is on.
        prompt_values_supported: if settings.signup.enabled() {
            strings(&["none", "login", "consent", "select_account", "create"])
        } else {
            strings(&["none", "login", "consent", "select_account"])
        },
        claims_supported: strings(keygate_core::claims::SUPPORTED_CLAIMS),
        acr_values_supported: strings(&keygate_core::authorize::acr::ACR_VALUES_SUPPORTED),
        claims_parameter_supported: true,
        request_parameter_supported: true,
        request_object_signing_alg_values_supported: strings(
            &keygate_core::authorize::REQUEST_OBJECT_ALGS,
        ),
        require_signed_request_object: settings.requests.require_signed,
        dpop_signing_alg_values_supported: strings(&keygate_core::dpop::DPOP_ALGS),
        request_uri_parameter_supported: !settings.requests.request_uri_origins.is_empty(),
        authorization_response_iss_parameter_supported: true,
        token_endpoint_auth_methods_supported: secret_methods(),
        token_endpoint_auth_signing_alg_values_supported: strings(ASSERTION_ALGS),
        // Filled per request from the registered APIs (see `get`).
        authorization_details_types_supported: Vec::new(),
        introspection_endpoint_auth_methods_supported: secret_methods(),
        introspection_endpoint_auth_signing_alg_values_supported: strings(ASSERTION_ALGS),
        revocation_endpoint_auth_methods_supported: secret_methods(),
        revocation_endpoint_auth_signing_alg_values_supported: strings(ASSERTION_ALGS),
        subject_types_supported: vec!["public".to_owned()],
        id_token_signing_alg_values_supported: SigningAlg::ALL
            .iter()
            .map(|a| a.as_str().to_owned())
            .collect(),
    }
}

/// Algorithms accepted for `private_key_jwt` client assertions (asymmetric only).
const ASSERTION_ALGS: &[&str] = &["RS256", "PS256", "ES256", "EdDSA"];

fn strings(values: &[&str]) -> Vec<String> {
    values.iter().map(|v| (*v).to_owned()).collect()
}

/// `GET /.well-known/openid-configuration` and `/.well-known/oauth-authorization-server`.
/// The document is prepared once; only when APIs define RFC 9396 types is it rebuilt to list
/// them in `authorization_details_types_supported` (RFC 9396 §10).
pub async fn get(State(state): State<AppState>) -> impl IntoResponse {
    let types = match state.provider.apis().await {
        Ok(apis) => keygate_core::authorization_details::supported_types(&apis),
        Err(e) => {
            tracing::warn!(error = %e, "discovery: APIs unavailable, types not listed");
            Vec::new()
        }
    };
    let body = if types.is_empty() {
        state.discovery_json.to_string()
    } else {
        let mut document = metadata(state.provider.settings());
        document.authorization_details_types_supported = types;
        serde_json::to_string(&document).unwrap_or_else(|_| state.discovery_json.to_string())
    };
    (
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "public, max-age=300"),
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
        ],
        body,
    )
}
