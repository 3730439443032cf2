//! The FAPI 2.0 Security Profile (FAPI 2.0 SP §5.3): the authorization server's requirements,
//! enforced together for a client with `fapi2` (or all, with `[requests] profile = "fapi2"`).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use keygate_core::Clock as _;
use keygate_core::client::{AuthMethod, ClientMetadata, ClientSpec, ClientType, GrantType};
use keygate_core::jwt::sign_jwt;
use keygate_core::keys::{KeyPair, SigningAlg};
use keygate_testkit::{
    Backend, Browser, DpopKey, REDIRECT_URI, TestApp, location, pkce, query_param,
};
use serde_json::{Value, json};

const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

fn spec(key: &KeyPair, auth: AuthMethod, alg: SigningAlg) -> ClientSpec {
    ClientSpec {
        name: Some("Bank app".into()),
        scopes: Some(vec!["openid".into(), "offline_access".into()]),
        redirect_uris: Some(vec![REDIRECT_URI.into()]),
        grant_types: Some(vec![GrantType::AuthorizationCode, GrantType::RefreshToken]),
        auth_method: Some(auth),
        id_token_alg: Some(alg),
        metadata: Some(ClientMetadata {
            jwks: Some(json!({ "keys": [key.public_jwk()] })),
            fapi2: true,
            ..Default::default()
        }),
        ..Default::default()
    }
}

async fn fapi_client(app: &TestApp, key: &KeyPair) -> String {
    let new = keygate_core::admin::NewClient {
        client_type: ClientType::Web,
        client_id: None,
        secret: None,
        spec: spec(key, AuthMethod::PrivateKeyJwt, SigningAlg::ES256),
    };
    app.admin().create_client(new).await.unwrap().0.client_id
}

fn assertion(app: &TestApp, key: &KeyPair, client_id: &str, aud: &str) -> String {
    let now = app.clock.now();
    let claims = json!({ "iss": client_id, "sub": client_id, "aud": aud, "exp": now + 60,
        "iat": now, "jti": keygate_core::secret::random_id() });
    sign_jwt(key, "JWT", &claims).unwrap()
}

async fn post(
    app: &TestApp,
    path: &str,
    form: &[(&str, &str)],
    dpop: Option<&str>,
) -> (u16, Value) {
    let mut request = app.http.post(app.url(path)).form(form);
    if let Some(proof) = dpop {
        request = request.header("dpop", proof);
    }
    let reply = request.send().await.unwrap();
    (reply.status().as_u16(), reply.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn fapi2_sp_5_3_a_fapi_client_pushes_authenticates_with_a_key_and_gets_bound_tokens() {
    let app = TestApp::spawn().await;
    app.user("ada").await;
    let (key, _) = KeyPair::generate(SigningAlg::ES256).unwrap();
    let id = fapi_client(&app, &key).await;
    let (verifier, challenge) = pkce();
    // §5.3.2.2 item 1: pushed requests only.
    let mut direct = url::Url::parse(&app.url("/authorize")).unwrap();
    direct.query_pairs_mut().extend_pairs([
        ("response_type", "code"),
        ("client_id", &id),
        ("redirect_uri", REDIRECT_URI),
        ("scope", "openid"),
        ("code_challenge", &challenge),
        ("code_challenge_method", "S256"),
    ]);
    let browser = Browser::new();
    let callback = location(&browser.get(direct.as_str()).await);
    assert_eq!(query_param(&callback, "error").as_deref(), Some("invalid_request"));
    // §5.3.2.1 item 8: the assertion's aud is the issuer, and only the issuer.
    let pushed = |jwt: String| {
        let form = vec![
            ("response_type", "code".to_owned()),
            ("client_id", id.clone()),
            ("redirect_uri", REDIRECT_URI.to_owned()),
            ("scope", "openid offline_access".to_owned()),
            ("code_challenge", challenge.clone()),
            ("code_challenge_method", "S256".to_owned()),
            ("client_assertion_type", JWT_BEARER.to_owned()),
            ("client_assertion", jwt),
        ];
        form
    };
    let form = pushed(assertion(&app, &key, &id, &app.url("/par")));
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, body) = post(&app, "/par", &form, None).await;
    assert_eq!((status, body["error"].as_str()), (401, Some("invalid_client")), "{body}");
    let form = pushed(assertion(&app, &key, &id, &app.issuer));
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, body) = post(&app, "/par", &form, None).await;
    assert_eq!(status, 201, "{body}");
    let mut url = url::Url::parse(&app.url("/authorize")).unwrap();
    url.query_pairs_mut()
        .append_pair("client_id", &id)
        .append_pair("request_uri", body["request_uri"].as_str().unwrap());
    let client = keygate_testkit::TestClient {
        id: id.clone(),
        secret: String::new(),
        redirect_uri: REDIRECT_URI.to_owned(),
    };
    let callback = app.walk_to_callback(&browser, &client, "ada", url.as_str()).await;
    assert_eq!(query_param(&callback, "iss").as_deref(), Some(app.issuer.as_str()), "item 2");
    let code = query_param(&callback, "code").unwrap();
    // §5.3.2.1 item 3 (sender-constrained tokens): DPoP, the only method offered.
    let token_form = |jwt: &str| {
        vec![
            ("grant_type", "authorization_code".to_owned()),
            ("code", code.clone()),
            ("redirect_uri", REDIRECT_URI.to_owned()),
            ("code_verifier", verifier.clone()),
            ("client_assertion_type", JWT_BEARER.to_owned()),
            ("client_assertion", jwt.to_owned()),
        ]
    };
    let form = token_form(&assertion(&app, &key, &id, &app.issuer));
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, body) = post(&app, "/token", &form, None).await;
    assert_eq!((status, body["error"].as_str()), (400, Some("invalid_dpop_proof")), "{body}");
    let dpop = DpopKey::new(SigningAlg::ES256);
    let proof = dpop.proof("POST", &app.url("/token"), app.clock.now(), None);
    let form = token_form(&assertion(&app, &key, &id, &app.issuer));
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, body) = post(&app, "/token", &form, Some(&proof)).await;
    assert_eq!((status, body["token_type"].as_str()), (200, Some("DPoP")), "{body}");
    // §5.4.1: ID token and access token signed with ES256, not RS256.
    for token in ["id_token", "access_token"] {
        let header = body[token].as_str().unwrap().split('.').next().unwrap();
        let header: Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).unwrap()).unwrap();
        assert_eq!(header["alg"], "ES256", "{token}");
    }
    // §5.3.2.1 item 10: no refresh token rotation: a client that lost an answer retries with
    // the same refresh token, and no new one is issued.
    let refresh_token = body["refresh_token"].as_str().unwrap().to_owned();
    for _ in 0..2 {
        let proof = dpop.proof("POST", &app.url("/token"), app.clock.now(), None);
        let jwt = assertion(&app, &key, &id, &app.issuer);
        let form = [
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token.as_str()),
            ("client_assertion_type", JWT_BEARER),
            ("client_assertion", jwt.as_str()),
        ];
        let (status, body) = post(&app, "/token", &form, Some(&proof)).await;
        assert_eq!((status, body["token_type"].as_str()), (200, Some("DPoP")), "{body}");
        assert!(body["refresh_token"].is_null(), "not rotated: {body}");
    }
}

#[tokio::test]
async fn fapi2_sp_5_3_2_a_fapi_registration_that_misses_a_requirement_is_refused_with_each() {
    let app = TestApp::spawn().await;
    let (key, _) = KeyPair::generate(SigningAlg::ES256).unwrap();
    let mut wrong = spec(&key, AuthMethod::ClientSecretBasic, SigningAlg::RS256);
    wrong.redirect_uris = Some(vec!["http://127.0.0.1/callback".into()]);
    let new = keygate_core::admin::NewClient {
        client_type: ClientType::Web,
        client_id: None,
        secret: None,
        spec: wrong,
    };
    let refused = app.admin().create_client(new).await.unwrap_err().to_string();
    for words in ["private_key_jwt", "https", "ES256 or EdDSA"] {
        assert!(refused.contains(words), "{words}: {refused}");
    }
}

#[tokio::test]
async fn fapi2_sp_5_3_2_1_under_the_global_profile_a_secret_does_not_authenticate() {
    let adjust = |s: &mut keygate_core::Settings| s.requests.fapi2 = true;
    let app = TestApp::spawn_with(Backend::Sqlite, adjust).await.unwrap();
    let (id, secret) = app.m2m_client(&["read"], &[]).await;
    let reply = app
        .post_form(
            "/token",
            keygate_testkit::Auth::Basic(&id, &secret),
            &[("grant_type", "client_credentials")],
        )
        .await;
    reply.assert_oauth_error(400, "unauthorized_client");
}
