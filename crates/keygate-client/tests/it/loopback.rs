//! RFC 8252 native-app sign-in: the loopback redirect on an ephemeral port, completed by a
//! test that plays the browser.

use std::time::Duration;

use keygate_client::{Error, LoginOptions, LoopbackLogin};
use keygate_core::Clock as _;

use crate::support::{SCOPE, browser_signs_in, deliver, param, setup};

fn options() -> LoginOptions {
    LoginOptions { scope: SCOPE.to_owned(), ..Default::default() }
}

#[tokio::test]
async fn rfc8252_7_3_loopback_redirect_on_ephemeral_port() {
    let (app, _registered, client, _clock) = setup().await;
    let login = LoopbackLogin::start(&client, options()).await.unwrap();
    let redirect = login.redirect_uri().to_owned();
    let port: u16 = redirect
        .strip_prefix("http://127.0.0.1:")
        .and_then(|rest| rest.strip_suffix("/callback"))
        .unwrap()
        .parse()
        .unwrap();
    assert_ne!(port, 0);
    let url = login.authorization_url().to_string();
    assert!(url.starts_with(&app.url("/authorize?")), "{url}");
    assert_eq!(param(&url, "redirect_uri").as_deref(), Some(redirect.as_str()));
    assert_eq!(param(&url, "code_challenge_method").as_deref(), Some("S256"), "RFC 8252 §8.1");
    assert_eq!(param(&url, "state").unwrap().len(), 43);
    assert_eq!(param(&url, "nonce").unwrap().len(), 43);
    assert!(param(&url, "code_verifier").is_none());

    let waiting = tokio::spawn(login.wait());
    let callback = browser_signs_in(&app, &url, "allow").await;
    assert!(callback.starts_with(&redirect), "{callback}");
    assert!(param(&callback, "iss").is_some(), "Keygate sends iss (RFC 9207)");
    let (status, page) = deliver(&callback).await;
    assert_eq!(status, 200);
    assert!(page.contains("You can close this window"), "{page}");
    let tokens = waiting.await.unwrap().unwrap();

    let claims = tokens.claims.clone().unwrap();
    assert_eq!(claims.iss, app.issuer);
    assert_eq!(claims.nonce.as_deref(), param(&url, "nonce").as_deref());
    assert!(tokens.refresh_token.is_some(), "offline_access was asked for");
    assert_eq!(tokens.expires_at, app.clock.now() + 3600);
    let userinfo = client.userinfo(&tokens).await.unwrap();
    assert_eq!(userinfo["preferred_username"], "ada");
    assert_eq!(userinfo["email"], "ada@example.com");
    // The listener is closed: exactly one response is accepted.
    assert!(reqwest::get(&callback).await.is_err());
}

#[tokio::test]
async fn rfc8252_8_3_listener_answers_only_the_matching_response() {
    let (app, _registered, client, _clock) = setup().await;
    let login = LoopbackLogin::start(&client, options()).await.unwrap();
    let url = login.authorization_url().to_string();
    let base = login.redirect_uri().trim_end_matches("/callback").to_owned();
    let waiting = tokio::spawn(login.wait());

    let (status, _) = deliver(&format!("{base}/favicon.ico")).await;
    assert_eq!(status, 404);
    let (status, page) = deliver(&format!("{base}/callback?code=stolen&state=forged")).await;
    assert_eq!(status, 400, "RFC 6749 §10.12: a response with another state is refused");
    assert!(page.contains("does not belong to the sign-in in progress"), "{page}");
    let (status, _) = deliver(&format!("{base}/callback")).await;
    assert_eq!(status, 400);
    assert!(!waiting.is_finished(), "still waiting for the real answer");

    let callback = browser_signs_in(&app, &url, "allow").await;
    assert_eq!(deliver(&callback).await.0, 200);
    waiting.await.unwrap().unwrap();
}

#[tokio::test]
async fn rfc8252_loopback_login_times_out_cleanly() {
    let (_app, _registered, client, _clock) = setup().await;
    let mut options = options();
    options.timeout = Duration::from_millis(300);
    let login = LoopbackLogin::start(&client, options).await.unwrap();
    let redirect = login.redirect_uri().to_owned();
    let err = login.wait().await.unwrap_err();
    assert!(matches!(err, Error::TimedOut(_)), "{err}");
    assert!(err.to_string().contains("run the login again"), "{err}");
    assert!(reqwest::get(&redirect).await.is_err(), "the port is closed afterwards");
}

#[tokio::test]
async fn rfc6749_4_1_2_1_refused_consent_is_access_denied() {
    let (app, _registered, client, _clock) = setup().await;
    let login = LoopbackLogin::start(&client, options()).await.unwrap();
    let url = login.authorization_url().to_string();
    let waiting = tokio::spawn(login.wait());
    let callback = browser_signs_in(&app, &url, "deny").await;
    let (status, page) = deliver(&callback).await;
    assert_eq!(status, 200);
    assert!(page.contains("did not complete"), "{page}");
    let err = waiting.await.unwrap().unwrap_err();
    assert!(matches!(err, Error::AccessDenied(_)), "{err}");
}

#[tokio::test]
async fn rfc9207_2_4_response_from_another_issuer_is_rejected() {
    let (_app, _registered, client, _clock) = setup().await;
    let login = LoopbackLogin::start(&client, options()).await.unwrap();
    let state = param(login.authorization_url().as_str(), "state").unwrap();
    let mut forged = url::Url::parse(login.redirect_uri()).unwrap();
    forged
        .query_pairs_mut()
        .append_pair("code", "from-elsewhere")
        .append_pair("state", &state)
        .append_pair("iss", "https://evil.example");
    let waiting = tokio::spawn(login.wait());
    deliver(forged.as_str()).await;
    let err = waiting.await.unwrap().unwrap_err();
    assert!(matches!(err, Error::Callback(ref why) if why.contains("RFC 9207")), "{err}");
}

#[tokio::test]
async fn oidc_core_3_1_3_7_id_token_for_another_client_is_refused() {
    let (app, _registered, client, clock) = setup().await;
    let tokens = crate::support::sign_in(&app, &client).await;
    let id_token = tokens.id_token.unwrap();
    assert!(client.validate_id_token(&id_token, None).await.is_ok());

    let other = crate::support::client_for(&app, "someone-else", &clock).await;
    let err = other.validate_id_token(&id_token, None).await.unwrap_err();
    assert!(matches!(err, Error::IdToken(_)), "{err}");
    app.clock.advance(3600 + 61);
    let err = client.validate_id_token(&id_token, None).await.unwrap_err();
    assert!(err.to_string().contains("expired"), "{err}");
}

/// The query parameter names of `url`, sorted.
fn param_names(url: &str) -> Vec<String> {
    let parsed = url::Url::parse(url).unwrap();
    let mut names: Vec<String> = parsed.query_pairs().map(|(k, _)| k.into_owned()).collect();
    names.sort();
    names
}

async fn signs_in_through_a_pushed_request(
    app: &keygate_testkit::TestApp,
    client: &keygate_client::Client,
    options: LoginOptions,
) {
    let login = LoopbackLogin::start(client, options).await.unwrap();
    let url = login.authorization_url().to_string();
    assert_eq!(param_names(&url), ["client_id", "request_uri"], "RFC 9126 §4: {url}");
    let request_uri = param(&url, "request_uri").unwrap();
    assert!(request_uri.starts_with("urn:ietf:params:oauth:request_uri:"), "{request_uri}");
    let waiting = tokio::spawn(login.wait());
    let callback = browser_signs_in(app, &url, "allow").await;
    assert_eq!(deliver(&callback).await.0, 200);
    let tokens = waiting.await.unwrap().unwrap();
    assert!(tokens.claims.unwrap().nonce.is_some(), "the pushed nonce came back");
}

#[tokio::test]
async fn rfc9126_4_a_pushed_login_carries_only_client_id_and_request_uri() {
    let (app, _registered, client, _clock) = setup().await;
    let options = LoginOptions { pushed: true, ..options() };
    signs_in_through_a_pushed_request(&app, &client, options).await;
}

#[tokio::test]
async fn rfc9126_5_a_provider_that_requires_pushed_requests_gets_them() {
    let adjust = |s: &mut keygate_core::Settings| s.requests.require_pushed = true;
    let app = keygate_testkit::TestApp::spawn_with(keygate_testkit::Backend::Sqlite, adjust)
        .await
        .unwrap();
    let registered = crate::support::native_client(&app).await;
    app.user("ada").await;
    let clock = crate::support::TestClock::new(&app);
    let client = crate::support::client_for(&app, &registered.id, &clock).await;
    signs_in_through_a_pushed_request(&app, &client, options()).await;
}
