//! RFC 9449 end to end with keygate-client: a sign-in bound to a DPoP key (the code through
//! `dpop_jkt`, the tokens through proofs), the key kept in the encrypted store with the
//! tokens, refresh and UserInfo with proofs, the provider's nonce followed, the device flow,
//! and an API built on `keygate-resource` called with a proof.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::routing::get;
use keygate_client::store::KdfParams;
use keygate_client::{
    Client, ClientOptions, EncryptedFileStore, FileKey, LoginOptions, LoopbackLogin, Passphrase,
    Session, TokenStore, TokenType, Tokens,
};
use keygate_core::Clock as _;
use keygate_resource::{BearerLayer, Caller, Validator};
use keygate_testkit::{Backend, TempDir, TestApp};

use crate::support::{SCOPE, TestClock, browser_signs_in, deliver, native_client, param};

/// The claims of a JWT, unverified.
fn payload(jwt: &str) -> serde_json::Value {
    use base64::Engine;
    let part = jwt.split('.').nth(1).unwrap();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(part).unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

/// A Keygate (nonces required with `nonces`), its native client, `ada`, and a keygate-client
/// that binds its tokens with DPoP.
async fn dpop_setup(nonces: bool) -> (TestApp, String, Client, TestClock) {
    let adjust = |s: &mut keygate_core::Settings| s.dpop_require_nonce = nonces;
    let app = TestApp::spawn_with(Backend::Sqlite, adjust).await.unwrap();
    let registered = native_client(&app).await;
    app.user("ada").await;
    let clock = TestClock::new(&app);
    let options =
        ClientOptions { clock: Arc::new(clock.clone()), dpop: true, ..Default::default() };
    let client = Client::discover_with(&app.issuer, &registered.id, options).await.unwrap();
    (app, registered.id, client, clock)
}

/// A loopback sign-in played in a browser; returns the tokens and the authorization URL.
async fn sign_in(app: &TestApp, client: &Client) -> (Tokens, String) {
    let options = LoginOptions { scope: SCOPE.to_owned(), ..Default::default() };
    let login = LoopbackLogin::start(client, options).await.unwrap();
    let url = login.authorization_url().to_string();
    let waiting = tokio::spawn(login.wait());
    deliver(&browser_signs_in(app, &url, "allow").await).await;
    (waiting.await.unwrap().unwrap(), url)
}

#[tokio::test]
async fn rfc9449_10_a_dpop_sign_in_binds_the_code_and_the_tokens_to_one_key() {
    let (app, _id, client, _clock) = dpop_setup(false).await;
    let (tokens, url) = sign_in(&app, &client).await;
    let key = tokens.dpop_key.clone().expect("the key is kept with the tokens");
    assert_eq!(param(&url, "dpop_jkt").as_deref(), Some(key.jkt()), "§10: the code is bound");
    assert_eq!(tokens.token_type, TokenType::Dpop);
    assert_eq!(payload(&tokens.access_token)["cnf"]["jkt"], key.jkt(), "§6.1 cnf.jkt");

    // UserInfo with the DPoP scheme and a proof; the same token as a bearer token is refused.
    let userinfo = client.userinfo(&tokens).await.unwrap();
    assert_eq!(userinfo["preferred_username"], "ada");
    let endpoint = client.metadata().userinfo_endpoint.clone().unwrap();
    let as_bearer = reqwest::Client::new()
        .get(&endpoint)
        .bearer_auth(&tokens.access_token)
        .send()
        .await
        .unwrap();
    assert_eq!(as_bearer.status(), 401, "a bound token is not a bearer token (§7.1)");

    // Refresh with a proof by the same key: still bound to it.
    let fresh = client.refresh(&tokens).await.unwrap();
    assert_eq!(fresh.token_type, TokenType::Dpop);
    assert_eq!(fresh.dpop_key.as_ref().map(|k| k.jkt()), Some(key.jkt()));
    assert_eq!(payload(&fresh.access_token)["cnf"]["jkt"], key.jkt());
}

#[tokio::test]
async fn rfc9449_5_the_key_is_stored_encrypted_with_the_tokens_and_refreshes_after_a_restart() {
    let (app, id, client, clock) = dpop_setup(false).await;
    let dir = TempDir::new("kgdpop");
    let path = dir.0.join("tokens.enc");
    let params = KdfParams { m_cost: 1024, t_cost: 1, p_cost: 1 };
    let open = || {
        let key = FileKey::Passphrase(Passphrase::new("correct horse"), params);
        Arc::new(EncryptedFileStore::with_key(path.clone(), key).unwrap())
    };
    let (tokens, _) = sign_in(&app, &client).await;
    let jkt = tokens.dpop_key.as_ref().unwrap().jkt().to_owned();
    Session::new(client, open()).save(tokens).await.unwrap();
    let raw = std::fs::read(&path).unwrap();
    assert!(!String::from_utf8_lossy(&raw).contains(&jkt), "nothing readable in the file");

    // A later run: a new client and store; the key comes back with the tokens.
    let options = ClientOptions { clock: Arc::new(clock), dpop: true, ..Default::default() };
    let client = Client::discover_with(&app.issuer, &id, options).await.unwrap();
    let session = Session::new(client, open());
    assert_eq!(session.stored().await.unwrap().dpop_key.unwrap().jkt(), jkt);
    app.clock.advance(3600);
    let fresh = session.tokens().await.unwrap();
    assert_eq!(payload(&fresh.access_token)["cnf"]["jkt"], jkt, "refreshed with the stored key");
    assert_eq!(open().load().unwrap().unwrap().access_token, fresh.access_token);
}

#[tokio::test]
async fn rfc9449_8_the_providers_nonce_challenge_is_followed() {
    let (app, _id, client, _clock) = dpop_setup(true).await;
    // The code exchange is refused once with use_dpop_nonce, then sent with the nonce.
    let (tokens, _) = sign_in(&app, &client).await;
    assert_eq!(tokens.token_type, TokenType::Dpop);
    // Three minutes later the remembered nonce is stale: refused again, then retried.
    app.clock.advance(180);
    let fresh = client.refresh(&tokens).await.unwrap();
    assert_eq!(fresh.token_type, TokenType::Dpop);
}

#[tokio::test]
async fn rfc9449_7_1_an_api_on_keygate_resource_accepts_the_clients_proof() {
    let (app, _id, client, _clock) = dpop_setup(false).await;
    let (tokens, _) = sign_in(&app, &client).await;
    let audience = payload(&tokens.access_token)["aud"].as_str().unwrap().to_owned();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let clock = app.clock.clone();
    let validator = Validator::builder(app.issuer.clone(), audience)
        .public_url(base.clone())
        .clock(Arc::new(move || clock.now()))
        .build()
        .await
        .unwrap();
    let whoami = |caller: Caller| async move { caller.sub };
    let router =
        Router::new().route("/me", get(whoami)).layer(BearerLayer::new(Arc::new(validator)));
    tokio::spawn(async move { axum::serve(listener, router).await });

    let http = reqwest::Client::new();
    let reply = client.send(&tokens, http.get(format!("{base}/me?x=1"))).await.unwrap();
    assert_eq!(reply.status(), 200);
    assert_eq!(reply.text().await.unwrap(), tokens.claims.as_ref().unwrap().sub);
    let bearer = http.get(format!("{base}/me")).bearer_auth(&tokens.access_token).send().await;
    assert_eq!(bearer.unwrap().status(), 401, "without the proof the token is refused");
}

#[tokio::test]
async fn rfc9449_5_the_device_flow_binds_its_tokens_too() {
    let (app, id, _client, mut clock) = dpop_setup(false).await;
    clock.pause = Duration::from_millis(100);
    let options = ClientOptions { clock: Arc::new(clock), dpop: true, ..Default::default() };
    let client = Client::discover_with(&app.issuer, &id, options).await.unwrap();
    let device = client.start_device_authorization(SCOPE, &[]).await.unwrap();
    let polling = {
        let (client, device) = (client.clone(), device.clone());
        tokio::spawn(async move { client.poll_device_authorization(&device).await })
    };
    crate::device::user_decides(&app, &device, "allow").await;
    let tokens = polling.await.unwrap().unwrap();
    assert_eq!(tokens.token_type, TokenType::Dpop);
    let jkt = tokens.dpop_key.as_ref().unwrap().jkt();
    assert_eq!(payload(&tokens.access_token)["cnf"]["jkt"], jkt);
    assert_eq!(client.userinfo(&tokens).await.unwrap()["preferred_username"], "ada");
}
