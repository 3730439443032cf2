//! RFC 9470 end to end: an API built on `keygate-resource` refuses a password-only token on a
//! route that needs a second factor, with a step-up challenge; `keygate-client` reads it and
//! signs in again asking for the `acr`; Keygate asks the user for the code only, and the new
//! token passes.

use std::sync::Arc;

use axum::Router;
use axum::routing::get;
use keygate_client::{LoginOptions, LoopbackLogin, StepUp, Tokens};
use keygate_core::Clock as _;
use keygate_core::id_token::ACR_MFA;
use keygate_core::mfa::totp;
use keygate_resource::{BearerLayer, Caller, Rejection, Validator, require_authentication};
use keygate_testkit::{Browser, PASSWORD, TestApp, form_field, location};

use crate::support::{SCOPE, deliver, param, setup};

/// The claims of a JWT, unverified (the API verifies; the test only reads).
fn payload(jwt: &str) -> serde_json::Value {
    use base64::Engine;
    let part = jwt.split('.').nth(1).unwrap();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(part).unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

/// An API whose `/transfer` needs a sign-in with a second factor.
async fn api(app: &TestApp, audience: &str) -> String {
    let clock = app.clock.clone();
    let validator = Validator::builder(app.issuer.clone(), audience)
        .clock(Arc::new(move || clock.now()))
        .build()
        .await
        .unwrap();
    let validator = Arc::new(validator);
    let checker = validator.clone();
    let transfer = move |caller: Caller| {
        let validator = checker.clone();
        async move {
            require_authentication(&caller, &[ACR_MFA], None, &validator)?;
            Ok::<_, Rejection>("done")
        }
    };
    let router = Router::new().route("/transfer", get(transfer)).layer(BearerLayer::new(validator));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/transfer", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await });
    url
}

/// A loopback sign-in with `step_up`, played in `browser`: the password when asked, the
/// second factor's `code` when asked, consent.
async fn sign_in(
    app: &TestApp,
    client: &keygate_client::Client,
    browser: &Browser,
    step_up: StepUp,
    code: Option<String>,
) -> (Tokens, String) {
    let options = LoginOptions { scope: SCOPE.to_owned(), step_up, ..Default::default() };
    let login = LoopbackLogin::start(client, options).await.unwrap();
    let url = login.authorization_url().to_string();
    let waiting = tokio::spawn(login.wait());
    let mut next = location(&browser.get(&url).await);
    if next.starts_with(&app.url("/login?")) {
        next = location(&app.submit_login(browser, &next, "ada", PASSWORD).await);
    }
    if next.starts_with(&app.url("/login/mfa")) {
        let page = browser.get(&next).await;
        let field = |name| form_field(&page.body, name).unwrap();
        let code = code.clone().expect("a code");
        let form = [
            ("req", field("req")),
            ("csrf", field("csrf")),
            ("ticket", field("ticket")),
            ("code", code),
        ];
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        next = location(&browser.post_form(&app.url("/login/mfa"), &form).await);
    }
    if next.starts_with(&app.url("/consent")) {
        next = location(&app.submit_consent(browser, &next, "allow").await);
    }
    deliver(&next).await;
    (waiting.await.unwrap().unwrap(), url)
}

#[tokio::test]
async fn rfc9470_an_apis_step_up_challenge_is_followed_to_a_token_with_the_acr() {
    let (app, _registered, client, _clock) = setup().await;
    let browser = Browser::new();
    let (first, _) = sign_in(&app, &client, &browser, StepUp::default(), None).await;
    let claims = payload(&first.access_token);
    assert_eq!(claims["acr"], keygate_core::id_token::ACR_PASSWORD, "RFC 9068 §2.2.1");
    let audience = claims["aud"].as_str().unwrap().to_owned();
    let transfer = api(&app, &audience).await;

    // Ada adds an authenticator app.
    let ada = app.admin().user("ada").await.unwrap();
    let enrolment = app.provider.begin_totp(&ada).unwrap();
    let key = totp::base32_decode(&enrolment.key_text).unwrap();
    let code = totp::code_at(&key, totp::step_of(app.clock.now()));
    app.provider.confirm_totp(&ada, &enrolment.ticket, &code, None).await.unwrap().unwrap();

    let http = reqwest::Client::new();
    let refused = http.get(&transfer).bearer_auth(&first.access_token).send().await.unwrap();
    assert_eq!(refused.status(), 401);
    let challenge = refused.headers()["www-authenticate"].to_str().unwrap().to_owned();
    let step_up = StepUp::from_challenge(&challenge).expect("a step-up challenge");
    assert_eq!(step_up.acr_values.as_deref(), Some(ACR_MFA));

    app.clock.advance(totp::PERIOD);
    let code = totp::code_at(&key, totp::step_of(app.clock.now()));
    let (second, url) = sign_in(&app, &client, &browser, step_up, Some(code)).await;
    assert_eq!(param(&url, "acr_values").as_deref(), Some(ACR_MFA), "RFC 9470 §4");
    let id_token = second.claims.as_ref().unwrap();
    assert_eq!(id_token.other["acr"], ACR_MFA);
    assert_eq!(payload(&second.access_token)["acr"], ACR_MFA);
    let done = http.get(&transfer).bearer_auth(&second.access_token).send().await.unwrap();
    assert_eq!(done.status(), 200, "the stepped-up token passes");
}
