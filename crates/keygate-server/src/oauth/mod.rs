//! The protocol endpoints, one file each.

pub mod authorize;
pub mod cors;
pub mod device;
pub mod discovery;
pub mod introspect;
pub mod jwks;
pub mod jwks_fetch;
pub mod logout;
pub mod par;
pub mod register;
pub mod revoke;
pub mod token;
pub mod upstream_http;
pub mod userinfo;

/// RFC 9449 §8.1–8.2: with `[dpop] require_nonce`, every token and pushed request response
/// carries a fresh `DPoP-Nonce` for the client's next proof.
pub(crate) fn dpop_nonce(state: &crate::state::AppState, response: &mut axum::response::Response) {
    if !state.provider.settings().dpop_require_nonce {
        return;
    }
    if let Ok(value) = axum::http::HeaderValue::from_str(&state.provider.dpop_nonce()) {
        response.headers_mut().insert("dpop-nonce", value);
    }
}

/// Endpoint paths below the issuer.
pub mod paths {
    /// OpenID Connect Discovery 1.0 §4.
    pub const OPENID_CONFIGURATION: &str = "/.well-known/openid-configuration";
    /// RFC 8414 §3.
    pub const OAUTH_METADATA: &str = "/.well-known/oauth-authorization-server";
    /// The JWK Set.
    pub const JWKS: &str = "/jwks";
    /// RFC 6749 §3.2.
    pub const TOKEN: &str = "/token";
    /// RFC 7662.
    pub const INTROSPECT: &str = "/introspect";
    /// RFC 7009.
    pub const REVOKE: &str = "/revoke";
    /// RFC 6749 §3.1.
    pub const AUTHORIZE: &str = "/authorize";
    /// RFC 9126 §2: the pushed authorization request endpoint.
    pub const PUSHED_AUTHORIZATION_REQUEST: &str = "/par";
    /// OIDC Core §5.3.
    pub const USERINFO: &str = "/userinfo";
    /// The login page.
    pub const LOGIN: &str = "/login";
    /// The login's second step: a code from an authenticator app or a recovery code.
    pub const LOGIN_MFA: &str = "/login/mfa";
    /// Sign-in with a passkey (the login page's passkey form posts here).
    pub const LOGIN_PASSKEY: &str = "/login/passkey";
    /// The login page's button for an upstream identity provider.
    pub const FEDERATION_START: &str = "/federation/{id}/start";
    /// The redirect URI Keygate registers at an upstream (one per upstream: RFC 9700 §4.4.2).
    pub const FEDERATION_CALLBACK: &str = "/federation/{id}/callback";
    /// Where an upstream's logout returns to.
    pub const FEDERATION_LOGGED_OUT: &str = "/federation/logged-out";
    /// "Forgot password?": the address form.
    pub const FORGOT: &str = "/forgot";
    /// The new-password form a reset link opens.
    pub const RESET: &str = "/reset";
    /// Self-service sign-up (Initiating User Registration 1.0).
    pub const SIGNUP: &str = "/signup";
    /// The link in an invitation.
    pub const SIGNUP_INVITE: &str = "/signup/invite";
    /// The link in the sign-up confirmation message.
    pub const SIGNUP_CONFIRM: &str = "/signup/confirm";
    /// The link in an address confirmation message.
    pub const VERIFY: &str = "/verify";
    /// Another confirmation link, from a sign-in refused for an unconfirmed address.
    pub const VERIFY_RESEND: &str = "/verify/resend";
    /// The consent page.
    pub const CONSENT: &str = "/consent";
    /// RP-Initiated Logout 1.0 §2.
    pub const END_SESSION: &str = "/logout";
    /// The logout confirmation form.
    pub const END_SESSION_CONFIRM: &str = "/logout/confirm";
    /// RFC 8628 §3.1: the device authorization endpoint.
    pub const DEVICE_AUTHORIZATION: &str = "/device_authorization";
    /// RFC 8628 §3.3: the verification page (`verification_uri`).
    pub const DEVICE: &str = "/device";
    /// The pages' assets: the stylesheet, the passkey script and a theme's files.
    pub const ASSET: &str = "/assets/{name}";
    /// RFC 7591 §3: the client registration endpoint.
    pub const REGISTER: &str = keygate_core::registration::REGISTRATION_PATH;
    /// RFC 7592 §2: the client configuration endpoint (`registration_client_uri`).
    pub const REGISTER_CLIENT: &str = "/register/{client_id}";
}
