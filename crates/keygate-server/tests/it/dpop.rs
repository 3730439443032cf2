//! DPoP: sender-constrained access tokens (RFC 9449).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use keygate_core::Clock as _;
use keygate_core::client::{AuthMethod, ClientType};
use keygate_core::keys::SigningAlg;
use keygate_testkit::{Auth, Backend, Browser, CodeResult, DpopKey, TestApp, TestClient, basic};
use serde_json::{Value, json};

/// A token request with `dpop` headers (none, one, or several).
async fn token_with(
    app: &TestApp,
    (id, secret): (&str, &str),
    form: &[(&str, &str)],
    dpop: &[&str],
) -> (u16, Value) {
    post_with(app, "/token", Some((id, secret)), form, dpop).await
}

/// A POST to `path`, with HTTP Basic when `credentials` are given, and `dpop` headers.
async fn post_with(
    app: &TestApp,
    path: &str,
    credentials: Option<(&str, &str)>,
    form: &[(&str, &str)],
    dpop: &[&str],
) -> (u16, Value) {
    let mut request = app.http.post(app.url(path));
    if let Some((id, secret)) = credentials {
        request = request.header("authorization", basic(id, secret));
    }
    for proof in dpop {
        request = request.header("dpop", *proof);
    }
    let reply = request.form(form).send().await.unwrap();
    let status = reply.status().as_u16();
    (status, reply.json().await.unwrap_or(Value::Null))
}

fn payload(jwt: &str) -> Value {
    let part = jwt.split('.').nth(1).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).unwrap()).unwrap()
}

async fn client_credentials(backend: Backend) {
    let Some(app) = TestApp::spawn_on(backend).await else { return };
    let (id, secret) = app.m2m_client(&["read"], &[]).await;
    let key = DpopKey::new(SigningAlg::ES256);
    let proof = key.proof("POST", &app.url("/token"), app.clock.now(), None);
    let form = [("grant_type", "client_credentials")];
    let (status, body) = token_with(&app, (&id, &secret), &form, &[&proof]).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["token_type"], "DPoP", "RFC 9449 §5");
    let token = body["access_token"].as_str().unwrap().to_owned();
    assert_eq!(payload(&token)["cnf"]["jkt"], key.jkt(), "RFC 9449 §6.1");
    // RFC 9449 §6.2: introspection tells a resource server the key and the type.
    let introspected = app
        .post_form("/introspect", Auth::Basic(&id, &secret), &[("token", &token)])
        .await
        .assert_ok();
    assert_eq!(introspected["token_type"], "DPoP");
    assert_eq!(introspected["cnf"]["jkt"], key.jkt());
    // RFC 9449 §11.1: a proof is used once, on every node.
    let (status, body) = token_with(&app, (&id, &secret), &form, &[&proof]).await;
    assert_eq!((status, body["error"].as_str()), (400, Some("invalid_dpop_proof")));
    // Without a proof, a bearer token as before.
    let (_, body) = token_with(&app, (&id, &secret), &form, &[]).await;
    assert_eq!(body["token_type"], "Bearer");
    assert!(payload(body["access_token"].as_str().unwrap()).get("cnf").is_none());
}

#[tokio::test]
async fn rfc9449_5_a_proof_at_the_token_endpoint_binds_the_access_token_sqlite() {
    client_credentials(Backend::Sqlite).await;
}

#[tokio::test]
async fn rfc9449_5_a_proof_at_the_token_endpoint_binds_the_access_token_postgres() {
    client_credentials(Backend::Postgres).await;
}

#[tokio::test]
async fn rfc9449_4_3_proofs_that_fail_a_check_are_invalid_dpop_proof() {
    let app = TestApp::spawn().await;
    let (id, secret) = app.m2m_client(&["read"], &[]).await;
    let key = DpopKey::new(SigningAlg::ES256);
    let other = DpopKey::new(SigningAlg::ES256);
    let now = app.clock.now();
    let htu = app.url("/token");
    let claims = |htm: &str, htu: &str, iat: i64| json!({ "jti": keygate_core::secret::random_id(), "htm": htm, "htu": htu, "iat": iat });
    let mut private_header = key.header();
    private_header["jwk"]["d"] = json!("c2VjcmV0");
    let mut typ_header = key.header();
    typ_header["typ"] = json!("JWT");
    let mut hs_header = key.header();
    hs_header["alg"] = json!("HS256");
    let mut jwk_swapped = key.header();
    jwk_swapped["jwk"] = other.public_jwk();
    let cases: Vec<(&str, String)> = vec![
        ("wrong htm", key.proof("GET", &htu, now, None)),
        ("wrong htu", key.proof("POST", &app.url("/introspect"), now, None)),
        ("old iat", key.proof("POST", &htu, now - 301, None)),
        ("future iat", key.proof("POST", &htu, now + 120, None)),
        ("typ JWT", key.signed(typ_header, &claims("POST", &htu, now))),
        ("HS256", key.signed(hs_header, &claims("POST", &htu, now))),
        ("private jwk", key.signed(private_header, &claims("POST", &htu, now))),
        ("signed by another key", key.signed(jwk_swapped, &claims("POST", &htu, now))),
        ("no jti", key.signed(key.header(), &json!({"htm": "POST", "htu": htu, "iat": now}))),
        ("not a JWT", "dpop".to_owned()),
    ];
    let form = [("grant_type", "client_credentials")];
    for (case, proof) in cases {
        let (status, body) = token_with(&app, (&id, &secret), &form, &[&proof]).await;
        assert_eq!(status, 400, "{case}: {body}");
        assert_eq!(body["error"], "invalid_dpop_proof", "{case}");
    }
    let one = key.proof("POST", &htu, now, None);
    let two = key.proof("POST", &htu, now, None);
    let (status, body) = token_with(&app, (&id, &secret), &form, &[&one, &two]).await;
    assert_eq!((status, body["error"].as_str()), (400, Some("invalid_dpop_proof")), "§4.3 step 1");
}

#[tokio::test]
async fn rfc9449_7_1_userinfo_takes_a_bound_token_with_the_dpop_scheme_and_a_proof() {
    let app = TestApp::spawn().await;
    let client = app.web_client(&["openid", "email"]).await;
    app.user("ada").await;
    let flow = app.code_flow(&Browser::new(), &client, "ada", "openid email").await;
    let key = DpopKey::new(SigningAlg::EdDSA);
    let form = [
        ("grant_type", "authorization_code"),
        ("code", flow.code.as_str()),
        ("redirect_uri", client.redirect_uri.as_str()),
        ("code_verifier", flow.verifier.as_str()),
    ];
    let proof = key.proof("POST", &app.url("/token"), app.clock.now(), None);
    let (status, body) = token_with(&app, (&client.id, &client.secret), &form, &[&proof]).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["token_type"], "DPoP");
    let token = body["access_token"].as_str().unwrap().to_owned();
    let userinfo = |scheme: &str, proof: Option<String>| {
        let mut request = app.http.get(app.url("/userinfo"));
        request = request.header("authorization", format!("{scheme} {token}"));
        if let Some(proof) = proof {
            request = request.header("dpop", proof);
        }
        request.send()
    };
    let now = app.clock.now();
    let userinfo_url = app.url("/userinfo");
    let good = key.proof("GET", &userinfo_url, now, Some(&token));
    let reply = userinfo("DPoP", Some(good)).await.unwrap();
    assert_eq!(reply.status(), 200);
    assert_eq!(reply.json::<Value>().await.unwrap()["email"], "ada@example.com");

    let challenge = |reply: &reqwest::Response| {
        reply.headers().get("www-authenticate").and_then(|v| v.to_str().ok()).map(str::to_owned)
    };
    // §7.2: a bound token presented as a bearer token is refused.
    let reply = userinfo("Bearer", None).await.unwrap();
    assert_eq!(reply.status(), 401);
    assert!(challenge(&reply).unwrap().contains("invalid_token"));
    // The DPoP scheme without a proof, with another key, or without ath.
    let other = DpopKey::new(SigningAlg::ES256);
    let cases = [
        ("no proof", None),
        ("another key", Some(other.proof("GET", &userinfo_url, now, Some(&token)))),
        ("no ath", Some(key.proof("GET", &userinfo_url, now, None))),
    ];
    for (case, proof) in cases {
        let reply = userinfo("DPoP", proof).await.unwrap();
        assert_eq!(reply.status(), 401, "{case}");
        let challenge = challenge(&reply).unwrap();
        assert!(challenge.starts_with("DPoP"), "{case}: {challenge}");
        assert!(challenge.contains("invalid_dpop_proof"), "{case}: {challenge}");
    }
}

#[tokio::test]
async fn rfc9449_5_2_a_client_registered_with_dpop_bound_access_tokens_must_send_a_proof() {
    let app = TestApp::spawn().await;
    let (id, secret) = app.m2m_client(&["read"], &[]).await;
    let mut metadata = app.admin().client(&id).await.unwrap().metadata;
    metadata.dpop_bound_access_tokens = true;
    let spec = keygate_core::client::ClientSpec { metadata: Some(metadata), ..Default::default() };
    app.admin().update_client(&id, spec).await.unwrap();
    let form = [("grant_type", "client_credentials")];
    let (status, body) = token_with(&app, (&id, &secret), &form, &[]).await;
    assert_eq!((status, body["error"].as_str()), (400, Some("invalid_dpop_proof")));
    let key = DpopKey::new(SigningAlg::RS256);
    let proof = key.proof("POST", &app.url("/token"), app.clock.now(), None);
    let (status, body) = token_with(&app, (&id, &secret), &form, &[&proof]).await;
    assert_eq!((status, body["token_type"].as_str()), (200, Some("DPoP")));
    let discovery = app.get("/.well-known/openid-configuration").await.json();
    assert_eq!(
        discovery["dpop_signing_alg_values_supported"],
        json!(["ES256", "RS256", "PS256", "EdDSA"])
    );
}

fn code_form<'a>(client: &'a TestClient, flow: &'a CodeResult) -> Vec<(&'a str, &'a str)> {
    vec![
        ("grant_type", "authorization_code"),
        ("code", flow.code.as_str()),
        ("redirect_uri", client.redirect_uri.as_str()),
        ("code_verifier", flow.verifier.as_str()),
    ]
}

#[tokio::test]
async fn rfc9449_10_a_code_bound_with_dpop_jkt_is_exchanged_with_a_proof_of_that_key() {
    let app = TestApp::spawn().await;
    let client = app.web_client(&["openid"]).await;
    app.user("ada").await;
    let key = DpopKey::new(SigningAlg::ES256);
    let other = DpopKey::new(SigningAlg::ES256);
    let jkt = key.jkt();
    let browser = Browser::new();
    let credentials = (client.id.as_str(), client.secret.as_str());
    let token_url = app.url("/token");
    for (case, proof) in [("no proof", None), ("another key", Some(&other))] {
        let flow =
            app.code_flow_with(&browser, &client, "ada", "openid", &[("dpop_jkt", &jkt)]).await;
        let proofs: Vec<String> =
            proof.map(|k| k.proof("POST", &token_url, app.clock.now(), None)).into_iter().collect();
        let proofs: Vec<&str> = proofs.iter().map(String::as_str).collect();
        let (status, body) =
            token_with(&app, credentials, &code_form(&client, &flow), &proofs).await;
        assert_eq!((status, body["error"].as_str()), (400, Some("invalid_dpop_proof")), "{case}");
    }
    let flow = app.code_flow_with(&browser, &client, "ada", "openid", &[("dpop_jkt", &jkt)]).await;
    let proof = key.proof("POST", &token_url, app.clock.now(), None);
    let (status, body) = token_with(&app, credentials, &code_form(&client, &flow), &[&proof]).await;
    assert_eq!((status, body["token_type"].as_str()), (200, Some("DPoP")), "{body}");
    // A malformed dpop_jkt is refused at /authorize, to the client.
    let (_, challenge) = keygate_testkit::pkce();
    let url = app.authorize_url(&client, "openid", &challenge, &[("dpop_jkt", "short")]);
    let callback = keygate_testkit::location(&browser.get(&url).await);
    assert_eq!(
        keygate_testkit::query_param(&callback, "error").as_deref(),
        Some("invalid_request")
    );
}

#[tokio::test]
async fn rfc9449_10_1_a_proof_sent_to_par_binds_the_code() {
    let app = TestApp::spawn().await;
    let client = app.web_client(&["openid"]).await;
    app.user("ada").await;
    let key = DpopKey::new(SigningAlg::ES256);
    let (verifier, challenge) = keygate_testkit::pkce();
    let form = [
        ("response_type", "code"),
        ("client_id", client.id.as_str()),
        ("redirect_uri", client.redirect_uri.as_str()),
        ("scope", "openid"),
        ("code_challenge", challenge.as_str()),
        ("code_challenge_method", "S256"),
    ];
    let credentials = Some((client.id.as_str(), client.secret.as_str()));
    let proof = key.proof("POST", &app.url("/par"), app.clock.now(), None);
    let (status, body) = post_with(&app, "/par", credentials, &form, &[&proof]).await;
    assert_eq!(status, 201, "{body}");
    let mut url = url::Url::parse(&app.url("/authorize")).unwrap();
    url.query_pairs_mut()
        .append_pair("client_id", &client.id)
        .append_pair("request_uri", body["request_uri"].as_str().unwrap());
    let callback = app.walk_to_callback(&Browser::new(), &client, "ada", url.as_str()).await;
    let code = keygate_testkit::query_param(&callback, "code").unwrap();
    let flow = CodeResult { code, verifier, callback };
    let credentials = (client.id.as_str(), client.secret.as_str());
    let (status, body) = token_with(&app, credentials, &code_form(&client, &flow), &[]).await;
    assert_eq!((status, body["error"].as_str()), (400, Some("invalid_dpop_proof")));
}

#[tokio::test]
async fn rfc9449_5_a_public_clients_refresh_token_is_bound_to_its_key() {
    let app = TestApp::spawn().await;
    let scopes = ["openid", "offline_access"];
    let spa = app.user_client(ClientType::Spa, AuthMethod::None, &scopes, false).await;
    app.user("ada").await;
    let flow = app.code_flow(&Browser::new(), &spa, "ada", "openid offline_access").await;
    let key = DpopKey::new(SigningAlg::ES256);
    let token_url = app.url("/token");
    let mut form = code_form(&spa, &flow);
    form.push(("client_id", spa.id.as_str()));
    let proof = key.proof("POST", &token_url, app.clock.now(), None);
    let (status, body) = post_with(&app, "/token", None, &form, &[&proof]).await;
    assert_eq!(status, 200, "{body}");
    let refresh_token = body["refresh_token"].as_str().unwrap().to_owned();
    let form = [
        ("grant_type", "refresh_token"),
        ("refresh_token", refresh_token.as_str()),
        ("client_id", spa.id.as_str()),
    ];
    let other = DpopKey::new(SigningAlg::ES256);
    let thief = other.proof("POST", &token_url, app.clock.now(), None);
    for proofs in [vec![], vec![thief.as_str()]] {
        let (status, body) = post_with(&app, "/token", None, &form, &proofs).await;
        assert_eq!((status, body["error"].as_str()), (400, Some("invalid_dpop_proof")));
    }
    // Those attempts did not burn it: the key's holder still refreshes.
    let proof = key.proof("POST", &token_url, app.clock.now(), None);
    let (status, body) = post_with(&app, "/token", None, &form, &[&proof]).await;
    assert_eq!((status, body["token_type"].as_str()), (200, Some("DPoP")), "{body}");
}

#[tokio::test]
async fn rfc9449_8_with_nonces_required_a_proof_carries_a_recent_nonce_from_keygate() {
    let adjust = |s: &mut keygate_core::Settings| s.dpop_require_nonce = true;
    let app = TestApp::spawn_with(Backend::Sqlite, adjust).await.unwrap();
    let (id, secret) = app.m2m_client(&["read"], &[]).await;
    let key = DpopKey::new(SigningAlg::ES256);
    let url = app.url("/token");
    let send = |proof: String| {
        app.http
            .post(app.url("/token"))
            .header("authorization", basic(&id, &secret))
            .header("dpop", proof)
            .form(&[("grant_type", "client_credentials")])
            .send()
    };
    // §8.1: no nonce: 400 use_dpop_nonce, with one to use.
    let refused = send(key.proof("POST", &url, app.clock.now(), None)).await.unwrap();
    assert_eq!(refused.status(), 400);
    let nonce = refused.headers()["dpop-nonce"].to_str().unwrap().to_owned();
    assert_eq!(refused.json::<Value>().await.unwrap()["error"], "use_dpop_nonce");
    // With it: the token, and a fresh nonce for next time (§8.2).
    let accepted = send(key.proof_with_nonce("POST", &url, app.clock.now(), &nonce)).await.unwrap();
    assert_eq!(accepted.status(), 200);
    assert!(accepted.headers().contains_key("dpop-nonce"));
    // A nonce from three minutes ago, or one Keygate never gave, is refused.
    app.clock.advance(180);
    let stale = send(key.proof_with_nonce("POST", &url, app.clock.now(), &nonce)).await.unwrap();
    assert_eq!(stale.json::<Value>().await.unwrap()["error"], "use_dpop_nonce");
    let made_up = send(key.proof_with_nonce("POST", &url, app.clock.now(), "abc")).await.unwrap();
    assert_eq!(made_up.json::<Value>().await.unwrap()["error"], "use_dpop_nonce");
}
