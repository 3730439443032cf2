//! Interop: the independent Rust `openidconnect` crate (v4) drives Keygate through discovery,
//! the code flow with PKCE, ID token validation (signature via JWKS, iss, aud, nonce, exp,
//! at_hash), userinfo and refresh.

use keygate_testkit::{Browser, TestApp, query_param};
use openidconnect::core::{
    CoreAuthenticationFlow, CoreClient, CoreProviderMetadata, CoreUserInfoClaims,
};
use openidconnect::{
    AccessTokenHash, AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl, Nonce,
    OAuth2TokenResponse, PkceCodeChallenge, RedirectUrl, Scope, TokenResponse,
};

/// The library's HTTP hook, over our reqwest (redirects off, as the library asks).
async fn http_client(
    request: openidconnect::HttpRequest,
) -> Result<openidconnect::HttpResponse, std::io::Error> {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(std::io::Error::other)?;
    let (parts, body) = request.into_parts();
    let mut builder = client.request(parts.method, parts.uri.to_string()).body(body);
    for (name, value) in &parts.headers {
        builder = builder.header(name, value);
    }
    let response = builder.send().await.map_err(std::io::Error::other)?;
    let mut out = http::Response::builder().status(response.status());
    for (name, value) in response.headers() {
        out = out.header(name, value);
    }
    let bytes = response.bytes().await.map_err(std::io::Error::other)?;
    out.body(bytes.to_vec()).map_err(std::io::Error::other)
}

#[tokio::test]
async fn openidconnect_crate_completes_discovery_code_flow_userinfo_and_refresh() {
    let app = TestApp::spawn_realtime().await;
    let registered = app.web_client(&["openid", "profile", "email", "offline_access"]).await;
    app.user("ada").await;

    let issuer = IssuerUrl::new(app.issuer.clone()).unwrap();
    let metadata =
        CoreProviderMetadata::discover_async(issuer, &http_client).await.expect("discovery");
    let client = CoreClient::from_provider_metadata(
        metadata,
        ClientId::new(registered.id.clone()),
        Some(ClientSecret::new(registered.secret.clone())),
    )
    .set_redirect_uri(RedirectUrl::new(registered.redirect_uri.clone()).unwrap());

    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (auth_url, state, nonce) = client
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .add_scope(Scope::new("profile".into()))
        .add_scope(Scope::new("email".into()))
        .add_scope(Scope::new("offline_access".into()))
        .set_pkce_challenge(challenge)
        .url();

    let callback =
        app.walk_to_callback(&Browser::new(), &registered, "ada", auth_url.as_str()).await;
    assert_eq!(query_param(&callback, "state").as_deref(), Some(state.secret().as_str()));
    assert_eq!(query_param(&callback, "iss").as_deref(), Some(app.issuer.as_str()));
    let code = query_param(&callback, "code").unwrap();

    let tokens = client
        .exchange_code(AuthorizationCode::new(code))
        .unwrap()
        .set_pkce_verifier(verifier)
        .request_async(&http_client)
        .await
        .expect("code exchange");
    let id_token = tokens.id_token().expect("an ID token");
    let verifier = client.id_token_verifier();
    let claims = id_token.claims(&verifier, &nonce).expect("the ID token validates");
    assert_eq!(claims.email().map(|e| e.as_str()), Some("ada@example.com"));
    let expected_hash = claims.access_token_hash().expect("at_hash");
    let computed = AccessTokenHash::from_token(
        tokens.access_token(),
        id_token.signing_alg().unwrap(),
        id_token.signing_key(&verifier).unwrap(),
    )
    .unwrap();
    assert_eq!(&computed, expected_hash);

    let userinfo: CoreUserInfoClaims = client
        .user_info(tokens.access_token().clone(), None)
        .unwrap()
        .request_async(&http_client)
        .await
        .expect("userinfo");
    assert_eq!(userinfo.subject(), claims.subject());
    assert_eq!(userinfo.email().map(|e| e.as_str()), Some("ada@example.com"));

    let refreshed = client
        .exchange_refresh_token(tokens.refresh_token().expect("a refresh token"))
        .unwrap()
        .request_async(&http_client)
        .await
        .expect("refresh");
    assert_ne!(refreshed.access_token().secret(), tokens.access_token().secret());
    let new_refresh = refreshed.refresh_token().expect("a rotated refresh token");
    assert_ne!(new_refresh.secret(), tokens.refresh_token().unwrap().secret());
}
